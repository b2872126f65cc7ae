"""The tracking book (Mẫu 07): one row per dossier on A4 landscape, thousands of rows.

Platypus tables re-measure every cell and are slow at this size, so the book is
drawn straight onto the canvas in two passes: the first wraps every cell and
cuts the rows into pages (so "Trang x/y" is known), the second draws them. Wraps
of repeated texts (procedure and agency names) are cached.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from reportlab.lib.rl_accel import escapePDF
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from counter.statuses import Status
from counter.views import BookRow, Office
from printing import fonts
from printing.formatting import local, percent, short_date
from printing.layout import A4_LANDSCAPE, PRODUCER
from printing.templates import BOOK, COMMON

PAGE_W, PAGE_H = A4_LANDSCAPE
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 10 * mm, 10 * mm, 9 * mm, 12 * mm
HEADER_H = 17 * mm  # office, title and period above the table
SIZE = 7.0  # body text of the table
LEADING = SIZE * 1.22
HEAD_SIZE = 7.0
PAD_X, PAD_Y = 1.2 * mm, 1.3 * mm
MIN_LINES = 3  # name, address, phone: every row is at least this tall

# (template key, width); the note column takes what is left
_COLUMNS: tuple[tuple[str, float], ...] = (
    ("col_number", 10 * mm),
    ("col_code", 23 * mm),
    ("col_procedure", 40 * mm),
    ("col_sets", 10 * mm),
    ("col_applicant", 50 * mm),
    ("col_agency", 24 * mm),
    ("col_received", 17 * mm),
    ("col_due", 17 * mm),
    ("col_transferred", 17 * mm),
    ("col_result", 17 * mm),
    ("col_returned", 17 * mm),
    ("col_signature", 18 * mm),
)
_TABLE_W = PAGE_W - MARGIN_L - MARGIN_R
COLUMNS: tuple[tuple[str, float], ...] = (
    *_COLUMNS,
    ("col_note", _TABLE_W - sum(w for _, w in _COLUMNS)),
)
_CENTERED = {0, 3, 6, 7, 8, 9, 10}
# the status that ends a dossier without a result is worth a word in the note column
_NOTE_STATUSES = {Status.REJECTED, Status.WITHDRAWN, Status.STOPPED}


@lru_cache(maxsize=65536)
def _wrap(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    """Greedy wrap; a word wider than the column breaks after a hyphen, else anywhere."""
    width_of = fonts.string_width
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            for piece in _fit_word(word, font, size, width):
                trial = f"{current} {piece}" if current else piece
                if current and width_of(trial, font, size) > width:
                    lines.append(current)
                    current = piece
                else:
                    current = trial
        lines.append(current)
    return tuple(lines)


def _fit_word(word: str, font: str, size: float, width: float) -> list[str]:
    if fonts.string_width(word, font, size) <= width:
        return [word]
    pieces: list[str] = []
    current = ""
    for part in word.replace("-", "-\n").split("\n"):
        trial = current + part
        if current and fonts.string_width(trial, font, size) > width:
            pieces.append(current)
            current = part
        else:
            current = trial
    pieces.append(current)
    out: list[str] = []
    for piece in pieces:
        while fonts.string_width(piece, font, size) > width and len(piece) > 1:
            cut = len(piece) - 1
            while cut > 1 and fonts.string_width(piece[:cut], font, size) > width:
                cut -= 1
            out.append(piece[:cut])
            piece = piece[cut:]
        out.append(piece)
    return out


def _when(dt: datetime | None) -> tuple[str, ...]:
    if dt is None:
        return ()
    dt = local(dt)
    return (short_date(dt), f"{dt.hour:02d}:{dt.minute:02d}")


class _Text:
    """Text operators for one page, written straight into one BT ... ET block.

    reportlab's text object formats every coordinate and font switch through
    general-purpose code; a 700-page book spends most of its time there. This does
    the same job (TrueType subsets included) with plain string formatting.
    """

    def __init__(self, canv: Canvas) -> None:
        self._canv = canv
        self._doc = canv._doc
        self._ops: list[str] = ["BT"]
        self._current: tuple[str, float] | None = None

    def show(self, x: float, y: float, line: str, font_name: str, size: float) -> None:
        font = pdfmetrics.getFont(font_name)
        self._ops.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm")
        for subset, chunk in font.splitString(line, self._doc):
            name = font.getSubsetInternalName(subset, self._doc)
            if (name, size) != self._current:
                self._ops.append(f"{name} {size:g} Tf")
                self._current = (name, size)
            self._ops.append(f"({escapePDF(chunk)}) Tj")

    def finish(self) -> None:
        self._ops.append("ET")
        self._canv.addLiteral("\n".join(self._ops))


@dataclass(frozen=True)
class _Cell:
    lines: tuple[str, ...]
    bold_lines: int = 0  # how many first lines are bold (the applicant's name)


@dataclass(frozen=True)
class _Row:
    cells: tuple[_Cell, ...]
    height: float


def _inner(width: float) -> float:
    return width - 2 * PAD_X


def _layout_row(row: BookRow, max_lines: int) -> _Row:
    widths = [_inner(w) for _, w in COLUMNS]
    reg, bold = fonts.REGULAR, fonts.BOLD
    name = _wrap(row.applicant_name, bold, SIZE, widths[4])
    contact = _wrap(row.address, reg, SIZE, widths[4]) if row.address else ()
    if row.phone:
        contact += _wrap(BOOK["phone"].format(phone=row.phone), reg, SIZE, widths[4])
    note = row.note
    if row.status in _NOTE_STATUSES:
        note = f"{row.status.label_vi}. {note}".strip() if note else row.status.label_vi
    cells = [
        _Cell((str(row.book_number),)),
        _Cell(_wrap(row.code, reg, SIZE, widths[1])),
        _Cell(_wrap(row.procedure_name, reg, SIZE, widths[2])),
        _Cell((str(row.sets),)),
        _Cell(name + contact, bold_lines=len(name)),
        _Cell(_wrap(row.result_agency, reg, SIZE, widths[5])),
        _Cell(_when(row.received_at)),
        _Cell(_when(row.due_at)),
        _Cell(_when(row.transferred_at) + _wrap(row.transferred_to, reg, SIZE, widths[8])),
        _Cell(_when(row.result_received_at) + _wrap(row.result_from, reg, SIZE, widths[9])),
        _Cell(_when(row.returned_at)),
        _Cell(()),
        _Cell(_wrap(note, reg, SIZE, widths[12]) if note else ()),
    ]
    lines = max(MIN_LINES, *(len(c.lines) for c in cells))
    if lines > max_lines:  # a row taller than a page: cut, never overflow
        cells = [_truncate(c, max_lines) for c in cells]
        lines = max_lines
    return _Row(tuple(cells), lines * LEADING + 2 * PAD_Y)


def _truncate(cell: _Cell, max_lines: int) -> _Cell:
    if len(cell.lines) <= max_lines:
        return cell
    kept = (*cell.lines[: max_lines - 1], cell.lines[max_lines - 1] + " …")
    return _Cell(kept, min(cell.bold_lines, max_lines))


@lru_cache(maxsize=1)
def _head_cells() -> tuple[tuple[tuple[str, ...], ...], float]:
    fonts.register_fonts()
    cells = tuple(_wrap(BOOK[key], fonts.BOLD, HEAD_SIZE, _inner(w)) for key, w in COLUMNS)
    height = max(len(c) for c in cells) * HEAD_SIZE * 1.2 + 2 * PAD_Y
    return cells, height


def _body_height() -> float:
    return PAGE_H - MARGIN_T - MARGIN_B - HEADER_H - _head_cells()[1]


def rows_per_page() -> int:
    """How many rows of the usual height (three lines) fit on one page."""
    return int(_body_height() // (MIN_LINES * LEADING + 2 * PAD_Y))


def page_count(rows: int) -> int:
    """Pages for ``rows`` rows of the usual height (an empty book still has one page)."""
    return max(1, math.ceil(rows / rows_per_page()))


def _paginate(rows: Sequence[_Row]) -> list[list[_Row]]:
    body = _body_height()
    pages: list[list[_Row]] = [[]]
    used = 0.0
    for row in rows:
        if pages[-1] and used + row.height > body + 0.01:
            pages.append([])
            used = 0.0
        pages[-1].append(row)
        used += row.height
    return pages


def render_book(
    rows: Iterable[BookRow],
    office: Office,
    date_from: date,
    date_to: date,
    printed_by: str = "",
) -> bytes:
    """The tracking book for the rows given (in the order given), as PDF bytes."""
    fonts.register_fonts()
    max_lines = int((_body_height() - 2 * PAD_Y) // LEADING)
    paper = digitised = 0
    laid_out = []
    for row in rows:
        laid_out.append(_layout_row(row, max_lines))
        if row.digitised is not None:
            paper += 1
            digitised += row.digitised
    pages = _paginate(laid_out)
    rate = BOOK["digitisation"].format(
        digitised=digitised, paper=paper, rate=f"{percent(digitised / paper if paper else None)} %"
    )
    buffer = io.BytesIO()
    with fonts.RENDER_LOCK:
        canv = Canvas(
            buffer,
            pagesize=A4_LANDSCAPE,
            pageCompression=1,
            lang="vi-VN",
            initialFontName=fonts.REGULAR,
            initialFontSize=SIZE,
        )
        period = BOOK["period"].format(date_from=short_date(date_from), date_to=short_date(date_to))
        canv.setTitle(f"{BOOK['title'].capitalize()} - {period}")
        canv.setAuthor(printed_by or office.unit_name)
        canv.setSubject(office.unit_name)
        canv.setCreator(PRODUCER)
        canv.setProducer(PRODUCER)
        total = len(pages)
        for number, page in enumerate(pages, start=1):
            _draw_page(canv, office, period, page, number, total, printed_by, rate)
            canv.showPage()
        canv.save()
    return buffer.getvalue()


def _draw_page(
    canv: Canvas,
    office: Office,
    period: str,
    rows: list[_Row],
    number: int,
    total: int,
    printed_by: str,
    rate: str,
) -> None:
    top = PAGE_H - MARGIN_T
    # page header: office (left), title and period (centre), form number (right)
    canv.setFillGray(0)
    y = top - 8
    *above, issuer = office.letterhead
    for line in above:
        canv.setFont(fonts.REGULAR, 8)
        canv.drawString(MARGIN_L, y, line)
        y -= 10
    canv.setFont(fonts.BOLD, 8)
    canv.drawString(MARGIN_L, y, issuer)
    canv.setFont(fonts.BOLD, 13)
    canv.drawCentredString(PAGE_W / 2, top - 12, BOOK["title"])
    canv.setFont(fonts.ITALIC, 9)
    canv.drawCentredString(PAGE_W / 2, top - 25, period)
    canv.setFont(fonts.ITALIC, 8)
    canv.drawRightString(PAGE_W - MARGIN_R, top - 8, COMMON["form_no"].format(no=BOOK["form_no"]))
    canv.drawRightString(PAGE_W - MARGIN_R, top - 25, rate)  # of the whole period

    head_cells, head_h = _head_cells()
    table_top = top - HEADER_H
    xs = [MARGIN_L]
    for _, w in COLUMNS:
        xs.append(xs[-1] + w)

    canv.setFillGray(0.92)
    canv.rect(MARGIN_L, table_top - head_h, _TABLE_W, head_h, stroke=0, fill=1)
    canv.setFillGray(0)

    text = _Text(canv)
    head_lead = HEAD_SIZE * 1.2
    for i, lines in enumerate(head_cells):
        # centre the title block in the header cell, both ways
        block = len(lines) * head_lead
        y0 = table_top - (head_h - block) / 2 - HEAD_SIZE * 0.95
        for k, line in enumerate(lines):
            w = fonts.string_width(line, fonts.BOLD, HEAD_SIZE)
            text.show(
                xs[i] + (xs[i + 1] - xs[i] - w) / 2, y0 - k * head_lead, line, fonts.BOLD, HEAD_SIZE
            )

    y = table_top - head_h
    rules = [
        (MARGIN_L, table_top, MARGIN_L + _TABLE_W, table_top),
        (MARGIN_L, y, MARGIN_L + _TABLE_W, y),
    ]
    for row in rows:
        first = y - PAD_Y - SIZE * 0.95
        for i, cell in enumerate(row.cells):
            if not cell.lines:
                continue
            left = xs[i] + PAD_X
            for k, line in enumerate(cell.lines):
                font = fonts.BOLD if k < cell.bold_lines else fonts.REGULAR
                x = left
                if i in _CENTERED:
                    x = xs[i] + (xs[i + 1] - xs[i] - fonts.string_width(line, font, SIZE)) / 2
                text.show(x, first - k * LEADING, line, font, SIZE)
        y -= row.height
        rules.append((MARGIN_L, y, MARGIN_L + _TABLE_W, y))
    text.finish()

    bottom = y
    if not rows:
        canv.setFont(fonts.ITALIC, 9)
        canv.drawCentredString(PAGE_W / 2, y - 14, BOOK["empty"])
    rules.extend((x, table_top, x, bottom) for x in xs)
    canv.setLineWidth(0.5)
    canv.lines(rules)

    canv.setFont(fonts.REGULAR, 8)
    canv.drawCentredString(
        PAGE_W / 2, MARGIN_B - 7 * mm, COMMON["page"].format(page=number, pages=total)
    )
    if printed_by:
        canv.setFont(fonts.ITALIC, 6.5)
        canv.drawRightString(
            PAGE_W - MARGIN_R, MARGIN_B - 7 * mm, COMMON["printed_by"].format(name=printed_by)
        )
