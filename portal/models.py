"""The portal's tables (SQLAlchemy 2 typed mappings).

Datetimes are stored as naive UTC (``UTCDateTime``) so SQLite and PostgreSQL behave alike, and
come back as aware datetimes in Vietnam time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from protocol import VN_TZ

# SQLite only makes INTEGER PRIMARY KEY an alias of its rowid (and so autoincrementing).
BigId = BigInteger().with_variant(Integer, "sqlite")
# What SQLite's DATETIME type stores (SQLAlchemy's default): what isoformat(" ") gives.
_SQLITE_DATETIME_FORMAT = (
    "%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d.%(microsecond)06d"
)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, stored as naive UTC, aware Vietnam-time datetimes out."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(UTC).replace(tzinfo=None)

    def bind_processor(self, dialect: Dialect) -> Any:
        """On SQLite, the text its DATETIME type stores, made in one step (a push writes
        tens of thousands of them): the same as ``process_bind_param`` then that type's."""
        impl = self.impl_instance.dialect_impl(dialect)
        if getattr(impl, "_storage_format", None) != _SQLITE_DATETIME_FORMAT:
            return super().bind_processor(dialect)

        def process(value: datetime | None) -> str | None:
            if value is None:
                return None
            if value.tzinfo is None:
                raise ValueError("naive datetime given to the database")
            return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")

        return process

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC).astimezone(VN_TZ)


