"""The change feed: an agency's status, due and hand-over changes after a cursor, oldest
first.

Asked with ``omit_known``, a page leaves out what the calling counter knows already: the
changes of each dossier whose every change since the cursor (in this page or after it) is
that counter's own status or due push, unless the dossier's last change before the cursor is
another's (which an earlier page may have sent). A counter that pushed 10,000 dossiers then
reads none of them back. Whatever the portal or another counter said of a dossier is sent,
with the counter's own changes around it, as without the option: the portal's "processing"
then the counter's own "withdrawn" after it, so the counter's history holds the one and its
later word settles it. Where a page ends may make a page send an echo that a longer one
would have left out, never the other way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from portal.agencies import CounterIdentity
from portal.bulk import among_ids
from portal.errors import PortalError
from portal.handovers import handovers_by_change
from portal.models import Change
from protocol import (
    KIND_DUE,
    KIND_HANDOVER,
    KIND_STATUS,
    SOURCE_COUNTER,
    STATUS_CODES,
    ChangeDict,
    ChangesResponseDict,
    format_datetime,
)

#: The changes as a table: a page is read with a plain statement (the column types apply).
_CHANGES = cast(Table, Change.__table__)
#: Pages of changes the caller knows already passed over in one answer at most.
SCAN_PAGES = 20
#: What deciding whether a counter knows a dossier's changes reads of each.
_STRETCH = (
    _CHANGES.c.dossier_id,
    _CHANGES.c.kind,
    _CHANGES.c.source,
    _CHANGES.c.counter_id,
)


def changes_since(
    session: Session,
    who: CounterIdentity,
    since: int,
    limit: int,
    exclude_own: bool,
    omit_known: bool = False,
) -> ChangesResponseDict:
    """The agency's changes after ``since``, oldest first, at most ``limit`` of them;
    ``omit_known``: less what the caller knows already (see the module's docstring)."""
    if since > 0:
        newest = session.scalar(select(func.max(Change.id))) or 0
        if since > newest:
            raise PortalError(
                "cursor_ahead",
                f"Con trỏ {since} lớn hơn mọi thay đổi trên cổng (cổng đã được cài lại?). "
                "Hãy đồng bộ lại từ 0.",
                f"Cursor {since} is past every change on this portal (was it reset?). "
                "Start again from 0.",
                http_status=409,
            )
    c = _CHANGES.c
    query = select(
        c.id,
        c.kind,
        c.code,
        c.status,
        c.due_at,
        c.at,
        c.by,
        c.note,
        c.source,
        c.counter_id,
        c.counter_no,
        c.entry_key,
        c.dossier_id,
    ).where(c.agency_id == who.agency_id, c.id > since)
    if omit_known:
        shown, next_cursor, has_more = _unknown(session, who, since, limit)
        postgres = session.get_bind().dialect.name == "postgresql"
        query = query.where(among_ids(c.id, shown, postgres)).order_by(c.id)
        rows = session.execute(query).all() if shown else []
    else:
        rows = session.execute(query.order_by(c.id).limit(limit + 1)).all()
        has_more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = rows[-1].id if rows else since
    handovers = handovers_by_change(session, [row.id for row in rows if row.kind == KIND_HANDOVER])
    # A page's moments repeat (the due moments above all): each written once.
    written: dict[datetime, str] = {}

    def moment(value: datetime) -> str:
        text = written.get(value)
        if text is None:
            text = written[value] = format_datetime(value)
        return text

    # The caller's own changes are skipped here rather than in SQL, so that the cursor still
    # moves past them: a page may then hold fewer than `limit` changes.
    skipped = who.counter_id if exclude_own else None
    changes: list[ChangeDict] = [
        {
            "cursor": id_,
            "kind": kind,
            "code": code,
            "status": status,
            "status_code": STATUS_CODES[status],
            "due_at": moment(due_at),
            "at": moment(at),
            "by": by,
            "note": note,
            "source": source,
            "counter_no": counter_no,
            "entry_key": entry_key,
        }
        for (
            id_,
            kind,
            code,
            status,
            due_at,
            at,
            by,
            note,
            source,
            counter_id,
            counter_no,
            entry_key,
            dossier_id,
        ) in rows
        if skipped is None or counter_id != skipped
    ]
    for change in changes:
        if change["kind"] == KIND_HANDOVER:
            change["handover"] = handovers.get(change["cursor"])
    return {
        "changes": changes,
        "next_cursor": next_cursor,
        "has_more": has_more,
    }


def _unknown(
    session: Session, who: CounterIdentity, since: int, limit: int
) -> tuple[list[int], int, bool]:
    """The ids of the changes after ``since`` the caller does not know already, at most
    ``limit`` of them, the cursor after them and whether more follow.

    The changes after the cursor are judged ``limit`` at a time, each such page as if the
    caller had asked for it (``_judged``), until ``limit`` are to be sent or ``SCAN_PAGES``
    pages were judged: what the caller knows is passed over in one answer (a counter's own
    10,000 pushes come back as one empty page). They are read from a few columns, a page
    first, then more at a time (``_window``); what a page's judgement needs from beyond them
    (each dossier's changes after the last read, its last change up to ``since``) is read
    once for all the pages, not page by page."""
    window, more = _window(session, who, since, limit)
    if not window:
        return [], since, False
    c = _CHANGES.c
    agency = c.agency_id == who.agency_id
    postgres = session.get_bind().dialect.name == "postgresql"
    dossiers = sorted({row[1] for row in window})
    in_window = among_ids(c.dossier_id, dossiers, postgres)
    later: dict[int, list[Any]] = {}
    if more:  # the same dossiers' changes after the window
        after = select(c.id, *_STRETCH).where(agency, c.id > window[-1][0], in_window)
        for row in session.execute(after.order_by(c.id)):
            later.setdefault(row[1], []).append(row)
    before: dict[int, Any] = {}
    if since > 0:  # each dossier's last change up to the cursor
        earlier = select(c.id, *_STRETCH).where(agency, c.id <= since, in_window)
        for row in session.execute(earlier.order_by(c.id)):
            before[row[1]] = row
    known = _judged(who, window, limit, later, before)
    shown: list[int] = []
    for at, row in enumerate(window):
        if known[at]:
            continue
        if len(shown) == limit:  # the page is full: the rest from here next time
            return shown, shown[-1], True
        shown.append(row[0])
    return shown, window[-1][0], more


def _window(
    session: Session, who: CounterIdentity, since: int, limit: int
) -> tuple[list[Any], bool]:
    """The changes after ``since`` (id and ``_STRETCH``), oldest first, as many pages of
    ``limit`` as judging needs, and whether more follow. Read until the feed ends,
    ``SCAN_PAGES`` pages are in, or more than ``limit`` of them are sure to be sent, whatever
    follows (a dossier's change that is not the caller's own status or due push sends it,
    with its changes in that page and those before): the answer then ends in the window, as
    a reading page by page would have ended it. A page first (the common answer), then twice
    as many pages each time."""
    c = _CHANGES.c
    light = select(c.id, *_STRETCH).where(c.agency_id == who.agency_id).order_by(c.id)
    me = who.counter_id
    window: list[Any] = []
    unsent: dict[int, int] = {}  # per dossier, its changes read not yet sure to be sent
    sent = 0  # the changes read that are sure to be sent
    pages, cursor = 1, since
    while True:
        wanted = min(pages, SCAN_PAGES - len(window) // limit) * limit
        rows = list(session.execute(light.where(c.id > cursor).limit(wanted + 1)))
        more = len(rows) > wanted
        del rows[wanted:]
        for row in rows:
            dossier = row[1]
            if _echo(row, me):
                unsent[dossier] = unsent.get(dossier, 0) + 1
            else:
                sent += unsent.pop(dossier, 0) + 1
        window += rows
        if not more or sent > limit or len(window) >= SCAN_PAGES * limit:
            return window, more
        cursor, pages = window[-1][0], pages * 2


#: The kinds of change a counter's own push of which it knows already.
_ECHOED = frozenset((KIND_STATUS, KIND_DUE))


def _own(row: Any, me: int) -> bool:
    """Whether a change (id then ``_STRETCH``) is counter ``me``'s own push."""
    return bool(row[3] == SOURCE_COUNTER and row[4] == me)


def _echo(row: Any, me: int) -> bool:
    """Whether a change (id then ``_STRETCH``) is counter ``me``'s own status or due push:
    what it knows already."""
    return _own(row, me) and row[2] in _ECHOED


def _judged(
    who: CounterIdentity,
    window: Sequence[Any],
    limit: int,
    later: dict[int, list[Any]],
    before: dict[int, Any],
) -> list[bool]:
    """For each change of ``window`` (pages of ``limit``, oldest first), whether the caller
    knows it already, its page judged alone: a dossier's changes in a page are known when
    each of its changes from that page on (``later``: those after the window) is the
    caller's own status or due push, and its last change before the page (``before``: up to
    the window's start), if any, is the caller's own too (one of the portal's there may have
    been sent in an earlier page: the caller's own word after it is then sent, to settle
    it). Each row: id then ``_STRETCH``."""
    me = who.counter_id
    # each dossier's places in the window, oldest first
    places: dict[int, list[int]] = {}
    for at, row in enumerate(window):
        places.setdefault(row[1], []).append(at)
    known = [False] * len(window)
    for dossier, where in places.items():
        # whether every change from the place on, those after the window too, is an echo
        echoes = all(_echo(row, me) for row in later.get(dossier, ()))
        from_here = [False] * len(where)
        for i in range(len(where) - 1, -1, -1):
            echoes = echoes and _echo(window[where[i]], me)
            from_here[i] = echoes
        page = -1
        verdict = False
        for i, at in enumerate(where):
            if at // limit != page:  # the dossier's first change in a page: judge the page
                page = at // limit
                last = window[where[i - 1]] if i else before.get(dossier)
                verdict = from_here[i] and (last is None or _own(last, me))
            known[at] = verdict
    return known
