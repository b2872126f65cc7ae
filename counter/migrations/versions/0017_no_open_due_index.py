"""the index of open dossiers by due date goes: the one by closing and due date answers it

``ix_dossiers_open_due`` (due date and receipt of the dossiers not closed yet) was made for
the daily summary's pending and overdue figures. The index by closing moment, due date and
receipt (``ix_dossiers_closed_due``) holds the same keys for the open dossiers (their closing
moment is NULL, first in its order), and SQLite chooses it for every one of those questions;
the open one was written at every receipt, status change and batch, and read by none.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_dossiers_open_due")


def downgrade() -> None:
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_dossiers_open_due "
        "ON dossiers (due_at, received_at) WHERE closed_at IS NULL"
    )
