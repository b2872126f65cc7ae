"""A province's load on the portal: 300 counters push a day's intake and pull their changes at
once, while citizens look dossiers up at 30 requests a second.

``python -m bench --province`` (or ``--only province``; ``python -m bench.province`` alone,
with ``--counters``, ``--dossiers``, ``--workers``, ``--lookup-workers``, ``--lookups-per-s``):

1. A new schema of the PostgreSQL database ``BENCH_PG_URL`` (else ``PORTAL_TEST_PG_URL``),
   dropped at the end. 100 communes of three counters each (``--counters``) are registered
   with the portal's own functions, each counter given its token.
2. Each counter is a real data folder (a template made once, copied: the office's identity,
   an account, the sample catalogue) holding ``--dossiers`` dossiers received today through
   ``receive_many``, all pending.
3. The portal serves with ``--workers`` processes (``serve --workers N``), as behind a
   reverse proxy on the same machine: each citizen's address comes in ``X-Forwarded-For``
   (4,096 addresses of the range kept for benchmarks, never connected to), and the lookup
   limiter keeps its usual rate for each. The citizens' page is served as
   docs/operations.md ("The citizens' page apart") deploys it: by a ``serve`` of its own on
   the same database, ``--lookup-workers`` processes (default 1), to which the proxy sends
   ``/tra-cuu``; ``--lookup-workers 0`` serves it from the counters' portal.
4. The counters sync with the real client: ``SyncEngine`` over each folder's ``SyncStore`` and
   a ``PortalClient`` whose ``requests`` session times every request. Two processes of eight
   threads each (``--processes``, ``--threads``) open their counters, wait for the start, and
   run one round per counter (health, push, pull, master data, audit head).
5. Meanwhile the citizens, a process of their own in a session of its own (their phones
   share no core with the counters: where the kernel shares the cores between sessions, the
   counters' load takes none of theirs), ask for the lookup page of a random dossier (code
   and key as printed on its receipt; some not pushed yet) at a steady 30 a second, each
   request on a pool of threads so a slow answer never delays the next; the same client, for
   5 s before the load, measures the floor.

Rows: ``province_<endpoint>`` for each request of the counters (median, p95, p99, count, per
second), ``province_lookup`` (target p95 < 50 ms), ``province_round`` (a counter's round),
and ``province_total``: from the start to the last counter's answer, with the portal's counts.
The run fails (an exception, exit status not 0) unless the portal holds every dossier exactly
once: as many dossier rows as dossiers, as many distinct codes, as many accepted dossier
entries, and every counter's round ended with nothing pending and nothing refused.

Everything is on loopback; every loop is bounded: one round per counter, a lookup schedule
that ends with the sync (and at ``MAX_SECONDS``), requests with timeouts.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from bench.servers import serving

PASSWORD = "bench-province-2026"
COUNTERS_PER_COMMUNE = 3
#: The whole load gives up after this long (the target is 60 s).
MAX_SECONDS = 600
#: How much lower than the others' the simulated counters' CPU priority is. They stand for
#: machines of their own, so they take the portal's cores only when its processes and its
#: database leave them: each counters' process is a session of its own (where the kernel
#: shares the cores between sessions first, its "autogroup", a process's own nice value
#: orders it only within its session) and gives that session this nice value.
COUNTERS_NICE = 10
#: How long the lookups are measured alone, before the load (the floor of the same run).
QUIET_LOOKUPS_S = 5.0
NAMES = ["Nguyễn Thị Ánh Tuyết", "Trần Văn Bình", "Lê Thị Hồng Nhung", "Phạm Đức Anh"]


def _pg_base() -> str:
    url = os.environ.get("BENCH_PG_URL") or os.environ.get("PORTAL_TEST_PG_URL")
    if not url:
        raise SystemExit(
            "the province's load runs on PostgreSQL: set BENCH_PG_URL to a database where a "
            "schema may be made (e.g. postgresql+psycopg://USER:PASSWORD@127.0.0.1:5432/DB)"
        )
    return url


def _agency(n: int) -> str:
    return f"000.{n // 100:02d}.{n % 100:02d}.H62"


# -- the portal --------------------------------------------------------------------------------


def register(db_url: str, counters: int) -> list[tuple[str, int, str]]:
    """Communes of three counters each: (agency code, counter number, token) per counter."""
    from portal.agencies import add_agency, add_counter
    from portal.db import Database
    from protocol import now_vn

    db = Database(db_url)
    out: list[tuple[str, int, str]] = []
    try:
        with db.write() as session:
            moment = now_vn()
            for n in range((counters + COUNTERS_PER_COMMUNE - 1) // COUNTERS_PER_COMMUNE):
                add_agency(session, _agency(n), f"UBND xã Số {n + 1}", moment)
                for no in range(1, COUNTERS_PER_COMMUNE + 1):
                    if len(out) < counters:
                        token = add_counter(session, _agency(n), no, moment).token
                        out.append((_agency(n), no, token))
    finally:
        db.dispose()
    return out


def portal_counts(db_url: str) -> dict[str, int]:
    from sqlalchemy import text

    from portal.db import Database

    db = Database(db_url)
    try:
        with db.read() as session:
            rows, codes = session.execute(
                text("SELECT count(*), count(DISTINCT code) FROM dossiers")
            ).one()
            receipts = session.scalar(
                text("SELECT count(*) FROM entry_receipts WHERE kind = 'dossier'")
            )
        return {"dossier_rows": rows, "distinct_codes": codes, "dossier_receipts": receipts}
    finally:
        db.dispose()


def lookup_buckets(url: str) -> dict[str, float]:
    """How many lookups the portal itself handled within each bound so far (its ``/metrics``
    histogram, summed over its workers)."""
    import re

    import requests

    from protocol.lookup import LOOKUP_PATH

    text = requests.get(url + "/metrics", timeout=30).text
    bucket = re.compile(
        r'^portal_http_request_duration_seconds_bucket\{(?=[^}]*route="'
        + re.escape(LOOKUP_PATH)
        + r'")[^}]*le="([^"]+)"[^}]*\} ([0-9.e+]+)$',
        re.MULTILINE,
    )
    return {le: float(n) for le, n in bucket.findall(text)}


def portal_lookup_times(before: dict[str, float], after: dict[str, float]) -> dict[str, Any]:
    """The share of the lookups between two ``lookup_buckets`` that the portal handled within
    each bound, and their count. What a citizen waited beyond that was spent before the
    portal's handling began (the connection, the worker's event loop)."""
    counts = {le: n - before.get(le, 0.0) for le, n in after.items()}
    total = counts.get("+Inf", 0.0)
    shares = {
        f"within_{round(float(le) * 1000)}_ms": round(n / total, 3)
        for le, n in counts.items()
        if le != "+Inf" and float(le) <= 0.25 and total
    }
    return {"count": int(total), **shares}


@contextmanager
def portal(db_url: str, workers: int) -> Iterator[tuple[str, int]]:
    """``python -m portal serve`` with ``workers`` processes; yields its address and the
    number of workers it has."""
    args = ["-m", "portal", "serve", "--db", db_url, "--port", "0"]
    # As behind the province's reverse proxy on the same machine: the citizens' addresses
    # come in X-Forwarded-For, and the lookup limiter keeps its usual rate for each.
    args += ["--log-level", "warning", "--forwarded-allow-ips", "127.0.0.1"]
    if workers > 1:
        args += ["--workers", str(workers)]
    with serving(args, "the portal", start_s=120, stop_s=30) as url:
        _wait_healthy(url)
        yield url, workers


@contextmanager
def lookup_portal(db_url: str, workers: int, counters_url: str) -> Iterator[str]:
    """The address the citizens' page is asked at: a portal of its own on the same database
    with ``workers`` processes, or, with none, the counters' portal at ``counters_url``."""
    if workers < 1:
        yield counters_url
        return
    with portal(db_url, workers) as (url, _):
        yield url


