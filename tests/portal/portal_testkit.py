"""Helpers for the portal's tests: start real servers, run admin commands, build payloads."""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

import protocol
from portal import cli

ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = 30.0


# --------------------------------------------------------------------------------------------
# Servers and the admin command
# --------------------------------------------------------------------------------------------


def run_admin(db_url: str, *args: str) -> tuple[int, str, str]:
    """``python -m portal admin --db URL ARGS`` in this process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = cli.main(["admin", "--db", db_url, *args])
        except SystemExit as exc:  # usage errors
            status = int(exc.code or 0)
    return status, out.getvalue(), err.getvalue()


def admin_ok(db_url: str, *args: str) -> str:
    status, out, err = run_admin(db_url, *args)
    assert status == 0, f"admin {args} failed ({status}): {err}"
    return out


def database_before_migrations(db_url: str) -> None:
    """Make at ``db_url`` a portal database as ``create_all`` made them before the portal had
    migrations: the schema of the first one (p0001), without ``alembic_version``."""
    import sqlalchemy as sa
    from alembic import command

    from portal.db import alembic_config, normalize_url

    engine = sa.create_engine(normalize_url(db_url))
    try:
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "p0001")
            conn.execute(sa.text("DROP TABLE alembic_version"))
    finally:
        engine.dispose()


@dataclass
class PortalServer:
    url: str
    db_url: str
    log_path: Path
    proc: subprocess.Popen[str] = field(repr=False)

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


@dataclass
class ThreadedPortal:
    """The portal's web application served on 127.0.0.1 by a thread of this process: the
    same application, database and server settings as ``python -m portal serve``, without
    starting an interpreter for it. For tests where the portal is the counter's partner;
    the portal's own tests, and ``serve`` itself, run it as a process (``start_server``)."""

    url: str
    db_url: str
    server: Any = field(repr=False)
    thread: threading.Thread = field(repr=False)
    db: Any = field(repr=False)

    def stop(self) -> None:
        self.server.handle_exit(signal.SIGTERM, None)  # what the process is sent, to the thread
        self.thread.join(timeout=60)
        self.db.dispose()


