"""Guidance for an incomplete dossier, and receiving the dossier once it is complete.

A citizen who hands in a dossier without every required paper gets no receipt: the clerk
guides them with the request to supplement and complete the dossier (Mẫu 02, Circular
03/2025/TT-VPCP) and records the guidance: who, when, which procedure, which applicant,
which papers were shown and which are missing. It has no dossier code and no due date;
its id (``HD-YYMMDD-XXXX``, numbered in this counter's block as dossier codes are) is
printed on Mẫu 02. When the citizen comes back with the papers, the clerk receives the
dossier from it: the applicant is filled in from the record and the due date counts from
that moment.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter import audit
from counter.accounts import Actor
from counter.clock import iso, now
from counter.db import Database
from counter.dossiers import DossierService, next_in_block, sort_documents
from counter.errors import InvalidInput, NotAllowed, NotFound
from counter.intake import DossierInput, clean_intake
from counter.models import Guidance, Procedure, User
from counter.serialize import document_json, documents_of
from counter.views import DocumentLine, DossierView, GuidanceView, Office

GUIDANCE_ID = re.compile(r"HD-(?P<day>\d{6})-(?P<number>\d{4})")

#: The applicant fields a guidance record keeps, to fill the dossier in when it is received.
APPLICANT_FIELDS = (
    "applicant_type",
    "applicant_name",
    "id_type",
    "id_number",
    "phone",
    "email",
    "address",
    "channel",
    "sets",
    "note",
    "submitter_name",
    "submitter_id_number",
    "submitter_phone",
    "result_delivery",
)


def looks_like_guidance_id(text: str) -> bool:
    return GUIDANCE_ID.fullmatch(text.strip().upper()) is not None


def format_guidance_id(day: date, number: int) -> str:
    return f"HD-{day:%y%m%d}-{number:04d}"


class GuidanceService:
    def __init__(
        self,
        db: Database,
        office: Callable[[], Office],
        block_size: Callable[[], int],
        dossiers: DossierService,
    ):
        self.db = db
        self._office = office
        self._block_size = block_size
        self._dossiers = dossiers

    def guide(self, actor: Actor, data: DossierInput) -> GuidanceView:
        """Record guidance for an incomplete dossier; ``data.documents`` lists what was shown.

        Refused when nothing required is missing: a complete dossier is received (Mẫu 01).
        """
        if data.documents is None:
            raise InvalidInput(
                "Cần ghi các giấy tờ công dân đã xuất trình (có thể để trống)",
                "List the papers the citizen showed (the list may be empty)",
                field="documents",
            )
        clean = clean_intake(data)
        office = self._office()
        with self.db.unit_of_work() as s:
            proc = s.get(Procedure, clean.procedure_code)
            if proc is None or not proc.active:
                raise NotFound(
                    f"Không có thủ tục mã '{clean.procedure_code}' trong danh mục",
                    f"No procedure '{clean.procedure_code}' in the catalogue",
                    field="procedure_code",
                )
            received, missing = sort_documents(clean.documents, proc)
            if not missing:
                raise NotAllowed(
                    "Hồ sơ đã đủ giấy tờ bắt buộc: tiếp nhận và cấp giấy tiếp nhận (Mẫu 01)",
                    "Every required paper is there: receive the dossier and print its "
                    "receipt (Mẫu 01)",
                    field="documents",
                )
            moment = clean.received_at
            day = moment.date()
            number = next_in_block(
                s, Guidance.seq_no, Guidance.guided_day, day, office.counter_no, self._block_size()
            )
            intake = {k: getattr(clean, k) for k in APPLICANT_FIELDS}
            g = Guidance(
                guidance_id=format_guidance_id(day, number),
                counter_no=office.counter_no,
                guided_day=day,
                seq_no=number,
                guided_at=moment,
                guided_by=actor.username,
                procedure_code=proc.code,
                procedure_name=proc.name,
                applicant_type=clean.applicant_type,
                applicant_name=clean.applicant_name,
                id_number=clean.id_number,
                phone=clean.phone,
                intake=intake,
                received=[document_json(d) for d in received],
                missing=[document_json(d) for d in missing],
                note=clean.note,
                is_demo=clean.is_demo,
            )
            s.add(g)
            s.flush()
            audit.append(
                s,
                actor.username,
                "guidance.record",
                "guidance",
                g.guidance_id,
                {"procedure": proc.code, "missing": [d.code for d in missing]},
            )
            return _view(s, g)

    def get(self, guidance_id: str) -> GuidanceView:
        with self.db.reading() as s:
            return _view(s, _load(s, guidance_id))

    def recent(self, limit: int = 50, open_only: bool = True) -> list[GuidanceView]:
        """The latest guidance records, newest first; by default those not received yet."""
        with self.db.reading() as s:
            q = select(Guidance).order_by(Guidance.guided_at.desc(), Guidance.id.desc())
            if open_only:
                q = q.where(Guidance.dossier_code.is_(None))
            return [_view(s, g) for g in s.scalars(q.limit(limit)).all()]

    def record_print(self, actor_name: str, guidance_id: str, kind: str, destination: str) -> None:
        """Every print of a guidance's Mẫu 02 is in the audit trail, as a dossier's are."""
        with self.db.unit_of_work() as s:
            g = _load(s, guidance_id)
            audit.append(
                s,
                actor_name,
                "guidance.print",
                "guidance",
                g.guidance_id,
                {"kind": kind, "destination": destination},
            )

    def receive(
        self,
        actor: Actor,
        guidance_id: str,
        documents: Sequence[DocumentLine] | None = None,
        received_at: datetime | str | None = None,
        data: DossierInput | None = None,
    ) -> DossierView:
        """Receive the dossier a guidance was about, now complete; the clock starts now.

        ``documents`` not given: the papers shown at guidance plus every required one (the
        citizen brought what was missing). ``data``: the intake as the clerk has it now (the
        desktop's form, filled in from the record and perhaps corrected); it must be for the
        same procedure. Without it, the applicant is the one the record keeps.
        """
        with self.db.reading() as s:
            g = _load(s, guidance_id)
            _refuse_completed(g)
            key = g.guidance_id
            if documents is None:
                # what was shown then, and the required papers it lacked (brought now)
                proc = s.get(Procedure, g.procedure_code)
                shown = list(documents_of(g.received))
                documents = shown + (sort_documents(shown, proc)[1] if proc else [])
            intake = dict(g.intake)
            procedure_code = g.procedure_code
            guided_at = g.guided_at
        if data is not None:
            if data.procedure_code.strip() != procedure_code:
                raise InvalidInput(
                    f"Phiếu hướng dẫn {key} là của thủ tục {procedure_code}",
                    f"Guidance {key} is for procedure {procedure_code}",
                    field="procedure_code",
                )
            intake = {k: getattr(data, k) for k in APPLICANT_FIELDS}
            if data.documents is not None:
                documents = data.documents
        if not intake.get("note"):
            intake["note"] = (
                f"Tiếp nhận từ phiếu hướng dẫn {key} "
                f"(hướng dẫn lúc {guided_at.strftime('%H:%M %d/%m/%Y')})"
            )
        complete = DossierInput(
            procedure_code=procedure_code,
            received_at=received_at,
            documents=list(documents),
            **{k: v for k, v in intake.items() if k in APPLICANT_FIELDS},
        )

        def mark(s: Session, dossier: DossierView) -> None:
            g = _load(s, key)  # again, under the write lock: received once only
            _refuse_completed(g)
            g.dossier_code = dossier.code
            g.completed_at = now()
            audit.append(
                s,
                actor.username,
                "guidance.complete",
                "guidance",
                key,
                {"dossier": dossier.code, "at": iso(dossier.received_at)},
            )

        return self._dossiers.receive(actor, complete, then=mark)


def _load(s: Session, guidance_id: str) -> Guidance:
    key = guidance_id.strip().upper()
    g = s.scalar(select(Guidance).where(Guidance.guidance_id == key))
    if g is None:
        raise NotFound(
            f"Không tìm thấy phiếu hướng dẫn '{guidance_id}'",
            f"No guidance record '{guidance_id}'",
            field="guidance_id",
        )
    return g


def _refuse_completed(g: Guidance) -> None:
    if g.dossier_code:
        raise NotAllowed(
            f"Phiếu hướng dẫn {g.guidance_id} đã được tiếp nhận thành hồ sơ {g.dossier_code}",
            f"Guidance {g.guidance_id} was already received as dossier {g.dossier_code}",
            field="guidance_id",
        )


def _view(s: Session, g: Guidance) -> GuidanceView:
    clerk = s.scalar(select(User.full_name).where(User.username == g.guided_by))
    return GuidanceView(
        id=g.id,
        code=g.guidance_id,
        guided_at=g.guided_at,
        guided_by=g.guided_by,
        guided_by_name=clerk or g.guided_by,
        procedure_code=g.procedure_code,
        procedure_name=g.procedure_name,
        applicant_type=g.applicant_type,
        applicant_name=g.applicant_name,
        id_type=str(g.intake.get("id_type", "")),
        id_number=g.id_number,
        phone=g.phone,
        address=str(g.intake.get("address", "")),
        received=documents_of(g.received),
        missing=documents_of(g.missing),
        note=g.note,
        dossier_code=g.dossier_code or "",
        completed_at=g.completed_at,
        is_demo=g.is_demo,
        intake=dict(g.intake),
    )
