"""The lookup page's rate limit in the database: one token bucket per client address, the
same for every worker process and kept across a restart.

Revision ID: p0002
Revises: p0006
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "p0002"
down_revision = "p0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lookup_buckets",
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("allowed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("client"),
    )
    op.create_index("ix_lookup_buckets_at", "lookup_buckets", ["at"])


def downgrade() -> None:
    op.drop_table("lookup_buckets")
