"""The office's days off and make-up working days, over the built-in holidays (supervisor),
and the days ahead as the counter sees them: open or closed, counted towards deadlines or not."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter.clock import now
from counter.workcalendar import WorkCalendar
from protocol.errors import KnownError
from ui import formatting, i18n
from ui.context import UiContext
from ui.dates import date_edit
from ui.models import RowsModel
from ui.operations import Changes, Op
from ui.widgets import error_label, rows_table

Override = tuple[date, str, bool, str]


class CalendarPage(QWidget):
    """The office's days off and make-up working days, over the built-in holidays."""

    #: the overrides and the calendar were read (again) and are on screen
    loaded = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.calendar: WorkCalendar | None = None
        self.setAccessibleName(self.tr("Lịch làm việc"))
        self.model: RowsModel[Override] = RowsModel(
            [
                (self.tr("Ngày"), lambda o: formatting.day(o[0])),
                (self.tr("Thứ"), lambda o: formatting.weekday(o[0])),
                (
                    self.tr("Điều chỉnh"),
                    lambda o: self.tr("Ngày làm việc (làm bù)") if o[2] else self.tr("Ngày nghỉ"),
                ),
                (
                    self.tr("Nguồn"),
                    lambda o: (
                        self.tr("Cổng dịch vụ công") if o[1] == "portal" else ctx.office().unit
                    ),
                ),
                (self.tr("Ghi chú"), lambda o: o[3]),
            ],
            key=lambda o: (o[0], o[1]),
            parent=self,
        )
        self.table = rows_table(self.model, self.tr("Các ngày điều chỉnh"))
        self.table.selectionModel().currentRowChanged.connect(self._on_row)

        self.day = date_edit(now().date(), self.tr("Ngày"))
        self.day.dateChanged.connect(self._describe_day)
        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("Loại điều chỉnh"))
        self.kind.addItem(self.tr("Ngày nghỉ"), False)
        self.kind.addItem(self.tr("Ngày làm việc (làm bù)"), True)
        self.note = QLineEdit()
        self.note.setAccessibleName(self.tr("Ghi chú"))
        self.note.setPlaceholderText(self.tr("Ví dụ: Nghỉ bù Quốc khánh"))
        self.day_info = QLabel()
        self.day_info.setWordWrap(True)
        self.error = error_label()
        self.save_button = QPushButton(self.tr("Lưu điều &chỉnh"))
        self.save_button.clicked.connect(self.save)
        self.clear_button = QPushButton(self.tr("&Bỏ điều chỉnh của ngày này"))
        self.clear_button.clicked.connect(self.clear_day)

        form_box = QGroupBox(self.tr("Thêm hoặc sửa một ngày"))
        form = QFormLayout(form_box)
        form.addRow(self.tr("&Ngày:"), self.day)
        form.addRow(self.tr("&Là:"), self.kind)
        form.addRow(self.tr("&Ghi chú:"), self.note)
        form.addRow(self.day_info)
        form.addRow(self.error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.clear_button)
        form.addRow(buttons)

        self.holidays = QLabel()
        self.holidays.setWordWrap(True)
        self.holidays.setAccessibleName(self.tr("Ngày lễ sắp tới"))
        holidays_box = QGroupBox(self.tr("Ngày lễ sắp tới (có sẵn trong lịch)"))
        QVBoxLayout(holidays_box).addWidget(self.holidays)
        self.days_ahead = QLabel()
        self.days_ahead.setWordWrap(True)
        self.days_ahead.setAccessibleName(self.tr("Mở cửa và tính thời hạn"))
        days_box = QGroupBox(self.tr("Hai tuần tới: mở cửa và tính thời hạn"))
        QVBoxLayout(days_box).addWidget(self.days_ahead)

        explanation = QLabel(
            self.tr(
                "Ngày lễ, Tết theo Bộ luật Lao động đã có sẵn. Ở đây ghi các ngày nghỉ riêng và "
                "các ngày làm việc bù (ví dụ thứ Bảy làm bù). Điều chỉnh của đơn vị được ưu "
                "tiên hơn lịch của cổng. Ngày hẹn trả của hồ sơ mới tính theo ngày làm việc "
                "của lịch này; ngày quầy mở cửa thêm (ví dụ sáng thứ Bảy, trong Thiết lập) "
                "vẫn tiếp nhận hồ sơ nhưng không được tính vào thời hạn giải quyết."
            )
        )
        explanation.setWordWrap(True)
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(explanation)
        left.addWidget(self.table, 1)
        left.addWidget(days_box)
        layout.addLayout(left, 3)
        right = QVBoxLayout()
        right.addWidget(form_box)
        right.addWidget(holidays_box)
        right.addStretch(1)
        layout.addLayout(right, 2)
        ctx.changed.connect(self._on_changes)
        self.reload()

    def _on_changes(self, changes: Changes) -> None:
        if changes.calendar:
            self.reload()

    def reload(self) -> None:
        app = self.ctx.app
        op = Op.read(lambda: (app.calendar.overrides(), app.calendar.current()))
        self.ctx.tasks.run(op, self._loaded, owner=self)

    def _loaded(self, loaded: tuple[list[Override], WorkCalendar]) -> None:
        overrides, self.calendar = loaded
        self.model.set_rows(overrides)
        self._describe_day()
        self._list_days(self.calendar)
        self._list_holidays(self.calendar)
        self.loaded.emit()

    def day_line(self, calendar: WorkCalendar, day: date) -> str:
        """One day as the counter sees it: open when, and whether the clock runs."""
        hours = calendar.opening_hours(day)
        if not hours:
            opening = self.tr("đóng cửa")
        else:
            opening = self.tr("mở cửa {hours}").format(
                hours=", ".join(f"{s:%H:%M}–{e:%H:%M}" for s, e in hours)
            )
        counting = (
            self.tr("tính thời hạn")
            if calendar.is_working_day(day)
            else self.tr("không tính thời hạn")
        )
        return f"{formatting.weekday(day)} {formatting.day(day)}: {opening}; {counting}"

    def _list_days(self, calendar: WorkCalendar, days: int = 14) -> None:
        today = now().date()
        self.days_ahead.setText(
            "\n".join(self.day_line(calendar, today + timedelta(days=i)) for i in range(days))
        )

    def _list_holidays(self, calendar: WorkCalendar, days: int = 200) -> None:
        today = now().date()
        lines = []
        for i in range(days):
            day = today + timedelta(days=i)
            name = calendar.holiday_name(day)
            if name:
                lines.append(f"{formatting.weekday(day)} {formatting.day(day)}: {name}")
        self.holidays.setText(
            "\n".join(lines) or self.tr("Không có ngày lễ nào trong thời gian tới")
        )

    def _on_row(self, current: Any, _previous: Any) -> None:
        if current.isValid():
            o = self.model.row_object(current.row())
            self.day.set_value(o[0])
            self.kind.setCurrentIndex(1 if o[2] else 0)
            self.note.setText(o[3])

    def _describe_day(self) -> None:
        calendar = self.calendar
        if calendar is None:  # not read yet
            return
        day = self.day.value()
        holiday = calendar.holiday_name(day)
        working = calendar.is_working_day(day)
        text = self.tr("Theo lịch hiện tại, ngày {day} là {kind}.").format(
            day=formatting.day(day),
            kind=self.tr("ngày làm việc") if working else self.tr("ngày nghỉ"),
        )
        if not working and calendar.is_open_day(day):
            text += " " + self.tr(
                "Quầy vẫn mở cửa tiếp nhận, nhưng ngày này không tính vào thời hạn giải quyết."
            )
        if holiday:
            text += " " + self.tr("Ngày lễ: {name}.").format(name=holiday)
        self.day_info.setText(text)

    def save(self) -> None:
        if not self.day.check():  # a day that does not exist is never saved
            self.day.setFocus()
            return
        day = self.day.value()
        working = bool(self.kind.currentData())
        note = self.note.text()
        actor = self.ctx.signed_in
        app = self.ctx.app
        self.error.setVisible(False)
        op = Op.write(
            lambda: app.calendar.set_day(actor, day, working, note), Changes(calendar=True)
        )
        self.ctx.tasks.run(
            op,
            lambda _r: self.ctx.notifier.say(
                self.tr("Đã lưu điều chỉnh lịch ngày {day}").format(day=formatting.day(day))
            ),
            self._refused,
            self,
        )

    def clear_day(self) -> None:
        if not self.day.check():
            self.day.setFocus()
            return
        day = self.day.value()
        actor = self.ctx.signed_in
        app = self.ctx.app
        op = Op.write(lambda: app.calendar.clear_day(actor, day), Changes(calendar=True))
        self.ctx.tasks.run(
            op,
            lambda _r: self.ctx.notifier.say(
                self.tr("Đã bỏ điều chỉnh lịch ngày {day}").format(day=formatting.day(day))
            ),
            self._refused,
            self,
        )

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, KnownError):
            self.error.setText(exc.message(i18n.lang()))
            self.error.setVisible(True)
        self.ctx.notifier.report(exc)
