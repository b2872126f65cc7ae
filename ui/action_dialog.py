"""What a move of a dossier needs from the clerk: the move's words on its button, and the
dialog asking for a note or reasons, the missing papers, a new due moment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, QDateTime, Qt, QTimeZone
from PySide6.QtGui import QFocusEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from counter.clock import VN_TZ, to_vn
from counter.statuses import Status
from counter.text import collapse_spaces
from counter.views import DocumentLine
from ui import i18n
from ui.focus import ReturningDialog
from ui.widgets import ERROR_STYLE

translate = QCoreApplication.translate


def action_label(target: Status) -> str:
    return {
        Status.RETURNED: translate("DossierDetail", "Trả &kết quả"),
        Status.WITHDRAWN: translate("DossierDetail", "&Rút hồ sơ"),
        Status.SUPPLEMENT_REQUESTED: translate("DossierDetail", "Yêu cầu &bổ sung (Mẫu 02)"),
        Status.REJECTED: translate("DossierDetail", "&Từ chối tiếp nhận (Mẫu 03)"),
        Status.RECEIVED: translate("DossierDetail", "Tiếp nhận &lại (đã đủ giấy tờ)"),
        Status.PROCESSING: translate("DossierDetail", "Chuyển &xử lý"),
        Status.DONE: translate("DossierDetail", "Đã có kết &quả"),
        Status.STOPPED: translate("DossierDetail", "&Dừng xử lý"),
        Status.PAYMENT_REQUESTED: translate(
            "DossierDetail", "Yêu cầu thực hiện nghĩa &vụ tài chính"
        ),
    }.get(target, target.label(i18n.lang()))


class ActionDialog(ReturningDialog):
    """Asks what a move needs: a note or reasons, missing papers, a new due moment."""

    def __init__(
        self,
        title: str,
        explanation: str,
        parent: QWidget | None = None,
        *,
        note_label: str = "",
        note_required: bool = False,
        documents: Sequence[DocumentLine] = (),
        new_due_after: datetime | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.note_required = note_required
        layout = QVBoxLayout(self)
        intro = QLabel(explanation)
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.documents: QListWidget | None = None
        if documents:
            layout.addWidget(QLabel(self.tr("Giấy tờ còn thiếu (đánh dấu bằng phím cách):")))
            self.documents = QListWidget()
            self.documents.setAccessibleName(self.tr("Giấy tờ còn thiếu"))
            for d in documents:
                item = QListWidgetItem(d.name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                item.setData(Qt.ItemDataRole.UserRole, d)
                self.documents.addItem(item)
            layout.addWidget(self.documents)

        self.due_edit: QDateTimeEdit | None = None
        self._due_after = new_due_after
        if new_due_after is not None:
            form = QFormLayout()
            self.due_edit = MomentEdit()
            self.due_edit.setAccessibleName(self.tr("Ngày hẹn mới"))
            self.due_edit.setDateTime(_qdatetime(new_due_after + timedelta(days=3)))
            form.addRow(self.tr("Ngày hẹn &mới:"), self.due_edit)
            layout.addLayout(form)

        self.note: QPlainTextEdit | None = None
        if note_label:
            label = QLabel(note_label)
            self.note = QPlainTextEdit()
            self.note.setTabChangesFocus(True)
            self.note.setAccessibleName(note_label)
            self.note.setMaximumHeight(110)
            label.setBuddy(self.note)
            layout.addWidget(label)
            layout.addWidget(self.note)

        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        layout.addWidget(self.error)

        buttons = QDialogButtonBox()
        ok = buttons.addButton(self.tr("Đồng ý"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Hủy"), QDialogButtonBox.ButtonRole.RejectRole)
        ok.setDefault(True)
        ok.setToolTip(self.tr("Ctrl+Enter"))
        for keys in ("Ctrl+Return", "Ctrl+Enter"):  # Enter alone is a new line in the note
            QShortcut(QKeySequence(keys), self).activated.connect(self._accept)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def note_text(self) -> str:
        return collapse_spaces(self.note.toPlainText()) if self.note else ""

    def reasons(self) -> list[str]:
        if self.note is None:
            return []
        return [line.strip() for line in self.note.toPlainText().splitlines() if line.strip()]

    def missing(self) -> list[DocumentLine]:
        if self.documents is None:
            return []
        out = []
        for i in range(self.documents.count()):
            item = self.documents.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    def new_due_at(self) -> datetime | None:
        if self.due_edit is None:
            return None
        return _pydatetime(self.due_edit.dateTime())

    def _accept(self) -> None:
        if self.note_required and not self.note_text():
            self._fail(self.tr("Hãy ghi lý do"))
            return
        if self.documents is not None and not self.missing():
            self._fail(self.tr("Hãy đánh dấu ít nhất một giấy tờ còn thiếu"))
            return
        due = self.new_due_at()
        if due is not None and self._due_after is not None and due <= self._due_after:
            self._fail(self.tr("Ngày hẹn mới phải sau ngày hẹn cũ"))
            return
        self.accept()

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(True)


class MomentEdit(QDateTimeEdit):
    """A date and time typed section after section (a full section moves on by itself);
    Tab leaves the field, as everywhere else, instead of walking its sections."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("dd/MM/yyyy HH:mm")

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.setSelectedSection(QDateTimeEdit.Section.DaySection)  # typing starts at the day


def _qdatetime(dt: datetime) -> QDateTime:
    local = to_vn(dt)
    return QDateTime.fromSecsSinceEpoch(int(local.timestamp()), QTimeZone(7 * 3600))


def _pydatetime(q: QDateTime) -> datetime:
    moment = datetime.fromtimestamp(q.toSecsSinceEpoch(), VN_TZ)
    return moment.replace(second=0, microsecond=0)
