"""Which dossier codes a counter may give (docs/dossier-codes.md).

A code is ``<agency code>-<YYMMDD>-<NNNN>``: the agency, the day of receipt in Vietnam time
and the dossier's number that day. The agency's block size B (its master data, default 1000)
splits a day's numbers between its counters so that they never collide, even offline:
counter N numbers N*B+1 ... (N+1)*B-1, and block 0 is the portal's own. A counter's token may
therefore push only codes of its own block; anything else is another counter's, or nobody's.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from protocol import code_belongs_to

_DAY_AND_NUMBER = re.compile(r"-([0-9]{2})([0-9]{2})([0-9]{2})-([0-9]{4})")


@lru_cache(maxsize=2048)  # a push asks twice for each code: its block, then its day
def code_day_and_number(code: str, agency_code: str) -> tuple[date, int] | None:
    """(day of receipt, number) of one of the agency's codes; None if not of that shape."""
    if not code_belongs_to(code, agency_code):
        return None
    match = _DAY_AND_NUMBER.fullmatch(code, len(agency_code))
    if match is None:
        return None
    yy, mm, dd, number = (int(part) for part in match.groups())
    try:
        return date(2000 + yy, mm, dd), number
    except ValueError:
        return None


def block_bounds(counter_no: int, block_size: int) -> tuple[int, int]:
    """The first and last number counter ``counter_no`` may give on a day."""
    return counter_no * block_size + 1, (counter_no + 1) * block_size - 1


def in_own_block(code: str, agency_code: str, counter_no: int, block_size: int) -> bool:
    """Whether the code is one this counter of this agency may have given."""
    parts = code_day_and_number(code, agency_code)
    if parts is None:
        return False
    low, high = block_bounds(counter_no, block_size)
    return low <= parts[1] <= high
