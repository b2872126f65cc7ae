"""A catalogue file is checked on import with the wire's limits (``protocol.masterdata``): what
the counter imports, it can receive, print and push. A bad file is refused whole, in one line
naming the procedure and the field, and nothing of it is imported."""

from __future__ import annotations

import copy
import json
import sqlite3
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import protocol
from counter import catalog, limits
from counter.accounts import Actor
from counter.app import CounterApp
from counter.errors import InvalidInput
from tests.conftest import Cli

ADMIN = Actor("admin", "Nguyễn Văn Quản", "admin")
CODE = "9.000001"


def procedure(code: str = CODE) -> dict[str, Any]:
    return {
        "code": code,
        "name": "Chứng thực bản sao từ bản chính",
        "field": {"code": "CT", "name": "Chứng thực"},
        "level": "commune",
        "processing_time": {"value": 2, "unit": "working_days"},
        "fees": [{"code": "PHI", "name": "Phí chứng thực", "amount": 2000}],
        "documents": [
            {"code": "BC", "name": "Bản chính", "originals": 1, "copies": 0},
            {"code": "BS", "name": "Bản sao", "originals": 0, "copies": 1},
        ],
        "result_agency": "Ủy ban nhân dân xã",
    }


def catalogue(*procedures: dict[str, Any]) -> dict[str, Any]:
    return {"version": "2026-12-01", "procedures": list(procedures)}


def changed(path: str, value: Any) -> dict[str, Any]:
    """A valid procedure with the member at ``path`` ("fees.0.amount") set to ``value``."""
    p = procedure()
    *parents, last = path.split(".")
    node: Any = p
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[int(last) if isinstance(node, list) else last] = value
    return p


def many(key: str, n: int) -> dict[str, Any]:
    p = procedure()
    item = p[key][0]
    p[key] = [{**item, "code": f"X{i}"} for i in range(n)]
    return p


@pytest.fixture
def counter(cli: Cli) -> Iterator[CounterApp]:
    app = CounterApp.open(cli.data_dir)
    yield app
    app.close()


def imported(app: CounterApp) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(app.db_path_for(app.data_dir))
    try:
        return list(conn.execute("SELECT code, name, updated_at FROM procedures ORDER BY code"))
    finally:
        conn.close()


def one_clean_line(text: str) -> bool:
    return len(text) < 400 and not any(unicodedata.category(c) == "Cc" for c in text)


#: (the field the refusal names, the bad procedure)
BAD: list[tuple[str, Callable[[], dict[str, Any]]]] = [
    ("value", lambda: changed("processing_time.value", 10**6)),
    ("amount", lambda: changed("fees.0.amount", 10**20)),
    ("amount", lambda: changed("fees.0.amount", limits.FEE_AMOUNT + 1)),
    ("name", lambda: changed("name", "Thủ tục " * 400)),
    ("name", lambda: changed("name", "x" * 1_000_000)),
    ("name", lambda: changed("name", "x" * (limits.PROCEDURE_NAME + 1))),
    ("code", lambda: changed("code", "1.00\x001193")),
    ("code", lambda: changed("code", "1.001\x1b[2J193")),
    ("code", lambda: changed("code", "1.001\n193")),
    ("code", lambda: changed("code", "1" * (limits.PROCEDURE_CODE + 1))),
    ("code", lambda: changed("code", {"a": 1})),
    ("code", lambda: changed("documents.0.code", "B\x07C")),
    ("code", lambda: changed("documents.0.code", "B" * (limits.DOCUMENT_CODE + 1))),
    ("code", lambda: changed("fees.0.code", "P\x00")),
    ("name", lambda: changed("documents.0.name", "n" * (limits.DOCUMENT_NAME + 1))),
    ("name", lambda: changed("documents.0.name", "Bản\x00chính")),
    ("name", lambda: changed("fees.0.name", "n" * (limits.FEE_NAME + 1))),
    ("originals", lambda: changed("documents.0.originals", limits.COPIES + 1)),
    ("copies", lambda: changed("documents.1.copies", 999)),
    ("documents", lambda: many("documents", limits.PROCEDURE_DOCUMENTS + 1)),
    ("fees", lambda: many("fees", limits.FEES + 1)),
    ("name", lambda: changed("field.name", "f" * (limits.FIELD_NAME + 1))),
    ("code", lambda: changed("field.code", "f" * (limits.FIELD_CODE + 1))),
    ("level", lambda: changed("level", "l" * (limits.LEVEL + 1))),
    ("result_agency", lambda: changed("result_agency", "r" * (limits.RESULT_AGENCY + 1))),
    ("code", lambda: changed("documents.1.code", "BC")),
]


@pytest.mark.parametrize(("field", "make"), BAD, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BAD)])
def test_a_catalogue_beyond_the_wire_is_refused_whole_naming_the_procedure_and_field(
    counter: CounterApp, tmp_path: Path, field: str, make: Callable[[], dict[str, Any]]
):
    before = imported(counter)
    path = tmp_path / "catalogue.json"
    # A good procedure first: it is not imported either.
    path.write_text(json.dumps(catalogue(procedure("9.000000"), make()), ensure_ascii=False))
    with pytest.raises(InvalidInput) as refused:
        counter.catalog.import_file(ADMIN, path)
    for message in (refused.value.message_vi, refused.value.message_en):
        assert one_clean_line(message), message[:500]
        assert f"'{field}'" in message, message
        assert any(w in message for w in ("thủ tục thứ 2", "procedure no. 2", CODE)), message
    assert imported(counter) == before


