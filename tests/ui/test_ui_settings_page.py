"""F10 settings for the keyboard: a mnemonic on every field, unique with the window's, a ring
where the keyboard is; and the procedure catalogue imported from a file."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabBar,
    QWidget,
)

from counter.catalog import SAMPLE_CATALOG
from ui.main_window import MainWindow
from ui.operations import Changes
from ui.settings_page import SettingsPage

pytestmark = pytest.mark.gui


def mnemonic(text: str) -> str | None:
    plain = text.replace("&&", "")
    at = plain.find("&")
    return plain[at + 1].lower() if 0 <= at < len(plain) - 1 else None


def shown_mnemonics(window: MainWindow) -> list[tuple[str, str]]:
    """(letter, text) of every mnemonic the window offers now: menu bar, tabs, buttons and the
    labels of fields."""
    found = []
    for action in window.menuBar().actions():
        found.append((mnemonic(action.text()), action.text()))
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        if isinstance(widget, QAbstractButton) or (
            isinstance(widget, QLabel) and widget.buddy() is not None
        ):
            found.append((mnemonic(widget.text()), widget.text()))
        elif isinstance(widget, QTabBar):
            found.extend(
                (mnemonic(widget.tabText(i)), widget.tabText(i)) for i in range(widget.count())
            )
    return [(letter, text) for letter, text in found if letter]


def open_settings(qtbot, ctx) -> MainWindow:
    win = MainWindow(ctx, idle_ms=0)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    win.show_page("settings")
    qtbot.waitUntil(lambda: bool(win.settings_page.rows), timeout=10_000)
    return win


@pytest.fixture(params=["admin", "clerk"])
def window(request, qtbot, ctx, admin, clerk):
    ctx.actor = admin if request.param == "admin" else clerk
    win = open_settings(qtbot, ctx)
    yield win
    win.dispose()


@pytest.fixture
def admin_window(qtbot, as_admin):
    win = open_settings(qtbot, as_admin)
    yield win
    win.dispose()


def test_every_field_has_its_own_alt_letter_on_every_tab(qtbot, window):
    page = window.settings_page
    for index, key in enumerate(page.tab_keys):
        page.tabs.setCurrentIndex(index)
        offered = shown_mnemonics(window)
        letters = Counter(letter for letter, _ in offered)
        assert [t for letter, t in offered if letters[letter] > 1] == [], key
        assert all(letter.isascii() for letter in letters), offered
        for field, label in page.labels.items():
            row = page.rows[field]
            if label.isVisibleTo(window) and row.isEnabled():
                assert mnemonic(label.text()), f"{field}: {label.text()!r}"


def test_alt_letter_puts_the_keyboard_in_its_field(qtbot, window):
    page = window.settings_page
    page.show_tab("ui")
    label = page.labels["ui.language"]
    letter = mnemonic(label.text())
    qtbot.keyClick(
        window, getattr(Qt.Key, f"Key_{letter.upper()}"), Qt.KeyboardModifier.AltModifier
    )
    qtbot.waitUntil(page.rows["ui.language"].editor.hasFocus)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # the first tab
    assert page.tabs.currentIndex() == 0


def test_a_ring_shows_where_the_keyboard_is_on_every_kind_of_field(qtbot, admin_window):
    window = admin_window
    page = window.settings_page
    kinds = {QLineEdit: None, QComboBox: None, QSpinBox: None, QCheckBox: None}
    for row in page.rows.values():
        for kind in kinds:
            if isinstance(row.editor, kind) and kinds[kind] is None and row.isEnabled():
                kinds[kind] = row.editor
    controls = [w for w in kinds.values() if w is not None]
    controls += [page.save_button, page.tabs.tabBar()]
    assert len(controls) == 6
    for control in controls:
        if not isinstance(control, (QPushButton, QTabBar)):  # on its own tab
            tabs = page.tabs
            index = next(i for i in range(tabs.count()) if tabs.widget(i).isAncestorOf(control))
            tabs.setCurrentIndex(index)
        control.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(control.hasFocus)
        ring = page.focus_ring
        assert ring.widget() is control, type(control).__name__
        qtbot.waitUntil(ring.isVisible)
        around = QRect(control.mapTo(ring.parentWidget(), control.rect().topLeft()), control.size())
        assert ring.geometry().contains(around), type(control).__name__
    window.intake.setFocus()
    window.show_page("intake")
    assert not page.focus_ring.isVisible()  # the keyboard left the page


# --- the procedure catalogue -----------------------------------------------------------


def catalogue_file(tmp_path: Path, version: str, **changes: object) -> Path:
    data = json.loads(SAMPLE_CATALOG.read_text(encoding="utf-8"))
    data["version"] = version
    data["procedures"][0].update(changes)
    path = tmp_path / f"danh-muc-{version}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def page(qtbot, as_admin):
    widget = SettingsPage(as_admin)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: bool(widget.rows), timeout=10_000)
    widget.show_tab("printing")
    return widget


def test_an_admin_imports_the_catalogue_from_a_file(qtbot, page, as_admin, tmp_path):
    box = page.catalog_box
    assert box is not None and box.button.isVisibleTo(page)
    qtbot.waitUntil(lambda: "thủ tục" in box.state.text(), timeout=10_000)
    total = len(as_admin.app.catalog.procedures())
    path = catalogue_file(tmp_path, "2026-12-15", name="Đăng ký khai sinh (bản cập nhật)")
    announced: list[Changes] = []
    as_admin.changed.connect(announced.append)

    box.button.click()  # the file is chosen in Qt's own dialog
    dialog = box.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.selectFile(str(path))
    with qtbot.waitSignal(box.imported, timeout=20_000) as imported:
        dialog.accept()
    done = imported.args[0]
    assert (done.version, done.procedures) == ("2026-12-15", total)
    assert (
        box.result.text() == f"Đã nhập {total} thủ tục, phiên bản 2026-12-15, từ tệp {path.name}."
    )
    assert any(c.catalog for c in announced)  # the intake's procedure list reads it again
    qtbot.waitUntil(lambda: "2026-12-15" in box.state.text(), timeout=10_000)
    names = [p.name for p in as_admin.app.catalog.procedures("ban cap nhat")]
    assert names == ["Đăng ký khai sinh (bản cập nhật)"]


def test_a_bad_catalogue_is_refused_whole_and_said_in_vietnamese(qtbot, page, as_admin, tmp_path):
    box = page.catalog_box
    before = [(p.code, p.name, p.catalog_version) for p in as_admin.app.catalog.procedures()]
    path = catalogue_file(tmp_path, "2026-12-16", name="x" * 501)
    with qtbot.waitSignal(box.refused, timeout=20_000) as refused:
        box.import_file(path)
    text = refused.args[0]
    assert text.startswith("Không nhập được danh mục: Danh mục thủ tục không hợp lệ")
    assert "name" in text and box.result.text() == text
    assert box.button.isEnabled()
    after = [(p.code, p.name, p.catalog_version) for p in as_admin.app.catalog.procedures()]
    assert after == before


def test_a_clerk_has_no_catalogue_import(qtbot, as_clerk):
    widget = SettingsPage(as_clerk)
    qtbot.addWidget(widget)
    assert widget.catalog_box is None


def test_every_label_shows_its_whole_text(qtbot, admin_window):
    """A label is as tall as its text at its width: none is cut to one line of two (a short
    label wrapped, its letters' marks clipped at the top and bottom)."""
    page = admin_window.settings_page
    admin_window.showNormal()
    admin_window.resize(1024, 600)  # the smallest screen a counter has
    for index, key in enumerate(page.tab_keys):
        page.tabs.setCurrentIndex(index)
        qtbot.wait(10)
        assert admin_window.width() <= 1024
        for field, label in page.labels.items():
            if not label.isVisibleTo(admin_window):
                continue
            if label.wordWrap():
                needed = label.heightForWidth(label.width())
                assert label.height() >= needed, (key, field, label.text(), label.size(), needed)
            else:
                needed = label.sizeHint().width()
                assert label.width() >= needed, (key, field, label.text(), label.size(), needed)
