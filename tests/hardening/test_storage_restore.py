"""Putting a backup back: never under a program that has the database open, and never a file
that would not open, upgrade and pass ``check`` (a refused restore changes nothing)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import ROOT, Cli

BIRTH = "1.001193"
EN = {"COUNTER_LANG": "en"}

# A program of the counter (the desktop, a sync loop...) holding the database open.
HOLDER = """
import sys
from pathlib import Path
from counter.app import CounterApp
app = CounterApp.open(Path(sys.argv[1]))
print("open", flush=True)
sys.stdin.readline()
app.close()
"""


@contextmanager
def held_open(data_dir: Path) -> Iterator[None]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        assert proc.stdout.readline().strip() == "open"
        yield
    finally:
        proc.stdin.write("\n")
        proc.stdin.close()
        assert proc.wait(timeout=120) == 0


def receive(cli: Cli, name: str) -> str:
    data = cli.json("receive", "--procedure", BIRTH, "--applicant-name", name, user="clerk")
    return str(data["code"])


def listing(data_dir: Path) -> list[str]:
    return sorted(
        str(p.relative_to(data_dir)) for p in data_dir.rglob("*") if "logs" not in p.parts
    )


def db_rows(data_dir: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(data_dir / "counter.db")
    try:
        return conn.execute(
            "SELECT code, applicant_name, status FROM dossiers ORDER BY code"
        ).fetchall()
    finally:
        conn.close()


# -- 2. restore beside a running program -----------------------------------------------------


def test_restore_is_refused_while_another_program_has_the_database_open(cli: Cli, tmp_path: Path):
    backup = tmp_path / "sao-luu.db"
    cli.ok("backup", "-o", str(backup))
    code = receive(cli, "Nguyễn Thị Ánh Tuyết")
    with held_open(cli.data_dir):
        line = cli.refused("restore", str(backup), user="admin", env=EN)
        assert "in use" in line
        assert [r[0] for r in db_rows(cli.data_dir)] == [code]
        # a part file in the folder may be another program's backup under way: left alone
        partial = cli.data_dir / "backups" / "counter-20261126-101010.db.part"
        partial.parent.mkdir(exist_ok=True)
        partial.write_bytes(b"\0" * 4096)
        cli.ok("check")
        assert partial.exists()
    cli.ok("restore", str(backup), user="admin")
    assert cli.json("find", "nguyen thi anh tuyet") == []
    assert not partial.exists()


def test_nothing_opens_the_database_while_it_is_being_replaced(cli: Cli):
    from counter.datalock import DataLock

    lock = DataLock(cli.data_dir)
    try:
        lock.exclusive()
        line = cli.refused("find", "nguyen", env=EN)
        assert "restored" in line
        cli.refused("receive", "--procedure", BIRTH, "--applicant-name", "A", user="clerk")
    finally:
        lock.release()
    assert cli.json("find", "nguyen") == []


# -- 3. refused restores change nothing ------------------------------------------------------


def test_a_backup_that_would_not_open_is_refused_before_anything_changes(cli: Cli, tmp_path: Path):
    code = receive(cli, "Nguyễn Thị Ánh Tuyết")

    from portal.db import Database as PortalDatabase

    portal = tmp_path / "portal.db"  # a real SQLite file with a table named "dossiers"
    PortalDatabase(f"sqlite:///{portal}").dispose()

    future = tmp_path / "future.db"  # made by a newer release of the program
    cli.ok("backup", "-o", str(future))
    unindexed = tmp_path / "unindexed.db"  # opens and upgrades, but fails check
    shutil.copyfile(future, unindexed)
    conn = sqlite3.connect(future)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    conn.close()

    conn = sqlite3.connect(unindexed)
    with conn:
        conn.execute("INSERT INTO dossier_search (dossier_search) VALUES ('delete-all')")
    conn.close()

    noise = tmp_path / "noise.db"
    noise.write_bytes(os.urandom(32 * 1024))

    rows, files = db_rows(cli.data_dir), listing(cli.data_dir)
    for source, word in (
        (portal, "not a one-stop counter database"),
        (future, "newer"),
        (unindexed, "search index"),
        (noise, "not a one-stop counter database"),
        (tmp_path / "missing.db", "No backup file"),
    ):
        line = cli.refused("restore", str(source), user="admin", env=EN)
        assert word in line, line
        assert db_rows(cli.data_dir) == rows
        assert listing(cli.data_dir) == files
    assert cli.json("check")["ok"] is True
    assert [r[0] for r in rows] == [code]


def test_an_older_backup_is_upgraded_on_the_way_in(cli: Cli, tmp_path: Path):
    from alembic import command

    from counter.db import alembic_config, current_revision, head_revision

    code = receive(cli, "Nguyễn Thị Ánh Tuyết")
    old = tmp_path / "old.db"
    cli.ok("backup", "-o", str(old))
    command.downgrade(alembic_config(old), "0005")
    receive(cli, "Lê Văn Tỵ")
    cli.ok("restore", str(old), user="admin")
    assert current_revision(cli.data_dir / "counter.db") == head_revision()
    assert [r[0] for r in db_rows(cli.data_dir)] == [code]
    assert cli.json("check")["ok"] is True
