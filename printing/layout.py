"""Pieces every form shares: paragraph styles, the form header, signature blocks,
and the document template that flows one or more copies onto pages or half pages.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    ActionFlowable,
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from counter.views import Office
from printing import fonts
from printing.codes import QRFlowable
from printing.formatting import place_date, text
from printing.templates import COMMON

A5 = (148 * mm, 210 * mm)
A4 = (210 * mm, 297 * mm)
A4_LANDSCAPE = (297 * mm, 210 * mm)

PRODUCER = "one-stop-counter"


@dataclass(frozen=True)
class Styles:
    size: float
    body: ParagraphStyle
    body_justify: ParagraphStyle
    center: ParagraphStyle
    bold_center: ParagraphStyle
    italic_center: ParagraphStyle
    title: ParagraphStyle
    section: ParagraphStyle
    indent: ParagraphStyle
    hanging: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_right: ParagraphStyle
    head_cell: ParagraphStyle
    head_parent: ParagraphStyle
    head_office: ParagraphStyle
    head_nation: ParagraphStyle
    head_motto: ParagraphStyle
    head_date: ParagraphStyle
    head_small: ParagraphStyle
    sign_title: ParagraphStyle
    sign_hint: ParagraphStyle
    sign_name: ParagraphStyle


@lru_cache(maxsize=8)
def styles(size: float = 9.5, leading: float = 1.3) -> Styles:
    """Paragraph styles for a body size (9-9.5 pt on A5 forms, 10 pt on A4)."""
    fonts.register_fonts()
    lead = round(size * leading, 2)

    def ps(name: str, **kw: Any) -> ParagraphStyle:
        base: dict[str, Any] = {
            "fontName": fonts.REGULAR,
            "fontSize": size,
            "leading": lead,
            "textColor": colors.black,
        }
        base.update(kw)
        return ParagraphStyle(f"{name}-{size}-{leading}", **base)

    head = size - 1
    return Styles(
        size=size,
        body=ps("body", spaceAfter=size * 0.15),
        body_justify=ps("body_justify", alignment=TA_JUSTIFY, spaceAfter=size * 0.15),
        center=ps("center", alignment=TA_CENTER),
        bold_center=ps("bold_center", fontName=fonts.BOLD, alignment=TA_CENTER),
        italic_center=ps("italic_center", fontName=fonts.ITALIC, alignment=TA_CENTER),
        title=ps(
            "title",
            fontName=fonts.BOLD,
            fontSize=size + 1.5,
            leading=(size + 1.5) * 1.25,
            alignment=TA_CENTER,
        ),
        section=ps("section", fontName=fonts.BOLD, spaceBefore=size * 0.6, spaceAfter=size * 0.3),
        indent=ps("indent", leftIndent=size * 1.2),
        hanging=ps("hanging", leftIndent=size * 2.0, firstLineIndent=-size * 0.8),
        cell=ps("cell", fontSize=size - 0.5, leading=(size - 0.5) * 1.2, alignment=TA_LEFT),
        cell_center=ps(
            "cell_center", fontSize=size - 0.5, leading=(size - 0.5) * 1.2, alignment=TA_CENTER
        ),
        cell_right=ps(
            "cell_right", fontSize=size - 0.5, leading=(size - 0.5) * 1.2, alignment=TA_RIGHT
        ),
        head_cell=ps(
            "head_cell",
            fontName=fonts.BOLD,
            fontSize=size - 0.5,
            leading=(size - 0.5) * 1.2,
            alignment=TA_CENTER,
        ),
        head_parent=ps("head_parent", fontSize=head, leading=head * 1.25, alignment=TA_CENTER),
        head_office=ps(
            "head_office",
            fontName=fonts.BOLD,
            fontSize=head,
            leading=head * 1.25,
            alignment=TA_CENTER,
        ),
        head_nation=ps(
            "head_nation",
            fontName=fonts.BOLD,
            fontSize=head - 0.5,
            leading=head * 1.25,
            alignment=TA_CENTER,
        ),
        head_motto=ps(
            "head_motto",
            fontName=fonts.BOLD,
            fontSize=head,
            leading=head * 1.25,
            alignment=TA_CENTER,
        ),
        head_date=ps(
            "head_date",
            fontName=fonts.ITALIC,
            fontSize=head,
            leading=head * 1.25,
            alignment=TA_CENTER,
        ),
        head_small=ps(
            "head_small",
            fontName=fonts.ITALIC,
            fontSize=head - 0.5,
            leading=head * 1.2,
            alignment=TA_CENTER,
        ),
        sign_title=ps("sign_title", fontName=fonts.BOLD, alignment=TA_CENTER),
        sign_hint=ps(
            "sign_hint",
            fontName=fonts.ITALIC,
            fontSize=size - 1,
            leading=(size - 1) * 1.25,
            alignment=TA_CENTER,
        ),
        sign_name=ps("sign_name", fontName=fonts.BOLD, alignment=TA_CENTER),
    )


def para(markup_text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(markup_text, style)


def plain(value: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph of data (escaped, no markup)."""
    return Paragraph(text(value), style)


