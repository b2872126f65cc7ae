"""The portal's refusals share the house's error root, and keep their shape on the wire."""

from __future__ import annotations

import pytest

from portal.db import DatabaseUrlError, normalize_url
from portal.errors import CommandRefused, PortalError, invalid, not_found
from protocol.errors import KnownError


def test_every_portal_refusal_is_a_known_error() -> None:
    for exc in (invalid("sai", "wrong"), not_found("hồ sơ", "Dossier"), CommandRefused("x")):
        assert isinstance(exc, KnownError)
    with pytest.raises(KnownError) as caught:
        normalize_url("mysql://host/db")
    assert isinstance(caught.value, DatabaseUrlError)
    assert "mysql" in caught.value.message_vi and "mysql" in caught.value.message_en


def test_wire_body_keeps_its_keys() -> None:
    exc = PortalError("cursor_ahead", "Con trỏ quá xa.", "Cursor too far.", http_status=409)
    assert exc.message("en") == "Cursor too far." and exc.message() == "Con trỏ quá xa."
    assert exc.as_json() == {
        "error": {
            "code": "cursor_ahead",
            "message": "Con trỏ quá xa.",
            "message_en": "Cursor too far.",
        }
    }
    detailed = PortalError("invalid_request", "Sai.", "Wrong.", details=[{"field": "limit"}])
    assert detailed.as_json()["error"]["details"] == [{"field": "limit"}]
    assert detailed.http_status == 400 and exc.http_status == 409
