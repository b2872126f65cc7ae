"""The dashboard's overdue list from the index alone: the open-and-due index carries the
dossier's id, so the oldest overdue of a month are found without reading the table.

Revision ID: p0007
Revises: p0003
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "p0007"
down_revision = "p0003"
branch_labels = None
depends_on = None

OLD = ["status", "due_at", "received_at", "agency_id", "counter_no"]


def upgrade() -> None:
    op.drop_index("ix_dossiers_open_due", table_name="dossiers")
    op.create_index("ix_dossiers_open_due", "dossiers", [*OLD, "id"])


def downgrade() -> None:
    op.drop_index("ix_dossiers_open_due", table_name="dossiers")
    op.create_index("ix_dossiers_open_due", "dossiers", OLD)
