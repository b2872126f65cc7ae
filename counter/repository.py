"""Where a dossier is found, and how a stored row becomes a domain object.

The one place that knows a dossier answers to two codes: the counter's own and, once the
portal has issued one, the portal's (``portal_code``). Functions here read within the
caller's session; they never commit and never raise anything but ``NotFound``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from types import SimpleNamespace
from typing import Any, NamedTuple, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter import versions
from counter.errors import NotFound
from counter.models import Dossier, DossierFile, DossierHandover, DossierHistory, User
from counter.office import office_in
from counter.serialize import documents_of, fees_of
from counter.views import (
    DocumentLine,
    DossierFileView,
    DossierSummary,
    DossierView,
    FeeLine,
    HandoverView,
    Office,
    ProcessingTime,
    RatingView,
    StatusChange,
)
from protocol.lookup import lookup_url
from protocol.statuses import Status
from protocol.timejson import printable

#: Most values in one ``IN (...)``: well under SQLite's limit on bound parameters.
CHUNK = 500


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _code_key(code: str) -> str:
    return unicodedata.normalize("NFKC", code).strip().upper()  # fullwidth as typed in ASCII


def find_dossier(s: Session, code: str) -> Dossier | None:
    """The dossier with this code, the counter's own first, else the portal's."""
    key = _code_key(code)
    d = s.scalar(select(Dossier).where(Dossier.code == key))
    if d is None:
        d = s.scalar(select(Dossier).where(Dossier.portal_code == key))
    return d


#: A search key's low bits: its dossier's id (``counter.search.search_key``).
KEY_ID_MASK = 0xFFFFFFFF


def id_of_key(key: int) -> int:
    """The id of the dossier a search key (``counter.search.search_key``) names."""
    return key & KEY_ID_MASK


def found_by_code(s: Session, code: str) -> tuple[int, datetime] | None:
    """``find_dossier``'s dossier's id and moment of receipt alone (what a search by code
    needs to make its search key)."""
    key = _code_key(code)
    columns = (Dossier.id, Dossier.received_at)
    found = s.execute(select(*columns).where(Dossier.code == key)).first()
    if found is None:
        found = s.execute(select(*columns).where(Dossier.portal_code == key)).first()
    return None if found is None else (found[0], found[1])


def get_dossier(s: Session, code: str) -> Dossier:
    """As ``find_dossier``, but a code that is nobody's is refused."""
    d = find_dossier(s, code)
    if d is None:
        shown = printable(code)
        raise NotFound(f"Không tìm thấy hồ sơ mã '{shown}'", f"No dossier with code '{shown}'")
    return d


#: What a list or a search shows of a dossier: read alone, not the whole row.
SUMMARY_COLUMNS = (
    Dossier.id,
    Dossier.code,
    Dossier.applicant_name,
    Dossier.procedure_code,
    Dossier.procedure_name,
    Dossier.status,
    Dossier.received_at,
    Dossier.due_at,
    Dossier.is_demo,
)


#: The summary's columns that are not the table's own, as SQL over ``dossiers``.
SQL_OF = {"procedure_name": versions.NAME_SQL}


