"""Every window and dialog, as a clerk who never touches the mouse meets it: no two visible
controls share a mnemonic (menu bar included), no mnemonic sits on a letter without a key,
no key sequence does two things, and every control is reached by Tab or by its own key."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtWidgets import QApplication

from counter.statuses import Status
from tests.ui.keyboard import audit, mnemonic
from tests.ui.uikit import receive
from ui import i18n
from ui.action_dialog import ActionDialog, action_label
from ui.dossier_detail import DossierDetailDialog, read_details
from ui.guidance import GuidancePicker
from ui.lookup import LookupWindow
from ui.main_window import MainWindow
from ui.pdf_preview import PreviewDialog
from ui.signin import FirstRunDialog, SignInDialog

pytestmark = pytest.mark.gui

LANGS = ["vi", "en"]


def shown(qtbot, widget):
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget, timeout=5000)
    return widget


def test_the_mnemonic_reader():
    assert mnemonic("Lưu &và in") == "v"
    assert mnemonic("Tom && Jerry") is None
    assert mnemonic("&Đồng bộ") == "đ"
    assert mnemonic("a && &b") == "b"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("role", ["clerk", "boss", "admin"])
def test_every_page_of_the_main_window(qtbot, ctx, request, role, lang):
    i18n.install(lang)
    ctx.actor = request.getfixturevalue(role)
    window = shown(qtbot, MainWindow(ctx, idle_ms=0))
    problems = []
    for key in window.page_keys:
        window.show_page(key)
        QApplication.processEvents()
        focused = QApplication.focusWidget()
        page = window.pages.currentWidget()
        assert focused is not None and focused is not page and page.isAncestorOf(focused), (
            f"{key}: the page's keys go to {focused!r}, not into the page"
        )
        problems += [f"{role}/{key}: {p}" for p in audit(window)]
    window.lock()
    problems += [f"{role}/lock: {p}" for p in audit(window, window.lock_page.form.password)]
    window.dispose()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_sign_in_and_first_run(qtbot, ctx, lang):
    i18n.install(lang)
    sign_in = shown(qtbot, SignInDialog(ctx.app, ctx.tasks))
    problems = [f"sign-in: {p}" for p in audit(sign_in, sign_in.form.username)]
    sign_in.hide()
    first_run = shown(qtbot, FirstRunDialog(ctx.app, ctx.tasks))
    problems += [f"first run: {p}" for p in audit(first_run)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_the_dossier_and_its_dialogs(qtbot, ctx, clerk, boss, lang):
    i18n.install(lang)
    code = receive(ctx.app, clerk, applicant_name="Phạm Thị Hoa", id_number="001190012345").code
    ctx.actor = boss
    detail = shown(qtbot, DossierDetailDialog(ctx, read_details(ctx.app, code)))
    problems = []
    for status in Status:
        detail.show_view(dataclasses.replace(detail.view, status=status))
        problems += [f"detail {status.value}: {p}" for p in audit(detail)]
    detail.show_view(dataclasses.replace(detail.view, status=Status.RECEIVED))
    documents = detail.view.documents
    detail.hide()
    for target, kwargs in (
        (Status.SUPPLEMENT_REQUESTED, {"documents": documents, "note_required": True}),
        (Status.REJECTED, {"note_required": True}),
        (Status.RETURNED, {}),
        (None, {"new_due_after": detail.view.due_at, "note_required": True}),
    ):
        title = action_label(target).replace("&", "") if target else "reschedule"
        dialog = shown(qtbot, ActionDialog(title, "…", None, note_label="&Lý do:", **kwargs))
        problems += [f"note dialog {title}: {p}" for p in audit(dialog)]
        dialog.hide()
    detail.hide()
    preview = shown(qtbot, PreviewDialog(ctx, b"", "Mẫu 01"))
    problems += [f"preview: {p}" for p in audit(preview)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_guidance_picker_and_lookup_window(qtbot, ctx, clerk, lang):
    i18n.install(lang)
    ctx.actor = clerk
    picker = shown(qtbot, GuidancePicker(ctx))
    problems = [f"guidance: {p}" for p in audit(picker)]
    picker.hide()
    lookup = shown(qtbot, LookupWindow(ctx))
    problems += [f"lookup window: {p}" for p in audit(lookup)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_the_pages_of_a_dossier(qtbot, ctx, clerk, admin, lang, tmp_path):
    """The detail with everything its pages panel may show: versions, the scan folder's
    waiting files, a scan under way (its cancel button)."""
    from PIL import Image

    i18n.install(lang)
    folder = tmp_path / "scans"
    folder.mkdir()
    Image.new("L", (60, 80), 255).save(folder / "waiting.png")
    ctx.app.settings.set(admin, "scan.folder", str(folder))
    code = receive(ctx.app, clerk, applicant_name="Phạm Thị Hoa").code
    doc = ctx.app.dossiers.get(code).documents[0].code
    for _ in range(2):
        ctx.app.scans.attach_paths(clerk, code, doc, [folder / "waiting.png"])
    ctx.actor = clerk
    detail = shown(qtbot, DossierDetailDialog(ctx, read_details(ctx.app, code)))
    panel = detail.pages
    qtbot.waitUntil(lambda: panel.tray.count() == 1 and panel.versions.count() == 2, timeout=30_000)
    panel.cancel_button.setVisible(True)  # as while a scan runs
    problems = [f"pages: {p}" for p in audit(detail)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_intake_after_a_save(qtbot, ctx, clerk, lang):
    """The buttons for the dossier just received, its scan among them."""
    i18n.install(lang)
    ctx.actor = clerk
    window = shown(qtbot, MainWindow(ctx, idle_ms=0))
    intake = window.intake
    intake._saved(ctx.app.dossiers.get(receive(ctx.app, clerk).code))
    assert intake.digitise_button.isVisible()
    problems = [f"intake after a save: {p}" for p in audit(window)]
    window.dispose()
    assert not problems, "\n".join(problems)
