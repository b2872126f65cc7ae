"""Expected refusals, in words for a person (Vietnamese) and for a developer (English).

A ``PortalError`` is bad input, something not found, or something not allowed; the HTTP layer
turns it into ``{"error": {"code", "message", "message_en"}}`` and the admin command line into
one ``error: ...`` line. Anything else that goes wrong is a bug and is logged with its trace.
"""

from __future__ import annotations

from typing import Any


class PortalError(Exception):
    def __init__(
        self,
        code: str,
        message: str,
        message_en: str,
        *,
        http_status: int = 400,
        details: list[Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message_en)
        self.code = code
        self.message = message
        self.message_en = message_en
        self.http_status = http_status
        self.details = details
        self.headers = headers or {}

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "message_en": self.message_en,
        }
        if self.details:
            body["details"] = self.details
        return {"error": body}


def not_found(what_vi: str, what_en: str) -> PortalError:
    return PortalError(
        "not_found", f"Không tìm thấy {what_vi}.", f"{what_en} not found.", http_status=404
    )


def invalid(message: str, message_en: str) -> PortalError:
    return PortalError("invalid_request", message, message_en, http_status=422)
