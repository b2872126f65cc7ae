"""The citizens' lookup screen.

A USB barcode scanner is a keyboard: it types the code printed on the receipt and presses
Enter (the QR code's lookup URL works too). The screen shows the status in large type, the
due date and when the portal last confirmed it, and nothing personal beyond a masked name;
it clears itself after ``ui.lookup_clear_seconds``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs, urlparse

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from counter.clock import now
from counter.errors import NotFound
from counter.statuses import Status
from counter.views import DossierView
from protocol.lookup import mask_name
from ui import formatting
from ui.context import UiContext
from ui.operations import Op
from ui.widgets import bigger


@dataclass(frozen=True)
class PublicStatus:
    """What the lookup screen may show: no ID, phone or address; the name masked."""

    code: str
    procedure_name: str
    masked_name: str
    status: Status
    received_at: datetime
    due_at: datetime
    overdue: bool
    portal_confirmed_at: datetime | None


def public_status(view: DossierView) -> PublicStatus:
    return PublicStatus(
        code=view.code,
        procedure_name=view.procedure_name,
        masked_name=mask_name(view.applicant_name),
        status=view.status,
        received_at=view.received_at,
        due_at=view.due_at,
        overdue=view.is_overdue,
        portal_confirmed_at=view.portal_confirmed_at,
    )


def parse_scan(text: str) -> tuple[str, str | None]:
    """The dossier code (and lookup key) from what the scanner typed: a code or a URL."""
    raw = text.strip()
    if "ma=" in raw:
        query = parse_qs(urlparse(raw).query or raw.split("?", 1)[-1])
        code = (query.get("ma") or [""])[0].strip()
        key = (query.get("k") or [None])[0]
        return code.upper(), key
    return raw.upper(), None


class LookupWidget(QWidget):
    """Scan or type a code; see where the dossier stands."""

    shown = Signal(object)  # PublicStatus, or None when not found
    cleared = Signal()

    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget | None = None,
        clear_after_ms: int | None = None,
        large: bool = False,
    ):
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName(self.tr("Tra cứu hồ sơ"))
        seconds = int(ctx.app.settings.get("ui.lookup_clear_seconds") or 30)
        self.clear_timer = QTimer(self)
        self.clear_timer.setSingleShot(True)
        self.clear_timer.setInterval(
            clear_after_ms if clear_after_ms is not None else seconds * 1000
        )
        self.clear_timer.timeout.connect(self.clear)
        self.result: PublicStatus | None = None

        self.title = QLabel(self.tr("TRA CỨU TÌNH TRẠNG HỒ SƠ"))
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bigger(self.title, 2.0 if large else 1.6)
        self.title.setStyleSheet("font-weight: bold; color: #0b5394;")
        self.instructions = QLabel(
            self.tr(
                "Đưa mã vạch trên giấy tiếp nhận vào máy quét, hoặc nhập mã hồ sơ rồi nhấn Enter."
            )
        )
        self.instructions.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.instructions.setWordWrap(True)
        bigger(self.instructions, 1.4 if large else 1.15)

        self.input = QLineEdit()
        self.input.setAccessibleName(self.tr("Mã hồ sơ"))
        self.input.setPlaceholderText(self.tr("Mã hồ sơ, ví dụ 000.00.36.H62-261126-1001"))
        self.input.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bigger(self.input, 1.8 if large else 1.4)
        self.input.returnPressed.connect(self.submit)

        self.status_label = QLabel()
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName(self.tr("Tình trạng hồ sơ"))
        bigger(self.status_label, 3.2 if large else 2.6)
        self.details = QLabel()
        self.details.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.details.setWordWrap(True)
        self.details.setAccessibleName(self.tr("Chi tiết"))
        bigger(self.details, 1.6 if large else 1.3)
        self.card = QFrame()
        self.card.setFrameShape(QFrame.Shape.StyledPanel)
        self.card.setObjectName("lookupCard")
        card_layout = QVBoxLayout(self.card)
        card_layout.addWidget(self.status_label)
        card_layout.addWidget(self.details)
        self.card.setVisible(False)

        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.instructions)
        layout.addSpacing(12)
        layout.addWidget(self.input)
        layout.addSpacing(12)
        layout.addWidget(self.card)
        layout.addStretch(2)
        self.setFocusProxy(self.input)

    def focus_target(self) -> QWidget:
        """F4: the code field, ready for the scanner or the keyboard."""
        self.input.selectAll()
        return self.input

    def submit(self) -> None:
        text = self.input.text()
        self.input.selectAll()  # the next scan replaces it
        if text.strip():
            self.look_up(text)

    def look_up(self, text: str) -> None:
        code, key = parse_scan(text)
        dossiers = self.ctx.app.dossiers

        def find() -> PublicStatus | None:
            try:
                view = dossiers.get(code)
            except NotFound:
                return None
            if key is not None and key != view.lookup_key:
                return None  # a wrong key reads as an unknown code, as on the portal
            return public_status(view)

        self.ctx.tasks.run(Op.read(find), self._show, owner=self)

    def _show(self, result: PublicStatus | None) -> None:
        self.result = result
        self.card.setVisible(True)
        if result is None:
            self.card.setStyleSheet("#lookupCard { background: #fdecea; }")
            self.status_label.setText(self.tr("Không tìm thấy hồ sơ"))
            self.details.setText(
                self.tr("Hãy kiểm tra lại mã trên giấy tiếp nhận, hoặc hỏi cán bộ tại quầy.")
            )
        else:
            ready = result.status in (Status.DONE,)
            colour = "#e6f4ea" if ready or result.status is Status.RETURNED else "#e8f0fe"
            self.card.setStyleSheet(f"#lookupCard {{ background: {colour}; }}")
            self.status_label.setText(formatting.status(result.status))
            lines = [
                f"<b>{result.code}</b>",
                result.procedure_name,
                self.tr("Người nộp: {name}").format(name=result.masked_name),
                self.tr("Ngày nhận: {date}").format(date=formatting.moment(result.received_at)),
                self.tr("Hẹn trả kết quả: {date}").format(
                    date=formatting.weekday_moment(result.due_at)
                ),
            ]
            if ready:
                lines.append(self.tr("<b>Kết quả đã có: mời ông/bà đến quầy để nhận.</b>"))
            elif result.overdue:
                late = self.tr("Hồ sơ đang chậm so với ngày hẹn; {office} sẽ báo ngày hẹn mới.")
                lines.append(late.format(office=self.ctx.office().unit_name))
            if result.portal_confirmed_at:
                lines.append(
                    self.tr("Cổng dịch vụ công xác nhận lần cuối: {at}").format(
                        at=formatting.moment(result.portal_confirmed_at)
                    )
                )
            else:
                lines.append(self.tr("Chưa được cổng dịch vụ công xác nhận."))
            self.details.setText("<br>".join(lines))
        self.clear_timer.start()
        self.shown.emit(result)

    def clear(self) -> None:
        self.clear_timer.stop()
        self.result = None
        self.input.clear()
        self.card.setVisible(False)
        self.status_label.clear()
        self.details.clear()
        self.cleared.emit()
        self.input.setFocus()


class LookupWindow(QWidget):
    """The lookup screen on its own, full screen on a display that faces the citizens."""

    def __init__(self, ctx: UiContext, clear_after_ms: int | None = None):
        super().__init__(None, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Tra cứu hồ sơ"))
        self.lookup = LookupWidget(ctx, self, clear_after_ms, large=True)
        self.clock = QLabel()
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight)
        bigger(self.clock, 1.3)
        office = QLabel(ctx.office().display_name)
        office.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bigger(office, 1.5)
        close = QPushButton(self.tr("Đóng màn hình tra cứu (Esc)"))
        close.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scanner's field keeps the focus
        close.setProperty("keyboardAlternative", "Esc")
        close.clicked.connect(self.close)
        shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        shortcut.activated.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.clock)
        layout.addWidget(office)
        layout.addWidget(self.lookup, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._update_clock)
        self._tick.start(15_000)
        self._update_clock()
        self.setFocusProxy(self.lookup)

    def _update_clock(self) -> None:
        self.clock.setText(f"{now():%H:%M  %d/%m/%Y}")
