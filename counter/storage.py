"""How the database keeps a value of a short fixed list (a small integer), and a day.

A dossier's status, channel, applicant type, result delivery and document type, and a
history line's status and source, are each one of a few words. The database keeps the
word's place in its list (``Coded``): one byte or none in the row and in every index that
holds it, where the word took up to twenty. What the program reads and writes is the word,
as before: the column's type converts both ways, so a query compares through it
(``Dossier.status == "returned"`` binds the number) and a result is the word again.

Each list is in the words' alphabetical order, so an index, ``ORDER BY``, ``min`` or a
comparison on the number gives what it gave on the word (the list sorted by status reads
the same). A word added to a list takes its place in that order: the numbers after it move,
which is a migration of its own (as 0016 made them).

A dossier's day of receipt is kept as the number of days since 1970-01-01 (``Day``): two
bytes, where ``2026-05-18`` took ten, in the row and in the index by day and number.

Raw SQL never writes or compares such a value as text: values go through the column's type
(a ``Table``'s column types, a mapped class), or ``Coded.stored`` / ``Coded.sql_in`` /
``Day.stored``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Integer, TypeDecorator

from protocol.constants import APPLICANT_TYPES, CHANNELS, ID_TYPES
from protocol.statuses import STATUSES


class Coded(TypeDecorator[str]):
    """One of ``words``, stored as its place among them (sorted)."""

    impl = Integer
    cache_ok = True

    def __init__(self, words: tuple[str, ...]):
        super().__init__()
        if list(words) != sorted(set(words)):
            raise ValueError(f"the words of a coded column are distinct and sorted: {words}")
        self.words = words
        self._numbers = {word: number for number, word in enumerate(words)}

    def stored(self, word: str) -> int:
        """The number the database keeps for ``word``; a word not in the list is refused."""
        try:
            return self._numbers[word]
        except KeyError:
            raise ValueError(f"not one of {', '.join(map(repr, self.words))}: {word!r}") from None

    def sql_in(self, words: Iterable[str]) -> str:
        """``IN (...)`` of the numbers of ``words``, for a partial index's WHERE clause and
        the queries that must name its rows as it does."""
        return f"IN ({', '.join(str(self.stored(w)) for w in words)})"

    def process_bind_param(self, value: str | None, dialect: Any) -> int | None:
        return None if value is None else self.stored(value)

    def process_result_value(self, value: int | str | None, dialect: Any) -> str | None:
        if value is None or isinstance(value, str):  # text put there behind the program's back
            return value
        if 0 <= value < len(self.words):
            return self.words[value]
        return str(value)  # a number put there behind its back: shown, and unlike any word


class Day(TypeDecorator[date]):
    """A day, stored as the days since 1970-01-01 (``stored``): an integer keeps the days'
    order, so an index works, in two bytes until 2059."""

    impl = Integer
    cache_ok = True

    @staticmethod
    def stored(day: date) -> int:
        return day.toordinal() - _EPOCH_ORDINAL

    @staticmethod
    def from_stored(days: int) -> date:
        return date.fromordinal(days + _EPOCH_ORDINAL)

    def process_bind_param(self, value: date | str | None, dialect: Any) -> int | None:
        if isinstance(value, str):  # the ISO text of a day (a filter typed as such)
            value = date.fromisoformat(value)
        return None if value is None else self.stored(value)

    def process_result_value(self, value: int | str | None, dialect: Any) -> date | None:
        if isinstance(value, str):  # text put there behind the program's back
            return date.fromisoformat(value)
        return None if value is None else self.from_stored(value)


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

#: The dossier statuses (``protocol.statuses``), in a dossier and in its history lines.
STATUS = Coded(tuple(sorted(STATUSES)))
CHANNEL = Coded(tuple(sorted(CHANNELS)))
APPLICANT_TYPE = Coded(tuple(sorted(APPLICANT_TYPES)))
#: Where the result is handed back (``counter.intake``).
RESULT_DELIVERY = Coded(("counter", "post"))
#: The applicant's document type; "" when none was given or read from the number.
ID_TYPE = Coded(tuple(sorted(("", *ID_TYPES))))
#: Where a dossier stands with the portal (``counter.outbox``): its own demo dossiers are local.
SYNC_STATE = Coded(("local", "needs_attention", "pending", "synced"))
#: Who made a history line: the counter, the portal, or the receipt (``counter.repository``).
HISTORY_SOURCE = Coded(("counter", "portal", "receipt"))
#: What an outbox entry tells the portal (``counter.outbox``), kept for an entry sent long ago.
OUTBOX_KIND = Coded(("dossier", "due_change", "file", "rating", "status"))

#: The kinds of audit row a counter writes most, (action, entity), by the number an audit row
#: keeps for its kind (``counter.models.AuditRow.kind``; the table ``audit_kinds`` holds the
#: same list, made by migration 0022): a row of another kind keeps its action and entity as
#: text. A kind added here is added to that table by a migration of its own.
AUDIT_KINDS: dict[int, tuple[str, str]] = {
    1: ("dossier.receive", "dossier"),
    2: ("dossier.status", "dossier"),
    3: ("dossier.print", "dossier"),
    4: ("dossier.reschedule", "dossier"),
    5: ("dossier.restart", "dossier"),
    6: ("dossier.rate", "dossier"),
    7: ("dossier.attach", "dossier"),
    8: ("dossier.handover", "dossier"),
    9: ("demo.seed", "dossier"),
}
#: The number of each kind of ``AUDIT_KINDS``.
AUDIT_KIND_NUMBERS = {kind: number for number, kind in AUDIT_KINDS.items()}
#: The statuses an audit row of a status change keeps by number (``counter.audit.compact``),
#: as the view ``audit_log`` names them (migration 0023): a status not among them keeps the
#: row's details as text. Another status is added here by a migration that adds it there.
AUDIT_STATUSES: tuple[str, ...] = (
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
