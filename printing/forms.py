"""The other A5 forms of Circular 03/2025/TT-VPCP, Annex I: the request to supplement
(Mẫu 02), the refusal (Mẫu 03), the processing agency's apology and request for more time
(Mẫu 04), the notice that processing stopped (Mẫu 05) and the control sheet (Mẫu 06).

Mẫu 04 and Mẫu 05 are the processing agency's letters: its name heads them, they carry
a "Số: ..." line and its head signs them. A form addressed to the applicant names an
organisation as an organisation, never "ông/bà".
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from counter.errors import NotAllowed
from counter.statuses import Status
from counter.views import DocumentLine, DossierView, GuidanceView, Office
from printing import codes, fonts
from printing.formatting import (
    VN_TZ,
    markup,
    nobreak_datetime,
    official_date,
)
from printing.layout import (
    A5,
    FormDoc,
    Letterhead,
    PageDecor,
    Styles,
    bare_table,
    form_header,
    frame,
    grid_style,
    para,
    plain,
    render,
    signature_blocks,
    styles,
)
from printing.receipt import BARCODE_MODULE_MM, qr_content
from printing.templates import APOLOGY, COMMON, CONTROL_SHEET, REFUSAL, STOP_NOTICE, SUPPLEMENT
from protocol.statuses import STATUS_LABELS_EN, STATUS_LABELS_VI

KINDS: tuple[str, ...] = ("supplement", "refusal", "apology", "stop-notice", "control-sheet")
#: The processing agency's own letters: its letterhead, a number, its head's signature.
AGENCY_LETTERS: frozenset[str] = frozenset({"apology", "stop-notice"})


@dataclass(frozen=True)
class MissingDocument:
    """A paper still to bring, with how many of each kind the office needs."""

    name: str
    originals: int = 0
    certified: int = 0  # certified copies (bản sao chứng thực)
    photocopies: int = 0


@dataclass(frozen=True)
class HandoverStep:
    """One row of the control sheet: who gives the dossier to whom, and, once it happened,
    when and by whom (a row without ``at`` is left to fill in by hand)."""

    giver: str
    taker: str
    at: datetime | None = None
    by: str = ""
    note: str = ""


def step_timing(at: datetime, due_at: datetime) -> str:
    """A hand-over against the dossier's due moment (docs/printing.md, "Mẫu 06"): ``early``
    on a day before the due day, ``on_time`` on the due day up to the due moment, ``late``
    after it."""
    if at > due_at:
        return "late"
    return "early" if at.astimezone(VN_TZ).date() < due_at.astimezone(VN_TZ).date() else "on_time"


@dataclass(frozen=True)
class FormDetails:
    """What a form needs beyond the dossier itself; every field has a sensible default.

    - ``issued_at``: the date in the header (default: now, Vietnam time).
    - ``number``: the form's own number, printed as "Số: ..." (default: none).
    - ``missing``: supplement - the papers to bring. A ``DocumentLine`` counts its
      ``copies`` as certified copies; use ``MissingDocument`` to ask for photocopies.
    - ``reasons``: supplement, apology and stop notice - the reason(s); refusal - each
      reason.
    - ``contact_name`` / ``contact_phone``: supplement - who answers questions
      (default: the clerk who received the dossier, the office's phone).
    - ``new_due_at``: apology - the new appointment (blank to fill in by hand if None).
    - ``previous_due_at``: apology - the appointment that was missed. Default: the
      dossier's due date, unless that already is ``new_due_at`` (the dossier was
      rescheduled), in which case the missed date is not printed.
    - ``addressee``: apology, stop notice - "Kính gửi" (default: the applicant, as a
      person or as an organisation).
    - ``receipt_number``: apology - the receipt's number (default: the dossier code).
    - ``agency``: apology and stop notice - the processing agency that writes them
      (its name heads the letter); control sheet - who processes (default: the
      dossier's result agency, else the office).
    - ``agency_parent``: apology and stop notice - the authority above that agency,
      printed over its name in the letterhead (default: none).
    - ``partner_agencies``: control sheet - agencies that take part.
    - ``handovers``: control sheet - one ``HandoverStep`` per row; an empty name or time
      leaves a line to fill in. Default: counter -> agency, two free rows, agency -> counter.
    - ``signer_name`` / ``signer_title``: override who signs.
    """

    issued_at: datetime | None = None
    number: str = ""
    missing: tuple[DocumentLine | MissingDocument, ...] = ()
    reasons: tuple[str, ...] = ()
    contact_name: str = ""
    contact_phone: str = ""
    new_due_at: datetime | None = None
    previous_due_at: datetime | None = None
    addressee: str = ""
    receipt_number: str = ""
    agency: str = ""
    agency_parent: str = ""
    partner_agencies: tuple[str, ...] = ()
    handovers: tuple[HandoverStep, ...] = ()
    signer_name: str = ""
    signer_title: str = ""


def render_form(
    kind: str,
    dossier: DossierView | GuidanceView,
    office: Office,
    details: FormDetails | None = None,
    printed_by: str = "",
) -> bytes:
    """One of the forms 02-06 on A5, as PDF bytes. ``kind`` is one of ``KINDS``.

    The stop notice (Mẫu 05) is refused (``NotAllowed``) for a dossier that is not in
    status ``stopped``. A ``GuidanceView`` (an incomplete dossier at the counter, with no
    code yet) prints the request to supplement (Mẫu 02) only.
    """
    builders: dict[str, tuple[dict[str, str], Callable[..., list[Flowable]]]] = {
        "supplement": (SUPPLEMENT, _supplement),
        "refusal": (REFUSAL, _refusal),
        "apology": (APOLOGY, _apology),
        "stop-notice": (STOP_NOTICE, _stop_notice),
        "control-sheet": (CONTROL_SHEET, _control_sheet),
    }
    if kind not in builders:
        raise ValueError(f"unknown form {kind!r}: expected one of {', '.join(KINDS)}")
    if isinstance(dossier, GuidanceView):
        if kind != "supplement":
            raise NotAllowed(
                SUPPLEMENT["guidance_only"].format(code=dossier.code),
                SUPPLEMENT["guidance_only_en"].format(code=dossier.code),
            )
    elif kind == "stop-notice" and dossier.status != Status.STOPPED:
        w = STOP_NOTICE
        raise NotAllowed(
            w["not_stopped"].format(
                code=dossier.code, status=STATUS_LABELS_VI.get(dossier.status, dossier.status)
            ),
            w["not_stopped_en"].format(
                code=dossier.code, status=STATUS_LABELS_EN.get(dossier.status, dossier.status)
            ),
        )
    fonts.register_fonts()
    details = details or FormDetails()
    words, build = builders[kind]
    # the control sheet's table needs the room; the letters read better a little larger
    st = styles(9.0 if kind == "control-sheet" else 9.5)
    left, right, top, bottom = 13 * mm, 10 * mm, 9 * mm, 10 * mm
    width, height = A5[0] - left - right, A5[1] - top - bottom
    issued = details.issued_at or datetime.now(VN_TZ)
    issuer: Office | Letterhead = office
    number = details.number
    if kind in AGENCY_LETTERS and isinstance(dossier, DossierView):
        issuer = _agency_letterhead(dossier, office, details)
        number = details.number or COMMON["doc_no_blank"]
    story: list[Flowable] = [
        form_header(
            issuer,
            words["form_no"],
            issued,
            width,
            st,
            # a guidance has nothing to look up yet: its QR holds its id, for the return visit
            qr_data=dossier.code if isinstance(dossier, GuidanceView) else qr_content(dossier),
            doc_no=number,
        ),
        Spacer(1, 4 * mm),
        plain(words["title"], st.title),
        Spacer(1, 3 * mm),
    ]
    story.extend(build(dossier, office, details, st, width))
    decor = PageDecor(code=dossier.code, demo=dossier.is_demo, printed_by=printed_by)

    def continued(_copy: str) -> str:
        return COMMON["continued_form"].format(code=dossier.code)

    def make(buffer: io.BytesIO) -> FormDoc:
        return FormDoc(
            buffer,
            A5,
            [frame(left, bottom, width, height, "a5")],
            decor,
            "",
            continued,
            title=f"{words['title'].capitalize()} - {dossier.code}",
            author=printed_by or _clerk_name(dossier),
            subject=dossier.procedure_name,
            lang="vi-VN",
        )

    return render(make, story)


def _line(template: str, st: Styles, bold: tuple[str, ...] = (), **values: Any) -> Flowable:
    return para(markup(template, bold=bold, **values), st.body)


def _prose(template: str, st: Styles, bold: tuple[str, ...] = (), **values: Any) -> Flowable:
    """A sentence or more, justified as official letters are."""
    return para(markup(template, bold=bold, **values), st.body_justify)


def _organization(dossier: DossierView | GuidanceView) -> bool:
    return dossier.applicant_type == "organization"


def _clerk_name(dossier: DossierView | GuidanceView) -> str:
    if isinstance(dossier, GuidanceView):
        return dossier.guided_by_name
    return dossier.received_by_name


def _you(dossier: DossierView | GuidanceView) -> str:
    """How a sentence addressed to the applicant names them: "ông/bà" or "tổ chức"."""
    return COMMON["you_organization" if _organization(dossier) else "you_citizen"]


def _addressee(dossier: DossierView, details: FormDetails, st: Styles) -> Flowable:
    if details.addressee:
        line = markup(APOLOGY["addressee"], bold=("name",), name=details.addressee)
    else:
        key = "addressee_organization" if _organization(dossier) else "addressee_citizen"
        line = markup(COMMON[key], bold=("name",), name=dossier.applicant_name)
    return para(line, st.center)


def _agency(dossier: DossierView, office: Office, details: FormDetails) -> str:
    return details.agency or dossier.result_agency or _sentence_office(office)


def _agency_letterhead(
    dossier: DossierView, office: Office, details: FormDetails
) -> Office | Letterhead:
    """The header of the processing agency that writes: its parent authority (if given)
    over its name; dated at the office's place."""
    agency = (details.agency or dossier.result_agency).strip()
    if not agency:
        return office  # no processing agency known: the office's own letterhead
    parent = details.agency_parent.strip()
    lines = (parent.upper(), agency.upper()) if parent else (agency.upper(),)
    return Letterhead(lines, office.place)


def _reason_sentence(details: FormDetails, blank: str) -> str:
    reason = "; ".join(r.strip() for r in details.reasons if r.strip()) or blank
    return reason if reason[-1] in ".!?" else reason + "."


def _supplement(
    dossier: DossierView | GuidanceView,
    office: Office,
    details: FormDetails,
    st: Styles,
    width: float,
) -> list[Flowable]:
    w = SUPPLEMENT
    applicant = w["applicant_organization"] if _organization(dossier) else w["applicant"]
    out: list[Flowable] = [_line(applicant, st, ("name",), name=dossier.applicant_name)]
    if isinstance(dossier, GuidanceView):
        # not received: no dossier code yet; the guidance id finds the record on return
        out += [
            _line(w["guidance_code"], st, ("code",), code=dossier.code),
            _line(w["request"], st, ("procedure",), procedure=dossier.procedure_name),
            _line(w["guided"], st, at=nobreak_datetime(dossier.guided_at)),
        ]
    else:
        out += [
            _line(w["code"], st, code=dossier.code),
            _line(w["request"], st, ("procedure",), procedure=dossier.procedure_name),
            _line(w["received"], st, at=nobreak_datetime(dossier.received_at)),
        ]
    out.append(_line(w["ask"], st))
    if details.missing:
        no_w, n_w = 8 * mm, 17 * mm
        rows: list[list[Any]] = [
            [
                plain(w[key], st.head_cell)
                for key in (
                    "col_no",
                    "col_name",
                    "col_originals",
                    "col_certified",
                    "col_photocopies",
                )
            ]
        ]
        for i, doc in enumerate(details.missing, start=1):
            if isinstance(doc, MissingDocument):
                counts = (doc.originals, doc.certified, doc.photocopies)
            else:
                counts = (doc.originals, doc.copies, 0)
            rows.append(
                [plain(i, st.cell_center), plain(doc.name, st.cell)]
                + [plain(n, st.cell_center) for n in counts]
            )
        table = Table(rows, colWidths=[no_w, width - no_w - 3 * n_w, n_w, n_w, n_w], repeatRows=1)
        table.setStyle(grid_style())
        out.append(table)
    else:
        out.append(plain(w["no_documents"], st.body))
    out.append(Spacer(1, 1.5 * mm))
    reasons = [r for r in details.reasons if r.strip()]
    if len(reasons) == 1:
        out.append(_line(w["reason"], st, reason=reasons[0]))
    elif reasons:
        out.append(_line(w["reason"], st, reason=""))
        out.extend(
            para(markup(REFUSAL["reason_line"], no=i, reason=r), st.hanging)
            for i, r in enumerate(reasons, start=1)
        )
    contact = details.contact_name or _clerk_name(dossier)
    phone = details.contact_phone or office.phone
    you = _you(dossier)
    if phone:
        out.append(_line(w["contact"], st, ("name", "phone"), name=contact, phone=phone, you=you))
    else:
        out.append(
            _line(
                w["contact_no_phone"],
                st,
                ("name",),
                name=contact,
                you=you,
                office=_sentence_office(office),
            )
        )
    out.append(Spacer(1, 3 * mm))
    out.append(_signer(details.signer_title or w["sign"], COMMON["sign_hint"], contact, width, st))
    return out


def _refusal(
    dossier: DossierView, office: Office, details: FormDetails, st: Styles, width: float
) -> list[Flowable]:
    w = REFUSAL
    office_name = _sentence_office(office)
    intro = w["intro_organization"] if _organization(dossier) else w["intro"]
    out: list[Flowable] = [
        _line(intro, st, ("name",), office=office_name, name=dossier.applicant_name),
        _line(w["code"], st, code=dossier.code),
        _line(w["request"], st, ("procedure",), procedure=dossier.procedure_name),
        _prose(w["body"], st, office=office_name),
    ]
    reasons = [r for r in details.reasons if r.strip()] or [w["no_reason"]]
    out.extend(
        para(markup(w["reason_line"], no=i, reason=r), st.hanging)
        for i, r in enumerate(reasons, start=1)
    )
    out.append(_line(w["closing"], st, you=_you(dossier)))
    out.append(Spacer(1, 3 * mm))
    signer = details.signer_name or dossier.received_by_name
    out.append(_signer(details.signer_title or w["sign"], COMMON["sign_hint"], signer, width, st))
    return out


def _apology(
    dossier: DossierView, office: Office, details: FormDetails, st: Styles, width: float
) -> list[Flowable]:
    w = APOLOGY
    agency = _agency(dossier, office, details)
    reason = _reason_sentence(details, w["no_reason"])
    you = _you(dossier)
    new_due = nobreak_datetime(details.new_due_at) if details.new_due_at else w["new_due_blank"]
    out: list[Flowable] = [
        _addressee(dossier, details, st),
        Spacer(1, 2 * mm),
        _prose(
            w["received"],
            st,
            ("procedure",),
            date=official_date(dossier.received_at),
            agency=agency,
            procedure=dossier.procedure_name,
            you=you,
        ),
        _line(w["receipt"], st, code=dossier.code, receipt=details.receipt_number)
        if details.receipt_number and details.receipt_number != dossier.code
        else _line(w["receipt_is_code"], st, code=dossier.code),
        *(
            [_line(w["old_due"], st, at=nobreak_datetime(missed))]
            if (missed := _missed_due(dossier, details))
            else []
        ),
        _prose(w["delay"], st, agency=agency, reason=reason, you=you),
        _prose(w["apology"], st, ("at",), agency=agency, at=new_due, you=you),
        _line(w["closing"], st, you=you),
        Spacer(1, 3 * mm),
    ]
    out.append(_agency_signer(details, w["sign"], width, st))
    return out


def _stop_notice(
    dossier: DossierView, office: Office, details: FormDetails, st: Styles, width: float
) -> list[Flowable]:
    w = STOP_NOTICE
    you = _you(dossier)
    out: list[Flowable] = [
        _addressee(dossier, details, st),
        Spacer(1, 2 * mm),
        _prose(
            w["received"],
            st,
            ("procedure",),
            date=official_date(dossier.received_at),
            office=_sentence_office(office),
            procedure=dossier.procedure_name,
            you=you,
        ),
        _line(w["code"], st, code=dossier.code),
        _prose(
            w["body"],
            st,
            agency=_agency(dossier, office, details),
            reason=_reason_sentence(details, w["no_reason"]),
        ),
        _line(w["closing"], st, you=you),
        Spacer(1, 3 * mm),
        _agency_signer(details, w["sign"], width, st),
    ]
    return out


def _signer(title: str, hint: str, name: str, width: float, st: Styles, **kw: float) -> Flowable:
    """One signature block, on the right as custom wants."""
    return KeepTogether(signature_blocks([(title, hint, name)], width, st, columns=2, **kw))


def _agency_signer(details: FormDetails, title: str, width: float, st: Styles) -> Flowable:
    """The processing agency's head signs its own letters (Mẫu 04, 05), with its seal."""
    return _signer(
        details.signer_title or title,
        COMMON["sign_seal_hint"],
        details.signer_name,
        width,
        st,
        space=18 * mm,
    )


def _missed_due(dossier: DossierView, details: FormDetails) -> datetime | None:
    if details.previous_due_at:
        return details.previous_due_at
    if details.new_due_at and details.new_due_at == dossier.due_at:
        return None  # already rescheduled: the view no longer holds the missed date
    return dossier.due_at


def _control_sheet(
    dossier: DossierView, office: Office, details: FormDetails, st: Styles, width: float
) -> list[Flowable]:
    w = CONTROL_SHEET
    agency = _agency(dossier, office, details)
    out: list[Flowable] = [
        codes.BarcodeFlowable(
            dossier.code,
            module_mm=BARCODE_MODULE_MM,
            bar_height_mm=8.0,
            caption=w["code"].format(code=dossier.code),
            font_size=st.size - 0.5,
        ),
        Spacer(1, 2 * mm),
        _line(w["applicant"], st, ("name",), name=dossier.applicant_name),
        _line(w["request"], st, ("procedure",), procedure=dossier.procedure_name),
        _line(w["received"], st, at=nobreak_datetime(dossier.received_at)),
        _line(w["due"], st, ("at",), at=nobreak_datetime(dossier.due_at)),
        _line(w["agency"], st, agency=agency),
    ]
    if details.partner_agencies:
        out.append(_line(w["partners"], st, agencies="; ".join(details.partner_agencies)))
    out.append(Spacer(1, 1.5 * mm))
    counter = office.unit  # the receiving unit, without its place: the column is narrow
    handovers = details.handovers or (
        HandoverStep(counter, agency),
        HandoverStep("", ""),
        HandoverStep("", ""),
        HandoverStep(agency, counter),
    )
    cell = st.cell
    agency_w, time_w, result_w = 35 * mm, 40 * mm, 28 * mm
    note_w = width - agency_w - time_w - result_w
    head = st.head_cell
    rows: list[list[Any]] = [
        [
            plain(w["col_agency"], head),
            plain(w["col_time"], head),
            [plain(w["col_result"], head), plain(w["col_result_hint"], st.sign_hint)],
            plain(w["col_note"], head),
        ]
    ]
    dots = "................"
    for step in handovers:
        who = [
            para(markup(w["give"], who=step.giver or dots), cell),
            Spacer(1, 1 * mm),
            para(markup(w["take"], who=step.taker or dots), cell),
        ]
        signatures = bare_table(
            [
                [plain(w["giver"], st.cell_center), plain(w["taker"], st.cell_center)],
                [plain(step.by, st.cell_center), ""],
            ],
            [time_w / 2 - 3, time_w / 2 - 3],
            align="CENTER",
        )
        at = step.at.astimezone(VN_TZ) if step.at else None
        moment = (
            w["time"].format(
                h=f"{at.hour:02d}", m=f"{at.minute:02d}", d=f"{at.day:02d}/{at.month:02d}/{at.year}"
            )
            if at
            else w["time_blank"]
        )
        when = [
            plain(moment, st.cell_center),
            Spacer(1, 1 * mm),
            signatures,
            Spacer(1, (6 if step.by else 11) * mm),
        ]
        result = plain(w[step_timing(at, dossier.due_at)], st.cell_center) if at else ""
        rows.append([who, when, result, plain(step.note, cell) if step.note else ""])
    table = Table(rows, colWidths=[agency_w, time_w, result_w, note_w], repeatRows=1)
    table.setStyle(grid_style())
    out.append(table)
    return out


def _sentence_office(office: Office) -> str:
    """The office's name inside a sentence: "Trung tâm Phục vụ hành chính công xã Hòa Bình"
    (``counter.naming``, from what the office is configured as)."""
    return office.unit_name


__all__ = ["KINDS", "FormDetails", "HandoverStep", "MissingDocument", "render_form", "step_timing"]
