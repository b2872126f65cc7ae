"""``counter-admin sync`` as an operator runs it (a real program: a round, the loop until it is
stopped, being killed in the middle), and its refusals (in process)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from faultproxy import Fault
from portal_testkit import admin_ok
from synckit import (
    NAMES,
    ROOT,
    assert_in_sync,
    pdf_of,
    portal_dossiers,
    portal_set_status,
    table_snapshot,
)

from counter.app import CounterApp

ENTRIES = "/api/v1/entries"
CHANGES = "/api/v1/changes"
FILES = "/api/v1/files/"
COUNTS = {"pushed", "pulled", "conflicts", "failed", "pending"}


def _configure(cli, url: str, token: str, **settings: str) -> None:
    cli.ok("config", "set", "portal.url", url, user="admin")
    cli.ok("config", "set", "portal.token", token, user="admin")
    for key, value in settings.items():
        cli.ok("config", "set", key.replace("__", "."), value, user="admin")


def _receive(cli, tmp_path: Path, n: int) -> list[str]:
    lines = [
        json.dumps(
            {
                "procedure_code": "1.001193",
                "applicant_name": NAMES[i % len(NAMES)],
                "id_number": f"0011900{i:05d}",
                "phone": f"09123{i:05d}",
                "address": "Thôn Đông, xã Hòa Bình",
            },
            ensure_ascii=False,
        )
        for i in range(n)
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli.ok("receive", "--from-jsonl", str(path), user="clerk")
    return [d["code"] for d in cli.json("find", "000.00.36.H62", "--limit", "1000")]


def _sync_process(cli, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "COUNTER_LANG": "vi"}
    env.pop("COUNTER_DATA_DIR", None)
    return subprocess.Popen(
        [sys.executable, "-m", "counter", "--data-dir", str(cli.data_dir), "sync", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _killed_when_the_fault_is_reached(cli, proxy) -> None:
    """A ``sync --once`` killed (SIGKILL) while the proxy holds the planned fault's request,
    which then goes on."""
    proc = _sync_process(cli, "--once")
    try:
        assert proxy.reached.wait(60), proc.stderr.read() if proc.poll() is not None else ""
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    proxy.release.set()


def _wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


@pytest.fixture
def unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_sync_once_prints_the_counts_and_show_tells_the_sync_state(cli, portal, token, tmp_path):
    operator = cli.as_operator()  # sync as a real program; the rest in process
    _configure(cli, portal.url, token)
    (code,) = _receive(cli, tmp_path, 1)
    assert cli.json("show", code)["sync_state"] == "pending"

    assert operator.json("sync", "--once") == {
        "pushed": 1,
        "pulled": 0,
        "conflicts": 0,
        "failed": 0,
        "pending": 0,
    }

    shown = cli.json("show", code)
    assert shown["sync_state"] == "synced"
    assert shown["portal_confirmed_at"]
    portal_set_status(portal, code, "processing", by="Phòng Tư pháp")
    text = operator.ok("sync", "--once").stdout
    assert text.startswith("Đã gửi 0 mục, nhận 1 thay đổi")
    assert cli.json("show", code)["status"] == "processing"
    english = operator.ok("sync", "--once", env={"COUNTER_LANG": "en"}).stdout
    assert english.startswith("Sent 0, received 0 changes")
    logs = "".join(p.read_text(encoding="utf-8") for p in (cli.data_dir / "logs").glob("*"))
    assert "sync: pushed 1" in logs
    assert token.split(".", 1)[1] not in logs


def test_a_refused_token_exits_1_and_changes_nothing(cli, portal, token, tmp_path):
    _configure(cli, portal.url, token[:-3] + "abc")
    (code,) = _receive(cli, tmp_path, 1)
    before = cli.json("show", code)
    tables = table_snapshot(
        cli.data_dir / "counter.db", "outbox", "dossiers", "audit_log", "settings"
    )

    line = cli.refused("sync", "--once")

    assert "portal.token" in line and "từ chối" in line
    assert token[:-3] not in line
    assert cli.json("show", code) == before
    assert (
        table_snapshot(cli.data_dir / "counter.db", "outbox", "dossiers", "audit_log", "settings")
        == tables
    )
    assert portal_dossiers(portal) == []
    english = cli.refused("sync", "--once", env={"COUNTER_LANG": "en"})
    assert "refused this counter's token" in english


def test_an_unreachable_portal_exits_1(cli, unused_port, tmp_path):
    _configure(cli, f"http://127.0.0.1:{unused_port}", "1.secret")
    _receive(cli, tmp_path, 1)
    started = time.monotonic()
    line = cli.refused("sync", "--once")
    assert line.startswith("error: Không kết nối được cổng dịch vụ công http://127.0.0.1:")
    assert time.monotonic() - started < 30


def test_an_unconfigured_counter_exits_1(cli):
    line = cli.refused("sync", "--once")
    assert "portal.url" in line and "portal.token" in line


def test_sync_without_once_keeps_going_until_stopped(cli, portal, token, tmp_path):
    _configure(cli, portal.url, token, sync__interval_seconds="5")
    first = _receive(cli, tmp_path, 2)
    proc = _sync_process(cli, "--json")
    try:
        _wait_for(lambda: len(portal_dossiers(portal)) == 2)
        cli.ok(
            "receive",
            "--procedure",
            "1.001193",
            "--applicant-name",
            "Lê Thị Mai",
            user="clerk",
        )
        _wait_for(lambda: len(portal_dossiers(portal)) == 3)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    totals = json.loads(out)
    assert set(totals) == COUNTS
    assert totals["pushed"] == 3 and totals["pending"] == 0
    assert set(first) < {d["code"] for d in portal_dossiers(portal)}


@pytest.mark.parametrize(
    ("fault", "path", "method"),
    [("hold", ENTRIES, "POST"), ("hold_before", ENTRIES, "POST"), ("hold", CHANGES, "GET")],
    ids=["after-the-portal-committed", "before-the-portal-saw-it", "while-pulling"],
)
def test_killed_mid_sync_loses_nothing_and_sends_nothing_twice(
    cli, portal, token, proxy, tmp_path, fault, path, method
):
    _configure(cli, proxy.url, token, sync__batch_size="10")
    codes = _receive(cli, tmp_path, 25)
    for code in codes[:5]:
        cli.ok("set-status", code, "withdrawn", user="clerk")
    if path == CHANGES:
        cli.ok("sync", "--once")
        for code in codes[5:12]:
            portal_set_status(portal, code, "processing", by="Phòng Tư pháp")
    proxy.plan(Fault(fault, path=path, method=method))
    _killed_when_the_fault_is_reached(cli, proxy)

    result = cli.json("sync", "--once")

    assert result["pending"] == 0 and result["conflicts"] == 0 and result["failed"] == 0
    if path == ENTRIES:
        assert result["pushed"] == 30  # the held batch's entries come back as duplicates
    else:
        assert result["pulled"] == 7
    app = CounterApp.open(cli.data_dir)
    try:
        assert_in_sync(app, portal, codes)
        for code in codes[5:12] if path == CHANGES else []:
            history = app.dossiers.get(code).history
            assert [h.status.value for h in history if h.source == "portal"] == ["processing"]
    finally:
        app.close()
    cli.ok("check")


def test_files_follow_their_dossier_to_the_portal(cli, portal, token, tmp_path):
    """A digitised paper's entry goes after its dossier's: uploaded, linked, then sent; the
    same pages attached again are a new version, linked, and stored once."""
    _configure(cli, portal.url, token)
    (code,) = _receive(cli, tmp_path, 1)
    pdf = tmp_path / "to-khai.pdf"
    pdf.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    cli.ok("attach", code, "TK", str(pdf), user="clerk")
    assert cli.json("show", code)["sync_state"] == "pending"
    assert cli.json("sync", "--once") == {
        "pushed": 2,
        "pulled": 0,
        "conflicts": 0,
        "failed": 0,
        "pending": 0,
    }
    assert cli.json("show", code)["sync_state"] == "synced"
    cli.ok("attach", code, "TK", str(pdf), user="clerk")
    assert cli.json("sync", "--once")["pushed"] == 1
    assert cli.json("show", code)["sync_state"] == "synced"
    on_portal = json.loads(admin_ok(portal.db_url, "files", code, "--json"))
    assert [(f["doc"], f["version"]) for f in on_portal] == [("TK", 1), ("TK", 2)]
    assert len({f["sha256"] for f in on_portal}) == 1
    assert (
        len(list((Path(portal.db_url.removeprefix("sqlite:///")).parent / "files").rglob("*.pdf")))
        == 1
    )


@pytest.mark.parametrize("fault", ["hold", "hold_before"])
def test_killed_mid_upload_goes_on_from_what_the_portal_holds(
    cli, portal, token, proxy, tmp_path, fault
):
    """``sync --once`` killed while a chunk of a file is on its way (before the portal kept it,
    or after): the next run asks the portal what it holds and sends the rest, once."""
    _configure(cli, proxy.url, token)
    (code,) = _receive(cli, tmp_path, 1)
    pdf = tmp_path / "ho-so.pdf"
    content = pdf_of(3_500_000, seed=21)  # four chunks of 1 MiB
    pdf.write_bytes(content)
    sha256 = cli.json("attach", code, "TK", str(pdf), user="clerk")["sha256"]
    proxy.plan(Fault(fault, path=FILES, method="PUT", after=2))
    _killed_when_the_fault_is_reached(cli, proxy)

    result = cli.json("sync", "--once")

    assert (result["pushed"], result["pending"], result["failed"]) == (1, 0, 0)
    files = Path(portal.db_url.removeprefix("sqlite:///")).parent / "files"
    stored = list(files.rglob("*.pdf"))
    assert [p.name for p in stored] == [f"{sha256}.pdf"]
    assert stored[0].read_bytes() == content
    assert not list(files.rglob("*.part"))
    links = json.loads(admin_ok(portal.db_url, "files", code, "--json"))
    assert [(f["doc"], f["version"], f["sha256"]) for f in links] == [("TK", 1, sha256)]
    kept = [r for r in proxy.requests_to(FILES, "PUT") if r.upstream_status in (200, 201)]
    assert len(kept) == 4  # each chunk kept once by the portal
    cli.ok("check")
