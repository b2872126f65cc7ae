"""The audit trail: append-only, each row carrying a hash of the previous one.

Rows are appended inside the unit of work of the change they record, so a change and its
audit row are committed together or not at all. Writers hold SQLite's write lock from the
start of their transaction (BEGIN IMMEDIATE), so the chain cannot fork.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter import integrity
from counter.clock import iso, now
from counter.models import AuditEntry

GENESIS = integrity.GENESIS


#: ``json.dumps``'s encoder for an audit row's details, made once.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical(details: dict[str, Any]) -> str:
    return _CANONICAL.encode(details)


def entry_hash(
    prev_hash: str, at: datetime, actor: str, action: str, entity: str, key: str, details: str
) -> str:
    material = "\x1f".join([prev_hash, iso(at) or "", actor, action, entity, key, details])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _last_hash(session: Session) -> str:
    return integrity.head(session).hash


def chained(
    prev_hash: str,
    moment: datetime,
    actor: str,
    action: str,
    entity: str,
    key: str,
    details: dict[str, Any] | None,
) -> dict[str, Any]:
    """The column values of the row that follows ``prev_hash`` in the chain."""
    body = canonical(details or {})
    return {
        "at": moment,
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_key": key,
        "details": body,
        "prev_hash": prev_hash,
        "hash": entry_hash(prev_hash, moment, actor, action, entity, key, body),
    }


def _row(
    prev_hash: str,
    moment: datetime,
    actor: str,
    action: str,
    entity: str,
    key: str,
    details: dict[str, Any] | None,
) -> AuditEntry:
    return AuditEntry(**chained(prev_hash, moment, actor, action, entity, key, details))


def append(
    session: Session,
    actor: str,
    action: str,
    entity: str = "",
    key: str = "",
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
    subject: Any = None,
) -> AuditEntry:
    """Append one row. A row about a dossier or an account records the state the change
    left it in (``counter.integrity``): append it last, after every row of the change.
    ``subject`` is that dossier or account when the caller holds it (saves a query)."""
    details = _with_state(session, entity, key, details, subject)
    row = _row(_last_hash(session), at or now(), actor, action, entity, key, details)
    session.add(row)
    session.flush()
    return row


def _with_state(
    session: Session, entity: str, key: str, details: dict[str, Any] | None, subject: Any
) -> dict[str, Any] | None:
    state = integrity.state_of(session, entity, key, subject)
    if state is None:
        return details
    return {**(details or {}), "state": state}


@dataclass(frozen=True)
class AuditProblem:
    entry_id: int
    message_vi: str
    message_en: str


def verify(session: Session, batch: int = 5000) -> tuple[int, AuditProblem | None]:
    """Walk the whole chain; the number of rows checked and the first problem, if any."""
    expected_prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch)
        ).all()
        if not rows:
            return checked, None
        for row in rows:
            if row.prev_hash != expected_prev:
                return checked, AuditProblem(
                    row.id,
                    f"Nhật ký kiểm tra bị đứt tại dòng {row.id}: "
                    "liên kết tới dòng trước không khớp",
                    f"The audit trail is broken at row {row.id}: its link to the previous row "
                    "does not match",
                )
            recomputed = entry_hash(
                row.prev_hash,
                row.at,
                row.actor,
                row.action,
                row.entity,
                row.entity_key,
                row.details,
            )
            if recomputed != row.hash:
                return checked, AuditProblem(
                    row.id,
                    f"Nhật ký kiểm tra bị sửa tại dòng {row.id}: mã băm không khớp nội dung",
                    f"The audit trail was altered at row {row.id}: its hash does not match",
                )
            expected_prev = row.hash
            checked += 1
            last_id = row.id
