"""Engines, connections and the schema's migrations. Nothing here runs at import time."""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from counter.clock import now
from counter.errors import StorageError
from counter.outputs import PART_SUFFIX

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger("counter.db")

MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_S = 15


def sqlite_url(db_path: Path) -> URL:
    """The SQLAlchemy URL of a SQLite file: a path is a path, whatever ``#`` or ``?`` it holds."""
    return URL.create("sqlite", database=str(db_path))


def read_only_uri(db_path: Path) -> str:
    """An SQLite ``file:`` URI that opens the file read-only, its path quoted."""
    return db_path.resolve().as_uri() + "?mode=ro"


def is_damage(exc: BaseException) -> bool:
    """SQLite says the file is not a database, or a damaged one."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    name = str(getattr(orig, "sqlite_errorname", ""))
    return name == "SQLITE_NOTADB" or name.startswith("SQLITE_CORRUPT")


def is_busy(exc: BaseException) -> bool:
    """Another program held the write lock longer than the busy timeout."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    name = str(getattr(orig, "sqlite_errorname", ""))
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))


def busy(db_path: Path) -> StorageError:
    """The refusal for a database another program kept locked: nothing was changed."""
    return StorageError(
        f"Cơ sở dữ liệu '{db_path}' đang bận: một chương trình khác giữ nó quá "
        f"{BUSY_TIMEOUT_S} giây. Chưa có gì thay đổi; hãy thử lại sau giây lát",
        f"The database '{db_path}' is busy: another program has held it for over "
        f"{BUSY_TIMEOUT_S} seconds. Nothing was changed; try again in a moment",
    )


def damaged(db_path: Path, exc: BaseException) -> StorageError:
    """The one-line refusal for a database SQLite cannot read: what to do about it."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    reason = (str(orig).splitlines() or ["?"])[0]
    return StorageError(
        f"Cơ sở dữ liệu '{db_path}' bị hỏng ({reason}): hãy khôi phục một bản sao lưu bằng "
        "'counter-admin restore TỆP'",
        f"The database '{db_path}' is damaged ({reason}): restore a backup with "
        "'counter-admin restore FILE'",
    )


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
        sqlite_url(db_path),
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
        except sqlite3.DatabaseError as exc:  # busy: the next round will do it; damaged:
            log.debug("checkpoint skipped: %s", exc)  # the next query says so, in one line
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
        except BaseException as exc:
            session.rollback()
            if is_damage(exc):
                raise damaged(self.path, exc) from exc
            if is_busy(exc):
                raise busy(self.path) from exc
            raise
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        session = self._reader()
        try:
            yield session
        except DBAPIError as exc:
            if is_damage(exc):
                raise damaged(self.path, exc) from exc
            if is_busy(exc):
                raise busy(self.path) from exc
            raise
        finally:
            session.close()  # ends the read transaction; loaded objects keep their state

    def dispose(self) -> None:
        self.write_engine.dispose()
        self.read_engine.dispose()
        self.checkpointer.close()


def alembic_config(db_path: Path) -> Config:
    from alembic.config import Config  # alembic is imported only when a schema is upgraded

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    # quoted as a URL, then "%" doubled for the configuration file's syntax
    url = sqlite_url(db_path).render_as_string(hide_password=False)
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(Path("unused.db")))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(db_path: Path) -> str | None:
    from alembic.runtime.migration import MigrationContext

    engine = create_engine(sqlite_url(db_path))
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def copy_database(src: Path, dest: Path) -> None:
    """Fill ``dest`` with a consistent copy of the live database ``src`` (SQLite's online
    backup API): one self-contained file, whatever is still in the write-ahead log."""
    source = sqlite3.connect(read_only_uri(src), uri=True, timeout=BUSY_TIMEOUT_S)
    try:
        target = sqlite3.connect(dest)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
    finally:
        source.close()


def private_file(path: Path) -> Path:
    """Create an empty file readable by its owner only (SQLite gives its journals the same)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return path


def settle(db_path: Path) -> None:
    """Fold the write-ahead log into the file, so the file alone is the whole database (before
    it is renamed: a log left behind under the old name would be lost)."""
    conn = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if busy:
            raise StorageError(
                "Cơ sở dữ liệu đang bận, chưa ghi hết được: hãy thử lại",
                "The database is busy and could not be written out: try again",
            )
    finally:
        conn.close()  # the last connection closing removes the empty log


