"""The sync engine against a real reference portal on 127.0.0.1 (no faults here)."""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from faultproxy import FaultProxy
from portal_testkit import admin_ok
from sqlalchemy import select
from synckit import (
    ADMIN,
    AGENCY,
    BOSS,
    CLERK,
    FakeClock,
    assert_in_sync,
    connect,
    edit_outbox,
    make_engine,
    open_counter,
    outbox_rows,
    portal_detail,
    portal_dossiers,
    portal_set_status,
    receive,
    register_counter,
    table_snapshot,
)

import protocol
from counter.clock import from_stored
from counter.models import EntryKey
from counter.seed import seed_demo
from counter.statuses import Status
from portal.dashboard.figures import dashboard
from portal.db import Database
from portal.models import Rating
from sync.backoff import Backoff, RetryPolicy
from sync.engine import SyncEngine
from sync.errors import NotConfigured, PortalUnreachable, TokenRefused
from sync.results import SyncResult


def test_push_then_the_portals_word_comes_back(app, portal, token):
    connect(app, portal.url, token)
    codes = receive(app, 3)
    app.dossiers.set_status(CLERK, codes[0], "withdrawn", note="Công dân rút hồ sơ")
    new_due = app.dossiers.get(codes[1]).due_at + timedelta(days=3)
    app.dossiers.reschedule(CLERK, codes[1], new_due, "Chờ kết quả xác minh")
    assert app.dossiers.get(codes[2]).sync_state == "pending"
    engine, sleeps = make_engine(app)

    result = engine.run_once()

    assert result.as_dict() == {"pushed": 5, "pulled": 0, "conflicts": 0, "failed": 0, "pending": 0}
    assert sleeps == []
    assert_in_sync(app, portal, codes)
    assert app.dossiers.get(codes[0]).status is Status.WITHDRAWN
    assert app.dossiers.get(codes[1]).due_at == new_due

    portal_set_status(
        portal, codes[2], "processing", note="Chuyển phòng Tư pháp", by="Phòng Tư pháp"
    )
    result = engine.run_once()

    assert (result.pushed, result.pulled, result.pending) == (0, 1, 0)
    dossier = app.dossiers.get(codes[2])
    assert dossier.status is Status.PROCESSING
    last = dossier.history[-1]
    assert (last.status, last.by, last.note, last.source) == (
        Status.PROCESSING,
        "Phòng Tư pháp",
        "Chuyển phòng Tư pháp",
        "portal",
    )
    assert dossier.portal_confirmed_at is not None
    assert_in_sync(app, portal, codes)

    # handed back, then rated by the citizen twice: the portal keeps the latest and counts it
    portal_set_status(portal, codes[2], "done", by="Phòng Tư pháp")
    assert engine.run_once().pulled == 1
    app.dossiers.set_status(CLERK, codes[2], "returned")
    app.ratings.rate(codes[2], "unsatisfied", "Thời gian chờ lâu", source="screen")
    app.ratings.rate(codes[2], "satisfied", source="screen")
    assert engine.run_once().as_dict()["pushed"] == 3
    assert_in_sync(app, portal, codes)
    engine.close()
    db = Database(portal.db_url)
    try:
        with db.read() as s:
            assert s.execute(select(Rating.level, Rating.reason)).all() == [("satisfied", "")]
            board = dashboard(s, app.dossiers.get(codes[2]).received_at.date(), datetime.now(UTC))
    finally:
        db.dispose()
    assert (board.total.rated, board.total.satisfied, board.total.satisfied_rate) == (1, 1, 1.0)


