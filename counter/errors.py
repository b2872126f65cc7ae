"""The domain's expected refusals, under the house's one root ``protocol.errors.KnownError``.

Every refusal carries a Vietnamese message and its English twin; the front end picks one.
"""

from __future__ import annotations

from protocol.errors import KnownError


class Refused(KnownError):
    """An expected refusal of the domain: bad input, not found, not allowed. Nothing changed."""

    kind = "refused"


class InvalidInput(Refused):
    kind = "invalid"


class NotFound(Refused):
    kind = "not_found"


class NotAllowed(Refused):
    kind = "not_allowed"


class AuthenticationFailed(Refused):
    kind = "authentication"


class StorageError(Refused):
    """The database is missing, damaged, or in use in a way we cannot wait out."""

    kind = "storage"
