"""the list sorted by name from an index; the search index with prefixes up to six letters

The list sorts by applicant name through its own index (ties by id, which the index holds)
instead of sorting a million rows. The search index is rebuilt with prefix indexes of one to
six characters, so a name typed in part ("nguy", "thanh") is found without merging every
word it begins; it keeps which column a word is in but not its position in it (every query
is of single words: ``counter.search.fts_query``), which makes it smaller. Its rows are
copied as they are.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TOKENIZE = "tokenize = 'unicode61 remove_diacritics 0'"


def _rebuild(options: str) -> None:
    op.execute(f"CREATE VIRTUAL TABLE dossier_search_new USING fts5(name, ids, {options})")
    op.execute(
        "INSERT INTO dossier_search_new (rowid, name, ids) "
        "SELECT rowid, name, ids FROM dossier_search ORDER BY rowid"
    )
    op.execute("INSERT INTO dossier_search_new (dossier_search_new) VALUES ('optimize')")
    op.execute("DROP TABLE dossier_search")
    op.execute("ALTER TABLE dossier_search_new RENAME TO dossier_search")


def upgrade() -> None:
    op.create_index("ix_dossiers_applicant_name", "dossiers", ["applicant_name"])
    _rebuild(f"{TOKENIZE}, prefix = '1 2 3 4 5 6', detail = column")


def downgrade() -> None:
    _rebuild(f"{TOKENIZE}, prefix = '2 3'")
    op.drop_index("ix_dossiers_applicant_name", table_name="dossiers")
