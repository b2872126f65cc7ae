"""The dashboard's figures, read from the monthly and daily counts and a few index ranges.

The table is about the dossiers received in the chosen month (Vietnam time): how many came
today and in the month, and what became of them: still in progress, overdue (open, due
moment passed), done on time or late (done or returned, closed by the due moment or after),
returned, the share of those received on paper that have a digitised file, and the share of
those rated by their citizen at hand-back that the citizen was satisfied with.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from portal.models import Agency, DailyCount, Dossier, MonthlyCount, PaperCount, RatingCount
from protocol import CLOSED_STATUSES, STATUSES, VN_TZ

OPEN_STATUSES = tuple(s for s in STATUSES if s not in CLOSED_STATUSES)
FINISHED = ("done", "returned")
OVERDUE_LIST_LIMIT = 100
CHART_MONTHS = 12


@dataclass
class Line:
    """One line of the table: an agency (``counter_no`` None), a counter, or the total."""

    agency_id: int | None
    agency_code: str
    label: str
    counter_no: int | None = None
    today: int = 0
    received: int = 0
    open: int = 0
    overdue: int = 0
    done_on_time: int = 0
    done_late: int = 0
    returned: int = 0
    paper: int = 0
    digitised: int = 0
    rated: int = 0  # rated by their citizen at hand-back
    satisfied: int = 0  # of those, very satisfied or satisfied

    @property
    def in_progress(self) -> int:
        return self.open - self.overdue

    @property
    def digitised_rate(self) -> float | None:
        return self.digitised / self.paper if self.paper else None

    @property
    def satisfied_rate(self) -> float | None:
        return self.satisfied / self.rated if self.rated else None

    def add(self, other: Line) -> None:
        for name in (
            "today",
            "received",
            "open",
            "overdue",
            "done_on_time",
            "done_late",
            "returned",
            "paper",
            "digitised",
            "rated",
            "satisfied",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(frozen=True)
class OverdueDossier:
    code: str
    agency_code: str
    counter_no: int
    procedure_name: str
    status: str
    received_at: datetime
    due_at: datetime


@dataclass(frozen=True)
class MonthBar:
    month: date
    received: int
    on_time: int
    late: int
    open: int


@dataclass
class Dashboard:
    month: date  # its first day
    today: date
    agency: Agency | None  # the scope: one agency, or the province
    lines: list[Line]
    total: Line
    overdue: list[OverdueDossier]
    overdue_all_months: int
    chart: list[MonthBar] = field(default_factory=list)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month's first moment and the next month's, in Vietnam time."""
    start = datetime.combine(month.replace(day=1), time(0), VN_TZ)
    following = (start.date() + timedelta(days=32)).replace(day=1)
    return start, datetime.combine(following, time(0), VN_TZ)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _in_scope(column: Any, agency: Agency | None) -> list[ColumnElement[bool]]:
    return [] if agency is None else [column == agency.id]