NBSP = "\u00a0"

# Word groups a heading never breaks inside: the name of a people's committee and of a
# receiving unit, and a place after its kind ("XÃ HÒA BÌNH", "THÀNH PHỐ HÀ NỘI").
_HEADING_GROUPS = (
    "ỦY BAN NHÂN DÂN",
    "UỶ BAN NHÂN DÂN",
    "TRUNG TÂM PHỤC VỤ",
    "HÀNH CHÍNH CÔNG",
    "BỘ PHẬN TIẾP NHẬN",
    "VÀ TRẢ KẾT QUẢ",
)
_PLACE = re.compile(
    r"(?<!\S)(?:THÀNH PHỐ|ĐẶC KHU|THỊ TRẤN|THỊ XÃ|PHƯỜNG|QUẬN|HUYỆN|TỈNH|XÃ) [^,;]+"
)


def keep_groups(heading: str) -> str:
    """Glue the words of each group with no-break spaces, so ``balanced_lines`` breaks
    "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH" as "ỦY BAN NHÂN DÂN" / "XÃ HÒA BÌNH", never inside
    "ỦY BAN NHÂN / DÂN"."""
    text = " ".join(heading.split())
    for group in _HEADING_GROUPS:
        text = text.replace(group, group.replace(" ", NBSP))
    return _PLACE.sub(lambda m: m.group(0).strip().replace(" ", NBSP), text)


def balanced_lines(value: str, font: str, size: float, width: float) -> list[str]:
    """Break a heading into the fewest lines that fit, of similar length.

    Plain greedy wrapping leaves a lone word on the last line ("BỘ PHẬN TIẾP NHẬN
    VÀ TRẢ KẾT / QUẢ"); official headings are balanced instead. Words joined by a
    no-break space (``keep_groups``) stay on one line unless that line cannot fit.
    """
    groups = [g for g in value.split(" ") if g]
    words: list[str] = []
    for group in groups:
        if NBSP in group and fonts.string_width(group.replace(NBSP, " "), font, size) > width:
            words.extend(w for w in group.split(NBSP) if w)  # too long to keep whole
        else:
            words.append(group)
    if not words:
        return [""]

    def width_of(t: str) -> float:
        return fonts.string_width(t.replace(NBSP, " "), font, size)

    total = width_of(" ".join(words))
    if total <= width:
        return [" ".join(words)]

    def greedy(limit: float) -> list[str]:
        lines: list[str] = []
        current: list[str] = []
        for word in words:
            trial = " ".join([*current, word])
            if current and width_of(trial) > limit:
                lines.append(" ".join(current))
                current = [word]
            else:
                current.append(word)
        lines.append(" ".join(current))
        return lines

    count = len(greedy(width))
    target = total / count
    steps = 16
    for i in range(steps + 1):
        limit = target + (width - target) * i / steps
        lines = greedy(limit)
        if len(lines) <= count:
            return lines
    return greedy(width)


def heading_lines(value: str, style: ParagraphStyle, width: float) -> list[str]:
    """A heading's lines: balanced, broken between word groups (``keep_groups``)."""
    lines = balanced_lines(keep_groups(value), style.fontName, style.fontSize, width)
    return [line.replace(NBSP, " ") for line in lines]


def centered(value: str, style: ParagraphStyle, width: float) -> Paragraph:
    """A centred heading of data, balanced over its lines, broken between word groups."""
    return Paragraph("<br/>".join(text(line) for line in heading_lines(value, style, width)), style)


