"""The procedure type-ahead of intake: the catalogue as a list, its filter, and the picker
that drives a line edit with them.

Matching is on folded text (no diacritics needed, ``đ`` = ``d``), every word typed in any
order; the best match first by the rule of ``counter.typeahead``, this counter's most used
procedures first among equals (counted on the read worker, again a little after dossiers
were received). Enter takes the highlighted match, else the code typed, else the first
match; Down, or Enter in the empty field, opens the list (the most used first).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QCompleter, QLineEdit

from counter import typeahead
from counter.clock import now
from counter.views import ProcedureView
from ui.context import UiContext
from ui.models import KEY_ROLE, OBJECT_ROLE, ROOT, Index
from ui.operations import Changes, Op

FOLDED_ROLE = Qt.ItemDataRole.UserRole + 3  # folded text to match against
#: "most used" counts the dossiers received over these last days
USAGE_DAYS = 90
#: after dossiers changed, the counts are read again this much later (one read for a burst)
USAGE_REFRESH_MS = 2000


class ProcedureListModel(QAbstractListModel):
    """The active procedures, each with a folded text of its code, name and field."""

    def __init__(self, procedures: Sequence[ProcedureView] = (), parent: QObject | None = None):
        super().__init__(parent)
        self._items: list[ProcedureView] = []
        self._entries: list[typeahead.Entry] = []
        self.set_procedures(procedures)

    def set_procedures(self, procedures: Sequence[ProcedureView]) -> None:
        self.beginResetModel()
        self._items = list(procedures)
        self._entries = [
            typeahead.Entry.of(p.code, p.name, p.field_name, i) for i, p in enumerate(self._items)
        ]
        self.endResetModel()

    def entry(self, row: int) -> typeahead.Entry:
        return self._entries[row]

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
            return self._entries[index.row()].haystack
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
    """Keeps the procedures that match what was typed, best first, by the rule of
    ``counter.typeahead`` (whole name, then start of the name, then a run of its words,
    then anywhere; the counter's most used first within each)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._query = typeahead.Query.of("")
        self._usage: dict[str, int] = {}
        self._ranks: dict[int, typeahead.Rank | None] = {}
        self.sort(0)

    def set_query(self, text: str) -> None:
        query = typeahead.Query.of(text)
        if query == self._query:
            return
        self._refilter(lambda: setattr(self, "_query", query))

    @property
    def usage(self) -> dict[str, int]:
        return dict(self._usage)

    def set_usage(self, usage: dict[str, int]) -> None:
        """Dossiers received lately per procedure code: the most used first within a group."""
        if usage != self._usage:
            self._refilter(lambda: setattr(self, "_usage", dict(usage)))

    def _refilter(self, change: Any) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 and later
            self.beginFilterChange()
            change()
            self._ranks.clear()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self._ranks.clear()
            self.invalidateRowsFilter()
        self.invalidate()  # the order depends on the query too

    def setSourceModel(self, model: Any) -> None:
        self._ranks.clear()
        model.modelAboutToBeReset.connect(self._ranks.clear)
        model.modelReset.connect(self._ranks.clear)
        super().setSourceModel(model)

    def _rank(self, row: int) -> typeahead.Rank | None:
        if row not in self._ranks:
            entry = self.sourceModel().entry(row)  # type: ignore[attr-defined]
            self._ranks[row] = typeahead.rank(self._query, entry, self._usage)
        return self._ranks[row]

    def lessThan(self, left: Index, right: Index) -> bool:
        a, b = self._rank(left.row()), self._rank(right.row())
        return a is not None and (b is None or a < b)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        return source_parent.isValid() or self._rank(source_row) is not None


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
    #: the counts of the procedures received lately were read (again)
    usage_read = Signal()

    def __init__(
        self, edit: QLineEdit, parent: QObject | None = None, ctx: UiContext | None = None
    ):
        """With ``ctx``, the counter's most used procedures come first among equal matches."""
        super().__init__(parent)
        self.edit = edit
        self.ctx = ctx
        self._pending_usage: dict[str, int] | None = None  # read, not applied yet
        self.usage_timer = QTimer(self)
        self.usage_timer.setSingleShot(True)
        self.usage_timer.setInterval(USAGE_REFRESH_MS)
        self.usage_timer.timeout.connect(self.read_usage)
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
        if ctx is not None:
            ctx.changed.connect(self._on_changes)
            self.read_usage()

    def set_procedures(self, procedures: Sequence[ProcedureView]) -> None:
        self.model.set_procedures(procedures)

    def read_usage(self) -> None:
        """Count the dossiers received lately per procedure, on the read worker."""
        assert self.ctx is not None
        catalog = self.ctx.app.catalog
        since = now().date() - timedelta(days=USAGE_DAYS)
        self.ctx.tasks.run(Op.read(lambda: catalog.usage(since)), self._usage_counted, owner=self)

    def _usage_counted(self, usage: dict[str, int]) -> None:
        self._pending_usage = usage
        if not self.completer.popup().isVisible():  # never reorder the list under the eyes
            self._apply_usage()
        self.usage_read.emit()

    def _apply_usage(self) -> None:
        if self._pending_usage is not None:
            self.filter.set_usage(self._pending_usage)
            self._pending_usage = None

    def _on_changes(self, changes: Changes) -> None:
        if changes.any_dossier:
            self.usage_timer.start()

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
        self._apply_usage()
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
        if not text:  # nothing typed: show the list, the counter's most used first
            self._show_completions()
            return
        exact = self.model.find(text.split(" ")[0])
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
