"""The provincial dashboard over a year of a province's data.

Builds a portal database of 150 agencies with one to four counters each and, over the 365
days up to today, 2,000,000 dossiers (``--quick``: 100,000) in the statuses a year leaves
them in, written with executemany; counts them for the dashboard with the portal's own
``rebuild``; then serves the portal, signs an official of the province in through the form
and times the first page (``GET /quan-ly``, this month, every agency).

SQLite by default; PostgreSQL when ``BENCH_PG_URL`` names a database where a schema may be
made (it is dropped at the end). Beside the page: ``dashboard_figures`` (the figures alone,
in process) and ``dashboard_without_counts``, the same month's table grouped straight from
the dossiers, which is what the counts save.

``python -m bench --only dashboard`` runs it with the other groups' frame;
``python -m bench.dashboard [--quick]`` alone.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

AGENCIES = 150
PASSWORD = "bench-dashboard-2026"
CHUNK = 50_000
STATUS_MIX = (  # a closed dossier's status, with its weight
    ("returned", 86),
    ("done", 6),
    ("rejected", 3),
    ("withdrawn", 3),
    ("stopped", 2),
)
OPEN_MIX = (
    ("received", 40),
    ("processing", 45),
    ("supplement_requested", 10),
    ("payment_requested", 5),
)


@contextmanager
def database(quick: bool) -> Iterator[str]:
    """An empty database: a SQLite file, or a new schema of ``BENCH_PG_URL``."""
    pg = os.environ.get("BENCH_PG_URL", "")
    if not pg:
        folder = Path(tempfile.mkdtemp(prefix="portal-bench-dashboard-"))
        try:
            yield f"sqlite:///{folder / 'portal.db'}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    from bench.sync import pg_schema

    with pg_schema(pg, "bench_dashboard") as url:
        yield url


def _weighted(rng: random.Random, mix: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([s for s, _ in mix], [w for _, w in mix])[0]


def _columns(table: Any) -> list[str]:
    return [c.name for c in table.__table__.columns]


def build(db_url: str, count: int, now: datetime) -> dict[str, Any]:
    """The province's year; returns what was made (agencies, counters, dossiers, files).

    Written as the database stores it (naive UTC moments), with the driver's own
    executemany, a chunk of rows per transaction.
    """
    import json

    from portal.db import Database
    from portal.files_table import DossierFile
    from portal.models import Agency, Counter, Dossier

    db = Database(db_url)
    sqlite = db.is_sqlite
    mark = "?" if sqlite else "%s"

    def moment(value: datetime | None) -> Any:
        if value is None:
            return None
        naive = value.astimezone(UTC).replace(tzinfo=None)
        return f"{naive:%Y-%m-%d %H:%M:%S}.000000" if sqlite else naive

    def writer(table: Any) -> tuple[str, list[str]]:
        names = _columns(table)
        sql = f"INSERT INTO {table.__tablename__} ({', '.join(names)}) "
        return sql + f"VALUES ({', '.join([mark] * len(names))})", names

    rng = random.Random(2026)
    agencies, counters = [], []  # counters: (agency id, counter id, agency code, number)
    for a in range(AGENCIES):
        code = f"000.{a // 100:02d}.{a % 100:02d}.H62"
        agencies.append(
            {
                "id": a + 1,
                "code": code,
                "name": f"UBND xã Số {a + 1}",
                "parent_name": "UBND tỉnh Lào Cai",
                "level": "commune",
                "address": "",
                "phone": "",
                "place": "",
                "block_size": 1000,
                "created_at": moment(now),
                "updated_at": moment(now),
            }
        )
        for number in range(1, rng.randint(1, 4) + 1):
            counters.append((a + 1, len(counters) + 1, code, number))
    counter_rows = [
        {
            "id": counter_id,
            "agency_id": agency_id,
            "counter_no": number,
            "token_id": uuid.uuid4().hex,
            "token_hash": "0" * 64,
            "active": True,
            "created_at": moment(now),
            "token_issued_at": moment(now),
            "last_seen_at": None,
        }
        for agency_id, counter_id, _, number in counters
    ]
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        for table, rows in ((Agency, agencies), (Counter, counter_rows)):
            sql, names = writer(table)
            cursor.executemany(sql, [tuple(r[n] for n in names) for r in rows])
        raw.commit()
        dossier_sql, dossier_names = writer(Dossier)
        file_sql, file_names = writer(DossierFile)
        numbers: dict[tuple[int, str], int] = {}
        start = now - timedelta(days=365)
        span = int((now - start).total_seconds())
        made = files = 0
        while made < count:
            dossiers, linked = [], []
            for _ in range(min(CHUNK, count - made)):
                agency_id, counter_id, code, number = counters[rng.randrange(len(counters))]
                received = (start + timedelta(seconds=rng.randrange(span))).replace(microsecond=0)
                day = f"{received:%y%m%d}"
                seq = numbers.get((counter_id, day), 0) + 1
                numbers[(counter_id, day)] = seq
                due = received + timedelta(days=rng.choice((1, 3, 5, 7, 10, 15)))
                if rng.random() < max(0.02, 1 - (now - received).days / 30):
                    status, closed = _weighted(rng, OPEN_MIX), None  # recent: mostly open
                else:
                    status = _weighted(rng, STATUS_MIX)
                    closed = max(received, min(now, due + timedelta(hours=rng.randint(-200, 30))))
                made += 1
                channel = rng.choices(("direct", "online", "postal"), (85, 10, 5))[0]
                dossier_code = f"{code}-{day}-{number * 1000 + seq:04d}"
                dossiers.append(
                    {
                        "id": made,
                        "code": dossier_code,
                        "agency_id": agency_id,
                        "counter_id": counter_id,
                        "counter_no": number,
                        "procedure_code": "1.001193",
                        "procedure_name": "Đăng ký khai sinh",
                        "applicant_name": "Nguyễn Thị Ánh Tuyết",
                        "applicant_id_number": f"{rng.randrange(10**12):012d}",
                        "received_at": moment(received),
                        "due_at": moment(due),
                        "status": status,
                        "channel": channel,
                        "closed_at": moment(closed),
                        "lookup_key_hash": "0" * 64,
                        "content_hash": "0" * 64,
                        "snapshot": json.dumps({"code": dossier_code}),
                        "created_at": moment(received),
                        "updated_at": moment(closed or received),
                    }
                )
                if channel != "online" and rng.random() < 0.7:
                    files += 1
                    linked.append(
                        {
                            "id": files,
                            "dossier_id": made,
                            "agency_id": agency_id,
                            "counter_id": counter_id,
                            "doc": "TK",
                            "version": 1,
                            "sha256": "0" * 64,
                            "pages": 3,
                            "bytes": 300_000,
                            "source": "scan",
                            "by": "canbo1",
                            "at": moment(received),
                            "linked_at": moment(received),
                        }
                    )
            cursor.executemany(dossier_sql, [tuple(r[n] for n in dossier_names) for r in dossiers])
            cursor.executemany(file_sql, [tuple(r[n] for n in file_names) for r in linked])
            raw.commit()
        if not sqlite:  # ids were given: move the sequences past them
            for table in ("agencies", "counters", "dossiers", "dossier_files"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            raw.commit()
    finally:
        raw.close()
        db.dispose()
    return {"agencies": AGENCIES, "counters": len(counters), "dossiers": made, "files": files}


def _timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    fn()  # warm the caches once
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def without_counts(session: Any, month_start: datetime, month_end: datetime) -> list[Any]:
    """The month's table grouped straight from the dossiers (no counts kept)."""
    from sqlalchemy import func, select

    from portal.models import Dossier

    late = func.coalesce(Dossier.closed_at > Dossier.due_at, False)
    return list(
        session.execute(
            select(Dossier.agency_id, Dossier.counter_no, Dossier.status, late, func.count())
            .where(Dossier.received_at >= month_start, Dossier.received_at < month_end)
            .group_by(Dossier.agency_id, Dossier.counter_no, Dossier.status, late)
        )
    )


