"""The tables. Only ``counter``'s repositories and services touch these."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    func,
    select,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, column_property, mapped_column, relationship

from counter import versions
from counter.clock import from_stored, parse_datetime, stored
from counter.storage import (
    APPLICANT_TYPE,
    AUDIT_KIND_NUMBERS,
    CHANNEL,
    HISTORY_SOURCE,
    ID_TYPE,
    OUTBOX_KIND,
    RESULT_DELIVERY,
    STATUS,
    SYNC_STATE,
    Day,
)


class VNDateTime(TypeDecorator[datetime]):
    """An aware moment, read in Vietnam time; stored as whole seconds since the Unix epoch
    (``counter.clock.stored``): an integer keeps time order, so indexes work, in a few bytes.

    Raw SQL never writes or compares a moment as text: values go through this type (a
    ``Table``'s column types, a mapped class) or ``counter.clock.stored``.
    """

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> int | None:
        return None if value is None else stored(value)

    def process_result_value(self, value: int | str | None, dialect: Any) -> datetime | None:
        if isinstance(value, str):  # text put there behind the program's back (sqlite3)
            return parse_datetime(value) if value else None
        return None if value is None else from_stored(value)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: VNDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Setting(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    full_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class SigninFailure(Base):
    """Wrong sign-ins under a name no account has: counted and locked as an account's are,
    so a refusal never tells whether an account exists. Rows go a day after their last try."""

    __tablename__ = "signin_failures"
    username: Mapped[str] = mapped_column(String(32), primary_key=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(nullable=True)
    updated_at: Mapped[datetime]


class Procedure(Base):
    __tablename__ = "procedures"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    name_folded: Mapped[str] = mapped_column(Text)
    field_code: Mapped[str] = mapped_column(String(40), default="")
    field_name: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[str] = mapped_column(String(16), default="commune")
    time_value: Mapped[float] = mapped_column(Float)
    time_unit: Mapped[str] = mapped_column(String(16))
    time_cutoff: Mapped[str] = mapped_column(String(5), default="", server_default="")
    fees: Mapped[list[Any]] = mapped_column(JSON, default=list)
    documents: Mapped[list[Any]] = mapped_column(JSON, default=list)
    result_agency: Mapped[str] = mapped_column(Text, default="")
    catalog_version: Mapped[str] = mapped_column(String(40), default="")
    source: Mapped[str] = mapped_column(String(16), default="file")  # file | portal
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime]


class ProcedureVersion(Base):
    """A procedure as the catalogue had it when dossiers were received under it: one row per
    distinct content, named by its SHA-256, never changed or removed (``counter.versions``)."""

    __tablename__ = "procedure_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(Text)
    field_name: Mapped[str] = mapped_column(Text)
    time_value: Mapped[float] = mapped_column(Float)
    time_unit: Mapped[str] = mapped_column(String(16))
    time_cutoff: Mapped[str] = mapped_column(String(5))
    result_agency: Mapped[str] = mapped_column(Text)
    fees: Mapped[list[Any]] = mapped_column(JSON)
    fees_total: Mapped[int] = mapped_column(Integer)
    documents: Mapped[list[Any]] = mapped_column(JSON)


class Dossier(Base):
    __tablename__ = "dossiers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    # unique where there is one (``uq_dossiers_portal_code``)
    portal_code: Mapped[str | None] = mapped_column(String(60), nullable=True)
    #: the code's first part (``counter.codes.format_code``: "-YYMMDD-NNNN" follows it)
    agency_code: Mapped[str] = column_property(func.substr(code, 1, func.length(code) - 12))
    counter_no: Mapped[int] = mapped_column(Integer)
    receipt_day: Mapped[date] = mapped_column(Day)
    seq_no: Mapped[int] = mapped_column(Integer)
    book_year: Mapped[int] = mapped_column(Integer)
    book_number: Mapped[int] = mapped_column(Integer)
    procedure_code: Mapped[str] = mapped_column(ForeignKey("procedures.code"))
    # the catalogue's procedure as received (its name, time limit, fees and papers); every
    # dossier has one (a column added to a table of rows can only be nullable in SQLite)
    procedure_version: Mapped[int | None] = mapped_column(
        ForeignKey("procedure_versions.id"), nullable=True
    )
    # the words of short lists are kept as numbers (``counter.storage``)
    result_delivery: Mapped[str] = mapped_column(RESULT_DELIVERY, default="counter")
    applicant_type: Mapped[str] = mapped_column(APPLICANT_TYPE, default="citizen")
    applicant_name: Mapped[str] = mapped_column(String(255))
    id_number: Mapped[str] = mapped_column(String(20), default="")
    id_type: Mapped[str] = mapped_column(ID_TYPE, default="", server_default=text("0"))
    phone: Mapped[str] = mapped_column(String(15), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    submitter_name: Mapped[str] = mapped_column(String(100), default="")
    submitter_id_number: Mapped[str] = mapped_column(String(20), default="")
    submitter_phone: Mapped[str] = mapped_column(String(15), default="")
    channel: Mapped[str] = mapped_column(CHANNEL, default="direct")
    sets: Mapped[int] = mapped_column(Integer, default=1)
    received_at: Mapped[datetime]
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(STATUS)
    status_changed_at: Mapped[datetime]
    lookup_key: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    # the papers handed in where they differ from the version's required ones
    # (``counter.versions.pack``): None when they are those
    papers: Mapped[str | None] = mapped_column(Text, nullable=True)
    received_by: Mapped[str] = mapped_column(String(32))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    sync_state: Mapped[str] = mapped_column(SYNC_STATE, default="pending")
    portal_confirmed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    returned_at: Mapped[datetime | None] = mapped_column(nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)  # first closed status
    previous_due_at: Mapped[datetime | None] = mapped_column(nullable=True)  # before rescheduling
    reschedule_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # the last time supplemented papers were received ("Tiếp nhận lại"): the clock ran anew
    restarted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    updated_at: Mapped[datetime]
    # the citizen's rating at hand-back (``counter.ratings``): the latest one, None if none
    rating_level: Mapped[str | None] = mapped_column(String(16), nullable=True)
    rating_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    rated_at: Mapped[datetime | None] = mapped_column(nullable=True)
    rating_source: Mapped[str | None] = mapped_column(String(8), nullable=True)  # screen | cli

    __table_args__ = (
        Index(
            "uq_dossiers_portal_code",
            "portal_code",
            unique=True,
            sqlite_where=text("portal_code IS NOT NULL"),
        ),
        Index("ix_dossiers_day_seq", "receipt_day", "seq_no"),
        Index("ix_dossiers_book", "book_year", "book_number"),
        Index("ix_dossiers_status_due", "status", "due_at"),
        Index("ix_dossiers_received_at", "received_at"),
        # no index on the ID number: the search index holds it (``counter.search.ids_holding``)
        Index("ix_dossiers_procedure", "procedure_code", "received_at"),
        # "Open at the end of a day" = not closed yet (closed_at NULL, first in this index's
        # order), or closed after it: this index answers the daily summary's pending and
        # overdue figures without reading the table.
        Index("ix_dossiers_closed_due", "closed_at", "due_at", "received_at"),
        # no index on the due date alone: the one by status and due date gives its order
        # (``counter.reports.BY_STATUS``)
        # the list sorted by name (``counter.reports.SORTABLE``): read in order, not sorted
        Index("ix_dossiers_applicant_name", "applicant_name"),
        # the ratings of a day (the daily summary), without the dossiers nobody rated
        Index("ix_dossiers_rated_at", "rated_at", sqlite_where=text("rated_at IS NOT NULL")),
    )

    #: the version's name and total fees, readable in queries as columns of the dossier
    procedure_name: Mapped[str] = column_property(
        select(ProcedureVersion.name)
        .where(ProcedureVersion.id == procedure_version)
        .scalar_subquery()
    )
    fees_total: Mapped[int] = column_property(
        select(ProcedureVersion.fees_total)
        .where(ProcedureVersion.id == procedure_version)
        .scalar_subquery()
    )
    version: Mapped[ProcedureVersion] = relationship(viewonly=True)

    # -- what the dossier was received with, from its version --------------------------------

    @property
    def field_name(self) -> str:
        return self.version.field_name

    @property
    def time_value(self) -> float:
        return self.version.time_value

    @property
    def time_unit(self) -> str:
        return self.version.time_unit

    @property
    def time_cutoff(self) -> str:
        return self.version.time_cutoff

    @property
    def result_agency(self) -> str:
        return self.version.result_agency

    @property
    def fees(self) -> list[Any]:
        return list(self.version.fees)

    @property
    def documents(self) -> list[Any]:
        return versions.unpack(self.papers, self.version.documents)


class Guidance(Base):
    """An incomplete dossier at the counter: the citizen was guided (Mẫu 02), nothing received.

    No dossier code and no due date; once the papers are complete, the dossier is received
    from it and ``dossier_code`` says which.
    """

    __tablename__ = "guidances"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guidance_id: Mapped[str] = mapped_column(String(20), unique=True)
    counter_no: Mapped[int] = mapped_column(Integer)
    guided_day: Mapped[date] = mapped_column(Date)
    seq_no: Mapped[int] = mapped_column(Integer)
    guided_at: Mapped[datetime]
    guided_by: Mapped[str] = mapped_column(String(32))
    procedure_code: Mapped[str] = mapped_column(String(40))
    procedure_name: Mapped[str] = mapped_column(Text)
    applicant_type: Mapped[str] = mapped_column(String(16))
    applicant_name: Mapped[str] = mapped_column(String(200))
    id_number: Mapped[str] = mapped_column(String(20), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(20), default="", server_default="")
    intake: Mapped[dict[str, Any]] = mapped_column(JSON)  # the applicant as given
    received: Mapped[list[Any]] = mapped_column(JSON)  # papers shown (document_json)
    missing: Mapped[list[Any]] = mapped_column(JSON)  # papers still to bring
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    dossier_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("0"))
    __table_args__ = (
        Index("ix_guidances_day_seq", "guided_day", "seq_no"),
        Index("ix_guidances_guided_at", "guided_at"),
        Index("ix_guidances_id_number", "id_number"),
    )


#: History lines that close a dossier at the counter, as SQL (``ix_history_closed_at``).
CLOSINGS_SQL = f"status {STATUS.sql_in(('returned', 'rejected', 'withdrawn'))}"


class DossierHistory(Base):
    __tablename__ = "dossier_history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    at: Mapped[datetime]
    status: Mapped[str] = mapped_column(STATUS)
    by_user: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(HISTORY_SOURCE, default="counter")
    # the day's closings (the daily summary) and only those: a query names them as this does
    __table_args__ = (Index("ix_history_closed_at", "at", sqlite_where=text(CLOSINGS_SQL)),)


class CalendarOverride(Base):
    __tablename__ = "calendar_overrides"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    source: Mapped[str] = mapped_column(String(10), primary_key=True)  # office | portal
    working: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(32), default="")
    updated_at: Mapped[datetime]


class AuditKind(Base):
    """The kinds of audit row a counter writes most (``counter.storage.AUDIT_KINDS``, the
    same list): a row of one of them keeps its number."""

    __tablename__ = "audit_kinds"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(20))
    __table_args__ = (UniqueConstraint("action", "entity", name="uq_audit_kinds"),)


class AuditRow(Base):
    """The audit trail as stored. Append-only (triggers refuse UPDATE and DELETE); each row's
    hash covers the row before's. Read it as ``audit_log`` (``AuditEntry``), which puts back
    what a row keeps by reference: its kind's action and entity, its dossier's code, and the
    text of the details it keeps as their values."""

    __tablename__ = "audit_rows"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(32))
    #: the row's (action, entity) as its number in ``audit_kinds``; None for another kind,
    #: whose action and entity are then kept as text
    kind: Mapped[int | None] = mapped_column(ForeignKey("audit_kinds.id"), nullable=True)
    action: Mapped[str | None] = mapped_column(String(40), nullable=True)
    entity: Mapped[str | None] = mapped_column(String(20), nullable=True)
    #: the dossier a row about a dossier is about, when its key is that dossier's code (the
    #: key is then not kept as text)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"), nullable=True)
    entity_key: Mapped[str | None] = mapped_column(String(60), nullable=True)
    #: canonical JSON; the ``state`` a row about a dossier or an account records is kept
    #: apart, as its 32 bytes (``counter.audit.split_state``; None in other rows)
    details: Mapped[str] = mapped_column(Text, default="{}")
    #: a row of the two commonest kinds keeps its details as their values when the view
    #: writes back exactly their text (``counter.audit.compact``; ``details`` is then ""): a
    #: receipt its due moment, whether it is demo data, its procedure's code; a status change
    #: the statuses before and after (``AUDIT_STATUSES``), its note
    detail_a: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail_b: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    state: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    #: SHA-256 of the previous row's hash (hex; ``GENESIS`` for the first) and this row's
    #: content (``counter.audit.entry_hash``): its 32 bytes. The previous row's hash is not
    #: kept again beside it (it is the row before's).
    hash: Mapped[bytes] = mapped_column(LargeBinary)
    __table_args__ = (
        # a dossier's prints, counted at each print (the copy number on the form)
        Index(
            "ix_audit_rows_prints",
            "dossier_id",
            sqlite_where=text(f"kind = {AUDIT_KIND_NUMBERS['dossier.print', 'dossier']}"),
        ),
    )


#: What is not made by ``Base.metadata``: the views over its tables (made by the migrations).
VIEWS = MetaData()


class AuditEntry(Base):
    """The audit trail as read: a view over ``audit_rows`` (``AuditRow``) with each row's
    action, entity and key in full. Nothing writes to it (``counter.audit`` writes the
    rows)."""

    __table__ = Table(
        "audit_log",
        VIEWS,
        Column("id", Integer, primary_key=True),
        Column("at", VNDateTime),
        Column("actor", String(32)),
        Column("action", String(40)),
        Column("entity", String(20)),
        Column("entity_key", String(60)),
        Column("details", Text),
        Column("state", LargeBinary),
        Column("hash", LargeBinary),
    )
    id: Mapped[int]
    at: Mapped[datetime]
    actor: Mapped[str]
    action: Mapped[str]
    entity: Mapped[str]
    entity_key: Mapped[str]
    details: Mapped[str]
    state: Mapped[bytes | None]
    hash: Mapped[bytes]


class AuditAnchor(Base):
    """The audit chain's head at a moment someone outside the database saw it: printed on a
    daily summary, or sent to the portal. Append-only (triggers), like the chain."""

    __tablename__ = "audit_anchors"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime]
    row_id: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    witness: Mapped[str] = mapped_column(String(20))  # daily | portal


class DossierFile(Base):
    """One version of the digitised pages of a document line (or of the result): the PDF is
    in the data folder under its SHA-256 (``counter.filestore``); a re-scan adds a version."""

    __tablename__ = "dossier_files"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"))
    doc: Mapped[str] = mapped_column(String(40))  # a catalogue document code, or "result"
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int] = mapped_column(Integer)
    bytes: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(8))  # scan | file | folder
    original_name: Mapped[str] = mapped_column(Text, default="")
    by_user: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    __table_args__ = (
        UniqueConstraint("dossier_id", "doc", "version", name="uq_dossier_files_version"),
        Index("ix_dossier_files_dossier", "dossier_id", "doc"),
        Index("ix_dossier_files_sha256", "sha256"),
    )


class OutboxEntry(Base):
    """What the portal must still learn, written in the same transaction as the change."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # dossier | status | due_change | file
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(36), unique=True)
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON, never rewritten
    state: Mapped[str] = mapped_column(
        String(16), default="pending"
    )  # pending|sent|needs_attention|held (a kind the sync does not send yet)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)
    __table_args__ = (
        Index("ix_outbox_state_id", "state", "id"),
        # the sent entries by the moment the portal acknowledged them: the retention's
        # oldest first (``counter.outbox.SyncStore.forget_sent_payloads``)
        Index("ix_outbox_sent_at", "sent_at", sqlite_where=text("state = 'sent'")),
    )