def _wait_healthy(url: str) -> None:
    """Until every worker answers (the first line comes before they have started)."""
    import requests

    deadline = time.monotonic() + 120
    ok = 0
    while ok < 10:
        if time.monotonic() > deadline:
            raise RuntimeError("the portal does not answer /health")
        try:
            ok = ok + 1 if requests.get(url + "/api/v1/health", timeout=5).ok else 0
        except requests.RequestException:
            ok = 0
            time.sleep(0.2)


# -- the counters ------------------------------------------------------------------------------


def build_counters(folder: Path, identities: list[tuple[str, int, str]], dossiers: int) -> None:
    """A data folder per counter, built from a template in worker processes."""
    from counter.accounts import Actor
    from counter.app import CounterApp
    from counter.catalog import SAMPLE_CATALOG

    template = folder / "template"
    app = CounterApp.open(template, create=True)
    app.accounts.add_user(None, "bench", "Người Đo", "admin", PASSWORD)
    app.catalog.import_file(Actor("bench", "Người Đo", "admin"), SAMPLE_CATALOG)
    app.close()
    jobs = [
        (str(template), str(folder / f"c{i}"), a, no, dossiers)
        for i, (a, no, _) in enumerate(identities)
    ]
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        pool.starmap(_build_one, jobs, chunksize=8)


