"""Incomplete dossiers at the counter (guidance, Mẫu 02) and supplemented papers received
again ("Tiếp nhận lại"): the domain, in process, on a real database file."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

import pytest

from counter.errors import InvalidInput, NotAllowed, NotFound
from counter.intake import DossierInput
from counter.statuses import Status
from counter.views import DocumentLine
from printing.formatting import VN_TZ

BIRTH = "1.001193"  # same day, cut-off 15:00; TK and GCS required, UQ conditional


def _input(**kw):
    base = {
        "procedure_code": BIRTH,
        "applicant_name": "Lò Văn Pầu",
        "id_number": "014190001234",
        "phone": "0912345678",
        "address": "Bản Phiêng, xã Hòa Bình",
        "received_at": "2026-11-24T09:00:00+07:00",
        "documents": [DocumentLine("TK", "")],
    }
    base.update(kw)
    return DossierInput(**base)


def _count(app, table: str) -> int:
    conn = sqlite3.connect(app.db_path_for(app.data_dir))
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def test_guidance_records_what_is_missing_and_no_dossier(app, clerk):
    g = app.guidance.guide(clerk, _input())
    assert g.code == "HD-261124-1001"
    assert [d.code for d in g.missing] == ["GCS"]  # the conditional UQ is never asked for
    assert [d.code for d in g.received] == ["TK"]
    assert g.guided_by_name == "Trần Thị Tiếp" and not g.completed
    assert _count(app, "dossiers") == 0 and _count(app, "outbox") == 0
    # the next one that day is numbered on, in this counter's block
    assert app.guidance.guide(clerk, _input(documents=[])).code == "HD-261124-1002"
    assert [g.code for g in app.guidance.recent()] == ["HD-261124-1002", "HD-261124-1001"]
    summary = app.reports.daily_summary(datetime(2026, 11, 24).date())
    assert summary.guided == 2 and summary.received == 0


def test_a_complete_dossier_is_not_guided_and_nothing_changes(app, clerk):
    with pytest.raises(NotAllowed, match="đủ giấy tờ bắt buộc"):
        app.guidance.guide(
            clerk, _input(documents=[DocumentLine("TK", ""), DocumentLine("GCS", "")])
        )
    with pytest.raises(InvalidInput):  # what was shown must be said, even if nothing
        app.guidance.guide(clerk, _input(documents=None))
    with pytest.raises(InvalidInput, match="không có giấy tờ mã 'XX'"):
        app.guidance.guide(clerk, _input(documents=[DocumentLine("XX", "")]))
    assert _count(app, "guidances") == 0


def test_receiving_from_guidance_counts_from_that_moment(app, clerk):
    g = app.guidance.guide(clerk, _input())
    v = app.guidance.receive(clerk, g.code.lower(), received_at="2026-11-25T15:30:00+07:00")
    # received after the 15:00 cut-off: due at the close of the next working day
    assert v.received_at == datetime(2026, 11, 25, 15, 30, tzinfo=VN_TZ)
    assert v.due_at == datetime(2026, 11, 26, 17, 0, tzinfo=VN_TZ)
    assert v.applicant_name == "Lò Văn Pầu" and v.id_number == "014190001234"
    assert [d.code for d in v.documents] == ["TK", "GCS"]
    assert g.code in v.history[0].note
    done = app.guidance.get(g.code)
    assert done.dossier_code == v.code and done.completed
    assert app.guidance.recent() == []
    with pytest.raises(NotAllowed, match=v.code):
        app.guidance.receive(clerk, g.code)
    with pytest.raises(NotFound):
        app.guidance.receive(clerk, "HD-261124-9999")
    assert _count(app, "dossiers") == 1


def test_receiving_from_guidance_still_needs_every_required_paper(app, clerk):
    g = app.guidance.guide(clerk, _input())
    with pytest.raises(InvalidInput, match="GCS"):
        app.guidance.receive(clerk, g.code, documents=[DocumentLine("TK", "")])
    assert _count(app, "dossiers") == 0 and not app.guidance.get(g.code).completed


def test_papers_received_again_restart_the_clock(app, clerk, admin):
    v = app.dossiers.receive(clerk, _input(documents=None, received_at="2026-11-23T09:00:00+07:00"))
    first_due = v.due_at
    app.dossiers.set_status(admin, v.code, Status.PROCESSING)
    app.dossiers.set_status(admin, v.code, Status.SUPPLEMENT_REQUESTED, "Thiếu bản sao")
    at = datetime(2026, 11, 25, 15, 30, tzinfo=VN_TZ)
    again = app.dossiers.set_status(clerk, v.code, Status.RECEIVED, at=at)
    assert again.restarted_at == at
    assert again.due_at == datetime(2026, 11, 26, 17, 0, tzinfo=VN_TZ) != first_due
    # not a delay: no missed appointment, so no apology (Mẫu 04) is owed
    assert again.previous_due_at is None and again.reschedule_reason == ""
    received = [h for h in again.history if h.status is Status.RECEIVED]
    assert len(received) == 2 and "Tiếp nhận lại" in received[1].note
    assert again.received_at == v.received_at  # the first receipt stays on record
    conn = sqlite3.connect(app.db_path_for(app.data_dir))
    try:
        kinds = [
            (k, json.loads(p))
            for k, p in conn.execute("SELECT kind, payload FROM outbox ORDER BY id")
        ]
        actions = [a for (a,) in conn.execute("SELECT action FROM audit_log")]
    finally:
        conn.close()
    assert [k for k, _ in kinds] == ["dossier", "status", "status", "status", "due_change"]
    assert kinds[-1][1]["due_at"] == "2026-11-26T17:00:00+07:00"
    assert "Tiếp nhận lại" in kinds[-1][1]["reason"]
    assert "dossier.restart" in actions
    book = list(app.reports.book_rows(v.received_at.date(), v.received_at.date()))
    assert book[0].note.startswith("Tiếp nhận lại (đã bổ sung) 15:30 25/11/2026")
