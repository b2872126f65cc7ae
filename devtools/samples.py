"""Realistic invented views for tests, benchmarks and the rendered samples in docs/.

Nothing here touches a database: these build the same frozen views that
``counter`` hands to printing. Every name, number and address is invented.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from counter.statuses import Status
from counter.views import (
    BookRow,
    CountLine,
    DailySummary,
    DocumentLine,
    DossierSummary,
    DossierView,
    FeeLine,
    GuidanceView,
    HandoverView,
    Office,
    ProcessingTime,
    StatusChange,
)
from printing.form_details import handover_steps
from printing.formatting import VN_TZ

AGENCY_CODE = "000.00.36.H62"
DOSSIER_CODE = "000.00.36.H62-261126-1001"
LOOKUP_BASE_URL = "http://127.0.0.1:8080/tra-cuu"
LOOKUP_KEY = "K7M3PQ"
LOOKUP_URL = f"{LOOKUP_BASE_URL}?ma={DOSSIER_CODE}&k={LOOKUP_KEY}"

# Names that together use every Vietnamese tone mark, đ, and an ethnic-minority name.
HARD_NAMES = (
    "Nguyễn Thị Ánh Tuyết",
    "Đặng Hữu Phước",
    "H'Hen Niê",
    "Lê Văn Tỵ",
    "Trần Thị Ngọc Hưởng",
)

_FAMILY = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
)
_MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Xuân")
_GIVEN = (
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hòa",
    "Hưng",
    "Khánh",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Quyên",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thủy",
    "Trang",
    "Tuấn",
    "Vy",
    "Yến",
    "Ánh",
    "Đông",
    "Ước",
    "Tỵ",
)
_HAMLETS = (
    "thôn Đông",
    "thôn Trung Hòa",
    "thôn Bãi Sậy",
    "xóm Mới",
    "thôn Yên Lũng",
    "tổ dân phố Hạ",
    "bản Nà Phặc",
    "thôn Ea Kmút",
)
_CLERKS = (
    ("phuocdh", "Đặng Hữu Phước"),
    ("huongttn", "Trần Thị Ngọc Hưởng"),
    ("tyly", "Lê Văn Tỵ"),
    ("hanhpt", "Phạm Thị Hạnh"),
    ("sonvq", "Vũ Quốc Sơn"),
    ("henhn", "H'Hen Niê"),
)
_PROCEDURES = (
    ("1.001193", "Đăng ký khai sinh", 0),
    ("1.000894", "Đăng ký kết hôn", 0),
    ("1.000656", "Đăng ký khai tử", 0),
    (
        "2.000908",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền "
        "của Việt Nam cấp hoặc chứng nhận",
        2_000,
    ),
    ("2.000884", "Chứng thực chữ ký trong các giấy tờ, văn bản", 10_000),
    ("1.004227", "Cấp bản sao trích lục hộ tịch", 8_000),
    ("1.001022", "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", 15_000),
    ("1.003583", "Xác nhận thông tin về cư trú", 0),
)
RESULT_AGENCY = "Ủy ban nhân dân xã Hòa Bình"


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=VN_TZ)


def sample_office(**changes: Any) -> Office:
    office = Office(
        agency_code=AGENCY_CODE,
        agency_name="Xã Hòa Bình",
        counter_no=1,
        parent_name="UBND tỉnh Phú Thọ",
        level="commune",
        lookup_base_url=LOOKUP_BASE_URL,
        place="Hòa Bình",
        address="Thôn Trung Hòa, xã Hòa Bình",
        phone="0218 3852 123",
    )
    return replace(office, **changes)


def sample_dossier(**changes: Any) -> DossierView:
    """Nguyễn Thị Ánh Tuyết registers a birth on 26 November 2026 at 08:30."""
    received = at(date(2026, 11, 26), 8, 30)
    dossier = DossierView(
        id=1001,
        code=DOSSIER_CODE,
        agency_code=AGENCY_CODE,
        counter_no=1,
        procedure_code="1.001193",
        procedure_name="Đăng ký khai sinh",
        field_name="Hộ tịch",
        applicant_type="citizen",
        applicant_name="Nguyễn Thị Ánh Tuyết",
        id_number="036186012345",
        phone="0912 345 678",
        email="anhtuyet.nguyen@example.vn",
        address="Số 12, ngõ 34, thôn Đông, xã Hòa Bình, tỉnh Phú Thọ",
        channel="direct",
        sets=1,
        received_at=received,
        due_at=at(date(2026, 11, 27), 8, 30),
        status=Status.RECEIVED,
        lookup_key=LOOKUP_KEY,
        lookup_url=LOOKUP_URL,
        processing_time=ProcessingTime(1, "working_days"),
        result_agency=RESULT_AGENCY,
        result_delivery="counter",
        received_by="phuocdh",
        received_by_name="Đặng Hữu Phước",
        book_volume="01/2026",
        book_number=1001,
        documents=(
            DocumentLine("TK", "Tờ khai đăng ký khai sinh theo mẫu", originals=1),
            DocumentLine("GCS", "Giấy chứng sinh", originals=1),
            DocumentLine("GTTT", "Giấy tờ tùy thân của người đi đăng ký khai sinh", copies=1),
            DocumentLine("VBUQ", "Văn bản ủy quyền (nếu nộp thay)", originals=1),
        ),
        fees=(
            FeeLine("LP", "Lệ phí đăng ký khai sinh", 0),
            FeeLine("BS", "Phí cấp bản sao trích lục khai sinh (02 bản)", 16_000),
        ),
    )
    return replace(dossier, **changes)


STOP_REASON = (
    "Qua xác minh, trẻ đã được đăng ký khai sinh tại Ủy ban nhân dân xã Tân Lạc; "
    "không đăng ký khai sinh lần thứ hai"
)


def sample_stopped_dossier(**changes: Any) -> DossierView:
    """``sample_dossier`` whose processing the agency stopped on 27 November 2026."""
    stopped = StatusChange(
        at(date(2026, 11, 27), 10, 15), Status.STOPPED, "portal", STOP_REASON, "portal"
    )
    received = StatusChange(sample_dossier().received_at, Status.RECEIVED, "phuocdh")
    return sample_dossier(status=Status.STOPPED, history=(received, stopped), **changes)


def long_dossier(documents: int = 40, **changes: Any) -> DossierView:
    """A dossier with long names and a document list that cannot fit on one page."""
    docs = tuple(
        DocumentLine(
            f"D{i:02d}",
            f"Bản sao có chứng thực giấy tờ số {i} chứng minh quyền sử dụng đất, quyền sở hữu "
            f"nhà ở và tài sản khác gắn liền với đất của hộ gia đình, cá nhân (tờ {i})",
            originals=i % 2,
            copies=1 + i % 3,
        )
        for i in range(1, documents + 1)
    )
    base = sample_dossier(
        applicant_name="Công ty trách nhiệm hữu hạn một thành viên Thương mại Dịch vụ và Xây "
        "dựng Nguyễn Thị Ánh Tuyết - Đặng Hữu Phước - Trần Thị Ngọc Hưởng",
        applicant_type="organization",
        id_number="0312345678-001",
        address="Lô B12-14, khu công nghiệp Hòa Bình mở rộng giai đoạn hai, đường Trường Chinh "
        "nối dài, thôn Ea Kmút, xã Hòa Bình, tỉnh Phú Thọ, Việt Nam",
        procedure_code="2.000908",
        procedure_name=_PROCEDURES[3][1],
        documents=docs,
        fees=tuple(
            FeeLine(f"F{i}", f"Phí chứng thực bản sao, {i * 3} trang", 2_000 * i * 3)
            for i in range(1, 4)
        ),
    )
    return replace(base, **changes)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"


def _phone(rng: random.Random) -> str:
    return f"09{rng.randint(0, 99_999_999):08d}"


def _address(rng: random.Random) -> str:
    return f"Số {rng.randint(1, 200)}, {rng.choice(_HAMLETS)}, xã Hòa Bình"


def sample_summary(
    dossiers: int = 2000, day: date = date(2026, 11, 26), seed: int = 7
) -> DailySummary:
    """A day with ``dossiers`` received, consistent totals, breakdowns and an overdue list."""
    rng = random.Random(seed)
    office = sample_office()
    counts = ("received", "returned", "rejected", "withdrawn", "fees", "rated", "satisfied")
    per_proc: dict[str, dict[str, int]] = {
        code: dict.fromkeys(counts, 0) for code, _, _ in _PROCEDURES
    }
    per_clerk: dict[str, dict[str, int]] = {user: dict.fromkeys(counts, 0) for user, _ in _CLERKS}
    # four citizens in five rate at hand-back, nearly all satisfied (its own draws: the rest of
    # the sample stays as it was)
    ratings = random.Random(seed + 1)
    rated = satisfied = 0
    weights = (30, 8, 4, 25, 12, 10, 6, 5)
    returned = rejected = withdrawn = on_time = late = fees = 0
    for _ in range(dossiers):
        code, _, fee = rng.choices(_PROCEDURES, weights=weights)[0]
        user = rng.choice(_CLERKS)[0]
        amount = fee * rng.randint(1, 3)
        for bucket in (per_proc[code], per_clerk[user]):
            bucket["received"] += 1
            bucket["fees"] += amount
        fees += amount
        outcome = rng.random()
        key = ""
        if outcome < 0.55:
            key = "returned"
            returned += 1
            if rng.random() < 0.93:
                on_time += 1
            else:
                late += 1
        elif outcome < 0.58:
            key = "rejected"
            rejected += 1
        elif outcome < 0.60:
            key = "withdrawn"
            withdrawn += 1
        if key:
            per_proc[code][key] += 1
            per_clerk[user][key] += 1
        if key == "returned" and ratings.random() < 0.8:
            happy = int(ratings.random() < 0.96)
            rated, satisfied = rated + 1, satisfied + happy
            for bucket in (per_proc[code], per_clerk[user]):
                bucket["rated"] += 1
                bucket["satisfied"] += happy
    names = {code: name for code, name, _ in _PROCEDURES}
    by_procedure = tuple(
        CountLine(key=code, label=names[code], **counts)
        for code, counts in per_proc.items()
        if counts["received"]
    )
    by_clerk = tuple(
        CountLine(key=user, label=full, **per_clerk[user])
        for user, full in _CLERKS
        if per_clerk[user]["received"]
    )
    overdue_n = max(1, dossiers // 25)
    overdue_list = []
    for i in range(overdue_n):
        code, name, _ = rng.choice(_PROCEDURES)
        received = at(day - timedelta(days=rng.randint(3, 40)), rng.randint(8, 16), 15)
        due_day = min(received.date() + timedelta(days=rng.randint(1, 5)), day - timedelta(days=1))
        due = at(due_day, *rng.choice(((11, 30), (16, 30), (17, 0))))
        overdue_list.append(
            DossierSummary(
                id=50_000 + i,
                code=f"{AGENCY_CODE}-{received:%y%m%d}-{1000 + i:04d}",
                applicant_name=HARD_NAMES[i % len(HARD_NAMES)] if i < 5 else _name(rng),
                procedure_code=code,
                procedure_name=name,
                status=Status.PROCESSING,
                received_at=received,
                due_at=due,
            )
        )
    overdue_list.sort(key=lambda d: d.due_at)
    intake = tuple(
        (
            day - timedelta(days=29 - i),
            dossiers if i == 29 else rng.randint(dossiers // 3, dossiers),
        )
        for i in range(30)
    )
    return DailySummary(
        day=day,
        office=office,
        received=dossiers,
        returned=returned,
        rejected=rejected,
        withdrawn=withdrawn,
        returned_on_time=on_time,
        returned_late=late,
        pending=dossiers - returned - rejected - withdrawn + overdue_n,
        overdue=overdue_n,
        fees_collected=fees,
        paper_received=dossiers - 4,  # four came online
        digitised=dossiers - 7,
        rated=rated,
        satisfied=satisfied,
        overdue_list=tuple(overdue_list),
        by_procedure=by_procedure,
        by_clerk=by_clerk,
        intake_last_30_days=intake,
        generated_at=at(day, 17, 5),
        signer_name="Trần Thị Ngọc Hưởng",
    )


# Registers use the short names of procedures; every one fits in two lines of the book.
_BOOK_PROCEDURES = tuple(
    (code, "Chứng thực bản sao từ bản chính giấy tờ, văn bản" if code == "2.000908" else name)
    for code, name, _ in _PROCEDURES
)


def _next_workday(day: date, days: int) -> date:
    step = 1 if days >= 0 else -1
    left = abs(days)
    while left:
        day += timedelta(days=step)
        if day.weekday() < 5:
            left -= 1
    return day


def sample_book_rows(n: int, start: date = date(2026, 1, 5), seed: int = 11) -> list[BookRow]:
    """``n`` tracking-book rows, about 40 a working day, oldest first."""
    rng = random.Random(seed)
    rows: list[BookRow] = []
    day = start
    per_day = 0
    for number in range(1, n + 1):
        if per_day >= 40 or day.weekday() >= 5:
            day += timedelta(days=1)
            while day.weekday() >= 5:
                day += timedelta(days=1)
            per_day = 0
        per_day += 1
        _, name = rng.choice(_BOOK_PROCEDURES)
        minutes = 450 + per_day * 12  # from 07:30, one dossier every 12 minutes
        if minutes >= 690:  # the lunch break, 11:30-13:00
            minutes += 90
        received = at(day, minutes // 60, minutes % 60)
        due = at(_next_workday(day, rng.choice((1, 2, 3, 5))), 16, 30)
        transferred = received + timedelta(hours=1)
        result = at(_next_workday(due.date(), -1), 15, 0)
        returned = at(due.date(), 9 + per_day % 7, 15) if rng.random() < 0.8 else None
        status = Status.RETURNED if returned else Status.DONE
        rows.append(
            BookRow(
                book_number=number,
                code=f"{AGENCY_CODE}-{received:%y%m%d}-{1000 + per_day:04d}",
                procedure_name=name,
                sets=1,
                applicant_name=HARD_NAMES[number % len(HARD_NAMES)]
                if number % 7 == 0
                else _name(rng),
                address=_address(rng),
                phone=_phone(rng),
                result_agency=RESULT_AGENCY,
                received_at=received,
                due_at=due,
                transferred_at=transferred,
                result_received_at=result,
                returned_at=returned,
                status=status,
                digitised=number % 23 != 0,  # received on paper; a few not digitised yet
            )
        )
    return rows


def sample_form_details() -> dict[str, Any]:
    """FormDetails for each form kind, matching ``sample_dossier``."""
    from counter.views import DocumentLine as Doc
    from printing.forms import FormDetails, MissingDocument

    issued = at(date(2026, 11, 26), 9, 0)
    return {
        "supplement": FormDetails(
            issued_at=issued,
            number="15/PYC-TTPVHCC",
            missing=(
                Doc("GCS", "Giấy chứng sinh (bản chính)", originals=1),
                MissingDocument(
                    "Giấy tờ chứng minh nơi cư trú của người mẹ", certified=1, photocopies=1
                ),
            ),
            reasons=("Giấy chứng sinh nộp kèm là bản chụp, không có bản chính để đối chiếu.",),
        ),
        "refusal": FormDetails(
            issued_at=issued,
            reasons=(
                "Trẻ sinh tại nước ngoài: việc đăng ký khai sinh thuộc thẩm quyền của Ủy ban "
                "nhân dân cấp tỉnh.",
                "Người đi đăng ký không xuất trình được giấy tờ tùy thân.",
            ),
        ),
        "apology": FormDetails(
            issued_at=at(date(2026, 11, 27), 9, 0),
            reasons=(
                "Cơ sở dữ liệu hộ tịch điện tử gặp sự cố, chưa cấp được số định danh cá "
                "nhân cho trẻ",
            ),
            new_due_at=at(date(2026, 11, 30), 16, 30),
            signer_title="CHỦ TỊCH",
            signer_name="Lê Văn Tỵ",
        ),
        "stop-notice": FormDetails(
            issued_at=at(date(2026, 11, 27), 14, 0),
            reasons=(STOP_REASON,),
            signer_title="CHỦ TỊCH",
            signer_name="Lê Văn Tỵ",
        ),
        "control-sheet": FormDetails(
            issued_at=at(date(2026, 11, 26), 8, 30),
            handovers=handover_steps(sample_dossier(handovers=sample_handovers())),
        ),
    }


def sample_handovers() -> tuple[HandoverView, ...]:
    """The sample dossier's way through the commune: out to the culture and society office
    before its due day, to the committee's chairman on it, and back to the centre late."""
    centre, office = "Trung tâm Phục vụ hành chính công xã Hòa Bình", "Phòng Văn hóa - Xã hội"
    return (
        HandoverView(
            at(date(2026, 11, 26), 9, 15),
            AGENCY_CODE,
            centre,
            "000.20.36.H62",
            office,
            "Đặng Hữu Phước",
        ),
        HandoverView(
            at(date(2026, 11, 27), 8, 5),
            "000.20.36.H62",
            office,
            "000.01.36.H62",
            RESULT_AGENCY,
            "Lò Thị Mai",
            "Trình ký trích lục",
        ),
        HandoverView(
            at(date(2026, 11, 27), 10, 20),
            "000.01.36.H62",
            RESULT_AGENCY,
            AGENCY_CODE,
            centre,
            "Hoàng Văn Nam",
            "Chờ lãnh đạo ký",
        ),
    )


