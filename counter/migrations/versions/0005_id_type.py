"""the identity document an applicant's number comes from (căn cước, CMND, passport, other)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN, then the type read from each stored number's shape, as intake does.
    op.add_column(
        "dossiers",
        sa.Column("id_type", sa.String(length=10), nullable=False, server_default=""),
    )
    op.execute(
        "UPDATE dossiers SET id_type = CASE "
        "WHEN applicant_type = 'organization' OR id_number = '' THEN '' "
        "WHEN id_number NOT GLOB '*[^0-9]*' AND length(id_number) = 12 THEN 'cccd' "
        "WHEN id_number NOT GLOB '*[^0-9]*' AND length(id_number) = 9 THEN 'cmnd' "
        "ELSE 'passport' END"
    )


def downgrade() -> None:
    with op.batch_alter_table("dossiers") as batch_op:
        batch_op.drop_column("id_type")
