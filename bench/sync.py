"""Sync benchmarks: push 10,000 pending dossiers to the reference portal
on loopback, pull 10,000 status changes, and a round with nothing to do; and push 1,000
dossiers with a 5-page scan each, the files uploaded and linked (``sync_files_push``).

The counter handed in holds demo dossiers, which never leave the machine; so this builds a
fresh counter of its own with real pending dossiers, and starts a reference portal on a
temporary SQLite database.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import push_floor
from bench.servers import serving

ROOT = Path(__file__).resolve().parents[1]
AGENCY = "000.00.36.H62"
PASSWORD = "bench-password-2026"
NAMES = ["Nguyễn Thị Ánh Tuyết", "Trần Văn Bình", "Lê Thị Hồng Nhung", "Phạm Đức Anh"]


@contextmanager
def reference_portal(db_url: str) -> Iterator[str]:
    """``python -m portal serve --port 0`` on ``db_url``; yields its address."""
    args = ["-m", "portal", "serve", "--db", db_url, "--port", "0", "--log-level", "warning"]
    with serving(args, "the reference portal") as url:
        yield url


def portal_admin(db_url: str, *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "portal", "admin", "--db", db_url, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout.strip()


def set_statuses_on_portal(db_url: str, codes: list[str], status: str) -> None:
    """What a processing department does, in bulk: one transaction, like many set-status."""
    from portal.db import Database
    from portal.dossiers import set_status
    from protocol import now_vn

    db = Database(db_url)
    try:
        with db.write() as session:
            moment = now_vn()
            for code in codes:
                set_status(session, code, status, moment, by="Phòng Tư pháp")
    finally:
        db.dispose()


def fresh_counter(folder: Path, count: int) -> tuple[Any, list[str]]:
    """A counter with ``count`` real (not demo) pending dossiers."""
    from counter.accounts import Actor
    from counter.app import CounterApp
    from counter.catalog import SAMPLE_CATALOG
    from counter.dossiers import DossierInput

    app = CounterApp.open(folder, create=True)
    app.office.init(AGENCY, "UBND xã Hòa Bình", 1, "UBND TỈNH LÀO CAI", "commune", "")
    app.accounts.add_user(None, "bench", "Người Đo", "admin", PASSWORD)
    admin = Actor("bench", "Người Đo", "admin")
    app.catalog.import_file(admin, SAMPLE_CATALOG)
    # Codes are numbered per counter and day (at most the block size a day): spread the
    # dossiers over enough past days.
    per_day = 900
    codes: list[str] = []
    for start in range(0, count, per_day):
        n = min(per_day, count - start)
        day = time.localtime(time.time() - 86400 * (1 + start // per_day))
        received = time.strftime("%Y-%m-%dT09:00:00+07:00", day)
        items = [
            DossierInput(
                "1.001193",
                NAMES[i % len(NAMES)],
                id_number=f"0011900{(start + i) % 100000:05d}",
                phone=f"09123{(start + i) % 100000:05d}",
                address="Thôn Đông, xã Hòa Bình",
                received_at=received,
            )
            for i in range(n)
        ]
        codes += [v.code for v in app.dossiers.receive_many(admin, items)]
    return app, codes


def _portal_and_counter(folder: Path, count: int) -> tuple[str, str, Any, list[str]]:
    """A portal database in ``folder`` with this agency and its counter 1 (the token), and a
    fresh counter with ``count`` pending dossiers."""
    db_url = f"sqlite:///{folder / 'portal.db'}"
    portal_admin(db_url, "add-agency", AGENCY, "UBND xã Hòa Bình")
    token = portal_admin(db_url, "add-counter", "--agency-code", AGENCY, "--counter-no", "1")
    counter, codes = fresh_counter(folder / "counter", count)
    return db_url, token, counter, codes


def _point_at(counter: Any, admin: Any, url: str, token: str) -> None:
    counter.settings.set(admin, "portal.url", url)
    counter.settings.set(admin, "portal.token", token)
    counter.settings.set(admin, "sync.batch_size", str(push_floor.BATCH))


def run(app: Any, size: int, quick: bool, emit: Callable[..., None]) -> None:
    from counter.accounts import Actor
    from counter.app import CounterApp
    from sync.engine import SyncEngine

    count = 1_000 if quick else 10_000
    admin = Actor("bench", "Người Đo", "admin")
    folder = Path(tempfile.mkdtemp(prefix="counter-bench-sync-"))
    try:
        db_url, token, counter, codes = _portal_and_counter(folder, count)
        # The same counter twice, for the push to a portal on PostgreSQL.
        counter.close()
        shutil.copytree(folder / "counter", folder / "counter-pg")
        counter = CounterApp.open(folder / "counter")
        floor = push_floor.PushFloorClient(counter.db.path, folder / "floor-counter.db")
        try:
            with push_floor.floor_server(f"sqlite:///{folder / 'floor-portal.db'}") as bare:
                floor_ms = [push_floor.timed_push(floor, bare, count)]
                with reference_portal(db_url) as url:
                    _point_at(counter, admin, url, token)
                    with SyncEngine.for_app(counter) as engine:
                        t = time.perf_counter()
                        pushed = engine.run_once()
                        push_ms = (time.perf_counter() - t) * 1000
                        # the floor again: a busy moment of the machine falls on both alike
                        floor_ms.append(push_floor.timed_push(floor, bare, count))
                        emit(
                            "sync_push",
                            count,
                            [push_ms],
                            **_ratio([push_ms], floor_ms),
                            pushed=pushed.pushed,
                            pending=pushed.pending,
                            batch_entries=push_floor.BATCH,
                            target="10,000 in < 2 s, at most 4x the floor",
                        )

                        set_statuses_on_portal(db_url, codes, "processing")
                        t = time.perf_counter()
                        pulled = engine.run_once()
                        pull_ms = (time.perf_counter() - t) * 1000
                        emit(
                            "sync_pull",
                            count,
                            [pull_ms],
                            pulled=pulled.pulled,
                            target="10,000 in < 1 s",
                        )

                        samples = []
                        for _ in range(20 if quick else 50):
                            t = time.perf_counter()
                            idle = engine.run_once()
                            samples.append((time.perf_counter() - t) * 1000)
                            assert idle.pushed == idle.pulled == 0
                        emit("sync_idle", count, samples, target_median_ms=100)
        finally:
            floor.close()
            counter.close()
        if os.environ.get("BENCH_PG_URL"):
            push_pg(folder, count, emit)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    files_push(quick, emit)


def _ratio(samples: list[float], floor: list[float]) -> dict[str, Any]:
    product, bare = statistics.median(samples), statistics.median(floor)
    return {"floor_ms": round(bare, 3), "ratio": round(product / bare, 2) if bare else None}


@contextmanager
def pg_schema(base_url: str, prefix: str) -> Iterator[str]:
    """A new schema of the PostgreSQL database ``base_url``; yields a URL whose connections
    use it; dropped at the end."""
    import sqlalchemy as sa

    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(base_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = sa.make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def push_pg(folder: Path, count: int, emit: Callable[..., None]) -> None:
    """``sync_push_pg``: the same push to a portal on PostgreSQL (``BENCH_PG_URL``), beside
    its own floor on the same server."""
    from counter.accounts import Actor
    from counter.app import CounterApp
    from sync.engine import SyncEngine

    admin = Actor("bench", "Người Đo", "admin")
    base = os.environ["BENCH_PG_URL"]
    counter = CounterApp.open(folder / "counter-pg")
    floor = push_floor.PushFloorClient(counter.db.path, folder / "floor-counter-pg.db")
    try:
        with pg_schema(base, "bench_push") as db_url, pg_schema(base, "bench_floor") as bare_db:
            portal_admin(db_url, "add-agency", AGENCY, "UBND xã Hòa Bình")
            token = portal_admin(
                db_url, "add-counter", "--agency-code", AGENCY, "--counter-no", "1"
            )
            with push_floor.floor_server(bare_db) as bare:
                floor_ms = [push_floor.timed_push(floor, bare, count)]
                with reference_portal(db_url) as url:
                    _point_at(counter, admin, url, token)
                    with SyncEngine.for_app(counter) as engine:
                        t = time.perf_counter()
                        pushed = engine.run_once()
                        push_ms = (time.perf_counter() - t) * 1000
                floor_ms.append(push_floor.timed_push(floor, bare, count))
            emit(
                "sync_push_pg",
                count,
                [push_ms],
                **_ratio([push_ms], floor_ms),
                pushed=pushed.pushed,
                pending=pushed.pending,
                batch_entries=push_floor.BATCH,
                target="10,000 in < 2 s on PostgreSQL",
            )
    finally:
        floor.close()
        counter.close()


#: Scanned pages a file of ``sync_files_push`` has, and the pool they are drawn from.
FILE_PAGES = 5
PAGE_POOL = 10


def files_push(quick: bool, emit: Callable[..., None]) -> None:
    """Dossiers with one 5-page scan each (A4, 200 dpi, greyscale JPEG as the counter encodes
    a scan; each file's pages another selection of a pool of generated pages, so every file is
    a different one), all pending, synced in one go: the dossiers pushed, then every file
    uploaded and linked. From the first request to the last answer."""
    import itertools
    import random

    from bench.scans import _page
    from counter.accounts import Actor
    from counter.pdfpages import Part
    from counter.scanner import encode_page
    from sync.engine import SyncEngine

    count = 100 if quick else 1_000
    admin = Actor("bench", "Người Đo", "admin")
    rng = random.Random(2026)
    pool = [encode_page(_page(rng, n)) for n in range(PAGE_POOL)]
    selections = itertools.permutations(range(PAGE_POOL), FILE_PAGES)
    folder = Path(tempfile.mkdtemp(prefix="counter-bench-files-"))
    try:
        db_url, token, counter, codes = _portal_and_counter(folder, count)
        try:
            total = 0
            for code in codes:
                pages = next(selections)
                parts = [Part(f"trang-{n}.jpg", pool[i]) for n, i in enumerate(pages, 1)]
                total += counter.scans.attach(admin, code, "TK", parts, source="scan").bytes
            with reference_portal(db_url) as url:
                _point_at(counter, admin, url, token)
                with SyncEngine.for_app(counter) as engine:
                    t = time.perf_counter()
                    pushed = engine.run_once()
                    seconds = time.perf_counter() - t
            stored = list((folder / "files" / AGENCY).rglob("*.pdf"))
            if pushed.pending or len(stored) != count:
                raise RuntimeError(f"files not all sent: {pushed}, {len(stored)} stored")
            emit(
                "sync_files_push",
                count,
                [seconds * 1000],
                files=len(stored),
                pages_per_file=FILE_PAGES,
                mb=round(total / 1e6, 1),
                mb_per_s=round(total / 1e6 / seconds, 1),
                target="1,000 dossiers with 5 pages each in < 60 s",
            )
        finally:
            counter.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
