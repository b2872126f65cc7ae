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


# -- same-day procedures ("trả kết quả trong ngày; nếu tiếp nhận sau 15 giờ thì trả trong ngày
# làm việc tiếp theo") ---------------------------------------------------------------------------

SAME_DAY = ProcessingTime(0, "same_day")


@pytest.mark.parametrize(
    ("received", "due"),
    [
        ("2026-11-26T14:00:00+07:00", "2026-11-26T17:00:00+07:00"),  # Thursday, before 15:00
        ("2026-11-26T14:59:59+07:00", "2026-11-26T17:00:00+07:00"),
        ("2026-11-26T15:00:00+07:00", "2026-11-27T17:00:00+07:00"),  # at the cut-off
        ("2026-11-26T15:30:00+07:00", "2026-11-27T17:00:00+07:00"),
        ("2026-11-27T15:30:00+07:00", "2026-11-30T17:00:00+07:00"),  # Friday -> Monday
        ("2026-11-28T09:00:00+07:00", "2026-11-30T17:00:00+07:00"),  # Saturday: office closed
        ("2026-11-26T18:00:00+07:00", "2026-11-27T17:00:00+07:00"),  # after closing
        ("2026-11-26T12:00:00+07:00", "2026-11-27T17:00:00+07:00"),  # lunch: outside hours
        ("2026-11-26T07:30:00+07:00", "2026-11-26T17:00:00+07:00"),  # at opening
    ],
)
def test_same_day_with_the_cut_off(received: str, due: str) -> None:
    calendar = WorkCalendar()
    assert calendar.due_at(datetime.fromisoformat(received), SAME_DAY) == datetime.fromisoformat(
        due
    )


def test_same_day_with_a_procedures_own_cut_off() -> None:
    calendar = WorkCalendar()
    later = ProcessingTime(0, "same_day", "16:00")
    at_1530 = datetime.fromisoformat("2026-11-26T15:30:00+07:00")
    assert calendar.due_at(at_1530, later) == datetime.fromisoformat("2026-11-26T17:00:00+07:00")
    assert calendar.due_at(at_1530, SAME_DAY) == datetime.fromisoformat("2026-11-27T17:00:00+07:00")


def test_same_day_skips_a_public_holiday() -> None:
    # 30 April and 1 May 2026 are public holidays (a Thursday and a Friday).
    received = datetime.fromisoformat("2026-04-29T16:00:00+07:00")
    due = WorkCalendar().due_at(received, SAME_DAY)
    assert due == datetime.fromisoformat("2026-05-04T17:00:00+07:00")


def test_same_day_reads_in_both_languages() -> None:
    assert "15:00" in SAME_DAY.describe("vi") and "trong ngày" in SAME_DAY.describe("vi")
    assert "same day" in ProcessingTime(0, "same_day", "16:00").describe("en")
    assert "16:00" in ProcessingTime(0, "same_day", "16:00").describe("en")


def test_the_catalogue_file_takes_a_cut_off_only_for_same_day() -> None:
    from counter.catalog import parse_catalog
    from counter.errors import InvalidInput

    def procedure(processing_time: dict[str, object]) -> dict[str, object]:
        return {
            "code": "2.000815",
            "name": "Chứng thực bản sao từ bản chính",
            "field": {"code": "CT", "name": "Chứng thực"},
            "level": "commune",
            "processing_time": processing_time,
            "fees": [],
            "documents": [],
        }

    _, [same_day] = parse_catalog(
        {"procedures": [procedure({"value": 0, "unit": "same_day", "cutoff": "16:00"})]}
    )
    assert same_day.processing_time == ProcessingTime(0, "same_day", "16:00")
    for bad in (
        {"value": 1, "unit": "working_days", "cutoff": "15:00"},
        {"value": 0, "unit": "same_day", "cutoff": "3pm"},
    ):
        with pytest.raises(InvalidInput) as refused:
            parse_catalog({"procedures": [procedure(bad)]})
        assert "cutoff" in refused.value.message_en


def test_every_sample_procedure_states_a_supported_time_limit() -> None:
    import json

    from counter.catalog import SAMPLE_CATALOG
    from protocol.constants import PROCESSING_UNITS

    doc = json.loads(SAMPLE_CATALOG.read_text(encoding="utf-8"))
    units = {p["code"]: p["processing_time"]["unit"] for p in doc["procedures"]}
    assert set(units.values()) <= set(PROCESSING_UNITS)
    # Birth, marriage and death registration and certified copies are same-day procedures.
    for code in ("1.001193", "1.000894", "1.000656", "2.000815", "2.000884"):
        assert units[code] == "same_day", code
