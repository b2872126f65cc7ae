"""The supervisor's reports: the daily summary and the tracking book, with preview and print.

A report on screen is the report as it is now: read again when its page is shown, when its
dates change, and (a moment later, once for a burst) when dossiers change while it is in
view. Printing reads and renders it once more first, so the paper never shows figures older
than the press of the key.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, Signal
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
from ui.dates import DateField, date_edit
from ui.operations import Changes, Op
from ui.pdf_preview import PdfPreview
from ui.print_service import save_pdf

#: dossiers changed while a report is in view: it is read again this much later, once
REFRESH_DELAY_MS = 500

Then = Callable[[], None]


class FreshPreview(PdfPreview):
    """A report's preview that reads and renders the report again before it prints."""

    def __init__(self, ctx: UiContext, render: Callable[[Then], None], parent: QWidget):
        super().__init__(ctx, parent)
        self._render = render

    def print_to(self, printer: str | None) -> None:
        """Render the report afresh (``render`` calls back once the new PDF is shown), then
        send that PDF; nothing is printed when the dates are wrong or the read fails."""
        self._render(lambda: PdfPreview.print_to(self, printer))


class ReportPage(QWidget):
    """What the report pages share: read again when shown, when dates change and when
    dossiers change in view; a read that a newer one overtook is not shown."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        #: who the page works for (a print finishing after sign-out is still theirs)
        self.actor = ctx.signed_in
        self._reads = 0  # reads asked for; only the last one's result is shown
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setSingleShot(True)
        self.refresh_timer.setInterval(REFRESH_DELAY_MS)
        self.refresh_timer.timeout.connect(self.refresh)
        ctx.changed.connect(self._on_changes)

    def dates(self) -> list[DateField]:
        raise NotImplementedError

    def load(self, then: Then | None = None) -> None:
        raise NotImplementedError

    def watch_dates(self) -> None:
        for field in self.dates():
            field.dateChanged.connect(self.refresh_timer.start)

    def dates_ok(self) -> bool:
        """Every date field holds a real day; the first wrong one gets the focus."""
        for field in self.dates():
            if not field.check():
                field.setFocus()
                return False
        return True

    def refresh(self) -> None:
        """Read the report again by itself (shown, dossiers changed): while a date typed is
        wrong, it waits for the clerk and takes no keyboard."""
        if all(field.reads_as_a_day() for field in self.dates()):
            self.load()

    def next_read(self) -> int:
        self.refresh_timer.stop()
        self._reads += 1
        return self._reads

    def is_last_read(self, read: int) -> bool:
        return read == self._reads

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.refresh()

    def _on_changes(self, changes: Changes) -> None:
        if changes.any_dossier and self.isVisible():
            self.refresh_timer.start()


class DailySummaryPage(ReportPage):
    """Figures of one office day, the PDF to print, and a CSV for a spreadsheet."""

    loaded = Signal(object)  # DailySummary

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.summary: DailySummary | None = None
        self.setAccessibleName(self.tr("Báo cáo ngày"))
        self.day = date_edit(now().date(), self.tr("Ngày báo cáo"))
        self.show_button = QPushButton(self.tr("Xem &báo cáo"))
        self.show_button.clicked.connect(lambda: self.load())
        self.watch_dates()
        self.csv_button = QPushButton(self.tr("Xuất &CSV…"))
        self.csv_button.setEnabled(False)
        self.csv_button.clicked.connect(self.export_csv)

        self.figures: dict[str, QLabel] = {}
        figures = QGroupBox(self.tr("Số liệu trong ngày"))
        grid = QGridLayout(figures)
        # eleven figures side by side still fit beside the wide side bar at 1024 pixels
        grid.setHorizontalSpacing(4)
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
            ("digitised", self.tr("Số hóa")),
            ("satisfied", self.tr("Hài lòng")),
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

        self.preview = FreshPreview(ctx, self.load, self)
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

    def dates(self) -> list[DateField]:
        return [self.day]

    def load(self, then: Then | None = None) -> None:
        """Read the day's figures and render them; ``then`` runs once they are shown."""
        if not self.dates_ok():
            return
        day = self.day.value()
        reports, service = self.ctx.app.reports, self.ctx.printing
        signer = self.actor.full_name
        read = self.next_read()
        self.show_button.setEnabled(False)

        def job() -> tuple[DailySummary, bytes]:
            summary = reports.daily_summary(day, signer)
            return summary, service.daily(summary, signer)

        def done(result: tuple[DailySummary, bytes]) -> None:
            if not self.is_last_read(read) and then is None:
                return  # a newer read is on its way
            summary, pdf = result
            self.show_button.setEnabled(self.is_last_read(read))
            self.show_summary(summary)
            self.preview.set_pdf(pdf, f"bao-cao-ngay-{day:%Y-%m-%d}")
            self.loaded.emit(summary)
            if then is not None:
                then()

        def failed(exc: BaseException) -> None:
            self.show_button.setEnabled(True)
            self.ctx.notifier.report(exc)

        self.ctx.tasks.run(Op.read(job), done, failed, self)

    def _record_print(self, destination: str) -> None:
        """Printed: in the audit trail, and the chain's head it shows kept as an anchor."""
        summary = self.summary
        if summary is None:
            return
        reports, actor = self.ctx.app.reports, self.actor.username
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
        rate = s.digitisation_rate
        self.figures["digitised"].setText("–" if rate is None else f"{rate:.0%}")
        self.figures["digitised"].setToolTip(
            self.tr(
                "Tỷ lệ số hóa: {digitised}/{received} hồ sơ giấy tiếp nhận trong ngày đã số hóa đủ"
            ).format(digitised=s.digitised, received=s.paper_received)
        )
        satisfied = s.satisfaction_rate
        self.figures["satisfied"].setText("–" if satisfied is None else f"{satisfied:.0%}")
        self.figures["satisfied"].setToolTip(
            self.tr(
                "Tỷ lệ hài lòng: {satisfied}/{rated} lượt người dân đánh giá trong ngày "
                "rất hài lòng hoặc hài lòng"
            ).format(satisfied=s.satisfied, rated=s.rated)
        )
        self.figures["overdue"].setStyleSheet(
            "font-weight: bold; font-size: 14pt;" + (" color: #b3261e;" if s.overdue else "")
        )
        self.csv_button.setEnabled(True)

    def export_csv(self) -> None:
        """Save the day's figures as they are when saved (read again, as for printing)."""
        if not self.dates_ok():
            return
        day = self.day.value()
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Xuất CSV"),
            f"bao-cao-ngay-{day:%Y-%m-%d}.csv",
            self.tr("Tệp CSV (*.csv)"),
        )
        if not name:
            return
        reports, service = self.ctx.app.reports, self.ctx.printing
        signer = self.actor.full_name
        data_dir = self.ctx.app.data_dir

        def write() -> Path:
            summary = reports.daily_summary(day, signer)
            return save_pdf(service.daily_csv(summary), Path(name), data_dir)

        self.ctx.tasks.run(
            Op.read(write),
            lambda p: self.ctx.notifier.say(self.tr("Đã lưu {path}").format(path=p), p),
            owner=self,
        )


