"""What the counter takes in is what the wire carries: every intake field at its limit reaches
the portal's schema, one character (or one item) more is refused at the counter with one
short, printable line, and nothing is stored. Hostile files, far dates, a full disk under the
log and bad input to the portal's admin commands are refused in words, never with a trace."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import unicodedata
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import protocol
from counter import limits, validation
from counter.accounts import Actor
from counter.app import CounterApp
from counter.errors import InvalidInput
from counter.intake import DossierInput
from portal.cli import main as portal_main
from tests.conftest import ROOT, Cli

BIRTH = "1.001193"
#: A procedure whose catalogue entry lists no documents: whatever papers the clerk lists go
#: through as typed, so the limits of a document line are the intake's alone.
FREE = "9.000001"
CLERK = Actor("clerk", "Trần Thị Tiếp", "clerk")
BOSS = Actor("boss", "Lê Văn Trưởng", "supervisor")
ADMIN = Actor("admin", "Nguyễn Văn Quản", "admin")


def free_catalogue(path: Path) -> Path:
    path.write_text(
        json.dumps(
            {
                "version": "test",
                "procedures": [
                    {
                        "code": FREE,
                        "name": "Thủ tục không kê giấy tờ",
                        "field": {"code": "KH", "name": "Khác"},
                        "level": "commune",
                        "processing_time": {"value": 3, "unit": "working_days"},
                        "fees": [],
                        "documents": [],
                    }
                ],
            },
            ensure_ascii=False,
        ),
        "utf-8",
    )
    return path


@pytest.fixture
def counter(cli: Cli, tmp_path: Path) -> Iterator[CounterApp]:
    """The services on the ``cli`` fixture's data folder, with the FREE procedure added."""
    app = CounterApp.open(cli.data_dir)
    app.catalog.import_file(ADMIN, free_catalogue(tmp_path / "free.json"))
    yield app
    app.close()


def rows(app: CounterApp, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(app.db_path_for(app.data_dir))
    try:
        return list(conn.execute(sql))
    finally:
        conn.close()


def outbox_entries(app: CounterApp) -> list[protocol.ValidEntry]:
    """Every pending outbox payload, checked as the portal checks a pushed entry."""
    kinds = {"dossier": "dossier", "status": "status", "due_change": "due"}
    return [
        protocol.validate_entry(
            {"key": str(uuid.uuid4()), "kind": kinds[kind], "data": json.loads(payload)}
        )
        for kind, payload in rows(app, "SELECT kind, payload FROM outbox ORDER BY id")
    ]


def clean_line(message: str) -> bool:
    """Short, one line, and nothing a terminal would act on."""
    return len(message) < 400 and not any(unicodedata.category(c) == "Cc" for c in message)


def assert_one_error_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr[-2000:])
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr[-2000:]
    assert clean_line(lines[0]), lines[0][:500]
    assert "Traceback" not in proc.stderr and "không mong đợi" not in proc.stderr
    return lines[0]


def at_limit() -> list[dict[str, Any]]:
    """Two dossiers with every free-text field, count and list at the counter's own limit."""
    email = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 61
    assert len(email) == limits.EMAIL
    documents = [
        {
            "code": f"{i:03d}".ljust(limits.DOCUMENT_CODE, "D"),
            "name": "N" * limits.DOCUMENT_NAME,
            "originals": limits.COPIES,
            "copies": limits.COPIES,
        }
        for i in range(limits.DOCUMENTS)
    ]
    citizen = {
        "procedure_code": FREE,
        "applicant_name": "Ă" * validation.NAME_MAX,
        "id_type": "other",
        "id_number": "X" * validation.ID_OTHER_MAX,
        "phone": "0912345678",
        "email": email,
        "address": "đ" * validation.ADDRESS_MAX,
        "note": "n" * validation.NOTE_MAX,
        "submitter_name": "Ư" * validation.NAME_MAX,
        "submitter_id_number": "001190012345",
        "submitter_phone": "02439876543",
        "sets": limits.SETS,
        "documents": documents,
    }
    organisation = {
        "procedure_code": FREE,
        "applicant_type": "organization",
        "applicant_name": "C" * validation.ORG_NAME_MAX,
        "id_number": "0101234567-001",
        # A paper listed without a name takes its code as its name.
        "documents": [{"code": "DON"}],
    }
    return [citizen, organisation]


def test_the_counters_limits_are_the_wires_or_stricter():
    assert validation.NAME_MAX <= limits.APPLICANT_NAME
    assert validation.ORG_NAME_MAX <= limits.APPLICANT_NAME
    assert validation.ID_OTHER_MAX <= limits.ID_NUMBER
    assert validation.ADDRESS_MAX <= limits.ADDRESS
    assert validation.NOTE_MAX <= limits.NOTE
    assert validation.NOTE_MAX <= limits.REASON


