"""same-day procedures: the cut-off after which the result is due the next working day

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: SQLite adds it in place, without copying a million dossiers.
    for table in ("procedures", "dossiers"):
        op.add_column(
            table, sa.Column("time_cutoff", sa.String(length=5), nullable=False, server_default="")
        )


def downgrade() -> None:
    for table in ("procedures", "dossiers"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("time_cutoff")