class Base(DeclarativeBase):
    type_annotation_map = {
        datetime: UTCDateTime(),
        date: Date(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


class Agency(Base):
    """An office that receives dossiers (one agency code under QCVN 102:2016/BTTTT)."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    parent_name: Mapped[str] = mapped_column(String(300), default="")
    level: Mapped[str] = mapped_column(String(20), default="commune")
    address: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    place: Mapped[str] = mapped_column(String(100), default="")
    # Dossier numbers each of its counters has a day (protocol.DEFAULT_BLOCK_SIZE unless set).
    block_size: Mapped[int] = mapped_column(default=1000, server_default="1000")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Counter(Base):
    """One counter (a desktop installation) of an agency, with its API token's hash."""

    __tablename__ = "counters"
    __table_args__ = (UniqueConstraint("agency_id", "counter_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    counter_no: Mapped[int]
    # The token is "<token_id>.<secret>": token_id finds the row, the secret's sha256 is
    # compared in constant time. The secret itself is never stored.
    token_id: Mapped[str] = mapped_column(String(32), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    token_issued_at: Mapped[datetime]
    last_seen_at: Mapped[datetime | None]


class CounterAnchor(Base):
    """The head of a counter's audit chain as the counter sent it: kept here, away from the
    counter's PC, so a chain later cut short or recomputed there can be shown to be."""

    __tablename__ = "counter_anchors"

    id: Mapped[int] = mapped_column(primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"), index=True)
    row_id: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime]


class Dossier(Base):
    __tablename__ = "dossiers"
    __table_args__ = (
        Index("ix_dossiers_agency_received", "agency_id", "received_at"),
        # The dashboard's overdue dossiers, open ones whose due moment has passed, counted
        # per month, agency and counter, and the oldest of them listed, from the index alone
        # (its id too: on PostgreSQL an index-only scan, no read of the table's rows).
        Index(
            "ix_dossiers_open_due",
            *("status", "due_at", "received_at", "agency_id", "counter_no", "id"),
        ),
        # Declare once: an agency's latest dossier of an ID number, found by one seek.
        Index("ix_dossiers_agency_applicant", "agency_id", "applicant_id_number", "received_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"))  # who pushed it
    counter_no: Mapped[int]  # as printed on the snapshot
    procedure_code: Mapped[str] = mapped_column(String(40), index=True)
    procedure_name: Mapped[str] = mapped_column(String(500))
    applicant_name: Mapped[str] = mapped_column(String(200))
    # The applicant's ID number as in the snapshot ("" without one): declare once's look-up.
    applicant_id_number: Mapped[str] = mapped_column(
        String(20), default="", server_default=text("''")
    )
    received_at: Mapped[datetime]
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(30))
    # direct | online | postal: papers of direct and postal dossiers are digitised.
    channel: Mapped[str] = mapped_column(String(10), default="direct", server_default="direct")
    # When it was first closed (done, returned, rejected...), None while open: on time means
    # closed_at <= due_at (the due moment no longer moves once closed).
    closed_at: Mapped[datetime | None]
    # sha256 of "<code>:<lookup key>": the key itself is not kept.
    lookup_key_hash: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64))
    # The normalised snapshot as first accepted, without its lookup key.
    snapshot: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Change(Base):
    """One change of a dossier; its id is the cursor of the change feed."""

    __tablename__ = "changes"
    __table_args__ = (
        Index("ix_changes_agency_id", "agency_id", "id"),
        Index("ix_changes_dossier", "dossier_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    dossier_id: Mapped[int] = mapped_column(BigId, ForeignKey("dossiers.id"))
    code: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(10))  # status | due
    status: Mapped[str] = mapped_column(String(30))  # after the change
    due_at: Mapped[datetime]  # after the change
    at: Mapped[datetime]
    by: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(10))  # portal | counter
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    counter_no: Mapped[int | None]
    entry_key: Mapped[str | None] = mapped_column(String(36))
    recorded_at: Mapped[datetime]


class EntryReceipt(Base):
    """An accepted idempotency key: a repeat of it gets this first answer again."""

    __tablename__ = "entry_receipts"
    __table_args__ = (UniqueConstraint("counter_id", "key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"))
    key: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(80))
    content_hash: Mapped[str] = mapped_column(String(64))
    accepted_at: Mapped[datetime]


class AttentionItem(Base):
    """An entry a person must look at (a conflict or a refusal), per counter."""

    __tablename__ = "attention_items"
    __table_args__ = (
        Index("ix_attention_counter_open", "counter_id", "resolved_at"),
        Index("ix_attention_counter_key", "counter_id", "key", "content_hash"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    key: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(80))
    outcome: Mapped[str] = mapped_column(String(10))
    reason: Mapped[dict[str, Any]]
    content_hash: Mapped[str] = mapped_column(String(64))
    entry: Mapped[dict[str, Any]]
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    times: Mapped[int] = mapped_column(default=1)
    resolved_at: Mapped[datetime | None]
    resolution_note: Mapped[str] = mapped_column(Text, default="")


class Procedure(Base):
    __tablename__ = "procedures"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    field_code: Mapped[str] = mapped_column(String(40))
    field_name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))
    processing_time_value: Mapped[float] = mapped_column(Float)
    processing_time_unit: Mapped[str] = mapped_column(String(20))
    processing_time_cutoff: Mapped[str] = mapped_column(String(5), default="")
    fees: Mapped[list[Any]]
    documents: Mapped[list[Any]]
    result_agency: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime]


class CalendarOverride(Base):
    __tablename__ = "calendar_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # day_off | workday
    note: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime]


class MasterData(Base):
    """A published master-data document (catalogue, calendar) with its version."""

    __tablename__ = "master_data"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    version: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)  # the JSON served, ready to send
    label: Mapped[str] = mapped_column(String(64), default="")  # e.g. the catalogue's own version
    updated_at: Mapped[datetime]


class MonthlyCount(Base):
    """The dashboard's rollup: how many dossiers a counter received in a month (Vietnam time)
    that are now in a status, closed late or not.

    Kept in the same transaction as every change of a dossier (``portal.dashboard.rollup``),
    so the dashboard reads thousands of rows where the dossiers are millions.
    """

    __tablename__ = "dashboard_monthly_counts"
    __table_args__ = (
        # Covers the province's month and its chart: read from the index alone.
        Index(
            "ix_dashboard_monthly_counts_month",
            "month",
            "agency_id",
            "counter_no",
            "status",
            "late",
            "n",
        ),
    )

    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    month: Mapped[date] = mapped_column(primary_key=True)  # its first day
    counter_no: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(30), primary_key=True)
    late: Mapped[bool] = mapped_column(primary_key=True)  # closed after its due moment
    n: Mapped[int] = mapped_column(BigInteger)


