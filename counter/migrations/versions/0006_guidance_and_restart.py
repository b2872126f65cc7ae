"""guidance given for incomplete dossiers (Mẫu 02 at the counter); the clock restarted when
supplemented papers are received

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "guidances",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("guidance_id", sa.String(length=20), nullable=False, unique=True),
        sa.Column("counter_no", sa.Integer(), nullable=False),
        sa.Column("guided_day", sa.Date(), nullable=False),
        sa.Column("seq_no", sa.Integer(), nullable=False),
        sa.Column("guided_at", sa.String(length=25), nullable=False),
        sa.Column("guided_by", sa.String(length=32), nullable=False),
        sa.Column("procedure_code", sa.String(length=40), nullable=False),
        sa.Column("procedure_name", sa.Text(), nullable=False),
        sa.Column("applicant_type", sa.String(length=16), nullable=False),
        sa.Column("applicant_name", sa.String(length=200), nullable=False),
        sa.Column("id_number", sa.String(length=20), nullable=False, server_default=""),
        sa.Column("phone", sa.String(length=20), nullable=False, server_default=""),
        sa.Column("intake", sa.JSON(), nullable=False),
        sa.Column("received", sa.JSON(), nullable=False),
        sa.Column("missing", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.Column("dossier_code", sa.String(length=40), nullable=True),
        sa.Column("completed_at", sa.String(length=25), nullable=True),
        sa.Column("is_demo", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_guidances_day_seq", "guidances", ["guided_day", "seq_no"])
    op.create_index("ix_guidances_guided_at", "guidances", ["guided_at"])
    op.create_index("ix_guidances_id_number", "guidances", ["id_number"])
    op.add_column("dossiers", sa.Column("restarted_at", sa.String(length=25), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dossiers") as batch_op:
        batch_op.drop_column("restarted_at")
    op.drop_table("guidances")