def _build_one(template: str, target: str, agency: str, counter_no: int, dossiers: int) -> None:
    from counter.accounts import Actor
    from counter.app import CounterApp
    from counter.dossiers import DossierInput

    shutil.copytree(template, target)
    app = CounterApp.open(Path(target))
    try:
        app.office.init(agency, f"UBND xã {agency}", counter_no, "UBND TỈNH LÀO CAI", "commune", "")
        admin = Actor("bench", "Người Đo", "admin")
        items = [
            DossierInput(
                "1.001193",
                NAMES[i % len(NAMES)],
                id_number=f"0011900{i:05d}",
                phone=f"09123{i:05d}",
                address="Thôn Đông",
            )
            for i in range(dossiers)
        ]
        app.dossiers.receive_many(admin, items)
    finally:
        app.close()


def lookup_targets(folder: Path, counters: int) -> list[tuple[str, str]]:
    import sqlite3

    out: list[tuple[str, str]] = []
    for i in range(counters):
        conn = sqlite3.connect(f"file:{folder / f'c{i}' / 'counter.db'}?mode=ro", uri=True)
        out += conn.execute("SELECT code, lookup_key FROM dossiers").fetchall()
        conn.close()
    return out


def _timed_session(samples: list[tuple[str, float]]) -> Any:
    """A ``requests.Session`` that keeps (endpoint, milliseconds) for every request."""
    import requests

    class Timed(requests.Session):
        def request(self, method: str | bytes, url: str | bytes, *a: Any, **k: Any) -> Any:
            started = time.perf_counter()
            try:
                return super().request(method, url, *a, **k)
            finally:
                took = (time.perf_counter() - started) * 1000
                samples.append((_endpoint(str(method), str(url)), took))

    return Timed()


def _endpoint(method: str, url: str) -> str:
    """``push``, ``changes``, ``health``, ``master``, ``audit_head``: what the request was."""
    path = url.split("/api/v1/", 1)[-1].split("?", 1)[0]
    if path.startswith("master/"):
        return "master"
    return {"entries": "push"}.get(path, path.replace("-", "_"))


