"""The GUI thread never waits on the database: every screen reads and writes on the workers."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import event

from counter.statuses import Status
from tests.ui.uikit import receive
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def on_gui_thread(ctx) -> Iterator[list[str]]:
    """The SQL statements run on the GUI thread from now on."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        if threading.current_thread() is threading.main_thread():
            seen.append(statement)

    engines = (ctx.app.db.read_engine, ctx.app.db.write_engine)
    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    yield seen
    for engine in engines:
        event.remove(engine, "before_cursor_execute", record)


def test_every_screen_reads_on_the_read_worker(qtbot, as_admin, clerk, on_gui_thread):
    dossier = receive(as_admin.app, clerk)
    as_admin.app.settings.get_many("")  # as at start-up: the settings are read once, cached
    as_admin.office()
    on_gui_thread.clear()

    window = MainWindow(as_admin, idle_ms=0)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.intake.loaded, timeout=5000):
        window.show()
    for key in ("dossiers", "lookup", "sync", "calendar", "accounts", "settings", "intake"):
        window.show_page(key)
        qtbot.waitUntil(lambda: as_admin.tasks.pending == 0, timeout=10_000)
    assert window.settings_page.rows and window.accounts and window.accounts.model.rowCount()

    with qtbot.waitSignal(window.dossier_opened, timeout=5000) as opened:
        window.open_dossier(dossier.code)
    detail = opened.args[0]
    with qtbot.waitSignal(detail.changed, timeout=5000):
        detail.change_status(Status.WITHDRAWN, "Công dân xin rút")
    qtbot.waitUntil(lambda: as_admin.tasks.pending == 0, timeout=10_000)
    window.dispose()
    assert on_gui_thread == []


def test_forms_are_read_and_rendered_on_the_workers(qtbot, as_admin, clerk, boss, on_gui_thread):
    app = as_admin.app
    dossier = receive(app, clerk)
    app.dossiers.set_status(boss, dossier.code, Status.PROCESSING)
    app.dossiers.set_status(boss, dossier.code, Status.STOPPED, "Người nộp giả mạo giấy tờ")
    app.settings.get_many("")
    as_admin.office()
    window = MainWindow(as_admin, idle_ms=0)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.intake.loaded, timeout=5000):
        window.show()
    qtbot.waitUntil(lambda: as_admin.tasks.pending == 0, timeout=10_000)
    on_gui_thread.clear()

    with qtbot.waitSignal(window.dossier_opened, timeout=5000) as opened:
        window.open_dossier(dossier.code)
    detail = opened.args[0]
    assert detail.stop_notice_button is not None
    for button in (detail.stop_notice_button, detail.control_button, detail.reprint_button):
        with qtbot.waitSignal(detail.form_ready, timeout=10_000):
            button.click()
    qtbot.waitUntil(lambda: as_admin.tasks.pending == 0, timeout=10_000)
    window.dispose()
    assert on_gui_thread == []
