"""Intake, the clerk's main screen: a whole dossier received with the keyboard only."""

from __future__ import annotations

import sqlite3

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter.reports import DossierFilter
from counter.statuses import Status
from protocol.errors import KnownError
from tests.ui.uikit import receive, type_text
from ui.intake import IntakePage
from ui.models import KEY_ROLE
from ui.operations import Changes

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot, as_clerk):
    widget = IntakePage(as_clerk)
    qtbot.addWidget(widget)
    widget.resize(1300, 760)
    with qtbot.waitSignal(widget.loaded, timeout=5000):  # the catalogue and the calendar
        widget.show()
        qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: widget.procedure_edit.hasFocus())
    return widget


def type_here(qtbot, text: str) -> None:
    """Type into whatever has the keyboard focus, as a clerk does."""
    type_text(QApplication.focusWidget(), text)


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def barcodes(pdf: bytes, page_index: int = 0) -> list[str]:
    page = pdfium.PdfDocument(pdf)[page_index]
    image = page.render(scale=200 / 72, grayscale=True).to_pil()
    return [b.text for b in zxingcpp.read_barcodes(image)]


def test_a_whole_intake_with_the_keyboard_only(qtbot, page, ctx, printer):
    # procedure: a few unaccented letters, then Enter on the first match
    type_here(qtbot, "dang ky khai sinh")
    assert page.picker.completer.popup().isVisible()
    press(qtbot, Qt.Key.Key_Return)
    assert page.procedure is not None and page.procedure.code == "1.001193"
    assert page.documents.rowCount() == len(page.procedure.documents) > 0
    assert page.due_label.text()  # the due date is shown live
    assert page.applicant.name_field.edit.hasFocus()

    # applicant: Enter moves from field to field
    type_here(qtbot, "Nguyễn Thị Ánh Tuyết")
    press(qtbot, Qt.Key.Key_Return)
    assert page.applicant.id_field.edit.hasFocus()
    type_here(qtbot, "001190012345")
    press(qtbot, Qt.Key.Key_Return)
    type_here(qtbot, "0912 345 678")
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_Return)  # no e-mail
    type_here(qtbot, "Thôn Đông, xã Hòa Bình")

    # the power of attorney is needed only when someone files for the parents: a conditional
    # paper starts unticked, the required ones ticked. Tab to the checklist; Space ticks it
    # and unticks it again.
    while QApplication.focusWidget() is not page.documents_view:
        press(qtbot, Qt.Key.Key_Tab)
    row = [d.code for d in page.procedure.documents].index("UQ")
    assert len(page.documents.received()) == page.documents.rowCount() - 1
    assert "tùy trường hợp" in page.documents.index(row, 0).data()
    page.documents_view.setCurrentIndex(page.documents.index(row, 0))
    press(qtbot, Qt.Key.Key_Space)
    assert len(page.documents.received()) == page.documents.rowCount()
    press(qtbot, Qt.Key.Key_Space)
    assert len(page.documents.received()) == page.documents.rowCount() - 1
    assert not page.guidance.label.isVisible()  # every required paper is there

    with (
        qtbot.waitSignal(ctx.changed, timeout=10_000) as announced,
        qtbot.waitSignal(page.saved, timeout=10_000) as saved,
        qtbot.waitSignal(page.receipt_printed, timeout=20_000) as printed,
    ):
        press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    view = saved.args[0]
    assert announced.args[0] == Changes.of_dossier(view.code)  # for the list and the outbox

    # the dossier is in the register, as typed
    stored = ctx.app.dossiers.get(view.code)
    assert stored.applicant_name == "Nguyễn Thị Ánh Tuyết"
    assert stored.id_number == "001190012345"
    assert stored.phone == "0912345678"
    assert stored.status is Status.RECEIVED
    assert stored.received_by == "clerk"
    procedure = ctx.app.catalog.procedure("1.001193")
    assert len(stored.documents) == len(procedure.documents) - 1  # the one not brought

    # the receipt went to the printer, and its barcode holds the dossier code
    code, pdf, destination = printed.args
    assert code == view.code
    assert pdf.startswith(b"%PDF")
    assert printer.jobs and printer.jobs[-1][0] == pdf
    assert view.code in barcodes(pdf)
    assert destination.endswith("PDF-1")

    # the form is clear for the next citizen, focus back on the procedure
    assert page.procedure is None
    assert page.applicant.name_field.text() == "" and page.applicant.id_field.text() == ""
    assert page.focusWidget() is page.procedure_edit
    assert view.code in page.last_label.text()

    # and the print is in the audit trail
    qtbot.waitUntil(lambda: printed_rows(ctx, view.code) == 1)


def printed_rows(ctx, code: str) -> int:
    with sqlite3.connect(ctx.app.db.path) as conn:
        return conn.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'dossier.print' AND entity_key = ?",
            (code,),
        ).fetchone()[0]


def test_procedure_by_code_and_by_name_with_diacritics(qtbot, page):
    type_here(qtbot, "1.001193")
    press(qtbot, Qt.Key.Key_Return)
    assert page.procedure.code == "1.001193"
    page.clear_form()
    type_here(qtbot, "Đăng ký kết hôn")
    press(qtbot, Qt.Key.Key_Return)
    assert page.procedure is not None
    assert "kết hôn" in page.procedure.name


def test_words_in_any_order_and_no_match(qtbot, page):
    type_here(qtbot, "sinh khai")
    assert page.picker.filter.rowCount() >= 1
    page.clear_form()
    type_here(qtbot, "xyzxyz")
    assert page.picker.filter.rowCount() == 0
    assert page.procedure_error.isVisible()
    assert "khớp" in page.procedure_error.text()
    press(qtbot, Qt.Key.Key_Return)
    assert page.procedure is None


