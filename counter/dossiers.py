"""Receiving dossiers and moving them through their statuses.

Every change is one unit of work: the dossier row, its history row, its search entry, its
audit row and (unless it is demo data) its outbox entry are committed together.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from counter import applicants, audit, receiving, validation, versions, workcalendar
from counter.accounts import Actor
from counter.changes import apply_due, apply_status, enqueue, restart_clock
from counter.clock import iso, now, to_vn
from counter.codes import block_range, format_code, new_lookup_key, next_number
from counter.db import Database
from counter.errors import InvalidInput, NotAllowed, NotFound, Refused
from counter.intake import CleanIntake, DossierInput, at_line, clean_intake
from counter.models import AuditRow, Dossier, Procedure
from counter.repository import dossier_view, get_dossier, receipt_line, summary_of, view_of
from counter.search import ids_holding, search_key
from counter.serialize import (
    document_json,
    documents_of,
    due_change_json,
    fees_of,
    status_change_json,
)
from counter.statuses import Status, refusal_reason
from counter.storage import AUDIT_KIND_NUMBERS
from counter.views import (
    DocumentLine,
    DossierSummary,
    DossierView,
    KnownApplicant,
    Office,
    ProcessingTime,
)
from counter.workcalendar import WorkCalendar
from protocol.batching import collector_paused

__all__ = ["DossierInput", "DossierService", "next_in_block", "parse_status", "sort_documents"]

log = logging.getLogger("counter.dossiers")


class DossierService:
    def __init__(
        self,
        db: Database,
        office: Callable[[], Office],
        calendar: Callable[[Session], WorkCalendar],
        block_size: Callable[[], int],
        book_volume: Callable[[int], str],
    ):
        self.db = db
        self._office = office
        self._calendar = calendar
        self._block_size = block_size
        self._book_volume = book_volume

    # -- intake ---------------------------------------------------------------------------

    def receive(
        self,
        actor: Actor,
        data: DossierInput,
        then: Callable[[Session, DossierView], None] | None = None,
    ) -> DossierView:
        """Receive one complete dossier. ``then`` runs in the same transaction, after the
        dossier is stored (receiving from a guidance record marks that record with it)."""
        clean = clean_intake(data)
        workcalendar.prepare([clean.received_at.date()])  # before the write lock is taken
        with self.db.unit_of_work() as s:
            view = self._receive(s, actor, [clean])[0]
            if then is not None:
                then(s, view)
        log.info("received dossier %s", view.code)
        return view

    def receive_many(
        self, actor: Actor, items: Sequence[DossierInput], line_numbers: Sequence[int] | None = None
    ) -> list[DossierView]:
        """All or nothing: one bad item refuses the whole batch, naming its line. Python's
        cycle collector is held off meanwhile (``collector_paused``): a batch's rows and
        texts, freed once written, made it go over every object again and again (a batch of
        1,000 at a million dossiers: median 189 ms with it, 171 without)."""
        lines = list(line_numbers) if line_numbers else list(range(1, len(items) + 1))
        with collector_paused():
            cleaned: list[CleanIntake] = []
            at = now()  # the batch's moment, which its lines are checked against
            for n, item in zip(lines, items, strict=True):
                try:
                    cleaned.append(clean_intake(item, at))
                except Refused as exc:
                    raise at_line(exc, n) from None
            workcalendar.prepare(c.received_at.date() for c in cleaned)
            with self.db.unit_of_work() as s:
                return self._receive(s, actor, cleaned, lines)

    def _receive(
        self,
        s: Session,
        actor: Actor,
        cleaned: Sequence[CleanIntake],
        lines: Sequence[int] | None = None,
    ) -> list[DossierView]:
        """Number, date and store the dossiers (``counter.receiving`` writes their rows)."""
        office = self._office()
        conn = receiving.driver(s)
        numbers = receiving.Numbers(
            conn, office.counter_no, self._block_size(), s.connection().dialect
        )
        calendar = self._calendar(s)
        procedures: dict[str, SimpleNamespace] = {}
        papers: dict[tuple[str, tuple[DocumentLine, ...] | None], Papers] = {}
        moment = now()
        received: list[tuple[SimpleNamespace, receiving.AuditLine]] = []
        for i, c in enumerate(cleaned):
            try:
                proc = procedures.get(c.procedure_code)
                if proc is None:
                    proc = _procedure(conn, c.procedure_code)
                    proc.fees = list(proc.fees)  # the batch's own list, its dossiers share it
                    proc.processing_time = ProcessingTime(
                        proc.time_value, proc.time_unit, proc.time_cutoff
                    )
                    procedures[proc.code] = proc
                given = None if c.documents is None else tuple(c.documents)
                # a batch's dossiers of one procedure mostly hand in the same papers
                held = papers.get((proc.code, given))
                if held is None:
                    documents = [document_json(d) for d in received_documents(given, proc)]
                    held = papers[(proc.code, given)] = Papers(
                        documents, versions.pack(documents, proc.documents)
                    )
                d = self._dossier(actor, c, proc, held, office, numbers, calendar, moment)
            except Refused as exc:
                if lines is None:
                    raise
                raise at_line(exc, lines[i]) from None
            details = {"procedure": proc.code, "due_at": iso(d.due_at), "demo": c.is_demo}
            received.append((d, (actor.username, "dossier.receive", d.code, details)))
        receiving.write(s, received, moment)
        clerk = receiving.full_name(conn, actor.username)
        volumes: dict[int, str] = {}

        def volume(year: int) -> str:
            if year not in volumes:
                volumes[year] = self._book_volume(year)
            return volumes[year]

        # the lines of the papers and fees a batch's dossiers share, made once
        document_lines = {id(p.documents): documents_of(p.documents) for p in papers.values()}
        fee_lines = {code: fees_of(p.fees) for code, p in procedures.items()}
        return [
            dossier_view(
                d,
                (receipt_line(d),),
                clerk or actor.username,
                office,
                office.lookup_base_url,
                volume,
                (),
                documents=document_lines[id(d.documents)],
                fees=fee_lines[d.procedure_code],
            )
            for d, _ in received
        ]

    def _dossier(
        self,
        actor: Actor,
        c: CleanIntake,
        proc: SimpleNamespace,
        papers: Papers,
        office: Office,
        numbers: receiving.Numbers,
        calendar: WorkCalendar,
        moment: datetime,
    ) -> SimpleNamespace:
        """The dossier as received: its code, book number, due date, papers and fees, every
        column of its row (``counter.receiving`` writes it)."""
        due = calendar.due_at(c.received_at, proc.processing_time)
        day = c.received_at.date()
        number = numbers.code_number(day)
        dossier_id = numbers.dossier_id()
        return SimpleNamespace(
            id=dossier_id,
            code=format_code(office.agency_code, day, number),
            portal_code=None,
            agency_code=office.agency_code,
            counter_no=office.counter_no,
            receipt_day=day,
            seq_no=number,
            book_year=day.year,
            book_number=numbers.book_number(day.year),
            procedure_code=proc.code,
            procedure_version=proc.version,
            procedure_name=proc.name,
            field_name=proc.field_name,
            time_value=proc.time_value,
            time_unit=proc.time_unit,
            time_cutoff=proc.time_cutoff,
            result_agency=proc.result_agency,
            result_delivery=c.result_delivery,
            applicant_type=c.applicant_type,
            applicant_name=c.applicant_name,
            id_number=c.id_number,
            id_type=c.id_type,
            phone=c.phone,
            email=c.email,
            address=c.address,
            submitter_name=c.submitter_name,
            submitter_id_number=c.submitter_id_number,
            submitter_phone=c.submitter_phone,
            channel=c.channel,
            sets=c.sets,
            received_at=c.received_at,
            due_at=due,
            status=Status.RECEIVED.value,
            status_changed_at=c.received_at,
            lookup_key=new_lookup_key(),
            note=c.note,
            documents=papers.documents,
            papers=papers.stored,
            fees=proc.fees,
            fees_total=proc.fees_total,
            received_by=actor.username,
            is_demo=c.is_demo,
            sync_state="local" if c.is_demo else "pending",
            portal_confirmed_at=None,
            returned_at=None,
            closed_at=None,
            previous_due_at=None,
            reschedule_reason="",
            restarted_at=None,
            updated_at=moment,
            search_key=search_key(c.received_at, dossier_id),
            # rated by the citizen once the result is handed back (``counter.ratings``)
            rating_level=None,
            rating_reason=None,
            rated_at=None,
            rating_source=None,
        )

    # -- reading --------------------------------------------------------------------------

    def _load(self, s: Session, code: str) -> Dossier:
        return get_dossier(s, code)

    def get(self, code: str) -> DossierView:
        with self.db.reading() as s:
            return self._view(s, self._load(s, code))

    def exists(self, code: str) -> bool:
        try:
            self.get(code)
        except NotFound:
            return False
        return True

    def _view(self, s: Session, d: Dossier) -> DossierView:
        return view_of(s, d, self._office().lookup_base_url, self._book_volume)

    def latest_applicant(self, id_number: str | None) -> KnownApplicant | None:
        """Declare once: the newest details of this counter's own dossiers of that number."""
        return applicants.latest_applicant(self.db, id_number)

    def recent_same_applicant(
        self, id_number: str, procedure_code: str, days: int = 30, at: datetime | None = None
    ) -> list[DossierSummary]:
        """Dossiers of the same ID number and procedure in the last ``days``: a hint at intake."""
        if not id_number:
            return []
        since = (at or now()) - timedelta(days=days)
        with self.db.reading() as s:
            # the number's few dossiers by id (the search index finds them), then the rest
            # in Python: a condition SQLite could answer from an index of its own would have
            # it walk that index instead
            held = s.scalars(
                select(Dossier).where(
                    Dossier.id.in_(ids_holding(s, id_number)), Dossier.id_number == id_number
                )
            ).all()
            rows = sorted(
                (d for d in held if d.procedure_code == procedure_code and d.received_at >= since),
                key=lambda d: d.received_at,
                reverse=True,
            )
            return [summary_of(d) for d in rows[:10]]

    # -- changes --------------------------------------------------------------------------

    def set_status(
        self,
        actor: Actor,
        code: str,
        status: Status | str,
        note: str | None = None,
        at: datetime | None = None,
    ) -> DossierView:
        target = parse_status(status)
        clean_note = validation.note(note)
        if target is Status.STOPPED and not clean_note:
            # The stop notice (Mẫu 05) tells the citizen why; it cannot go out without a reason.
            raise InvalidInput(
                "Cần ghi lý do dừng giải quyết hồ sơ (in trên thông báo Mẫu 05)",
                "A reason is needed to stop processing (it is printed on the notice, Mẫu 05)",
                field="note",
            )
        with self.db.unit_of_work() as s:
            d = self._load(s, code)
            current = Status(d.status)
            reason = refusal_reason(current, target, actor.role)
            if reason:
                raise NotAllowed(reason, refusal_reason(current, target, actor.role, "en"))
            moment = to_vn(at) if at else now()
            restart = current is Status.SUPPLEMENT_REQUESTED and target is Status.RECEIVED
            due = self._restarted_due(s, d, moment) if restart else None
            if due is not None:
                clean_note = restart_note(moment, due, clean_note)
            action, key, details = apply_status(
                s, d, target, moment, actor.username, clean_note, "counter"
            )
            payload = status_change_json(d.code, target, moment, actor.username, clean_note)
            enqueue(s, d, "status", payload, moment)
            audit.append(s, actor.username, action, "dossier", key, details, subject=d)
            if due is not None:
                # The supplemented papers are in: the time limit runs again from now.
                action, key, details = restart_clock(s, d, moment, due)
                reason = RESTART_REASON.format(at=moment.strftime("%H:%M %d/%m/%Y"))
                payload = due_change_json(d.code, due, reason, moment, actor.username)
                enqueue(s, d, "due_change", payload, moment)
                audit.append(s, actor.username, action, "dossier", key, details, subject=d)
            return self._view(s, d)

    def _restarted_due(self, s: Session, d: Dossier, moment: datetime) -> datetime:
        limit = ProcessingTime(d.time_value, d.time_unit, d.time_cutoff)
        return self._calendar(s).due_at(moment, limit)

    def reschedule(
        self, actor: Actor, code: str, new_due_at: datetime | str, reason: str
    ) -> DossierView:
        """A new appointment (with the apology letter, Mẫu 04): the due moment moves later."""
        due = _parse_due(new_due_at)
        clean_reason = validation.note(reason, "reason")
        if not clean_reason:
            raise InvalidInput(
                "Cần ghi lý do chậm trả kết quả", "A reason for the delay is needed", field="reason"
            )
        with self.db.unit_of_work() as s:
            d = self._load(s, code)
            if not Status(d.status).is_open:
                raise NotAllowed(
                    f"Hồ sơ '{d.code}' đã ở trạng thái '{Status(d.status).label_vi}', "
                    "không hẹn lại",
                    f"Dossier '{d.code}' is '{Status(d.status).label_en}': no new appointment",
                )
            if due <= d.due_at:
                raise InvalidInput(
                    "Ngày hẹn mới phải sau ngày hẹn cũ",
                    "The new due date must be after the old one",
                    field="due_at",
                )
            moment = now()
            action, key, details = apply_due(
                s, d, due, clean_reason, moment, actor.username, "counter"
            )
            payload = due_change_json(d.code, due, clean_reason, moment, actor.username)
            enqueue(s, d, "due_change", payload, moment)
            audit.append(s, actor.username, action, "dossier", key, details, subject=d)
            return self._view(s, d)

    def record_print(self, actor_name: str, code: str, kind: str, destination: str) -> None:
        """Every print and reprint of a dossier's form is in the audit trail."""
        with self.db.unit_of_work() as s:
            d = self._load(s, code)
            # by the index of prints (``ix_audit_rows_prints``): the trail is millions of rows
            count = (
                s.scalar(
                    select(func.count())
                    .select_from(AuditRow)
                    .where(
                        AuditRow.kind == AUDIT_KIND_NUMBERS["dossier.print", "dossier"],
                        AuditRow.dossier_id == d.id,
                    )
                )
                or 0
            )
            audit.append(
                s,
                actor_name,
                "dossier.print",
                "dossier",
                d.code,
                {"kind": kind, "destination": destination, "copy": count + 1},
                subject=d,
            )