def serve_in_thread(db_url: str, *args: str, port: int = 0) -> ThreadedPortal:
    """``serve --db DB_URL --port 0 ARGS`` in a thread: the options parsed by the portal's own
    parser, the server built as ``portal.cli.serve.cmd_serve`` builds it. ``port``: a port
    to listen on again (a portal restarted where it was)."""
    import uvicorn

    from portal.app import create_app
    from portal.cli.command import open_database
    from portal.cli.parser import build_parser
    from portal.cli.serve import settings_from

    options = build_parser().parse_args(["serve", "--db", db_url, "--port", "0", *args])
    db = open_database(options.db)
    settings = settings_from(options, db)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((options.host, port))
    sock.listen(2048)
    host, port = sock.getsockname()[:2]
    config = uvicorn.Config(
        create_app(settings, db),
        log_config=None,
        access_log=False,
        server_header=False,
        proxy_headers=bool(options.forwarded_allow_ips),
        forwarded_allow_ips=options.forwarded_allow_ips or None,
        timeout_keep_alive=30,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"portal:{port}", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.handle_exit(signal.SIGTERM, None)
            db.dispose()
            pytest.fail("the portal's thread did not start serving")
        time.sleep(0.01)
    return ThreadedPortal(f"http://{host}:{port}", db_url, server, thread, db)


def start_server(db_url: str, log_path: Path, *args: str) -> PortalServer:
    """Start ``python -m portal serve --port 0`` and wait for the line giving its address."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    if "--files" not in args and not db_url.startswith("sqlite"):
        # beside a SQLite database the portal keeps its files by default; elsewhere it is told
        args = (*args, "--files", str(log_path.with_name(log_path.stem + "-files")))
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "portal", "serve", "--db", db_url, "--port", "0", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
    assert proc.stdout is not None
    deadline = time.monotonic() + STARTUP_TIMEOUT
    line = ""
    while not line:
        remaining = deadline - time.monotonic()
        ready, _, _ = select.select([proc.stdout], [], [], max(0.0, remaining))
        if not ready:
            proc.kill()
            proc.wait()
            pytest.fail(f"portal did not start in time:\n{log_path.read_text()}")
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            pytest.fail(f"portal exited with {proc.returncode}:\n{log_path.read_text()}")
    match = re.search(r"http://\S+", line)
    assert match, f"unexpected first line: {line!r}"
    return PortalServer(url=match.group(0), db_url=db_url, log_path=log_path, proc=proc)


# --------------------------------------------------------------------------------------------
# Counters
# --------------------------------------------------------------------------------------------

_agency_numbers = itertools.count(1)


def unique_agency_code() -> str:
    return f"000.{next(_agency_numbers):02d}.{uuid.uuid4().int % 10**4:04d}.H62"


#: The day the test dossiers are received (a full block of numbers a day, then the day before).
TEST_DAY = date(2026, 11, 26)


def _numbered(n: int, counter_no: int, block_size: int = 1000) -> tuple[date, int]:
    """The day and number of a counter's n-th test dossier (1, 2 ...): numbers of its own
    block (docs/dossier-codes.md), on TEST_DAY, then a day earlier for each full block."""
    days_back, offset = divmod(n - 1, block_size - 1)
    return TEST_DAY - timedelta(days=days_back), counter_no * block_size + 1 + offset


def dossier_code(agency_code: str, n: int, counter_no: int = 1) -> str:
    day, number = _numbered(n, counter_no)
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"


def snapshot(agency_code: str, n: int, counter_no: int = 1, **overrides: Any) -> dict[str, Any]:
    """A realistic dossier snapshot, as the counter hands it to the sync client: counter
    ``counter_no``'s n-th dossier."""
    day, _ = _numbered(n, counter_no)
    data: dict[str, Any] = {
        "code": dossier_code(agency_code, n, counter_no),
        "agency_code": agency_code,
        "counter_no": counter_no,
        "procedure_code": "1.001193",
        "procedure_name": "Đăng ký khai sinh",
        "applicant": {
            "type": "citizen",
            "name": "Nguyễn Thị Bích Ngọc",
            "id_number": "001190012345",
            "phone": "0912345678",
            "email": "ngoc@example.vn",
            "address": "Thôn Khe Lếch, xã Tân An, tỉnh Lào Cai",
        },
        "submitter": None,
        "channel": "direct",
        "sets": 1,
        "received_at": f"{day.isoformat()}T08:30:00+07:00",
        "due_at": f"{(day + timedelta(days=1)).isoformat()}T08:30:00+07:00",
        "status": "received",
        "status_code": 2,
        "lookup_key": "K7M3PQ",
        "documents": [
            {"code": "TK", "name": "Tờ khai đăng ký khai sinh", "originals": 1, "copies": 0},
            {"code": "GCS", "name": "Giấy chứng sinh", "originals": 1, "copies": 0},
        ],
        "fees": [{"code": "LP", "name": "Lệ phí đăng ký khai sinh", "amount": 0}],
        "note": "",
        "received_by": "canbo1",
    }
    data.update(overrides)
    return data


def status_change(code: str, status: str, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": code,
        "status": status,
        "status_code": protocol.STATUS_CODES[status],
        "at": "2026-11-26T09:15:00+07:00",
        "by": "canbo1",
        "note": "",
    }
    data.update(overrides)
    return data


@dataclass
class CounterClient:
    """A counter as the portal sees it: an agency, a number, a token, an HTTP session."""

    server: PortalServer
    agency_code: str
    counter_no: int
    token: str
    http: requests.Session = field(repr=False)

    @property
    def api(self) -> str:
        return self.server.url + protocol.API_PREFIX

    def push(self, entries: list[Any]) -> requests.Response:
        return self.http.post(self.api + "/entries", json={"entries": entries}, timeout=60)

    def push_ok(self, entries: list[Any]) -> list[dict[str, Any]]:
        response = self.push(entries)
        assert response.status_code == 200, response.text
        results: list[dict[str, Any]] = response.json()["results"]
        return results

    def changes(self, since: int = 0, **params: Any) -> dict[str, Any]:
        response = self.http.get(
            self.api + "/changes", params={"since": since, **params}, timeout=30
        )
        assert response.status_code == 200, response.text
        page: dict[str, Any] = response.json()
        return page

    def all_changes(self, since: int = 0, **params: Any) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        while True:
            page = self.changes(since, **params)
            out.extend(page["changes"])
            since = page["next_cursor"]
            if not page["has_more"]:
                return out

    def snapshot(self, n: int, **overrides: Any) -> dict[str, Any]:
        return snapshot(self.agency_code, n, counter_no=self.counter_no, **overrides)

    def code(self, n: int) -> str:
        return dossier_code(self.agency_code, n, self.counter_no)
