"""Vietnam time: one time zone, no daylight saving, so a fixed offset is exact."""

from __future__ import annotations

import functools
import os
from datetime import UTC, datetime, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7), "ICT")
#: Where stored moments count from (``stored``): the Unix epoch.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SECOND = timedelta(seconds=1)


#: The switch a test run sets to let ``COUNTER_NOW`` pin the clock; never set in production.
TEST_CLOCK_SWITCH = "COUNTER_TEST_CLOCK"


def now() -> datetime:
    """The current moment in Vietnam time, to the second.

    A test clock: ``COUNTER_NOW`` (an ISO 8601 moment) pins it, but only when
    ``COUNTER_TEST_CLOCK=1`` is set as well, as the test fixtures and the developer tools do
    (screenshots and samples that must show the same dates every run). Otherwise it is
    ignored: a pinned clock would lift a lockout or date a dossier at will.
    """
    pinned = os.environ.get("COUNTER_NOW")
    if pinned and os.environ.get(TEST_CLOCK_SWITCH) == "1":
        return parse_datetime(pinned)
    return wall_now()


def wall_now() -> datetime:
    """The real moment, whatever a test clock says: for what no one may move by setting a
    variable, even where the test switch is on (when a sign-in lockout ends)."""
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
    return _iso(moment)


@functools.lru_cache(maxsize=1024)
def _iso(moment: datetime) -> str:
    # a dossier's moments are written several times over (its row, history, payload, digest)
    return to_vn(moment).isoformat(timespec="seconds")


# -- how the database keeps a moment --------------------------------------------------------


def stored(moment: datetime) -> int:
    """A moment as the counter's database keeps it: whole seconds since the Unix epoch (UTC).

    An integer keeps order and is exact to the second, as every moment the counter writes is
    (``now``; ``iso`` prints seconds): four bytes a value until 2038, six after, where the ISO
    text took 25. A moment without an offset is Vietnam time, as ``parse_datetime`` reads it.
    """
    return (to_vn(moment) - EPOCH) // _SECOND


def from_stored(seconds: int) -> datetime:
    """``stored``'s moment back, in Vietnam time."""
    return datetime.fromtimestamp(seconds, VN_TZ)