def rule(width: float, thickness: float = 0.6, before: float = 2.5, after: float = 2.5) -> Flowable:
    return HRFlowable(
        width=width,
        thickness=thickness,
        color=colors.black,
        spaceBefore=before,
        spaceAfter=after,
        hAlign="CENTER",
    )


@dataclass(frozen=True)
class Letterhead:
    """Whoever else issues a form (a processing agency's own letter): the lines of its
    header's top left, in capitals, and the place written before the date."""

    letterhead: tuple[str, ...]
    place: str = ""


def form_header(
    office: Office | Letterhead,
    form_no: str,
    when: date,
    width: float,
    st: Styles,
    qr_data: str = "",
    qr_size: float = 17 * mm,
    doc_no: str = "",
) -> Flowable:
    """The national header: authority and office (left), state name and motto (right).

    The left names the authority in regular capitals over the issuing unit in bold
    (``Office.letterhead``: "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH" over "TRUNG TÂM PHỤC VỤ HÀNH
    CHÍNH CÔNG"), each broken between word groups. With ``qr_data`` the QR code takes the
    top-left corner, as Circular 01/2023/TT-VPCP asks of documents the system issues.
    """
    nation_w = fonts.string_width(COMMON["nation"], fonts.BOLD, st.head_nation.fontSize)
    motto_w = fonts.string_width(COMMON["motto"], fonts.BOLD, st.head_motto.fontSize)
    qr_w = qr_size + 1.5 * mm if qr_data else 0.0
    right_w = max(nation_w + 3 * mm, width * 0.46)
    left_w = width - qr_w - right_w

    *above, issuer = [line for line in office.letterhead if line.strip()] or [""]
    left: list[Flowable] = [centered(line, st.head_parent, left_w) for line in above]
    issuer_lines = heading_lines(issuer, st.head_office, left_w)
    left.append(centered(issuer, st.head_office, left_w))
    issuer_w = max(
        fonts.string_width(line, fonts.BOLD, st.head_office.fontSize) for line in issuer_lines
    )
    left.append(rule(max(12 * mm, min(left_w * 0.9, issuer_w) * 0.4)))
    if doc_no:
        left.append(plain(COMMON["doc_no"].format(no=doc_no), st.head_parent))
    if form_no:
        left.append(plain(COMMON["form_no"].format(no=form_no), st.head_small))

    right: list[Flowable] = [
        plain(COMMON["nation"], st.head_nation),
        plain(COMMON["motto"], st.head_motto),
        rule(motto_w, before=1.5),
        plain(place_date(office.place, when), st.head_date),
    ]
    row: list[Any] = [left, right]
    widths = [left_w, right_w]
    if qr_data:
        row.insert(0, QRFlowable(qr_data, qr_size))
        widths.insert(0, qr_w)
    return bare_table([row], widths, align="CENTER")


def bare_table(
    rows: list[list[Any]], widths: Sequence[float], align: str = "LEFT", valign: str = "TOP"
) -> Table:
    """A borderless table used for placing blocks side by side."""
    table = Table(rows, colWidths=list(widths), hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), valign),
                ("ALIGN", (0, 0), (-1, -1), align),
                ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def signature_blocks(
    blocks: Sequence[tuple[str, str, str]],
    width: float,
    st: Styles,
    space: float = 16 * mm,
    columns: int | None = None,
) -> Table:
    """Signature blocks side by side: (title, hint, printed name) each.

    ``columns`` reserves room for more blocks than given, so a lone block sits on
    the right as custom wants.
    """
    n = max(columns or len(blocks), len(blocks))
    cells: list[Any] = [""] * (n - len(blocks))
    for title, hint, name in blocks:
        cell: list[Flowable] = [plain(title, st.sign_title)]
        if hint:
            cell.append(plain(hint, st.sign_hint))
        cell.append(Spacer(1, space))
        if name:
            cell.append(plain(name, st.sign_name))
        cells.append(cell)
    table = Table([cells], colWidths=[width / n] * n)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def grid_style(header_rows: int = 1, size: float = 9) -> TableStyle:
    return TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("VALIGN", (0, header_rows), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.Color(0.93, 0.93, 0.93)),
        ]
    )


class NextCopy(ActionFlowable):
    """Ends the current copy and starts the next one on a fresh page (or half page)."""

    def __init__(self, label: str, new_page: bool) -> None:
        super().__init__()
        self.label = label
        self.new_page = new_page

    def apply(self, doc: Any) -> None:
        doc.pending_copy = self.label
        if self.new_page:
            doc.handle_pageBreak()
        else:
            doc.handle_frameEnd()


