"""The change feed: an agency's status, due and hand-over changes after a cursor, oldest
first."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.agencies import CounterIdentity
from portal.errors import PortalError
from portal.handovers import handovers_by_change
from portal.models import Change
from protocol import KIND_HANDOVER, STATUS_CODES, ChangeDict, ChangesResponseDict, format_datetime


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
    query = select(
        Change.id,
        Change.kind,
        Change.code,
        Change.status,
        Change.due_at,
        Change.at,
        Change.by,
        Change.note,
        Change.source,
        Change.counter_id,
        Change.counter_no,
        Change.entry_key,
    ).where(Change.agency_id == who.agency_id, Change.id > since)
    rows = session.execute(query.order_by(Change.id).limit(limit + 1)).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    handovers = handovers_by_change(session, [row.id for row in rows if row.kind == KIND_HANDOVER])
    # The caller's own changes are skipped here rather than in SQL, so that the cursor still
    # moves past them: a page may then hold fewer than `limit` changes.
    changes: list[ChangeDict] = [
        {
            "cursor": row.id,
            "kind": row.kind,
            "code": row.code,
            "status": row.status,
            "status_code": STATUS_CODES[row.status],
            "due_at": format_datetime(row.due_at),
            "at": format_datetime(row.at),
            "by": row.by,
            "note": row.note,
            "source": row.source,
            "counter_no": row.counter_no,
            "entry_key": row.entry_key,
        }
        for row in rows
        if not (exclude_own and row.counter_id == who.counter_id)
    ]
    for change in changes:
        if change["kind"] == KIND_HANDOVER:
            change["handover"] = handovers.get(change["cursor"])
    return {
        "changes": changes,
        "next_cursor": rows[-1].id if rows else since,
        "has_more": has_more,
    }
