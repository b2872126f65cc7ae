"""the index of dossiers by due date goes: the one by status and due date gives its order

``ix_dossiers_due_at`` served the list sorted by due date and the overdue dossiers. The index
by status and due date (``ix_dossiers_status_due``) holds each status's dossiers in due
order: the list sorted by due date is those runs merged (each status's first dossiers read
in order from that index alone, the few of them sorted: ``counter.reports``), and the
overdue dossiers are read from the index by closing and due date, as the daily summary's
are. A receipt no longer writes a page of this index as well, which a batch of receipts
spread over the year did once a dossier.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_dossiers_due_at")


def downgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS ix_dossiers_due_at ON dossiers (due_at)")
