"""an audit row keeps its own hash and its state as bytes, and not the previous row's hash

Each row of ``audit_log`` held the previous row's hash (``prev_hash``) and its own
(``hash``), both as 64 hex characters, and a row about a dossier or an account the state it
recorded as 64 more in its details: about 200 bytes of a row of about 330, and a counter
writes a row for every receipt, status change, scan and rating. The previous row's hash is
the row before's, so it goes; the row's own is kept as its 32 bytes, and the state, taken
out of the details, as its 32 bytes in a column of its own (``state``; details that are not
the canonical text, or a state that is not a digest, are left as they are). The hash is
computed as before (``counter.audit.entry_hash``, over the previous hash's hex and the row's
content, the details' canonical text with their state: ``counter.audit.hashed_details``):
the chain, its anchors (kept and printed as hex) and what ``check`` finds are the same.

A link that did not match (a row taken out or put in, or its ``prev_hash`` edited) no longer
has a column of its own to be seen in: ``check`` recomputes each row's hash from the one
before it, and the first row after such a change no longer matches.

Going back writes each row's ``prev_hash`` from the row before (the first row's is the
genesis), its hash as hex, and its state into its details again.

Revision ID: 0021
Revises: 0019
Create Date: 2026-11-29
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from alembic import op

revision = "0021"
down_revision = "0019"
branch_labels = None
depends_on = None

#: The link of the first row (``counter.integrity.GENESIS``, as it was when this was written).
GENESIS = "0" * 64
COLUMNS = "id, at, actor, action, entity, entity_key"
#: ``counter.audit.canonical``, as it was when this was written.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
TABLE = (
    "CREATE TABLE audit_log_0021 (\n"
    "\tid INTEGER NOT NULL, \n"
    "\tat INTEGER NOT NULL, \n"
    "\tactor VARCHAR(32) NOT NULL, \n"
    "\taction VARCHAR(40) NOT NULL, \n"
    "\tentity VARCHAR(20) NOT NULL, \n"
    "\tentity_key VARCHAR(60) NOT NULL, \n"
    "{details}"
    "\tPRIMARY KEY (id)\n"
    ")"
)
TRIGGERS = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
)


def _driver() -> sqlite3.Connection:
    conn = op.get_bind().connection.driver_connection
    assert isinstance(conn, sqlite3.Connection)
    if not conn.in_transaction:
        conn.execute("BEGIN")
    return conn


def _split(details: str) -> tuple[str, bytes | None]:
    """Canonical details with a digest as their ``state``: the others and the digest's bytes;
    any other details as they are (their hash must still follow from what is stored)."""
    try:
        value = json.loads(details)
    except ValueError:
        return details, None
    state = value.get("state") if isinstance(value, dict) else None
    if not (isinstance(state, str) and len(state) == 64) or _CANONICAL.encode(value) != details:
        return details, None
    try:
        digest = bytes.fromhex(state)
    except ValueError:
        return details, None
    if digest.hex() != state:  # written back in lower case: kept as it is
        return details, None
    del value["state"]
    return _CANONICAL.encode(value), digest


def _joined(details: str, state: bytes | None) -> str:
    """``_split`` undone."""
    if state is None:
        return details
    return _CANONICAL.encode({**json.loads(details), "state": state.hex()})


def _replace(conn: sqlite3.Connection, columns: str, values: str) -> None:
    """``audit_log`` made anew with ``columns`` after its common ones, its rows copied in order
    (those columns' values as ``values`` gives them), its triggers made again; in the
    caller's transaction."""
    conn.execute(TABLE.format(details=columns))
    conn.execute(
        f"INSERT INTO audit_log_0021 SELECT {COLUMNS}, {values} FROM audit_log ORDER BY id"
    )
    conn.execute("DROP TABLE audit_log")  # its triggers go with it
    conn.execute("ALTER TABLE audit_log_0021 RENAME TO audit_log")
    for statement in TRIGGERS:
        conn.execute(statement)


def upgrade() -> None:
    conn = _driver()
    bad = conn.execute(
        "SELECT id FROM audit_log WHERE length(hash) != 64 OR hash GLOB '*[^0-9a-f]*' LIMIT 1"
    ).fetchone()
    if bad is not None:  # nothing is lost: every hash is 64 hex digits
        raise ValueError(f"audit_log, row {bad[0]}: a hash that is not 64 hex digits")
    split: dict[str, tuple[str, bytes | None]] = {}

    def part(details: str, which: int) -> Any:
        if details not in split:
            split.clear()  # one row's at a time: its two columns are asked for in turn
            split[details] = _split(details)
        return split[details][which]

    conn.create_function("hash_bytes", 1, bytes.fromhex, deterministic=True)
    conn.create_function("details_part", 2, part, deterministic=True)
    _replace(
        conn,
        "\tdetails TEXT NOT NULL, \n\tstate BLOB, \n\thash BLOB NOT NULL, \n",
        "details_part(details, 0), details_part(details, 1), hash_bytes(hash)",
    )


def downgrade() -> None:
    conn = _driver()
    conn.create_function("joined", 2, _joined, deterministic=True)
    _replace(
        conn,
        "\tdetails TEXT NOT NULL, \n\tprev_hash VARCHAR(64) NOT NULL, \n"
        "\thash VARCHAR(64) NOT NULL, \n",
        # hex() of no row before is '', not NULL
        "joined(details, state), "
        f"coalesce(nullif(lower(hex(lag(hash) OVER (ORDER BY id))), ''), '{GENESIS}'), "
        "lower(hex(hash))",
    )