class Papers(NamedTuple):
    """The papers a dossier was received with: as lines (``document_json``), and as its row
    keeps them (``versions.pack``)."""

    documents: list[dict[str, Any]]
    stored: str | None


def _procedure(conn: sqlite3.Connection, code: str) -> SimpleNamespace:
    proc = receiving.procedure(conn, code)
    if proc is None or not proc.active:
        raise NotFound(
            f"Không có thủ tục mã '{code}' trong danh mục",
            f"No procedure '{code}' in the catalogue",
            field="procedure_code",
        )
    return proc


def next_in_block(
    s: Session, seq: Any, day_column: Any, day: date, counter_no: int, block_size: int
) -> int:
    """The next number of this counter's block on ``day`` (``counter.codes``), for a table
    that numbers its rows per day in ``seq`` (dossier codes, guidance ids)."""
    lo, hi = block_range(counter_no, block_size)
    last = s.scalar(select(func.max(seq)).where(day_column == day, seq.between(lo, hi)))
    return next_number(last, counter_no, block_size)


def _parse_due(value: datetime | str) -> datetime:
    """A due moment the wire carries (``validation.when``)."""
    return validation.when(value, "due_at", "Ngày hẹn", "The due date")


def parse_status(value: Status | str) -> Status:
    if isinstance(value, Status):
        return value
    try:
        return Status(value.strip())
    except ValueError:
        names = ", ".join(s.value for s in Status)
        raise InvalidInput(
            f"Trạng thái không hợp lệ: '{value}' (một trong: {names})",
            f"Invalid status: '{value}' (one of: {names})",
            field="status",
        ) from None


