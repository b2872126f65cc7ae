"""The counter's files as real offices treat them: output paths typed carelessly, odd folder
names, a damaged database, a kill during ``init``, leftovers of killed backups, and who may
read the data folder. Everything runs the command line on a real folder: in process, and as a
subprocess where a program is killed."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import AGENCY, ROOT, Cli

BIRTH = "1.001193"
DAY = "2026-11-26"
EN = {"COUNTER_LANG": "en"}


def receive(cli: Cli, name: str = "Nguyễn Thị Ánh Tuyết") -> Any:
    return cli.json("receive", "--procedure", BIRTH, "--applicant-name", name, user="clerk")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def dossier_count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM dossiers").fetchone()[0])
    finally:
        conn.close()


def init_args(counter_no: int = 1) -> list[str]:
    return [
        "init",
        "--agency-code",
        AGENCY,
        "--agency-name",
        "Xã Hòa Bình",
        "--counter-no",
        str(counter_no),
    ]


# -- 1. output files -------------------------------------------------------------------------


def test_no_output_lands_in_the_data_folder(cli: Cli, tmp_path: Path):
    code = receive(cli)["code"]
    data = cli.data_dir
    db = data / "counter.db"
    out = tmp_path / "out"
    out.mkdir()
    disguised = out / "bien-nhan.pdf"
    disguised.symlink_to(db)
    before = sorted(p.name for p in data.rglob("*"))
    refused = [
        ("print", "receipt", code, "-o", str(db)),
        ("print", "receipt", code, "-o", str(disguised), "--force"),
        ("print", "daily", "--date", DAY, "-o", str(out / "d.pdf"), "--csv", str(db), "--force"),
        ("backup", "-o", str(data / "backups" / "mine.db")),
    ]
    for args in refused:
        line = cli.refused(*args, user="boss", env=EN)
        assert "data folder" in line, line
    assert not (out / "d.pdf").exists()  # the PDF of a refused command is not written either
    assert sorted(p.name for p in data.rglob("*")) == before
    assert cli.json("check")["ok"] is True


def test_the_one_function_that_writes_outputs(tmp_path: Path):
    """``counter.outputs``, which the command line, the desktop and backups all write through."""
    from counter.outputs import OutputRefused, write_output

    data = tmp_path / "data"
    (data / "logs").mkdir(parents=True)
    db = data / "counter.db"
    db.write_bytes(b"the database")
    out = tmp_path / "out"
    out.mkdir()
    (out / "up").symlink_to(data)
    for path in (db, data / "logs" / "x.csv", out / "up" / "x.pdf", data / "new" / "x.pdf", data):
        with pytest.raises(OutputRefused, match="trong thư mục dữ liệu"):
            write_output(path, b"%PDF", data_dir=data, force=True)
    assert db.read_bytes() == b"the database" and not (data / "new").exists()

    target = out / "a.csv"
    assert write_output(target, b"one", data_dir=data) == target
    with pytest.raises(OutputRefused, match="--force"):
        write_output(target, b"two", data_dir=data)
    assert target.read_bytes() == b"one"
    write_output(target, lambda part: part.write_bytes(b"three"), data_dir=data, force=True)
    assert target.read_bytes() == b"three"
    assert mode(target) == 0o600
    dangling = out / "gone.pdf"
    dangling.symlink_to(out / "nowhere" / "x.pdf")
    with pytest.raises(OutputRefused, match="liên kết"):
        write_output(dangling, b"%PDF", data_dir=data)
    with pytest.raises(OutputRefused, match="không phải là một tệp"):
        write_output(out, b"%PDF", data_dir=data, force=True)
    assert sorted(p.name for p in out.iterdir()) == ["a.csv", "gone.pdf", "up"]


def test_an_existing_file_is_replaced_only_when_asked(cli: Cli, tmp_path: Path):
    code = receive(cli)["code"]
    out = tmp_path / "out"
    out.mkdir()
    letter, copy = out / "thu.pdf", out / "sao-luu.db"
    letter.write_bytes(b"the minister's letter")
    copy.write_bytes(b"yesterday's backup")

    line = cli.refused("print", "receipt", code, "-o", str(letter), user="clerk", env=EN)
    assert "--force" in line
    cli.refused("backup", "-o", str(copy))
    assert letter.read_bytes() == b"the minister's letter"
    assert copy.read_bytes() == b"yesterday's backup"

    cli.ok("print", "receipt", code, "-o", str(letter), "--force", user="clerk")
    assert letter.read_bytes().startswith(b"%PDF")
    cli.ok("backup", "-o", str(copy), "--force")
    assert dossier_count(copy) == 1
    # nothing half-written is left beside them
    assert sorted(p.name for p in out.iterdir()) == ["sao-luu.db", "thu.pdf"]


def test_a_special_file_is_written_through_never_replaced(cli: Cli, tmp_path: Path):
    code = receive(cli)["code"]
    for args, magic in (
        (("print", "receipt", code), b"%PDF"),
        (("backup",), b"SQLite format 3\x00"),
    ):
        fifo, received = tmp_path / "pipe", tmp_path / "received"
        os.mkfifo(fifo)
        with open(received, "wb") as sink:  # what comes out of the pipe, read as it comes
            reader = subprocess.Popen(["cat", str(fifo)], stdout=sink)
        try:
            cli.ok(*args, "-o", str(fifo), user="clerk")
            assert stat.S_ISFIFO(fifo.lstat().st_mode), "the pipe was replaced by a file"
            assert reader.wait(timeout=120) == 0
            assert received.read_bytes().startswith(magic)
        finally:
            if reader.poll() is None:
                reader.kill()
                reader.wait()
            fifo.unlink()

    # a socket (or a folder) is no place for a PDF
    sock_path = tmp_path / "s"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(sock_path))
        cli.refused("print", "receipt", code, "-o", str(sock_path), "--force", user="clerk")
        assert stat.S_ISSOCK(sock_path.lstat().st_mode)
    finally:
        sock.close()


# -- 5. paths with # or ? --------------------------------------------------------------------


def test_hash_and_question_mark_in_the_data_folder(tmp_path: Path, counter_template: Path):
    base = tmp_path / "offices"
    (base / "q").mkdir(parents=True)  # where "q?x#1" used to end up
    cli = Cli(base / "q?x#1")
    shutil.copytree(counter_template, cli.data_dir)
    receive(cli)
    backup = Path(cli.json("backup")["backup"])
    assert backup.parent == cli.data_dir / "backups"
    assert dossier_count(backup) == 1
    cli.ok("restore", str(backup), user="admin")
    assert dossier_count(cli.data_dir / "counter.db") == 1

    fresh = Cli(base / "n?m")
    (base / "n").mkdir()
    fresh.ok(*init_args())
    assert (fresh.data_dir / "counter.db").is_file()
    assert list((base / "n").iterdir()) == []
    assert list((base / "q").iterdir()) == []


# -- 4. a damaged database -------------------------------------------------------------------


def test_a_damaged_database_is_said_in_one_line_and_can_be_restored(cli: Cli, tmp_path: Path):
    receive(cli)
    good = tmp_path / "good.db"
    cli.ok("backup", "-o", str(good))
    db = cli.data_dir / "counter.db"
    size = db.stat().st_size
    with open(db, "r+b") as fh:  # every page but the first (the schema) overwritten
        fh.seek(4096)
        fh.write(os.urandom(size - 4096))
    assert "damaged" in cli.refused("check", env=EN)

    db.write_bytes(os.urandom(64 * 1024))  # nothing left of it
    for args in (("check",), ("backup", "-o", str(tmp_path / "x.db"))):
        line = cli.refused(*args, env=EN)
        assert "damaged" in line and "restore" in line, line
    cli.ok("restore", str(good), user="admin")  # no one can sign in: restoring is the way out
    assert cli.json("check")["ok"] is True
    assert dossier_count(db) == 1
    kept = list((cli.data_dir / "backups").glob("before-restore-*"))
    assert [p.read_bytes()[:16] != b"SQLite format 3\x00" for p in kept] == [True]


# -- 6. init killed part way -----------------------------------------------------------------


def test_init_killed_part_way_leaves_nothing_half_built(tmp_path: Path):
    cli = Cli(tmp_path / "data")
    env = {**os.environ, "COUNTER_LANG": "vi"}
    env.pop("COUNTER_DATA_DIR", None)
    cmd = [sys.executable, "-m", "counter", "--data-dir", str(cli.data_dir), *init_args()]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    try:
        # kill it as soon as any file of a database appears
        while proc.poll() is None and not list(cli.data_dir.glob("counter.db*")):
            time.sleep(0.002)
    finally:
        proc.kill()
        proc.wait()
    again = cli.run(*init_args())
    if again.returncode != 0:  # the kill came after the database was complete
        assert "error: " in again.stderr
    assert cli.json("check")["ok"] is True
    assert cli.json("config", "get", "office.agency_code")["value"] == AGENCY
    assert sorted(p.name for p in cli.data_dir.glob("counter.db*")) in (
        ["counter.db"],
        ["counter.db", "counter.db-shm", "counter.db-wal"],
    )


# -- 7. leftovers of killed backups ----------------------------------------------------------


def test_leftover_part_files_are_removed_on_the_next_start(cli: Cli):
    backups = cli.data_dir / "backups"
    backups.mkdir(exist_ok=True)
    leftovers = [
        backups / "counter-20261126-101010.db.part",
        backups / "before-upgrade-0006-20261126-101010.db.part",
        cli.data_dir / "counter.db.k3j2.part",
        cli.data_dir / "counter.db.k3j2.part-journal",
    ]
    for path in leftovers:
        path.write_bytes(b"\0" * 100_000)
    kept = backups / "notes.part.txt"
    kept.write_text("not ours")
    cli.ok("check")
    assert [p.name for p in leftovers if p.exists()] == []
    assert kept.exists()


# -- 18. owner-only files --------------------------------------------------------------------


def _private(cli: Cli, backup: Path) -> None:
    data = cli.data_dir
    for folder in (data, data / "backups", data / "logs"):
        assert mode(folder) == 0o700, folder
    for path in (data / "counter.db", data / "logs" / "counter.log", backup):
        assert mode(path) == 0o600, path
    for path in data.glob("counter.db-*"):
        assert mode(path) == 0o600, path


def test_the_data_folder_is_owner_only(tmp_path: Path):
    cli = Cli(tmp_path / "data")
    cli.ok(*init_args())
    backup = Path(cli.json("backup")["backup"])
    _private(cli, backup)

    for path in [cli.data_dir, *cli.data_dir.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    cli.ok("check")
    _private(cli, backup)


def test_the_portals_sqlite_file_is_owner_only(tmp_path: Path):
    from portal.db import Database

    path = tmp_path / "portal" / "data" / "portal.db"
    Database(f"sqlite:///{path}").dispose()
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    path.chmod(0o644)
    Database(f"sqlite:///{path}").dispose()
    assert mode(path) == 0o600
