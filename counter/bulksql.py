"""Many rows written by one Core statement through the driver's executemany, without
SQLAlchemy's work per row.

The statement is compiled by SQLAlchemy for the connection's dialect, and each value goes
through the bind conversion of the column type it is bound to, as SQLAlchemy would bind it:
values are never formatted here. A batch's rows share most of their values (the moment of
the write, a page's due moments, the codes of a status or a channel, empty fields), so each
distinct value of a column is converted once for the batch, and a conversion of a moment or
a day is kept for the next batch that has the same one. ``counter.remote`` writes a page of
the portal's feed with it, ``counter.receiving`` the dossiers it receives (each table's
insert compiled once).
"""

from __future__ import annotations

import functools
import json
import operator
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Date, DateTime, String, bindparam, func, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import ColumnElement, Select
from sqlalchemy.sql.dml import Insert, Update

from counter.models import VNDateTime
from counter.storage import Day

#: How many distinct moments or days a conversion keeps (a batch has few).
REMEMBERED = 4096


def remembered(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``fn`` (a column type's bind conversion) keeping its last results."""
    return functools.lru_cache(maxsize=REMEMBERED)(fn)


class Compiled:
    """``statement`` compiled for ``dialect``: its SQL, the names of its values in order and
    the conversion of each value whose column type converts it. An ``insert`` with no values
    given takes its columns from ``keys``."""

    def __init__(
        self, statement: Insert | Update, dialect: Dialect, keys: Sequence[str] = ()
    ) -> None:
        if isinstance(statement, Insert) and keys:
            statement = statement.values({name: bindparam(name) for name in keys})
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        self.names: list[str] = list(compiled.positiontup or ())
        #: a row's values in the statement's order, as a tuple
        self._values: Callable[[Mapping[str, Any]], tuple[Any, ...]] = (
            operator.itemgetter(*self.names)
            if len(self.names) > 1
            else lambda row: tuple(row[name] for name in self.names)
        )
        self.convert: list[tuple[int, Callable[[Any], Any]]] = []
        for i, name in enumerate(self.names):
            column_type = compiled.binds[name].type
            fn = column_type.dialect_impl(dialect).bind_processor(dialect)
            if fn is not None:
                self.convert.append((i, remembered(fn) if _is_time(column_type) else fn))

    def params(self, rows: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
        """The values of each of ``rows`` in the statement's order, converted (a column at a
        time)."""
        values = list(map(self._values, rows))
        if not self.convert or not values:
            return values
        columns: list[Any] = list(zip(*values, strict=True))
        for i, fn in self.convert:
            column = columns[i]
            # a column of a batch holds few distinct values (the same codes, the moment of
            # the write, empty fields): each is converted once, as the type converts it
            try:
                converted = {value: fn(value) for value in set(column)}
            except TypeError:  # a value that cannot be a key
                columns[i] = map(fn, column)
            else:
                columns[i] = map(converted.__getitem__, column)
        return list(zip(*columns, strict=True))

    def run(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """The statement for every row, in one executemany over ``conn`` (its transaction)."""
        if rows:
            conn.exec_driver_sql(self.sql, self.params(rows))


def _is_time(column_type: Any) -> bool:
    """A moment's or a day's column."""
    return isinstance(column_type, (VNDateTime, Day, Date, DateTime))


def write_many(
    conn: Connection,
    statement: Insert | Update,
    rows: Sequence[Mapping[str, Any]],
    shape: Hashable = None,
) -> None:
    """``statement`` for all ``rows`` (each with the same keys) in one executemany; an
    ``insert`` takes its columns from the rows' keys. ``shape``: a name for the statement
    (with the rows' keys), whose compilation is then kept for the next rows of that name:
    statements of one name must be the same statement."""
    if not rows:
        return
    keys = list(rows[0])
    if shape is None:
        Compiled(statement, conn.dialect, keys).run(conn, rows)
        return
    key = (shape, conn.dialect.name, conn.dialect.paramstyle, *keys)
    compiled = _KEPT.get(key)
    if compiled is None:
        compiled = _KEPT[key] = Compiled(statement, conn.dialect, keys)
    compiled.run(conn, rows)


#: The compilations ``write_many`` keeps, by name, dialect and the rows' keys.
_KEPT: dict[tuple[Hashable, ...], Compiled] = {}


def read_many(conn: Connection, statement: Select[Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The names of ``statement``'s columns and its rows, each value converted by its column
    type as SQLAlchemy reads it; a conversion is made once for each distinct moment or day
    of the lot."""
    names, rows, conversions = read_raw(conn, statement)
    convert = {
        i: functools.lru_cache(maxsize=None)(fn) if _is_time(column.type) else fn
        for i, (column, fn) in enumerate(zip(statement.selected_columns, conversions, strict=True))
        if fn is not None
    }
    if convert and rows:
        values = [
            list(map(convert[i], column)) if i in convert else column
            for i, column in enumerate(zip(*rows, strict=True))
        ]
        rows = list(zip(*values, strict=True))
    return names, rows


def read_objects(conn: Connection, statement: Select[Any]) -> list[SimpleNamespace]:
    """``read_many``'s rows, each as an object with its columns as attributes."""
    names, rows = read_many(conn, statement)
    out = []
    for row in rows:
        ns = SimpleNamespace()
        vars(ns).update(zip(names, row, strict=True))
        out.append(ns)
    return out


def read_raw(
    conn: Connection, statement: Select[Any]
) -> tuple[list[str], list[tuple[Any, ...]], list[Callable[[Any], Any] | None]]:
    """``read_many`` before the conversions: the names of ``statement``'s columns, its rows
    as the driver gives them, and each column's conversion (None where its type has none),
    for a reader that converts only what it needs, or each distinct value once."""
    dialect = conn.dialect
    # executed as SQLAlchemy executes it (its compilation kept for the next lot, the
    # parameters bound by their types), the rows taken from the driver's cursor as they are
    result = conn.execute(statement)
    try:
        rows: list[tuple[Any, ...]] = list(result.cursor.fetchall())
    finally:
        result.close()
    columns = list(statement.selected_columns)
    conversions: list[Callable[[Any], Any] | None] = [
        c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns
    ]
    return [str(c.key) for c in columns], rows, conversions


def among(column: ColumnElement[Any], values: Iterable[Any]) -> ColumnElement[bool]:
    """``column IN (values)`` with the values handed over as one JSON array parameter (SQLite's
    ``json_each``): one short statement however many the values, looked up by the column's
    index as an ``IN`` list is. For ids and codes, which the column's type does not convert
    (refused otherwise)."""
    if column.type.dialect_impl(_SQLITE).bind_processor(_SQLITE) is not None:
        raise ValueError(f"among: {column} needs its type's conversion")
    listed = func.json_each(bindparam(None, json.dumps(list(values)), type_=String()))
    return column.in_(select(listed.table_valued("value").c.value))


_SQLITE = sqlite.dialect()
