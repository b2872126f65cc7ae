"""Due moments on the Vietnamese working calendar."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter.clock import VN_TZ
from counter.views import ProcessingTime
from counter.workcalendar import OfficeHours, WorkCalendar


def vn(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN_TZ)


CAL = WorkCalendar()
DAYS = "working_days"


def due(moment: datetime, value: float, unit: str = DAYS, cal: WorkCalendar = CAL) -> datetime:
    return cal.due_at(moment, ProcessingTime(value, unit))


def test_one_working_day_within_a_week():
    assert due(vn(2026, 11, 25, 9, 0), 1) == vn(2026, 11, 26, 9, 0)


def test_across_tet_2026():
    # Friday 13 Feb 2026 16:00: one hour left that day; Tết is 16-20 Feb; then 7 hours.
    assert due(vn(2026, 2, 13, 16, 0), 1) == vn(2026, 2, 23, 16, 0)
    assert not CAL.is_working_day(date(2026, 2, 17))


def test_hung_kings_day_on_sunday_is_observed_on_monday():
    # 2026: Hùng Kings' day falls on Sunday 26 April, observed Monday 27 April;
    # 30 April and 1 May (Thu, Fri) are holidays too.
    assert not CAL.is_working_day(date(2026, 4, 27))
    assert due(vn(2026, 4, 24, 8, 0), 1) == vn(2026, 4, 28, 8, 0)
    assert due(vn(2026, 4, 29, 7, 30), 2) == vn(2026, 5, 4, 17, 0)  # 29 Apr, then 4 May


def test_working_saturday_counts():
    # Saturday 22 August 2026 is a make-up working day (for Monday 31 August).
    assert CAL.is_working_day(date(2026, 8, 22))
    assert not CAL.is_working_day(date(2026, 8, 31))
    assert due(vn(2026, 8, 21, 9, 0), 1) == vn(2026, 8, 22, 9, 0)


def test_lunch_time_receipt_starts_at_the_afternoon_opening():
    assert due(vn(2026, 11, 25, 12, 0), 4, "working_hours") == vn(2026, 11, 25, 17, 0)
    assert due(vn(2026, 11, 25, 11, 30), 0.5) == vn(2026, 11, 25, 17, 0)


def test_after_hours_receipt_starts_next_morning():
    assert due(vn(2026, 11, 25, 18, 0), 1) == vn(2026, 11, 26, 17, 0)
    # Friday evening: Monday
    assert due(vn(2026, 11, 27, 19, 0), 0.5) == vn(2026, 11, 30, 11, 30)


def test_fractional_days():
    assert due(vn(2026, 11, 25, 7, 30), 0.5) == vn(2026, 11, 25, 11, 30)
    assert due(vn(2026, 11, 25, 9, 0), 1.5) == vn(2026, 11, 26, 14, 30)


def test_calendar_days_ending_on_a_weekend_move_to_the_next_working_day():
    # Received Wed 25 Nov 2026; 10 calendar days -> Sat 5 Dec -> end of Mon 7 Dec.
    assert due(vn(2026, 11, 25, 10, 0), 10, "calendar_days") == vn(2026, 12, 7, 17, 0)
    assert due(vn(2026, 11, 25, 10, 0), 8, "calendar_days") == vn(2026, 12, 3, 17, 0)


def test_office_overrides_win():
    cal = WorkCalendar(overrides={date(2026, 11, 26): False, date(2026, 11, 28): True})
    assert due(vn(2026, 11, 25, 9, 0), 1, cal=cal) == vn(2026, 11, 27, 9, 0)
    assert due(vn(2026, 11, 27, 9, 0), 1, cal=cal) == vn(2026, 11, 28, 9, 0)


def test_office_hours_parse_and_refuse():
    hours = OfficeHours.parse("08:00-12:00,13:30-17:30", "1-6")
    assert hours.periods[1] == (time(13, 30), time(17, 30))
    assert 5 in hours.weekdays
    from counter.errors import InvalidInput

    with pytest.raises(InvalidInput):
        OfficeHours.parse("08:00-12:00,11:00-17:00")
    with pytest.raises(InvalidInput):
        OfficeHours.parse("junk")


moments = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2028, 12, 31)).map(
    lambda d: d.replace(tzinfo=VN_TZ, microsecond=0)
)
amounts = st.one_of(st.integers(0, 40).map(float), st.sampled_from([0.25, 0.5, 1.5, 2.5]))


def in_office(moment: datetime) -> bool:
    if not CAL.is_working_day(moment.date()):
        return False
    t = moment.timetz().replace(tzinfo=None)
    return any(s <= t <= e for s, e in CAL.hours.periods)


@settings(max_examples=300, deadline=None)
@given(moment=moments, value=amounts, unit=st.sampled_from(["working_days", "working_hours"]))
def test_due_is_after_receipt_and_inside_office_hours(moment, value, unit):
    result = due(moment, value, unit)
    assert result >= moment
    assert in_office(result)


@settings(max_examples=200, deadline=None)
@given(
    moment=moments,
    a=amounts,
    b=amounts,
    unit=st.sampled_from(list(["working_days", "working_hours", "calendar_days"])),
)
def test_due_is_monotonic_in_processing_time(moment, a, b, unit):
    lo, hi = sorted((a, b))
    assert due(moment, lo, unit) <= due(moment, hi, unit)


@settings(max_examples=200, deadline=None)
@given(moment=moments, n=st.integers(0, 60))
def test_calendar_days_end_at_close_of_a_working_day(moment, n):
    result = due(moment, n, "calendar_days")
    assert result.timetz().replace(tzinfo=None) == time(17, 0)
    assert CAL.is_working_day(result.date())
    assert result.date() >= moment.date() + timedelta(days=n)
