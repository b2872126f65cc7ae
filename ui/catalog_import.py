"""Importing the procedure catalogue from a file, on the settings page (the command line's
``catalog import``): for a supervisor or an admin, as the catalogue service allows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter.app import CounterApp
from counter.catalog_service import CatalogImport
from protocol.errors import KnownError
from ui import i18n
from ui.context import UiContext
from ui.errors import message_of
from ui.operations import Changes, Op
from ui.widgets import ERROR_STYLE


@dataclass(frozen=True)
class CatalogState:
    """The catalogue as it is at this counter: how many procedures, of which versions."""

    procedures: int
    versions: tuple[str, ...]


def catalog_state(app: CounterApp) -> CatalogState:
    procedures = app.catalog.procedures()
    versions = sorted({p.catalog_version for p in procedures if p.catalog_version})
    return CatalogState(len(procedures), tuple(versions))


class CatalogImportBox(QGroupBox):
    """The catalogue's state, and a button that imports a catalogue file."""

    #: a file was imported (its ``CatalogImport``)
    imported = Signal(object)
    #: an import was refused (the message shown)
    refused = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setTitle(self.tr("Danh mục thủ tục"))
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.button = QPushButton(self.tr("Nhập danh mục từ tệp…"))
        self.button.setToolTip(
            self.tr("Tệp JSON của danh mục thủ tục (như tệp mẫu đi kèm chương trình)")
        )
        self.button.clicked.connect(self.choose)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setVisible(False)
        self.dialog: QFileDialog | None = None
        row = QHBoxLayout()
        row.addWidget(self.state, 1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.result)
        ctx.changed.connect(self._on_changes)
        self.refresh()

    def _on_changes(self, changes: Changes) -> None:
        if changes.catalog:
            self.refresh()

    def refresh(self) -> None:
        app = self.ctx.app
        self.ctx.tasks.run(Op.read(lambda: catalog_state(app)), self._show_state, owner=self)

    def _show_state(self, state: CatalogState) -> None:
        if not state.procedures:
            self.state.setText(self.tr("Danh mục đang trống: hãy nhập danh mục thủ tục."))
            return
        self.state.setText(
            self.tr("Đang có {n} thủ tục (phiên bản {versions}).").format(
                n=state.procedures, versions=", ".join(state.versions) or "–"
            )
        )

    def choose(self) -> QFileDialog:
        """Ask for the file (Qt's own dialog, in the interface's language)."""
        dialog = QFileDialog(self, self.tr("Chọn tệp danh mục thủ tục"))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setNameFilters([self.tr("Danh mục thủ tục (*.json)"), self.tr("Mọi tệp (*)")])
        dialog.fileSelected.connect(lambda name: self.import_file(Path(name)))
        dialog.open()
        self.dialog = dialog
        return dialog

    def import_file(self, path: Path) -> None:
        """Import ``path`` on the write worker; say what it held, or why it was refused."""
        catalog, actor = self.ctx.app.catalog, self.ctx.signed_in
        self.button.setEnabled(False)
        self.result.setVisible(False)
        op = Op.write(lambda: catalog.import_catalog(actor, path), Changes(catalog=True))
        self.ctx.tasks.run(op, lambda done: self._imported(done, path), self._refused, self)

    def _imported(self, done: CatalogImport, path: Path) -> None:
        self.button.setEnabled(True)
        text = self.tr("Đã nhập {n} thủ tục, phiên bản {version}, từ tệp {name}.").format(
            n=done.procedures, version=done.version, name=path.name
        )
        self.result.setStyleSheet("")
        self.result.setText(text)
        self.result.setVisible(True)
        self.ctx.notifier.say(text)
        self.imported.emit(done)

    def _refused(self, exc: BaseException) -> None:
        self.button.setEnabled(True)
        if not isinstance(exc, KnownError):
            self.ctx.notifier.report(exc)
            return
        text = self.tr("Không nhập được danh mục: {why}").format(why=exc.message(i18n.lang()))
        self.result.setStyleSheet(ERROR_STYLE)
        self.result.setText(text)
        self.result.setVisible(True)
        self.ctx.notifier.say(message_of(exc))
        self.refused.emit(text)