def _yield_cores() -> None:
    """Lower this process's CPU priority below every other session's: a session of its own
    whose autogroup gets ``COUNTERS_NICE``, or, where the kernel has no autogroups, the
    process's own nice value (then the kernel weighs processes, not sessions)."""
    os.setsid()
    with suppress(OSError):
        Path("/proc/self/autogroup").write_text(f"{COUNTERS_NICE}\n")
    os.nice(COUNTERS_NICE)


def _sync_worker(
    url: str,
    jobs: list[tuple[str, str]],
    threads: int,
    ready: Any,
    go: Any,
    results: Any,
) -> None:
    """One process: open its counters, say it is ready, wait for the start, run one round
    each on ``threads`` threads, send back the rounds and the requests' timings."""
    from counter.app import CounterApp
    from sync.client import PortalClient, PortalConfig
    from sync.engine import SyncEngine

    # A province's counters run on machines of their own; here they share the portal's cores,
    # so they yield them to the portal and its database (see docs/load.md).
    _yield_cores()
    apps = [(CounterApp.open(Path(folder)), token) for folder, token in jobs]
    samples: list[tuple[str, float]] = []
    rounds: list[dict[str, Any]] = []
    lock = threading.Lock()

    def one(app: Any, token: str) -> None:
        mine: list[tuple[str, float]] = []
        client = PortalClient(PortalConfig(url=url, token=token), session=_timed_session(mine))
        engine = SyncEngine(
            app.sync_store,
            client,
            counter_no=app.office.identity().counter_no,
            batch_size=500,
            files=app.scans.store,
        )
        started = time.perf_counter()
        outcome: dict[str, Any]
        try:
            result = engine.run_once()  # one round: health, push, pull, master data, audit
            outcome = {
                "pushed": result.pushed,
                "pending": result.pending,
                "failed": result.failed,
                "conflicts": result.conflicts,
                "needs_attention": result.needs_attention,
            }
        except Exception as exc:  # counted as a failure of the run below
            outcome = {"error": f"{type(exc).__name__}: {exc}"}
        finally:
            engine.close()
        outcome["ms"] = (time.perf_counter() - started) * 1000
        with lock:
            samples.extend(mine)
            rounds.append(outcome)

    ready.put(len(apps))
    go.wait(MAX_SECONDS)
    with ThreadPoolExecutor(threads) as pool:
        for app, token in apps:
            pool.submit(one, app, token)
    for app, _ in apps:
        app.close()
    results.put({"samples": samples, "rounds": rounds})


# -- the citizens ------------------------------------------------------------------------------


def lookups(
    url: str, targets: list[tuple[str, str]], per_s: float, stop: threading.Event
) -> list[float]:
    """GET the lookup page at ``per_s`` requests a second until ``stop``; the latencies."""
    import requests

    from protocol.lookup import CODE_PARAM, KEY_PARAM, LOOKUP_PATH

    rng = random.Random(2026)
    latencies: list[float] = []
    local = threading.local()
    lock = threading.Lock()
    failures: list[int] = []

    def ask(code: str, key: str, address: str) -> None:
        if not hasattr(local, "http"):
            local.http = requests.Session()
        started = time.perf_counter()
        answer = local.http.get(
            url + LOOKUP_PATH,
            params={CODE_PARAM: code, KEY_PARAM: key},
            headers={"X-Forwarded-For": address},
            timeout=30,
        )
        ms = (time.perf_counter() - started) * 1000
        with lock:
            latencies.append(ms)
            if answer.status_code not in (200, 404):
                failures.append(answer.status_code)

    start = time.perf_counter()
    with ThreadPoolExecutor(16) as pool:
        n = 0
        while not stop.is_set() and time.perf_counter() - start < MAX_SECONDS:
            delay = start + n / per_s - time.perf_counter()
            if delay > 0:
                stop.wait(delay)
                continue
            # a citizen's address: one of 4,096 in the range kept for benchmarks (RFC 2544),
            # only ever written in the header, never connected to
            address = f"198.18.{rng.randrange(16)}.{rng.randrange(256)}"
            pool.submit(ask, *rng.choice(targets), address)
            n += 1
    if failures:
        raise RuntimeError(f"lookup page answered {sorted(set(failures))} ({len(failures)}x)")
    return latencies


