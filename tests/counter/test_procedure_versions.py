"""Dossiers refer to the version of their procedure (``counter.versions``): a database made
before keeps every dossier as it was received, and a procedure changed later in the
catalogue does not change the dossiers received before."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from alembic import command

from bench.floors import pdf_lines
from counter import audit, integrity
from counter.app import CounterApp
from counter.clock import parse_datetime
from counter.db import alembic_config, current_revision, head_revision
from counter.dossiers import DossierInput
from counter.repository import dossier_view
from counter.serialize import detail_json
from counter.statuses import Status
from counter.views import DocumentLine, StatusChange
from printing.receipt import render_receipt

AGENCY = "000.00.36.H62"
DOCS = [
    {"code": "TK", "name": "Tờ khai đăng ký khai sinh", "originals": 1, "copies": 0,
     "requirement": "required"},
    {"code": "GCS", "name": "Giấy chứng sinh", "originals": 1, "copies": 0,
     "requirement": "required"},
    {"code": "UQ", "name": "Văn bản ủy quyền (nếu có)", "originals": 1, "copies": 0,
     "requirement": "optional"},
]  # fmt: skip
FEES = [{"code": "LP", "name": "Lệ phí đăng ký khai sinh", "amount": 8000}]


def _line(code: str, **changed: Any) -> dict[str, Any]:
    doc = next(d for d in DOCS if d["code"] == code)
    return {"code": code, "name": doc["name"], "originals": doc["originals"],
            "copies": doc["copies"], **changed}  # fmt: skip


#: (seq, procedure's name as copied, papers, fees, time cut-off): the catalogue's own
#: copy with its default papers, papers chosen, papers changed by the clerk, none at all,
#: and a copy of the procedure as it was before the catalogue renamed it and raised its fee.
VARIANTS: list[tuple[int, str, list[dict[str, Any]], list[dict[str, Any]], str]] = [
    (1, "Đăng ký khai sinh", [_line("TK"), _line("GCS")], FEES, ""),
    (2, "Đăng ký khai sinh", [_line("TK"), _line("GCS"), _line("UQ")], FEES, ""),
    (3, "Đăng ký khai sinh", [_line("GCS", copies=2), _line("TK", name="Tờ khai (bản in)")],
     FEES, ""),
    (4, "Đăng ký khai sinh", [], FEES, ""),
    (5, "Đăng ký khai sinh (cũ)", [_line("TK")], [{**FEES[0], "amount": 5000}], "15:00"),
]  # fmt: skip


def _old_database(db: Path) -> None:
    """A counter at the schema before procedure versions, with the dossiers of VARIANTS,
    each with its history and its audit line (as receiving wrote them)."""
    command.upgrade(alembic_config(db), "0013")
    conn = sqlite3.connect(db)
    with conn:
        conn.executemany(
            "INSERT INTO settings (key, value) VALUES (?, ?)",
            [
                ("office.agency_code", json.dumps(AGENCY)),
                ("office.agency_name", json.dumps("UBND xã Hòa Bình")),
                ("office.counter_no", "1"),
            ],
        )
        conn.execute(
            "INSERT INTO procedures (code, name, name_folded, field_code, field_name, level, "
            "time_value, time_unit, time_cutoff, fees, documents, result_agency, "
            "catalog_version, source, active, updated_at) VALUES ('1.001193', "
            "'Đăng ký khai sinh', 'dang ky khai sinh', 'HT', 'Hộ tịch', 'commune', 1, "
            "'working_days', '', ?, ?, 'UBND xã Hòa Bình', 'v1', 'file', 1, "
            "'2026-01-05T08:00:00+07:00')",
            (json.dumps(FEES, ensure_ascii=False), json.dumps(DOCS, ensure_ascii=False)),
        )
        prev = audit.GENESIS
        for seq, name, papers, fees, cutoff in VARIANTS:
            at = f"2026-01-05T08:0{seq}:00+07:00"
            row = {
                "id": seq,
                "code": f"{AGENCY}-260105-100{seq}",
                "agency_code": AGENCY,
                "counter_no": 1,
                "receipt_day": "2026-01-05",
                "seq_no": 1000 + seq,
                "book_year": 2026,
                "book_number": seq,
                "procedure_code": "1.001193",
                "procedure_name": name,
                "field_name": "Hộ tịch",
                "time_value": 1.0,
                "time_unit": "working_days",
                "time_cutoff": cutoff,
                "result_agency": "UBND xã Hòa Bình",
                "result_delivery": "counter",
                "applicant_type": "citizen",
                "applicant_name": f"Lê Thị Hoa {seq}",
                "id_number": "001190012345",
                "id_type": "cccd",
                "phone": "0912345678",
                "email": "",
                "address": "Thôn Đông",
                "submitter_name": "",
                "submitter_id_number": "",
                "submitter_phone": "",
                "channel": "direct",
                "sets": 1,
                "received_at": at,
                "due_at": "2026-01-06T08:00:00+07:00",
                "status": "received",
                "status_changed_at": at,
                "lookup_key": f"K7M3PQA{seq}",
                "note": "",
                "documents": json.dumps(papers, ensure_ascii=False, separators=(",", ":")),
                "fees": json.dumps(fees, ensure_ascii=False, separators=(",", ":")),
                "fees_total": sum(f["amount"] for f in fees),
                "received_by": "clerk",
                "is_demo": 0,
                "sync_state": "pending",
                "updated_at": at,
                "reschedule_reason": "",
                "search_key": seq,
            }
            conn.execute(
                f"INSERT INTO dossiers ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                tuple(row.values()),
            )
            conn.execute(
                "INSERT INTO dossier_search (rowid, name, ids) VALUES (?, ?, ?)",
                (seq, f"le thi hoa {seq}", row["code"].lower()),
            )
            conn.execute(
                "INSERT INTO dossier_history (dossier_id, at, status, by_user, note, source) "
                "VALUES (?, ?, 'received', 'clerk', '', 'counter')",
                (seq, at),
            )
            state = integrity.dossier_digest(_as_read(row), [])
            line = audit.chained(
                prev, parse_datetime(at), "clerk", "dossier.receive", "dossier", row["code"],
                {"procedure": "1.001193", "state": state},
            )  # fmt: skip
            conn.execute(
                "INSERT INTO audit_log (at, actor, action, entity, entity_key, details, "
                "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    at,
                    "clerk",
                    "dossier.receive",
                    "dossier",
                    row["code"],
                    audit.hashed_details(line["details"], line["state"]),
                    prev,
                    audit.link(line),
                ),
            )  # as that revision stored a row: the previous row's hash too, both in hex
            prev = audit.link(line)
    conn.close()


def _as_read(row: dict[str, Any]) -> SimpleNamespace:
    """A stored row as the mapped class read it: moments, days and lists parsed."""
    values = dict(row)
    for key in ("received_at", "due_at", "status_changed_at", "updated_at"):
        values[key] = parse_datetime(values[key])
    values["receipt_day"] = values["received_at"].date()
    values["documents"] = json.loads(values["documents"])
    values["fees"] = json.loads(values["fees"])
    values["is_demo"] = bool(values["is_demo"])
    for key in ("portal_code", "portal_confirmed_at", "returned_at", "closed_at"):
        values.setdefault(key, None)
    values.update(previous_due_at=None, restarted_at=None)
    return SimpleNamespace(**values)


def _rows(db: Path) -> list[dict[str, Any]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM dossiers ORDER BY id")]
    finally:
        conn.close()


def test_a_database_made_before_versions_keeps_every_dossier_as_received(tmp_path: Path, clerk):
    data = tmp_path / "data"
    data.mkdir()
    db = data / "counter.db"
    _old_database(db)
    before = [_as_read(r) for r in _rows(db)]

    app = CounterApp.open(data)
    try:
        assert current_revision(db) == head_revision()
        office = app.office.identity()
        for old in before:
            history = (StatusChange(old.received_at, Status.RECEIVED, "clerk", "", "counter"),)
            was = dossier_view(
                old, history, "clerk", office, office.lookup_base_url,
                app.office.book_volume, (),
            )  # fmt: skip
            now = app.dossiers.get(old.code)
            # what scripts read (show --json) and what the receipt prints: the same
            assert detail_json(now) == detail_json(was)
            assert pdf_lines(render_receipt(now, office)) == pdf_lines(render_receipt(was, office))
        # the trail vouched for each dossier's every field: the digests still match
        assert app.maintenance.check().ok
        # the search index, made again without its text under the new keys, finds them all,
        # the last received first
        assert [d.code for d in app.reports.find("le thi hoa")] == [
            old.code for old in reversed(before)
        ]
        stored = {r["id"]: r for r in _rows(db)}
        assert "documents" not in stored[1] and "procedure_name" not in stored[1]
        assert stored[1]["papers"] is None  # the catalogue's required papers: nothing kept
        assert json.loads(stored[2]["papers"]) == ["TK", "GCS", "UQ"]
        # dossiers 1 to 4 share the catalogue's version; 5 has the old copy's own
        assert len({r["procedure_version"] for r in stored.values()}) == 2
        with sqlite3.connect(db) as conn:  # each receipt line said no more than its dossier
            assert conn.execute("SELECT count(*) FROM dossier_history").fetchone() == (0,)
        conn.close()

        # The catalogue renames the procedure and raises its fee: dossiers received before
        # print as they were, a new one takes the new version.
        with sqlite3.connect(db) as conn:
            conn.execute(
                "UPDATE procedures SET name = 'Đăng ký khai sinh (mới)', fees = ? "
                "WHERE code = '1.001193'",
                (json.dumps([{**FEES[0], "amount": 9000}], ensure_ascii=False),),
            )
        conn.close()
        fresh = app.dossiers.receive(
            clerk, DossierInput("1.001193", "Trần Văn Nam", documents=[DocumentLine("TK", ""),
                                DocumentLine("GCS", "", 0, 3)])
        )  # fmt: skip
        assert fresh.procedure_name == "Đăng ký khai sinh (mới)" and fresh.fees_total == 9000
        assert [(d.code, d.copies) for d in app.dossiers.get(fresh.code).documents] == [
            ("TK", 0),
            ("GCS", 3),
        ]
        assert app.dossiers.get(before[0].code).procedure_name == "Đăng ký khai sinh"
        assert app.dossiers.get(before[0].code).fees_total == 8000
        conn = sqlite3.connect(db)
        try:
            with pytest.raises(sqlite3.IntegrityError, match="kept as they are"):
                conn.execute("UPDATE procedure_versions SET name = 'x'")
        finally:
            conn.close()
        assert app.maintenance.check().ok
    finally:
        app.close()


def test_a_receipt_line_that_said_more_is_kept_and_a_same_second_line_stays_apart(
    tmp_path: Path,
):
    """The first dossier's receipt line had a note of its own, and a new appointment was
    given in the same second; the second dossier's receipt line said no more than its row,
    and it too got a line in the same second. Each reads as it was written, once."""
    data = tmp_path / "data"
    data.mkdir()
    db = data / "counter.db"
    _old_database(db)
    with sqlite3.connect(db) as conn:
        (first_at,) = conn.execute("SELECT received_at FROM dossiers WHERE id = 1").fetchone()
        (second_at,) = conn.execute("SELECT received_at FROM dossiers WHERE id = 2").fetchone()
        conn.execute("UPDATE dossier_history SET note = 'Nhận qua bưu điện' WHERE dossier_id = 1")
        conn.executemany(
            "INSERT INTO dossier_history (dossier_id, at, status, by_user, note, source) "
            "VALUES (?, ?, 'received', 'clerk', 'Hẹn lại', 'counter')",
            [(1, first_at), (2, second_at)],
        )
    conn.close()
    codes = [r["code"] for r in _rows(db)]

    app = CounterApp.open(data)
    try:
        lines = [
            [(h.status, h.note, h.source) for h in app.dossiers.get(code).history]
            for code in codes[:2]
        ]
    finally:
        app.close()
    assert lines == [
        [
            (Status.RECEIVED, "Nhận qua bưu điện", "counter"),
            (Status.RECEIVED, "Hẹn lại", "counter"),
        ],
        [(Status.RECEIVED, "", "counter"), (Status.RECEIVED, "Hẹn lại", "counter")],
    ]
