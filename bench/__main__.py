"""Measures the targets of the design notes on data it builds itself.

Prints one JSON object per line: ``{"name", "n", "median_ms", "p95_ms", "peak_rss_mb"}``
(plus a few extra keys where useful). ``--quick`` uses small data and finishes in under a
minute; the full run builds a database of 1,000,000 dossiers (a few minutes) unless
``--data DIR`` names a folder kept from an earlier run.
"""

from __future__ import annotations

import argparse
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
            return app
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
    return app


def bench_register(app: Any, size: int, quick: bool, as_json: bool) -> None:
    from counter.accounts import Actor
    from counter.dossiers import DossierInput
    from counter.search import find

    actor = Actor("bench", "Người Đo", "admin")
    from counter.clock import now

    # Receipts of the last few days, as a counter's are (they land at the end of the
    # indexes); spread over several days so a reused database never fills one day's block.
    start = now().replace(hour=8, minute=0, second=0) - timedelta(days=5)
    moments = (start + timedelta(days=i % 5, minutes=i // 5) for i in itertools.count())

    def receive_one() -> None:
        item = DossierInput(
            "1.001193",
            "Nguyễn Thị Ánh Tuyết",
            id_number="001190012345",
            phone="0912345678",
            address="Thôn Đông, xã Hòa Bình",
            received_at=next(moments),
        )
        app.dossiers.receive(actor, item)

    report(
        "receive_one",
        size,
        timings(receive_one, 50 if quick else 200),
        as_json,
        target_median_ms=5,
    )

    rng = random.Random(7)
    with app.db.reading() as s:
        from sqlalchemy import text

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
    for name, qs in queries.items():
        samples = []
        with app.db.reading() as s:
            for q in qs[:3]:
                find(s, q, 50)
            for _ in range(2):
                for q in qs:
                    t = time.perf_counter()
                    find(s, q, 50)
                    samples.append((time.perf_counter() - t) * 1000)
        rng.shuffle(samples)
        report(name, size, samples, as_json, target_median_ms=20, target_p95_ms=50)


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
    parser.add_argument("--only", help="comma-separated groups: register,printing,scans,sync,ui")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    size = 20_000 if args.quick else 1_000_000
    groups = set((args.only or "register,printing,scans,sync,ui").split(","))

    def emit(name: str, n: int, samples: list[float], **extra: Any) -> None:
        report(name, n, samples, args.json, **extra)

    with data_folder(args.data) as folder:
        app = build_counter(folder, size, args.json)
        try:
            if "register" in groups:
                bench_register(app, size, args.quick, args.json)
            for group, module in (
                ("printing", "bench.printing"),
                ("scans", "bench.scans"),
                ("sync", "bench.sync"),
                ("ui", "bench.ui"),
            ):
                mod = optional(module) if group in groups else None
                if mod is not None:
                    mod.run(app, size, args.quick, emit)
        finally:
            app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
