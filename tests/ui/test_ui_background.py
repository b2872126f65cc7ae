"""Work off the GUI thread: the serial writer, the announcements of what changed, and sync
while the portal is slow or away."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
import shiboken6
from PySide6.QtCore import QObject, QThread, QTimer

from counter.errors import InvalidInput
from sync.engine import SyncResult, run_once
from sync.errors import NotConfigured
from tests.ui.uikit import receive
from ui.operations import Changes, Op
from ui.sync_ui import NOT_CONFIGURED, OFFLINE, ONLINE, SyncController, SyncPage, SyncStatusWidget
from ui.tasks import TaskManager

pytestmark = pytest.mark.gui


@pytest.fixture
def tasks(qapp) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown()


def test_writes_run_in_order_on_one_thread_and_answer_on_the_gui_thread(qtbot, tasks):
    gui = QThread.currentThread()
    threads, order, answered_on = set(), [], []

    def op(i: int) -> int:
        threads.add(threading.get_ident())
        order.append(i)
        return i

    for i in range(20):
        tasks.run(
            Op.write(lambda i=i: op(i)), lambda r: answered_on.append((r, QThread.currentThread()))
        )
    qtbot.waitUntil(lambda: len(answered_on) == 20)
    assert order == list(range(20))
    assert len(threads) == 1 and threading.get_ident() not in threads
    assert [r for r, _ in answered_on] == list(range(20))
    assert all(t is gui for _, t in answered_on)
    qtbot.waitUntil(lambda: tasks.pending == 0)


def test_failures_reach_their_handler_or_the_reporter(qtbot, qapp):
    reported = []
    tasks = TaskManager(on_unhandled=reported.append)
    try:
        failures = []

        def refuse() -> None:
            raise InvalidInput("sai", "wrong")

        tasks.run(Op.write(refuse), on_failure=failures.append)
        tasks.run(Op.read(refuse))
        qtbot.waitUntil(lambda: bool(failures and reported))
        assert isinstance(failures[0], InvalidInput) and isinstance(reported[0], InvalidInput)
    finally:
        tasks.shutdown()


def test_no_callback_for_a_widget_gone_meanwhile(qtbot, tasks):
    owner = QObject()
    release = threading.Event()
    called = []
    tasks.run(Op.read(lambda: release.wait(5)), called.append, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(owner))
    release.set()
    qtbot.waitUntil(lambda: tasks.pending == 0)
    assert called == []


def test_what_an_operation_changed_is_announced_even_when_the_asker_is_gone(qtbot, qapp):
    announced: list[Changes] = []
    tasks = TaskManager(on_changes=announced.append)
    try:
        owner = QObject()
        release = threading.Event()
        called = []
        op = Op.write(lambda: (release.wait(5), "A-1")[1], lambda code: Changes.of_dossier(code))
        tasks.run(op, called.append, owner=owner)
        tasks.run(Op.write(lambda: None))  # changes nothing: nothing to announce
        owner.deleteLater()
        qtbot.waitUntil(lambda: not shiboken6.isValid(owner))
        release.set()
        qtbot.waitUntil(lambda: tasks.pending == 0)
        assert called == []
        assert announced == [Changes(dossiers=frozenset({"A-1"}), outbox=True)]

        failures = []
        tasks.run(Op.write(_refuse, Changes(accounts=True)), on_failure=failures.append)
        qtbot.waitUntil(lambda: bool(failures))
        assert len(announced) == 1  # a refused operation changed nothing
    finally:
        tasks.shutdown()


def _refuse() -> None:
    raise InvalidInput("sai", "wrong")


def test_screens_refresh_only_for_what_concerns_them(qtbot, as_clerk):
    controller = SyncController(as_clerk, run=lambda _app: SyncResult())
    with qtbot.assertNotEmitted(controller.changed, wait=100):
        as_clerk.announce(Changes(calendar=True, accounts=True))
    with qtbot.waitSignal(controller.changed, timeout=5000):  # the counts, read again
        as_clerk.announce(Changes(outbox=True))
    controller.stop()


class SlowPortal:
    """A local HTTP server that answers only when the test says so."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.requests = 0
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                portal.requests += 1
                portal.release.wait(20)
                body = b'{"pushed": 3, "pulled": 1, "conflicts": 0, "failed": 0, "pending": 0}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/v1/sync"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def slow_portal() -> Iterator[SlowPortal]:
    portal = SlowPortal()
    yield portal
    portal.close()


