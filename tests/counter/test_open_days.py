"""The days the counter is open and the days the legal clock runs are two things: a counter
open on Saturday mornings receives dossiers then, and shortens no one's deadline."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter.clock import VN_TZ
from counter.dossiers import DossierInput
from counter.errors import InvalidInput
from counter.views import ProcessingTime
from counter.workcalendar import OfficeHours, WorkCalendar

SATURDAY = date(2026, 11, 28)
SATURDAY_MORNING = ((time(7, 30), time(11, 30)),)
CLOSED = WorkCalendar(OfficeHours())
OPEN_SATURDAY = WorkCalendar(OfficeHours.parse("07:30-11:30,13:00-17:00", "1-5", 8.0, "6"))


def vn(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), VN_TZ)


def test_a_saturday_opening_is_open_but_not_working_time():
    assert OPEN_SATURDAY.is_open_day(SATURDAY)
    assert OPEN_SATURDAY.opening_hours(SATURDAY) == SATURDAY_MORNING
    assert not OPEN_SATURDAY.is_working_day(SATURDAY)
    assert not OPEN_SATURDAY.in_working_hours(vn(SATURDAY, 9))
    assert not CLOSED.is_open_day(SATURDAY) and CLOSED.opening_hours(SATURDAY) == ()
    sunday = date(2026, 11, 29)
    assert not OPEN_SATURDAY.is_open_day(sunday)
    monday = date(2026, 11, 30)
    assert OPEN_SATURDAY.opening_hours(monday) == OfficeHours().periods


def test_holidays_and_days_off_close_the_saturday_and_a_make_up_day_is_a_working_day():
    assert not OPEN_SATURDAY.is_open_day(date(2028, 9, 2))  # Quốc khánh, a Saturday
    day_off = WorkCalendar(OPEN_SATURDAY.hours, {SATURDAY: False})
    assert not day_off.is_open_day(SATURDAY) and day_off.opening_hours(SATURDAY) == ()
    # Saturday 22 August 2026 is an official make-up working day: whole days, and counted
    make_up = date(2026, 8, 22)
    assert OPEN_SATURDAY.is_working_day(make_up)
    assert OPEN_SATURDAY.opening_hours(make_up) == OfficeHours().periods


moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31)).map(
    lambda d: d.replace(tzinfo=VN_TZ, microsecond=0)
)
times = st.one_of(
    st.tuples(st.sampled_from([0.5, 1, 2, 3, 5, 7, 10, 15]), st.just("working_days")),
    st.tuples(st.sampled_from([1, 4, 8, 12]), st.just("working_hours")),
    st.tuples(st.sampled_from([1, 2, 7, 30]), st.just("calendar_days")),
    st.tuples(st.just(0), st.just("same_day")),
)


@settings(max_examples=400, deadline=None)
@given(moments, times)
def test_opening_on_saturdays_never_moves_a_due_date(moment, time_limit):
    limit = ProcessingTime(*time_limit)
    assert OPEN_SATURDAY.due_at(moment, limit) == CLOSED.due_at(moment, limit)


def test_a_dossier_received_on_saturday_counts_from_monday_morning():
    same_day = ProcessingTime(0, "same_day")
    two_days = ProcessingTime(2, "working_days")
    saturday = vn(SATURDAY, 9, 15)
    assert OPEN_SATURDAY.due_at(saturday, two_days) == vn(date(2026, 12, 1), 17)
    assert OPEN_SATURDAY.due_at(saturday, two_days) == OPEN_SATURDAY.due_at(
        vn(date(2026, 11, 30), 7, 30), two_days
    )
    assert OPEN_SATURDAY.due_at(saturday, same_day) == vn(date(2026, 11, 30), 17)


def test_the_settings_open_saturday_and_the_due_date_stays(app, admin, clerk):
    birth = DossierInput("1.001193", "Lê Thị Bảy", received_at=vn(SATURDAY, 9))
    before = app.calendar.current()
    assert not before.is_open_day(SATURDAY)
    app.settings.set(admin, "calendar.extra_open_days", "6")
    app.settings.set(admin, "calendar.extra_open_hours", "07:00-11:00")
    now_open = app.calendar.current()
    assert now_open.is_open_day(SATURDAY)
    assert now_open.opening_hours(SATURDAY) == ((time(7, 0), time(11, 0)),)
    received = app.dossiers.receive(clerk, birth)
    assert received.due_at == vn(date(2026, 11, 30), 17)  # same day: Monday's close


@pytest.mark.parametrize(
    ("key", "bad"),
    [
        ("calendar.extra_open_days", "saturday"),
        ("calendar.extra_open_days", "8"),
        ("calendar.extra_open_hours", "11:30-07:30"),
        ("calendar.hours", "junk"),
        ("calendar.hours", "07:30-12:00,11:00-17:00"),
        ("calendar.weekdays", ""),
    ],
)
def test_bad_hours_are_refused_and_change_nothing(app, admin, key, bad):
    before = app.settings.get(key)
    with pytest.raises(InvalidInput) as refused:
        app.settings.set(admin, key, bad)
    assert key in refused.value.message("vi") and key in refused.value.message("en")
    assert app.settings.get(key) == before
    assert app.calendar.hours() == OfficeHours()


def test_hours_are_written_back_in_one_shape(app, admin):
    assert app.settings.set(admin, "calendar.extra_open_days", " 7, 6 ") == "6,7"
    assert app.settings.set(admin, "calendar.weekdays", "1,2,3,4,5") == "1-5"
    assert app.settings.set(admin, "calendar.hours", "13:00-17:00, 7:30-11:30") == (
        "07:30-11:30,13:00-17:00"
    )
    assert app.settings.set(admin, "calendar.extra_open_days", "") == ""
