"""The look shared by every screen that the sign-in window needs too: Qt alone, so that it
shows before the rest of the interface is imported (``ui.widgets`` re-exports these)."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel

ERROR_STYLE = "color: #b3261e;"


def heading(text: str, size_delta: int = 3, bold: bool = True) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSize(max(6, font.pointSize() + size_delta))
    font.setBold(bold)
    label.setFont(font)
    label.setWordWrap(True)
    return label
