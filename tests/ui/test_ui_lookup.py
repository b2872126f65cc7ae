"""The citizens' lookup screen, fed by a keyboard-wedge barcode scanner."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from counter.statuses import Status
from tests.ui.uikit import receive
from ui.lookup import LookupWidget, LookupWindow, parse_scan

pytestmark = pytest.mark.gui


@pytest.fixture
def dossier(counter_app, clerk):
    return receive(
        counter_app,
        clerk,
        applicant_name="Nguyễn Thị Ánh Tuyết",
        id_number="001190012345",
        phone="0912345678",
        address="Thôn Đông, xã Hòa Bình",
    )


@pytest.fixture
def lookup(qtbot, as_clerk):
    widget = LookupWidget(as_clerk, clear_after_ms=200)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def scan(qtbot, widget: LookupWidget, text: str):
    """What a USB scanner does: type the characters fast, then Enter."""
    with qtbot.waitSignal(widget.shown, timeout=5000) as shown:
        qtbot.keyClicks(widget.input, text)
        qtbot.keyClick(widget.input, Qt.Key.Key_Return)
    return shown.args[0]


def test_a_scanned_code_shows_the_status_and_nothing_personal(qtbot, lookup, dossier):
    result = scan(qtbot, lookup, dossier.code)
    assert result is not None and result.code == dossier.code
    assert lookup.status_label.text() == Status.RECEIVED.label_vi
    details = lookup.details.text()
    assert dossier.code in details
    assert "Nguyễn T*** Á*** T***" in details
    for private in ("Ánh Tuyết", "001190012345", "0912345678", "Thôn Đông"):
        assert private not in details
    assert "Chưa được cổng dịch vụ công xác nhận" in details
    assert "Hẹn trả" in details


def test_it_clears_itself(qtbot, lookup, dossier):
    scan(qtbot, lookup, dossier.code)
    with qtbot.waitSignal(lookup.cleared, timeout=5000):
        pass
    assert not lookup.card.isVisible()
    assert lookup.input.text() == ""


def test_the_next_scan_replaces_the_last(qtbot, lookup, dossier, counter_app, clerk):
    other = receive(counter_app, clerk, applicant_name="Lê Văn Bình")
    scan(qtbot, lookup, dossier.code)
    assert scan(qtbot, lookup, other.code).code == other.code
    assert lookup.input.text() == other.code


def test_unknown_code_and_lowercase(qtbot, lookup, dossier):
    assert scan(qtbot, lookup, "000.00.36.H62-990101-1001") is None
    assert lookup.status_label.text() == "Không tìm thấy hồ sơ"
    assert scan(qtbot, lookup, dossier.code.lower()).code == dossier.code


def test_the_qr_code_url_works_and_a_wrong_key_reads_as_unknown(qtbot, lookup, dossier):
    assert dossier.lookup_url
    assert scan(qtbot, lookup, dossier.lookup_url).code == dossier.code
    wrong = dossier.lookup_url.replace(dossier.lookup_key, "XXXXXXXX")
    assert scan(qtbot, lookup, wrong) is None
    assert parse_scan(f"http://x/tra-cuu?ma={dossier.code}&k=ABC") == (dossier.code, "ABC")


def test_portal_confirmation_is_shown(qtbot, lookup, dossier, counter_app):
    from counter.outbox import Accepted

    entry = counter_app.sync_store.due_entries(10)[0]
    counter_app.sync_store.mark_accepted([Accepted(entry.id)])
    scan(qtbot, lookup, dossier.code)
    assert "Cổng dịch vụ công xác nhận lần cuối" in lookup.details.text()


def test_full_screen_window(qtbot, as_clerk, dossier):
    window = LookupWindow(as_clerk, clear_after_ms=1000)
    qtbot.addWidget(window)
    window.showFullScreen()
    qtbot.waitExposed(window)
    assert scan(qtbot, window.lookup, dossier.code).code == dossier.code
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isVisible()
