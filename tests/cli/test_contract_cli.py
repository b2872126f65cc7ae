"""The command line's contract (CONTRACTS.md, section 1) as an operator meets it: every command
of the table run as ``python -m counter`` in a subprocess at least once (``scan`` where SANE is
installed), with its exit status (0 done, 1 refused with one ``error: `` line on stderr, 2 wrong
usage), ``--json`` printing exactly one document, ``--data-dir`` or ``COUNTER_DATA_DIR``, and
``--user`` with the password from ``COUNTER_PASSWORD``.

The other tests of the command line run it in process (``tests/conftest.py``, ``Cli``); these,
with the ones that kill, race or starve a real program (``sync`` in tests/sync/test_sync_cli.py,
the crash, concurrency and storage tests), are the ones that run it for real.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from tests.conftest import AGENCY, PASSWORD, ROOT, SAMPLE_CATALOG, Cli

BIRTH = "1.001193"
DAY = "2026-11-24"


def pdf_text(path: Path) -> str:
    doc = pdfium.PdfDocument(path.read_bytes())
    return " ".join(" ".join(page.get_textpage().get_text_range() for page in doc).split())


def one_document(proc: subprocess.CompletedProcess[str]) -> object:
    """stdout of a ``--json`` run: exactly one JSON document, and nothing on stderr."""
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return json.loads(proc.stdout)


def test_an_office_is_set_up_from_the_command_line(tmp_path: Path):
    """``init``, ``user add`` (the first without ``--user``, then as an admin), ``catalog
    import``, ``catalog list``; ``COUNTER_DATA_DIR`` when there is no ``--data-dir``."""
    cli = Cli(tmp_path / "data", real=True)
    init = (
        *("init", "--agency-code", AGENCY, "--agency-name", "UBND xã Hòa Bình"),
        *("--counter-no", "1", "--parent-name", "UBND TỈNH LÀO CAI", "--level", "commune"),
        *("--lookup-base-url", "http://127.0.0.1:8080/tra-cuu"),
    )
    done = cli.json(*init)
    assert done["agency_code"] == AGENCY and done["counter_no"] == 1
    assert (cli.data_dir / "counter.db").is_file()
    assert "error: " in cli.refused(*init)  # one exists already

    account = ("--full-name", "Nguyễn Văn Quản", "--role", "admin", "--password-stdin")
    first = cli.json("user", "add", "admin", *account, stdin=PASSWORD + "\n")
    assert first == {"username": "admin", "full_name": "Nguyễn Văn Quản", "role": "admin"}
    clerk = ("user", "add", "clerk", "--full-name", "Trần Thị Tiếp", "--role", "clerk")
    assert "--user" in cli.refused(*clerk, "--password-stdin", stdin=PASSWORD + "\n")
    cli.ok(*clerk, "--password-stdin", user="admin", stdin=PASSWORD + "\n")

    imported = cli.ok("catalog", "import", str(SAMPLE_CATALOG), user="admin")
    assert imported.stderr == ""
    listed = one_document(cli.run("--json", "catalog", "list"))
    assert isinstance(listed, list) and BIRTH in {p["code"] for p in listed}

    # no --data-dir: the folder comes from COUNTER_DATA_DIR
    env = {**os.environ, "COUNTER_DATA_DIR": str(cli.data_dir), "COUNTER_LANG": "vi"}
    proc = subprocess.run(
        [sys.executable, "-m", "counter", "--json", "config", "get", "office.agency_code"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert one_document(proc) == {"key": "office.agency_code", "value": AGENCY}


def test_a_dossier_from_guidance_to_processing(real_cli: Cli, tmp_path: Path):
    """``calendar day-off``/``workday``/``due``, ``guide``, ``receive`` (options,
    ``--from-guidance``, ``--from-jsonl``, a missing required paper), ``find``, ``show``,
    ``set-status``."""
    cli = real_cli
    assert cli.json("calendar", "day-off", "2026-11-26", "--note", "Nghỉ bù", user="admin") == {
        "date": "2026-11-26",
        "working": False,
    }
    cli.ok("calendar", "workday", "2026-11-28", user="admin")
    due = cli.json("calendar", "due", "--from", "2026-11-25T15:30", "--procedure", BIRTH)
    assert due["due_at"] == "2026-11-27T17:00:00+07:00"  # the 26th is off now

    applicant = ("--procedure", BIRTH, "--applicant-name", "Lò Văn Pầu")
    guidance = cli.json(
        "guide", *applicant, "--received-at", f"{DAY}T08:00", "--documents", "TK", user="clerk"
    )
    assert guidance["missing"] == ["GCS"]
    line = cli.refused("receive", *applicant, "--documents", "TK", user="clerk")
    assert "GCS" in line or "Giấy chứng sinh" in line
    a = cli.json(
        "receive",
        *("--from-guidance", guidance["guidance_id"], "--received-at", f"{DAY}T09:00"),
        user="clerk",
    )
    assert set(a) == {"code", "received_at", "due_at", "status", "lookup_key"}
    assert a["status"] == "received" and a["received_at"] == f"{DAY}T09:00:00+07:00"
    b = cli.json(
        "receive",
        *("--procedure", BIRTH, "--applicant-name", "Hà Thị Lan", "--applicant-type", "citizen"),
        *("--id-type", "cccd", "--id-number", "001190012345", "--phone", "0912345678"),
        *("--email", "lan@example.vn", "--address", "Thôn Đông", "--channel", "direct"),
        *("--received-at", f"{DAY}T09:30", "--sets", "1", "--documents", "TK,GCS"),
        *("--note", "Nộp trực tiếp"),
        user="clerk",
    )["code"]
    batch = tmp_path / "batch.jsonl"
    rows = [{"procedure": BIRTH, "applicant_name": f"Vàng A {n}"} for n in ("Dế", "Sử")]
    batch.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    assert len(cli.json("receive", "--from-jsonl", str(batch), user="clerk")) == 2

    found = one_document(cli.run("--json", "find", "ha thi lan", "--limit", "5"))
    assert isinstance(found, list) and [f["code"] for f in found] == [b]
    assert set(found[0]) >= {"code", "applicant_name", "procedure_code", "status"} | {
        "received_at",
        "due_at",
    }
    cli.ok("set-status", a["code"], "processing", "--note", "Chuyển phòng", user="boss")
    assert "không thể chuyển" in cli.refused("set-status", a["code"], "returned", user="boss")
    shown = cli.json("show", a["code"])
    assert [(h["status"], h["by"]) for h in shown["history"]] == [
        ("received", "clerk"),
        ("processing", "boss"),
    ]
    assert set(shown["history"][0]) >= {"at", "status", "by", "note"}


def test_printing_forms_and_reports(cli: Cli, real_cli: Cli, tmp_path: Path):
    """``print receipt``/``form``/``daily``/``book`` to a file, and to a printer (the
    dossier and the guidance they print are made in process)."""
    applicant = ("--procedure", BIRTH, "--applicant-name", "Lò Văn Pầu")
    guidance = cli.json(
        "guide", *applicant, "--received-at", f"{DAY}T08:00", "--documents", "TK", user="clerk"
    )
    a = cli.json("receive", *applicant, "--received-at", f"{DAY}T09:00", user="clerk")

    outputs = {
        "receipt": ("print", "receipt", a["code"], "--paper", "a5"),
        "supplement": ("print", "form", "supplement", guidance["guidance_id"]),
        "daily": ("print", "daily", "--date", DAY, "--csv", str(tmp_path / "daily.csv")),
        "book": ("print", "book", "--from", DAY, "--to", DAY),
    }
    for name, args in outputs.items():
        out = tmp_path / f"{name}.pdf"
        printed = real_cli.run(*args, "-o", str(out), user="clerk")
        assert printed.returncode == 0 and printed.stderr == "", (name, printed.stderr)
        assert out.read_bytes().startswith(b"%PDF"), name
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in pdf_text(tmp_path / "receipt.pdf")
    assert "Lò Văn Pầu" in pdf_text(tmp_path / "book.pdf")
    assert (tmp_path / "daily.csv").stat().st_size > 0
    # a printer that is not there (or no print system at all): refused in one line
    real_cli.refused("print", "receipt", a["code"], "--printer", "KHONG-CO-MAY-IN", user="clerk")


def test_digitised_pages(cli: Cli, real_cli: Cli, tmp_path: Path):
    """``attach``, ``scan`` (SANE's ``test`` device, where SANE is installed), ``export-files``
    and the files in ``show --json`` (the dossier is received in process)."""
    code = cli.json(
        "receive", "--procedure", BIRTH, "--applicant-name", "Lò Văn Pầu", user="clerk"
    )["code"]
    image = Image.new("L", (300, 400), 255)
    image.paste(0, (20, 40, 280, 44))
    jpeg = tmp_path / "to-khai.jpg"
    image.save(jpeg, "JPEG", dpi=(200, 200))

    attached = real_cli.json("attach", code, "TK", str(jpeg), user="clerk")
    assert (attached["doc"], attached["version"], attached["pages"]) == ("TK", 1, 1)
    if shutil.which("scanimage") is not None:  # .ci/run installs it
        scanned = real_cli.json(
            "scan", code, "GCS", "--device", "test", "--pages", "1", user="clerk"
        )
        assert (scanned["doc"], scanned["pages"], scanned["source"]) == ("GCS", 1, "scan")
    files = one_document(real_cli.run("--json", "show", code))["files"]  # type: ignore[index]
    assert {"doc", "sha256", "pages", "bytes"} <= set(files[0])
    assert files[0]["sha256"] == attached["sha256"]

    out = tmp_path / "out"
    out.mkdir()
    exported = real_cli.run("export-files", code, "-o", str(out))
    assert exported.returncode == 0 and exported.stderr == "", exported.stderr
    assert (out / "TK-v1.pdf").read_bytes().startswith(b"%PDF")
    refused = real_cli.refused("attach", code, "TK", str(tmp_path / "khong-co.jpg"), user="clerk")
    assert "khong-co.jpg" in refused


def test_settings_copies_checks_and_demo_data(cli: Cli, real_cli: Cli, tmp_path: Path):
    """``config set``/``get``, ``seed-demo``, ``backup``, ``restore``, ``check`` (exit 1 with
    the problem), a wrong password, wrong usage (exit 2). What a restore undoes is received
    and looked for in process."""
    in_process, cli = cli, real_cli
    cli.ok("config", "set", "portal.url", "http://127.0.0.1:8080", user="admin")
    got = one_document(cli.run("--json", "config", "get", "portal.url"))
    assert got == {"key": "portal.url", "value": "http://127.0.0.1:8080"}
    seeded = cli.json("seed-demo", "--count", "20", "--days", "5", "--seed", "7", user="boss")
    assert seeded["created"] == 20

    copy = tmp_path / "copy.db"
    assert cli.json("backup", "-o", str(copy)) == {"backup": str(copy)}
    in_process.ok("receive", "--procedure", BIRTH, "--applicant-name", "Lê Văn Tỵ", user="clerk")
    cli.ok("restore", str(copy), user="admin")
    assert in_process.json("find", "le van ty") == []
    assert cli.json("check")["ok"] is True

    wrong = cli.refused("config", "set", "sync.batch_size", "10", user="admin", password="sai")
    assert "không đúng" in wrong
    usage = cli.run("receive", "--bogus")
    assert usage.returncode == 2 and usage.stdout == ""
    assert usage.stderr.splitlines()[-1].startswith("error: ")

    conn = sqlite3.connect(cli.data_dir / "counter.db")
    try:
        conn.execute("DROP TRIGGER audit_rows_no_update")
        conn.execute("UPDATE audit_rows SET details = '{}' WHERE id = 3")
        conn.commit()
    finally:
        conn.close()
    assert "dòng 3" in cli.refused("check")


def test_the_installed_counter_admin_script(real_cli: Cli):
    """The console script ``counter-admin`` (installed with the package) is the same command
    line."""
    script = Path(sys.executable).parent / "counter-admin"
    env = {**os.environ, "COUNTER_LANG": "en"}
    env.pop("COUNTER_DATA_DIR", None)
    proc = subprocess.run(
        [str(script), "--data-dir", str(real_cli.data_dir), "--json", "config", "list"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert one_document(proc)["office.agency_code"] == AGENCY  # type: ignore[index]
