"""Hand-overs of dossiers between agencies, and the processing systems that record them.

Revision ID: p0004
Revises: p0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "p0004"
down_revision = "p0002"
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("handovers"):
        return  # a database whose tables were all made at once, before migrations
    op.create_table(
        "handovers",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("dossier_id", _BIG_ID, nullable=False),
        sa.Column("change_id", _BIG_ID, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("from_code", sa.String(length=40), nullable=False),
        sa.Column("from_name", sa.String(length=300), nullable=False),
        sa.Column("to_code", sa.String(length=40), nullable=False),
        sa.Column("to_name", sa.String(length=300), nullable=False),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["change_id"], ["changes.id"]),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("change_id"),
    )
    op.create_index("ix_handovers_dossier", "handovers", ["dossier_id", "at"])
    op.create_table(
        "processing_systems",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_id", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        sa.UniqueConstraint("token_id"),
    )


def downgrade() -> None:
    op.drop_table("processing_systems")
    op.drop_index("ix_handovers_dossier", table_name="handovers")
    op.drop_table("handovers")
