"""A PDF on screen (QtPdf), printed straight to the configured printer or to one chosen in the
system's dialog, or saved as a file. The rendering and the sending are ``ui.print_service``'s.
"""

from __future__ import annotations

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

from ui.context import UiContext
from ui.focus import ReturningDialog
from ui.operations import Op
from ui.print_service import save_pdf


def pdf_viewer_available() -> bool:
    """QtPdf comes with the PySide6-Pdf package (PySide6-Addons before Qt 6.12)."""
    try:
        from PySide6 import QtPdf, QtPdfWidgets  # noqa: F401
    except ImportError:
        return False
    return True


def load_pdf(document: Any, pdf: bytes, owner: QObject, previous: QBuffer | None) -> QBuffer:
    """Load a PDF held in memory into a ``QPdfDocument``. The document reads from the buffer
    returned for as long as it shows the PDF; the one it read before is let go."""
    document.close()
    buffer = QBuffer(owner)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if previous is not None:
        previous.deleteLater()
    return buffer


class PdfPreview(QWidget):
    """A PDF on screen (QtPdf), with print and save buttons.

    Without QtPdf installed the buttons still print and save; the page itself is not shown.
    """

    #: emitted on the GUI thread once a print job was queued: (destination)
    printed = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._pdf = b""
        self._title = ""
        self._buffer: QBuffer | None = None
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

        self.print_button = QPushButton(self.tr("In nga&y"))
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
        self._buffer = load_pdf(self.document, pdf, self, self._buffer)
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

        def done(sent: tuple[str, Path | None]) -> None:
            destination, kept = sent
            self.print_button.setEnabled(True)
            if kept is None:
                self.ctx.notifier.say(self.tr("Đã gửi “{title}” tới máy in").format(title=title))
            else:
                self.ctx.notifier.say(
                    self.tr("Đã gửi “{title}” tới máy in; bản PDF lưu tại {path}").format(
                        title=title, path=kept
                    ),
                    kept,
                )
            self.printed.emit(destination)

        def failed(exc: BaseException) -> None:
            self.print_button.setEnabled(True)
            self.ctx.notifier.report(exc)

        self.ctx.tasks.run(
            Op.print_job(lambda: service.send_kept(pdf, title, printer)), done, failed, self
        )

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
            self.ctx.notifier.say(self.tr("Đã lưu {path}").format(path=saved), saved)

        data_dir = self.ctx.app.data_dir
        self.ctx.tasks.run(Op.read(lambda: save_pdf(pdf, path, data_dir)), done, owner=self)


class PreviewDialog(ReturningDialog):
    """A PDF in its own window (forms, receipts reprinted)."""

    def __init__(self, ctx: UiContext, pdf: bytes, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.preview = PdfPreview(ctx, self)
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
