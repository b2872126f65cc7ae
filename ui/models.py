"""Thin Qt models over the services' views.

- :class:`DossierTableModel`: the dossier list, loaded page by page from
  ``ReportService.page`` (``canFetchMore``/``fetchMore``) on the read worker; sorting
  re-queries the database with ``ORDER BY``, so a million dossiers never come into memory.
- :class:`DocumentChecklistModel`: the required documents at intake, with counts.
- :class:`RowsModel`: a read-only table over a list of frozen views, for the small lists
  (accounts, calendar overrides, outbox entries).

The catalogue's models for the procedure type-ahead are in ``ui.procedure_picker``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QApplication, QStyle

from counter.clock import now
from counter.reports import DossierFilter
from counter.views import DocumentLine, DossierSummary
from ui import formatting
from ui.operations import Op

translate = QCoreApplication.translate

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()

#: custom roles
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's view object
KEY_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's key (dossier code, procedure code...)

OVERDUE_BACKGROUND = QColor("#fde2e1")
OVERDUE_FOREGROUND = QColor("#8a1c1c")


class Runner(Protocol):
    """The shape of ``TaskManager.run``: run ``op`` somewhere, call back on the GUI thread."""

    def __call__(
        self,
        op: Op[Any],
        on_success: Callable[[Any], None] | None = ...,
        on_failure: Callable[[BaseException], None] | None = ...,
        owner: QObject | None = ...,
    ) -> Any: ...


class DossierSource(Protocol):
    def page(
        self, f: DossierFilter, offset: int, limit: int, sort: str = ..., descending: bool = ...
    ) -> list[DossierSummary]: ...

    def count(self, f: DossierFilter) -> int: ...


@dataclass(frozen=True)
class Column:
    key: str  # the sort key of ReportService.SORTABLE, or "" if not sortable
    title: str


def dossier_columns() -> list[Column]:
    return [
        Column("code", translate("DossierList", "Mã hồ sơ")),
        Column("applicant_name", translate("DossierList", "Người nộp")),
        Column("procedure_code", translate("DossierList", "Thủ tục")),
        Column("status", translate("DossierList", "Trạng thái")),
        Column("received_at", translate("DossierList", "Ngày nhận")),
        Column("due_at", translate("DossierList", "Hẹn trả")),
    ]


class DossierTableModel(QAbstractTableModel):
    """The dossier list, a page at a time, newest first unless sorted otherwise."""

    #: a query finished loading its first page (rows shown)
    loaded = Signal()
    #: the number of dossiers matching the filter is known
    total_changed = Signal(int)
    #: loading started/finished (for a busy indicator)
    busy_changed = Signal(bool)
    failed = Signal(object)

    PAGE = 200

    def __init__(
        self,
        source: DossierSource,
        runner: Runner,
        page_size: int = PAGE,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._source = source
        self._run = runner
        self._page = page_size
        self._columns = dossier_columns()
        self._rows: list[DossierSummary] = []
        self._filter = DossierFilter()
        self._sort = "received_at"
        self._descending = True
        self._generation = 0
        self._exhausted = True
        self._fetching = False
        self._busy = False
        self._total: int | None = None
        self._now = now()
        self._warning_icon = None
        self._queued: list[Any] = []  # futures of questions not answered yet

    # -- the query --------------------------------------------------------------------------

    @property
    def filter(self) -> DossierFilter:
        return self._filter

    @property
    def total(self) -> int | None:
        return self._total

    @property
    def sort_key(self) -> tuple[str, bool]:
        return self._sort, self._descending

    def set_filter(self, f: DossierFilter) -> None:
        self._filter = f
        self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns) or not self._columns[column].key:
            return
        key = self._columns[column].key
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._sort, self._descending) and self._generation:
            return
        self._sort, self._descending = key, descending
        self.reload()

    def sort_column(self) -> int:
        for i, c in enumerate(self._columns):
            if c.key == self._sort:
                return i
        return -1

    def reload(self) -> None:
        """Ask again from the first page; answers to older questions are dropped, and
        older questions not started yet are not asked at all."""
        for future in self._queued:
            cancel = getattr(future, "cancel", None)
            if cancel is not None:
                cancel()
        self._queued = []
        self._generation += 1
        generation = self._generation
        f, sort, desc, size = self._filter, self._sort, self._descending, self._page
        self._fetching = False
        self._total = None
        self._set_busy(True)
        source = self._source
        self._queued = [
            self._run(
                Op.read(lambda: source.page(f, 0, size, sort, desc)),
                lambda rows: self._first_page(generation, rows),
                lambda exc: self._failed(generation, exc),
                self,
            ),
            self._run(
                Op.read(lambda: source.count(f)),
                lambda n: self._counted(generation, n),
                lambda exc: self._failed(generation, exc),
                self,
            ),
        ]

    def _first_page(self, generation: int, rows: list[DossierSummary]) -> None:
        if generation != self._generation:
            return
        self._fetching = True  # no fetchMore from a view while the reset goes out
        self.beginResetModel()
        self._now = now()
        self._rows = list(rows)
        self._exhausted = len(rows) < self._page
        self.endResetModel()
        self._fetching = False
        self._set_busy(False)
        self.loaded.emit()

    def _counted(self, generation: int, n: int) -> None:
        if generation != self._generation:
            return
        self._total = n
        self.total_changed.emit(n)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._fetching = False
        self._set_busy(False)
        self.failed.emit(exc)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)

    @property
    def busy(self) -> bool:
        return self._busy

    # -- lazy loading -----------------------------------------------------------------------

    def canFetchMore(self, parent: Index = ROOT) -> bool:
        return not parent.isValid() and not self._exhausted and not self._fetching

    def fetchMore(self, parent: Index = ROOT) -> None:
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        generation = self._generation
        f, sort, desc, size = self._filter, self._sort, self._descending, self._page
        offset = len(self._rows)
        source = self._source
        self._run(
            Op.read(lambda: source.page(f, offset, size, sort, desc)),
            lambda rows: self._more(generation, offset, rows),
            lambda exc: self._failed(generation, exc),
            self,
        )

    def _more(self, generation: int, offset: int, rows: list[DossierSummary]) -> None:
        if generation != self._generation or offset != len(self._rows):
            return
        self._exhausted = len(rows) < self._page
        if rows:
            self.beginInsertRows(ROOT, offset, offset + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self._fetching = False  # only now: views may ask for more while rows go in

    # -- the table --------------------------------------------------------------------------

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._columns)
            and role == Qt.ItemDataRole.DisplayRole
        ):
            return self._columns[section].title
        return None

    def is_overdue(self, d: DossierSummary) -> bool:
        return d.status.is_open and d.due_at < self._now

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        d = self._rows[index.row()]
        key = self._columns[index.column()].key
        overdue = self.is_overdue(d)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(d, key, overdue)
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "procedure_code":
                return d.procedure_name
            if overdue:
                return formatting.overdue_days(d.due_at, self._now)
            return None
        if role == Qt.ItemDataRole.BackgroundRole and overdue:
            return QBrush(OVERDUE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and overdue:
            return QBrush(OVERDUE_FOREGROUND)
        if role == Qt.ItemDataRole.DecorationRole and overdue and key == "due_at":
            return self._warning()
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._text(d, key, overdue)
            return text
        if role == OBJECT_ROLE:
            return d
        if role == KEY_ROLE:
            return d.code
        return None

    def _text(self, d: DossierSummary, key: str, overdue: bool) -> str:
        if key == "code":
            return d.code
        if key == "applicant_name":
            return d.applicant_name
        if key == "procedure_code":
            return f"{d.procedure_code} – {d.procedure_name}"
        if key == "status":
            return formatting.status(d.status)
        if key == "received_at":
            return formatting.moment(d.received_at)
        if key == "due_at":
            text = formatting.moment(d.due_at)
            if overdue:
                text += " – " + formatting.overdue_days(d.due_at, self._now)
            return text
        return ""

    def _warning(self) -> Any:
        if self._warning_icon is None:
            style = QApplication.style()
            self._warning_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        return self._warning_icon


# -- documents at intake -------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentRow:
    line: DocumentLine
    received: bool = True


class DocumentChecklistModel(QAbstractTableModel):
    """The procedure's documents: received or not, originals, copies.

    Only the ``required`` ones start ticked; a conditional or optional paper is ticked by
    the clerk when the citizen hands it in. A required one left unticked makes the dossier
    incomplete: guidance (Mẫu 02), not a receipt.
    """

    MAX_COUNT = 99

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[DocumentRow] = []

    def set_documents(
        self, documents: Sequence[DocumentLine], received: Sequence[str] | None = None
    ) -> None:
        """The procedure's list; ticked: the required ones, or the codes in ``received``."""
        self.beginResetModel()
        self._rows = [
            DocumentRow(d, d.required if received is None else d.code in received)
            for d in documents
        ]
        self.endResetModel()

    def missing_required(self) -> list[DocumentLine]:
        """Required papers not ticked: the dossier is not complete."""
        return [r.line for r in self._rows if r.line.required and not r.received]

    def received(self) -> list[DocumentLine]:
        return [r.line for r in self._rows if r.received]

    def missing(self) -> list[DocumentLine]:
        return [r.line for r in self._rows if not r.received]

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (
                [
                    translate("Intake", "Giấy tờ (đánh dấu: đã nhận)"),
                    translate("Intake", "Bản chính"),
                    translate("Intake", "Bản sao"),
                ][section]
                if 0 <= section < 3
                else None
            )
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == 0:
                if row.line.required or role == Qt.ItemDataRole.EditRole:
                    return row.line.name
                return f"{row.line.name} ({formatting.requirement(row.line.requirement)})"
            return row.line.originals if col == 1 else row.line.copies
        if role == Qt.ItemDataRole.CheckStateRole and col == 0:
            return Qt.CheckState.Checked if row.received else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return row.line.name
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return False
        row = self._rows[index.row()]
        col = index.column()
        if col == 0 and role == Qt.ItemDataRole.CheckStateRole:
            checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
            self._rows[index.row()] = replace(row, received=checked)
        elif col in (1, 2) and role == Qt.ItemDataRole.EditRole:
            try:
                n = int(value)
            except (TypeError, ValueError):
                return False
            if not 0 <= n <= self.MAX_COUNT:
                return False
            line = replace(row.line, originals=n) if col == 1 else replace(row.line, copies=n)
            self._rows[index.row()] = replace(row, line=line)
        else:
            return False
        self.dataChanged.emit(index, index, [role])
        return True


# -- small read-only tables ----------------------------------------------------------------

R = TypeVar("R")


class RowsModel(QAbstractTableModel, Generic[R]):
    """A read-only table over a list: one getter per column."""

    def __init__(
        self,
        columns: Sequence[tuple[str, Callable[[R], Any]]],
        key: Callable[[R], Any] | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._columns = list(columns)
        self._key = key
        self._rows: list[R] = []
        self.highlight: Callable[[R], bool] | None = None

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_object(self, row: int) -> R:
        return self._rows[row]

    @property
    def rows(self) -> list[R]:
        return list(self._rows)

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section][0]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        obj = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = self._columns[index.column()][1](obj)
            return "" if value is None else str(value)
        if role == OBJECT_ROLE:
            return obj
        if role == KEY_ROLE and self._key is not None:
            return self._key(obj)
        if role == Qt.ItemDataRole.ForegroundRole and self.highlight and self.highlight(obj):
            return QBrush(OVERDUE_FOREGROUND)
        return None
