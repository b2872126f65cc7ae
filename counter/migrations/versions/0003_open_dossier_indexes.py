"""indexes for open dossiers: the daily summary's pending and overdue figures

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_dossiers_closed_at", table_name="dossiers")
    op.drop_index("ix_dossiers_phone", table_name="dossiers")  # phones are found through FTS
    op.create_index(
        "ix_dossiers_open_due",
        "dossiers",
        ["due_at", "received_at"],
        sqlite_where=sa.text("closed_at IS NULL"),
    )
    op.create_index("ix_dossiers_closed_due", "dossiers", ["closed_at", "due_at", "received_at"])


def downgrade() -> None:
    op.drop_index("ix_dossiers_closed_due", table_name="dossiers")
    op.drop_index("ix_dossiers_open_due", table_name="dossiers")
    op.create_index("ix_dossiers_phone", "dossiers", ["phone"])
    op.create_index("ix_dossiers_closed_at", "dossiers", ["closed_at"])
