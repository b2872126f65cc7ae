"""Citizens' ratings at hand-back, and the dashboard's counts of them.

Revision ID: p0003
Revises: p0004
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "p0003"
down_revision = "p0004"
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    # a database adopted by p0001 from one made whole by a newer portal may have them already
    present = set(sa.inspect(op.get_bind()).get_table_names())
    if "ratings" not in present:
        _ratings()
    if "dashboard_rating_counts" not in present:
        _counts()


def _ratings() -> None:
    op.create_table(
        "ratings",
        sa.Column("dossier_id", _BIG_ID, nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"]),
        sa.PrimaryKeyConstraint("dossier_id"),
    )


def _counts() -> None:
    op.create_table(
        "dashboard_rating_counts",
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("counter_no", sa.Integer(), nullable=False),
        sa.Column("rated", sa.BigInteger(), nullable=False),
        sa.Column("satisfied", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"]),
        sa.PrimaryKeyConstraint("agency_id", "month", "counter_no"),
    )


def downgrade() -> None:
    op.drop_table("dashboard_rating_counts")
    op.drop_table("ratings")
