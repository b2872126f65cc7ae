"""Intake: the clerk's main screen, built to be used without the mouse.

Type a few letters of the procedure (code or name, diacritics optional) and Enter; the
required documents, fees, legal time and due date fill in; type the applicant's details (each
field says at once what is wrong with it); Ctrl+Enter saves, prints the receipt, and clears
the form for the next citizen.
"""

from __future__ import annotations

import itertools
import logging
from datetime import datetime
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter import validation
from counter.dossiers import DossierInput
from counter.views import DossierSummary, DossierView, GuidanceView, ProcedureView
from counter.workcalendar import WorkCalendar
from protocol.errors import KnownError
from ui import formatting, i18n
from ui.applicant_form import ApplicantForm
from ui.applicant_offer import DeclareOnce
from ui.context import UiContext
from ui.guidance import IntakeGuidance
from ui.layout import scrolling
from ui.models import DocumentChecklistModel
from ui.operations import Changes, Op
from ui.procedure_box import ProcedureBox
from ui.widgets import CheckedField

log = logging.getLogger("ui.intake")

#: applicant values chosen from a list (they always have a value): not "typed work"
_CHOICES = frozenset({"applicant_type", "id_type"})


class IntakePage(QWidget):
    """Receive one dossier, print its receipt, start again."""

    #: a dossier was saved (its view)
    saved = Signal(object)
    #: its receipt was rendered and sent: (code, pdf bytes, destination)
    receipt_printed = Signal(str, bytes, str)
    #: the receipt could not be printed (the dossier is saved all the same)
    receipt_failed = Signal(str, str)
    #: the hint about an earlier dossier of the same applicant changed
    hint_changed = Signal(str)
    #: open a dossier's detail (code)
    open_dossier = Signal(str)
    #: open a dossier's detail at its papers, to scan them (code)
    digitise_dossier = Signal(str)
    #: the catalogue and the calendar were read (again)
    loaded = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.last_saved: DossierView | None = None
        self._saving = False
        self._hint_key: tuple[str, str] | None = None
        self._last_focus: QWidget | None = None
        self.setAccessibleName(self.tr("Tiếp nhận hồ sơ"))

        self._build_procedure_box()
        self.applicant = ApplicantForm()
        self.applicant.id_field.edit.editingFinished.connect(self._check_recent)
        self.declare_once = DeclareOnce(ctx, self.applicant, self)
        self._build_other_box()
        self._build_documents_box()
        self._build_actions()
        self.guidance = IntakeGuidance(self, self)
        self.guidance.guided.connect(self._guided)
        self._lay_out()
        self._set_tab_order()

        ctx.changed.connect(self._on_changes)
        qt_app = QApplication.instance()
        if isinstance(qt_app, QApplication):
            qt_app.focusChanged.connect(self._remember_focus)
        self.clear_form()
        self.load(catalog=True, calendar=True)

    # -- building ---------------------------------------------------------------------------

    def _build_procedure_box(self) -> None:
        self.procedure_box = ProcedureBox(self.ctx)
        self.procedure_box.chosen.connect(self._on_chosen)
        self.procedure_box.let_go.connect(lambda: self._set_procedure(None))
        # the box's parts, by the names the rest of the page (and its tests) use
        self.procedure_edit = self.procedure_box.edit
        self.procedure_error = self.procedure_box.error
        self.picker = self.procedure_box.picker
        self.due_label = self.procedure_box.due_label
        self.result_agency_label = self.procedure_box.agency_label

    def _build_other_box(self) -> None:
        self.channel = QComboBox()
        self.channel.setAccessibleName(self.tr("Kênh nộp"))
        for value in validation.CHANNELS:
            self.channel.addItem(formatting.channel(value), value)
        self.delivery = QComboBox()
        self.delivery.setAccessibleName(self.tr("Nơi trả kết quả"))
        for value in ("counter", "post"):
            self.delivery.addItem(
                formatting.result_delivery(value, self.ctx.office().unit_name), value
            )
        # the office's long name may not widen the window past a 1366-pixel screen
        self.delivery.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.delivery.setMinimumContentsLength(18)
        self.delivery.setToolTip(self.delivery.itemText(0))
        self.sets = QSpinBox()
        self.sets.setRange(1, 99)
        self.sets.setAccessibleName(self.tr("Số bộ hồ sơ"))
        self.note_field = CheckedField(validation.note, self.tr("Ghi chú"))

    def _build_documents_box(self) -> None:
        self.documents = DocumentChecklistModel(self)
        self.documents_view = QTableView()
        self.documents_view.setModel(self.documents)
        self.documents_view.setAccessibleName(self.tr("Thành phần hồ sơ"))
        self.documents_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.documents_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.documents_view.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.documents_view.setTabKeyNavigation(False)
        self.documents_view.setWordWrap(True)
        self.documents_view.setMinimumHeight(150)
        self.documents_view.verticalHeader().setVisible(False)
        header = self.documents_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.documents_view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.documents_hint = QLabel(
            self.tr("Phím cách: đánh dấu đã nhận / chưa nhận; gõ số để sửa số bản.")
        )
        self.documents_hint.setWordWrap(True)
        self.documents_hint.setStyleSheet("color: #555;")

    def _build_actions(self) -> None:
        self.save_button = QPushButton(self.tr("&Lưu và in giấy tiếp nhận (Ctrl+Enter)"))
        self.save_button.setAccessibleName(self.tr("Lưu và in giấy tiếp nhận"))
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save_and_print)
        self.clear_button = QPushButton(self.tr("Nhập &mới"))
        self.clear_button.setAccessibleName(self.tr("Xóa để nhập hồ sơ mới"))
        self.clear_button.setAutoDefault(False)
        self.clear_button.clicked.connect(self.clear_form)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save_and_print)

        self.last_label = QLabel()
        self.last_label.setWordWrap(True)
        self.last_label.setAccessibleName(self.tr("Hồ sơ vừa tiếp nhận"))
        self.last_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reprint_button = QPushButton(self.tr("In lại giấy tiếp nhận (Ctrl+P)"))
        self.reprint_button.setAutoDefault(False)
        self.reprint_button.clicked.connect(self.reprint_last)
        self.reprint_button.setShortcut(QKeySequence("Ctrl+P"))
        self.open_last_button = QPushButton(self.tr("Xem hồ sơ &vừa nhận"))
        self.open_last_button.setAutoDefault(False)
        self.open_last_button.clicked.connect(
            lambda: self.last_saved and self.open_dossier.emit(self.last_saved.code)
        )
        # pages are scanned once the dossier is saved: into its detail, paper by paper
        self.digitise_button = QPushButton(self.tr("&Quét giấy tờ vừa nhận (Ctrl+Shift+S)"))
        self.digitise_button.setAccessibleName(self.tr("Quét, đính kèm giấy tờ hồ sơ vừa nhận"))
        self.digitise_button.setAutoDefault(False)
        self.digitise_button.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.digitise_button.clicked.connect(
            lambda: self.last_saved and self.digitise_dossier.emit(self.last_saved.code)
        )
        for b in (self.reprint_button, self.open_last_button, self.digitise_button):
            b.setVisible(False)

    def _lay_out(self) -> None:
        other = QGroupBox(self.tr("Tiếp nhận"))
        grid = QGridLayout(other)
        channel_label = QLabel(self.tr("&Kênh nộp:"))
        channel_label.setBuddy(self.channel)
        delivery_label = QLabel(self.tr("Nơi t&rả kết quả:"))
        delivery_label.setBuddy(self.delivery)
        sets_label = QLabel(self.tr("Số &bộ:"))
        sets_label.setBuddy(self.sets)
        note_label = QLabel(self.tr("&Ghi chú:"))
        note_label.setBuddy(self.note_field.edit)
        # three short rows rather than one long one: the form stays whole on a 1024-pixel
        # screen, where one row cut the labels ("Nơi trả kết qu")
        grid.addWidget(channel_label, 0, 0)
        grid.addWidget(self.channel, 0, 1)
        grid.addWidget(sets_label, 0, 2)
        grid.addWidget(self.sets, 0, 3)
        grid.addWidget(delivery_label, 1, 0)
        grid.addWidget(self.delivery, 1, 1, 1, 3)
        grid.addWidget(note_label, 2, 0)
        grid.addWidget(self.note_field, 2, 1, 1, 3)
        grid.setColumnStretch(1, 1)

        docs = QGroupBox(self.tr("Thành phần hồ sơ"))
        docs_layout = QVBoxLayout(docs)
        docs_layout.addWidget(self.documents_view, 1)
        docs_layout.addWidget(self.documents_hint)
        docs_layout.addWidget(self.guidance.label)

        left = QVBoxLayout()
        left.addWidget(self.procedure_box)
        left.addWidget(self.applicant)
        left.addWidget(other)
        left.addStretch(1)

        actions = QHBoxLayout()
        actions.addWidget(self.save_button, 1)
        actions.addWidget(self.clear_button)
        from_guidance = QHBoxLayout()
        from_guidance.addWidget(self.guidance.button)
        from_guidance.addStretch(1)
        last = QVBoxLayout()
        last.addWidget(self.last_label)
        last_buttons = QHBoxLayout()
        last_buttons.addWidget(self.reprint_button)
        last_buttons.addWidget(self.open_last_button)
        last_buttons.addWidget(self.digitise_button)
        last_buttons.addStretch(1)
        last.addLayout(last_buttons)

        right = QVBoxLayout()
        right.addWidget(docs, 1)
        right.addLayout(actions)
        right.addLayout(from_guidance)
        right.addLayout(last)

        # on a low screen the form scrolls, following the cursor, instead of squeezing; the
        # papers and the save button beside it stay in view
        form = QWidget()
        left.setContentsMargins(0, 0, 0, 0)
        form.setLayout(left)
        self.scroll = scrolling(form)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer = QHBoxLayout(self)
        outer.addWidget(self.scroll, 11)
        outer.addLayout(right, 9)

    def _set_tab_order(self) -> None:
        applicant = self.applicant
        chain: list[QWidget] = [
            self.procedure_edit,
            applicant.kind_box,
            applicant.name_field.edit,
            applicant.id_field.edit,
            applicant.id_type_box,
            applicant.phone_field.edit,
            applicant.email_field.edit,
            applicant.address_field.edit,
            applicant.submitter_box,
            applicant.submitter_name.edit,
            applicant.submitter_id.edit,
            applicant.submitter_phone.edit,
            self.channel,
            self.delivery,
            self.sets,
            self.note_field.edit,
            self.documents_view,
            self.save_button,
            self.clear_button,
            self.guidance.button,
            self.reprint_button,
            self.open_last_button,
            self.digitise_button,
        ]
        for a, b in itertools.pairwise(chain):
            QWidget.setTabOrder(a, b)
        # Enter in a line edit moves on, as clerks used to paper forms expect
        for key, field in self._fields().items():
            if key == "id_number":  # past the document type (CCCD unless changed): Tab visits it
                field.edit.returnPressed.connect(applicant.phone_field.edit.setFocus)
            else:
                field.edit.returnPressed.connect(self.focusNextChild)

    # -- the catalogue and the calendar -----------------------------------------------------

    def _on_changes(self, changes: Changes) -> None:
        if changes.catalog or changes.calendar:
            self.load(catalog=changes.catalog, calendar=changes.calendar)

    def load(self, *, catalog: bool, calendar: bool) -> None:
        """Read the catalogue, the calendar or both again, on the read worker."""
        app = self.ctx.app

        def read() -> tuple[list[ProcedureView] | None, WorkCalendar | None]:
            return (
                app.catalog.procedures() if catalog else None,
                app.calendar.current() if calendar else None,
            )

        self.ctx.tasks.run(Op.read(read), self._loaded, owner=self)

    def _loaded(self, loaded: tuple[list[ProcedureView] | None, WorkCalendar | None]) -> None:
        procedures, calendar = loaded
        if procedures is not None:
            self.picker.set_procedures(procedures)
        if calendar is not None:
            self.procedure_box.set_calendar(calendar)
        self.loaded.emit()

    # -- the procedure ----------------------------------------------------------------------

    @property
    def procedure(self) -> ProcedureView | None:
        return self.procedure_box.procedure

    def _on_chosen(self, procedure: ProcedureView) -> None:
        self._set_procedure(procedure)
        self.applicant.name_field.edit.setFocus()

    def choose_procedure(self, code: str) -> None:
        """Pick a procedure by its code (the type-ahead does the same)."""
        self.procedure_box.choose(code)

    def _set_procedure(self, procedure: ProcedureView | None) -> None:
        """What the procedure chosen (or let go) brings to the rest of the form."""
        if procedure is None:
            self.documents.set_documents(())
            self._set_hint("")
            return
        self.documents.set_documents(procedure.documents)
        self._check_recent()

    def due_at(self) -> datetime | None:
        return self.procedure_box.due_at()

    # -- the applicant ----------------------------------------------------------------------

    def _check_recent(self) -> None:
        """A hint if the same ID number filed the same procedure in the last 30 days."""
        procedure = self.procedure
        if procedure is None:
            return
        try:
            id_number = validation.id_number(self.applicant.id_field.text(), self.applicant.kind())
        except KnownError:
            self._set_hint("")
            return
        if not id_number:
            self._set_hint("")
            return
        key = (id_number, procedure.code)
        self._hint_key = key
        dossiers = self.ctx.app.dossiers

        def show(found: list[DossierSummary]) -> None:
            if self._hint_key != key:
                return
            if not found:
                self._set_hint("")
                return
            latest = found[0]
            self._set_hint(
                self.tr(
                    "Lưu ý: số giấy tờ này đã nộp thủ tục này {n} lần trong 30 ngày qua, gần "
                    "nhất là hồ sơ {code} ngày {date} ({status})."
                ).format(
                    n=len(found),
                    code=latest.code,
                    date=formatting.day(latest.received_at),
                    status=formatting.status(latest.status),
                )
            )

        op = Op.read(lambda: dossiers.recent_same_applicant(id_number, procedure.code))
        self.ctx.tasks.run(op, show, owner=self)

    def _set_hint(self, text: str) -> None:
        self.applicant.set_hint(text)
        self.hint_changed.emit(text)

    # -- saving -----------------------------------------------------------------------------

    def _fields(self) -> dict[str, CheckedField]:
        return {**self.applicant.fields(), "note": self.note_field}

    def validate(self) -> QWidget | None:
        """Show every problem; returns the first field to fix, or None if all is well."""
        first: QWidget | None = None
        if self.procedure is None:
            self.procedure_box.show_error(self.tr("Chưa chọn thủ tục"))
            first = self.procedure_edit
        for field in self._fields().values():
            if not field.check() and first is None:
                first = field.edit
        return first

    def dossier_input(self) -> DossierInput:
        assert self.procedure is not None
        return DossierInput(
            procedure_code=self.procedure.code,
            **self.applicant.values(),
            channel=str(self.channel.currentData()),
            sets=self.sets.value(),
            note=self.note_field.text(),
            result_delivery=str(self.delivery.currentData()),
            documents=tuple(self.documents.received()),
        )

    def save_and_print(self) -> None:
        if self._saving:
            return
        problem = self.validate()
        if problem is not None:
            problem.setFocus()
            self.ctx.notifier.say(self.tr("Hồ sơ chưa lưu: hãy sửa các ô được đánh dấu đỏ"))
            return
        data = self.dossier_input()
        actor = self.ctx.signed_in
        dossiers = self.ctx.app.dossiers
        self._set_saving(True)
        if self.guidance.missing():  # incomplete: guidance and Mẫu 02, no receipt
            self.guidance.guide(actor, data, self._save_failed)
            return
        work = self.guidance.receive_work(actor, data) or (lambda: dossiers.receive(actor, data))
        op = Op.write(work, lambda v: Changes.of_dossier(v.code))
        self.ctx.tasks.run(op, self._saved, self._save_failed, self)

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(not saving)
        self.save_button.setText(self.tr("Đang lưu…") if saving else self.guidance.save_text())

    def _saved(self, view: DossierView) -> None:
        self._set_saving(False)
        self.last_saved = view
        self.last_label.setText(
            self.tr("Đã tiếp nhận hồ sơ <b>{code}</b> của {name}. Hẹn trả: {due}.").format(
                code=view.code, name=view.applicant_name, due=formatting.moment(view.due_at)
            )
        )
        for b in (self.reprint_button, self.open_last_button, self.digitise_button):
            b.setVisible(True)
        self.ctx.notifier.say(
            self.tr("Đã tiếp nhận hồ sơ {code}, hẹn trả {due}").format(
                code=view.code, due=formatting.moment(view.due_at)
            )
        )
        self.saved.emit(view)
        self.clear_form()
        self.print_receipt(view)

    def _guided(self, g: GuidanceView) -> None:
        self._set_saving(False)
        self.last_saved = None
        self.last_label.setText(
            self.tr(
                "Hồ sơ của {name} chưa đủ giấy tờ: đã ghi phiếu hướng dẫn <b>{code}</b>."
            ).format(code=g.code, name=g.applicant_name)
        )
        for b in (self.reprint_button, self.open_last_button, self.digitise_button):
            b.setVisible(False)
        self.clear_form()

    def _save_failed(self, exc: BaseException) -> None:
        self._set_saving(False)
        if isinstance(exc, KnownError):
            field = self._fields().get(exc.field)
            if field is not None:
                field.set_error(exc.message(i18n.lang()))
                field.edit.setFocus()
            elif exc.field == "procedure_code":
                self.procedure_box.show_error(exc.message(i18n.lang()))
                self.procedure_edit.setFocus()
        self.ctx.notifier.report(exc)

    # -- the receipt ------------------------------------------------------------------------

    def print_receipt(self, view: DossierView) -> None:
        """Render the receipt and send it to the printer, off the GUI thread."""
        service = self.ctx.printing
        actor = self.ctx.signed_in
        dossiers = self.ctx.app.dossiers
        title = f"{view.code}-giay-tiep-nhan"

        def job() -> tuple[bytes, str]:
            pdf = service.receipt(view, actor.full_name)
            return pdf, service.send(pdf, title)

        def done(result: tuple[bytes, str]) -> None:
            pdf, destination = result
            record = Op.write(
                lambda: dossiers.record_print(actor.username, view.code, "receipt", destination)
            )
            self.ctx.tasks.run(record)
            self.receipt_printed.emit(view.code, pdf, destination)

        def failed(exc: BaseException) -> None:
            self.ctx.notifier.report(exc)
            self.receipt_failed.emit(view.code, str(exc))

        self.ctx.tasks.run(Op.print_job(job), done, failed, self)

    def reprint_last(self) -> None:
        if self.last_saved is not None:
            self.print_receipt(self.last_saved)

    # -- clearing ---------------------------------------------------------------------------

    def clear_form(self) -> None:
        self.procedure_box.clear()
        self._set_procedure(None)
        self.applicant.clear()
        self.note_field.clear()
        self.channel.setCurrentIndex(0)
        self.delivery.setCurrentIndex(0)
        self.sets.setValue(1)
        self._hint_key = None
        self._set_hint("")
        self.declare_once.reset()
        self.guidance.reset()
        self.procedure_edit.setFocus()

    # -- the keyboard -----------------------------------------------------------------------

    def _remember_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self.isAncestorOf(new):
            self._last_focus = new
            self.scroll.follow(new)

    def focus_target(self) -> QWidget:
        """Where F2 puts the cursor: the procedure field for a new dossier, else the field
        the clerk was in (coming back from a look at the list)."""
        last = self._last_focus
        if (
            self.has_unsaved_work()
            and last is not None
            and shiboken6.isValid(last)
            and last.isVisibleTo(self)
            and last.isEnabled()
        ):
            return last
        return self.procedure_edit

    def has_unsaved_work(self) -> bool:
        """Whether anything was typed or chosen that a save has not kept yet."""
        applicant = self.applicant.values()
        return bool(
            self.procedure is not None
            or self.procedure_edit.text().strip()
            or any(str(v or "").strip() for k, v in applicant.items() if k not in _CHOICES)
            or self.note_field.text().strip()
        )

    def unsaved_summary(self) -> str:
        """A few words naming the dossier being typed: its procedure and applicant."""
        parts = [
            self.procedure.name if self.procedure else self.procedure_edit.text().strip(),
            self.applicant.name_field.text().strip(),
        ]
        return ", ".join(p for p in parts if p) or self.tr("chưa có tên")

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self.procedure_edit.text():
            self.procedure_edit.setFocus()
