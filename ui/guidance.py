"""Incomplete dossiers at the desktop: picking the guidance a returning citizen brings back.

The intake page records guidance when a required paper is missing (``GuidanceService.guide``)
and prints the request to supplement (Mẫu 02) with its id. When the citizen comes back,
the clerk opens this list (Ctrl+H on the intake page), types the id from the paper or part
of the name, and Enter fills the intake form in from the record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter.accounts import Actor
from counter.intake import DossierInput
from counter.text import fold
from counter.views import DocumentLine, DossierView, GuidanceView, ProcedureView
from protocol.errors import KnownError
from ui import formatting
from ui.context import UiContext
from ui.focus import ReturningDialog
from ui.models import RowsModel
from ui.operations import Op

if TYPE_CHECKING:
    from ui.applicant_form import ApplicantForm
    from ui.models import DocumentChecklistModel
    from ui.widgets import CheckedField


class IntakeForm(Protocol):
    """What the guidance needs of the intake page (``ui.intake.IntakePage``)."""

    ctx: UiContext
    procedure: ProcedureView | None
    documents: DocumentChecklistModel
    documents_view: QTableView
    applicant: ApplicantForm
    note_field: CheckedField
    save_button: QPushButton

    def choose_procedure(self, code: str) -> None: ...

    def window(self) -> QWidget: ...


def _missing(g: GuidanceView) -> str:
    return "; ".join(d.name for d in g.missing)


class GuidancePicker(ReturningDialog):
    """The guidance records not received yet, newest first; Enter picks the selected one."""

    chosen = Signal(object)  # GuidanceView

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Tiếp nhận từ phiếu hướng dẫn (Mẫu 02)"))
        self.setAccessibleName(self.windowTitle())
        self._all: list[GuidanceView] = []
        self.filter = QLineEdit()
        self.filter.setAccessibleName(self.tr("Tìm phiếu hướng dẫn"))
        self.filter.setPlaceholderText(
            self.tr("Số phiếu (HD-…), tên người nộp hoặc số giấy tờ, không cần dấu")
        )
        self.filter.textChanged.connect(self._apply_filter)
        self.filter.returnPressed.connect(self._accept_current)
        self.model: RowsModel[GuidanceView] = RowsModel(
            [
                (self.tr("Số phiếu"), lambda g: g.code),
                (self.tr("Hướng dẫn lúc"), lambda g: formatting.moment(g.guided_at)),
                (self.tr("Người nộp"), lambda g: g.applicant_name),
                (self.tr("Thủ tục"), lambda g: g.procedure_name),
                (self.tr("Còn thiếu"), _missing),
            ],
            parent=self,
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Phiếu hướng dẫn chưa tiếp nhận"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self._accept_current())
        self.empty = QLabel(self.tr("Đang đọc danh sách…"))
        self.empty.setStyleSheet("color: #555;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Tiếp nhận &hồ sơ này"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Đó&ng"))
        buttons.accepted.connect(self._accept_current)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        label = QLabel(self.tr("&Tìm:"))
        label.setBuddy(self.filter)
        layout.addWidget(label)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.resize(900, 420)
        guidance = ctx.app.guidance
        ctx.tasks.run(Op.read(lambda: guidance.recent(500)), self._loaded, owner=self)

    def _loaded(self, rows: list[GuidanceView]) -> None:
        self._all = rows
        self._apply_filter(self.filter.text())

    def _apply_filter(self, text: str) -> None:
        words = fold(text).split()
        rows = [
            g
            for g in self._all
            if all(w in fold(f"{g.code} {g.applicant_name} {g.id_number} {g.phone}") for w in words)
        ]
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.empty.setText(
            "" if rows else self.tr("Không có phiếu hướng dẫn nào chưa tiếp nhận phù hợp.")
        )
        self.empty.setVisible(not rows)
        if rows:
            self.table.selectRow(0)

    def _accept_current(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.model.rows:
            return
        chosen = self.model.row_object(index.row())
        self.accept()  # closed first, so the intake window takes the keyboard back
        self.chosen.emit(chosen)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # arrows in the search box move the selection in the list, as in the procedure picker
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.filter.hasFocus():
            row = self.table.currentIndex().row() + (1 if key == Qt.Key.Key_Down else -1)
            if 0 <= row < len(self.model.rows):
                self.table.selectRow(row)
            return
        super().keyPressEvent(event)


class IntakeGuidance(QObject):
    """The intake page's part in guidance.

    - With a required paper unticked, saving records guidance and prints Mẫu 02 with its id:
      no receipt, no code, no due date (``GuidanceService.guide``).
    - "Từ phiếu hướng dẫn…" (Ctrl+H) fills the form in from a guidance record; saving then
      receives the dossier from it, its time limit counted from that moment.
    """

    #: guidance was recorded (its view)
    guided = Signal(object)
    #: its Mẫu 02 was rendered and sent: (guidance id, pdf bytes, destination)
    form_printed = Signal(str, bytes, str)

    def __init__(self, page: IntakeForm, parent: QWidget):
        super().__init__(parent)
        self.page = page
        self.parent_widget = parent
        self.ctx = page.ctx
        self.source: GuidanceView | None = None
        self.button = QPushButton(self.tr("Từ phiếu hướng dẫn… (Ctrl+H)"))
        self.button.setAccessibleName(self.tr("Tiếp nhận từ phiếu hướng dẫn"))
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self.pick)
        shortcut = QShortcut(QKeySequence("Ctrl+H"), parent)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.pick)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAccessibleName(self.tr("Tình trạng hồ sơ"))
        self.label.setVisible(False)
        page.documents.dataChanged.connect(self.update)
        page.documents.modelReset.connect(self.update)

    # -- state ------------------------------------------------------------------------------

    def missing(self) -> list[DocumentLine]:
        """Required papers not ticked: saving records guidance instead of a receipt."""
        return self.page.documents.missing_required() if self.page.procedure else []

    def save_text(self) -> str:
        if self.missing():
            return self.tr("&Lưu phiếu hướng dẫn và in Mẫu 02 (Ctrl+Enter)")
        return self.tr("&Lưu và in giấy tiếp nhận (Ctrl+Enter)")

    def update(self) -> None:
        missing = self.missing()
        lines = []
        if self.source is not None:
            lines.append(
                self.tr(
                    "Tiếp nhận từ phiếu hướng dẫn <b>{code}</b>: thời hạn giải quyết tính từ "
                    "lúc lưu."
                ).format(code=self.source.code)
            )
        if missing:
            names = "; ".join(d.name for d in missing)
            lines.append(
                self.tr(
                    "Chưa đủ giấy tờ bắt buộc: {names}. Lưu sẽ ghi phiếu hướng dẫn và in Phiếu "
                    "yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02); chưa cấp giấy tiếp nhận."
                ).format(names=names)
            )
        self.label.setText("<br>".join(lines))
        self.label.setStyleSheet("color: #9c2a00;" if missing else "color: #0b5394;")
        self.label.setVisible(bool(lines))
        self.page.save_button.setText(self.save_text())

    def reset(self) -> None:
        self.source = None
        self.update()

    # -- from a guidance record -------------------------------------------------------------

    def pick(self) -> None:
        picker = GuidancePicker(self.ctx, self.parent_widget)
        picker.chosen.connect(self.fill)
        picker.open()

    def fill(self, g: GuidanceView) -> None:
        """The form as the record has it; every paper shown then, and the required ones, ticked
        (the citizen is back with what was missing)."""
        page = self.page
        try:
            page.choose_procedure(g.procedure_code)
        except KnownError as exc:  # withdrawn from the catalogue since
            self.ctx.notifier.report(exc)
            return
        page.applicant.set_values(g.intake)
        page.note_field.edit.setText(str(g.intake.get("note") or ""))
        procedure = page.procedure
        assert procedure is not None
        shown = {d.code for d in g.received} | {d.code for d in procedure.documents if d.required}
        page.documents.set_documents(procedure.documents, received=sorted(shown))
        self.source = g
        self.update()
        # back in the intake window, on the checklist: tick what came, then Ctrl+Enter
        page.window().activateWindow()
        page.documents_view.setFocus()

    # -- saving -----------------------------------------------------------------------------

    def receive_work(self, actor: Actor, data: DossierInput) -> Callable[[], DossierView] | None:
        """How to receive the form's dossier when it comes from a guidance record."""
        source, guidance = self.source, self.ctx.app.guidance
        if source is None:
            return None
        return lambda: guidance.receive(actor, source.code, data=data)

    def guide(
        self, actor: Actor, data: DossierInput, failed: Callable[[BaseException], None]
    ) -> None:
        """Record guidance for the form's incomplete dossier, then print its Mẫu 02."""
        guidance = self.ctx.app.guidance
        self.ctx.tasks.run(
            Op.write(lambda: guidance.guide(actor, data)), self._guided, failed, self.parent_widget
        )

    def _guided(self, g: GuidanceView) -> None:
        self.ctx.notifier.say(
            self.tr("Đã ghi phiếu hướng dẫn {code}; đang in Mẫu 02").format(code=g.code)
        )
        self.guided.emit(g)
        service, actor = self.ctx.printing, self.ctx.signed_in
        guidance = self.ctx.app.guidance
        title = f"{g.code}-mau-02"

        def job() -> tuple[bytes, str]:
            pdf = service.guidance_form(g, actor)
            return pdf, service.send(pdf, title)

        def done(result: tuple[bytes, str]) -> None:
            pdf, destination = result
            record = Op.write(
                lambda: guidance.record_print(actor.username, g.code, "supplement", destination)
            )
            self.ctx.tasks.run(record)
            self.form_printed.emit(g.code, pdf, destination)

        self.ctx.tasks.run(Op.print_job(job), done, self.ctx.notifier.report, self.parent_widget)
