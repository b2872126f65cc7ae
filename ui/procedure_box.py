"""Intake's first box: the procedure typed ahead, and what it brings with it (its field, legal
time, fees, the agency that decides, the due date counted on the office's calendar)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout

from counter.clock import now
from counter.errors import InvalidInput
from counter.views import ProcedureView
from counter.workcalendar import WorkCalendar
from ui import formatting
from ui.context import UiContext
from ui.procedure_picker import ProcedurePicker
from ui.widgets import error_label, heading

#: how often the due date shown is counted again (the 15:00 cut-off, the end of a day)
DUE_REFRESH_MS = 30_000


class ProcedureBox(QGroupBox):
    """The procedure field and the facts of the procedure chosen; the due date kept live."""

    #: a procedure was chosen (its ``ProcedureView``)
    chosen = Signal(object)
    #: the procedure chosen before was let go (the field was edited)
    let_go = Signal()

    def __init__(self, ctx: UiContext, parent: QGroupBox | None = None):
        super().__init__(parent)
        self.setTitle(self.tr("Thủ tục hành chính"))
        self.procedure: ProcedureView | None = None
        self.calendar: WorkCalendar | None = None
        self.edit = QLineEdit()
        self.edit.setAccessibleName(self.tr("Thủ tục"))
        self.edit.setPlaceholderText(
            self.tr("Gõ mã hoặc tên thủ tục, không cần dấu (ví dụ: khai sinh)")
        )
        self.error = error_label()
        self.picker = ProcedurePicker(self.edit, self, ctx)
        self.picker.chosen.connect(self._chosen)
        self.picker.edited.connect(self._edited)
        self.picker.no_match.connect(self._no_match)
        self.picker.completer.popup().setAccessibleName(self.tr("Danh sách thủ tục phù hợp"))

        self.name_label = heading("", 2)
        self.name_label.setAccessibleName(self.tr("Thủ tục đã chọn"))
        self.name_label.setWordWrap(True)  # long names wrap: the form never widens
        self.field_label = QLabel()
        self.time_label = QLabel()
        self.fees_label = QLabel()
        self.agency_label = QLabel()
        for label in (self.field_label, self.time_label, self.fees_label, self.agency_label):
            label.setWordWrap(True)
        self.due_label = heading("", 3)
        self.due_label.setAccessibleName(self.tr("Ngày hẹn trả kết quả"))
        self.due_label.setStyleSheet("color: #0b5394;")

        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        label = QLabel(self.tr("&Thủ tục:"))
        label.setBuddy(self.edit)
        row.addWidget(label)
        row.addWidget(self.edit, 1)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(self.name_label)
        info = QFormLayout()
        info.addRow(self.tr("Lĩnh vực:"), self.field_label)
        info.addRow(self.tr("Thời hạn giải quyết:"), self.time_label)
        info.addRow(self.tr("Phí, lệ phí:"), self.fees_label)
        info.addRow(self.tr("Cơ quan giải quyết:"), self.agency_label)
        info.addRow(self.tr("Hẹn trả kết quả:"), self.due_label)
        layout.addLayout(info)

        self.due_timer = QTimer(self)
        self.due_timer.setInterval(DUE_REFRESH_MS)
        self.due_timer.timeout.connect(self.update_due)
        self.due_timer.start()

    # -- choosing ---------------------------------------------------------------------------

    def choose(self, code: str) -> None:
        """Pick a procedure by its code (the type-ahead does the same)."""
        procedure = self.picker.find(code)
        if procedure is None:
            raise InvalidInput(f"Không có thủ tục mã '{code}'", f"No procedure '{code}'")
        self.picker.choose(procedure)

    def _chosen(self, procedure: ProcedureView) -> None:
        self.show_procedure(procedure)
        self.chosen.emit(procedure)

    def _edited(self) -> None:
        if self.procedure is not None:
            self.show_procedure(None)
            self.let_go.emit()

    def _no_match(self, none: bool) -> None:
        if none and self.picker.model.rowCount() == 0:
            # a new counter: nothing can match until the catalogue is imported
            self.show_error(
                self.tr("Danh mục thủ tục còn trống: quản trị nhập danh mục ở Thiết lập (F10)")
            )
        elif none:
            self.show_error(self.tr("Không có thủ tục nào khớp"))
        else:
            self.error.setVisible(False)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)

    def clear(self) -> None:
        self.picker.clear()
        self.show_procedure(None)

    # -- showing ----------------------------------------------------------------------------

    def show_procedure(self, procedure: ProcedureView | None) -> None:
        self.procedure = procedure
        self.error.setVisible(False)
        if procedure is None:
            self.name_label.setText(self.tr("Chưa chọn thủ tục"))
            self.name_label.setStyleSheet("color: #777;")
            for label in (self.field_label, self.time_label, self.fees_label, self.agency_label):
                label.clear()
            self.due_label.clear()
            return
        self.name_label.setStyleSheet("")
        self.name_label.setText(procedure.name)
        self.field_label.setText(procedure.field_name)
        self.time_label.setText(formatting.processing_time(procedure.processing_time))
        self.fees_label.setText(self._fees(procedure))
        self.agency_label.setText(procedure.processing_agency or procedure.result_agency)
        self.update_due()

    def _fees(self, procedure: ProcedureView) -> str:
        if not procedure.fees:
            return self.tr("Không thu phí")
        parts = [f"{f.name}: {formatting.money(f.amount)}" for f in procedure.fees]
        if sum(f.amount for f in procedure.fees) == 0:
            return self.tr("Không thu phí") + " (" + "; ".join(parts) + ")"
        return "; ".join(parts)

    def set_calendar(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self.update_due()

    def due_at(self) -> datetime | None:
        if self.procedure is None or self.calendar is None:
            return None
        return self.calendar.due_at(now(), self.procedure.processing_time)

    def update_due(self) -> None:
        due = self.due_at()
        self.due_label.setText(formatting.weekday_moment(due) if due else "")
