"""The portal's change feed applied to the counter's rows (``SyncStore.apply_remote_statuses``,
docs/sync.md): a whole page of statuses, due moments and hand-overs in a few statements.

The dossiers the page names are read once (the columns the rules look at); each change is
decided in Python with ``counter.changes``' rules, the same a clerk's change takes; then one
statement per table writes every dossier's new values, history line and hand-over, and the
audit lines are chained in order, each with the digest of its dossier as left
(``counter.integrity``). All in the caller's unit of work, with the cursor. Values go through
the tables' column types, never as text made here.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert, Update

from counter import audit, integrity
from counter.bulksql import among, read_objects, write_many
from counter.changes import AuditLine, due_change, status_change
from counter.clock import now
from counter.digests import LOT, dossier_digests
from counter.handovers import RemoteHandover, add_handovers
from counter.models import Dossier, DossierHistory, OutboxEntry
from counter.repository import chunks
from counter.statuses import PORTAL, PORTAL_OWNED, Status


@dataclass(frozen=True)
class RemoteDue:
    """A due moment the portal's change feed reports as moved, with who moved it and why."""

    due_at: datetime
    at: datetime
    by: str = PORTAL
    reason: str = ""


@dataclass(frozen=True)
class RemoteStatus:
    """A status change reported by the portal's change feed.

    ``own``: the change is this counter's own entry coming back (the portal's state is then
    what the counter said). ``due``: the due moment moved as well.
    """

    code: str
    status: Status
    at: datetime
    note: str = ""
    by: str = PORTAL
    portal_code: str = ""
    own: bool = False
    due: RemoteDue | None = None


#: The tables the pull writes with plain statements (the column types apply all the same).
_DOSSIERS = cast(Table, Dossier.__table__)
_HISTORY = cast(Table, DossierHistory.__table__)
_OUTBOX = cast(Table, OutboxEntry.__table__)
#: The columns of a dossier the portal's word is weighed against (``counter.changes``' rules
#: read these): read for every dossier a page of the feed names.
_HELD_COLUMNS = (
    "id",
    "code",
    "portal_code",
    "status",
    "status_changed_at",
    "due_at",
    "returned_at",
    "closed_at",
)


def _many(
    s: Session, shape: Hashable, statement: Insert | Update, rows: Sequence[Mapping[str, Any]]
) -> None:
    """``statement`` run for all ``rows`` (each with the same keys) by the driver's
    executemany, over the unit of work's connection (``counter.bulksql``); its compilation
    kept under the name ``shape`` for the next lot."""
    write_many(s.connection(), statement, rows, ("counter.remote", shape))


def _take(
    d: SimpleNamespace,
    step: tuple[dict[str, Any], dict[str, Any], AuditLine],
    moved: dict[int, dict[str, Any]],
    history: list[dict[str, Any]],
    trail: list[AuditLine],
) -> None:
    """One change decided by ``counter.changes``: the dossier as read takes its new values
    (the next change's rules see them), to be written with its history and audit lines."""
    values, line_of_history, line = step
    vars(d).update(values)
    moved.setdefault(d.id, {}).update(values)
    history.append(line_of_history)
    trail.append(line)


def _held_dossiers(s: Session, codes: Sequence[str]) -> dict[str, SimpleNamespace]:
    """The dossiers among ``codes`` (their ``_HELD_COLUMNS``), each under its own code and
    its portal code: one read a chunk of codes."""
    table = _DOSSIERS
    columns = [table.c[name] for name in _HELD_COLUMNS]
    found: dict[str, SimpleNamespace] = {}
    conn = s.connection()
    for part in chunks(sorted(set(codes)), LOT):
        query = select(*columns).where(among(table.c.code, part) | among(table.c.portal_code, part))
        for d in read_objects(conn, query):
            found[d.code] = d
            if d.portal_code:
                found[d.portal_code] = d
    return found


def _append_trail(
    s: Session, trail: Sequence[AuditLine], held: Mapping[str, SimpleNamespace]
) -> None:
    """The portal's audit lines about dossiers, chained in order, each with the state its
    dossier is left in (the same for all lines of one dossier: the changes are all made):
    one statement."""
    if not trail:
        return
    states = dossier_digests(s, [held[code].id for _, code, _ in trail])
    prev = integrity.head(s).hash
    moment = now()
    rows: list[dict[str, Any]] = []
    for action, code, given in trail:
        details = {**given, "state": states[code]} if code in states else given
        row = audit.chained(prev, moment, PORTAL, action, "dossier", code, details, held[code])
        rows.append(row)
        prev = audit.link(row)
    _many(s, "audit", insert(audit.ROWS), rows)


