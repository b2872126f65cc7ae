"""One dossier: everything about it, its history, its sync state, and what may be done now.

The actions offered are exactly the moves the state machine allows the signed-in role
(``counter.statuses.next_statuses``); the service checks again when the move is made, and a
refusal (say, the portal moved the dossier meanwhile) is shown in the dialog.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from counter.app import CounterApp
from counter.clock import now
from counter.statuses import Status, next_statuses
from counter.views import DocumentLine, DossierView
from protocol.errors import KnownError
from ui import formatting, i18n
from ui.action_dialog import ActionDialog, action_label
from ui.context import UiContext
from ui.dossier_papers import DossierPapers
from ui.focus import ReturningDialog
from ui.handovers_box import HandoversBox
from ui.operations import Changes, Op
from ui.pages_panel import PagesPanel, ScanSettings, read_scan_settings
from ui.pdf_preview import PreviewDialog
from ui.rating_screen import ask_citizen
from ui.widgets import ERROR_STYLE, heading

#: forms printed with a move: status -> form kind
#: The form that goes with a move. Back to ``received`` (after a supplement) is a new
#: receipt: the time limit ran again from that moment (DossierService.set_status).
FORM_OF_STATUS = {
    Status.SUPPLEMENT_REQUESTED: "supplement",
    Status.REJECTED: "refusal",
    Status.STOPPED: "stop-notice",
    Status.RECEIVED: "receipt",
}


@dataclass(frozen=True)
class DossierDetails:
    """What the dialog shows, read on the read worker before it opens."""

    view: DossierView
    #: username -> full name, for the history
    user_names: Mapping[str, str]
    #: the procedure's documents, offered as missing when none were recorded at intake
    procedure_documents: tuple[DocumentLine, ...] = ()
    #: the scanner and the scan folder, for the pages panel
    scan_settings: ScanSettings = field(default_factory=ScanSettings)


def read_details(app: CounterApp, code: str) -> DossierDetails:
    """On the read worker: the dossier (``NotFound`` if there is none) and what goes with it."""
    view = app.dossiers.get(code)
    names = {u.username: u.full_name for u in app.accounts.list_users()}
    documents: tuple[DocumentLine, ...] = ()
    if not view.documents:
        try:
            documents = app.catalog.procedure(view.procedure_code).documents
        except KnownError:  # the procedure left the catalogue
            documents = ()
    return DossierDetails(view, names, documents, read_scan_settings(app))


def _changes_of(view: DossierView) -> Changes:
    return Changes.of_dossier(view.code)


class DossierDetailDialog(ReturningDialog):
    """Everything about one dossier, and the moves allowed now."""

    #: the dossier changed here (its new view)
    changed = Signal(object)
    #: a form was rendered for printing: (kind, pdf)
    form_ready = Signal(str, bytes)

    def __init__(self, ctx: UiContext, details: DossierDetails, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        #: who opened it: a print finishing after sign-out is recorded as theirs
        self.opened_by = ctx.signed_in
        self.view = details.view
        self.action_buttons: dict[Status, QPushButton] = {}
        self.previews: list[PreviewDialog] = []
        self._names = details.user_names
        self._procedure_documents = details.procedure_documents
        self.setAccessibleName(self.tr("Chi tiết hồ sơ"))
        self.resize(980, 720)

        self.code_label = heading("", 5)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = heading("", 3)
        self.overdue_label = QLabel()
        self.overdue_label.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.message.setAccessibleName(self.tr("Thông báo"))

        self.info = QGridLayout()
        self.info.setColumnStretch(1, 1)
        self.info.setColumnStretch(3, 1)
        info_box = QGroupBox(self.tr("Thông tin hồ sơ"))
        info_box.setLayout(self.info)

        self.pages = PagesPanel(ctx, self.view.code, details.scan_settings)
        self.pages.stored.connect(lambda _stored: self._reread())
        self.papers = DossierPapers()
        self.papers.line_chosen.connect(self.pages.show_line)
        self.papers.dropped.connect(lambda doc, paths: self.pages.attach_paths(doc, paths, "file"))
        self.docs_box = self.papers
        self.documents = self.papers.documents

        self.timeline = QListWidget()
        self.timeline.setAccessibleName(self.tr("Quá trình giải quyết"))
        self.timeline.setWordWrap(True)
        self.sync_label = QLabel()
        self.sync_label.setWordWrap(True)
        history_box = QGroupBox(self.tr("Quá trình giải quyết"))
        history_layout = QVBoxLayout(history_box)
        history_layout.addWidget(self.timeline)
        history_layout.addWidget(self.sync_label)
        self.handovers = HandoversBox()

        self.actions_box = QGroupBox(self.tr("Thao tác"))
        self.actions_layout = QVBoxLayout(self.actions_box)

        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.code_label)
        titles.addWidget(self.status_label)
        titles.addWidget(self.overdue_label)
        head.addLayout(titles, 1)

        body = QWidget()
        grid = QGridLayout(body)
        grid.addWidget(info_box, 0, 0, 1, 2)
        # the papers beside their pages: the checklist chooses, the panel shows and adds
        grid.addWidget(self.papers, 1, 0)
        grid.addWidget(history_box, 2, 0)
        grid.addWidget(self.handovers, 3, 0)
        grid.addWidget(self.pages, 1, 1, 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        scroll = QScrollArea()
        self.body = scroll
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        close = QPushButton(self.tr("Đó&ng"))
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        side = QVBoxLayout()
        side.addWidget(self.actions_box)
        side.addStretch(1)
        side.addWidget(close)

        main = QHBoxLayout()
        main.addWidget(scroll, 1)
        main.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.message)
        layout.addLayout(main, 1)
        self.show_view(self.view)

    @property
    def line_codes(self) -> list[str]:
        """The document code of each row of the checklist (``result`` for the result)."""
        return self.papers.line_codes

    # -- showing ----------------------------------------------------------------------------

    def show_view(self, view: DossierView) -> None:
        self.view = view
        self.setWindowTitle(self.tr("Hồ sơ {code}").format(code=view.code))
        self.code_label.setText(view.code)
        self.status_label.setText(formatting.status(view.status))
        overdue = view.is_overdue
        self.overdue_label.setVisible(overdue)
        if overdue:
            self.overdue_label.setText("⚠ " + formatting.overdue_days(view.due_at, now()))
        self._fill_info(view)
        self._fill_documents(view)
        self._fill_history(view)
        self.handovers.fill(view)
        self._fill_actions(view)

    def _fill_info(self, v: DossierView) -> None:
        while self.info.count():
            item = self.info.takeAt(0)
            if item and item.widget():
                item.widget().deleteLater()
        rows: list[tuple[str, str]] = [
            (self.tr("Thủ tục"), f"{v.procedure_code} – {v.procedure_name}"),
            (self.tr("Lĩnh vực"), v.field_name),
            (formatting.applicant_type(v.applicant_type), v.applicant_name),
            (self.tr("Số giấy tờ"), v.id_number),
            (self.tr("Điện thoại"), v.phone),
            (self.tr("Thư điện tử"), v.email),
            (self.tr("Địa chỉ"), v.address),
            (
                self.tr("Người nộp thay"),
                ", ".join(
                    x for x in (v.submitter_name, v.submitter_id_number, v.submitter_phone) if x
                ),
            ),
            (self.tr("Kênh nộp"), formatting.channel(v.channel)),
            (self.tr("Số bộ"), str(v.sets)),
            (self.tr("Ngày nhận"), formatting.moment(v.received_at)),
            (self.tr("Hẹn trả"), formatting.weekday_moment(v.due_at)),
            (self.tr("Hẹn cũ"), formatting.moment(getattr(v, "previous_due_at", None))),
            (self.tr("Lý do hẹn lại"), str(getattr(v, "reschedule_reason", "") or "")),
            (self.tr("Thời hạn giải quyết"), formatting.processing_time(v.processing_time)),
            (self.tr("Cơ quan giải quyết"), v.result_agency),
            (
                self.tr("Nơi trả kết quả"),
                formatting.result_delivery(v.result_delivery, self.ctx.office().unit_name),
            ),
            (self.tr("Người tiếp nhận"), v.received_by_name),
            (
                self.tr("Sổ theo dõi"),
                self.tr("quyển {volume}, số {number}").format(
                    volume=v.book_volume, number=v.book_number
                ),
            ),
            (self.tr("Mã tra cứu"), v.lookup_key),
            (self.tr("Mã trên cổng"), v.portal_code),
            (self.tr("Đã trả kết quả lúc"), formatting.moment(v.returned_at)),
            (self.tr("Ghi chú"), v.note),
        ]
        shown = [(k, val) for k, val in rows if val]
        half = (len(shown) + 1) // 2
        for i, (key, value) in enumerate(shown):
            col = 0 if i < half else 2
            row = i if i < half else i - half
            name = QLabel(key + ":")
            name.setStyleSheet("color: #555;")
            name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            text = QLabel(value)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            text.setAccessibleName(key)
            self.info.addWidget(name, row, col)
            self.info.addWidget(text, row, col + 1)

    def _fill_documents(self, v: DossierView) -> None:
        self.pages.set_files(v.files)
        self.papers.fill(v)

    def _fill_history(self, v: DossierView) -> None:
        self.timeline.clear()
        for change in reversed(v.history):
            who = self._names.get(change.by, change.by)
            if change.source == "portal" and change.by == "portal":
                who = self.tr("cổng dịch vụ công")
            text = f"● {formatting.moment(change.at)}  {formatting.status(change.status)}\n"
            text += "    " + self.tr("bởi {who}, {source}").format(
                who=who, source=formatting.history_source(change.source)
            )
            if change.note:
                text += f"\n    {change.note}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, text.replace("●", "").strip())
            self.timeline.addItem(item)
        sync = formatting.sync_state(v.sync_state)
        if v.portal_confirmed_at:
            sync += " – " + self.tr("cổng xác nhận lúc {at}").format(
                at=formatting.moment(v.portal_confirmed_at)
            )
        self.sync_label.setText(self.tr("Đồng bộ: {state}").format(state=sync))

    # -- digitising ------------------------------------------------------------------------------

    def start_digitising(self) -> None:
        """The keyboard on the checklist, at the first paper without pages."""
        self.papers.choose_first_bare(self.view.files)
        # the papers and their pages at the top: the dossier's facts above are read already
        self.body.verticalScrollBar().setValue(self.docs_box.y())

    def _reread(self) -> None:
        dossiers, code = self.ctx.app.dossiers, self.view.code
        self.ctx.tasks.run(Op.read(lambda: dossiers.get(code)), self._applied, owner=self)

    def done(self, result: int) -> None:
        self.pages.stop()
        super().done(result)

    def allowed_moves(self) -> list[Status]:
        return next_statuses(self.view.status, self.ctx.signed_in.role)

    def _fill_actions(self, v: DossierView) -> None:
        while self.actions_layout.count():
            item = self.actions_layout.takeAt(0)
            if item and item.widget():
                item.widget().hide()  # gone at once: its mnemonic too
                item.widget().deleteLater()
        self.action_buttons = {}
        for target in self.allowed_moves():
            button = QPushButton(action_label(target))
            button.setAutoDefault(False)
            button.setAccessibleName(action_label(target).replace("&", ""))
            button.clicked.connect(lambda _=False, t=target: self.ask_move(t))
            self.actions_layout.addWidget(button)
            self.action_buttons[target] = button
        self.reschedule_button = QPushButton(self.tr("&Hẹn lại ngày trả (Mẫu 04)"))
        self.reschedule_button.setAutoDefault(False)
        self.reschedule_button.setEnabled(v.status.is_open)
        self.reschedule_button.clicked.connect(self.ask_reschedule)
        self.reprint_button = QPushButton(self.tr("In lại &giấy tiếp nhận"))
        self.reprint_button.setAutoDefault(False)
        self.reprint_button.clicked.connect(self.reprint_receipt)
        self.control_button = QPushButton(self.tr("In &phiếu kiểm soát (Mẫu 06)"))
        self.control_button.setAutoDefault(False)
        self.control_button.clicked.connect(lambda: self.print_form("control-sheet"))
        buttons = [self.reschedule_button, self.reprint_button, self.control_button]
        # the stop notice exists only for a stopped dossier (render_form refuses the rest)
        self.stop_notice_button: QPushButton | None = None
        if v.status is Status.STOPPED:
            self.stop_notice_button = QPushButton(self.tr("&In thông báo dừng giải quyết (Mẫu 05)"))
            self.stop_notice_button.setAutoDefault(False)
            self.stop_notice_button.clicked.connect(lambda: self.print_form("stop-notice"))
            buttons.append(self.stop_notice_button)
        if self.action_buttons:
            self.actions_layout.addSpacing(8)
        for b in buttons:
            self.actions_layout.addWidget(b)
        if not self.action_buttons:
            none = QLabel(self.tr("Không có bước chuyển trạng thái nào cho vai trò của bạn."))
            none.setWordWrap(True)
            none.setStyleSheet("color: #555;")
            self.actions_layout.insertWidget(0, none)

    # -- moves ------------------------------------------------------------------------------

    def ask_move(self, target: Status) -> None:
        """Ask what the move needs, then make it."""
        label = action_label(target).replace("&", "")
        if target is Status.SUPPLEMENT_REQUESTED:
            dialog = ActionDialog(
                label,
                self.tr(
                    "Đánh dấu giấy tờ còn thiếu và ghi lý do; phiếu yêu cầu bổ sung "
                    "(Mẫu 02) sẽ được in."
                ),
                self,
                note_label=self.tr("&Lý do:"),
                note_required=True,
                documents=self.view.documents or self._procedure_documents,
            )
            dialog.accepted.connect(
                lambda: self.change_status(target, dialog.note_text(), missing=dialog.missing())
            )
        elif target is Status.REJECTED:
            dialog = ActionDialog(
                label,
                self.tr(
                    "Ghi lý do từ chối, mỗi lý do một dòng; phiếu từ chối (Mẫu 03) sẽ được in."
                ),
                self,
                note_label=self.tr("&Lý do từ chối:"),
                note_required=True,
            )
            dialog.accepted.connect(
                lambda: self.change_status(
                    target, "; ".join(dialog.reasons()), reasons=dialog.reasons()
                )
            )
        elif target is Status.STOPPED:
            dialog = ActionDialog(
                label,
                self.tr(
                    "Ghi lý do dừng giải quyết; thông báo dừng giải quyết hồ sơ (Mẫu 05) "
                    "sẽ được in."
                ),
                self,
                note_label=self.tr("&Lý do dừng:"),
                note_required=True,
            )
            dialog.accepted.connect(lambda: self.change_status(target, dialog.note_text()))
        elif target is Status.RECEIVED:
            dialog = ActionDialog(
                label,
                self.tr(
                    "Công dân đã bổ sung đủ giấy tờ: thời hạn giải quyết tính lại từ bây giờ; "
                    "giấy tiếp nhận mới (Mẫu 01) sẽ được in."
                ),
                self,
                note_label=self.tr("&Ghi chú (không bắt buộc):"),
            )
            dialog.accepted.connect(lambda: self.change_status(target, dialog.note_text()))
        else:
            dialog = ActionDialog(
                label,
                self.tr("Chuyển hồ sơ {code} sang trạng thái “{status}”.").format(
                    code=self.view.code, status=formatting.status(target)
                ),
                self,
                note_label=self.tr("&Ghi chú (không bắt buộc):"),
                note_required=target is Status.WITHDRAWN,
            )
            dialog.accepted.connect(lambda: self.change_status(target, dialog.note_text()))
        dialog.open()

    def change_status(
        self,
        target: Status,
        note: str = "",
        *,
        missing: Sequence[DocumentLine] = (),
        reasons: Sequence[str] = (),
        on_done: Callable[[DossierView], None] | None = None,
    ) -> None:
        """Make the move through the writer; print the form that goes with it."""
        actor = self.ctx.signed_in
        code = self.view.code
        dossiers = self.ctx.app.dossiers
        self._busy(True)

        def done(view: DossierView) -> None:
            self._applied(view)
            self.ctx.notifier.say(
                self.tr("Hồ sơ {code}: {status}").format(
                    code=view.code, status=formatting.status(view.status)
                )
            )
            kind = FORM_OF_STATUS.get(target)
            if kind:
                self.print_form(kind, missing=missing, reasons=reasons or [note])
            if target is Status.RETURNED:
                # the citizen rates on a screen of their own, never through this window
                ask_citizen(self.ctx, view.code)
            if on_done:
                on_done(view)

        op = Op.write(lambda: dossiers.set_status(actor, code, target, note), _changes_of)
        self.ctx.tasks.run(op, done, self._refused, self)

    def ask_reschedule(self) -> None:
        dialog = ActionDialog(
            self.tr("Hẹn lại ngày trả kết quả"),
            self.tr(
                "Chọn ngày hẹn mới và ghi lý do chậm trả; văn bản xin lỗi và đề nghị gia "
                "hạn thời gian giải quyết (Mẫu 04) sẽ được in."
            ),
            self,
            note_label=self.tr("&Lý do chậm trả:"),
            note_required=True,
            new_due_after=self.view.due_at,
        )
        dialog.accepted.connect(
            lambda: self.reschedule(dialog.new_due_at() or self.view.due_at, dialog.note_text())
        )
        dialog.open()

    def reschedule(self, new_due_at: datetime, reason: str) -> None:
        actor = self.ctx.signed_in
        code = self.view.code
        dossiers = self.ctx.app.dossiers
        self._busy(True)

        def done(view: DossierView) -> None:
            self._applied(view)
            # the reason and both dates come from the dossier's history (form_details)
            self.print_form("apology")

        op = Op.write(lambda: dossiers.reschedule(actor, code, new_due_at, reason), _changes_of)
        self.ctx.tasks.run(op, done, self._refused, self)

    def _applied(self, view: DossierView) -> None:
        """A change went through (and was announced): show the dossier as it is now."""
        self._busy(False)
        self.message.setVisible(False)
        self.show_view(view)
        self.changed.emit(view)

    def _refused(self, exc: BaseException) -> None:
        self._busy(False)
        if isinstance(exc, KnownError):
            self.message.setText(exc.message(i18n.lang()))
            self.message.setVisible(True)
            # show what the dossier is now: someone may have moved it meanwhile
            dossiers, code = self.ctx.app.dossiers, self.view.code
            op = Op.read(lambda: dossiers.get(code))
            self.ctx.tasks.run(op, self.show_view, self._not_reread, self)
        self.ctx.notifier.report(exc)

    def _not_reread(self, exc: BaseException) -> None:
        if not isinstance(exc, KnownError):  # gone meanwhile: the message above says enough
            self.ctx.notifier.report(exc)

    def _busy(self, busy: bool) -> None:
        self.actions_box.setEnabled(not busy)

    # -- printing ---------------------------------------------------------------------------

    def print_form(
        self,
        kind: str,
        *,
        missing: Sequence[DocumentLine] = (),
        reasons: Sequence[str] = (),
    ) -> None:
        """Render the form on the read worker (its details read there, from the dossier's
        history and the catalogue), then preview it; printing from the preview is recorded."""
        view = self.view
        service = self.ctx.printing
        actor = self.ctx.signed_in
        printed_by = actor.full_name
        titles = {
            "supplement": self.tr("Phiếu yêu cầu bổ sung hồ sơ"),
            "refusal": self.tr("Phiếu từ chối tiếp nhận hồ sơ"),
            "apology": self.tr("Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
            "stop-notice": self.tr("Thông báo dừng giải quyết hồ sơ"),
            "control-sheet": self.tr("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
            "receipt": self.tr("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
        }

        def render() -> bytes:
            if kind == "receipt":
                return service.receipt(view, printed_by)
            return service.form(
                kind, view, actor, missing=missing, reasons=reasons, printed_by=printed_by
            )

        def show(pdf: bytes) -> None:
            self.form_ready.emit(kind, pdf)
            title = f"{titles[kind]} – {view.code}"
            preview = PreviewDialog(self.ctx, pdf, title, self)
            preview.preview.printed.connect(lambda dest: self._record_print(kind, dest))
            self.previews.append(preview)
            preview.open()

        self.ctx.tasks.run(Op.read(render), show, owner=self)

    def reprint_receipt(self) -> None:
        self.print_form("receipt")

    def _record_print(self, kind: str, destination: str) -> None:
        actor = self.opened_by.username
        code = self.view.code
        dossiers = self.ctx.app.dossiers
        self.ctx.tasks.run(Op.write(lambda: dossiers.record_print(actor, code, kind, destination)))
