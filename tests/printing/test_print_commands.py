"""``counter-admin print ...`` end to end: a real counter folder, the CLI run in process,
the PDFs read back; and how the forms' details are taken from the dossier's history."""

from __future__ import annotations

import csv
import io
import sqlite3
from dataclasses import replace
from datetime import datetime

import pytest

from counter.accounts import Actor
from counter.statuses import Status
from counter.views import DocumentLine, ProcedureView, ProcessingTime, StatusChange
from devtools.samples import sample_dossier
from printing.form_details import form_details, missing_documents
from printing.formatting import VN_TZ

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=VN_TZ)


@pytest.fixture
def received(cli):
    data = cli.json(
        "receive",
        "--procedure",
        "1.001193",
        "--applicant-name",
        "H'Hen Niê",
        "--address",
        "Buôn Ea Kmút, xã Hòa Bình",
        "--phone",
        "0912345678",
        user="clerk",
    )
    return data["code"]


@pytest.mark.slow
def test_receipt_to_a_file_scans_and_names_the_clerk(cli, received, tmp_path, probe):
    out = tmp_path / "out" / "receipt.pdf"
    data = cli.json("print", "receipt", received, "-o", str(out), user="clerk")
    assert data["output"] == str(out) and data["paper"] == "a5"
    pdf = out.read_bytes()
    pages = probe.codes(pdf)
    assert len(pages) == 2
    for codes in pages:
        assert ("Code128", received) in codes
        assert any(fmt == "QRCode" and f"ma={received}&k=" in text for fmt, text in codes)
    text = probe.text(pdf)[0]
    assert "Tiếp nhận hồ sơ của: H'Hen Niê" in text
    assert "Trần Thị Tiếp" in text  # the clerk who received it, under the signature block
    # a reprint on the slip paper, over the first (replacing a file needs --force)
    cli.ok("print", "receipt", received, "-o", str(out), "--paper", "thermal80", "--force")
    assert probe.sizes_mm(out.read_bytes())[0][0] == 80.0


@pytest.mark.slow
def test_refusal_carries_the_note_of_the_refusal(cli, received, tmp_path, probe):
    cli.ok(
        "set-status", received, "rejected", "--note", "Hồ sơ không thuộc thẩm quyền", user="clerk"
    )
    out = tmp_path / "refusal.pdf"
    cli.ok("print", "form", "refusal", received, "-o", str(out), user="clerk")
    text = " ".join(probe.text(out.read_bytes())[0].split())
    assert "1. Hồ sơ không thuộc thẩm quyền" in text
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text


