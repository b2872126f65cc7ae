"""The portal's database: engine, sessions, schema.

SQLite (the default) and PostgreSQL are both supported through a SQLAlchemy URL. Writes are
serialised (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: a transaction-level advisory lock) so that
change-feed cursors become visible in increasing order and idempotency checks never race.

The schema is kept by Alembic migrations (``portal/migrations/versions``, p0001 ...): opening
the database upgrades it to the newest, under a lock of its own, so the processes that start
together on one database (``serve --workers``, an admin command) upgrade it once.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    URL,
    Connection,
    Engine,
    Executable,
    Row,
    create_engine,
    event,
    make_url,
    text,
)
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from protocol.errors import KnownError

log = logging.getLogger("portal.db")
# Alembic says at INFO what it is about to do on every open; the portal says what it did.
logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING)

# Any constant will do: every writer of this portal takes the same lock.
_PG_WRITE_LOCK = 7_270_001
# ... and whoever upgrades the schema this one (held for the upgrade's transaction).
_PG_SCHEMA_LOCK = 7_270_002
# The space of the locks of one counter's own writes (two-key locks, the counter the second).
_PG_COUNTER_LOCKS = 7_270_003
_IN_CHUNK = 500  # values per "IN (...)": well under every database's parameter limit
MIGRATIONS = Path(__file__).resolve().with_name("migrations")


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
        self.upgrade_schema()

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
            # A worker answers on up to 40 threads, and a province's pushes queue on the
            # write lock holding their connections: pooled, not overflow, as an overflow
            # connection is opened and closed again for each request that needs it. A worker
            # holds at most 24 of these and 8 of ``_one_statement_engine``'s: two workers need
            # 64 of PostgreSQL's default 100 connections.
            kwargs["pool_size"] = 20
            kwargs["max_overflow"] = 4
        engine = create_engine(self.url, **kwargs)
        if self.is_sqlite:
            event.listen(engine, "connect", _sqlite_on_connect)
            event.listen(engine, "begin", _sqlite_on_begin)
        return engine

    def schema_revision(self) -> str | None:
        """The migration the database is at; None for an empty database or one made before
        the portal had migrations."""
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def upgrade_schema(self) -> None:
        """Bring the schema to the newest migration (nothing to do, and one query, when it is
        there). A database made before migrations is adopted by the first one (p0001)."""
        head = head_revision()
        if self.schema_revision() == head:
            return
        # SQLite: BEGIN IMMEDIATE; PostgreSQL: its DDL is transactional, under a lock of its own.
        with self.engine.execution_options(portal_write=True).begin() as conn:
            if not self.is_sqlite:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_SCHEMA_LOCK})
            before = MigrationContext.configure(conn).get_current_revision()
            if before != head:
                _upgrade(conn)
                log.info("portal database upgraded from %s to %s", before or "(none)", head)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work (closing the session rolls its transaction back)."""
        with self._reads() as session:
            yield session

    @contextmanager
    def write(self, counter_id: int | None = None) -> Iterator[Session]:
        """A unit of work that commits at the end, serialised with every other writer.

        With ``counter_id``, on PostgreSQL, serialised only with that counter's other such
        units: for what touches neither the change feed, nor idempotency keys, nor another
        counter's rows (its audit-chain heads, when it was last seen), so that these never
        queue behind the province's pushes. (SQLite serialises every writer anyway.)
        """
        with self._writes() as session, session.begin():
            if self.is_sqlite:
                pass
            elif counter_id is None:
                session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_WRITE_LOCK})
            else:
                session.execute(
                    text("SELECT pg_advisory_xact_lock(:k, :c)"),
                    {"k": _PG_COUNTER_LOCKS, "c": counter_id},
                )
            yield session

    def one_statement(
        self, statement: Executable, params: dict[str, Any] | None = None, *, write: bool = False
    ) -> list[Row[*tuple[Any, ...]]]:
        """Run one statement as a unit of work of its own, under none of the portal's locks,
        and return its rows (the public page: its limiter's upsert, then its lookup).

        On PostgreSQL that is one round trip: the connection autocommits (no BEGIN, no
        COMMIT) and is not pinged when taken from its pool; a connection found dead (the
        server restarted) is dropped with its pool, and the statement run once more.
        """
        if self.is_sqlite:
            engine = self.engine.execution_options(portal_write=True) if write else self.engine
            with engine.begin() as conn:
                return list(conn.execute(statement, params))
        try:
            return self._autocommit(statement, params)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
        return self._autocommit(statement, params)  # once more, on a new connection

    def _autocommit(
        self, statement: Executable, params: dict[str, Any] | None
    ) -> list[Row[*tuple[Any, ...]]]:
        with self._one_statement_engine.connect() as conn:
            return list(conn.execute(statement, params))

    @functools.cached_property
    def _one_statement_engine(self) -> Engine:
        engine = create_engine(
            self.url,
            hide_parameters=True,
            isolation_level="AUTOCOMMIT",
            # As for the other pool: a statement waits for one of these (a millisecond or two)
            # rather than open a new connection.
            pool_size=8,
            max_overflow=0,
        )
        event.listen(engine, "connect", _pg_commit_without_waiting)
        return engine

    def dispose(self) -> None:
        self.engine.dispose()
        if "_one_statement_engine" in self.__dict__:
            self._one_statement_engine.dispose()


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@functools.cache
def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "one head: the migrations form one line"
    return head


def _upgrade(conn: Connection) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


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


def _pg_commit_without_waiting(dbapi_connection: Any, _record: Any) -> None:
    # What the one-statement units write (the limiter's buckets) is worth no wait for the
    # disk: a crash may forget the last few, never more.
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    dbapi_connection.commit()


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
