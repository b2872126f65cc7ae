"""Master data published to every counter: the procedure catalogue and the calendar overrides.

Each is served as a ready JSON document with a version that is a fingerprint of its content
(``protocol.master_version``): a counter that sends the version it has gets "not modified",
and republishing identical data does not make every counter download it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.errors import PortalError, invalid, not_found
from portal.models import CalendarOverride, MasterData, Procedure
from protocol import (
    CALENDAR_KINDS,
    Text,
    WireError,
    check,
    dumps,
    master_version,
    parse_date,
    printable,
    validate_catalog,
)

CATALOG = "catalog"
CALENDAR = "calendar"


@dataclass(frozen=True)
class Published:
    version: str
    body: str  # JSON text, sent as it is
    label: str = ""


@dataclass(frozen=True)
class CatalogImport:
    added: int
    updated: int
    unchanged: int
    version: str
    catalog_version: str


def _publish(session: Session, name: str, body: Any, label: str, now: datetime) -> Published:
    version = master_version(body)
    text = dumps(body).decode()
    row = session.get(MasterData, name)
    if row is None:
        session.add(MasterData(name=name, version=version, body=text, label=label, updated_at=now))
    elif row.version != version or row.label != label:
        row.version, row.body, row.label, row.updated_at = version, text, label, now
    return Published(version, text, label)


def published(session: Session, name: str) -> Published:
    """The current document (an empty one if nothing was ever published)."""
    row = session.get(MasterData, name)
    if row is not None:
        return Published(row.version, row.body, row.label)
    body: Any = _catalog_body(session, "") if name == CATALOG else _calendar_body(session)
    return Published(master_version(body), dumps(body).decode())


# -- catalogue --------------------------------------------------------------------------------


def _procedure_dict(p: Procedure) -> dict[str, Any]:
    return {
        "code": p.code,
        "name": p.name,
        "field": {"code": p.field_code, "name": p.field_name},
        "level": p.level,
        "processing_time": {
            "value": p.processing_time_value,
            "unit": p.processing_time_unit,
            "cutoff": p.processing_time_cutoff,
        },
        "fees": p.fees,
        "documents": p.documents,
        "result_agency": p.result_agency,
    }


def _catalog_body(session: Session, label: str) -> dict[str, Any]:
    procedures = session.scalars(select(Procedure).order_by(Procedure.code))
    return {"version": label, "procedures": [_procedure_dict(p) for p in procedures]}


def import_catalog(session: Session, doc: Any, now: datetime) -> CatalogImport:
    """Upsert the procedures of a catalogue file (by procedure code) and publish the result.

    All or nothing: a missing key or a wrong type refuses the whole file, naming the
    procedure and the key. Procedures absent from the file stay published.
    """
    try:
        catalog = validate_catalog(doc)
    except WireError as exc:
        raise invalid(exc.message_vi, exc.message_en) from None
    existing = {p.code: p for p in session.scalars(select(Procedure))}
    added = updated = unchanged = 0
    for proc in catalog["procedures"]:
        values = {
            "name": proc["name"],
            "field_code": proc["field"]["code"],
            "field_name": proc["field"]["name"],
            "level": proc["level"],
            "processing_time_value": float(proc["processing_time"]["value"]),
            "processing_time_unit": proc["processing_time"]["unit"],
            "processing_time_cutoff": proc["processing_time"]["cutoff"],
            "fees": proc["fees"],
            "documents": proc["documents"],
            "result_agency": proc["result_agency"],
        }
        row = existing.get(proc["code"])
        if row is None:
            session.add(Procedure(code=proc["code"], updated_at=now, **values))
            added += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.updated_at = now
            updated += 1
        else:
            unchanged += 1
    session.flush()
    result = _publish(
        session, CATALOG, _catalog_body(session, catalog["version"]), catalog["version"], now
    )
    return CatalogImport(added, updated, unchanged, result.version, catalog["version"])


def list_procedures(session: Session) -> list[dict[str, Any]]:
    return [_procedure_dict(p) for p in session.scalars(select(Procedure).order_by(Procedure.code))]


# -- calendar ---------------------------------------------------------------------------------


def _calendar_body(session: Session) -> list[dict[str, Any]]:
    rows = session.scalars(select(CalendarOverride).order_by(CalendarOverride.day))
    return [{"date": r.day.isoformat(), "kind": r.kind, "note": r.note} for r in rows]


def set_calendar_day(session: Session, day: date, kind: str, note: str, now: datetime) -> Published:
    """Mark a date as a day off or a working day for every counter (replacing any earlier mark)."""
    if kind not in CALENDAR_KINDS:
        shown = printable(kind, 20)
        raise invalid(f"Loại ngày '{shown}' không hợp lệ.", f"Invalid day kind '{shown}'.")
    try:
        note = str(check(Text(500), note, "note"))
    except WireError as exc:
        raise invalid(exc.message_vi, exc.message_en) from None
    row = session.scalar(select(CalendarOverride).where(CalendarOverride.day == day))
    if row is None:
        session.add(CalendarOverride(day=day, kind=kind, note=note, updated_at=now))
    else:
        row.kind, row.note, row.updated_at = kind, note, now
    session.flush()
    return _publish(session, CALENDAR, _calendar_body(session), "", now)


def remove_calendar_day(session: Session, day: date, now: datetime) -> Published:
    row = session.scalar(select(CalendarOverride).where(CalendarOverride.day == day))
    if row is None:
        raise not_found(f"ngày {day.isoformat()} trong lịch", f"Calendar date {day.isoformat()}")
    session.delete(row)
    session.flush()
    return _publish(session, CALENDAR, _calendar_body(session), "", now)


def list_calendar(session: Session) -> list[dict[str, Any]]:
    return _calendar_body(session)


def parse_day(text: str) -> date:
    try:
        return parse_date(text)
    except ValueError:
        raise PortalError(
            "invalid_date",
            f"Ngày '{printable(text, 20)}' không hợp lệ (cần dạng YYYY-MM-DD).",
            f"Invalid date '{printable(text, 20)}' (expected YYYY-MM-DD).",
            http_status=422,
        ) from None
