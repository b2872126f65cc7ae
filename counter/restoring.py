"""Putting a backup back in place of the database.

Nothing is replaced until the copy has proved itself: it is made beside the database under a
part file, opened, upgraded to this release's schema and ``check``-ed there, and only then
swapped in, while the data folder's lock is held exclusive (no program of the counter has the
database open). The file it replaces is kept in ``backups/`` first: a copy made by SQLite
when it can read it, its bytes as they are when it is damaged. A refused restore changes
nothing (but for digitised pages copied into the store, which are named by their hash and
harm nothing); restoring is also the way out of a damaged database.

The PDF files of digitised pages come from the folder beside the backup (``<name>.files``,
as ``backup`` writes it); the check refuses a backup whose files are neither there nor
already in the data folder.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from counter import audit
from counter.clock import now
from counter.datalock import DataLock
from counter.db import (
    Database,
    copy_database,
    migrate,
    private_file,
    schema_revision,
    settle,
    sqlite_backup,
)
from counter.errors import InvalidInput, NotFound, StorageError
from counter.filestore import FOLDER, FileStore, copy_files, files_beside, referenced
from counter.maintenance import MaintenanceService
from counter.outputs import PART_SUFFIX

log = logging.getLogger("counter.db")

DB_NAME = "counter.db"


def restore(data_dir: Path, source: Path, actor_name: str = "system") -> Path:
    """Replace the database of ``data_dir`` with the backup ``source``; returns its path."""
    if not source.is_file():
        raise NotFound(f"Không có tệp sao lưu '{source}'", f"No backup file '{source}'")
    db_path = data_dir / DB_NAME
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    lock = DataLock(data_dir)
    lock.exclusive()  # refused while the desktop, a sync or another command has it open
    try:
        staged = private_file(data_dir / f"{DB_NAME}.{secrets.token_hex(4)}{PART_SUFFIX}")
        try:
            _prove(source, staged, data_dir, actor_name)
            _set_aside(db_path, data_dir / "backups")
            for side in ("-wal", "-shm"):
                db_path.with_name(DB_NAME + side).unlink(missing_ok=True)
            staged.replace(db_path)
        finally:
            for path in data_dir.glob(staged.name + "*"):
                path.unlink(missing_ok=True)
    finally:
        lock.release()
    log.info("restored the database from %s", source.name)
    return db_path


def _not_a_backup(source: Path, reason: str) -> InvalidInput:
    return InvalidInput(
        f"'{source.name}' không phải cơ sở dữ liệu của quầy một cửa ({reason})",
        f"'{source.name}' is not a one-stop counter database ({reason})",
    )


def _prove(source: Path, staged: Path, data_dir: Path, actor_name: str) -> None:
    """Copy, open, upgrade and check the backup in ``staged``; refused at the first failure."""
    try:
        copy_database(source, staged)
        integrity = sqlite3.connect(staged)
        try:
            result = str(integrity.execute("PRAGMA integrity_check").fetchone()[0])
        finally:
            integrity.close()
    except sqlite3.DatabaseError as exc:
        raise _not_a_backup(source, (str(exc).splitlines() or ["?"])[0]) from None
    if result != "ok":
        detail = " ".join(result.split())
        raise InvalidInput(
            f"Bản sao lưu '{source.name}' bị hỏng: {detail}",
            f"The backup '{source.name}' is damaged: {detail}",
        )
    try:
        schema_revision(staged, shown=source.name)
        migrate(staged, None)
        _bring_files(source, staged, data_dir)
        db = Database(staged)
        try:
            report = MaintenanceService(data_dir, db).check()
            if report.ok:
                with db.unit_of_work() as s:
                    audit.append(s, actor_name, "restore", "database", source.name)
        finally:
            db.dispose()
    except StorageError as exc:
        raise InvalidInput(exc.message_vi, exc.message_en) from None
    except (DBAPIError, sqlite3.DatabaseError) as exc:
        orig = exc.orig if isinstance(exc, DBAPIError) else exc
        raise _not_a_backup(source, (str(orig).splitlines() or ["?"])[0]) from None
    if not report.ok:
        raise InvalidInput(
            f"Bản sao lưu '{source.name}' không qua được kiểm tra: {report.problem_vi}",
            f"The backup '{source.name}' does not pass the check: {report.problem_en}",
        )
    settle(staged)


def _bring_files(source: Path, staged: Path, data_dir: Path) -> None:
    """The digitised pages the backup refers to, from the folder beside it, into the data
    folder's store (files are named by their hash: one already there and whole is kept, and
    none is ever removed). ``check`` then finds any the backup needs and does not bring."""
    beside = files_beside(source)
    if not beside.is_dir():
        return
    wanted = referenced(staged)
    backup = FileStore(beside)
    present = [digest for digest in wanted if backup.verify(digest) == "ok"]
    copy_files(backup, present, data_dir / FOLDER)


def _set_aside(db_path: Path, backups: Path) -> None:
    """Keep the database being replaced: as SQLite reads it, or byte for byte if it cannot."""
    if not db_path.exists():
        return
    stamp = f"{now():%Y%m%d-%H%M%S}"
    try:
        sqlite_backup(db_path, backups / f"before-restore-{stamp}.db")
        return
    except sqlite3.DatabaseError as exc:
        log.warning("the database being replaced cannot be read (%s): kept as it is", exc)
    kept = backups / f"before-restore-{stamp}-damaged.db"
    part = private_file(kept.with_name(f"{kept.name}.{secrets.token_hex(4)}{PART_SUFFIX}"))
    try:
        shutil.copyfile(db_path, part)
        part.replace(kept)
    finally:
        part.unlink(missing_ok=True)
