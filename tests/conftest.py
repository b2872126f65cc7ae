"""Shared fixtures: real SQLite files in temporary data folders, the command line run in
process or, for its contract, as a subprocess."""

from __future__ import annotations

import contextlib
import faulthandler
import importlib.util
import io
import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# offscreen, on one 1920×1080 screen (the largest a counter has; Qt's default is 800×800)
SCREEN = Path(__file__).parent / "ui" / "screen-1920x1080.json"
os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={SCREEN}")


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
#: How long one command may take, as a program or in process.
TIMEOUT_S = 120


class Cli:
    """Runs ``counter-admin`` in a data folder, with what a real run has: the environment
    (``COUNTER_PASSWORD``, ``COUNTER_LANG``...), stdin (never a terminal), the working folder,
    stdout and stderr apart, and the exit status (0, 1, 2).

    In process by default: ``cli.main.main`` is called, with the environment, stdin and the
    output streams swapped for the call, and the log it sets up in the data folder closed
    after it. With ``real=True`` (``Cli.as_operator``) it runs ``python -m counter`` as a
    subprocess, exactly as an operator does: every line of the command line's contract is run
    that way by at least one test (tests/cli/test_contract_cli.py), and so are the tests of
    what only a real program shows (being killed, many at once, what it prints as it ends).
    """

    def __init__(self, data_dir: Path, *, real: bool = False):
        self.data_dir = data_dir
        self.real = real

    def as_operator(self) -> Cli:
        """The same data folder, run as a subprocess."""
        return Cli(self.data_dir, real=True)

    def run(
        self,
        *args: str,
        user: str | None = None,
        stdin: str | None = None,
        password: str = PASSWORD,
        env: dict[str, str] | None = None,
        check: bool | None = None,
        timeout: float = TIMEOUT_S,
    ) -> subprocess.CompletedProcess[str]:
        """``timeout``: how long before the command counts as hung (never a speed check; a
        big seed on a busy machine is given more)."""
        argv = ["--data-dir", str(self.data_dir), *args]
        if user:
            argv += ["--user", user]
        full_env = {
            **os.environ,
            "COUNTER_PASSWORD": password,
            "COUNTER_LANG": "vi",
            "COUNTER_TEST_CLOCK": "1",  # lets a test pin the clock with COUNTER_NOW
            **(env or {}),
        }
        full_env.pop("COUNTER_DATA_DIR", None)
        if self.real:
            proc = subprocess.run(
                [sys.executable, "-m", "counter", *argv],
                input=stdin,
                capture_output=True,
                text=True,
                env=full_env,
                timeout=timeout,
                cwd=ROOT,
            )
        else:
            proc = run_in_process(argv, stdin, full_env, timeout)
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


def run_in_process(
    argv: list[str], stdin: str | None, env: dict[str, str], timeout: float = TIMEOUT_S
) -> subprocess.CompletedProcess[str]:
    """``counter-admin ARGV`` by its ``main``, in this process, with ``env`` as the
    environment, ``stdin`` as its input, in the checkout's folder; what it printed and the
    status it would have exited with."""
    from cli.main import main

    out, err = io.StringIO(), io.StringIO()
    root = logging.getLogger()
    # only the variables that differ are touched, and put back after
    saved_env = {
        k: os.environ.get(k) for k in {*env, *os.environ} if env.get(k) != os.environ.get(k)
    }
    saved_handlers, saved_level = root.handlers[:], root.level
    saved_cwd = os.getcwd()
    _set_environ({k: env.get(k) for k in saved_env})
    os.chdir(ROOT)
    try:
        with (
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            _stdin(stdin or ""),
        ):
            # what the subprocess's timeout is to a real run: a command that hangs ends this
            # test process (the test fails, its worker is replaced) with every thread's trace
            faulthandler.dump_traceback_later(timeout, exit=True, file=sys.__stderr__)
            try:
                status = main(argv)
            except SystemExit as exc:  # usage errors (2), --version (0)
                if isinstance(exc.code, str):
                    err.write(exc.code + "\n")
                status = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    finally:
        faulthandler.cancel_dump_traceback_later()
        os.chdir(saved_cwd)
        for handler in root.handlers:  # the data folder's log, set up by the command,
            if handler not in saved_handlers:  # closed as at a program's end
                with contextlib.suppress(OSError, ValueError):
                    handler.flush()
                    handler.close()
        root.handlers = saved_handlers
        root.setLevel(saved_level)
        _set_environ(saved_env)
    return subprocess.CompletedProcess(
        ["counter-admin", *argv], status, out.getvalue(), err.getvalue()
    )


