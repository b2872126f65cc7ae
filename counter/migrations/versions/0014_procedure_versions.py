"""dossiers refer to the version of their procedure instead of copying it

A dossier kept its own copy of its procedure's name, field, time limit, agency, fees and
document list. Now each distinct content is one row of ``procedure_versions`` (named by its
SHA-256, never changed or removed: triggers refuse it) and a dossier refers to the one it
was received under; of its papers it keeps only what differs from the version's required
ones (``counter.versions.pack``).

Every dossier gets the version of exactly what it holds: the catalogue's procedure as it is
now when the dossier's copy is that (with its document list), else a version of the copy
alone, without a document list (its papers are then kept whole). Nothing changes in what a
dossier shows, prints or digests to.

Two copies of what is stored elsewhere go too: the search index keeps its words but no
longer a copy of the text it was given (contentless FTS5: every entry can be made again from
its dossier), and the history's index by moment holds the closing lines alone (returned,
rejected, withdrawn: what the daily summary counts), not every line with its status. The
index's keys (``counter.search.search_key``) become the day of receipt and the dossier's id,
not the second of receipt: keys next to each other differ by little, which the index stores
in fewer bytes. A dossier's receipt line in its history, which says no more than its row
(when, by whom, the note), is no longer kept: it is made of the row when read.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29
"""

from __future__ import annotations

import json
import sqlite3
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from alembic import op

from counter import versions

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

#: The copied columns, as they were on ``dossiers`` (``versions.FIELDS`` but ``documents``).
COPIED = (
    "procedure_name",
    "field_name",
    "time_value",
    "time_unit",
    "time_cutoff",
    "result_agency",
    "fees",
    "fees_total",
)
CHUNK = 5000
SEARCHED = (
    "applicant_name",
    "submitter_name",
    "code",
    "portal_code",
    "id_number",
    "phone",
    "submitter_id_number",
    "submitter_phone",
)
#: History lines that close a dossier (``counter.models.CLOSINGS_SQL``).
CLOSINGS = "status IN ('returned', 'rejected', 'withdrawn')"
#: ``counter.search.search_key``: the day of receipt (Vietnam time, as stored) and the id;
#: and the key before it, the second of receipt and the id's low 20 bits.
NEW_KEY = (
    "(CAST(julianday(substr(dossiers.received_at, 1, 10)) - 1721424.5 AS INTEGER) << 32) "
    "| dossiers.id"
)
OLD_KEY = "(CAST(strftime('%s', dossiers.received_at) AS INTEGER) << 20) | (dossiers.id & 1048575)"
#: A history line that says no more than its dossier's row: its receipt.
RECEIPT_LINE = (
    "h.status = 'received' AND h.at = dossiers.received_at AND "
    "h.by_user = dossiers.received_by AND h.note = dossiers.note AND h.source = 'counter'"
)
SEARCH_OPTIONS = (
    "tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2 3 4 5 6', detail = column"
)


def _driver() -> sqlite3.Connection:
    conn = op.get_bind().connection.driver_connection
    assert isinstance(conn, sqlite3.Connection)
    return conn


def _content(code: str, row: tuple[Any, ...], documents: list[Any]) -> dict[str, Any]:
    name, field_name, time_value, time_unit, time_cutoff, agency, fees, fees_total = row
    return {
        "code": code,
        "name": name,
        "field_name": field_name or "",
        "time_value": time_value,
        "time_unit": time_unit,
        "time_cutoff": time_cutoff or "",
        "result_agency": agency or "",
        "fees": json.loads(fees) if fees else [],
        "fees_total": fees_total or 0,
        "documents": documents,
    }


