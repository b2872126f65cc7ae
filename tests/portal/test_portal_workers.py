"""The portal served by several worker processes on one database, and what operators see of
it: JSON logs, /healthz, /metrics summed over the workers."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests
from portal_testkit import PortalServer, admin_ok, serve_in_thread, snapshot, unique_agency_code

import protocol
from portal.db import head_revision

ROUNDS = 30  # at most: rounds of concurrent pushes, each on new connections


def _log_lines(server: PortalServer) -> list[dict[str, Any]]:
    return [json.loads(line) for line in server.log_text().splitlines() if line.startswith("{")]


def _pids(server: PortalServer, route: str) -> set[int]:
    return {line["pid"] for line in _log_lines(server) if line.get("route") == route}


def _fresh(token: str = "") -> requests.Session:
    """A client on a connection of its own (the kernel gives it to either worker)."""
    http = requests.Session()
    http.headers["Connection"] = "close"
    if token:
        http.headers["Authorization"] = f"Bearer {token}"
    return http


def _metric(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = rf"^{re.escape(name)}{re.escape('{' + wanted + '}') if wanted else ''} (\S+)$"
    match = re.search(pattern, text, re.MULTILINE)
    assert match, f"{name} {labels} not in the metrics"
    return float(match.group(1))


def test_two_workers_share_one_database(server_factory: Callable[..., PortalServer]) -> None:
    # One token per 60 s after a burst of three: nothing refills while the test runs.
    server = server_factory("--workers", "2", "--lookup-rate", "1", "--lookup-burst", "3")
    agency = unique_agency_code()
    admin_ok(server.db_url, "add-agency", agency, "UBND xã Tân An")
    token = admin_ok(
        server.db_url, "add-counter", "--agency-code", agency, "--counter-no", "1"
    ).strip()
    entries = [protocol.dossier_entry(snapshot(agency, n)) for n in range(1, 31)]
    api = server.url + protocol.API_PREFIX

    # One counter sends the same batch several times at once (a retry racing the original),
    # on new connections, until both workers have taken some of them.
    def push(_: int) -> list[dict[str, Any]]:
        with _fresh(token) as http:
            response = http.post(api + "/entries", json={"entries": entries}, timeout=120)
        assert response.status_code == 200, response.text
        results: list[dict[str, Any]] = response.json()["results"]
        return results

    outcomes: dict[str, Counter[str]] = {entry["key"]: Counter() for entry in entries}
    pushes = 0
    with ThreadPoolExecutor(4) as pool:
        for _ in range(ROUNDS):
            for results in pool.map(push, range(4)):
                for result in results:
                    outcomes[result["key"]][result["outcome"]] += 1
            pushes += 4
            if len(_pids(server, "/api/v1/entries")) == 2:
                break
    assert len(_pids(server, "/api/v1/entries")) == 2, "every push landed on one worker"
    # Each entry stored exactly once, every other answer the first one's duplicate.
    assert all(o == Counter(accepted=1, duplicate=pushes - 1) for o in outcomes.values())
    held = json.loads(admin_ok(server.db_url, "dossiers", "--agency", agency, "--json"))
    assert sorted(d["code"] for d in held) == sorted(e["data"]["code"] for e in entries)

    # A file's chunks, each sent several times at once on new connections: whichever worker
    # takes a copy, a chunk is appended once (the file lock is across processes), the other
    # copies are told where the portal's part ends, and the stored file is whole. New files
    # until both workers have taken chunks.
    def upload_racing(content: bytes) -> list[list[int]]:
        sha = hashlib.sha256(content).hexdigest()
        size = len(content) // 3 + 1
        statuses = []
        for start in range(0, len(content), size):
            part = content[start : start + size]
            end = start + len(part) - 1
            headers = {
                "Content-Range": f"bytes {start}-{end}/{len(content)}",
                "Content-Type": "application/octet-stream",
            }

            def put(_: int, part: bytes = part, headers: dict[str, str] = headers) -> int:
                with _fresh(token) as http:
                    url = f"{api}/files/{sha}"
                    return http.put(url, data=part, headers=headers, timeout=120).status_code

            with ThreadPoolExecutor(4) as pool:
                statuses.append(sorted(pool.map(put, range(4))))
        with _fresh(token) as http:
            held = http.head(f"{api}/files/{sha}", timeout=30).headers
        assert (held["Upload-Complete"], held["Upload-Offset"]) == ("?1", str(len(content)))
        return statuses

    files_route = "/api/v1/files/{sha256}"
    for n in range(ROUNDS):
        # the first two chunks: one copy kept (200), three refused with the offset (409);
        # the copies of the last find the file whole (201, as the one that completed it)
        assert upload_racing(b"%PDF-1.4\n" + bytes([n]) * 3000) == [
            [200, 409, 409, 409],
            [200, 409, 409, 409],
            [201, 201, 201, 201],
        ]
        if len(_pids(server, files_route)) == 2:
            break
    assert len(_pids(server, files_route)) == 2, "every chunk landed on one worker"

    # The lookup page's limit is one for the portal, whichever worker answers: the burst of
    # three, one after the other, then lookups two at a time (two connections at once go to
    # both workers more surely than one after the other) until both have answered.
    def look(_: int = 0) -> int:
        with _fresh() as http:
            return http.get(server.url + "/tra-cuu?ma=x&k=y", timeout=30).status_code

    statuses = [look() for _ in range(3)]
    with ThreadPoolExecutor(2) as pool:
        while len(statuses) < 200 and (len(statuses) < 8 or len(_pids(server, "/tra-cuu")) < 2):
            statuses += pool.map(look, range(2))
    assert len(_pids(server, "/tra-cuu")) == 2, "every lookup landed on one worker"
    assert statuses[:3] == [404, 404, 404]
    assert set(statuses[3:]) == {429}

    # The metrics are the sum of both workers' counts; health checks the database.
    with _fresh() as http:
        text = http.get(server.url + "/metrics", timeout=30).text
        health = http.get(server.url + "/healthz", timeout=30)
    assert _metric(text, "portal_dossiers_stored_total") == len(entries)
    assert _metric(text, "portal_pushes_total") == pushes
    requests_ok = "portal_http_requests_total"
    assert _metric(text, requests_ok, method="POST", route="/api/v1/entries", status="200") == (
        pushes
    )
    assert _metric(text, requests_ok, method="GET", route="/tra-cuu", status="429") == (
        len(statuses) - 3
    )
    assert _metric(text, "portal_push_entries_total", kind="dossier", outcome="duplicate") == len(
        entries
    ) * (pushes - 1)
    assert "portal_http_request_duration_seconds_bucket" in text
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "database": "ok", "schema": head_revision()}

    # The log: JSON lines, the request's route template, status, time and caller.
    [line, *_] = [x for x in _log_lines(server) if x.get("route") == "/api/v1/entries"]
    assert line["level"] == "info" and line["method"] == "POST" and line["status"] == 200
    assert line["agency"] == agency and line["counter"] == 1
    assert isinstance(line["duration_ms"], float) and line["time"].endswith("+00:00")


def test_one_worker_counts_what_it_serves(server: PortalServer) -> None:
    """``serve`` with its one worker (the default): its requests are in its /metrics."""
    with _fresh() as http:
        assert http.get(server.url + "/tra-cuu?ma=x&k=y", timeout=30).status_code == 404
        text = http.get(server.url + "/metrics", timeout=30).text
    assert _metric(text, "portal_http_requests_total", method="GET", route="/tra-cuu", status="404")
    assert "portal_http_request_duration_seconds_bucket" in text


def test_metrics_token_and_health_without_a_database(tmp_path: Path) -> None:
    path = tmp_path / "portal.db"
    portal = serve_in_thread(f"sqlite:///{path}", "--metrics-token", "s3cret-for-prometheus")
    try:
        assert requests.get(portal.url + "/metrics", timeout=30).status_code == 403
        wrong = {"Authorization": "Bearer nope"}
        assert requests.get(portal.url + "/metrics", headers=wrong, timeout=30).status_code == 403
        right = {"Authorization": "Bearer s3cret-for-prometheus"}
        scrape = requests.get(portal.url + "/metrics", headers=right, timeout=30)
        assert scrape.status_code == 200 and "portal_http_requests_total" in scrape.text
        assert requests.get(portal.url + "/healthz", timeout=30).status_code == 200
        # The database goes away: health says so (a load balancer stops sending work here).
        portal.db.engine.dispose()
        for name in ("portal.db", "portal.db-wal", "portal.db-shm"):
            (tmp_path / name).unlink(missing_ok=True)
        path.mkdir()
        answer = requests.get(portal.url + "/healthz", timeout=30)
        assert answer.status_code == 503
        assert answer.json() == {
            "status": "unavailable",
            "reason": "database unreachable (OperationalError)",
        }
    finally:
        shutil.rmtree(path, ignore_errors=True)
        portal.stop()
