"""the hand-overs of a dossier between agencies, pulled from the portal

One row per hand-over the portal's change feed reported (kind ``handover``): when, from which
agency to which (codes and names as the portal had them), who handed it over. The portal's
own id makes a hand-over pulled twice (a feed read again from 0) one row.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dossier_handovers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dossier_id", sa.Integer(), sa.ForeignKey("dossiers.id"), nullable=False),
        sa.Column("portal_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=25), nullable=False),
        sa.Column("from_code", sa.String(length=40), nullable=False),
        sa.Column("from_name", sa.Text(), nullable=False),
        sa.Column("to_code", sa.String(length=40), nullable=False),
        sa.Column("to_name", sa.Text(), nullable=False),
        sa.Column("by_name", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.UniqueConstraint("dossier_id", "portal_id", name="uq_dossier_handovers_portal"),
    )


def downgrade() -> None:
    op.drop_table("dossier_handovers")
