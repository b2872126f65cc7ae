"""The main window: screens by role and by key, accessible names, tab order, errors."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenuBar,
    QWidget,
)

from counter.errors import NotAllowed
from tests.ui.uikit import receive
from ui.dossier_detail import DossierDetailDialog
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, as_admin):
    win = MainWindow(as_admin, idle_ms=0)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.dispose()


def test_function_keys_switch_screens(qtbot, window):
    assert window.current_page() == "intake"
    for key, page in (
        (Qt.Key.Key_F3, "dossiers"),
        (Qt.Key.Key_F4, "lookup"),
        (Qt.Key.Key_F6, "daily"),
        (Qt.Key.Key_F10, "settings"),
        (Qt.Key.Key_F2, "intake"),
    ):
        qtbot.keyClick(window, key)
        assert window.current_page() == page
    qtbot.keyClick(window, Qt.Key.Key_F4)
    assert window.lookup.input.hasFocus()  # ready for the scanner


def test_every_control_has_a_name_for_screen_readers(window):
    labelled = {id(label.buddy()) for label in window.findChildren(QLabel) if label.buddy()}
    unnamed = []
    for widget in window.findChildren(QWidget):
        if not isinstance(
            widget, QLineEdit | QComboBox | QAbstractSpinBox | QAbstractItemView | QAbstractButton
        ):
            continue
        if isinstance(
            widget.parent(), QAbstractSpinBox | QComboBox | QAbstractItemView | QLineEdit | QMenuBar
        ):
            continue  # parts of a compound control: an editor, a clear or corner button
        if widget.window() is not window:
            continue  # a combo box's or completer's popup list, named by its owner
        if type(widget).__name__ == "QHeaderView":
            continue
        name = widget.accessibleName() or (
            widget.text() if isinstance(widget, QAbstractButton) else ""
        )
        if not name and id(widget) not in labelled:
            unnamed.append(f"{type(widget).__name__} in {type(widget.parent()).__name__}")
    assert unnamed == [], unnamed


def test_tab_goes_down_the_intake_form_in_order(qtbot, window):
    intake = window.intake
    intake.procedure_edit.setFocus()
    order = []
    for _ in range(8):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    applicant = intake.applicant
    assert order == [
        applicant.kind_box,
        applicant.name_field.edit,
        applicant.id_field.edit,
        applicant.id_type_box,  # Tab visits it; Enter in the number steps past it
        applicant.phone_field.edit,
        applicant.email_field.edit,
        applicant.address_field.edit,
        applicant.submitter_box,
    ]


def test_a_clerk_sees_no_supervisor_screens(qtbot, as_clerk):
    win = MainWindow(as_clerk, idle_ms=0)
    qtbot.addWidget(win)
    assert win.page_keys == ["intake", "dossiers", "lookup", "sync", "settings"]
    win.dispose()


def test_refusals_go_to_the_notices_and_bugs_to_the_log(qtbot, window, ctx, bugs, caplog):
    ctx.notifier.report(NotAllowed("Không được phép", "Not allowed"))
    assert window.notices.texts()[-1] == "Không được phép"
    ctx.notifier.report(ZeroDivisionError("lỗi lập trình"))
    assert bugs == ["ZeroDivisionError: lỗi lập trình"]
    assert any(r.exc_info and r.exc_info[0] is ZeroDivisionError for r in caplog.records)
    bugs.clear()  # reported as it should be; the fixture fails on unexpected ones


def test_opening_a_dossier_from_the_list(qtbot, window, ctx, clerk):
    dossier = receive(ctx.app, clerk)
    with qtbot.waitSignal(window.dossier_opened, timeout=5000) as opened:
        window.open_dossier(dossier.code)
    dialog = opened.args[0]
    assert isinstance(dialog, DossierDetailDialog) and dialog.isVisible()
    assert dialog.view.code == dossier.code
    with qtbot.waitSignal(ctx.notifier.message, timeout=5000):
        window.open_dossier("000.00.36.H62-990101-9999")
    assert "Không tìm thấy" in window.notices.texts()[-1]
    window.lock()
    assert not dialog.isVisible()  # nothing stays open over a locked screen


def test_full_screen_lookup_window(qtbot, window):
    lookup = window.open_lookup_window()
    qtbot.addWidget(lookup)
    assert lookup.isFullScreen()
    window.lock()
    assert lookup.isVisible()  # citizens keep their screen while the counter is locked


def test_the_window_fits_a_counter_screen(window):
    """1366 pixels wide, the office's long name on the intake page and in the status bar."""
    assert "Trung tâm Phục vụ hành chính công" in window.intake.delivery.itemText(0)
    assert window.minimumSizeHint().width() <= 1366


def test_a_dossier_opens_again_after_its_window_was_closed(qtbot, window, ctx, clerk):
    """A closed detail window is deleted; opening another must not trip over it."""
    dossier = receive(ctx.app, clerk)
    for _ in range(2):
        with qtbot.waitSignal(window.dossier_opened, timeout=5000) as opened:
            window.open_dossier(dossier.code)
        dialog = opened.args[0]
        with qtbot.waitSignal(dialog.destroyed, timeout=5000):
            dialog.close()  # Esc does the same
    # the second opening went through: a failure would be reported (and fail the fixture)
