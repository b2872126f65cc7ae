"""Receiving dossiers and moving them through their statuses.

Every change is one unit of work: the dossier row, its history row, its search entry, its
audit row and (unless it is demo data) its outbox entry are committed together.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from counter import audit, validation
from counter.accounts import Actor
from counter.clock import iso, now, to_vn
from counter.codes import block_range, format_code, new_lookup_key, next_number
from counter.db import Database
from counter.errors import InvalidInput, NotAllowed, NotFound, Refused
from counter.models import Dossier, DossierHistory, OutboxEntry, Procedure
from counter.statuses import Status, refusal_reason
from counter.text import fold
from counter.views import (
    DocumentLine,
    DossierSummary,
    DossierView,
    FeeLine,
    Office,
    ProcessingTime,
    StatusChange,
)
from counter.workcalendar import WorkCalendar
from protocol.lookup import lookup_url

log = logging.getLogger("counter.dossiers")


@dataclass(frozen=True)
class DossierInput:
    """What a clerk enters at intake. Everything is checked by ``receive``."""

    procedure_code: str
    applicant_name: str
    applicant_type: str = "citizen"
    id_number: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    channel: str | None = "direct"
    received_at: datetime | str | None = None
    sets: int | str | None = 1
    note: str | None = None
    submitter_name: str | None = None
    submitter_id_number: str | None = None
    submitter_phone: str | None = None
    result_delivery: str | None = "counter"
    documents: Sequence[DocumentLine] | None = None  # None: the procedure's required documents
    is_demo: bool = False

    FIELDS = [
        "procedure_code",
        "applicant_name",
        "applicant_type",
        "id_number",
        "phone",
        "email",
        "address",
        "channel",
        "received_at",
        "sets",
        "note",
        "submitter_name",
        "submitter_id_number",
        "submitter_phone",
        "result_delivery",
    ]

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> DossierInput:
        """From a JSON object keyed like the command's long options (``-`` as ``_``)."""
        unknown = sorted(set(data) - set(cls.FIELDS) - {"documents"})
        if unknown:
            raise InvalidInput(
                f"Khóa không được hỗ trợ: {', '.join(unknown)}",
                f"Unsupported keys: {', '.join(unknown)}",
            )
        values: dict[str, Any] = {}
        for key in cls.FIELDS:
            if key in data and data[key] is not None:
                value = data[key]
                if key == "sets":
                    if isinstance(value, bool) or not isinstance(value, int | str):
                        raise InvalidInput(
                            "Số bộ hồ sơ phải là số nguyên", "sets must be a number", field="sets"
                        )
                elif not isinstance(value, str):
                    raise InvalidInput(
                        f"Giá trị của '{key}' phải là chuỗi", f"'{key}' must be a string", field=key
                    )
                values[key] = value
        if "procedure_code" not in values:
            raise InvalidInput(
                "Thiếu mã thủ tục (procedure_code)",
                "procedure_code is missing",
                field="procedure_code",
            )
        if "applicant_name" not in values:
            raise InvalidInput(
                "Thiếu họ tên người nộp (applicant_name)",
                "applicant_name is missing",
                field="applicant_name",
            )
        if "documents" in data:
            docs = data["documents"]
            if not isinstance(docs, list) or not all(isinstance(d, dict) for d in docs):
                raise InvalidInput(
                    "'documents' phải là danh sách", "'documents' must be a list", field="documents"
                )
            try:
                values["documents"] = [
                    DocumentLine(
                        str(d["code"]),
                        str(d.get("name", "")),
                        int(d.get("originals", 0)),
                        int(d.get("copies", 0)),
                    )
                    for d in docs
                ]
            except (KeyError, ValueError, TypeError):
                raise InvalidInput(
                    "Danh sách giấy tờ không hợp lệ", "Invalid documents list", field="documents"
                ) from None
        return cls(**values)


@dataclass(frozen=True)
class CleanIntake:
    procedure_code: str
    applicant_type: str
    applicant_name: str
    id_number: str
    phone: str
    email: str
    address: str
    channel: str
    received_at: datetime
    sets: int
    note: str
    submitter_name: str
    submitter_id_number: str
    submitter_phone: str
    result_delivery: str
    documents: tuple[DocumentLine, ...] | None
    is_demo: bool


