"""Declare once at the desktop's intake: a known ID number offers the applicant's latest
details under the field; Enter takes them, Esc leaves them; demo dossiers offer nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter.dossiers import DossierInput
from tests.ui.uikit import receive, type_text
from ui.intake import IntakePage

pytestmark = pytest.mark.gui

NUMBER = "001190012345"


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def test_a_known_number_offers_its_latest_details(qtbot, as_clerk, clerk):
    app = as_clerk.app
    details = {"phone": "0912345678", "email": "tuyet@example.vn", "address": "Thôn Đông"}
    receive(app, clerk, applicant_name="Nguyễn Thị Ánh Tuyết", id_number=NUMBER, **details)
    demo = DossierInput(
        "1.001193", "Lò Văn Páo", id_number="001190054321", phone="0988000111", is_demo=True
    )
    app.dossiers.receive(clerk, demo)

    page = IntakePage(as_clerk)
    qtbot.addWidget(page)
    page.resize(1300, 760)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
        qtbot.waitExposed(page)
    page.activateWindow()
    form, offer = page.applicant, page.applicant.offer
    page.choose_procedure("1.001193")

    def number_then_enter(number: str) -> None:
        form.id_field.edit.setFocus()
        qtbot.waitUntil(form.id_field.edit.hasFocus)
        type_text(form.id_field.edit, number)
        press(qtbot, Qt.Key.Key_Return)  # on to the phone, and the number is looked up

    # Esc leaves the offer: nothing is filled
    number_then_enter(NUMBER)
    qtbot.waitUntil(offer.isVisible, timeout=5000)
    assert "Nguyễn Thị Ánh Tuyết" in offer.text() and "0912345678" in offer.text()
    assert "Enter: dùng" in offer.text() and "Esc: bỏ qua" in offer.text()
    assert form.phone_field.edit.hasFocus()  # the band never takes the keyboard
    press(qtbot, Qt.Key.Key_Escape)
    assert not offer.isVisible() and form.name_field.text() == ""
    assert form.phone_field.edit.hasFocus()

    # the number typed again: Enter takes the details, in one key
    form.id_field.clear()
    number_then_enter(NUMBER)
    qtbot.waitUntil(offer.isVisible, timeout=5000)
    press(qtbot, Qt.Key.Key_Return)
    assert not offer.isVisible()
    assert form.name_field.text() == "Nguyễn Thị Ánh Tuyết"
    assert (form.phone_field.text(), form.email_field.text()) == ("0912345678", "tuyet@example.vn")
    assert form.address_field.text() == "Thôn Đông"
    assert form.phone_field.edit.hasFocus()

    # what the clerk changes is saved with the new dossier, and so becomes the latest
    form.phone_field.edit.selectAll()
    type_text(form.phone_field.edit, "0987654321")
    with qtbot.waitSignal(page.saved, timeout=10_000):
        press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    latest = app.dossiers.latest_applicant(NUMBER)
    assert latest is not None and latest.phone == "0987654321"
    assert latest.email == "tuyet@example.vn"

    # a number seen only in demo data offers nothing
    page.choose_procedure("1.001193")
    number_then_enter("001190054321")
    qtbot.waitUntil(lambda: as_clerk.tasks.pending == 0, timeout=10_000)
    assert not offer.isVisible()