def test_the_token_never_reaches_a_log(app, portal, token, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    connect(app, portal.url, token)
    receive(app, 1)
    engine, _ = make_engine(app)
    engine.run_once()
    secret = token.split(".", 1)[1]
    assert caplog.records
    assert secret not in caplog.text
    assert secret not in repr(engine.client) + repr(engine.client.config)
    assert secret not in repr(engine.client.http.auth)
    engine.close()


def test_a_new_due_moment_from_the_portal_is_kept_in_history(app, portal, token):
    connect(app, portal.url, token)
    (code,) = receive(app, 1)
    engine, _ = make_engine(app)
    engine.run_once()
    portal_set_status(portal, code, "processing", by="Phòng Tư pháp")
    admin_ok(
        portal.db_url,
        "set-due",
        code,
        "2026-12-31T16:00:00+07:00",
        "--reason",
        "Chờ xác minh",
        "--by",
        "Phòng Tư pháp",
    )

    result = engine.run_once()

    dossier = app.dossiers.get(code)
    assert result.pulled == 1
    assert dossier.status is Status.PROCESSING
    assert dossier.due_at == protocol.parse_datetime("2026-12-31T16:00:00+07:00")
    notes = [(h.status, h.by, h.note) for h in dossier.history if h.source == "portal"]
    assert notes == [
        (Status.PROCESSING, "Phòng Tư pháp", ""),
        (
            Status.PROCESSING,
            "Phòng Tư pháp",
            "Hẹn lại: 2026-12-31T16:00:00+07:00. Lý do: Chờ xác minh",
        ),
    ]
    assert engine.run_once().pulled == 0
    engine.close()


def test_a_round_with_nothing_to_do_is_a_few_small_requests(app, portal, token, proxy):
    connect(app, proxy.url, token)
    receive(app, 2)
    engine, _ = make_engine(app)
    engine.run_once()
    before = len(proxy.records)

    result = engine.run_once()

    assert result == SyncResult()
    asked = [(r.method, r.path) for r in proxy.records[before:]]
    assert asked == [
        ("GET", "/api/v1/health"),
        ("GET", "/api/v1/changes"),
        ("GET", "/api/v1/master/catalog"),
        ("GET", "/api/v1/master/calendar"),
        ("GET", "/api/v1/master/office"),
    ]
    assert all(r.upstream_status in (200, 304) for r in proxy.records[before:])
    assert [r.upstream_status for r in proxy.records[before + 2 :]] == [304, 304, 304]
    engine.close()


def test_demo_dossiers_never_leave_the_counter(app, portal, token):
    connect(app, portal.url, token)
    seed_demo(app, ADMIN, 25, days=3, seed=1)
    codes = receive(app, 2)
    engine, _ = make_engine(app)

    result = engine.run_once()

    assert result.pushed == 2
    assert sorted(d["code"] for d in portal_dossiers(portal)) == sorted(codes)
    assert {row["code"] for row in outbox_rows(app)} == set(codes)
    assert_in_sync(app, portal, codes)
    engine.close()


def test_a_refused_token_stops_and_changes_nothing(app, portal, token):
    connect(app, portal.url, token[:-4] + "xxxx")
    receive(app, 2)
    before = table_snapshot(
        app.db.path, "outbox", "dossiers", "dossier_history", "audit_log", "settings"
    )
    engine, _ = make_engine(app)

    with pytest.raises(TokenRefused) as refused:
        engine.run_once()

    assert "portal.token" in refused.value.message_vi
    assert "token" in refused.value.message_en
    assert token[:-4] not in refused.value.message_vi + refused.value.message_en
    assert table_snapshot(
        app.db.path, "outbox", "dossiers", "dossier_history", "audit_log", "settings"
    ) == (before)
    assert portal_dossiers(portal) == []
    engine.close()


def test_an_unreachable_portal_costs_nothing(app, unused_port):
    connect(app, f"http://127.0.0.1:{unused_port}", "1.secret")
    receive(app, 1)
    before = table_snapshot(app.db.path, "outbox", "dossiers", "audit_log", "settings")
    engine, sleeps = make_engine(app)

    with pytest.raises(PortalUnreachable) as offline:
        engine.run_once()

    assert isinstance(offline.value, OSError)
    assert f"127.0.0.1:{unused_port}" in offline.value.message_vi
    assert sleeps == []
    assert table_snapshot(app.db.path, "outbox", "dossiers", "audit_log", "settings") == before

    engine.close()


def test_an_unconfigured_counter_is_told_what_to_set(app):
    with pytest.raises(NotConfigured) as refused:
        SyncEngine.for_app(app)
    assert "portal.url" in refused.value.message_vi
    assert "portal.token" in refused.value.message_en


def test_two_counters_of_one_agency_on_the_same_day_never_clash(tmp_path, portal):
    first = open_counter(tmp_path / "c1", counter_no=1)
    second = open_counter(tmp_path / "c2", counter_no=2)
    try:
        connect(first, portal.url, register_counter(portal, 1))
        connect(second, portal.url, register_counter(portal, 2))
        codes1 = receive(first, 4)
        codes2 = receive(second, 4)
        assert not set(codes1) & set(codes2)
        engines = [make_engine(first)[0], make_engine(second)[0]]
        for _ in range(2):
            for engine in engines:
                result = engine.run_once()
                assert result.conflicts == result.failed == result.pending == 0
        assert_in_sync(first, portal, codes1, others=codes2)
        assert_in_sync(second, portal, codes2, others=codes1)
        # Each saw the other's dossiers in the feed; none of them landed on the wrong counter.
        for app, theirs in ((first, codes2), (second, codes1)):
            assert not any(app.dossiers.exists(code) for code in theirs)
        portal_set_status(portal, codes2[0], "processing")
        assert engines[1].run_once().pulled == 1
        assert engines[0].run_once().pulled == 0
        assert second.dossiers.get(codes2[0]).status is Status.PROCESSING
        for engine in engines:
            engine.close()
    finally:
        first.close()
        second.close()


def test_the_counters_own_later_word_is_not_undone_by_its_echo(app, portal, token):
    """The portal moved a dossier, then the counter withdrew it (before it pulled):
    the portal takes the withdrawal, and the pull must not put the older status back."""
    connect(app, portal.url, token)
    (code,) = receive(app, 1)
    engine, _ = make_engine(app)
    engine.run_once()
    portal_set_status(portal, code, "processing", by="Phòng Tư pháp")
    app.dossiers.set_status(CLERK, code, "withdrawn", note="Công dân rút hồ sơ")

    result = engine.run_once()

    assert (result.pushed, result.conflicts) == (1, 0)
    assert app.dossiers.get(code).status is Status.WITHDRAWN
    assert portal_detail(portal, code)["status"] == "withdrawn"
    assert_in_sync(app, portal, [code])
    engine.close()


def test_the_portals_word_wins_and_the_counters_is_kept_in_history(app, portal, token):
    connect(app, portal.url, token)
    (code,) = receive(app, 1)
    engine, _ = make_engine(app)
    engine.run_once()
    portal_set_status(portal, code, "processing")
    portal_set_status(portal, code, "stopped", note="Hồ sơ không đủ điều kiện")
    # Meanwhile, offline, a supervisor recorded a result at the counter.
    app.dossiers.set_status(BOSS, code, "processing")
    app.dossiers.set_status(BOSS, code, "done")

    result = engine.run_once()

    assert result.conflicts == 2  # the portal's state forbids both moves
    dossier = app.dossiers.get(code)
    assert dossier.status is Status.STOPPED
    kept = sorted((h.source, h.status.value) for h in dossier.history)
    assert kept == [
        ("counter", "done"),
        ("counter", "processing"),
        ("counter", "received"),
        ("portal", "stopped"),
    ]
    assert dossier.sync_state == "needs_attention"
    attention = app.sync_store.needs_attention()
    assert [item.kind for item in attention] == ["status", "status"]
    assert all("status_conflict" in item.last_error for item in attention)
    engine.close()


def test_a_conflict_needs_a_person_and_retry_sends_it_again(app, portal, token):
    """Same key, other content: impossible from a correct client, so an outbox row is edited
    behind its back. The portal refuses it; a person fixes it and asks for a retry."""
    connect(app, portal.url, token)
    (code,) = receive(app, 1)
    engine, _ = make_engine(app)
    engine.run_once()
    (row,) = outbox_rows(app)
    original = row["payload"]
    tampered = dict(original, note="sửa sau khi gửi")
    edit_outbox(app, row["id"], payload=tampered, state="pending", sent_at=None)

    result = engine.run_once()

    assert (result.pushed, result.conflicts, result.pending, result.needs_attention) == (
        0,
        1,
        0,
        1,
    )
    (item,) = app.sync_store.needs_attention()
    assert item.id == row["id"] and "key_reused" in item.last_error
    assert app.dossiers.get(code).sync_state == "needs_attention"
    attention = json.loads(admin_ok(portal.db_url, "attention", "--json"))
    assert [a["code"] for a in attention] == [code]

    # Sent again as it is, the answer is the same: it stays with a person.
    app.sync_store.retry(item.id, "admin")
    assert engine.run_once().conflicts == 1
    # Put right (here: the content the portal holds), a retry goes through.
    edit_outbox(app, row["id"], payload=original)
    app.sync_store.retry(item.id, "admin")
    assert app.dossiers.get(code).sync_state == "pending"
    result = engine.run_once()
    assert (result.pushed, result.conflicts, result.needs_attention) == (1, 0, 0)
    assert app.dossiers.get(code).sync_state == "synced"
    assert_in_sync(app, portal, [code])
    engine.close()


def test_a_code_already_on_the_portal_with_other_content_is_a_conflict(tmp_path, portal):
    """A second counter database that reuses counter 1's codes (a restored copy, a
    misconfigured counter number) must not overwrite what the portal holds."""
    token = register_counter(portal, 1)
    first = open_counter(tmp_path / "c1", counter_no=1)
    twin = open_counter(tmp_path / "twin", counter_no=1)
    try:
        connect(first, portal.url, token)
        connect(twin, portal.url, token)
        (code,) = receive(first, 1, start=0)
        (same_code,) = receive(twin, 1, start=5)
        assert code == same_code
        make_engine(first)[0].run_once()
        engine, _ = make_engine(twin)
        result = engine.run_once()
        assert (result.pushed, result.conflicts) == (0, 1)
        (item,) = twin.sync_store.needs_attention()
        assert "dossier_exists" in item.last_error
        assert twin.dossiers.get(code).sync_state == "needs_attention"
        held = portal_detail(portal, code)["dossier"]
        assert held["applicant"]["name"] == first.dossiers.get(code).applicant_name
        engine.close()
    finally:
        first.close()
        twin.close()


def test_an_entry_the_portal_wants_later_backs_off_on_its_own(app, portal, token):
    """A status change whose dossier is not on the portal yet stays pending with a back-off
    of its own, and does not hold back the other entries."""
    connect(app, portal.url, token)
    codes = receive(app, 2)
    app.dossiers.set_status(CLERK, codes[0], "withdrawn")
    rows = outbox_rows(app)
    dossier_row = rows[0]
    broken = dict(dossier_row["payload"], status_code=9)  # not valid: stays on the counter
    edit_outbox(app, dossier_row["id"], payload=broken)
    clock = FakeClock()
    policy = RetryPolicy(entry=Backoff(base=30.0, cap=3600.0))
    engine, _ = make_engine(app, clock=clock, policy=policy)

    result = engine.run_once()

    assert (result.pushed, result.failed, result.pending, result.needs_attention) == (1, 2, 1, 1)
    by_id = {row["id"]: row for row in outbox_rows(app)}
    status_row = by_id[rows[2]["id"]]
    assert status_row["state"] == "pending" and status_row["attempts"] == 1
    assert "unknown_dossier" in status_row["last_error"]
    waits = from_stored(status_row["next_attempt_at"]) - clock()
    assert timedelta(seconds=15) <= waits <= timedelta(seconds=30)
    assert by_id[dossier_row["id"]]["state"] == "needs_attention"

    # A person puts the dossier entry right and retries it; the status waits its turn.
    edit_outbox(app, dossier_row["id"], payload=dossier_row["payload"])
    app.sync_store.retry(dossier_row["id"], "admin")
    result = engine.run_once()
    assert (result.pushed, result.pending) == (1, 1)
    clock.advance(31)
    result = engine.run_once()
    assert (result.pushed, result.pending, result.needs_attention) == (1, 0, 0)
    assert_in_sync(app, portal, codes)
    engine.close()


def test_master_data_is_pulled_by_version(app, portal, token, tmp_path):
    catalog = {
        "version": "2026-12-01",
        "procedures": [
            {
                "code": "2.000001",
                "name": "Chứng thực bản sao từ bản chính",
                "field": {"code": "CT", "name": "Chứng thực"},
                "level": "commune",
                "processing_time": {"value": 0.5, "unit": "working_days"},
                "fees": [{"code": "LP", "name": "Lệ phí chứng thực", "amount": 2000}],
                "documents": [{"code": "BC", "name": "Bản chính", "originals": 1, "copies": 1}],
                "result_agency": "Ủy ban nhân dân xã",
            }
        ],
    }
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    admin_ok(portal.db_url, "catalog", "import", str(path))
    admin_ok(portal.db_url, "calendar", "day-off", "2026-12-31", "--note", "Nghỉ bù")
    admin_ok(portal.db_url, "calendar", "workday", "2027-01-09")
    connect(app, portal.url, token)
    engine, _ = make_engine(app)

    result = engine.run_once()

    assert result.master == ("catalog", "calendar", "office")
    procedure = app.catalog.procedure("2.000001")
    assert procedure.name == "Chứng thực bản sao từ bản chính"
    assert procedure.fees[0].amount == 2000
    overrides = {
        (day.isoformat(), source, working) for day, source, working, _ in (app.calendar.overrides())
    }
    assert ("2026-12-31", "portal", False) in overrides
    assert ("2027-01-09", "portal", True) in overrides
    assert app.office.identity().place == "Hòa Bình"
    assert engine.run_once().master == ()

    admin_ok(portal.db_url, "calendar", "remove", "2027-01-09")
    assert engine.run_once().master == ("calendar",)
    days = {day.isoformat() for day, source, _, _ in app.calendar.overrides() if source == "portal"}
    assert days == {"2026-12-31"}
    engine.close()


def test_a_cursor_past_the_portals_feed_starts_again_from_zero(app, portal, token):
    connect(app, portal.url, token)
    (code,) = receive(app, 1)
    engine, _ = make_engine(app)
    engine.run_once()
    app.sync_store.apply_remote_statuses([], "999999")
    portal_set_status(portal, code, "processing")

    result = engine.run_once()

    assert result.pulled == 1
    assert app.dossiers.get(code).status is Status.PROCESSING
    assert int(app.sync_store.cursor()) < 999999
    engine.close()


def test_batches_follow_the_portals_limits(app, portal_factory):
    server = portal_factory("--max-batch-entries", "7")
    codes = receive(app, 20)
    with FaultProxy(server.url) as proxy:
        connect(app, proxy.url, register_counter(server, 1))
        engine, _ = make_engine(app)
        result = engine.run_once()
        engine.close()
    assert result.pushed == 20
    assert len(proxy.requests_to("/api/v1/entries", "POST")) == 3
    assert_in_sync(app, server, codes)


def test_backoff_grows_with_jitter_and_honours_retry_after():
    backoff = Backoff(base=0.5, cap=8.0)
    rng = random.Random(1)
    for failures, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0), (9, 8.0)]:
        waits = [backoff.delay(failures, rng) for _ in range(200)]
        assert all(ceiling / 2 <= w <= ceiling for w in waits)
        assert len(set(waits)) > 150  # jitter: counters do not come back in step
    assert backoff.delay(1, rng, retry_after=7.0) == 7.0
    assert 4.0 <= backoff.delay(5, rng, retry_after=1.0) <= 8.0


