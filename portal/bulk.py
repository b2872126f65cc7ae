"""A batch's rows in few statements: many keys looked up in one query, many rows of a table
written in one statement, each value bound by its column's type (what a push does under the
portal's write lock)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ColumnElement,
    Connection,
    Table,
    Text,
    bindparam,
    cast,
    func,
    insert,
    select,
)
from sqlalchemy.engine import Dialect

from portal.db import in_chunks


def chunks(values: Sequence[str], postgres: bool) -> Iterable[Sequence[str]]:
    """Slices of ``values`` for ``among``: on PostgreSQL all at once (one array parameter)."""
    return [values] if postgres and values else in_chunks(values)


def among(column: ColumnElement[str], values: Sequence[str], postgres: bool) -> ColumnElement[bool]:
    """``column IN values``; on PostgreSQL ``column IN (SELECT json_array_elements_text(:v))``,
    the values as one JSON array parameter: the statement's text is the same whatever the
    number of values (psycopg parses it once), and the values go as one text made by
    ``json.dumps`` (an array parameter is written out by psycopg value by value)."""
    if postgres:
        listed = func.json_array_elements_text(_as_json(json.dumps(list(values))))
        return column.in_(select(listed.table_valued("value").c.value))
    return column.in_(values)


def among_ids(
    column: ColumnElement[int], ids: Sequence[int], postgres: bool
) -> ColumnElement[bool]:
    """``column IN ids`` for whole numbers, the ids as one JSON array parameter on either
    database (PostgreSQL's ``json_array_elements_text`` cast back to numbers, SQLite's
    ``json_each``): one statement whatever their number, each id looked up by an index on
    the column, whatever the planner knows of the table."""
    text = json.dumps(list(ids))
    if postgres:
        listed = func.json_array_elements_text(_as_json(text)).table_valued("value").c.value
        return column.in_(select(cast(listed, BigInteger)))
    doc = bindparam(None, text, type_=Text(), unique=True)
    return column.in_(select(func.json_each(doc).table_valued("value").c.value))


def _as_json(text: str) -> ColumnElement[Any]:
    return cast(bindparam(None, text, type_=Text(), unique=True), JSON)


class JSONText(str):
    """A JSON column's value already written out as JSON (its canonical text, made anyway for
    the content hash): stored as it is, not written out again by the column's type."""

    __slots__ = ()


def less_member(canonical: str, name: str, value: str) -> JSONText | None:
    """The canonical JSON text of an object (``protocol.canonical_json``: keys sorted, compact)
    less its member ``name``, of the text ``value``, neither its first nor its last; None if
    the text does not hold that member exactly once (inside a text every quote is escaped)."""
    plain = value.isascii() and value.isalnum()  # as JSON: itself between quotes
    text = f'"{value}"' if plain else json.dumps(value, ensure_ascii=False)
    member = f",{json.dumps(name)}:{text},"
    if canonical.count(member) != 1:
        return None
    return JSONText(canonical.replace(member, ",", 1))


def executemany(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """SQLite: ``INSERT`` of the rows in one executemany, each value bound by its column's
    type as SQLAlchemy would (``bind_processor``), but in one pass over the rows, without
    the per-row parameter dictionaries SQLAlchemy builds on the way."""
    names = list(rows[0])
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=names)
    order = compiled.positiontup
    assert order is not None and sorted(order) == sorted(names), "one parameter per column"
    conn.exec_driver_sql(str(compiled), _bound_rows(conn.dialect, table, order, rows))


def copy_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: the rows by one ``COPY ... FROM STDIN`` over the unit of work's
    connection (its transaction), each value bound as ``executemany`` binds it. 10,000
    dossiers' rows went in in about two thirds of the time one INSERT per table, from a JSON
    document of its rows, took. The rows are numbered (their ids) in order."""
    names = list(rows[0])
    preparer = conn.dialect.identifier_preparer
    listed = ", ".join(preparer.quote(name) for name in names)
    statement = f"COPY {preparer.format_table(table)} ({listed}) FROM STDIN"
    driver = conn.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        write = copy.write_row
        for values in _bound_rows(conn.dialect, table, names, rows):
            write(values)


def _bound_rows(
    dialect: Dialect, table: Table, names: Sequence[str], rows: list[dict[str, Any]]
) -> list[tuple[Any, ...]]:
    """The rows' values in the order of ``names``, each bound by its column's type as
    SQLAlchemy would (``bind_processor``): a column at a time."""
    columns = []
    for name in names:
        values = [row[name] for row in rows]
        fn = _processor(table.c[name], dialect)
        columns.append(values if fn is None else _bound(fn, values))
    return list(zip(*columns, strict=True))


def _processor(col: ColumnElement[Any], dialect: Dialect) -> Any:
    """The column's bind processor; for JSON, one that keeps JSON written out already."""
    fn = col.type.dialect_impl(dialect).bind_processor(dialect)
    if fn is None or not isinstance(col.type, JSON):
        return fn

    def json_value(value: Any) -> Any:
        return value if type(value) is JSONText else fn(value)

    return json_value


def _bound(fn: Any, values: list[Any]) -> list[Any]:
    """``fn`` of each value; of a moment once for all its repeats (a batch's rows share a few
    moments: when it was recorded, the days of receipt and the due days)."""
    if not values or not isinstance(values[0], datetime):
        return [fn(v) for v in values]
    done: dict[Any, Any] = {}
    out = []
    for value in values:
        try:
            out.append(done[value])
        except KeyError:
            out.append(done.setdefault(value, fn(value)))
    return out
