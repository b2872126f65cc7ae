"""The digitised pages of one paper of a dossier, in its detail: its versions, the pages of
the one chosen (``ui/page_viewer.py``), and the ways to add pages (docs/digitisation.md).

Pages come from the scanner (``Ctrl+Shift+S``: SANE on the scan worker, the dialog usable
meanwhile, a progress line and a cancel), from files picked in a dialog or dropped on the
paper's line (``ui/dossier_papers.py``), and from the watched scan folder
(``ui/waiting_files.py``). Every attach is one write; a file refused says why and nothing is
stored. A scanner that stops part-way asks whether to keep the pages it scanned.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from counter.app import CounterApp
from counter.pdfpages import Part
from counter.scanner import MAX_PAGES, ScannedPages, scan_pages
from counter.views import DossierFileView
from protocol.errors import KnownError
from ui import formatting, i18n
from ui.context import UiContext
from ui.operations import Changes, Op
from ui.page_viewer import PageView
from ui.waiting_files import WaitingFiles
from ui.widgets import ERROR_STYLE

translate = QCoreApplication.translate

#: Files a clerk may pick or drop (the service looks at their content, not their names).
PATTERNS = "*.pdf *.jpg *.jpeg *.png *.tif *.tiff"


@dataclass(frozen=True)
class ScanSettings:
    """The scanner and the scan folder, as the settings name them."""

    device: str = ""
    source: str = ""
    folder: str = ""


def read_scan_settings(app: CounterApp) -> ScanSettings:
    """On the read worker."""
    get = app.settings.get
    return ScanSettings(
        str(get("scan.device") or ""), str(get("scan.source") or ""), str(get("scan.folder") or "")
    )


def versions_of(files: Sequence[DossierFileView], doc: str) -> list[DossierFileView]:
    """The versions of one paper's pages, the latest first."""
    return sorted((f for f in files if f.doc == doc), key=lambda f: -f.version)


def pages_text(files: Sequence[DossierFileView], doc: str) -> str:
    """What the checklist says of a paper: "3 trang", "3 trang (bản 2)", "chưa số hóa"."""
    found = versions_of(files, doc)
    if not found:
        return translate("PagesPanel", "chưa số hóa")
    latest = found[0]
    text = translate("PagesPanel", "{n} trang").format(n=latest.pages)
    if latest.version > 1:
        text += " " + translate("PagesPanel", "(bản {version})").format(version=latest.version)
    return text


