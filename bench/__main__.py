"""Measures the targets of the design notes on data it builds itself.

Prints one JSON object per line: ``{"name", "n", "median_ms", "p95_ms", "peak_rss_mb"}``
(plus a few extra keys where useful). ``--quick`` uses small data and finishes in under a
minute; the full run builds a database of 1,000,000 dossiers (a few minutes), then gives
them the outbox entries of a counter that has sent them and the audit rows it wrote for
them (``bench/synced.py``, twenty minutes or so), unless ``--data DIR`` names a folder kept
from an earlier run.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import itertools
import json
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench-password-2026"
AGENCY = "000.00.36.H62"


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def timings(fn: Callable[[], Any], repeat: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def report(name: str, n: int, samples: list[float], as_json: bool, **extra: Any) -> None:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    row = {
        "name": name,
        "n": n,
        "median_ms": round(statistics.median(samples), 3),
        "p95_ms": round(p95, 3),
        "peak_rss_mb": peak_rss_mb(),
        **extra,
    }
    sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    sys.stdout.flush()


@contextmanager
def data_folder(keep: str | None) -> Iterator[Path]:
    if keep:
        path = Path(keep)
        path.mkdir(parents=True, exist_ok=True)
        yield path
        return
    tmp = Path(tempfile.mkdtemp(prefix="counter-bench-"))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def build_counter(folder: Path, size: int, as_json: bool) -> Any:
    """A counter with ``size`` demo dossiers (reused if the folder already has them)."""
    from counter.accounts import Actor
    from counter.app import CounterApp
    from counter.catalog import SAMPLE_CATALOG
    from counter.reports import DossierFilter
    from counter.seed import seed_demo

    data = folder / f"counter-{size}"
    admin = Actor("bench", "Người Đo", "admin")
    if CounterApp.exists(data):
        app = CounterApp.open(data)
        if app.reports.count(DossierFilter()) >= size:
            return as_synced(app, size, as_json)
        app.close()
        shutil.rmtree(data)
    app = CounterApp.open(data, create=True)
    app.office.init(
        AGENCY,
        "UBND xã Hòa Bình",
        1,
        "UBND TỈNH LÀO CAI",
        "commune",
        "http://127.0.0.1:8080/tra-cuu",
    )
    app.accounts.add_user(None, "bench", "Người Đo", "admin", PASSWORD)
    app.catalog.import_file(admin, SAMPLE_CATALOG)
    days = max(30, size // 2500)
    started = time.perf_counter()
    result = seed_demo(app, admin, size, days=days, seed=2026)
    seconds = time.perf_counter() - started
    report(
        "seed_demo",
        size,
        [seconds * 1000],
        as_json,
        rate_per_s=round(result["created"] / seconds),
        target="1,000,000 in < 10 min",
    )
    return as_synced(app, size, as_json)


def as_synced(app: Any, size: int, as_json: bool) -> Any:
    """The demo dossiers with the outbox entries a counter that sent them keeps and the audit
    rows it wrote for them (each once)."""
    from bench import synced

    if not synced.is_synced(app):
        result = synced.make_synced(app)
        report("seed_synced", size, [result["seconds"] * 1000], as_json, entries=result["entries"])
    if not synced.is_audited(app):
        result = synced.make_audited(app)
        report("seed_audited", size, [result["seconds"] * 1000], as_json, rows=result["rows"])
    while app.sync_store.forget_sent_payloads():  # what the rounds since would have reduced
        pass
    return app


def _ratio(samples: list[float], floor: list[float]) -> dict[str, Any]:
    """``floor_ms`` (the bare work's median, same run) and ``ratio`` (median / floor)."""
    product, bare = statistics.median(samples), statistics.median(floor)
    return {"floor_ms": round(bare, 3), "ratio": round(product / bare, 2) if bare else None}


def _interleaved(
    product: Callable[[], Any], bare: Callable[[], Any], repeat: int
) -> tuple[list[float], list[float]]:
    """Both timed in turn, so a busy moment of the machine falls on both alike."""
    a, b = [], []
    for _ in range(repeat):
        a += timings(product, 1, warmup=0)
        b += timings(bare, 1, warmup=0)
    return a, b


def bench_register(app: Any, size: int, quick: bool, as_json: bool, folder: Path) -> None:
    from sqlalchemy import text

    from bench import floors
    from counter.accounts import Actor
    from counter.clock import now
    from counter.dossiers import DossierInput
    from counter.search import find, fts_query

    actor = Actor("bench", "Người Đo", "admin")
    # Receipts of the last few weeks, as a counter's are (they land near the end of the
    # indexes); spread over a month so a database reused by many runs in a day does not fill
    # the days' blocks of codes (the demo data already holds a few hundred of each).
    start = now().replace(hour=8, minute=0, second=0) - timedelta(days=30)
    moments = (start + timedelta(days=i % 30, minutes=i // 30) for i in itertools.count())

    def intake(moment: Any) -> DossierInput:
        return DossierInput(
            "1.001193",
            "Nguyễn Thị Ánh Tuyết",
            id_number="001190012345",
            phone="0912345678",
            address="Thôn Đông, xã Hòa Bình",
            received_at=moment,
        )

    def receive_one() -> None:
        app.dossiers.receive(actor, intake(next(moments)))

    first = app.dossiers.receive(actor, intake(next(moments)))
    floor = floors.ReceiveFloor(app.db.path, folder, floors.receive_rows(app.db.path, first.id))
    try:
        for _ in range(3):
            receive_one()
            floor.receive_one()
        samples, bare = _interleaved(receive_one, floor.receive_one, 50 if quick else 200)
        report("receive_one", size, samples, as_json, **_ratio(samples, bare), target_median_ms=2)

        # ``receive --from-jsonl``: a batch, all or nothing, in one transaction. Spread over
        # many past days, so a reused database never fills one day's block of codes.
        batch = 1000
        rng = random.Random(size)
        back = now().replace(hour=9, minute=0, second=0)

        def batch_items() -> list[DossierInput]:
            return [
                intake(back - timedelta(days=rng.randrange(10, 400), seconds=i))
                for i in range(batch)
            ]

        samples, bare = [], []
        for _ in range(3 if quick else 5):
            items = batch_items()
            samples += timings(
                functools.partial(app.dossiers.receive_many, actor, items), 1, warmup=0
            )
            bare += timings(functools.partial(floor.receive_batch, batch), 1, warmup=0)
        report(
            "receive_batch",
            size,
            samples,
            as_json,
            **_ratio(samples, bare),
            batch=batch,
            dossiers_per_s=round(batch / statistics.median(samples) * 1000),
            floor_dossiers_per_s=round(batch / statistics.median(bare) * 1000),
            target_dossiers_per_s=5000,
        )
    finally:
        floor.close()

    with app.db.reading() as s:
        sample = s.execute(
            text(
                "SELECT code, applicant_name, id_number, phone FROM dossiers "
                "WHERE is_demo = 1 ORDER BY random() LIMIT 200"
            )
        ).all()
    from counter.text import fold_words

    def name_fragment(name: str) -> str:
        words = fold_words(name)
        return " ".join(w[:4] for w in words[-2:])

    queries = {
        "search_name_unaccented": [name_fragment(r[1]) for r in sample],
        "search_code": [r[0] for r in sample],
        "search_id_number": [r[2] for r in sample],
        "search_phone": [r[3] or "0912" for r in sample],
    }
    bare_search = floors.SearchFloor(app.db.path)
    try:
        for name, qs in queries.items():
            samples, bare = [], []

            def floor_of(q: str, name: str = name) -> Callable[[], Any]:
                if name == "search_code":
                    return lambda: bare_search.by_code(q)
                match = fts_query(q) or ""
                return lambda: bare_search.by_match(match)

            with app.db.reading() as s:
                for q in qs[:3]:
                    find(s, q, 50)
                    floor_of(q)()
                for _ in range(2):
                    for q in qs:
                        a, b = _interleaved(functools.partial(find, s, q, 50), floor_of(q), 1)
                        samples += a
                        bare += b
            report(
                name,
                size,
                samples,
                as_json,
                **_ratio(samples, bare),
                floor_p95_ms=round(sorted(bare)[round(0.95 * (len(bare) - 1))], 3),
                **({"target_median_ms": 2} if name == "search_name_unaccented" else {}),
                target_p95_ms=5,
            )
    finally:
        bare_search.close()

    bench_list(app, size, quick, as_json)

    app.db.checkpointer.checkpoint("TRUNCATE")
    t = time.perf_counter()
    size_bytes, dossiers, entries = floors.db_size(app.db.path)
    report(
        "db_size",
        dossiers,
        [(time.perf_counter() - t) * 1000],
        as_json,
        db_bytes=size_bytes,
        bytes_per_dossier=round(size_bytes / max(1, dossiers)),
        target_bytes_per_dossier=800,
        **entries,
    )


def bench_list(app: Any, size: int, quick: bool, as_json: bool) -> None:
    """The dossier list's first screen (a page of 200), sorted by each column both ways."""
    from bench import floors
    from counter.reports import SORTABLE, DossierFilter

    bare = floors.ListFloor(app.db.path)
    orders = [
        (key, [c.key for c in columns], descending)
        for key, columns in SORTABLE.items()
        for descending in (True, False)
    ]
    samples: list[float] = []
    floor: list[float] = []
    slowest: dict[str, float] = {}
    try:
        for round_no in range(3 if quick else 4):
            for key, columns, descending in orders:
                a, b = _interleaved(
                    functools.partial(app.reports.page, DossierFilter(), 0, 200, key, descending),
                    functools.partial(bare.first_page, columns, descending, 200),
                    1,
                )
                if round_no:  # the first round reads each index into the cache
                    samples += a
                    floor += b
                    name = f"{key} {'desc' if descending else 'asc'}"
                    slowest[name] = max(slowest.get(name, 0.0), a[0])
    finally:
        bare.close()
    worst = max(slowest, key=lambda k: slowest[k])
    report(
        "list_sorted_first_page",
        size,
        samples,
        as_json,
        **_ratio(samples, floor),
        page=200,
        slowest=worst,
        slowest_ms=round(slowest[worst], 3),
        target_ms=100,
    )


def optional(module: str) -> Any:
    """Benchmarks of other packages, if present: each exposes ``run(app, size, quick, emit)``."""
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="small data, under a minute")
    parser.add_argument("--json", action="store_true", help="JSON lines only (the default)")
    parser.add_argument("--data", help="keep and reuse the built databases in this folder")
    parser.add_argument(
        "--only",
        help="comma-separated groups: register,printing,scans,sync,ui,dashboard,province",
    )
    parser.add_argument(
        "--province",
        action="store_true",
        help="the province's load on a portal on PostgreSQL (alone; as --only province)",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    size = 20_000 if args.quick else 1_000_000
    groups = set((args.only or "register,printing,scans,sync,ui,dashboard").split(","))
    if args.province:
        groups = {"province"}

    def emit(name: str, n: int, samples: list[float], **extra: Any) -> None:
        report(name, n, samples, args.json, **extra)

    with data_folder(args.data) as folder:
        # The groups that build their own data need no counter of a million dossiers.
        own_data = {"sync", "dashboard", "province"}
        app = build_counter(folder, size, args.json) if groups - own_data else None
        try:
            if "register" in groups:
                bench_register(app, size, args.quick, args.json, folder)
            for group, module in (
                ("printing", "bench.printing"),
                ("scans", "bench.scans"),
                ("sync", "bench.sync"),
                ("ui", "bench.ui"),
                ("dashboard", "bench.dashboard"),
                ("province", "bench.province"),
            ):
                mod = optional(module) if group in groups else None
                if mod is not None:
                    mod.run(app, size, args.quick, emit)
        finally:
            if app is not None:
                app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
