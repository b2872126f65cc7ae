"""``python -m portal admin ...`` as an operator runs it: exit codes, output. Each command of
the contract (CONTRACTS.md, section 4) runs as a real process at least once (``portal``);
the other checks run the same ``main`` in this process (``in_process``)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from portal_testkit import ROOT, PortalServer

import protocol
from portal import cli
from portal.cli.parser import DB_ENV


def portal(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """``python -m portal ARGS``, a real process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop(DB_ENV, None)
    return subprocess.run(
        [sys.executable, "-m", "portal", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def in_process(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m portal ARGS`` by its ``main`` in this process: the status it would exit
    with, and what it printed."""
    out, err = io.StringIO(), io.StringIO()
    saved = os.environ.pop(DB_ENV, None)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = cli.main(list(args))
            except SystemExit as exc:  # usage errors
                status = int(exc.code or 0)
    finally:
        if saved is not None:
            os.environ[DB_ENV] = saved
    return subprocess.CompletedProcess(["portal", *args], status, out.getvalue(), err.getvalue())


def refused(result: subprocess.CompletedProcess[str]) -> str:
    """Exit 1 with exactly one 'error: ...' line on stderr and nothing on stdout."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


@pytest.fixture
def db_url(new_db_url: Callable[[str], str]) -> str:
    return new_db_url("admin")


def test_a_whole_session(db_url: str, server_factory: Callable[..., PortalServer]) -> None:
    agency = "000.00.36.H62"
    assert portal("admin", "--db", db_url, "add-agency", agency, "UBND xã Tân An").returncode == 0
    line = refused(portal("admin", "--db", db_url, "add-agency", agency, "Lặp lại"))
    assert agency in line
    refused(in_process("admin", "--db", db_url, "add-agency", "bad code!", "X"))

    created = portal(
        "admin", "--db", db_url, "add-counter", "--agency-code", agency, "--counter-no", "1"
    )
    assert created.returncode == 0
    token = created.stdout.strip()
    assert created.stdout == token + "\n"  # the token alone, for scripts
    assert len(token) > 40
    refused(
        in_process(
            "admin", "--db", db_url, "add-counter", "--agency-code", agency, "--counter-no", "1"
        )
    )
    refused(
        in_process(
            "admin", "--db", db_url, "add-counter", "--agency-code", "000.99", "--counter-no", "1"
        )
    )

    server = server_factory(db_url=db_url)
    entries = [
        protocol.dossier_entry(wire_snapshot(agency, n, name))
        for n, name in ((1, "Lò Văn Pá"), (2, "Hà Thị Mỷ"))
    ]
    response = requests.post(
        server.url + "/api/v1/entries",
        json={"entries": entries},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.json()["counts"]["accepted"] == 2

    listed = portal("admin", "--db", db_url, "dossiers", "--agency", agency, "--json")
    assert listed.returncode == 0
    rows = json.loads(listed.stdout)
    assert [
        {
            k: r[k]
            for k in ("code", "status", "procedure_code", "applicant_name", "received_at", "due_at")
        }
        for r in rows
    ] == [
        {
            "code": f"{agency}-261126-1001",
            "status": "received",
            "procedure_code": "1.001193",
            "applicant_name": "Lò Văn Pá",
            "received_at": "2026-11-26T08:30:00+07:00",
            "due_at": "2026-11-27T08:30:00+07:00",
        },
        {
            "code": f"{agency}-261126-1002",
            "status": "received",
            "procedure_code": "1.001193",
            "applicant_name": "Hà Thị Mỷ",
            "received_at": "2026-11-26T08:30:00+07:00",
            "due_at": "2026-11-27T08:30:00+07:00",
        },
    ]
    assert json.loads(in_process("admin", "--db", db_url, "--json", "dossiers").stdout) == rows

    code = rows[0]["code"]
    assert portal("admin", "--db", db_url, "set-status", code, "processing").returncode == 0
    admin = ("admin", "--db", db_url)
    assert in_process(*admin, "set-status", code, "9", "--note", "Đã ký").returncode == 0
    line = refused(in_process(*admin, "set-status", code, "received"))
    assert "Đã xử lý xong" in line and "Được tiếp nhận" in line
    refused(in_process(*admin, "set-status", code, "finished"))
    refused(in_process(*admin, "set-status", f"{agency}-261126-9999", "done"))
    refused(in_process(*admin, "set-status", code, "done", "--force"))  # already

    # The change reaches the counter on its next pull.
    changes = requests.get(
        server.url + "/api/v1/changes",
        params={"since": 2},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    ).json()["changes"]
    assert [(c["status"], c["source"], c["note"]) for c in changes] == [
        ("processing", "portal", ""),
        ("done", "portal", "Đã ký"),
    ]
    shown = json.loads(in_process(*admin, "show", code, "--json").stdout)
    assert [h["status"] for h in shown["history"]] == ["received", "processing", "done"]
    assert "lookup_key" not in shown["dossier"]

    due = in_process(
        *admin, "set-due", rows[1]["code"], "2026-12-01T16:30", "--reason", "Chờ xác minh"
    )
    assert due.returncode == 0
    refused(in_process(*admin, "set-due", code, "2026-12-01T16:30", "--reason", "x"))
    refused(in_process(*admin, "set-due", rows[1]["code"], "tomorrow", "--reason", "x"))

    counters = json.loads(in_process(*admin, "counters", "--json").stdout)
    assert counters[0]["agency_code"] == agency and counters[0]["last_seen_at"] is not None


def wire_snapshot(agency: str, n: int, name: str, counter_no: int = 1) -> dict[str, object]:
    from portal_testkit import snapshot

    data = snapshot(agency, n, counter_no)
    data["applicant"] = {**data["applicant"], "name": name}  # type: ignore[dict-item]
    return data


def test_attention_commands(db_url: str, server_factory: Callable[..., PortalServer]) -> None:
    agency = "000.00.37.H62"
    in_process("admin", "--db", db_url, "add-agency", agency, "UBND xã Bản Lầu")
    token = in_process(
        "admin", "--db", db_url, "add-counter", "--agency-code", agency, "--counter-no", "2"
    ).stdout.strip()
    server = server_factory(db_url=db_url)
    entry = protocol.dossier_entry(wire_snapshot(agency, 1, "Vàng Seo Chứ", counter_no=2))
    altered = {**entry, "data": {**entry["data"], "sets": 2}}
    for body in ([entry], [altered]):
        requests.post(
            server.url + "/api/v1/entries",
            json={"entries": body},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
    items = json.loads(in_process("admin", "--db", db_url, "attention", "--json").stdout)
    assert [(i["agency_code"], i["counter_no"], i["reason"]["code"]) for i in items] == [
        (agency, 2, "key_reused")
    ]
    table = in_process("admin", "--db", db_url, "attention")
    assert table.returncode == 0 and "key_reused" in table.stdout
    item = str(items[0]["id"])
    assert (
        in_process(
            "admin", "--db", db_url, "attention", "resolve", item, "--note", "Đã gọi quầy"
        ).returncode
        == 0
    )
    refused(in_process("admin", "--db", db_url, "attention", "resolve", item))
    assert json.loads(in_process("admin", "--db", db_url, "attention", "--json").stdout) == []
    everything = json.loads(
        in_process("admin", "--db", db_url, "attention", "--all", "--json").stdout
    )
    assert everything[0]["resolution_note"] == "Đã gọi quầy"


def test_usage_errors_exit_2(db_url: str) -> None:
    for args in (
        ("admin", "--db", db_url, "no-such-command"),
        ("admin", "--db", db_url, "add-counter", "--agency-code", "X"),
        ("admin", "--db", db_url, "add-counter", "--agency-code", "X", "--counter-no", "one"),
        ("admin", "add-agency", "X", "Y"),  # no --db
        ("admin", "--db", db_url, "calendar"),
        ("serve",),
        (),
    ):
        result = in_process(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert "usage:" in result.stderr
    result = portal("admin", "--db", db_url, "no-such-command")  # the same, as a process
    assert result.returncode == 2 and "usage:" in result.stderr and result.stdout == ""


def test_database_is_created_by_any_command(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "portal.db"
    result = in_process("admin", "--db", f"sqlite:///{path}", "agencies", "--json")
    assert result.returncode == 0 and json.loads(result.stdout) == []
    assert path.exists()
    # A bare path is taken as a SQLite file too.
    other = tmp_path / "bare.db"
    assert in_process("admin", "--db", str(other), "calendar", "list").returncode == 0
    assert other.exists()


def test_unusable_database_is_refused(tmp_path: Path) -> None:
    refused(in_process("admin", "--db", "mysql://localhost/portal", "agencies"))
    (tmp_path / "dir.db").mkdir()
    refused(in_process("admin", "--db", f"sqlite:///{tmp_path / 'dir.db'}", "agencies"))


def test_serve_creates_the_database(
    tmp_path: Path, server_factory: Callable[..., PortalServer]
) -> None:
    path = tmp_path / "served.db"
    server = server_factory(db_url=f"sqlite:///{path}")
    assert requests.get(server.url + "/api/v1/health", timeout=10).status_code == 200
    assert path.exists()


def test_serve_refuses_a_busy_port(server: PortalServer, tmp_path: Path) -> None:
    port = server.url.rsplit(":", 1)[1]
    result = portal("serve", "--db", f"sqlite:///{tmp_path / 'x.db'}", "--port", port)
    refused(result)


def test_only_the_tokens_hash_is_stored(tmp_path: Path) -> None:
    path = tmp_path / "tokens.db"
    db = f"sqlite:///{path}"
    in_process("admin", "--db", db, "add-agency", "000.00.38.H62", "UBND xã Y Tý")
    token = in_process(
        "admin", "--db", db, "add-counter", "--agency-code", "000.00.38.H62", "--counter-no", "1"
    ).stdout.strip()
    _token_id, secret = token.split(".")
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("tokens.db*"))
    assert secret.encode() not in stored


def test_openapi_command_matches_the_committed_document(tmp_path: Path) -> None:
    out = tmp_path / "api.json"
    assert portal("openapi", "-o", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8") == (ROOT / "docs" / "portal-api.json").read_text(
        encoding="utf-8"
    )


def test_agency_levels_are_those_in_force(db_url: str) -> None:
    """Since 1 July 2025: commune, province or ministry; no new district."""
    assert (
        in_process(
            "admin",
            "--db",
            db_url,
            "add-agency",
            "000.00.01.G01",
            "Bộ Tư pháp",
            "--level",
            "ministry",
        ).returncode
        == 0
    )
    line = refused(
        in_process(
            "admin", "--db", db_url, "add-agency", "000.00.02.H02", "Huyện X", "--level", "district"
        )
    )
    assert "ministry" in line and "district" not in line.split(":", 2)[-1]
