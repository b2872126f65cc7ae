"""Digitising a dossier's papers from its detail: scanning with SANE's real ``test`` device
from the keyboard, the dialog usable while the scanner runs, files picked in the dialog or
dropped on a paper's line, bad files refused with nothing stored, the checklist's counts,
the pages on screen, the scan folder, and the list's "not digitised" filter."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

from counter.scanfolder import DONE
from counter.statuses import Status
from tests.ui.uikit import receive
from ui.dossier_detail import DossierDetailDialog, read_details

pytestmark = pytest.mark.gui

needs_sane = pytest.mark.skipif(
    shutil.which("scanimage") is None,
    reason="SANE is not installed (no scanimage): apt-get install sane-utils, as .ci/run does",
)
FEEDER = "Automatic Document Feeder"


def page(path: Path, fmt: str = "JPEG") -> Path:
    """A greyscale page with lines on it, at 200 dpi."""
    image = Image.new("L", (300, 400), 255)
    for y in range(20, 380, 30):
        image.paste(0, (20, y, 280, y + 4))
    image.save(path, fmt, dpi=(200, 200))
    return path


def pdf(path: Path, pages: int) -> Path:
    with pikepdf.new() as doc:
        for _ in range(pages):
            doc.add_blank_page(page_size=(595, 842))
        doc.save(path)
    return path


@pytest.fixture
def code(counter_app, clerk) -> str:
    return receive(counter_app, clerk, applicant_name="Phạm Thị Hoa").code


def open_detail(qtbot, ctx, actor, code) -> DossierDetailDialog:
    ctx.actor = actor
    dialog = DossierDetailDialog(ctx, read_details(ctx.app, code))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    return dialog


def setting(ctx, admin, key: str, value: str) -> None:
    ctx.app.settings.set(admin, key, value)


def files(ctx, code: str) -> list:
    return list(ctx.app.scans.files(code))


def audit_lines(ctx, code: str) -> int:
    with sqlite3.connect(ctx.app.db.path) as conn:
        return conn.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'dossier.attach' AND entity_key = ?",
            (code,),
        ).fetchone()[0]


def stored_files(ctx) -> list[Path]:
    return [p for p in (ctx.app.data_dir / "files").rglob("*") if p.is_file()]


def alt(key: Qt.Key) -> None:
    """Alt+letter, pressed where the keyboard is."""
    QTest.keyClick(QApplication.focusWidget(), key, Qt.KeyboardModifier.AltModifier)


def pages_cell(dialog: DossierDetailDialog, row: int) -> str:
    return dialog.documents.item(row, 3).text()


def drop(qtbot, dialog: DossierDetailDialog, row: int, paths: list[Path]) -> None:
    """Drag files from a file manager and let go over a line of the checklist."""
    view = dialog.documents
    view.scrollTo(view.model().index(row, 0))
    at = view.visualRect(view.model().index(row, 0)).center()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    actions = Qt.DropAction.CopyAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPointF(at), actions, mime, buttons, mods)
    QApplication.sendEvent(view.viewport(), enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(at), actions, mime, buttons, mods)
    QApplication.sendEvent(view.viewport(), event)
    assert event.isAccepted()


# -- scanning ---------------------------------------------------------------------------------


@needs_sane
def test_scanning_into_the_chosen_paper_from_the_keyboard(qtbot, ctx, clerk, admin, code):
    setting(ctx, admin, "scan.device", "test")
    setting(ctx, admin, "scan.source", FEEDER)
    dialog = open_detail(qtbot, ctx, clerk, code)
    dialog.documents.setFocus()
    QTest.keyClick(dialog.documents, Qt.Key.Key_Down)  # the second paper
    second = dialog.line_codes[1]
    assert dialog.pages.doc == second
    assert pages_cell(dialog, 1) == "chưa số hóa"
    QTest.keyClick(
        dialog.documents,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: pages_cell(dialog, 1) == "10 trang", timeout=60_000)
    stored = files(ctx, code)
    assert [(f.doc, f.version, f.pages, f.source) for f in stored] == [(second, 1, 10, "scan")]
    # the pages on screen: ten thumbnails, the viewer on page 1, PageDown turns a page
    qtbot.waitUntil(lambda: dialog.pages.page_count() == 10, timeout=10_000)
    assert dialog.pages.thumbs.count() == 10
    assert dialog.pages.current_page() == 0
    dialog.pages.viewer.setFocus()
    QTest.keyClick(dialog.pages.viewer, Qt.Key.Key_PageDown)
    QTest.keyClick(dialog.pages.viewer, Qt.Key.Key_PageDown)
    assert dialog.pages.current_page() == 2
    assert dialog.pages.thumbs.currentRow() == 2
    QTest.keyClick(dialog.pages.viewer, Qt.Key.Key_End)
    assert dialog.pages.current_page() == 9
    QTest.keyClick(dialog.pages.viewer, Qt.Key.Key_Plus)
    assert dialog.pages.viewer.zoomMode().name == "Custom"
    QTest.keyClick(dialog.pages.viewer, Qt.Key.Key_0)
    assert dialog.pages.viewer.zoomMode().name == "FitToWidth"
    # a re-scan adds a version
    dialog.documents.setFocus()
    QTest.keyClick(
        dialog.documents,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: pages_cell(dialog, 1) == "10 trang (bản 2)", timeout=60_000)
    assert [f.version for f in files(ctx, code)] == [1, 2]
    assert dialog.pages.versions.count() == 2


@needs_sane
def test_the_dialog_stays_usable_while_the_scanner_runs(
    qtbot, ctx, clerk, admin, code, tmp_path, monkeypatch
):
    # SANE's test device, made as slow as a real scanner with its own settings
    config = tmp_path / "sane"
    config.mkdir()
    (config / "dll.conf").write_text("test\n")
    (config / "test.conf").write_text(
        "read-delay true\nread-delay-duration 100000\nread-limit true\nread-limit-size 4096\n"
        "br_x 200.0\nbr_y 200.0\n"
    )
    monkeypatch.setenv("SANE_CONFIG_DIR", str(config))
    setting(ctx, admin, "scan.device", "test")
    dialog = open_detail(qtbot, ctx, clerk, code)
    dialog.documents.setFocus()
    QTest.keyClick(
        dialog.documents,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    panel = dialog.pages
    qtbot.waitUntil(lambda: panel.progress.text() == "Đang quét trang 1…", timeout=30_000)
    assert panel.scanning and panel.cancel_button.isVisible()
    # the keyboard still works: the next paper is chosen and shown while the scanner runs
    QTest.keyClick(dialog.documents, Qt.Key.Key_Down)
    assert dialog.documents.currentRow() == 1 and panel.doc == dialog.line_codes[1]
    assert panel.scanning
    alt(Qt.Key.Key_Y)  # Hủ&y quét
    qtbot.waitUntil(lambda: not panel.scanning, timeout=30_000)
    assert files(ctx, code) == [] and stored_files(ctx) == []
    assert panel.scan_button.isEnabled()


@needs_sane
def test_a_feeder_that_runs_out_early_asks_to_keep_or_drop(qtbot, ctx, clerk, admin, code):
    setting(ctx, admin, "scan.device", "test")
    setting(ctx, admin, "scan.source", FEEDER)  # SANE's test feeder holds 10 sheets
    dialog = open_detail(qtbot, ctx, clerk, code)
    panel = dialog.pages
    for keep in (False, True):
        panel.sheets.setValue(12)
        panel.scan()
        qtbot.waitUntil(lambda: panel.partial_box is not None, timeout=60_000)
        box = panel.partial_box
        assert "10/12" in box.text()
        label = "&Giữ 10 trang" if keep else "&Bỏ, không lưu"
        next(b for b in box.buttons() if b.text() == label).click()
        if not keep:
            assert panel.partial_box is None
            assert files(ctx, code) == [] and audit_lines(ctx, code) == 0
    qtbot.waitUntil(lambda: pages_cell(dialog, 0) == "10 trang", timeout=30_000)
    assert [f.pages for f in files(ctx, code)] == [10]


@needs_sane
def test_a_scanner_that_is_not_there_is_explained(qtbot, ctx, clerk, admin, code):
    setting(ctx, admin, "scan.device", "test:9")
    dialog = open_detail(qtbot, ctx, clerk, code)
    dialog.pages.scan()
    qtbot.waitUntil(lambda: dialog.pages.error.isVisible(), timeout=30_000)
    assert "Kiểm tra máy quét đã cắm và bật" in dialog.pages.error.text()
    assert files(ctx, code) == [] and not dialog.pages.scanning


# -- files ------------------------------------------------------------------------------------


def test_files_picked_in_the_dialog_make_one_version(qtbot, ctx, clerk, code, tmp_path):
    jpeg = page(tmp_path / "to-khai.jpg")
    three = pdf(tmp_path / "giay-to.pdf", 3)
    dialog = open_detail(qtbot, ctx, clerk, code)
    first = dialog.line_codes[0]
    dialog.documents.setFocus()
    alt(Qt.Key.Key_M)  # Thê&m tệp…
    qtbot.waitUntil(lambda: dialog.pages.file_dialog is not None, timeout=5000)
    chooser = dialog.pages.file_dialog
    assert chooser.isVisible()
    chooser.setDirectory(str(tmp_path))
    name = chooser.findChild(QLineEdit, "fileNameEdit")  # where a clerk types names
    name.setText(f'"{jpeg.name}" "{three.name}"')
    qtbot.waitUntil(lambda: chooser.selectedFiles() == [str(jpeg), str(three)], timeout=10_000)
    chooser.accept()
    assert not chooser.isVisible()
    qtbot.waitUntil(lambda: pages_cell(dialog, 0) == "4 trang", timeout=10_000)
    (f,) = files(ctx, code)
    assert (f.doc, f.pages, f.source) == (first, 4, "file")
    assert f.original_name == "to-khai.jpg, giay-to.pdf"
    qtbot.waitUntil(lambda: dialog.pages.page_count() == 4, timeout=10_000)
    assert dialog.pages.thumbs.count() == 4


def test_files_dropped_on_a_paper_are_attached_to_it(qtbot, ctx, clerk, code, tmp_path):
    dialog = open_detail(qtbot, ctx, clerk, code)
    drop(qtbot, dialog, 1, [pdf(tmp_path / "a.pdf", 2)])
    qtbot.waitUntil(lambda: pages_cell(dialog, 1) == "2 trang", timeout=10_000)
    assert pages_cell(dialog, 0) == "chưa số hóa"
    assert [(f.doc, f.pages) for f in files(ctx, code)] == [(dialog.line_codes[1], 2)]
    assert dialog.documents.currentRow() == 1


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("rong.pdf", b"", "rỗng"),
        ("ghi-chu.pdf", b"not a pdf, just text\n", "không phải"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_stored(
    qtbot, ctx, clerk, code, tmp_path, name, content, says
):
    bad = tmp_path / name
    bad.write_bytes(content)
    dialog = open_detail(qtbot, ctx, clerk, code)
    drop(qtbot, dialog, 0, [bad])
    qtbot.waitUntil(lambda: dialog.pages.error.isVisible(), timeout=10_000)
    assert says in dialog.pages.error.text().lower()
    assert files(ctx, code) == [] and stored_files(ctx) == [] and audit_lines(ctx, code) == 0
    assert pages_cell(dialog, 0) == "chưa số hóa"


def test_the_result_line_once_the_dossier_is_done(qtbot, ctx, clerk, boss, code, tmp_path):
    dialog = open_detail(qtbot, ctx, clerk, code)
    assert "result" not in dialog.line_codes
    ctx.app.dossiers.set_status(boss, code, Status.PROCESSING)
    ctx.app.dossiers.set_status(boss, code, Status.DONE)
    dialog.show_view(ctx.app.dossiers.get(code))
    assert dialog.line_codes[-1] == "result"
    row = len(dialog.line_codes) - 1
    assert dialog.documents.item(row, 0).text() == "Kết quả giải quyết"
    drop(qtbot, dialog, row, [page(tmp_path / "ket-qua.png", "PNG")])
    qtbot.waitUntil(lambda: pages_cell(dialog, row) == "1 trang", timeout=10_000)
    assert [(f.doc, f.pages) for f in files(ctx, code)] == [("result", 1)]


# -- the scan folder --------------------------------------------------------------------------


def test_the_scan_folder_offers_complete_files_and_keeps_them(
    qtbot, ctx, clerk, admin, code, tmp_path
):
    folder = tmp_path / "scans"
    folder.mkdir()
    setting(ctx, admin, "scan.folder", str(folder))
    dialog = open_detail(qtbot, ctx, clerk, code)
    panel = dialog.pages
    assert panel.tray_box.isVisible()
    good = page(folder / "may-photo-001.jpg")
    bad = folder / "may-photo-002.pdf"
    bad.write_bytes(b"%PDF-1.7 cut short")
    qtbot.waitUntil(lambda: panel.tray.count() == 2, timeout=30_000)

    panel.tray.setCurrentRow(1)  # the broken one: refused, left where it is, the reason shown
    alt(Qt.Key.Key_C)
    qtbot.waitUntil(lambda: "không nhận" in panel.tray.item(1).text(), timeout=30_000)
    assert bad.exists() and files(ctx, code) == []

    panel.tray.setCurrentRow(0)
    alt(Qt.Key.Key_C)
    qtbot.waitUntil(lambda: pages_cell(dialog, 0) == "1 trang", timeout=30_000)
    assert [(f.doc, f.source, f.original_name) for f in files(ctx, code)] == [
        (dialog.line_codes[0], "folder", "may-photo-001.jpg")
    ]
    assert not good.exists() and (folder / DONE / "may-photo-001.jpg").exists()
    qtbot.waitUntil(lambda: panel.tray.count() == 1, timeout=30_000)
    assert "may-photo-002.pdf" in panel.tray.item(0).text()


# -- the list and intake ----------------------------------------------------------------------


def test_the_list_filters_the_dossiers_not_digitised(qtbot, ctx, clerk, code, tmp_path):
    from ui.dossier_list import DossierListPage

    other = receive(ctx.app, clerk, applicant_name="Lê Văn Bình").code
    view = ctx.app.dossiers.get(other)
    for line in view.documents:
        ctx.app.scans.attach_paths(clerk, other, line.code, [page(tmp_path / "p.jpg")])
    ctx.actor = clerk
    page_ = DossierListPage(ctx)
    qtbot.addWidget(page_)
    page_.start()
    qtbot.waitUntil(lambda: page_.model.total == 2, timeout=10_000)
    page_.not_digitised.setChecked(True)
    model = page_.model
    qtbot.waitUntil(lambda: model.total == 1 and model.rowCount() == 1, timeout=10_000)
    assert code in [model.data(model.index(0, c)) for c in range(model.columnCount())]


def test_after_a_save_ctrl_shift_s_opens_the_dossier_at_its_first_bare_paper(
    qtbot, ctx, clerk, tmp_path
):
    from ui.main_window import MainWindow

    ctx.actor = clerk
    window = MainWindow(ctx, idle_ms=0)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    code = receive(ctx.app, clerk, applicant_name="Đỗ Thị Mai").code
    first = ctx.app.dossiers.get(code).documents[0].code
    ctx.app.scans.attach_paths(clerk, code, first, [page(tmp_path / "p.jpg")])
    intake = window.intake
    assert not intake.digitise_button.isVisible()
    intake._saved(ctx.app.dossiers.get(code))  # as a save with Ctrl+Enter ends
    assert intake.digitise_button.isVisible()
    intake.procedure_edit.setFocus()
    with qtbot.waitSignal(window.dossier_opened, timeout=10_000) as opened:
        QTest.keyClick(
            intake.procedure_edit,
            Qt.Key.Key_S,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    dialog = opened.args[0]
    assert dialog.view.code == code
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.documents, timeout=5000)
    assert dialog.documents.currentRow() == 1  # the first paper has its pages already
    assert dialog.pages.doc == dialog.line_codes[1]
    dialog.close()
    window.dispose()


def test_the_scan_folder_is_a_setting_with_a_folder_picker(qtbot, ctx, admin, tmp_path):
    from ui.settings_page import SettingsPage

    ctx.actor = admin
    settings = SettingsPage(ctx)
    qtbot.addWidget(settings)
    with qtbot.waitSignal(settings.loaded, timeout=10_000):
        settings.reload()
    row = settings.rows["scan.folder"]
    assert row.folder_button is not None
    row.folder_button.click()
    chooser = row.findChild(QFileDialog)
    assert chooser is not None and chooser.isVisible()
    chooser.reject()
    row.editor.setText(str(tmp_path))
    with qtbot.waitSignal(settings.saved, timeout=10_000):
        settings.save()
    assert ctx.app.settings.get("scan.folder") == str(tmp_path)


def test_the_daily_summary_shows_the_digitisation_rate(qtbot, ctx, clerk, boss, code, tmp_path):
    from ui.reports_pages import DailySummaryPage

    other = receive(ctx.app, clerk, applicant_name="Lê Văn Bình").code
    for line in ctx.app.dossiers.get(other).documents:
        ctx.app.scans.attach_paths(clerk, other, line.code, [page(tmp_path / "p.jpg")])
    ctx.actor = boss
    daily = DailySummaryPage(ctx)
    qtbot.addWidget(daily)
    with qtbot.waitSignal(daily.loaded, timeout=20_000):
        daily.load()
    assert daily.figures["digitised"].text() == "50%"
    assert "1/2" in daily.figures["digitised"].toolTip()