class _Summarised(Protocol):
    """A dossier, or a row of ``SUMMARY_COLUMNS``."""

    @property
    def id(self) -> int: ...
    @property
    def code(self) -> str: ...
    @property
    def applicant_name(self) -> str: ...
    @property
    def procedure_code(self) -> str: ...
    @property
    def procedure_name(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def received_at(self) -> datetime: ...
    @property
    def due_at(self) -> datetime: ...
    @property
    def is_demo(self) -> bool: ...


def summary_of(d: _Summarised) -> DossierSummary:
    """A dossier's summary, from the dossier or from a row of ``SUMMARY_COLUMNS``."""
    return DossierSummary(
        id=d.id,
        code=d.code,
        applicant_name=d.applicant_name,
        procedure_code=d.procedure_code,
        procedure_name=d.procedure_name,
        status=Status(d.status),
        received_at=d.received_at,
        due_at=d.due_at,
        is_demo=d.is_demo,
    )


class _SummaryRow(NamedTuple):
    id: int
    code: str
    applicant_name: str
    procedure_code: str
    procedure_name: str
    status: str
    received_at: datetime
    due_at: datetime
    is_demo: bool


def summaries_by_key(s: Session, keys: Sequence[int]) -> dict[int, DossierSummary]:
    """The summaries of the dossiers with these search keys (a search's results), read over
    the session's own SQLite connection, each value through its column's type as the mapped
    class reads it."""
    conn = s.connection()
    dialect = conn.dialect
    convert = [
        c.type.dialect_impl(dialect).result_processor(dialect, None) for c in SUMMARY_COLUMNS
    ]
    names = ", ".join(SQL_OF.get(c.key, c.key) for c in SUMMARY_COLUMNS)
    by_id = {id_of_key(k): k for k in keys}
    marks = ", ".join("?" * len(by_id))
    sql = f"SELECT {names} FROM dossiers WHERE id IN ({marks})"
    driver = conn.connection.driver_connection
    assert driver is not None
    out: dict[int, DossierSummary] = {}
    for values in driver.execute(sql, tuple(by_id)):
        row = [
            v if fn is None or v is None else fn(v) for fn, v in zip(convert, values, strict=True)
        ]
        out[by_id[row[0]]] = summary_of(_SummaryRow(*row))
    return out


def receipt_line(d: Dossier | SimpleNamespace) -> StatusChange:
    """The first line of every dossier's history, its receipt: made of the dossier's own row
    (its moment, clerk and note never change), so it is not stored a second time."""
    return StatusChange(d.received_at, Status.RECEIVED, d.received_by, d.note, "counter")


#: The source of a receipt line kept from before receipt lines were made of the row: one that
#: said more than the row (migration 0014). It reads as the counter's line it always was.
RECEIPT_SOURCE = "receipt"


def history_of(s: Session, d: Dossier) -> tuple[StatusChange, ...]:
    """A dossier's history, oldest first: its receipt, then the lines stored after it (a
    receipt line kept from an older database stands for itself)."""
    rows = s.scalars(
        select(DossierHistory)
        .where(DossierHistory.dossier_id == d.id)
        .order_by(DossierHistory.at, DossierHistory.id)
    ).all()
    stored = tuple(
        StatusChange(
            h.at,
            Status(h.status),
            h.by_user,
            h.note,
            "counter" if h.source == RECEIPT_SOURCE else h.source,
        )
        for h in rows
    )
    if any(h.source == RECEIPT_SOURCE for h in rows):
        return stored
    return (receipt_line(d), *stored)


def view_of(
    s: Session, d: Dossier, lookup_base_url: str, book_volume: Callable[[int], str]
) -> DossierView:
    """Everything the counter knows of one dossier, with its history and its clerk's name."""
    clerk = s.scalar(select(User.full_name).where(User.username == d.received_by))
    return dossier_view(
        d,
        history_of(s, d),
        clerk or d.received_by,
        office_in(s),
        lookup_base_url,
        book_volume,
        files_of(s, d.id),
        handovers_of(s, d.id),
    )


def dossier_view(
    d: Dossier | SimpleNamespace,
    history: tuple[StatusChange, ...],
    clerk_name: str,
    office: Office,
    lookup_base_url: str,
    book_volume: Callable[[int], str],
    files: tuple[DossierFileView, ...],
    handovers: tuple[HandoverView, ...] = (),
    *,
    documents: tuple[DocumentLine, ...] | None = None,
    fees: tuple[FeeLine, ...] | None = None,
) -> DossierView:
    """``view_of`` from what the caller already holds (a dossier just received: the values
    of its row; ``documents`` and ``fees``: its lists as lines, when a batch's dossiers share
    them)."""
    return DossierView(
        id=d.id,
        code=d.code,
        agency_code=d.agency_code,
        counter_no=d.counter_no,
        procedure_code=d.procedure_code,
        procedure_name=d.procedure_name,
        field_name=d.field_name,
        applicant_type=d.applicant_type,
        applicant_name=d.applicant_name,
        id_number=d.id_number,
        id_type=d.id_type,
        phone=d.phone,
        email=d.email,
        address=d.address,
        channel=d.channel,
        sets=d.sets,
        received_at=d.received_at,
        due_at=d.due_at,
        status=Status(d.status),
        lookup_key=d.lookup_key,
        lookup_url=lookup_url(lookup_base_url, d.code, d.lookup_key),
        processing_time=ProcessingTime(d.time_value, d.time_unit, d.time_cutoff),
        result_agency=office.agency_for(d.procedure_code, d.result_agency),
        result_delivery=d.result_delivery,
        received_by=d.received_by,
        received_by_name=clerk_name,
        book_volume=book_volume(d.book_year),
        book_number=d.book_number,
        documents=documents_of(d.documents) if documents is None else documents,
        fees=fees_of(d.fees) if fees is None else fees,
        history=history,
        submitter_name=d.submitter_name,
        submitter_id_number=d.submitter_id_number,
        submitter_phone=d.submitter_phone,
        note=d.note,
        portal_code=d.portal_code or "",
        is_demo=d.is_demo,
        sync_state=d.sync_state,
        portal_confirmed_at=d.portal_confirmed_at,
        returned_at=d.returned_at,
        updated_at=d.updated_at,
        previous_due_at=d.previous_due_at,
        restarted_at=d.restarted_at,
        reschedule_reason=d.reschedule_reason or "",
        files=files,
        handovers=handovers,
        rating=rating_of(d),
    )


def rating_of(d: Dossier | SimpleNamespace) -> RatingView | None:
    """The citizen's latest rating of a dossier, or None (a dossier just received has none)."""
    level = getattr(d, "rating_level", None)
    if level is None or d.rated_at is None:
        return None
    return RatingView(level, d.rating_reason or "", d.rated_at, d.rating_source or "")


def files_of(s: Session, dossier_id: int) -> tuple[DossierFileView, ...]:
    """The digitised pages of a dossier, every version, oldest first."""
    rows = s.scalars(
        select(DossierFile).where(DossierFile.dossier_id == dossier_id).order_by(DossierFile.id)
    ).all()
    return tuple(
        DossierFileView(
            f.doc, f.version, f.sha256, f.pages, f.bytes, f.source, f.original_name, f.by_user, f.at
        )
        for f in rows
    )


def handovers_of(s: Session, dossier_id: int) -> tuple[HandoverView, ...]:
    """The dossier's hand-overs between agencies, in the order they happened."""
    rows = s.scalars(
        select(DossierHandover)
        .where(DossierHandover.dossier_id == dossier_id)
        .order_by(DossierHandover.at, DossierHandover.portal_id)
    ).all()
    return tuple(
        HandoverView(h.at, h.from_code, h.from_name, h.to_code, h.to_name, h.by_name, h.note)
        for h in rows
    )
