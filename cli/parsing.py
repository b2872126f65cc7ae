"""Dates and moments typed on the command line, refused in the user's words when malformed."""

from __future__ import annotations

from datetime import date, datetime

from counter.clock import parse_datetime
from counter.errors import InvalidInput


def date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"Ngày không hợp lệ: '{text}' (dạng YYYY-MM-DD)", f"Invalid date: '{text}' (YYYY-MM-DD)"
        ) from None


def moment_arg(text: str, field: str) -> datetime:
    try:
        return parse_datetime(text)
    except ValueError:
        raise InvalidInput(
            f"Thời điểm không hợp lệ: '{text}' (dạng 2026-11-26T08:30)",
            f"Invalid moment: '{text}' (like 2026-11-26T08:30)",
            field=field,
        ) from None
