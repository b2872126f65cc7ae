"""Every setting has a type and a range: ``config set`` refuses what is outside it in one line
and changes nothing. The lookup address printed in receipts' QR codes stays as it was once a
real dossier exists. A damaged ``secrets.json`` is repaired by setting the token again, and a
token that could not travel in an HTTP header is refused."""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import stat
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from counter import limits, settings
from counter.accounts import Actor
from counter.app import CounterApp
from counter.errors import InvalidInput, NotAllowed
from counter.intake import DossierInput
from counter.seed import seed_demo
from tests.conftest import PASSWORD, ROOT, Cli

ADMIN = Actor("admin", "Nguyễn Văn Quản", "admin")
CLERK = Actor("clerk", "Trần Thị Tiếp", "clerk")
BIRTH = "1.001193"
HUGE_NUMBER = "9" * 5000

#: key -> ([(text, stored value)], [refused texts]); every setting is here.
TABLE: dict[str, tuple[list[tuple[str, Any]], list[str]]] = {
    "office.agency_code": (
        [("000.00.36.h62", "000.00.36.H62")],
        ["", "bad code!", "000.00.36.H62\x00", "0" * 100],
    ),
    "office.agency_name": (
        [("  Xã   Hòa Bình ", "Xã Hòa Bình")],
        ["", "   ", "Xã\x1b[2JHòa Bình", "x" * (limits.OFFICE_NAME + 1)],
    ),
    "office.counter_no": (
        [("2", 2), ("０３", 3)],
        ["0", "10", "abc", "1e3", "-1", "1.5", "٣", "1_0", HUGE_NUMBER],
    ),
    "office.parent_name": (
        [("", ""), ("UBND tỉnh Lào Cai", "UBND tỉnh Lào Cai")],
        ["x" * (limits.OFFICE_PARENT_NAME + 1), "UBND\x07"],
    ),
    "office.level": ([("province", "province")], ["district", "xa", ""]),
    "office.authority_name": (
        [("", ""), ("Ủy ban nhân dân", "Ủy ban nhân dân")],
        ["x" * (limits.OFFICE_PARENT_NAME + 1), "Ủy ban\x00"],
    ),
    "office.lookup_base_url": (
        [
            (
                "https://dichvucong.example.gov.vn/tra-cuu/",
                "https://dichvucong.example.gov.vn/tra-cuu",
            ),
            ("http://127.0.0.1:8080/tra-cuu", "http://127.0.0.1:8080/tra-cuu"),
        ],
        [
            "https://x.vn/tra-cuu?ma=1",
            "https://x.vn/tra-cuu?",
            "https://x.vn/tra-cuu#top",
            "https://user:pw@x.vn/tra-cuu",
            "https://x.vn/tra cuu",
            "https://x.vn:99999/tra-cuu",
            "ftp://x.vn/tra-cuu",
            "http://",
            "https://x.vn/\r\nX: y",
            "https://x.vn/" + "a" * limits.LOOKUP_BASE_URL,
        ],
    ),
    "office.place": ([("Hòa Bình", "Hòa Bình")], ["x" * (limits.OFFICE_PLACE + 1), "\x1b"]),
    "office.address": (
        [("Thôn Đông", "Thôn Đông")],
        ["x" * (limits.OFFICE_ADDRESS + 1), "a\x00"],
    ),
    "office.phone": ([("0214 3840 123", "0214 3840 123")], ["0" * (limits.OFFICE_PHONE + 1)]),
    "portal.url": (
        [("https://portal.example.vn/", "https://portal.example.vn"), ("", "")],
        ["ftp://x", "https://portal.example.vn/?a=1", "https://u:p@portal.example.vn", "http://"],
    ),
    "portal.token": (
        [("abcd1234.Secret-_token", "abcd1234.Secret-_token"), ("", "")],
        ["abc\r\ndef", "abc\ndef", "abc def", "mã-bí-mật", "a\x00", "x" * 513],
    ),
    "portal.connect_timeout": ([("5", 5)], ["0", "121", "abc", HUGE_NUMBER]),
    "portal.read_timeout": ([("600", 600)], ["0", "601"]),
    "portal.verify_tls": ([("true", True), ("không", False)], ["maybe", ""]),
    "sync.batch_size": ([("1000", 1000)], ["0", "1001"]),
    "sync.interval_seconds": ([("5", 5)], ["4", "86401"]),
    "calendar.hours": (
        [
            ("07:30-11:30,13:00-17:00", "07:30-11:30,13:00-17:00"),
            ("7:30 - 11:30", "07:30-11:30"),
            ("０７:30-11:30", "07:30-11:30"),
        ],
        [
            "garbage",
            "",
            "07:30-07:30",
            "11:30-07:30",
            "25:00-26:00",
            "07:30-11:30,11:00-12:00",
            "07:30-11:30,",
            "٠٧:30-11:30",
            ",".join(f"{h:02d}:00-{h:02d}:30" for h in range(24)),
            "1" * 100_000,
        ],
    ),
    "calendar.weekdays": (
        [("1-5", "1-5"), ("1-5,6", "1-6"), (" 1 - 5 ", "1-5")],
        ["0-9", "", "0", "8", "5-1", "٥", "1-5,", "1--5", "1-100000000000000"],
    ),
    "calendar.extra_open_days": ([("", ""), ("6", "6")], ["8", "thứ bảy", "1-100000000000000"]),
    "calendar.extra_open_hours": ([("07:30-11:30", "07:30-11:30")], ["garbage", ""]),
    "codes.block_size": ([("1000", 1000)], ["abc", "99", "5001"]),
    "printing.printer": ([("PDF", "PDF"), ("", "")], ["PDF\x00", "x" * 128]),
    "printing.paper": ([("a4", "a4")], ["letter", ""]),
    "book.volume": ([("02/2026", "02/2026"), ("", "")], ["x" * 41, "02\x1b/2026"]),
    "scan.device": ([("test", "test"), ("", "")], ["test\x00", "x" * 201]),
    "scan.source": ([("Automatic Document Feeder", "Automatic Document Feeder")], ["x" * 201]),
    "scan.folder": ([("/srv/scans", "/srv/scans"), ("", "")], ["scans\x00", "x" * 1001]),
    "scan.max_file_mb": ([("1", 1), ("200", 200)], ["0", "201", "20MB"]),
    "ui.language": ([("en", "en")], ["fr", ""]),
    "ui.idle_lock_minutes": ([("0", 0), ("240", 240)], ["241", "-1"]),
    "ui.lookup_clear_seconds": ([("5", 5)], ["4", "601"]),
    "ui.rating_screen": ([("false", False), ("có", True)], ["maybe", ""]),
    "ui.rating_idle_seconds": ([("10", 10), ("600", 600)], ["9", "601"]),
    f"agency.{BIRTH}": (
        [("Công an xã Hòa Bình", "Công an xã Hòa Bình"), ("", "")],
        ["x" * (limits.RESULT_AGENCY + 1), "Công an\x00"],
    ),
}


