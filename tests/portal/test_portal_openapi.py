"""The committed OpenAPI document is current, and the live portal honours it (schemathesis)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from portal_testkit import ROOT, CounterClient, PortalServer, admin_ok, unique_agency_code
from schemathesis import checks

import protocol
from portal.app import openapi_document

DOCUMENT = ROOT / "docs" / "portal-api.json"
REGENERATE = "python -m portal openapi -o docs/portal-api.json"


def test_committed_document_is_current() -> None:
    committed = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    assert committed == openapi_document(), f"docs/portal-api.json is stale: run {REGENERATE}"


def test_served_document_is_the_committed_one(server: PortalServer) -> None:
    served = requests.get(server.url + "/api/v1/openapi.json", timeout=10).json()
    assert served == json.loads(DOCUMENT.read_text(encoding="utf-8"))


def test_document_covers_the_protocol() -> None:
    doc = openapi_document()
    assert set(doc["paths"]) == {
        "/api/v1/health",
        "/api/v1/entries",
        "/api/v1/changes",
        "/api/v1/master/catalog",
        "/api/v1/master/calendar",
        "/api/v1/master/office",
        "/api/v1/attention",
        "/api/v1/audit-head",
        "/api/v1/dossiers/{code}",
        "/api/v1/applicants/{id_number}",
        "/api/v1/files/{sha256}",
        "/api/v1/dossiers/{code}/files",
        "/api/v1/dossiers/{code}/handovers",
        "/tra-cuu",
    }
    assert set(protocol.json_schemas()) <= set(doc["components"]["schemas"])
    assert doc["components"]["securitySchemes"]["CounterToken"]["scheme"] == "bearer"
    assert "security" not in doc["paths"]["/api/v1/health"]["get"]
    assert doc["paths"]["/api/v1/changes"]["get"]["security"] == [{"CounterToken": []}]
    # hand-overs take a processing system's token, never a counter's
    handovers = doc["paths"]["/api/v1/dossiers/{code}/handovers"]["post"]
    assert handovers["security"] == [{"SystemToken": []}]


# A bounded fuzzing run against a live server: requests generated from the committed document
# (valid and invalid ones) must never get a 5xx, and every answer must be one the document
# describes (status code, content type, body schema, headers).

schema = schemathesis.openapi.from_path(DOCUMENT)


@pytest.fixture(scope="module")
def fuzz_counter(server_factory: Callable[..., PortalServer]) -> Iterator[CounterClient]:
    """A counter on a portal of its own, with a little of everything in it."""
    server = server_factory("--lookup-rate", "0")
    agency = unique_agency_code()
    admin_ok(server.db_url, "add-agency", agency, "UBND xã Tân An")
    token = admin_ok(server.db_url, "add-counter", "--agency-code", agency, "--counter-no", "1")
    with requests.Session() as http:
        http.headers["Authorization"] = f"Bearer {token.strip()}"
        client = CounterClient(server, agency, 1, token.strip(), http)
        entry = protocol.dossier_entry(client.snapshot(1))
        client.push_ok([entry, {**entry, "data": {**entry["data"], "sets": 3}}])
        admin_ok(server.db_url, "set-status", client.code(1), "processing")
        admin_ok(server.db_url, "calendar", "day-off", "2026-12-31")
        yield client


CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_live_portal_honours_its_document(case: Any, fuzz_counter: CounterClient) -> None:
    headers = {"Authorization": f"Bearer {fuzz_counter.token}"}
    response = case.call(base_url=fuzz_counter.server.url, headers=headers, timeout=30)
    case.validate_response(response, checks=CHECKS)
