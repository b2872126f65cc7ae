"""Every visible string is translatable, and the English translation is complete and current."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from devtools.i18n_tools import messages, release, update
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