def test_the_counters_time_limit_is_within_the_wires():
    assert catalog.MAX_PROCESSING_VALUE <= limits.PROCESSING_VALUE


def test_the_catalogues_own_entries_are_bounded_too(counter: CounterApp, tmp_path: Path):
    path = tmp_path / "catalogue.json"
    for doc, field in (
        ({"version": "v" * (limits.CATALOG_VERSION + 1), "procedures": []}, "version"),
        ({"version": "1", "procedures": {"code": CODE}}, "procedures"),
        ([procedure()], "procedures"),
    ):
        path.write_text(json.dumps(doc))
        with pytest.raises(InvalidInput) as refused:
            counter.catalog.import_file(ADMIN, path)
        assert f"'{field}'" in refused.value.message_en


HOSTILE: dict[str, bytes] = {
    "nan": json.dumps(catalogue(procedure())).replace('"value": 2', '"value": NaN').encode(),
    "infinity": json.dumps(catalogue(procedure()))
    .replace('"value": 2', '"value": Infinity')
    .encode(),
    "overflow": json.dumps(catalogue(procedure()))
    .replace('"amount": 2000', '"amount": 1e400')
    .encode(),
    "5000-digits": json.dumps(catalogue(procedure()))
    .replace('"amount": 2000', '"amount": ' + "9" * 5000)
    .encode(),
    "deep": b'{"version": "1", "procedures": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "not-utf8": json.dumps(catalogue(procedure()), ensure_ascii=False).encode("utf-16"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_catalogue_file_is_refused_in_one_line(cli: Cli, tmp_path: Path, name: str):
    path = tmp_path / f"{name}.json"
    path.write_bytes(HOSTILE[name])
    proc = cli.run("catalog", "import", str(path), user="admin")
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-2000:])
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr[-2000:]
    assert one_clean_line(lines[0]) and "không mong đợi" not in lines[0]
    assert CODE not in cli.run("catalog", "list").stdout


def at_limit() -> dict[str, Any]:
    """One procedure with every text, count and list as long as the wire takes."""
    return {
        "code": CODE.ljust(limits.PROCEDURE_CODE, "9"),
        "name": ("Chứng thực chữ ký người dịch " * 40)[: limits.PROCEDURE_NAME],
        "field": {"code": "F" * limits.FIELD_CODE, "name": "Lĩnh vực " * 22},
        "level": "l" * limits.LEVEL,
        "processing_time": {"value": 3650, "unit": "calendar_days"},
        "fees": [
            {"code": f"P{i:02d}".ljust(limits.FEE_CODE, "P"), "name": "Phí " * 125, "amount": a}
            for i, a in enumerate([limits.FEE_AMOUNT] + [0] * (limits.FEES - 1))
        ],
        "documents": [
            {
                "code": f"D{i:03d}".ljust(limits.DOCUMENT_CODE, "D"),
                "name": ("Giấy tờ chứng minh nhân thân " * 20)[: limits.DOCUMENT_NAME],
                "originals": limits.COPIES,
                "copies": limits.COPIES,
                "requirement": "required" if i < 3 else "optional",
            }
            for i in range(limits.PROCEDURE_DOCUMENTS)
        ],
        "result_agency": ("Ủy ban nhân dân xã Hòa Bình " * 20)[: limits.RESULT_AGENCY],
    }


def test_a_catalogue_at_every_limit_is_received_printed_and_pushed(cli: Cli, tmp_path: Path):
    proc = at_limit()
    path = tmp_path / "catalogue.json"
    doc = {"version": "v" * limits.CATALOG_VERSION, "procedures": [proc]}
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    assert protocol.validate_catalog(copy.deepcopy(doc))  # the portal would publish it
    cli.ok("catalog", "import", str(path), user="admin")
    listed = cli.json("catalog", "list", proc["code"])
    assert listed[0]["name"] == proc["name"] and len(listed[0]["documents"]) == 200
    received = cli.json(
        "receive", "--procedure", proc["code"], "--applicant-name", "An", user="clerk"
    )
    code = received["code"]
    out = tmp_path / "out"
    out.mkdir()
    cli.ok("print", "receipt", code, "-o", str(out / "receipt.pdf"), user="clerk")
    day = received["received_at"][:10]
    cli.ok("print", "daily", "--date", day, "-o", str(out / "daily.pdf"), user="boss")
    assert (out / "receipt.pdf").stat().st_size > 0 and (out / "daily.pdf").stat().st_size > 0
    conn = sqlite3.connect(cli.data_dir / "counter.db")
    try:
        [(payload,)] = conn.execute("SELECT payload FROM outbox WHERE kind = 'dossier'")
    finally:
        conn.close()
    entry = protocol.validate_entry(
        {"key": str(uuid.uuid4()), "kind": "dossier", "data": json.loads(payload)}
    )
    assert entry.data["procedure_name"] == proc["name"]
    assert sum(f["amount"] for f in entry.data["fees"]) == limits.FEE_AMOUNT