def clean_intake(data: DossierInput) -> CleanIntake:
    applicant_type = validation.choice(
        data.applicant_type,
        validation.APPLICANT_TYPES,
        "applicant_type",
        "Loại người nộp",
        "citizen",
    )
    name = (
        validation.organization_name(data.applicant_name)
        if applicant_type == "organization"
        else validation.person_name(data.applicant_name)
    )
    code = (data.procedure_code or "").strip()
    if not code:
        raise InvalidInput("Chưa chọn thủ tục", "No procedure given", field="procedure_code")
    docs = None
    if data.documents is not None:
        docs = tuple(data.documents)
        for d in docs:
            if d.originals < 0 or d.copies < 0 or d.originals + d.copies > 999:
                raise InvalidInput(
                    "Số bản giấy tờ không hợp lệ", "Invalid document counts", field="documents"
                )
    return CleanIntake(
        procedure_code=code,
        applicant_type=applicant_type,
        applicant_name=name,
        id_number=validation.id_number(data.id_number, applicant_type),
        phone=validation.phone(data.phone),
        email=validation.email(data.email),
        address=validation.address(data.address),
        channel=validation.choice(
            data.channel, validation.CHANNELS, "channel", "Kênh nộp", "direct"
        ),
        received_at=validation.received_at(data.received_at),
        sets=validation.sets(data.sets),
        note=validation.note(data.note),
        submitter_name=validation.person_name(
            data.submitter_name, "submitter_name", required=False
        ),
        submitter_id_number=validation.id_number(
            data.submitter_id_number, "citizen", "submitter_id_number"
        ),
        submitter_phone=validation.phone(data.submitter_phone, "submitter_phone"),
        result_delivery=validation.choice(
            data.result_delivery,
            ("counter", "post"),
            "result_delivery",
            "Nơi trả kết quả",
            "counter",
        ),
        documents=docs,
        is_demo=data.is_demo,
    )


def search_key(received_at: datetime, dossier_id: int) -> int:
    """The search index's rowid: receipt time in the high bits, so rowid order is newest first."""
    return (int(received_at.timestamp()) << 20) | (dossier_id & 0xFFFFF)


def search_document(d: Dossier) -> tuple[str, str]:
    names = " ".join(x for x in (d.applicant_name, d.submitter_name) if x)
    ids = " ".join(
        x
        for x in (
            d.code,
            d.portal_code or "",
            d.id_number,
            d.phone,
            d.submitter_id_number,
            d.submitter_phone,
        )
        if x
    )
    return fold(names), fold(ids)


def index_dossier(s: Session, d: Dossier, *, replace_existing: bool = False) -> None:
    name, ids = search_document(d)
    if replace_existing:
        s.execute(text("DELETE FROM dossier_search WHERE rowid = :r"), {"r": d.search_key})
    s.execute(
        text("INSERT INTO dossier_search(rowid, name, ids) VALUES (:r, :n, :i)"),
        {"r": d.search_key, "n": name, "i": ids},
    )


def _documents(rows: list[Any]) -> tuple[DocumentLine, ...]:
    return tuple(
        DocumentLine(r["code"], r["name"], r.get("originals", 0), r.get("copies", 0)) for r in rows
    )


def _fees(rows: list[Any]) -> tuple[FeeLine, ...]:
    return tuple(FeeLine(r["code"], r["name"], r["amount"]) for r in rows)


def summary_of(d: Dossier) -> DossierSummary:
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


def snapshot(d: Dossier) -> dict[str, Any]:
    """The dossier as the portal must learn it (the wire format's dossier entry)."""
    return {
        "code": d.code,
        "agency_code": d.agency_code,
        "counter_no": d.counter_no,
        "procedure_code": d.procedure_code,
        "procedure_name": d.procedure_name,
        "applicant": {
            "type": d.applicant_type,
            "name": d.applicant_name,
            "id_number": d.id_number,
            "phone": d.phone,
            "email": d.email,
            "address": d.address,
        },
        "submitter": (
            {
                "name": d.submitter_name,
                "id_number": d.submitter_id_number,
                "phone": d.submitter_phone,
            }
            if d.submitter_name
            else None
        ),
        "channel": d.channel,
        "sets": d.sets,
        "received_at": iso(d.received_at),
        "due_at": iso(d.due_at),
        "status": d.status,
        "status_code": Status(d.status).number,
        "lookup_key": d.lookup_key,
        "documents": d.documents,
        "fees": d.fees,
        "note": d.note,
        "received_by": d.received_by,
    }


