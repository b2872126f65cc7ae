"""Driving the desktop with the keyboard alone, as a clerk does, counting the keys.

Every key goes to the widget that has the focus, as a real keyboard's would, and after
each key the focus must have landed on a control of the active window: a key that leaves
the focus nowhere is a key a clerk loses. The keyboard-only end-to-end test and
``python -m bench`` (``ui_intake_keystrokes``) drive the same intake through this module.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QKeyCombination, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

CTRL = Qt.KeyboardModifier.ControlModifier
NONE = Qt.KeyboardModifier.NoModifier

#: the birth registration of the sample catalogue, and how a clerk types it
BIRTH = "1.001193"
BIRTH_TYPED = "khai sinh"


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Run the event loop until ``predicate`` holds (a generous bound: never a measurement)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("waited too long for the screen")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def type_char(widget: QWidget, ch: str) -> None:
    """One character, as one key press: ASCII through QTest, a Vietnamese letter as the
    composed character a Vietnamese keyboard (or input method) sends."""
    if ch.isascii():
        QTest.keyClicks(widget, ch)
        return
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, 0, NONE, ch))


@dataclass
class Keyboard:
    """Presses keys on whatever has the focus, counts them, checks where the focus went."""

    keys: int = 0
    data_keys: int = 0
    log: list[str] = field(default_factory=list)

    def focused(self) -> QWidget:
        def landed() -> bool:
            widget = QApplication.focusWidget()
            return widget is not None and widget.window() is QApplication.activeWindow()

        if not landed():  # a window that closed hands the keyboard back on the next turn
            try:
                wait_until(landed, 5.0)
            except TimeoutError:
                raise AssertionError(f"after {self.log[-8:]} the focus is nowhere") from None
        widget = QApplication.focusWidget()
        assert widget is not None
        assert widget.isVisible() and widget.isEnabled(), f"focus on a hidden control {widget!r}"
        assert widget.focusPolicy() != Qt.FocusPolicy.NoFocus, f"focus on {widget!r}"
        return widget

    def press(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = NONE) -> None:
        QTest.keyClick(self.focused(), key, modifiers)
        self.keys += 1
        self.log.append(key_name(modifiers, key))
        QApplication.processEvents()
        self.focused()

    def type(self, text: str, *, data: bool = False) -> None:
        """Characters, one key each; ``data``: the applicant's own (not counted as overhead)."""
        for ch in text:
            type_char(self.focused(), ch)
            self.keys += 1
            self.data_keys += data
            self.log.append(ch)
        QApplication.processEvents()
        self.focused()

    def overhead_since(self, keys: int, data_keys: int) -> int:
        """Keys since a mark beyond the applicant's own data."""
        return (self.keys - keys) - (self.data_keys - data_keys)


def key_name(modifiers: Qt.KeyboardModifier, key: Qt.Key) -> str:
    """A readable name of a key press for the log ("Ctrl+Return")."""
    return QKeySequence(QKeyCombination(modifiers, key)).toString()


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str
    phone: str = ""


def receive(window: Any, kb: Keyboard, applicant: Applicant, *, by_name: bool) -> int:
    """Receive a birth registration from the intake's procedure field to Ctrl+Enter, with
    the cursor already there; returns the keys beyond the applicant's data. ``by_name``:
    the procedure typed by name, else taken as the counter's most used (Down, Enter)."""
    intake = window.intake
    assert kb.focused() is intake.procedure_edit, "the cursor is not in the procedure field"
    mark = kb.keys, kb.data_keys
    if by_name:
        kb.type(BIRTH_TYPED)
    else:
        kb.press(Qt.Key.Key_Down)
    kb.press(Qt.Key.Key_Return)
    assert intake.procedure is not None and intake.procedure.code == BIRTH, intake.procedure
    assert kb.focused() is intake.applicant.name_field.edit
    kb.type(applicant.name, data=True)
    kb.press(Qt.Key.Key_Return)
    kb.type(applicant.id_number, data=True)
    if applicant.phone:
        kb.press(Qt.Key.Key_Return)  # past the document type (CCCD) to the phone
        assert kb.focused() is intake.applicant.phone_field.edit
        kb.type(applicant.phone, data=True)
    saved: list[object] = []
    intake.receipt_printed.connect(lambda *args: saved.append(args))
    kb.press(Qt.Key.Key_Return, CTRL)
    wait_until(lambda: bool(saved), 30.0)
    assert kb.focused() is intake.procedure_edit, "not ready for the next citizen"
    return kb.overhead_since(*mark)