def sqlite_backup(src: Path, dest: Path) -> Path:
    """A consistent copy of a live database into the counter's own ``dest`` (owner-only).

    It is written as ``*.part`` and renamed: a killed backup leaves a part file, which the next
    start removes (``counter.datafolder``), never a truncated ``*.db``.
    """
    tmp = dest.with_name(f"{dest.name}.{secrets.token_hex(4)}{PART_SUFFIX}")
    private_file(tmp)
    try:
        copy_database(src, tmp)
        tmp.replace(dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def _tables(db_path: Path) -> list[str]:
    conn = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_S)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    finally:
        conn.close()


def schema_revision(db_path: Path, shown: str = "") -> str | None:
    """The file's schema revision, refused if it is no counter database or a newer one
    (``shown``: the name to say, when the file is a copy)."""
    name = shown or db_path.name
    current = current_revision(db_path)
    # The counter's revisions are numbers ("0001"); another program's (the portal's "p0001")
    # make it another program's database.
    if (current is None and _tables(db_path)) or (current is not None and not current[0].isdigit()):
        raise StorageError(
            f"'{name}' không phải cơ sở dữ liệu của quầy một cửa",
            f"'{name}' is not a one-stop counter database",
        )
    if current is not None:
        from alembic.script import ScriptDirectory

        try:
            ScriptDirectory.from_config(alembic_config(db_path)).get_revision(current)
        except Exception:  # alembic's "Can't locate revision" and the like
            raise StorageError(
                f"'{name}' do một phiên bản mới hơn của chương trình tạo ra (lược đồ "
                f"{current}): hãy cập nhật chương trình trước",
                f"'{name}' was made by a newer version of the program (schema "
                f"{current}): update the program first",
            ) from None
    return current


_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.M)


@functools.cache
def _newest_in_files() -> str | None:
    """The newest revision as the migration files name it on their ``revision`` and
    ``down_revision`` lines: the one no other follows. None when that is not exactly one (a
    merge, a line written otherwise): then alembic decides."""
    revisions: set[str] = set()
    followed: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if "revision" not in found:
            continue
        revisions.add(found["revision"].strip("\"'"))
        followed.add(found.get("down_revision", "").strip("\"'"))
    newest = revisions - followed
    return newest.pop() if len(newest) == 1 else None


def _stored_revision(db_path: Path) -> str | None:
    """The revision the file says it is at (``alembic_version``), read with sqlite3 alone."""
    try:
        conn = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error:
        return None
    try:
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:  # no such table, not a database: alembic's path says what is wrong
        return None
    finally:
        conn.close()
    return str(rows[0][0]) if len(rows) == 1 else None


def migrate(db_path: Path, backup_dir: Path | None) -> str | None:
    """Bring the schema to the newest revision, backing the file up first (into
    ``backup_dir``, unless None) if it has data.

    Returns the path of the backup taken, if any. A database already at the newest revision
    (the common start) is seen as such without alembic, which takes a while to import.
    """
    newest = _newest_in_files()
    if newest is not None and db_path.exists() and _stored_revision(db_path) == newest:
        return None
    from alembic import command

    current = schema_revision(db_path) if db_path.exists() else None
    head = head_revision()
    if current == head:
        return None
    backup_path = None
    if current is not None and backup_dir is not None:
        stamp = now().strftime("%Y%m%d-%H%M%S")
        backup_path = sqlite_backup(db_path, backup_dir / f"before-upgrade-{current}-{stamp}.db")
        log.info("backed up the database before upgrading the schema: %s", backup_path.name)
    cfg = alembic_config(db_path)
    engine = create_engine(sqlite_url(db_path))
    try:
        with engine.connect() as conn:  # as the migrations' env.py would open it, path quoted
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.commit()
    except Exception as exc:  # the backup stays; the message says where
        if is_damage(exc):
            raise damaged(db_path, exc) from exc
        reason = (str(exc).splitlines() or ["?"])[0]
        raise StorageError(
            f"Không nâng cấp được cơ sở dữ liệu ({reason}); bản sao lưu: {backup_path}",
            f"Could not upgrade the database ({reason}); backup: {backup_path}",
        ) from exc
    finally:
        engine.dispose()
    _compact(db_path)
    return str(backup_path) if backup_path else None


def _compact(db_path: Path) -> None:
    """An upgrade that made tables anew (migration 0015) leaves their old pages free: when
    they are over a quarter of the file, it is rewritten without them (VACUUM) once. A file
    another program is reading stays as it is; SQLite fills the free pages in time."""
    conn = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        if free * 4 > pages:
            conn.execute("VACUUM")
    except sqlite3.OperationalError as exc:  # busy: the next upgrade's, or never; no harm
        log.info("the database was not compacted after its upgrade: %s", exc)
    finally:
        conn.close()
