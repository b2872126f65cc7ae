"""The supervisor's reports: the daily summary and the tracking book, with preview and print."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter.clock import now
from counter.views import DailySummary
from ui import formatting
from ui.context import UiContext
from ui.dates import date_edit
from ui.operations import Op
from ui.pdf_preview import PdfPreview
from ui.print_service import save_pdf
from ui.widgets import pydate


class DailySummaryPage(QWidget):
    """Figures of one office day, the PDF to print, and a CSV for a spreadsheet."""

    loaded = Signal(object)  # DailySummary

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.summary: DailySummary | None = None
        self.setAccessibleName(self.tr("Báo cáo ngày"))
        self.day = date_edit(now().date(), self.tr("Ngày báo cáo"))
        self.show_button = QPushButton(self.tr("&Xem báo cáo"))
        self.show_button.clicked.connect(self.load)
        self.day.dateChanged.connect(self.load)
        self.csv_button = QPushButton(self.tr("Xuất &CSV…"))
        self.csv_button.setEnabled(False)
        self.csv_button.clicked.connect(self.export_csv)

        self.figures: dict[str, QLabel] = {}
        figures = QGroupBox(self.tr("Số liệu trong ngày"))
        grid = QGridLayout(figures)
        names = [
            ("received", self.tr("Tiếp nhận")),
            ("returned", self.tr("Trả kết quả")),
            ("on_time", self.tr("Trả đúng hạn")),
            ("late", self.tr("Trả quá hạn")),
            ("rejected", self.tr("Từ chối")),
            ("withdrawn", self.tr("Rút hồ sơ")),
            ("pending", self.tr("Đang giải quyết")),
            ("overdue", self.tr("Quá hạn")),
            ("fees", self.tr("Phí, lệ phí")),
        ]
        for i, (key, title) in enumerate(names):
            name = QLabel(title)
            name.setStyleSheet("color: #555;")
            value = QLabel("–")
            value.setStyleSheet("font-weight: bold; font-size: 14pt;")
            value.setAccessibleName(title)
            grid.addWidget(name, 0, i)
            grid.addWidget(value, 1, i)
            self.figures[key] = value

        self.preview = PdfPreview(ctx, self)
        self.preview.printed.connect(self._record_print)
        top = QHBoxLayout()
        label = QLabel(self.tr("&Ngày:"))
        label.setBuddy(self.day)
        top.addWidget(label)
        top.addWidget(self.day)
        top.addWidget(self.show_button)
        top.addWidget(self.csv_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(figures)
        layout.addWidget(self.preview, 1)
        self._loaded_once = False

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if not self._loaded_once:
            self._loaded_once = True
            self.load()

    def load(self) -> None:
        if not self.day.check():  # a day that does not exist is never reported
            self.day.setFocus()
            return
        day = pydate(self.day.date())
        reports, service = self.ctx.app.reports, self.ctx.printing
        signer = self.ctx.signed_in.full_name
        self.show_button.setEnabled(False)

        def job() -> tuple[DailySummary, bytes]:
            summary = reports.daily_summary(day, signer)
            return summary, service.daily(summary, signer)

        def done(result: tuple[DailySummary, bytes]) -> None:
            summary, pdf = result
            self.show_button.setEnabled(True)
            self.show_summary(summary)
            self.preview.set_pdf(pdf, f"bao-cao-ngay-{day:%Y-%m-%d}")
            self.loaded.emit(summary)

        def failed(exc: BaseException) -> None:
            self.show_button.setEnabled(True)
            self.ctx.notifier.report(exc)

        self.ctx.tasks.run(Op.read(job), done, failed, self)

    def _record_print(self, destination: str) -> None:
        """Printed: in the audit trail, and the chain's head it shows kept as an anchor."""
        summary = self.summary
        if summary is None:
            return
        reports, actor = self.ctx.app.reports, self.ctx.signed_in.username
        day, head = summary.day.isoformat(), summary.audit_head
        op = Op.write(lambda: reports.record_print(actor, "daily", day, destination, head))
        self.ctx.tasks.run(op)

    def show_summary(self, s: DailySummary) -> None:
        self.summary = s
        values = {
            "received": s.received,
            "returned": s.returned,
            "on_time": s.returned_on_time,
            "late": s.returned_late,
            "rejected": s.rejected,
            "withdrawn": s.withdrawn,
            "pending": s.pending,
            "overdue": s.overdue,
        }
        for key, n in values.items():
            self.figures[key].setText(f"{n:,}".replace(",", "."))
        self.figures["fees"].setText(formatting.money(s.fees_collected))
        self.figures["overdue"].setStyleSheet(
            "font-weight: bold; font-size: 14pt;" + (" color: #b3261e;" if s.overdue else "")
        )
        self.csv_button.setEnabled(True)

    def export_csv(self) -> None:
        if self.summary is None:
            return
        summary = self.summary
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Xuất CSV"),
            f"bao-cao-ngay-{summary.day:%Y-%m-%d}.csv",
            self.tr("Tệp CSV (*.csv)"),
        )
        if not name:
            return
        service = self.ctx.printing

        data_dir = self.ctx.app.data_dir

        def write() -> Path:
            return save_pdf(service.daily_csv(summary), Path(name), data_dir)

        self.ctx.tasks.run(
            Op.read(write),
            lambda p: self.ctx.notifier.say(self.tr("Đã lưu {path}").format(path=p), p),
            owner=self,
        )


