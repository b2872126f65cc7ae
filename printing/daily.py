"""The supervisor's daily summary: an A4 PDF and the same figures as CSV.

Both outputs are built from the same rows (``_totals``, ``_count_rows``,
``_overdue_rows``), so the spreadsheet and the paper never disagree.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    KeepTogether,
    LongTable,
    PageTemplate,
    Spacer,
    Table,
)

from counter.views import CountLine, DailySummary
from printing import fonts
from printing.formatting import (
    days_late,
    local,
    percent,
    short_date,
    short_datetime,
    text,
    thousands,
)
from printing.layout import (
    A4,
    PRODUCER,
    Styles,
    form_header,
    frame,
    grid_style,
    page_numbers,
    para,
    plain,
    signature_blocks,
    styles,
)
from printing.templates import COMMON, DAILY, DAILY_CSV

MARGINS = (20 * mm, 15 * mm, 15 * mm, 16 * mm)  # left, right, top, bottom


def _totals(summary: DailySummary) -> list[tuple[str, int | str]]:
    """(label key, value) in the order both outputs print them (a rate as text)."""
    return [
        ("received", summary.received),
        ("guided", summary.guided),
        ("returned", summary.returned),
        ("returned_on_time", summary.returned_on_time),
        ("returned_late", summary.returned_late),
        ("rejected", summary.rejected),
        ("withdrawn", summary.withdrawn),
        ("pending", summary.pending),
        ("overdue", summary.overdue),
        ("fees", summary.fees_collected),
        ("paper_received", summary.paper_received),
        ("digitised", summary.digitised),
        ("digitisation_rate", percent(summary.digitisation_rate)),
        ("rated", summary.rated),
        ("satisfied", summary.satisfied),
        ("satisfaction_rate", percent(summary.satisfaction_rate)),
    ]


def _count_values(line: CountLine) -> tuple[int, int, int, int, int]:
    return (line.received, line.returned, line.rejected, line.withdrawn, line.fees)


def _count_total(lines: Sequence[CountLine]) -> tuple[int, ...]:
    return tuple(sum(values) for values in zip(*(_count_values(li) for li in lines), strict=True))


def _rate_total(lines: Sequence[CountLine]) -> float | None:
    """The share satisfied over every line (rated by the citizens, satisfied of those)."""
    rated = sum(li.rated for li in lines)
    return sum(li.satisfied for li in lines) / rated if rated else None


def _overdue_rows(summary: DailySummary) -> list[tuple[str, str, str, str, str, int]]:
    """(code, applicant, procedure code, procedure, due at, days late) per overdue dossier."""
    return [
        (
            d.code,
            d.applicant_name,
            d.procedure_code,
            d.procedure_name,
            short_datetime(d.due_at),
            days_late(d.due_at, summary.day),
        )
        for d in summary.overdue_list
    ]


# --- PDF ---------------------------------------------------------------------------


def render_daily(summary: DailySummary, printed_by: str = "") -> bytes:
    """The daily summary on A4 portrait, as PDF bytes."""
    fonts.register_fonts()
    st = styles(10.0)
    left, right, top, bottom = MARGINS
    width = A4[0] - left - right
    when = summary.generated_at or summary.day
    story: list[Flowable] = [
        form_header(summary.office, "", when, width, st),
        Spacer(1, 6 * mm),
        plain(DAILY["title"], st.title),
        plain(DAILY["subtitle"].format(date=short_date(summary.day)), st.bold_center),
    ]
    if summary.generated_at:
        story.append(
            plain(
                DAILY["generated"].format(at=short_datetime(summary.generated_at)), st.italic_center
            )
        )
    if summary.audit_head:
        # written down on paper, the chain's head anchors it (counter.integrity)
        story.append(plain(DAILY["audit_head"].format(head=summary.audit_head), st.center))
    story.append(Spacer(1, 4 * mm))

    story.append(plain(DAILY["sec_totals"], st.section))
    story.append(_totals_table(summary, st, width))

    story.append(plain(DAILY["sec_procedures"], st.section))
    story.append(_count_table(summary.by_procedure, DAILY["col_procedure"], st, width))

    story.append(plain(DAILY["sec_clerks"], st.section))
    story.append(_count_table(summary.by_clerk, DAILY["col_clerk"], st, width))

    story.append(KeepTogether([plain(DAILY["sec_chart"], st.section), _chart(summary, st, width)]))

    story.append(plain(DAILY["sec_overdue"].format(count=len(summary.overdue_list)), st.section))
    story.append(_overdue_table(summary, st, width))

    story.append(Spacer(1, 6 * mm))
    story.append(
        KeepTogether(
            signature_blocks(
                [(DAILY["sign"], COMMON["sign_hint"], summary.signer_name)],
                width,
                st,
                columns=2,
                space=20 * mm,
            )
        )
    )

    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=f"{DAILY['title'].capitalize()} - {short_date(summary.day)}",
        author=printed_by or summary.signer_name,
        subject=summary.office.unit_name,
        creator=PRODUCER,
        producer=PRODUCER,
        lang="vi-VN",
        initialFontName=fonts.REGULAR,
    )
    doc.addPageTemplates(
        [PageTemplate(id="a4", frames=[frame(left, bottom, width, A4[1] - top - bottom, "a4")])]
    )
    label = COMMON["page"]
    with fonts.RENDER_LOCK:
        doc.build(story, canvasmaker=page_numbers(lambda n, t: label.format(page=n, pages=t)))
    return buffer.getvalue()


def _number_cells(values: Sequence[int], st: Styles, bold: bool = False) -> list[Any]:
    style = st.cell_right
    if bold:
        return [para(f"<b>{thousands(v)}</b>", style) for v in values]
    return [plain(thousands(v), style) for v in values]


def _totals_table(summary: DailySummary, st: Styles, width: float) -> Table:
    rows: list[list[Any]] = [
        [plain(DAILY["col_item"], st.head_cell), plain(DAILY["col_value"], st.head_cell)]
    ]
    part = ParagraphStyle(f"{st.cell.name}-part", parent=st.cell, leftIndent=3 * mm)
    for key, value in _totals(summary):
        label_style = part if DAILY[key].startswith("-") else st.cell
        cells = (
            _number_cells([value], st) if isinstance(value, int) else [plain(value, st.cell_right)]
        )
        rows.append([plain(DAILY[key], label_style), *cells])
    table = Table(rows, colWidths=[width - 40 * mm, 40 * mm], hAlign="LEFT")
    table.setStyle(grid_style())
    return table


def _count_table(lines: Sequence[CountLine], label: str, st: Styles, width: float) -> Flowable:
    if not lines:
        return plain(DAILY["none"], st.body)
    heads = (
        "col_received",
        "col_returned",
        "col_rejected",
        "col_withdrawn",
        "col_fees",
        "col_satisfied",
    )
    no_w, n_w, fee_w = 9 * mm, 16 * mm, 26 * mm
    label_w = width - no_w - 5 * n_w - fee_w
    rows: list[list[Any]] = [
        [
            plain(DAILY["col_no"], st.head_cell),
            plain(label, st.head_cell),
            *(plain(DAILY[h], st.head_cell) for h in heads),
        ]
    ]
    for i, line in enumerate(lines, start=1):
        rows.append(
            [
                plain(i, st.cell_center),
                plain(line.label or line.key, st.cell),
                *_number_cells(_count_values(line), st),
                plain(percent(line.satisfaction_rate), st.cell_right),
            ]
        )
    rows.append(
        [
            "",
            para(f"<b>{text(DAILY['total'])}</b>", st.cell),
            *_number_cells(_count_total(lines), st, bold=True),
            para(f"<b>{percent(_rate_total(lines))}</b>", st.cell_right),
        ]
    )
    table = LongTable(
        rows, colWidths=[no_w, label_w, n_w, n_w, n_w, n_w, fee_w, n_w], repeatRows=1, hAlign="LEFT"
    )
    table.setStyle(grid_style())
    return table


def _overdue_table(summary: DailySummary, st: Styles, width: float) -> Flowable:
    if not summary.overdue_list:
        return plain(DAILY["no_overdue"], st.body)
    overdue = _overdue_rows(summary)
    # a dossier code never wraps: the column is as wide as the widest code
    code_w = max(fonts.string_width(row[0], fonts.REGULAR, st.cell.fontSize) for row in overdue)
    code_w += 2 * 2.5 + 2
    no_w, due_w, late_w = 9 * mm, 24 * mm, 16 * mm
    name_w = (width - no_w - code_w - due_w - late_w) * 0.42
    proc_w = width - no_w - code_w - due_w - late_w - name_w
    heads = ("col_no", "col_code", "col_applicant", "col_procedure", "col_due", "col_days_late")
    rows: list[list[Any]] = [[plain(DAILY[h], st.head_cell) for h in heads]]
    for i, (code, name, _pcode, procedure, due, late) in enumerate(overdue, start=1):
        day, time = due.split(" ")
        rows.append(
            [
                plain(i, st.cell_center),
                plain(code, st.cell),
                plain(name, st.cell),
                plain(procedure, st.cell),
                para(f"{text(day)}<br/>{text(time)}", st.cell_center),
                plain(late, st.cell_right),
            ]
        )
    table = LongTable(
        rows,
        colWidths=[no_w, code_w, name_w, proc_w, due_w, late_w],
        repeatRows=1,
        hAlign="LEFT",
    )
    table.setStyle(grid_style())
    return table


class _ChartFlowable(Flowable):
    def __init__(self, drawing: Drawing) -> None:
        super().__init__()
        self.drawing = drawing
        self.width = drawing.width
        self.height = drawing.height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.drawing.drawOn(self.canv, 0, 0)


def _chart(summary: DailySummary, st: Styles, width: float) -> Flowable:
    days = summary.intake_last_30_days[-30:]
    if not days:
        return plain(DAILY["no_chart"], st.body)
    height = 62 * mm
    drawing = Drawing(width, height, initialFontName=fonts.REGULAR, initialFontSize=7)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 14 * mm
    chart.width, chart.height = width - 14 * mm, height - 24 * mm
    values = [count for _, count in days]
    chart.data = [values]
    chart.categoryAxis.categoryNames = [f"{d.day:02d}/{d.month:02d}" for d, _ in days]
    chart.categoryAxis.labels.fontName = fonts.REGULAR
    chart.categoryAxis.labels.fontSize = 6.5
    chart.categoryAxis.labels.angle = 90
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dy = -2
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = fonts.REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda v: thousands(int(v))
    chart.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    chart.valueAxis.visibleGrid = True
    chart.barWidth = 5
    chart.groupSpacing = 3
    chart.bars[0].fillColor = colors.Color(0.45, 0.58, 0.75)
    chart.bars[0].strokeColor = None
    for i, (d, _) in enumerate(days):
        if d == summary.day:
            chart.bars[(0, i)].fillColor = colors.Color(0.12, 0.27, 0.5)
    chart.barLabels.fontName = fonts.REGULAR
    chart.barLabels.fontSize = 5.5
    chart.barLabels.nudge = 5
    chart.barLabelFormat = lambda v: f"{int(v)}"
    drawing.add(chart)
    caption = DAILY["chart_caption"].format(
        first=short_date(days[0][0]), last=short_date(days[-1][0])
    )
    drawing.add(
        String(
            width / 2,
            height - 5 * mm,
            caption,
            fontName=fonts.ITALIC,
            fontSize=8,
            textAnchor="middle",
        )
    )
    return _ChartFlowable(drawing)


# --- CSV ---------------------------------------------------------------------------


def _cell(value: object) -> object:
    """Neutralise text a spreadsheet would run as a formula (=, +, -, @ first)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv_label(key: str) -> str:
    """The PDF's label without its list dash (a leading '-' reads as a formula)."""
    label = DAILY[key].lstrip("- ").strip()
    return label[:1].upper() + label[1:]


