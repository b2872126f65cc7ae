"""Citizens' ratings pushed by counters (kind ``rating``): the latest of each dossier, and the
dashboard's counts of rated and satisfied dossiers, kept in the same transaction.

A dossier is counted under the month of its receipt and its counter, as every other figure of
the dashboard's table is; a rating that replaces an earlier one moves the satisfied count
and leaves the rated count as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from portal.models import Rating, RatingCount
from protocol import SATISFIED_LEVELS, VN_TZ

_IN_CHUNK = 500


@dataclass(frozen=True)
class PushedRating:
    dossier_id: int
    agency_id: int
    counter_no: int
    received_at: datetime
    level: str
    reason: str
    at: datetime


def _satisfied(level: str | None) -> int:
    return 1 if level in SATISFIED_LEVELS else 0


def record_ratings(session: Session, ratings: Sequence[PushedRating], now: datetime) -> None:
    """Keep each dossier's latest rating (the last of the batch) and count it."""
    latest = {r.dossier_id: r for r in ratings}
    if not latest:
        return
    ids = sorted(latest)
    before: dict[int, str] = {}
    for start in range(0, len(ids), _IN_CHUNK):
        rows = session.execute(
            select(Rating.dossier_id, Rating.level).where(
                Rating.dossier_id.in_(ids[start : start + _IN_CHUNK])
            )
        )
        before.update({dossier_id: level for dossier_id, level in rows})
    counts: dict[tuple[int, date, int], list[int]] = {}
    for dossier_id, r in latest.items():
        month = r.received_at.astimezone(VN_TZ).date().replace(day=1)
        count = counts.setdefault((r.agency_id, month, r.counter_no), [0, 0])
        old = before.get(dossier_id)
        count[0] += 0 if old is not None else 1
        count[1] += _satisfied(r.level) - _satisfied(old)
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(Rating)
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["dossier_id"],
            set_={
                "level": stmt.excluded.level,
                "reason": stmt.excluded.reason,
                "at": stmt.excluded.at,
                "recorded_at": stmt.excluded.recorded_at,
            },
        ),
        [
            {
                "dossier_id": r.dossier_id,
                "level": r.level,
                "reason": r.reason,
                "at": r.at,
                "recorded_at": now,
            }
            for r in latest.values()
        ],
    )
    tally = insert(RatingCount)
    session.execute(
        tally.on_conflict_do_update(
            index_elements=["agency_id", "month", "counter_no"],
            set_={
                "rated": RatingCount.rated + tally.excluded.rated,
                "satisfied": RatingCount.satisfied + tally.excluded.satisfied,
            },
        ),
        [
            {"agency_id": a, "month": m, "counter_no": c, "rated": n[0], "satisfied": n[1]}
            for (a, m, c), n in counts.items()
        ],
    )
