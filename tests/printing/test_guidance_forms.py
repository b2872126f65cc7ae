"""The command line's ``guide`` and ``receive --from-guidance``, Mẫu 02 for a guidance, and
the receipt of a dossier received again after a supplement: the CLI in process on a real counter
folder, the PDFs read back."""

from __future__ import annotations

import csv
import io

import pytest


def _guide(cli, *extra):
    return cli.json(
        "guide",
        "--procedure",
        "1.001193",
        "--applicant-name",
        "Công ty TNHH Minh Anh",
        "--applicant-type",
        "organization",
        "--id-number",
        "0101234567",
        "--received-at",
        "2026-11-24T09:00",
        "--documents",
        "TK",
        *extra,
        user="clerk",
    )


@pytest.mark.slow
def test_an_incomplete_dossier_gets_mau_02_then_a_receipt(cli, tmp_path, probe):
    data = _guide(cli, "--note", "Chưa có giấy chứng sinh")
    assert data["guidance_id"] == "HD-261124-1001" and data["missing"] == ["GCS"]
    assert cli.json("find", "Minh Anh") == []  # no dossier, no code, no due date

    form = tmp_path / "mau02.pdf"
    cli.ok("print", "form", "supplement", data["guidance_id"], "-o", str(form), user="clerk")
    pdf = form.read_bytes()
    text = " ".join(probe.text(pdf)[0].split())
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "Hồ sơ của tổ chức: Công ty TNHH Minh Anh" in text
    assert "Số phiếu hướng dẫn: HD-261124-1001" in text
    assert "Giấy chứng sinh" in text and "Lý do: Chưa có giấy chứng sinh" in text
    assert "Mã hồ sơ" not in text  # nothing was received: no dossier code
    assert ("QRCode", "HD-261124-1001") in probe.codes(pdf)[0]
    # a guidance is not a dossier: no other form prints for it
    line = cli.refused("print", "form", "refusal", "HD-261124-1001", "-o", str(tmp_path / "x.pdf"))
    assert "chỉ in được Phiếu yêu cầu bổ sung" in line

    # the new dossier's options and a guidance do not mix
    assert "không cả hai" in cli.refused(
        "receive", "--from-guidance", "HD-261124-1001", "--procedure", "1.001193", user="clerk"
    )
    received = cli.json(
        "receive",
        "--from-guidance",
        "HD-261124-1001",
        "--received-at",
        "2026-11-25T10:00",
        user="clerk",
    )
    assert received["received_at"] == "2026-11-25T10:00:00+07:00"
    assert received["due_at"] == "2026-11-25T17:00:00+07:00"  # same day, before the cut-off
    shown = cli.json("show", received["code"])
    assert shown["applicant_type"] == "organization"
    assert [d["code"] for d in shown["documents"]] == ["TK", "GCS"]
    assert "already received" in cli.refused(
        "receive",
        "--from-guidance",
        "HD-261124-1001",
        user="clerk",
        env={"COUNTER_LANG": "en"},
    )

    daily = tmp_path / "daily.csv"
    cli.ok(
        "print", "daily", "--date", "2026-11-24", "-o", str(tmp_path / "d.pdf"), "--csv", str(daily)
    )
    rows = list(csv.reader(io.StringIO(daily.read_bytes().decode("utf-8-sig"))))
    assert ["Lượt hướng dẫn bổ sung, hoàn thiện hồ sơ (Mẫu 02, chưa tiếp nhận)", "1"] in rows


def test_a_complete_dossier_is_not_guided(cli):
    line = cli.refused(
        "guide",
        "--procedure",
        "1.001193",
        "--applicant-name",
        "Lò Văn Pầu",
        "--documents",
        "TK,GCS",
        user="clerk",
    )
    assert "đủ giấy tờ bắt buộc" in line
    assert "Không tìm thấy phiếu hướng dẫn" in cli.refused(
        "print", "form", "supplement", "HD-261124-1001", "-o", "x.pdf"
    )


@pytest.mark.slow
def test_receipt_after_papers_received_again(cli, tmp_path, probe):
    code = cli.json(
        "receive",
        "--procedure",
        "1.001193",
        "--applicant-name",
        "Lò Văn Pầu",
        "--received-at",
        "2026-11-23T09:00",
        user="clerk",
    )["code"]
    cli.ok("set-status", code, "processing", user="boss")
    cli.ok("set-status", code, "supplement_requested", "--note", "Thiếu bản sao", user="boss")
    shown = cli.json("set-status", code, "received", user="clerk")
    assert shown["restarted_at"] is not None and shown["due_at"] != "2026-11-23T17:00:00+07:00"
    out = tmp_path / "again.pdf"
    cli.ok("print", "receipt", code, "-o", str(out))
    text = " ".join(probe.text(out.read_bytes())[0].split())
    assert "tiếp nhận lại hồ sơ đã bổ sung" in text
    assert "tiếp nhận lần đầu: 09 giờ 00 phút, ngày 23 tháng 11 năm 2026" in text
