"""A dossier's detail: the actions each role may take, and the refusals."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from counter.statuses import Status
from tests.ui.uikit import receive
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