def test_the_window_stays_responsive_while_the_portal_is_slow(qtbot, as_clerk, slow_portal):
    def run(_app) -> SyncResult:
        answer = requests.get(slow_portal.url, timeout=15)
        return SyncResult(**answer.json())

    controller = SyncController(as_clerk, run=run, interval_ms=60_000)
    status = SyncStatusWidget(controller)
    qtbot.addWidget(status)
    status.show()
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)

    controller.sync_now()
    qtbot.waitUntil(lambda: slow_portal.requests == 1, timeout=5000)
    assert controller.running and "Đang đồng bộ" in status.state_label.text()
    # the portal holds the request; the GUI thread keeps turning meanwhile
    qtbot.waitUntil(lambda: len(ticks) >= 20, timeout=5000)
    controller.sync_now()  # a second click while one round is under way does nothing
    assert slow_portal.requests == 1

    with qtbot.waitSignal(controller.finished, timeout=10_000) as finished:
        slow_portal.release.set()
    timer.stop()
    assert finished.args[0] == SyncResult(pushed=3, pulled=1)
    assert controller.state == ONLINE
    assert "Trực tuyến" in status.state_label.text()
    controller.stop()


def test_an_unreachable_portal_means_offline(qtbot, as_clerk):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    def run(_app) -> SyncResult:
        requests.get(f"http://127.0.0.1:{port}/", timeout=5)
        return SyncResult()

    controller = SyncController(as_clerk, run=run)
    status = SyncStatusWidget(controller)
    qtbot.addWidget(status)
    with qtbot.waitSignal(controller.finished, timeout=10_000):
        controller.sync_now()
    assert controller.state == OFFLINE
    assert "Ngoại tuyến" in status.state_label.text()
    controller.stop()


def test_no_portal_configured_is_said_plainly(qtbot, as_clerk):
    with pytest.raises(NotConfigured):
        run_once(as_clerk.app)
    controller = SyncController(as_clerk)
    with qtbot.waitSignal(controller.finished, timeout=10_000):
        controller.sync_now()
    assert controller.state == NOT_CONFIGURED
    assert controller.detail == "Chưa cấu hình cổng dịch vụ công (địa chỉ và mã truy cập)"
    controller.stop()


def test_status_bar_counts_and_retry_of_an_entry_that_needs_a_person(qtbot, as_clerk, clerk):
    app = as_clerk.app
    dossier = receive(app, clerk)
    entry = app.sync_store.due_entries(10)[0]
    app.sync_store.mark_needs_attention(entry.id, "409: mã hồ sơ đã có trên cổng")

    controller = SyncController(as_clerk, run=lambda _app: SyncResult())
    status = SyncStatusWidget(controller)
    page = SyncPage(as_clerk, controller)
    qtbot.addWidget(status)
    qtbot.addWidget(page)
    with qtbot.waitSignal(controller.changed, timeout=5000):
        controller.refresh_counts()
    assert controller.counts.needs_attention == 1
    assert status.attention_button.isVisibleTo(status)
    assert "Cần xử lý: 1" in status.attention_button.text()

    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    assert page.model.index(0, 0).data() == dossier.code
    assert "409" in page.model.index(0, 4).data()

    with qtbot.waitSignal(controller.finished, timeout=10_000):
        page.retry_selected()
    qtbot.waitUntil(lambda: controller.counts.needs_attention == 0, timeout=5000)
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=5000)
    assert app.sync_store.counts().pending == 1
    controller.stop()


@pytest.fixture
def reference_portal(tmp_path):
    """The reference portal on 127.0.0.1, with this counter's agency and counter 1."""
    import sys

    root = Path(__file__).resolve().parents[2]
    for path in (root / "tests" / "portal", root / "tests" / "sync"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    from portal_testkit import admin_ok, start_server
    from synckit import AGENCY, register_counter

    server = start_server(f"sqlite:///{tmp_path / 'portal.db'}", tmp_path / "portal.log")
    try:
        admin_ok(server.db_url, "add-agency", AGENCY, "UBND xã Hòa Bình")
        yield server, register_counter(server, 1)
    finally:
        server.stop()


def test_sync_with_the_reference_portal(qtbot, as_clerk, clerk, admin, reference_portal):
    server, token = reference_portal
    app = as_clerk.app
    app.settings.set(admin, "portal.url", server.url)
    app.settings.set(admin, "portal.token", token)
    dossier = receive(app, clerk)

    controller = SyncController(as_clerk)  # the real engine
    status = SyncStatusWidget(controller)
    qtbot.addWidget(status)
    with qtbot.waitSignal(controller.finished, timeout=60_000) as finished:
        controller.sync_now()
    assert isinstance(finished.args[0], SyncResult), finished.args[0]
    assert finished.args[0].pushed == 1
    assert controller.state == ONLINE
    qtbot.waitUntil(lambda: controller.counts.last_success_at is not None, timeout=5000)
    assert controller.counts.pending == 0
    assert "Trực tuyến" in status.state_label.text()
    assert app.dossiers.get(dossier.code).sync_state == "synced"

    server.stop()  # the portal goes away: the counter is offline, and says so
    with qtbot.waitSignal(controller.finished, timeout=60_000):
        controller.sync_now()
    assert controller.state == OFFLINE
    controller.stop()
