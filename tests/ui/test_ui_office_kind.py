"""The desktop and the office as it is now: the kinds of office it offers, the names it shows,
the agency a procedure goes to, and the calendar's open days beside its counted days."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from counter.app import CounterApp
from counter.clock import now
from tests.ui.uikit import FakePrinter, make_context, type_text
from ui import formatting
from ui.calendar_page import CalendarPage
from ui.intake import IntakePage
from ui.main_window import MainWindow
from ui.settings_page import SettingsPage
from ui.signin import FirstRunDialog
from ui.widgets import qdate

pytestmark = pytest.mark.gui

CENTRE = "Trung tâm Phục vụ hành chính công"


@pytest.fixture
def fresh(tmp_path: Path, qapp, bugs):
    app = CounterApp.open(tmp_path / "new", create=True)
    ctx = make_context(app, FakePrinter(), bugs)
    yield ctx
    ctx.close()
    app.close()
    assert not bugs


def test_first_run_offers_todays_kinds_of_office_and_shows_the_header(qtbot, fresh):
    dialog = FirstRunDialog(fresh.app, fresh.tasks)
    qtbot.addWidget(dialog)
    kinds = [dialog.level.itemData(i) for i in range(dialog.level.count())]
    assert kinds == ["commune", "province", "ministry"]  # no district since 1 July 2025
    type_text(dialog.agency_name.edit, "Xã Hòa Bình")
    assert "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH / TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" in (
        dialog.preview.text()
    )
    assert f"{CENTRE} xã Hòa Bình" in dialog.preview.text()
    dialog.agency_name.edit.clear()
    type_text(dialog.agency_name.edit, "Bộ Tư pháp")
    dialog.level.setCurrentIndex(kinds.index("ministry"))
    assert "BỘ TƯ PHÁP / BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ" in dialog.preview.text()

    dialog.agency_code.setText("000.00.10.G06")
    dialog.username.setText("quantri")
    type_text(dialog.full_name.edit, "Nguyễn Văn Quản")
    dialog.password.setText("mat-khau-2026")
    dialog.confirm.setText("mat-khau-2026")
    with qtbot.waitSignal(dialog.done, timeout=10_000):
        dialog.submit()
    office = fresh.app.office.identity()
    assert (office.level, office.unit_name) == ("ministry", "Bộ phận Tiếp nhận và Trả kết quả")


def set_stored_level(app: CounterApp, level: str) -> None:
    """What a counter set up before 1 July 2025 holds."""
    conn = sqlite3.connect(app.db.path)
    try:
        with conn:
            conn.execute(
                "UPDATE settings SET value = ? WHERE key = 'office.level'", (f'"{level}"',)
            )
    finally:
        conn.close()
    app.settings.invalidate()


def test_the_settings_page_offers_no_district_but_shows_a_stored_one(qtbot, as_admin):
    page = SettingsPage(as_admin)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    combo = page.rows["office.level"].editor
    offered = [combo.itemData(i) for i in range(combo.count())]
    assert offered == ["commune", "province", "ministry"]
    for key in ("office.authority_name", "calendar.extra_open_days", "calendar.extra_open_hours"):
        assert key in page.rows

    set_stored_level(as_admin.app, "district")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.reload()
    combo = page.rows["office.level"].editor
    assert combo.currentData() == "district"
    assert "trước 01/7/2025" in combo.currentText()
    assert page.rows["office.level"].raw() is None  # shown, not changed
    phone = page.rows["office.phone"].editor
    phone.setText("0218 3852 123")
    with qtbot.waitSignal(page.saved, timeout=10_000) as saved:
        page.save()
    assert set(saved.args[0]) == {"office.phone"}
    assert as_admin.app.settings.get("office.level") == "district"

    bad = page.rows["calendar.extra_open_days"].editor
    bad.setText("thứ bảy")
    assert not page.rows["calendar.extra_open_days"].error.isHidden()
    page.save()
    assert as_admin.app.settings.get("calendar.extra_open_days") == ""


def test_the_window_and_its_status_bar_name_the_office(qtbot, as_admin):
    as_admin.office()
    window = MainWindow(as_admin, idle_ms=0)
    qtbot.addWidget(window)
    try:
        assert window.windowTitle().startswith(f"{CENTRE} xã Hòa Bình – Quầy tiếp nhận số 1")
        assert window.office_status.text() == f"{CENTRE} xã Hòa Bình · quầy số 1"
        assert "xã, phường, đặc khu" in window.office_status.toolTip()
        with qtbot.waitSignal(window.settings_page.loaded, timeout=5000):
            window.show_page("settings")
        combo = window.settings_page.rows["office.level"].editor
        combo.setCurrentIndex(combo.findData("province"))
        window.settings_page.rows["office.agency_name"].editor.setText("Tỉnh Lào Cai")
        qtbot.waitUntil(lambda: bool(as_admin.tasks.pending == 0), timeout=5000)
        window.settings_page.save()
        qtbot.waitUntil(
            lambda: window.office_status.text().startswith(f"{CENTRE} tỉnh Lào Cai"), timeout=10_000
        )
        assert "tỉnh, thành phố" in window.office_status.toolTip()
    finally:
        window.dispose()


def test_intake_shows_the_agency_as_it_resolves_here(qtbot, as_clerk, admin):
    as_clerk.app.settings.set(admin, "agency.1.000894", "Công an xã Hòa Bình")
    page = IntakePage(as_clerk)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    page.choose_procedure("1.001193")
    assert page.result_agency_label.text() == "Ủy ban nhân dân xã Hòa Bình"
    page.choose_procedure("1.000894")
    assert page.result_agency_label.text() == "Công an xã Hòa Bình"
    assert page.delivery.itemText(0) == f"Tại {CENTRE} xã Hòa Bình"


def test_the_calendar_shows_open_days_beside_counted_days(qtbot, ctx, boss, admin):
    ctx.actor = boss
    ctx.app.settings.set(admin, "calendar.extra_open_days", "6")
    page = CalendarPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    lines = page.days_ahead.text().splitlines()
    assert len(lines) == 14 and lines[0].startswith(formatting.weekday(now().date()))
    assert any(line.endswith("mở cửa 07:30–11:30, 13:00–17:00; tính thời hạn") for line in lines)
    calendar = page.calendar
    assert calendar is not None
    fixed = date(2026, 11, 28)  # an ordinary Saturday
    assert page.day_line(calendar, fixed) == (
        "Thứ Bảy 28/11/2026: mở cửa 07:30–11:30; không tính thời hạn"
    )
    assert page.day_line(calendar, fixed + timedelta(days=1)) == (
        "Chủ Nhật 29/11/2026: đóng cửa; không tính thời hạn"
    )
    page.day.setDate(qdate(fixed))
    assert "không tính vào thời hạn giải quyết" in page.day_info.text()
