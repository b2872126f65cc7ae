"""The supervisor's screens: daily summary, tracking book, calendar, accounts, settings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QSpinBox

from counter.clock import now
from tests.conftest import PASSWORD
from tests.ui.uikit import receive
from ui.accounts_page import AccountsPage, UserDialog
from ui.calendar_page import CalendarPage
from ui.reports_pages import DailySummaryPage, TrackingBookPage
from ui.settings_page import SettingsPage
from ui.widgets import qdate

pytestmark = pytest.mark.gui


@pytest.fixture
def as_boss(ctx, boss):
    ctx.actor = boss
    return ctx


def test_daily_summary_shows_the_figures_and_the_pdf(qtbot, as_boss, clerk):
    for name in ("Nguyễn Văn An", "Lê Thị Bình"):
        receive(as_boss.app, clerk, applicant_name=name)
    page = DailySummaryPage(as_boss)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=20_000) as loaded:
        page.show()
    assert loaded.args[0].received == 2
    assert page.figures["received"].text() == "2"
    assert page.preview.pdf.startswith(b"%PDF")
    assert page.preview.page_count() != 0  # None only where QtPdf is not installed
    assert page.csv_button.isEnabled()


def test_tracking_book_for_a_range(qtbot, as_boss, clerk):
    receive(as_boss.app, clerk)
    page = TrackingBookPage(as_boss)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=20_000) as loaded:
        page.show()
    assert loaded.args[0].startswith(b"%PDF")
    page.date_to.setDate(qdate(now().date() - timedelta(days=3)))
    messages = []
    as_boss.notifier.message.connect(messages.append)
    page.load()
    assert messages == ["Ngày kết thúc phải sau ngày bắt đầu"]


def next_weekday(start: date) -> date:
    day = start + timedelta(days=7)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def test_calendar_day_off_and_its_removal(qtbot, as_boss):
    page = CalendarPage(as_boss)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    day = next_weekday(now().date())
    page.day.setDate(qdate(day))
    assert "ngày làm việc" in page.day_info.text()
    page.kind.setCurrentIndex(0)  # a day off
    page.note.setText("Nghỉ bù")
    with (
        qtbot.waitSignal(as_boss.changed, check_params_cb=lambda c: c.calendar, timeout=5000),
        qtbot.waitSignal(page.loaded, timeout=5000),
    ):
        page.save()
    assert (day, "office", False, "Nghỉ bù") in as_boss.app.calendar.overrides()
    assert page.model.rowCount() == 1
    assert "ngày nghỉ" in page.day_info.text()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.clear_day()
    assert as_boss.app.calendar.overrides() == []
    assert page.model.rowCount() == 0


def test_a_clerk_may_not_edit_the_calendar(qtbot, as_clerk):
    page = CalendarPage(as_clerk)
    qtbot.addWidget(page)
    with qtbot.waitSignal(as_clerk.notifier.message, timeout=5000) as message:
        page.save()
    assert "không được" in message.args[0]
    assert not page.error.isHidden()
    assert as_clerk.app.calendar.overrides() == []


def test_accounts_create_disable_reset_and_role(qtbot, as_admin):
    page = AccountsPage(as_admin)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    assert {u.username for u in page.model.rows} == {"admin", "clerk", "boss"}

    dialog = UserDialog(page)
    qtbot.addWidget(dialog)
    dialog.username.setText("Bad Name")
    dialog.password.setText("ngan")
    dialog._accept()
    assert dialog.username.error_text and dialog.password.error_text

    with (
        qtbot.waitSignal(as_admin.notifier.message, timeout=10_000),
        qtbot.waitSignal(page.loaded, timeout=10_000),
    ):
        page.add("tiepnhan2", "Đỗ Thị Mai", "clerk", PASSWORD)
    assert "tiepnhan2" in {u.username for u in page.model.rows}

    page.table.selectRow([u.username for u in page.model.rows].index("tiepnhan2"))
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.toggle_active()
    assert not as_admin.app.accounts.get("tiepnhan2").active
    assert page.toggle_button.text().replace("&", "") == "Kích hoạt lại"

    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.set_role("supervisor")
    assert as_admin.app.accounts.get("tiepnhan2").role == "supervisor"

    with qtbot.waitSignal(as_admin.notifier.message, timeout=10_000):
        page.reset_password("tiepnhan2", "mat-khau-moi-2026")
    with qtbot.waitSignal(as_admin.notifier.message, timeout=10_000):
        page.toggle_active()
    assert as_admin.app.accounts.authenticate("tiepnhan2", "mat-khau-moi-2026").role == "supervisor"


def test_settings_are_built_from_the_schema(qtbot, as_admin):
    from counter.settings import SPECS

    page = SettingsPage(as_admin)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    assert set(page.rows) == set(SPECS)
    assert isinstance(page.rows["printing.paper"].editor, QComboBox)
    assert isinstance(page.rows["ui.idle_lock_minutes"].editor, QSpinBox)
    assert isinstance(page.rows["portal.verify_tls"].editor, QCheckBox)
    token = page.rows["portal.token"].editor
    assert isinstance(token, QLineEdit) and token.echoMode() == QLineEdit.EchoMode.Password

    url = page.rows["portal.url"].editor
    url.setText("ftp://nowhere")
    assert not page.rows["portal.url"].error.isHidden()
    messages = []
    as_admin.notifier.message.connect(messages.append)
    page.save()
    assert as_admin.app.settings.get("portal.url") == ""
    url.setText("https://dichvucong.example.gov.vn")
    paper = page.rows["printing.paper"].editor
    paper.setCurrentIndex(paper.findData("a4"))
    token.setText("bi-mat-cua-quay")
    with qtbot.waitSignal(page.saved, timeout=10_000) as saved:
        page.save()
    assert set(saved.args[0]) == {"portal.url", "printing.paper", "portal.token"}
    assert saved.args[0]["printing.paper"] == "a4"  # as stored
    assert as_admin.app.settings.get("printing.paper") == "a4"
    assert as_admin.app.settings.get("portal.token") == "bi-mat-cua-quay"
    assert page.rows["portal.token"].editor.text() == ""  # a secret is never shown back


def test_a_clerk_changes_only_what_a_clerk_may(qtbot, as_clerk):
    page = SettingsPage(as_clerk)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: bool(page.rows), timeout=5000)
    assert page.rows["printing.paper"].isEnabled()
    assert page.rows["ui.language"].isEnabled()
    assert not page.rows["portal.url"].isEnabled()
    assert not page.rows["office.agency_name"].isEnabled()


def test_without_qtpdf_the_report_still_prints(qtbot, as_boss, printer, monkeypatch):
    import ui.pdf_preview

    monkeypatch.setattr(ui.pdf_preview, "pdf_viewer_available", lambda: False)
    page = DailySummaryPage(as_boss)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.show()
    assert page.preview.page_count() is None
    with qtbot.waitSignal(page.preview.printed, timeout=10_000):
        page.preview.print_button.click()
    assert printer.jobs and printer.jobs[-1][0] == page.preview.pdf
