"""The portal's schema is its Alembic migrations: a new database upgraded to the newest one
is exactly portal/models.py, and a database made before migrations is adopted whole."""

from __future__ import annotations

import json
from collections.abc import Callable

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from portal_testkit import admin_ok, database_before_migrations

from portal.db import Database, alembic_config, head_revision, normalize_url
from portal.schema import metadata


def _differences(db: Database) -> list[object]:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, metadata))


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
    # As portals were before migrations: no alembic_version, the columns added since by hand
    # missing, an index and a table of the dashboard not made yet; an agency and its counter.
    database_before_migrations(url)
    engine = sa.create_engine(normalize_url(url))
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE agencies DROP COLUMN block_size"))
        conn.execute(sa.text("ALTER TABLE dossiers DROP COLUMN channel"))
        conn.execute(sa.text("ALTER TABLE dossiers DROP COLUMN closed_at"))
        conn.execute(sa.text("DROP INDEX ix_dossiers_open_due"))
        conn.execute(sa.text("DROP TABLE dashboard_paper_counts"))
        conn.execute(
            sa.text(
                "INSERT INTO agencies (id, code, name, parent_name, level, address, phone, place, "
                "created_at, updated_at) VALUES (7, '000.00.36.H62', 'UBND xã Hòa Bình', '', "
                "'commune', '', '', '', '2025-01-02 03:04:05', '2025-01-02 03:04:05')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO counters (agency_id, counter_no, token_id, token_hash, active, "
                "created_at, token_issued_at) VALUES (7, 1, 'abcdef0123456789', :hash, true, "
                "'2025-01-02 03:04:05', '2025-01-02 03:04:05')"
            ),
            {"hash": "0" * 64},
        )
    engine.dispose()

    db = Database(url)  # what every command and serve do first
    try:
        assert db.schema_revision() == head_revision()
        assert _differences(db) == []
    finally:
        db.dispose()
    agencies = json.loads(admin_ok(url, "agencies", "--json"))
    assert [(a["code"], a["name"], a["block_size"]) for a in agencies] == [
        ("000.00.36.H62", "UBND xã Hòa Bình", 1000)
    ]
    counters = json.loads(admin_ok(url, "counters", "--json"))
    assert [(c["agency_code"], c["counter_no"]) for c in counters] == [("000.00.36.H62", 1)]