@pytest.mark.slow
def test_daily_and_book(cli, received, tmp_path, probe):
    day = received.split("-")[1]
    iso_day = f"20{day[:2]}-{day[2:4]}-{day[4:]}"
    pdf_path, csv_path = tmp_path / "daily.pdf", tmp_path / "daily.csv"
    data = cli.json(
        "print",
        "daily",
        "--date",
        iso_day,
        "-o",
        str(pdf_path),
        "--csv",
        str(csv_path),
        user="boss",
    )
    assert data["csv"] == str(csv_path)
    rows = list(csv.reader(io.StringIO(csv_path.read_bytes().decode("utf-8-sig"))))
    assert ["Hồ sơ tiếp nhận trong ngày", "1"] in rows
    assert "Lê Văn Trưởng" in probe.text(pdf_path.read_bytes())[-1]  # the supervisor signs
    book = tmp_path / "book.pdf"
    data = cli.json("print", "book", "--from", iso_day, "--to", iso_day, "-o", str(book))
    assert data["rows"] == 1
    assert received in " ".join(probe.text(book.read_bytes())[0].split()).replace("- ", "-")
    conn = sqlite3.connect(cli.data_dir / "counter.db")
    try:
        printed = conn.execute(
            "SELECT actor, entity_key FROM audit_log WHERE action = 'report.print' ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    assert printed == [("boss", f"daily:{iso_day}"), ("system", f"book:{iso_day}/{iso_day}")]


def test_unknown_printer_and_bad_dates_are_refused(cli, received):
    line = cli.refused("print", "receipt", received, "--printer", "KHONG-CO-MAY-IN")
    # with CUPS the queue is named; without it, the missing print system is
    assert "KHONG-CO-MAY-IN" in line or "không tìm thấy lệnh 'lp'" in line
    assert "Ngày không hợp lệ" in cli.refused(
        "print", "book", "--from", "2026-02-30", "--to", "2026-03-01", "-o", "x.pdf"
    )
    assert "Không tìm thấy hồ sơ" in cli.refused("print", "receipt", "NOPE", "-o", "x.pdf")


def test_english_messages(cli, received, tmp_path):
    proc = cli.run(
        "print", "receipt", received, "-o", str(tmp_path / "r.pdf"), env={"COUNTER_LANG": "en"}
    )
    assert proc.returncode == 0 and proc.stdout.startswith("Saved the receipt to ")


def _procedure(*documents: DocumentLine) -> ProcedureView:
    return ProcedureView(
        code="1.001193",
        name="Đăng ký khai sinh",
        field_code="HT",
        field_name="Hộ tịch",
        level="commune",
        processing_time=ProcessingTime(1, "working_days"),
        documents=documents,
    )


def test_missing_documents_are_what_the_catalogue_asks_beyond_what_was_received():
    dossier = replace(
        sample_dossier(),
        documents=(DocumentLine("TK", "Tờ khai", originals=1), DocumentLine("HK", "Hộ khẩu", 0, 1)),
    )
    procedure = _procedure(
        DocumentLine("TK", "Tờ khai", originals=1),
        DocumentLine("GCS", "Giấy chứng sinh", originals=1),
        DocumentLine("HK", "Hộ khẩu", copies=2),
    )
    assert missing_documents(dossier, procedure) == (
        DocumentLine("GCS", "Giấy chứng sinh", 1, 0),
        DocumentLine("HK", "Hộ khẩu", 0, 1),
    )
    assert missing_documents(dossier, None) == ()


def test_apology_details_come_from_the_latest_rescheduling():
    first = datetime(2026, 11, 28, 16, 30, tzinfo=VN_TZ)
    second = datetime(2026, 12, 2, 16, 30, tzinfo=VN_TZ)
    dossier = replace(
        sample_dossier(), due_at=second, previous_due_at=first, reschedule_reason="Hệ thống lỗi"
    )
    details = form_details("apology", dossier, None, None, NOW)
    assert details.new_due_at == second
    assert details.previous_due_at == first
    assert details.reasons == ("Hệ thống lỗi",)
    plain = form_details("apology", sample_dossier(), None, None, NOW)
    assert plain.new_due_at is None and plain.reasons == ()


@pytest.mark.slow
def test_apology_letter_after_reschedule_end_to_end(cli, received, tmp_path, probe):
    shown = cli.json("show", received)
    cli.ok(
        "reschedule",
        received,
        "--due-at",
        "2027-01-15T16:00",
        "--reason",
        "Chờ xác minh của cơ quan khác",
        user="clerk",
    )
    out = tmp_path / "apology.pdf"
    cli.ok("print", "form", "apology", received, "-o", str(out), user="clerk")
    text = " ".join(probe.text(out.read_bytes())[0].split())
    assert "Chờ xác minh của cơ quan khác" in text
    assert "năm 2027" in text
    assert shown["due_at"][:4] in text


def test_the_clerk_who_prints_signs_the_supplement_request():
    actor = Actor("tyly", "Lê Văn Tỵ", "clerk")
    note = StatusChange(NOW, Status.SUPPLEMENT_REQUESTED, "tyly", "Thiếu giấy chứng sinh")
    dossier = replace(sample_dossier(), history=(note,))
    details = form_details("supplement", dossier, _procedure(), actor, NOW)
    assert details.contact_name == "Lê Văn Tỵ"
    assert details.reasons == ("Thiếu giấy chứng sinh",)
    assert details.issued_at == NOW


def test_the_stop_notice_takes_the_note_of_the_move_to_stopped():
    older = StatusChange(NOW.replace(hour=8), Status.STOPPED, "portal", "Lý do cũ")
    latest = StatusChange(NOW, Status.STOPPED, "portal", "  Người nộp đề nghị dừng  ")
    other = StatusChange(NOW, Status.REJECTED, "tyly", "Không thuộc thẩm quyền")
    dossier = replace(sample_dossier(), status=Status.STOPPED, history=(older, latest, other))
    details = form_details("stop-notice", dossier, None, None, NOW)
    assert details.reasons == ("Người nộp đề nghị dừng",)
    assert details.issued_at == NOW


@pytest.mark.slow
def test_stop_notice_end_to_end(cli, received, tmp_path, probe):
    out = tmp_path / "stop.pdf"
    line = cli.refused("print", "form", "stop-notice", received, "-o", str(out), user="clerk")
    assert "không ở trạng thái dừng xử lý" in line and "Mẫu số 05" in line
    assert not out.exists()
    proc = cli.run(
        "print", "form", "stop-notice", received, "-o", str(out), env={"COUNTER_LANG": "en"}
    )
    assert proc.returncode == 1 and "is not stopped" in proc.stderr
    cli.ok("set-status", received, "processing", user="boss")
    cli.ok("set-status", received, "stopped", "--note", "Người nộp đề nghị dừng", user="boss")
    data = cli.json("print", "form", "stop-notice", received, "-o", str(out), user="boss")
    assert data["kind"] == "stop-notice" and data["output"] == str(out)
    text = " ".join(probe.text(out.read_bytes())[0].split())
    assert "Mẫu số 05" in text and "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text
    assert "lý do: Người nộp đề nghị dừng." in text
    assert "Kính gửi: Ông/Bà H'Hen Niê" in text
