"""The receipt and appointment (Mẫu 01): two copies on A5, on one A4, or an 80 mm slip."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
)

from counter.views import DossierView, Office
from printing import codes, fonts
from printing.formatting import (
    markup,
    money,
    nobreak,
    nobreak_datetime,
    short_datetime,
    text,
    two_digits,
)
from printing.layout import (
    A4,
    A5,
    FormDoc,
    NextCopy,
    PageDecor,
    Styles,
    bare_table,
    centered,
    form_header,
    frame,
    grid_style,
    para,
    plain,
    render,
    rule,
    signature_blocks,
    styles,
)
from printing.templates import COMMON, RECEIPT

PAPERS: tuple[str, ...] = ("a5", "a4", "thermal80")

BARCODE_MODULE_MM = 0.254  # 10 mil: 2 pixels at 200 dpi, 6 dots at 600 dpi
BARCODE_HEIGHT_MM = 9.0

COPIES = (RECEIPT["copy_1"], RECEIPT["copy_2"])
WIDE_ROW_MAX = 45 * mm  # tallest two-column block on a half A4 sheet


def qr_content(dossier: DossierView) -> str:
    """What the QR code holds: the lookup URL, or the bare code when there is none."""
    return dossier.lookup_url or dossier.code


def _received_item(dossier: DossierView) -> str:
    """Item 4: when the dossier was received; after a supplement, when it came back complete
    (the time limit counts from then) and when it was first received."""
    if dossier.restarted_at is None:
        return markup(RECEIPT["item_received"], at=nobreak_datetime(dossier.received_at))
    return markup(
        RECEIPT["item_received_again"],
        at=nobreak_datetime(dossier.restarted_at),
        first=nobreak_datetime(dossier.received_at),
    )


def render_receipt(
    dossier: DossierView, office: Office, paper: str = "a5", printed_by: str = ""
) -> bytes:
    """The receipt as PDF bytes.

    ``a5``: two A5 pages (Liên 1 kept, Liên 2 for the applicant); ``a4``: both
    copies on one A4 sheet, cut along the dashed line; ``thermal80``: one slip
    80 mm wide for a receipt printer. ``printed_by`` goes in small type at the
    foot of each copy and in the PDF's metadata.
    """
    fonts.register_fonts()
    if paper == "a5":
        return _render_copies(dossier, office, printed_by, half_a4=False)
    if paper == "a4":
        return _render_copies(dossier, office, printed_by, half_a4=True)
    if paper == "thermal80":
        return _render_slip(dossier, office, printed_by)
    raise ValueError(f"unknown paper {paper!r}: expected one of {', '.join(PAPERS)}")


def _meta(dossier: DossierView, printed_by: str) -> dict[str, Any]:
    return {
        "title": f"{RECEIPT['title'].capitalize()} - {dossier.code}",
        "author": printed_by or dossier.received_by_name,
        "subject": dossier.procedure_name,
        "lang": "vi-VN",
    }


def _continued(code: str) -> Any:
    def label(copy: str) -> str:
        return COMMON["continued"].format(code=code, copy=copy.strip("()"))

    return label


def _render_copies(dossier: DossierView, office: Office, printed_by: str, half_a4: bool) -> bytes:
    decor = PageDecor(
        code=dossier.code, demo=dossier.is_demo, printed_by=printed_by, cut_line=half_a4
    )
    if half_a4:
        page_w, page_h = A4
        half = page_h / 2
        left, right, top, bottom = 12 * mm, 10 * mm, 7 * mm, 8 * mm
        w, h = page_w - left - right, half - top - bottom
        frames = [frame(left, half + bottom, w, h, "top"), frame(left, bottom, w, h, "bottom")]
        st = styles(9.0, leading=1.22)
        pagesize = A4
    else:
        page_w, page_h = A5
        left, right, top, bottom = 11 * mm, 9 * mm, 8 * mm, 9 * mm
        w, h = page_w - left - right, page_h - top - bottom
        frames = [frame(left, bottom, w, h, "a5")]
        st = styles(9.0)
        pagesize = A5

    story: list[Flowable] = []
    for i, copy in enumerate(COPIES):
        if i:
            story.append(NextCopy(copy, new_page=not half_a4))
        story.extend(_copy_story(dossier, office, copy, st, w, wide=half_a4))

    def make(buffer: io.BytesIO) -> FormDoc:
        return FormDoc(
            buffer,
            pagesize,
            frames,
            decor,
            COPIES[0],
            _continued(dossier.code),
            **_meta(dossier, printed_by),
        )

    return render(make, story)


def _copy_story(
    dossier: DossierView, office: Office, copy: str, st: Styles, width: float, wide: bool
) -> list[Flowable]:
    """One copy. ``wide`` is the A5-landscape half of an A4 sheet: the same content,
    arranged in two columns where a line would otherwise stay half empty."""
    s = st
    barcode = codes.BarcodeFlowable(
        dossier.code,
        module_mm=BARCODE_MODULE_MM,
        bar_height_mm=8.0 if wide else BARCODE_HEIGHT_MM,
        caption=RECEIPT["code"].format(code=dossier.code),
        font_size=s.size,
    )
    title = [plain(RECEIPT["title"], s.title), plain(copy, s.italic_center)]
    out: list[Flowable] = [
        form_header(
            office,
            RECEIPT["form_no"],
            dossier.received_at,
            width,
            s,
            qr_data=qr_content(dossier),
            qr_size=(17 if wide else 18) * mm,
        ),
        Spacer(1, (1 if wide else 2) * mm),
    ]
    if wide:
        bar_w = barcode.width + 4 * mm
        out.append(bare_table([[title, barcode]], [width - bar_w, bar_w], valign="MIDDLE"))
    else:
        out.extend([*title, Spacer(1, 1 * mm), barcode])
    out.append(Spacer(1, (1.5 if wide else 2) * mm))
    out.extend(_applicant_lines(dossier, s, wide, width))
    out.append(para(markup(RECEIPT["item_documents"]), s.body))
    out.append(_documents_table(dossier, s, width))
    out.append(Spacer(1, 1 * mm))
    where = (
        RECEIPT["delivery_post"]
        if dossier.result_delivery == "post"
        else RECEIPT["delivery_counter"].format(office=office.unit_name)
    )
    items = [
        para(item, s.body)
        for item in (
            markup(RECEIPT["item_sets"], bold=("sets",), sets=two_digits(dossier.sets)),
            markup(RECEIPT["item_time"], time=dossier.processing_time.describe("vi")),
            _received_item(dossier),
            markup(RECEIPT["item_due"], bold=("at",), at=nobreak_datetime(dossier.due_at)),
            markup(RECEIPT["item_delivery"], where=where),
        )
    ]
    book = para(
        markup(
            RECEIPT["book"],
            volume=dossier.book_volume or "....",
            number=dossier.book_number or "....",
        ),
        s.body,
    )
    signatures = signature_blocks(
        [
            (RECEIPT["sign_applicant"], COMMON["sign_hint"], ""),
            (RECEIPT["sign_clerk"], COMMON["sign_hint"], dossier.received_by_name),
        ],
        width,
        s,
        space=(10 if wide else 14) * mm,
    )
    if wide:
        # the numbered items (left) beside the fees and the book entry (right)
        gap = 2 * mm
        out.extend(
            _side_by_side(
                items,
                [*_fee_lines(dossier, s), Spacer(1, 1 * mm), book],
                [width * 0.64, width * 0.36],
                WIDE_ROW_MAX,
            )
        )
        out.append(Spacer(1, gap))
        out.append(signatures)
    else:
        out.extend(items)
        out.extend(_fee_lines(dossier, s))
        out.append(KeepTogether([book, Spacer(1, 2.5 * mm), signatures]))
    return out


def _side_by_side(
    left: list[Flowable], right: list[Flowable], widths: list[float], max_height: float
) -> list[Flowable]:
    """Two blocks in columns, or one after the other when the row would be too tall to
    move to the next half sheet whole (a table row cannot be split)."""
    table = bare_table([[left, right]], widths)
    _, height = table.wrap(sum(widths), max_height * 4)
    if height <= max_height:
        return [table]
    return [*left, *right]


def _applicant_lines(dossier: DossierView, s: Styles, wide: bool, width: float) -> list[Flowable]:
    def lines(*items: str) -> list[Flowable]:
        return [para(item, s.body) for item in items if item]

    organization = dossier.applicant_type == "organization"
    key = "applicant_organization" if organization else "applicant"
    who = markup(RECEIPT[key], bold=("name",), name=dossier.applicant_name)
    submitter = ""
    if dossier.submitter_name and dossier.submitter_name != dossier.applicant_name:
        submitter = markup(RECEIPT["submitter"], name=dossier.submitter_name)
    id_line = ""
    if dossier.id_number:
        key = "id_organization" if organization else "id_citizen"
        id_line = markup(RECEIPT[key], id=dossier.id_number)
    address = markup(RECEIPT["address"], address=dossier.address) if dossier.address else ""
    phone = markup(RECEIPT["phone"], phone=dossier.phone) if dossier.phone else ""
    email = markup(RECEIPT["email"], email=dossier.email) if dossier.email else ""
    request = markup(
        RECEIPT["request"],
        bold=("procedure",),
        procedure=dossier.procedure_name,
        procedure_code=dossier.procedure_code,
    )
    agency = (
        markup(RECEIPT["agency"], agency=dossier.result_agency) if dossier.result_agency else ""
    )
    if wide:
        # who and what (left), identity and how to reach them (right)
        return _side_by_side(
            lines(who, submitter, address, request, agency),
            lines(id_line, phone, email),
            [width * 0.6, width * 0.4],
            WIDE_ROW_MAX,
        )
    contact = "&nbsp;&nbsp;&nbsp;".join(c for c in (phone, email) if c)
    return lines(who, submitter, id_line, address, contact, request, agency)


def _documents_table(dossier: DossierView, s: Styles, width: float) -> Flowable:
    if not dossier.documents:
        return plain(RECEIPT["no_documents"], s.body)
    no_w, count_w = 8 * mm, 18 * mm
    rows: list[list[Any]] = [
        [
            plain(RECEIPT["doc_col_no"], s.head_cell),
            plain(RECEIPT["doc_col_name"], s.head_cell),
            plain(RECEIPT["doc_col_originals"], s.head_cell),
            plain(RECEIPT["doc_col_copies"], s.head_cell),
        ]
    ]
    for i, doc in enumerate(dossier.documents, start=1):
        rows.append(
            [
                plain(i, s.cell_center),
                plain(doc.name, s.cell),
                plain(doc.originals, s.cell_center),
                plain(doc.copies, s.cell_center),
            ]
        )
    table = Table(
        rows,
        colWidths=[no_w, width - no_w - 2 * count_w, count_w, count_w],
        repeatRows=1,
        hAlign="LEFT",
    )
    table.setStyle(grid_style())
    return table


def _fee_lines(dossier: DossierView, s: Styles) -> list[Flowable]:
    if not dossier.fees:
        return [para(markup(RECEIPT["fees_free"]), s.body)]
    lines = [para(markup(RECEIPT["fees"]), s.body)]
    lines.extend(
        para(
            markup(RECEIPT["fee_line"], name=fee.name, amount=nobreak(money(fee.amount))),
            s.hanging,
        )
        for fee in dossier.fees
    )
    lines.append(
        para(
            markup(
                RECEIPT["fees_total"], bold=("amount",), amount=nobreak(money(dossier.fees_total))
            ),
            s.indent,
        )
    )
    return lines


# --- the 80 mm slip ---------------------------------------------------------------

SLIP_WIDTH = 80 * mm
SLIP_MARGIN = 4 * mm


def _render_slip(dossier: DossierView, office: Office, printed_by: str) -> bytes:
    s = styles(8.5)
    width = SLIP_WIDTH - 2 * SLIP_MARGIN
    story = _slip_story(dossier, office, s, width)
    # the roll is as long as the content: measure, then lay out on a page that size
    height = 2 * SLIP_MARGIN + sum(_flow_height(f, width) for f in story) + 1 * mm
    pagesize = (SLIP_WIDTH, height)
    decor = PageDecor(code=dossier.code, demo=dossier.is_demo)

    def make(buffer: io.BytesIO) -> FormDoc:
        return FormDoc(
            buffer,
            pagesize,
            [frame(SLIP_MARGIN, SLIP_MARGIN, width, height - 2 * SLIP_MARGIN, "slip")],
            decor,
            "",
            _continued(dossier.code),
            **{**_meta(dossier, printed_by), "title": f"Phiếu hẹn trả kết quả - {dossier.code}"},
        )

    return render(make, story)


def _flow_height(flowable: Flowable, width: float) -> float:
    _, h = flowable.wrap(width, 10_000 * mm)
    return float(h) + flowable.getSpaceBefore() + flowable.getSpaceAfter()


class VerticalBarcode(Flowable):
    """Code128 turned a quarter: an 80 mm roll is too narrow for 25 characters at a
    scanner-friendly module, but the paper is as long as we like."""

    def __init__(
        self, value: str, module_mm: float, bar_height_mm: float, caption: str, font_size: float
    ) -> None:
        super().__init__()
        self.value = value
        self.module_mm = module_mm
        self.bar_height_mm = bar_height_mm
        self.caption = caption
        self.font_size = font_size
        self.length = codes.barcode_width(value, module_mm)
        self.width = bar_height_mm * mm + 1.2 * mm + font_size * 1.05
        self.height = self.length

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        # rotate so the symbol reads bottom-up, caption on its right
        canv.translate(self.width, 0)
        canv.rotate(90)
        codes.draw_code128(
            canv,
            self.value,
            0,
            self.width,
            self.module_mm,
            self.bar_height_mm,
            self.caption,
            fonts.BOLD,
            self.font_size,
        )
        canv.restoreState()


def _slip_story(dossier: DossierView, office: Office, s: Styles, width: float) -> list[Flowable]:
    *above, issuer = office.letterhead
    out: list[Flowable] = [centered(line, s.head_parent, width) for line in above]
    out.append(centered(issuer, s.head_office, width))
    out.append(rule(20 * mm, after=4))
    out.append(centered(RECEIPT["slip_title"], s.bold_center, width))
    out.append(centered(RECEIPT["slip_not_receipt"], s.italic_center, width))
    out.append(Spacer(1, 2.5 * mm))

    barcode = VerticalBarcode(dossier.code, BARCODE_MODULE_MM, 10.0, dossier.code, font_size=7.5)
    right_w = width - barcode.width - 3 * mm
    qr_size = min(32 * mm, right_w)
    who = (
        "slip_applicant_organization"
        if dossier.applicant_type == "organization"
        else "slip_applicant"
    )
    right: list[Flowable] = [
        plain(RECEIPT["code"].format(code=""), s.body),
        Paragraph(f"<b>{text(dossier.code)}</b>", s.body),
        Spacer(1, 1.5 * mm),
        codes.QRFlowable(qr_content(dossier), qr_size),
        Spacer(1, 1.5 * mm),
        para(markup(RECEIPT[who], bold=("name",), name=dossier.applicant_name), s.body),
        para(markup(RECEIPT["slip_received"], at=short_datetime(dossier.received_at)), s.body),
        para(markup(RECEIPT["slip_due"]), s.body),
        Paragraph(f"<b>{text(nobreak_datetime(dossier.due_at))}</b>", s.body),
        para(markup(RECEIPT["slip_counter"], n=dossier.counter_no), s.body),
    ]
    out.append(bare_table([[barcode, right]], [barcode.width + 3 * mm, right_w]))
    out.append(Spacer(1, 2 * mm))
    out.append(
        para(
            markup(
                RECEIPT["slip_procedure"], bold=("procedure",), procedure=dossier.procedure_name
            ),
            s.body,
        )
    )
    out.append(rule(width, thickness=0.4, before=2, after=2))
    out.append(centered(RECEIPT["lookup_hint"], s.italic_center, width))
    out.append(centered(RECEIPT["slip_keep"], s.italic_center, width))
    if office.phone:
        out.append(plain(RECEIPT["slip_contact"].format(phone=office.phone), s.center))
    return out
