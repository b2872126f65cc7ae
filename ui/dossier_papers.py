"""A dossier's papers in its detail: the checklist (originals, copies, pages digitised) and
the fees. Choosing a paper shows its pages in the pages panel (``ui/pages_panel.py``); files
dropped on a paper's line are attached to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter.scans import RESULT, RESULT_STATUSES
from counter.views import DossierFileView, DossierView
from ui import formatting
from ui.pages_panel import pages_text


def local_files(event: QDropEvent | Any) -> list[Path]:
    """The local files a drag carries (none when it carries anything else)."""
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return []
    urls = mime.urls()
    if not urls or not all(u.isLocalFile() for u in urls):
        return []
    return [Path(u.toLocalFile()) for u in urls]


class FileDrop(QObject):
    """Files dropped on a row of a table: ``dropped(row, paths)``."""

    dropped = Signal(int, list)

    def __init__(self, view: QAbstractItemView):
        super().__init__(view)
        self.view = view
        view.setAcceptDrops(True)
        view.viewport().setAcceptDrops(True)
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, QDropEvent)
            row = self.view.indexAt(event.position().toPoint()).row()
            if local_files(event) and (row >= 0 or kind is QEvent.Type.DragEnter):
                event.acceptProposedAction()
            else:
                event.ignore()
            return True
        if kind is QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            row = self.view.indexAt(event.position().toPoint()).row()
            paths = local_files(event)
            if row >= 0 and paths:
                event.acceptProposedAction()
                self.dropped.emit(row, paths)
            else:
                event.ignore()
            return True
        return super().eventFilter(watched, event)


class DossierPapers(QGroupBox):
    """The checklist of papers and the fees; it says which paper is chosen."""

    #: a paper was chosen: (document code, its name)
    line_chosen = Signal(str, str)
    #: files were dropped on a paper's line (already chosen): (document code, paths)
    dropped = Signal(str, list)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle(self.tr("Thành phần hồ sơ và lệ phí"))
        self.documents = QTableWidget(0, 4)
        self.documents.setAccessibleName(self.tr("Giấy tờ đã nhận"))
        self.documents.setHorizontalHeaderLabels(
            [self.tr("Giấy tờ"), self.tr("Bản chính"), self.tr("Bản sao"), self.tr("Số hóa")]
        )
        #: the document code of each row of the checklist (``result`` for the result)
        self.line_codes: list[str] = []
        self.documents.verticalHeader().setVisible(False)
        header = self.documents.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.documents.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.documents.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.documents.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.documents.setWordWrap(True)
        self.documents.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.documents.setTabKeyNavigation(False)
        self.documents.setToolTip(
            self.tr(
                "Chọn giấy tờ để xem trang; Ctrl+Shift+S quét vào giấy tờ đang chọn; kéo tệp "
                "thả vào dòng để đính kèm"
            )
        )
        self.documents.currentCellChanged.connect(lambda row, *_: self._line_chosen(row))
        self.drop = FileDrop(self.documents)
        self.drop.dropped.connect(self._dropped)
        self.fees = QLabel()
        self.fees.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.documents)
        layout.addWidget(self.fees)

    def fill(self, v: DossierView) -> None:
        """The dossier's papers and fees as read now; the paper chosen stays chosen."""
        row = self.documents.currentRow()
        lines = [(d.code, d.name, str(d.originals), str(d.copies)) for d in v.documents]
        if v.status in RESULT_STATUSES:
            lines.append((RESULT, self.tr("Kết quả giải quyết"), "", ""))
        self.line_codes = [code for code, *_ in lines]
        self.documents.setRowCount(len(lines))
        for i, (code, name, originals, copies) in enumerate(lines):
            self.documents.setItem(i, 0, QTableWidgetItem(name))
            for col, text in ((1, originals), (2, copies), (3, pages_text(v.files, code))):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.documents.setItem(i, col, item)
        self.documents.resizeRowsToContents()
        if lines:
            self.documents.setCurrentCell(min(max(row, 0), len(lines) - 1), 0)
        if v.fees:
            fees = [f"{f.name}: {formatting.money(f.amount)}" for f in v.fees]
            fees.append(self.tr("Tổng: {total}").format(total=formatting.money(v.fees_total)))
            self.fees.setText("\n".join(fees))
        else:
            self.fees.setText(self.tr("Không thu phí"))

    def choose_first_bare(self, files: Sequence[DossierFileView]) -> None:
        """The keyboard on the checklist, at the first paper without pages."""
        codes = self.line_codes
        bare = [i for i, c in enumerate(codes) if not any(f.doc == c for f in files)]
        if codes:
            self.documents.setCurrentCell(bare[0] if bare else 0, 0)
        self.documents.setFocus(Qt.FocusReason.OtherFocusReason)

    def _line_chosen(self, row: int) -> None:
        if 0 <= row < len(self.line_codes):
            item = self.documents.item(row, 0)
            self.line_chosen.emit(self.line_codes[row], item.text() if item else "")

    def _dropped(self, row: int, paths: list) -> None:
        """Files dropped on a paper's line: attached to it, one version."""
        if 0 <= row < len(self.line_codes):
            self.documents.setCurrentCell(row, 0)
            self.dropped.emit(self.line_codes[row], paths)
