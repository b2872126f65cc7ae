"""A portal's PostgreSQL database saved with pg_dump and restored with pg_restore into a new
database holds the same dossiers, at the same schema (docs/operations.md, "Backup")."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from portal_testkit import admin_ok, snapshot

import protocol
from portal.agencies import add_agency, add_counter, authenticate
from portal.db import Database, head_revision
from portal.push import push_entries

PG_URL = os.environ.get("PORTAL_TEST_PG_URL", "")


def _libpq(url: sa.URL) -> str:
    """The URL as pg_dump and pg_restore take it (no SQLAlchemy driver name)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _with_schema(url: sa.URL, schema: str) -> str:
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


@pytest.mark.skipif(not PG_URL, reason="PORTAL_TEST_PG_URL is not set: no PostgreSQL to dump")
def test_pg_dump_and_restore_keep_every_dossier(tmp_path: Path) -> None:
    base = sa.make_url(PG_URL)
    schema = f"portal_backup_{uuid.uuid4().hex[:10]}"
    restored_db = f"portal_restore_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        source = _with_schema(base, schema)
        db = Database(source)
        agency = "000.00.36.H62"
        now = protocol.now_vn()
        try:
            with db.write() as session:
                add_agency(session, agency, "UBND xã Hòa Bình", now)
                token = add_counter(session, agency, 1, now).token
            with db.write() as session:
                who = authenticate(session, token)
                assert who is not None
                entries = [protocol.dossier_entry(snapshot(agency, n)) for n in range(1, 6)]
                results = push_entries(session, who, entries, now)
            assert {r["outcome"] for r in results} == {"accepted"}
        finally:
            db.dispose()

        dump = tmp_path / "portal.dump"
        subprocess.run(
            ["pg_dump", "-Fc", "-n", schema, "-f", str(dump), _libpq(base)],
            check=True,
            timeout=120,
        )
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{restored_db}"'))
        target = base.set(database=restored_db)
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "-d", _libpq(target), str(dump)],
            check=True,
            timeout=120,
        )

        restored = Database(_with_schema(target, schema))
        try:
            assert restored.schema_revision() == head_revision()
        finally:
            restored.dispose()
        listed = [
            json.loads(admin_ok(url, "dossiers", "--agency", agency, "--json"))
            for url in (source, _with_schema(target, schema))
        ]
        assert len(listed[0]) == 5
        assert listed[1] == listed[0]
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{restored_db}"'))
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
