"""What "Đồng bộ ngay" says, and the sync indicator following the portal's settings at once."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QAction

from ui.main_window import MainWindow
from ui.sync_ui import NOT_CONFIGURED, ONLINE

pytestmark = pytest.mark.gui


@pytest.fixture
def reference_portal(tmp_path):
    """The reference portal on 127.0.0.1, with this counter's agency and counter 1."""
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


@pytest.fixture
def window(qtbot, as_admin):
    win = MainWindow(as_admin, idle_ms=0)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.dispose()


def menu_action(window: MainWindow, words: str) -> QAction:
    for top in window.menuBar().actions():
        menu = top.menu()
        for action in menu.actions() if menu else ():
            if action.text().replace("&", "") == words:
                return action
    raise AssertionError(f"no menu item {words!r}")


def test_sync_now_without_a_portal_says_where_to_set_it(qtbot, window, as_admin):
    with qtbot.waitSignal(as_admin.notifier.notice, timeout=30_000) as said:
        menu_action(window, "Đồng bộ ngay").trigger()
    text = said.args[0]
    assert "chưa cấu hình cổng dịch vụ công" in text and "Thiết lập (F10)" in text
    assert window.notices.texts()[-1] == text
    assert window.sync.state == NOT_CONFIGURED
    assert "Chưa cấu hình cổng" in window.sync_status.state_label.text()

    window.show_page("sync")  # F5's own button says the same
    with qtbot.waitSignal(as_admin.notifier.notice, timeout=30_000) as said:
        window.sync_page.sync_button.click()
    assert "Thiết lập (F10)" in said.args[0]


def test_the_indicator_follows_a_portal_set_in_the_settings_at_once(
    qtbot, window, as_admin, reference_portal
):
    server, token = reference_portal
    with qtbot.waitSignal(window.sync.finished, timeout=30_000):
        window.sync.sync_now()
    assert "Chưa cấu hình cổng" in window.sync_status.state_label.text()

    settings = window.settings_page
    window.show_page("settings")
    qtbot.waitUntil(lambda: "portal.url" in settings.rows, timeout=10_000)
    settings.rows["portal.url"].editor.setText(server.url)
    settings.rows["portal.token"].editor.setText(token)
    rounds = []
    window.sync.finished.connect(rounds.append)
    with qtbot.waitSignal(settings.saved, timeout=10_000):
        settings.save()
    # no one asked for a round: the indicator leaves "not configured" and the portal is tried
    qtbot.waitUntil(lambda: window.sync.state != NOT_CONFIGURED, timeout=10_000)
    assert "Chưa cấu hình cổng" not in window.sync_status.state_label.text()
    qtbot.waitUntil(lambda: bool(rounds), timeout=60_000)
    assert window.sync.state == ONLINE, window.sync.detail
    assert "Trực tuyến" in window.sync_status.state_label.text()

    settings.rows["portal.url"].editor.setText("")  # and back: "not configured" at once
    with qtbot.waitSignal(settings.saved, timeout=10_000):
        settings.save()
    qtbot.waitUntil(lambda: window.sync.state == NOT_CONFIGURED, timeout=10_000)
    assert "Chưa cấu hình cổng" in window.sync_status.state_label.text()
