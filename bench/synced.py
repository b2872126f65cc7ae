"""The bench's million as a counter that has sent it: each dossier's outbox entries as the
counter queues them and the portal acknowledged them, then the counter's retention.

Demo dossiers (``seed-demo``) never enter the outbox, but a counter's own do, and each
entry stays once sent (``counter.outbox``): the database size of a counter in use counts
them. Each dossier gets what the counter itself queues for it (the portal's own changes,
processing and results, are not the counter's to send): its receipt's entry and, for one
the counter closed (handed back, withdrawn, rejected), the clerk's status change, with the
payloads the counter writes (``counter.serialize``), sent and acknowledged a minute after.
Its ``sync_state`` and ``portal_confirmed_at`` are then as ``SyncStore.mark_accepted`` leaves
them. Then ``SyncStore.forget_sent_payloads`` runs, step by step, as the sync's rounds run
it: the entries acknowledged longer ago than the retention keep their digest alone, the
recent ones stay whole.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from counter import audit, integrity
from counter.changes import outbox_key
from counter.clock import iso
from counter.models import AuditRow, Dossier, DossierHistory, OutboxEntry, SentEntry
from counter.serialize import status_change_json, wire_snapshot
from counter.statuses import PORTAL, Status

#: The statuses a clerk sets at the counter that close a dossier (the others the portal sends).
COUNTER_CLOSINGS = {Status.RETURNED, Status.REJECTED, Status.WITHDRAWN}
#: Dossiers read and written at a time.
CHUNK = 5000


def _payload(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _entry(d: Dossier, kind: str, payload: str, at: datetime) -> dict[str, Any]:
    return {
        "kind": kind,
        "dossier_id": d.id,
        "idempotency_key": outbox_key(),
        "payload": payload,
        "state": "sent",
        "attempts": 0,
        "next_attempt_at": None,
        "last_error": "",
        "created_at": at,
        "sent_at": at + timedelta(minutes=1),
    }


def _forget_sent(app: Any) -> None:
    """The sync rounds' retention run to the end: the recent entries stay whole."""
    while app.sync_store.forget_sent_payloads():
        pass


def _demo_chunks(
    app: Any, after: Callable[[], None] | None = None
) -> Iterator[tuple[Session, list[Dossier]]]:
    """The demo dossiers in order, ``CHUNK`` at a time, each chunk in a unit of work of its
    own (committed when the caller asks for the next), then ``after`` and a checkpoint: the
    log kept short, as a counter's pauses keep it."""
    last = 0
    while True:
        with app.db.unit_of_work() as s:
            dossiers = list(
                s.scalars(
                    select(Dossier)
                    .where(Dossier.id > last, Dossier.is_demo.is_(True))
                    .order_by(Dossier.id)
                    .limit(CHUNK)
                )
            )
            if not dossiers:
                return
            yield s, dossiers
            last = dossiers[-1].id
        if after is not None:
            after()
        app.db.checkpointer.checkpoint()


def is_synced(app: Any) -> bool:
    """Whether the counter's demo dossiers already have their sent entries."""
    with app.db.reading() as s:
        return bool(
            s.scalar(select(func.count()).select_from(SentEntry))
            or s.scalar(
                select(func.count())
                .select_from(OutboxEntry)
                .join(Dossier, Dossier.id == OutboxEntry.dossier_id)
                .where(Dossier.is_demo.is_(True))
            )
        )


def make_synced(app: Any) -> dict[str, Any]:
    """Give every demo dossier its sent entries, then run the retention to the end."""
    started = time.perf_counter()
    entries = 0
    for s, dossiers in _demo_chunks(app, after=functools.partial(_forget_sent, app)):
        rows = []
        confirmed: dict[int, datetime] = {}
        for d in dossiers:
            rows.append(_entry(d, "dossier", _payload(wire_snapshot(d)), d.received_at))
            status = Status(d.status)
            if status in COUNTER_CLOSINGS:
                at = d.status_changed_at
                change = status_change_json(d.code, status, at, d.received_by, "")
                rows.append(_entry(d, "status", _payload(change), at))
            confirmed[d.id] = rows[-1]["sent_at"]
        s.execute(insert(OutboxEntry), rows)
        s.execute(
            update(Dossier),
            [
                {"id": i, "sync_state": "synced", "portal_confirmed_at": at}
                for i, at in confirmed.items()
            ],
        )
        entries += len(rows)
    return {"entries": entries, "seconds": round(time.perf_counter() - started, 1)}


def is_audited(app: Any) -> bool:
    """Whether the counter's demo dossiers already have their audit rows."""
    with app.db.reading() as s:
        first = s.scalar(
            select(Dossier.id).where(Dossier.is_demo.is_(True)).order_by(Dossier.id).limit(1)
        )
        return first is None or (
            s.scalar(select(AuditRow.id).where(AuditRow.dossier_id == first).limit(1)) is not None
        )


def make_audited(app: Any) -> dict[str, Any]:
    """Give every demo dossier the audit rows a counter writes for the lines of its history:
    the receipt (``dossier.receive``, by the clerk) and each status change after it
    (``dossier.status``, by the clerk or, for the portal's, ``PORTAL``), chained as
    ``counter.audit`` chains them, each with the dossier's digest as its state (the one it
    is left in: the latest line's is what ``check`` compares)."""
    started = time.perf_counter()
    written = 0
    for s, dossiers in _demo_chunks(app):
        ids = [d.id for d in dossiers]
        lines: dict[int, list[DossierHistory]] = {}
        for h in s.scalars(
            select(DossierHistory)
            .where(DossierHistory.dossier_id.in_(ids))
            .order_by(DossierHistory.id)
        ):
            lines.setdefault(h.dossier_id, []).append(h)
        whole: dict[int, list[tuple[str, str, str]]] = {}
        for i, key, kind, payload in s.execute(
            select(
                OutboxEntry.dossier_id,
                OutboxEntry.idempotency_key,
                OutboxEntry.kind,
                OutboxEntry.payload,
            )
            .where(OutboxEntry.dossier_id.in_(ids))
            .order_by(OutboxEntry.id)
        ):
            whole.setdefault(i, []).append((key, kind, payload))
        sent = integrity.sent_entries(s, ids)
        prev = integrity.head(s).hash
        rows = []
        for d in dossiers:
            state = integrity.dossier_digest(d, whole.get(d.id, ()), sent.get(d.id, ()))
            before = None
            for h in lines.get(d.id, ()):
                if before is None:
                    action = "dossier.receive"
                    details = {
                        "procedure": d.procedure_code,
                        "due_at": iso(d.due_at),
                        "demo": False,
                    }
                else:
                    action = "dossier.status"
                    details = {"from": before, "to": h.status, "note": h.note}
                actor = PORTAL if h.source == "portal" else h.by_user
                row = audit.chained(
                    prev,
                    h.at,
                    actor,
                    action,
                    "dossier",
                    d.code,
                    {**details, "state": state},
                    d,
                )
                rows.append(row)
                prev = audit.link(row)
                before = h.status
        if rows:
            s.execute(insert(AuditRow), rows)
        written += len(rows)
    return {"rows": written, "seconds": round(time.perf_counter() - started, 1)}
