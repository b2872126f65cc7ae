"""The portal's database: engine, sessions, schema.

SQLite (the default) and PostgreSQL are both supported through a SQLAlchemy URL. Writes are
serialised (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: a transaction-level advisory lock) so that
change-feed cursors become visible in increasing order and idempotency checks never race.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from portal.models import Base
from protocol.errors import KnownError

log = logging.getLogger("portal.db")

# Any constant will do: every writer of this portal takes the same lock.
_PG_WRITE_LOCK = 7_270_001
_IN_CHUNK = 500  # values per "IN (...)": well under every database's parameter limit
# Columns added to a table after portals were deployed: (table, column, its definition).
_ADDED_COLUMNS = (
    ("agencies", "block_size", "INTEGER NOT NULL DEFAULT 1000"),
    ("dossiers", "channel", "VARCHAR(10) NOT NULL DEFAULT 'direct'"),
    ("dossiers", "closed_at", "TIMESTAMP"),
)


class DatabaseUrlError(KnownError):
    """The ``--db`` URL cannot be used."""

    kind = "database_url"


def normalize_url(raw: str) -> URL:
    """A SQLAlchemy URL from what an operator typed; a bare path means a SQLite file."""
    if "://" not in raw:  # a path is a path, whatever "#" or "?" it holds
        return URL.create("sqlite", database=str(Path(raw).expanduser().resolve()))
    if raw.startswith("postgres://"):
        raw = "postgresql://" + raw[len("postgres://") :]
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise DatabaseUrlError(
            f"không hiểu địa chỉ cơ sở dữ liệu: {exc}", f"cannot read the database URL: {exc}"
        ) from None
    # A plain postgresql:// URL means psycopg2 to SQLAlchemy; use psycopg 3 if that is what
    # is installed.
    if (
        url.drivername == "postgresql"
        and importlib.util.find_spec("psycopg2") is None
        and importlib.util.find_spec("psycopg") is not None
    ):
        url = url.set(drivername="postgresql+psycopg")
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise DatabaseUrlError(
            f"chỉ hỗ trợ SQLite và PostgreSQL, không hỗ trợ '{backend}'",
            f"only SQLite and PostgreSQL are supported, not '{backend}'",
        )
    return url


def _sqlite_file(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)  # type: ignore[arg-type]


class Database:
    """Owns the engine; hands out one session per unit of work (a request, a command)."""

    def __init__(self, url: str | URL) -> None:
        self.url = url if isinstance(url, URL) else normalize_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        self.engine = self._make_engine()
        self._reads = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._writes = sessionmaker(
            bind=self.engine.execution_options(portal_write=True), expire_on_commit=False
        )
        self.create_schema()

    def _make_engine(self) -> Engine:
        # Bound parameters are dossier data: keep them out of error messages and logs.
        kwargs: dict[str, Any] = {"hide_parameters": True}
        if self.is_sqlite:
            path = _sqlite_file(self.url)
            if path is None:
                kwargs["poolclass"] = StaticPool
            else:
                _private_file(path)
                kwargs["pool_size"] = 8
                kwargs["max_overflow"] = 16
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            kwargs["pool_pre_ping"] = True
            kwargs["pool_size"] = 8
            kwargs["max_overflow"] = 16
        engine = create_engine(self.url, **kwargs)
        if self.is_sqlite:
            event.listen(engine, "connect", _sqlite_on_connect)
            event.listen(engine, "begin", _sqlite_on_begin)
        return engine

    def create_schema(self) -> None:
        """Create the tables that are missing (a new portal starts from an empty database),
        and the columns added since a table was made."""
        Base.metadata.create_all(self.engine)
        for table, column, ddl in _ADDED_COLUMNS:
            present = {c["name"] for c in inspect(self.engine).get_columns(table)}
            if column not in present:
                try:
                    with self.engine.begin() as conn:
                        conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {ddl}"))
                except DBAPIError:
                    # Another process starting on the same database may have just added it.
                    present = {c["name"] for c in inspect(self.engine).get_columns(table)}
                    if column not in present:
                        raise
        for index in Base.metadata.tables["dossiers"].indexes:  # added since, on old tables
            index.create(self.engine, checkfirst=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work (closing the session rolls its transaction back)."""
        with self._reads() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A unit of work that commits at the end, serialised with every other writer."""
        with self._writes() as session, session.begin():
            if not self.is_sqlite:
                session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_WRITE_LOCK})
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def _private_file(path: Path) -> None:
    """The portal's SQLite file holds every applicant and every counter's token hash: it is
    made owner-only (0600, and SQLite gives its journals the same), new or not, and a folder
    made for it is 0700."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name != "posix":
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        if stat.S_IMODE(path.stat().st_mode) != 0o600:
            os.chmod(path, 0o600)
    except OSError as exc:  # not the owner, or no file: SQLite says what is wrong, if anything
        log.info("cannot make the database owner-only: %s", exc.strerror)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (see _on_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
    finally:
        cursor.close()


def _sqlite_on_begin(conn: Any) -> None:
    # A writer takes the write lock at BEGIN, so two pushes never read the same state and
    # then both try to write it.
    if conn.get_execution_options().get("portal_write"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def in_chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    """Slices of ``values`` small enough for one ``IN (...)``."""
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start : start + _IN_CHUNK]
