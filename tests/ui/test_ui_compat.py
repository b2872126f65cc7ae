"""The work-around for PySide6 6.12.0 wearing out ``None``, ``True`` and ``False`` on Python
3.11 (ui/compat.py)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

SCRIPT = """
import ui  # applies the work-around before any Qt call
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel
class Sender(QObject):
    said = Signal(int)
app = QApplication([])
label = QLabel()
sender = Sender()
for i in range(200_000):  # far more calls than references None, True, False have without it
    label.setText("x")  # returns nothing: drops a None
    sender.said.emit(i)  # returns a bool: drops a True or a False
print("ok")
"""


def test_many_void_qt_calls_do_not_abort_the_interpreter():
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "ok"
