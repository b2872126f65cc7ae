"""The audit trail: append-only, each row's hash covering the previous row's hash and its own
content (the previous row's is not stored again in the row: the row before holds it).

A row is stored in ``audit_rows`` with what it can name by reference so named: its kind
(action and entity) by its number among the common kinds (``counter.storage.AUDIT_KINDS``),
the dossier it is about by its id, and a receipt's or a status change's details as their
values when the view writes their text back exactly (``compact``). It is read, and hashed,
in full, through the view ``audit_log`` (``AuditEntry``).

Rows are appended inside the unit of work of the change they record, so a change and its
audit row are committed together or not at all. Writers hold SQLite's write lock from the
start of their transaction (BEGIN IMMEDIATE), so the chain cannot fork.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from counter import clock, integrity
from counter.clock import iso, now
from counter.models import AuditEntry, AuditRow, Dossier
from counter.storage import AUDIT_KIND_NUMBERS, AUDIT_STATUSES

#: The trail as read, in full (``verify`` reads it as plain rows), and as stored.
_AUDIT = cast(Table, AuditEntry.__table__)
ROWS = cast(Table, AuditRow.__table__)

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


def split_state(details: dict[str, Any]) -> tuple[dict[str, Any], bytes | None]:
    """A row's details as stored: without the state it records, which is kept beside them as
    its 32 bytes (a digest's 64 hex digits; anything else stays in the details as it is)."""
    state = details.get("state")
    if type(state) is not str or len(state) != 64:
        return details, None
    try:
        digest = bytes.fromhex(state)
    except ValueError:
        return details, None
    if digest.hex() != state:  # as ``hashed_details`` writes it back: lower case
        return details, None
    rest = dict(details)
    del rest["state"]
    return rest, digest


def hashed_details(details: str, state: bytes | None) -> str:
    """The details' canonical text a row's hash covers, from the row as stored (``chained``):
    the stored text with its state put back, or the text alone for a row with no state."""
    if state is None:
        return details
    return canonical({**json.loads(details), "state": state.hex()})


def chained(
    prev_hash: str,
    moment: datetime,
    actor: str,
    action: str,
    entity: str,
    key: str,
    details: dict[str, Any] | None,
    dossier: Any = None,
) -> dict[str, Any]:
    """The column values (``audit_rows``) of the row that follows ``prev_hash`` in the chain:
    its kind by number when it is one of ``AUDIT_KINDS`` (else its action and entity as
    text); its key by ``dossier``'s id when ``key`` is that dossier's code (``dossier``: the
    row's dossier, anything with its ``id`` and ``code``; else the key kept as text); the
    state the details record kept apart as its bytes (``split_state``); and the row's
    ``hash`` as its 32 bytes (``link`` gives the next row's ``prev_hash``). The hash covers
    the row in full, the details' canonical text with their state, as it always did."""
    whole = details or {}
    body = canonical(whole)
    stored, state = split_state(whole)
    kind = AUDIT_KIND_NUMBERS.get((action, entity))
    dossier_id = dossier.id if dossier is not None and dossier.code == key else None
    text = body if state is None else _without_state(body, stored, state)
    values = compact(kind, stored, text)
    a, b, kept = (None, None, None) if values is None else values
    return {
        "at": moment,
        "actor": actor,
        "kind": kind,
        "action": action if kind is None else None,
        "entity": entity if kind is None else None,
        "dossier_id": dossier_id,
        "entity_key": key if dossier_id is None else None,
        "details": text if values is None else "",
        "detail_a": a,
        "detail_b": b,
        "detail_text": kept,
        "state": state,
        "hash": bytes.fromhex(entry_hash(prev_hash, moment, actor, action, entity, key, body)),
    }


_RECEIVE = AUDIT_KIND_NUMBERS["dossier.receive", "dossier"]
_STATUS = AUDIT_KIND_NUMBERS["dossier.status", "dossier"]
_STATUS_NUMBERS = {word: number for number, word in enumerate(AUDIT_STATUSES)}


def compact(kind: int | None, stored: dict[str, Any], text: str) -> tuple[int, int, str] | None:
    """The values a row of a receipt or a status change keeps instead of its details' text
    ``text`` (``stored``, as a dict) when the view ``audit_log`` writes exactly that text back
    from them (migration 0023, ``details_of``, which this writes the same): a receipt's due
    moment (seconds), demo flag (1 or 0) and procedure; a status change's statuses before and
    after (by their numbers in ``AUDIT_STATUSES``) and note. None: the text is kept."""
    if kind == _STATUS:
        before, note, after = stored.get("from"), stored.get("note"), stored.get("to")
        if len(stored) != 3 or type(note) is not str:
            return None
        a, b = _STATUS_NUMBERS.get(before), _STATUS_NUMBERS.get(after)  # type: ignore[arg-type]
        if a is None or b is None:
            return None
        again = f'{{"from":"{before}","note":"{note}","to":"{after}"}}'
        return (a, b, note) if again == text else None
    if kind == _RECEIVE:
        demo, due, procedure = stored.get("demo"), stored.get("due_at"), stored.get("procedure")
        if len(stored) != 3 or type(demo) is not bool or type(procedure) is not str:
            return None
        try:
            moment = datetime.fromisoformat(due)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None
        if not 1970 < moment.year < 9999:
            return None
        # as the counter stores a moment, and as the view writes it back (in +07:00)
        seconds = clock.stored(moment)
        written = iso(clock.from_stored(seconds))
        flag = "true" if demo else "false"
        again = f'{{"demo":{flag},"due_at":"{written}","procedure":"{procedure}"}}'
        return (seconds, int(demo), procedure) if again == text else None
    return None


def _without_state(body: str, stored: dict[str, Any], state: bytes) -> str:
    """``canonical(stored)``, from the whole details' canonical text ``body`` with the state's
    member taken out rather than written again. The member's text can only stand in ``body``
    as a member (a quote inside a string is escaped); if it stands there more than once (the
    same digest in a nested object), the text is written again."""
    member = f'"state":"{state.hex()}"'
    if body.count(member) != 1:
        return canonical(stored)
    start = body.index(member)
    end = start + len(member)
    if body[start - 1] == ",":  # a member before it
        return body[: start - 1] + body[end:]
    if body[end] == ",":  # the first member, with others after it
        return body[:start] + body[end + 1 :]
    return body[:start] + body[end:]  # the only member


def link(row: dict[str, Any]) -> str:
    """The hash (hex) of a row ``chained`` made: the ``prev_hash`` of the row after it."""
    digest: bytes = row["hash"]
    return digest.hex()


def append(
    session: Session,
    actor: str,
    action: str,
    entity: str = "",
    key: str = "",
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
    subject: Any = None,
) -> None:
    """Append one row. A row about a dossier or an account records the state the change
    left it in (``counter.integrity``): append it last, after every row of the change.
    ``subject`` is that dossier or account when the caller holds it (saves a query)."""
    subject = integrity.subject_of(session, entity, key, subject)
    state = integrity.state_of(session, subject)
    if state is not None:
        details = {**(details or {}), "state": state}
    dossier = subject if isinstance(subject, Dossier) else None
    row = chained(_last_hash(session), at or now(), actor, action, entity, key, details, dossier)
    session.execute(insert(ROWS), row)


@dataclass(frozen=True)
class AuditProblem:
    entry_id: int
    message_vi: str
    message_en: str


def verify(session: Session, batch: int = 20000) -> tuple[int, AuditProblem | None]:
    """Walk the whole chain; the number of rows checked and the first problem, if any. Read
    as plain rows, a batch at a time (not as mapped objects: a counter's trail has millions)."""
    expected_prev = GENESIS
    checked = 0
    last_id = 0
    c = _AUDIT.c
    query = select(
        c.id, c.at, c.actor, c.action, c.entity, c.entity_key, c.details, c.state, c.hash
    ).order_by(c.id)
    while True:
        rows = session.execute(query.where(c.id > last_id).limit(batch)).all()
        if not rows:
            return checked, None
        for row_id, at, actor, action, entity, key, details, state, digest in rows:
            try:
                material = hashed_details(details, state)
                recomputed = entry_hash(expected_prev, at, actor, action, entity, key, material)
                follows = bytes.fromhex(recomputed) == digest
            except (ValueError, TypeError, AttributeError):  # a value put there by hand
                follows = False
            if not follows and key is None:
                # a row's dossier, named by its id, is no longer there to give its code
                return checked, AuditProblem(
                    row_id,
                    f"Nhật ký kiểm tra, dòng {row_id}: hồ sơ của dòng này không còn trong cơ sở "
                    "dữ liệu",
                    f"The audit trail, row {row_id}: the dossier it is about is no longer in "
                    "the database",
                )
            if not follows:
                # a row edited, or one before it edited, removed or put in: its hash no longer
                # follows from the rows before it and its own content
                return checked, AuditProblem(
                    row_id,
                    f"Nhật ký kiểm tra bị sửa tại dòng {row_id}: mã băm không khớp nội dung "
                    "của dòng này và các dòng trước",
                    f"The audit trail was altered at row {row_id}: its hash does not match its "
                    "content and the rows before it",
                )
            expected_prev = recomputed
            checked += 1
            last_id = row_id
