"""Engines, connections and the schema's migrations. Nothing here runs at import time."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from counter.clock import now
from counter.errors import StorageError

log = logging.getLogger("counter.db")

MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_S = 15


def _configure(dbapi_conn: sqlite3.Connection, immediate: bool) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (SQLAlchemy's pysqlite recipe)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    # The writer syncs the log at every commit (a saved dossier survives a power cut) and
    # leaves checkpoints to the background checkpointer, off the intake's path.
    cur.execute("PRAGMA synchronous=NORMAL" if not immediate else "PRAGMA synchronous=FULL")
    if immediate:
        cur.execute("PRAGMA wal_autocheckpoint=0")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.execute("PRAGMA cache_size=-32000")
    cur.close()


def _compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def make_engine(db_path: Path, *, immediate: bool) -> Engine:
    """An engine whose transactions start with BEGIN IMMEDIATE (writers) or BEGIN (readers).

    Writers take the write lock up front, so reading the last audit hash and appending the
    next row can never interleave with another writer.
    """
    engine = create_engine(
        f"sqlite:///{db_path}",
        connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
        # Vietnamese stays readable and a third the size of \uXXXX escapes
        json_serializer=_compact_json,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        _configure(dbapi_conn, immediate)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Checkpointer:
    """Copies the write-ahead log back into the database in the background.

    Automatic checkpoints would run inside a commit, on the clerk's time; this thread runs a
    PASSIVE checkpoint (it never blocks writers) a moment after writes, on its own connection.
    """

    def __init__(self, path: Path, delay_s: float = 2.0):
        self.path = path
        self.delay_s = delay_s
        self._dirty = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)
        self._thread.start()

    def touch(self) -> None:
        self._dirty.set()

    def checkpoint(self, mode: str = "PASSIVE") -> None:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            conn.execute(f"PRAGMA wal_checkpoint({mode})")
        except sqlite3.OperationalError as exc:  # busy: the next round will do it
            log.debug("checkpoint skipped: %s", exc)
        finally:
            conn.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            if self._dirty.wait(timeout=1.0) and not self._stop.wait(self.delay_s):
                self._dirty.clear()
                self.checkpoint()

    def close(self) -> None:
        self._stop.set()
        self._dirty.set()
        self._thread.join(timeout=10)
        self.checkpoint("TRUNCATE")


class Database:
    """The counter's SQLite file: one engine for writes, one for reads."""

    def __init__(self, path: Path):
        self.path = path
        self.write_engine = make_engine(path, immediate=True)
        self.read_engine = make_engine(path, immediate=False)
        self._writer = sessionmaker(self.write_engine, expire_on_commit=False)
        self._reader = sessionmaker(self.read_engine, expire_on_commit=False)
        self.checkpointer = Checkpointer(path)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One user action: everything commits together or nothing does."""
        session = self._writer()
        try:
            yield session
            session.commit()
            self.checkpointer.touch()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        session = self._reader()
        try:
            yield session
        finally:
            session.close()  # ends the read transaction; loaded objects keep their state

    def dispose(self) -> None:
        self.write_engine.dispose()
        self.read_engine.dispose()
        self.checkpointer.close()


def alembic_config(db_path: Path) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", f"sqlite:///{db_path}")
    return cfg


def head_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config(Path("unused.db")))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(db_path: Path) -> str | None:
    engine = create_engine(f"sqlite:///{db_path}")
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def sqlite_backup(src: Path, dest: Path) -> Path:
    """A consistent copy of a live database (SQLite's online backup API)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    try:
        target = sqlite3.connect(tmp)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
    finally:
        source.close()
    tmp.replace(dest)
    return dest


def migrate(db_path: Path, backup_dir: Path) -> str | None:
    """Bring the schema to the newest revision, backing the file up first if it has data.

    Returns the path of the backup taken, if any.
    """
    current = current_revision(db_path) if db_path.exists() else None
    head = head_revision()
    if current == head:
        return None
    backup_path = None
    if current is not None:
        stamp = now().strftime("%Y%m%d-%H%M%S")
        backup_path = sqlite_backup(db_path, backup_dir / f"before-upgrade-{current}-{stamp}.db")
        log.info("backed up the database before upgrading the schema: %s", backup_path.name)
    try:
        command.upgrade(alembic_config(db_path), "head")
    except Exception as exc:  # the backup stays; the message says where
        raise StorageError(
            f"Không nâng cấp được cơ sở dữ liệu ({exc}); bản sao lưu: {backup_path}",
            f"Could not upgrade the database ({exc}); backup: {backup_path}",
        ) from exc
    return str(backup_path) if backup_path else None
