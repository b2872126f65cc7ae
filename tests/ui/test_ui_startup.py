"""The start: the sign-in window from the card the last start left, taking the clerk's keys
before the data folder is open; the folder's refusals still come before anyone signs in."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter.errors import StorageError
from devtools.keyboard_drive import Keyboard
from devtools.ui_bench import startup_sample
from tests.conftest import PASSWORD
from tests.ui.uikit import FakePrinter, make_context
from ui.app import Shell, sign_in_window
from ui.startup import CARD_NAME, Opening, SignInCard, read_card, write_card

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]


def test_the_sign_in_shows_before_the_folder_opens_and_waits_for_it(qtbot, cli, bugs):
    data = cli.data_dir
    assert read_card(data) is None  # never started: the folder is opened before any window
    first = Opening(data)
    first.start()
    opened = first.wait()
    assert not opened.first_run and opened.card is not None
    assert read_card(data) == opened.card  # left for the next start, owner-only
    assert (data / CARD_NAME).stat().st_mode & 0o077 == 0
    opened.app.close()

    # the next start: the window from the card, and the clerk types at once
    early = sign_in_window(None, None, read_card(data))
    qtbot.addWidget(early)
    early.show()
    early.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is early, timeout=5000)
    assert early.title.text() == opened.card.unit_name
    kb = Keyboard()
    kb.type("clerk")
    kb.press(Qt.Key.Key_Return)  # to the password
    assert QApplication.focusWidget() is early.form.password
    kb.type(PASSWORD)
    kb.press(Qt.Key.Key_Return)
    assert early.form.message.text() == "Đang kiểm tra…"  # kept until the folder is open
    assert not early.form.button.isEnabled()

    second = Opening(data)
    second.start()
    opened = second.wait()
    ctx = make_context(opened.app, FakePrinter(), bugs)
    try:
        shell = Shell(ctx, idle_ms=0)
        with qtbot.waitSignal(shell.main_shown, timeout=10_000) as shown:
            shell.adopt_sign_in(early, opened.card)
        window = shown.args[0]
        qtbot.addWidget(window)
        assert ctx.actor.username == "clerk"
        window.dispose()
    finally:
        ctx.close()
        opened.app.close()

    # a database of a newer program is refused as ever, from the thread that opens it
    db = sqlite3.connect(data / "counter.db")
    with db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")
    db.close()
    refused = Opening(data)
    refused.start()
    with pytest.raises(StorageError, match="phiên bản mới hơn"):
        refused.wait()
    assert not bugs


def test_counter_starts_from_the_card_and_puts_it_right(cli):
    """The program itself: a card that no longer says what the folder holds (the office was
    renamed since) still gives the first window at once; the opened folder corrects it."""
    stale = SignInCard("Trung tâm cũ", "Ủy ban nhân dân xã Cũ", 9, "vi")
    write_card(cli.data_dir, stale)
    sample = startup_sample(cli.data_dir)
    assert 0 < sample["wall_ms"] < 60_000 and sample["opened_ms"] > 0
    card = read_card(cli.data_dir)
    assert card is not None and card != stale and card.counter_no == 1


def test_the_sign_in_window_shows_without_pysides_qt_namespace(cli):
    """Its first use costs more than the whole window: nothing before the window needs it."""
    write_card(cli.data_dir, SignInCard("Trung tâm", "Ủy ban nhân dân xã Hòa Bình", 1, "vi"))
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from PySide6 import QtCore\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from ui import app, fonts, i18n\n"
        "qt = QApplication([])\n"
        "fonts.load(qt)\n"
        "card = app.read_card(Path(sys.argv[1]))\n"
        "i18n.install(card.language)\n"
        "window = app.sign_in_window(None, None, card)\n"
        "window.show()\n"
        "app.Opening(Path(sys.argv[1])).start_when_painted(window)\n"
        "qt.processEvents()\n"
        "print('Qt' in vars(QtCore))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(cli.data_dir)],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    assert proc.stdout.split() == ["False"]
