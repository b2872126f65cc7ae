"""The forms of Circular 03/2025/TT-VPCP, Annex I: one shared header, the 2025 numbers and
names, the official wording, the details filled in, organisations addressed as such."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from counter.errors import NotAllowed
from counter.statuses import Status
from counter.views import DocumentLine
from devtools.samples import (
    LOOKUP_URL,
    STOP_REASON,
    sample_book_rows,
    sample_documents,
    sample_form_details,
    sample_stopped_dossier,
)
from printing import FORM_KINDS, FormDetails, MissingDocument, render_book, render_form
from printing.formatting import VN_TZ
from printing.forms import HandoverStep
from printing.receipt import render_receipt
from printing.templates import APOLOGY

ISSUED = datetime(2026, 11, 26, 9, 0, tzinfo=VN_TZ)
ORGANIZATION = "Công ty TNHH Thương mại Hòa Bình"

# Annex I of Circular 03/2025/TT-VPCP: number and name of each form, written out here
# rather than read from the templates, so a wrong template fails.
ANNEX_I = {
    "receipt": ("01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
    "supplement": ("02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
    "refusal": ("03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
    "apology": ("04", "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"),
    "stop-notice": ("05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"),
    "control-sheet": ("06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
    "book": ("07", "SỔ THEO DÕI HỒ SƠ"),
}
# The names of Circular 01/2018/TT-VPCP that changed: none may be printed any more.
NAMES_2018 = ("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",)


def _flat(probe, pdf: bytes) -> str:
    return " ".join(" ".join(probe.text(pdf)).split())


def _view(kind, dossier):
    return sample_stopped_dossier() if kind == "stop-notice" else dossier


@pytest.mark.parametrize("kind", ["supplement", "refusal", "control-sheet"])
def test_the_counters_forms_carry_the_office_header_and_their_2025_number(
    probe, dossier, office, kind
):
    pdf = render_form(kind, dossier, office, sample_form_details()[kind])
    assert probe.sizes_mm(pdf) == [(148.0, 210.0)]
    lines = probe.lines(pdf)[0]
    number, name = ANNEX_I[kind]
    # the commune's people's committee over its public service centre, broken between
    # word groups ("ỦY BAN NHÂN DÂN" / "XÃ HÒA BÌNH"), never inside one
    head = " ".join(lines[: next(i for i, ln in enumerate(lines) if ln.startswith(("Số:", "Mẫu")))])
    assert head == "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", head
    assert all(line.endswith(("DÂN", "BÌNH", "VỤ", "CÔNG")) for line in lines[:3]), lines
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        f"Mẫu số {number}",
        name,
    ):
        assert expected in lines, expected
    assert ("QRCode", LOOKUP_URL) in probe.codes(pdf)[0]
    fonts = probe.font_dictionaries(pdf)
    assert all(b"BeVietnamPro" in f for f in fonts["base_fonts"])


@pytest.mark.parametrize("kind", ["apology", "stop-notice"])
def test_the_agencys_letters_carry_its_letterhead_a_number_and_its_heads_signature(
    probe, dossier, office, kind
):
    details = replace(
        sample_form_details()[kind], agency_parent="UBND tỉnh Phú Thọ", number="27/UBND-TP"
    )
    pdf = render_form(kind, _view(kind, dossier), office, details)
    assert probe.sizes_mm(pdf) == [(148.0, 210.0)]
    text = _flat(probe, pdf)
    number, name = ANNEX_I[kind]
    head = text[: text.index("CỘNG HÒA")]
    # the processing agency heads the letter, under its own parent authority
    assert head.startswith("UBND TỈNH PHÚ THỌ ỦY BAN NHÂN DÂN XÃ HÒA BÌNH"), head
    assert "TRUNG TÂM PHỤC VỤ" not in head
    assert "Số: 27/UBND-TP" in head and f"Mẫu số {number}" in head
    assert name in text
    assert "CHỦ TỊCH (Ký, ghi rõ họ tên và đóng dấu) Lê Văn Tỵ" in text
    assert ("QRCode", LOOKUP_URL) in probe.codes(pdf)[0]


@pytest.mark.parametrize("kind", ["apology", "stop-notice"])
def test_a_letter_without_a_number_leaves_one_to_fill_in(probe, dossier, office, kind):
    details = FormDetails(issued_at=ISSUED)
    text = _flat(probe, render_form(kind, _view(kind, dossier), office, details))
    assert "Số: ........" in text
    assert "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ" in text


def test_the_receipt_and_the_book_carry_their_2025_numbers(probe, dossier, office):
    receipt = probe.lines(render_receipt(dossier, office, "a5"))[0]
    assert "Mẫu số 01" in receipt and ANNEX_I["receipt"][1] in receipt
    book = _flat(
        probe, render_book(sample_book_rows(2), office, date(2026, 1, 1), date(2026, 1, 31))
    )
    assert "Mẫu số 07" in book and ANNEX_I["book"][1] in book


def test_every_sample_carries_the_2025_numbering_and_no_2018_name(probe):
    documents = sample_documents()
    found = {}
    for name, pdf in documents.items():
        text = _flat(probe, pdf)
        assert not any(old in text for old in NAMES_2018), name
        found[name] = [n for n, _ in ANNEX_I.values() if f"Mẫu số {n}" in text]
    assert found["form-supplement"] == ["02"]
    assert found["form-refusal"] == ["03"]
    assert found["form-apology"] == ["04"]
    assert found["form-stop-notice"] == ["05"]
    assert found["form-control-sheet"] == ["06"]
    assert found["tracking-book"] == ["07"]
    assert all(found[f"receipt-{paper}"] == ["01"] for paper in ("a5", "a4"))


def test_forms_are_all_known():
    assert FORM_KINDS == ("supplement", "refusal", "apology", "stop-notice", "control-sheet")


def test_stop_notice_carries_the_reason_and_addresses_the_applicant(probe, office):
    details = FormDetails(issued_at=ISSUED, reasons=(STOP_REASON,))
    text = _flat(probe, render_form("stop-notice", sample_stopped_dossier(), office, details))
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text
    assert "Kính gửi: Ông/Bà Nguyễn Thị Ánh Tuyết" in text
    assert "Ủy ban nhân dân xã Hòa Bình thông báo dừng giải quyết hồ sơ nêu trên, lý do:" in text
    assert f"lý do: {STOP_REASON}." in text
    assert "Mã hồ sơ: 000.00.36.H62-261126-1001." in text
    assert "Xin thông báo để ông/bà được biết./." in text


@pytest.mark.parametrize(
    "status", [s for s in Status if s != Status.STOPPED], ids=lambda s: s.value
)
def test_stop_notice_is_refused_for_a_dossier_not_stopped(dossier, office, status):
    with pytest.raises(NotAllowed) as refused:
        render_form("stop-notice", replace(dossier, status=status), office)
    assert "không ở trạng thái dừng xử lý" in refused.value.message("vi")
    assert dossier.code in refused.value.message("vi")
    assert "is not stopped" in refused.value.message("en")


def _organization(dossier):
    return replace(
        dossier, applicant_type="organization", applicant_name=ORGANIZATION, id_number="0101234567"
    )


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("receipt", ["Tiếp nhận hồ sơ của tổ chức: " + ORGANIZATION]),
        ("supplement", ["Hồ sơ của tổ chức: " + ORGANIZATION, "vướng mắc, tổ chức liên hệ với"]),
        (
            "refusal",
            [
                "tiếp nhận hồ sơ của tổ chức: " + ORGANIZATION,
                "Xin thông báo để tổ chức được biết và thực hiện./.",
            ],
        ),
        ("apology", ["Kính gửi: " + ORGANIZATION, "xin lỗi tổ chức và đề nghị gia hạn"]),
        (
            "stop-notice",
            ["Kính gửi: " + ORGANIZATION, "của tổ chức.", "Xin thông báo để tổ chức được biết./."],
        ),
    ],
)
def test_an_organisation_is_addressed_as_an_organisation(probe, dossier, office, kind, expected):
    view = _organization(_view(kind, dossier))
    if kind == "receipt":
        pdf = render_receipt(view, office, "a5")
    else:
        pdf = render_form(kind, view, office, sample_form_details()[kind])
    text = _flat(probe, pdf)
    for words in expected:
        assert words in text, words
    assert "ông/bà" not in text.lower()
    if kind == "receipt":
        assert "Mã số doanh nghiệp/mã số thuế: 0101234567" in text


def test_the_receipt_slip_names_an_organisation_as_one(probe, dossier, office):
    text = _flat(probe, render_receipt(_organization(dossier), office, "thermal80"))
    assert "Tổ chức: " + ORGANIZATION in text
    assert "Người nộp:" not in text


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
    assert "Kính gửi: Ông/Bà Nguyễn Thị Ánh Tuyết" in text
    assert "Ngày 26 tháng 11 năm 2026, Ủy ban nhân dân xã Hòa Bình tiếp nhận" in text
    assert f"Mã hồ sơ (số Giấy tiếp nhận hồ sơ và hẹn trả kết quả): {dossier.code}." in text
    assert "lý do: Hệ thống gặp sự cố." in text
    assert "xin lỗi ông/bà và đề nghị gia hạn thời gian giải quyết hồ sơ" in text
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
    centre = "Trung tâm Phục vụ hành chính công"
    assert f"1. Giao: {centre} 2. Nhận: Ủy ban nhân dân xã Hòa Bình" in text
    assert f"2. Nhận: {centre}" in text
    assert text.count("Người giao") == 4 and text.count("Người nhận") == 4
    assert "(Trước hạn/ đúng hạn/ quá hạn)" in text


def test_a_long_control_sheet_repeats_its_header(probe, dossier, office):
    steps = tuple(HandoverStep(f"Phòng {i}", f"Phòng {i + 1}") for i in range(8))
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
