"""The procedure type-ahead of intake: the catalogue as a list, its filter, and the picker
that drives a line edit with them.

Matching is on folded text (no diacritics needed, ``đ`` = ``d``), every word typed in any
order; the best match first. Enter takes the highlighted match, else the code typed, else
the first match; Down opens the list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QCompleter, QLineEdit

from counter.text import fold
from counter.views import ProcedureView
from ui.models import KEY_ROLE, OBJECT_ROLE, ROOT, Index

FOLDED_ROLE = Qt.ItemDataRole.UserRole + 3  # folded text to match against


class ProcedureListModel(QAbstractListModel):
    """The active procedures, each with a folded text of its code, name and field."""

    def __init__(self, procedures: Sequence[ProcedureView] = (), parent: QObject | None = None):
        super().__init__(parent)
        self._items: list[ProcedureView] = []
        self._folded: list[str] = []
        self.set_procedures(procedures)

    def set_procedures(self, procedures: Sequence[ProcedureView]) -> None:
        self.beginResetModel()
        self._items = list(procedures)
        self._folded = [fold(f"{p.code} {p.name} {p.field_name}") for p in self._items]
        self.endResetModel()

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        p = self._items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return f"{p.code} – {p.name}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{p.field_name}: {p.name}"
        if role == FOLDED_ROLE:
            return self._folded[index.row()]
        if role == OBJECT_ROLE:
            return p
        if role == KEY_ROLE:
            return p.code
        return None

    def find(self, code: str) -> ProcedureView | None:
        code = code.strip()
        for p in self._items:
            if p.code == code:
                return p
        return None


class ProcedureFilter(QSortFilterProxyModel):
    """Keeps the procedures whose folded text holds every folded word typed, in any order;
    the best match first: the code typed, then the name that starts with what was typed."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._words: list[str] = []
        self._phrase = ""
        self.sort(0)

    def set_query(self, text: str) -> None:
        words = fold(text).split()
        # "1.001193 – Đăng ký khai sinh" chosen from the list reads back as a query: the
        # dash is no word to match
        words = [w for w in words if any(ch.isalnum() for ch in w)]
        if words == self._words:
            return
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 and later
            self.beginFilterChange()
            self._set_words(words)
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._set_words(words)
            self.invalidateRowsFilter()
        self.invalidate()  # the order depends on the query too

    def _set_words(self, words: list[str]) -> None:
        self._words = words
        self._phrase = " ".join(words)

    def _rank(self, row: int) -> tuple[int, int, int, int]:
        model = self.sourceModel()
        index = model.index(row, 0)
        folded = str(model.data(index, FOLDED_ROLE) or "")
        code = str(model.data(index, KEY_ROLE) or "")
        name = folded[len(code) + 1 :]
        at = name.find(self._phrase) if self._phrase else 0
        return (
            0 if self._phrase and code.startswith(self._phrase) else 1,
            at if at >= 0 else 10_000,
            len(name),
            row,
        )

    def lessThan(self, left: Index, right: Index) -> bool:
        return self._rank(left.row()) < self._rank(right.row())

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._words:
            return True
        model = self.sourceModel()
        folded = model.data(model.index(source_row, 0, source_parent), FOLDED_ROLE) or ""
        return all(w in folded for w in self._words)


class ProcedurePicker(QObject):
    """Drives ``edit``: typing filters the catalogue into a popup, Enter or a click picks.

    The texts on screen (names, placeholder, the "no match" message) are the page's.
    """

    #: a procedure was picked (its ``ProcedureView``)
    chosen = Signal(object)
    #: the text was edited by hand: the procedure picked before is no longer
    edited = Signal()
    #: nothing matches the text typed (True), or something does again (False)
    no_match = Signal(bool)

    def __init__(self, edit: QLineEdit, parent: QObject | None = None):
        super().__init__(parent)
        self.edit = edit
        self.model = ProcedureListModel(parent=self)
        self.filter = ProcedureFilter(self)
        self.filter.setSourceModel(self.model)
        self.completer = QCompleter(self.filter, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(12)
        self.completer.setWidget(edit)
        self.completer.activated[QModelIndex].connect(self._on_completion)
        edit.textEdited.connect(self._on_typed)
        edit.returnPressed.connect(self._on_enter)
        edit.installEventFilter(self)

    def set_procedures(self, procedures: Sequence[ProcedureView]) -> None:
        self.model.set_procedures(procedures)

    def find(self, code: str) -> ProcedureView | None:
        return self.model.find(code)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key == Qt.Key.Key_Down and not self.completer.popup().isVisible():
                self._show_completions()
                return True
        return super().eventFilter(watched, event)

    def _on_typed(self, text: str) -> None:
        self.edited.emit()
        self.filter.set_query(text)
        if text.strip():
            self._show_completions()
        else:
            self.completer.popup().hide()

    def _show_completions(self) -> None:
        if self.filter.rowCount() == 0:
            self.completer.popup().hide()
            self.no_match.emit(bool(self.edit.text().strip()))
            return
        self.no_match.emit(False)
        self.completer.complete()
        popup = self.completer.popup()
        popup.setCurrentIndex(self.completer.completionModel().index(0, 0))

    def _on_completion(self, index: QModelIndex) -> None:
        code = index.data(KEY_ROLE)
        procedure = self.model.find(str(code)) if code else None
        if procedure is not None:
            self.choose(procedure)

    def _on_enter(self) -> None:
        popup = self.completer.popup()
        if popup.isVisible() and popup.currentIndex().isValid():
            self._on_completion(popup.currentIndex())
            return
        text = self.edit.text().strip()
        exact = self.model.find(text.split(" ")[0]) if text else None
        if exact is not None:
            self.choose(exact)
        elif self.filter.rowCount() >= 1:
            first = self.filter.index(0, 0).data(KEY_ROLE)
            found = self.model.find(str(first))
            if found is not None:
                self.choose(found)

    def choose(self, procedure: ProcedureView) -> None:
        self.completer.popup().hide()
        self.edit.setText(f"{procedure.code} – {procedure.name}")
        # the filter stays as it is: QCompleter may still activate the row it had current
        # when Enter reached the popup, and that row must still be this procedure
        self.chosen.emit(procedure)

    def clear(self) -> None:
        self.completer.popup().hide()
        self.edit.clear()
        self.filter.set_query("")
