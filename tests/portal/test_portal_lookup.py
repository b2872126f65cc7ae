"""The public lookup page /tra-cuu: what it shows, what it hides, how it refuses."""

from __future__ import annotations

import asyncio
import math
import os
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
import requests
from portal_testkit import CounterClient, PortalServer, admin_ok
from sqlalchemy import Engine, event, text

import protocol
from portal.aio import for_database
from portal.db import Database
from portal.lookup import LookupView, limited_lookup, limited_lookup_async
from portal.ratelimit import TokenBucketLimiter
from protocol.lookup import mask_name

PG_URL = os.environ.get("PORTAL_TEST_PG_URL", "")


def lookup(server: PortalServer, **params: str) -> requests.Response:
    return requests.get(f"{server.url}/tra-cuu?{urlencode(params)}", timeout=10)


@pytest.fixture
def dossier(counter: CounterClient) -> CounterClient:
    counter.push_ok([protocol.dossier_entry(counter.snapshot(1))])
    return counter


def test_right_key_shows_the_status_and_a_masked_name(dossier: CounterClient) -> None:
    response = lookup(dossier.server, ma=dossier.code(1), k="K7M3PQ")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert '<html lang="vi">' in page
    assert "Nguyễn T*** B*** N***" in page
    assert "Đăng ký khai sinh" in page
    assert "Được tiếp nhận" in page
    assert "08:30, ngày 27/11/2026" in page  # due
    assert "08:30, ngày 26/11/2026" in page  # last update: the receipt
    assert dossier.code(1) in page
    snapshot = dossier.snapshot(1)
    for secret in (
        snapshot["applicant"]["name"],
        "Bích",
        "Ngọc",
        snapshot["applicant"]["id_number"],
        snapshot["applicant"]["phone"],
        snapshot["applicant"]["email"],
        "Khe Lếch",
        "K7M3PQ",
        "canbo1",
    ):
        assert secret not in page, secret
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_status_updates_reach_the_page(dossier: CounterClient) -> None:
    admin_ok(dossier.server.db_url, "set-status", dossier.code(1), "processing")
    admin_ok(dossier.server.db_url, "set-status", dossier.code(1), "done")
    page = lookup(dossier.server, ma=dossier.code(1), k="K7M3PQ").text
    assert "Đã xử lý xong" in page and "Được tiếp nhận" not in page
    assert "Vui lòng mang giấy tiếp nhận hồ sơ đến nhận kết quả" in page


def test_key_is_not_case_sensitive(dossier: CounterClient) -> None:
    assert lookup(dossier.server, ma=dossier.code(1), k="k7m3pq").status_code == 200
    assert lookup(dossier.server, ma=dossier.code(1), k=" K7M3PQ ").status_code == 200


def test_every_failure_is_the_same_not_found_page(dossier: CounterClient) -> None:
    server = dossier.server
    known, other = dossier.code(1), dossier.code(2)
    answers = [
        lookup(server, ma=known, k="WRONG1"),
        lookup(server, ma=known, k=""),
        lookup(server, ma=known),
        lookup(server, ma=other, k="K7M3PQ"),
        lookup(server, ma="không-phải-mã", k="K7M3PQ"),
        lookup(server, ma="\x00", k="\x00"),
        lookup(server, ma="A" * 5000, k="K" * 5000),
        lookup(server),
        requests.get(f"{server.url}/tra-cuu?ma={known}&ma=x&k=K7M3PQ", timeout=10),
    ]
    assert {a.status_code for a in answers} == {404}
    assert len({a.content for a in answers}) == 1
    assert len({a.headers["content-type"] for a in answers}) == 1
    assert "Không tìm thấy hồ sơ" in answers[0].text
    assert known not in answers[0].text


