"""Declare once: each dossier's applicant ID number in a column of its own, taken from the
snapshot for the dossiers already held, and an index that finds an agency's latest dossier of a
number in one seek.

Revision ID: p0006
Revises: p0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "p0006"
down_revision = "p0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    # a database adopted by p0001 from one made whole by a newer portal may have them already
    if "applicant_id_number" not in {c["name"] for c in inspector.get_columns("dossiers")}:
        op.add_column(
            "dossiers",
            sa.Column(
                "applicant_id_number",
                sa.String(length=20),
                server_default=sa.text("''"),
                nullable=False,
            ),
        )
    if bind.dialect.name == "postgresql":
        number = "snapshot -> 'applicant' ->> 'id_number'"
    else:
        number = "json_extract(snapshot, '$.applicant.id_number')"
    op.execute(
        f"UPDATE dossiers SET applicant_id_number = substr(coalesce({number}, ''), 1, 20) "
        f"WHERE applicant_id_number = '' AND coalesce({number}, '') != ''"
    )
    if "ix_dossiers_agency_applicant" not in {i["name"] for i in inspector.get_indexes("dossiers")}:
        op.create_index(
            "ix_dossiers_agency_applicant",
            "dossiers",
            ["agency_id", "applicant_id_number", "received_at"],
        )


def downgrade() -> None:
    op.drop_index("ix_dossiers_agency_applicant", table_name="dossiers")
    op.drop_column("dossiers", "applicant_id_number")