class PagesPanel(QGroupBox):
    """The pages of the paper chosen in the detail's checklist, and the ways to add some."""

    #: pages were stored (the new version): the dossier should be read again
    stored = Signal(object)
    #: the scanner started page n (from the scan worker; shown on the GUI thread)
    page_started = Signal(int)

    def __init__(
        self,
        ctx: UiContext,
        code: str,
        settings: ScanSettings,
        parent: QWidget | None = None,
    ):
        super().__init__(translate("PagesPanel", "Trang số hóa"), parent)
        self.ctx = ctx
        self.code = code
        self.settings = settings
        self.doc: str | None = None
        self.doc_name = ""
        self.files: tuple[DossierFileView, ...] = ()
        self.shown: DossierFileView | None = None
        self.partial_box: QMessageBox | None = None
        self.file_dialog: QFileDialog | None = None
        self._cancel: threading.Event | None = None
        self._reading: str | None = None
        self.setAccessibleName(self.tr("Trang số hóa"))

        self.line_label = QLabel(self.tr("Chọn một giấy tờ trong danh sách bên trên."))
        self.line_label.setWordWrap(True)
        self.line_label.setStyleSheet("font-weight: bold;")
        self.versions = QComboBox()
        self.versions.setAccessibleName(self.tr("Bản số hóa"))
        self.versions.currentIndexChanged.connect(self._version_chosen)
        versions_label = QLabel(self.tr("Bản &số hóa:"))
        versions_label.setBuddy(self.versions)

        self.scan_button = QPushButton(self.tr("Q&uét (Ctrl+Shift+S)"))
        self.scan_button.setAccessibleName(self.tr("Quét vào giấy tờ đang chọn"))
        self.scan_button.setToolTip(
            self.tr("Quét bằng máy quét trong phần thiết lập vào giấy tờ đang chọn")
        )
        self.scan_button.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.scan_button.setAutoDefault(False)
        self.scan_button.clicked.connect(self.scan)
        self.files_button = QPushButton(self.tr("Thê&m tệp…"))
        self.files_button.setAccessibleName(self.tr("Thêm tệp PDF hoặc ảnh"))
        self.files_button.setAutoDefault(False)
        self.files_button.clicked.connect(self.choose_files)
        self.sheets = QSpinBox()
        self.sheets.setRange(0, MAX_PAGES)
        self.sheets.setSpecialValueText(self.tr("tự động"))
        self.sheets.setAccessibleName(self.tr("Số tờ cần quét"))
        self.sheets.setToolTip(
            self.tr(
                "Tự động: một tờ trên mặt kính, hết khay với khay nạp giấy. Ghi số tờ để máy "
                "quét báo khi khay hết giấy sớm hơn (kẹt giấy, kéo hai tờ)."
            )
        )
        self.sheets_label = QLabel(self.tr("Số tờ:"))
        self.sheets_label.setBuddy(self.sheets)
        self.cancel_button = QPushButton(self.tr("Hủ&y quét"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.cancel_scan)
        self.cancel_button.setVisible(False)
        self.progress = QLabel()
        self.progress.setAccessibleName(self.tr("Tiến trình quét"))
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.error.setAccessibleName(self.tr("Lỗi số hóa"))

        self.page_view = PageView(self)
        self.thumbs = self.page_view.thumbs
        self.viewer = self.page_view.viewer
        self.document = self.page_view.document
        self.page_label = self.page_view.page_label

        # the scan folder's files waiting for a paper
        self.tray_box = WaitingFiles(ctx, settings.folder, self.attach_paths, self)
        self.tray = self.tray_box.tray
        self.tray_button = self.tray_box.tray_button

        buttons = QHBoxLayout()
        buttons.addWidget(self.scan_button)
        buttons.addWidget(self.sheets_label)
        buttons.addWidget(self.sheets)
        buttons.addWidget(self.files_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        versions = QHBoxLayout()
        versions.addWidget(versions_label)
        versions.addWidget(self.versions, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.line_label)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addLayout(versions)
        layout.addWidget(self.error)
        layout.addWidget(self.tray_box)
        layout.addWidget(self.page_view, 1)
        QWidget.setTabOrder(self.scan_button, self.sheets)
        QWidget.setTabOrder(self.sheets, self.files_button)
        QWidget.setTabOrder(self.files_button, self.cancel_button)
        QWidget.setTabOrder(self.cancel_button, self.versions)
        QWidget.setTabOrder(self.versions, self.tray)
        QWidget.setTabOrder(self.tray, self.tray_button)
        QWidget.setTabOrder(self.tray_button, self.thumbs)

        self.page_started.connect(self._show_page_started)
        self._enable()

    # -- what is shown ----------------------------------------------------------------------

    def set_files(self, files: Sequence[DossierFileView]) -> None:
        """The dossier's files as read now: the line chosen shows its latest version."""
        self.files = tuple(files)
        if self.doc is not None:
            self.show_line(self.doc, self.doc_name)

    def show_line(self, doc: str, name: str) -> None:
        """Show the pages of one paper (its latest version)."""
        changed = doc != self.doc
        self.doc, self.doc_name = doc, name
        self.tray_box.set_paper(doc, name)
        if changed:
            self.error.setVisible(False)
        found = versions_of(self.files, doc)
        self.line_label.setText(f"{name}: {pages_text(self.files, doc)}")
        self.versions.blockSignals(True)
        self.versions.clear()
        for f in found:
            self.versions.addItem(self._version_text(f), f.version)
        self.versions.blockSignals(False)
        self._enable()
        if found:
            self.show_version(found[0])
        else:
            self.shown = None
            self._clear_pages()

    def _version_text(self, f: DossierFileView) -> str:
        sources = {
            "scan": self.tr("quét"),
            "file": self.tr("tệp"),
            "folder": self.tr("thư mục quét"),
        }
        return self.tr("Bản {version}: {pages} trang, {source}, {at}, {by}").format(
            version=f.version,
            pages=f.pages,
            source=sources.get(f.source, f.source),
            at=formatting.moment(f.at),
            by=f.by,
        )

    def _version_chosen(self, index: int) -> None:
        if self.doc is None or index < 0:
            return
        wanted = self.versions.itemData(index)
        for f in versions_of(self.files, self.doc):
            if f.version == wanted:
                self.show_version(f)

    def show_version(self, f: DossierFileView) -> None:
        """Read the version's PDF on the read worker, then show its pages."""
        if self.shown == f and self.page_count():
            return
        self.shown = f
        self._reading = f.sha256
        scans = self.ctx.app.scans

        def show(pdf: bytes) -> None:
            if self._reading == f.sha256:
                self.set_pdf(pdf)

        self.ctx.tasks.run(Op.read(lambda: scans.read(f.sha256)), show, self._failed, self)

    def set_pdf(self, pdf: bytes) -> None:
        self.page_view.set_pdf(pdf)

    def _clear_pages(self) -> None:
        self._reading = None
        self.page_view.clear()

    def page_count(self) -> int:
        """Pages of the version shown (0 when none is)."""
        return self.page_view.page_count()

    def current_page(self) -> int:
        return self.page_view.current_page()

    # -- adding pages -----------------------------------------------------------------------

    @property
    def scanning(self) -> bool:
        return self._cancel is not None

    def _enable(self) -> None:
        line = self.doc is not None
        self.scan_button.setEnabled(line and not self.scanning)
        self.files_button.setEnabled(line)
        self.cancel_button.setVisible(self.scanning)
        self.versions.setEnabled(self.versions.count() > 1)
        self.tray_box.enable()

    def scan(self) -> None:
        """Scan into the paper chosen, on the scan worker; the dialog stays usable."""
        if self.doc is None or self.scanning:
            return
        doc, settings = self.doc, self.settings
        pages = self.sheets.value() or None
        cancel = threading.Event()
        self._cancel = cancel
        started = self.page_started

        def work() -> ScannedPages:
            return scan_pages(
                settings.device, pages, source=settings.source, on_page=started.emit, cancel=cancel
            )

        self.error.setVisible(False)
        self.progress.setText(self.tr("Đang quét…"))
        self._enable()
        self.ctx.tasks.run(
            Op.scan(work),
            lambda scanned: self._scanned(doc, scanned, cancel),
            self._scan_failed,
            self,
        )

    def _show_page_started(self, n: int) -> None:
        if self.scanning:
            self.progress.setText(self.tr("Đang quét trang {n}…").format(n=n))

    def cancel_scan(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.progress.setText(self.tr("Đang dừng máy quét…"))

    def stop(self) -> None:
        """The dialog closes: the scanner stops, the folder is no longer looked at."""
        self.cancel_scan()
        self.tray_box.stop()

    def _scan_done(self) -> None:
        self._cancel = None
        self.progress.clear()
        self._enable()

    def _scan_failed(self, exc: BaseException) -> None:
        self._scan_done()
        self._failed(exc)

    def _scanned(self, doc: str, scanned: ScannedPages, cancel: threading.Event) -> None:
        self._scan_done()
        if cancel.is_set():
            self.ctx.notifier.say(self.tr("Đã hủy quét: không lưu trang nào"))
            return
        device = self.settings.device or "scanner"
        parts = [Part(f"{device}-{n}.jpg", page) for n, page in enumerate(scanned.images, 1)]
        if scanned.failure is None:
            self.attach_parts(doc, parts, "scan")
        elif parts:
            self._ask_partial(doc, parts, scanned.failure)
        else:
            self._failed(scanned.failure)

    def _ask_partial(self, doc: str, parts: list[Part], failure: KnownError) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Máy quét dừng giữa chừng"))
        box.setText(failure.message(i18n.lang()))
        box.setInformativeText(
            self.tr("Giữ {n} trang đã quét, hay bỏ để quét lại từ đầu?").format(n=len(parts))
        )
        keep = box.addButton(
            self.tr("&Giữ {n} trang").format(n=len(parts)), QMessageBox.ButtonRole.AcceptRole
        )
        drop = box.addButton(self.tr("&Bỏ, không lưu"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(drop)
        self.partial_box = box

        def answered() -> None:
            self.partial_box = None
            if box.clickedButton() is keep:
                self.attach_parts(doc, parts, "scan")
            else:
                self.ctx.notifier.say(self.tr("Không lưu trang nào của lần quét này"))

        box.finished.connect(answered)
        box.open()

    def choose_files(self) -> None:
        """Pick PDF or image files to attach to the paper chosen."""
        if self.doc is None:
            return
        doc = self.doc
        dialog = QFileDialog(self, self.tr("Chọn tệp để đính kèm"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilters(
            [self.tr("PDF và ảnh ({patterns})").format(patterns=PATTERNS), self.tr("Mọi tệp (*)")]
        )
        if self.settings.folder:
            dialog.setDirectory(self.settings.folder)
        dialog.filesSelected.connect(
            lambda names: self.attach_paths(doc, [Path(n) for n in names], "file")
        )
        self.file_dialog = dialog
        dialog.open()

    def attach_parts(self, doc: str, parts: list[Part], source: str) -> None:
        actor, code, scans = self.ctx.signed_in, self.code, self.ctx.app.scans
        self._write(lambda: scans.attach(actor, code, doc, parts, source))

    def attach_paths(
        self,
        doc: str,
        paths: Sequence[Path],
        source: str,
        then: Callable[[], Any] | None = None,
        refused: Callable[[KnownError], None] | None = None,
    ) -> None:
        """Attach files as one version; ``then`` runs on the write worker once they are."""
        actor, code, scans = self.ctx.signed_in, self.code, self.ctx.app.scans

        def work() -> DossierFileView:
            stored = scans.attach_paths(actor, code, doc, list(paths), source)
            if then is not None:
                then()
            return stored

        self._write(work, refused)

    def _write(
        self,
        work: Callable[[], DossierFileView],
        refused: Callable[[KnownError], None] | None = None,
    ) -> None:
        self.progress.setText(self.tr("Đang lưu trang…"))

        def done(stored: DossierFileView) -> None:
            self.progress.clear()
            self.error.setVisible(False)
            self.ctx.notifier.say(
                self.tr("Đã lưu {pages} trang ({doc}, bản {version})").format(
                    pages=stored.pages, doc=self.doc_name or stored.doc, version=stored.version
                )
            )
            self.stored.emit(stored)

        def failed(exc: BaseException) -> None:
            self.progress.clear()
            if refused is not None and isinstance(exc, KnownError):
                refused(exc)
            self._failed(exc)

        op = Op.write(work, Changes.of_dossier(self.code))
        self.ctx.tasks.run(op, done, failed, self)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, KnownError):
            self.error.setText(exc.message(i18n.lang()))
            self.error.setVisible(True)
        self.ctx.notifier.report(exc)
