"""Every screen whole on a commune PC's 1024×600 screen: nothing wider than the window,
no label or list cut, the list's due date in view; and the side bar back to full width on a
large screen."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QComboBox, QLabel

from tests.ui.uikit import receive
from ui.layout import ElidedLabel
from ui.main_window import NAV_NARROW, NAV_WIDE, MainWindow

pytestmark = pytest.mark.gui

#: 1024×600, less a taskbar and the window's title bar
SMALL = (1024, 540)


@pytest.fixture
def small_window(qtbot, ctx, admin):
    ctx.actor = admin  # every screen
    window = MainWindow(ctx, idle_ms=0)
    qtbot.addWidget(window)
    window.resize(*SMALL)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.dispose()


def cut_controls(window: MainWindow) -> list[str]:
    """Labels and combo boxes of the page on screen drawn narrower than their text."""
    page = window.pages.currentWidget()
    cut = []
    for label in page.findChildren(QLabel):
        if not label.isVisibleTo(window) or isinstance(label, ElidedLabel) or label.wordWrap():
            continue
        if label.text() and label.width() < label.minimumSizeHint().width():
            cut.append(f"label {label.text()!r}: {label.width()} < {label.minimumSizeHint()}")
    for combo in page.findChildren(QComboBox):
        if combo.isVisibleTo(window) and combo.width() < combo.minimumSizeHint().width():
            cut.append(f"combo {combo.accessibleName()!r}: {combo.width()}")
    return cut


def test_every_screen_fits_1024_by_600(qtbot, small_window):
    window = small_window
    problems = []
    for key in window.page_keys:
        window.show_page(key)
        QApplication.processEvents()
        hint = window.minimumSizeHint()
        if hint.width() > SMALL[0] or hint.height() > SMALL[1]:
            problems.append(f"{key}: needs {hint.width()}×{hint.height()}")
        if window.width() > SMALL[0]:
            problems.append(f"{key}: the window grew to {window.width()}")
        problems += [f"{key}: {p}" for p in cut_controls(window)]
    assert window.nav.width() == NAV_NARROW
    assert not problems, "\n".join(problems)


def test_the_due_date_column_is_in_view_on_a_small_screen(qtbot, small_window, ctx, clerk):
    receive(ctx.app, clerk)
    window = small_window
    window.show_page("dossiers")
    page = window.dossiers
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and not page.model.busy, timeout=5000)
    QApplication.processEvents()
    header = page.table.horizontalHeader()
    due = 5
    right_edge = header.sectionViewportPosition(due) + header.sectionSize(due)
    assert not page.table.isColumnHidden(due)
    assert header.sectionViewportPosition(due) >= 0
    assert right_edge <= page.table.viewport().width()
    assert page.table.horizontalScrollBar().maximum() == 0  # nothing to scroll sideways


def test_the_intake_form_scrolls_to_the_field_the_cursor_is_in(qtbot, small_window):
    window = small_window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    window.show_page("intake")
    intake = window.intake
    last = intake.note_field.edit
    last.setFocus()
    QApplication.processEvents()
    top_left = last.mapTo(intake.scroll.viewport(), last.rect().topLeft())
    assert top_left.y() >= 0
    assert top_left.y() + last.height() <= intake.scroll.viewport().height()
    assert intake.save_button.isVisible()  # the save button is always in view, beside the form
    assert intake.save_button.visibleRegion().boundingRect().height() == intake.save_button.height()


def test_a_large_screen_gets_the_wide_side_bar(qtbot, ctx, clerk):
    ctx.actor = clerk
    window = MainWindow(ctx, idle_ms=0)
    qtbot.addWidget(window)
    window.resize(1920, 1040)
    window.show()
    qtbot.waitExposed(window)
    assert window.nav.width() == NAV_WIDE
    window.dispose()
