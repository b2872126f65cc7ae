"""the words of short lists stored as numbers; the search index keeps which entries hold a word

A dossier's status, result delivery, applicant type, channel, document type and sync state, and a
history line's status and source, were text ("returned", "counter", "citizen"...). Each
becomes its place in its list of words, sorted (``counter.storage``): a byte or none in the
row and in every index that holds it. What is read back is the same word: what a dossier
shows, prints, lists (sorted by status too: the numbers keep the words' order) and digests
to does not change. A word not in its list is refused, and nothing is changed.

A dossier's day of receipt becomes the days since 1970-01-01 (``counter.storage.Day``); its
agency code, the first part of its code, is no longer kept beside it (it is read from the
code); the uniqueness of its portal code is an index of the dossiers that have one.

The search index keeps, of each word, which entries hold it, and no longer in which column
or where (``detail = none``), nor each entry's length (``columnsize = 0``): a query is
single words, newest first, never ranked. The codes and numbers are told from the names by
a mark before each of their words (``counter.search.MARK``), so a query finds what it found;
prefixes go to seven characters, so a number's six are one list as before. The index is
made anew from the dossiers' rows.

Each table is made anew once (its rows copied in order, converted in SQL, its indexes and
triggers made again after), and the whole upgrade is one transaction.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

STATUSES = (
    "done",
    "payment_requested",
    "processing",
    "received",
    "registered",
    "rejected",
    "returned",
    "stopped",
    "supplement_requested",
    "withdrawn",
)
#: Each coded column: its table, its type before, its words in the order of their numbers
#: (``counter.storage``), and the default its CREATE statement names, if any.
CODED: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("dossiers", "result_delivery"): ("VARCHAR(10)", ("counter", "post")),
    ("dossiers", "applicant_type"): ("VARCHAR(16)", ("citizen", "organization")),
    ("dossiers", "channel"): ("VARCHAR(10)", ("direct", "online", "postal")),
    ("dossiers", "status"): ("VARCHAR(24)", STATUSES),
    ("dossiers", "id_type"): ("VARCHAR(10)", ("", "cccd", "cmnd", "other", "passport")),
    ("dossiers", "sync_state"): ("VARCHAR(16)", ("local", "needs_attention", "pending", "synced")),
    ("dossier_history", "status"): ("VARCHAR(24)", STATUSES),
    ("dossier_history", "source"): ("VARCHAR(10)", ("counter", "portal", "receipt")),
}
TABLES = ("dossiers", "dossier_history")
#: Indexes this revision makes itself (``_rebuild`` leaves them out).
OWN_INDEXES = ("ix_history_closed_at", "uq_dossiers_portal_code")
PORTAL_CODE_INDEX = (
    "CREATE UNIQUE INDEX uq_dossiers_portal_code ON dossiers (portal_code) "
    "WHERE portal_code IS NOT NULL"
)
#: The days since 1970-01-01 of an ISO day, and back (2,440,587.5 is its Julian day).
DAYS = "CAST(julianday(receipt_day) - 2440587.5 AS INTEGER)"
ISO_DAY = "date(receipt_day + 2440587.5)"
#: A dossier's agency code, as its code begins (``counter.codes.format_code``).
AGENCY = "substr(code, 1, length(code) - 12)"
CODE_SHAPE = "code GLOB '?*-[0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]'"
CLOSINGS = ("returned", "rejected", "withdrawn")
CLOSED_INDEX = "CREATE INDEX ix_history_closed_at ON dossier_history (at) WHERE status IN ({})"
SEARCH_BEFORE = (
    "content = '', tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2 3 4 5 6', "
    "detail = column"
)
SEARCH_AFTER = (
    "content = '', tokenize = \"unicode61 remove_diacritics 0 tokenchars '#'\", "
    "prefix = '1 2 3 4 5 6 7', detail = none, columnsize = 0"
)
#: ``counter.search.search_key`` of a dossier: its day of receipt in Vietnam time (the
#: ordinal of 1970-01-01 is 719,163) and its id.
SEARCH_KEY = "((((received_at + 25200) / 86400) + 719163) << 32) | id"
SEARCHED = (
    "applicant_name, submitter_name, code, portal_code, id_number, phone, "
    "submitter_id_number, submitter_phone"
)
CHUNK = 20000


def _driver() -> sqlite3.Connection:
    conn = op.get_bind().connection.driver_connection
    assert isinstance(conn, sqlite3.Connection)
    return conn


def _begin(conn: sqlite3.Connection) -> None:
    """One transaction for the whole upgrade; the rows of the tables made anew still refer
    to each other: checked at the end, not at each drop."""
    if not conn.in_transaction:
        conn.execute("BEGIN")
    conn.execute("PRAGMA defer_foreign_keys = ON")


def _quoted(word: str) -> str:
    return "'" + word.replace("'", "''") + "'"


def _to_numbers(column: str, words: tuple[str, ...]) -> str:
    cases = " ".join(f"WHEN {_quoted(w)} THEN {n}" for n, w in enumerate(words))
    return f"CASE {column} {cases} END"


def _to_words(column: str, words: tuple[str, ...]) -> str:
    cases = " ".join(f"WHEN {n} THEN {_quoted(w)}" for n, w in enumerate(words))
    return f"CASE {column} {cases} END"


def _retyped(table: str, sql: str, *, to_numbers: bool) -> str:
    for (where, column), (before, _) in CODED.items():
        if where != table:
            continue
        old, new = ("INTEGER", before) if not to_numbers else (before, "INTEGER")
        sql, found = re.subn(rf"(\b{column}\s+){re.escape(old)}", rf"\g<1>{new}", sql)
        assert found == 1, column
        if column == "id_type":  # its default, written '' or ('') as the table was made
            old, new = (r"\(?''\)?", "0") if to_numbers else (r"\(?0\)?", "''")
            sql, found = re.subn(
                rf"(\bid_type\s+\w+(\(\d+\))?\s+DEFAULT ){old}", rf"\g<1>{new}", sql
            )
            assert found == 1, "id_type's default"
    if table == "dossiers":
        sql = _dossiers(sql, to_numbers=to_numbers)
    return sql


def _dossiers(sql: str, *, to_numbers: bool) -> str:
    """The dossiers' day as a number, without their agency code or the portal code's
    constraint (or back)."""
    old, new = ("DATE", "INTEGER") if to_numbers else ("INTEGER", "DATE")
    sql, day = re.subn(rf"(\breceipt_day\s+){old}", rf"\g<1>{new}", sql)
    if to_numbers:
        sql, agency = re.subn(r"\bagency_code\s+VARCHAR\(40\)\s+NOT NULL,\s*", "", sql)
        sql, unique = re.subn(r",\s*(CONSTRAINT \w+ )?UNIQUE \(portal_code\)", "", sql)
    else:
        sql, agency = re.subn(
            r"(\bportal_code\s+VARCHAR\(60\),\s*)", r"\g<1>agency_code VARCHAR(40) NOT NULL, ", sql
        )
        sql, unique = re.subn(r"(UNIQUE \(code\))", r"\g<1>, UNIQUE (portal_code)", sql)
    assert day == agency == unique == 1, (day, agency, unique)
    return sql


def _rebuild(
    conn: sqlite3.Connection, table: str, edit: Callable[[str], str], values: dict[str, str]
) -> None:
    """``table`` made anew from its own CREATE statement as ``edit`` changes it: its rows
    copied in order (a column's value as ``values`` gives it, else as it is), then its
    indexes and triggers made again (but ``OWN_INDEXES``: the caller's)."""
    (sql,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    others = [
        r[0]
        for r in conn.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') "
            f"AND sql IS NOT NULL AND name NOT IN ({', '.join(map(_quoted, OWN_INDEXES))}) "
            "ORDER BY type, rowid",
            (table,),
        )
    ]
    new = f"{table}_0016"
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
        conn.execute(statement)


def _documents(
    conn: sqlite3.Connection, document: Callable[[tuple[Any, ...]], tuple[str, str]]
) -> Iterator[list[tuple[Any, ...]]]:
    rows = conn.execute(f"SELECT {SEARCH_KEY} AS key, {SEARCHED} FROM dossiers ORDER BY key")
    while part := rows.fetchmany(CHUNK):
        yield [(r[0], *document(r[1:])) for r in part]


def _search_index(
    conn: sqlite3.Connection, options: str, document: Callable[[tuple[Any, ...]], tuple[str, str]]
) -> None:
    """The search index made anew with ``options``, each dossier's entry as ``document``
    makes it of its searched columns."""
    conn.execute("DROP TABLE dossier_search")
    conn.execute(f"CREATE VIRTUAL TABLE dossier_search USING fts5(name, ids, {options})")
    # read whole before the first write: the rows are not read while the index is written
    parts = list(_documents(conn, document))
    for part in parts:
        conn.executemany("INSERT INTO dossier_search (rowid, name, ids) VALUES (?, ?, ?)", part)
    conn.execute("INSERT INTO dossier_search (dossier_search) VALUES ('optimize')")


def _split(row: tuple[Any, ...]) -> tuple[list[str], list[str]]:
    names = [row[0], row[1]]
    ids = [row[2], row[3] or "", *row[4:]]
    return names, ids


def upgrade() -> None:
    from counter.search import search_document  # the entry as this revision makes it

    conn = _driver()
    _begin(conn)
    for (table, column), (_, words) in CODED.items():  # nothing is lost: every word is known
        unknown = conn.execute(
            f"SELECT rowid, {column} FROM {table} WHERE {column} NOT IN "
            f"({', '.join(map(_quoted, words))}) LIMIT 1"
        ).fetchone()
        if unknown is not None:
            raise ValueError(f"{table}, row {unknown[0]}: {column} {unknown[1]!r} is not known")
    unread = conn.execute(
        "SELECT id, receipt_day, code, agency_code FROM dossiers WHERE "
        f"coalesce(date(receipt_day) IS NOT receipt_day, 1) OR NOT {CODE_SHAPE} "
        f"OR {AGENCY} IS NOT agency_code LIMIT 1"
    ).fetchone()
    if unread is not None:
        raise ValueError(
            f"dossier {unread[0]}: day {unread[1]!r} or code {unread[2]!r} of agency "
            f"{unread[3]!r} is not as the counter makes them"
        )
    for table in TABLES:
        values = {c: _to_numbers(c, w) for (t, c), (_, w) in CODED.items() if t == table}
        if table == "dossiers":
            values["receipt_day"] = DAYS
        _rebuild(conn, table, functools.partial(_retyped, table, to_numbers=True), values)
    conn.execute(PORTAL_CODE_INDEX)
    # as ``counter.models.CLOSINGS_SQL`` names them, in the same order
    conn.execute(CLOSED_INDEX.format(", ".join(str(STATUSES.index(w)) for w in CLOSINGS)))
    _search_index(conn, SEARCH_AFTER, lambda row: search_document(*_split(row)))


def downgrade() -> None:
    from counter.text import fold

    def document(row: tuple[Any, ...]) -> tuple[str, str]:
        names, ids = _split(row)
        return fold(" ".join(x for x in names if x)), fold(" ".join(x for x in ids if x))

    conn = _driver()
    _begin(conn)
    for table in TABLES:
        values = {c: _to_words(c, w) for (t, c), (_, w) in CODED.items() if t == table}
        if table == "dossiers":
            values |= {"receipt_day": ISO_DAY, "agency_code": AGENCY}
        _rebuild(conn, table, functools.partial(_retyped, table, to_numbers=False), values)
    conn.execute(CLOSED_INDEX.format(", ".join(map(_quoted, CLOSINGS))))
    _search_index(conn, SEARCH_BEFORE, document)
