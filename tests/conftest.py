"""Shared fixtures: real SQLite files in temporary data folders, the CLI as a subprocess."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pytest_addoption(parser: pytest.Parser) -> None:
    """Where Qt is not installed (the run that proves the rest needs none), pytest-qt is not
    either: declare its two settings in pyproject.toml so they are not unknown options."""
    if importlib.util.find_spec("pytestqt") is None:
        parser.addini("qt_api", "pytest-qt's binding (unused without Qt)")
        parser.addini("qt_log_level_fail", "pytest-qt's log level (unused without Qt)")


ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CATALOG = ROOT / "counter" / "data" / "catalog_sample.json"
PASSWORD = "mat-khau-2026"
AGENCY = "000.00.36.H62"


class Cli:
    """Runs ``python -m counter`` in a data folder, as an operator would."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir

    def run(
        self,
        *args: str,
        user: str | None = None,
        stdin: str | None = None,
        password: str = PASSWORD,
        env: dict[str, str] | None = None,
        check: bool | None = None,
    ) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "counter", "--data-dir", str(self.data_dir), *args]
        if user:
            cmd += ["--user", user]
        full_env = {
            **os.environ,
            "COUNTER_PASSWORD": password,
            "COUNTER_LANG": "vi",
            "COUNTER_TEST_CLOCK": "1",  # lets a test pin the clock with COUNTER_NOW
            **(env or {}),
        }
        full_env.pop("COUNTER_DATA_DIR", None)
        proc = subprocess.run(
            cmd, input=stdin, capture_output=True, text=True, env=full_env, timeout=120, cwd=ROOT
        )
        if check is True and proc.returncode != 0:
            raise AssertionError(f"{args} failed ({proc.returncode}): {proc.stderr}")
        return proc

    def ok(self, *args: str, **kw: Any) -> subprocess.CompletedProcess[str]:
        return self.run(*args, check=True, **kw)

    def json(self, *args: str, **kw: Any) -> Any:
        proc = self.run("--json", *args, check=True, **kw)
        return json.loads(proc.stdout)

    def refused(self, *args: str, **kw: Any) -> str:
        proc = self.run(*args, **kw)
        assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
        return lines[0]


def init_counter(data_dir: Path, counter_no: int = 1, agency: str = AGENCY) -> Cli:
    cli = Cli(data_dir)
    cli.ok(
        "init",
        "--agency-code",
        agency,
        "--agency-name",
        "UBND xã Hòa Bình",
        "--counter-no",
        str(counter_no),
        "--parent-name",
        "UBND TỈNH LÀO CAI",
        "--lookup-base-url",
        "http://127.0.0.1:8080/tra-cuu",
        "--place",
        "Hòa Bình",
    )
    cli.ok(
        "user",
        "add",
        "admin",
        "--full-name",
        "Nguyễn Văn Quản",
        "--role",
        "admin",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    cli.ok(
        "user",
        "add",
        "clerk",
        "--full-name",
        "Trần Thị Tiếp",
        "--role",
        "clerk",
        "--password-stdin",
        user="admin",
        stdin=PASSWORD + "\n",
    )
    cli.ok(
        "user",
        "add",
        "boss",
        "--full-name",
        "Lê Văn Trưởng",
        "--role",
        "supervisor",
        "--password-stdin",
        user="admin",
        stdin=PASSWORD + "\n",
    )
    cli.ok("catalog", "import", str(SAMPLE_CATALOG), user="admin")
    return cli


@pytest.fixture(scope="session")
def counter_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One counter set up through the CLI once per session; tests get a copy of its folder."""
    return init_counter(tmp_path_factory.mktemp("template") / "data").data_dir


@pytest.fixture
def cli(tmp_path: Path, counter_template: Path) -> Cli:
    """An initialised counter with admin, clerk and supervisor accounts and the sample catalogue."""
    target = tmp_path / "data"
    shutil.copytree(counter_template, target)
    return Cli(target)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Any]:
    """The services on a fresh, initialised counter (in process)."""
    from counter.accounts import Actor
    from counter.app import CounterApp

    counter = CounterApp.open(tmp_path / "app-data", create=True)
    counter.office.init(
        AGENCY,
        "UBND xã Hòa Bình",
        1,
        "UBND TỈNH LÀO CAI",
        "commune",
        "http://127.0.0.1:8080/tra-cuu",
    )
    counter.accounts.add_user(None, "admin", "Nguyễn Văn Quản", "admin", PASSWORD)
    admin = Actor("admin", "Nguyễn Văn Quản", "admin")
    counter.accounts.add_user(admin, "clerk", "Trần Thị Tiếp", "clerk", PASSWORD)
    counter.catalog.import_file(admin, SAMPLE_CATALOG)
    yield counter
    counter.close()


@pytest.fixture
def admin() -> Any:
    from counter.accounts import Actor

    return Actor("admin", "Nguyễn Văn Quản", "admin")


@pytest.fixture
def clerk() -> Any:
    from counter.accounts import Actor

    return Actor("clerk", "Trần Thị Tiếp", "clerk")