class TrackingBookPage(ReportPage):
    """The tracking book (Mẫu 07) for a range of receipt dates."""

    loaded = Signal(bytes)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.setAccessibleName(self.tr("Sổ theo dõi hồ sơ"))
        today = now().date()
        self.date_from = date_edit(today, self.tr("Từ ngày"))
        self.date_to = date_edit(today, self.tr("Đến ngày"))
        self.show_button = QPushButton(self.tr("Xem &sổ"))
        self.show_button.clicked.connect(lambda: self.load())
        self.watch_dates()
        self.note = QLabel()
        self.preview = FreshPreview(ctx, self.load, self)
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

    def dates(self) -> list[DateField]:
        return [self.date_from, self.date_to]

    def load(self, then: Then | None = None) -> None:
        """Read the book for the dates chosen and render it; ``then`` runs once it is shown."""
        if not self.dates_ok():
            return
        date_from, date_to = self.date_from.value(), self.date_to.value()
        if date_to < date_from:
            self.ctx.notifier.say(self.tr("Ngày kết thúc phải sau ngày bắt đầu"))
            return
        if date_to - date_from > timedelta(days=366):
            self.ctx.notifier.say(self.tr("Mỗi lần in sổ tối đa một năm"))
            return
        service = self.ctx.printing
        printed_by = self.actor.full_name
        read = self.next_read()
        self.show_button.setEnabled(False)
        self.note.setText(self.tr("Đang lập sổ…"))

        def done(pdf: bytes) -> None:
            if not self.is_last_read(read) and then is None:
                return  # a newer read is on its way
            if self.is_last_read(read):
                self.show_button.setEnabled(True)
                self.note.setText("")
            self.preview.set_pdf(pdf, f"so-theo-doi-{date_from:%Y%m%d}-{date_to:%Y%m%d}")
            self.loaded.emit(pdf)
            if then is not None:
                then()

        def failed(exc: BaseException) -> None:
            self.show_button.setEnabled(True)
            self.note.setText("")
            self.ctx.notifier.report(exc)

        op = Op.read(lambda: service.book(date_from, date_to, printed_by))
        self.ctx.tasks.run(op, done, failed, self)
