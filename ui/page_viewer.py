"""The pages of one digitised version, shown: a strip of thumbnails above the page itself
(QtPdf), turned and zoomed from the keyboard. Which version is shown, and how pages are
added, is the pages panel's (``ui/pages_panel.py``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QBuffer, QPointF, QSize, Qt
from PySide6.QtGui import QIcon, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.pdf_preview import load_pdf, pdf_viewer_available

THUMB = QSize(90, 127)


def _viewer_class() -> Any:
    from PySide6.QtPdfWidgets import QPdfView

    class PageViewer(QPdfView):
        """One page at a time: PageUp/PageDown turn pages, + and − zoom, 0 fits the width."""

        def keyPressEvent(self, event: QKeyEvent) -> None:
            key = event.key()
            doc = self.document()
            count = doc.pageCount() if doc is not None else 0
            nav = self.pageNavigator()
            if count and key in (
                Qt.Key.Key_PageDown,
                Qt.Key.Key_PageUp,
                Qt.Key.Key_Home,
                Qt.Key.Key_End,
            ):
                page = {
                    Qt.Key.Key_PageDown: min(nav.currentPage() + 1, count - 1),
                    Qt.Key.Key_PageUp: max(nav.currentPage() - 1, 0),
                    Qt.Key.Key_Home: 0,
                    Qt.Key.Key_End: count - 1,
                }[Qt.Key(key)]
                nav.jump(page, QPointF(), nav.currentZoom())
                return
            if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus, Qt.Key.Key_0):
                self.zoom(key)
                return
            super().keyPressEvent(event)

        def zoom(self, key: int) -> None:
            if key == Qt.Key.Key_0:
                self.setZoomMode(QPdfView.ZoomMode.FitToWidth)
                return
            factor = self.zoomFactor()
            if self.zoomMode() is not QPdfView.ZoomMode.Custom:
                factor = self._fitted_factor()
                self.setZoomMode(QPdfView.ZoomMode.Custom)
            factor *= 0.8 if key == Qt.Key.Key_Minus else 1.25
            self.setZoomFactor(max(0.1, min(factor, 8.0)))

        def _fitted_factor(self) -> float:
            doc = self.document()
            nav = self.pageNavigator()
            if doc is None or not doc.pageCount():
                return 1.0
            width_pt = doc.pagePointSize(nav.currentPage()).width() or 1.0
            dpi = self.logicalDpiX() or 96
            return max(0.1, (self.viewport().width() - 12) / (width_pt / 72 * dpi))

    return PageViewer


class PageView(QWidget):
    """The thumbnails and the page of one PDF; a hint in their place while there is none."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._buffer: QBuffer | None = None

        self.thumbs = QListWidget()
        self.thumbs.setAccessibleName(self.tr("Các trang"))
        self.thumbs.setViewMode(QListView.ViewMode.IconMode)
        self.thumbs.setFlow(QListView.Flow.LeftToRight)
        self.thumbs.setWrapping(False)
        self.thumbs.setMovement(QListView.Movement.Static)
        self.thumbs.setIconSize(THUMB)
        self.thumbs.setFixedHeight(THUMB.height() + 44)
        self.thumbs.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.thumbs.currentRowChanged.connect(self._thumb_chosen)

        self.document: Any = None
        self.viewer: QWidget
        if pdf_viewer_available():
            from PySide6.QtPdf import QPdfDocument
            from PySide6.QtPdfWidgets import QPdfView

            self.document = QPdfDocument(self)
            viewer = _viewer_class()(self)
            viewer.setDocument(self.document)
            viewer.setPageMode(QPdfView.PageMode.SinglePage)
            viewer.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            viewer.pageNavigator().currentPageChanged.connect(self._page_changed)
            self.viewer = viewer
        else:
            self.viewer = QLabel(self.tr("Máy này chưa có thành phần xem PDF."))
        self.viewer.setAccessibleName(self.tr("Trang đang xem"))
        self.viewer.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewer.setMinimumHeight(320)
        self.page_label = QLabel()
        self.page_label.setStyleSheet("color: #555;")
        self.page_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.thumbs)
        layout.addWidget(self.viewer, 1)
        layout.addWidget(self.page_label)
        # takes the room of the strip and the page while there are none (no gaps between)
        self.filler = QWidget()
        self.filler.setVisible(False)
        layout.addWidget(self.filler, 1)
        QWidget.setTabOrder(self.thumbs, self.viewer)

    def set_pdf(self, pdf: bytes) -> None:
        """Show a PDF's pages, from its first."""
        self.thumbs.clear()
        self.thumbs.setVisible(True)
        self.viewer.setVisible(True)
        self.filler.setVisible(False)
        if self.document is None:
            return
        self._buffer = load_pdf(self.document, pdf, self, self._buffer)
        for page in range(self.document.pageCount()):
            size = self.document.pagePointSize(page).toSize()
            size.scale(THUMB, Qt.AspectRatioMode.KeepAspectRatio)
            image = self.document.render(page, size)
            item = QListWidgetItem(
                QIcon(QPixmap.fromImage(image)), self.tr("Trang {n}").format(n=page + 1)
            )
            item.setSizeHint(QSize(THUMB.width() + 16, THUMB.height() + 36))
            self.thumbs.addItem(item)
        self._page_changed(0)

    def clear(self) -> None:
        """No pages: the hint says how to add some."""
        self.thumbs.clear()
        self.thumbs.setVisible(False)
        self.viewer.setVisible(False)
        self.filler.setVisible(True)
        if self.document is not None:
            self.document.close()
        self.page_label.setText(
            self.tr(
                "Chưa có trang nào: quét (Ctrl+Shift+S), thêm tệp, hoặc kéo tệp thả vào dòng "
                "giấy tờ.",
            )
        )

    def page_count(self) -> int:
        """Pages of the PDF shown (0 when none is)."""
        return 0 if self.document is None else int(self.document.pageCount())

    def current_page(self) -> int:
        if self.document is None:
            return 0
        return int(self.viewer.pageNavigator().currentPage())  # type: ignore[attr-defined]

    def _thumb_chosen(self, row: int) -> None:
        if row < 0 or self.document is None or row >= self.page_count():
            return
        nav = self.viewer.pageNavigator()  # type: ignore[attr-defined]
        if nav.currentPage() != row:
            nav.jump(row, QPointF(), nav.currentZoom())

    def _page_changed(self, page: int) -> None:
        count = self.page_count()
        if not count:
            return
        if self.thumbs.currentRow() != page:
            self.thumbs.setCurrentRow(page)
        self.page_label.setText(
            self.tr(
                "Trang {n}/{count}. Trong khung trang: PageUp/PageDown lật trang, + và − "
                "phóng to, thu nhỏ, 0 vừa khung."
            ).format(n=page + 1, count=count)
        )
