"""The rows of received dossiers, written with prepared statements.

Receiving is the counter's busiest write: a dossier's row, its search entry, its outbox
entry and its audit line, in one transaction (the first line of its history, the receipt, is
made of its row when read: ``counter.repository.receipt_line``). ``DossierService`` decides
every value with the domain's own rules (``clean_intake``, the numbering of
``counter.codes``, the calendar's due date, the catalogue's papers and fees); this module
only numbers within the transaction and writes, one statement per table for a whole batch
(each table's ``insert``, compiled once), over the unit of work's connection. The values go
through the same column types the mapped classes use, so a row reads back exactly as if the
ORM had written it.
"""

from __future__ import annotations

import functools
import json
import operator
import sqlite3
from collections.abc import Callable, Sequence
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from counter import audit, integrity, versions
from counter.bulksql import Compiled
from counter.changes import HELD_KINDS, outbox_key
from counter.codes import block_range, next_number
from counter.models import AuditRow, Dossier, OutboxEntry
from counter.search import INSERT_SQL, document_of
from counter.serialize import wire_snapshot

#: The audit line a receipt leaves: (actor, action, dossier code, details before ``state``).
AuditLine = tuple[str, str, str, dict[str, Any]]


class Numbers:
    """Numbers given out in this transaction: the day's next code number of this counter's
    block, the year's next book number, the next row id. Each is read once from the table
    (the writer holds the lock, nobody else numbers meanwhile) and counted on from there."""

    def __init__(
        self, conn: sqlite3.Connection, counter_no: int, block_size: int, dialect: Dialect
    ):
        self._conn = conn
        self._counter_no = counter_no
        self._block_size = block_size
        self._seq: dict[date, int | None] = {}
        self._book: dict[int, int] = {}
        self._id: int | None = None
        day_type = Dossier.__table__.c.receipt_day.type
        #: a day as the column stores it (its type's conversion, as a row is written)
        self._stored_day = day_type.dialect_impl(dialect).bind_processor(dialect) or _same

    def _scalar(self, sql: str, *args: Any) -> Any:
        return self._conn.execute(sql, args).fetchone()[0]

    def code_number(self, day: date) -> int:
        if day not in self._seq:
            lo, hi = block_range(self._counter_no, self._block_size)
            # a statement a day: each is answered from the end of the day's run in the index,
            # where one for all of a batch's days (GROUP BY) reads every number of each day
            self._seq[day] = self._scalar(
                "SELECT max(seq_no) FROM dossiers WHERE receipt_day = ? AND seq_no BETWEEN ? AND ?",
                self._stored_day(day),
                lo,
                hi,
            )
        number = next_number(self._seq[day], self._counter_no, self._block_size)
        self._seq[day] = number
        return number

    def book_number(self, year: int) -> int:
        last = self._book.get(year)
        if last is None:
            last = self._scalar("SELECT max(book_number) FROM dossiers WHERE book_year = ?", year)
        number = (last or 0) + 1
        self._book[year] = number
        return number

    def dossier_id(self) -> int:
        last = self._id
        if last is None:
            last = self._scalar("SELECT max(id) FROM dossiers") or 0
        self._id = last + 1
        return self._id


def _same(value: Any) -> Any:
    return value


#: Each table's ``insert``, compiled once by SQLAlchemy (every column given, ``id`` too for
#: dossiers) with its column types' bind conversions (``counter.bulksql.Compiled``): the
#: values a row is written with are those the mapped class would write.
_statements: dict[tuple[str, str], Compiled] = {}


def _statement(table: Table, dialect: Dialect) -> Compiled:
    key = (table.name, dialect.name)
    found = _statements.get(key)
    if found is None:
        keys = [c.name for c in table.columns if not (c.primary_key and c.name == "id")]
        if table.name == "dossiers":
            keys.insert(0, "id")
        found = _statements[key] = Compiled(insert(table), dialect, keys)
    return found


def driver(s: Session) -> sqlite3.Connection:
    """The unit of work's own SQLite connection (its transaction, its write lock), for the
    statements of this module: SQLite keeps them prepared."""
    conn = s.connection().connection.driver_connection
    assert isinstance(conn, sqlite3.Connection)
    return conn


