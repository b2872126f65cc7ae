"""No one in without a password, never an office without an admin, one number block for the
agency, and a clock that tests alone may pin."""

from __future__ import annotations

import re
import sqlite3
import sys
from datetime import datetime
from pathlib import Path

import pytest
from alembic import command

from counter.accounts import MAX_FAILURES, Actor
from counter.app import CounterApp
from counter.clock import parse_datetime
from counter.db import alembic_config, current_revision, head_revision
from counter.dossiers import DossierInput
from counter.errors import AuthenticationFailed, InvalidInput, NotAllowed, Refused
from sync.engine import run_once
from tests.conftest import AGENCY, PASSWORD, ROOT, Cli
from tests.counter.test_cli import BIRTH, db_fingerprint

if str(ROOT / "tests" / "portal") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests" / "portal"))

from portal_testkit import admin_ok, serve_in_thread

ADMIN = Actor("admin", "Nguyễn Văn Quản", "admin")


def sign_in_refusal(app: CounterApp, username: str, password: str) -> AuthenticationFailed:
    with pytest.raises(AuthenticationFailed) as refused:
        app.accounts.authenticate(username, password)
    return refused.value


def receive_as_clerk(cli: Cli, name: str, env: dict[str, str]) -> dict[str, str]:
    return cli.json(
        "receive", "--procedure", BIRTH, "--applicant-name", name, user="clerk", env=env
    )


def birth(name: str = "Lê Thị Hoa") -> DossierInput:
    return DossierInput(procedure_code=BIRTH, applicant_name=name, id_number="001190012345")


# -- item 9: number blocks are the agency's, not a counter's ------------------------------


def test_the_block_size_is_not_set_at_one_counter(cli: Cli):
    before = db_fingerprint(cli)
    line = cli.refused("config", "set", "codes.block_size", "500", user="admin")
    assert "cổng dịch vụ công" in line and "codes.block_size" in line
    assert db_fingerprint(cli) == before
    assert cli.json("config", "get", "codes.block_size")["value"] == 1000


def test_no_one_sets_the_block_size_in_process_either(app: CounterApp):
    for raw in ("500", "1000", "garbage"):
        with pytest.raises(NotAllowed) as refused:
            app.settings.set(ADMIN, "codes.block_size", raw)
        assert "portal" in refused.value.message_en
    assert app.office.block_size() == 1000


def test_the_block_size_comes_from_the_agencys_master_data(app: CounterApp, clerk: Actor):
    names = {"agency_name": "UBND xã Hòa Bình", "parent_name": "UBND tỉnh Lào Cai"}
    first = app.dossiers.receive(clerk, birth())
    assert first.code.endswith("-1001")
    app.sync_store.apply_office("v2", {**names, "block_size": 500})
    assert app.office.block_size() == 500
    assert app.settings.get("codes.block_size") == 500
    assert app.dossiers.receive(clerk, birth("Đặng Hữu Phước")).code.endswith("-0501")
    # a value this counter cannot number with is not applied, and nothing of it is
    for wrong in (7000, 0, "500", True):
        with pytest.raises(Refused):
            app.sync_store.apply_office("v3", {**names, "agency_name": "X", "block_size": wrong})
    assert app.office.block_size() == 500
    assert app.office.identity().agency_name == "UBND xã Hòa Bình"
    assert app.sync_store.master_version("office") == "v2"
    # master data that says nothing of it: the default
    app.sync_store.apply_office("v4", names)
    assert app.office.block_size() == 1000
    assert app.dossiers.receive(clerk, birth("Lò Văn Pành")).code.endswith("-1002")


def test_a_counter_numbers_with_the_block_size_its_agency_publishes(
    app: CounterApp, clerk: Actor, tmp_path: Path
):
    portal = serve_in_thread(f"sqlite:///{tmp_path / 'portal.db'}")
    try:
        admin_ok(portal.db_url, "add-agency", AGENCY, "UBND xã Hòa Bình", "--block-size", "500")
        token = admin_ok(
            portal.db_url, "add-counter", "--agency-code", AGENCY, "--counter-no", "1"
        ).strip()
        app.settings.set(ADMIN, "portal.url", portal.url)
        app.settings.set(ADMIN, "portal.token", token)
        run_once(app)
        assert app.office.block_size() == 500
        code = app.dossiers.receive(clerk, birth()).code
        assert code.endswith("-0501")  # counter 1 of 500: 0501 to 0999
        result = run_once(app)
        assert (result.pushed, result.failed, result.conflicts) == (1, 0, 0)
    finally:
        portal.stop()


def test_a_block_size_set_at_the_counter_before_is_forgotten_on_upgrade(tmp_path: Path):
    data = tmp_path / "data"
    data.mkdir()
    db = data / "counter.db"
    command.upgrade(alembic_config(db), "0006")
    conn = sqlite3.connect(db)
    with conn:
        conn.executemany(
            "INSERT INTO settings (key, value) VALUES (?, ?)",
            [
                ("office.agency_code", f'"{AGENCY}"'),
                ("office.agency_name", '"UBND xã A"'),
                ("office.counter_no", "2"),
                ("codes.block_size", "500"),
            ],
        )
    conn.close()
    app = CounterApp.open(data)
    try:
        assert current_revision(db) == head_revision()
        assert app.office.block_size() == 1000
    finally:
        app.close()


