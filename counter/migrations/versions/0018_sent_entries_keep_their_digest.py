"""an outbox entry sent long ago keeps what its dossier's digest covers, not its payload

Every change the portal must learn is an outbox entry, and a dossier's audit digest covers
its entries as ``[key, kind, sha256(payload)]``, oldest first (``counter.integrity``). Once
the portal has acknowledged an entry nothing reads its payload again but that digest, yet
each stayed in ``outbox`` with it (about 900 bytes a receipt's, 160 a status change's), its
text key, its error and attempts, and three indexes.

An entry acknowledged more than 7 days ago (``counter.outbox.KEEP_SENT_PAYLOADS``) now keeps
its key (a UUID's 16 bytes), its kind (its place in ``counter.storage.OUTBOX_KIND``) and its
payload's SHA-256 (32 bytes) in ``outbox_sent``, keyed by its dossier and its place among
that dossier's sent entries (a table without rowids: no other index). A dossier's entries go
in their order: one whose dossier has an older entry still whole (waiting, needing a person,
sent recently) stays whole too. Every digest is the same as before. The entries sent since
are reduced by the sync's rounds, a bounded step each (``SyncStore.forget_sent_payloads``),
which finds them by ``ix_outbox_sent_at``, the sent entries by their acknowledgement.

Downgrading cannot give the payloads back, and the counter before would digest an entry by
its payload: it is refused while ``outbox_sent`` holds an entry, the counter left as it is
(restore the backup taken before the upgrade instead).

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29
"""

from __future__ import annotations

import hashlib
import sqlite3
import uuid
from datetime import timedelta
from typing import Any

from alembic import op

from counter.clock import now, stored

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

#: ``counter.storage.OUTBOX_KIND``'s words in the order of their numbers, as of this revision.
KINDS = ("dossier", "due_change", "file", "rating", "status")
#: ``counter.outbox.KEEP_SENT_PAYLOADS`` as of this revision.
KEEP = timedelta(days=7)
#: Dossiers whose entries are read and moved together.
LOT = 5000


def upgrade() -> None:
    conn = op.get_bind().connection.driver_connection
    assert isinstance(conn, sqlite3.Connection)
    conn.execute(
        "CREATE TABLE outbox_sent ("
        "dossier_id INTEGER NOT NULL, seq INTEGER NOT NULL, "
        '"key" BLOB NOT NULL, kind INTEGER NOT NULL, payload_sha256 BLOB NOT NULL, '
        "PRIMARY KEY (dossier_id, seq), "
        "FOREIGN KEY(dossier_id) REFERENCES dossiers (id)) WITHOUT ROWID"
    )
    conn.execute("CREATE INDEX ix_outbox_sent_at ON outbox (sent_at) WHERE state = 'sent'")
    cutoff = stored(now() - KEEP)
    kept: list[tuple[Any, ...]] = []
    gone: list[tuple[int]] = []

    def move() -> None:
        conn.executemany(
            'INSERT INTO outbox_sent (dossier_id, seq, "key", kind, payload_sha256) '
            "VALUES (?, ?, ?, ?, ?)",
            kept,
        )
        conn.executemany("DELETE FROM outbox WHERE id = ?", gone)
        kept.clear()
        gone.clear()

    # Each dossier's entries in order (its index), a lot of dossiers at a time.
    last = -1
    while True:
        ids = [
            i
            for (i,) in conn.execute(
                "SELECT DISTINCT dossier_id FROM outbox WHERE dossier_id > ? "
                "ORDER BY dossier_id LIMIT ?",
                (last, LOT),
            )
        ]
        if not ids:
            break
        rows = conn.execute(
            "SELECT id, dossier_id, idempotency_key, kind, payload, state, sent_at FROM outbox "
            "WHERE dossier_id BETWEEN ? AND ? ORDER BY dossier_id, id",
            (ids[0], ids[-1]),
        ).fetchall()
        last = ids[-1]
        dossier, seq, stopped = None, 0, False
        for entry_id, dossier_id, key, kind, payload, state, sent_at in rows:
            if dossier_id != dossier:
                dossier, seq, stopped = dossier_id, 0, False
            stopped = stopped or not (
                state == "sent" and sent_at is not None and sent_at < cutoff and kind in KINDS
            )
            if stopped:  # this entry and its dossier's later ones stay whole
                continue
            kept.append(
                (
                    dossier_id,
                    seq,
                    _key(key),
                    KINDS.index(kind),
                    hashlib.sha256(payload.encode()).digest(),
                )
            )
            gone.append((entry_id,))
            seq += 1
        move()


def _key(key: str) -> bytes | str:
    """As ``counter.models.EntryKey`` stores it: a UUID's 16 bytes, other text as it is."""
    try:
        value = uuid.UUID(key)
    except ValueError:
        return key
    return value.bytes if str(value) == key else key


def downgrade() -> None:
    conn = op.get_bind().connection.driver_connection
    assert isinstance(conn, sqlite3.Connection)
    (n,) = conn.execute("SELECT count(*) FROM outbox_sent").fetchone()
    if n:
        raise ValueError(
            f"{n} outbox entries sent long ago keep their payload's SHA-256 alone: the payloads "
            "cannot come back, and the revision before digests an entry by its payload; "
            "restore the backup taken before the upgrade instead"
        )
    conn.execute("DROP INDEX IF EXISTS ix_outbox_sent_at")
    conn.execute("DROP TABLE outbox_sent")