def test_every_intake_field_at_its_limit_reaches_the_portal_schema(counter: CounterApp):
    items = [DossierInput.from_mapping(m) for m in at_limit()]
    views = counter.dossiers.receive_many(CLERK, items)
    assert len(views[0].documents) == limits.DOCUMENTS
    assert [d.name for d in views[1].documents] == ["DON"]
    counter.dossiers.set_status(BOSS, views[0].code, "processing", "x" * validation.NOTE_MAX)
    latest = f"{limits.LATEST_YEAR}-12-31T17:00:00+07:00"
    counter.dossiers.reschedule(BOSS, views[0].code, latest, "r" * validation.NOTE_MAX)
    checked = outbox_entries(counter)
    assert [e.kind for e in checked] == ["dossier", "dossier", "status", "due"]
    assert checked[0].data["applicant"]["email"] == at_limit()[0]["email"]
    assert checked[3].data["due_at"] == latest


OVER: list[tuple[str, dict[str, Any]]] = [
    ("applicant_name", {"applicant_name": "A" * (limits.APPLICANT_NAME + 1)}),
    (
        "applicant_name",
        {"applicant_type": "organization", "applicant_name": "C" * (limits.APPLICANT_NAME + 1)},
    ),
    ("id_number", {"id_type": "other", "id_number": "X" * (limits.ID_NUMBER + 1)}),
    ("submitter_id_number", {"submitter_id_number": "1" * (limits.ID_NUMBER + 1)}),
    ("phone", {"phone": "0" * (limits.PHONE + 1)}),
    ("email", {"email": "a" * (limits.EMAIL + 1) + "@b.vn"}),
    ("address", {"address": "a" * (limits.ADDRESS + 1)}),
    ("note", {"note": "a" * (limits.NOTE + 1)}),
    ("submitter_name", {"submitter_name": "A" * (limits.APPLICANT_NAME + 1)}),
    ("sets", {"sets": limits.SETS + 1}),
    ("sets", {"sets": 10**4000}),
    ("documents", {"documents": [{"code": f"D{i}"} for i in range(limits.DOCUMENTS + 1)]}),
    ("documents", {"documents": [{"code": "D" * (limits.DOCUMENT_CODE + 1)}]}),
    ("documents", {"documents": [{"code": "D", "name": "N" * (limits.DOCUMENT_NAME + 1)}]}),
    ("documents", {"documents": [{"code": "D", "originals": limits.COPIES + 1}]}),
    ("documents", {"documents": [{"code": "D", "copies": limits.COPIES + 1}]}),
    ("documents", {"documents": [{"code": "D", "originals": 999}]}),
    ("documents", {"documents": [{"code": "D", "originals": True}]}),
    ("documents", {"documents": [{"code": "D", "originals": 2.5}]}),
    ("documents", {"documents": [{"code": {"a": 1}}]}),
    ("documents", {"documents": [{"code": ["D"]}]}),
    ("documents", {"documents": [{"code": ""}]}),
    ("documents", {"documents": [{"code": "D\x00\x1b[2J"}]}),
    ("documents", {"documents": [{"code": "D" * 100_000 + "\x00\x1b"}]}),
    ("documents", {"documents": [{"code": "D"}, {"code": "D"}]}),
    ("procedure_code", {"procedure_code": "1" * (limits.PROCEDURE_CODE + 1)}),
    ("procedure_code", {"procedure_code": "1" * 100_000 + "\x00\x1b[2J"}),
    ("procedure_code", {"procedure_code": {"code": FREE}}),
    ("channel", {"channel": "\x1b[31m" * 10_000}),
    ("received_at", {"received_at": "9999-12-31T23:59:59-12:00"}),
]


@pytest.mark.parametrize(
    ("field", "change"), OVER, ids=[f"{f}-{i}" for i, (f, _) in enumerate(OVER)]
)
def test_one_more_than_the_wire_takes_is_refused_and_nothing_is_stored(
    counter: CounterApp, field: str, change: dict[str, Any]
):
    before = rows(counter, "SELECT count(*) FROM dossiers")
    with pytest.raises(InvalidInput) as refused:
        item = DossierInput.from_mapping({"procedure_code": FREE, "applicant_name": "An"} | change)
        counter.dossiers.receive(CLERK, item)
    assert refused.value.field == field
    for message in (refused.value.message_vi, refused.value.message_en):
        assert clean_line(message), message[:500]
    assert rows(counter, "SELECT count(*) FROM dossiers") == before
    assert rows(counter, "SELECT count(*) FROM outbox") == [(0,)]


