"""Master data by version: catalogue, calendar overrides, office details."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from portal_testkit import CounterClient, PortalServer, admin_ok, run_admin, unique_agency_code

import protocol

CATALOG: dict[str, Any] = {
    "version": "2026-11-01",
    "procedures": [
        {
            "code": "1.001193",
            "name": "Đăng ký khai sinh",
            "field": {"code": "HT", "name": "Hộ tịch"},
            "level": "commune",
            "processing_time": {"value": 1, "unit": "working_days", "cutoff": ""},
            "fees": [{"code": "LP", "name": "Lệ phí đăng ký khai sinh", "amount": 0}],
            "documents": [
                {
                    "code": "TK",
                    "name": "Tờ khai đăng ký khai sinh",
                    "originals": 1,
                    "copies": 0,
                    "requirement": "required",
                }
            ],
            "result_agency": "Ủy ban nhân dân xã",
        },
        {
            "code": "2.000488",
            "name": "Chứng thực bản sao từ bản chính",
            "field": {"code": "CT", "name": "Chứng thực"},
            "level": "commune",
            "processing_time": {"value": 0.5, "unit": "working_days", "cutoff": ""},
            "fees": [{"code": "P", "name": "Phí chứng thực", "amount": 2000}],
            "documents": [],
            "result_agency": "Ủy ban nhân dân xã",
        },
    ],
}


@pytest.fixture(scope="module")
def md_server(server_factory: Callable[..., PortalServer]) -> PortalServer:
    """A portal of its own: master data is global, other tests must not move it."""
    return server_factory("--public-url", "https://dichvucong.laocai.example.vn/")


@pytest.fixture
def md_counter(md_server: PortalServer) -> Iterator[CounterClient]:
    code = unique_agency_code()
    admin_ok(
        md_server.db_url,
        "add-agency",
        code,
        "Trung tâm phục vụ hành chính công xã Tân An",
        "--parent-name",
        "UBND xã Tân An",
        "--place",
        "Tân An",
    )
    token = admin_ok(md_server.db_url, "add-counter", "--agency-code", code, "--counter-no", "3")
    with requests.Session() as http:
        http.headers["Authorization"] = f"Bearer {token.strip()}"
        yield CounterClient(md_server, code, 3, token.strip(), http)


def get(client: CounterClient, what: str, **kw: Any) -> requests.Response:
    return client.http.get(f"{client.api}/master/{what}", timeout=10, **kw)


def write_catalog(tmp_path: Path, doc: Any, name: str = "catalog.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_catalog_versions(md_counter: CounterClient, tmp_path: Path) -> None:
    db = md_counter.server.db_url
    admin_ok(db, "catalog", "import", write_catalog(tmp_path, CATALOG))
    response = get(md_counter, "catalog")
    assert response.status_code == 200
    body = response.json()
    version = body["version"]
    assert response.headers["etag"] == f'"{version}"'
    assert body["catalog"]["version"] == "2026-11-01"
    assert body["catalog"]["procedures"] == CATALOG["procedures"]  # the shape of the file
    assert protocol.validate_catalog(body["catalog"]) == body["catalog"]

    # The client's version is current: 304, no body.
    not_modified = get(md_counter, "catalog", params={"version": version})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified.headers["etag"] == f'"{version}"'
    by_etag = get(md_counter, "catalog", headers={"If-None-Match": f'"{version}"'})
    assert by_etag.status_code == 304
    assert get(md_counter, "catalog", params={"version": "old"}).status_code == 200

    # The same data again: same version, counters download nothing.
    admin_ok(db, "catalog", "import", write_catalog(tmp_path, CATALOG))
    assert get(md_counter, "catalog", params={"version": version}).status_code == 304

    # A changed procedure: a new version with the new data; the other procedure stays.
    changed = copy.deepcopy(CATALOG)
    changed["version"] = "2026-12-01"
    changed["procedures"] = [changed["procedures"][1]]
    changed["procedures"][0]["fees"][0]["amount"] = 3000
    out = admin_ok(db, "--json", "catalog", "import", write_catalog(tmp_path, changed))
    assert json.loads(out) | {"version": "-"} == {
        "added": 0,
        "updated": 1,
        "unchanged": 0,
        "catalog_version": "2026-12-01",
        "version": "-",
    }
    response = get(md_counter, "catalog", params={"version": version})
    assert response.status_code == 200
    new = response.json()
    assert new["version"] != version and new["version"] == json.loads(out)["version"]
    assert [p["code"] for p in new["catalog"]["procedures"]] == ["1.001193", "2.000488"]
    assert new["catalog"]["procedures"][1]["fees"][0]["amount"] == 3000


def test_bad_catalog_changes_nothing(md_counter: CounterClient, tmp_path: Path) -> None:
    db = md_counter.server.db_url
    before = get(md_counter, "catalog").json()
    bad = copy.deepcopy(CATALOG)
    del bad["procedures"][1]["processing_time"]["unit"]
    status, out, err = run_admin(db, "catalog", "import", write_catalog(tmp_path, bad))
    assert status == 1 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1
    assert "2.000488" in err and "processing_time.unit" in err
    status, _, err = run_admin(db, "catalog", "import", str(tmp_path / "missing.json"))
    assert status == 1 and err.startswith("error: ")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    status, _, err = run_admin(db, "catalog", "import", str(tmp_path / "broken.json"))
    assert status == 1 and err.startswith("error: ")
    assert get(md_counter, "catalog").json() == before


def test_calendar_versions(md_counter: CounterClient) -> None:
    db = md_counter.server.db_url
    first = get(md_counter, "calendar").json()
    admin_ok(db, "calendar", "day-off", "2026-12-31", "--note", "Nghỉ bù")
    admin_ok(db, "calendar", "workday", "2027-01-09")
    second = get(md_counter, "calendar", params={"version": first["version"]})
    assert second.status_code == 200
    body = second.json()
    assert body["version"] != first["version"]
    overrides = {o["date"]: o for o in body["overrides"]}
    assert overrides["2026-12-31"] == {"date": "2026-12-31", "kind": "day_off", "note": "Nghỉ bù"}
    assert overrides["2027-01-09"] == {"date": "2027-01-09", "kind": "workday", "note": ""}
    assert get(md_counter, "calendar", params={"version": body["version"]}).status_code == 304
    # Changing the mark of a day replaces it.
    admin_ok(db, "calendar", "workday", "2026-12-31")
    third = get(md_counter, "calendar", params={"version": body["version"]}).json()
    assert {o["date"]: o["kind"] for o in third["overrides"]}["2026-12-31"] == "workday"
    admin_ok(db, "calendar", "remove", "2026-12-31")
    fourth = get(md_counter, "calendar").json()
    assert "2026-12-31" not in {o["date"] for o in fourth["overrides"]}
    for bad in ("31/12/2026", "2026-02-30", "tomorrow"):
        status, _, err = run_admin(db, "calendar", "day-off", bad)
        assert status == 1 and err.startswith("error: ")
    assert get(md_counter, "calendar", params={"version": fourth["version"]}).status_code == 304


def test_office_details(md_counter: CounterClient) -> None:
    response = get(md_counter, "office")
    body = response.json()
    assert body["office"] == {
        "agency_code": md_counter.agency_code,
        "agency_name": "Trung tâm phục vụ hành chính công xã Tân An",
        "parent_name": "UBND xã Tân An",
        "level": "commune",
        "address": "",
        "phone": "",
        "place": "Tân An",
        "counter_no": 3,
        "lookup_base_url": "https://dichvucong.laocai.example.vn/tra-cuu",
        "block_size": 1000,
    }
    assert get(md_counter, "office", params={"version": body["version"]}).status_code == 304
    admin_ok(
        md_counter.server.db_url,
        "update-agency",
        md_counter.agency_code,
        "--address",
        "Thôn Khe Lếch",
        "--phone",
        "0214 3840 123",
    )
    updated = get(md_counter, "office", params={"version": body["version"]})
    assert updated.status_code == 200
    assert updated.json()["office"]["address"] == "Thôn Khe Lếch"
    assert updated.json()["version"] != body["version"]


def test_office_details_differ_per_counter(md_counter: CounterClient) -> None:
    db = md_counter.server.db_url
    token = admin_ok(
        db, "add-counter", "--agency-code", md_counter.agency_code, "--counter-no", "4"
    )
    with requests.Session() as http:
        http.headers["Authorization"] = f"Bearer {token.strip()}"
        other = http.get(f"{md_counter.api}/master/office", timeout=10).json()
    mine = get(md_counter, "office").json()
    assert (mine["office"]["counter_no"], other["office"]["counter_no"]) == (3, 4)
    assert mine["version"] != other["version"]


def test_a_same_day_procedure_keeps_its_cut_off() -> None:
    doc = {
        "version": "2026-12-01",
        "procedures": [
            {
                **CATALOG["procedures"][0],
                "processing_time": {"value": 0, "unit": "same_day", "cutoff": "15:30"},
            }
        ],
    }
    out = protocol.validate_catalog(doc)
    assert out["procedures"][0]["processing_time"] == {
        "value": 0,
        "unit": "same_day",
        "cutoff": "15:30",
    }
    bad = {
        **doc,
        "procedures": [
            {
                **doc["procedures"][0],
                "processing_time": {"value": 0, "unit": "same_day", "cutoff": "25:00"},
            }
        ],
    }
    with pytest.raises(protocol.WireError):
        protocol.validate_catalog(bad)