class EntryKey(TypeDecorator[str]):
    """An outbox entry's idempotency key: a UUID (every key the counter makes,
    ``counter.changes.outbox_key``) stored as its 16 bytes; any other text as it is."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> bytes | str | None:
        if value is None:
            return None
        try:
            key = uuid.UUID(value)
        except ValueError:
            return value
        return key.bytes if str(key) == value else value

    def process_result_value(self, value: bytes | str | None, dialect: Any) -> str | None:
        if isinstance(value, bytes):
            return str(uuid.UUID(bytes=value))
        return value


class SentEntry(Base):
    """An outbox entry the portal acknowledged longer ago than the retention period
    (``counter.outbox.KEEP_SENT_PAYLOADS``): what a dossier's audit digest covers of it and
    nothing more (its key, kind and the SHA-256 of its payload), in its dossier's order.
    The payload itself is gone: nothing reads it once the portal holds it."""

    __tablename__ = "outbox_sent"
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), primary_key=True)
    #: the entry's place among its dossier's sent entries (0 the oldest)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(EntryKey)
    kind: Mapped[str] = mapped_column(OUTBOX_KIND)
    payload_sha256: Mapped[bytes] = mapped_column(LargeBinary)
    __table_args__ = {"sqlite_with_rowid": False}


class DossierHandover(Base):
    """A hand-over of the dossier between agencies, as the portal's change feed reported it
    (kind ``handover``): once each, by the portal's id. Printed on the control sheet (Mẫu 06)
    and in the tracking book."""

    __tablename__ = "dossier_handovers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"))
    portal_id: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime]
    from_code: Mapped[str] = mapped_column(String(40))
    from_name: Mapped[str] = mapped_column(Text)
    to_code: Mapped[str] = mapped_column(String(40))
    to_name: Mapped[str] = mapped_column(Text)
    by_name: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (
        UniqueConstraint("dossier_id", "portal_id", name="uq_dossier_handovers_portal"),
    )