def _citizens(
    url: str, targets: list[tuple[str, str]], per_s: float, begin: Any, stop: Any, out: Any
) -> None:
    """The citizens' phones: a process in a session of its own, at the bench's priority (where
    the kernel shares the cores between sessions, it waits for none of the counters'). Sends
    the floor's latencies (the lookups alone, once every worker has its connections and
    statements ready: a second's worth first, not counted), then, from ``begin`` until
    ``stop``, those during the load (or what went wrong)."""
    os.setsid()
    try:
        for seconds in (1.0, QUIET_LOOKUPS_S):
            quiet = threading.Event()
            threading.Timer(seconds, quiet.set).start()
            idle = lookups(url, targets, per_s, quiet)
        out.put(idle)
        begin.wait(MAX_SECONDS)
        out.put(lookups(url, targets, per_s, stop))
    except Exception as exc:  # raised again by the bench
        out.put(f"{type(exc).__name__}: {exc}")


def _answer(looked: Any) -> list[float]:
    answer = looked.get(timeout=MAX_SECONDS + 60)
    if isinstance(answer, str):
        raise RuntimeError(f"the citizens' lookups failed: {answer}")
    return list(answer)


# -- the run -----------------------------------------------------------------------------------


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(
    counters: int,
    dossiers: int,
    workers: int,
    per_s: float,
    processes: int,
    threads: int,
    emit: Callable[..., None],
    lookup_workers: int = 1,
) -> None:
    from bench.sync import pg_schema

    folder = Path(tempfile.mkdtemp(prefix="portal-bench-province-"))
    try:
        with pg_schema(_pg_base(), "bench_province") as db_url:
            identities = register(db_url, counters)
            build_counters(folder, identities, dossiers)
            targets = lookup_targets(folder, counters)
            with (
                portal(db_url, workers) as (url, workers),
                lookup_portal(db_url, lookup_workers, url) as look_url,
            ):
                context = multiprocessing.get_context("spawn")
                ready, results, go = context.Queue(), context.Queue(), context.Event()
                jobs = [
                    (str(folder / f"c{i}"), token) for i, (_, _, token) in enumerate(identities)
                ]
                procs = [
                    context.Process(
                        target=_sync_worker,
                        args=(url, jobs[p::processes], threads, ready, go, results),
                    )
                    for p in range(processes)
                ]
                for proc in procs:
                    proc.start()
                for _ in procs:
                    ready.get(timeout=MAX_SECONDS)
                looked, begin, stop = context.Queue(), context.Event(), context.Event()
                citizens = context.Process(
                    target=_citizens, args=(look_url, targets, per_s, begin, stop, looked)
                )
                citizens.start()
                idle = _answer(looked)  # the floor, while the counters wait
                before = lookup_buckets(look_url)
                started = time.perf_counter()
                go.set()
                begin.set()
                parts = [results.get(timeout=MAX_SECONDS) for _ in procs]
                total_ms = (time.perf_counter() - started) * 1000
                stop.set()
                citizen = [_answer(looked)]
                for proc in [*procs, citizens]:
                    proc.join(60)
                inside = portal_lookup_times(before, lookup_buckets(look_url))
            counts = portal_counts(db_url)
        looking = (citizen, idle, inside, per_s)
        _report(
            parts, looking, total_ms, counts, counters, dossiers, (workers, lookup_workers), emit
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _report(
    parts: list[dict[str, Any]],
    looking: tuple[list[Any], list[float], dict[str, Any], float],
    total_ms: float,
    counts: dict[str, int],
    counters: int,
    dossiers: int,
    workers: tuple[int, int],
    emit: Callable[..., None],
) -> None:
    by_endpoint: dict[str, list[float]] = defaultdict(list)
    rounds: list[dict[str, Any]] = []
    for part in parts:
        for endpoint, ms in part["samples"]:
            by_endpoint[endpoint].append(ms)
        rounds += part["rounds"]
    seconds = total_ms / 1000
    for endpoint, samples in sorted(by_endpoint.items()):
        emit(
            f"province_{endpoint}",
            counters,
            samples,
            p99_ms=round(_percentile(samples, 0.99), 3),
            requests=len(samples),
            per_s=round(len(samples) / seconds, 1),
        )
    citizen, idle, inside, per_s = looking
    emit(
        "province_lookup_idle",
        len(idle),
        idle,
        p99_ms=round(_percentile(idle, 0.99), 3),
        asked_per_s=per_s,
        seconds=QUIET_LOOKUPS_S,
    )
    looked = citizen[0] if citizen else []
    if looked:
        emit(
            "province_lookup",
            len(looked),
            looked,
            p99_ms=round(_percentile(looked, 0.99), 3),
            per_s=round(len(looked) / seconds, 1),
            asked_per_s=per_s,
            target_p95_ms=50,
            p95_to_idle=round(_percentile(looked, 0.95) / _percentile(idle, 0.95), 2),
            in_portal=inside,
        )
    emit("province_round", counters, [r["ms"] for r in rounds], dossiers_each=dossiers)
    expected = counters * dossiers
    bad = [
        r
        for r in rounds
        if "error" in r
        or r["pending"]
        or r["failed"]
        or r["conflicts"]
        or r["needs_attention"]
        or r["pushed"] != dossiers
    ]
    exactly_once = (
        not bad
        and len(rounds) == counters
        and counts["dossier_rows"] == counts["distinct_codes"] == expected
        and counts["dossier_receipts"] == expected
    )
    emit(
        "province_total",
        expected,
        [total_ms],
        counters=counters,
        workers=workers[0],
        lookup_workers=workers[1],
        dossiers_per_s=round(expected / seconds),
        exactly_once=exactly_once,
        **counts,
        target="300 counters x 100 dossiers, all exactly once, in < 60 s; lookup p95 < 50 ms",
    )
    if not exactly_once:
        shown = json.dumps(bad[:3], ensure_ascii=False)
        raise RuntimeError(
            f"not every dossier arrived exactly once: {counts}, {len(rounds)} rounds, "
            f"{len(bad)} rounds not clean (first: {shown})"
        )


def run(_app: Any, _size: int, quick: bool, emit: Callable[..., None]) -> None:
    """The bench's group: 300 counters (``--quick``: 30) of 100 dossiers, two workers for the
    counters and one for the citizens' page."""
    measure(30 if quick else 300, 100, 2, 30.0, 2, 8, emit)


def main(argv: list[str] | None = None) -> int:
    from bench.__main__ import report

    parser = argparse.ArgumentParser(prog="python -m bench.province")
    parser.add_argument("--counters", type=int, default=300)
    parser.add_argument("--dossiers", type=int, default=100, help="a day's intake per counter")
    parser.add_argument("--workers", type=int, default=2, help="the portal's processes")
    parser.add_argument(
        "--lookup-workers",
        type=int,
        default=1,
        help="processes of the citizens' page's own portal (0: the counters' portal serves it)",
    )
    parser.add_argument("--lookups-per-s", type=float, default=30.0)
    parser.add_argument("--processes", type=int, default=2, help="processes of counters")
    parser.add_argument("--threads", type=int, default=8, help="counters at once per process")
    args = parser.parse_args(argv)

    def emit(name: str, n: int, samples: list[float], **extra: Any) -> None:
        report(name, n, samples, True, **extra)

    measure(
        args.counters,
        args.dossiers,
        args.workers,
        args.lookups_per_s,
        args.processes,
        args.threads,
        emit,
        args.lookup_workers,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
