"""The daily summary's figures against an independent count from the raw tables."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest

from counter.clock import VN_TZ, from_stored, now
from counter.dossiers import DossierInput
from counter.seed import seed_demo
from counter.statuses import CLOSED, Status
from counter.storage import STATUS, Day


def independent(db_path, day: date):
    """Replays each dossier's history with plain SQL rows and Python, nothing shared."""
    end = datetime.combine(day + timedelta(days=1), time(0), VN_TZ)
    start = end - timedelta(days=1)
    conn = sqlite3.connect(db_path)
    try:
        dossiers = {
            row[0]: row
            for row in conn.execute(
                "SELECT d.id, receipt_day, received_at, due_at, procedure_code, received_by, "
                "v.fees_total FROM dossiers AS d "
                "JOIN procedure_versions AS v ON v.id = d.procedure_version"
            )
        }
        history: dict[int, list[tuple[datetime, str, str]]] = {}
        for dossier_id, at, status, by in conn.execute(
            "SELECT dossier_id, at, status, by_user FROM dossier_history ORDER BY at, id"
        ):
            history.setdefault(dossier_id, []).append((from_stored(at), STATUS.words[status], by))
    finally:
        conn.close()
    figures = Counter()
    per_procedure = Counter()
    for dossier_id, (_, receipt_day, received_at, due_at, proc, _clerk, fees) in dossiers.items():
        received = from_stored(received_at)
        due = from_stored(due_at)
        if Day.from_stored(receipt_day) == day:
            figures["received"] += 1
            figures["fees"] += fees
            per_procedure[proc] += 1
        steps = history.get(dossier_id, [])
        for at, status, _by in steps:
            if start <= at < end and status in ("returned", "rejected", "withdrawn"):
                figures[status] += 1
                if status == "returned":
                    figures["on_time" if at <= due else "late"] += 1
        if received >= end:
            continue
        before_end = [st for at, st, _ in steps if at < end]
        ever_closed = [st for st in before_end if Status(st) in CLOSED]
        if not ever_closed:
            figures["pending"] += 1
            if due < end:
                figures["overdue"] += 1
    return figures, per_procedure


@pytest.mark.slow
def test_daily_summary_equals_an_independent_count(app, admin):
    seed_demo(app, admin, 3000, days=25, seed=11)
    today = now().date()
    # a few real dossiers and moves today as well
    for name in ("Đặng Hữu Phước", "Nguyễn Thị Ánh Tuyết", "H'Hen Niê"):
        view = app.dossiers.receive(admin, DossierInput("1.001193", name))
    app.dossiers.set_status(admin, view.code, "withdrawn", "Công dân rút hồ sơ")
    checked = 0
    for offset in (0, 1, 3, 8, 15):
        day = today - timedelta(days=offset)
        summary = app.reports.daily_summary(day)
        figures, per_procedure = independent(app.db.path, day)
        assert summary.received == figures["received"]
        assert summary.returned == figures["returned"]
        assert summary.rejected == figures["rejected"]
        assert summary.withdrawn == figures["withdrawn"]
        assert summary.returned_on_time == figures["on_time"]
        assert summary.returned_late == figures["late"]
        assert summary.pending == figures["pending"]
        assert summary.overdue == figures["overdue"]
        assert summary.fees_collected == figures["fees"]
        assert {c.key: c.received for c in summary.by_procedure if c.received} == dict(
            per_procedure
        )
        assert len(summary.overdue_list) == min(200, figures["overdue"])
        dues = [d.due_at for d in summary.overdue_list]
        assert dues == sorted(dues)
        assert sum(n for _, n in summary.intake_last_30_days[-1:]) == figures["received"]
        checked += figures["received"]
    assert checked > 0
