"""Where the keyboard goes when a window closes: back to the window it was opened from.

A window manager usually does this for a dialog's parent, but not every one does (nor
Qt's offscreen platform), and a keyboard-only clerk whose focus lands nowhere loses the
next keys. Dialogs call :func:`hand_back` as they close.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget


def hand_back(dialog: QWidget) -> None:
    """Activate the window ``dialog`` was opened from, once the dialog is gone."""
    parent = dialog.parentWidget()
    if parent is None:
        return
    window = parent.window()

    def activate() -> None:
        active = QApplication.activeWindow()
        if active is not None and active is not dialog and active.isVisible():
            return  # the keyboard went somewhere already (another dialog opened meanwhile)
        if window.isVisible():
            window.activateWindow()
            window.raise_()

    QTimer.singleShot(0, window, activate)


class ReturningDialog(QDialog):
    """A dialog that gives the keyboard back to its parent window when it closes."""

    def done(self, result: int) -> None:
        super().done(result)
        hand_back(self)
