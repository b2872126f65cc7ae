"""The main window: a list of screens on the left, the screen on the right, sync at the bottom."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter.accounts import ADMIN, SUPERVISOR
from counter.views import Office
from ui import formatting, i18n
from ui.accounts_page import AccountsPage
from ui.calendar_page import CalendarPage
from ui.context import UiContext
from ui.dossier_detail import DossierDetailDialog, DossierDetails, read_details
from ui.dossier_list import DossierListPage
from ui.focus import hand_back
from ui.intake import IntakePage
from ui.layout import ElidedLabel
from ui.lookup import LookupWidget, LookupWindow
from ui.notices import NoticeArea
from ui.operations import Changes, Op
from ui.print_service import warm_up
from ui.reports_pages import DailySummaryPage, TrackingBookPage
from ui.settings_page import SettingsPage
from ui.signin import IdleWatcher, LockPage, minutes_to_ms
from ui.sync_ui import SyncController, SyncPage, SyncStatusWidget

log = logging.getLogger("ui")

#: the side bar's width, and the window width under which it narrows
NAV_WIDE, NAV_NARROW, NARROW_BELOW = 200, 150, 1200
#: where the window was and whether it was maximised, in the data folder (this PC's)
WINDOW_STATE_FILE = "desktop-window.ini"


class MainWindow(QMainWindow):
    """One signed-in user's window. Rebuilt when the user or the language changes."""

    sign_out_requested = Signal()
    language_changed = Signal(str)
    locked_changed = Signal(bool)
    #: a dossier's detail was read and its dialog opened (the dialog)
    dossier_opened = Signal(object)

    def __init__(
        self,
        ctx: UiContext,
        sync: SyncController | None = None,
        idle_ms: int | None = None,
        lookup_clear_ms: int | None = None,
    ):
        super().__init__()
        self.ctx = ctx
        actor = ctx.signed_in
        office = ctx.office()
        self.office_status = ElidedLabel(minimum=80)
        self.office_status.setAccessibleName(self.tr("Đơn vị"))
        self._show_office(office)
        screen = QApplication.primaryScreen()
        room = screen.availableGeometry().size() if screen is not None else QSize(1366, 800)
        self.resize(min(1366, room.width()), min(800, room.height()))
        self.detail_dialogs: list[DossierDetailDialog] = []
        self.leaving_box: QMessageBox | None = None  # "drop the half-typed intake?" when open
        self._closing = False
        self.lookup_window: LookupWindow | None = None
        self._lookup_clear_ms = lookup_clear_ms

        self.sync = sync or SyncController(ctx, parent=self)
        self.pages = QStackedWidget()
        self.nav = QListWidget()
        self.nav.setAccessibleName(self.tr("Các màn hình"))
        self.nav.setFixedWidth(NAV_WIDE)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setSpacing(2)
        # the F keys move between screens and put the cursor in the screen's first field: the
        # side bar never takes the keyboard (keys typed there were lost)
        self.nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.nav.setProperty("keyboardAlternative", "F2–F10")
        self.nav.currentRowChanged.connect(self._row_changed)
        self.page_keys: list[str] = []

        self.intake = IntakePage(ctx)
        self.intake.open_dossier.connect(self.open_dossier)
        self.intake.digitise_dossier.connect(lambda code: self.open_dossier(code, digitise=True))
        self.dossiers = DossierListPage(ctx)
        self.dossiers.open_dossier.connect(self.open_dossier)
        self.lookup = LookupWidget(ctx, clear_after_ms=lookup_clear_ms)
        self.sync_page = SyncPage(ctx, self.sync)
        self.sync_page.open_dossier.connect(self.open_dossier)
        self._add_page("intake", self.tr("Tiếp nhận hồ sơ"), "F2", self.intake)
        self._add_page("dossiers", self.tr("Danh sách hồ sơ"), "F3", self.dossiers)
        self._add_page("lookup", self.tr("Tra cứu cho công dân"), "F4", self.lookup)
        self._add_page("sync", self.tr("Đồng bộ với cổng"), "F5", self.sync_page)
        self.daily: DailySummaryPage | None = None
        self.book: TrackingBookPage | None = None
        self.calendar: CalendarPage | None = None
        self.accounts: AccountsPage | None = None
        if actor.at_least(SUPERVISOR):
            self.daily = DailySummaryPage(ctx)
            self.book = TrackingBookPage(ctx)
            self.calendar = CalendarPage(ctx)
            self._add_page("daily", self.tr("Báo cáo ngày"), "F6", self.daily)
            self._add_page("book", self.tr("Sổ theo dõi hồ sơ"), "F7", self.book)
            self._add_page("calendar", self.tr("Lịch làm việc"), "F8", self.calendar)
        if actor.at_least(ADMIN):
            self.accounts = AccountsPage(ctx)
            self._add_page("accounts", self.tr("Tài khoản"), "F9", self.accounts)
        self.settings_page = SettingsPage(ctx)
        self.settings_page.saved.connect(self._settings_saved)
        self._add_page("settings", self.tr("Thiết lập"), "F10", self.settings_page)

        who = QLabel(
            self.tr("{name}\n{role}").format(name=actor.full_name, role=formatting.role(actor.role))
        )
        who.setWordWrap(True)
        who.setStyleSheet("color: #555; padding: 6px;")
        nav_column = QWidget()
        nav_layout = QVBoxLayout(nav_column)
        nav_layout.setContentsMargins(0, 0, 0, 0)
        nav_layout.addWidget(self.nav, 1)
        nav_layout.addWidget(who)
        self.workspace = QWidget()
        row = QHBoxLayout(self.workspace)
        row.setContentsMargins(4, 4, 4, 4)
        row.addWidget(nav_column)
        self.notices = NoticeArea()  # messages, whole, under the screen (ui/notices.py)
        page_column = QVBoxLayout()
        page_column.addWidget(self.pages, 1)
        page_column.addWidget(self.notices)
        row.addLayout(page_column, 1)

        self.lock_page = LockPage(ctx.app, ctx.tasks, actor)
        self.lock_page.unlocked.connect(self.unlock)
        self.lock_page.switch_user.connect(self.request_sign_out)
        self.root = QStackedWidget()
        self.root.addWidget(self.workspace)
        self.root.addWidget(self.lock_page)
        self.setCentralWidget(self.root)

        self.sync.refresh_counts()
        self.sync_status = SyncStatusWidget(self.sync)
        self.sync_status.show_attention.connect(lambda: self.show_page("sync"))
        self.statusBar().addPermanentWidget(self.office_status)
        self.statusBar().addPermanentWidget(self.sync_status)
        ctx.notifier.notice.connect(self.notices.show_notice)
        self.addAction(self.notices.focus_action)
        ctx.notifier.dialog_parent = self

        self._build_menus()
        minutes = int(ctx.app.settings.get("ui.idle_lock_minutes") or 0)
        self.idle = IdleWatcher(idle_ms if idle_ms is not None else minutes_to_ms(minutes), self)
        self.idle.idle.connect(self.lock)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
        self.nav.setCurrentRow(0)

    # -- pages ------------------------------------------------------------------------------

    def _add_page(self, key: str, title: str, shortcut: str, page: QWidget) -> None:
        item = QListWidgetItem(f"{shortcut}   {title}")
        item.setData(Qt.ItemDataRole.AccessibleTextRole, title)
        item.setToolTip(title)
        item.setSizeHint(QSize(180, 36))
        self.nav.addItem(item)
        self.pages.addWidget(page)
        self.page_keys.append(key)
        action = QAction(title, self)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _=False, k=key: self.show_page(k))
        self.addAction(action)

    def show_page(self, key: str) -> None:
        if key in self.page_keys:
            self.nav.setCurrentRow(self.page_keys.index(key))
            self.focus_page()

    def _row_changed(self, row: int) -> None:
        self.pages.setCurrentIndex(row)
        self.focus_page()

    def focus_page(self) -> None:
        """The keyboard goes into the screen shown: its own choice (``focus_target``: the
        search box, the procedure field, where the clerk left off), else its first field."""
        page = self.pages.currentWidget()
        if page is None:
            return
        choose = getattr(page, "focus_target", None)
        target = choose() if callable(choose) else None
        (target or first_field(page) or page).setFocus(Qt.FocusReason.ShortcutFocusReason)

    def current_page(self) -> str:
        return self.page_keys[self.nav.currentRow()]

    # -- menus ------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        # Menu mnemonics are P, X and I: letters the pages' own labels leave free (a test
        # checks that no two visible controls of a window share one).
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("Tệ&p"))
        self.lock_action = file_menu.addAction(self.tr("&Khóa màn hình"))
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(lambda: self.lock(idle=False))
        backup = file_menu.addAction(self.tr("&Sao lưu dữ liệu"))
        backup.triggered.connect(self.backup)
        self.sign_out_action = file_menu.addAction(self.tr("Đăng &xuất"))
        self.sign_out_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.sign_out_action.triggered.connect(self.request_sign_out)
        file_menu.addSeparator()
        quit_action = file_menu.addAction(self.tr("T&hoát"))
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)

        view = bar.addMenu(self.tr("&Xem"))
        full = view.addAction(self.tr("Màn hình &tra cứu toàn màn hình"))
        full.setShortcut(QKeySequence("Ctrl+Shift+F"))
        full.triggered.connect(self.open_lookup_window)
        self.sync_now_action = view.addAction(self.tr("&Đồng bộ ngay"))
        self.sync_now_action.triggered.connect(self.sync.sync_now)
        language = view.addMenu(self.tr("&Ngôn ngữ"))
        group = QActionGroup(self)
        for code, name in (("vi", "Tiếng &Việt"), ("en", "&English")):
            action = language.addAction(name)
            action.setCheckable(True)
            action.setChecked(i18n.lang() == code)
            action.triggered.connect(lambda _=False, c=code: self.set_language(c))
            group.addAction(action)

        help_menu = bar.addMenu(self.tr("Trợ g&iúp"))
        keys = help_menu.addAction(self.tr("&Phím tắt"))
        keys.setShortcut(QKeySequence("F1"))
        keys.triggered.connect(self.show_keys)

    def show_keys(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("Phím tắt"))
        box.setText(
            self.tr(
                "F2: Tiếp nhận hồ sơ\nF3: Danh sách hồ sơ\nF4: Tra cứu\nF5: Đồng bộ\n"
                "F6–F9: Báo cáo ngày, sổ theo dõi, lịch, tài khoản (theo vai trò)\n"
                "F10: Thiết lập\n\n"
                "Ctrl+Enter: Lưu hồ sơ và in giấy tiếp nhận (hoặc xác nhận hộp ghi chú)\n"
                "Ctrl+H: Tiếp nhận từ phiếu hướng dẫn\n"
                "Enter hoặc mũi tên xuống trong ô tìm: vào danh sách kết quả; Enter: xem hồ "
                "sơ; Esc: về ô tìm\n"
                "Ctrl+L: Khóa màn hình\nCtrl+Shift+L: Đăng xuất\n"
                "Ctrl+Shift+F: Màn hình tra cứu cho công dân\nCtrl+Q: Thoát\n"
                "F12: Đến thông báo mới nhất (Esc: đóng)\n"
                "Alt + chữ gạch chân: đến ô hoặc nút đó"
            )
        )
        box.addButton(self.tr("Đóng"), QMessageBox.ButtonRole.AcceptRole)
        box.open()

    # -- messages ---------------------------------------------------------------------------

    def show_message(self, text: str) -> None:
        self.notices.show_notice(text)

    # -- dossiers ---------------------------------------------------------------------------

    def open_dossier(self, code: str, *, digitise: bool = False) -> None:
        """Read the dossier on the read worker, then open its dialog (or say it is not there);
        ``digitise``: with the keyboard at its first paper without pages."""
        app = self.ctx.app
        self.ctx.tasks.run(
            Op.read(lambda: read_details(app, code)),
            lambda details: self._show_dossier(details, digitise),
            owner=self,
        )

    def _show_dossier(self, details: DossierDetails, digitise: bool = False) -> None:
        if self.is_locked:  # locked meanwhile: nothing opens over the lock screen
            return
        dialog = DossierDetailDialog(self.ctx, details, self)
        self.detail_dialogs = [
            d for d in self.detail_dialogs if shiboken6.isValid(d) and d.isVisible()
        ]  # a closed one is deleted
        self.detail_dialogs.append(dialog)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        if digitise:
            dialog.start_digitising()
        self.dossier_opened.emit(dialog)

    def open_lookup_window(self) -> LookupWindow:
        if self.lookup_window is None:
            self.lookup_window = LookupWindow(self.ctx, self._lookup_clear_ms)
        self.lookup_window.showFullScreen()
        self.lookup_window.activateWindow()
        self.lookup_window.lookup.input.setFocus()
        return self.lookup_window

    # -- locking ----------------------------------------------------------------------------

    @property
    def is_locked(self) -> bool:
        return self.root.currentWidget() is self.lock_page

    def lock(self, idle: bool = True) -> None:
        """Cover the window with the lock screen (``idle``: because nobody used it)."""
        if self.is_locked:
            return
        self.lock_page.set_reason(idle)
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()
        self.menuBar().setEnabled(False)
        for action in self.actions():
            action.setEnabled(False)
        self.idle.pause()
        self.root.setCurrentWidget(self.lock_page)
        self.lock_page.form.focus()
        self.locked_changed.emit(True)

    def unlock(self, _actor: object = None) -> None:
        self.root.setCurrentWidget(self.workspace)
        self.menuBar().setEnabled(True)
        for action in self.actions():
            action.setEnabled(True)
        self.idle.resume()
        self.focus_page()
        self.locked_changed.emit(False)

    # -- leaving ----------------------------------------------------------------------------

    def ask_leaving(self, leaving: str, then: Callable[[], None]) -> None:
        """Run ``then`` at once, or, when an intake is half typed, after the clerk chose to
        drop it; staying (Enter, Esc) is the default and keeps everything as it was."""
        if not self.intake.has_unsaved_work():
            then()
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(leaving)
        box.setText(
            self.tr("Hồ sơ đang nhập dở ({what}) chưa được lưu. {leaving} sẽ bỏ hồ sơ này.").format(
                what=self.intake.unsaved_summary(), leaving=leaving
            )
        )
        stay = box.addButton(self.tr("Ở &lại để lưu"), QMessageBox.ButtonRole.RejectRole)
        drop = box.addButton(self.tr("&Bỏ hồ sơ và tiếp tục"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(stay)
        box.setEscapeButton(stay)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.leaving_box = box

        def answered(button: QAbstractButton) -> None:
            self.leaving_box = None
            if button is drop:
                then()
            else:
                hand_back(box)

        box.buttonClicked.connect(answered)
        box.open()  # not exec(): nothing waits in a nested loop

    def request_sign_out(self) -> None:
        """Sign out (from the menu, Ctrl+Shift+L, or the lock screen's other account)."""
        self.ask_leaving(self.tr("Đăng xuất"), self.sign_out_requested.emit)

    # -- the window's place -----------------------------------------------------------------

    def _window_state(self) -> QSettings:
        path = Path(self.ctx.app.data_dir) / WINDOW_STATE_FILE
        return QSettings(str(path), QSettings.Format.IniFormat)

    def place(self) -> None:
        """Show the window where the clerk left it; the first time, maximised on a screen up
        to 1920×1080 (larger screens get a window of that size, centred)."""
        saved = self._window_state().value("main/geometry")
        if isinstance(saved, QByteArray | bytes) and self.restoreGeometry(QByteArray(saved)):
            if self._window_state().value("main/maximised", "true") == "true":
                self.showMaximized()
            else:
                self.show()
            return
        screen = self.screen() or QApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else None
        if room is None or (room.width() <= 1920 and room.height() <= 1080):
            self.showMaximized()
            return
        self.resize(1920, 1080)
        self.move(room.center() - self.rect().center())
        self.show()

    def save_place(self) -> None:
        state = self._window_state()
        state.setValue("main/geometry", self.saveGeometry())
        state.setValue("main/maximised", "true" if self.isMaximized() else "false")
        state.sync()
        with contextlib.suppress(OSError):
            os.chmod(state.fileName(), 0o600)

    # -- the rest ---------------------------------------------------------------------------

    def backup(self) -> None:
        app, actor = self.ctx.app, self.ctx.signed_in.username
        self.ctx.tasks.run(
            Op.write(lambda: app.maintenance.backup(actor_name=actor)),
            lambda path: self.show_message(self.tr("Đã sao lưu vào {path}").format(path=path)),
        )

    def set_language(self, lang: str) -> None:
        if lang == i18n.lang():
            return
        store, actor = self.ctx.app.settings, self.ctx.signed_in

        def write() -> str:
            store.set(actor, "ui.language", lang)
            # read back here, on the worker: the window rebuilt next finds the settings cached
            return str(store.get("ui.language"))

        self.ctx.tasks.run(Op.write(write, Changes(settings=True)), self.language_changed.emit)

    def _show_office(self, office: Office) -> None:
        """The office's real name and kind: in the title bar, and in the status bar."""
        self.setWindowTitle(
            self.tr("{office} – Quầy tiếp nhận số {n} – {user}").format(
                office=office.unit_name, n=office.counter_no, user=self.ctx.signed_in.full_name
            )
        )
        where = self.tr("{office} · quầy số {n}")
        self.office_status.setText(where.format(office=office.display_name, n=office.counter_no))
        self.office_status.setToolTip(
            where.format(office=office.display_name, n=office.counter_no)
            + "\n"
            + formatting.level(office.level)
        )

    def _settings_saved(self, saved: dict[str, Any]) -> None:
        """A save on the settings page: what this window does itself follows at once."""
        if any(key.startswith("office.") for key in saved):
            self.ctx.tasks.run(Op.read(self.ctx.app.office.identity), self._show_office, owner=self)
        if "ui.idle_lock_minutes" in saved:
            self.idle.set_timeout(minutes_to_ms(int(saved["ui.idle_lock_minutes"])))
        if "ui.language" in saved:
            self.language_changed.emit(str(saved["ui.language"]))

    def start(self) -> None:
        """Background work that may wait: the PDF machinery, the first sync."""
        self.ctx.tasks.run(Op.read(warm_up))
        self.sync.start()

    def dispose(self) -> None:
        if self.isVisible():
            self.save_place()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
        self.idle.pause()
        self.sync.stop()
        if self.lookup_window is not None:
            self.lookup_window.close()
        for dialog in self.findChildren(QDialog):
            dialog.reject()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # a narrower side bar on a small screen (1024 pixels): the titles end in "…" and
        # the screen beside it keeps its room; the F keys are always shown
        narrow = event.size().width() < NARROW_BELOW
        self.nav.setFixedWidth(NAV_NARROW if narrow else NAV_WIDE)
        self.nav.setTextElideMode(Qt.TextElideMode.ElideRight)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closing and not self.is_locked and self.intake.has_unsaved_work():
            event.ignore()  # asks first; closes again when the clerk chose to drop the work

            def close_now() -> None:
                self._closing = True
                self.close()

            self.ask_leaving(self.tr("Thoát"), close_now)
            return
        self.dispose()
        super().closeEvent(event)


def first_field(page: QWidget) -> QWidget | None:
    """The first control of ``page`` that Tab would visit."""
    widget = page.nextInFocusChain()
    while widget is not None and widget is not page:
        if (
            page.isAncestorOf(widget)
            and widget.isVisibleTo(page)
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            return widget
        widget = widget.nextInFocusChain()
    return None
