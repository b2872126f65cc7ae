"""an audit row names its kind and its dossier by number

A counter writes an audit row for every receipt and every status change, each naming its
action and entity as text (``dossier.status``, ``dossier``: 21 bytes) and its dossier by
code (25 bytes): about 45 of a row's 195 bytes, at nearly three rows a dossier. The rows go
to a table of their own, ``audit_rows``, which keeps the kind of a row of the common kinds
as its number in ``audit_kinds`` (``counter.storage.AUDIT_KINDS``; a row of another kind
keeps its action and entity as text) and the dossier a row is about as its id, when the
row's key is that dossier's code (any other key is kept as text). ``audit_log`` becomes a
view over them that puts the text back: every reader, and the hash of every row (computed
over the row in full, as before), is unchanged. The upgrade checks that the view gives back
every row as it was before it drops the table.

A dossier's prints are counted at each print (the copy number on the form): an index of
the rows of kind ``dossier.print`` by dossier (``ix_audit_rows_prints``) counts them
without reading the whole trail.

Going back makes the table ``audit_log`` again from the view's rows.

A later migration that makes ``dossiers``, ``audit_rows`` or ``audit_kinds`` anew (a new
table, the rows copied, the old one dropped, the new one renamed: alembic's batch mode does
the same) drops the view first and makes it again after: SQLite refuses to rename a table
while a view names one that is missing ("error in view audit_log: no such table").

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlite3

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

#: ``counter.storage.AUDIT_KINDS`` as it was when this was written.
KINDS = (
    (1, "dossier.receive", "dossier"),
    (2, "dossier.status", "dossier"),
    (3, "dossier.print", "dossier"),
    (4, "dossier.reschedule", "dossier"),
    (5, "dossier.restart", "dossier"),
    (6, "dossier.rate", "dossier"),
    (7, "dossier.attach", "dossier"),
    (8, "dossier.handover", "dossier"),
    (9, "demo.seed", "dossier"),
)
PRINT_KIND = 3
COLUMNS = "id, at, actor, action, entity, entity_key, details, state, hash"
KINDS_TABLE = (
    "CREATE TABLE audit_kinds (\n"
    "\tid INTEGER NOT NULL, \n"
    "\taction VARCHAR(40) NOT NULL, \n"
    "\tentity VARCHAR(20) NOT NULL, \n"
    "\tPRIMARY KEY (id), \n"
    "\tCONSTRAINT uq_audit_kinds UNIQUE (action, entity)\n"
    ")"
)
ROWS_TABLE = (
    "CREATE TABLE audit_rows (\n"
    "\tid INTEGER NOT NULL, \n"
    "\tat INTEGER NOT NULL, \n"
    "\tactor VARCHAR(32) NOT NULL, \n"
    "\tkind INTEGER, \n"
    "\taction VARCHAR(40), \n"
    "\tentity VARCHAR(20), \n"
    "\tdossier_id INTEGER, \n"
    "\tentity_key VARCHAR(60), \n"
    "\tdetails TEXT NOT NULL, \n"
    "\tstate BLOB, \n"
    "\thash BLOB NOT NULL, \n"
    "\tPRIMARY KEY (id), \n"
    "\tFOREIGN KEY(kind) REFERENCES audit_kinds (id), \n"
    "\tFOREIGN KEY(dossier_id) REFERENCES dossiers (id)\n"
    ")"
)
#: The rows of ``audit_rows`` in full, as the view gives them.
IN_FULL = (
    "SELECT r.id AS id, r.at AS at, r.actor AS actor, "
    "coalesce(k.action, r.action) AS action, coalesce(k.entity, r.entity) AS entity, "
    "coalesce(r.entity_key, d.code) AS entity_key, "
    "r.details AS details, r.state AS state, r.hash AS hash "
    "FROM audit_rows AS r "
    "LEFT JOIN audit_kinds AS k ON k.id = r.kind "
    "LEFT JOIN dossiers AS d ON d.id = r.dossier_id"
)
ROWS_TRIGGERS = (
    "CREATE TRIGGER audit_rows_no_update BEFORE UPDATE ON audit_rows "
    "BEGIN SELECT RAISE(ABORT, 'audit_rows is append-only'); END",
    "CREATE TRIGGER audit_rows_no_delete BEFORE DELETE ON audit_rows "
    "BEGIN SELECT RAISE(ABORT, 'audit_rows is append-only'); END",
)
#: The table as migration 0021 left it.
LOG_TABLE = (
    "CREATE TABLE audit_log_0021 (\n"
    "\tid INTEGER NOT NULL, \n"
    "\tat INTEGER NOT NULL, \n"
    "\tactor VARCHAR(32) NOT NULL, \n"
    "\taction VARCHAR(40) NOT NULL, \n"
    "\tentity VARCHAR(20) NOT NULL, \n"
    "\tentity_key VARCHAR(60) NOT NULL, \n"
    "\tdetails TEXT NOT NULL, \n"
    "\tstate BLOB, \n"
    "\thash BLOB NOT NULL, \n"
    "\tPRIMARY KEY (id)\n"
    ")"
)
LOG_TRIGGERS = (
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


def upgrade() -> None:
    conn = _driver()
    conn.execute(KINDS_TABLE)
    conn.executemany("INSERT INTO audit_kinds (id, action, entity) VALUES (?, ?, ?)", KINDS)
    conn.execute(ROWS_TABLE)
    conn.execute(
        "INSERT INTO audit_rows (id, at, actor, kind, action, entity, dossier_id, entity_key, "
        "details, state, hash) "
        "SELECT a.id, a.at, a.actor, k.id, "
        "CASE WHEN k.id IS NULL THEN a.action END, CASE WHEN k.id IS NULL THEN a.entity END, "
        "d.id, CASE WHEN d.id IS NULL THEN a.entity_key END, a.details, a.state, a.hash "
        "FROM audit_log AS a "
        "LEFT JOIN audit_kinds AS k ON k.action = a.action AND k.entity = a.entity "
        "LEFT JOIN dossiers AS d ON a.entity = 'dossier' AND d.code = a.entity_key "
        "ORDER BY a.id"
    )
    # Nothing is lost: the rows in full are the rows as they were, value for value; if one
    # would not be (a value put there by hand that the new column would store otherwise),
    # the upgrade stops and changes nothing.
    moved = conn.execute("SELECT count(*) FROM audit_rows").fetchone()[0]
    were = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    differs = conn.execute(
        f"SELECT a.id FROM audit_log AS a JOIN ({IN_FULL}) AS v ON v.id = a.id WHERE "
        + " OR ".join(f"v.{c} IS NOT a.{c}" for c in COLUMNS.split(", ")[1:])
        + " LIMIT 1"
    ).fetchone()
    if moved != were or differs is not None:
        raise ValueError(
            "audit_log: a row would not read back as it was"
            + (f" (row {differs[0]})" if differs else "")
        )
    conn.execute("DROP TABLE audit_log")  # its triggers go with it
    conn.execute(f"CREATE VIEW audit_log AS {IN_FULL}")
    for statement in ROWS_TRIGGERS:
        conn.execute(statement)
    conn.execute(
        f"CREATE INDEX ix_audit_rows_prints ON audit_rows (dossier_id) WHERE kind = {PRINT_KIND}"
    )


def downgrade() -> None:
    conn = _driver()
    conn.execute(LOG_TABLE)
    conn.execute(f"INSERT INTO audit_log_0021 SELECT {COLUMNS} FROM audit_log ORDER BY id")
    conn.execute("DROP VIEW audit_log")
    conn.execute("DROP TABLE audit_rows")  # its index and triggers go with it
    conn.execute("DROP TABLE audit_kinds")
    conn.execute("ALTER TABLE audit_log_0021 RENAME TO audit_log")
    for statement in LOG_TRIGGERS:
        conn.execute(statement)
