"""The portal's schema is its Alembic migrations: a new database upgraded to the newest one
is exactly portal/models.py, and a database made before migrations is adopted whole."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from portal_testkit import admin_ok

from portal.db import Database, alembic_config, head_revision
from portal.models import Base


def _differences(db: Database) -> list[object]:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, Base.metadata))


def test_the_migrations_make_the_models_schema(new_db_url: Callable[[str], str]) -> None:
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1
    db = Database(new_db_url("fresh"))
    try:
        assert db.schema_revision() == head_revision()
        assert _differences(db) == []
    finally:
        db.dispose()


def test_a_database_from_before_migrations_is_adopted(new_db_url: Callable[[str], str]) -> None:
    url = new_db_url("old")
    admin_ok(url, "add-agency", "000.00.36.H62", "UBND xã Hòa Bình")
    token = admin_ok(url, "add-counter", "--agency-code", "000.00.36.H62", "--counter-no", "1")
    # As portals were before migrations: no alembic_version, columns added since missing,
    # an index and a table of the dashboard not made yet.
    db = Database(url)
    with db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE alembic_version"))
        conn.execute(sa.text("ALTER TABLE agencies DROP COLUMN block_size"))
        conn.execute(sa.text("ALTER TABLE dossiers DROP COLUMN channel"))
        conn.execute(sa.text("ALTER TABLE dossiers DROP COLUMN closed_at"))
        conn.execute(sa.text("DROP INDEX ix_dossiers_open_due"))
        conn.execute(sa.text("DROP TABLE dashboard_paper_counts"))
    assert db.schema_revision() is None
    assert _differences(db) != []
    db.dispose()

    db = Database(url)  # what every command and serve do first
    try:
        assert db.schema_revision() == head_revision()
        assert _differences(db) == []
        with db.read() as session:
            agencies = session.execute(sa.text("SELECT code, block_size FROM agencies")).all()
            counters = session.execute(sa.text("SELECT token_id FROM counters")).all()
        assert [tuple(a) for a in agencies] == [("000.00.36.H62", 1000)]
        assert [c.token_id for c in counters] == [token.strip().split(".")[0]]
    finally:
        db.dispose()
