"""The frame of every admin command: one unit of work on the database, then the answer.

The answer is printed as text, or with ``--json`` as one JSON document.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from portal.db import Database
from portal.errors import CommandRefused

_T = TypeVar("_T")


def open_database(url: str) -> Database:
    """The database at ``url``; a driver that is not installed is said plainly."""
    try:
        return Database(url)
    except ImportError as exc:
        driver = exc.name or "?"
        raise CommandRefused(
            f"chưa cài trình điều khiển cơ sở dữ liệu '{driver}' cho địa chỉ --db này; với "
            "PostgreSQL hãy cài psycopg: pip install -e '.[postgres]'",
            f"the database driver '{driver}' for this --db URL is not installed; for "
            "PostgreSQL install psycopg: pip install -e '.[postgres]'",
        ) from None


def run(args: argparse.Namespace, work: Callable[[Database], _T]) -> _T:
    db = open_database(args.db)
    try:
        return work(db)
    finally:
        db.dispose()


def print_json(doc: Any) -> None:
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")


def print_table(rows: list[dict[str, Any]], columns: Sequence[str]) -> None:
    if not rows:
        print("(không có)")
        return
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns).rstrip())
    for row in rows:
        print("  ".join(str(row.get(c, "")).ljust(widths[c]) for c in columns).rstrip())


def emit(args: argparse.Namespace, doc: Any, columns: Sequence[str] | None = None) -> None:
    """A list as a table of ``columns``, a dict as ``key: value`` lines, or ``--json``."""
    if args.json:
        print_json(doc)
    elif columns is not None and isinstance(doc, list):
        print_table(doc, columns)
    elif isinstance(doc, dict):
        for key, value in doc.items():
            print(f"{key}: {value}")
    else:
        print(doc)
