"""Where the clerk's messages go: a band under the screen that shows each message whole.

A message is never cut off: its text wraps over as many lines as it needs. The last few stay
for a while, each with a button that closes it; a message about a file (a PDF saved or kept
after printing, a CSV) shows where the file is, with "Mở" to open it in the system's viewer.
F12 puts the keyboard on the newest message; Esc closes it and gives the keyboard back.
Nothing here takes the keyboard by itself: a clerk typing never loses a key to a message.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

#: how long a message stays (a message about a file stays longer: its path is to be read)
NOTICE_MS = 30_000
FILE_NOTICE_MS = 120_000
#: how many messages stay at most; the oldest goes first
KEEP = 3

NOTICE_STYLE = (
    "QFrame#notice { background: #eef3fc; border: 1px solid #a8c0e8; border-radius: 4px; }"
    "QFrame#notice:focus { border: 2px solid #1a56b0; }"
)


class Notice(QFrame):
    """One message: its whole text, "Mở" for a file, and a button that closes it."""

    closed = Signal(object)

    def __init__(self, text: str, path: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.setObjectName("notice")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(text)
        self.label = QLabel(text)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.open_button: QPushButton | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 4, 4)
        row.addWidget(self.label, 1)
        if path is not None:
            self.open_button = QPushButton(self.tr("Mở"))
            self.open_button.setToolTip(self.tr("Mở tệp {name}").format(name=path.name))
            self.open_button.setAccessibleName(self.tr("Mở tệp {name}").format(name=path.name))
            self.open_button.clicked.connect(self.open_file)
            row.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.close_button.setToolTip(self.tr("Đóng thông báo (Esc)"))
        self.close_button.setAccessibleName(self.tr("Đóng thông báo"))
        self.close_button.clicked.connect(self.dismiss)
        self.close_button.setProperty("keyboardAlternative", "F12, then Esc")
        row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(FILE_NOTICE_MS if path is not None else NOTICE_MS)
        self.timer.timeout.connect(self._expire)
        self.timer.start()

    @property
    def text(self) -> str:
        return self.label.text()

    def has_keyboard(self) -> bool:
        focus = QApplication.focusWidget()
        return focus is not None and (focus is self or self.isAncestorOf(focus))

    def _expire(self) -> None:
        if self.has_keyboard() or self.underMouse():  # being read: it stays a while longer
            self.timer.start()
            return
        self.dismiss()

    def open_file(self) -> bool:
        """Open the file with the system's viewer (a PDF reader, a spreadsheet)."""
        assert self.path is not None
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path)))

    def dismiss(self) -> None:
        self.timer.stop()
        self.closed.emit(self)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Esc here, or on its buttons (which pass Esc on to the message)
        if event.key() == Qt.Key.Key_Escape:
            self.dismiss()
            return
        super().keyPressEvent(event)


class NoticeArea(QWidget):
    """The last few messages, newest at the bottom; hidden when there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Thông báo"))
        self.setStyleSheet(NOTICE_STYLE)
        self.notices: list[Notice] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 4, 0, 0)
        self._layout.setSpacing(4)
        self._return_to: QWidget | None = None
        #: F12: the keyboard to the newest message (added to the window's actions)
        self.focus_action = QAction(self.tr("Đến thông báo mới nhất"), self)
        self.focus_action.setShortcut(QKeySequence(Qt.Key.Key_F12))
        self.focus_action.triggered.connect(self.focus_latest)
        self.setVisible(False)

    def show_notice(self, text: str, path: object = None) -> Notice:
        """Show ``text`` whole; ``path`` (a file just written) adds "Mở"."""
        file = Path(str(path)) if path else None
        if self.notices and self.notices[-1].text == text and self.notices[-1].path == file:
            latest = self.notices[-1]  # the same again: it stays, and stays longer
            latest.timer.start()
            return latest
        notice = Notice(text, file, self)
        notice.closed.connect(self._remove)
        self.notices.append(notice)
        self._layout.addWidget(notice)
        while len(self.notices) > KEEP:
            self._remove(self.notices[0])
        self.setVisible(True)
        return notice

    def latest(self) -> Notice | None:
        return self.notices[-1] if self.notices else None

    def texts(self) -> list[str]:
        return [n.text for n in self.notices]

    def focus_latest(self) -> None:
        """Put the keyboard on the newest message (its "Mở" when it has one)."""
        notice = self.latest()
        if notice is None:
            return
        focus = QApplication.focusWidget()
        if focus is not None and not self.isAncestorOf(focus):
            self._return_to = focus
        (notice.open_button or notice).setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _remove(self, notice: Notice) -> None:
        if notice not in self.notices:
            return
        had_keyboard = notice.has_keyboard()
        self.notices.remove(notice)
        notice.timer.stop()
        notice.hide()
        notice.deleteLater()
        self.setVisible(bool(self.notices))
        if had_keyboard:
            self._give_keyboard_back()

    def _give_keyboard_back(self) -> None:
        target = self._return_to
        self._return_to = None
        if target is not None and shiboken6.isValid(target) and target.isVisible():
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.notices:
            self.notices[-1].setFocus(Qt.FocusReason.OtherFocusReason)