def received_documents(
    given: Sequence[DocumentLine] | None, procedure: Procedure | SimpleNamespace
) -> list[DocumentLine]:
    """The papers handed in, checked against the procedure's list.

    Not given: every required document of the procedure. Given by code (a name or counts left
    out are the catalogue's): each must be one of the procedure's documents, and every
    required one must be there, or the dossier is not complete and gets no receipt (Mẫu 01):
    the clerk guides the citizen with Mẫu 02 instead (``counter.guidance``).
    """
    received, missing = sort_documents(given, procedure)
    if missing:
        names = "; ".join(f"{d.code} ({d.name})" for d in missing)
        raise InvalidInput(
            f"Hồ sơ chưa đủ giấy tờ bắt buộc: {names}. Chưa cấp giấy tiếp nhận; hướng dẫn "
            "công dân bổ sung, hoàn thiện hồ sơ (Mẫu 02)",
            f"Required documents missing: {names}. No receipt yet; guide the citizen to "
            "complete the dossier (Mẫu 02)",
            field="documents",
        )
    return received


def sort_documents(
    given: Sequence[DocumentLine] | None, procedure: Procedure | SimpleNamespace
) -> tuple[list[DocumentLine], list[DocumentLine]]:
    """The papers handed in (checked as ``received_documents`` says) and the required ones
    still missing, with the counts the catalogue asks for."""
    listed = documents_of(procedure.documents)
    if given is None:
        required = [d for d in listed if d.required]
        return [DocumentLine(d.code, d.name, d.originals, d.copies) for d in required], []
    if not listed:
        # The catalogue lists no papers: those handed in go as typed, named by their code
        # when no name was given (the portal needs a name on each).
        return [DocumentLine(g.code, g.name or g.code, g.originals, g.copies) for g in given], []
    by_code = {d.code: d for d in listed}
    received: list[DocumentLine] = []
    for g in given:
        need = by_code.get(g.code)
        if need is None:
            raise InvalidInput(
                f"Thủ tục {procedure.code} không có giấy tờ mã '{g.code}'",
                f"Procedure {procedure.code} has no document '{g.code}'",
                field="documents",
            )
        counted = g.originals or g.copies
        received.append(
            DocumentLine(
                g.code,
                g.name or need.name,
                g.originals if counted else need.originals,
                g.copies if counted else need.copies,
            )
        )
    have = {r.code for r in received}
    missing = [
        DocumentLine(d.code, d.name, d.originals, d.copies)
        for d in listed
        if d.required and d.code not in have
    ]
    return received, missing


#: Why the due date moved when supplemented papers are received (to the portal, in history).
RESTART_REASON = "Tiếp nhận lại hồ sơ đã bổ sung lúc {at}: thời hạn giải quyết tính lại"


def restart_note(moment: datetime, due: datetime, note: str) -> str:
    head = (
        f"Tiếp nhận lại hồ sơ đã bổ sung, đủ giấy tờ; hẹn trả mới: {due.strftime('%H:%M %d/%m/%Y')}"
    )
    return f"{head}. {note}" if note else head
