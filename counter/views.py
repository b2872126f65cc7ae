"""Read-only views of the domain, handed to printing, sync and the desktop UI.

These frozen dataclasses are the only shapes that leave the ``counter`` package:
callers never see ORM rows or sessions.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from datetime import date, datetime
from typing import Any, TypeVar

from counter import naming
from counter.statuses import Status
from protocol.constants import DEFAULT_CUTOFF

_T = TypeVar("_T")


def filled_at_once(cls: type[_T]) -> type[_T]:
    """A frozen dataclass given an ``__init__`` of the same parameters that sets its fields
    in one step, where the generated one sets each through ``object.__setattr__`` (a batch
    of receipts makes several of these a dossier, one of them of dozens of fields). Frozen
    as before: only ``__init__`` writes them."""
    if hasattr(cls, "__post_init__") or "__slots__" in vars(cls):
        raise TypeError(f"{cls.__name__}: a __post_init__ or slots would be passed over")
    params, values, defaults = [], [], {}
    for f in fields(cls):  # type: ignore[arg-type]
        if f.default_factory is not MISSING or not f.init:
            raise TypeError(f"{cls.__name__}.{f.name}: only plain fields and defaults")
        if f.default is MISSING:
            params.append(f.name)
        else:
            defaults[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        values.append(f"{f.name!r}: {f.name}")
    source = (
        f"def __init__(self, {', '.join(params)}):\n"
        f"    self.__dict__.update({{{', '.join(values)}}})\n"
    )
    namespace: dict[str, Any] = {}
    exec(source, dict(defaults), namespace)  # noqa: S102 - made of the class's field names
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    setattr(cls, "__init__", init)  # noqa: B010
    return cls


@dataclass(frozen=True)
class Office:
    """This counter's identity and the wording printed in form headers.

    ``level`` is the kind of office (``counter.naming.LEVELS``; ``district`` in data made
    before 1 July 2025); the names below are derived from the configured ones by
    ``counter.naming``.
    """

    agency_code: str
    agency_name: str
    counter_no: int
    parent_name: str = ""
    level: str = "commune"
    lookup_base_url: str = ""
    place: str = ""  # place name printed before the date: "Hà Nội, ngày ..."
    address: str = ""
    phone: str = ""
    authority_name: str = ""  # the authority the office belongs to, when not the default
    #: (procedure code, processing agency) named in the settings ``agency.<code>``
    agencies: tuple[tuple[str, str], ...] = ()

    @property
    def authority(self) -> str:
        """The authority the office belongs to: "Ủy ban nhân dân xã Hòa Bình", a ministry."""
        return naming.authority(self)

    @property
    def unit(self) -> str:
        """The receiving unit without its place: "Trung tâm Phục vụ hành chính công"."""
        return naming.unit(self)

    @property
    def unit_name(self) -> str:
        """The office in a sentence: "Trung tâm Phục vụ hành chính công xã Hòa Bình"."""
        return naming.unit_name(self)

    @property
    def display_name(self) -> str:
        """The office as a window names it (its unit, and whose when that does not say)."""
        return naming.display_name(self)

    @property
    def letterhead(self) -> tuple[str, ...]:
        """The header's lines at the top left of a form, in capitals."""
        return naming.letterhead(self)

    def agency_for(self, procedure_code: str, catalogue_name: str) -> str:
        """The agency that processes a procedure here (``naming.processing_agency``)."""
        return naming.processing_agency(self, procedure_code, catalogue_name)


@filled_at_once
@dataclass(frozen=True)
class ProcessingTime:
    """A procedure's time limit as it states it (``protocol.PROCESSING_UNITS``)."""

    value: float
    unit: str  # working_days | working_hours | calendar_days | same_day
    cutoff: str = ""  # same_day only: "HH:MM"; empty means the default, 15:00

    @property
    def cutoff_time(self) -> str:
        return self.cutoff or DEFAULT_CUTOFF

    def describe(self, lang: str = "vi") -> str:
        if self.unit == "same_day":
            if lang == "en":
                return f"same day (next working day if received after {self.cutoff_time})"
            return f"trong ngày (tiếp nhận sau {self.cutoff_time} trả ngày làm việc tiếp theo)"
        n = f"{self.value:g}".replace(".", ",") if lang == "vi" else f"{self.value:g}"
        words = {
            "vi": {
                "working_days": "ngày làm việc",
                "working_hours": "giờ làm việc",
                "calendar_days": "ngày",
            },
            "en": {
                "working_days": "working days",
                "working_hours": "working hours",
                "calendar_days": "calendar days",
            },
        }
        return f"{n} {words.get(lang, words['vi'])[self.unit]}"


