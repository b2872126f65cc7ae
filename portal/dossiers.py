"""Dossiers as the portal holds them: what a processing department does, and reading them.

A department's move (``set_status``, ``set_due``) is recorded as a change with source
``portal``; counters learn it from the change feed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.agencies import get_agency
from portal.dashboard.rollup import Deltas, closed_moment, dossier_key
from portal.errors import PortalError, invalid, not_found
from portal.files_table import DossierFile
from portal.models import Agency, Change, Dossier, Handover
from protocol import (
    CLOSED_STATUSES,
    KIND_DUE,
    KIND_STATUS,
    PORTAL,
    R_DOSSIER_CLOSED,
    SOURCE_PORTAL,
    STATUS_CODES,
    STATUS_LABELS_EN,
    STATUS_LABELS_VI,
    HandoverDict,
    format_datetime,
    is_dossier_code,
    printable,
    refusal,
)


def get_dossier(session: Session, code: str, agency_id: int | None = None) -> Dossier:
    """The dossier; with ``agency_id``, only that agency's: another agency's dossier is not
    found, exactly like one that does not exist, so its code is not revealed."""
    query = select(Dossier).where(Dossier.code == code)
    if agency_id is not None:
        query = query.where(Dossier.agency_id == agency_id)
    dossier = session.scalar(query) if is_dossier_code(code) else None
    if dossier is None:
        raise not_found(f"hồ sơ {printable(code, 80)}", f"Dossier {printable(code, 80)}")
    return dossier


def portal_change(
    session: Session,
    dossier: Dossier,
    kind: str,
    by: str,
    note: str,
    now: datetime,
    at: datetime | None = None,
) -> Change:
    """A change the portal made (a status, a due moment, a hand-over) in the feed counters
    pull, written and given its id; ``at``: when it happened, if not when it is recorded."""
    change = Change(
        agency_id=dossier.agency_id,
        dossier_id=dossier.id,
        code=dossier.code,
        kind=kind,
        status=dossier.status,
        due_at=dossier.due_at,
        at=at or now,
        by=by,
        note=note,
        source=SOURCE_PORTAL,
        counter_id=None,
        counter_no=None,
        entry_key=None,
        recorded_at=now,
    )
    session.add(change)
    session.flush()
    return change


def set_status(
    session: Session,
    code: str,
    status: str,
    now: datetime,
    *,
    note: str = "",
    by: str = "portal",
    force: bool = False,
) -> Change:
    """Move a dossier as a processing department would; counters learn it on their next pull."""
    if status not in STATUS_CODES:
        raise invalid(
            f"Không có trạng thái '{printable(status, 40)}'. "
            f"Các trạng thái: {', '.join(STATUS_CODES)}.",
            f"No status '{printable(status, 40)}'. Statuses: {', '.join(STATUS_CODES)}.",
        )
    dossier = get_dossier(session, code)
    why = refusal(dossier.status, status, PORTAL)
    if why is not None and (not force or dossier.status == status):
        raise PortalError(
            "transition_not_allowed",
            f"Hồ sơ {code}: {why[0]}.",
            f"Dossier {code}: {why[1]}.",
            http_status=409,
        )
    counts = Deltas()
    before = dossier_key(dossier)
    dossier.closed_at = closed_moment(dossier.status, status, dossier.closed_at, now)
    dossier.status = status
    dossier.updated_at = now
    counts.move(before, dossier_key(dossier))
    counts.write(session)
    return portal_change(session, dossier, KIND_STATUS, by, note, now)


def set_due(
    session: Session, code: str, due_at: datetime, reason: str, now: datetime, *, by: str = "portal"
) -> Change:
    """A new due moment decided on the portal side (with the apology's reason)."""
    dossier = get_dossier(session, code)
    if dossier.status in CLOSED_STATUSES:
        raise PortalError(
            R_DOSSIER_CLOSED,
            f"Hồ sơ {code} đã ở trạng thái '{STATUS_LABELS_VI[dossier.status]}', "
            "không đổi được ngày hẹn trả.",
            f"Dossier {code} is '{STATUS_LABELS_EN[dossier.status]}'; its due moment is final.",
            http_status=409,
        )
    if due_at < dossier.received_at:
        raise invalid(
            "Ngày hẹn trả mới không được trước ngày tiếp nhận.",
            "The new due moment may not be before the receipt.",
        )
    dossier.due_at = due_at
    dossier.updated_at = now
    return portal_change(session, dossier, KIND_DUE, by, reason, now)


def handover_dict(h: Handover) -> HandoverDict:
    return {
        "id": h.id,
        "at": format_datetime(h.at),
        "from": h.from_code,
        "from_name": h.from_name,
        "to": h.to_code,
        "to_name": h.to_name,
        "by": h.by,
        "note": h.note,
    }


def handovers_of(session: Session, dossier_id: int) -> list[Handover]:
    """A dossier's hand-overs in the order they happened."""
    return list(
        session.scalars(
            select(Handover)
            .where(Handover.dossier_id == dossier_id)
            .order_by(Handover.at, Handover.id)
        )
    )


# -- reading ----------------------------------------------------------------------------------


def list_dossiers(
    session: Session,
    agency_code: str | None = None,
    status: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    counted = (
        select(DossierFile.dossier_id, func.count().label("n"))
        .group_by(DossierFile.dossier_id)
        .subquery()
    )
    query = (
        select(Dossier, Agency.code, counted.c.n)
        .join(Agency, Agency.id == Dossier.agency_id)
        .outerjoin(counted, counted.c.dossier_id == Dossier.id)
    )
    if agency_code is not None:
        query = query.where(Dossier.agency_id == get_agency(session, agency_code).id)
    if status is not None:
        if status not in STATUS_CODES:
            shown = printable(status, 40)
            raise invalid(f"Không có trạng thái '{shown}'.", f"No status '{shown}'.")
        query = query.where(Dossier.status == status)
    query = query.order_by(Dossier.received_at, Dossier.code)
    if limit is not None:
        query = query.limit(limit)
    return [
        {
            "code": d.code,
            "agency_code": agency,
            "counter_no": d.counter_no,
            "status": d.status,
            "status_code": STATUS_CODES[d.status],
            "procedure_code": d.procedure_code,
            "procedure_name": d.procedure_name,
            "applicant_name": d.applicant_name,
            "received_at": format_datetime(d.received_at),
            "due_at": format_datetime(d.due_at),
            "updated_at": format_datetime(d.updated_at),
            "files": files or 0,
        }
        for d, agency, files in session.execute(query)
    ]


def dossier_detail(session: Session, code: str, agency_id: int | None = None) -> dict[str, Any]:
    """A dossier with its history; with ``agency_id``, only if it belongs to that agency."""
    dossier = get_dossier(session, code, agency_id)
    history = [
        {
            "kind": c.kind,
            "status": c.status,
            "status_code": STATUS_CODES[c.status],
            "due_at": format_datetime(c.due_at),
            "at": format_datetime(c.at),
            "by": c.by,
            "note": c.note,
            "source": c.source,
        }
        for c in session.scalars(
            select(Change).where(Change.dossier_id == dossier.id).order_by(Change.id)
        )
    ]
    return {
        "code": dossier.code,
        "status": dossier.status,
        "status_code": STATUS_CODES[dossier.status],
        "due_at": format_datetime(dossier.due_at),
        "updated_at": format_datetime(dossier.updated_at),
        "dossier": dossier.snapshot,
        "history": history,
        "handovers": [handover_dict(h) for h in handovers_of(session, dossier.id)],
    }
