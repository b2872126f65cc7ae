"""Every visible string is translatable, and the English translation is complete and current."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from devtools.i18n_tools import messages, release, release_qt, update
from ui import i18n

pytestmark = pytest.mark.gui


def test_every_source_string_has_its_english():
    untranslated = [
        f"{context}: {source!r}"
        for (context, source), (text, kind) in messages(i18n.ts_path("en")).items()
        if not text.strip() or kind in ("unfinished", "vanished", "obsolete")
    ]
    assert untranslated == []


def test_the_ts_file_holds_exactly_the_strings_of_the_code(tmp_path: Path):
    shipped = i18n.ts_path("en")
    fresh = tmp_path / "counter_en.ts"
    shutil.copy(shipped, fresh)
    update(fresh)
    assert set(messages(fresh)) == set(messages(shipped)), (
        "run `python -m devtools.i18n_tools` and translate the new strings"
    )


def test_the_qm_file_is_compiled_from_the_current_ts(tmp_path: Path):
    compiled = release(qm=tmp_path / "counter_en.qm")
    assert compiled.read_bytes() == i18n.qm_path("en").read_bytes(), (
        "run `python -m devtools.i18n_tools` to compile the translation"
    )


def test_the_interface_speaks_english_when_asked(qtbot, as_admin):
    from ui.main_window import MainWindow

    i18n.install("en")
    window = MainWindow(as_admin, idle_ms=0)
    qtbot.addWidget(window)
    try:
        assert window.nav.item(0).text().endswith("Receive a dossier")
        assert window.intake.save_button.text() == "&Save and print the receipt (Ctrl+Enter)"
        assert window.menuBar().actions()[0].text() == "&File"
    finally:
        window.dispose()
        i18n.install("vi")
    assert i18n.lang() == "vi"


def test_the_qt_vietnamese_qm_is_compiled_from_the_current_ts(tmp_path: Path):
    compiled = release_qt(qm=tmp_path / "qt_vi.qm")
    assert compiled.read_bytes() == i18n.QT_VI_QM.read_bytes(), (
        "run `python -m devtools.i18n_tools` to compile the translation"
    )


def test_qt_own_dialogs_speak_vietnamese(qtbot):
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QMenu

    assert i18n.lang() == "vi"
    translate = QCoreApplication.translate
    assert translate("QPlatformTheme", "Cancel") == "Hủy"
    assert translate("QPlatformTheme", "&Yes") == "&Có"
    assert translate("QPrintDialog", "&Print") == "&In"
    assert translate("QFileDialog", "File &name:") == "&Tên tệp:"
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok
        | QDialogButtonBox.StandardButton.Cancel
        | QDialogButtonBox.StandardButton.Save
    )
    qtbot.addWidget(box)
    texts = {button.text().replace("&", "") for button in box.buttons()}
    assert {"Hủy", "Lưu"} <= texts and "Cancel" not in texts

    edit = QLineEdit()
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    entries = [a.text().split("\t")[0] for a in menu.actions() if not a.isSeparator()]
    assert "&Sao chép" in entries and "&Dán" in entries and "Chọn tất cả" in entries
    assert isinstance(menu, QMenu)

    i18n.install("en")  # English again: Qt's own words too
    try:
        assert translate("QPlatformTheme", "Cancel") == "Cancel"
    finally:
        i18n.install("vi")


def test_the_print_dialog_speaks_vietnamese(qtbot):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    from PySide6.QtWidgets import QDialogButtonBox, QGroupBox, QLabel

    printer = QPrinter()
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    buttons = [b.text() for box in dialog.findChildren(QDialogButtonBox) for b in box.buttons()]
    assert "&In" in buttons and "Hủy" in buttons, buttons
    words = {g.title() for g in dialog.findChildren(QGroupBox)}
    words |= {label.text() for label in dialog.findChildren(QLabel)}
    assert "Máy in" in words and "&Tên:" in words, words
    assert not {"Printer", "Print", "Cancel", "&Name:"} & (words | set(buttons))
    dialog.reject()