class TrackingBookPage(QWidget):
    """The tracking book (Mẫu 07) for a range of receipt dates."""

    loaded = Signal(bytes)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName(self.tr("Sổ theo dõi hồ sơ"))
        today = now().date()
        self.date_from = date_edit(today, self.tr("Từ ngày"))
        self.date_to = date_edit(today, self.tr("Đến ngày"))
        self.show_button = QPushButton(self.tr("&Xem sổ"))
        self.show_button.clicked.connect(self.load)
        self.note = QLabel()
        self.preview = PdfPreview(ctx, self)
        top = QHBoxLayout()
        from_label = QLabel(self.tr("&Từ ngày:"))
        from_label.setBuddy(self.date_from)
        to_label = QLabel(self.tr("Đế&n ngày:"))
        to_label.setBuddy(self.date_to)
        top.addWidget(from_label)
        top.addWidget(self.date_from)
        top.addWidget(to_label)
        top.addWidget(self.date_to)
        top.addWidget(self.show_button)
        top.addWidget(self.note, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.preview, 1)
        self._loaded_once = False

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if not self._loaded_once:
            self._loaded_once = True
            self.load()

    def load(self) -> None:
        for field in (self.date_from, self.date_to):
            if not field.check():
                field.setFocus()
                return
        date_from, date_to = pydate(self.date_from.date()), pydate(self.date_to.date())
        if date_to < date_from:
            self.ctx.notifier.say(self.tr("Ngày kết thúc phải sau ngày bắt đầu"))
            return
        if date_to - date_from > timedelta(days=366):
            self.ctx.notifier.say(self.tr("Mỗi lần in sổ tối đa một năm"))
            return
        service = self.ctx.printing
        printed_by = self.ctx.signed_in.full_name
        self.show_button.setEnabled(False)
        self.note.setText(self.tr("Đang lập sổ…"))

        def done(pdf: bytes) -> None:
            self.show_button.setEnabled(True)
            self.note.setText("")
            self.preview.set_pdf(pdf, f"so-theo-doi-{date_from:%Y%m%d}-{date_to:%Y%m%d}")
            self.loaded.emit(pdf)

        def failed(exc: BaseException) -> None:
            self.show_button.setEnabled(True)
            self.note.setText("")
            self.ctx.notifier.report(exc)

        op = Op.read(lambda: service.book(date_from, date_to, printed_by))
        self.ctx.tasks.run(op, done, failed, self)