# -- item 10: never an office without an admin ---------------------------------------------


def test_the_first_account_must_be_an_admin(tmp_path: Path):
    cli = Cli(tmp_path / "data")
    cli.ok("init", "--agency-code", AGENCY, "--agency-name", "Xã Hòa Bình", "--counter-no", "1")
    line = cli.refused(
        "user",
        "add",
        "tiepnhan",
        "--full-name",
        "Trần Thị Tiếp",
        "--role",
        "clerk",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert "quản trị" in line
    conn = sqlite3.connect(cli.data_dir / "counter.db")
    try:
        assert conn.execute("SELECT count(*) FROM users").fetchone() == (0,)
    finally:
        conn.close()


def test_the_last_active_admin_is_never_demoted_or_disabled(app: CounterApp):
    accounts = app.accounts
    with pytest.raises(NotAllowed, match="quản trị"):
        accounts.set_role(ADMIN, "admin", "clerk")
    with pytest.raises(NotAllowed):
        accounts.set_active(ADMIN, "admin", False)
    accounts.add_user(ADMIN, "admin2", "Phạm Thị Hai", "admin", PASSWORD)
    second = Actor("admin2", "Phạm Thị Hai", "admin")
    accounts.set_active(second, "admin", False)
    # a disabled admin does not count: admin2 is the last one now
    with pytest.raises(NotAllowed, match="quản trị"):
        accounts.set_role(second, "admin2", "supervisor")
    with pytest.raises(NotAllowed):
        accounts.set_active(second, "admin2", False)
    accounts.set_active(second, "admin", True)
    accounts.set_role(second, "admin2", "supervisor")  # admin is there again
    assert {u.username: u.role for u in accounts.list_users()}["admin2"] == "supervisor"
    with pytest.raises(NotAllowed, match="quản trị"):
        accounts.set_role(ADMIN, "admin", "clerk")


def test_the_last_admin_cannot_demote_themself_from_the_command_line(cli: Cli):
    before = db_fingerprint(cli)
    assert "quản trị" in cli.refused("user", "set-role", "admin", "clerk", user="admin")
    assert db_fingerprint(cli) == before


# -- item 12: a pinned clock is for tests alone --------------------------------------------


def test_a_pinned_clock_needs_the_test_switch(cli: Cli):
    pinned = {"COUNTER_NOW": "2031-03-04T09:00:00+07:00"}
    production = receive_as_clerk(cli, "Lê Văn Một", {**pinned, "COUNTER_TEST_CLOCK": ""})
    assert not production["received_at"].startswith("2031")
    assert abs(parse_datetime(production["received_at"]) - datetime.now().astimezone()).days < 2
    testing = receive_as_clerk(cli, "Lê Văn Hai", {**pinned, "COUNTER_TEST_CLOCK": "1"})
    assert testing["received_at"] == "2031-03-04T09:00:00+07:00"


@pytest.mark.parametrize("switch", ["", "1"])
def test_a_pinned_clock_does_not_lift_a_lockout(app: CounterApp, monkeypatch, switch: str):
    """Not in production, and not even where the test switch is on: a lockout ends by the
    real clock."""
    monkeypatch.setenv("COUNTER_TEST_CLOCK", switch)
    for _ in range(MAX_FAILURES):
        sign_in_refusal(app, "clerk", "sai-mat-khau")
    monkeypatch.setenv("COUNTER_NOW", "2031-03-04T09:00:00+07:00")
    refusal = sign_in_refusal(app, "clerk", PASSWORD)
    until = app.accounts.get("clerk").locked_until
    assert until is not None and until.year != 2031
    # when it unlocks: the time and the date
    assert f"đến {until:%H:%M:%S} ngày {until:%d/%m/%Y}" in refusal.message_vi
    assert f"until {until:%H:%M:%S} on {until:%d/%m/%Y}" in refusal.message_en


# -- item 17 is in test_concurrency.py; item 21: passwords and what a refusal says ----------


@pytest.mark.parametrize(
    "password",
    [
        " " * 12,  # only spaces
        "   abc   ",  # eight with the spaces around three characters
        "aaaaaaaaaaaa",  # one character over and over
        "12345678",  # on every list of the most used
        "Matkhau123",
        "{user}",  # the username itself
    ],
)
def test_weak_passwords_are_refused(app: CounterApp, password: str):
    app.accounts.add_user(ADMIN, "tiepnhan01", "Đỗ Văn Ba", "clerk", PASSWORD)
    with pytest.raises(InvalidInput) as refused:
        app.accounts.add_user(
            ADMIN, "tiepnhan02", "Đỗ Văn Bốn", "clerk", password.format(user="tiepnhan02")
        )
    assert refused.value.field == "password"
    with pytest.raises(InvalidInput):
        app.accounts.reset_password(ADMIN, "tiepnhan01", password.format(user="TiepNhan01"))
    assert [u.username for u in app.accounts.list_users()] == ["admin", "clerk", "tiepnhan01"]
    assert app.accounts.authenticate("tiepnhan01", PASSWORD).username == "tiepnhan01"


def test_a_password_of_spaces_is_refused_on_the_command_line(cli: Cli):
    before = db_fingerprint(cli)
    line = cli.refused(
        "user",
        "add",
        "trang",
        "--full-name",
        "Trần Trang",
        "--role",
        "clerk",
        "--password-stdin",
        user="admin",
        stdin=" " * 16 + "\n",
    )
    assert "Mật khẩu" in line
    assert db_fingerprint(cli) == before


def test_a_pass_phrase_with_spaces_inside_is_fine(app: CounterApp):
    app.accounts.add_user(ADMIN, "trang", "Trần Trang", "clerk", "ngựa ô đi qua cầu")
    assert app.accounts.authenticate("trang", "ngựa ô đi qua cầu").role == "clerk"


def test_one_message_whether_the_password_is_wrong_the_name_unknown_or_the_account_disabled(
    app: CounterApp,
):
    app.accounts.add_user(ADMIN, "boss", "Lê Văn Trưởng", "supervisor", PASSWORD)
    app.accounts.set_active(ADMIN, "boss", False)
    refusals = [
        sign_in_refusal(app, "clerk", "sai-mat-khau"),
        sign_in_refusal(app, "khong-co-ai", "sai-mat-khau"),
        sign_in_refusal(app, "boss", "sai-mat-khau"),
    ]
    assert len({(r.message_vi, r.message_en) for r in refusals}) == 1
    assert "clerk" not in refusals[0].message_vi
    # the one who knows the password may learn that the account is disabled
    assert "vô hiệu" in sign_in_refusal(app, "boss", PASSWORD).message_vi


def test_a_name_no_account_has_locks_like_an_account(app: CounterApp):
    for name in ("clerk", "khong-co-ai"):
        for _ in range(MAX_FAILURES):
            sign_in_refusal(app, name, "sai-mat-khau")
    known = sign_in_refusal(app, "clerk", PASSWORD)  # locked: even the right password
    unknown = sign_in_refusal(app, "khong-co-ai", PASSWORD)
    for refusal in (known, unknown):
        assert "khóa" in refusal.message_vi and "locked" in refusal.message_en
    digits = re.compile(r"\d")
    assert digits.sub("#", known.message_vi) == digits.sub("#", unknown.message_vi)
    assert digits.sub("#", known.message_en) == digits.sub("#", unknown.message_en)
    # the lock is lifted by an admin for an account; a new account starts unlocked
    app.accounts.reset_password(ADMIN, "clerk", "mat-khau-moi-2026")
    assert app.accounts.authenticate("clerk", "mat-khau-moi-2026").username == "clerk"
    app.accounts.add_user(ADMIN, "khong-co-ai", "Vũ Thị Mới", "clerk", PASSWORD)
    assert app.accounts.authenticate("khong-co-ai", PASSWORD).username == "khong-co-ai"


def test_an_unknown_name_costs_the_same_password_check_as_a_known_one(app, monkeypatch):
    """Not timed: the same Argon2 work is done, one check against a hash of the same
    parameters, and nothing hashed on the way (a fresh program included)."""
    from argon2 import PasswordHasher

    from counter import accounts

    calls: list[tuple[str, str]] = []

    class Watched(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> bool:
            calls.append(("verify", str(hash).rsplit("$", 2)[0]))  # the parameters
            return super().verify(hash, password)

        def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
            calls.append(("hash", ""))
            return super().hash(password, salt=salt)

    monkeypatch.setattr(accounts, "_hasher", Watched())
    accounts._dummy_hash.cache_clear()  # as in a new program
    sign_in_refusal(app, "khong-co-ai", "sai-mat-khau")
    unknown, calls[:] = list(calls), []
    sign_in_refusal(app, "clerk", "sai-mat-khau")
    assert unknown == calls and [kind for kind, _ in calls] == ["verify"]
    accounts._dummy_hash.cache_clear()


def test_a_password_hashed_anew_at_sign_in_is_in_the_audit_trail(app: CounterApp, monkeypatch):
    """When the hasher's parameters grow, a sign-in stores the new hash (briefly, after the
    check) and says so in the trail, so the accounts still check out against it."""
    from argon2 import PasswordHasher

    from counter import accounts

    before = app.accounts.list_users()
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=4))
    accounts._dummy_hash.cache_clear()
    assert app.accounts.authenticate("clerk", PASSWORD).username == "clerk"
    accounts._dummy_hash.cache_clear()
    assert app.maintenance.check().ok, app.maintenance.check()
    assert app.accounts.list_users() == before
    conn = sqlite3.connect(app.db.path)
    try:
        stored = conn.execute("SELECT password_hash FROM users WHERE username = 'clerk'")
        assert ",t=4," in stored.fetchone()[0]
    finally:
        conn.close()
