"""Dossier codes: two counters of one agency, offline, on one day, never clash."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter.accounts import Actor
from counter.app import CounterApp
from counter.codes import LOOKUP_ALPHABET, block_range, format_code, parse_code
from counter.dossiers import DossierInput
from counter.errors import InvalidInput
from protocol.lookup import lookup_url
from tests.conftest import AGENCY, PASSWORD, SAMPLE_CATALOG, init_counter

ADMIN = Actor("admin", "Nguyễn Văn Quản", "admin")


def open_counter(path: Path, counter_no: int) -> CounterApp:
    app = CounterApp.open(path, create=True)
    app.office.init(AGENCY, "UBND xã Hòa Bình", counter_no)
    app.accounts.add_user(None, "admin", "Nguyễn Văn Quản", "admin", PASSWORD)
    app.catalog.import_file(ADMIN, SAMPLE_CATALOG)
    return app


def test_two_counters_of_one_agency_on_one_day(tmp_path: Path):
    one = open_counter(tmp_path / "c1", 1)
    two = open_counter(tmp_path / "c2", 2)
    codes: list[str] = []
    try:
        for i in range(60):
            for app in (one, two):
                view = app.dossiers.receive(
                    ADMIN,
                    DossierInput(
                        "1.001193",
                        f"Nguyễn Văn {'ABCDEFGHIK'[i % 10]}",
                        received_at="2026-11-25T09:00:00+07:00",
                    ),
                )
                codes.append(view.code)
    finally:
        one.close()
        two.close()
    assert len(codes) == len(set(codes)) == 120
    numbers = {parse_code(c) for c in codes}
    assert {n[1] for n in numbers if n} == {date(2026, 11, 25)}
    assert {n[2] // 1000 for n in numbers if n} == {1, 2}


def test_one_counter_from_several_threads_never_repeats(app: CounterApp, admin: Actor):
    codes: list[str] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(15):
                codes.append(
                    app.dossiers.receive(admin, DossierInput("1.001193", "Lê Thị Hoa")).code
                )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(codes) == len(set(codes)) == 60


def test_code_shape_and_blocks():
    assert format_code(AGENCY, date(2026, 11, 26), 1001) == "000.00.36.H62-261126-1001"
    assert parse_code("000.00.36.H62-261126-1001") == (AGENCY, date(2026, 11, 26), 1001)
    assert parse_code("000.00.36.H62-261332-1001") is None
    assert block_range(1) == (1001, 1999)
    assert block_range(9) == (9001, 9999)
    assert block_range(19, 500) == (9501, 9999)
    with pytest.raises(InvalidInput):
        block_range(10)


def test_lookup_key_and_url(app: CounterApp, admin: Actor):
    view = app.dossiers.receive(admin, DossierInput("1.001193", "Phạm Văn Đồng"))
    assert len(view.lookup_key) >= 6 and set(view.lookup_key) <= set(LOOKUP_ALPHABET)
    assert view.lookup_url == (f"http://127.0.0.1:8080/tra-cuu?ma={view.code}&k={view.lookup_key}")
    assert lookup_url("http://x/tra-cuu", "A B", "K") == "http://x/tra-cuu?ma=A+B&k=K"


@settings(deadline=None)
@given(st.text(max_size=20) | st.text("Az09._~-+ /%&ễ", max_size=20), st.text(max_size=12))
def test_a_lookup_url_quotes_its_code_and_key_as_quote_plus_does(code: str, key: str):
    url = f"http://x/tra-cuu?ma={quote_plus(code)}&k={quote_plus(key)}"
    assert lookup_url("http://x/tra-cuu", code, key) == url


def test_two_counters_never_share_a_tracking_book_entry(tmp_path, cli):
    """Each counter writes its own volume of the book, so (volume, number) never collides."""
    second = init_counter(tmp_path / "counter-2", counter_no=2)
    books = []
    for counter in (cli, second):
        code = counter.json(
            "receive",
            "--procedure",
            "1.001193",
            "--applicant-name",
            "Lò Văn Pầu",
            "--received-at",
            "2026-11-24T09:00",
            user="clerk",
        )["code"]
        book = counter.json("show", code)["book"]
        books.append((book["volume"], book["number"]))
    assert books == [("01/2026", 1), ("02/2026", 1)]
