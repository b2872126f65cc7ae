"""Printing benchmarks: receipt, daily summary, tracking book."""

from __future__ import annotations

import itertools
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select, text


def run(app: Any, size: int, quick: bool, emit: Callable[..., None]) -> None:
    from bench import floors
    from counter.models import Dossier
    from printing import render_book, render_daily, render_receipt
    from printing.fonts import REGULAR

    office = app.office.identity()
    with app.db.reading() as s:
        codes = [
            r[0] for r in s.execute(text("SELECT code FROM dossiers ORDER BY random() LIMIT 30"))
        ]
        # the supervisor prints a recent day: of the last two weeks, the one nearest 2,000
        # the day through its column's type, as the database keeps it
        busiest, per_day = s.execute(
            select(Dossier.receipt_day, func.count())
            .where(Dossier.receipt_day >= date.today() - timedelta(days=14))
            .group_by(Dossier.receipt_day)
            .order_by(func.abs(func.count() - 2000))
            .limit(1)
        ).one()
    views = [app.dossiers.get(c) for c in codes]
    # the floor draws the same lines, QR code and barcode straight on reportlab's canvas
    lines = {v.code: floors.pdf_lines(render_receipt(v, office, "a5")) for v in views}
    cycle = itertools.cycle(views)
    samples, bare = [], []
    for _ in range(60 if quick else 200):
        view = next(cycle)
        t = time.perf_counter()
        render_receipt(view, office, "a5")
        samples.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        floors.receipt_floor(lines[view.code], REGULAR, view.lookup_url or view.code, view.code)
        bare.append((time.perf_counter() - t) * 1000)
    floor_ms = statistics.median(bare)
    emit(
        "receipt_pdf_a5",
        size,
        samples,
        floor_ms=round(floor_ms, 3),
        ratio=round(statistics.median(samples) / floor_ms, 2),
        target_median_ms=45,
    )

    day: date = busiest
    samples = []
    for _ in range(3 if quick else 5):
        t = time.perf_counter()
        render_daily(app.reports.daily_summary(day))
        samples.append((time.perf_counter() - t) * 1000)
    emit("daily_summary_pdf", size, samples, day_dossiers=int(per_day), target_ms=1500)

    rows_wanted = 2_000 if quick else 10_000
    start = day - timedelta(days=60)
    rows = list(itertools.islice(app.reports.book_rows(start, day), rows_wanted))
    samples = []
    for _ in range(2 if quick else 3):
        t = time.perf_counter()
        render_book(rows, office, start, day)
        samples.append((time.perf_counter() - t) * 1000)
    emit("tracking_book_pdf", size, samples, rows=len(rows), target_ms=10_000)
