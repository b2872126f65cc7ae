"""Dossier codes, lookup keys and the lookup URL.

A dossier code is ``<agency code>-<YYMMDD>-<XXXX>``, as the national portal numbers dossiers.
The shape is that of the repealed Circular 01/2018/TT-VPCP; one-stop work is now governed by
Decree 118/2025/NĐ-CP and Circular 03/2025/TT-VPCP, whose provision on the code was not read
(docs/legal-basis.md). Counters of one agency work offline at once, so the 4-digit number
space of a day is split into blocks, one per counter: with the default block size of 1000,
counter N numbers its dossiers N001, N002 ... N999. No two counters can produce the same
code, whatever the state of the network. Block 0 (0001-0999) is left to the portal, for
dossiers it registers online. See docs/dossier-codes.md.
"""

from __future__ import annotations

import re
import secrets
from datetime import date

from counter.errors import InvalidInput, NotAllowed

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a key read aloud or copied by hand survives.
LOOKUP_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
LOOKUP_KEY_LENGTH = 8
MAX_NUMBER = 9999

AGENCY_CODE = re.compile(r"[A-Z0-9]{1,5}(?:\.[A-Z0-9]{1,5}){1,5}")
DOSSIER_CODE = re.compile(r"(?P<agency>[A-Z0-9.]+)-(?P<day>\d{6})-(?P<number>\d{4})")


def normalise_agency_code(text: str) -> str:
    code = text.strip().upper()
    if not AGENCY_CODE.fullmatch(code):
        raise InvalidInput(
            f"Mã định danh cơ quan không hợp lệ: '{text}' (dạng 000.00.36.H62)",
            f"Invalid agency code: '{text}' (shaped like 000.00.36.H62)",
            field="agency_code",
        )
    return code


def block_range(counter_no: int, block_size: int = 1000) -> tuple[int, int]:
    """The first and last number this counter may give on one day."""
    lo = counter_no * block_size + 1
    hi = (counter_no + 1) * block_size - 1
    if counter_no < 1 or hi > MAX_NUMBER:
        raise InvalidInput(
            f"Số quầy {counter_no} không dùng được với {block_size} mã mỗi quầy mỗi ngày",
            f"Counter number {counter_no} does not fit {block_size} codes per counter per day",
            field="counter_no",
        )
    return lo, hi


def next_number(last_used: int | None, counter_no: int, block_size: int = 1000) -> int:
    lo, hi = block_range(counter_no, block_size)
    number = lo if last_used is None else last_used + 1
    if number > hi:
        raise NotAllowed(
            f"Quầy {counter_no} đã dùng hết {hi - lo + 1} mã hồ sơ của ngày hôm nay",
            f"Counter {counter_no} has used all {hi - lo + 1} dossier codes for today",
        )
    return number


def format_code(agency_code: str, day: date, number: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"


def parse_code(code: str) -> tuple[str, date, int] | None:
    m = DOSSIER_CODE.fullmatch(code.strip().upper())
    if not m:
        return None
    d = m.group("day")
    try:
        day = date(2000 + int(d[:2]), int(d[2:4]), int(d[4:]))
    except ValueError:
        return None
    return m.group("agency"), day, int(m.group("number"))


def looks_like_code(text: str) -> bool:
    return parse_code(text) is not None


def new_lookup_key() -> str:
    """Eight characters of the alphabet, each as likely as the others: from one draw of
    random bytes (a byte of 250 or more is dropped, so every character has ten of the 250)."""
    size = len(LOOKUP_ALPHABET)
    limit = 256 - 256 % size
    chars: list[str] = []
    while len(chars) < LOOKUP_KEY_LENGTH:
        chars += [LOOKUP_ALPHABET[b % size] for b in secrets.token_bytes(12) if b < limit]
    return "".join(chars[:LOOKUP_KEY_LENGTH])
