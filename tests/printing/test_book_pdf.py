"""The tracking book (Mẫu 07): A4 landscape, a header row and "Trang x/y" on every page,
thousands of rows, nothing drawn outside its cell."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date

import pytest

from counter.statuses import Status
from devtools.samples import HARD_NAMES, sample_book_rows
from printing import book_page_count, book_rows_per_page, render_book
from printing.book import COLUMNS, MARGIN_L

FROM, TO = date(2026, 1, 1), date(2026, 12, 31)
MM = 72 / 25.4


@pytest.mark.slow
def test_ten_thousand_rows_paginate_as_computed(probe, office):
    rows = sample_book_rows(10_000)
    pdf = render_book(rows, office, FROM, TO)
    expected = book_page_count(10_000)
    assert expected == -(-10_000 // book_rows_per_page())
    assert probe.pages(pdf) == expected
    assert set(probe.sizes_mm(pdf)) == {(297.0, 210.0)}
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    for index in (0, expected // 2, expected - 1):
        text = " ".join(doc[index].get_textpage().get_text_range().split())
        assert f"Trang {index + 1}/{expected}" in text
        assert "SỔ THEO DÕI HỒ SƠ" in text
        assert "Mã hồ sơ" in text and "Ký nhận kết quả" in text  # the header row again
    last = doc[expected - 1].get_textpage().get_text_range()
    assert rows[-1].code.split("-")[-1] in last


def test_rows_carry_every_column(probe, office):
    rows = sample_book_rows(3)
    row = replace(rows[0], applicant_name=HARD_NAMES[4], note="Nộp thay", phone="0912345678")
    text = " ".join(probe.text(render_book([row, *rows[1:]], office, FROM, TO))[0].split())
    assert "Từ ngày 01/01/2026 đến ngày 31/12/2026" in text
    assert "Mẫu số 07" in text
    assert "Trần Thị Ngọc Hưởng" in text
    assert row.address in text
    assert "ĐT: 0912345678" in text
    assert row.result_agency in text
    assert "Nộp thay" in text
    assert row.received_at.strftime("%d/%m/%Y") in text
    assert row.due_at.strftime("%d/%m/%Y %H:%M") in text


def test_a_refused_dossier_says_so_in_the_note(probe, office):
    row = replace(sample_book_rows(1)[0], status=Status.REJECTED, returned_at=None)
    text = " ".join(probe.text(render_book([row], office, FROM, TO))[0].split())
    assert "Không được tiếp nhận" in text


def test_long_cells_grow_the_row_and_stay_inside_their_column(probe, find_overlaps, office):
    long = replace(
        sample_book_rows(1)[0],
        applicant_name="Công ty cổ phần đầu tư xây dựng và thương mại dịch vụ Nguyễn Thị Ánh "
        "Tuyết - Đặng Hữu Phước - H'Hen Niê - Lê Văn Tỵ",
        address="Lô B12-14, khu công nghiệp Hòa Bình mở rộng giai đoạn hai, đường Trường Chinh "
        "nối dài, thôn Ea Kmút, xã Hòa Bình, tỉnh Phú Thọ",
        procedure_name="Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có "
        "thẩm quyền của Việt Nam cấp hoặc chứng nhận",
        code="000.00.36.H62-261126-100000000000001",
        note="Người nộp đề nghị nhận kết quả qua dịch vụ bưu chính công ích tại địa chỉ khác",
    )
    rows = [long] * 12 + sample_book_rows(12)
    pdf = render_book(rows, office, FROM, TO)
    assert probe.pages(pdf) > book_page_count(len(rows))  # tall rows take more room
    edges = [MARGIN_L]
    for _, width in COLUMNS:
        edges.append(edges[-1] + width)
    for index in range(probe.pages(pdf)):
        boxes = probe.boxes(pdf, index)
        assert not find_overlaps(boxes), index
        for box in boxes:
            assert box.bottom >= 0 and box.top <= 210 * MM
            if box.bottom > 12 * MM and box.top < 160 * MM:  # table body: inside a column
                assert any(
                    left - 0.5 <= box.left and box.right <= right + 0.5
                    for left, right in itertools.pairwise(edges)
                ), (index, box)


def test_an_empty_period_prints_one_page_that_says_so(probe, office):
    pdf = render_book([], office, FROM, TO)
    [text] = probe.text(pdf)
    assert "Không có hồ sơ nào được tiếp nhận trong khoảng thời gian này." in text
    assert "Trang 1/1" in text


def test_rows_may_come_from_a_generator(probe, office):
    pdf = render_book((row for row in sample_book_rows(30)), office, FROM, TO)
    assert probe.pages(pdf) == book_page_count(30)


def test_fonts_are_embedded(probe, office):
    fonts = probe.font_dictionaries(render_book(sample_book_rows(5), office, FROM, TO))
    assert fonts["base_fonts"] and all(b"BeVietnamPro" in f for f in fonts["base_fonts"])
    assert fonts["font_file2"] == fonts["descriptors"]
