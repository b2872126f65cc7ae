"""Complete and incomplete dossiers at the desktop: an unticked required paper records
guidance and prints Mẫu 02; Ctrl+H receives the dossier from it later; back from a
supplement, the dossier is received again with a new receipt. Keyboard only."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter.statuses import Status
from tests.ui.test_ui_detail import open_detail, pdf_text
from tests.ui.uikit import receive, type_text
from ui.action_dialog import ActionDialog
from ui.guidance import GuidancePicker
from ui.intake import IntakePage

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot, as_clerk):
    widget = IntakePage(as_clerk)
    qtbot.addWidget(widget)
    widget.resize(1300, 760)
    with qtbot.waitSignal(widget.loaded, timeout=5000):
        widget.show()
        qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: widget.procedure_edit.hasFocus())
    return widget


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    focused = QApplication.focusWidget()
    assert focused is not None, "nothing has the keyboard focus"
    qtbot.keyClick(focused, key, modifier)


def qr_codes(pdf: bytes) -> list[str]:
    image = pdfium.PdfDocument(pdf)[0].render(scale=200 / 72, grayscale=True).to_pil()
    return [b.text for b in zxingcpp.read_barcodes(image)]


def fill_birth(qtbot, page, name: str) -> None:
    type_text(QApplication.focusWidget(), "dang ky khai sinh")
    press(qtbot, Qt.Key.Key_Return)
    assert page.procedure is not None and page.procedure.code == "1.001193"
    type_text(QApplication.focusWidget(), name)
    press(qtbot, Qt.Key.Key_Return)
    type_text(QApplication.focusWidget(), "001190012345")
    press(qtbot, Qt.Key.Key_Return)
    assert page.applicant.phone_field.edit.hasFocus()  # Enter steps past the document type
    type_text(QApplication.focusWidget(), "0912345678")


def untick(qtbot, page, code: str) -> None:
    while QApplication.focusWidget() is not page.documents_view:
        press(qtbot, Qt.Key.Key_Tab)
    row = [d.code for d in page.procedure.documents].index(code)
    page.documents_view.setCurrentIndex(page.documents.index(row, 0))
    press(qtbot, Qt.Key.Key_Space)


def test_incomplete_then_received_from_the_guidance(qtbot, page, ctx, printer):
    fill_birth(qtbot, page, "Hoàng Thị Mai")
    untick(qtbot, page, "GCS")  # the birth certificate is required and was not brought
    assert page.guidance.label.isVisible() and "Giấy chứng sinh" in page.guidance.label.text()
    assert "Mẫu 02" in page.save_button.text()

    with (
        qtbot.waitSignal(page.guidance.guided, timeout=10_000) as guided,
        qtbot.waitSignal(page.guidance.form_printed, timeout=20_000) as printed,
        qtbot.assertNotEmitted(page.saved),
    ):
        press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    g = guided.args[0]
    assert [d.code for d in g.missing] == ["GCS"]
    code, pdf, _destination = printed.args
    assert code == g.code and printer.jobs[-1][0] == pdf
    text = pdf_text(pdf)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text and g.code in text
    assert g.code in qr_codes(pdf)
    assert ctx.app.reports.find("Hoàng Thị Mai", 10) == []  # nothing was received
    assert g.code in page.last_label.text() and page.procedure is None

    # the citizen is back with the certificate: Ctrl+H, type the id from the paper, Enter
    with qtbot.waitSignal(page.documents.modelReset, timeout=10_000):
        press(qtbot, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
        picker = next(w for w in page.findChildren(GuidancePicker) if w.isVisible())
        qtbot.waitUntil(lambda: picker.model.rowCount() == 1)
        type_text(picker.filter, g.code[-4:])
        qtbot.keyClick(picker.filter, Qt.Key.Key_Return)
    qtbot.waitUntil(page.documents_view.hasFocus)  # back on the checklist, the window active
    assert page.applicant.name_field.text() == "Hoàng Thị Mai"
    assert page.documents.missing_required() == []
    assert g.code in page.guidance.label.text()
    with qtbot.waitSignal(page.saved, timeout=10_000) as saved:
        press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    view = saved.args[0]
    assert view.applicant_name == "Hoàng Thị Mai" and view.status is Status.RECEIVED
    assert ctx.app.guidance.get(g.code).dossier_code == view.code
    assert not page.guidance.label.isVisible()  # the form is clear for the next citizen


def test_the_document_type_is_chosen_and_an_old_card_warned(qtbot, page, ctx):
    fill_birth(qtbot, page, "Vi Văn Thắng")
    page.applicant.id_type_box.setFocus()
    page.applicant.id_type_box.setCurrentIndex(page.applicant.id_type_box.findData("cmnd"))
    assert page.applicant.id_note.isVisible() and "31/12/2024" in page.applicant.id_note.text()
    assert page.applicant.id_field.error.isVisible()  # 12 digits are not a CMND
    page.applicant.id_field.edit.setText("123456789")
    assert page.applicant.id_field.check()
    with qtbot.waitSignal(page.saved, timeout=10_000) as saved:
        press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert saved.args[0].id_type == "cmnd"


def test_back_from_a_supplement_prints_a_new_receipt(qtbot, ctx, clerk, boss, counter_app):
    dossier = receive(counter_app, clerk, applicant_name="Lù Thị Dung")
    counter_app.dossiers.set_status(boss, dossier.code, Status.PROCESSING)
    counter_app.dossiers.set_status(boss, dossier.code, Status.SUPPLEMENT_REQUESTED, "Thiếu")
    dialog = open_detail(qtbot, ctx, clerk, dossier.code)
    with qtbot.waitSignal(dialog.form_ready, timeout=10_000) as ready:
        dialog.change_status(Status.RECEIVED)
    kind, pdf = ready.args
    assert kind == "receipt"
    assert "tiếp nhận lại hồ sơ đã bổ sung" in pdf_text(pdf)
    assert counter_app.dossiers.get(dossier.code).restarted_at is not None


def test_stopping_asks_for_the_reason(qtbot, ctx, boss, counter_app, clerk):
    dossier = receive(counter_app, clerk, applicant_name="Lù Thị Dung")
    counter_app.dossiers.set_status(boss, dossier.code, Status.PROCESSING)
    dialog = open_detail(qtbot, ctx, boss, dossier.code)
    dialog.ask_move(Status.STOPPED)
    asked = next(w for w in dialog.findChildren(ActionDialog) if w.isVisible())
    assert asked.note_required
    asked._accept()  # no reason typed: the dialog stays, saying what is missing
    assert asked.isVisible()
    assert counter_app.dossiers.get(dossier.code).status is Status.PROCESSING
