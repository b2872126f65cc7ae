"""moments stored as whole seconds since the Unix epoch; the search key made of the id

Every moment was ISO 8601 text in Vietnam time (``2026-01-05T08:00:00+07:00``, 25 bytes);
it becomes an integer, the seconds since 1970-01-01 UTC (4 bytes until 2038), in the row and
in every index that holds it (``counter.clock.stored``). What is read back is the same moment,
to the second, as every stored moment was: what a dossier shows, prints and digests to does
not change.

A dossier no longer keeps its search key beside its id: the key is the day of receipt and
the id (``counter.search.search_key``), so a search's keys name their dossiers by id. Nor
is there an index on the ID number: the search index holds every number already
(``counter.search.ids_holding``).

Each table with moments is made anew once (its rows copied in order, converted in SQL, its
indexes and triggers made again after), rather than altered column by column; the whole
upgrade is one transaction.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Callable

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

#: Every moment column, by table (``counter.models.VNDateTime``).
MOMENTS = {
    "users": ("locked_until", "created_at", "updated_at"),
    "signin_failures": ("locked_until", "updated_at"),
    "procedures": ("updated_at",),
    "dossiers": (
        "received_at",
        "due_at",
        "status_changed_at",
        "portal_confirmed_at",
        "returned_at",
        "closed_at",
        "previous_due_at",
        "restarted_at",
        "updated_at",
        "rated_at",
    ),
    "guidances": ("guided_at", "completed_at"),
    "dossier_history": ("at",),
    "calendar_overrides": ("updated_at",),
    "audit_log": ("at",),
    "audit_anchors": ("at",),
    "dossier_files": ("at",),
    "outbox": ("next_attempt_at", "created_at", "sent_at"),
    "dossier_handovers": ("at",),
}
#: ``counter.search.search_key`` of a dossier, as it was stored (before this revision).
SEARCH_KEY = (
    "(CAST(julianday(strftime('%Y-%m-%d', received_at, 'unixepoch', '+7 hours')) - 1721424.5 "
    "AS INTEGER) << 32) | id"
)


def _seconds(column: str) -> str:
    """The stored text's moment as seconds since the epoch (text without an offset is
    Vietnam time, as ``counter.clock.parse_datetime`` reads it; empty text is no moment)."""
    offset = (
        f"CASE WHEN {column} GLOB '*[+-][0-9][0-9]:[0-9][0-9]' OR {column} GLOB '*Z' "
        "THEN '' ELSE '+07:00' END"
    )
    return f"CAST(strftime('%s', {column} || {offset}) AS INTEGER)"


def _text(column: str) -> str:
    return f"strftime('%Y-%m-%dT%H:%M:%S+07:00', {column}, 'unixepoch', '+7 hours')"


def _driver() -> sqlite3.Connection:
    conn = op.get_bind().connection.driver_connection
    assert isinstance(conn, sqlite3.Connection)
    return conn


def _retyped(sql: str, columns: tuple[str, ...], old: str, new: str) -> str:
    for column in columns:
        sql, found = re.subn(rf"(\b{column}\s+){re.escape(old)}", rf"\g<1>{new}", sql)
        assert found == 1, column
    return sql


def _rebuild(
    conn: sqlite3.Connection,
    table: str,
    edit: Callable[[str], str],
    values: dict[str, str],
    left_out: str = "",
) -> None:
    """``table`` made anew from its own CREATE statement as ``edit`` changes it: its rows
    copied in order (a column's value as ``values`` gives it, else as it is), then its
    indexes and triggers made again (but those that name ``left_out``)."""
    (sql,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    others = [
        r[0]
        for r in conn.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') "
            "AND sql IS NOT NULL ORDER BY type, rowid",
            (table,),
        )
    ]
    new = f"{table}_0015"
    created, found = re.subn(rf'^CREATE TABLE "?{table}"?', f"CREATE TABLE {new}", edit(sql))
    assert found == 1, table
    conn.execute(created)
    columns = [r[1] for r in conn.execute(f"PRAGMA table_info({new})")]
    conn.execute(
        f"INSERT INTO {new} ({', '.join(columns)}) SELECT "
        f"{', '.join(values.get(c, c) for c in columns)} FROM {table} ORDER BY rowid"
    )
    conn.execute(f"DROP TABLE {table}")
    conn.execute(f"ALTER TABLE {new} RENAME TO {table}")
    for statement in others:
        if not (left_out and re.search(rf"\b{left_out}\b", statement)):
            conn.execute(statement)


def _begin(conn: sqlite3.Connection) -> None:
    """One transaction for the whole upgrade: a table is never left half made. Rows of the
    tables made anew still refer to each other: checked at the end, not at each drop."""
    if not conn.in_transaction:
        conn.execute("BEGIN")
    conn.execute("PRAGMA defer_foreign_keys = ON")


def upgrade() -> None:
    conn = _driver()
    _begin(conn)
    for table, columns in MOMENTS.items():  # nothing is lost: every text is a moment
        unread = " OR ".join(f"({c} != '' AND {_seconds(c)} IS NULL)" for c in columns)
        bad = conn.execute(f"SELECT rowid FROM {table} WHERE {unread} LIMIT 1").fetchone()
        if bad is not None:
            raise ValueError(f"{table}, row {bad[0]}: a moment that is not ISO 8601")
    conn.execute("DROP INDEX ix_dossiers_id_number")
    for table, columns in MOMENTS.items():
        _rebuild(
            conn,
            table,
            functools.partial(_integers, table),
            {c: _seconds(c) for c in columns},
            left_out="search_key" if table == "dossiers" else "",
        )


def _integers(table: str, sql: str) -> str:
    """A table's CREATE statement with its moments as integers, and the dossiers' without
    their search key."""
    sql = _retyped(sql, MOMENTS[table], "VARCHAR(25)", "INTEGER")
    if table == "dossiers":
        sql, found = re.subn(r"\bsearch_key INTEGER NOT NULL,\s*", "", sql)
        sql, unique = re.subn(r",\s*(CONSTRAINT \w+ )?UNIQUE \(search_key\)", "", sql)
        assert found == unique == 1
    return sql


def _texts(table: str, sql: str) -> str:
    """``_integers`` undone."""
    sql = _retyped(sql, MOMENTS[table], "INTEGER", "VARCHAR(25)")
    if table == "dossiers":
        sql, found = re.subn(
            r"(,\s*)(PRIMARY KEY \(id\))", r"\g<1>search_key INTEGER NOT NULL, \g<2>", sql
        )
        sql, closed = re.subn(r"\s*\)\s*$", ", \n\tUNIQUE (search_key)\n)", sql)
        assert found == closed == 1
    return sql


def downgrade() -> None:
    conn = _driver()
    _begin(conn)
    for table, columns in MOMENTS.items():
        values = {c: _text(c) for c in columns}
        if table == "dossiers":
            values["search_key"] = SEARCH_KEY
        _rebuild(conn, table, functools.partial(_texts, table), values)
    conn.execute("CREATE INDEX ix_dossiers_id_number ON dossiers (id_number)")