def test_a_lookup_is_one_statement_alike_for_known_and_unknown_codes(
    dossier: CounterClient,
) -> None:
    """The limiter's take and the lookup: one statement on PostgreSQL (two units on SQLite),
    the same for a code that exists with a wrong key as for one that does not."""
    db = Database(dossier.server.db_url)
    limiter = TokenBucketLimiter(db, rate_per_s=100.0, burst=100)
    statements: list[str] = []

    def on_sql(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    def traced(code: str, key: str) -> tuple[tuple[float, bool], list[str]]:
        statements.clear()
        event.listen(Engine, "before_cursor_execute", on_sql)
        try:
            wait, view = limited_lookup(db, limiter, "198.18.0.1", code, key)
        finally:
            event.remove(Engine, "before_cursor_execute", on_sql)
        return (wait, view is not None), list(statements)

    try:
        traced(dossier.code(1), "K7M3PQ")  # each statement compiled once before
        known, known_sql = traced(dossier.code(1), "WRONG9")
        unknown, unknown_sql = traced(dossier.code(2), "WRONG9")
        right, right_sql = traced(dossier.code(1), "K7M3PQ")
    finally:
        db.dispose()
    assert known == unknown == (0.0, False) and right == (0.0, True)
    assert known_sql == unknown_sql == right_sql
    assert len(known_sql) == (4 if db.is_sqlite else 1)  # SQLite: each after its BEGIN


def test_mask_name() -> None:
    assert mask_name("Nguyễn Thị An") == "Nguyễn T*** A***"
    assert mask_name("  Lê   Văn  Tám ") == "Lê V*** T***"
    assert mask_name("Đức") == "Đ***"
    assert mask_name("") == "***"


def test_rate_limit(server_factory: Callable[..., PortalServer]) -> None:
    server = server_factory("--lookup-rate", "6", "--lookup-burst", "3")  # one per 10 s
    answers = [lookup(server, ma="x", k="y") for _ in range(4)]
    assert [a.status_code for a in answers] == [404, 404, 404, 429]
    limited = answers[-1]
    assert "Quá nhiều lượt tra cứu" in limited.text
    retry_after = int(limited.headers["retry-after"])
    assert 1 <= retry_after <= 10
    # The API is not limited with the page.
    assert requests.get(server.url + "/api/v1/health", timeout=10).status_code == 200


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def limiter_db(new_db_url: Callable[[str], str]) -> Iterator[Database]:
    db = Database(new_db_url("limiter"))
    yield db
    db.dispose()


def test_token_bucket(limiter_db: Database) -> None:
    clock = FakeClock()
    limiter = TokenBucketLimiter(limiter_db, rate_per_s=0.5, burst=2, clock=clock)
    assert [limiter.take("a"), limiter.take("a")] == [0.0, 0.0]
    wait = limiter.take("a")
    assert math.isclose(wait, 2.0)
    assert limiter.take("b") == 0.0  # per client
    clock.now += 1.0
    assert math.isclose(limiter.take("a"), 1.0)  # half a token back: not yet
    clock.now += 1.0
    assert limiter.take("a") == 0.0
    clock.now += 100.0
    assert [limiter.take("a"), limiter.take("a"), limiter.take("a") > 0] == [0.0, 0.0, True]
    # The buckets are the database's: another worker, or the portal restarted, sees them.
    again = TokenBucketLimiter(limiter_db, rate_per_s=0.5, burst=2, clock=clock)
    assert math.isclose(again.take("a"), 2.0)
    # A bucket full again is forgotten.
    clock.now += 5.0
    assert again.forget_idle() == 2
    assert again.take("a") == 0.0


# PostgreSQL's alone (where a server closes connections); not collected without one
@pytest.mark.parametrize("backend", ["postgresql"] if PG_URL else [], indirect=True)
def test_a_connection_the_database_dropped_is_replaced(limiter_db: Database) -> None:
    """The page's connections are not pinged when taken from their pool (one round trip a
    statement): one the server has closed (a restart) costs a take nothing but a new one."""
    limiter = TokenBucketLimiter(limiter_db, rate_per_s=0.5, burst=2, clock=FakeClock())
    assert limiter.take("a") == 0.0
    [(pid,)] = limiter_db.one_statement(text("SELECT pg_backend_pid()"))
    with limiter_db.engine.begin() as conn:
        assert conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    assert limiter.take("a") == 0.0
    assert math.isclose(limiter.take("a"), 2.0)  # the bucket kept both takes, and only those
    [(other,)] = limiter_db.one_statement(text("SELECT pg_backend_pid()"))
    assert other != pid


def test_no_limit(limiter_db: Database) -> None:
    limiter = TokenBucketLimiter(limiter_db, rate_per_s=0, burst=1)
    assert all(limiter.take("a") == 0.0 for _ in range(100))


@pytest.mark.parametrize("backend", ["postgresql"] if PG_URL else [], indirect=True)
def test_the_page_on_the_event_loop_answers_as_on_a_thread(dossier: CounterClient) -> None:
    """PostgreSQL's lookups awaited on the event loop (portal.aio): the same answers as
    limited_lookup's, times aware, the limiter's takes counted alike; a connection the
    server closed is replaced at no cost to the citizen."""
    db = Database(dossier.server.db_url)
    statements = for_database(db)
    assert statements is not None
    limiter = TokenBucketLimiter(db, rate_per_s=0.5, burst=3, clock=FakeClock())
    asks = [(dossier.code(1), "k7m3pq"), (dossier.code(1), "WRONG9"), ("không-mã", "K7M3PQ")]

    async def on_the_loop() -> list[tuple[float, LookupView | None]]:
        answers = [await limited_lookup_async(statements, limiter, "a", *ask) for ask in asks]
        [(pid,)] = await statements.one(text("SELECT pg_backend_pid()"), {})
        with db.engine.begin() as conn:
            assert conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        answers.append(await limited_lookup_async(statements, limiter, "a", *asks[0]))
        [(other,)] = await statements.one(text("SELECT pg_backend_pid()"), {})
        assert other != pid
        await statements.close()
        return answers

    try:
        on_loop = asyncio.run(on_the_loop())
        on_thread = [limited_lookup(db, limiter, "b", *ask) for ask in [*asks, asks[0]]]
    finally:
        db.dispose()
    assert on_loop == on_thread  # the fourth take of each bucket waits 2 s
    assert [wait for wait, _ in on_loop] == [0.0, 0.0, 0.0, 2.0]
    view = on_thread[0][1]
    assert view is not None and view.due_at.utcoffset() is not None
