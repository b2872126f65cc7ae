"""The portal's expected refusals, under the house's one root ``protocol.errors.KnownError``.

The HTTP layer turns a ``PortalError`` into ``{"error": {"code", "message", "message_en"}}``;
the command line prints any ``KnownError`` as one ``error: ...`` line. Anything else that goes
wrong is a bug and is logged with its trace.
"""

from __future__ import annotations

from typing import Any

from protocol.errors import KnownError


class PortalError(KnownError):
    """Bad input, something not found or not allowed: an error code and an HTTP status."""

    kind = "portal"

    def __init__(
        self,
        code: str,
        message_vi: str,
        message_en: str,
        *,
        http_status: int = 400,
        details: list[Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message_vi, message_en)
        self.code = code
        self.http_status = http_status
        self.details = details
        self.headers = headers or {}

    def __str__(self) -> str:
        return self.message_en

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "code": self.code,
            "message": self.message_vi,
            "message_en": self.message_en,
        }
        if self.details:
            body["details"] = self.details
        return {"error": body}


class CommandRefused(KnownError):
    """An admin command that cannot be done (an unreadable file, a port in use, a bad value)."""

    kind = "command_refused"


def not_found(what_vi: str, what_en: str) -> PortalError:
    return PortalError(
        "not_found", f"Không tìm thấy {what_vi}.", f"{what_en} not found.", http_status=404
    )


def invalid(message_vi: str, message_en: str) -> PortalError:
    return PortalError("invalid_request", message_vi, message_en, http_status=422)
