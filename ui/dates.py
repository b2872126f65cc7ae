"""The one date field of the desktop: a day typed as a clerk writes it on paper.

``02/12/2026``, ``2/12/2026``, ``02/12/26``, ``02122026`` (and ``.``, ``-`` or a space between
the parts) all read as 2 December 2026; without a year, the current one. Focus selects the
whole date, so typing replaces it; Up and Down (or + and - over a whole date) move a day;
Alt+Down opens a calendar (F4 stays the lookup screen's, everywhere). A date that does not
exist is refused where it was typed: the field turns red and says why, the last good date
stays its value, and the page does not act on it (``DateField.check``).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from datetime import date, timedelta

from PySide6.QtCore import QDate, QEvent, QObject, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QIcon, QKeyEvent, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from counter import limits
from counter.clock import now
from ui.widgets import error_label, pydate, qdate

_DIGITS = re.compile(r"[0-9]+")
_SEPARATOR = re.compile(r"\s*[/.\-]\s*|\s+")
_DATE_CHARS = re.compile(r"[0-9/.\-\s]*")
INVALID_FRAME = "border: 1px solid #b3261e;"


class Refusal(enum.Enum):
    """Why a typed date was refused."""

    FORMAT = "format"  # not a date's shape: letters, too many digits, a part missing
    NO_SUCH_DAY = "no_such_day"  # 31/02, month 13
    YEARS = "years"  # outside the years the counter keeps


class DayRefused(ValueError):
    def __init__(self, why: Refusal):
        super().__init__(why.value)
        self.why = why


def day_text(day: date) -> str:
    """A day as the field shows it."""
    return f"{day:%d/%m/%Y}"


def parse_day(text: str, today: date) -> date:
    """The day ``text`` means, typed day first (``dd/mm/yyyy``, separators optional).

    Raises ``DayRefused`` saying why when it means none.
    """
    t = unicodedata.normalize("NFKC", text).strip()
    year: str | None
    if _DIGITS.fullmatch(t):
        if len(t) not in (4, 6, 8):  # "2122026" could be 2/12 or 21/2: not guessed
            raise DayRefused(Refusal.FORMAT)
        d, m, year = t[:2], t[2:4], t[4:] or None
    else:
        parts = _SEPARATOR.split(t)
        if len(parts) not in (2, 3) or not all(_DIGITS.fullmatch(p) for p in parts):
            raise DayRefused(Refusal.FORMAT)
        d, m = parts[0], parts[1]
        year = parts[2] if len(parts) == 3 else None
        if len(d) > 2 or len(m) > 2:
            raise DayRefused(Refusal.FORMAT)
    if year is not None and len(year) not in (2, 4):
        raise DayRefused(Refusal.FORMAT)
    y = today.year if year is None else int(year) + (2000 if len(year) == 2 else 0)
    if not (1 <= int(m) <= 12 and 1 <= int(d) <= 31):
        raise DayRefused(Refusal.NO_SUCH_DAY)
    if not limits.EARLIEST_YEAR <= y <= limits.LATEST_YEAR:
        raise DayRefused(Refusal.YEARS)
    try:
        return date(y, int(m), int(d))
    except ValueError:
        raise DayRefused(Refusal.NO_SUCH_DAY) from None


def settled(text: str) -> bool:
    """Whether more typing cannot make ``text`` another date: all eight digits are there, or
    a four-digit year after two separators, or a character no date has."""
    t = unicodedata.normalize("NFKC", text).strip()
    if not _DATE_CHARS.fullmatch(t):
        return True
    if _DIGITS.fullmatch(t):
        return len(t) >= 8
    parts = _SEPARATOR.split(t)
    return len(parts) > 3 or (len(parts) == 3 and len(parts[2]) >= 4)


class DateField(QWidget):
    """A day typed or picked, with its message beside it when it is wrong.

    ``value()`` is always a real day: the one typed, or the last good one while what is
    typed is wrong. Pages call ``check()`` before acting on it. ``date()``, ``setDate()`` and
    ``dateChanged`` are ``QDateEdit``'s, for the pages that speak ``QDate``.
    """

    #: the value changed (a ``QDate``)
    dateChanged = Signal(QDate)

    def __init__(self, day: date, accessible_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._value = day
        self.edit = QLineEdit(day_text(day))
        self.edit.setAccessibleName(accessible_name)
        self.edit.setPlaceholderText("dd/mm/yyyy")
        self.edit.setMaxLength(32)
        self.edit.setToolTip(
            self.tr(
                "Gõ ngày/tháng/năm, có hoặc không có dấu /, ví dụ 02/12/2026 hoặc 02122026. "
                "Mũi tên lên, xuống: sang ngày sau, ngày trước. Alt+Mũi tên xuống: mở lịch."
            )
        )
        width = self.edit.fontMetrics().horizontalAdvance("00/00/00000") + 48
        self.edit.setFixedWidth(width)
        self.pick_action = QAction(_calendar_icon(self.palette()), self.tr("Mở lịch"), self)
        self.pick_action.triggered.connect(self.open_calendar)
        self.edit.addAction(self.pick_action, QLineEdit.ActionPosition.TrailingPosition)
        for button in self.edit.findChildren(QToolButton):  # the mouse's way to the calendar
            button.setProperty("keyboardAlternative", "Alt+Down")
        self.error = error_label()
        self.error.setWordWrap(False)  # beside the field, so a row of fields stays one row
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.setFocusProxy(self.edit)
        self.popup: CalendarPopup | None = None
        self.edit.textEdited.connect(self._on_typed)
        self.edit.editingFinished.connect(self.check)
        self.edit.installEventFilter(self)

    # -- the value ----------------------------------------------------------------------------

    def value(self) -> date:
        return self._value

    def set_value(self, day: date) -> None:
        """Show ``day`` and make it the value (a wrong text typed before is gone)."""
        self.edit.setText(day_text(day))
        self._show_refusal(None)
        self._take(day)

    def date(self) -> QDate:
        return qdate(self._value)

    def setDate(self, day: QDate) -> None:
        self.set_value(pydate(day))

    def check(self) -> bool:
        """Read what is typed now: True when it is a day (then shown as ``dd/mm/yyyy``), else
        the field says what is wrong and keeps its last good value."""
        if not self._read():
            return False
        shown = day_text(self._value)
        if self.edit.text() != shown:
            self.edit.setText(shown)
        return True

    def reads_as_a_day(self) -> bool:
        """Whether what is typed now is a day; nothing shown, nothing changed."""
        try:
            parse_day(self.edit.text(), now().date())
        except DayRefused:
            return False
        return True

    @property
    def error_text(self) -> str:
        return "" if self.error.isHidden() else self.error.text()

    def _read(self) -> bool:
        try:
            day = parse_day(self.edit.text(), now().date())
        except DayRefused as refused:
            self._show_refusal(refused.why)
            return False
        self._show_refusal(None)
        self._take(day)
        return True

    def _take(self, day: date) -> None:
        if day != self._value:
            self._value = day
            self.dateChanged.emit(qdate(day))

    def _on_typed(self, text: str) -> None:
        if settled(text) or not self.error.isHidden():
            self._read()

    def _show_refusal(self, why: Refusal | None) -> None:
        message = ""
        if why is Refusal.FORMAT:
            message = self.tr("Gõ ngày/tháng/năm, ví dụ 02/12/2026")
        elif why is Refusal.NO_SUCH_DAY:
            message = self.tr("Không có ngày {day}").format(day=self.edit.text().strip()[:20])
        elif why is Refusal.YEARS:
            message = self.tr("Năm phải từ {first} đến {last}").format(
                first=limits.EARLIEST_YEAR, last=limits.LATEST_YEAR
            )
        self.error.setText(message)
        self.error.setVisible(bool(message))
        self.edit.setStyleSheet(INVALID_FRAME if message else "")
        self.edit.setAccessibleDescription(message)

    # -- keys ---------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit:
            if event.type() == QEvent.Type.FocusIn:
                # after the click that gave the focus has placed the cursor
                QTimer.singleShot(0, self.edit, self.edit.selectAll)
            elif event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
                return self._key(event)
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        key, mods = event.key(), event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        none = Qt.KeyboardModifier.NoModifier
        if key == Qt.Key.Key_Down and mods == Qt.KeyboardModifier.AltModifier:
            self.open_calendar()
            return True
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and mods == none:
            self._step(1 if key == Qt.Key.Key_Up else -1)
            return True
        sign = event.text()
        shift_only = mods & ~Qt.KeyboardModifier.ShiftModifier == none
        if sign in ("+", "-") and shift_only and self._whole_date_under_keys():
            self._step(1 if sign == "+" else -1)
            return True
        return False

    def _whole_date_under_keys(self) -> bool:
        """+ and - move a day over a whole date (selected, or as shown); elsewhere they are
        typed, "-" being a separator too."""
        text = self.edit.text()
        return self.edit.selectedText() == text or text == day_text(self._value)

    def _step(self, days: int) -> None:
        try:
            base = parse_day(self.edit.text(), now().date())
        except DayRefused:
            base = self._value
        day = base + timedelta(days=days)
        if limits.EARLIEST_YEAR <= day.year <= limits.LATEST_YEAR:
            self.set_value(day)
        self.edit.selectAll()

    # -- the calendar ------------------------------------------------------------------------

    def open_calendar(self) -> None:
        if not self.isEnabled():
            return
        if self.popup is None:
            self.popup = CalendarPopup(self)
            self.popup.chosen.connect(self._picked)
        try:
            shown = parse_day(self.edit.text(), now().date())
        except DayRefused:
            shown = self._value
        self.popup.open_at(self.edit.mapToGlobal(QPoint(0, self.edit.height())), shown)

    def _picked(self, day: date) -> None:
        self.set_value(day)
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)
        self.edit.selectAll()


class CalendarPopup(QFrame):
    """A month to pick a day from: arrows move, Enter or a click picks, Esc closes."""

    chosen = Signal(object)  # date

    def __init__(self, parent: QWidget):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget(self)
        self.calendar.setAccessibleName(self.tr("Lịch chọn ngày"))
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setDateRange(
            QDate(limits.EARLIEST_YEAR, 1, 1), QDate(limits.LATEST_YEAR, 12, 31)
        )
        self.calendar.activated.connect(self._pick)  # Enter, or a double click
        self.calendar.clicked.connect(self._pick)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.addWidget(self.calendar)
        self.setFocusProxy(self.calendar)

    def open_at(self, where: QPoint, day: date) -> None:
        self.calendar.setSelectedDate(qdate(day))
        self.adjustSize()
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:  # keep it on the screen
            box = QRect(where, self.size())
            where = QPoint(
                min(box.left(), screen.right() - box.width()),
                box.top() if box.bottom() <= screen.bottom() else where.y() - box.height(),
            )
        self.move(where)
        self.show()
        self.calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def _pick(self, day: QDate) -> None:
        self.hide()
        self.chosen.emit(pydate(day))


def _calendar_icon(palette: QPalette) -> QIcon:
    """A small page of a calendar, drawn in the text colour (no image files to ship)."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    color = palette.color(QPalette.ColorRole.Text)
    painter.setPen(color)
    painter.drawRect(1, 3, 13, 11)
    painter.fillRect(1, 3, 14, 3, color)
    for row in (8, 11):
        for col in (4, 7, 10):
            painter.fillRect(col, row, 2, 2, color)
    painter.end()
    return QIcon(pixmap)


def date_edit(day: date, accessible_name: str) -> DateField:
    """The date field every page uses."""
    return DateField(day, accessible_name)
