"""an audit row of the two commonest kinds keeps its details as their values

Nearly every audit row of a counter is a receipt's (``dossier.receive``: its details
``{"demo":false,"due_at":"2026-03-20T16:56:46+07:00","procedure":"1.004859"}``, 74 bytes)
or a status change's (``dossier.status``: ``{"from":"processing","note":"","to":"done"}``,
43 bytes): at nearly three rows a dossier, some 150 bytes a dossier of JSON whose keys are
the same in every row and whose words are one of ten statuses. Such a row now keeps its
values alone, in three columns of ``audit_rows`` (``details`` is then ""):

- a receipt's: ``detail_a`` its due moment (seconds since 1970), ``detail_b`` whether it is
  demo data (1 or 0), ``detail_text`` its procedure's code;
- a status change's: ``detail_a`` and ``detail_b`` the status before and after, by their
  numbers (``STATUSES``, as a dossier's ``status`` keeps it), ``detail_text`` its note.

The view ``audit_log`` writes the text back (``DETAILS``). A row is kept so only when that
text is its text exactly: any other (a note with a quote or a line break, a due moment of
another offset, a value put there by hand) keeps its text as it is. Every reader, and the
hash of every row, is unchanged; the upgrade checks that the view gives back every row's
details as they were, then drops the old table.

Going back writes each row's text again and drops the three columns.

As migration 0022 says, a later migration that makes ``audit_rows`` (or ``dossiers``,
``audit_kinds``) anew drops the view first and makes it again after.

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlite3

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

#: The statuses by their numbers (``counter.storage.STATUS``) as when this was written.
STATUSES = (
    "done",
    "payment_requested",
    "processing",
    "received",
    "registered",
    "rejected",
    "returned",
    "stopped",
    "supplement_requested",
    "withdrawn",
)
RECEIVE, STATUS = 1, 2
#: Vietnam's offset, in seconds: every moment a counter writes is in it.
OFFSET = 7 * 3600
PRINT_KIND = 3


def _word(number: str) -> str:
    """The status numbered ``number`` (an SQL expression) as its word."""
    whens = " ".join(f"WHEN {n} THEN '{word}'" for n, word in enumerate(STATUSES))
    return f"(CASE {number} {whens} END)"


def _number(word: str) -> str:
    """The status ``word`` (an SQL expression) as its number; NULL for any other word."""
    whens = " ".join(f"WHEN '{word}' THEN {n}" for n, word in enumerate(STATUSES))
    return f"(CASE {word} {whens} END)"


def details_of(kind: str, a: str, b: str, text: str) -> str:
    """The SQL of the details' text of a row of ``kind`` kept as its values ``a``, ``b``,
    ``text`` (SQL expressions): the canonical JSON ``counter.audit`` writes, byte for byte
    (``counter.audit.compact`` holds a row to it before it keeps the values alone)."""
    status = (
        f'\'{{"from":"\' || {_word(a)} || \'","note":"\' || {text} || '
        f'\'","to":"\' || {_word(b)} || \'"}}\''
    )
    receive = (
        f"'{{\"demo\":' || (CASE {b} WHEN 1 THEN 'true' WHEN 0 THEN 'false' END) || "
        f"',\"due_at\":\"' || strftime('%Y-%m-%dT%H:%M:%S+07:00', {a} + {OFFSET}, 'unixepoch') "
        f'|| \'","procedure":"\' || {text} || \'"}}\''
    )
    return f"(CASE {kind} WHEN {STATUS} THEN {status} WHEN {RECEIVE} THEN {receive} END)"


#: The details of a row of ``audit_rows`` ``r``, as the view gives them.
DETAILS = (
    "(CASE WHEN r.details <> '' THEN r.details ELSE "
    + details_of("r.kind", "r.detail_a", "r.detail_b", "r.detail_text")
    + " END)"
)
#: The view as migration 0022 made it, and as it is now.
VIEW_0022 = (
    "SELECT r.id AS id, r.at AS at, r.actor AS actor, "
    "coalesce(k.action, r.action) AS action, coalesce(k.entity, r.entity) AS entity, "
    "coalesce(r.entity_key, d.code) AS entity_key, "
    "r.details AS details, r.state AS state, r.hash AS hash "
    "FROM audit_rows AS r "
    "LEFT JOIN audit_kinds AS k ON k.id = r.kind "
    "LEFT JOIN dossiers AS d ON d.id = r.dossier_id"
)
VIEW = VIEW_0022.replace("r.details AS details", f"{DETAILS} AS details")
ROWS_TABLE = (
    "CREATE TABLE audit_rows_0023 (\n"
    "\tid INTEGER NOT NULL, \n"
    "\tat INTEGER NOT NULL, \n"
    "\tactor VARCHAR(32) NOT NULL, \n"
    "\tkind INTEGER, \n"
    "\taction VARCHAR(40), \n"
    "\tentity VARCHAR(20), \n"
    "\tdossier_id INTEGER, \n"
    "\tentity_key VARCHAR(60), \n"
    "\tdetails TEXT NOT NULL, \n"
    "\tdetail_a INTEGER, \n"
    "\tdetail_b INTEGER, \n"
    "\tdetail_text TEXT, \n"
    "\tstate BLOB, \n"
    "\thash BLOB NOT NULL, \n"
    "\tPRIMARY KEY (id), \n"
    "\tFOREIGN KEY(kind) REFERENCES audit_kinds (id), \n"
    "\tFOREIGN KEY(dossier_id) REFERENCES dossiers (id)\n"
    ")"
)
KEPT = "id, at, actor, kind, action, entity, dossier_id, entity_key"
TRIGGERS = (
    "CREATE TRIGGER audit_rows_no_update BEFORE UPDATE ON audit_rows "
    "BEGIN SELECT RAISE(ABORT, 'audit_rows is append-only'); END",
    "CREATE TRIGGER audit_rows_no_delete BEFORE DELETE ON audit_rows "
    "BEGIN SELECT RAISE(ABORT, 'audit_rows is append-only'); END",
)
PRINTS_INDEX = (
    f"CREATE INDEX ix_audit_rows_prints ON audit_rows (dossier_id) WHERE kind = {PRINT_KIND}"
)


def _driver() -> sqlite3.Connection:
    conn = op.get_bind().connection.driver_connection
    assert isinstance(conn, sqlite3.Connection)
    if not conn.in_transaction:
        conn.execute("BEGIN")
    return conn


def _field(name: str) -> str:
    """A member of a row's details (``x.details``) if they are JSON; NULL if they are not."""
    return f"(CASE WHEN json_valid(x.details) THEN json_extract(x.details, '$.{name}') END)"


