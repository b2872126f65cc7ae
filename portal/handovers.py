"""Hand-overs of a dossier between agencies, and the processing systems that record them.

A dossier travels: the counter gives it to a processing department (of the commune or the
province), which may pass it to another, and the result comes back to the counter. Each
hand-over (when, from which agency to which, who handed it over) is recorded here, by the
command line (``admin handover``) or by a processing system through the API with a token of
its own (``admin add-system``). Recording one adds a change of kind ``handover`` to the
feed of the agency that received the dossier, so its counters pull it and print it on the
control sheet (Mẫu 06).

The same hand-over recorded twice is one: with a time, one of the dossier with the same
agencies at the same moment; without one, a repeat of the dossier's last hand-over (same
receiver and person). docs/sync.md, "Hand-overs".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.agencies import get_agency
from portal.auth import IssuedToken, issue_token, secret_matches, split_token
from portal.dossiers import get_dossier, handover_dict, handovers_of, portal_change
from portal.errors import PortalError, invalid
from portal.models import Agency, Dossier, Handover, ProcessingSystem
from protocol import (
    HANDOVER_REQUEST,
    KIND_HANDOVER,
    HandoverDict,
    Text,
    WireError,
    check,
    format_datetime,
    printable,
)

#: How far ahead of the portal's clock a hand-over's time may be (another system's clock).
CLOCK_SKEW = timedelta(minutes=5)
#: ``recorded_by`` of the hand-overs recorded on the command line.
ADMIN = "admin"

_BY = Text(100, 1)
_NOTE = Text(500)
_SYSTEM_NAME = Text(100, 1)


@dataclass(frozen=True)
class Recorded:
    """A hand-over and whether it was recorded now (``accepted``) or before (``duplicate``)."""

    outcome: str
    handover: HandoverDict


def _clean(spec: Text, value: str, field: str) -> str:
    try:
        return str(check(spec, value, field)).strip()
    except WireError as exc:
        raise invalid(exc.message_vi, exc.message_en) from None


def _holder(session: Session, dossier: Dossier, done: list[Handover]) -> Agency:
    """Who holds the dossier now: the last hand-over's receiver, else the receiving agency."""
    code = done[-1].to_code if done else None
    if code is not None:
        agency = session.scalar(select(Agency).where(Agency.code == code))
        if agency is not None:
            return agency
    held = session.get(Agency, dossier.agency_id)
    assert held is not None
    return held


def record_handover(
    session: Session,
    code: str,
    to: str,
    by: str,
    now: datetime,
    *,
    from_: str | None = None,
    at: datetime | None = None,
    note: str = "",
    recorded_by: str = ADMIN,
) -> Recorded:
    """Record that the dossier ``code`` passed to agency ``to``; refused with the reason
    (unknown dossier or agency, the same agency on both sides, a time out of range)."""
    dossier = get_dossier(session, code)
    by = _clean(_BY, by, "by")
    note = _clean(_NOTE, note, "note")
    receiver = get_agency(session, to)
    done = handovers_of(session, dossier.id)
    giver = get_agency(session, from_) if from_ else _holder(session, dossier, done)
    for h in done:
        same_giver = from_ is None or h.from_code == giver.code
        if at is not None and (h.at, h.to_code) == (at, receiver.code) and same_giver:
            if (h.by, h.note) != (by, note):
                raise PortalError(
                    "conflict",
                    f"Hồ sơ {code}: lần giao từ {h.from_code} sang {h.to_code} lúc "
                    f"{format_datetime(at)} đã được ghi với người giao hoặc ghi chú khác.",
                    f"Dossier {code}: the hand-over from {h.from_code} to {h.to_code} at "
                    f"{format_datetime(at)} was recorded with another person or note.",
                    http_status=409,
                )
            return Recorded("duplicate", handover_dict(h))
    last = done[-1] if done else None
    if (
        at is None
        and last is not None
        and (last.to_code, last.by, last.note) == (receiver.code, by, note)
        and (from_ is None or last.from_code == giver.code)
    ):
        return Recorded("duplicate", handover_dict(last))
    if giver.code == receiver.code:
        raise invalid(
            f"Hồ sơ {code} đang ở {giver.name} ({giver.code}): nơi giao và nơi nhận phải khác "
            "nhau.",
            f"Dossier {code} is with {giver.name} ({giver.code}): the giver and the receiver "
            "must differ.",
        )
    moment = now if at is None else at
    if moment < dossier.received_at:
        raise invalid(
            f"Thời điểm giao {format_datetime(moment)} trước khi hồ sơ được tiếp nhận "
            f"({format_datetime(dossier.received_at)}).",
            f"The hand-over's time {format_datetime(moment)} is before the dossier was "
            f"received ({format_datetime(dossier.received_at)}).",
        )
    if moment > now + CLOCK_SKEW:
        raise invalid(
            f"Thời điểm giao {format_datetime(moment)} chưa đến.",
            f"The hand-over's time {format_datetime(moment)} is in the future.",
        )
    change = portal_change(session, dossier, KIND_HANDOVER, by, note, now, at=moment)
    handover = Handover(
        dossier_id=dossier.id,
        change_id=change.id,
        at=moment,
        from_code=giver.code,
        from_name=giver.name,
        to_code=receiver.code,
        to_name=receiver.name,
        by=by,
        note=note,
        recorded_by=recorded_by,
        recorded_at=now,
    )
    session.add(handover)
    dossier.updated_at = now
    session.flush()
    return Recorded("accepted", handover_dict(handover))


def parse_request(body: Any) -> dict[str, Any]:
    """A processing system's request body, checked against ``HandoverRequest``."""
    try:
        data: dict[str, Any] = check(HANDOVER_REQUEST, body, "")
    except WireError as exc:
        raise invalid(exc.message_vi, exc.message_en) from None
    return data


def handovers_by_change(session: Session, change_ids: list[int]) -> dict[int, HandoverDict]:
    """The hand-overs behind some changes of the feed, by change id."""
    if not change_ids:
        return {}
    rows = session.scalars(select(Handover).where(Handover.change_id.in_(change_ids)))
    return {h.change_id: handover_dict(h) for h in rows}


# -- processing systems -----------------------------------------------------------------------


def add_system(session: Session, name: str, now: datetime) -> IssuedToken:
    """Register a processing system and issue its token (shown once; its hash is kept)."""
    name = _clean(_SYSTEM_NAME, name, "name")
    if session.scalar(select(ProcessingSystem.id).where(ProcessingSystem.name == name)):
        raise PortalError(
            "exists",
            f"Hệ thống '{printable(name)}' đã được đăng ký.",
            f"System '{printable(name)}' is already registered.",
            http_status=409,
        )
    issued = issue_token()
    session.add(
        ProcessingSystem(
            name=name,
            token_id=issued.token_id,
            token_hash=issued.token_hash,
            active=True,
            created_at=now,
            last_seen_at=None,
        )
    )
    session.flush()
    return issued


def authenticate_system(session: Session, token: str) -> str | None:
    """The name of the active processing system a bearer token belongs to, or None."""
    parts = split_token(token)
    if parts is None:
        return None
    token_id, secret = parts
    row = session.scalar(select(ProcessingSystem).where(ProcessingSystem.token_id == token_id))
    if not secret_matches(secret, row.token_hash if row is not None else None):
        return None
    assert row is not None
    return row.name if row.active else None


def touch_system(session: Session, name: str, now: datetime) -> None:
    row = session.scalar(select(ProcessingSystem).where(ProcessingSystem.name == name))
    if row is not None:
        row.last_seen_at = now
