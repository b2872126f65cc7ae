"""The one path every change to a dossier takes, whoever makes it.

A clerk's action (``DossierService.set_status`` / ``reschedule``, through ``apply_status``
and ``apply_due`` on the mapped dossier) and a change pulled from the portal
(``SyncStore.apply_remote_statuses``, which writes a whole page's rows in a few statements)
both take their values from ``status_change`` and ``due_change``: the row, its history line
and the audit line are the same whichever side moved the dossier. ``attach_file`` keeps a
new version of a paper's digitised pages. ``enqueue`` queues what the portal must learn, in
the same transaction. None of these commit: the caller's unit of work does.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from counter.clock import iso, now
from counter.models import Dossier, DossierFile, DossierHistory, OutboxEntry
from counter.views import StoredPages
from protocol.statuses import Status

#: What a change puts in the audit trail: (action, dossier code, details).
AuditLine = tuple[str, str, dict[str, Any]]


def status_change(
    d: Any,
    target: Status,
    moment: datetime,
    by: str,
    note: str,
    source: str,
    updated_at: datetime | None = None,
) -> tuple[dict[str, Any], dict[str, Any], AuditLine]:
    """What moving ``d`` to ``target`` at ``moment`` changes: the dossier's new column
    values, its history line (the ``dossier_history`` row's values) and the audit line.

    The moments a dossier was handed back and closed are the first ones: a later echo of
    the same status does not move them. ``d`` is read only (a mapped dossier or its columns).
    ``updated_at``: when the row is written (now, unless the caller has read the clock).
    """
    values: dict[str, Any] = {
        "status": target.value,
        "status_changed_at": moment,
        "updated_at": updated_at or now(),
    }
    if target is Status.RETURNED and d.returned_at is None:
        values["returned_at"] = moment
    if not target.is_open and d.closed_at is None:
        values["closed_at"] = moment
    history = {
        "dossier_id": d.id,
        "at": moment,
        "status": target.value,
        "by_user": by,
        "note": note,
        "source": source,
    }
    line = ("dossier.status", d.code, {"from": d.status, "to": target.value, "note": note})
    return values, history, line


def due_change(
    d: Any,
    due_at: datetime,
    reason: str,
    moment: datetime,
    by: str,
    source: str,
    updated_at: datetime | None = None,
) -> tuple[dict[str, Any], dict[str, Any], AuditLine]:
    """What a new due moment changes (with the apology letter, Mẫu 04; the one missed is
    kept): the dossier's new column values, its history line and the audit line."""
    old = d.due_at
    values: dict[str, Any] = {
        "previous_due_at": old,
        "reschedule_reason": reason,
        "due_at": due_at,
        "updated_at": updated_at or now(),
    }
    history = {
        "dossier_id": d.id,
        "at": moment,
        "status": d.status,
        "by_user": by,
        "note": f"Hẹn lại: {iso(due_at)}. Lý do: {reason}",
        "source": source,
    }
    line = ("dossier.reschedule", d.code, {"from": iso(old), "to": iso(due_at), "reason": reason})
    return values, history, line


def apply_status(
    s: Session, d: Dossier, target: Status, moment: datetime, by: str, note: str, source: str
) -> AuditLine:
    """Move the dossier to ``target`` at ``moment`` and keep the move in its history
    (``status_change``)."""
    values, history, line = status_change(d, target, moment, by, note, source)
    for column, value in values.items():
        setattr(d, column, value)
    s.add(DossierHistory(**history))
    return line


def apply_due(
    s: Session, d: Dossier, due_at: datetime, reason: str, moment: datetime, by: str, source: str
) -> AuditLine:
    """A new due moment, kept in the dossier's history (``due_change``)."""
    values, history, line = due_change(d, due_at, reason, moment, by, source)
    for column, value in values.items():
        setattr(d, column, value)
    s.add(DossierHistory(**history))
    return line


def restart_clock(s: Session, d: Dossier, moment: datetime, due_at: datetime) -> AuditLine:
    """Supplemented papers received ("Tiếp nhận lại"): the time limit runs again from
    ``moment``. Not a delay: no missed appointment is kept and no apology is owed; the move
    back to ``received`` carries the history line."""
    old = d.due_at
    d.restarted_at = moment
    d.due_at = due_at
    d.updated_at = now()
    return ("dossier.restart", d.code, {"from": iso(old), "to": iso(due_at), "at": iso(moment)})


#: Outbox kinds the sync does not send yet: their entries wait as ``held`` (never picked, never
#: counted as pending) until the sync learns them and turns them ``pending`` (docs/sync.md).
#: None today: files are sent since migration 0010.
HELD_KINDS: frozenset[str] = frozenset()


def outbox_key() -> str:
    """A new outbox entry's idempotency key: a UUID whose first 48 bits are the moment in
    milliseconds, the rest random but for its version (7) and variant (RFC 9562). The keys
    made together sort together, so a batch's entries (and a day's) share a few pages of the
    outbox's unique index instead of dirtying one page of it each, as random keys did."""
    moment_ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (
        (moment_ms & 0xFFFF_FFFF_FFFF) << 80
        | 0x7 << 76
        | (rand >> 64 & 0xFFF) << 64
        | 0b10 << 62
        | rand & 0x3FFF_FFFF_FFFF_FFFF
    )
    return str(uuid.UUID(int=value))


def enqueue(s: Session, d: Dossier, kind: str, payload: dict[str, Any], moment: datetime) -> None:
    """Queue what the portal must learn, in the caller's transaction. Demo data stays here."""
    if d.is_demo:
        return
    held = kind in HELD_KINDS
    s.add(
        OutboxEntry(
            kind=kind,
            dossier_id=d.id,
            idempotency_key=outbox_key(),
            payload=json.dumps(payload, ensure_ascii=False, sort_keys=True),
            state="held" if held else "pending",
            attempts=0,
            created_at=moment,
            last_error="",
        )
    )
    if not held and d.sync_state != "needs_attention":
        d.sync_state = "pending"


def attach_file(
    s: Session, d: Dossier, doc: str, stored: StoredPages, by: str, moment: datetime
) -> tuple[DossierFile, AuditLine]:
    """A new version of the pages of ``doc`` (a document line, or ``result``); earlier ones
    stay. The portal learns of it through the outbox (a ``file`` entry)."""
    last = s.scalar(
        select(func.max(DossierFile.version)).where(
            DossierFile.dossier_id == d.id, DossierFile.doc == doc
        )
    )
    row = DossierFile(
        dossier_id=d.id,
        doc=doc,
        version=(last or 0) + 1,
        sha256=stored.sha256,
        pages=stored.pages,
        bytes=stored.bytes,
        source=stored.source,
        original_name=stored.original_name,
        by_user=by,
        at=moment,
    )
    s.add(row)
    details = {
        "doc": doc,
        "version": row.version,
        "sha256": stored.sha256,
        "pages": stored.pages,
        "bytes": stored.bytes,
        "source": stored.source,
    }
    enqueue(s, d, "file", {"code": d.code, **details, "at": iso(moment), "by": by}, moment)
    return row, ("dossier.attach", d.code, details)