def apply_remote(
    s: Session,
    changes: Sequence[RemoteStatus],
    handovers: Sequence[RemoteHandover],
    moment: datetime,
) -> int:
    """The rules of ``SyncStore.apply_remote_statuses``, in the caller's unit of work (which
    stores the cursor): how many dossiers changed. ``moment``: when they are written."""
    held = _held_dossiers(s, [ch.code for ch in changes] + [h.code for h in handovers])
    # The dossiers some change would move: only theirs are asked for pending entries.
    maybe = {
        d.id
        for ch in changes
        if (d := held.get(ch.code)) is not None
        and (d.status != ch.status.value or (ch.due is not None and ch.due.due_at != d.due_at))
    }
    pending = _with_pending(s, sorted(maybe))
    confirmed: set[int] = set()
    portal_codes: dict[int, str] = {}
    moved: dict[int, dict[str, Any]] = {}  # dossier id -> its columns that change
    history: list[dict[str, Any]] = []
    trail: list[AuditLine] = []
    applied = 0
    for ch in changes:
        d = held.get(ch.code)
        if d is None:
            continue
        if ch.portal_code and not d.portal_code and ch.portal_code != d.code:
            d.portal_code = portal_codes[d.id] = ch.portal_code
        confirmed.add(d.id)
        current = Status(d.status)
        moved_due = ch.due is not None and ch.due.due_at != d.due_at
        if current == ch.status and not moved_due:
            continue
        if (ch.own or moved_due) and d.id in pending:
            if ch.own:
                continue  # a later word of this counter is on its way; its echo settles it
            moved_due = False
        changed = False
        # For a status the counter owns, the counter's own later word stands.
        wins = ch.own or ch.status in PORTAL_OWNED or ch.at > d.status_changed_at
        if current != ch.status and wins:
            by = ch.by or PORTAL
            step = status_change(d, ch.status, ch.at, by, ch.note, "portal", moment)
            _take(d, step, moved, history, trail)
            changed = True
        if moved_due and ch.due is not None:
            due = ch.due
            by = due.by or PORTAL
            step = due_change(d, due.due_at, due.reason, due.at, by, "portal", moment)
            _take(d, step, moved, history, trail)  # after the status: its line says it
            changed = True
        if changed:
            applied += 1
    table = _DOSSIERS
    # Every dossier named is confirmed; those that change are with their new values.
    for part in chunks(sorted(confirmed - moved.keys()), LOT):
        s.execute(update(table).where(among(table.c.id, part)).values(portal_confirmed_at=moment))
    by_id = table.c.id == bindparam("dossier_id")
    if portal_codes:
        _many(
            s,
            "portal_code",
            update(table).where(by_id).values(portal_code=bindparam("portal_code")),
            [{"dossier_id": i, "portal_code": c} for i, c in portal_codes.items()],
        )
    # One statement for the dossiers whose same columns change (a status, a due moment,
    # both: a handful of kinds), each with the values its rules gave.
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for dossier_id, values in moved.items():
        values["portal_confirmed_at"] = moment
        by_columns.setdefault(tuple(sorted(values)), []).append(
            {"dossier_id": dossier_id, **values}
        )
    for columns, rows in by_columns.items():
        statement = update(table).where(by_id).values({c: bindparam(c) for c in columns})
        _many(s, ("moved", columns), statement, rows)
    if history:
        _many(s, "history", insert(_HISTORY), history)
    applied += add_handovers(s, held, handovers, trail)
    _append_trail(s, trail, held)
    return applied


def _with_pending(s: Session, dossier_ids: Sequence[int]) -> set[int]:
    """Those of the dossiers that have an entry still waiting to be sent."""
    pending: set[int] = set()
    for part in chunks(sorted(set(dossier_ids)), LOT):
        pending.update(
            s.scalars(
                select(_OUTBOX.c.dossier_id)
                .where(among(_OUTBOX.c.dossier_id, part), _OUTBOX.c.state == "pending")
                .distinct()
            )
        )
    return pending
