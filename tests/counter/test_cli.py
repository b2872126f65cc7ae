"""The command line end to end, in process on a real SQLite file (tests/cli/test_contract_cli.py
runs each command as a subprocess, as an operator does)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import AGENCY, PASSWORD, Cli

BIRTH = "1.001193"


def db_fingerprint(cli: Cli) -> str:
    """A digest of every row of every table: equal before and after means nothing changed."""
    conn = sqlite3.connect(cli.data_dir / "counter.db")
    try:
        h = hashlib.sha256()
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' "
                "AND name NOT LIKE 'dossier_search%' "
                "ORDER BY name"
            )
        ]
        for t in tables:
            for row in conn.execute(f'SELECT * FROM "{t}" ORDER BY 1'):
                h.update(repr(row).encode())
        return h.hexdigest()
    finally:
        conn.close()


def receive(cli: Cli, name: str = "Nguyễn Thị Ánh Tuyết", *extra: str, user: str = "clerk"):
    return cli.json(
        "receive",
        "--procedure",
        BIRTH,
        "--applicant-name",
        name,
        "--id-number",
        "001190012345",
        "--phone",
        "0912345678",
        *extra,
        user=user,
    )


def test_a_day_at_the_counter(cli: Cli, tmp_path: Path):
    r = receive(cli)
    assert r["code"].startswith(f"{AGENCY}-") and r["code"].endswith("-1001")
    assert r["status"] == "received" and len(r["lookup_key"]) >= 6
    assert r["received_at"].endswith("+07:00") and r["due_at"].endswith("+07:00")
    second = receive(cli, "Đặng Hữu Phước")
    assert second["code"].endswith("-1002")

    found = cli.json("find", "dang huu phuoc")
    assert [f["code"] for f in found] == [second["code"]]
    assert set(found[0]) >= {
        "code",
        "applicant_name",
        "procedure_code",
        "status",
        "received_at",
        "due_at",
    }

    shown = cli.json("show", r["code"])
    assert shown["applicant_name"] == "Nguyễn Thị Ánh Tuyết"
    assert shown["history"][0]["status"] == "received" and shown["history"][0]["by"] == "clerk"
    assert shown["documents"], "the procedure's required documents are recorded"
    assert shown["sync_state"] == "pending"

    cli.ok("set-status", r["code"], "processing", "--note", "chuyển phòng Tư pháp", user="boss")
    cli.ok("set-status", r["code"], "done", user="boss")
    cli.ok("set-status", r["code"], "returned", user="clerk")
    shown = cli.json("show", r["code"])
    assert [h["status"] for h in shown["history"]] == ["received", "processing", "done", "returned"]
    assert shown["history"][1]["note"] == "chuyển phòng Tư pháp"

    due = cli.json("calendar", "due", "--from", r["received_at"], "--procedure", BIRTH)
    assert due["due_at"] == r["due_at"]

    backup = tmp_path / "copy.db"
    cli.ok("backup", "-o", str(backup))
    receive(cli, "Lê Văn Tỵ")
    assert len(cli.json("find", "le van ty")) == 1
    cli.ok("restore", str(backup), user="admin")
    assert cli.json("find", "le van ty") == []
    assert cli.json("show", r["code"])["status"] == "returned"
    assert cli.json("check")["ok"] is True
    config = cli.json("config", "list")
    assert config["office.place"] == "Hòa Bình"


def test_search_without_diacritics_nfd_and_vice_versa(cli: Cli):
    nfd = unicodedata.normalize("NFD", "Trần Thị Ngọc Hưởng")
    code = receive(cli, nfd)["code"]
    assert cli.json("show", code)["applicant_name"] == "Trần Thị Ngọc Hưởng"  # stored NFC
    for query in (
        "tran thi ngoc huong",
        "TRẦN NGỌC",
        unicodedata.normalize("NFD", "hưởng"),
        "Trần Thị Ngọc Hưởng",
        "ngoc huo",
    ):
        assert [f["code"] for f in cli.json("find", query)] == [code], query
    code2 = receive(cli, "Đỗ Đức Đạt")["code"]
    assert [f["code"] for f in cli.json("find", "do duc dat")] == [code2]
    # by code, ID number, phone (any spelling), newest first
    assert [f["code"] for f in cli.json("find", code)] == [code]
    assert [f["code"] for f in cli.json("find", "001190012345")] == [code2, code]
    assert [f["code"] for f in cli.json("find", "+84 912 345 678")] == [code2, code]
    assert [f["code"] for f in cli.json("find", "09123")] == [code2, code]


def test_wrong_usage_exits_2(cli: Cli):
    proc = cli.run("receive", "--bogus")
    assert proc.returncode == 2
    assert cli.run("nonsense").returncode == 2


BAD_RECEIVES = [
    (["--id-number", "00309001234"], "giấy tờ"),
    (["--id-number", "001390012345"], "năm sinh"),
    (["--id-number", "12345"], "giấy tờ"),
    (["--phone", "12345"], "điện thoại"),
    (["--email", "a@b"], "thư điện tử"),
    (["--applicant-name", "Nguyễn\u0007Văn"], "ký tự"),
    (["--applicant-name", "   "], "trống"),
    (["--applicant-name", "X" * 150], "dài quá"),
    (["--received-at", "2099-01-01T08:00"], "tương lai"),
    (["--received-at", "1999-01-01T08:00"], "2000"),
    (["--received-at", "ngày mai"], "không hợp lệ"),
    (["--sets", "0"], "Số bộ"),
    (["--procedure", "9.999999"], "thủ tục"),
    (["--applicant-type", "organization", "--id-number", "12345"], "Mã số thuế"),
]


@pytest.mark.parametrize(("extra", "words"), BAD_RECEIVES)
def test_bad_input_is_refused_and_changes_nothing(cli: Cli, extra: list[str], words: str):
    before = db_fingerprint(cli)
    args = {"--procedure": BIRTH, "--applicant-name": "Nguyễn Văn An"}
    for flag, value in zip(extra[::2], extra[1::2], strict=True):
        args[flag] = value
    flat = [x for kv in args.items() for x in kv]
    line = cli.refused("receive", *flat, user="clerk")
    assert words in line, line
    assert db_fingerprint(cli) == before


def test_refusals_of_users_and_moves_change_nothing(cli: Cli):
    code = receive(cli)["code"]
    before = db_fingerprint(cli)
    assert "đăng nhập" in cli.refused("receive", "--procedure", BIRTH, "--applicant-name", "A B")
    # a clerk may not create accounts, nor a supervisor-only move
    assert "không được" in cli.refused(
        "user",
        "add",
        "x1",
        "--full-name",
        "Lê Na",
        "--role",
        "clerk",
        "--password-stdin",
        user="clerk",
        stdin=PASSWORD + "\n",
    )
    assert "không được" in cli.refused("set-status", code, "done", user="clerk")
    assert "không thể chuyển" in cli.refused("set-status", code, "returned", user="boss")
    assert "Trạng thái không hợp lệ" in cli.refused("set-status", code, "finished", user="boss")
    assert "Không tìm thấy" in cli.refused("set-status", "X-1", "done", user="boss")
    assert "Không tìm thấy" in cli.refused("show", f"{AGENCY}-200101-1001")
    assert cli.refused("init", "--agency-code", AGENCY, "--agency-name", "X", "--counter-no", "2")
    assert db_fingerprint(cli) == before


def test_wrong_password_locks_after_five(cli: Cli):
    for _ in range(4):
        line = cli.refused("set-status", "X", "done", user="clerk", password="sai-mat-khau")
        assert "không đúng" in line
    line = cli.refused("set-status", "X", "done", user="clerk", password="sai-mat-khau")
    assert "không đúng" in line
    # now locked, even with the right password
    line = cli.refused("receive", "--procedure", BIRTH, "--applicant-name", "Lê Na", user="clerk")
    assert "khóa" in line
    assert cli.json("find", "le na") == []
    users = {u["username"]: u for u in cli.json("user", "list")}
    assert users["clerk"]["locked_until"]


def test_jsonl_all_or_nothing(cli: Cli, tmp_path: Path):
    good = [
        {
            "procedure": BIRTH,
            "applicant_name": f"Nguyễn Văn Số {chr(65 + i)}",
            "phone": "0912345678",
        }
        for i in range(5)
    ]
    path = tmp_path / "batch.jsonl"
    line = cli.refused("receive", "--from-jsonl", str(path), user="clerk")  # not there yet
    assert f"Không đọc được tệp '{path}'" in line
    bad = [*good[:3], {"procedure": BIRTH, "applicant_name": "Lê B", "phone": "123"}, *good[3:]]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in bad), "utf-8")
    line = cli.refused("receive", "--from-jsonl", str(path), user="clerk")
    assert "dòng 4" in line
    assert cli.json("find", "nguyen van so") == []
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in good), "utf-8")
    result = cli.json("receive", "--from-jsonl", str(path), user="clerk")
    assert len(result) == 5 and len({r["code"] for r in result}) == 5


def test_calendar_overrides_change_due(cli: Cli):
    # Birth registration is a same-day procedure: received after 15:00, due the next working day.
    moment = "2026-11-25T15:30:00+07:00"
    assert (
        cli.json("calendar", "due", "--from", moment, "--procedure", BIRTH)["due_at"]
        == "2026-11-26T17:00:00+07:00"
    )
    assert "không được" in cli.refused("calendar", "day-off", "2026-11-26", user="clerk")
    cli.ok("calendar", "day-off", "2026-11-26", "--note", "Nghỉ bù", user="boss")
    assert (
        cli.json("calendar", "due", "--from", moment, "--procedure", BIRTH)["due_at"]
        == "2026-11-27T17:00:00+07:00"
    )
    cli.ok("calendar", "workday", "2026-11-28", user="boss")
    friday = "2026-11-27T15:30:00+07:00"
    assert (
        cli.json("calendar", "due", "--from", friday, "--procedure", BIRTH)["due_at"]
        == "2026-11-28T17:00:00+07:00"
    )


def test_a_certified_copy_is_due_the_same_day_before_the_cut_off(cli: Cli):
    copy = "2.000815"  # Chứng thực bản sao từ bản chính
    due = cli.json("calendar", "due", "--from", "2026-11-26T14:00", "--procedure", copy)
    assert due["due_at"] == "2026-11-26T17:00:00+07:00"
    assert due["processing_time"] == {"value": 0, "unit": "same_day", "cutoff": "15:00"}
    later = cli.json("calendar", "due", "--from", "2026-11-26T15:30", "--procedure", copy)
    assert later["due_at"] == "2026-11-27T17:00:00+07:00"
    listed = {p["code"]: p for p in cli.json("catalog", "list")}
    assert listed[copy]["processing_time"]["unit"] == "same_day"


def test_config_and_secret_token(cli: Cli):
    cli.ok("config", "set", "portal.url", "http://127.0.0.1:8080", user="admin")
    assert cli.json("config", "get", "portal.url")["value"] == "http://127.0.0.1:8080"
    assert "không hợp lệ" in cli.refused("config", "set", "portal.url", "ftp://x", user="admin")
    assert "Không có thiết lập" in cli.refused("config", "set", "nope", "1", user="admin")
    token = "tok_" + "a" * 40
    cli.ok("config", "set", "portal.token", token, user="admin")
    shown = cli.json("config", "get", "portal.token")["value"]
    assert token not in shown
    secret = cli.data_dir / "secrets.json"
    assert secret.stat().st_mode & 0o077 == 0
    assert json.loads(secret.read_text())["portal.token"] == token
    assert token not in (cli.data_dir / "counter.db").read_bytes().decode("latin-1")


def test_check_detects_a_tampered_audit_trail(cli: Cli):
    receive(cli)
    assert cli.json("check")["ok"]
    conn = sqlite3.connect(cli.data_dir / "counter.db")
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("UPDATE audit_rows SET actor = 'x' WHERE id = 2")
    conn.execute("DROP TRIGGER audit_rows_no_update")
    conn.execute("UPDATE audit_rows SET details = '{}' WHERE id = 3")
    conn.commit()
    conn.close()
    line = cli.refused("check")
    assert "dòng 3" in line


def test_seed_demo_and_english(cli: Cli):
    result = cli.json("seed-demo", "--count", "500", "--days", "20", "--seed", "7", user="boss")
    assert result["created"] == 500
    found = cli.json("find", "nguyen", "--limit", "20")
    assert len(found) == 20
    times = [f["received_at"] for f in found]
    assert times == sorted(times, reverse=True)
    assert cli.json("show", found[0]["code"])["is_demo"] is True
    assert cli.json("check")["ok"]
    proc = cli.run("show", "nope", env={"COUNTER_LANG": "en"})
    assert proc.returncode == 1 and proc.stderr.startswith("error: No dossier")


def test_the_identity_document_is_explicit_and_an_old_id_card_warns(cli: Cli):
    proc = cli.run(
        "--json",
        "receive",
        "--procedure",
        BIRTH,
        "--applicant-name",
        "Lò Văn Páo",
        "--id-type",
        "cmnd",
        "--id-number",
        "012345678",
        user="clerk",
        check=True,
    )
    code = json.loads(proc.stdout)["code"]  # stdout holds exactly the result
    assert "warning:" in proc.stderr and "31/12/2024" in proc.stderr
    assert cli.json("show", code)["id_type"] == "cmnd"

    # A type that does not fit the number is refused, naming the document.
    line = cli.refused(
        "receive",
        *("--procedure", BIRTH, "--applicant-name", "Lò Văn Páo"),
        *("--id-type", "cccd", "--id-number", "012345678"),
        user="clerk",
    )
    assert "căn cước" in line
    # Without a type, the number's shape says it.
    quiet = cli.run(
        "--json",
        "receive",
        *("--procedure", BIRTH, "--applicant-name", "Lò Thị Mai"),
        *("--id-number", "B1234567"),
        user="clerk",
        check=True,
    )
    assert quiet.stderr == ""
    assert cli.json("show", json.loads(quiet.stdout)["code"])["id_type"] == "passport"
    assert cli.run("receive", "--id-type", "bogus").returncode == 2


def test_a_missing_required_document_refuses_the_receipt(cli: Cli):
    # Birth registration: the declaration (TK) and the birth certificate (GCS) are required,
    # the power of attorney (UQ) only when someone files on the parents' behalf.
    procedure = {p["code"]: p for p in cli.json("catalog", "list")}[BIRTH]
    kinds = {d["code"]: d["requirement"] for d in procedure["documents"]}
    assert kinds["UQ"] == "conditional" and "required" in kinds.values()
    required = [code for code, kind in kinds.items() if kind == "required"]
    before = cli.json("find", "Lò Văn Sáng")
    line = cli.refused(
        "receive",
        *("--procedure", BIRTH, "--applicant-name", "Lò Văn Sáng"),
        *("--documents", required[0]),
        user="clerk",
    )
    assert required[1] in line and "Mẫu 02" in line
    assert cli.json("find", "Lò Văn Sáng") == before  # nothing was stored
    unknown = cli.refused(
        "receive",
        *("--procedure", BIRTH, "--applicant-name", "Lò Văn Sáng"),
        *("--documents", ",".join([*required, "XYZ"])),
        user="clerk",
    )
    assert "XYZ" in unknown
    received = cli.json(
        "receive",
        *("--procedure", BIRTH, "--applicant-name", "Lò Văn Sáng"),
        *("--documents", ",".join([*required, "UQ"])),
        user="clerk",
    )
    shown = cli.json("show", received["code"])
    assert [d["code"] for d in shown["documents"]] == [*required, "UQ"]
    assert all(d["name"] for d in shown["documents"])  # names come from the catalogue
    default = cli.json(
        "receive", *("--procedure", BIRTH, "--applicant-name", "Lò Văn Sáng"), user="clerk"
    )
    assert [d["code"] for d in cli.json("show", default["code"])["documents"]] == required


def test_processing_stops_only_with_a_reason(cli: Cli):
    code = cli.json(
        "receive", *("--procedure", BIRTH, "--applicant-name", "Hà Văn Dũng"), user="clerk"
    )["code"]
    cli.ok("set-status", code, "processing", user="boss")
    line = cli.refused("set-status", code, "stopped", user="boss")
    assert "lý do" in line and "Mẫu 05" in line
    assert cli.json("show", code)["status"] == "processing"  # nothing changed
    cli.ok("set-status", code, "stopped", "--note", "Người nộp đề nghị dừng", user="boss")
    assert cli.json("show", code)["status"] == "stopped"


def test_a_citizen_id_registered_abroad_is_kept_with_a_warning(cli: Cli):
    proc = cli.run(
        "--json",
        "receive",
        *("--procedure", BIRTH, "--applicant-name", "Nguyễn Văn Kiều"),
        *("--id-type", "cccd", "--id-number", "003090012345"),
        user="clerk",
        check=True,
    )
    assert "warning:" in proc.stderr and "003" in proc.stderr and "nước ngoài" in proc.stderr
    assert cli.json("show", json.loads(proc.stdout)["code"])["id_number"] == "003090012345"
