"""The office as it is now, from the command line: the kind of office ``init`` records, the
names every printed header carries, the agency each procedure goes to, and the Saturday
opening that moves no due date. The command line runs in process on a real counter folder
(tests/cli/test_contract_cli.py runs it as a subprocess); PDFs are read back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from tests.conftest import AGENCY, PASSWORD, SAMPLE_CATALOG, Cli

BIRTH = "1.001193"  # the sample catalogue names its agency "Ủy ban nhân dân cấp xã"


def flat(pdf: Path) -> str:
    """The PDF's text, every page, as one line."""
    doc = pdfium.PdfDocument(pdf.read_bytes())
    return " ".join(" ".join(page.get_textpage().get_text_range() for page in doc).split())


def head(text: str) -> str:
    """What a form prints left of the national motto: its letterhead."""
    return text[: text.index("CỘNG HÒA")]


def new_counter(tmp_path: Path, *init: str) -> Cli:
    cli = Cli(tmp_path / "data")
    cli.ok("init", "--agency-code", AGENCY, "--counter-no", "1", "--place", "Hà Nội", *init)
    cli.ok(
        "user",
        "add",
        "admin",
        "--full-name",
        "Nguyễn Văn Quản",
        "--role",
        "admin",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    return cli


@pytest.mark.slow
def test_a_ministry_prints_its_receiving_unit(tmp_path):
    cli = new_counter(
        tmp_path, "--agency-name", "Bộ Tư pháp", "--level", "ministry", "--parent-name", ""
    )
    done = cli.json("config", "get", "office.level")
    assert done["value"] == "ministry"
    cli.ok("catalog", "import", str(SAMPLE_CATALOG), user="admin")
    code = cli.json(
        "receive", "--procedure", BIRTH, "--applicant-name", "Phạm Văn Bộ", user="admin"
    )["code"]
    out = tmp_path / "receipt.pdf"
    cli.ok("print", "receipt", code, "-o", str(out), user="admin")
    text = flat(out)
    assert "BỘ TƯ PHÁP BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ Mẫu số 01" in head(text)
    assert "Tại Bộ phận Tiếp nhận và Trả kết quả." in text
    assert "TRUNG TÂM PHỤC VỤ" not in text and "ỦY BAN NHÂN DÂN XÃ" not in text
    # a generic commune agency cannot be placed at a ministry: printed as the catalogue says
    assert "Cơ quan giải quyết: Ủy ban nhân dân cấp xã" in text


def test_init_offers_no_district_and_says_what_it_recorded(tmp_path):
    cli = Cli(tmp_path / "data")
    refused = cli.run(
        "init", "--agency-code", AGENCY, "--agency-name", "UBND huyện A", "--counter-no", "1",
        "--level", "district",
    )  # fmt: skip
    assert refused.returncode == 2 and "invalid choice: 'district'" in refused.stderr
    assert not (tmp_path / "data" / "counter.db").exists()
    made = cli.json(
        "init", "--agency-code", AGENCY, "--agency-name", "Xã Hòa Bình", "--counter-no", "1"
    )
    assert made["level"] == "commune"  # the default
    assert made["unit_name"] == "Trung tâm Phục vụ hành chính công xã Hòa Bình"
    assert made["authority"] == "Ủy ban nhân dân xã Hòa Bình"


@pytest.mark.slow
def test_a_district_counter_of_old_data_still_prints(cli: Cli, tmp_path):
    code = cli.json(
        "receive", "--procedure", BIRTH, "--applicant-name", "Hà Thị Huyện", user="clerk"
    )["code"]
    conn = sqlite3.connect(cli.data_dir / "counter.db")
    with conn:  # what a counter set up before 1 July 2025 holds
        conn.execute("UPDATE settings SET value = '\"district\"' WHERE key = 'office.level'")
        conn.execute("UPDATE settings SET value = '\"UBND huyện Bảo Thắng\"' "
                     "WHERE key = 'office.agency_name'")  # fmt: skip
    conn.close()
    assert cli.json("config", "get", "office.level")["value"] == "district"
    assert cli.json("show", code)["code"] == code
    out = tmp_path / "sheet.pdf"
    cli.ok("print", "form", "control-sheet", code, "-o", str(out), user="clerk")
    text = flat(out)
    assert "ỦY BAN NHÂN DÂN HUYỆN BẢO THẮNG BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ" in head(text)
    assert "1. Giao: Bộ phận tiếp nhận và trả kết quả" in text
    # district is not offered again, and the refusal changes nothing
    line = cli.refused("config", "set", "office.level", "district", user="admin")
    assert "commune | province | ministry" in line
    assert cli.json("config", "get", "office.level")["value"] == "district"
    cli.ok("config", "set", "office.level", "commune", user="admin")
    assert cli.json("config", "get", "office.level")["value"] == "commune"


@pytest.mark.slow
def test_the_processing_agency_on_a_printed_form_is_the_real_one(cli: Cli, tmp_path):
    code = cli.json("receive", "--procedure", BIRTH, "--applicant-name", "Lò Văn Cư", user="clerk")[
        "code"
    ]
    receipt = tmp_path / "receipt.pdf"
    cli.ok("print", "receipt", code, "-o", str(receipt), user="clerk")
    text = flat(receipt)
    assert "Cơ quan giải quyết: Ủy ban nhân dân xã Hòa Bình" in text
    assert "cấp xã" not in text
    assert "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" in head(text)
    assert "Tại Trung tâm Phục vụ hành chính công xã Hòa Bình." in text
    # handled elsewhere: the setting names the agency, on every form
    cli.ok("config", "set", f"agency.{BIRTH}", "Công an xã Hòa Bình", user="admin")
    listed = cli.json("config", "list")
    assert listed[f"agency.{BIRTH}"] == "Công an xã Hòa Bình"
    sheet = tmp_path / "sheet.pdf"
    cli.ok("print", "form", "control-sheet", code, "-o", str(sheet), user="clerk")
    text = flat(sheet)
    assert "Cơ quan (bộ phận) giải quyết hồ sơ: Công an xã Hòa Bình" in text
    assert "2. Nhận: Công an xã Hòa Bình" in text
    shown = cli.json("show", code)
    assert shown["code"] == code


def test_a_bad_agency_key_is_refused_in_the_users_language(cli: Cli):
    vi = cli.refused("config", "set", "agency.1 001193", "Công an xã", user="admin")
    assert "Mã thủ tục không hợp lệ" in vi
    en = cli.refused(
        "config", "set", "agency.", "Công an xã", user="admin", env={"COUNTER_LANG": "en"}
    )
    assert "Invalid procedure code" in en
    assert not any(k.startswith("agency.") for k in cli.json("config", "list"))


def test_opening_on_saturday_does_not_move_the_due_date(cli: Cli):
    saturday = "2026-11-28T09:00:00+07:00"
    before = cli.json("calendar", "due", "--from", saturday, "--procedure", BIRTH)
    cli.ok("config", "set", "calendar.extra_open_days", "6", user="admin")
    assert cli.json("config", "get", "calendar.extra_open_days")["value"] == "6"
    after = cli.json("calendar", "due", "--from", saturday, "--procedure", BIRTH)
    assert after["due_at"] == before["due_at"] == "2026-11-30T17:00:00+07:00"
    received = cli.json(
        "receive", "--procedure", BIRTH, "--applicant-name", "Đinh Thị Bảy",
        "--received-at", saturday, user="clerk",
    )  # fmt: skip
    assert received["due_at"] == "2026-11-30T17:00:00+07:00"
    assert "calendar.extra_open_days" in cli.refused(
        "config", "set", "calendar.extra_open_days", "thứ bảy", user="admin"
    )
