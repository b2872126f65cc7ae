"""Hand-overs across agencies: recorded on the command line and by a processing system's API
call, refused with a reason, once each, and listed in the receiving agency's feed."""

from __future__ import annotations

import json

import requests
from portal_testkit import CounterClient, admin_ok, run_admin, unique_agency_code

import protocol


def test_handovers_from_the_command_line_and_the_api_reach_the_feed(
    counter: CounterClient,
) -> None:
    db = counter.server.db_url
    counter.push_ok([protocol.dossier_entry(counter.snapshot(1))])
    code = counter.code(1)
    economy, justice = unique_agency_code(), unique_agency_code()
    admin_ok(db, "add-agency", economy, "Phòng Kinh tế xã Tân An")
    admin_ok(db, "add-agency", justice, "Sở Tư pháp", "--level", "province")

    # The counter's agency gives it to the economy office (the default giver)...
    give = ("handover", code, "--to", economy, "--by", "Trần Thị Giao", "--at", "2026-11-26T10:00")
    first = json.loads(admin_ok(db, "--json", *give))
    assert first["outcome"] == "accepted"
    assert (first["handover"]["from"], first["handover"]["to"]) == (counter.agency_code, economy)
    assert first["handover"]["to_name"] == "Phòng Kinh tế xã Tân An"
    # ... and the same command again is the same hand-over, not a second one.
    again = json.loads(admin_ok(db, "--json", *give))
    assert again == {**first, "outcome": "duplicate"}

    # Refusals say why.
    refusals = {
        "unknown dossier": (f"{counter.agency_code}-261126-9999", economy, "Không tìm thấy hồ sơ"),
        "unknown agency": (code, "000.00.99.Z99", "Không tìm thấy cơ quan có mã 000.00.99.Z99"),
        "to the holder": (code, economy, "nơi giao và nơi nhận phải khác nhau"),
    }
    for what, (dossier, to, message) in refusals.items():
        status, _out, err = run_admin(db, "handover", dossier, "--to", to, "--by", "Ai đó")
        assert status == 1 and message in err, what

    # A processing system records the next step with its own token; a counter's is refused.
    token = admin_ok(db, "add-system", "Hệ thống một cửa điện tử tỉnh").strip()
    url = f"{counter.api}/dossiers/{code}/handovers"
    step = {"to": justice, "by": "Lê Văn Chuyển", "at": "2026-11-27T09:15:00+07:00"}
    refused = requests.post(url, json=step, headers={"Authorization": f"Bearer {counter.token}"})
    assert refused.status_code == 401
    system = {"Authorization": f"Bearer {token}"}
    made = requests.post(url, json=step, headers=system, timeout=30)
    assert made.status_code == 201, made.text
    assert made.json()["handover"]["from"] == economy
    repeat = requests.post(url, json=step, headers=system, timeout=30)
    assert (repeat.status_code, repeat.json()["outcome"]) == (200, "duplicate")
    bad = requests.post(url, json={**step, "to": economy, "from": economy}, headers=system)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_request"

    # The receiving agency's counters see both, in order, with status and due unchanged.
    steps = [c for c in counter.all_changes() if c["kind"] == "handover"]
    assert [(c["handover"]["from"], c["handover"]["to"], c["by"]) for c in steps] == [
        (counter.agency_code, economy, "Trần Thị Giao"),
        (economy, justice, "Lê Văn Chuyển"),
    ]
    assert steps[1]["at"] == steps[1]["handover"]["at"] == "2026-11-27T09:15:00+07:00"
    assert {(c["status"], c["source"]) for c in steps} == {("received", "portal")}
    shown = json.loads(admin_ok(db, "--json", "show", code))
    assert [h["to"] for h in shown["handovers"]] == [economy, justice]
