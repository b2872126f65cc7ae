"""Moments are stored as seconds since the epoch (migration 0015), the words of short lists
as numbers, days as days since 1970, the search index without columns (0016): a counter made
before reads, prints, digests and finds exactly as it did, and nothing is lost either way."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command

from bench.floors import pdf_lines
from counter import clock
from counter.app import CounterApp
from counter.clock import iso, now
from counter.db import alembic_config, current_revision, head_revision
from counter.dossiers import DossierInput
from counter.reports import DossierFilter
from counter.seed import seed_demo
from counter.serialize import detail_json
from counter.storage import STATUS, Day
from printing.receipt import render_receipt

NUMBER = "001190012345"


def _everything(app: CounterApp) -> dict[str, Any]:
    """What scripts and printed forms read of the counter, by every path that reads moments."""
    office = app.office.identity()
    listed = app.reports.page(DossierFilter(), 0, 1000, "due_at", False)
    codes = [d.code for d in listed]
    day = now().date()
    return {
        "show": {c: detail_json(app.dossiers.get(c)) for c in codes},
        "receipts": [pdf_lines(render_receipt(app.dossiers.get(c), office)) for c in codes[:3]],
        "lists": {
            key: [d.code for d in app.reports.page(DossierFilter(), 0, 50, key, desc)]
            for key in ("received_at", "due_at", "status")
            for desc in (True, False)
        },
        "found": {
            q: [d.code for d in app.reports.find(q, 100)]
            for q in ("Nguyễn", "thi a", NUMBER, "0912", "h62", "c", "9")
        },
        "summaries": [
            app.reports.daily_summary(day - timedelta(days=i)).__dict__ | {"generated_at": None}
            for i in range(0, 9, 2)
        ],
        "overdue": [d.code for d in app.reports.overdue()],
        "book": list(app.reports.book_rows(day - timedelta(days=30), day)),
    }


def test_a_counter_made_before_reads_prints_and_digests_the_same(
    tmp_path: Path, app_template: Path, admin: Any, clerk: Any
):
    data = tmp_path / "data"
    shutil.copytree(app_template, data)
    db = data / "counter.db"
    app = CounterApp.open(data)
    try:
        seed_demo(app, admin, 60, days=10, seed=15)
        first = app.dossiers.receive(
            clerk,
            DossierInput("1.001193", "Nguyễn Thị Ánh Tuyết", id_number=NUMBER, note="Nộp thay"),
        )
        late = app.dossiers.receive(
            clerk,
            DossierInput(
                "1.001193", "Nguyễn Văn Hùng", received_at=now() - timedelta(days=7, seconds=1)
            ),
        )
        app.dossiers.reschedule(admin, late.code, first.due_at + timedelta(days=3), "Chờ xác minh")
        app.dossiers.set_status(clerk, first.code, "withdrawn", "Công dân rút hồ sơ")
        app.dossiers.receive(
            clerk,
            DossierInput(
                "1.001193",
                "Công ty TNHH Hòa Bình 3A",
                applicant_type="organization",
                id_number="0101234567",
                channel="postal",
                result_delivery="post",
            ),
        )
        app.dossiers.receive(
            clerk,
            DossierInput("1.001193", "Lê Thị Hoa", id_number="C1234567", id_type="passport"),
        )
        before = _everything(app)
        assert app.maintenance.check().ok
    finally:
        app.close()
    assert len(before["show"]) > 60 and before["summaries"][0]["withdrawn"] == 1

    # The counter as the release before kept it: every moment ISO 8601 text in +07:00.
    command.downgrade(alembic_config(db), "0014")
    conn = sqlite3.connect(db)
    try:
        stored = dict(conn.execute("SELECT code, received_at FROM dossiers").fetchall())
        words = {w for (w,) in conn.execute("SELECT status FROM dossier_history")}
        days = dict(conn.execute("SELECT code, receipt_day FROM dossiers").fetchall())
        keys = conn.execute("SELECT count(DISTINCT search_key) FROM dossiers").fetchone()[0]
        moments = conn.execute("SELECT at FROM audit_log").fetchall()
    finally:
        conn.close()
    assert stored == {c: v["received_at"] for c, v in before["show"].items()}
    assert keys == len(stored) and all(at.endswith("+07:00") for (at,) in moments)
    assert iso(late.received_at) == stored[late.code]
    assert "withdrawn" in words and words <= set(STATUS.words)  # the words, as text
    assert days == {c: v["received_at"][:10] for c, v in before["show"].items()}

    # A word 0016 does not know is refused, and the counter is left as it was.
    command.upgrade(alembic_config(db), "0015")
    conn = sqlite3.connect(db)
    try:
        conn.execute("UPDATE dossiers SET channel = 'fax' WHERE code = ?", (late.code,))
        conn.commit()
    finally:
        conn.close()
    with pytest.raises(ValueError, match="channel 'fax' is not known"):
        command.upgrade(alembic_config(db), "head")
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0015",)
        conn.execute("UPDATE dossiers SET channel = 'direct' WHERE code = ?", (late.code,))
        # The portal acknowledged all but the due change 40 days ago (0018 keeps their digest).
        conn.execute(
            "UPDATE outbox SET state = 'sent', sent_at = ? WHERE kind != 'due_change'",
            (clock.stored(now() - timedelta(days=40)),),
        )
        conn.commit()
    finally:
        conn.close()

    app = CounterApp.open(data)  # upgraded (after a backup)
    try:
        assert current_revision(db) == head_revision()
        assert _everything(app) == before
        assert app.maintenance.check().ok  # every digest as it was, the payloads gone
        assert _count(db, "outbox_sent") == 5 and _count(db, "outbox") == 1
        again = app.dossiers.receive(
            clerk, DossierInput("1.001193", "Nguyễn Thị Lan", id_number=NUMBER)
        )
        assert app.reports.find("Nguyễn Thị Lan")[0].code == again.code
        # the ID number's dossiers, found without an index of their own on it
        same = app.dossiers.recent_same_applicant(NUMBER, "1.001193")
        assert sorted(d.code for d in same) == sorted([first.code, again.code])
        assert app.dossiers.latest_applicant(NUMBER).name == "Nguyễn Thị Lan"
    finally:
        app.close()
    assert list((data / "backups").glob("before-upgrade-0015-*.db"))
    conn = sqlite3.connect(db)
    try:
        received_at, status, day = conn.execute(
            "SELECT received_at, status, receipt_day FROM dossiers WHERE code = ?", (late.code,)
        ).fetchone()
    finally:
        conn.close()
    assert received_at == int(late.received_at.timestamp())
    day_of_receipt = late.received_at.date()  # the day it was received on, in Vietnam time
    assert (status, day) == (STATUS.stored(late.status), Day.stored(day_of_receipt))

    # Back to 0017 is refused while an entry keeps its digest alone: its payload is gone
    # (the revisions after 0018 go back first, each a step of its own).
    command.downgrade(alembic_config(db), "0018")
    with pytest.raises(ValueError, match="cannot come back"):
        command.downgrade(alembic_config(db), "0017")
    assert current_revision(db) == "0018" and _count(db, "outbox_sent") == 5


def _count(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()