def upgrade() -> None:
    conn = _driver()
    conn.execute(ROWS_TABLE)
    # each row's values, as a row kept by its values would have them, and whether the view
    # would write exactly its text from them
    due = f"(CAST(strftime('%s', substr({_field('due_at')}, 1, 19)) AS INTEGER) - {OFFSET})"
    values = (
        f"SELECT x.*, "
        f"CASE x.kind WHEN {STATUS} THEN {_number(_field('from'))} "
        f"WHEN {RECEIVE} THEN {due} END AS a, "
        f"CASE x.kind WHEN {STATUS} THEN {_number(_field('to'))} "
        f"WHEN {RECEIVE} THEN {_field('demo')} END AS b, "
        f"CASE x.kind WHEN {STATUS} THEN {_field('note')} "
        f"WHEN {RECEIVE} THEN {_field('procedure')} END AS t "
        f"FROM audit_rows AS x"
    )
    fits = f"({details_of('v.kind', 'v.a', 'v.b', 'v.t')} IS v.details)"
    conn.execute(
        f"INSERT INTO audit_rows_0023 ({KEPT}, details, detail_a, detail_b, detail_text, "
        f"state, hash) "
        f"SELECT {KEPT}, CASE WHEN fits THEN '' ELSE details END, "
        f"CASE WHEN fits THEN a END, CASE WHEN fits THEN b END, CASE WHEN fits THEN t END, "
        f"state, hash "
        f"FROM (SELECT v.*, {fits} AS fits FROM ({values}) AS v) ORDER BY id"
    )
    # Nothing is lost: every row's details, as the view will give them, are its text as it
    # was, and every other value is the same; if one is not, the upgrade stops, nothing done.
    moved = conn.execute("SELECT count(*) FROM audit_rows_0023").fetchone()[0]
    were = conn.execute("SELECT count(*) FROM audit_rows").fetchone()[0]
    compared = ", ".join(f"o.{c} IS NOT r.{c}" for c in KEPT.split(", ")[1:])
    differs = conn.execute(
        "SELECT o.id FROM audit_rows AS o JOIN audit_rows_0023 AS r ON r.id = o.id WHERE "
        f"{DETAILS} IS NOT o.details OR o.state IS NOT r.state OR o.hash IS NOT r.hash OR "
        + compared.replace(", ", " OR ")
        + " LIMIT 1"
    ).fetchone()
    if moved != were or differs is not None:
        raise ValueError(
            "audit_rows: a row would not read back as it was"
            + (f" (row {differs[0]})" if differs else "")
        )
    conn.execute("DROP VIEW audit_log")
    conn.execute("DROP TABLE audit_rows")  # its index and triggers go with it
    conn.execute("ALTER TABLE audit_rows_0023 RENAME TO audit_rows")
    for statement in TRIGGERS:
        conn.execute(statement)
    conn.execute(PRINTS_INDEX)
    conn.execute(f"CREATE VIEW audit_log AS {VIEW}")


def downgrade() -> None:
    conn = _driver()
    conn.execute("DROP VIEW audit_log")
    conn.execute("DROP TRIGGER audit_rows_no_update")
    conn.execute(f"UPDATE audit_rows AS r SET details = {DETAILS} WHERE r.details = ''")
    for column in ("detail_a", "detail_b", "detail_text"):
        conn.execute(f"ALTER TABLE audit_rows DROP COLUMN {column}")
    conn.execute(TRIGGERS[0])
    conn.execute(f"CREATE VIEW audit_log AS {VIEW_0022}")
