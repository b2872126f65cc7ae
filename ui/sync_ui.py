"""Sync in the background: the controller, its status bar widget, and the entries that need a
person.

The controller runs ``sync.engine.run_once`` on the network worker every
``sync.interval_seconds`` (and on "Sync now"); the GUI thread only ever receives the outcome.
The counts in the status bar come from ``SyncStore.counts()``, read again whenever the outbox
changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter.app import CounterApp
from counter.outbox import OutboxItem
from counter.views import SyncCounts
from protocol.errors import KnownError
from sync.errors import NotConfigured
from ui import formatting
from ui.context import UiContext
from ui.errors import message_of
from ui.models import OBJECT_ROLE, RowsModel
from ui.operations import Changes, Op

if TYPE_CHECKING:
    from sync.engine import SyncResult

log = logging.getLogger("ui.sync")

ONLINE, OFFLINE, NOT_CONFIGURED, UNKNOWN, PROBLEM = (
    "online",
    "offline",
    "not_configured",
    "unknown",
    "problem",
)


def run_once(app: CounterApp) -> SyncResult:
    """One round of ``sync.engine``, imported on first use (on the network worker): it brings
    ``requests``, and start-up must not wait for that."""
    from sync import engine

    return engine.run_once(app)


def portal_configured(app: CounterApp) -> bool:
    """Whether the portal's address and this counter's token are set (on a worker: the token
    is read from a file)."""
    from sync.client import PortalConfig

    try:
        PortalConfig.from_settings(app.settings)
    except NotConfigured:
        return False
    return True


def changes_of(result: SyncResult) -> Changes:
    """What a round changed: the outbox always; dossiers and master data when it pulled some."""
    return Changes(
        outbox=True,
        all_dossiers=result.pulled > 0,
        catalog="catalog" in result.master,
        calendar="calendar" in result.master,
        settings="office" in result.master,
    )


class SyncController(QObject):
    """Runs sync rounds on the network worker and keeps what the status bar shows."""

    changed = Signal()
    finished = Signal(object)  # SyncResult or the exception

    def __init__(
        self,
        ctx: UiContext,
        run: Callable[[CounterApp], SyncResult] = run_once,
        interval_ms: int | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.ctx = ctx
        self._run = run
        self.state = UNKNOWN
        self.detail = ""
        self.running = False
        self.counts = SyncCounts()
        seconds = int(ctx.app.settings.get("sync.interval_seconds") or 60)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms if interval_ms is not None else seconds * 1000)
        self.timer.timeout.connect(self._timed_round)
        self.first_round = QTimer(self)
        self.first_round.setSingleShot(True)
        self.first_round.setInterval(2000)  # let the window settle first
        self.first_round.timeout.connect(self._timed_round)
        self._stopped = False
        #: the round running was asked for by the clerk: its outcome is said
        self._asked = False
        ctx.changed.connect(self._on_changes)

    def start(self) -> None:
        self._stopped = False
        self.timer.start()
        self.first_round.start()
        self.refresh_counts()

    def stop(self) -> None:
        self._stopped = True
        self.timer.stop()
        self.first_round.stop()

    def sync_now(self) -> None:
        """A round the clerk asked for ("Đồng bộ ngay"): how it went is said to the clerk."""
        self._round(asked=True)

    def _timed_round(self) -> None:
        self._round(asked=False)

    def _round(self, asked: bool) -> None:
        if self._stopped:
            return
        if self.running:
            if asked:
                self.ctx.notifier.say(self.tr("Đang đồng bộ; kết quả sẽ báo khi xong."))
                self._asked = True
            return
        self.running = True
        self._asked = asked
        self.changed.emit()
        app, run = self.ctx.app, self._run
        op = Op.network(lambda: run(app), changes_of)
        self.ctx.tasks.run(op, self._done, self._failed, self)

    def _done(self, result: SyncResult) -> None:
        self.running = False
        self.state = ONLINE
        self.detail = ""
        if self._asked:
            self.ctx.notifier.say(
                self.tr("Đồng bộ xong: gửi {pushed}, nhận {pulled}, còn chờ gửi {pending}.").format(
                    pushed=result.pushed, pulled=result.pulled, pending=result.pending
                )
            )
        self.finished.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        self.detail = message_of(exc)
        if isinstance(exc, NotConfigured):
            self.state = NOT_CONFIGURED
            # the engine's words name the command line; here the address is set in Settings
            self.detail = self.tr("Chưa cấu hình cổng dịch vụ công (địa chỉ và mã truy cập)")
        elif isinstance(exc, OSError):  # sync.errors.PortalUnreachable is one too
            self.state = OFFLINE
        elif isinstance(exc, KnownError):  # the portal refused the token or the batch
            self.state = PROBLEM
        else:  # a bug in a sync round: logged once per round, no dialog every minute
            log.error("sync round failed", exc_info=(type(exc), exc, exc.__traceback__))
            self.state = PROBLEM
        if self._asked:
            if self.state == NOT_CONFIGURED:
                self.ctx.notifier.say(self.not_configured_help())
            else:
                self.ctx.notifier.say(
                    self.tr("Chưa đồng bộ được: {why}").format(why=self.detail or str(exc))
                )
        self.finished.emit(exc)
        # a round cut short may have sent some entries before it ended
        self.ctx.announce(Changes(outbox=True))

    def not_configured_help(self) -> str:
        return self.tr(
            "Chưa đồng bộ được: chưa cấu hình cổng dịch vụ công. Người quản trị nhập địa chỉ "
            "cổng và mã truy cập của quầy ở Thiết lập (F10), thẻ “Cổng và đồng bộ”, rồi bấm "
            "“Lưu thiết lập”."
        )

    def _on_changes(self, changes: Changes) -> None:
        if changes.outbox:
            self.refresh_counts()
        if changes.settings and not self._stopped:
            app = self.ctx.app
            self.ctx.tasks.run(
                Op.read(lambda: portal_configured(app)), self._configured, owner=self
            )

    def _configured(self, configured: bool) -> None:
        """The settings changed: the indicator follows at once, without waiting for a round."""
        if not configured:
            if self.state != NOT_CONFIGURED:
                self.state = NOT_CONFIGURED
                self.detail = self.tr("Chưa cấu hình cổng dịch vụ công (địa chỉ và mã truy cập)")
                self.changed.emit()
            return
        if self.state == NOT_CONFIGURED:  # just configured: try the portal now
            self.state = UNKNOWN
            self.detail = ""
            self.changed.emit()
            self._round(asked=False)

    def refresh_counts(self) -> None:
        if self._stopped:
            return
        store = self.ctx.app.sync_store
        self.ctx.tasks.run(Op.read(store.counts), self._counted, owner=self)

    def _counted(self, counts: SyncCounts) -> None:
        self.counts = counts
        self.changed.emit()


class SyncStatusWidget(QWidget):
    """Online/offline, entries pending, last success, entries that need a person."""

    show_attention = Signal()

    def __init__(self, controller: SyncController, parent: QWidget | None = None):
        super().__init__(parent)
        self.controller = controller
        self.state_label = QLabel()
        self.state_label.setAccessibleName(self.tr("Trạng thái kết nối"))
        self.pending_label = QLabel()
        self.last_label = QLabel()
        self.attention_button = QPushButton()
        self.attention_button.setFlat(True)
        self.attention_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.attention_button.setProperty("keyboardAlternative", "F5")
        self.attention_button.clicked.connect(self.show_attention)
        self.sync_button = QPushButton(self.tr("Đồng bộ ngay"))
        self.sync_button.setAccessibleName(self.tr("Đồng bộ ngay"))
        self.sync_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the menu and F5 have it
        self.sync_button.setProperty("keyboardAlternative", "F5")
        self.sync_button.clicked.connect(controller.sync_now)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (
            self.state_label,
            self.pending_label,
            self.last_label,
            self.attention_button,
            self.sync_button,
        ):
            layout.addWidget(w)
        controller.changed.connect(self.update_view)
        controller.finished.connect(lambda _r: self.update_view())
        self.update_view()

    def update_view(self) -> None:
        c = self.controller
        state_text = {
            ONLINE: ("●", "#188038", self.tr("Trực tuyến")),
            OFFLINE: ("●", "#b3261e", self.tr("Ngoại tuyến")),
            NOT_CONFIGURED: ("○", "#777777", self.tr("Chưa cấu hình cổng")),
            UNKNOWN: ("○", "#777777", self.tr("Chưa đồng bộ")),
            PROBLEM: ("●", "#b06000", self.tr("Lỗi đồng bộ")),
        }[c.state]
        dot, colour, words = state_text
        if c.running:
            words = self.tr("Đang đồng bộ…")
        self.state_label.setText(f"<span style='color:{colour}'>{dot}</span> {words}")
        self.state_label.setToolTip(c.detail)
        self.pending_label.setText(self.tr("Chờ gửi: {n}").format(n=c.counts.pending))
        last = c.counts.last_success_at
        self.last_label.setText(
            self.tr("Đồng bộ lần cuối: {at}").format(at=formatting.moment(last))
            if last
            else self.tr("Chưa đồng bộ lần nào")
        )
        n = c.counts.needs_attention
        self.attention_button.setVisible(n > 0)
        self.attention_button.setText(self.tr("⚠ Cần xử lý: {n}").format(n=n))
        self.attention_button.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.sync_button.setEnabled(not c.running)


def _when(item: OutboxItem) -> datetime:
    return item.created_at


class SyncPage(QWidget):
    """Entries the portal refused for good (conflicts, invalid): look, then retry."""

    open_dossier = Signal(str)

    def __init__(self, ctx: UiContext, controller: SyncController, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.controller = controller
        self.setAccessibleName(self.tr("Đồng bộ với cổng dịch vụ công"))
        self.model: RowsModel[OutboxItem] = RowsModel(
            [
                (self.tr("Mã hồ sơ"), lambda e: e.dossier_code),
                (self.tr("Nội dung"), lambda e: formatting.outbox_kind(e.kind)),
                (self.tr("Tạo lúc"), lambda e: formatting.moment(e.created_at)),
                (self.tr("Số lần gửi"), lambda e: e.attempts),
                (self.tr("Lý do"), lambda e: e.last_error),
            ],
            key=lambda e: e.id,
            parent=self,
        )
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Mục cần xử lý"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(self._open)
        self.retry_button = QPushButton(self.tr("&Gửi lại mục đã chọn"))
        self.retry_button.clicked.connect(self.retry_selected)
        self.open_button = QPushButton(self.tr("Xem &hồ sơ"))
        self.open_button.clicked.connect(lambda: self._open(self.table.currentIndex()))
        self.sync_button = QPushButton(self.tr("Đồng bộ &ngay"))
        self.sync_button.clicked.connect(controller.sync_now)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.sync_button)
        explanation = QLabel(
            self.tr(
                "Hồ sơ và thay đổi trạng thái được lưu trên máy trước, rồi gửi lên cổng khi có "
                "mạng. Các mục dưới đây bị cổng từ chối (trùng mã, dữ liệu không hợp lệ...) và "
                "cần người kiểm tra: xem hồ sơ, sửa nếu cần, rồi gửi lại."
            )
        )
        explanation.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        controller.changed.connect(self._show_summary)
        ctx.changed.connect(self._on_changes)
        self._show_summary()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.reload()

    def _on_changes(self, changes: Changes) -> None:
        if changes.outbox:
            self.reload()

    def reload(self) -> None:
        store = self.ctx.app.sync_store
        self.ctx.tasks.run(Op.read(store.needs_attention), self._loaded, owner=self)

    def _loaded(self, items: list[OutboxItem]) -> None:
        self.model.set_rows(sorted(items, key=_when))
        self.retry_button.setEnabled(bool(items))
        self.open_button.setEnabled(bool(items))
        if items:
            self.table.selectRow(0)

    def _show_summary(self) -> None:
        c = self.controller
        lines = [
            self.tr("Chờ gửi: {n}").format(n=c.counts.pending),
            self.tr("Cần xử lý: {n}").format(n=c.counts.needs_attention),
        ]
        if c.counts.last_success_at:
            lines.append(
                self.tr("Đồng bộ thành công lần cuối: {at}").format(
                    at=formatting.moment(c.counts.last_success_at)
                )
            )
        if c.detail:
            lines.append(c.detail)
        self.summary.setText(" · ".join(lines))

    def retry_selected(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        item: OutboxItem = index.data(OBJECT_ROLE)
        store = self.ctx.app.sync_store
        actor = self.ctx.signed_in.username

        def done(_: object) -> None:
            self.ctx.notifier.say(
                self.tr("Sẽ gửi lại {code} ở lần đồng bộ tới").format(code=item.dossier_code)
            )
            self.controller.sync_now()

        op = Op.write(lambda: store.retry(item.id, actor), Changes(outbox=True))
        self.ctx.tasks.run(op, done)

    def _open(self, index: object) -> None:
        if getattr(index, "isValid", lambda: False)():
            item = self.model.row_object(index.row())  # type: ignore[attr-defined]
            self.open_dossier.emit(item.dossier_code)
