"""Two kinds of error (STYLE.md): expected refusals with a message for the clerk, and bugs.

Every refusal carries a Vietnamese message and its English twin; the front end picks one.
"""

from __future__ import annotations


class Refused(Exception):
    """An expected refusal: bad input, not found, not allowed. Nothing was changed."""

    kind = "refused"

    def __init__(self, message_vi: str, message_en: str | None = None, *, field: str = ""):
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.message_en = message_en or message_vi
        self.field = field

    def message(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message_vi


class InvalidInput(Refused):
    kind = "invalid"


class NotFound(Refused):
    kind = "not_found"


class NotAllowed(Refused):
    kind = "not_allowed"


class AuthenticationFailed(Refused):
    kind = "authentication"


class Conflict(Refused):
    kind = "conflict"


class StorageError(Refused):
    """The database is missing, damaged, or in use in a way we cannot wait out."""

    kind = "storage"