def _set_environ(values: dict[str, str | None]) -> None:
    for key, value in values.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@contextlib.contextmanager
def _stdin(text: str) -> Iterator[None]:
    saved = sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        yield
    finally:
        sys.stdin = saved


def init_counter(
    data_dir: Path, counter_no: int = 1, agency: str = AGENCY, *, real: bool = False
) -> Cli:
    """A counter set up through the command line: ``init``, an admin, a clerk and a supervisor
    (``user add``), the sample catalogue (``catalog import``)."""
    cli = Cli(data_dir, real=real)
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


#: Every password check made in a test process, by (hash, password): the answer, or the error.
_checked: dict[tuple[str, str], bool | tuple[type[Exception], tuple[Any, ...]]] = {}


@pytest.fixture(autouse=True)
def password_checks_remembered(request: pytest.FixtureRequest, monkeypatch: Any) -> None:
    """The counters of the tests are copies of a few set up once, so the same password is
    checked against the same Argon2 hash hundreds of times a session, each check a third of
    a second of work by design. Outside the desktop's tests, the hasher keeps its answers:
    the first check of a hash and a password is a real one, and a later identical one gets
    its answer (a check depends on nothing else). Hashing is not touched, and a test that
    watches the hasher puts in its own."""
    if "ui" in request.path.relative_to(ROOT).parts[1:2]:
        return
    from argon2 import PasswordHasher

    from counter import accounts

    class RememberingHasher(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> bool:
            key = (_text(hash), _text(password))
            if key not in _checked:
                try:
                    _checked[key] = super().verify(hash, password)
                except Exception as exc:
                    _checked[key] = (type(exc), exc.args)
            answer = _checked[key]
            if isinstance(answer, tuple):
                raise answer[0](*answer[1])
            return answer

    real = accounts._hasher
    monkeypatch.setattr(
        accounts,
        "_hasher",
        RememberingHasher(
            time_cost=real.time_cost,
            memory_cost=real.memory_cost,
            parallelism=real.parallelism,
            hash_len=real.hash_len,
            salt_len=real.salt_len,
            encoding=real.encoding,
            type=real.type,
        ),
    )


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


@pytest.fixture(scope="session")
def counter_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One counter set up through the CLI once per session; tests get a copy of its folder."""
    return init_counter(tmp_path_factory.mktemp("template") / "data").data_dir


@pytest.fixture
def cli(tmp_path: Path, counter_template: Path) -> Cli:
    """An initialised counter with admin, clerk and supervisor accounts and the sample
    catalogue; the command line run in process."""
    target = tmp_path / "data"
    shutil.copytree(counter_template, target)
    return Cli(target)


@pytest.fixture
def real_cli(cli: Cli) -> Cli:
    """The ``cli`` fixture's counter, the command line run as a subprocess (``python -m
    counter``), exactly as an operator runs it."""
    return cli.as_operator()


@pytest.fixture(scope="session")
def app_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``app`` fixture's counter, set up in process once per session (creating it and
    hashing its passwords is the slow part); each test opens a copy of its folder."""
    from counter.accounts import Actor
    from counter.app import CounterApp

    data_dir = tmp_path_factory.mktemp("app-template") / "app-data"
    counter = CounterApp.open(data_dir, create=True)
    try:
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
    finally:
        counter.close()
    return data_dir


@pytest.fixture
def app(tmp_path: Path, app_template: Path) -> Iterator[Any]:
    """The services on an initialised counter of its own (in process): an admin, a clerk and
    the sample catalogue."""
    from counter.app import CounterApp

    target = tmp_path / "app-data"
    shutil.copytree(app_template, target)
    counter = CounterApp.open(target)
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