def upgrade() -> None:
    op.create_table(
        "procedure_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("field_name", sa.Text(), nullable=False),
        sa.Column("time_value", sa.Float(), nullable=False),
        sa.Column("time_unit", sa.String(16), nullable=False),
        sa.Column("time_cutoff", sa.String(5), nullable=False),
        sa.Column("result_agency", sa.Text(), nullable=False),
        sa.Column("fees", sa.JSON(), nullable=False),
        sa.Column("fees_total", sa.Integer(), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("digest"),
    )
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER procedure_versions_no_{event.lower()} BEFORE {event} ON "
            "procedure_versions BEGIN SELECT RAISE(ABORT, 'procedure versions are kept as "
            "they are'); END"
        )
    op.execute(
        "ALTER TABLE dossiers ADD COLUMN procedure_version INTEGER "
        "REFERENCES procedure_versions (id)"
    )
    op.execute("ALTER TABLE dossiers ADD COLUMN papers TEXT")

    conn = _driver()
    catalogue = {
        r[0]: (
            (*r[1:8], sum(int(f["amount"]) for f in json.loads(r[7] or "[]"))),
            json.loads(r[8]) if r[8] else [],
        )
        for r in conn.execute(
            "SELECT code, name, field_name, time_value, time_unit, time_cutoff, result_agency, "
            "fees, documents FROM procedures"
        )
    }
    found: dict[tuple[Any, ...], tuple[int, list[Any]]] = {}

    def version_of(code: str, row: tuple[Any, ...]) -> tuple[int, list[Any]]:
        key = (code, *row)
        if key not in found:
            current, documents = catalogue.get(code, ((), []))
            same = current and _content(code, current, []) == _content(code, row, [])
            content = _content(code, row, documents if same else [])
            found[key] = (versions.version_id(conn, content), content["documents"])
        return found[key]

    columns = ", ".join(COPIED)
    last = 0
    while True:
        rows = conn.execute(
            f"SELECT id, procedure_code, {columns}, documents FROM dossiers WHERE id > ? "
            "ORDER BY id LIMIT ?",
            (last, CHUNK),
        ).fetchall()
        if not rows:
            break
        updates = []
        for dossier_id, code, *copied, documents in rows:
            version, listed = version_of(code, tuple(copied))
            papers = versions.pack(json.loads(documents) if documents else [], listed)
            updates.append((version, papers, dossier_id))
        conn.executemany(
            "UPDATE dossiers SET procedure_version = ?, papers = ? WHERE id = ?", updates
        )
        last = rows[-1][0]
    for column in (*COPIED, "documents"):
        op.execute(f"ALTER TABLE dossiers DROP COLUMN {column}")

    # a dossier's receipt line is made of its row when read (``repository.receipt_line``).
    # Receiving wrote it first: a dossier's first line, at its moment of receipt. It goes
    # when it says no more than the row; one that says more (another note, say) stays, marked
    # as the receipt's (``repository.RECEIPT_SOURCE``), so that no later line at the same
    # moment (a new appointment given in the same second) is ever taken for it.
    first_lines = "SELECT min(h.id) FROM dossier_history AS h GROUP BY h.dossier_id"
    op.execute(
        "UPDATE dossier_history SET source = 'receipt' WHERE id IN (SELECT h.id "
        "FROM dossier_history AS h JOIN dossiers ON dossiers.id = h.dossier_id "
        "WHERE h.status = 'received' AND h.at = dossiers.received_at "
        f"AND NOT ({RECEIPT_LINE}) "
        f"AND h.id IN ({first_lines}))"
    )
    op.execute(
        "DELETE FROM dossier_history WHERE id IN (SELECT h.id FROM dossier_history AS h "
        f"JOIN dossiers ON dossiers.id = h.dossier_id WHERE {RECEIPT_LINE} "
        f"AND h.id IN ({first_lines}))"
    )
    op.drop_index("ix_history_at_status", table_name="dossier_history")
    op.execute(f"CREATE INDEX ix_history_closed_at ON dossier_history (at) WHERE {CLOSINGS}")
    # the search index without its text, under the new keys (``counter.search.search_key``)
    op.execute(
        f"CREATE VIRTUAL TABLE dossier_search_new USING fts5(name, ids, content = '', "
        f"{SEARCH_OPTIONS})"
    )
    op.execute(
        f"INSERT INTO dossier_search_new (rowid, name, ids) SELECT {NEW_KEY} AS key, s.name, "
        "s.ids FROM dossier_search AS s JOIN dossiers ON dossiers.search_key = s.rowid "
        "ORDER BY key"
    )
    op.execute("INSERT INTO dossier_search_new (dossier_search_new) VALUES ('optimize')")
    op.execute("DROP TABLE dossier_search")
    op.execute("ALTER TABLE dossier_search_new RENAME TO dossier_search")
    _rekey(NEW_KEY)


