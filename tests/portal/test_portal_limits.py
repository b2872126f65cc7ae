"""Bad input of every kind gets a 4xx with a clear JSON message, never a 5xx."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests
from portal_testkit import CounterClient, PortalServer, admin_ok, unique_agency_code

import protocol


def error_of(response: requests.Response) -> dict[str, Any]:
    assert response.headers["content-type"].startswith("application/json"), response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["message"] and error["message_en"]
    return error


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{not json", 400, "malformed_json"),
        (b"", 400, "malformed_json"),
        (b'{"entries": ["\xff\xfe"]}', 400, "malformed_json"),
        (b'{"entries": [NaN]}', 400, "malformed_json"),
        (b'{"entries": ' + b"[" * 200_000 + b"]" * 200_000 + b"}", 400, "malformed_json"),
        (b'{"entries": [1' + b"0" * 5000 + b"]}", 400, "malformed_json"),
        (b"[]", 422, "invalid_request"),
        (b'"entries"', 422, "invalid_request"),
        (b"{}", 422, "invalid_request"),
        (b'{"entries": {}}', 422, "invalid_request"),
        (b'{"entries": null}', 422, "invalid_request"),
        (b'{"entries": [], "counter": 1}', 422, "unknown_field"),
        (b'{"entries": [], "\\ud800\\u0000": 1}', 422, "unknown_field"),
    ],
)
def test_malformed_bodies(counter: CounterClient, body: bytes, status: int, code: str) -> None:
    response = counter.http.post(
        counter.api + "/entries",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == status, response.text
    assert error_of(response)["code"] == code


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_wrong_media_type(counter: CounterClient, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = counter.http.post(
        counter.api + "/entries", data=b'{"entries": []}', headers=headers, timeout=10
    )
    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


def test_json_with_charset_is_fine(counter: CounterClient) -> None:
    response = counter.http.post(
        counter.api + "/entries",
        data=b'{"entries": []}',
        headers={"Content-Type": "application/json; charset=utf-8"},
        timeout=10,
    )
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_entries_that_are_no_entries_are_refused_one_by_one(counter: CounterClient) -> None:
    weird: list[Any] = [
        None,
        [],
        "x",
        {"key": protocol.new_key(), "kind": "dossier", "data": {"code": ["a"]}},
        {"key": protocol.new_key(), "kind": "status", "data": {"\x00": 1}},
        {"key": protocol.new_key(), "kind": "due", "data": {"code": "\ud800"}},
        {"key": protocol.new_key().upper(), "kind": "dossier", "data": None},
        {"key": protocol.new_key(), "kind": "dossier", "data": counter.snapshot(1, applicant=None)},
        {
            "key": protocol.new_key(),
            "kind": "dossier",
            "data": counter.snapshot(1, received_at="9999-12-31T23:59:59-12:00"),
        },
    ]
    results = counter.push_ok(weird)
    assert [r["outcome"] for r in results] == ["rejected"] * len(weird)
    assert all(r["http_status"] == 422 and r["reason"]["message"] for r in results)


def test_limits_are_published(server: PortalServer) -> None:
    health = requests.get(server.url + "/api/v1/health", timeout=10).json()
    assert health["limits"] == {
        "max_batch_entries": protocol.MAX_BATCH_ENTRIES,
        "max_body_bytes": protocol.MAX_BODY_BYTES,
        "max_changes_limit": protocol.MAX_CHANGES_LIMIT,
        "max_file_bytes": protocol.MAX_FILE_BYTES,
        "max_chunk_bytes": protocol.MAX_FILE_CHUNK_BYTES,
    }


@pytest.fixture(scope="module")
def small_server(server_factory: Callable[..., PortalServer]) -> PortalServer:
    return server_factory("--max-body-bytes", "65536", "--max-batch-entries", "10")


@pytest.fixture
def small_counter(small_server: PortalServer) -> Any:
    code = unique_agency_code()
    admin_ok(small_server.db_url, "add-agency", code, "UBND xã Tân An")
    token = admin_ok(
        small_server.db_url, "add-counter", "--agency-code", code, "--counter-no", "1"
    ).strip()
    with requests.Session() as http:
        http.headers["Authorization"] = f"Bearer {token}"
        yield CounterClient(small_server, code, 1, token, http)


def test_configured_limits_are_published(small_server: PortalServer) -> None:
    health = requests.get(small_server.url + "/api/v1/health", timeout=10).json()
    assert health["limits"]["max_body_bytes"] == 65536
    assert health["limits"]["max_batch_entries"] == 10


def test_too_many_entries(small_counter: CounterClient) -> None:
    entries = [protocol.dossier_entry(small_counter.snapshot(n)) for n in range(1, 12)]
    response = small_counter.push(entries)
    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "too_many_entries"
    assert "10" in error["message"] and "11" in error["message"]
    assert small_counter.all_changes() == []  # nothing of it was recorded
    assert small_counter.push(entries[:10]).status_code == 200


def test_body_too_large(small_counter: CounterClient) -> None:
    entry = protocol.dossier_entry(small_counter.snapshot(1, note="x" * 2000))
    entries = [entry] * 40  # ~100 KB
    response = small_counter.push(entries)
    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "payload_too_large"
    assert "65536" in error["message"]


def test_body_too_large_without_content_length(small_counter: CounterClient) -> None:
    def chunks() -> Any:
        yield b'{"entries": ["'
        for _ in range(20):
            yield b"a" * 8192
        yield b'"]}'

    response = small_counter.http.post(
        small_counter.api + "/entries",
        data=chunks(),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"


def test_far_too_large_body_is_refused_before_reading(small_counter: CounterClient) -> None:
    response = small_counter.http.post(
        small_counter.api + "/entries",
        data=b"x" * (65536 * 4 + 1),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 413
    assert response.headers.get("connection") == "close"


@pytest.mark.parametrize(
    "query",
    [
        "since=-1",
        "since=abc",
        "since=1.5",
        f"since={2**53}",
        "since=99999999999999999999999999",
        "limit=0",
        f"limit={protocol.MAX_CHANGES_LIMIT + 1}",
        "exclude_own=maybe",
    ],
)
def test_bad_query_parameters(counter: CounterClient, query: str) -> None:
    response = counter.http.get(f"{counter.api}/changes?{query}", timeout=10)
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_request"
    assert error["details"][0]["field"].startswith("query.")


def test_unknown_addresses_and_methods(counter: CounterClient) -> None:
    response = counter.http.get(counter.api + "/nothing-here", timeout=10)
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    response = counter.http.delete(counter.api + "/entries", timeout=10)
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    response = counter.http.get(counter.api + "/dossiers/%00%01", timeout=10)
    assert response.status_code == 404
    assert "\x00" not in response.text
