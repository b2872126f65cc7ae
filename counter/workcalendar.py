"""The office's working calendar and the due moment of a dossier.

Working days and hours are walked forward through office hours, the way one-stop systems do
it: one working day is ``hours_per_day`` office hours, receipt outside office hours starts at
the next opening. Calendar days end at the close of office on the N-th day after receipt, or
of the next working day if that one is a day off (Civil Code 2015, art. 147-148). Same-day
procedures ("trả kết quả trong ngày; nếu tiếp nhận sau 15 giờ thì trả trong ngày làm việc tiếp
theo") are due at the close of the day of receipt, or of the next working day when received
after the cut-off or outside office hours.

The days the counter is open and the days the legal clock runs are two things: an office that
also opens on Saturday mornings (``calendar.extra_open_days``) receives dossiers then, but a
dossier received on a Saturday starts counting at the next working moment, and no deadline
is shortened by the Saturday. ``is_working_day`` and the due moments know only working time;
``is_open_day`` and ``opening_hours`` say when the doors are open.
"""

from __future__ import annotations

import functools
import itertools
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from counter.clock import VN_TZ, to_vn
from counter.errors import InvalidInput
from counter.views import ProcessingTime
from protocol.constants import PROCESSING_UNITS

if TYPE_CHECKING:
    import holidays

UNITS = PROCESSING_UNITS
_HORIZON_DAYS = 3660  # a period that cannot be placed within ten years is a configuration error
#: How many days a calendar keeps worked out (a batch of receipts spans a year or so).
_REMEMBERED_DAYS = 4096


@functools.lru_cache(maxsize=256)  # a procedure's cut-off, at every receipt
def _parse_hhmm(text: str) -> time:
    hh, mm = text.strip().split(":")
    return time(int(hh), int(mm))


Periods = tuple[tuple[time, time], ...]


def parse_periods(text: str) -> Periods:
    """``"07:30-11:30,13:00-17:00"``: sorted periods of a day; ``ValueError`` if malformed,
    empty, backwards or overlapping."""
    try:
        spans = []
        for part in text.split(","):
            start, end = part.split("-")
            spans.append((_parse_hhmm(start), _parse_hhmm(end)))
    except ValueError:
        raise ValueError("HH:MM-HH:MM[,HH:MM-HH:MM]") from None
    spans.sort()
    if any(s >= e for s, e in spans):
        raise ValueError("HH:MM-HH:MM[,HH:MM-HH:MM]")
    for (_s1, e1), (s2, _e2) in itertools.pairwise(spans):
        if e1 > s2:
            raise ValueError("HH:MM-HH:MM[,HH:MM-HH:MM]")
    return tuple(spans)


def format_periods(periods: Periods) -> str:
    return ",".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in periods)


def parse_weekdays(text: str) -> frozenset[int]:
    """``"1-5"``, ``"6"``, ``"1-5,7"``: ISO weekday numbers (Monday = 1) to Python's
    (Monday = 0); ``ValueError`` if malformed or empty."""
    days: set[int] = set()
    try:
        for part in text.split(","):
            if "-" in part:
                lo, hi = part.split("-")
                days.update(range(int(lo) - 1, int(hi)))
            else:
                days.add(int(part) - 1)
    except ValueError:
        raise ValueError("1-5 | 6 | 1-5,7") from None
    if not days or not days <= set(range(7)):
        raise ValueError("1-5 | 6 | 1-5,7")
    return frozenset(days)


def format_weekdays(days: frozenset[int]) -> str:
    """The shortest ISO form: {0..4} -> "1-5", {5} -> "6", {0, 2, 4} -> "1,3,5"."""
    parts: list[str] = []
    ordered = sorted(days)
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        lo, hi = ordered[i] + 1, ordered[j] + 1
        parts.append(f"{lo}-{hi}" if j - i >= 2 else ",".join(map(str, range(lo, hi + 1))))
        i = j + 1
    return ",".join(parts)