def write(
    s: Session, received: Sequence[tuple[SimpleNamespace, AuditLine]], moment: datetime
) -> None:
    """Write the received dossiers (every column set, ``id`` given) with their search entry,
    outbox entry (demo data has none) and chained audit line, in the caller's unit of work:
    one statement per table for the whole batch."""
    dialect = s.connection().dialect
    conn = driver(s)
    dossiers, search, outbox, audits = [], [], [], []
    outbox_sql = _statement(OutboxEntry.__table__, dialect)  # type: ignore[arg-type]
    audit_sql = _statement(AuditRow.__table__, dialect)  # type: ignore[arg-type]
    dossier_sql = _statement(Dossier.__table__, dialect)  # type: ignore[arg-type]
    prev = integrity.head(s).hash
    payload = Payloads()
    digest = Digests()
    for d, (actor, action, code, details) in received:
        # every column, named as its column
        dossiers.append(((d.received_at, d.id), vars(d)))
        search.append((d.search_key, *document_of(d)))
        queued = []
        if not d.is_demo:
            entry = _outbox_entry(d, moment, payload(wire_snapshot(d)))
            outbox.append(entry)
            queued.append((entry["idempotency_key"], entry["kind"], entry["payload"]))
        state = digest(d, queued)
        line = audit.chained(
            prev,
            moment,
            actor,
            action,
            "dossier",
            code,
            {**details, "state": state},
            d,
        )
        audits.append(line)
        prev = audit.link(line)
    # FTS5 writes out what it holds each time a rowid comes lower than the one before: a
    # batch's entries go in key order, or a batch over many days leaves a segment a dossier.
    # The dossiers' rows go in order of receipt too (their ids are given): each index by
    # day, moment or due date is then walked once from one end of the batch to the other,
    # not entered at a page far from the last one for every row. The outbox and the audit
    # trail keep the batch's order (their ids are the order they are sent and chained in).
    search.sort()
    dossiers.sort(key=operator.itemgetter(0))
    for sql, rows in (
        (dossier_sql.sql, dossier_sql.params([row for _, row in dossiers])),
        (INSERT_SQL, search),
        (outbox_sql.sql, outbox_sql.params(outbox)),
        (audit_sql.sql, audit_sql.params(audits)),
    ):
        if len(rows) == 1:
            conn.execute(sql, rows[0])
        elif rows:
            conn.executemany(sql, rows)


#: The values of a received dossier's row that its digest covers, in ``DOSSIER_FIELDS``' order.
_digested = operator.itemgetter(*integrity.DOSSIER_FIELDS)


class Digests:
    """``integrity.dossier_digest`` of a batch's dossiers, byte for byte: each from its fields'
    JSON texts (``integrity.DossierDigester``). A value that is the very object the dossier
    before had in that field (its procedure's, its office's, its clerk's, the moment of the
    write, an empty field) keeps that one's text; a list the batch's dossiers share (their
    procedure's papers and fees) is written once."""

    def __init__(self) -> None:
        self._digester = _digester()
        #: each shared list's text, by the list's identity (the list held, so it stays its own)
        self._lists: dict[int, tuple[list[Any], str]] = {}
        #: the dossier before's values and their texts
        self._before: tuple[Sequence[Any], Sequence[str]] = ((), ())

    def __call__(self, d: SimpleNamespace, outbox: Sequence[tuple[str, str, str]]) -> str:
        values = _digested(vars(d))
        before, written = self._before
        if before:
            text, string = self._text, integrity.json_str
            # a string (as most values are) written here without a call more
            texts = [
                was if value is old else string(value) if type(value) is str else text(value)
                for value, old, was in zip(values, before, written, strict=True)
            ]
        else:
            texts = [self._text(value) for value in values]
        self._before = (values, texts)
        rating = None
        if d.rating_level is not None:
            rated = integrity.rating_value(
                d.rating_level, d.rating_reason, d.rated_at, d.rating_source
            )
            rating = integrity.value_json(rated)
        return self._digester.digest(texts, integrity.outbox_json(outbox), rating)

    def _text(self, value: Any) -> str:
        kind = type(value)
        if kind is str:  # as ``value_json`` writes it, without a call more
            return integrity.json_str(value)
        if kind is not list:
            return integrity.value_json(value)
        held = self._lists.get(id(value))
        if held is None:
            held = self._lists[id(value)] = (value, integrity.value_json(value))
        return held[1]


@functools.cache
def _digester() -> integrity.DossierDigester:
    return integrity.DossierDigester(integrity.DOSSIER_FIELDS)


#: ``json.dumps``'s encoder for an outbox payload (as ``counter.changes.enqueue`` writes it).
PAYLOAD = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
#: the encoder's own function for a string (``ensure_ascii=False``)
_string = json.encoder.encode_basestring


#: The values of a dict in its keys' sorted order.
_Values = Callable[[dict[Any, Any]], Sequence[Any]]


