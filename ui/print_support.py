"""Printing for the interface: the one adapter over the ``printing`` package, and the preview.

Everything the interface prints goes through :class:`PrintService`: it renders PDFs with the
printing package's functions, keeps a copy of each in the data folder (a PDF is always
available as a file), and sends them to a print queue. The preview shows a PDF with QtPdf
and prints it straight to the configured printer or to one chosen in the system's dialog.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter.app import CounterApp
from counter.clock import now
from counter.views import DailySummary, DocumentLine, DossierView
from ui.errors import ExpectedError

log = logging.getLogger("ui.printing")

Sender = Callable[[bytes, str | None, str], str]


@dataclass(frozen=True)
class Printed:
    """Where a PDF went: the queue's job, and the copy kept on disk."""

    destination: str
    copy: Path | None


def _printing() -> Any:
    """The printing package, imported on first use: reportlab is slow to load, and start-up
    must not wait for it."""
    import printing

    return printing


def warm_up() -> None:
    """Load the PDF machinery ahead of the first receipt (run it on a worker)."""
    _printing().fonts.register_fonts()


class PrintService:
    """Renders and prints; safe to call from a worker thread (no Qt inside)."""

    def __init__(
        self,
        app: CounterApp,
        sender: Sender | None = None,
        lister: Callable[[], list[str]] | None = None,
    ):
        self.app = app
        self._send = sender or (
            lambda pdf, printer, title: _printing().send_to_printer(pdf, printer, title)
        )
        self._list = lister or (lambda: _printing().list_printers())

    # -- settings ---------------------------------------------------------------------------

    def paper(self) -> str:
        return str(self.app.settings.get("printing.paper") or "a5")

    def printer(self) -> str | None:
        """The configured printer, or None for the system's default queue."""
        return str(self.app.settings.get("printing.printer") or "") or None

    def printers(self) -> list[str]:
        try:
            return self._list()
        except _printing().PrintError as exc:
            raise _expected(exc) from None

    # -- rendering --------------------------------------------------------------------------

    def receipt(self, dossier: DossierView, printed_by: str = "") -> bytes:
        return _printing().render_receipt(dossier, self.app.office(), self.paper(), printed_by)

    def form(
        self,
        kind: str,
        dossier: DossierView,
        *,
        missing: Sequence[DocumentLine] = (),
        reasons: Sequence[str] = (),
        new_due_at: datetime | None = None,
        printed_by: str = "",
    ) -> bytes:
        """Forms 02-05: ``supplement``, ``refusal``, ``apology``, ``control-sheet``."""
        printing = _printing()
        details = printing.FormDetails(
            missing=tuple(missing),
            reasons=tuple(r for r in reasons if r.strip()),
            new_due_at=new_due_at,
        )
        return printing.render_form(kind, dossier, self.app.office(), details, printed_by)

    def daily(self, summary: DailySummary, printed_by: str = "") -> bytes:
        return _printing().render_daily(summary, printed_by)

    def daily_csv(self, summary: DailySummary) -> bytes:
        return _printing().daily_csv(summary)

    def book(self, date_from: date, date_to: date, printed_by: str = "") -> bytes:
        rows = self.app.reports.book_rows(date_from, date_to)
        return _printing().render_book(rows, self.app.office(), date_from, date_to, printed_by)

    # -- output -----------------------------------------------------------------------------

    def keep_copy(self, pdf: bytes, name: str) -> Path:
        """``prints/<date>/<name>.pdf`` in the data folder."""
        folder = self.app.data_dir / "prints" / f"{now():%Y-%m-%d}"
        safe = re.sub(r"[^\w.-]+", "_", name).strip("_") or "document"
        return _printing().save_pdf(pdf, folder / f"{safe}.pdf")

    def send(self, pdf: bytes, title: str, printer: str | None = None) -> Printed:
        """Queue the PDF on ``printer`` (else the configured one, else the default)."""
        target = printer or self.printer()
        copy = None
        try:
            copy = self.keep_copy(pdf, title)
        except OSError:
            log.warning("could not keep a copy of %s", title, exc_info=True)
        try:
            job = self._send(pdf, target, title)
        except _printing().PrintError as exc:
            raise _expected(exc, copy) from None
        return Printed(f"{target or 'default'}:{job}", copy)


def _expected(exc: Any, copy: Path | None = None) -> ExpectedError:
    vi, en = exc.message("vi"), exc.message("en")
    if copy is not None:
        vi += f" (đã lưu bản PDF: {copy})"
        en += f" (PDF saved: {copy})"
    return ExpectedError(vi, en)


def pdf_viewer_available() -> bool:
    """QtPdf comes with the PySide6-Pdf package (PySide6-Addons before Qt 6.12)."""
    try:
        from PySide6 import QtPdf, QtPdfWidgets  # noqa: F401
    except ImportError:
        return False
    return True


