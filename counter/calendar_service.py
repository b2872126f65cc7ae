"""The office's working calendar: its hours, the days it also opens without the clock
running, and the days off and make-up days over the built-in holidays (the office's own
overrides over those the portal publishes)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter import audit
from counter.accounts import SUPERVISOR, Actor, require
from counter.clock import now
from counter.db import Database
from counter.errors import NotFound
from counter.models import CalendarOverride
from counter.settings_service import SettingsService
from counter.validation import note as clean_note
from counter.workcalendar import OfficeHours, WorkCalendar

#: The overrides as stored: read at every intake, made into a calendar only when they change.
_OVERRIDES = "SELECT day, source, working FROM calendar_overrides ORDER BY day, source"


def _overrides(s: Session, stored: list[Any]) -> dict[date, bool]:
    """The overrides' rows as their columns' types read them: the portal's, then the
    office's own on top."""
    dialect = s.get_bind().dialect
    columns = CalendarOverride.__table__.c
    read = [
        columns[name].type.dialect_impl(dialect).result_processor(dialect, None)
        for name in ("day", "source", "working")
    ]
    rows: list[list[Any]] = [
        [v if fn is None else fn(v) for fn, v in zip(read, row, strict=True)] for row in stored
    ]
    result: dict[date, bool] = {}
    for source in ("portal", "office"):
        for day, from_, working in rows:
            if from_ == source:
                result[day] = working
    return result


class CalendarService:
    def __init__(self, db: Database, settings_service: SettingsService):
        self.db = db
        self.settings = settings_service
        #: the last calendar made: (its hours, the override rows it was made of, itself)
        self._made: tuple[OfficeHours, list[Any], WorkCalendar] | None = None

    def hours(self) -> OfficeHours:
        """Working time (what due dates count) and the extra opening days (what they don't)."""
        get = self.settings.get
        return OfficeHours.parse(
            get("calendar.hours"),
            get("calendar.weekdays"),
            extra_days=get("calendar.extra_open_days"),
            extra_periods=get("calendar.extra_open_hours"),
        )

    def current(self, s: Session | None = None) -> WorkCalendar:
        """The calendar as it stands: portal overrides, then the office's own on top. Made
        again only when the hours or the overrides changed (intake asks at every dossier)."""
        if s is not None:
            return self._current(s)
        with self.db.reading() as sess:
            return self._current(sess)

    def _current(self, s: Session) -> WorkCalendar:
        conn = s.connection().connection.driver_connection
        assert conn is not None
        stored = conn.execute(_OVERRIDES).fetchall()
        hours = self.settings.derived("calendar.hours", self.hours)
        made = self._made
        if made is not None and made[0] is hours and made[1] == stored:
            return made[2]
        calendar = WorkCalendar(hours, _overrides(s, stored))
        self._made = (hours, stored, calendar)
        return calendar

    def set_day(self, actor: Actor, day: date, working: bool, note: str = "") -> None:
        require(actor, SUPERVISOR, "sửa lịch làm việc", "edit the calendar")
        text_note = clean_note(note)
        with self.db.unit_of_work() as s:
            s.merge(
                CalendarOverride(
                    day=day,
                    source="office",
                    working=working,
                    note=text_note,
                    updated_by=actor.username,
                    updated_at=now(),
                )
            )
            audit.append(
                s,
                actor.username,
                "calendar.workday" if working else "calendar.day_off",
                "calendar",
                day.isoformat(),
                {"note": text_note},
            )

    def clear_day(self, actor: Actor, day: date) -> None:
        require(actor, SUPERVISOR, "sửa lịch làm việc", "edit the calendar")
        with self.db.unit_of_work() as s:
            row = s.get(CalendarOverride, (day, "office"))
            if row is None:
                raise NotFound(f"Ngày {day} không có điều chỉnh", f"No override on {day}")
            s.delete(row)
            audit.append(s, actor.username, "calendar.clear", "calendar", day.isoformat())

    def overrides(self) -> list[tuple[date, str, bool, str]]:
        with self.db.reading() as s:
            return [
                (r.day, r.source, r.working, r.note)
                for r in s.scalars(select(CalendarOverride).order_by(CalendarOverride.day))
            ]
