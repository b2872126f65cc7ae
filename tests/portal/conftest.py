"""Fixtures for the portal's tests: real ``python -m portal serve`` processes on 127.0.0.1.

Every server runs on its own temporary database: a SQLite file, and also a PostgreSQL schema
when ``PORTAL_TEST_PG_URL`` is set (e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``;
each test session creates and drops its own schemas there).
"""

from __future__ import annotations

import itertools
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

# The checkout itself, first: the portal under test is this one.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from portal_testkit import (  # noqa: E402
    CounterClient,
    PortalServer,
    admin_ok,
    start_server,
    unique_agency_code,
)

PG_URL = os.environ.get("PORTAL_TEST_PG_URL", "")
BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]


# --------------------------------------------------------------------------------------------
# Databases
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def new_db_url(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str], str]]:
    """A factory of empty databases of the session's backend."""
    schemas: list[str] = []
    names = itertools.count()

    def make(name: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path_factory.mktemp('db') / (name + '.db')}"
        import sqlalchemy as sa

        schema = f"portal_test_{uuid.uuid4().hex[:10]}_{next(names)}"
        engine = sa.create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        schemas.append(schema)
        url = sa.make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    yield make
    if schemas:
        import sqlalchemy as sa

        engine = sa.create_engine(PG_URL)
        with engine.begin() as conn:
            for schema in schemas:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(scope="session")
def server_factory(
    new_db_url: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., PortalServer]]:
    servers: list[PortalServer] = []
    names = itertools.count()

    def make(*args: str, db_url: str | None = None) -> PortalServer:
        name = f"portal{next(names)}"
        url = db_url or new_db_url(name)
        server = start_server(url, tmp_path_factory.mktemp("logs") / f"{name}.log", *args)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def server(server_factory: Callable[..., PortalServer]) -> PortalServer:
    """The shared portal: no limit on lookups (the rate-limit test has its own server)."""
    return server_factory("--lookup-rate", "0")


@pytest.fixture
def new_counter(server: PortalServer) -> Iterator[Callable[..., CounterClient]]:
    """A factory of counters on the shared server, each (by default) in a new agency."""
    sessions: list[requests.Session] = []

    def make(agency_code: str | None = None, counter_no: int = 1) -> CounterClient:
        if agency_code is None:
            agency_code = unique_agency_code()
            admin_ok(server.db_url, "add-agency", agency_code, "UBND xã Tân An")
        token = admin_ok(
            server.db_url,
            "add-counter",
            "--agency-code",
            agency_code,
            "--counter-no",
            str(counter_no),
        ).strip()
        http = requests.Session()
        http.headers["Authorization"] = f"Bearer {token}"
        sessions.append(http)
        return CounterClient(server, agency_code, counter_no, token, http)

    yield make
    for http in sessions:
        http.close()


@pytest.fixture
def counter(new_counter: Callable[..., CounterClient]) -> CounterClient:
    return new_counter()
