"""Small building blocks shared by the screens."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QDate, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui import i18n
from ui.style import ERROR_STYLE
from ui.style import heading as heading

HINT_STYLE = "color: #7a4f00; background: #fff4d6; border: 1px solid #e8c66a; padding: 4px;"


def error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setVisible(False)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def bigger(widget: QWidget, factor: float) -> None:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    widget.setFont(font)


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def rows_table(model: QAbstractItemModel, accessible_name: str) -> QTableView:
    """A read-only table of whole rows, one selected at a time (accounts, calendar days)."""
    table = QTableView()
    table.setModel(model)
    table.setAccessibleName(accessible_name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


class CheckedField(QWidget):
    """A line edit with its validation message right under it.

    The validator is one of ``counter.validation``'s checks: it returns the clean value or
    raises ``InvalidInput``, whose message (in the interface's language) is shown here.
    Errors appear when the clerk leaves the field (or presses Enter), and go away as soon
    as the text is right again.
    """

    validity_changed = Signal(bool)

    def __init__(
        self,
        validator: Callable[[str], Any],
        accessible_name: str,
        placeholder: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.validator = validator
        self.edit = QLineEdit()
        self.edit.setAccessibleName(accessible_name)
        self.edit.setPlaceholderText(placeholder)
        self.error = error_label()
        self.error.setAccessibleName(accessible_name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.error)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._on_text_changed)
        self.edit.editingFinished.connect(self.check)
        self._valid = True

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:
        self.edit.setText(text)

    def clear(self) -> None:
        self.edit.clear()
        self.set_error("")

    def check(self) -> bool:
        """Run the validator now and show its verdict; True if the value is acceptable."""
        from protocol.errors import KnownError  # not before the sign-in window shows

        try:
            self.validator(self.edit.text())
        except KnownError as exc:
            self.set_error(exc.message(i18n.lang()))
            return False
        self.set_error("")
        return True

    def value(self) -> Any:
        return self.validator(self.edit.text())

    def _on_text_changed(self) -> None:
        if not self.error.isHidden():
            self.check()

    def set_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        self.edit.setProperty("invalid", bool(message))
        self.edit.setStyleSheet("border: 1px solid #b3261e;" if message else "")
        self.edit.setAccessibleDescription(message)
        valid = not message
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)

    @property
    def error_text(self) -> str:
        return "" if self.error.isHidden() else self.error.text()