def one_clean_line(text: str) -> bool:
    return len(text) < 400 and not any(unicodedata.category(c) == "Cc" for c in text)


def test_the_table_covers_every_setting():
    assert set(TABLE) == set(settings.SPECS) | {f"agency.{BIRTH}"}


CASES = [(k, text, value) for k, (good, _) in TABLE.items() for text, value in good]
REFUSED = [(k, text) for k, (_, bad) in TABLE.items() for text in bad]


@pytest.mark.parametrize(("key", "text", "value"), CASES)
def test_a_value_in_range_is_taken_in_its_type(key: str, text: str, value: Any):
    assert settings.parse_value(key, text) == value


@pytest.mark.parametrize(
    ("key", "text"), REFUSED, ids=[f"{k}-{i}" for i, (k, _) in enumerate(REFUSED)]
)
def test_a_value_out_of_range_is_refused_in_one_clean_line(key: str, text: str):
    with pytest.raises(InvalidInput) as refused:
        settings.parse_value(key, text)
    assert refused.value.field == key
    for message in (refused.value.message_vi, refused.value.message_en):
        assert one_clean_line(message), message[:500]
        assert key in message


def settings_rows(data_dir: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(data_dir / "counter.db")
    try:
        return list(conn.execute("SELECT key, value FROM settings ORDER BY key"))
    finally:
        conn.close()


def config_set(cli: Cli, key: str, value: str, *, memory: int | None = None) -> Any:
    """``config set`` as a subprocess; ``memory`` caps its address space (bytes)."""

    def cap() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    env = {**os.environ, "COUNTER_PASSWORD": PASSWORD, "COUNTER_LANG": "vi"}
    env.pop("COUNTER_DATA_DIR", None)
    return subprocess.run(
        [
            *(sys.executable, "-m", "counter", "--data-dir", str(cli.data_dir)),
            *("config", "set", key, value, "--user", "admin"),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        preexec_fn=cap,
    )


def assert_refused(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-2000:])
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr[-2000:]
    assert one_clean_line(lines[0]) and "không mong đợi" not in lines[0], lines[0][:500]
    return lines[0]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("calendar.hours", "garbage"),
        ("calendar.weekdays", "0-9"),
        # Once taken as range(0, 99999999999999): memory ran out before the check.
        ("calendar.weekdays", "1-99999999999999"),
        ("office.agency_name", ""),
        ("office.agency_name", "UBND\x1b[2J xã"),
        ("office.lookup_base_url", "https://dichvucong.example.gov.vn/tra-cuu?x=1"),
        ("portal.token", "abc\r\nX-Injected: 1"),
    ],
)
def test_config_set_refuses_in_one_line_and_changes_nothing(cli: Cli, key: str, value: str):
    before = settings_rows(cli.data_dir)
    assert_refused(config_set(cli, key, value, memory=2 << 30))
    assert settings_rows(cli.data_dir) == before
    assert not (cli.data_dir / "secrets.json").exists()


