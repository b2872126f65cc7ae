"""``seed-demo``: realistic invented dossiers for demonstrations and benchmarks.

Written with bulk inserts (a million dossiers in a few minutes). Demo dossiers are marked,
never enter the outbox, and never leave the machine. Codes use the numbering blocks of the
agency's counters 1-9, as if the whole office had been receiving, and never reuse a number
already given on a day.
"""

from __future__ import annotations

import random
import time as _time
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import text

from counter import audit, receiving, versions
from counter.accounts import Actor, require
from counter.clock import VN_TZ, now, stored
from counter.codes import LOOKUP_ALPHABET, LOOKUP_KEY_LENGTH, format_code
from counter.errors import InvalidInput
from counter.search import INSERT_SQL, search_document, search_key
from counter.statuses import CLOSED, Status
from counter.storage import (
    APPLICANT_TYPE,
    CHANNEL,
    HISTORY_SOURCE,
    RESULT_DELIVERY,
    STATUS,
    SYNC_STATE,
    Day,
)
from counter.validation import CCCD_PROVINCES
from counter.views import ProcessingTime

FAMILY = (
    ["Nguyễn"] * 38
    + ["Trần"] * 11
    + ["Lê"] * 9
    + ["Phạm"] * 7
    + ["Hoàng"] * 4
    + ["Huỳnh"] * 2
    + ["Phan"] * 4
    + ["Vũ"] * 4
    + ["Võ"] * 3
    + ["Đặng"] * 2
    + ["Bùi"] * 2
    + ["Đỗ"] * 2
    + ["Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Lương", "Mai", "Đào", "Tạ", "Cao", "Lại"]
)
MIDDLE_M = [
    "Văn",
    "Hữu",
    "Đức",
    "Minh",
    "Quang",
    "Thanh",
    "Công",
    "Xuân",
    "Đình",
    "Ngọc",
    "Tiến",
    "Gia",
    "Bảo",
    "Quốc",
    "Trọng",
]
MIDDLE_F = [
    "Thị",
    "Thị",
    "Thị",
    "Ngọc",
    "Thu",
    "Thanh",
    "Kim",
    "Minh",
    "Phương",
    "Bích",
    "Hồng",
    "Diệu",
    "Mỹ",
    "Thùy",
    "Khánh",
]
GIVEN_M = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Hải",
    "Hiếu",
    "Hoàng",
    "Hùng",
    "Huy",
    "Khang",
    "Khoa",
    "Long",
    "Lộc",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quân",
    "Sơn",
    "Tài",
    "Thắng",
    "Thành",
    "Trung",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Phước",
    "Tỵ",
    "Toản",
    "Kiên",
    "Hưng",
    "Đông",
]
GIVEN_F = [
    "Anh",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hoa",
    "Huyền",
    "Hương",
    "Lan",
    "Linh",
    "Loan",
    "Mai",
    "My",
    "Nga",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phương",
    "Quỳnh",
    "Tâm",
    "Thảo",
    "Thủy",
    "Trang",
    "Tuyết",
    "Uyên",
    "Vân",
    "Xuân",
    "Yến",
    "Ánh",
    "Hưởng",
    "Ngọc",
    "Diệp",
    "Nhàn",
]
MINORITY = [
    "H'Hen Niê",
    "Y Bih Niê",
    "Ksor H'Bơi",
    "Lò Văn Púng",
    "Giàng A Páo",
    "Sùng Thị Mỷ",
    "Rơ Mah Hiền",
    "Điểu K'Lênh",
    "Lầu Thị Dính",
    "Hà Văn Thẩm",
]
STREETS = [
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Nguyễn Trãi",
    "Hai Bà Trưng",
    "Quang Trung",
    "Lý Thường Kiệt",
    "Phan Đình Phùng",
    "Hùng Vương",
    "Nguyễn Du",
    "Điện Biên Phủ",
]
HAMLETS = [
    "Thôn Đông",
    "Thôn Tây",
    "Thôn Thượng",
    "Thôn Hạ",
    "Xóm Mới",
    "Ấp Bình Thạnh",
    "Bản Phiêng",
    "Buôn Ma Y",
    "Thôn Cầu Đá",
    "Tổ dân phố 3",
]
COMMUNES = [
    "xã Hòa Bình",
    "xã Tân Lập",
    "xã Đông Hưng",
    "phường Quang Trung",
    "xã Phước Sơn",
    "xã Yên Thế",
    "phường Bến Thành",
    "xã Ea Kao",
    "xã Mường Thanh",
]
PROVINCES = [
    "tỉnh Lào Cai",
    "thành phố Hà Nội",
    "tỉnh Đắk Lắk",
    "tỉnh Nghệ An",
    "thành phố Hồ Chí Minh",
    "tỉnh Thanh Hóa",
    "tỉnh Điện Biên",
    "tỉnh Quảng Ngãi",
]
PHONE_PREFIXES = [
    "090",
    "091",
    "093",
    "094",
    "096",
    "097",
    "098",
    "086",
    "088",
    "032",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "039",
    "070",
    "076",
    "077",
    "078",
    "079",
    "081",
    "082",
    "083",
    "084",
    "085",
]
NOTES = ["", "", "", "", "Nộp thay cho người thân", "Hồ sơ đầy đủ", "Đã hướng dẫn bổ sung"]


