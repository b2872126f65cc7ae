"""Fixtures for the desktop application's tests: a real counter in a temporary data folder,
the interface's context around it with a fake printer, and a large seeded folder built once."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.ui.uikit import Bugs, FakePrinter, make_context

# The offscreen platform says so for window-manager requests (size hints, raise, keyboard
# grab of a popup) that only a real display honours; it is no problem of ours.
OFFSCREEN_NOISE = r"This plugin does not support (propagateSizeHints|raise|grabbing)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(scope="session", autouse=True)
def ui_fonts(qapp: Any) -> None:
    """The interface's font and language, as ``counter`` sets them at start-up."""
    from ui import fonts, i18n

    fonts.load(qapp)
    i18n.install("vi")


@pytest.fixture(scope="module", autouse=True)
def collect_on_the_gui_thread(qapp: Any) -> Iterator[None]:
    """As the application does: no cyclic garbage collection on worker threads."""
    from ui.compat import MainThreadGarbageCollector

    collector = MainThreadGarbageCollector()
    collector.start()
    yield
    collector.stop()


@pytest.fixture(autouse=True)
def vietnamese() -> Iterator[None]:
    from ui import i18n

    yield
    if i18n.lang() != "vi":
        i18n.install("vi")


@pytest.fixture
def printer() -> FakePrinter:
    return FakePrinter()


@pytest.fixture
def counter_app(cli: Cli) -> Iterator[Any]:
    """The services on a copy of the session's counter (admin, clerk, boss, catalogue)."""
    from counter.app import CounterApp

    app = CounterApp.open(cli.data_dir)
    yield app
    app.close()


@pytest.fixture
def bugs() -> Bugs:
    return Bugs()


@pytest.fixture
def ctx(qapp: Any, counter_app: Any, printer: FakePrinter, bugs: Bugs) -> Iterator[Any]:
    """The interface's context on the test counter; a bug reported anywhere fails the test."""
    context = make_context(counter_app, printer, bugs)
    yield context
    context.close()
    assert not bugs, f"unexpected errors reported: {bugs}"


@pytest.fixture
def as_clerk(ctx: Any, clerk: Any) -> Any:
    ctx.actor = clerk
    return ctx


@pytest.fixture
def as_admin(ctx: Any, admin: Any) -> Any:
    ctx.actor = admin
    return ctx


@pytest.fixture
def boss() -> Any:
    from counter.accounts import Actor

    return Actor("boss", "Lê Văn Trưởng", "supervisor")


@pytest.fixture(scope="session")
def seeded_dir(counter_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A counter with 100,000 demo dossiers, built once per session with the command line."""
    target = tmp_path_factory.mktemp("seeded") / "data"
    shutil.copytree(counter_template, target)
    seed = ("seed-demo", "--count", "100000", "--days", "60", "--seed", "7")
    Cli(target).ok(*seed, user="admin", timeout=900)  # ~30 s here; far more on a busy machine
    return target


@pytest.fixture
def seeded(seeded_dir: Path, qapp: Any, bugs: Bugs) -> Iterator[Any]:
    """A context on the seeded counter (shared: tests here only read it)."""
    from counter.accounts import Actor
    from counter.app import CounterApp

    app = CounterApp.open(seeded_dir)
    context = make_context(app, FakePrinter(), bugs)
    context.actor = Actor("admin", "Nguyễn Văn Quản", "admin")
    yield context
    context.close()
    app.close()
    assert not bugs, f"unexpected errors reported: {bugs}"
