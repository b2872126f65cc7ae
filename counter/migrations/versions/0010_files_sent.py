"""the sync sends digitised files: their held outbox entries become pending

Entries of kind ``file`` were written ``held`` while the sync could not send files. Their
keys and payloads are what it sends now; their dossiers wait for them again.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE outbox SET state = 'pending' WHERE state = 'held' AND kind = 'file'")
    op.execute(
        "UPDATE dossiers SET sync_state = 'pending' WHERE sync_state = 'synced' AND id IN "
        "(SELECT dossier_id FROM outbox WHERE state = 'pending')"
    )


def downgrade() -> None:
    op.execute("UPDATE outbox SET state = 'held' WHERE state = 'pending' AND kind = 'file'")
