"""The portal's log says what happened without tokens or personal data."""

from __future__ import annotations

from collections.abc import Callable

import requests
from portal_testkit import CounterClient, PortalServer, admin_ok, unique_agency_code

import protocol


def test_log_has_no_tokens_or_personal_data(server_factory: Callable[..., PortalServer]) -> None:
    server = server_factory()
    agency = unique_agency_code()
    admin_ok(server.db_url, "add-agency", agency, "UBND xã Tân An")
    token = admin_ok(server.db_url, "add-counter", "--agency-code", agency, "--counter-no", "1")
    token = token.strip()
    with requests.Session() as http:
        http.headers["Authorization"] = f"Bearer {token}"
        client = CounterClient(server, agency, 1, token, http)
        data = client.snapshot(
            1,
            applicant={
                "type": "citizen",
                "name": "Giàng Thị Súa",
                "id_number": "010305009876",
                "phone": "0987654321",
                "email": "sua@example.vn",
                "address": "Bản Phìn Hồ",
            },
            lookup_key="ZQ4W8R",
        )
        entry = protocol.dossier_entry(data)
        client.push_ok([entry, {**entry, "data": {**entry["data"], "note": "khác"}}])
        client.changes()
        assert requests.get(
            f"{server.url}/tra-cuu", params={"ma": client.code(1), "k": "ZQ4W8R"}, timeout=10
        ).ok
        requests.get(
            server.url + "/api/v1/changes",
            headers={"Authorization": f"Bearer {token[:-4]}AAAA"},
            timeout=10,
        )
    server.stop()
    log = server.log_text()
    # What happened is there...
    assert "push from " + agency + "#1: 2 entries" in log
    assert "GET /tra-cuu 200" in log
    assert "GET /api/v1/changes 401" in log
    # ...and nothing that identifies a person or opens a door.
    for secret in (
        token,
        token.split(".")[1],
        "Giàng",
        "Súa",
        "010305009876",
        "0987654321",
        "sua@example.vn",
        "Phìn Hồ",
        "ZQ4W8R",
        "k=",
        "Bearer",
    ):
        assert secret not in log, secret