@dataclass(frozen=True)
class OfficeHours:
    """The legal working time, which due dates count, and when the counter is open besides.

    ``periods`` on ``weekdays`` are the working hours (plus the official make-up days, minus
    holidays). ``extra_days`` are weekdays the counter also opens to the public, during
    ``extra_periods`` (a Saturday morning, say): a dossier may be received then, but that
    time never counts towards anyone's deadline.
    """

    periods: Periods = (
        (time(7, 30), time(11, 30)),
        (time(13, 0), time(17, 0)),
    )
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday = 0
    hours_per_day: float = 8.0
    extra_days: frozenset[int] = frozenset()
    extra_periods: Periods = ((time(7, 30), time(11, 30)),)

    @classmethod
    def parse(
        cls,
        periods: str,
        weekdays: str = "1-5",
        hours_per_day: float = 8.0,
        extra_days: str = "",
        extra_periods: str = "07:30-11:30",
    ) -> OfficeHours:
        """``"07:30-11:30,13:00-17:00"`` and ``"1-5"`` (ISO weekday numbers, Monday = 1);
        ``extra_days`` ``"6"`` opens the counter on Saturdays during ``extra_periods``."""
        try:
            return cls(
                parse_periods(periods),
                parse_weekdays(weekdays),
                hours_per_day,
                parse_weekdays(extra_days) if extra_days.strip() else frozenset(),
                parse_periods(extra_periods),
            )
        except ValueError:
            raise InvalidInput(
                f"Giờ làm việc không hợp lệ: '{periods}' / '{weekdays}'",
                f"Invalid office hours: '{periods}' / '{weekdays}'",
                field="calendar.hours",
            ) from None


# The holidays object fills in a year the first time it is asked about it; the lock keeps
# two threads (the window and the writer) from filling the same year at once.
_HOLIDAYS_LOCK = threading.Lock()


@functools.cache
def official_holidays() -> holidays.HolidayBase:
    """Vietnam's public holidays, shared: computing lunar dates is the slow part (and the
    package is imported on first use, off the desktop's start)."""
    import holidays

    return holidays.country_holidays("VN", language="vi")


def prepare(days: Iterable[date]) -> None:
    """Work out the law's holidays of these days' years and the next before a writer needs
    them: the first time takes a while (the package's import, the lunar dates), and a writer
    holds the database's write lock while it computes a due date."""
    for year in sorted({d.year for d in days}):
        _official(date(year, 1, 1))
        _official(date(year + 1, 1, 1))


@functools.lru_cache(maxsize=4096)
def _official(day: date) -> tuple[bool, bool]:
    """(is a public holiday, is an official make-up working weekend day): the law's, the
    same every time a day is asked about (every due date asks about several)."""
    with _HOLIDAYS_LOCK:
        official = official_holidays()
        if day in official:
            return True, False
        return False, day in getattr(official, "weekend_workdays", ())