def test_a_hostile_line_is_refused_in_one_short_line_from_the_command_line(
    cli: Cli, tmp_path: Path
):
    lines = [
        {"procedure_code": BIRTH, "applicant_name": "Nguyễn Văn An"},
        {
            "procedure_code": BIRTH,
            "applicant_name": "Lê Thị Bình",
            "documents": [{"code": "TK", "originals": 999}, {"code": "GCS"}],
        },
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", "utf-8")
    line = assert_one_error_line(cli.run("receive", "--from-jsonl", str(path), user="clerk"))
    assert "dòng 2" in line
    assert cli.json("find", "nguyen van an") == []


def test_fullwidth_digits_are_normalised_so_find_finds_them(counter: CounterApp):
    fullwidth = str.maketrans("0123456789", "０１２３４５６７８９")
    item = DossierInput(
        procedure_code=BIRTH.translate(fullwidth),
        applicant_name="Nguyễn Thị Ánh Tuyết",
        id_number="001190012345".translate(fullwidth),
        phone="09１２ ３４５ ６７８",
        submitter_name="Trần Văn Nộp",
        submitter_phone="+８４ 912 000 111",
    )
    view = counter.dossiers.receive(CLERK, item)
    assert (view.procedure_code, view.id_number, view.phone) == (
        BIRTH,
        "001190012345",
        "0912345678",
    )
    assert view.submitter_phone == "0912000111"
    for query in (
        "0912345678",
        "001190012345",
        "0912000111",
        "０９１２３４５６７８",
        "００１１９００１",
    ):
        assert [d.code for d in counter.reports.find(query)] == [view.code], query
    assert [d.code for d in counter.reports.find(view.code.translate(fullwidth))] == [view.code]
    # Other scripts' digits are no ASCII digits: refused, never stored as a look-alike.
    with pytest.raises(InvalidInput):
        counter.dossiers.receive(CLERK, DossierInput(BIRTH, "An", phone="٠٩١٢٣٤٥٦٧٨"))
    with pytest.raises(InvalidInput):
        counter.dossiers.receive(CLERK, DossierInput(BIRTH, "An", id_number="٠٠١١٩٠٠١٢٣٤٥"))


def test_a_due_date_beyond_the_wire_is_refused(counter: CounterApp, cli: Cli):
    code = counter.dossiers.receive(CLERK, DossierInput(BIRTH, "Nguyễn Văn An")).code
    for far in ("9999-12-31", f"{limits.LATEST_YEAR + 1}-01-01T08:00", "0001-01-01T00:00+07:00"):
        with pytest.raises(InvalidInput) as refused:
            counter.dossiers.reschedule(BOSS, code, far, "Chậm")
        assert refused.value.field == "due_at"
    assert [e.kind for e in outbox_entries(counter)] == ["dossier"]
    assert_one_error_line(
        cli.run(
            "reschedule", code, "--due-at", "9999-12-31T23:59+00:00", "--reason", "x", user="boss"
        )
    )


@pytest.mark.parametrize(
    ("args", "user"),
    [
        (("print", "daily", "--date", "9999-12-31", "-o", "{out}/d.pdf"), "boss"),
        (("print", "daily", "--date", "0001-01-01", "-o", "{out}/d.pdf"), "boss"),
        (
            ("print", "book", "--from", "0001-01-01", "--to", "9999-12-31", "-o", "{out}/b.pdf"),
            "boss",
        ),
        (("calendar", "due", "--from", "9999-12-31T10:00", "--procedure", BIRTH), None),
        (("calendar", "day-off", "9999-12-31"), "boss"),
    ],
    ids=["daily-far", "daily-early", "book", "due", "day-off"],
)
def test_far_dates_on_the_command_line_are_refused_in_one_line(
    cli: Cli, tmp_path: Path, args: tuple[str, ...], user: str | None
):
    argv = [a.format(out=tmp_path) for a in args]
    assert_one_error_line(cli.run(*argv, user=user))
    assert not list(tmp_path.glob("*.pdf"))


HOSTILE_JSONL: dict[str, bytes] = {
    "invalid-utf8": b'{"procedure_code": "1.001193", "applicant_name": "An"}\n\xff\xfe{}\n',
    "infinity": b'{"procedure_code": "1.001193", "applicant_name": "An", "sets": Infinity}\n',
    "nan-count": b'{"procedure_code": "1.001193", "applicant_name": "An",'
    b' "documents": [{"code": "TK", "originals": NaN}]}\n',
    "overflow": b'{"procedure_code": "1.001193", "applicant_name": "An",'
    b' "documents": [{"code": "TK", "originals": 1e400}]}\n',
    "5000-digits": b'{"procedure_code": "1.001193", "applicant_name": "An", "sets": '
    + b"9" * 5000
    + b"}\n",
    "deep": b'{"procedure_code": "1.001193", "applicant_name": "An", "note": '
    + b"[" * 100_000
    + b"]" * 100_000
    + b"}\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_JSONL))
def test_a_hostile_jsonl_file_is_refused_naming_its_line(cli: Cli, tmp_path: Path, name: str):
    path = tmp_path / f"{name}.jsonl"
    path.write_bytes(HOSTILE_JSONL[name])
    line = assert_one_error_line(cli.run("receive", "--from-jsonl", str(path), user="clerk"))
    assert ("dòng 2" if name == "invalid-utf8" else "dòng 1") in line


def test_a_full_disk_under_the_log_does_not_break_a_command(real_cli: Cli, tmp_path: Path):
    """/dev/full takes the log's writes and fails each with ENOSPC, as a full disk does; a real
    program, which flushes its log once more as it ends."""
    cli = real_cli
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    log = cli.data_dir / "logs" / "counter.log"
    log.parent.mkdir(exist_ok=True)
    log.unlink(missing_ok=True)
    log.symlink_to("/dev/full")
    done = cli.run(
        "--json", "receive", "--procedure", BIRTH, "--applicant-name", "An", user="clerk"
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr[-2000:]
    assert json.loads(done.stdout)["code"]
    # A refusal still says one line, and a failure before the database is opened too.
    assert_one_error_line(cli.run("show", "000.00.36.H62-261126-9999"))
    assert_one_error_line(
        cli.run(
            "reschedule", "X", "--due-at", "9999-12-31T23:59+00:00", "--reason", "x", user="boss"
        )
    )
    # A log folder that cannot be written at all is no reason to refuse work either.
    log.unlink()
    log.parent.rmdir()
    log.parent.write_text("not a folder")
    done = cli.run("find", "An")
    assert done.returncode == 0 and done.stderr == "", done.stderr[-2000:]


def test_a_failure_before_the_data_folder_opens_writes_no_trace(tmp_path: Path):
    missing = Cli(tmp_path / "nowhere", real=True)
    assert_one_error_line(
        missing.run("reschedule", "X", "--due-at", "9999-12-31T23:59+00:00", "--reason", "x")
    )
    assert not (tmp_path / "nowhere").exists()


# -- the portal's admin commands ----------------------------------------------------------------


def portal_admin(db: str, *args: str, prelude: str = "") -> subprocess.CompletedProcess[str]:
    """``python -m portal admin --db DB ARGS``: its ``main`` in this process, or, after some
    ``prelude`` code, in a new one (tests/portal/test_portal_admin_cli.py runs the admin
    commands as an operator does)."""
    if not prelude:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = portal_main(["admin", "--db", db, *args])
            except SystemExit as exc:  # usage errors
                status = int(exc.code or 0)
        return subprocess.CompletedProcess(
            ["portal", *args], status, out.getvalue(), err.getvalue()
        )
    code = f"{prelude}\nimport sys\nfrom portal.cli import main\nsys.exit(main(sys.argv[1:]))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PORTAL_DB_URL", None)
    return subprocess.run(
        [sys.executable, "-c", code, "admin", "--db", db, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_portal_admin_refuses_hostile_input_in_one_line(tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'portal.db'}"
    assert portal_admin(db, "add-agency", "000.00.36.H62", "UBND xã Hòa Bình").returncode == 0
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    nan = tmp_path / "nan.json"
    nan.write_text('{"version": "1", "procedures": [{"code": "1", "value": NaN}]}', "utf-8")
    digits = tmp_path / "digits.json"
    digits.write_text('{"version": ' + "9" * 5000 + "}", "utf-8")
    for args in (
        ("catalog", "import", str(deep)),
        ("catalog", "import", str(nan)),
        ("catalog", "import", str(digits)),
        ("dossiers", "--limit", "9" * 30),
        ("dossiers", "--limit", "-5"),
        ("add-counter", "--agency-code", "000.00.36.H62", "--counter-no", "9" * 30),
        ("attention", "resolve", "9" * 30),
        ("set-due", "000.00.36.H62-261126-1001", "9999-12-31T23:59+00:00", "--reason", "x"),
        ("set-status", "X" * 100_000 + "\x1b[2J", "processing"),
    ):
        assert_one_error_line(portal_admin(db, *args))
    # Nothing was imported or registered by the refused commands.
    listed = portal_admin(db, "--json", "catalog", "list")
    assert listed.returncode == 0 and json.loads(listed.stdout) == []


def test_a_missing_postgresql_driver_is_said_plainly(tmp_path: Path):
    absent = "import sys\nsys.modules['psycopg'] = None\nsys.modules['psycopg2'] = None"
    for url in ("postgresql://u:p@127.0.0.1:1/x", "postgresql+psycopg://u:p@127.0.0.1:1/x"):
        line = assert_one_error_line(portal_admin(url, "dossiers", prelude=absent))
        assert "psycopg" in line and "postgres" in line
