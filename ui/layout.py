"""Layout pieces that keep every screen whole from 1024×600 to 1920×1080."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    """One line of text that gives up its width when room is short: the end is replaced
    by "…", and the whole text is in the tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None, minimum: int = 60):
        super().__init__(text, parent)
        self._minimum = minimum
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)
        self.updateGeometry()

    def minimumSizeHint(self) -> QSize:
        return QSize(self._minimum, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(
            self.fontMetrics().horizontalAdvance(self.text()) + 8, super().sizeHint().height()
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, int(self.alignment()), text)


def scrolling(content: QWidget) -> QScrollArea:
    """``content`` in a frameless area that scrolls up and down when the screen is low, and
    follows the keyboard: the field that takes the focus is scrolled into view."""
    area = FollowingScrollArea()
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    area.setWidget(content)
    return area


class FollowingScrollArea(QScrollArea):
    """Scrolls the focused field into view, however it got the focus (Tab, Enter, Alt+key)."""

    def follow(self, widget: QWidget | None) -> None:
        content = self.widget()
        if widget is not None and content is not None and content.isAncestorOf(widget):
            self.ensureWidgetVisible(widget, 8, 24)
