"""A dossier's detail: the actions each role may take, and the refusals."""

from __future__ import annotations

import dataclasses
import re
import sqlite3
from datetime import timedelta

import pypdfium2 as pdfium
import pytest
from PySide6.QtWidgets import QPushButton

from counter.handovers import RemoteHandover
from counter.statuses import CLERK, SUPERVISOR, Status
from counter.views import HandoverView
from tests.ui.uikit import receive
from ui import i18n
from ui.action_dialog import ActionDialog
from ui.dossier_detail import DossierDetailDialog, read_details
from ui.operations import Changes
from ui.pdf_preview import PreviewDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def dossier(counter_app, clerk):
    return receive(counter_app, clerk, applicant_name="Phạm Thị Hoa", id_number="001190012345")


def open_detail(qtbot, ctx, actor, code) -> DossierDetailDialog:
    ctx.actor = actor
    dialog = DossierDetailDialog(ctx, read_details(ctx.app, code))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def audit_count(ctx, action: str, code: str) -> int:
    with sqlite3.connect(ctx.app.db.path) as conn:
        return conn.execute(
            "SELECT count(*) FROM audit_log WHERE action = ? AND entity_key = ?", (action, code)
        ).fetchone()[0]


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, every page, with its line breaks and runs of spaces made one space."""
    doc = pdfium.PdfDocument(pdf)
    return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in doc)


def stop(app, boss, code: str, reason: str) -> None:
    """The processing department stops the dossier, for ``reason``."""
    app.dossiers.set_status(boss, code, Status.PROCESSING, "Chuyển phòng Tư pháp")
    app.dossiers.set_status(boss, code, Status.STOPPED, reason)


def button_texts(dialog: DossierDetailDialog) -> list[str]:
    """The texts of the buttons the dialog offers now (the moves, the forms, Close)."""
    layout = dialog.actions_layout
    offered = [layout.itemAt(i).widget() for i in range(layout.count())]
    buttons = [w for w in offered if isinstance(w, QPushButton)]
    buttons += [
        b for b in dialog.findChildren(QPushButton) if b.parent() is dialog and b not in buttons
    ]
    return [b.text() for b in buttons]


def test_everything_about_the_dossier_is_shown(qtbot, ctx, clerk, dossier):
    dialog = open_detail(qtbot, ctx, clerk, dossier.code)
    assert dialog.code_label.text() == dossier.code
    assert dialog.status_label.text() == Status.RECEIVED.label_vi
    texts = [dialog.info.itemAt(i).widget().text() for i in range(dialog.info.count())]
    assert "Phạm Thị Hoa" in texts and "001190012345" in texts
    assert dialog.documents.rowCount() == len(dossier.documents)
    assert dialog.timeline.count() == 1
    assert "Chờ gửi lên cổng" in dialog.sync_label.text()


def test_a_clerk_gets_the_counter_moves_only(qtbot, ctx, clerk, dossier):
    dialog = open_detail(qtbot, ctx, clerk, dossier.code)
    assert set(dialog.action_buttons) == {
        Status.SUPPLEMENT_REQUESTED,
        Status.REJECTED,
        Status.WITHDRAWN,
    }


def test_a_supervisor_may_also_move_processing(qtbot, ctx, boss, dossier):
    dialog = open_detail(qtbot, ctx, boss, dossier.code)
    assert {Status.PROCESSING, Status.DONE} <= set(dialog.action_buttons)


def test_hand_back_the_result(qtbot, ctx, clerk, boss, dossier, counter_app):
    counter_app.dossiers.set_status(boss, dossier.code, Status.PROCESSING)
    counter_app.dossiers.set_status(boss, dossier.code, Status.DONE)
    dialog = open_detail(qtbot, ctx, clerk, dossier.code)
    assert set(dialog.action_buttons) == {Status.RETURNED}
    with (
        qtbot.waitSignal(ctx.changed, timeout=5000) as announced,
        qtbot.waitSignal(dialog.changed, timeout=5000),
    ):
        dialog.change_status(Status.RETURNED, "Ông Hoa nhận thay")
    assert announced.args[0] == Changes(dossiers=frozenset({dossier.code}), outbox=True)
    assert counter_app.dossiers.get(dossier.code).status is Status.RETURNED
    assert dialog.status_label.text() == Status.RETURNED.label_vi
    assert dialog.timeline.count() == 4
    assert "Ông Hoa nhận thay" in dialog.timeline.item(0).text()
    assert not dialog.action_buttons  # nothing more to do at the counter


def test_the_button_asks_then_moves(qtbot, ctx, clerk, dossier, counter_app):
    dialog = open_detail(qtbot, ctx, clerk, dossier.code)
    dialog.action_buttons[Status.WITHDRAWN].click()
    asked = next(w for w in dialog.findChildren(ActionDialog) if w.isVisible())
    asked._accept()  # the reason is required for a withdrawal
    assert asked.error.isVisible() and asked.isVisible()
    asked.note.setPlainText("Công dân xin rút")
    with qtbot.waitSignal(dialog.changed, timeout=5000):
        asked._accept()
    assert counter_app.dossiers.get(dossier.code).status is Status.WITHDRAWN


def test_a_move_refused_by_the_state_machine_is_explained(qtbot, ctx, clerk, dossier, counter_app):
    dialog = open_detail(qtbot, ctx, clerk, dossier.code)
    assert Status.SUPPLEMENT_REQUESTED in dialog.action_buttons
    counter_app.dossiers.set_status(clerk, dossier.code, Status.WITHDRAWN, "ở cửa sổ khác")
    messages = []
    ctx.notifier.message.connect(messages.append)
    with qtbot.assertNotEmitted(ctx.changed), qtbot.waitSignal(ctx.notifier.message, timeout=5000):
        dialog.change_status(
            Status.SUPPLEMENT_REQUESTED, "thiếu giấy", missing=dossier.documents[:1]
        )
    assert dialog.message.isVisible()
    # the current status, in the clerk's words
    assert "Công dân yêu cầu rút hồ sơ" in dialog.message.text()
    # read again: someone moved it meanwhile
    qtbot.waitUntil(lambda: dialog.status_label.text() == Status.WITHDRAWN.label_vi)
    assert counter_app.dossiers.get(dossier.code).status is Status.WITHDRAWN
    assert Status.SUPPLEMENT_REQUESTED not in dialog.action_buttons
    assert messages


def test_stopping_without_a_reason_is_refused_in_place(qtbot, ctx, boss, dossier, counter_app):
    counter_app.dossiers.set_status(boss, dossier.code, Status.PROCESSING)
    dialog = open_detail(qtbot, ctx, boss, dossier.code)
    with qtbot.assertNotEmitted(ctx.changed), qtbot.waitSignal(ctx.notifier.message, timeout=5000):
        dialog.change_status(Status.STOPPED, "")
    assert dialog.message.isVisible() and "Mẫu 05" in dialog.message.text()
    assert counter_app.dossiers.get(dossier.code).status is Status.PROCESSING


def test_supplement_request_prints_form_02(qtbot, ctx, clerk, dossier, printer):
    dialog = open_detail(qtbot, ctx, clerk, dossier.code)
    with qtbot.waitSignal(dialog.form_ready, timeout=10_000) as ready:
        dialog.change_status(
            Status.SUPPLEMENT_REQUESTED, "Thiếu giấy chứng sinh", missing=dossier.documents[1:2]
        )
    kind, pdf = ready.args
    assert kind == "supplement" and pdf.startswith(b"%PDF")
    preview = next(w for w in dialog.findChildren(PreviewDialog) if w.isVisible())
    assert preview.preview.page_count() != 0  # None only where QtPdf is not installed
    with qtbot.waitSignal(preview.preview.printed, timeout=10_000):
        preview.preview.print_button.click()
    assert printer.jobs
    qtbot.waitUntil(lambda: audit_count(ctx, "dossier.print", dossier.code) == 1)


def test_refusal_prints_form_03(qtbot, ctx, clerk, dossier):
    dialog = open_detail(qtbot, ctx, clerk, dossier.code)
    with qtbot.waitSignal(dialog.form_ready, timeout=10_000) as ready:
        dialog.change_status(
            Status.REJECTED, "Không đúng thẩm quyền", reasons=["Không đúng thẩm quyền"]
        )
    assert ready.args[0] == "refusal"


def test_apology_with_a_new_date_prints_form_04(qtbot, ctx, clerk, dossier, counter_app):
    dialog = open_detail(qtbot, ctx, clerk, dossier.code)
    new_due = dossier.due_at + timedelta(days=3)
    with qtbot.waitSignal(dialog.form_ready, timeout=10_000) as ready:
        dialog.reschedule(new_due, "Chờ xác minh")
    assert ready.args[0] == "apology"
    assert counter_app.dossiers.get(dossier.code).due_at == new_due
    texts = [dialog.info.itemAt(i).widget().text() for i in range(dialog.info.count())]
    assert "Chờ xác minh" in texts  # the reason of the new appointment is shown


def test_a_new_date_before_the_old_is_refused(qtbot, ctx, clerk, dossier, counter_app):
    dialog = open_detail(qtbot, ctx, clerk, dossier.code)
    with qtbot.waitSignal(ctx.notifier.message, timeout=5000):
        dialog.reschedule(dossier.due_at - timedelta(hours=1), "Chờ xác minh")
    assert "phải sau" in dialog.message.text()
    assert counter_app.dossiers.get(dossier.code).due_at == dossier.due_at


def test_reprint_of_the_receipt_is_recorded(qtbot, ctx, clerk, dossier, printer):
    dialog = open_detail(qtbot, ctx, clerk, dossier.code)
    with qtbot.waitSignal(dialog.form_ready, timeout=10_000) as ready:
        dialog.reprint_button.click()
    assert ready.args[0] == "receipt"
    preview = next(w for w in dialog.findChildren(PreviewDialog) if w.isVisible())
    with qtbot.waitSignal(preview.preview.printed, timeout=10_000):
        preview.preview.print_to(None)
    qtbot.waitUntil(lambda: audit_count(ctx, "dossier.print", dossier.code) == 1)


STOP_REASON = "Hồ sơ giả mạo giấy tờ, đã chuyển cơ quan công an xác minh"


def test_only_a_stopped_dossier_offers_the_stop_notice(qtbot, ctx, clerk, boss, dossier):
    dialog = open_detail(qtbot, ctx, clerk, dossier.code)
    assert dialog.stop_notice_button is None
    assert not any("Mẫu 05" in t for t in button_texts(dialog))

    stop(ctx.app, boss, dossier.code, STOP_REASON)
    stopped = open_detail(qtbot, ctx, clerk, dossier.code)
    assert stopped.stop_notice_button is not None
    assert stopped.stop_notice_button.text() == "&In thông báo dừng giải quyết (Mẫu 05)"
    assert "&In thông báo dừng giải quyết (Mẫu 05)" in button_texts(stopped)


def test_the_stop_notice_prints_the_reason_of_the_stop(qtbot, ctx, clerk, boss, dossier, printer):
    stop(ctx.app, boss, dossier.code, STOP_REASON)
    dialog = open_detail(qtbot, ctx, clerk, dossier.code)
    with qtbot.waitSignal(dialog.form_ready, timeout=10_000) as ready:
        dialog.stop_notice_button.click()
    kind, pdf = ready.args
    assert kind == "stop-notice"
    text = pdf_text(pdf)
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text
    assert STOP_REASON in text
    assert "Chuyển phòng Tư pháp" not in text  # the note of another move
    assert dossier.code in text

    preview = next(w for w in dialog.findChildren(PreviewDialog) if w.isVisible())
    assert "Thông báo dừng giải quyết hồ sơ" in preview.windowTitle()
    with qtbot.waitSignal(preview.preview.printed, timeout=10_000):
        preview.preview.print_to(None)
    assert printer.jobs and printer.jobs[-1][0] == pdf
    qtbot.waitUntil(lambda: audit_count(ctx, "dossier.print", dossier.code) == 1)


def test_the_control_sheet_is_form_06_with_the_hand_overs(qtbot, ctx, clerk, dossier):
    # the portal reported the dossier handed over to the justice office (the sync's store)
    step = RemoteHandover(
        dossier.code,
        7,
        HandoverView(
            dossier.received_at + timedelta(minutes=20),
            dossier.agency_code,
            "UBND xã Hòa Bình",
            "000.20.36.H62",
            "Phòng Tư pháp",
            "Trần Thị Tiếp",
        ),
    )
    ctx.app.sync_store.apply_remote_statuses([], "7", [step])
    dialog = open_detail(qtbot, ctx, clerk, dossier.code)
    assert dialog.handovers.isVisible()
    line = dialog.handovers.list.item(0).text()
    assert "UBND xã Hòa Bình → Phòng Tư pháp" in line and "người giao: Trần Thị Tiếp" in line
    assert dialog.control_button.text() == "In &phiếu kiểm soát (Mẫu 06)"
    with qtbot.waitSignal(dialog.form_ready, timeout=10_000) as ready:
        dialog.control_button.click()
    kind, pdf = ready.args
    assert kind == "control-sheet"
    text = pdf_text(pdf)
    assert "Mẫu số 06" in text
    assert "1. Giao: UBND xã Hòa Bình 2. Nhận: Phòng Tư pháp" in text


def test_the_apology_takes_the_reason_and_dates_from_the_history(qtbot, ctx, clerk, dossier):
    dialog = open_detail(qtbot, ctx, clerk, dossier.code)
    with qtbot.waitSignal(dialog.form_ready, timeout=10_000) as ready:
        dialog.reschedule(dossier.due_at + timedelta(days=3), "Chờ xác minh nơi cư trú")
    text = pdf_text(ready.args[1])
    assert "Mẫu số 04" in text
    assert "Chờ xác minh nơi cư trú" in text
    preview = next(w for w in dialog.findChildren(PreviewDialog) if w.isVisible())
    assert preview.windowTitle().startswith(
        "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
    )


def test_the_refusal_numbers_each_reason_given(qtbot, ctx, clerk, dossier):
    dialog = open_detail(qtbot, ctx, clerk, dossier.code)
    reasons = ["Không đúng thẩm quyền", "Thiếu chữ ký của người yêu cầu"]
    with qtbot.waitSignal(dialog.form_ready, timeout=10_000) as ready:
        dialog.change_status(Status.REJECTED, "; ".join(reasons), reasons=reasons)
    text = pdf_text(ready.args[1])
    assert "1. Không đúng thẩm quyền" in text and "2. Thiếu chữ ký" in text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_mnemonics_are_unique_in_every_state(qtbot, ctx, clerk, boss, dossier, lang):
    i18n.install(lang)
    dialog = open_detail(qtbot, ctx, clerk, dossier.code)
    clashes = []
    for role, actor in ((CLERK, clerk), (SUPERVISOR, boss)):
        ctx.actor = actor
        assert ctx.signed_in.role == role
        for status in Status:
            dialog.show_view(dataclasses.replace(dialog.view, status=status))
            keys = [
                m.group(1).lower() for t in button_texts(dialog) if (m := re.search(r"&(\w)", t))
            ]
            twice = sorted({k for k in keys if keys.count(k) > 1})
            if twice:
                clashes.append(f"{lang} {role} {status.value}: {twice}")
    assert not clashes, "\n".join(clashes)