@dataclass(frozen=True)
class PageDecor:
    """What is drawn on every page or half page besides the flowing text."""

    code: str
    demo: bool = False
    printed_by: str = ""
    cut_line: bool = False


class FormDoc(BaseDocTemplate):
    """Flows copies of a form into frames; a frame that continues a copy gets a label.

    Each frame is one physical sheet (A5) or half sheet (two A5 on A4). A copy that
    does not fit goes on in the next frame under "Mã hồ sơ: ... (tiếp theo)", so a
    long document list never runs into the signatures.
    """

    def __init__(
        self,
        buffer: io.BytesIO,
        pagesize: tuple[float, float],
        frames: list[Frame],
        decor: PageDecor,
        first_copy: str,
        continued: Callable[[str], str],
        **kw: Any,
    ) -> None:
        self.decor = decor
        self.pending_copy: str | None = first_copy
        self.current_copy = first_copy
        self._continued = continued
        super().__init__(
            buffer,
            pagesize=pagesize,
            leftMargin=0,
            rightMargin=0,
            topMargin=0,
            bottomMargin=0,
            producer=PRODUCER,
            creator=PRODUCER,
            initialFontName=fonts.REGULAR,
            **kw,
        )
        self.addPageTemplates([PageTemplate(id="form", frames=frames, onPage=self._on_page)])

    def handle_frameBegin(self, resume: int = 0, pageTopFlowables: Any = None) -> None:
        super().handle_frameBegin(resume, pageTopFlowables)
        if self.pending_copy is not None:
            self.current_copy = self.pending_copy
            self.pending_copy = None
            return
        f = self.frame
        canv = self.canv
        canv.saveState()
        canv.setFont(fonts.ITALIC, 7)
        canv.setFillGray(0.25)
        canv.drawRightString(
            f._x1 + f._width, f._y1 + f._height + 1.8 * mm, self._continued(self.current_copy)
        )
        canv.restoreState()

    def _on_page(self, canv: Canvas, doc: Any) -> None:
        decor = self.decor
        width, height = self.pagesize
        canv.saveState()
        if decor.cut_line:
            canv.setDash(4, 3)
            canv.setLineWidth(0.5)
            canv.setStrokeGray(0.4)
            canv.line(4 * mm, height / 2, width - 4 * mm, height / 2)
        if decor.demo:
            for frame in self.pageTemplate.frames:
                canv.saveState()
                canv.setFillGray(0.86)
                canv.setFont(fonts.BOLD, 20)
                canv.translate(frame._x1 + frame._width / 2, frame._y1 + frame._height / 2)
                canv.rotate(30)
                canv.drawCentredString(0, 0, COMMON["demo_watermark"])
                canv.restoreState()
        if decor.printed_by:
            canv.setFont(fonts.ITALIC, 6.5)
            canv.setFillGray(0.35)
            for frame in self.pageTemplate.frames:
                canv.drawRightString(
                    frame._x1 + frame._width,
                    frame._y1 - 4.5 * mm,
                    COMMON["printed_by"].format(name=decor.printed_by),
                )
        canv.restoreState()


def frame(x: float, y: float, w: float, h: float, fid: str) -> Frame:
    return Frame(x, y, w, h, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=fid)


def render(doc_factory: Callable[[io.BytesIO], BaseDocTemplate], story: list[Flowable]) -> bytes:
    buffer = io.BytesIO()
    with fonts.RENDER_LOCK:
        doc = doc_factory(buffer)
        doc.build(story)
    return buffer.getvalue()


def page_numbers(
    label: Callable[[int, int], str], font_size: float = 8, bottom: float = 8 * mm
) -> type[Canvas]:
    """A canvas class that writes "Trang x/y" centred at the foot of every page.

    Pages are kept until the document is saved, when their count is known.
    """

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved_pages)
            for number, state in enumerate(self._saved_pages, start=1):
                self.__dict__.update(state)
                width = self._pagesize[0]
                self.saveState()
                self.setFont(fonts.REGULAR, font_size)
                self.setFillGray(0.2)
                self.drawCentredString(width / 2, bottom, label(number, total))
                self.restoreState()
                super().showPage()
            super().save()

    return NumberedCanvas
