"""Helpers for the sync tests: counters, engines with a fake clock, and what the portal holds."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from portal_testkit import PortalServer, ThreadedPortal, admin_ok

import protocol
from counter.accounts import Actor
from counter.app import CounterApp
from counter.clock import now
from counter.dossiers import DossierInput
from sync.backoff import RetryPolicy
from sync.engine import SyncEngine

#: A reference portal: a process of its own, or a thread of the test process.
Portal = PortalServer | ThreadedPortal
AGENCY = "000.00.36.H62"  # the agency of tests/conftest.py's counters
PASSWORD = "mat-khau-2026"
ROOT = Path(__file__).resolve().parents[2]
SAMPLE_CATALOG = ROOT / "counter" / "data" / "catalog_sample.json"
ADMIN = Actor("admin", "Nguyễn Văn Quản", "admin")
CLERK = Actor("clerk", "Trần Thị Tiếp", "clerk")
BOSS = Actor("boss", "Lê Văn Trưởng", "supervisor")

NAMES = [
    "Nguyễn Thị Ánh Tuyết",
    "Trần Văn Bình",
    "Lê Thị Hồng Nhung",
    "Phạm Đức Anh",
    "Hoàng Thị Thu Hà",
    "Đặng Văn Đông",
    "Vũ Minh Châu",
    "Bùi Thị Lan",
]


@dataclass
class FakeClock:
    """The engine's clock, moved by hand: back-off is tested without waiting."""

    moment: datetime = field(default_factory=now)

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


#: Counters set up once per test process, by counter number and agency; tests open copies.
_TEMPLATES = tempfile.TemporaryDirectory(prefix="synckit-counters-")
_templates: dict[tuple[int, str], Path] = {}


def open_counter(data_dir: Path, counter_no: int = 1, agency: str = AGENCY) -> CounterApp:
    """An initialised counter in process, like the ``app`` fixture, with any counter number
    (and a supervisor): a copy of one set up the first time it is asked for."""
    template = _templates.get((counter_no, agency))
    if template is None:
        template = Path(_TEMPLATES.name) / f"{agency}-{counter_no}"
        app = CounterApp.open(template, create=True)
        try:
            app.office.init(
                agency,
                "UBND xã Hòa Bình",
                counter_no,
                "UBND TỈNH LÀO CAI",
                "commune",
                "http://127.0.0.1:8080/tra-cuu",
            )
            app.accounts.add_user(None, "admin", ADMIN.full_name, "admin", PASSWORD)
            app.accounts.add_user(ADMIN, "clerk", CLERK.full_name, "clerk", PASSWORD)
            app.accounts.add_user(ADMIN, "boss", BOSS.full_name, "supervisor", PASSWORD)
            app.catalog.import_file(ADMIN, SAMPLE_CATALOG)
        finally:
            app.close()
        _templates[(counter_no, agency)] = template
    shutil.copytree(template, data_dir)
    return CounterApp.open(data_dir)


def pdf_of(size: int, seed: int = 0) -> bytes:
    """A real one-page PDF of about ``size`` bytes (random, so incompressible, content)."""
    import io

    import pikepdf

    noise = random.Random(seed).randbytes(max(0, size - 600))
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.Root["/Noise"] = pdf.make_stream(noise)
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    return out.getvalue()


def register_counter(server: Portal, counter_no: int = 1, agency: str = AGENCY) -> str:
    """The counter's token on the portal."""
    return admin_ok(
        server.db_url, "add-counter", "--agency-code", agency, "--counter-no", str(counter_no)
    ).strip()


def connect(app: CounterApp, url: str, token: str, **settings: str) -> None:
    app.settings.set(ADMIN, "portal.url", url)
    app.settings.set(ADMIN, "portal.token", token)
    for key, value in settings.items():
        app.settings.set(ADMIN, key.replace("__", "."), value)


def make_engine(app: CounterApp, **kwargs: Any) -> tuple[SyncEngine, list[float]]:
    """An engine whose waits are recorded instead of slept."""
    sleeps: list[float] = []
    kwargs.setdefault("sleep", sleeps.append)
    kwargs.setdefault("rng", random.Random(2026))
    kwargs.setdefault("policy", RetryPolicy())
    return SyncEngine.for_app(app, **kwargs), sleeps


