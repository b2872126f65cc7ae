"""Formatting rules, the vector codes and the layering rule of the printing package."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import barcode.writer
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from counter.views import ProcessingTime
from printing import codes, fonts, formatting
from printing.formatting import VN_TZ
from printing.layout import balanced_lines, heading_lines, styles


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (datetime(2026, 11, 26, 8, 30, tzinfo=VN_TZ), "08 giờ 30 phút, ngày 26 tháng 11 năm 2026"),
        (datetime(2026, 1, 5, 14, 0, tzinfo=VN_TZ), "14 giờ 00 phút, ngày 05 tháng 01 năm 2026"),
        (datetime(2026, 2, 9, 7, 5, tzinfo=VN_TZ), "07 giờ 05 phút, ngày 09 tháng 02 năm 2026"),
        (datetime(2026, 3, 15, 16, 45, tzinfo=VN_TZ), "16 giờ 45 phút, ngày 15 tháng 3 năm 2026"),
        # an instant given in UTC prints in Vietnam time
        (
            datetime(2026, 11, 26, 1, 30, tzinfo=UTC),
            "08 giờ 30 phút, ngày 26 tháng 11 năm 2026",
        ),
    ],
)
def test_official_date_time(when, expected):
    assert formatting.official_datetime(when) == expected


def test_place_and_date():
    assert (
        formatting.place_date("Hòa Bình", date(2026, 2, 3)) == "Hòa Bình, ngày 03 tháng 02 năm 2026"
    )
    assert formatting.place_date("", date(2026, 12, 31)) == "Ngày 31 tháng 12 năm 2026"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(0, "Miễn phí"), (500, "500 đồng"), (50_000, "50.000 đồng"), (1_250_000, "1.250.000 đồng")],
)
def test_money(amount, expected):
    assert formatting.money(amount) == expected


def test_processing_time_words_come_from_the_view():
    assert ProcessingTime(0.5, "working_days").describe() == "0,5 ngày làm việc"


def test_headings_balance_their_lines():
    fonts.register_fonts()
    lines = balanced_lines("BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", fonts.BOLD, 8, 45 * mm)
    assert lines == ["BỘ PHẬN TIẾP NHẬN", "VÀ TRẢ KẾT QUẢ"]
    assert balanced_lines("UBND XÃ HÒA BÌNH", fonts.REGULAR, 8, 45 * mm) == ["UBND XÃ HÒA BÌNH"]


@pytest.mark.parametrize("width_mm", [30, 36, 40])
def test_letterheads_break_between_word_groups(width_mm):
    """Balancing alone breaks "ỦY BAN NHÂN / DÂN XÃ HÒA BÌNH"; a letterhead breaks between
    the people's committee and its place, and keeps a unit's name in its halves."""
    st = styles(9.5)
    committee = "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH"
    width = width_mm * mm
    assert balanced_lines(committee, fonts.REGULAR, st.head_parent.fontSize, width)[0] == (
        "ỦY BAN NHÂN"
    )
    assert heading_lines(committee, st.head_parent, width) == ["ỦY BAN NHÂN DÂN", "XÃ HÒA BÌNH"]
    assert heading_lines("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", st.head_parent, 40 * mm) == [
        "ỦY BAN NHÂN DÂN",
        "THÀNH PHỐ HỒ CHÍ MINH",
    ]
    assert heading_lines("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", st.head_office, 40 * mm) == [
        "TRUNG TÂM PHỤC VỤ",
        "HÀNH CHÍNH CÔNG",
    ]
    # a group wider than the column still breaks, as a last resort
    assert len(heading_lines(committee, st.head_parent, 18 * mm)) >= 3


def test_the_barcode_writer_is_a_python_barcode_writer_drawing_vectors():
    assert issubclass(codes.CanvasBarcodeWriter, barcode.writer.BaseWriter)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(90 * mm, 25 * mm))
    codes.draw_code128(canvas, "000.00.36.H62-261126-1001", 2 * mm, 22 * mm, 0.254, 10, "x")
    canvas.save()
    page = pdfium.PdfDocument(buffer.getvalue())[0]
    kinds = [obj.type for obj in page.get_objects()]
    # all bars in one path object, the caption as text, no picture
    assert kinds.count(pdfium_c.FPDF_PAGEOBJ_PATH) == 1
    assert pdfium_c.FPDF_PAGEOBJ_IMAGE not in kinds
    assert pdfium_c.FPDF_PAGEOBJ_TEXT in kinds


def test_code128_width_follows_the_module():
    code = "000.00.36.H62-261126-1001"
    modules = codes.code128_modules(code)
    assert codes.barcode_width(code, 0.254) == pytest.approx((modules + 20) * 0.254 * mm)


def test_the_qr_code_is_one_path_filled_once():
    ops = codes._qr_operators("http://127.0.0.1:8080/tra-cuu?ma=X&k=Y", 50.0).split("\n")
    assert ops[-1] == "f" and ops.count("f") == 1
    assert all(op.endswith(" re") for op in ops[:-1])
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(30 * mm, 30 * mm))
    codes.draw_qr(canvas, "http://127.0.0.1:8080/tra-cuu?ma=X&k=Y", 0, 0, 30 * mm)
    canvas.save()
    page = pdfium.PdfDocument(buffer.getvalue())[0]
    assert [obj.type for obj in page.get_objects()] == [pdfium_c.FPDF_PAGEOBJ_PATH]


def test_naive_datetimes_are_vietnam_time():
    naive = datetime(2026, 11, 26, 8, 30)
    assert formatting.local(naive) is naive
    assert formatting.local(naive.replace(tzinfo=VN_TZ) - timedelta(0)) == naive.replace(
        tzinfo=VN_TZ
    )


def test_printing_does_not_pull_in_qt_or_the_database():
    code = (
        "import sys, printing, devtools.samples;"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'shiboken6', 'sqlalchemy', 'ui', 'portal')"
        " or m in ('counter.models', 'counter.db')];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
