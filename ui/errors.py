"""Errors in two kinds.

- Expected: a ``protocol.errors.KnownError``, the one root every layer subclasses: a refusal
  of the domain, a printer that said no, a portal out of reach. The clerk gets the message,
  in the status bar or beside the field.
- Anything else is a bug: logged with its trace in the data folder's log, and the clerk
  gets a short dialog saying so, without the details.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from protocol.errors import KnownError
from ui import i18n

log = logging.getLogger("ui")


def is_expected(exc: BaseException) -> bool:
    return isinstance(exc, KnownError)


def message_of(exc: BaseException) -> str:
    """The clerk's words for an expected failure, in the interface's language."""
    if isinstance(exc, KnownError):
        return exc.message(i18n.lang())
    return str(exc)


class Notifier(QObject):
    """Where messages for the clerk go; the main window shows them in its notice area
    (``ui.notices``), whole, with "Mở" when a message is about a file."""

    #: a message for the clerk
    message = Signal(str)
    #: the same message, and the file it is about (a ``Path``) or None
    notice = Signal(str, object)
    bug = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.dialog_parent: QWidget | None = None
        self.show_bug_dialogs = True

    def say(self, text: str, path: Path | None = None) -> None:
        """A message; ``path`` is the file it is about (a PDF or CSV just written)."""
        self.message.emit(text)
        self.notice.emit(text, path)

    def report(self, exc: BaseException) -> None:
        """Route any failure: a message for the expected kind, log + dialog for a bug.

        An expected error that kept a file for the clerk (a print job refused, its PDF kept)
        names it in ``kept``."""
        if is_expected(exc):
            kept = getattr(exc, "kept", None)
            self.say(message_of(exc), kept if isinstance(kept, Path) else None)
            return
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
        summary = f"{type(exc).__name__}: {exc}"
        self.bug.emit(summary)
        if self.show_bug_dialogs:
            self._bug_dialog()

    def _bug_dialog(self) -> None:
        box = QMessageBox(self.dialog_parent)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(self.tr("Lỗi không mong muốn"))
        box.setText(
            self.tr(
                "Chương trình gặp lỗi không mong muốn. Thao tác vừa rồi có thể chưa hoàn tất.\n"
                "Chi tiết đã được ghi vào nhật ký (thư mục logs trong thư mục dữ liệu). "
                "Hãy báo cho người quản trị."
            )
        )
        box.addButton(self.tr("Đóng"), QMessageBox.ButtonRole.AcceptRole)
        box.setAccessibleName(self.tr("Lỗi không mong muốn"))
        box.open()

    def excepthook(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        """For ``sys.excepthook``: an exception escaping a slot is reported, not lost."""
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        self.report(exc.with_traceback(tb))
