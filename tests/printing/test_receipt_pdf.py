"""The receipt (Mẫu 01): codes a scanner reads, Vietnamese text exactly as given,
embedded fonts, and long content that flows onto further pages without overlapping."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

import pypdfium2 as pdfium
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counter.views import FeeLine
from devtools.samples import HARD_NAMES, LOOKUP_URL, sample_dossier, sample_office
from printing import render_receipt

MM = 72 / 25.4


@pytest.mark.parametrize(
    ("paper", "pages", "per_page"),
    [("a5", 2, 1), ("a4", 1, 2), ("thermal80", 1, 1)],
)
def test_barcode_and_qr_decode_at_200_dpi(probe, dossier, office, paper, pages, per_page):
    pdf = render_receipt(dossier, office, paper)
    found = probe.codes(pdf)
    assert len(found) == pages
    for codes in found:
        assert codes.count(("Code128", dossier.code)) == per_page
        assert codes.count(("QRCode", LOOKUP_URL)) == per_page
        assert len(codes) == 2 * per_page  # nothing else, nothing garbled


def test_qr_holds_the_code_when_there_is_no_lookup_url(probe, dossier, office):
    pdf = render_receipt(replace(dossier, lookup_url=""), office, "a5")
    assert ("QRCode", dossier.code) in probe.codes(pdf)[0]


@pytest.mark.parametrize(("paper", "size_mm"), [("a5", (148.0, 210.0)), ("a4", (210.0, 297.0))])
def test_paper_sizes(probe, dossier, office, paper, size_mm):
    assert set(probe.sizes_mm(render_receipt(dossier, office, paper))) == {size_mm}


def test_thermal_slip_is_80_mm_wide_and_as_long_as_its_content(probe, dossier, office):
    [(width, height)] = probe.sizes_mm(render_receipt(dossier, office, "thermal80"))
    assert width == 80.0
    assert 80 < height < 200
    text = probe.text(render_receipt(dossier, office, "thermal80"))[0].replace("\n", " ")
    assert "Tra cứu: quét mã QR hoặc nhập mã hồ sơ tại quầy" in text
    assert f"Thủ tục: {dossier.procedure_name}" in text
    assert "Hẹn trả kết quả: 08 giờ 30 phút, ngày 27 tháng 11 năm 2026" in text
    assert f"Người nộp: {dossier.applicant_name}" in text
    # an appointment slip, never titled as the official receipt (Mẫu 01)
    assert "PHIẾU HẸN TRẢ KẾT QUẢ" in text and f"Quầy số {dossier.counter_no}" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ" not in text.upper() and "Mẫu số" not in text


def test_copies_are_labelled(probe, dossier, office):
    a5 = probe.text(render_receipt(dossier, office, "a5"))
    assert "(Liên 1: Lưu)" in a5[0] and "(Liên 2: Giao người nộp)" not in a5[0]
    assert "(Liên 2: Giao người nộp)" in a5[1]
    [a4] = probe.text(render_receipt(dossier, office, "a4"))
    assert a4.index("(Liên 1: Lưu)") < a4.index("(Liên 2: Giao người nộp)")


@pytest.mark.parametrize("name", HARD_NAMES)
def test_vietnamese_names_come_back_exactly(probe, dossier, office, name):
    clerk = HARD_NAMES[(HARD_NAMES.index(name) + 1) % len(HARD_NAMES)]
    pdf = render_receipt(replace(dossier, applicant_name=name, received_by_name=clerk), office)
    for page in probe.lines(pdf):
        assert f"Tiếp nhận hồ sơ của: {name}" in page
        assert clerk in page  # under the clerk's signature block, alone on its line


def test_every_field_is_printed_in_the_official_words(probe, dossier, office):
    page = probe.lines(render_receipt(dossier, office, "a5"))[0]
    text = "\n".join(page)
    expected = [
        "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hòa Bình, ngày 26 tháng 11 năm 2026",
        "Mẫu số 01",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {dossier.code}",
        "Số giấy tờ tùy thân: 036186012345",
        f"Địa chỉ: {dossier.address}",
        "Nội dung yêu cầu giải quyết: Đăng ký khai sinh (mã thủ tục: 1.001193)",
        "1. Thành phần hồ sơ nộp gồm:",
        "2 Giấy chứng sinh 1 0",
        "2. Số lượng hồ sơ: 01 bộ.",
        "3. Thời gian giải quyết hồ sơ theo quy định là: 1 ngày làm việc.",
        "4. Thời gian nhận hồ sơ: 08 giờ 30 phút, ngày 26 tháng 11 năm 2026.",
        "6. Đăng ký nhận kết quả: Tại Trung tâm Phục vụ hành chính công xã Hòa Bình.",
        "- Lệ phí đăng ký khai sinh: Miễn phí",
        "- Phí cấp bản sao trích lục khai sinh (02 bản): 16.000 đồng",
        "Tổng cộng: 16.000 đồng",
        "Vào Sổ theo dõi hồ sơ, Quyển số: 01/2026, Số thứ tự: 1001.",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "(Ký và ghi rõ họ tên)",
        "Đặng Hữu Phước",
    ]
    for line in expected:
        assert line in page, line
    # the due date may wrap after its comma, never inside
    assert "5. Thời gian trả kết quả giải quyết hồ sơ: 08 giờ 30 phút," in text
    assert "ngày 27 tháng 11 năm 2026." in text
    assert "TRUNG TÂM PHỤC VỤ" in text
    assert "Số điện thoại: 0912 345 678" in text
    assert "Thư điện tử: anhtuyet.nguyen@example.vn" in text


def test_no_fees_reads_free_and_post_delivery(probe, dossier, office):
    pdf = render_receipt(replace(dossier, fees=(), result_delivery="post"), office)
    text = probe.text(pdf)[0].replace("\n", " ")
    assert "Phí, lệ phí: Miễn phí." in text
    assert "6. Đăng ký nhận kết quả: Qua dịch vụ bưu chính công ích" in text


def test_fee_total_adds_the_lines(probe, dossier, office):
    fees = (FeeLine("A", "Phí thẩm định", 1_250_000), FeeLine("B", "Lệ phí cấp giấy", 50_000))
    text = probe.text(render_receipt(replace(dossier, fees=fees), office))[0]
    assert "Phí thẩm định: 1.250.000 đồng" in text
    assert "Lệ phí cấp giấy: 50.000 đồng" in text
    assert "Tổng cộng: 1.300.000 đồng" in text


def test_markup_characters_in_data_print_as_typed(probe, dossier, office):
    name = 'Công ty TNHH A&B <Hòa Bình> "Phước"'
    text = probe.text(render_receipt(replace(dossier, applicant_name=name), office))[0]
    assert f"Tiếp nhận hồ sơ của: {name}" in text


def test_fonts_are_embedded_subsets_of_be_vietnam_pro(probe, dossier, office):
    for paper in ("a5", "a4", "thermal80"):
        fonts = probe.font_dictionaries(render_receipt(dossier, office, paper))
        assert fonts["base_fonts"], paper
        for base in fonts["base_fonts"]:
            assert b"BeVietnamPro" in base, base  # no unembedded Helvetica/Times
            assert b"+" in base, base  # a subset: AAAAAA+BeVietnamPro-...
        assert fonts["font_file2"] == fonts["descriptors"] >= 2
        assert fonts["images"] == 0  # codes are vectors, not pictures


def _frame_mm(paper: str) -> list[tuple[float, float, float, float]]:
    """Printable frames (left, bottom, right, top) in points, as receipt.py lays them out."""
    if paper == "a5":
        return [(11 * MM, 9 * MM, 139 * MM, 202 * MM)]
    half = 148.5 * MM
    return [
        (12 * MM, half + 8 * MM, 200 * MM, 2 * half - 7 * MM),
        (12 * MM, 8 * MM, 200 * MM, half - 7 * MM),
    ]


@pytest.mark.parametrize("paper", ["a5", "a4"])
def test_long_content_wraps_inside_the_frame_and_continues(
    probe, find_overlaps, long_dossier, office, paper
):
    pdf = render_receipt(long_dossier, office, paper, printed_by="phuocdh")
    pages = probe.lines(pdf)
    assert len(pages) > 2
    text = "\n".join("\n".join(page) for page in pages)
    # every document and both signature blocks of both copies are there, in order
    for i in (1, 20, 40):
        assert text.count(f"giấy tờ số {i} chứng minh") == 2
    assert text.count("NGƯỜI TIẾP NHẬN HỒ SƠ") == 2
    assert text.count("(tiếp theo)") >= 2
    frames = _frame_mm(paper)
    eps = 1.0
    for index in range(len(pages)):
        boxes = probe.boxes(pdf, index)
        assert boxes
        for box in boxes:
            inside = any(
                left - eps <= box.left and box.right <= right + eps
                for left, _bottom, right, _top in frames
            )
            assert inside, (index, box)
            assert box.bottom >= 0 and box.top <= (297 if paper == "a4" else 210) * MM
        assert not find_overlaps(boxes), index


def test_signatures_stay_together_with_the_book_entry(probe, long_dossier, office):
    pages = probe.lines(render_receipt(long_dossier, office, "a5"))
    for page in pages:
        if "NGƯỜI TIẾP NHẬN HỒ SƠ" in page:
            assert any(line.startswith("Vào Sổ theo dõi hồ sơ") for line in page)


def test_the_usual_receipt_keeps_each_copy_on_its_own_sheet(probe, dossier, office):
    assert probe.pages(render_receipt(dossier, office, "a5")) == 2
    assert probe.pages(render_receipt(dossier, office, "a4")) == 1


def test_demo_dossiers_say_so(probe, dossier, office):
    text = probe.text(render_receipt(replace(dossier, is_demo=True), office))[0]
    assert "HỒ SƠ MẪU - KHÔNG CÓ GIÁ TRỊ" in text


def test_printed_by_goes_in_the_metadata_and_the_footer(probe, dossier, office):
    pdf = render_receipt(dossier, office, "a5", printed_by="phuocdh")
    assert "Người in: phuocdh" in probe.text(pdf)[0]
    assert b"phuocdh" in pdf


def test_unknown_paper_is_refused(dossier, office):
    with pytest.raises(ValueError, match="letter"):
        render_receipt(dossier, office, "letter")


def _vietnamese_letters() -> str:
    """Every Vietnamese letter, both cases, precomposed (NFC): 12 vowels x 6 tones, đ."""
    vowels = "aăâeêioôơuưy"
    tones = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
    letters = {unicodedata.normalize("NFC", v + t) for v in vowels for t in tones}
    letters |= set("bcdđghklmnpqrstvx")
    return "".join(sorted(letters | {c.upper() for c in letters}))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    words=st.lists(
        st.text(alphabet=_vietnamese_letters(), min_size=1, max_size=9), min_size=2, max_size=6
    )
)
def test_any_vietnamese_name_comes_back_exactly(words):
    name = " ".join(words)
    pdf = render_receipt(replace(sample_dossier(), applicant_name=name), sample_office())
    text = pdfium.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert f"Tiếp nhận hồ sơ của: {name}" in " ".join(text.split())