class PaperCount(Base):
    """The dashboard's dossiers received on paper (directly or by post) in a month (Vietnam
    time) by a counter, and how many of them have a digitised file: one more when a
    dossier's first file is linked."""

    __tablename__ = "dashboard_paper_counts"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    month: Mapped[date] = mapped_column(primary_key=True)  # its first day
    counter_no: Mapped[int] = mapped_column(primary_key=True)
    paper: Mapped[int] = mapped_column(BigInteger, default=0)
    digitised: Mapped[int] = mapped_column(BigInteger, default=0)


class Rating(Base):
    """A citizen's rating of the service when the result was handed back, as the counter
    pushed it (kind ``rating``): the latest one of each dossier."""

    __tablename__ = "ratings"

    dossier_id: Mapped[int] = mapped_column(BigId, ForeignKey("dossiers.id"), primary_key=True)
    level: Mapped[str] = mapped_column(String(16))  # very_satisfied | satisfied | unsatisfied
    reason: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[datetime]  # when the citizen rated
    recorded_at: Mapped[datetime]


class RatingCount(Base):
    """The dashboard's rated dossiers per counter and month of receipt (Vietnam time), and
    how many of them the citizen was satisfied with (very satisfied or satisfied): kept with
    every rating pushed, a replaced rating taken out first."""

    __tablename__ = "dashboard_rating_counts"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    month: Mapped[date] = mapped_column(primary_key=True)  # its first day
    counter_no: Mapped[int] = mapped_column(primary_key=True)
    rated: Mapped[int] = mapped_column(BigInteger, default=0)
    satisfied: Mapped[int] = mapped_column(BigInteger, default=0)


class DailyCount(Base):
    """The dashboard's dossiers received per counter and day (Vietnam time)."""

    __tablename__ = "dashboard_daily_counts"
    __table_args__ = (Index("ix_dashboard_daily_counts_day", "day", "agency_id"),)

    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    counter_no: Mapped[int] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger)


class Official(Base):
    """A supervisor of the province who signs in to the dashboard: the whole province
    (``agency_id`` None) or one commune's agency."""

    __tablename__ = "officials"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    password_hash: Mapped[str] = mapped_column(String(200))  # Argon2id
    active: Mapped[bool] = mapped_column(default=True)
    failed_signins: Mapped[int] = mapped_column(default=0)  # wrong passwords in a row
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime]
    last_signin_at: Mapped[datetime | None]


class OfficialSession(Base):
    """A signed-in browser: the cookie holds this id, signed with the portal's secret."""

    __tablename__ = "official_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class PortalSecret(Base):
    """Secrets the portal makes once and keeps (the session cookies' signing key), so they
    survive a restart and are the same for every worker process."""

    __tablename__ = "portal_secrets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class Handover(Base):
    """A dossier passed from one agency to another (the counter to a processing department,
    one department to another, back to the counter). The agencies' names are kept as they
    were then; its change (kind ``handover``) tells the counters of the agency that received
    the dossier."""

    __tablename__ = "handovers"
    __table_args__ = (Index("ix_handovers_dossier", "dossier_id", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(BigId, ForeignKey("dossiers.id"))
    change_id: Mapped[int] = mapped_column(BigId, ForeignKey("changes.id"), unique=True)
    at: Mapped[datetime]
    from_code: Mapped[str] = mapped_column(String(40))
    from_name: Mapped[str] = mapped_column(String(300))
    to_code: Mapped[str] = mapped_column(String(40))
    to_name: Mapped[str] = mapped_column(String(300))
    by: Mapped[str] = mapped_column(String(100))  # who handed it over
    note: Mapped[str] = mapped_column(String(500), default="")
    recorded_by: Mapped[str] = mapped_column(String(100))  # "admin", or a processing system
    recorded_at: Mapped[datetime]


class ProcessingSystem(Base):
    """A processing system (a department's case software) that records hand-overs through
    the API with a token of its own (``portal.auth``: only the secret's hash is kept)."""

    __tablename__ = "processing_systems"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    token_id: Mapped[str] = mapped_column(String(32), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime | None]
