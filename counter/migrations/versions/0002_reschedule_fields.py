"""reschedule fields: the appointment missed and the reason, for the apology letter

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN: no table rebuild, instant on a large database.
    op.add_column("dossiers", sa.Column("previous_due_at", sa.String(length=25), nullable=True))
    op.add_column(
        "dossiers",
        sa.Column("reschedule_reason", sa.Text(), server_default="", nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table("dossiers") as batch_op:
        batch_op.drop_column("reschedule_reason")
        batch_op.drop_column("previous_due_at")
