"""A process killed with SIGKILL in the middle of a bulk intake leaves all or nothing."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import PASSWORD, ROOT, Cli

BATCH = 2000


def count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    finally:
        conn.close()


def write_locked(db: Path) -> bool:
    """True while another connection holds the write lock (an open write transaction)."""
    conn = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return True
        raise
    else:
        conn.execute("ROLLBACK")
        return False
    finally:
        conn.close()


def batch_file(tmp_path: Path, run: int) -> Path:
    lines = [
        json.dumps(
            {
                "procedure": "1.001193",
                "applicant_name": f"Nguyễn Văn Bình {chr(65 + i % 26)}",
                "phone": "0912345678",
                "id_number": "001190012345",
                # three days of its own per run: a counter numbers at most 999 dossiers a day
                "received_at": f"2026-11-{10 + 3 * run + i % 3:02d}T09:00:00+07:00",
            },
            ensure_ascii=False,
        )
        for i in range(BATCH)
    ]
    path = tmp_path / f"many-{run}.jsonl"
    path.write_text("\n".join(lines), "utf-8")
    return path


def test_sigkill_during_receive_from_jsonl(cli: Cli, tmp_path: Path):
    db = cli.data_dir / "counter.db"
    before = count(db)
    outcomes = []
    for run in range(3):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "counter",
                "--data-dir",
                str(cli.data_dir),
                "receive",
                "--user",
                "clerk",
                "--from-jsonl",
                str(batch_file(tmp_path, run)),
            ],
            env={**os.environ, "COUNTER_PASSWORD": PASSWORD},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        # The intake's transaction holds the write lock for seconds (thousands of rows); the
        # sign-in's audit row holds it for milliseconds. Seen locked on two looks a little
        # apart, the intake is under way: kill it there.
        seen = 0
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            seen = seen + 1 if write_locked(db) else 0
            if seen >= 2:
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.1)
        _, message = proc.communicate(timeout=60)
        after = count(db)
        # All or nothing, whenever the kill landed.
        assert after - before in (0, BATCH), (after - before, message)
        outcomes.append((proc.returncode, after - before, message.strip()))
        before = after
        assert cli.json("check")["ok"] is True
    # A kill that lands after the commit finds every dossier saved, rightly; at least one
    # landed mid-transaction and left nothing.
    killed_mid = [n for rc, n, _ in outcomes if rc == -signal.SIGKILL and n == 0]
    assert killed_mid, f"no run was killed mid-intake: {outcomes}"
    assert cli.json("check")["dossiers"] == count(db)
