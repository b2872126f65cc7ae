"""The sync client against a portal that misbehaves, or an address that carries secrets.

Every loop of a sync round is bounded: a change feed that says "more" without moving its
cursor ends the round with an error that says so (what was received before is kept), and an
endless feed is read a bounded number of pages a round. A portal address written with a user
name and password (``http://user:pass@host/``) never shows them in an error or a log line.
"""

from __future__ import annotations

import contextlib
import json
import socket
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
for folder in (ROOT / "tests" / "portal", ROOT / "tests" / "sync"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from faultproxy import Fault, FaultProxy  # noqa: E402
from portal_testkit import ThreadedPortal, admin_ok, serve_in_thread  # noqa: E402
from synckit import ADMIN, AGENCY, connect, make_engine, portal_dossiers, receive  # noqa: E402

CHANGES = "/api/v1/changes"
#: A misbehaving answer is given this many times at most, then the portal answers truly:
#: a client that does not bound its loops makes many requests, and the test still ends.
GUARD = 400
SECRET = "s3cr3t-Pa55"


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[ThreadedPortal]:
    server = serve_in_thread(f"sqlite:///{tmp_path / 'portal.db'}", "--lookup-rate", "0")
    try:
        admin_ok(server.db_url, "add-agency", AGENCY, "UBND xã Hòa Bình")
        yield server
    finally:
        server.stop()


def token_for(portal: ThreadedPortal, counter_no: int = 1) -> str:
    return admin_ok(
        portal.db_url, "add-counter", "--agency-code", AGENCY, "--counter-no", str(counter_no)
    ).strip()


@contextlib.contextmanager
def opened(cli: Any) -> Iterator[Any]:
    """The counter of a ``cli`` data folder, in this process (the CLI runs only ``sync``)."""
    from counter.app import CounterApp

    app = CounterApp.open(cli.data_dir)
    try:
        yield app
    finally:
        app.close()


# -- item 20: bounded loops ----------------------------------------------------------------------


def test_a_change_feed_that_does_not_advance_ends_the_round_with_an_error(
    cli: Any, portal: ThreadedPortal
) -> None:
    def always_more(_query: dict[str, str], status: int, doc: Any) -> tuple[int, Any]:
        return status, {**doc, "has_more": True}

    with FaultProxy(portal.url) as proxy:
        with opened(cli) as app:
            connect(app, proxy.url, token_for(portal))
            [code] = receive(app, 1)
        proxy.plan(Fault("rewrite", path=CHANGES, times=GUARD, edit=always_more))
        for lang, words in (("vi", "không tiến"), ("en", "does not move")):
            proc = cli.run("sync", "--once", env={"COUNTER_LANG": lang})
            assert proc.returncode == 1, (proc.stdout, proc.stderr)
            lines = proc.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
            assert words in lines[0]
        # The first round: a page that moved the cursor and one that did not; the second
        # round: one that did not. No more.
        assert len(proxy.requests_to(CHANGES)) == 3
    # Nothing lost: the dossier went up, and the change it made came back and was kept.
    assert [d["code"] for d in portal_dossiers(portal)] == [code]
    with opened(cli) as app:
        assert app.dossiers.get(code).sync_state == "synced"
        assert app.sync_store.cursor() == "1"


def test_an_endless_change_feed_is_read_a_bounded_number_of_pages_a_round(
    app: Any, portal: ThreadedPortal
) -> None:
    from sync.pull import MAX_PULL_PAGES

    def endless(query: dict[str, str], _status: int, _doc: Any) -> tuple[int, Any]:
        since = int(query.get("since", "0"))
        return 200, {"changes": [], "next_cursor": since + 1, "has_more": True}

    with FaultProxy(portal.url) as proxy:
        connect(app, proxy.url, token_for(portal))
        codes = receive(app, 2)
        proxy.plan(Fault("rewrite", path=CHANGES, times=GUARD, edit=endless))
        engine, _sleeps = make_engine(app)
        with engine:
            result = engine.run_once()
        assert len(proxy.requests_to(CHANGES)) == MAX_PULL_PAGES < GUARD
    assert result.pushed == 2 and result.pending == 0
    assert sorted(d["code"] for d in portal_dossiers(portal)) == sorted(codes)
    # What was read is kept: the next round goes on from there.
    assert app.sync_store.cursor() == str(MAX_PULL_PAGES)


# -- item 21: credentials in the portal's address ------------------------------------------------


def store_portal(cli: Any, url: str, token: str) -> None:
    """The portal's address as an earlier release let it be saved (``config set`` now refuses
    one with a user name, a query or a fragment), and the token."""
    with opened(cli) as app:
        app.settings.set(ADMIN, "portal.token", token)
    conn = sqlite3.connect(cli.data_dir / "counter.db")
    try:
        with conn:
            conn.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES ('portal.url', ?)",
                (json.dumps(url),),
            )
    finally:
        conn.close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_sync_errors_never_show_the_credentials_in_the_portal_address(
    cli: Any, portal: ThreadedPortal
) -> None:
    real = token_for(portal)
    host = portal.url.removeprefix("http://")
    cases = [
        # nobody listens there
        ("vi", f"http://clerk:{SECRET}@127.0.0.1:{_closed_port()}/?key={SECRET}", real),
        # the portal is there, but refuses the token
        ("en", f"http://clerk:{SECRET}@{host}/", real[:-4] + "AAAA"),
        # a user name alone
        ("en", f"http://{SECRET}@127.0.0.1:{_closed_port()}", real),
    ]
    for lang, url, token in cases:
        store_portal(cli, url, token)
        proc = cli.run("sync", "--once", env={"COUNTER_LANG": lang})
        assert proc.returncode == 1, (proc.stdout, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
        assert "http://127.0.0.1:" in lines[0]  # the address is named...
        for output in (proc.stdout, proc.stderr):
            assert SECRET not in output  # ...without its secrets
            assert "clerk" not in output
    logs = "".join(p.read_text(errors="replace") for p in (cli.data_dir / "logs").glob("*"))
    assert SECRET not in logs