def test_the_engine_runs_forever_until_stopped(app, portal, token):
    import threading

    connect(app, portal.url, token, sync__interval_seconds="5")
    codes = receive(app, 3)
    stop = threading.Event()
    rounds: list[object] = []

    def on_round(outcome: object) -> None:
        rounds.append(outcome)
        if len(rounds) == 2:
            stop.set()

    engine = SyncEngine.for_app(app, rng=random.Random(3))
    total = engine.run_forever(stop, on_round=on_round)
    engine.close()

    assert all(isinstance(r, SyncResult) for r in rounds)
    assert total.pushed == 3 and total.pending == 0
    assert_in_sync(app, portal, codes)


def test_the_engine_keeps_probing_while_offline(app, unused_port):
    import threading

    connect(app, f"http://127.0.0.1:{unused_port}", "1.secret")
    stop = threading.Event()
    waits: list[float] = []
    outcomes: list[object] = []

    class Stop(threading.Event):
        def wait(self, timeout: float | None = None) -> bool:
            waits.append(timeout or 0.0)
            if len(waits) == 4:
                self.set()
            return self.is_set()

    stop = Stop()
    engine = SyncEngine.for_app(app, rng=random.Random(5), interval=60.0)
    engine.run_forever(stop, on_round=outcomes.append)
    engine.close()

    assert all(isinstance(o, PortalUnreachable) for o in outcomes)
    assert waits[0] <= 5.0 and waits[1] <= 10.0 and waits[2] <= 20.0
    assert max(waits) <= 60.0
    assert app.sync_store.state("last_error", "").startswith("Cannot reach the portal")


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def portal_factory(tmp_path: Path):
    from portal_testkit import serve_in_thread

    servers = []

    def make(*args: str):
        n = len(servers)
        server = serve_in_thread(f"sqlite:///{tmp_path / f'p{n}.db'}", *args)
        admin_ok(server.db_url, "add-agency", AGENCY, "UBND xã Hòa Bình")
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