class PdfPreview(QWidget):
    """A PDF on screen (QtPdf), with print and save buttons.

    Without QtPdf installed the buttons still print and save; the page itself is not shown.
    """

    #: emitted on the GUI thread once a print job was queued: (destination)
    printed = Signal(str)

    def __init__(self, context: object, parent: QWidget | None = None):
        super().__init__(parent)
        from ui.context import UiContext

        assert isinstance(context, UiContext)
        self.ctx = context
        self._pdf = b""
        self._title = ""
        self._buffer: QBuffer | None = None
        self._bytes = QByteArray()
        self.document: Any = None
        self.view: QWidget
        if pdf_viewer_available():
            from PySide6.QtPdf import QPdfDocument
            from PySide6.QtPdfWidgets import QPdfView

            self.document = QPdfDocument(self)
            view = QPdfView(self)
            view.setDocument(self.document)
            view.setPageMode(QPdfView.PageMode.MultiPage)
            view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self.view = view
        else:
            notice = QLabel(
                self.tr("Máy này chưa có thành phần xem trước PDF; vẫn in và lưu được.")
            )
            notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
            notice.setWordWrap(True)
            self.view = notice
        self.view.setAccessibleName(self.tr("Bản xem trước"))
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.print_button = QPushButton(self.tr("&In ngay"))
        self.print_button.setToolTip(self.tr("In ra máy in đã chọn trong phần thiết lập"))
        self.choose_button = QPushButton(self.tr("Chọn &máy in…"))
        self.save_button = QPushButton(self.tr("&Lưu PDF…"))
        self.pages_label = QLabel()
        for b in (self.print_button, self.choose_button, self.save_button):
            b.setEnabled(False)
        self.print_button.clicked.connect(lambda: self.print_to(None))
        self.choose_button.clicked.connect(self._choose_printer)
        self.save_button.clicked.connect(self._save)

        bar = QHBoxLayout()
        bar.addWidget(self.print_button)
        bar.addWidget(self.choose_button)
        bar.addWidget(self.save_button)
        bar.addStretch(1)
        bar.addWidget(self.pages_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

    def set_pdf(self, pdf: bytes, title: str) -> None:
        self._pdf = pdf
        self._title = title
        for b in (self.print_button, self.choose_button, self.save_button):
            b.setEnabled(bool(pdf))
        if self.document is None:
            return
        self.document.close()
        self._bytes = QByteArray(pdf)
        buffer = QBuffer(self)
        buffer.setData(self._bytes)
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        pages = self.document.pageCount()
        self.pages_label.setText(self.tr("{n} trang").format(n=pages))

    def page_count(self) -> int | None:
        """Pages of the PDF shown (None without QtPdf)."""
        return None if self.document is None else int(self.document.pageCount())

    def clear(self) -> None:
        self._pdf = b""
        if self.document is not None:
            self.document.close()
        self.pages_label.clear()
        for b in (self.print_button, self.choose_button, self.save_button):
            b.setEnabled(False)

    @property
    def pdf(self) -> bytes:
        return self._pdf

    def print_to(self, printer: str | None) -> None:
        pdf, title, service = self._pdf, self._title, self.ctx.printing
        if not pdf:
            return
        self.print_button.setEnabled(False)

        def done(result: Printed) -> None:
            self.print_button.setEnabled(True)
            self.ctx.notifier.say(self.tr("Đã gửi “{title}” tới máy in").format(title=title))
            self.printed.emit(result.destination)

        def failed(exc: BaseException) -> None:
            self.print_button.setEnabled(True)
            self.ctx.notifier.report(exc)

        self.ctx.tasks.network(lambda: service.send(pdf, title, printer), done, failed, self)

    def _choose_printer(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        configured = self.ctx.printing.printer()
        if configured:
            printer.setPrinterName(configured)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Chọn máy in"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
            self._write_file(Path(printer.outputFileName()))
            return
        self.print_to(printer.printerName() or None)

    def _save(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Lưu PDF"), f"{self._title}.pdf", self.tr("Tệp PDF (*.pdf)")
        )
        if name:
            self._write_file(Path(name))

    def _write_file(self, path: Path) -> None:
        pdf = self._pdf

        def done(saved: Path) -> None:
            self.ctx.notifier.say(self.tr("Đã lưu {path}").format(path=saved))

        self.ctx.tasks.read(lambda: _printing().save_pdf(pdf, path), done, owner=self)


class PreviewDialog(QDialog):
    """A PDF in its own window (forms, receipts reprinted)."""

    def __init__(self, context: QObject, pdf: bytes, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.preview = PdfPreview(context, self)
        self.preview.set_pdf(pdf, title)
        close = QPushButton(self.tr("Đó&ng"))
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.resize(720, 860)
        self.preview.print_button.setFocus()
