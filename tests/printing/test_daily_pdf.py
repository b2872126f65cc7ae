"""The daily summary: A4 PDF and CSV carry the same figures."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import date, datetime

import pytest

from counter.statuses import Status
from counter.views import DossierSummary
from printing import daily_csv, render_daily
from printing.formatting import VN_TZ, days_late, percent, thousands


def _flat(probe, pdf: bytes) -> str:
    """All pages as one line of words: cells of a table row follow each other."""
    return re.sub(r"\s+", " ", " ".join(probe.text(pdf)))


def _sections(data: bytes) -> dict[str, list[list[str]]]:
    """CSV blocks keyed by their title row (blocks are separated by empty rows)."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    blocks: dict[str, list[list[str]]] = {}
    current: list[list[str]] = []
    for row in rows:
        if not row:
            if current:
                blocks[current[0][0]] = current[1:]
            current = []
        else:
            current.append(row)
    if current:
        blocks[current[0][0]] = current[1:]
    return blocks


@pytest.fixture(scope="module")
def rendered(summary):
    return render_daily(summary), daily_csv(summary)


def test_a4_portrait_numbered_pages(probe, rendered):
    pdf, _ = rendered
    sizes = probe.sizes_mm(pdf)
    assert set(sizes) == {(210.0, 297.0)}
    pages = probe.text(pdf)
    for number, text in enumerate(pages, start=1):
        assert f"Trang {number}/{len(pages)}" in text


def test_csv_is_utf8_with_bom_and_reads_back_vietnamese(rendered):
    _, data = rendered
    assert data.startswith(b"\xef\xbb\xbf")
    blocks = _sections(data)
    assert set(blocks) >= {
        "Số liệu tổng hợp",
        "Theo thủ tục hành chính",
        "Theo cán bộ tiếp nhận",
        "Hồ sơ quá hạn",
        "Tiếp nhận 30 ngày gần nhất",
    }
    clerks = [row[2] for row in blocks["Theo cán bộ tiếp nhận"][1:-1]]
    assert "H'Hen Niê" in clerks and "Trần Thị Ngọc Hưởng" in clerks


def test_csv_figures_are_the_pdf_figures(probe, rendered, summary):
    pdf, data = rendered
    text = _flat(probe, pdf)
    blocks = _sections(data)

    *totals, (rate_label, rate), rated, satisfied, (satisfied_label, satisfied_rate) = blocks[
        "Số liệu tổng hợp"
    ][1:]
    assert [int(v) for _, v in totals] == [
        summary.received,
        summary.guided,
        summary.returned,
        summary.returned_on_time,
        summary.returned_late,
        summary.rejected,
        summary.withdrawn,
        summary.pending,
        summary.overdue,
        summary.fees_collected,
        summary.paper_received,
        summary.digitised,
    ]
    assert rate == percent(summary.digitisation_rate) and rate not in ("", "-")
    assert f"{rate_label} {rate}" in text
    assert [int(rated[1]), int(satisfied[1])] == [summary.rated, summary.satisfied]
    assert satisfied_rate == percent(summary.satisfaction_rate) and summary.rated
    assert f"{satisfied_label} {satisfied_rate}" in text
    totals += [rated, satisfied]
    for label, value in totals:
        # the PDF writes "- trong đó ..." where the CSV starts with a capital
        pdf_label = label if not label.startswith("Trong đó") else "- t" + label[1:]
        assert f"{pdf_label} {thousands(int(value))}" in text, label

    for block in ("Theo thủ tục hành chính", "Theo cán bộ tiếp nhận"):
        rows = blocks[block][1:]
        assert rows[-1][2] == "Tổng cộng"
        for no, _key, label, *numbers in rows:
            # the PDF gives the share satisfied where the CSV gives its two counts
            rated_n, satisfied_n = int(numbers[-2]), int(numbers[-1])
            figures = " ".join(thousands(int(n)) for n in numbers[:-2])
            share = percent(satisfied_n / rated_n if rated_n else None)
            assert f"{no} {label} {figures} {share}".strip() in text, (block, label)
        # the total row adds up
        body = [[int(n) for n in row[3:]] for row in rows[:-1]]
        assert [sum(col) for col in zip(*body, strict=True)] == [int(n) for n in rows[-1][3:]]

    overdue = blocks["Hồ sơ quá hạn"][1:]
    assert len(overdue) == len(summary.overdue_list) == summary.overdue
    assert f"V. DANH SÁCH HỒ SƠ QUÁ HẠN ({len(overdue)} hồ sơ)" in text
    for no, code, name, _pcode, procedure, due, late in overdue:
        assert f"{no} {code} {name} {procedure} {due} {late}" in text, code


def test_days_late_count_from_the_due_date():
    due = datetime(2026, 11, 20, 16, 30, tzinfo=VN_TZ)
    assert days_late(due, date(2026, 11, 26)) == 6
    assert days_late(due, date(2026, 11, 20)) == 0


def test_csv_never_starts_a_cell_with_a_formula(summary):
    evil = DossierSummary(
        id=1,
        code="X-1",
        applicant_name='=HYPERLINK("http://x")',
        procedure_code="1",
        procedure_name="+cmd",
        status=Status.PROCESSING,
        received_at=datetime(2026, 11, 1, 8, tzinfo=VN_TZ),
        due_at=datetime(2026, 11, 2, 8, tzinfo=VN_TZ),
    )
    data = daily_csv(replace(summary, overdue_list=(evil,)))
    for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell


def test_chart_is_vector_and_the_report_day_is_labelled(probe, rendered):
    pdf, _ = rendered
    assert probe.font_dictionaries(pdf)["images"] == 0
    text = _flat(probe, pdf)
    assert "IV. HỒ SƠ TIẾP NHẬN 30 NGÀY GẦN NHẤT" in text
    assert "26/11" in text and "28/10" in text


def test_supervisor_signs_at_the_end(probe, rendered, summary):
    pdf, _ = rendered
    last = probe.lines(pdf)[-1]
    assert "LÃNH ĐẠO BỘ PHẬN" in last
    assert summary.signer_name in last


def test_an_empty_day_still_makes_a_report(probe, summary):
    empty = replace(
        summary,
        received=0,
        returned=0,
        rejected=0,
        withdrawn=0,
        returned_on_time=0,
        returned_late=0,
        pending=0,
        overdue=0,
        fees_collected=0,
        overdue_list=(),
        by_procedure=(),
        by_clerk=(),
        intake_last_30_days=(),
    )
    text = _flat(probe, render_daily(empty))
    assert "Không có hồ sơ quá hạn." in text
    assert "Chưa có số liệu tiếp nhận." in text
    assert _sections(daily_csv(empty))["Hồ sơ quá hạn"] == [
        [
            "TT",
            "Mã hồ sơ",
            "Người nộp",
            "Mã thủ tục",
            "Thủ tục hành chính",
            "Hạn trả",
            "Số ngày trễ",
        ]
    ]