def enqueue(s: Session, d: Dossier, kind: str, payload: dict[str, Any], moment: datetime) -> None:
    """Queue what the portal must learn, in the caller's transaction. Demo data stays here."""
    if d.is_demo:
        return
    s.add(
        OutboxEntry(
            kind=kind,
            dossier_id=d.id,
            idempotency_key=str(uuid.uuid4()),
            payload=json.dumps(payload, ensure_ascii=False, sort_keys=True),
            state="pending",
            attempts=0,
            created_at=moment,
            last_error="",
        )
    )
    if d.sync_state != "needs_attention":
        d.sync_state = "pending"


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

    def receive(self, actor: Actor, data: DossierInput) -> DossierView:
        clean = clean_intake(data)
        with self.db.unit_of_work() as s:
            dossier = self._insert(s, actor, clean, self._office())
            view = self._view(s, dossier)
        log.info("received dossier %s", view.code)
        return view

    def receive_many(
        self, actor: Actor, items: Sequence[DossierInput], line_numbers: Sequence[int] | None = None
    ) -> list[DossierView]:
        """All or nothing: one bad item refuses the whole batch, naming its line."""
        lines = list(line_numbers) if line_numbers else list(range(1, len(items) + 1))
        cleaned: list[CleanIntake] = []
        for n, item in zip(lines, items, strict=True):
            try:
                cleaned.append(clean_intake(item))
            except Refused as exc:
                raise at_line(exc, n) from None
        office = self._office()
        with self.db.unit_of_work() as s:
            views = []
            for n, clean in zip(lines, cleaned, strict=True):
                try:
                    dossier = self._insert(s, actor, clean, office)
                except Refused as exc:
                    raise at_line(exc, n) from None
                views.append(self._view(s, dossier))
        return views

    def _insert(self, s: Session, actor: Actor, c: CleanIntake, office: Office) -> Dossier:
        proc = s.get(Procedure, c.procedure_code)
        if proc is None or not proc.active:
            raise NotFound(
                f"Không có thủ tục mã '{c.procedure_code}' trong danh mục",
                f"No procedure '{c.procedure_code}' in the catalogue",
                field="procedure_code",
            )
        calendar = self._calendar(s)
        due = calendar.due_at(c.received_at, ProcessingTime(proc.time_value, proc.time_unit))
        day = c.received_at.date()
        lo, hi = block_range(office.counter_no, self._block_size())
        last = s.scalar(
            select(func.max(Dossier.seq_no)).where(
                Dossier.receipt_day == day, Dossier.seq_no.between(lo, hi)
            )
        )
        number = next_number(last, office.counter_no, self._block_size())
        code = format_code(office.agency_code, day, number)
        year = day.year
        book_last = s.scalar(select(func.max(Dossier.book_number)).where(Dossier.book_year == year))
        documents = (
            [
                {"code": d.code, "name": d.name, "originals": d.originals, "copies": d.copies}
                for d in c.documents
            ]
            if c.documents is not None
            else list(proc.documents)
        )
        moment = now()
        d = Dossier(
            code=code,
            agency_code=office.agency_code,
            counter_no=office.counter_no,
            receipt_day=day,
            seq_no=number,
            book_year=year,
            book_number=(book_last or 0) + 1,
            procedure_code=proc.code,
            procedure_name=proc.name,
            field_name=proc.field_name,
            time_value=proc.time_value,
            time_unit=proc.time_unit,
            result_agency=proc.result_agency,
            result_delivery=c.result_delivery,
            applicant_type=c.applicant_type,
            applicant_name=c.applicant_name,
            id_number=c.id_number,
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
            documents=documents,
            fees=list(proc.fees),
            fees_total=sum(int(f["amount"]) for f in proc.fees),
            received_by=actor.username,
            is_demo=c.is_demo,
            sync_state="local" if c.is_demo else "pending",
            updated_at=moment,
            search_key=0,
        )
        s.add(d)
        s.flush()
        d.search_key = search_key(d.received_at, d.id)
        index_dossier(s, d)
        s.add(
            DossierHistory(
                dossier_id=d.id,
                at=c.received_at,
                status=d.status,
                by_user=actor.username,
                note=c.note,
                source="counter",
            )
        )
        audit.append(
            s,
            actor.username,
            "dossier.receive",
            "dossier",
            code,
            {"procedure": proc.code, "due_at": iso(due), "demo": c.is_demo},
        )
        enqueue(s, d, "dossier", snapshot(d), moment)
        s.flush()
        return d

    # -- reading --------------------------------------------------------------------------

    def _load(self, s: Session, code: str) -> Dossier:
        key = code.strip().upper()
        d = s.scalar(select(Dossier).where(Dossier.code == key))
        if d is None:
            d = s.scalar(select(Dossier).where(Dossier.portal_code == key))
        if d is None:
            raise NotFound(f"Không tìm thấy hồ sơ mã '{code}'", f"No dossier with code '{code}'")
        return d

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
        history = s.scalars(
            select(DossierHistory)
            .where(DossierHistory.dossier_id == d.id)
            .order_by(DossierHistory.at, DossierHistory.id)
        ).all()
        from counter.models import User  # local: only the clerk's display name is needed

        clerk = s.scalar(select(User.full_name).where(User.username == d.received_by))
        office = self._office()
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
            phone=d.phone,
            email=d.email,
            address=d.address,
            channel=d.channel,
            sets=d.sets,
            received_at=d.received_at,
            due_at=d.due_at,
            status=Status(d.status),
            lookup_key=d.lookup_key,
            lookup_url=lookup_url(office.lookup_base_url, d.code, d.lookup_key),
            processing_time=ProcessingTime(d.time_value, d.time_unit),
            result_agency=d.result_agency,
            result_delivery=d.result_delivery,
            received_by=d.received_by,
            received_by_name=clerk or d.received_by,
            book_volume=self._book_volume(d.book_year),
            book_number=d.book_number,
            documents=_documents(d.documents),
            fees=_fees(d.fees),
            history=tuple(
                StatusChange(h.at, Status(h.status), h.by_user, h.note, h.source) for h in history
            ),
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
            reschedule_reason=d.reschedule_reason or "",
        )

    def recent_same_applicant(
        self, id_number: str, procedure_code: str, days: int = 30, at: datetime | None = None
    ) -> list[DossierSummary]:
        """Dossiers of the same ID number and procedure in the last ``days``: a hint at intake."""
        if not id_number:
            return []
        since = (at or now()) - timedelta(days=days)
        with self.db.reading() as s:
            rows = s.scalars(
                select(Dossier)
                .where(
                    Dossier.id_number == id_number,
                    Dossier.procedure_code == procedure_code,
                    Dossier.received_at >= since,
                )
                .order_by(Dossier.received_at.desc())
                .limit(10)
            ).all()
            return [summary_of(d) for d in rows]

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
        with self.db.unit_of_work() as s:
            d = self._load(s, code)
            current = Status(d.status)
            reason = refusal_reason(current, target, actor.role)
            if reason:
                raise NotAllowed(reason, refusal_reason(current, target, actor.role, "en"))
            moment = to_vn(at) if at else now()
            self._apply_status(s, d, target, moment, actor.username, clean_note, "counter")
            audit.append(
                s,
                actor.username,
                "dossier.status",
                "dossier",
                d.code,
                {"from": current.value, "to": target.value, "note": clean_note},
            )
            enqueue(
                s,
                d,
                "status",
                {
                    "code": d.code,
                    "status": target.value,
                    "status_code": target.number,
                    "at": iso(moment),
                    "by": actor.username,
                    "note": clean_note,
                },
                moment,
            )
            return self._view(s, d)

    @staticmethod
    def _apply_status(
        s: Session, d: Dossier, target: Status, moment: datetime, by: str, note: str, source: str
    ) -> None:
        d.status = target.value
        d.status_changed_at = moment
        d.updated_at = now()
        if target is Status.RETURNED:
            d.returned_at = moment
        if not target.is_open and d.closed_at is None:
            d.closed_at = moment
        s.add(
            DossierHistory(
                dossier_id=d.id,
                at=moment,
                status=target.value,
                by_user=by,
                note=note,
                source=source,
            )
        )

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
            old = d.due_at
            moment = now()
            d.previous_due_at = old
            d.reschedule_reason = clean_reason
            d.due_at = due
            d.updated_at = moment
            s.add(
                DossierHistory(
                    dossier_id=d.id,
                    at=moment,
                    status=d.status,
                    by_user=actor.username,
                    note=f"Hẹn lại: {iso(due)}. Lý do: {clean_reason}",
                    source="counter",
                )
            )
            audit.append(
                s,
                actor.username,
                "dossier.reschedule",
                "dossier",
                d.code,
                {"from": iso(old), "to": iso(due), "reason": clean_reason},
            )
            enqueue(
                s,
                d,
                "due_change",
                {
                    "code": d.code,
                    "due_at": iso(due),
                    "reason": clean_reason,
                    "at": iso(moment),
                    "by": actor.username,
                },
                moment,
            )
            return self._view(s, d)

    def record_print(self, actor_name: str, code: str, kind: str, destination: str) -> None:
        """Every print and reprint of a dossier's form is in the audit trail."""
        with self.db.unit_of_work() as s:
            d = self._load(s, code)
            count = (
                s.scalar(
                    text(
                        "SELECT count(*) FROM audit_log WHERE action = 'dossier.print' "
                        "AND entity_key = :c"
                    ),
                    {"c": d.code},
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
            )


def _parse_due(value: datetime | str) -> datetime:
    if isinstance(value, datetime):
        return to_vn(value)
    try:
        from counter.clock import parse_datetime

        return parse_datetime(value)
    except ValueError:
        raise InvalidInput(
            f"Ngày hẹn không hợp lệ: '{value}'", f"Invalid due date: '{value}'", field="due_at"
        ) from None


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


def at_line(exc: Refused, line: int) -> Refused:
    """The same refusal, saying which line of a file it came from."""
    return type(exc)(
        f"dòng {line}: {exc.message_vi}", f"line {line}: {exc.message_en}", field=exc.field
    )
