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


def count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    finally:
        conn.close()


def test_sigkill_during_receive_from_jsonl(cli: Cli, tmp_path: Path):
    lines = [
        json.dumps(
            {
                "procedure": "1.001193",
                "applicant_name": f"Nguyễn Văn Bình {chr(65 + i % 26)}",
                "phone": "0912345678",
                "id_number": "001190012345",
                # three days: a counter numbers at most 999 dossiers a day
                "received_at": f"2026-11-{23 + i % 3}T09:00:00+07:00",
            },
            ensure_ascii=False,
        )
        for i in range(2000)
    ]
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(lines), "utf-8")
    db = cli.data_dir / "counter.db"
    before = count(db)
    wal = db.with_name("counter.db-wal")
    outcomes = []
    for grow in (32_000, 128_000, 400_000):
        start_size = wal.stat().st_size if wal.exists() else 0
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
                str(path),
            ],
            env={**os.environ, "COUNTER_PASSWORD": PASSWORD},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Kill once the transaction has written this much to the log, i.e. mid-intake.
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            size = wal.stat().st_size if wal.exists() else 0
            if size - start_size >= grow:
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.005)
        proc.wait(timeout=60)
        after = count(db)
        assert after - before in (0, 2000), after - before
        message = proc.stderr.read() if proc.stderr else ""
        outcomes.append((proc.returncode, after - before, message))
        before = after
        assert cli.json("check")["ok"] is True
    # Every run was all or nothing (checked above). At least one kill landed mid-transaction
    # and left nothing; a kill that lands after the commit finds all 2,000 saved, rightly.
    killed_mid = [n for rc, n, _ in outcomes if rc == -signal.SIGKILL and n == 0]
    assert killed_mid, f"no run was killed mid-intake: {outcomes}"
    assert cli.json("check")["dossiers"] == count(db)
