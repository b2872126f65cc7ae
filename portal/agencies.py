"""Agencies, their counters and the counters' API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.auth import IssuedToken, issue_token, secret_matches, split_token
from portal.errors import PortalError, invalid, not_found
from portal.models import Agency, Counter
from protocol import (
    DEFAULT_BLOCK_SIZE,
    LEGACY_OFFICE_LEVELS,
    MAX_BLOCK_SIZE,
    MIN_BLOCK_SIZE,
    OFFICE_LEVELS,
    Text,
    WireError,
    check,
    format_datetime,
    is_agency_code,
    master_version,
    printable,
)

#: A new agency is one of the kinds in force; one registered before 1 July 2025 may keep
#: ``district`` (it is read and kept, never given anew).
LEVELS = OFFICE_LEVELS
_FIELD_SPECS = {
    "name": Text(300, min_length=1),
    "parent_name": Text(300),
    "level": Text(20),
    "address": Text(500),
    "phone": Text(40),
    "place": Text(100),
}


@dataclass(frozen=True)
class CounterIdentity:
    """Who is calling: a counter of an agency, as proven by its token."""

    counter_id: int
    counter_no: int
    agency_id: int
    agency_code: str
    last_seen_at: datetime | None = None
    #: The agency's block size: which dossier numbers this counter may give (portal.codes).
    block_size: int = DEFAULT_BLOCK_SIZE

    @property
    def label(self) -> str:
        """For logs: no secret, no personal data."""
        return f"{self.agency_code}#{self.counter_no}"


def _clean(name: str, value: str) -> str:
    try:
        return str(check(_FIELD_SPECS[name], value, name))
    except WireError as exc:
        raise invalid(exc.message_vi, exc.message_en) from None


def _check_code(code: str) -> None:
    if not is_agency_code(code):
        raise invalid(
            f"Mã cơ quan '{printable(code)}' không hợp lệ (ví dụ đúng: 000.00.36.H62).",
            f"Invalid agency code '{printable(code)}' (expected something like 000.00.36.H62).",
        )


def _check_block_size(block_size: int) -> int:
    if not MIN_BLOCK_SIZE <= block_size <= MAX_BLOCK_SIZE:
        raise invalid(
            f"Số mã mỗi quầy mỗi ngày phải từ {MIN_BLOCK_SIZE} đến {MAX_BLOCK_SIZE}.",
            f"The codes per counter per day must be {MIN_BLOCK_SIZE} to {MAX_BLOCK_SIZE}.",
        )
    return block_size


def get_agency(session: Session, code: str) -> Agency:
    agency = session.scalar(select(Agency).where(Agency.code == code))
    if agency is None:
        raise not_found(f"cơ quan có mã {printable(code)}", f"Agency {printable(code)}")
    return agency


def add_agency(
    session: Session,
    code: str,
    name: str,
    now: datetime,
    *,
    block_size: int | None = None,
    **fields: str,
) -> Agency:
    _check_code(code)
    if session.scalar(select(Agency.id).where(Agency.code == code)) is not None:
        raise PortalError(
            "exists",
            f"Cơ quan {code} đã được đăng ký.",
            f"Agency {code} is already registered.",
            http_status=409,
        )
    values = {"name": _clean("name", name)}
    for key, value in fields.items():
        if value is not None:
            values[key] = _clean(key, value)
    if values.get("level", "commune") not in LEVELS:
        raise invalid(
            f"Cấp hành chính phải là một trong: {', '.join(LEVELS)}.",
            f"The level must be one of: {', '.join(LEVELS)}.",
        )
    size = _check_block_size(DEFAULT_BLOCK_SIZE if block_size is None else block_size)
    agency = Agency(code=code, block_size=size, created_at=now, updated_at=now, **values)
    session.add(agency)
    session.flush()
    return agency


def update_agency(
    session: Session,
    code: str,
    now: datetime,
    *,
    block_size: int | None = None,
    **fields: str | None,
) -> Agency:
    """Change an agency's details. A new block size numbers the codes its counters give from
    then on: a counter keeps the dossiers it pushed before."""
    agency = get_agency(session, code)
    if block_size is not None:
        agency.block_size = _check_block_size(block_size)
    for key, value in fields.items():
        if value is not None:
            setattr(agency, key, _clean(key, value))
    if agency.level not in LEVELS + LEGACY_OFFICE_LEVELS or (
        fields.get("level") is not None and agency.level not in LEVELS
    ):
        raise invalid(
            f"Cấp hành chính phải là một trong: {', '.join(LEVELS)}.",
            f"The level must be one of: {', '.join(LEVELS)}.",
        )
    agency.updated_at = now
    return agency


def agency_dict(agency: Agency) -> dict[str, Any]:
    return {
        "code": agency.code,
        "name": agency.name,
        "parent_name": agency.parent_name,
        "level": agency.level,
        "address": agency.address,
        "phone": agency.phone,
        "place": agency.place,
        "block_size": agency.block_size,
        "created_at": format_datetime(agency.created_at),
        "updated_at": format_datetime(agency.updated_at),
    }


def list_agencies(session: Session) -> list[dict[str, Any]]:
    return [agency_dict(a) for a in session.scalars(select(Agency).order_by(Agency.code))]


def _find_counter(session: Session, agency: Agency, counter_no: int) -> Counter | None:
    return session.scalar(
        select(Counter).where(Counter.agency_id == agency.id, Counter.counter_no == counter_no)
    )


def _check_counter_no(counter_no: int) -> None:
    if not 1 <= counter_no <= 9999:
        raise invalid("Số quầy phải từ 1 đến 9999.", "The counter number must be 1 to 9999.")


def add_counter(session: Session, agency_code: str, counter_no: int, now: datetime) -> IssuedToken:
    """Register a counter; the token is returned once and only its hash is kept."""
    _check_counter_no(counter_no)
    agency = get_agency(session, agency_code)
    if _find_counter(session, agency, counter_no) is not None:
        raise PortalError(
            "exists",
            f"Quầy số {counter_no} của cơ quan {agency_code} đã được đăng ký "
            "(dùng rotate-token để cấp mã mới).",
            f"Counter {counter_no} of agency {agency_code} is already registered "
            "(use rotate-token for a new token).",
            http_status=409,
        )
    issued = issue_token()
    session.add(
        Counter(
            agency_id=agency.id,
            counter_no=counter_no,
            token_id=issued.token_id,
            token_hash=issued.token_hash,
            active=True,
            created_at=now,
            token_issued_at=now,
            last_seen_at=None,
        )
    )
    session.flush()
    return issued


def get_counter(session: Session, agency_code: str, counter_no: int) -> Counter:
    agency = get_agency(session, agency_code)
    counter = _find_counter(session, agency, counter_no)
    if counter is None:
        raise not_found(
            f"quầy số {counter_no} của cơ quan {agency_code}",
            f"Counter {counter_no} of agency {agency_code}",
        )
    return counter


def rotate_token(session: Session, agency_code: str, counter_no: int, now: datetime) -> IssuedToken:
    """A new token for a counter (the old one stops working); its entries and keys remain."""
    counter = get_counter(session, agency_code, counter_no)
    issued = issue_token()
    counter.token_id = issued.token_id
    counter.token_hash = issued.token_hash
    counter.token_issued_at = now
    counter.active = True
    return issued


def set_counter_active(session: Session, agency_code: str, counter_no: int, active: bool) -> None:
    get_counter(session, agency_code, counter_no).active = active


def list_counters(session: Session, agency_code: str | None = None) -> list[dict[str, Any]]:
    query = select(Counter, Agency.code).join(Agency, Agency.id == Counter.agency_id)
    if agency_code is not None:
        query = query.where(Agency.id == get_agency(session, agency_code).id)
    rows = session.execute(query.order_by(Agency.code, Counter.counter_no)).all()
    return [
        {
            "agency_code": code,
            "counter_no": counter.counter_no,
            "active": counter.active,
            "created_at": format_datetime(counter.created_at),
            "token_issued_at": format_datetime(counter.token_issued_at),
            "last_seen_at": format_datetime(counter.last_seen_at) if counter.last_seen_at else None,
        }
        for counter, code in rows
    ]


def authenticate(session: Session, token: str) -> CounterIdentity | None:
    """The counter a bearer token belongs to, or None (compared in constant time)."""
    parts = split_token(token)
    if parts is None:
        return None
    token_id, secret = parts
    row = session.execute(
        select(
            Counter.id.label("counter_id"),
            Counter.counter_no,
            Counter.token_hash,
            Counter.active,
            Counter.last_seen_at,
            Agency.id.label("agency_id"),
            Agency.code.label("agency_code"),
            Agency.block_size,
        )
        .join(Agency, Agency.id == Counter.agency_id)
        .where(Counter.token_id == token_id)
    ).first()
    if not secret_matches(secret, row.token_hash if row is not None else None):
        return None
    assert row is not None
    if not row.active:
        return None
    return CounterIdentity(
        counter_id=row.counter_id,
        counter_no=row.counter_no,
        agency_id=row.agency_id,
        agency_code=row.agency_code,
        last_seen_at=row.last_seen_at,
        block_size=row.block_size,
    )


def touch_counter(session: Session, counter_id: int, now: datetime) -> None:
    counter = session.get(Counter, counter_id)
    if counter is not None:
        counter.last_seen_at = now


def office_document(
    session: Session, who: CounterIdentity, lookup_base_url: str
) -> tuple[str, dict[str, Any]]:
    """(version, office) for the calling counter: the wording of its form headers."""
    agency = session.get(Agency, who.agency_id)
    if agency is None:  # pragma: no cover - the counter's agency row cannot vanish
        raise not_found("cơ quan", "Agency")
    office = {
        "agency_code": agency.code,
        "agency_name": agency.name,
        "parent_name": agency.parent_name,
        "level": agency.level,
        "address": agency.address,
        "phone": agency.phone,
        "place": agency.place,
        "counter_no": who.counter_no,
        "lookup_base_url": lookup_base_url,
        "block_size": agency.block_size,
    }
    return master_version(office), office
