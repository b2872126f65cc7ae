"""A day at the counter with the keyboard only: sign in, receive a birth registration typed
from the procedure field to Ctrl+Enter, find it from F3, ask for a supplement, look it up
from F4, then a supervisor prints the day's summary from F6.

Every key goes to the widget that has the focus, as a real keyboard's would; after each key
the focus must be on a control of the active window (a key that leaves the focus nowhere
is a key a clerk loses). The keys are counted; the intake's count beyond the applicant's
own data is what ``python -m bench`` reports as ``intake_keystrokes``."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from counter.statuses import Status
from tests.conftest import PASSWORD
from tests.ui.uikit import type_text
from ui.app import Shell
from ui.dossier_detail import DossierDetailDialog
from ui.main_window import MainWindow
from ui.pdf_preview import PreviewDialog

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier

#: the applicant's own data typed in the intake (keys a clerk cannot save)
APPLICANT = {"name": "Lê Thị Bình", "id": "001190012345", "phone": "0912345678"}


@dataclass
class Keyboard:
    """Presses keys on whatever has the focus, counts them, and checks where focus went."""

    qtbot: object
    keys: int = 0
    data_keys: int = 0
    log: list[str] = field(default_factory=list)

    def settle(self) -> None:
        """Let a window that closed hand the keyboard back (the window manager's turn)."""

        def landed() -> bool:
            widget = QApplication.focusWidget()
            return widget is not None and widget.window() is QApplication.activeWindow()

        if not landed():
            self.qtbot.waitUntil(landed, timeout=5000)  # type: ignore[attr-defined]

    def focused(self) -> QWidget:
        self.settle()
        widget = QApplication.focusWidget()
        assert widget is not None, f"after {self.log[-8:]} the focus is nowhere"
        assert widget.isVisible() and widget.isEnabled(), f"focus on a hidden control {widget!r}"
        assert widget.focusPolicy() != Qt.FocusPolicy.NoFocus, f"focus on {widget!r}"
        active = QApplication.activeWindow()
        assert active is not None and widget.window() is active, (
            f"after {self.log[-8:]} the focus {widget!r} is not in the active window {active!r}"
        )
        return widget

    def press(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = NONE) -> None:
        QTest.keyClick(self.focused(), key, modifiers)
        self.keys += 1
        self.log.append(f"{modifiers!r}+{key!r}")
        QApplication.processEvents()
        self.focused()

    def type(self, text: str, *, data: bool = False) -> None:
        """Characters, one key each (a Vietnamese keyboard layout sends each letter whole)."""
        for ch in text:
            type_text(self.focused(), ch)
            self.keys += 1
            self.data_keys += data
            self.log.append(ch)
        QApplication.processEvents()
        self.focused()


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


def receive_birth_registration(qtbot, window: MainWindow, kb: Keyboard) -> str:
    """The intake of one birth registration; returns its code."""
    intake = window.intake
    qtbot.waitUntil(lambda: intake.picker.find("1.001193") is not None, timeout=5000)
    kb.press(Qt.Key.Key_F2)
    assert kb.focused() is intake.procedure_edit
    kb.type("khai sinh")
    kb.press(Qt.Key.Key_Return)
    assert intake.procedure is not None and intake.procedure.code == "1.001193"
    assert kb.focused() is intake.applicant.name_field.edit
    kb.type(APPLICANT["name"], data=True)
    kb.press(Qt.Key.Key_Return)
    kb.type(APPLICANT["id"], data=True)
    kb.press(Qt.Key.Key_Return)  # past the document type: CCCD
    assert kb.focused() is intake.applicant.phone_field.edit
    kb.type(APPLICANT["phone"], data=True)
    with qtbot.waitSignal(intake.receipt_printed, timeout=15_000) as printed:
        kb.press(Qt.Key.Key_Return, CTRL)
    assert kb.focused() is intake.procedure_edit  # ready for the next citizen
    return str(printed.args[0])


def test_a_day_at_the_counter_without_the_mouse(qtbot, ctx, printer):
    kb = Keyboard(qtbot)
    shell = Shell(ctx, idle_ms=0)
    with qtbot.waitSignal(shell.ready):
        shell.start()
    window = sign_in(qtbot, shell, kb, "clerk")

    # intake
    before = kb.keys
    code = receive_birth_registration(qtbot, window, kb)
    intake_keys = kb.keys - before
    overhead = intake_keys - kb.data_keys
    assert overhead <= 14, f"{overhead} keys beyond the applicant's data: {kb.log[before:]}"
    assert ctx.app.dossiers.get(code).applicant_name == APPLICANT["name"]

    # the next citizen, same procedure: the cursor is already in the procedure field, and
    # the counter's most used procedure is the first the list offers (Down, Enter)
    intake = window.intake
    qtbot.waitUntil(lambda: intake.picker.filter.usage.get("1.001193", 0) >= 1, timeout=10_000)
    before, data_before = kb.keys, kb.data_keys
    kb.press(Qt.Key.Key_Down)
    kb.press(Qt.Key.Key_Return)
    assert intake.procedure is not None and intake.procedure.code == "1.001193"
    kb.type("Trần Văn Cường", data=True)
    kb.press(Qt.Key.Key_Return)
    kb.type("001090054321", data=True)
    kb.press(Qt.Key.Key_Return)
    with qtbot.waitSignal(intake.receipt_printed, timeout=15_000):
        kb.press(Qt.Key.Key_Return, CTRL)
    repeat_overhead = (kb.keys - before) - (kb.data_keys - data_before)
    assert repeat_overhead <= 5, f"{repeat_overhead} keys beyond the data: {kb.log[before:]}"

    # find it from F3: type, Enter goes to the results, Enter opens
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
    assert printer.jobs[-1][2].startswith("bao-cao")
    shell.sign_out()
    shell.dialog.close()
