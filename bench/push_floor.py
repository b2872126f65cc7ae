"""The floor of a push: the same dossiers carried from a counter's outbox into a database
behind a bare FastAPI endpoint, with nothing of the product in between.

- The client reads the pending outbox rows of a copy of the counter's database with plain
  ``sqlite3``, 1,000 at a time, oldest first; posts them as ``{"entries": [{key, kind, data}]}``
  with one ``requests`` session; and marks the rows the answer acknowledges ``sent`` with
  one ``executemany`` and a commit (WAL, ``synchronous=FULL``, as the counter writes).
- The server (``python -m bench.push_floor --db URL``, uvicorn, one process, as the portal's
  ``serve``) parses the body with ``json``, stores every entry (key, kind, code, data as
  JSON) with one ``executemany`` in one transaction (SQLite in WAL with
  ``synchronous=NORMAL`` as the portal's, or PostgreSQL), commits, and answers one
  ``accepted`` per entry.

No validation, no idempotency check, no counts: what any push must do at least.
"""

from __future__ import annotations

import argparse
import json
import socket
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from bench.servers import serving

#: Entries a request, as many as a portal takes (protocol.MAX_BATCH_ENTRIES); the product's
#: push in the bench is set to send as many.
BATCH = 1000


# -- the server ------------------------------------------------------------------------------


def _store(url: str) -> Any:
    """A function storing a batch of rows in one transaction, on SQLite or PostgreSQL."""
    if url.startswith("sqlite:///"):
        conn = sqlite3.connect(
            url.removeprefix("sqlite:///"), isolation_level=None, check_same_thread=False
        )
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, kind TEXT NOT NULL, "
            "code TEXT NOT NULL, data TEXT NOT NULL)"
        )
        sql = "INSERT INTO entries (key, kind, code, data) VALUES (?, ?, ?, ?)"

        def store_sqlite(rows: list[tuple[str, str, str, str]] | None) -> None:
            conn.execute("BEGIN IMMEDIATE")
            if rows is None:
                conn.execute("DELETE FROM entries")
            else:
                conn.executemany(sql, rows)
            conn.execute("COMMIT")

        return store_sqlite
    import psycopg

    pg = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
    pg.execute(
        "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, kind TEXT NOT NULL, "
        "code TEXT NOT NULL, data JSONB NOT NULL)"
    )
    pg.commit()
    pg_sql = "INSERT INTO entries (key, kind, code, data) VALUES (%s, %s, %s, %s)"

    def store_pg(rows: list[tuple[str, str, str, str]] | None) -> None:
        with pg.cursor() as cur:
            if rows is None:
                cur.execute("TRUNCATE entries")
            else:
                cur.executemany(pg_sql, rows)
        pg.commit()

    return store_pg


def make_app(url: str) -> Any:
    app = FastAPI()
    store = _store(url)

    @app.post("/api/v1/entries")
    async def entries(request: Request) -> Response:
        body = json.loads(await request.body())
        rows = [
            (e["key"], e["kind"], e["data"]["code"], json.dumps(e["data"], ensure_ascii=False))
            for e in body["entries"]
        ]
        await run_in_threadpool(store, rows)
        results = [{"index": i, "key": row[0], "outcome": "accepted"} for i, row in enumerate(rows)]
        return Response(json.dumps({"results": results}), media_type="application/json")

    @app.post("/reset")
    async def reset() -> Response:  # between two timed runs, off the clock
        await run_in_threadpool(store, None)
        return Response(status_code=204)

    return app


def serve(url: str) -> None:
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    print(f"http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    config = uvicorn.Config(make_app(url), log_config=None, access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


@contextmanager
def floor_server(url: str) -> Iterator[str]:
    """``python -m bench.push_floor --db URL`` in a process of its own; yields its address."""
    with serving(["-m", "bench.push_floor", "--db", url], "the floor's server") as address:
        yield address


# -- the client ------------------------------------------------------------------------------


class PushFloorClient:
    """The counter's side of the floor, on a copy of the counter's database."""

    def __init__(self, counter_db: Path, copy: Path):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        src = sqlite3.connect(counter_db)
        self.conn = sqlite3.connect(copy, isolation_level=None)
        src.backup(self.conn)
        src.close()
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.pending = [
            r[0] for r in self.conn.execute("SELECT id FROM outbox WHERE state = 'pending'")
        ]

    def reset(self) -> None:
        """Every entry pending again (outside the clock)."""
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.executemany(
            "UPDATE outbox SET state = 'pending', sent_at = NULL WHERE id = ?",
            [(i,) for i in self.pending],
        )
        self.conn.execute("COMMIT")

    def push_all(self, url: str) -> int:
        """Push every pending entry; returns how many the server acknowledged."""
        import requests

        sent = 0
        with requests.Session() as http:
            while True:
                rows = self.conn.execute(
                    "SELECT id, idempotency_key, kind, payload FROM outbox "
                    "WHERE state = 'pending' AND kind != 'file' ORDER BY id LIMIT ?",
                    (BATCH,),
                ).fetchall()
                if not rows:
                    return sent
                body = json.dumps(
                    {
                        "entries": [
                            {"key": key, "kind": kind, "data": json.loads(payload)}
                            for _, key, kind, payload in rows
                        ]
                    },
                    ensure_ascii=False,
                ).encode()
                answer = http.post(
                    url + "/api/v1/entries",
                    data=body,
                    headers={"Content-Type": "application/json"},
                    timeout=60,
                )
                answer.raise_for_status()
                results = answer.json()["results"]
                by_key = {key: i for i, key, _, _ in rows}
                done = [(by_key[r["key"]],) for r in results if r["outcome"] == "accepted"]
                moment = int(time.time())  # as the counter stores a moment (clock.stored)
                self.conn.execute("BEGIN IMMEDIATE")
                self.conn.executemany(
                    f"UPDATE outbox SET state = 'sent', sent_at = {moment} WHERE id = ?", done
                )
                self.conn.execute("COMMIT")
                sent += len(done)

    def close(self) -> None:
        self.conn.close()


def timed_push(client: PushFloorClient, url: str, count: int) -> float:
    """One push of every entry, in milliseconds (both sides reset first, off the clock)."""
    import requests

    client.reset()
    requests.post(url + "/reset", timeout=60).raise_for_status()
    started = time.perf_counter()
    sent = client.push_all(url)
    elapsed = (time.perf_counter() - started) * 1000
    if sent != count:
        raise RuntimeError(f"the push floor sent {sent} entries, not {count}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.push_floor")
    parser.add_argument("--db", required=True, help="sqlite:///FILE or a PostgreSQL URL")
    serve(parser.parse_args(argv).db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
