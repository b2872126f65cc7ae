"""The portal's figures for Prometheus (``GET /metrics``), summed over every worker process.

``serve`` points ``PROMETHEUS_MULTIPROC_DIR`` at a folder of its own before any metric is
made, so each worker writes its counts there and a scrape, whichever worker answers it, reads
them all (prometheus_client's multiprocess mode). An application made in a process without
that folder (a test's thread) counts in its own memory. docs/operations.md lists the metrics.
"""

from __future__ import annotations

import os
from collections import Counter as Counter_
from collections.abc import Iterable, Mapping
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST
UNMATCHED = "(unmatched)"  # the route of an address the portal does not have

REQUESTS = Counter(
    "portal_http_requests",
    "HTTP requests answered, by method, route template and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "portal_http_request_duration_seconds",
    "Time to answer an HTTP request, by route template",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
PUSHES = Counter("portal_pushes", "Batches of entries pushed by counters")
ENTRIES = Counter(
    "portal_push_entries", "Entries pushed by counters, by kind and outcome", ["kind", "outcome"]
)
DOSSIERS = Counter("portal_dossiers_stored", "New dossiers stored (accepted dossier entries)")
CONFLICTS = Counter("portal_conflicts", "Pushed entries answered with a conflict")
FILE_BYTES = Counter("portal_file_bytes_received", "Bytes of digitised files received in chunks")


def exposition() -> bytes:
    """Every metric in Prometheus' text format, summed over the worker processes."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def count_push(results: Iterable[Mapping[str, Any]]) -> None:
    """Count one push and its entries' outcomes."""
    PUSHES.inc()
    # Summed first: each increment of a worker's metric is a write to its shared file.
    tally: Counter_[tuple[str, str]] = Counter_()
    for result in results:
        tally[str(result["kind"]), str(result["outcome"])] += 1
    for (kind, outcome), n in tally.items():
        ENTRIES.labels(kind, outcome).inc(n)
        if outcome == "accepted" and kind == "dossier":
            DOSSIERS.inc(n)
        elif outcome == "conflict":
            CONFLICTS.inc(n)
