"""The reports are always the counter as it is now: F6's figures follow the dossiers received
while it is open, and what "In ngay" prints is read again at the press of the key, never the
figures on screen; dates are typed, and a wrong one neither reads nor prints a report. The
calendar (F8) refuses a typed day that does not exist."""

from __future__ import annotations

from datetime import timedelta

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter.clock import now
from tests.ui.uikit import receive
from ui.calendar_page import CalendarPage
from ui.dates import day_text
from ui.operations import Changes, Op
from ui.reports_pages import DailySummaryPage, TrackingBookPage

pytestmark = pytest.mark.gui


@pytest.fixture
def as_boss(ctx, boss):
    ctx.actor = boss
    return ctx


def pdf_text(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in doc)


def shown(qtbot, page):
    """The page in its own window, which has the keyboard, once its report is on screen."""
    qtbot.addWidget(page)
    page.resize(1024, 600)
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    return page


def received_at_the_counter(ctx, clerk, name: str):
    """A dossier received as intake receives one: a write whose change every screen hears."""
    app = ctx.app
    op = Op.write(
        lambda: receive(app, clerk, applicant_name=name), lambda d: Changes.of_dossier(d.code)
    )
    ctx.tasks.run(op)


def type_into(qtbot, field, text: str) -> None:
    field.edit.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: field.edit.selectedText() == field.edit.text())
    qtbot.keyClicks(field.edit, text)
    qtbot.keyClick(field.edit, Qt.Key.Key_Tab)


def test_the_figures_follow_the_dossiers_received_while_open(qtbot, as_boss, clerk):
    page = shown(qtbot, DailySummaryPage(as_boss))
    assert page.figures["received"].text() == "0"
    with qtbot.waitSignal(page.loaded, timeout=20_000) as loaded:
        received_at_the_counter(as_boss, clerk, "Nguyễn Văn An")
    assert loaded.args[0].received == 1
    assert page.figures["received"].text() == "1"
    assert "Hồ sơ tiếp nhận trong ngày 1 " in pdf_text(page.preview.pdf)


def test_a_burst_of_changes_reads_the_report_once(qtbot, as_boss, clerk):
    page = shown(qtbot, DailySummaryPage(as_boss))
    reads = []
    page.loaded.connect(reads.append)
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        for name in ("Nguyễn Văn An", "Lê Thị Bình", "Trần Văn Cường"):
            received_at_the_counter(as_boss, clerk, name)
    qtbot.waitUntil(lambda: as_boss.tasks.pending == 0, timeout=20_000)
    assert [s.received for s in reads] == [3]


def test_printing_reads_the_day_again(qtbot, as_boss, clerk, printer):
    page = shown(qtbot, DailySummaryPage(as_boss))
    receive(as_boss.app, clerk, applicant_name="Nguyễn Văn An")  # not announced: a screen
    receive(as_boss.app, clerk, applicant_name="Lê Thị Bình")  # never hears of it
    assert page.figures["received"].text() == "0"
    with qtbot.waitSignal(page.preview.printed, timeout=20_000):
        page.preview.print_button.click()
    printed = pdf_text(printer.jobs[-1][0])
    assert "Hồ sơ tiếp nhận trong ngày 2 " in printed
    assert page.figures["received"].text() == "2"  # the screen shows what was printed
    assert printer.jobs[-1][0] == page.preview.pdf


def test_a_typed_day_is_read_at_once_and_a_wrong_one_never(qtbot, as_boss, clerk, printer):
    yesterday = now().date() - timedelta(days=1)
    page = shown(qtbot, DailySummaryPage(as_boss))
    with qtbot.waitSignal(page.loaded, timeout=20_000) as loaded:
        type_into(qtbot, page.day, day_text(yesterday).replace("/", ""))
    assert loaded.args[0].day == yesterday
    reads = []
    page.loaded.connect(reads.append)
    type_into(qtbot, page.day, "31/02/2026")
    assert page.day.error_text == "Không có ngày 31/02/2026"
    page.show_button.click()
    page.preview.print_button.click()
    qtbot.waitUntil(lambda: as_boss.tasks.pending == 0, timeout=20_000)
    assert reads == [] and printer.jobs == []
    assert page.day.edit.hasFocus()  # where the mistake is
    assert page.summary is not None and page.summary.day == yesterday


