"""The dashboard's counts, kept current in the transaction of every change.

Each dossier is counted once, under its key: agency, month of receipt (Vietnam time),
counter, status, closed late or not. A push or a department's move takes one from the old
key and adds one to the new, so the counts always add up to the dossiers. Beside them: the
dossiers received per counter and day (for "today"), and per counter and month those
received on paper and those of them with a digitised file (one more when a dossier's first
file is linked). ``rebuild`` makes them all again from the dossiers (a portal upgraded from
before the dashboard).
"""

from __future__ import annotations

from collections import Counter as Tally
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import case, delete, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from portal.files_table import DossierFile
from portal.models import (
    Change,
    DailyCount,
    Dossier,
    MonthlyCount,
    PaperCount,
    Rating,
    RatingCount,
)
from protocol import CLOSED_STATUSES, SATISFIED_LEVELS, VN_TZ

#: Channels whose papers come on paper, and so are digitised at the counter.
PAPER_CHANNELS = ("direct", "postal")


class Key(NamedTuple):
    agency_id: int
    month: date  # its first day
    counter_no: int
    status: str
    late: bool


def key_of(
    agency_id: int,
    counter_no: int,
    received_at: datetime,
    status: str,
    closed_at: datetime | None,
    due_at: datetime,
) -> Key:
    return Key(
        agency_id,
        received_at.astimezone(VN_TZ).date().replace(day=1),
        counter_no,
        status,
        closed_at is not None and closed_at > due_at,
    )


def dossier_key(dossier: Dossier) -> Key:
    return key_of(
        dossier.agency_id,
        dossier.counter_no,
        dossier.received_at,
        dossier.status,
        dossier.closed_at,
        dossier.due_at,
    )


def closed_moment(
    old_status: str | None, new_status: str, closed_at: datetime | None, at: datetime
) -> datetime | None:
    """When a dossier moving to ``new_status`` at ``at`` was first closed (None: open).

    A closed dossier that moves on (done, then returned) keeps the moment it was closed.
    """
    if new_status not in CLOSED_STATUSES:
        return None
    if old_status in CLOSED_STATUSES and closed_at is not None:
        return closed_at
    return at


class Deltas:
    """Moves between keys gathered in a unit of work, written at its end in one statement."""

    def __init__(self) -> None:
        self.tally: Tally[Key] = Tally()
        self.received: Tally[tuple[int, date, int]] = Tally()
        self.paper: Tally[tuple[int, date, int]] = Tally()

    def add(self, key: Key, received_at: datetime, channel: str) -> None:
        """A new dossier."""
        self.tally[key] += 1
        self.received[(key.agency_id, received_at.astimezone(VN_TZ).date(), key.counter_no)] += 1
        if channel in PAPER_CHANNELS:
            self.paper[(key.agency_id, key.month, key.counter_no)] += 1

    def move(self, old: Key | None, new: Key) -> None:
        if old == new:
            return
        if old is not None:
            self.tally[old] -= 1
        self.tally[new] += 1

    def write(self, session: Session) -> None:
        upsert = _upsert(session)
        monthly = [{**key._asdict(), "n": n} for key, n in self.tally.items() if n]
        if monthly:
            stmt = upsert(MonthlyCount)
            stmt = stmt.on_conflict_do_update(
                index_elements=list(Key._fields), set_={"n": MonthlyCount.n + stmt.excluded.n}
            )
            session.execute(stmt, monthly)
        daily = [
            {"agency_id": a, "day": d, "counter_no": c, "n": n}
            for (a, d, c), n in self.received.items()
        ]
        if daily:
            stmt = upsert(DailyCount)
            stmt = stmt.on_conflict_do_update(
                index_elements=["agency_id", "day", "counter_no"],
                set_={"n": DailyCount.n + stmt.excluded.n},
            )
            session.execute(stmt, daily)
        paper = [
            {"agency_id": a, "month": m, "counter_no": c, "paper": n, "digitised": 0}
            for (a, m, c), n in self.paper.items()
        ]
        if paper:
            stmt = upsert(PaperCount)
            stmt = stmt.on_conflict_do_update(
                index_elements=["agency_id", "month", "counter_no"],
                set_={"paper": PaperCount.paper + stmt.excluded.paper},
            )
            session.execute(stmt, paper)
        self.tally.clear()
        self.received.clear()
        self.paper.clear()


