"""Done-when of the forms: every form of Circular 03/2025 (Mẫu 01-07) printed from the
command line for dossiers that went through every status, each PDF read back."""

from __future__ import annotations

import pytest

FORMS = {
    "01": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "02": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "03": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "04": "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
    "05": "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
    "06": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
    "07": "SỔ THEO DÕI HỒ SƠ",
}


def _receive(cli, name: str, at: str) -> str:
    return cli.json(
        "receive",
        *("--procedure", "1.001193", "--applicant-name", name, "--received-at", at),
        user="clerk",
    )["code"]


@pytest.mark.slow
def test_every_form_of_circular_03_from_the_command_line(cli, tmp_path, probe):
    day = "2026-11-24"
    # one dossier the whole way: supplement, received again, processing, payment, late,
    # done, returned
    a = _receive(cli, "Lò Văn Pầu", f"{day}T08:00")
    moves = [
        ("processing", "boss"),
        ("supplement_requested", "boss"),
        ("received", "clerk"),
        ("processing", "boss"),
        ("payment_requested", "boss"),
        ("processing", "boss"),
    ]
    for status, who in moves:
        cli.ok("set-status", a, status, "--note", f"Bước {status}", user=who)
    cli.ok(
        "reschedule",
        a,
        *("--due-at", "2026-12-31T16:00", "--reason", "Cần xác minh thêm"),
        user="boss",
    )
    cli.ok("set-status", a, "done", user="boss")
    cli.ok("set-status", a, "returned", user="clerk")
    # one refused, one withdrawn, one stopped
    b = _receive(cli, "Hà Thị Lan", f"{day}T08:30")
    cli.ok("set-status", b, "rejected", "--note", "Không thuộc thẩm quyền", user="clerk")
    c = _receive(cli, "Vàng A Dế", f"{day}T09:00")
    cli.ok("set-status", c, "withdrawn", "--note", "Công dân xin rút", user="clerk")
    d = _receive(cli, "Giàng Thị Mỷ", f"{day}T09:30")
    cli.ok("set-status", d, "processing", user="boss")
    cli.ok("set-status", d, "stopped", "--note", "Người yêu cầu đã mất", user="boss")
    history = {h["status"] for h in cli.json("show", a)["history"]}
    assert history >= {
        "received",
        "processing",
        "supplement_requested",
        "payment_requested",
        "done",
        "returned",
    }

    jobs = [
        ("01", ("print", "receipt", a)),
        ("02", ("print", "form", "supplement", a)),
        ("03", ("print", "form", "refusal", b)),
        ("04", ("print", "form", "apology", a)),
        ("05", ("print", "form", "stop-notice", d)),
        ("06", ("print", "form", "control-sheet", a)),
        ("07", ("print", "book", "--from", day, "--to", day)),
    ]
    for number, args in jobs:
        out = tmp_path / f"mau-{number}.pdf"
        cli.ok(*args, "-o", str(out), user="clerk")
        text = " ".join(probe.text(out.read_bytes())[0].split())
        assert f"Mẫu số {number}" in text or f"Mẫu số: {number}" in text, (number, text[:300])
        assert FORMS[number] in text.upper(), (number, text[:300])
    book = " ".join(probe.text((tmp_path / "mau-07.pdf").read_bytes())[0].split())
    assert "Tiếp nhận lại" in book  # the re-receipt shows in the book too
