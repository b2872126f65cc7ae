"""Vietnam time: one time zone, no daylight saving, so a fixed offset is exact."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7), "ICT")


def now() -> datetime:
    """The current moment in Vietnam time, to the second.

    ``COUNTER_NOW`` (an ISO 8601 moment) pins the clock: used by demos and end-to-end
    checks that must produce the same dates every run.
    """
    pinned = os.environ.get("COUNTER_NOW")
    if pinned:
        return parse_datetime(pinned)
    return datetime.now(UTC).astimezone(VN_TZ).replace(microsecond=0)


def to_vn(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=VN_TZ)
    return moment.astimezone(VN_TZ)


def parse_datetime(text: str) -> datetime:
    """ISO 8601; without an offset it is Vietnam time."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return to_vn(value)


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 with its offset, seconds precision."""
    if moment is None:
        return None
    return to_vn(moment).isoformat(timespec="seconds")
