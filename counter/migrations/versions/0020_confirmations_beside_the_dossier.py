"""the moment the portal confirmed a dossier is kept beside the dossier, not in its row

``dossiers.portal_confirmed_at`` was NULL when the receipt wrote the row and a moment (four
bytes) once the portal confirmed the dossier: the row grew where the receipt had filled its
page, the page split, and at a million dossiers the table kept about 37 bytes a dossier of
its pages empty. The moment is now in ``dossier_confirmations`` (``counter.confirmations``),
a row a confirmed dossier keyed by its id, read as ``Dossier.portal_confirmed_at`` as before.
What the counter shows and digests is the same (the moment is outside the digest).

The dossiers' table is made anew without the column (its rows copied in order, its
indexes made again after, all in the upgrade's one transaction): its rows packed in its
pages again, the old pages free, and the file compacted after the upgrade
(``counter.db``). Back, the column is added again with each confirmed dossier's moment.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-29
"""

from __future__ import annotations

import re
import sqlite3

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind().connection.driver_connection
    assert isinstance(conn, sqlite3.Connection)
    conn.execute(
        "CREATE TABLE dossier_confirmations ("
        "dossier_id INTEGER NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (dossier_id), "
        "FOREIGN KEY(dossier_id) REFERENCES dossiers (id))"
    )
    conn.execute(
        "INSERT INTO dossier_confirmations (dossier_id, at) "
        "SELECT id, portal_confirmed_at FROM dossiers "
        "WHERE portal_confirmed_at IS NOT NULL ORDER BY id"
    )
    (sql,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'dossiers'"
    ).fetchone()
    others = [
        r[0]
        for r in conn.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'dossiers' "
            "AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, rowid"
        )
    ]
    sql, column = re.subn(r"\bportal_confirmed_at\s+INTEGER,\s*", "", sql)
    sql, name = re.subn(r'^CREATE TABLE "?dossiers"?', "CREATE TABLE dossiers_0020", sql)
    assert column == name == 1, (column, name)
    conn.execute(sql)
    columns = ", ".join(r[1] for r in conn.execute("PRAGMA table_info(dossiers_0020)"))
    conn.execute(
        f"INSERT INTO dossiers_0020 ({columns}) SELECT {columns} FROM dossiers ORDER BY rowid"
    )
    conn.execute("DROP TABLE dossiers")
    conn.execute("ALTER TABLE dossiers_0020 RENAME TO dossiers")
    for statement in others:
        conn.execute(statement)


def downgrade() -> None:
    op.execute("ALTER TABLE dossiers ADD COLUMN portal_confirmed_at INTEGER")
    op.execute(
        "UPDATE dossiers SET portal_confirmed_at = c.at "
        "FROM dossier_confirmations AS c WHERE c.dossier_id = dossiers.id"
    )
    op.execute("DROP TABLE dossier_confirmations")
