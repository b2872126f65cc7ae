"""sign-in failures under names no account has; the number block is the agency's

Wrong sign-ins under an unknown name are counted and locked like an account's, so a refusal
never tells whether an account exists. The block size of dossier numbers is published by
the agency (the portal's master data), never set at one counter: a value a counter set for
itself is dropped, and the counter numbers with the agency's (1000 until it says otherwise).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signin_failures",
        sa.Column("username", sa.String(length=32), primary_key=True),
        sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_until", sa.String(length=25), nullable=True),
        sa.Column("updated_at", sa.String(length=25), nullable=False),
    )
    # Until now only `config set` wrote it; from now on only the agency's master data does.
    op.execute("DELETE FROM settings WHERE key = 'codes.block_size'")


def downgrade() -> None:
    op.drop_table("signin_failures")