def run(
    _app: Any, _size: int, quick: bool, emit: Callable[..., None], dossiers: int | None = None
) -> None:
    import requests

    from bench.sync import reference_portal
    from portal.dashboard.figures import dashboard, month_bounds
    from portal.dashboard.rollup import rebuild
    from portal.db import Database
    from portal.officials import add_official
    from protocol import now_vn

    count = dossiers or (100_000 if quick else 2_000_000)
    repeat = 10 if quick else 30
    now = now_vn()
    with database(quick) as db_url:
        backend = "postgresql" if db_url.startswith("postgresql") else "sqlite"
        t = time.perf_counter()
        made = build(db_url, count, now)
        emit("dashboard_build", count, [(time.perf_counter() - t) * 1000], backend=backend, **made)

        db = Database(db_url)
        try:
            t = time.perf_counter()
            with db.write() as session:
                counted = rebuild(session)
                add_official(session, "tinh", "Người Đo", PASSWORD, now)
            emit(
                "dashboard_rebuild_counts",
                counted,
                [(time.perf_counter() - t) * 1000],
                backend=backend,
            )
            if backend == "postgresql":  # what autovacuum does after a bulk load
                from sqlalchemy import text

                with db.engine.connect() as conn:
                    conn.execution_options(isolation_level="AUTOCOMMIT").execute(
                        text("VACUUM ANALYZE")
                    )
            month = now.date().replace(day=1)
            start, end = month_bounds(month)

            def figures() -> None:
                with db.read() as session:
                    dashboard(session, month, now_vn())

            def bare() -> None:
                with db.read() as session:
                    without_counts(session, start, end)

            samples = _timed(figures, repeat)
            floor = _timed(bare, repeat)
            emit("dashboard_figures", count, samples, backend=backend)
            emit(
                "dashboard_without_counts",
                count,
                floor,
                backend=backend,
                ratio_to_figures=round(statistics.median(floor) / statistics.median(samples), 1),
            )
        finally:
            db.dispose()

        with reference_portal(db_url) as url, requests.Session() as http:
            page = http.get(f"{url}/quan-ly/dang-nhap", timeout=60)
            token = re.search(r'name="csrf" value="([^"]+)"', page.text)
            assert token is not None
            signed = http.post(
                f"{url}/quan-ly/dang-nhap",
                data={"csrf": token.group(1), "username": "tinh", "password": PASSWORD},
                allow_redirects=False,
                timeout=60,
            )
            assert signed.status_code == 303, signed.text

            def first_page() -> None:
                answer = http.get(f"{url}/quan-ly", timeout=60)
                assert answer.status_code == 200 and "Toàn tỉnh" in answer.text

            samples = _timed(first_page, repeat)
            emit(
                "dashboard_first_page",
                count,
                samples,
                backend=backend,
                agencies=AGENCIES,
                target_ms=500,
            )


def main(argv: list[str] | None = None) -> int:
    import argparse

    from bench.__main__ import report

    parser = argparse.ArgumentParser(prog="python -m bench.dashboard")
    parser.add_argument("--quick", action="store_true", help="100,000 dossiers")
    parser.add_argument("--dossiers", type=int, help="how many (default 2,000,000)")
    args = parser.parse_args(argv)

    def emit(name: str, n: int, samples: list[float], **extra: Any) -> None:
        report(name, n, samples, True, **extra)

    run(None, 0, args.quick, emit, args.dossiers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