@dataclass(frozen=True)
class DocumentLine:
    code: str
    name: str
    originals: int = 0
    copies: int = 0
    #: In a procedure: required | conditional | optional (protocol.REQUIREMENTS).
    requirement: str = "required"

    @property
    def required(self) -> bool:
        return self.requirement == "required"


@dataclass(frozen=True)
class RatingView:
    """The citizen's rating of the service at hand-back (``counter.ratings``)."""

    level: str  # very_satisfied | satisfied | unsatisfied
    reason: str  # with unsatisfied alone
    at: datetime
    source: str  # screen (the citizen's screen) | cli (a kiosk's ``rate``)


@dataclass(frozen=True)
class DossierFileView:
    """One version of the digitised pages of a document line (``doc``: a catalogue document
    code, or ``result``), stored as PDF under its SHA-256 (``counter.filestore``)."""

    doc: str
    version: int
    sha256: str
    pages: int
    bytes: int
    source: str  # scan | file | folder
    original_name: str
    by: str
    at: datetime


@dataclass(frozen=True)
class StoredPages:
    """Pages just written to the file store, to be recorded against a document line."""

    sha256: str
    pages: int
    bytes: int
    source: str  # scan | file | folder
    original_name: str = ""


@dataclass(frozen=True)
class FeeLine:
    code: str
    name: str
    amount: int  # whole đồng


@dataclass(frozen=True)
class ProcedureView:
    code: str
    name: str
    field_code: str
    field_name: str
    level: str
    processing_time: ProcessingTime
    fees: tuple[FeeLine, ...] = ()
    documents: tuple[DocumentLine, ...] = ()
    result_agency: str = ""  # as the catalogue names it
    catalog_version: str = ""
    active: bool = True
    #: ``result_agency`` as it resolves at this office (``Office.agency_for``)
    processing_agency: str = ""


@dataclass(frozen=True)
class HandoverView:
    """A hand-over of the dossier from one agency to another, as the portal reported it:
    agency codes and names, who handed it over, when."""

    at: datetime
    from_code: str
    from_name: str
    to_code: str
    to_name: str
    by: str
    note: str = ""


@filled_at_once
@dataclass(frozen=True)
class StatusChange:
    at: datetime
    status: Status
    by: str  # username, or "portal"
    note: str = ""
    source: str = "counter"  # counter | portal


@dataclass(frozen=True)
class DossierSummary:
    """One row of a search result or a list."""

    id: int
    code: str
    applicant_name: str
    procedure_code: str
    procedure_name: str
    status: Status
    received_at: datetime
    due_at: datetime
    is_demo: bool = False


@dataclass(frozen=True)
class KnownApplicant:
    """An applicant's latest details, as a dossier of this counter (``source`` counter) or the
    portal's record of this agency (``portal``) holds them: offered again at intake."""

    applicant_type: str
    name: str
    id_number: str
    id_type: str
    phone: str
    email: str
    address: str
    seen_at: datetime  # when the dossier they come from was received
    source: str = "counter"


@filled_at_once
@dataclass(frozen=True)
class DossierView:
    id: int
    code: str
    agency_code: str
    counter_no: int
    procedure_code: str
    procedure_name: str
    field_name: str
    applicant_type: str  # citizen | organization
    applicant_name: str
    id_number: str
    phone: str
    email: str
    address: str
    channel: str  # direct | online | postal
    sets: int
    received_at: datetime
    due_at: datetime
    status: Status
    lookup_key: str
    lookup_url: str
    processing_time: ProcessingTime
    result_agency: str  # the processing agency as this office names it (Office.agency_for)
    result_delivery: str  # counter | post
    received_by: str  # username of the clerk
    received_by_name: str  # full name of the clerk
    book_volume: str
    book_number: int
    documents: tuple[DocumentLine, ...] = ()
    fees: tuple[FeeLine, ...] = ()
    history: tuple[StatusChange, ...] = ()
    submitter_name: str = ""
    submitter_id_number: str = ""
    submitter_phone: str = ""
    id_type: str = ""  # cccd | cmnd | passport | other; "" for an organisation's tax code
    note: str = ""
    portal_code: str = ""
    is_demo: bool = False
    sync_state: str = "pending"  # local | pending | synced | needs_attention
    portal_confirmed_at: datetime | None = None
    returned_at: datetime | None = None
    updated_at: datetime | None = None
    previous_due_at: datetime | None = None  # the appointment missed, after a rescheduling
    reschedule_reason: str = ""
    restarted_at: datetime | None = None  # supplemented papers received: the clock ran anew
    #: the digitised pages of its papers and of its result, every version, oldest first
    files: tuple[DossierFileView, ...] = ()
    #: hand-overs between agencies pulled from the portal, in the order they happened
    handovers: tuple[HandoverView, ...] = ()
    rating: RatingView | None = None  # the citizen's latest rating, once returned

    @property
    def fees_total(self) -> int:
        return sum(f.amount for f in self.fees)

    @property
    def is_overdue(self) -> bool:
        from counter.clock import now

        return self.status.is_open and self.due_at < now()


