"""The dashboard's table as a file: CSV (UTF-8 with BOM, as spreadsheet programs in Vietnam
open it) or XLSX. Numbers stay numbers; the rate is a fraction formatted as a percentage."""

from __future__ import annotations

import csv
import io
from typing import Any

from portal.dashboard.figures import Dashboard, Line
from portal.dashboard.render import month_label

COLUMNS = (
    "Mã cơ quan",
    "Cơ quan / quầy",
    "Tiếp nhận hôm nay",
    "Tiếp nhận trong tháng",
    "Đang giải quyết",
    "Quá hạn",
    "Xong đúng hạn",
    "Xong quá hạn",
    "Đã trả kết quả",
    "Tiếp nhận trực tiếp, bưu chính",
    "Đã số hóa",
    "Tỷ lệ số hóa",
    "Được đánh giá",
    "Hài lòng",
    "Tỷ lệ hài lòng",
)


def _values(line: Line) -> list[Any]:
    values: list[Any] = [
        line.agency_code,
        line.label,
        line.today,
        line.received,
        line.in_progress,
        line.overdue,
        line.done_on_time,
        line.done_late,
        line.returned,
        line.paper,
    ]
    rate = line.digitised_rate
    satisfied = line.satisfied_rate
    return [
        *values,
        line.digitised,
        "" if rate is None else round(rate, 4),
        line.rated,
        line.satisfied,
        "" if satisfied is None else round(satisfied, 4),
    ]


def _rows(board: Dashboard) -> list[list[Any]]:
    return [list(COLUMNS), *(_values(line) for line in board.lines), _values(board.total)]


def file_name(board: Dashboard, extension: str) -> str:
    scope = board.agency.code if board.agency else "toan-tinh"
    return f"bao-cao-{scope}-{board.month:%Y-%m}.{extension}"


def to_csv(board: Dashboard) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(_rows(board))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(board: Dashboard) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"Tháng {month_label(board.month).replace('/', '-')}"
    rows = _rows(board)
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[len(rows)]:
        cell.font = Font(bold=True)
    for (cell,) in sheet.iter_rows(min_row=2, min_col=12, max_col=12):
        cell.number_format = "0.0%"
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 34
    for letter in "CDEFGHIJKL":
        sheet.column_dimensions[letter].width = 14
    sheet.freeze_panes = "C2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
