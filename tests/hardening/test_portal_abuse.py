"""What a counter's token, or anyone on the network, must not be able to do on the portal.

A token proves one counter of one agency: it may push only dossiers numbered in that
counter's own block of codes (the block size is the agency's, published with the office
details), and change only its own dossiers. A pushed dossier must be one a counter could
have made: received in the past, on the day its code says, in a status a counter may give
at intake, with a lookup key of the printed form. The public lookup page does the same work
for a code that exists and one that does not, and the sync API answers "not found" alike
for another agency's dossier and a dossier that does not exist.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import requests
from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "tests" / "portal") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests" / "portal"))

from portal_testkit import (  # noqa: E402
    CounterClient,
    PortalServer,
    admin_ok,
    database_before_migrations,
    run_admin,
    snapshot,
    start_server,
    status_change,
    unique_agency_code,
)

import protocol  # noqa: E402
from portal.agencies import add_agency, add_counter, authenticate, list_agencies  # noqa: E402
from portal.db import Database  # noqa: E402
from portal.lookup import lookup  # noqa: E402
from portal.push import push_entries  # noqa: E402

DAY = "261126"  # the day of the test snapshots' receipt (2026-11-26)


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalServer]:
    folder = tmp_path_factory.mktemp("abuse")
    server = start_server(
        f"sqlite:///{folder / 'portal.db'}", folder / "portal.log", "--lookup-rate", "0"
    )
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def counters(portal: PortalServer) -> Iterator[Any]:
    sessions: list[requests.Session] = []

    def make(agency: str, counter_no: int) -> CounterClient:
        token = admin_ok(
            portal.db_url, "add-counter", "--agency-code", agency, "--counter-no", str(counter_no)
        ).strip()
        http = requests.Session()
        http.headers["Authorization"] = f"Bearer {token}"
        sessions.append(http)
        return CounterClient(portal, agency, counter_no, token, http)

    yield make
    for http in sessions:
        http.close()


def new_agency(portal: PortalServer, *options: str) -> str:
    agency = unique_agency_code()
    admin_ok(portal.db_url, "add-agency", agency, "UBND xã Tân An", *options)
    return agency


def dossier(agency: str, number: int, counter_no: int, **overrides: Any) -> dict[str, Any]:
    """A dossier entry numbered ``number`` on the test day, as counter ``counter_no`` says."""
    data = snapshot(agency, 1, counter_no=counter_no, **overrides)
    data["code"] = overrides.get("code", f"{agency}-{DAY}-{number:04d}")
    return {"key": protocol.new_key(), "kind": "dossier", "data": data}


def page(server: PortalServer, code: str, key: str) -> requests.Response:
    return requests.get(f"{server.url}/tra-cuu?{urlencode({'ma': code, 'k': key})}", timeout=10)


def outcome(result: dict[str, Any]) -> tuple[str, int, str | None]:
    reason = result["reason"] or {}
    return result["outcome"], result["http_status"], reason.get("code")


# -- item 8: a counter's own block, its own dossiers ---------------------------------------------


def test_a_counter_may_push_only_codes_of_its_own_block(
    portal: PortalServer, counters: Any
) -> None:
    agency = new_agency(portal)
    one, two = counters(agency, 1), counters(agency, 2)
    code = f"{agency}-{DAY}-1001"  # counter 1's first number of the day

    # Counter 2's token tries counter 1's code, under its own number and under counter 1's,
    # and a code of block 0 (the portal's own).
    squats = two.push_ok(
        [
            dossier(agency, 1001, 2, lookup_key="SQUAT2"),
            dossier(agency, 1001, 1, lookup_key="SQUAT1"),
            dossier(agency, 7, 2, lookup_key="SQUAT0"),
        ]
    )
    assert [outcome(r) for r in squats] == [("rejected", 403, "wrong_counter")] * 3
    assert squats[0]["reason"]["message"] and squats[0]["reason"]["message_en"]
    assert "1001" in squats[0]["reason"]["message_en"]
    # A number of its own block, but claiming to be counter 1 on the snapshot: refused too.
    [liar] = two.push_ok([dossier(agency, 2001, 1)])
    assert outcome(liar) == ("rejected", 403, "wrong_counter")

    # Counter 1's real dossier goes in, and the lookup page shows it, not a squatter.
    [real] = one.push_ok([dossier(agency, 1001, 1, lookup_key="K7M3PQ")])
    assert outcome(real) == ("accepted", 200, None)
    assert page(portal, code, "K7M3PQ").status_code == 200
    for key in ("SQUAT2", "SQUAT1"):
        assert page(portal, code, key).status_code == 404

    # Counter 2 may not move counter 1's dossier, whatever the move.
    moves = two.push_ok(
        [
            protocol.status_entry(status_change(code, "withdrawn")),
            protocol.due_entry(
                {
                    "code": code,
                    "due_at": "2026-12-31T16:30:00+07:00",
                    "reason": "Chờ xác minh",
                    "at": "2026-11-27T08:00:00+07:00",
                    "by": "canbo2",
                }
            ),
        ]
    )
    assert [outcome(r) for r in moves] == [("rejected", 403, "wrong_counter")] * 2
    held = one.http.get(f"{one.api}/dossiers/{code}", timeout=10).json()
    assert (held["status"], held["due_at"]) == ("received", "2026-11-27T08:30:00+07:00")
    assert [(c["code"], c["counter_no"]) for c in one.all_changes()] == [(code, 1)]

    # Its own block is its own: numbered, pushed, moved.
    mine = f"{agency}-{DAY}-2001"
    [own] = two.push_ok([dossier(agency, 2001, 2)])
    [moved] = two.push_ok([protocol.status_entry(status_change(mine, "withdrawn"))])
    assert (outcome(own), outcome(moved)) == (("accepted", 200, None), ("accepted", 200, None))
    # Counter 1 may not move counter 2's either.
    [back] = one.push_ok([protocol.status_entry(status_change(mine, "returned"))])
    assert outcome(back) == ("rejected", 403, "wrong_counter")


def test_the_block_size_is_the_agencys_and_published_to_its_counters(
    portal: PortalServer, counters: Any
) -> None:
    default = counters(new_agency(portal), 1)
    office = default.http.get(f"{default.api}/master/office", timeout=10).json()
    assert office["office"]["block_size"] == protocol.DEFAULT_BLOCK_SIZE == 1000

    agency = new_agency(portal, "--block-size", "500")
    one, two = counters(agency, 1), counters(agency, 2)
    first = two.http.get(f"{two.api}/master/office", timeout=10).json()
    assert first["office"]["block_size"] == 500
    # With 500 numbers a counter: counter 1 has 0501-0999, counter 2 1001-1499.
    assert [
        outcome(r) for r in one.push_ok([dossier(agency, 501, 1), dossier(agency, 1001, 1)])
    ] == [
        ("accepted", 200, None),
        ("rejected", 403, "wrong_counter"),
    ]
    results = two.push_ok([dossier(agency, 1499, 2), dossier(agency, 1501, 2)])
    assert [outcome(r) for r in results] == [
        ("accepted", 200, None),
        ("rejected", 403, "wrong_counter"),
    ]

    # A new block size is a new version of the office details; counters keep their own
    # dossiers (pushed before) whatever the block size says now.
    admin_ok(portal.db_url, "update-agency", agency, "--block-size", "250")
    later = two.http.get(
        f"{two.api}/master/office", params={"version": first["version"]}, timeout=10
    )
    assert later.status_code == 200 and later.json()["office"]["block_size"] == 250
    [still] = two.push_ok(
        [protocol.status_entry(status_change(f"{agency}-{DAY}-1499", "withdrawn"))]
    )
    assert outcome(still) == ("accepted", 200, None)
    agencies = json.loads(admin_ok(portal.db_url, "agencies", "--json"))
    assert [a["block_size"] for a in agencies if a["code"] == agency] == [250]

    for bad in ("50", "7000", "mười"):
        status, _, err = run_admin(portal.db_url, "update-agency", agency, "--block-size", bad)
        assert status in (1, 2) and err.strip(), bad
    assert (
        two.http.get(f"{two.api}/master/office", timeout=10).json()["office"]["block_size"] == 250
    )


def test_a_pushed_dossier_must_be_one_a_counter_could_have_made(
    portal: PortalServer, counters: Any
) -> None:
    agency = new_agency(portal)
    one = counters(agency, 1)
    tomorrow = protocol.now_vn() + timedelta(days=1)
    ahead = {
        "code": f"{agency}-{tomorrow:%y%m%d}-1001",
        "received_at": protocol.format_datetime(tomorrow),
        "due_at": protocol.format_datetime(tomorrow + timedelta(days=1)),
    }
    entries = [
        # a portal-owned status, given at intake
        dossier(agency, 1002, 1, status="done", status_code=9),
        dossier(agency, 1003, 1, status="processing", status_code=4),
        # received tomorrow
        dossier(agency, 1001, 1, **ahead),
        # numbered on another day than its receipt
        dossier(agency, 1004, 1, code=f"{agency}-261125-1004"),
        # a lookup key not of the printed form
        dossier(agency, 1005, 1, lookup_key="K7 M3"),
        # and one that is fine
        dossier(agency, 1006, 1),
    ]
    results = one.push_ok(entries)
    assert [outcome(r) for r in results] == [("rejected", 422, "invalid_value")] * 5 + [
        ("accepted", 200, None)
    ]
    assert [r["reason"]["field"] for r in results[:5]] == [
        "data.status",
        "data.status",
        "data.received_at",
        "data.code",
        "data.lookup_key",
    ]
    for result in results[:5]:
        assert result["reason"]["message"] and result["reason"]["message_en"]
    listed = json.loads(admin_ok(portal.db_url, "dossiers", "--agency", agency, "--json"))
    held = [d["code"] for d in listed]
    assert held == [f"{agency}-{DAY}-1006"]


def test_a_portal_database_from_before_block_sizes_gets_the_default(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    database_before_migrations(f"sqlite:///{path}")
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute("ALTER TABLE agencies DROP COLUMN block_size")
            conn.execute(
                "INSERT INTO agencies (code, name, parent_name, level, address, phone, place, "
                "created_at, updated_at) VALUES ('000.00.36.H62', 'UBND xã Hòa Bình', '', "
                "'commune', '', '', '', '2025-01-02 03:04:05', '2025-01-02 03:04:05')"
            )
    finally:
        conn.close()
    db = Database(f"sqlite:///{path}")
    try:
        with db.read() as session:
            agencies = list_agencies(session)
    finally:
        db.dispose()
    assert [(a["code"], a["block_size"]) for a in agencies] == [("000.00.36.H62", 1000)]


# -- item 19: the lookup page does the same work for a known and an unknown code -----------------


def _traced_lookup(db: Database, code: str, key: str) -> tuple[bool, list[str], list[str]]:
    """(found, SQL statements, the calls made into the portal's code and to hashing/compare)."""
    statements: list[str] = []
    calls: list[str] = []

    def on_sql(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    def profile(frame: Any, what: str, arg: Any) -> None:
        if what == "call":
            module = frame.f_globals.get("__name__", "")
            if module.split(".")[0] in ("portal", "protocol"):
                calls.append(f"{module}.{frame.f_code.co_qualname}")
        elif what == "c_call" and getattr(arg, "__name__", "") in (
            "compare_digest",
            "openssl_sha256",
            "sha256",
        ):
            calls.append(arg.__name__)

    event.listen(db.engine, "before_cursor_execute", on_sql)
    try:
        sys.setprofile(profile)
        try:
            view = lookup(db, code, key)
        finally:
            sys.setprofile(None)
    finally:
        event.remove(db.engine, "before_cursor_execute", on_sql)
    return view is not None, statements, calls


def test_lookup_does_the_same_work_for_a_known_and_an_unknown_code(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'portal.db'}")
    agency = "000.00.36.H62"
    now = protocol.now_vn()
    try:
        with db.write() as session:
            add_agency(session, agency, "UBND xã Hòa Bình", now)
            token = add_counter(session, agency, 1, now).token
        with db.write() as session:
            who = authenticate(session, token)
            assert who is not None
            entry = protocol.dossier_entry(snapshot(agency, 1, code=f"{agency}-{DAY}-1001"))
            [result] = push_entries(session, who, [entry], now)
            assert result["outcome"] == "accepted"
        known, unknown = f"{agency}-{DAY}-1001", f"{agency}-{DAY}-1002"
        for _ in range(2):  # statements compiled and cached before anything is counted
            _traced_lookup(db, known, "WRONG9")
            _traced_lookup(db, unknown, "WRONG9")
        found, known_sql, known_calls = _traced_lookup(db, known, "WRONG9")
        missing, unknown_sql, unknown_calls = _traced_lookup(db, unknown, "WRONG9")
        assert (found, missing) == (False, False)
        assert len(known_sql) == len(unknown_sql) == 2  # BEGIN, then the one query by code
        assert known_sql == unknown_sql
        assert known_calls.count("compare_digest") == unknown_calls.count("compare_digest") == 1
        assert known_calls == unknown_calls
        # The right key still finds it.
        right, _, _ = _traced_lookup(db, known, "K7M3PQ")
        assert right
    finally:
        db.dispose()


# -- item 21: another agency's dossier is "not found", like one that does not exist ---------------


def test_another_agencys_dossier_is_not_found_like_a_missing_one(
    portal: PortalServer, counters: Any
) -> None:
    theirs_agency, mine_agency = new_agency(portal), new_agency(portal)
    theirs, mine = counters(theirs_agency, 1), counters(mine_agency, 1)
    theirs.push_ok([dossier(theirs_agency, 1001, 1)])
    existing, missing = f"{theirs_agency}-{DAY}-1001", f"{theirs_agency}-{DAY}-1002"
    answers = [
        mine.http.get(f"{mine.api}/dossiers/{code}", timeout=10) for code in (existing, missing)
    ]
    assert [a.status_code for a in answers] == [404, 404]
    bodies = [
        a.text.replace(code, "CODE") for a, code in zip(answers, (existing, missing), strict=True)
    ]
    assert bodies[0] == bodies[1]
    assert answers[0].json()["error"]["code"] == "not_found"
    assert theirs.http.get(f"{theirs.api}/dossiers/{existing}", timeout=10).status_code == 200
