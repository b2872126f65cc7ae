"""Messages for the clerk: shown whole under the screen, a file's with "Mở", by keyboard too."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication

from protocol.errors import KnownError
from ui.main_window import MainWindow
from ui.notices import KEEP, NoticeArea
from ui.pdf_preview import PdfPreview

pytestmark = pytest.mark.gui

LONG = (
    "Không gửi được lệnh in tới máy in “May_in_quay_tiep_nhan_so_1” vì hệ thống in đang tạm "
    "dừng hàng đợi này; hồ sơ đã được lưu đầy đủ và bản PDF của giấy tiếp nhận đã được giữ "
    "trong thư mục dữ liệu, hãy kiểm tra máy in (giấy, mực, cáp nối) rồi bấm “In lại giấy "
    "tiếp nhận”, hoặc mở bản PDF để in từ chương trình đọc PDF của máy."
)


@pytest.fixture
def window(qtbot, as_admin):
    win = MainWindow(as_admin, idle_ms=0)
    qtbot.addWidget(win)
    win.resize(1024, 600)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    yield win
    win.dispose()


class Opened(QObject):
    """Takes the file URLs QDesktopServices is asked to open (Qt's own URL handler hook)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def opened():
    handler = Opened()
    QDesktopServices.setUrlHandler("file", handler, "open")
    yield handler
    QDesktopServices.unsetUrlHandler("file")


def test_a_long_message_is_shown_whole_at_1024_pixels(qtbot, window, as_admin):
    assert not window.notices.isVisible()
    as_admin.notifier.say(LONG)
    notice = window.notices.latest()
    assert notice is not None and notice.text == LONG
    qtbot.waitUntil(lambda: notice.label.isVisible())
    label = notice.label
    # every line of the wrapped text fits in the label, and the label in the window
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))
    assert label.heightForWidth(label.width()) > label.fontMetrics().height()  # it wraps
    right = label.mapTo(window, label.rect().topRight()).x()
    assert right < window.width()
    # and it is nowhere near the status bar, where the sync indicator is
    bottom = label.mapTo(window, label.rect().bottomLeft()).y()
    assert bottom < window.statusBar().mapTo(window, window.statusBar().rect().topLeft()).y()
    assert window.statusBar().currentMessage() == ""


def test_the_last_few_messages_stay_and_each_closes(qtbot, window, as_admin):
    for n in range(KEEP + 2):
        as_admin.notifier.say(f"Thông báo số {n}")
    assert window.notices.texts() == [f"Thông báo số {n}" for n in range(2, KEEP + 2)]
    as_admin.notifier.say(f"Thông báo số {KEEP + 1}")  # the same again: not twice
    assert len(window.notices.texts()) == KEEP
    window.notices.latest().close_button.click()
    assert window.notices.texts()[-1] == f"Thông báo số {KEEP}"


def test_f12_reaches_the_newest_message_and_esc_gives_the_keyboard_back(qtbot, window, as_admin):
    field = window.intake.procedure_edit
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    as_admin.notifier.say("Thông báo cũ")
    as_admin.notifier.say(LONG)
    assert field.hasFocus()  # a message never takes the keyboard by itself
    qtbot.keyClick(field, Qt.Key.Key_F12)
    newest = window.notices.latest()
    qtbot.waitUntil(newest.has_keyboard)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert window.notices.texts() == ["Thông báo cũ"]
    qtbot.waitUntil(field.hasFocus)


def test_a_saved_pdf_is_named_with_an_open_action(qtbot, window, as_admin, tmp_path, opened):
    preview = PdfPreview(as_admin)
    qtbot.addWidget(preview)
    preview.set_pdf(b"%PDF-1.4\n%%EOF\n", "bao-cao-ngay")
    target = tmp_path / "bao-cao-ngay.pdf"
    with qtbot.waitSignal(as_admin.notifier.notice, timeout=10_000):
        preview._write_file(target)
    notice = window.notices.latest()
    assert str(target) in notice.text
    assert notice.path == target and notice.open_button is not None
    assert notice.open_button.text() == "Mở" and notice.open_button.isVisible()

    qtbot.keyClick(window.intake.procedure_edit, Qt.Key.Key_F12)
    qtbot.waitUntil(notice.open_button.hasFocus)
    qtbot.keyClick(notice.open_button, Qt.Key.Key_Space)
    assert [Path(u.toLocalFile()) for u in opened.urls] == [target]


def test_a_refused_print_names_the_pdf_it_kept(qtbot, window, as_admin, printer):
    printer.fail_with = KnownError("Máy in không phản hồi", "The printer does not answer")
    preview = PdfPreview(as_admin)
    qtbot.addWidget(preview)
    preview.set_pdf(b"%PDF-1.4\n%%EOF\n", "giay-tiep-nhan")
    with qtbot.waitSignal(as_admin.notifier.notice, timeout=10_000) as said:
        preview.print_to(None)
    text, kept = said.args
    assert "Máy in không phản hồi" in text and str(kept) in text
    assert kept.read_bytes() == b"%PDF-1.4\n%%EOF\n"
    assert as_admin.app.data_dir in kept.parents  # the counter's own copy
    notice = window.notices.latest()
    assert notice.path == kept and notice.open_button is not None

    printer.fail_with = None
    with qtbot.waitSignal(preview.printed, timeout=10_000):
        preview.print_to(None)
    notice = window.notices.latest()
    assert notice.text.startswith("Đã gửi “giay-tiep-nhan” tới máy in; bản PDF lưu tại")
    assert notice.open_button is not None


def test_the_notice_area_wraps_in_the_room_a_1024_pixel_window_leaves(qtbot):
    """1024 pixels less the side bar (200) and the margins: the text wraps, nothing is cut."""
    area = NoticeArea()
    qtbot.addWidget(area)
    area.setFixedWidth(1024 - 200 - 16)
    notice = area.show_notice(LONG, Path("/tmp/giay-tiep-nhan.pdf"))
    area.show()
    qtbot.waitExposed(area)
    label = notice.label
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))
    assert label.text() == LONG
    assert label.heightForWidth(label.width()) >= 3 * label.fontMetrics().height()
    assert label.geometry().right() < notice.open_button.geometry().left()
