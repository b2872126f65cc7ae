"""Fixtures for the sync tests: a real reference portal per test, on 127.0.0.1.

The counters come from tests/conftest.py (``app``, ``cli``, ``init_counter``); they all belong
to one agency and number their dossiers from the same day, so each test gets a portal of its
own (on its own SQLite file, served by a thread of the test process: the portal's own tests
run it as a process) with that agency registered.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for path in (ROOT / "tests" / "portal", HERE):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from faultproxy import FaultProxy  # noqa: E402
from portal_testkit import ThreadedPortal, admin_ok, serve_in_thread  # noqa: E402
from synckit import AGENCY, register_counter  # noqa: E402


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[ThreadedPortal]:
    """A fresh reference portal with the test counters' agency registered."""
    server = serve_in_thread(f"sqlite:///{tmp_path / 'portal.db'}", "--lookup-rate", "0")
    try:
        admin_ok(
            server.db_url,
            "add-agency",
            AGENCY,
            "UBND xã Hòa Bình",
            "--parent-name",
            "UBND tỉnh Lào Cai",
            "--place",
            "Hòa Bình",
        )
        yield server
    finally:
        server.stop()


@pytest.fixture
def token(portal: ThreadedPortal) -> str:
    """The API token of counter 1 of the agency."""
    return register_counter(portal, 1)


@pytest.fixture
def proxy(portal: ThreadedPortal) -> Iterator[FaultProxy]:
    """A fault-injecting proxy in front of the portal (passes everything until told)."""
    with FaultProxy(portal.url) as p:
        yield p


@pytest.fixture(scope="session")
def init_counter(request: pytest.FixtureRequest) -> Callable[..., Any]:
    """``init_counter`` of tests/conftest.py (conftest modules cannot be imported by name)."""
    shared = str(ROOT / "tests" / "conftest.py")
    for plugin in request.config.pluginmanager.get_plugins():
        if getattr(plugin, "__file__", None) == shared:
            return plugin.init_counter  # type: ignore[no-any-return]
    raise LookupError("tests/conftest.py is not loaded")