def test_an_empty_catalogue_says_where_to_import_one(qtbot, page):
    page.procedure_box.picker.set_procedures([])
    type_here(qtbot, "khai sinh")
    assert page.procedure_error.isVisible()
    assert "Danh mục thủ tục còn trống" in page.procedure_error.text()


def test_fields_say_what_is_wrong_when_left(qtbot, page):
    page.choose_procedure("1.001193")
    page.applicant.id_field.edit.setFocus()
    type_here(qtbot, "12345")
    press(qtbot, Qt.Key.Key_Tab)
    assert "12 chữ số" in page.applicant.id_field.error_text
    page.applicant.id_field.edit.setFocus()
    page.applicant.id_field.edit.selectAll()
    type_here(qtbot, "001190012345")
    assert page.applicant.id_field.error_text == ""  # goes away as soon as it is right

    page.applicant.phone_field.edit.setFocus()
    type_here(qtbot, "12")
    press(qtbot, Qt.Key.Key_Tab)
    assert "điện thoại" in page.applicant.phone_field.error_text.lower()


def test_nothing_saved_while_a_field_is_wrong(qtbot, page, ctx):
    before = ctx.app.reports.count(DossierFilter())
    page.choose_procedure("1.001193")
    page.applicant.name_field.setText("Nguyễn Văn 3")
    page.applicant.email_field.setText("not-an-email")
    with qtbot.assertNotEmitted(page.saved, wait=200):
        page.save_and_print()
    assert page.applicant.name_field.error_text
    assert page.applicant.email_field.error_text
    assert page.applicant.name_field.edit.hasFocus()
    assert ctx.app.reports.count(DossierFilter()) == before


def test_saving_without_a_procedure_points_at_it(qtbot, page):
    page.applicant.name_field.setText("Nguyễn Văn An")
    page.save_and_print()
    assert page.procedure_error.isVisible()
    assert page.procedure_edit.hasFocus()


def test_hint_when_the_same_id_filed_the_same_procedure_lately(qtbot, page, ctx, clerk):
    earlier = receive(ctx.app, clerk, id_number="001190012345")
    page.choose_procedure("1.001193")
    with qtbot.waitSignal(page.hint_changed, check_params_cb=bool, timeout=5000) as hint:
        page.applicant.id_field.setText("001190012345")
        page.applicant.id_field.edit.editingFinished.emit()
    assert earlier.code in hint.args[0]
    assert page.applicant.hint_label.isVisible()


def test_organisation_applicant_takes_a_tax_code(qtbot, page):
    page.choose_procedure("1.001193")
    page.applicant.kind_box.setCurrentIndex(1)
    page.applicant.id_field.setText("001190012345")
    assert not page.applicant.id_field.check()
    page.applicant.id_field.setText("0101234567")
    assert page.applicant.id_field.check()


def test_submitter_fields_appear_when_someone_files_for_the_applicant(qtbot, page):
    assert not page.applicant.submitter_widget.isVisible()
    page.applicant.submitter_box.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    assert page.applicant.submitter_widget.isVisible()
    assert not page.applicant.submitter_name.check()  # required once ticked


def test_a_printer_that_fails_leaves_the_dossier_saved(qtbot, page, ctx, printer):
    printer.fail_with = KnownError("Máy in không phản hồi", "The printer does not answer")
    messages = []
    ctx.notifier.message.connect(messages.append)
    page.choose_procedure("1.001193")
    page.applicant.name_field.setText("Trần Văn Bình")
    with (
        qtbot.waitSignal(page.saved, timeout=10_000) as saved,
        qtbot.waitSignal(page.receipt_failed, timeout=20_000),
    ):
        page.save_and_print()
    assert ctx.app.dossiers.get(saved.args[0].code).applicant_name == "Trần Văn Bình"
    assert any("Máy in không phản hồi" in m for m in messages)
    assert page.reprint_button.isVisible()


def test_a_refusal_of_the_service_shows_beside_its_field(qtbot, page, ctx):
    page.choose_procedure("1.001193")
    page.applicant.name_field.setText("Trần Văn Bình")
    # the procedure leaves the catalogue meanwhile
    with sqlite3.connect(ctx.app.db.path) as conn:
        conn.execute("UPDATE procedures SET active = 0 WHERE code = '1.001193'")
    with qtbot.waitSignal(ctx.notifier.message, timeout=10_000) as message:
        page.save_and_print()
    assert "1.001193" in message.args[0]
    assert page.procedure_error.isVisible()


def test_enter_on_the_popup_chooses_the_highlighted_procedure(qtbot, page):
    """On a real display the popup holds the keyboard: Enter reaches it first."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    type_here(qtbot, "khai sinh")
    popup = page.picker.completer.popup()
    assert popup.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Down)  # second match
    second = popup.currentIndex().data(KEY_ROLE)
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(
            popup, QKeyEvent(kind, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r")
        )
    assert page.procedure is not None and page.procedure.code == second
    assert not popup.isVisible()


def test_the_catalogue_is_read_again_only_when_it_changed(qtbot, page, ctx):
    with sqlite3.connect(ctx.app.db.path) as conn:
        conn.execute("UPDATE procedures SET active = 0 WHERE code = '1.001193'")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        ctx.announce(Changes(calendar=True))
    page.choose_procedure("1.001193")  # still the catalogue read before
    page.clear_form()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        ctx.announce(Changes(catalog=True))
    with pytest.raises(KnownError):
        page.choose_procedure("1.001193")