class _Names:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def person(self) -> tuple[str, bool]:
        r = self.rng
        if r.random() < 0.02:
            return r.choice(MINORITY), r.random() < 0.5
        female = r.random() < 0.5
        middle = r.choice(MIDDLE_F if female else MIDDLE_M)
        given = r.choice(GIVEN_F if female else GIVEN_M)
        if r.random() < 0.15:
            given = f"{r.choice(MIDDLE_F if female else MIDDLE_M)} {given}"
        return f"{r.choice(FAMILY)} {middle} {given}", female

    def address(self) -> str:
        r = self.rng
        if r.random() < 0.4:
            head = f"Số {r.randint(1, 250)} đường {r.choice(STREETS)}"
        else:
            head = r.choice(HAMLETS)
        return f"{head}, {r.choice(COMMUNES)}, {r.choice(PROVINCES)}"

    def cccd(self, female: bool, birth_year: int) -> str:
        r = self.rng
        century = (birth_year // 100 - 19) * 2 + (1 if female else 0)
        province = r.choice(sorted(CCCD_PROVINCES))
        return f"0{province}{century}{birth_year % 100:02d}{r.randint(0, 999999):06d}"

    def phone(self) -> str:
        return self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randint(0, 9999999):07d}"


def _lifecycle(
    rng: random.Random, received: datetime, due: datetime, moment: datetime
) -> list[tuple[Status, datetime]]:
    """A plausible status history for a dossier received at ``received``, seen at ``moment``."""
    steps: list[tuple[Status, datetime]] = [(Status.RECEIVED, received)]
    age = (moment - received).total_seconds()
    span = max(3600.0, (due - received).total_seconds())
    if rng.random() < 0.02:
        steps.append((Status.REJECTED, received + timedelta(minutes=rng.randint(5, 90))))
        return steps
    if rng.random() < 0.02 and age > 3600:
        steps.append((Status.WITHDRAWN, received + timedelta(seconds=rng.uniform(600, age))))
        return steps
    t = received + timedelta(seconds=min(age, span) * rng.uniform(0.05, 0.2))
    if t >= moment:
        return steps
    steps.append((Status.PROCESSING, t))
    if rng.random() < 0.06:
        t2 = t + timedelta(seconds=span * rng.uniform(0.1, 0.4))
        if t2 < moment:
            steps.append((Status.SUPPLEMENT_REQUESTED, t2))
            t3 = t2 + timedelta(days=rng.uniform(1, 5))
            if t3 < moment:
                steps.append((Status.PROCESSING, t3))
            return steps
    late = rng.random() < 0.08
    done_at = received + timedelta(
        seconds=span * (rng.uniform(1.05, 1.6) if late else rng.uniform(0.4, 0.98))
    )
    if done_at >= moment:
        return steps
    steps.append((Status.DONE, done_at))
    back = done_at + timedelta(hours=rng.uniform(1, 24 * 6))
    if back < moment and rng.random() < 0.92:
        steps.append((Status.RETURNED, back))
    return steps