def _upsert(session: Session) -> Any:
    dialect = session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def count_digitised(session: Session, dossier: Dossier) -> None:
    """``dossier`` gets its first digitised file (in the unit of work that links it)."""
    if dossier.channel not in PAPER_CHANNELS:
        return
    stmt = _upsert(session)(PaperCount).values(
        agency_id=dossier.agency_id,
        month=dossier.received_at.astimezone(VN_TZ).date().replace(day=1),
        counter_no=dossier.counter_no,
        paper=0,
        digitised=1,
    )
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["agency_id", "month", "counter_no"],
            set_={"digitised": PaperCount.digitised + stmt.excluded.digitised},
        )
    )


def _receipt_day(dialect: str) -> Any:
    # received_at is stored as naive UTC; the day of receipt is Vietnam's (UTC+7, no DST).
    if dialect == "postgresql":
        return text("CAST(dossiers.received_at + INTERVAL '7 hours' AS DATE)")
    return func.date(Dossier.received_at, "+7 hours")


def _receipt_month(dialect: str) -> Any:
    if dialect == "postgresql":
        return text("CAST(date_trunc('month', dossiers.received_at + INTERVAL '7 hours') AS DATE)")
    return func.date(Dossier.received_at, "+7 hours", "start of month")


def rebuild(session: Session) -> int:
    """Every count again from the dossiers (closing moments taken from their history where
    a dossier has none); the number of dossiers counted."""
    closed = list(CLOSED_STATUSES)
    closing = (
        select(func.min(Change.at))
        .where(Change.dossier_id == Dossier.id, Change.status.in_(closed))
        .scalar_subquery()
    )
    session.execute(
        update(Dossier)
        .where(Dossier.status.in_(closed), Dossier.closed_at.is_(None))
        .values(closed_at=func.coalesce(closing, Dossier.updated_at))
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Dossier)
        .where(Dossier.status.not_in(closed), Dossier.closed_at.is_not(None))
        .values(closed_at=None)
        .execution_options(synchronize_session=False)
    )
    for table in (MonthlyCount, DailyCount, PaperCount, RatingCount):
        session.execute(delete(table))
    dialect = session.get_bind().dialect.name
    month, day = _receipt_month(dialect), _receipt_day(dialect)
    late = func.coalesce(Dossier.closed_at > Dossier.due_at, False)
    keys = (Dossier.agency_id, month, Dossier.counter_no, Dossier.status, late)
    session.execute(
        insert(MonthlyCount).from_select(
            [*Key._fields, "n"], select(*keys, func.count()).group_by(*keys)
        )
    )
    days = (Dossier.agency_id, day, Dossier.counter_no)
    session.execute(
        insert(DailyCount).from_select(
            ["agency_id", "day", "counter_no", "n"], select(*days, func.count()).group_by(*days)
        )
    )
    has_file = select(DossierFile.id).where(DossierFile.dossier_id == Dossier.id).exists()
    digitised = func.sum(case((has_file, 1), else_=0))
    months = (Dossier.agency_id, month, Dossier.counter_no)
    session.execute(
        insert(PaperCount).from_select(
            ["agency_id", "month", "counter_no", "paper", "digitised"],
            select(*months, func.count(), digitised)
            .where(Dossier.channel.in_(PAPER_CHANNELS))
            .group_by(*months),
        )
    )
    satisfied = func.sum(case((Rating.level.in_(SATISFIED_LEVELS), 1), else_=0))
    session.execute(
        insert(RatingCount).from_select(
            ["agency_id", "month", "counter_no", "rated", "satisfied"],
            select(*months, func.count(), satisfied)
            .select_from(Rating)
            .join(Dossier, Dossier.id == Rating.dossier_id)
            .group_by(*months),
        )
    )
    return int(session.scalar(select(func.coalesce(func.sum(MonthlyCount.n), 0))) or 0)
