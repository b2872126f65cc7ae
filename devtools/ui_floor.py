"""The floor of the desktop's start: a bare PySide6 program that shows the same sign-in
window (the interface's font, a heading, two fields, two buttons) and nothing else, measured
as the product is (``ui.startup.UsableProbe``: painted, active, and an event posted to the
field with the focus dispatched to it). ``python -m devtools.ui_floor`` prints
``{"ready_at", "cpu_ms"}`` and quits.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from ui.startup import UsableProbe


def main() -> int:
    app = QApplication(sys.argv[:1])
    probe = UsableProbe(app)
    import fontpkg_be_vietnam_pro

    folder = Path(fontpkg_be_vietnam_pro.__file__).with_name("files")
    for face in ("Regular", "Italic", "Medium", "SemiBold", "Bold"):
        QFontDatabase.addApplicationFont(str(folder / f"BeVietnamPro-{face}.ttf"))
    app.setFont(QFont("Be Vietnam Pro", 10))

    dialog = QDialog()
    dialog.setWindowTitle("Quầy tiếp nhận một cửa – Đăng nhập")
    title = QLabel("Trung tâm Phục vụ hành chính công xã Hòa Bình")
    font = QFont(title.font())
    font.setPointSize(font.pointSize() + 3)
    font.setBold(True)
    title.setFont(font)
    layout = QVBoxLayout(dialog)
    layout.addWidget(title)
    layout.addWidget(QLabel("Ủy ban nhân dân xã Hòa Bình – quầy số 1"))
    form = QFormLayout()
    username, password = QLineEdit(), QLineEdit()
    password.setEchoMode(QLineEdit.EchoMode.Password)
    form.addRow("&Tên đăng nhập:", username)
    form.addRow("&Mật khẩu:", password)
    form.addRow(QPushButton("Đăng &nhập"))
    layout.addLayout(form)
    layout.addWidget(QPushButton("Thoát"))
    dialog.resize(440, dialog.sizeHint().height())
    username.setFocus()
    dialog.show()
    dialog.activateWindow()

    def report(at: float) -> None:
        assert probe.cpu_s is not None
        print(json.dumps({"ready_at": at, "cpu_ms": round(probe.cpu_s * 1000, 1)}), flush=True)
        QTimer.singleShot(0, app.quit)

    probe.usable.connect(report)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
