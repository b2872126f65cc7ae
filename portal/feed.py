"""The change feed: an agency's status, due and hand-over changes after a cursor, oldest
first."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from portal.agencies import CounterIdentity
from portal.errors import PortalError
from portal.handovers import handovers_by_change
from portal.models import Change
from protocol import KIND_HANDOVER, STATUS_CODES, ChangeDict, ChangesResponseDict, format_datetime

#: The changes as a table: a page is read with a plain statement (the column types apply).
_CHANGES = cast(Table, Change.__table__)


def changes_since(
    session: Session, who: CounterIdentity, since: int, limit: int, exclude_own: bool
) -> ChangesResponseDict:
    """The agency's changes after ``since``, oldest first, at most ``limit`` of them."""
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
    ).where(c.agency_id == who.agency_id, c.id > since)
    rows = session.execute(query.order_by(c.id).limit(limit + 1)).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
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
        ) in rows
        if skipped is None or counter_id != skipped
    ]
    for change in changes:
        if change["kind"] == KIND_HANDOVER:
            change["handover"] = handovers.get(change["cursor"])
    return {
        "changes": changes,
        "next_cursor": rows[-1].id if rows else since,
        "has_more": has_more,
    }
