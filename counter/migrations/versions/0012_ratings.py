"""the citizen's rating of the service at hand-back

A returned dossier may carry the rating its citizen gave on the screen facing them: the
level, the reason (with ``unsatisfied`` alone), when, and where it came from (the citizen's
screen, or ``rate`` on the command line for a kiosk). A later rating replaces it; the audit
trail keeps every one. A partial index finds the ratings of a day for the daily summary
without touching the dossiers nobody rated.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("dossiers", sa.Column("rating_level", sa.String(16), nullable=True))
    op.add_column("dossiers", sa.Column("rating_reason", sa.Text(), nullable=True))
    op.add_column("dossiers", sa.Column("rated_at", sa.String(25), nullable=True))
    op.add_column("dossiers", sa.Column("rating_source", sa.String(8), nullable=True))
    op.execute(
        "CREATE INDEX ix_dossiers_rated_at ON dossiers (rated_at) WHERE rated_at IS NOT NULL"
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_dossiers_rated_at")
    with op.batch_alter_table("dossiers") as batch:
        for column in ("rating_source", "rated_at", "rating_reason", "rating_level"):
            batch.drop_column(column)
