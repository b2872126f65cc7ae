"""anchors of the audit chain: its head as printed on a daily summary or sent to the portal

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_anchors",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.String(length=25), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("witness", sa.String(length=20), nullable=False),
    )
    # Like the audit log itself: rows are added, never changed or removed.
    op.execute(
        "CREATE TRIGGER audit_anchors_no_update BEFORE UPDATE ON audit_anchors "
        "BEGIN SELECT RAISE(ABORT, 'audit anchors are append-only'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_anchors_no_delete BEFORE DELETE ON audit_anchors "
        "BEGIN SELECT RAISE(ABORT, 'audit anchors are append-only'); END"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_anchors_no_delete")
    op.execute("DROP TRIGGER IF EXISTS audit_anchors_no_update")
    op.drop_table("audit_anchors")