def test_entries_sent_long_ago_keep_their_digest_alone_and_check_still_holds(app, portal, token):
    """Receipts, status changes, a withdrawal, a due change and a rating, sent; eight days
    on, a round reduces the old ones to their digest (one step, the retention's) and keeps the
    new ones whole; ``check`` holds before and after, and after a pull that changes a dossier
    whose entries are reduced (the pull digests it with them)."""
    connect(app, portal.url, token)
    gone, moved, kept = receive(app, 3)
    app.dossiers.set_status(CLERK, gone, "withdrawn", "Công dân rút hồ sơ")
    app.dossiers.set_status(BOSS, moved, "processing")
    app.dossiers.reschedule(BOSS, moved, app.dossiers.get(moved).due_at + timedelta(days=3), "Chờ")
    for status in ("processing", "done", "returned"):
        app.dossiers.set_status(BOSS, kept, status)
    app.ratings.rate(kept, "satisfied")
    clock = FakeClock()
    engine, _ = make_engine(app, clock=clock)
    assert engine.run_once().pushed == 10
    assert app.maintenance.check().ok
    before = outbox_rows(app)
    assert {e["state"] for e in before} == {"sent"}

    # Eight days on: a due change still to send, then a round.
    clock.advance(8 * 86400)
    app.dossiers.reschedule(BOSS, moved, app.dossiers.get(moved).due_at + timedelta(days=3), "Chờ")
    assert engine.run_once().pushed == 1
    with sqlite3.connect(app.db.path) as conn:
        reduced = conn.execute(
            "SELECT d.code, s.seq, s.key, s.payload_sha256 FROM outbox_sent s "
            "JOIN dossiers d ON d.id = s.dossier_id ORDER BY s.dossier_id, s.seq"
        ).fetchall()
    assert [(code, seq) for code, seq, _, _ in reduced] == [
        (gone, 0), (gone, 1), (moved, 0), (moved, 1), (moved, 2),
        (kept, 0), (kept, 1), (kept, 2), (kept, 3), (kept, 4),
    ]  # fmt: skip
    by_key = {e["key"]: e for e in before}
    for _, _, key, sha in reduced:  # a UUID's 16 bytes, the payload's 32
        entry = by_key[str(uuid.UUID(bytes=key))]
        payload = json.dumps(entry["payload"], ensure_ascii=False, sort_keys=True)
        assert sha == hashlib.sha256(payload.encode()).digest()
    assert [(e["code"], e["state"]) for e in outbox_rows(app)] == [(moved, "sent")]
    assert app.maintenance.check().ok
    assert app.sync_store.forget_sent_payloads(clock()) == 0

    # The portal's word on a dossier whose entries are reduced: its digest still holds.
    portal_set_status(portal, moved, "done")
    assert engine.run_once().pulled == 1
    assert app.dossiers.get(moved).status is Status.DONE
    assert app.maintenance.check().ok
    engine.close()
    # a key that is not a UUID as it is written (none the counter makes) is kept as text
    for text_key in ("khoa-cu-2019-000123", str(uuid.uuid4()).upper()):
        assert EntryKey().process_bind_param(text_key, None) == text_key
        assert EntryKey().process_result_value(text_key, None) == text_key