@dataclass(frozen=True)
class GuidanceView:
    """An incomplete dossier at the counter: guidance given (Mẫu 02), nothing received yet.

    It has no dossier code and no due date. ``code`` is the guidance id the clerk looks it up
    by (``HD-YYMMDD-XXXX``); ``dossier_code`` is set once the dossier is received from it.
    """

    id: int
    code: str
    guided_at: datetime
    guided_by: str
    guided_by_name: str
    procedure_code: str
    procedure_name: str
    applicant_type: str
    applicant_name: str
    id_type: str
    id_number: str
    phone: str
    address: str
    received: tuple[DocumentLine, ...]
    missing: tuple[DocumentLine, ...]
    note: str = ""
    dossier_code: str = ""
    completed_at: datetime | None = None
    is_demo: bool = False
    lookup_url: str = ""  # nothing to look up before the dossier exists
    #: the applicant as given (``DossierInput`` field names), to fill a form in again
    intake: dict[str, Any] = field(default_factory=dict)

    @property
    def completed(self) -> bool:
        return bool(self.dossier_code)


@dataclass(frozen=True)
class CountLine:
    key: str
    label: str
    received: int = 0
    returned: int = 0
    rejected: int = 0
    withdrawn: int = 0
    fees: int = 0
    rated: int = 0  # rated by their citizen that day (by the clerk who handed back)
    satisfied: int = 0  # of those, very satisfied or satisfied

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.rated if self.rated else None


@dataclass(frozen=True)
class DailySummary:
    """The supervisor's figures for one office day (all counts for that date)."""

    day: date
    office: Office
    received: int
    returned: int
    rejected: int
    withdrawn: int
    returned_on_time: int
    returned_late: int
    pending: int  # open dossiers at the end of the day (any receipt date)
    overdue: int  # open dossiers past due at the end of the day
    fees_collected: int  # fees of dossiers received that day
    guided: int = 0  # incomplete dossiers guided with Mẫu 02 that day (no receipt)
    #: dossiers received that day on paper (directly or by post), and those of them with
    #: pages for every document line received (docs/digitisation.md)
    paper_received: int = 0
    digitised: int = 0
    #: dossiers rated by their citizen that day (``counter.ratings``), and those of them
    #: rated very satisfied or satisfied
    rated: int = 0
    satisfied: int = 0
    #: the audit chain's head when the figures were read ("row:hash prefix"), printed so a
    #: recomputed or shortened chain can be caught later (counter.integrity)
    audit_head: str = ""
    overdue_list: tuple[DossierSummary, ...] = ()
    by_procedure: tuple[CountLine, ...] = ()
    by_clerk: tuple[CountLine, ...] = ()
    intake_last_30_days: tuple[tuple[date, int], ...] = ()
    generated_at: datetime | None = None
    signer_name: str = ""

    @property
    def digitisation_rate(self) -> float | None:
        """ "Tỷ lệ số hóa hồ sơ": digitised ÷ received on paper; None when none was."""
        return self.digitised / self.paper_received if self.paper_received else None

    @property
    def satisfaction_rate(self) -> float | None:
        """ "Tỷ lệ hài lòng": (very) satisfied ÷ rated; None when nobody rated."""
        return self.satisfied / self.rated if self.rated else None


@dataclass(frozen=True)
class BookRow:
    """One row of the tracking book (Mẫu 06)."""

    book_number: int
    code: str
    procedure_name: str
    sets: int
    applicant_name: str
    address: str
    phone: str
    result_agency: str
    received_at: datetime
    due_at: datetime
    transferred_at: datetime | None = None
    result_received_at: datetime | None = None
    returned_at: datetime | None = None
    status: Status = Status.RECEIVED
    #: the agency the dossier was handed over to, and the one its result came back from
    #: (the hand-overs pulled from the portal; "" without them)
    transferred_to: str = ""
    result_from: str = ""
    note: str = ""
    #: every document line received has digitised pages; None: received online (digital)
    digitised: bool | None = None


@dataclass(frozen=True)
class UserView:
    username: str
    full_name: str
    role: str
    active: bool = True
    locked_until: datetime | None = None


@dataclass(frozen=True)
class SyncCounts:
    pending: int = 0
    needs_attention: int = 0
    last_success_at: datetime | None = None


__all__ = [
    "BookRow",
    "CountLine",
    "DailySummary",
    "DocumentLine",
    "DossierSummary",
    "DossierView",
    "FeeLine",
    "Office",
    "ProcedureView",
    "ProcessingTime",
    "StatusChange",
    "SyncCounts",
    "UserView",
]