def test_a_change_waits_while_a_typed_day_is_wrong_and_takes_no_keyboard(qtbot, as_boss, clerk):
    page = shown(qtbot, DailySummaryPage(as_boss))
    type_into(qtbot, page.day, "30/02")
    page.preview.view.setFocus()
    qtbot.waitUntil(page.preview.view.hasFocus)
    reads = []
    page.loaded.connect(reads.append)
    received_at_the_counter(as_boss, clerk, "Nguyễn Văn An")
    qtbot.waitUntil(lambda: as_boss.tasks.pending == 0, timeout=20_000)
    qtbot.waitUntil(lambda: not page.refresh_timer.isActive(), timeout=20_000)
    assert reads == [] and page.preview.view.hasFocus()
    assert page.day.error_text == "Không có ngày 30/02"
    with qtbot.waitSignal(page.loaded, timeout=20_000) as loaded:  # mended: read at once
        type_into(qtbot, page.day, day_text(now().date()))
    assert loaded.args[0].received == 1


def test_a_hidden_report_is_read_again_when_shown(qtbot, as_boss, clerk):
    page = shown(qtbot, DailySummaryPage(as_boss))
    page.hide()
    reads = []
    page.loaded.connect(reads.append)
    received_at_the_counter(as_boss, clerk, "Nguyễn Văn An")
    qtbot.waitUntil(lambda: as_boss.tasks.pending == 0, timeout=20_000)
    assert not page.refresh_timer.isActive() and reads == []
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.show()
    assert page.figures["received"].text() == "1"


def test_the_tracking_book_prints_what_is_there_now(qtbot, as_boss, clerk, printer):
    page = shown(qtbot, TrackingBookPage(as_boss))
    assert "Phạm Thị Hoa" not in pdf_text(page.preview.pdf)
    receive(as_boss.app, clerk, applicant_name="Phạm Thị Hoa")  # not announced
    with qtbot.waitSignal(page.preview.printed, timeout=20_000):
        page.preview.print_button.click()
    assert "Phạm Thị Hoa" in pdf_text(printer.jobs[-1][0])
    # announced while in view: read again without a key
    with qtbot.waitSignal(page.loaded, timeout=20_000) as loaded:
        received_at_the_counter(as_boss, clerk, "Đỗ Văn Nam")
    assert "Đỗ Văn Nam" in pdf_text(loaded.args[0])


def test_the_tracking_book_refuses_a_wrong_range(qtbot, as_boss, printer):
    page = shown(qtbot, TrackingBookPage(as_boss))
    reads = []
    page.loaded.connect(reads.append)
    type_into(qtbot, page.date_to, "32122026")
    assert page.date_to.error_text == "Không có ngày 32122026"
    page.preview.print_button.click()
    qtbot.waitUntil(lambda: as_boss.tasks.pending == 0, timeout=20_000)
    assert reads == [] and printer.jobs == []
    first = now().date() - timedelta(days=3)
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        type_into(qtbot, page.date_to, day_text(now().date()))
        type_into(qtbot, page.date_from, day_text(first))
    assert page.date_from.value() == first


def test_the_calendar_takes_a_typed_day_and_refuses_one_that_is_not(qtbot, as_boss):
    page = shown(qtbot, CalendarPage(as_boss))
    type_into(qtbot, page.day, "31/02/2026")
    assert page.day.error_text == "Không có ngày 31/02/2026"
    page.save_button.click()
    qtbot.waitUntil(lambda: as_boss.tasks.pending == 0, timeout=10_000)
    assert as_boss.app.calendar.overrides() == []
    day = now().date() + timedelta(days=40)
    type_into(qtbot, page.day, day_text(day))
    assert page.day_info.text().startswith(f"Theo lịch hiện tại, ngày {day_text(day)}")
    page.note.setText("Nghỉ bù")
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.save_button.click()
    assert (day, "office", False, "Nghỉ bù") in as_boss.app.calendar.overrides()
