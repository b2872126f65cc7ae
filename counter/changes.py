"""The one path every change to a dossier takes, whoever makes it.

A clerk's action (``DossierService.set_status`` / ``reschedule``) and a change pulled from
the portal (``SyncStore.apply_remote_statuses``) both call ``apply_status`` and
``apply_due``: the row, its history line and the audit line they return are the same
whichever side moved the dossier. ``attach_file`` keeps a new version of a paper's
digitised pages. ``enqueue`` queues what the portal must learn, in the same transaction.
None of these commit: the caller's unit of work does.
"""

from __future__ import annotations

import json
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


def apply_status(
    s: Session, d: Dossier, target: Status, moment: datetime, by: str, note: str, source: str
) -> AuditLine:
    """Move the dossier to ``target`` at ``moment`` and keep the move in its history.

    The moments a dossier was handed back and closed are the first ones: a later echo of
    the same status does not move them.
    """
    current = Status(d.status)
    d.status = target.value
    d.status_changed_at = moment
    d.updated_at = now()
    if target is Status.RETURNED and d.returned_at is None:
        d.returned_at = moment
    if not target.is_open and d.closed_at is None:
        d.closed_at = moment
    s.add(
        DossierHistory(
            dossier_id=d.id, at=moment, status=target.value, by_user=by, note=note, source=source
        )
    )
    return ("dossier.status", d.code, {"from": current.value, "to": target.value, "note": note})


def apply_due(
    s: Session, d: Dossier, due_at: datetime, reason: str, moment: datetime, by: str, source: str
) -> AuditLine:
    """A new due moment (with the apology letter, Mẫu 04); the one missed is kept."""
    old = d.due_at
    d.previous_due_at = old
    d.reschedule_reason = reason
    d.due_at = due_at
    d.updated_at = now()
    s.add(
        DossierHistory(
            dossier_id=d.id,
            at=moment,
            status=d.status,
            by_user=by,
            note=f"Hẹn lại: {iso(due_at)}. Lý do: {reason}",
            source=source,
        )
    )
    return ("dossier.reschedule", d.code, {"from": iso(old), "to": iso(due_at), "reason": reason})


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


def enqueue(s: Session, d: Dossier, kind: str, payload: dict[str, Any], moment: datetime) -> None:
    """Queue what the portal must learn, in the caller's transaction. Demo data stays here."""
    if d.is_demo:
        return
    held = kind in HELD_KINDS
    s.add(
        OutboxEntry(
            kind=kind,
            dossier_id=d.id,
            idempotency_key=str(uuid.uuid4()),
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
