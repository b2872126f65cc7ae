"""The dossier list: search, filters, sort, overdue marks, a page at a time."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter.clock import now
from counter.reports import DossierFilter
from counter.statuses import Status
from counter.views import ProcedureView
from ui import formatting
from ui.context import UiContext
from ui.dates import date_edit
from ui.models import KEY_ROLE, DossierTableModel
from ui.operations import Changes, Op
from ui.widgets import pydate

SEARCH_DELAY_MS = 300
#: column widths (the procedure takes what is left), wide and under NARROW_TABLE pixels
WIDE_COLUMNS = {0: 218, 1: 175, 3: 125, 4: 132, 5: 255}
NARROW_COLUMNS = {0: 205, 1: 150, 3: 112, 5: 215}
NARROW_TABLE = 1000
RECEIVED_COLUMN = 4


class DossierListPage(QWidget):
    """Every dossier of the counter, newest first; Enter opens one."""

    open_dossier = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, page_size: int = 200):
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName(self.tr("Danh sách hồ sơ"))
        self.model = DossierTableModel(ctx.app.reports, ctx.tasks.run, page_size, self)
        self.model.total_changed.connect(self._show_total)
        self.model.busy_changed.connect(self._show_busy)
        self.model.failed.connect(ctx.notifier.report)

        self.search = QLineEdit()
        self.search.setAccessibleName(self.tr("Tìm hồ sơ"))
        self.search.setPlaceholderText(
            self.tr("Tìm theo mã hồ sơ, tên (có dấu hoặc không), số giấy tờ, điện thoại")
        )
        self.search.setClearButtonEnabled(True)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._typed)
        self.search.returnPressed.connect(self._search_now)
        self.search.installEventFilter(self)

        self.status = QComboBox()
        self.status.setAccessibleName(self.tr("Lọc theo trạng thái"))
        self.status.addItem(self.tr("Mọi trạng thái"), None)
        self.status.addItem(self.tr("Đang giải quyết (chưa xong)"), "open")
        for s in sorted(Status, key=lambda s: s.number):
            self.status.addItem(formatting.status(s), s.value)
        self.status.currentIndexChanged.connect(self.apply_filter)

        self.procedure = QComboBox()
        self.procedure.setAccessibleName(self.tr("Lọc theo thủ tục"))
        self.procedure.setMaximumWidth(320)
        self.procedure.addItem(self.tr("Mọi thủ tục"), "")
        self.procedure.currentIndexChanged.connect(self.apply_filter)

        today = now().date()
        self.use_dates = QCheckBox(self.tr("&Nhận từ ngày"))
        self.use_dates.setAccessibleName(self.tr("Lọc theo ngày nhận"))
        self.date_from = date_edit(today - timedelta(days=30), self.tr("Từ ngày"))
        self.date_to = date_edit(today, self.tr("Đến ngày"))
        for edit in (self.date_from, self.date_to):
            edit.setEnabled(False)
            edit.dateChanged.connect(self.apply_filter)
        self.use_dates.toggled.connect(self._toggle_dates)

        self.overdue = QCheckBox(self.tr("Chỉ hồ sơ &quá hạn"))
        self.overdue.setAccessibleName(self.tr("Chỉ hồ sơ quá hạn"))
        self.overdue.toggled.connect(self.apply_filter)
        self.not_digitised = QCheckBox(self.tr("Chưa &số hóa"))
        self.not_digitised.setAccessibleName(self.tr("Chỉ hồ sơ giấy chưa số hóa đủ"))
        self.not_digitised.setToolTip(
            self.tr("Hồ sơ nộp giấy (trực tiếp, bưu chính) còn giấy tờ chưa quét hoặc đính kèm")
        )
        self.not_digitised.toggled.connect(self.apply_filter)

        self.total_label = QLabel()
        self.total_label.setAccessibleName(self.tr("Số hồ sơ tìm thấy"))
        self.refresh_button = QPushButton(self.tr("Làm &mới"))
        self.refresh_button.clicked.connect(self.model.reload)

        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Bảng hồ sơ"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSortIndicator(self.model.sort_column(), Qt.SortOrder.DescendingOrder)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.sortIndicatorChanged.connect(self.model.sort)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)  # the procedure
        header.setStretchLastSection(False)
        self._fitted_for: bool | None = None
        self.table.doubleClicked.connect(self._open_index)
        enter = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table)
        enter.setContext(Qt.ShortcutContext.WidgetShortcut)
        enter.activated.connect(self.open_current)
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.table)
        back.setContext(Qt.ShortcutContext.WidgetShortcut)
        back.activated.connect(self.focus_search)
        self.model.loaded.connect(self._select_first_if_focused)

        filters = QHBoxLayout()  # two short rows: whole on a 1024-pixel screen
        filters.addWidget(self.status)
        filters.addWidget(self.procedure, 1)
        dates = QHBoxLayout()
        dates.addWidget(self.use_dates)
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel(self.tr("đến")))
        dates.addWidget(self.date_to)
        dates.addSpacing(12)
        dates.addWidget(self.overdue)
        dates.addWidget(self.not_digitised)
        dates.addStretch(1)
        top = QHBoxLayout()
        search_label = QLabel(self.tr("&Tìm:"))
        search_label.setBuddy(self.search)
        top.addWidget(search_label)
        top.addWidget(self.search, 1)
        top.addWidget(self.refresh_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.total_label)
        bottom.addStretch(1)
        legend = QLabel(self.tr("Dòng tô đỏ có dấu ⚠: hồ sơ quá hạn chưa giải quyết xong"))
        legend.setStyleSheet("color: #555;")
        bottom.addWidget(legend)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addLayout(dates)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        QWidget.setTabOrder(self.search, self.refresh_button)
        QWidget.setTabOrder(self.refresh_button, self.status)
        QWidget.setTabOrder(self.status, self.procedure)
        QWidget.setTabOrder(self.procedure, self.use_dates)
        QWidget.setTabOrder(self.use_dates, self.date_from)
        QWidget.setTabOrder(self.date_from, self.date_to)
        QWidget.setTabOrder(self.date_to, self.overdue)
        QWidget.setTabOrder(self.overdue, self.not_digitised)
        QWidget.setTabOrder(self.not_digitised, self.table)

        ctx.changed.connect(self._on_changes)
        self._open_when_loaded = False
        self._started = False
        self.load_procedures()

    def start(self) -> None:
        """The first query; separate from construction so start-up stays quick."""
        if not self._started:
            self._started = True
            self.apply_filter()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.start()

    # -- filters ----------------------------------------------------------------------------

    def load_procedures(self) -> None:
        app = self.ctx.app
        op = Op.read(lambda: app.catalog.procedures(include_inactive=True))
        self.ctx.tasks.run(op, self._fill_procedures, owner=self)

    def _fill_procedures(self, procedures: list[ProcedureView]) -> None:
        current = self.procedure.currentData()
        self.procedure.blockSignals(True)
        self.procedure.clear()
        self.procedure.addItem(self.tr("Mọi thủ tục"), "")
        for p in procedures:
            self.procedure.addItem(f"{p.code} – {p.name}", p.code)
        index = self.procedure.findData(current) if current else 0
        self.procedure.setCurrentIndex(max(0, index))
        self.procedure.blockSignals(False)

    def _toggle_dates(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.apply_filter()

    def current_filter(self) -> DossierFilter:
        status = self.status.currentData()
        if status == "open":
            statuses = tuple(s for s in Status if s.is_open)
        elif status:
            statuses = (Status(status),)
        else:
            statuses = ()
        dates = self.use_dates.isChecked()
        return DossierFilter(
            text=self.search.text().strip(),
            statuses=statuses,
            date_from=pydate(self.date_from.date()) if dates else None,
            date_to=pydate(self.date_to.date()) if dates else None,
            procedure_code=str(self.procedure.currentData() or ""),
            overdue_only=self.overdue.isChecked(),
            not_digitised=self.not_digitised.isChecked(),
        )

    def apply_filter(self) -> None:
        self.search_timer.stop()
        self._started = True
        self.model.set_filter(self.current_filter())

    def _on_changes(self, changes: Changes) -> None:
        if changes.catalog:
            self.load_procedures()
        if not changes.any_dossier:
            return
        if self._started and self.isVisible():
            self.model.reload()
        elif self._started:
            self._started = False  # reload when shown again

    # -- room -------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Every column in view without scrolling sideways: on a narrow screen the date
        received gives way (it is in the dossier's detail) and the others get narrower;
        the due date, what a clerk looks for, always shows."""
        narrow = self.table.viewport().width() < NARROW_TABLE
        if narrow == self._fitted_for:
            return
        self._fitted_for = narrow
        header = self.table.horizontalHeader()
        for column, width in (NARROW_COLUMNS if narrow else WIDE_COLUMNS).items():
            header.resizeSection(column, width)
        self.table.setColumnHidden(RECEIVED_COLUMN, narrow)

    # -- the keyboard -----------------------------------------------------------------------

    def focus_target(self) -> QWidget:
        """F3 puts the cursor in the search box, its text selected: typing replaces it."""
        self.search.selectAll()
        return self.search

    def _typed(self) -> None:
        self._open_when_loaded = False
        self.search_timer.start()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _search_now(self) -> None:
        """Enter in the search box: search at once and go to the results."""
        self.apply_filter()
        self.focus_results()

    def focus_results(self) -> None:
        """The keyboard to the results; the first row is selected once the results of what
        was typed are in (never a row of the list as it was before)."""
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._select_first_if_focused()

    def _select_first_if_focused(self) -> None:
        table = self.table
        if self.model.busy or not table.hasFocus():
            return
        if not table.currentIndex().isValid() and self.model.rowCount():
            table.setCurrentIndex(self.model.index(0, 0))
        if self._open_when_loaded:  # Enter came before the results: it opens the first
            self._open_when_loaded = False
            self.open_current()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
                if self.search_timer.isActive():
                    self.apply_filter()
                self.focus_results()
                return True
        return super().eventFilter(watched, event)

    # -- showing ----------------------------------------------------------------------------

    def _show_total(self, n: int) -> None:
        if self.model.filter.text and n >= 1000:
            text = self.tr("Hơn 1.000 hồ sơ khớp: hãy gõ thêm để thu hẹp")
        else:
            text = self.tr("{n} hồ sơ").format(n=f"{n:,}".replace(",", "."))
        self.total_label.setText(text)

    def _show_busy(self, busy: bool) -> None:
        if busy:
            self.total_label.setText(self.tr("Đang tải…"))
        elif self.model.total is not None:
            self._show_total(self.model.total)

    def _open_index(self, index: QModelIndex) -> None:
        code = index.data(KEY_ROLE)
        if code:
            self.open_dossier.emit(str(code))

    def open_current(self) -> None:
        if self.model.busy:  # the rows on screen are the list before: wait for the results
            self._open_when_loaded = True
            return
        index = self.table.currentIndex()
        if index.isValid():
            self._open_index(index)