def daily_csv(summary: DailySummary) -> bytes:
    """The same figures as CSV, UTF-8 with a BOM so spreadsheet programs read Vietnamese."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")

    def row(*cells: object) -> None:
        w.writerow([_cell(c) for c in cells])

    c = DAILY_CSV
    row(c["report"])
    row(c["agency"], summary.office.unit_name)
    row(c["agency_code"], summary.office.agency_code)
    row(c["day"], summary.day.isoformat())
    if summary.generated_at:
        row(DAILY["generated"].format(at="").strip(), local(summary.generated_at).isoformat())
    row()

    row(c["sec_totals"])
    row(DAILY["col_item"], DAILY["col_value"])
    for key, value in _totals(summary):
        row(_csv_label(key), "" if value == "-" else value)
    row()

    count_heads = (
        DAILY["col_received"],
        DAILY["col_returned"],
        DAILY["col_rejected"],
        DAILY["col_withdrawn"],
        DAILY["col_fees"],
        c["rated"],
        c["satisfied"],
    )
    for section, label, lines in (
        ("sec_procedures", c["label_procedure"], summary.by_procedure),
        ("sec_clerks", c["label_clerk"], summary.by_clerk),
    ):
        row(c[section])
        row(DAILY["col_no"], c["key"], label, *count_heads)
        for i, line in enumerate(lines, start=1):
            row(i, line.key, line.label, *_count_values(line), line.rated, line.satisfied)
        if lines:
            rated, satisfied = sum(li.rated for li in lines), sum(li.satisfied for li in lines)
            row("", "", DAILY["total"], *_count_total(lines), rated, satisfied)
        row()

    row(c["sec_overdue"])
    row(
        DAILY["col_no"],
        DAILY["col_code"],
        DAILY["col_applicant"],
        c["procedure_code"],
        DAILY["col_procedure"],
        DAILY["col_due"],
        DAILY["col_days_late"],
    )
    for i, (code, name, pcode, procedure, due, late) in enumerate(_overdue_rows(summary), start=1):
        row(i, code, name, pcode, procedure, due, late)
    row()

    row(c["sec_intake"])
    row(c["date"], c["count"])
    for d, count in summary.intake_last_30_days:
        row(d.isoformat(), count)
    return out.getvalue().encode("utf-8-sig")