def seed_demo(
    app: Any, actor: Actor, count: int, days: int = 30, seed: int | None = None, chunk: int = 20000
) -> dict[str, Any]:
    """Insert ``count`` demo dossiers spread over the last ``days`` working days."""
    require(actor, "supervisor", "tạo dữ liệu mẫu", "create demo data")
    if not 1 <= count <= 5_000_000:
        raise InvalidInput("Số hồ sơ mẫu phải từ 1 đến 5.000.000", "count must be 1..5,000,000")
    if not 1 <= days <= 3650:
        raise InvalidInput("Số ngày phải từ 1 đến 3650", "days must be 1..3650")
    procedures = app.catalog.procedures()
    if not procedures:
        raise InvalidInput(
            "Danh mục thủ tục trống: hãy nhập danh mục trước (catalog import)",
            "The procedure catalogue is empty: import one first (catalog import)",
        )
    started = _time.perf_counter()
    rng = random.Random(seed)
    names = _Names(rng)
    office = app.office.identity()
    calendar = app.calendar.current()
    moment = now()
    block = int(app.settings.get("codes.block_size"))
    today = moment.date()
    working_days = [
        d for d in (today - timedelta(days=i) for i in range(days)) if calendar.is_working_day(d)
    ] or [today]
    working_days.sort()
    per_day = [0] * len(working_days)
    for _ in range(count):
        per_day[rng.randrange(len(working_days))] += 1
    capacity = 9 * (block - 1)
    if max(per_day) > capacity:
        raise InvalidInput(
            f"Quá nhiều hồ sơ mỗi ngày ({max(per_day)} > {capacity}): tăng --days",
            f"Too many dossiers per day ({max(per_day)} > {capacity}): raise --days",
        )
    weights = [rng.random() ** 2 + 0.05 for _ in procedures]
    periods = calendar.hours.periods
    with app.db.reading() as s:
        used: defaultdict[tuple[date, int], int] = defaultdict(int)
        for day_value, seq in s.execute(
            text(
                "SELECT receipt_day, max(seq_no) FROM dossiers WHERE receipt_day >= :d "
                "GROUP BY receipt_day, seq_no / :b"
            ),
            {"d": Day.stored(working_days[0]), "b": block},
        ):
            day_obj = Day.from_stored(day_value)
            used[(day_obj, seq // block)] = max(used[(day_obj, seq // block)], seq)
        next_id = int(s.execute(text("SELECT coalesce(max(id), 0) FROM dossiers")).scalar() or 0)
        next_hist = int(
            s.execute(text("SELECT coalesce(max(id), 0) FROM dossier_history")).scalar() or 0
        )
        book: dict[int, int] = {
            int(y): int(n)
            for y, n in s.execute(
                text("SELECT book_year, max(book_number) FROM dossiers GROUP BY book_year")
            )
        }
    with app.db.unit_of_work() as s:
        # each procedure's version (``counter.versions``), as a receipt would refer to it
        conn = receiving.driver(s)
        held = {p.code: receiving.procedure(conn, p.code) or SimpleNamespace() for p in procedures}
    clerks = [actor.username] + [
        u.username for u in app.accounts.list_users() if u.username != actor.username
    ]
    created = 0
    dossier_rows: list[tuple[Any, ...]] = []
    history_rows: list[tuple[Any, ...]] = []
    search_rows: list[tuple[Any, ...]] = []

    def flush() -> None:
        if not dossier_rows:
            return
        with app.db.unit_of_work() as s:
            conn = s.connection()
            conn.exec_driver_sql(DOSSIER_INSERT, dossier_rows)
            if history_rows:
                conn.exec_driver_sql(
                    "INSERT INTO dossier_history (id, dossier_id, at, status, by_user, note, "
                    "source) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    history_rows,
                )
            conn.exec_driver_sql(INSERT_SQL, search_rows)
            audit.append(
                s,
                actor.username,
                "demo.seed",
                "dossier",
                "",
                {
                    "count": len(dossier_rows),
                    "first": dossier_rows[0][1],
                    "last": dossier_rows[-1][1],
                },
            )
        dossier_rows.clear()
        history_rows.clear()
        search_rows.clear()

    for day, n in zip(working_days, per_day, strict=True):
        if n == 0:
            continue
        # receipt moments spread over the office periods, in order
        minutes = []
        limit = moment.hour * 60 + moment.minute if day == today else 24 * 60
        for start, end in periods:
            a = start.hour * 60 + start.minute
            b = min(end.hour * 60 + end.minute, limit)
            if b > a:
                minutes.append((a, b))
        if not minutes:  # today, before opening: the first minute of the day stands in
            minutes = [(periods[0][0].hour * 60, periods[0][0].hour * 60 + 1)]
        total = sum(b - a for a, b in minutes)
        offsets = sorted(rng.uniform(0, total * 60) for _ in range(n))
        for i, off in enumerate(offsets):
            secs = off
            for a, b in minutes:
                if secs < (b - a) * 60:
                    received = datetime.combine(day, time(0), VN_TZ) + timedelta(
                        seconds=int(a * 60 + secs)
                    )
                    break
                secs -= (b - a) * 60
            received = min(received, moment)
            counter_no = (i % 9) + 1
            number = (
                used[(day, counter_no)] + 1 if used[(day, counter_no)] else counter_no * block + 1
            )
            if number >= (counter_no + 1) * block:
                counter_no = next(
                    c for c in range(1, 10) if (used[(day, c)] or c * block) + 1 < (c + 1) * block
                )
                number = (
                    used[(day, counter_no)] + 1
                    if used[(day, counter_no)]
                    else counter_no * block + 1
                )
            used[(day, counter_no)] = number
            proc = rng.choices(procedures, weights)[0]
            due = calendar.due_at(
                received,
                proc.processing_time
                if proc.processing_time.unit in ("working_days", "working_hours", "calendar_days")
                else ProcessingTime(1, "working_days"),
            )
            name, female = names.person()
            org = rng.random() < 0.04
            if org:
                name = f"Công ty TNHH {rng.choice(STREETS)} {rng.randint(1, 99)}"
                id_number = f"{rng.randint(100000000, 999999999):09d}{rng.randint(0, 9)}"
            else:
                birth = rng.randint(1940, min(2008, today.year - 16))
                id_number = names.cccd(female, birth)
            phone = names.phone() if rng.random() < 0.9 else ""
            email = ""
            submitter = ""
            if rng.random() < 0.1:
                submitter = names.person()[0]
            steps = _lifecycle(rng, received, due, moment)
            final_status, final_at = steps[-1]
            next_id += 1
            code = format_code(office.agency_code, day, number)
            book[day.year] = book.get(day.year, 0) + 1
            returned_at = final_at if final_status is Status.RETURNED else None
            closed_at = next((at for st, at in steps if st in CLOSED), None)
            key = "".join(rng.choice(LOOKUP_ALPHABET) for _ in range(LOOKUP_KEY_LENGTH))
            docs = [
                {"code": d.code, "name": d.name, "originals": d.originals, "copies": d.copies}
                for d in proc.documents
            ]
            version = held[proc.code]
            address = names.address()
            sk = search_key(received, next_id)
            dossier_rows.append(
                (
                    next_id,
                    code,
                    counter_no,
                    Day.stored(day),
                    number,
                    day.year,
                    book[day.year],
                    proc.code,
                    version.version,
                    RESULT_DELIVERY.stored("counter"),
                    APPLICANT_TYPE.stored("organization" if org else "citizen"),
                    name,
                    id_number,
                    phone,
                    email,
                    address,
                    submitter,
                    "",
                    "",
                    CHANNEL.stored("direct" if rng.random() < 0.85 else "postal"),
                    1,
                    stored(received),
                    stored(due),
                    STATUS.stored(final_status),
                    stored(final_at),
                    key,
                    rng.choice(NOTES),
                    versions.pack(docs, version.documents),
                    rng.choice(clerks),
                    1,
                    SYNC_STATE.stored("local"),
                    stored(returned_at) if returned_at else None,
                    stored(closed_at) if closed_at else None,
                    stored(moment),
                )
            )
            for st, at in steps[1:]:  # the first, the receipt, is made of the dossier's row
                next_hist += 1
                history_rows.append(
                    (
                        next_hist,
                        next_id,
                        stored(at),
                        STATUS.stored(st),
                        "portal"
                        if st in (Status.PROCESSING, Status.DONE, Status.SUPPLEMENT_REQUESTED)
                        else rng.choice(clerks),
                        "",
                        HISTORY_SOURCE.stored(
                            "portal"
                            if st in (Status.PROCESSING, Status.DONE, Status.SUPPLEMENT_REQUESTED)
                            else "counter"
                        ),
                    )
                )
            search_rows.append((sk, *search_document((name, submitter), (code, id_number, phone))))
            created += 1
            if len(dossier_rows) >= chunk:
                flush()
    flush()
    return {
        "created": created,
        "days": len(working_days),
        "seconds": round(_time.perf_counter() - started, 2),
    }


DOSSIER_INSERT = (
    "INSERT INTO dossiers (id, code, counter_no, receipt_day, seq_no, book_year, "
    "book_number, procedure_code, procedure_version, result_delivery, applicant_type, "
    "applicant_name, id_number, phone, email, address, submitter_name, submitter_id_number, "
    "submitter_phone, channel, sets, received_at, due_at, status, status_changed_at, "
    "lookup_key, note, papers, received_by, is_demo, sync_state, returned_at, closed_at, "
    "updated_at) VALUES (" + ", ".join(["?"] * 34) + ")"
)
