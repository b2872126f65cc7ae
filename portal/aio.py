"""One statement on PostgreSQL from the event loop, without a thread: the public page's unit
of work (its limiter's take and its lookup).

A worker's thread pool costs each request two hand-overs between threads (to the pool and
back), each a wait for a core on a busy machine, and the interpreter's lock between them.
Here the statement is sent and its rows read on the event loop by psycopg's asyncio
connection, from a small pool of autocommit connections of its own, as
``Database.one_statement`` does on threads: one round trip, no ``BEGIN``, no ping, the
commit not waiting for the disk, a connection found dead dropped and the statement run once
more on a new one.

The statement is compiled once by SQLAlchemy for the engine's dialect: its parameters go
through its columns' bind processing and its row through their result processing (a
``UTCDateTime`` comes back aware), as SQLAlchemy's own execution would do.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy.engine import Dialect
from sqlalchemy.exc import OperationalError
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

from portal.db import Database

if TYPE_CHECKING:  # psycopg (the postgres extra) is imported only where it is used
    import psycopg

#: Connections a worker's pool keeps at most (as ``Database``'s thread-side pool of these).
POOL_SIZE = 8


class CompiledStatement:
    """A statement compiled for a dialect, with its parameters' and columns' processing."""

    def __init__(self, statement: ClauseElement, dialect: Dialect) -> None:
        compiled = cast(SQLCompiler, statement.compile(dialect=dialect))
        self.sql = compiled.string
        self._compiled = compiled
        self._binds = {
            name: processor
            for bind, name in compiled.bind_names.items()
            if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect))
        }
        self._dialect = dialect
        self._types = [
            column.type.dialect_impl(dialect)
            for column in getattr(statement, "exported_columns", ())  # a SELECT's, RETURNING's
        ]
        self._results: list[Any] | None = None

    def parameters(self, given: dict[str, Any]) -> dict[str, Any]:
        values = dict(self._compiled.construct_params(given) or {})
        for name, processor in self._binds.items():
            values[name] = processor(values[name])
        return values

    def rows(self, raw: list[Sequence[Any]], description: Sequence[Any] | None) -> list[Any]:
        """The rows as SQLAlchemy would give them; ``description``: the cursor's (each
        column's type as the server sent it, which some processing needs)."""
        if self._results is None:
            columns = description or ()
            types = self._types or [None] * len(columns)  # a textual statement's: as they come
            self._results = [
                type_ and type_.result_processor(self._dialect, column.type_code)
                for type_, column in zip(types, columns, strict=True)
            ]
        return [
            tuple(
                value if processor is None else processor(value)
                for processor, value in zip(self._results, row, strict=True)
            )
            for row in raw
        ]


def for_database(db: Database | None) -> AsyncStatements | None:
    """The database's statements on the event loop: only on PostgreSQL through psycopg (3);
    None otherwise (SQLite, psycopg2), for whom statements run on threads."""
    if db is None or db.is_sqlite or db.engine.dialect.driver != "psycopg":
        return None
    return AsyncStatements(db)


class AsyncStatements:
    """``Database.one_statement`` for a PostgreSQL database, awaited on the event loop."""

    def __init__(self, db: Database, size: int = POOL_SIZE) -> None:
        self._dialect = db.engine.dialect
        self._connect_args = self._dialect.create_connect_args(db.url)
        self._size = size
        self._compiled: dict[ClauseElement, CompiledStatement] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._idle: list[psycopg.AsyncConnection[Any]] = []
        self._slots = asyncio.Semaphore(size)

    def compiled(self, statement: ClauseElement) -> CompiledStatement:
        known = self._compiled.get(statement)
        if known is None:
            known = self._compiled[statement] = CompiledStatement(statement, self._dialect)
        return known

    async def one(self, statement: ClauseElement, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        """The statement's rows, processed; one round trip on a pooled connection."""
        compiled = self.compiled(statement)
        values = compiled.parameters(params)
        self._same_loop()
        import psycopg

        async with self._slots:
            try:
                rows, description = await self._run(compiled.sql, values, fresh=False)
            except psycopg.OperationalError:
                # A connection the server closed (a restart): once more, on a new one.
                try:
                    rows, description = await self._run(compiled.sql, values, fresh=True)
                except psycopg.OperationalError as exc:  # as SQLAlchemy would raise it
                    raise OperationalError(compiled.sql, None, exc, hide_parameters=True) from exc
        return compiled.rows(rows, description)

    async def _run(self, sql: str, values: dict[str, Any], *, fresh: bool) -> tuple[list[Any], Any]:
        conn = None if fresh or not self._idle else self._idle.pop()
        if conn is None:
            conn = await self._connect()
        try:
            cursor = await conn.execute(sql, values)
            description = cursor.description
            rows = await cursor.fetchall() if description is not None else []
        except BaseException:
            await conn.close()
            raise
        self._idle.append(conn)
        return rows, description

    async def _connect(self) -> psycopg.AsyncConnection[Any]:
        import psycopg

        args, kwargs = self._connect_args
        conn = await psycopg.AsyncConnection.connect(*args, **kwargs, autocommit=True)
        # What these statements write (the limiter's buckets) is worth no wait for the disk:
        # a crash may forget the last few, never more.
        await conn.execute("SET synchronous_commit TO OFF")
        return conn

    def _same_loop(self) -> None:
        """Connections belong to the loop that made them; a new loop (a test's client) gets
        its own, the old ones being let go."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            self._loop = loop
            self._idle = []
            self._slots = asyncio.Semaphore(self._size)

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for conn in idle:
            await conn.close()
