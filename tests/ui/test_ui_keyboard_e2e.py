"""A day at the counter with the keyboard only: sign in, receive a birth registration typed
from the procedure field to Ctrl+Enter (then the next citizen's, same procedure), find it
from F3, ask for a supplement and print Mẫu 02, look it up from F4, then a supervisor prints
the day's summary from F6.

The keys go to whatever has the focus and are counted (``devtools.keyboard_drive``); a key
that leaves the focus nowhere fails the test. The intake's keys beyond the applicant's own
data are also what ``python -m bench`` reports as ``ui_intake_keystrokes``."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter.statuses import Status
from devtools.keyboard_drive import BIRTH, CTRL, Applicant, Keyboard, receive
from tests.conftest import PASSWORD
from ui.app import Shell
from ui.dossier_detail import DossierDetailDialog
from ui.main_window import MainWindow
from ui.pdf_preview import PreviewDialog

pytestmark = pytest.mark.gui

ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier

FIRST = Applicant("Lê Thị Bình", "001190012345", "0912345678")
NEXT = Applicant("Trần Văn Cường", "001090054321")


def sign_in(qtbot, shell: Shell, kb: Keyboard, username: str) -> MainWindow:
    dialog = shell.dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    kb.type(username)
    kb.press(Qt.Key.Key_Return)  # to the password
    kb.type(PASSWORD)
    with qtbot.waitSignal(shell.main_shown, timeout=10_000) as shown:
        kb.press(Qt.Key.Key_Return)
    window = shown.args[0]  # the shell owns it (and deletes it on sign-out)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    return window


def test_a_day_at_the_counter_without_the_mouse(qtbot, ctx, printer):
    kb = Keyboard()
    shell = Shell(ctx, idle_ms=0)
    with qtbot.waitSignal(shell.ready):
        shell.start()
    window = sign_in(qtbot, shell, kb, "clerk")
    intake = window.intake

    # intake: F2, the procedure by name, the applicant, Ctrl+Enter
    qtbot.waitUntil(lambda: intake.picker.find(BIRTH) is not None, timeout=5000)
    kb.press(Qt.Key.Key_F2)
    overhead = receive(window, kb, FIRST, by_name=True)
    assert overhead <= 13, f"{overhead} keys beyond the applicant's data: {kb.log}"
    code = window.intake.last_saved.code
    assert ctx.app.dossiers.get(code).applicant_name == FIRST.name

    # the next citizen, same procedure: the cursor is already in the procedure field, and
    # the counter's most used procedure is the first the list offers (Down, Enter)
    qtbot.waitUntil(lambda: intake.picker.filter.usage.get(BIRTH, 0) >= 1, timeout=10_000)
    mark = len(kb.log)
    repeat = receive(window, kb, NEXT, by_name=False)
    assert repeat <= 4, f"{repeat} keys beyond the applicant's data: {kb.log[mark:]}"

    # find the first from F3: type, Enter goes to the results, Enter opens
    kb.press(Qt.Key.Key_F3)
    assert kb.focused() is window.dossiers.search
    kb.type("le thi binh")
    kb.press(Qt.Key.Key_Return)
    assert kb.focused() is window.dossiers.table
    with qtbot.waitSignal(window.dossier_opened, timeout=5000) as opened:
        kb.press(Qt.Key.Key_Return)
    detail = opened.args[0]
    assert isinstance(detail, DossierDetailDialog) and detail.view.code == code
    qtbot.waitUntil(lambda: QApplication.activeWindow() is detail, timeout=5000)

    # ask for a supplement: Alt+B, tick the first paper, a reason, Ctrl+Enter
    kb.press(Qt.Key.Key_B, ALT)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is not detail, timeout=5000)
    kb.press(Qt.Key.Key_Space)  # the first missing paper
    kb.press(Qt.Key.Key_Tab)
    kb.type("Thieu ban sao giay chung sinh")
    with qtbot.waitSignal(detail.form_ready, timeout=15_000):
        kb.press(Qt.Key.Key_Return, CTRL)
    assert ctx.app.dossiers.get(code).status is Status.SUPPLEMENT_REQUESTED
    # Mẫu 02 opens in its preview: Alt+Y prints it, Esc closes it, Esc closes the dossier
    qtbot.waitUntil(lambda: isinstance(QApplication.activeWindow(), PreviewDialog), timeout=5000)
    jobs = len(printer.jobs)
    kb.press(Qt.Key.Key_Y, ALT)
    qtbot.waitUntil(lambda: len(printer.jobs) > jobs, timeout=15_000)
    kb.press(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is detail, timeout=5000)
    kb.press(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)

    # back from the results to the search with Esc
    kb.press(Qt.Key.Key_Escape)
    assert kb.focused() is window.dossiers.search

    # F4: the citizen's lookup, the code typed and Enter
    kb.press(Qt.Key.Key_F4)
    assert kb.focused() is window.lookup.input
    kb.type(code)
    kb.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "bổ sung" in window.lookup.status_label.text().lower(), timeout=5000)

    # sign out; the supervisor prints the day's summary from F6
    kb.press(Qt.Key.Key_L, CTRL | SHIFT)
    boss_window = sign_in(qtbot, shell, kb, "boss")
    kb.press(Qt.Key.Key_F6)
    page = boss_window.daily
    assert page is not None and page.isAncestorOf(kb.focused())
    qtbot.waitUntil(page.preview.print_button.isEnabled, timeout=15_000)  # the day, read
    jobs = len(printer.jobs)
    kb.press(Qt.Key.Key_Y, ALT)  # "In ngay"
    qtbot.waitUntil(lambda: len(printer.jobs) > jobs, timeout=15_000)
    assert printer.jobs[-1][2].startswith("bao-cao-ngay")
    shell.sign_out()
    shell.dialog.close()
