"""Declare once at intake: an ID number this counter (or, online, the portal) knows offers the
applicant's latest details in a band under the field; Enter takes them, Esc or any other key
leaves them.

The counter's own dossiers are read on the read worker and shown as soon as they are; the
portal is asked at the same time on a worker of its own (``sync.applicants``), and its answer
replaces the offer only when it comes from a newer dossier. The band never takes the keyboard:
while it shows, Enter and Esc typed anywhere in the window are its own, and any other key
means the clerk went on without it. Taken details fill the fields still empty (what the clerk
typed stays); saved with the new dossier, they become the latest.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from counter import validation
from counter.views import KnownApplicant
from protocol.errors import KnownError
from sync.applicants import PortalApplicants, newest
from ui import formatting
from ui.context import UiContext
from ui.operations import Op

_TAKE = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_MODIFIERS = (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta)
OFFER_STYLE = "color: #0b4f2a; background: #e3f4e8; border: 1px solid #7cc296; padding: 4px;"


class ApplicantOffer(QLabel):
    """The band: what is known of the applicant, and the two keys."""

    #: the clerk took the details (the ``KnownApplicant``)
    taken = Signal(object)
    #: the clerk left them (Esc, or went on typing)
    left = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(OFFER_STYLE)
        self.setAccessibleName(self.tr("Thông tin người nộp đã có"))
        self.setVisible(False)
        self.known: KnownApplicant | None = None
        self._listening = False

    def offer(self, known: KnownApplicant) -> None:
        self.known = known
        details = ", ".join(
            part for part in (known.name, known.phone, known.email, known.address) if part
        )
        where = (
            self.tr("theo cổng dịch vụ công")
            if known.source == "portal"
            else self.tr("hồ sơ ngày {day}").format(day=formatting.day(known.seen_at))
        )
        self.setText(
            self.tr(
                "Đã có thông tin người nộp: {details} ({where}).  Enter: dùng · Esc: bỏ qua"
            ).format(details=details, where=where)
        )
        self.setVisible(True)
        app = QApplication.instance()
        if app is not None and not self._listening:
            app.installEventFilter(self)
            self._listening = True

    def withdraw(self) -> None:
        """Hide the band (a key other than Enter, Esc, a new number, a cleared form)."""
        self.known = None
        self.setVisible(False)
        app = QApplication.instance()
        if app is not None and self._listening:
            app.removeEventFilter(self)
            self._listening = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self.window():
            return False
        assert isinstance(event, QKeyEvent)
        key = event.key()
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        mine = plain and (key in _TAKE or key == Qt.Key.Key_Escape)
        if kind == QEvent.Type.ShortcutOverride:
            if mine:
                event.accept()  # no shortcut of the window takes these keys while the band shows
            return False
        if key in _MODIFIERS:
            return False
        known = self.known
        self.withdraw()
        if mine and key in _TAKE and known is not None:
            self.taken.emit(known)
        else:
            self.left.emit()
        return mine


class DeclareOnce(QObject):
    """Looks the ID number up when the clerk leaves its field, and fills the form when the
    details are taken. ``form``: the intake's ``ApplicantForm``."""

    def __init__(self, ctx: UiContext, form: Any, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.form = form
        self.offer: ApplicantOffer = form.offer
        self.offer.taken.connect(self.take)
        self.offer.left.connect(self._leave)
        self._key = ""
        self._shown: KnownApplicant | None = None
        self._done = False  # taken or left for this number: not offered again
        self._portal: Any = None
        self._waiting = 0  # answers still to come for this number
        form.id_field.edit.editingFinished.connect(self.look_up)
        form.id_field.edit.textEdited.connect(lambda _text: self.reset())

    def reset(self) -> None:
        """A new number is being typed, or the form was cleared."""
        self._key = ""
        self._shown = None
        self._done = False
        self._watch(False)
        self.offer.withdraw()

    def _watch(self, on: bool) -> None:
        """While answers are awaited, a key the clerk presses means they went on: an answer
        that comes after it is not offered (an Enter meant for the next field never takes it)."""
        app = QApplication.instance()
        if app is None or on == (self._waiting > 0):
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._waiting = 2 if on else 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and watched is QApplication.focusWidget()  # not the Enter that asked, ignored
            and isinstance(watched, QWidget)  # by the field and passed to its parents
            and watched.window() is self.offer.window()
            and isinstance(event, QKeyEvent)
            and event.key() not in _MODIFIERS
        ):
            self._done = True
            self._watch(False)
        return False

    def look_up(self) -> None:
        try:
            number = validation.id_number(self.form.id_field.text(), self.form.kind())
        except KnownError:
            return
        if not number or number == self._key:
            return
        self.reset()
        self._key = number
        self._watch(True)
        app = self.ctx.app
        self.ctx.tasks.run(
            Op.read(lambda: app.dossiers.latest_applicant(number)),
            lambda known: self._found(number, known),
            owner=self,
        )
        portal = self._portal_lookup()
        self.ctx.tasks.run(
            Op.lookup(lambda: portal.find(number)),
            lambda known: self._found(number, known),
            lambda _exc: self._found(number, None),
            owner=self,
        )

    def _portal_lookup(self) -> Any:
        if self._portal is None:
            self._portal = PortalApplicants(self.ctx.app)
        return self._portal

    def _found(self, number: str, known: KnownApplicant | None) -> None:
        if number != self._key:
            return
        if self._waiting == 1:
            self._watch(False)
        elif self._waiting:
            self._waiting -= 1
        if self._done or known is None:
            return
        best = (
            newest(self._shown, known) if known.source == "portal" else newest(known, self._shown)
        )
        if best is self._shown or not self._would_fill(best):
            return
        self._shown = best
        self._watch(False)  # the band watches the keys from now on
        self.offer.offer(best)

    def _would_fill(self, known: KnownApplicant | None) -> bool:
        if known is None:
            return False
        return any(not field.text().strip() and value for field, value in self._pairs(known))

    def _pairs(self, known: KnownApplicant) -> list[tuple[Any, str]]:
        f = self.form
        return [
            (f.name_field, known.name),
            (f.phone_field, known.phone),
            (f.email_field, known.email),
            (f.address_field, known.address),
        ]

    def _leave(self) -> None:
        self._done = True

    def take(self, known: KnownApplicant) -> None:
        """Fill what is still empty; what the clerk typed stays."""
        self._done = True
        f = self.form
        empty_name = not f.name_field.text().strip()
        if empty_name and f.kind() != known.applicant_type:
            f.kind_box.setCurrentIndex(max(f.kind_box.findData(known.applicant_type), 0))
        if empty_name and known.id_type and known.applicant_type == "citizen":
            f.id_type_box.setCurrentIndex(max(f.id_type_box.findData(known.id_type), 0))
        for field, value in self._pairs(known):
            if value and not field.text().strip():
                field.setText(value)
                field.check()
        self.ctx.notifier.say(
            self.tr("Đã dùng thông tin người nộp {name}; sửa ô nào cần sửa.").format(
                name=known.name
            )
        )