class Payloads:
    """A batch's outbox payloads, each the very text ``PAYLOAD.encode`` makes of it, with less
    work: a value's JSON text does not depend on what holds it (no indentation), so a dict is
    a form of its keys in sorted order, made once for every dict with those keys, filled with
    its values' texts; a list the batch's dossiers share (their procedure's papers and fees,
    the same objects) is encoded once. A string, a whole number or None is written here,
    anything else by the encoder itself."""

    def __init__(self) -> None:
        #: a dict's keys as given -> the form of its text, and its values in its keys' sorted
        #: order
        self._forms: dict[tuple[Any, ...], tuple[str, _Values]] = {}
        #: each shared list's text, by the list's identity (the list held, so it stays its own)
        self._lists: dict[int, tuple[list[Any], str]] = {}

    def __call__(self, value: dict[str, Any]) -> str:
        return self._dict(value)

    def _dict(self, value: dict[Any, Any]) -> str:
        keys = tuple(value)
        form = self._forms.get(keys)
        if form is None:
            if not all(type(key) is str for key in keys):
                return PAYLOAD.encode(value)
            order = sorted(keys)
            # "%" in a key stays itself; the values' texts are put in as they are
            texts = (_string(key).replace("%", "%%") + ": %s" for key in order)
            form = self._forms[keys] = ("{" + ", ".join(texts) + "}", _in_order(order))
        text, values = form
        string, other = _string, self._text
        # a string or None, as most values are, written here without a call more
        return text % tuple(
            [
                string(v) if type(v) is str else "null" if v is None else other(v)
                for v in values(value)
            ]
        )

    def _text(self, value: Any) -> str:
        kind = type(value)
        if kind is str:
            return _string(value)
        if value is None:
            return "null"
        if kind is int:
            return int.__repr__(value)
        if kind is dict:
            return self._dict(value)
        if kind is list:
            held = self._lists.get(id(value))
            if held is None:
                held = self._lists[id(value)] = (value, PAYLOAD.encode(value))
            return held[1]
        return PAYLOAD.encode(value)


def _in_order(keys: list[str]) -> _Values:
    """The values of a dict with these keys, in this order."""
    if len(keys) < 2:
        return lambda value: [value[key] for key in keys]
    return operator.itemgetter(*keys)


def _outbox_entry(d: SimpleNamespace, moment: datetime, payload: str) -> dict[str, Any]:
    """The entry that tells the portal of a new dossier (``counter.changes.enqueue``'s row),
    its payload the text of ``wire_snapshot(d)``."""
    return {
        "kind": "dossier",
        "dossier_id": d.id,
        "idempotency_key": outbox_key(),
        "payload": payload,
        "state": "held" if "dossier" in HELD_KINDS else "pending",
        "attempts": 0,
        "next_attempt_at": None,
        "last_error": "",
        "created_at": moment,
        "sent_at": None,
    }


#: The catalogue's procedures as read: their row -> (what a receipt takes of it, the name of
#: its version). A row changed in the catalogue is another key.
_procedures: dict[tuple[Any, ...], tuple[dict[str, Any], str]] = {}


def procedure(conn: sqlite3.Connection, code: str) -> SimpleNamespace | None:
    """The catalogue's procedure ``code`` (what a receipt takes from it), or None."""
    row = conn.execute(
        "SELECT code, name, field_name, time_value, time_unit, time_cutoff, result_agency, "
        "fees, documents, active FROM procedures WHERE code = ?",
        (code,),
    ).fetchone()
    if row is None:
        return None
    made = _procedures.get(row)
    if made is None:
        names = ("code", "name", "field_name", "time_value", "time_unit", "time_cutoff")
        values: dict[str, Any] = dict(zip(names, row[:6], strict=True))
        values["result_agency"] = row[6]
        values["fees"] = json.loads(row[7]) if row[7] else []
        values["fees_total"] = sum(int(f["amount"]) for f in values["fees"])
        values["documents"] = json.loads(row[8]) if row[8] else []
        if len(_procedures) >= 1024:
            _procedures.clear()
        made = _procedures[row] = (values, versions.digest(values))
    values, name = made
    active = bool(row[9])
    # the version a dossier received now refers to (written the first time it is needed)
    version = versions.version_id(conn, values, name) if active else None
    return SimpleNamespace(**values, active=active, version=version)


def full_name(conn: sqlite3.Connection, username: str) -> str | None:
    row = conn.execute("SELECT full_name FROM users WHERE username = ?", (username,)).fetchone()
    return row[0] if row else None
