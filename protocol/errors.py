"""The root of every expected error in the house.

An expected error is one a person can act on: bad input, something not found or not
allowed, a portal out of reach, a printer that said no. It carries a Vietnamese message and
its English twin; a front end catches ``KnownError`` alone and shows ``message(lang)``.
Anything that is not a ``KnownError`` is a bug, logged with its trace.

Each layer subclasses it: ``counter.errors.Refused``, ``sync.errors.SyncError``,
``printing.printers.PrintError``, ``portal.errors.PortalError`` and the wire format's
``WireError``.
"""

from __future__ import annotations


class KnownError(Exception):
    """An expected failure, said for the clerk (Vietnamese) and in English. Nothing changed."""

    #: A short stable word for the kind of failure (tests, logs and the portal's error codes).
    kind = "known"

    def __init__(self, message_vi: str, message_en: str | None = None, *, field: str = ""):
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.message_en = message_en or message_vi
        #: The input field the message is about, when there is one.
        self.field = field

    def message(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message_vi
