"""The citizen's rating at hand-back (``counter.ratings``): recorded by ``rate`` without a
clerk's account, refused for a dossier not handed back or an unsatisfied rating without a
reason, replaced by a later one with both in the audit trail, in ``show --json``, in the
outbox for the portal and on the daily summary (by procedure and by the clerk who handed
back)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from counter.app import CounterApp
from printing.daily import daily_csv
from tests.conftest import Cli
from tests.counter.test_cli import db_fingerprint, receive


def test_a_citizen_rates_a_returned_dossier_once_and_may_rate_again(cli: Cli) -> None:
    first = receive(cli)["code"]
    second = receive(cli, "Đặng Hữu Phước")["code"]
    before = db_fingerprint(cli)
    assert "chỉ đánh giá được khi đã trả kết quả" in cli.refused("rate", first, "satisfied")
    assert db_fingerprint(cli) == before

    for code in (first, second):
        cli.ok("set-status", code, "processing", user="boss")
        cli.ok("set-status", code, "done", user="boss")
    cli.ok("set-status", first, "returned", user="clerk")
    cli.ok("set-status", second, "returned", user="boss")
    before = db_fingerprint(cli)
    assert "cần cho biết lý do" in cli.refused("rate", first, "unsatisfied")
    assert "Chỉ ghi lý do khi chưa hài lòng" in cli.refused(
        "rate", first, "satisfied", "--reason", "Khác"
    )
    assert "Mức đánh giá không hợp lệ" in cli.refused("rate", first, "good")
    assert db_fingerprint(cli) == before

    # a kiosk records the citizen's choice as an operator runs it: no --user, no password
    kiosk = cli.as_operator().run(
        "--json", "rate", first, "unsatisfied", "--reason", "Thời gian chờ lâu", password=""
    )
    assert kiosk.returncode == 0, kiosk.stderr
    assert json.loads(kiosk.stdout)["level"] == "unsatisfied"
    cli.ok("rate", first, "very_satisfied")
    cli.ok("rate", second, "unsatisfied", "--reason", "Phải đi lại nhiều lần")

    rating = cli.json("show", first)["rating"]
    assert rating["level"] == "very_satisfied" and rating["reason"] is None
    assert rating["source"] == "cli" and rating["at"].endswith("+07:00")
    assert cli.json("show", receive(cli, "Lê Văn Tỵ")["code"])["rating"] is None
    assert "Đánh giá: Rất hài lòng" in cli.ok("show", first).stdout

    conn = sqlite3.connect(cli.data_dir / "counter.db")
    try:
        trail = conn.execute(
            "SELECT actor, details FROM audit_log WHERE action = 'dossier.rate' "
            "AND entity_key = ? ORDER BY id",
            (first,),
        ).fetchall()
        queued = [
            json.loads(p)
            for (p,) in conn.execute(
                "SELECT payload FROM outbox WHERE kind = 'rating' AND dossier_id = "
                "(SELECT id FROM dossiers WHERE code = ?) ORDER BY id",
                (first,),
            )
        ]
    finally:
        conn.close()
    assert [actor for actor, _ in trail] == ["citizen:cli", "citizen:cli"]
    assert [json.loads(d)["level"] for _, d in trail] == ["unsatisfied", "very_satisfied"]
    assert [(q["level"], q["reason"]) for q in queued] == [
        ("unsatisfied", "Thời gian chờ lâu"),
        ("very_satisfied", ""),
    ]
    assert cli.json("check")["ok"] is True

    app = CounterApp.open(cli.data_dir)
    try:
        day = app.dossiers.get(first).rating.at.date()  # type: ignore[union-attr]
        summary = app.reports.daily_summary(day)
    finally:
        app.close()
    assert (summary.rated, summary.satisfied, summary.satisfaction_rate) == (2, 1, 0.5)
    (birth,) = summary.by_procedure
    assert (birth.rated, birth.satisfied) == (2, 1)
    by_clerk = {line.key: (line.rated, line.satisfied) for line in summary.by_clerk}
    assert by_clerk["clerk"] == (1, 1) and by_clerk["boss"] == (1, 0)
    csv = daily_csv(summary).decode("utf-8-sig")
    assert "Tỷ lệ hài lòng (%),50" in csv
    assert isinstance(day, date)
