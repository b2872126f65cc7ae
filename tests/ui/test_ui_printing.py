"""Printing from the desktop: its own worker, the system's print queues in the settings."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator

import pytest

from sync.engine import SyncResult
from ui.intake import IntakePage
from ui.operations import Op, Worker
from ui.print_service import PrintService
from ui.printer_choice import PrinterChoice
from ui.settings_page import SettingsPage
from ui.sync_ui import SyncController

pytestmark = pytest.mark.gui


class SilentPortal:
    """A real socket on 127.0.0.1 that accepts connections and never answers."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        self.connected = threading.Event()
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:  # closed
                return
            self.connections.append(conn)
            self.connected.set()

    def close(self) -> None:
        """Hang up: the waiting client gets its answer (a closed connection) at once."""
        self.server.close()
        for conn in self.connections:
            conn.close()
        self.thread.join(5)


@pytest.fixture
def silent_portal() -> Iterator[SilentPortal]:
    portal = SilentPortal()
    yield portal
    portal.close()


def test_each_print_job_has_a_worker_of_its_own(qtbot, ctx):
    threads = {}

    def where(worker: Worker) -> None:
        threads[worker] = threading.current_thread().name

    for worker in Worker:
        ctx.tasks.run(Op(lambda w=worker: where(w), worker))
    qtbot.waitUntil(lambda: len(threads) == len(Worker), timeout=5000)
    assert len(set(threads.values())) == len(Worker)
    assert threads[Worker.PRINT].startswith("counter-print")


def test_save_and_print_completes_while_a_sync_waits_on_a_silent_portal(
    qtbot, as_clerk, admin, printer, silent_portal
):
    app = as_clerk.app
    app.settings.set(admin, "portal.url", silent_portal.url)
    app.settings.set(admin, "portal.token", "ma-truy-cap-cua-quay")
    app.settings.set(admin, "portal.read_timeout", "600")
    controller = SyncController(as_clerk)  # the real engine, on the network worker
    finished: list[object] = []
    controller.finished.connect(finished.append)
    controller.sync_now()
    assert silent_portal.connected.wait(30), "the sync round never reached the portal"
    assert controller.running

    page = IntakePage(as_clerk)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    page.choose_procedure("1.001193")
    page.applicant.name_field.setText("Trần Văn Bình")
    with (
        qtbot.waitSignal(page.saved, timeout=20_000) as saved,
        qtbot.waitSignal(page.receipt_printed, timeout=60_000) as printed,
    ):
        page.save_and_print()
    code = saved.args[0].code
    assert printed.args[0] == code
    assert printer.jobs and printer.jobs[-1][0] == printed.args[1]
    # the round is still waiting for the portal's answer: the print did not wait for it
    assert controller.running and not finished

    silent_portal.close()
    qtbot.waitUntil(lambda: bool(finished), timeout=60_000)
    assert not isinstance(finished[0], SyncResult)
    controller.stop()


# --- the system's print queues (a real CUPS queue named PDF) ---------------------------

QUEUE = "PDF"


def cups_skip_reason() -> str | None:
    if shutil.which("lpstat") is None or shutil.which("lp") is None:
        return "CUPS is not installed (no lp/lpstat); run printing/setup_cups_pdf.sh as root"
    status = subprocess.run(["lpstat", "-r"], capture_output=True, text=True, check=False)
    if "is running" not in status.stdout or "not running" in status.stdout:
        return "the CUPS scheduler is not running; run printing/setup_cups_pdf.sh as root"
    queue = subprocess.run(["lpstat", "-p", QUEUE], capture_output=True, text=True, check=False)
    if queue.returncode != 0:
        return f"no CUPS queue named {QUEUE!r}; run printing/setup_cups_pdf.sh as root"
    return None


@pytest.fixture
def cups() -> str:
    reason = cups_skip_reason()
    if reason:
        pytest.skip(reason)
    return QUEUE


def settings_with_real_queues(qtbot, ctx, printer) -> SettingsPage:
    """The settings page, the print queues listed by the print system itself."""
    ctx.printing = PrintService(ctx.app, sender=printer.send)
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    page.show_tab("printing")
    choice = page.rows["printing.printer"].editor
    assert isinstance(choice, PrinterChoice)
    qtbot.waitUntil(lambda: choice.queues is not None, timeout=60_000)
    return page


def test_the_printer_setting_offers_the_system_queues(qtbot, as_admin, printer, cups, monkeypatch):
    monkeypatch.setenv("LPDEST", cups)  # the default queue, as lp itself reads it
    page = settings_with_real_queues(qtbot, as_admin, printer)
    row = page.rows["printing.printer"]
    choice = row.editor
    assert choice.itemData(0) == "" and "mặc định" in choice.itemText(0)
    offered = [choice.itemData(i) for i in range(choice.count())]
    assert cups in offered
    assert choice.itemText(choice.findData(cups)) == f"{cups} – máy in mặc định của hệ thống"

    choice.setEditText(f"{cups}-go-nham")  # a typo: refused where it is typed
    assert row.error.isVisibleTo(page)
    assert f"không có máy in tên “{cups}-go-nham”" in row.error.text()
    assert cups in row.error.text()  # says which ones there are
    page.save()
    assert as_admin.app.settings.get("printing.printer") == ""

    choice.setCurrentIndex(choice.findData(cups))
    assert not row.error.isVisibleTo(page)
    with qtbot.waitSignal(page.saved, timeout=10_000) as saved:
        page.save()
    assert saved.args[0] == {"printing.printer": cups}
    assert as_admin.printing.printer() == cups

    choice = page.rows["printing.printer"].editor  # the rows are built again after a save
    qtbot.waitUntil(lambda: choice.queues is not None, timeout=60_000)
    assert choice.value() == cups
    choice.setCurrentIndex(0)  # back to the system's default: an empty setting
    with qtbot.waitSignal(page.saved, timeout=10_000):
        page.save()
    assert as_admin.app.settings.get("printing.printer") == ""


def test_without_a_print_system_any_name_may_be_set(
    qtbot, as_admin, printer, tmp_path, monkeypatch
):
    monkeypatch.setenv("PATH", str(tmp_path))  # no lpstat: the print system cannot be asked
    page = settings_with_real_queues(qtbot, as_admin, printer)
    row = page.rows["printing.printer"]
    choice = row.editor
    assert choice.count() == 1
    assert "lpstat" in choice.toolTip()
    choice.setEditText("May_in_quay_1")
    assert not row.error.isVisibleTo(page)
    with qtbot.waitSignal(page.saved, timeout=10_000):
        page.save()
    assert as_admin.app.settings.get("printing.printer") == "May_in_quay_1"
