"""Forms 02-05: one shared header, the official wording, the details filled in."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from counter.views import DocumentLine
from devtools.samples import LOOKUP_URL, sample_form_details
from printing import FORM_KINDS, FormDetails, MissingDocument, render_form
from printing.formatting import VN_TZ
from printing.templates import APOLOGY, CONTROL_SHEET, REFUSAL, SUPPLEMENT

ISSUED = datetime(2026, 11, 26, 9, 0, tzinfo=VN_TZ)


def _flat(probe, pdf: bytes) -> str:
    return " ".join(probe.text(pdf)).replace("\n", " ")


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("supplement", SUPPLEMENT),
        ("refusal", REFUSAL),
        ("apology", APOLOGY),
        ("control-sheet", CONTROL_SHEET),
    ],
)
def test_each_form_is_one_a5_page_with_the_shared_header(probe, dossier, office, kind, words):
    pdf = render_form(kind, dossier, office, sample_form_details()[kind])
    assert probe.sizes_mm(pdf) == [(148.0, 210.0)]
    lines = probe.lines(pdf)[0]
    for expected in (
        "UBND XÃ HÒA BÌNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        f"Mẫu số {words['form_no']}",
        words["title"],
    ):
        assert expected in lines, expected
    assert ("QRCode", LOOKUP_URL) in probe.codes(pdf)[0]
    fonts = probe.font_dictionaries(pdf)
    assert all(b"BeVietnamPro" in f for f in fonts["base_fonts"])


def test_forms_are_all_known():
    assert FORM_KINDS == ("supplement", "refusal", "apology", "control-sheet")


def test_unknown_form_is_refused(dossier, office):
    with pytest.raises(ValueError, match="receipt"):
        render_form("receipt", dossier, office)


def test_supplement_lists_what_is_missing_and_whom_to_ask(probe, dossier, office):
    details = FormDetails(
        issued_at=ISSUED,
        number="15/PYC",
        missing=(
            DocumentLine("GCS", "Giấy chứng sinh", originals=1),
            DocumentLine("HK", "Sổ hộ khẩu", copies=2),
            MissingDocument("Giấy xác nhận tình trạng hôn nhân", certified=1, photocopies=3),
        ),
        reasons=("Giấy chứng sinh là bản chụp.",),
        contact_phone="0218 3852 999",
    )
    pdf = render_form("supplement", dossier, office, details)
    lines = probe.lines(pdf)[0]
    text = _flat(probe, pdf)
    assert "Hòa Bình, ngày 26 tháng 11 năm 2026" in lines
    assert "Số: 15/PYC" in lines
    assert "1 Giấy chứng sinh 1 0 0" in lines
    assert "2 Sổ hộ khẩu 0 2 0" in lines
    assert "3 Giấy xác nhận tình trạng hôn nhân 0 1 3" in text
    assert "Lý do: Giấy chứng sinh là bản chụp." in text
    assert (
        "ông/bà liên hệ với Đặng Hữu Phước, số điện thoại 0218 3852 999 để được hướng dẫn." in text
    )
    assert "NGƯỜI HƯỚNG DẪN" in lines
    assert lines[-1] == "Đặng Hữu Phước"


def test_refusal_numbers_every_reason(probe, dossier, office):
    details = FormDetails(issued_at=ISSUED, reasons=("Không thuộc thẩm quyền.", "Thiếu giấy tờ."))
    text = _flat(probe, render_form("refusal", dossier, office, details))
    assert "tiếp nhận hồ sơ của: Nguyễn Thị Ánh Tuyết" in text
    assert "1. Không thuộc thẩm quyền. 2. Thiếu giấy tờ." in text
    assert "Xin thông báo để ông/bà được biết và thực hiện./." in text


def test_apology_gives_the_new_appointment(probe, dossier, office):
    details = FormDetails(
        issued_at=datetime(2026, 11, 27, 10, tzinfo=VN_TZ),
        reasons=("Hệ thống gặp sự cố",),
        new_due_at=datetime(2026, 12, 2, 16, 30, tzinfo=VN_TZ),
        signer_name="Lê Văn Tỵ",
    )
    text = _flat(probe, render_form("apology", dossier, office, details))
    assert "Kính gửi: Nguyễn Thị Ánh Tuyết" in text
    assert "Ngày 26 tháng 11 năm 2026, Ủy ban nhân dân xã Hòa Bình tiếp nhận" in text
    assert f"Mã hồ sơ (số Giấy tiếp nhận hồ sơ và hẹn trả kết quả): {dossier.code}." in text
    assert "lý do: Hệ thống gặp sự cố." in text
    assert "vào 16 giờ 30 phút, ngày 02 tháng 12 năm 2026." in text
    assert text.rstrip().endswith("Lê Văn Tỵ")


def test_apology_without_a_date_leaves_a_line_to_fill_in(probe, dossier, office):
    text = _flat(probe, render_form("apology", dossier, office, FormDetails(issued_at=ISSUED)))
    assert APOLOGY["new_due_blank"] in text


def test_control_sheet_routes_the_dossier_and_carries_the_barcode(probe, dossier, office):
    pdf = render_form("control-sheet", dossier, office, FormDetails(issued_at=ISSUED))
    assert ("Code128", dossier.code) in probe.codes(pdf)[0]
    text = _flat(probe, pdf)
    assert "Kèm theo hồ sơ của: Nguyễn Thị Ánh Tuyết" in text
    assert "Ngày hẹn trả kết quả: 08 giờ 30 phút, ngày 27 tháng 11 năm 2026" in text
    assert "1. Giao: Bộ phận TN&TKQ 2. Nhận: Ủy ban nhân dân xã Hòa Bình" in text
    assert "2. Nhận: Bộ phận TN&TKQ" in text
    assert text.count("Người giao") == 4 and text.count("Người nhận") == 4
    assert "(Trước hạn/ đúng hạn/ quá hạn)" in text


def test_a_long_control_sheet_repeats_its_header(probe, dossier, office):
    steps = tuple((f"Phòng {i}", f"Phòng {i + 1}") for i in range(8))
    pdf = render_form("control-sheet", dossier, office, FormDetails(handovers=steps))
    pages = probe.lines(pdf)
    assert len(pages) >= 2
    assert all(any(line.startswith("TÊN CƠ QUAN") for line in page) for page in pages)
    assert f"Mã hồ sơ: {dossier.code} (tiếp theo)" in pages[1]


def test_the_issue_date_is_the_one_given(probe, dossier, office):
    details = FormDetails(issued_at=datetime(2026, 1, 5, 8, tzinfo=VN_TZ))
    lines = probe.lines(render_form("refusal", replace(dossier, is_demo=True), office, details))
    assert "Hòa Bình, ngày 05 tháng 01 năm 2026" in lines[0]
    assert date(2026, 1, 5)  # Decree 30/2020: day and months 1-2 take a leading zero