def dashboard(
    session: Session, month: date, now: datetime, agency: Agency | None = None
) -> Dashboard:
    """The figures of ``month`` for the province (``agency`` None) or one agency: per agency
    for the province, per counter for an agency."""
    month = month.replace(day=1)
    today = now.astimezone(VN_TZ).date()
    start, end = month_bounds(month)
    agencies = {
        a.id: a
        for a in session.scalars(
            select(Agency).where(*_in_scope(Agency.id, agency)).order_by(Agency.code)
        )
    }
    per_counter = agency is not None
    lines: dict[tuple[int, int | None], Line] = {}

    def line(agency_id: int, counter_no: int) -> Line:
        key = (agency_id, counter_no if per_counter else None)
        if key not in lines:
            a = agencies[agency_id]
            label = f"Quầy số {counter_no}" if per_counter else a.name
            lines[key] = Line(agency_id, a.code, label, key[1])
        return lines[key]

    if not per_counter:  # every agency of the province has its line, even an idle one
        for a in agencies.values():
            line(a.id, 0)

    counts = session.execute(
        select(
            MonthlyCount.agency_id,
            MonthlyCount.counter_no,
            MonthlyCount.status,
            MonthlyCount.late,
            func.sum(MonthlyCount.n),
        )
        .where(MonthlyCount.month == month, *_in_scope(MonthlyCount.agency_id, agency))
        .group_by(
            MonthlyCount.agency_id,
            MonthlyCount.counter_no,
            MonthlyCount.status,
            MonthlyCount.late,
        )
    )
    for agency_id, counter_no, status, late, n in counts:
        n = int(n or 0)
        target = line(agency_id, counter_no)
        target.received += n
        if status in OPEN_STATUSES:
            target.open += n
        if status in FINISHED:
            if late:
                target.done_late += n
            else:
                target.done_on_time += n
        if status == "returned":
            target.returned += n

    received_today = session.execute(
        select(DailyCount.agency_id, DailyCount.counter_no, func.sum(DailyCount.n))
        .where(DailyCount.day == today, *_in_scope(DailyCount.agency_id, agency))
        .group_by(DailyCount.agency_id, DailyCount.counter_no)
    )
    for agency_id, counter_no, n in received_today:
        line(agency_id, counter_no).today += int(n or 0)

    overdue_now = [
        Dossier.status.in_(OPEN_STATUSES),
        Dossier.due_at < now,
        *_in_scope(Dossier.agency_id, agency),
    ]
    in_month = [Dossier.received_at >= start, Dossier.received_at < end]
    for agency_id, counter_no, n in session.execute(
        select(Dossier.agency_id, Dossier.counter_no, func.count())
        .where(*overdue_now, *in_month)
        .group_by(Dossier.agency_id, Dossier.counter_no)
    ):
        line(agency_id, counter_no).overdue += int(n)

    for agency_id, counter_no, paper, digitised in session.execute(
        select(
            PaperCount.agency_id, PaperCount.counter_no, PaperCount.paper, PaperCount.digitised
        ).where(PaperCount.month == month, *_in_scope(PaperCount.agency_id, agency))
    ):
        target = line(agency_id, counter_no)
        target.paper += int(paper)
        target.digitised += int(digitised)

    for agency_id, counter_no, rated, satisfied in session.execute(
        select(
            RatingCount.agency_id, RatingCount.counter_no, RatingCount.rated, RatingCount.satisfied
        ).where(RatingCount.month == month, *_in_scope(RatingCount.agency_id, agency))
    ):
        target = line(agency_id, counter_no)
        target.rated += int(rated)
        target.satisfied += int(satisfied)

    ordered = sorted(lines.values(), key=lambda x: (x.agency_code, x.counter_no or 0))
    total = Line(None, "", "Tổng cộng")
    for each in ordered:
        total.add(each)

    # The oldest overdue first: their ids from the index, then those rows alone.
    oldest = (
        select(Dossier.id)
        .where(*overdue_now, *in_month)
        .order_by(Dossier.due_at, Dossier.id)
        .limit(OVERDUE_LIST_LIMIT)
        .scalar_subquery()
    )
    overdue = [
        OverdueDossier(code, agencies[a].code, counter_no, name, status, received_at, due_at)
        for code, a, counter_no, name, status, received_at, due_at in session.execute(
            select(
                Dossier.code,
                Dossier.agency_id,
                Dossier.counter_no,
                Dossier.procedure_name,
                Dossier.status,
                Dossier.received_at,
                Dossier.due_at,
            )
            .where(Dossier.id.in_(oldest))
            .order_by(Dossier.due_at, Dossier.id)
        )
    ]
    overdue_all = int(session.scalar(select(func.count()).where(*overdue_now)) or 0)
    return Dashboard(
        month=month,
        today=today,
        agency=agency,
        lines=ordered,
        total=total,
        overdue=overdue,
        overdue_all_months=overdue_all,
        chart=chart(session, month, agency),
    )


def chart(session: Session, last: date, agency: Agency | None) -> list[MonthBar]:
    """Per month, the twelve months up to ``last``: received, and of those done on time,
    done late and still open."""
    first = add_months(last, 1 - CHART_MONTHS)
    bars: dict[date, dict[str, int]] = {
        add_months(first, i): {"received": 0, "on_time": 0, "late": 0, "open": 0}
        for i in range(CHART_MONTHS)
    }
    rows: Iterable[Any] = session.execute(
        select(MonthlyCount.month, MonthlyCount.status, MonthlyCount.late, func.sum(MonthlyCount.n))
        .where(
            MonthlyCount.month >= first,
            MonthlyCount.month <= last,
            *_in_scope(MonthlyCount.agency_id, agency),
        )
        .group_by(MonthlyCount.month, MonthlyCount.status, MonthlyCount.late)
    )
    for month, status, late, n in rows:
        bar = bars.get(month)
        if bar is None:
            continue
        n = int(n or 0)
        bar["received"] += n
        if status in FINISHED:
            bar["late" if late else "on_time"] += n
        elif status in OPEN_STATUSES:
            bar["open"] += n
    return [MonthBar(month, **values) for month, values in bars.items()]
