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
    ``limit`` of them, the cursor after them and whether more follow. Read ``limit`` at a
    time, from a few columns, each such page judged as if the caller had asked for it
    (``_known``), until ``limit`` are to be sent or ``SCAN_PAGES`` pages were read: what the
    caller knows is passed over in one answer (a counter's own 10,000 pushes come back as
    one empty page)."""
    c = _CHANGES.c
    light = select(c.id, *_STRETCH).where(c.agency_id == who.agency_id).order_by(c.id)
    shown: list[int] = []
    cursor, has_more = since, True
    for _ in range(SCAN_PAGES):
        page = session.execute(light.where(c.id > cursor).limit(limit + 1)).all()
        has_more = len(page) > limit
        page = page[:limit]
        if not page:
            break
        known = _known(session, who, cursor, page, has_more)
        for row in page:
            if row.dossier_id in known:
                continue
            if len(shown) == limit:  # the page is full: the rest from here next time
                return shown, shown[-1], True
            shown.append(row.id)
        cursor = page[-1].id
        if not has_more:
            break
    return shown, cursor, has_more


def _known(
    session: Session, who: CounterIdentity, since: int, page: Sequence[Any], has_more: bool
) -> set[int]:
    """The dossiers of a page whose changes in it the caller knows already: each of its
    changes since the cursor (those after the page read too, when there are any) is the
    caller's own status or due change, and its last change up to the cursor, if any, is the
    caller's own too (one of the portal's there may have been sent in an earlier page: the
    caller's own word after it is then sent, to settle it). ``page``: the page's changes,
    each with ``_STRETCH``."""
    c = _CHANGES.c
    stretch: dict[int, list[Any]] = {}
    for row in page:
        stretch.setdefault(row.dossier_id, []).append(row)
    agency = c.agency_id == who.agency_id
    postgres = session.get_bind().dialect.name == "postgresql"
    # the page's dossiers as one parameter: each looked up by its index on either database
    in_page = among_ids(c.dossier_id, sorted(stretch), postgres)
    if has_more:  # the same dossiers' changes after the page
        after = select(*_STRETCH).where(agency, c.id > page[-1].id, in_page).order_by(c.id)
        for later in session.execute(after):
            stretch[later.dossier_id].append(later)
    before: dict[int, Any] = {}
    if since > 0:  # each dossier's last change up to the cursor
        earlier = select(*_STRETCH).where(agency, c.id <= since, in_page).order_by(c.id)
        for change in session.execute(earlier):
            before[change.dossier_id] = change

    def own(change: Any) -> bool:
        return change.source == SOURCE_COUNTER and change.counter_id == who.counter_id

    known = set()
    for dossier_id, changes in stretch.items():
        if dossier_id in before and not own(before[dossier_id]):
            continue
        if all(own(change) and change.kind in (KIND_STATUS, KIND_DUE) for change in changes):
            known.add(dossier_id)
    return known
