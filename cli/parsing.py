"""Dates and moments typed on the command line, refused in the user's words when malformed or
outside the years the wire carries (``counter.validation.day`` and ``when``); and the files
named there, read whole or refused the same way."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from counter import validation
from counter.errors import InvalidInput


def date_arg(text: str) -> date:
    return validation.day(text, "date")


def moment_arg(text: str, field: str) -> datetime:
    return validation.when(text, field)


def file_bytes(path: Path) -> bytes:
    """The bytes of an input file named on the command line; refused, naming it and why, when
    it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInput(
            f"Không đọc được tệp '{path}': {exc.strerror}", f"Cannot read '{path}': {exc.strerror}"
        ) from None
