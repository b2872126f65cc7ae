"""Time and JSON as the wire has them: Vietnam time with an offset, strict compact UTF-8 JSON.

Also ``printable``: a value made safe to quote back in a message.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from protocol.constants import VN_TZ

# C0 controls other than tab, line feed and carriage return, DEL, and lone surrogates: no
# database stores them faithfully and no clerk typed them.
BAD_CHARS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

MIN_YEAR = 1990
MAX_YEAR = 2199


def now_vn() -> datetime:
    """Now in Vietnam time, to the second (what the portal stamps on what it records)."""
    return datetime.now(VN_TZ).replace(microsecond=0)


def format_datetime(moment: datetime) -> str:
    """ISO 8601 in Vietnam time, e.g. ``2026-11-26T08:30:00+07:00`` (microseconds kept if any)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every datetime on the wire carries an offset")
    return moment.astimezone(VN_TZ).isoformat()


def parse_datetime(text: str) -> datetime:
    """Parse an ISO 8601 datetime that carries an offset; the result is in Vietnam time.

    Raises ValueError for anything else, including a datetime without an offset and years
    outside 1990-2199 (which no dossier has, and which would overflow time-zone arithmetic).
    """
    if not isinstance(text, str) or len(text) > 40 or "T" not in text.upper():
        raise ValueError("not an ISO 8601 datetime")
    return _parse_moment(text)


@lru_cache(maxsize=4096)
def _parse_moment(text: str) -> datetime:
    """``parse_datetime`` past its first checks, once for each text: a push's entries share
    their days of receipt and due days, parsed several times each on the way."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("datetime without an offset")
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise ValueError("year out of range")
    return moment.astimezone(VN_TZ)


def parse_date(text: str) -> date:
    """Parse ``YYYY-MM-DD`` exactly."""
    if not isinstance(text, str) or re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is None:
        raise ValueError("not a YYYY-MM-DD date")
    day = date.fromisoformat(text)
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError("year out of range")
    return day


# --------------------------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------------------------


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def loads(data: bytes | str) -> Any:
    """Strict JSON: UTF-8 only, no NaN/Infinity. Raises ValueError (and RecursionError)."""
    text = data.decode("utf-8") if isinstance(data, bytes | bytearray) else data
    return json.loads(text, parse_constant=_refuse_constant)


# What ``json.dumps`` makes anew at each call given these options: made once.
_WIRE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
_CANONICAL = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
).encode


def dumps(obj: Any) -> bytes:
    """Compact UTF-8 JSON as sent on the wire."""
    return _WIRE(obj).encode()


def canonical_json(obj: Any) -> str:
    """Key-sorted compact JSON: equal content gives equal text, whatever the key order."""
    return _CANONICAL(obj)


def content_hash(kind: str, data: Mapping[str, Any]) -> str:
    """The fingerprint of an entry's (normalised) content, compared under one idempotency key."""
    return hash_canonical(kind, canonical_json(data))


def hash_canonical(kind: str, data_text: str) -> str:
    """``content_hash(kind, data)`` from ``canonical_json(data)``, when it is at hand: the
    canonical text of ``{"kind": kind, "data": data}`` is that text between its two keys'."""
    text = '{"data":' + data_text + ',"kind":' + _kind_text(kind) + "}"
    return hashlib.sha256(text.encode()).hexdigest()


@lru_cache(maxsize=64)
def _kind_text(kind: str) -> str:
    return canonical_json(kind)


def printable(text: str, limit: int = 60) -> str:
    """A field name or value made safe to quote in a message (no control chars, bounded)."""
    safe = text.encode("utf-8", "backslashreplace").decode("utf-8")
    safe = BAD_CHARS_RE.sub("?", safe)
    return safe if len(safe) <= limit else safe[: limit - 1] + "…"
