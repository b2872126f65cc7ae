"""Sync through a faulty network: a real portal behind the fault-injecting proxy.

Whatever the network does (connections dropped before or after the portal commits, 5xx,
429 with Retry-After, answers slower than the read timeout, bodies cut short), every dossier
reaches the portal exactly once with the same content, every status change comes back, and
nothing is left pending. Waits are recorded, not slept.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from faultproxy import Fault
from synckit import (
    BOSS,
    CLERK,
    assert_in_sync,
    connect,
    make_engine,
    portal_dossiers,
    portal_set_status,
    receive,
)

from counter.statuses import Status
from sync.errors import PortalUnreachable, SyncStopped
from sync.results import SyncResult

ENTRIES = "/api/v1/entries"
CHANGES = "/api/v1/changes"
ONE_OF_EACH = [
    Fault("drop_before"),
    Fault("drop_after"),
    Fault("status", status=500),
    Fault("status", status=502),
    Fault("status", status=503, retry_after="2"),
    Fault("status", status=429, retry_after="3"),
    Fault("slow", delay=6.0),
    Fault("truncate"),
]


def _fault_id(fault: Fault) -> str:
    return fault.kind if fault.kind != "status" else f"http{fault.status}"


def _prepare(app, proxy, token, n: int = 6) -> list[str]:
    # A read timeout short enough that a "slow" answer times out soon, and long enough that
    # an answer the portal gives on a busy machine does not.
    connect(app, proxy.url, token, portal__read_timeout="5")
    codes = receive(app, n)
    app.dossiers.set_status(CLERK, codes[0], "withdrawn", note="Công dân rút")
    app.dossiers.set_status(BOSS, codes[1], "processing")
    return codes


@pytest.mark.parametrize("fault", ONE_OF_EACH, ids=_fault_id)
def test_a_push_that_fails_once_is_sent_again_with_the_same_keys(app, portal, token, proxy, fault):
    codes = _prepare(app, proxy, token)
    proxy.plan(replace(fault, path=ENTRIES, method="POST"))
    engine, sleeps = make_engine(app)

    result = engine.run_once()

    assert result.as_dict() == {"pushed": 8, "pulled": 0, "conflicts": 0, "failed": 0, "pending": 0}
    posts = proxy.requests_to(ENTRIES, "POST")
    assert [r.fault for r in posts] == [fault.kind, "pass"]
    assert len(sleeps) == 1
    if fault.retry_after:
        assert sleeps[0] >= float(fault.retry_after)
    assert_in_sync(app, portal, codes)
    engine.close()


@pytest.mark.parametrize("fault", ONE_OF_EACH, ids=_fault_id)
def test_a_pull_that_fails_once_is_asked_again(app, portal, token, proxy, fault):
    codes = _prepare(app, proxy, token, n=3)
    engine, _ = make_engine(app)
    engine.run_once()
    portal_set_status(portal, codes[2], "processing", by="Phòng Tư pháp")
    portal_set_status(portal, codes[2], "supplement_requested", note="Bổ sung giấy chứng sinh")
    proxy.plan(replace(fault, path=CHANGES, method="GET"))

    result = engine.run_once()

    assert (result.pulled, result.pushed) == (1, 0)
    dossier = app.dossiers.get(codes[2])
    assert dossier.status is Status.SUPPLEMENT_REQUESTED
    assert [h.status for h in dossier.history if h.source == "portal"] == [
        Status.SUPPLEMENT_REQUESTED
    ]
    assert engine.run_once().pulled == 0
    assert_in_sync(app, portal, codes)
    engine.close()


@pytest.mark.parametrize("path", ["/api/v1/master/catalog", "/api/v1/master/office"])
def test_master_data_survives_a_cut_answer(app, portal, token, proxy, path):
    connect(app, proxy.url, token)
    proxy.plan(Fault("truncate", path=path), Fault("drop_after", path=path))
    engine, sleeps = make_engine(app)

    result = engine.run_once()

    assert set(result.master) == {"catalog", "calendar", "office"}
    assert len(sleeps) == 2
    assert engine.run_once().master == ()
    engine.close()


def test_a_portal_that_keeps_failing_ends_the_round_and_loses_nothing(app, portal, token, proxy):
    codes = _prepare(app, proxy, token)
    proxy.plan(Fault("status", path=ENTRIES, status=503, retry_after="5", times=4))
    engine, sleeps = make_engine(app)
    pending = app.sync_store.counts().pending

    with pytest.raises(PortalUnreachable) as failure:
        engine.run_once()

    assert failure.value.retry_after == 5.0
    assert len(sleeps) == 3 and all(s >= 5.0 for s in sleeps)
    assert app.sync_store.counts().pending == pending
    assert portal_dossiers(portal) == []
    assert engine.run_once().pushed == 8
    assert_in_sync(app, portal, codes)
    engine.close()


def test_a_long_retry_after_ends_the_round_at_once(app, portal, token, proxy):
    codes = _prepare(app, proxy, token, n=2)
    proxy.plan(Fault("status", path=ENTRIES, status=429, retry_after="3600"))
    engine, sleeps = make_engine(app)

    with pytest.raises(PortalUnreachable) as failure:
        engine.run_once()

    assert failure.value.retry_after == 3600.0
    assert sleeps == []
    assert engine.run_once().pushed == 4
    assert_in_sync(app, portal, codes)
    engine.close()


def test_a_batch_too_large_is_sent_in_halves(app, portal, token, proxy):
    codes = _prepare(app, proxy, token)
    proxy.plan(Fault("status", path=ENTRIES, status=413))
    engine, sleeps = make_engine(app)

    result = engine.run_once()

    assert result.pushed == 8
    assert [len(r.path) > 0 for r in proxy.requests_to(ENTRIES)] == [True, True, True]
    assert sleeps == []
    assert_in_sync(app, portal, codes)
    engine.close()


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_repeated_syncs_through_chaos_end_in_agreement(app, portal, token, proxy, seed):
    """Many rounds through a network that fails a third of the time, both ways."""
    connect(app, proxy.url, token, portal__read_timeout="5", sync__batch_size="5")
    codes = receive(app, 60)
    for code in codes[:15]:
        app.dossiers.set_status(CLERK, code, "withdrawn")
    for code in codes[15:24]:
        app.dossiers.set_status(BOSS, code, "processing")
    chaos = [f for f in ONE_OF_EACH if f.kind != "slow"] + [Fault("slow", delay=5.5)]
    proxy.chaos(0.35, chaos, seed=seed)
    engine, _ = make_engine(app)

    def sync_until_done(rounds: int = 100) -> SyncResult:
        total = SyncResult()
        for _ in range(rounds):
            try:
                result = engine.run_once()
            except PortalUnreachable:
                continue
            total = total + result
            if result.pending == 0 and not result.pushed and not result.pulled:
                return total
        raise AssertionError("still not in sync")

    pushed = sync_until_done()
    assert (pushed.pushed, pushed.conflicts, pushed.failed) == (84, 0, 0)

    expected = {}
    for i, code in enumerate(codes[24:]):
        status = ["processing", "done", "supplement_requested"][i % 3]
        if status == "done":
            portal_set_status(portal, code, "processing")
        portal_set_status(portal, code, status, by="Phòng Tư pháp")
        expected[code] = status
    pulled = sync_until_done()

    assert pulled.pulled == len(expected)
    for code, status in expected.items():
        dossier = app.dossiers.get(code)
        assert dossier.status.value == status
        assert [h.status.value for h in dossier.history if h.source == "portal"] == [status]
    faults = [r.fault for r in proxy.records if r.fault != "pass"]
    assert len(faults) >= 10
    proxy.calm()
    assert_in_sync(app, portal, codes)
    engine.close()


def test_stop_ends_a_round_between_requests(app, portal, token, proxy):
    codes = _prepare(app, proxy, token, n=2)
    proxy.plan(Fault("status", path=ENTRIES, status=503, retry_after="1", times=4))
    engine, _ = make_engine(app, sleep=lambda seconds: engine.stop())

    with pytest.raises(SyncStopped) as stopped:
        engine.run_once()

    assert stopped.value.message_en == "Sync stopped"
    assert len(proxy.requests_to(ENTRIES)) == 1
    assert app.sync_store.counts().pending == 4
    engine.stop_event.clear()
    proxy.calm()
    assert engine.run_once().pushed == 4
    assert_in_sync(app, portal, codes)
    engine.close()


def test_a_round_that_ends_early_still_counts_what_it_did(app, portal, token, proxy):
    codes = _prepare(app, proxy, token, n=3)
    proxy.plan(Fault("status", path=CHANGES, status=503, retry_after="1"))
    engine, _ = make_engine(app, sleep=lambda seconds: engine.stop())

    total = engine.run_forever()

    assert (total.pushed, total.pending) == (5, 0)
    assert len(proxy.requests_to(CHANGES)) == 1
    engine.stop_event.clear()
    assert engine.run_once().pushed == 0
    assert_in_sync(app, portal, codes)
    engine.close()