@pytest.fixture
def counter(cli: Cli) -> Iterator[CounterApp]:
    app = CounterApp.open(cli.data_dir)
    yield app
    app.close()


def test_the_lookup_address_stays_once_a_real_dossier_exists(counter: CounterApp):
    first, later = "https://dichvucong.example.gov.vn/tra-cuu", "https://cong.example.vn/tra-cuu"
    counter.settings.set(ADMIN, "office.lookup_base_url", first)  # nothing printed yet
    seed_demo(counter, ADMIN, 3, days=2, seed=1)
    counter.settings.set(ADMIN, "office.lookup_base_url", first + "/")  # demo data only
    code = counter.dossiers.receive(CLERK, DossierInput(BIRTH, "Nguyễn Văn An")).code
    url = counter.dossiers.get(code).lookup_url
    assert url.startswith(first + "?")
    for other in (later, ""):
        with pytest.raises(NotAllowed) as refused:
            counter.settings.set(ADMIN, "office.lookup_base_url", other)
        assert refused.value.field == "office.lookup_base_url"
        assert first in refused.value.message_vi
    counter.settings.set(ADMIN, "office.lookup_base_url", first + "/")  # the same address
    assert counter.dossiers.get(code).lookup_url == url


def test_a_first_lookup_address_may_come_after_dossiers_without_one(counter: CounterApp):
    counter.settings.set(ADMIN, "office.lookup_base_url", "")
    counter.dossiers.receive(CLERK, DossierInput(BIRTH, "Nguyễn Văn An"))
    # Receipts printed so far have no QR address; the first one changes none.
    counter.settings.set(
        ADMIN, "office.lookup_base_url", "https://dichvucong.example.gov.vn/tra-cuu"
    )
    with pytest.raises(NotAllowed):
        counter.settings.set(ADMIN, "office.lookup_base_url", "https://x.example.vn/tra-cuu")


@pytest.mark.parametrize(
    "damage", [b"{bad", b"", b'["portal.token", "x"]', b'{"portal.token": 7}', b"\xff\xfe\x00"]
)
def test_a_damaged_secrets_file_is_repaired_by_setting_the_token(cli: Cli, damage: bytes):
    secrets = cli.data_dir / "secrets.json"
    secrets.write_bytes(damage)
    os.chmod(secrets, 0o600)
    line = cli.refused("config", "get", "portal.token")
    assert "secrets.json" in line and "config set portal.token" in line
    token = "abcd1234.Secret-_token"
    cli.ok("config", "set", "portal.token", token, user="admin")
    assert json.loads(secrets.read_text("utf-8")) == {"portal.token": token}
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
    kept = [p for p in cli.data_dir.iterdir() if p.name.startswith("secrets.json.damaged")]
    assert len(kept) == 1 and kept[0].read_bytes() == damage
    assert stat.S_IMODE(kept[0].stat().st_mode) == 0o600
    assert cli.json("config", "get", "portal.token")["value"].startswith("abcd")


def test_a_secrets_file_that_cannot_be_replaced_is_said_in_one_line(cli: Cli):
    (cli.data_dir / "secrets.json").mkdir()
    line = assert_refused(config_set(cli, "portal.token", "abcd1234.Secret-_token"))
    assert "secrets.json" in line


def test_a_stored_token_that_could_not_travel_is_refused_before_any_request(cli: Cli):
    cli.ok("config", "set", "portal.url", "http://127.0.0.1:9", user="admin")
    secrets = cli.data_dir / "secrets.json"
    secrets.write_text(json.dumps({"portal.token": "abc\r\nX-Injected: 1"}))
    os.chmod(secrets, 0o600)
    line = cli.refused("sync", "--once")
    assert "portal.token" in line and "không mong đợi" not in line