def sample_guidance(**changes: Any) -> GuidanceView:
    """An incomplete dossier at the counter: an organisation without one required paper."""
    from counter.views import DocumentLine as Doc

    view = GuidanceView(
        id=1,
        code="HD-261126-1003",
        guided_at=at(date(2026, 11, 26), 9, 40),
        guided_by="tiepnhan",
        guided_by_name="Trần Thị Tiếp",
        procedure_code="2.001199",
        procedure_name="Cấp giấy phép hoạt động cơ sở giáo dục mầm non độc lập",
        applicant_type="organization",
        applicant_name="Công ty TNHH Giáo dục Hoa Ban",
        id_type="",
        id_number="5300123456",
        phone="0214 3820 123",
        address="Số 12 đường Hoàng Liên, phường Cốc Lếu, tỉnh Lào Cai",
        received=(Doc("TK", "Tờ khai đề nghị cấp phép", originals=1),),
        missing=(Doc("PCCC", "Văn bản thẩm duyệt phòng cháy, chữa cháy", copies=1),),
        note="Chưa có văn bản thẩm duyệt phòng cháy, chữa cháy của cơ quan có thẩm quyền.",
    )
    return replace(view, **changes)


def sample_documents() -> dict[str, bytes]:
    """Every document rendered from the sample views, by name."""
    from printing.book import render_book
    from printing.daily import render_daily
    from printing.forms import render_form
    from printing.receipt import render_receipt

    office, dossier = sample_office(), sample_dossier()
    documents: dict[str, bytes] = {
        "receipt-a5": render_receipt(dossier, office, "a5"),
        "receipt-a4": render_receipt(dossier, office, "a4"),
        "receipt-thermal80": render_receipt(dossier, office, "thermal80"),
    }
    for kind, details in sample_form_details().items():
        view = sample_stopped_dossier() if kind == "stop-notice" else dossier
        documents[f"form-{kind}"] = render_form(kind, view, office, details)
    from printing.form_details import guidance_details

    guidance = sample_guidance()
    details = guidance_details(guidance, None, at(date(2026, 11, 26), 9, 42))
    documents["form-supplement-guidance"] = render_form("supplement", guidance, office, details)
    documents["daily-summary"] = render_daily(sample_summary(2000))
    # some rows' hand-overs were reported by the portal: the agency is named beside the time
    rows = [
        replace(r, transferred_to=RESULT_AGENCY, result_from=RESULT_AGENCY)
        if r.book_number % 4 == 0
        else r
        for r in sample_book_rows(200)
    ]
    documents["tracking-book"] = render_book(rows, office, date(2026, 1, 1), date(2026, 1, 31))
    return documents


def write_samples(folder: str, dpi: float = 100, pdf: bool = False) -> list[str]:
    """Write the first page of every sample document to ``folder`` as PNG (needs
    pypdfium2, a test dependency), or the whole PDFs with ``pdf=True``."""
    from pathlib import Path

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    documents = sample_documents()
    made: list[str] = []
    for name, data in documents.items():
        if pdf:
            path = out / f"{name}.pdf"
            path.write_bytes(data)
        else:
            import pypdfium2 as pdfium

            page = pdfium.PdfDocument(data)[0]
            image = page.render(scale=dpi / 72, grayscale=True).to_pil()
            path = out / f"{name}.png"
            image.save(path, optimize=True)
        made.append(str(path))
    return made


if __name__ == "__main__":
    import sys

    args = [a for a in sys.argv[1:] if a != "--pdf"]
    for made in write_samples(args[0] if args else "docs/samples", pdf="--pdf" in sys.argv):
        print(made)
