"""Dates and moments typed on the command line, refused in the user's words when malformed or
outside the years the wire carries (``counter.validation.day`` and ``when``)."""

from __future__ import annotations

from datetime import date, datetime

from counter import validation


def date_arg(text: str) -> date:
    return validation.day(text, "date")


def moment_arg(text: str, field: str) -> datetime:
    return validation.when(text, field)