def _rekey(key: str) -> None:
    """Every dossier's search key anew (through values no key has, as keys are unique)."""
    op.execute("UPDATE dossiers SET search_key = -id")
    op.execute(f"UPDATE dossiers SET search_key = {key}")


def downgrade() -> None:
    # the search index's words cannot be read back: each dossier's are made again
    from counter.search import document_of

    op.execute("DROP TABLE dossier_search")
    op.execute(f"CREATE VIRTUAL TABLE dossier_search USING fts5(name, ids, {SEARCH_OPTIONS})")
    _rekey(OLD_KEY)
    op.drop_index("ix_history_closed_at", table_name="dossier_history")
    op.execute("UPDATE dossier_history SET source = 'counter' WHERE source = 'receipt'")
    op.execute(
        "INSERT INTO dossier_history (dossier_id, at, status, by_user, note, source) "
        "SELECT id, received_at, 'received', received_by, note, 'counter' FROM dossiers "
        "WHERE NOT EXISTS (SELECT 1 FROM dossier_history AS h WHERE h.dossier_id = dossiers.id "
        "AND h.status = 'received' AND h.at = dossiers.received_at)"
    )
    op.create_index("ix_history_at_status", "dossier_history", ["at", "status"])
    op.add_column("dossiers", sa.Column("procedure_name", sa.Text(), nullable=True))
    op.add_column("dossiers", sa.Column("field_name", sa.Text(), nullable=True))
    op.add_column("dossiers", sa.Column("time_value", sa.Float(), nullable=True))
    op.add_column("dossiers", sa.Column("time_unit", sa.String(16), nullable=True))
    op.add_column("dossiers", sa.Column("time_cutoff", sa.String(5), server_default=""))
    op.add_column("dossiers", sa.Column("result_agency", sa.Text(), nullable=True))
    op.add_column("dossiers", sa.Column("documents", sa.JSON(), nullable=True))
    op.add_column("dossiers", sa.Column("fees", sa.JSON(), nullable=True))
    op.add_column("dossiers", sa.Column("fees_total", sa.Integer(), nullable=True))
    conn = _driver()
    listed = {
        r[0]: json.loads(r[1]) for r in conn.execute("SELECT id, documents FROM procedure_versions")
    }
    conn.execute(
        "UPDATE dossiers SET (procedure_name, field_name, time_value, time_unit, time_cutoff, "
        "result_agency, fees, fees_total) = (SELECT name, field_name, time_value, time_unit, "
        "time_cutoff, result_agency, fees, fees_total FROM procedure_versions AS v "
        "WHERE v.id = dossiers.procedure_version)"
    )
    rows = conn.execute("SELECT id, procedure_version, papers FROM dossiers").fetchall()
    conn.executemany(
        "UPDATE dossiers SET documents = ? WHERE id = ?",
        [
            (
                json.dumps(
                    versions.unpack(p, listed[v]), ensure_ascii=False, separators=(",", ":")
                ),
                i,
            )
            for i, v, p in rows
        ],
    )
    conn.row_factory = None
    cur = conn.execute(
        "SELECT search_key, applicant_name, submitter_name, code, portal_code, id_number, "
        "phone, submitter_id_number, submitter_phone FROM dossiers"
    )
    conn.executemany(
        "INSERT INTO dossier_search (rowid, name, ids) VALUES (?, ?, ?)",
        [
            (r[0], *document_of(SimpleNamespace(**dict(zip(SEARCHED, r[1:], strict=True)))))
            for r in cur
        ],
    )
    op.execute("ALTER TABLE dossiers DROP COLUMN papers")
    op.execute("ALTER TABLE dossiers DROP COLUMN procedure_version")
    op.execute("DROP TRIGGER procedure_versions_no_delete")
    op.execute("DROP TRIGGER procedure_versions_no_update")
    op.drop_table("procedure_versions")
