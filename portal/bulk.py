"""A batch's rows in few statements: many keys looked up in one query, many rows of a table
written in one statement, each value bound by its column's type (what a push does under the
portal's write lock)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    Insert,
    Table,
    any_,
    bindparam,
    func,
    insert,
    literal,
    select,
)
from sqlalchemy.dialects import postgresql

from portal.db import in_chunks


def chunks(values: Sequence[str], postgres: bool) -> Iterable[Sequence[str]]:
    """Slices of ``values`` for ``among``: on PostgreSQL all at once (one array parameter)."""
    return [values] if postgres and values else in_chunks(values)


def among(column: ColumnElement[str], values: Sequence[str], postgres: bool) -> ColumnElement[bool]:
    """``column IN values``; on PostgreSQL ``column = ANY(array)``, one parameter: the
    statement's text is the same whatever the number of values, so psycopg parses it once
    (an IN list of hundreds of parameters is parsed anew each time)."""
    if postgres:
        return column == any_(literal(list(values), postgresql.ARRAY(column.type)))
    return column.in_(values)


def unnest_insert(table: Table, rows: list[dict[str, Any]]) -> Insert:
    """PostgreSQL: ``INSERT ... SELECT unnest(:a), unnest(:b), ...``, the rows in one
    statement of one array per column (the column's type applied to each item), rather than
    a statement per row; the rows are made, and numbered, in their order."""
    names = list(rows[0])
    return insert(table).from_select(names, select(*(_elements(table.c[n]) for n in names)))


def _elements(column: ColumnElement[Any]) -> ColumnElement[Any]:
    if isinstance(column.type, JSON):
        # JSON values as one JSON array (made by the column's type in one go), not an array
        # of JSON texts that psycopg would escape character by character.
        return func.json_array_elements(bindparam(column.key, type_=column.type))
    return func.unnest(bindparam(column.key, type_=postgresql.ARRAY(column.type)))


def executemany(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """SQLite: ``INSERT`` of the rows in one executemany, each value bound by its column's
    type as SQLAlchemy would (``bind_processor``), but in one pass over the rows, without
    the per-row parameter dictionaries SQLAlchemy builds on the way."""
    names = list(rows[0])
    dialect = conn.dialect
    compiled = insert(table).compile(dialect=dialect, column_keys=names)
    order = compiled.positiontup
    assert order is not None and sorted(order) == sorted(names), "one parameter per column"
    processors = [
        table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in order
    ]
    columns = [
        [row[name] for row in rows] if fn is None else [fn(row[name]) for row in rows]
        for name, fn in zip(order, processors, strict=True)
    ]
    conn.exec_driver_sql(str(compiled), list(zip(*columns, strict=True)))


def by_column(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Rows of the same keys as one list per key, for ``unnest_insert``."""
    return {name: [row[name] for row in rows] for name in rows[0]}
