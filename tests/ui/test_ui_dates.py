"""The date field every page types dates in (ui/dates.py): typed as a clerk writes a date,
with or without separators; a day that does not exist refused where it was typed; Shift+Tab
back in and typing replaces the whole date; a day up or down by key; the calendar by key."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from counter.clock import now
from ui.dates import DateField, DayRefused, Refusal, parse_day, settled

pytestmark = pytest.mark.gui

START = date(2026, 11, 2)
TODAY = date(2026, 5, 20)


@pytest.fixture
def field(qtbot):
    """A date field between two other fields, in a window that has the keyboard."""
    window = QWidget()
    qtbot.addWidget(window)
    before, after = QLineEdit(), QLineEdit()
    before.setAccessibleName("before")
    after.setAccessibleName("after")
    date_field = DateField(START, "Ngày")
    layout = QVBoxLayout(window)
    for widget in (before, date_field, after):
        layout.addWidget(widget)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    date_field.after = after
    yield date_field  # the window lives on here: qtbot holds it weakly only


def focus_by_key(qtbot, field: DateField, key=Qt.Key.Key_Tab) -> None:
    """Into the field from the neighbour before it (Tab) or after it (Shift+Tab)."""
    if key == Qt.Key.Key_Backtab:
        field.after.setFocus()
        qtbot.waitUntil(field.after.hasFocus)
        qtbot.keyClick(field.after, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    else:
        field.edit.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(field.edit.hasFocus)
    qtbot.waitUntil(lambda: field.edit.selectedText() == field.edit.text())


def type_date(qtbot, field: DateField, text: str, then=Qt.Key.Key_Tab) -> None:
    focus_by_key(qtbot, field)
    qtbot.keyClicks(field.edit, text)
    if then is not None:
        qtbot.keyClick(field.edit, then)


@pytest.mark.parametrize(
    "typed", ["02/12/2026", "02122026", "2/12/2026", "02/12/26", "2.12.2026", "02-12-2026"]
)
def test_a_date_typed_as_a_clerk_writes_it(qtbot, field, typed):
    with qtbot.waitSignal(field.dateChanged) as changed:
        type_date(qtbot, field, typed)
    assert changed.args[0].toString("dd/MM/yyyy") == "02/12/2026"
    assert field.value() == date(2026, 12, 2)
    assert field.edit.text() == "02/12/2026"  # shown whole once left
    assert field.error_text == ""
    assert field.after.hasFocus()


def test_enter_takes_the_date_too(qtbot, field):
    type_date(qtbot, field, "15032026", then=Qt.Key.Key_Return)
    assert field.value() == date(2026, 3, 15)
    assert field.edit.text() == "15/03/2026"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2026", "Không có ngày 31/02/2026"),
        ("99/99/9999", "Không có ngày 99/99/9999"),
        ("30022026", "Không có ngày 30022026"),
        ("ngay mai", "Gõ ngày/tháng/năm, ví dụ 02/12/2026"),
        ("2122026", "Gõ ngày/tháng/năm, ví dụ 02/12/2026"),
        ("01/01/2500", "Năm phải từ 1990 đến 2199"),
        ("", "Gõ ngày/tháng/năm, ví dụ 02/12/2026"),
    ],
)
def test_a_wrong_date_is_refused_in_place(qtbot, field, typed, message):
    changes = []
    field.dateChanged.connect(changes.append)
    focus_by_key(qtbot, field)
    if typed:
        qtbot.keyClicks(field.edit, typed)
    else:
        qtbot.keyClick(field.edit, Qt.Key.Key_Delete)
    qtbot.keyClick(field.edit, Qt.Key.Key_Tab)
    assert field.error_text == message
    assert field.error.isVisible()
    assert "#b3261e" in field.edit.styleSheet()  # the red frame
    assert field.edit.accessibleDescription() == message
    assert field.edit.text() == typed  # left as typed, to be mended
    assert field.value() == START and changes == []  # the last good day stays
    assert not field.check()
    # mended: the message goes as soon as the date is right
    focus_by_key(qtbot, field)
    qtbot.keyClicks(field.edit, "28022026")
    assert field.error_text == "" and field.edit.styleSheet() == ""
    assert field.value() == date(2026, 2, 28)


def test_letters_are_refused_as_they_are_typed(qtbot, field):
    focus_by_key(qtbot, field)
    qtbot.keyClicks(field.edit, "0x")
    assert field.error_text == "Gõ ngày/tháng/năm, ví dụ 02/12/2026"
    assert field.edit.hasFocus()


def test_shift_tab_back_in_and_typing_replaces_the_whole_date(qtbot, field):
    type_date(qtbot, field, "02/11/2026")
    focus_by_key(qtbot, field, Qt.Key.Key_Backtab)
    qtbot.keyClicks(field.edit, "02122026")
    assert field.edit.text() == "02122026"
    assert field.value() == date(2026, 12, 2)
    qtbot.keyClick(field.edit, Qt.Key.Key_Tab)
    assert field.edit.text() == "02/12/2026"


def test_a_click_selects_the_whole_date_too(qtbot, field):
    qtbot.mouseClick(field.edit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: field.edit.selectedText() == "02/11/2026")
    qtbot.keyClicks(field.edit, "1/1/2027")
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert field.value() == date(2027, 1, 1)


def test_up_and_down_move_a_day_plus_and_minus_over_a_whole_date(qtbot, field):
    focus_by_key(qtbot, field)
    qtbot.keyClick(field.edit, Qt.Key.Key_Up)
    assert field.value() == START + timedelta(days=1)
    assert field.edit.selectedText() == "03/11/2026"  # still replaced by typing
    for _ in range(3):
        qtbot.keyClick(field.edit, Qt.Key.Key_Down)
    assert field.value() == date(2026, 10, 31)
    qtbot.keyClicks(field.edit, "+")
    assert field.value() == date(2026, 11, 1)
    qtbot.keyClicks(field.edit, "-")
    assert field.edit.text() == "31/10/2026"
    # within a date being typed, "-" is a separator
    qtbot.keyClicks(field.edit, "5-1-2027")
    assert field.value() == date(2027, 1, 5)


def test_the_calendar_by_key(qtbot, field):
    focus_by_key(qtbot, field)
    qtbot.keyClick(field.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    popup = field.popup
    assert popup is not None
    qtbot.waitUntil(popup.isVisible)
    assert popup.calendar.selectedDate().toString("dd/MM/yyyy") == "02/11/2026"
    view = QApplication.focusWidget()
    assert popup.isAncestorOf(view)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not popup.isVisible())
    assert field.value() == date(2026, 11, 3)
    assert field.edit.text() == "03/11/2026"
    qtbot.waitUntil(field.edit.hasFocus)
    # Esc closes it and changes nothing
    qtbot.keyClick(field.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not popup.isVisible())
    assert field.value() == date(2026, 11, 3)


def test_the_calendar_by_mouse(qtbot, field):
    field.pick_action.trigger()
    popup = field.popup
    qtbot.waitUntil(popup.isVisible)
    with qtbot.waitSignal(field.dateChanged):
        popup.calendar.clicked.emit(popup.calendar.selectedDate().addDays(7))
    assert field.value() == date(2026, 11, 9)


def test_what_a_typed_date_means():
    assert parse_day("2/12", TODAY) == date(2026, 12, 2)  # this year
    assert parse_day("0212", TODAY) == date(2026, 12, 2)
    assert parse_day(" 02 / 12 / 2026 ", TODAY) == date(2026, 12, 2)
    assert parse_day("02 12 2026", TODAY) == date(2026, 12, 2)
    assert parse_day("０２１２２０２６", TODAY) == date(2026, 12, 2)  # full-width digits
    assert parse_day("29/02/2028", TODAY) == date(2028, 2, 29)
    for text, why in [
        ("29/02/2026", Refusal.NO_SUCH_DAY),
        ("00/12/2026", Refusal.NO_SUCH_DAY),
        ("12/13/2026", Refusal.NO_SUCH_DAY),
        ("2/12/202", Refusal.FORMAT),
        ("2/12/", Refusal.FORMAT),
        ("123/1/2026", Refusal.FORMAT),
        ("2/12/2026/1", Refusal.FORMAT),
        ("020", Refusal.FORMAT),
        ("1/1/1989", Refusal.YEARS),
    ]:
        with pytest.raises(DayRefused) as refused:
            parse_day(text, TODAY)
        assert refused.value.why is why, text
    assert settled("02122026") and settled("2/12/2026") and settled("2x")
    assert not settled("2/12/26") and not settled("021220") and not settled("2/12/202")


def test_every_date_field_of_the_desktop_is_this_one(qtbot, as_admin):
    """No page types dates in Qt's own date edit (the one that turned 02/12 into 02/11)."""
    from PySide6.QtWidgets import QDateEdit

    from ui.main_window import MainWindow

    window = MainWindow(as_admin, idle_ms=0)
    qtbot.addWidget(window)
    fields = []
    for key in window.page_keys:
        window.show_page(key)
        page = window.pages.currentWidget()
        assert page.findChildren(QDateEdit) == [], key
        fields += page.findChildren(DateField)
    assert len(fields) >= 5  # F3's two, F6's, F7's two, F8's
    assert all(f.value() <= now().date() + timedelta(days=1) for f in fields)
    qtbot.waitUntil(lambda: as_admin.tasks.pending == 0, timeout=20_000)
    window.dispose()
