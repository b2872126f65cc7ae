"""the digitised pages of a dossier's papers (and of its result)

One row per version of a document line's pages: the PDF itself lives in the data folder's
``files/`` under its SHA-256 (``counter.filestore``); a re-scan adds a version.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dossier_files",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dossier_id", sa.Integer(), sa.ForeignKey("dossiers.id"), nullable=False),
        sa.Column("doc", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("bytes", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("original_name", sa.Text(), nullable=False, server_default=""),
        sa.Column("by_user", sa.String(length=32), nullable=False),
        sa.Column("at", sa.String(length=25), nullable=False),
        sa.UniqueConstraint("dossier_id", "doc", "version", name="uq_dossier_files_version"),
    )
    op.create_index("ix_dossier_files_dossier", "dossier_files", ["dossier_id", "doc"])
    op.create_index("ix_dossier_files_sha256", "dossier_files", ["sha256"])


def downgrade() -> None:
    op.drop_table("dossier_files")
