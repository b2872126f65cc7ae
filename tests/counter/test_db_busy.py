"""Another program keeping the database locked past the busy timeout: the clerk is told the
database is busy and to try again; nothing is changed, and the next try works."""

from __future__ import annotations

import sqlite3

import pytest

import counter.db
from tests.conftest import Cli
from tests.counter.test_cli import db_fingerprint, receive


def test_a_database_kept_locked_is_busy_not_a_crash(cli: Cli, monkeypatch: pytest.MonkeyPatch):
    receive(cli)
    before = db_fingerprint(cli)
    # the in-process command opens its engines after this: they wait one second, not fifteen
    monkeypatch.setattr(counter.db, "BUSY_TIMEOUT_S", 1)
    other = sqlite3.connect(cli.data_dir / "counter.db", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        r = cli.run(
            "receive", "--procedure", "1.001193", "--applicant-name", "Lê Văn Tám", user="clerk"
        )
        assert r.returncode == 1, r.stderr
        assert "đang bận" in r.stderr and "Chưa có gì thay đổi" in r.stderr, r.stderr
        assert "Traceback" not in r.stderr
        r = cli.run(
            "receive",
            "--procedure",
            "1.001193",
            "--applicant-name",
            "Lê Văn Tám",
            user="clerk",
            env={"COUNTER_LANG": "en"},
        )
        assert "is busy" in r.stderr and "Nothing was changed" in r.stderr, r.stderr
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert db_fingerprint(cli) == before
    assert receive(cli)["code"].endswith("-1002")
