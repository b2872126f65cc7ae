"""This counter's identity: its agency, counter number and the rest of what forms print.

Recorded once by ``init`` (first-run setup or ``counter-admin init``) and read from the
settings; the portal may publish newer details (``SyncStore.apply_office``). The names the
office goes by (its unit, its authority, the agency of each procedure) are derived from
these settings by ``counter.naming``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from counter import audit, naming, settings
from counter.codes import block_range, normalise_agency_code
from counter.db import Database
from counter.errors import InvalidInput
from counter.models import Setting
from counter.settings_service import SettingsService
from counter.views import Office


def office_from(values: Mapping[str, Any]) -> Office:
    """The office from its settings (``office.*`` and ``agency.*``; a missing one is its
    default). A level stored before 1 July 2025 (``district``) is read as it is."""

    def get(key: str) -> Any:
        return values[key] if key in values else settings.SPECS[key].default

    return Office(
        agency_code=get("office.agency_code"),
        agency_name=get("office.agency_name"),
        counter_no=int(get("office.counter_no")),
        parent_name=get("office.parent_name"),
        level=get("office.level"),
        lookup_base_url=get("office.lookup_base_url"),
        place=get("office.place"),
        address=get("office.address"),
        phone=get("office.phone"),
        authority_name=get("office.authority_name"),
        agencies=naming.agencies_from(values, settings.AGENCY_PREFIX),
    )


def office_in(s: Session) -> Office:
    """The office as the settings stand in this session (for views built inside one)."""
    rows = s.scalars(
        select(Setting).where(
            or_(Setting.key.startswith("office."), Setting.key.startswith(settings.AGENCY_PREFIX))
        )
    )
    return office_from(
        {r.key: settings.decode(r.key, r.value) for r in rows if settings.spec_for(r.key)}
    )


class OfficeService:
    def __init__(self, db: Database, settings_service: SettingsService):
        self.db = db
        self.settings = settings_service

    def is_initialised(self) -> bool:
        return bool(self.settings.get("office.agency_code"))

    def init(
        self,
        agency_code: str,
        agency_name: str,
        counter_no: int,
        parent_name: str = "",
        level: str = "commune",
        lookup_base_url: str = "",
        place: str = "",
    ) -> Office:
        """Record this counter's identity, once."""
        code = normalise_agency_code(agency_code)
        values = {
            "office.agency_code": code,
            "office.agency_name": settings.parse_value("office.agency_name", agency_name),
            "office.counter_no": settings.parse_value("office.counter_no", str(counter_no)),
            "office.parent_name": settings.parse_value("office.parent_name", parent_name),
            "office.level": settings.parse_value("office.level", level),
            "office.lookup_base_url": settings.parse_value(
                "office.lookup_base_url", lookup_base_url
            ),
            "office.place": settings.parse_value("office.place", place),
        }
        if not values["office.agency_name"]:
            raise InvalidInput(
                "Tên cơ quan không được để trống",
                "The agency name is required",
                field="agency_name",
            )
        block_range(values["office.counter_no"], self.block_size())
        with self.db.unit_of_work() as s:
            if s.get(Setting, "office.agency_code") is not None:
                raise InvalidInput(
                    "Quầy này đã được khởi tạo", "This counter is already initialised"
                )
            for key, value in values.items():
                s.add(Setting(key=key, value=settings.encode(value)))
            s.add(Setting(key="settings.version", value=str(settings.SCHEMA_VERSION)))
            audit.append(
                s,
                "system",
                "office.init",
                "office",
                code,
                {k.split(".", 1)[1]: v for k, v in values.items()},
            )
        self.settings.invalidate()
        return self.identity()

    def identity(self) -> Office:
        return self.settings.derived("office", self._identity)

    def _identity(self) -> Office:
        values = self.settings.get_many("office.")
        values.update(self.settings.get_many(settings.AGENCY_PREFIX))
        return office_from(values)

    def block_size(self) -> int:
        """How many numbers each counter of the agency has a day (docs/dossier-codes.md).

        A fact of the agency, the same at all its counters or their codes collide: the
        portal publishes it with the office's details (``SyncStore.apply_office``), 1000
        until it says otherwise; never set at one counter.
        """
        return int(self.settings.get("codes.block_size"))

    def book_volume(self, year: int) -> str:
        """The volume of the tracking book this counter writes in.

        Each counter of an office keeps its own volume ("02/2026": counter 2's book of 2026)
        and numbers its rows 1, 2, ... within it, offline; so two counters never print the
        same (volume, number) on a receipt. ``book.volume`` names the volume instead: give
        each counter a different one.
        """
        volume = str(self.settings.get("book.volume") or "")
        return volume or f"{self.identity().counter_no:02d}/{year}"
