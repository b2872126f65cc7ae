"""What an attacker with the counter's database file does, for the tests of ``check``:
sqlite3 on the live file with the append-only triggers out of the way, and the audit chain
recomputed so that it links again."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from counter.audit import GENESIS, entry_hash, hashed_details
from counter.clock import from_stored


@contextmanager
def behind_its_back(db: Path) -> Iterator[sqlite3.Connection]:
    """sqlite3 on ``db``, the audit trail's triggers dropped (on ``audit_rows``, the rows as
    stored), then put back and committed."""
    conn = sqlite3.connect(db)
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_rows'"
    ).fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    try:
        yield conn
        for _, sql in triggers:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def recompute_chain(conn: sqlite3.Connection) -> None:
    """Every row's hash computed anew from its content and the row before, as the code does."""
    prev = GENESIS
    rows = conn.execute(
        "SELECT id, at, actor, action, entity, entity_key, details, state FROM audit_log "
        "ORDER BY id"
    ).fetchall()
    for row_id, at, actor, action, entity, key, details, state in rows:
        material = hashed_details(details, state)
        h = entry_hash(prev, from_stored(at), actor, action, entity, key, material)
        conn.execute("UPDATE audit_rows SET hash = ? WHERE id = ?", (bytes.fromhex(h), row_id))
        prev = h
