"""The scan folder's files waiting for a paper, in a dossier's pages panel.

The folder (``counter.scanfolder``) is looked at on the read worker every
``FOLDER_LOOK_MS``; complete files are listed under "Tệp chờ", the new ones announced, and
the one chosen is attached to the paper chosen, then moved to ``đã-nhận``. A file refused
stays where it is, the reason beside its name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter.scanfolder import FolderWatch, Waiting, move_done
from protocol.errors import KnownError
from ui import i18n
from ui.context import UiContext
from ui.operations import Op

#: How often the scan folder is looked at; a file is offered at the second look that
#: finds it unchanged.
FOLDER_LOOK_MS = 1500


#: Attaches files to a paper as one version (the pages panel's ``attach_paths``):
#: (document code, paths, source, what runs once stored, what runs when they are refused)
Attach = Callable[
    [str, Sequence[Path], str, Callable[[], Any] | None, Callable[[KnownError], None] | None],
    None,
]


class WaitingFiles(QWidget):
    """The list of waiting files and the button that attaches the one chosen."""

    def __init__(self, ctx: UiContext, folder: str, attach: Attach, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._attach = attach
        #: the paper chosen in the checklist (None before one is)
        self.doc: str | None = None
        self.doc_name = ""
        self.tray = QListWidget()
        self.tray.setAccessibleName(self.tr("Tệp chờ trong thư mục quét"))
        self.tray.setMaximumHeight(90)
        self.tray_button = QPushButton(self.tr("Gắn tệp &chờ vào giấy tờ này"))
        self.tray_button.setAutoDefault(False)
        self.tray_button.clicked.connect(self.attach_waiting)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(QLabel(self.tr("Tệp chờ (thư mục quét):")))
        head.addStretch(1)
        head.addWidget(self.tray_button)
        layout.addLayout(head)
        layout.addWidget(self.tray)
        QWidget.setTabOrder(self.tray, self.tray_button)
        self.setVisible(False)

        self.waiting: list[Waiting] = []
        self.refused: dict[Path, str] = {}
        self._offered: set[Path] = set()
        self._looking = False
        self.watch: FolderWatch | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(FOLDER_LOOK_MS)
        self.timer.timeout.connect(self.look_at_folder)
        if folder:
            self.watch = FolderWatch(Path(folder))
            self.setVisible(True)
            self.tray.setEnabled(False)
            self.tray_button.setEnabled(False)
            self.timer.start()
            QTimer.singleShot(0, self.look_at_folder)

    def set_paper(self, doc: str | None, name: str) -> None:
        """The paper the waiting files go to."""
        self.doc, self.doc_name = doc, name
        self.enable()

    def enable(self) -> None:
        self.tray_button.setEnabled(self.doc is not None and bool(self.waiting))
        self.tray.setEnabled(bool(self.waiting))

    def stop(self) -> None:
        """The folder is no longer looked at."""
        self.timer.stop()

    def look_at_folder(self) -> None:
        watch = self.watch
        if watch is None or self._looking:
            return
        self._looking = True
        self.ctx.tasks.run(Op.read(watch.look), self._looked, self._look_failed, self)

    def _look_failed(self, exc: BaseException) -> None:
        self._looking = False
        self.ctx.notifier.report(exc)

    def _looked(self, waiting: list[Waiting]) -> None:
        self._looking = False
        self.waiting = waiting
        row = self.tray.currentRow()
        self.tray.clear()
        for w in waiting:
            text = f"{w.path.name} ({_size(w.bytes)})"
            reason = self.refused.get(w.path)
            if reason:
                text += " – " + self.tr("không nhận: {reason}").format(reason=reason)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, str(w.path))
            if reason:
                item.setForeground(Qt.GlobalColor.darkRed)
            self.tray.addItem(item)
        if waiting:
            self.tray.setCurrentRow(min(max(row, 0), len(waiting) - 1))
        new = [w.path.name for w in waiting if w.path not in self._offered]
        self._offered |= {w.path for w in waiting}
        if new and self.doc is not None:
            self.ctx.notifier.say(
                self.tr("Có tệp mới trong thư mục quét: {names}. Gắn vào “{doc}”: Alt+C").format(
                    names=", ".join(new), doc=self.doc_name
                )
            )
        self.enable()

    def attach_waiting(self) -> None:
        """The waiting file chosen, attached to the paper chosen, then moved to đã-nhận."""
        item = self.tray.currentItem()
        if self.doc is None or item is None:
            return
        path = Path(str(item.data(Qt.ItemDataRole.UserRole)))
        doc = self.doc

        def refused(exc: KnownError) -> None:
            self.refused[path] = exc.message(i18n.lang())
            self.look_at_folder()

        def moved() -> None:
            move_done(path)

        self.refused.pop(path, None)
        self._attach(doc, [path], "folder", moved, refused)
        self.tray_button.setEnabled(False)
        QTimer.singleShot(0, self.look_at_folder)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"
