"""The codebase's own rules, run as part of the tests: lint, types, layering, migrations."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_lint():
    proc = run(str(BIN / "ruff"), "check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_on_non_ui_packages():
    proc = run(sys.executable, "-m", "mypy")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_import_layers():
    """The house's layers and the forbidden imports of pyproject.toml's import-linter contracts."""
    proc = run(str(BIN / "lint-imports"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


def test_migrations_match_the_models(tmp_path):
    """The newest migration builds exactly the schema the models describe."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from counter.db import migrate
    from counter.models import Base

    db = tmp_path / "m.db"
    migrate(db, tmp_path / "backups")
    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()
    # The FTS5 search table and its shadow tables are made by raw SQL in the migration.
    diff = [
        d for d in diff if not (d[0] == "remove_table" and d[1].name.startswith("dossier_search"))
    ]
    assert diff == []


def test_no_dead_code():
    """vulture over the whole tree; hooks a framework calls by name are in the allow-list."""
    proc = run(
        str(BIN / "vulture"),
        *("protocol", "counter", "cli", "printing", "sync", "portal", "ui"),
        *("devtools", "bench", "tests"),
        "--min-confidence",
        "60",
        "--exclude",
        "*/migrations/*",
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