@dataclass
class WorkCalendar:
    """Working days: built-in Vietnamese holidays, then portal overrides, then the office's own.

    ``overrides`` maps a date to True (a working day, e.g. a make-up Saturday) or False (a
    day off); it already has the office's entries laid over the portal's.
    """

    hours: OfficeHours = field(default_factory=OfficeHours)
    overrides: Mapping[date, bool] = field(default_factory=dict)
    #: each day's working time and next working day as worked out (a calendar is never
    #: changed once made: the calendar service makes another when its settings change)
    _periods: dict[date, tuple[tuple[datetime, datetime], ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _next: dict[date, date] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def _holidays(self) -> holidays.HolidayBase:
        return official_holidays()

    def holiday_name(self, day: date) -> str | None:
        with _HOLIDAYS_LOCK:
            return self._holidays.get(day)

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        holiday, make_up = _official(day)
        if holiday:
            return False
        if make_up:
            return True
        return day.weekday() in self.hours.weekdays

    def _periods_on(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The working time of ``day``: what due dates count."""
        found = self._periods.get(day)
        if found is None:
            if len(self._periods) >= _REMEMBERED_DAYS:
                self._periods.clear()
            found = self._periods[day] = (
                tuple(
                    (datetime.combine(day, s, VN_TZ), datetime.combine(day, e, VN_TZ))
                    for s, e in self.hours.periods
                )
                if self.is_working_day(day)
                else ()
            )
        return found

    def is_open_day(self, day: date) -> bool:
        """Whether the counter opens to the public on ``day``: every working day, and the
        extra open days (``calendar.extra_open_days``) unless a holiday or a day off."""
        if self.is_working_day(day):
            return True
        if day in self.overrides or _official(day)[0]:
            return False  # a day off the office or the state declared
        return day.weekday() in self.hours.extra_days

    def opening_hours(self, day: date) -> tuple[tuple[time, time], ...]:
        """When the counter is open on ``day`` (empty: closed). On an extra open day these
        hours receive dossiers but count towards no deadline."""
        if self.is_working_day(day):
            return self.hours.periods
        if self.is_open_day(day):
            return self.hours.extra_periods
        return ()

    def next_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, else the next one."""
        found = self._next.get(day)
        if found is not None:
            return found
        for offset in range(_HORIZON_DAYS):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                if len(self._next) >= _REMEMBERED_DAYS:
                    self._next.clear()
                self._next[day] = candidate
                return candidate
        raise InvalidInput(
            "Lịch làm việc không có ngày làm việc nào trong 10 năm tới",
            "The office calendar has no working day in the next ten years",
        )

    def close_of(self, day: date) -> datetime:
        return datetime.combine(day, self.hours.periods[-1][1], VN_TZ)

    def next_working_moment(self, moment: datetime) -> datetime:
        """``moment`` if it is working time, else the next start of working time."""
        moment = to_vn(moment)
        day = moment.date()
        for _ in range(_HORIZON_DAYS):
            for start, end in self._periods_on(day):
                if moment < end:
                    return max(start, moment)
            day = self.next_working_day(day + timedelta(days=1))
            moment = datetime.combine(day, time(0), VN_TZ)
        raise InvalidInput("Không tìm được giờ làm việc tiếp theo", "No next office opening found")

    def add_office_seconds(self, start: datetime, seconds: int) -> datetime:
        """Walk ``seconds`` of office time forward from ``start``."""
        pos = self.next_working_moment(start)
        remaining = seconds
        while True:
            day_periods = self._periods_on(pos.date())
            for p_start, p_end in day_periods:
                if pos >= p_end:
                    continue
                pos = max(pos, p_start)
                available = int((p_end - pos).total_seconds())
                if remaining <= available:
                    return pos + timedelta(seconds=remaining)
                remaining -= available
                pos = p_end
            pos = self.next_working_moment(
                datetime.combine(pos.date() + timedelta(days=1), time(0), VN_TZ)
            )

    def due_at(self, received_at: datetime, processing_time: ProcessingTime) -> datetime:
        value, unit = processing_time.value, processing_time.unit
        if value < 0 or unit not in UNITS:
            raise InvalidInput(
                f"Thời hạn giải quyết không hợp lệ: {value} {unit}",
                f"Invalid processing time: {value} {unit}",
            )
        received_at = to_vn(received_at)
        if unit == "same_day":
            return self.same_day_due(received_at, _parse_hhmm(processing_time.cutoff_time))
        if unit == "calendar_days":
            last_day = received_at.date() + timedelta(days=round(value))
            return self.close_of(self.next_working_day(last_day))
        hours = value * self.hours.hours_per_day if unit == "working_days" else value
        return self.add_office_seconds(received_at, round(hours * 3600))

    def in_working_hours(self, moment: datetime) -> bool:
        """Whether ``moment`` is working time (a working day, inside a period)."""
        return any(start <= moment < end for start, end in self._periods_on(moment.date()))

    def same_day_due(self, received_at: datetime, cutoff: time) -> datetime:
        """Close of the day of receipt; received after the cut-off or outside office hours,
        close of the next working day."""
        day = received_at.date()
        if self.in_working_hours(received_at) and received_at.time() < cutoff:
            return self.close_of(day)
        return self.close_of(self.next_working_day(day + timedelta(days=1)))