def receive(app: CounterApp, n: int, start: int = 0, actor: Actor = CLERK) -> list[str]:
    """``n`` real (not demo) dossiers; their codes."""
    items = [
        DossierInput(
            "1.001193",
            NAMES[(start + i) % len(NAMES)],
            id_number=f"0011900{(start + i) % 100000:05d}",
            phone=f"09123{(start + i) % 100000:05d}",
            address="Thôn Đông, xã Hòa Bình",
        )
        for i in range(n)
    ]
    return [view.code for view in app.dossiers.receive_many(actor, items)]


# -- the counter's database, read directly (tests only) --------------------------------------


def outbox_rows(app: CounterApp) -> list[dict[str, Any]]:
    conn = sqlite3.connect(app.db.path)
    try:
        conn.row_factory = sqlite3.Row
        rows = conn.execute(
            "SELECT o.id, o.kind, o.idempotency_key AS key, o.payload, o.state, o.attempts, "
            "o.next_attempt_at, o.last_error, d.code FROM outbox o "
            "JOIN dossiers d ON d.id = o.dossier_id ORDER BY o.id"
        ).fetchall()
        return [dict(r) | {"payload": json.loads(r["payload"])} for r in rows]
    finally:
        conn.close()


def edit_outbox(app: CounterApp, entry_id: int, **values: Any) -> None:
    """Change an outbox row behind the application's back (what a correct client never does)."""
    if "payload" in values:
        values["payload"] = json.dumps(values["payload"], ensure_ascii=False, sort_keys=True)
    conn = sqlite3.connect(app.db.path)
    try:
        with conn:
            sets = ", ".join(f"{k} = ?" for k in values)
            conn.execute(f"UPDATE outbox SET {sets} WHERE id = ?", [*values.values(), entry_id])
    finally:
        conn.close()


def table_snapshot(db_path: Path, *tables: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of some tables of a counter's database, to show that nothing changed."""
    conn = sqlite3.connect(db_path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}
    finally:
        conn.close()


# -- the portal ------------------------------------------------------------------------------


def portal_dossiers(server: Portal, agency: str = AGENCY) -> list[dict[str, Any]]:
    return json.loads(admin_ok(server.db_url, "dossiers", "--agency", agency, "--json"))


def portal_detail(server: Portal, code: str) -> dict[str, Any]:
    return json.loads(admin_ok(server.db_url, "show", code, "--json"))


def portal_set_status(server: Portal, code: str, status: str, **options: str) -> None:
    args = [item for key, value in options.items() for item in (f"--{key}", value)]
    admin_ok(server.db_url, "set-status", code, status, *args)


def assert_in_sync(
    app: CounterApp, server: Portal, codes: Sequence[str], others: Sequence[str] = ()
) -> None:
    """Every dossier is on the portal exactly once, with the same content, status, due moment
    and the counter's status changes each recorded once; nothing is left to send.

    ``others``: dossiers of other counters that the portal holds as well.
    """
    held = portal_dossiers(server)
    portal_codes = [d["code"] for d in held]
    assert len(portal_codes) == len(set(portal_codes)), "a dossier is on the portal twice"
    assert sorted(portal_codes) == sorted([*codes, *others])
    sent = {row["code"]: row["payload"] for row in outbox_rows(app) if row["kind"] == "dossier"}
    for code in codes:
        local = app.dossiers.get(code)
        remote = portal_detail(server, code)
        expected = protocol.dossier_entry(sent[code])["data"]
        expected.pop("lookup_key")
        assert remote["dossier"] == expected, code
        assert remote["status"] == local.status.value, code
        assert protocol.parse_datetime(remote["due_at"]) == local.due_at, code
        remote_counter = [
            (h["status"], protocol.parse_datetime(h["at"]))
            for h in remote["history"]
            if h["source"] == "counter"
        ]
        local_counter = [(h.status.value, h.at) for h in local.history if h.source == "counter"]
        assert remote_counter == local_counter, (code, remote_counter, local_counter)
        assert local.sync_state == "synced", code
    counts = app.sync_store.counts()
    assert counts.pending == 0
    assert counts.needs_attention == 0
