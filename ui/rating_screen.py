"""The citizen's screen at hand-back: how satisfied they are, by touch, mouse or a number key.

A window of its own, facing the citizen: on the second screen when there is one (full
screen), else beside the clerk's window. Three large buttons (keys 1, 2, 3, the numeric
keypad's too); "Chưa hài lòng" asks why (the reasons of ``counter.ratings``, keys 1 to 5).
The rating is the citizen's: it is recorded from this window alone (``source`` ``screen``),
never through the clerk's account, and the clerk's window has no way to give one. Closed
without a choice (by the clerk, or after the idle time set in settings), nothing is stored.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

import shiboken6
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QGuiApplication,
    QIcon,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from counter.ratings import REASONS, level_label
from counter.views import RatingView
from protocol.constants import RATING_LEVELS, UNSATISFIED
from ui import i18n
from ui.context import UiContext
from ui.operations import Changes, Op

# Each level's face: its colour and how much the mouth smiles (1 a broad smile, -1 a frown).
FACES = {
    "very_satisfied": ("#2e7d32", 1.0),
    "satisfied": ("#1565c0", 0.5),
    "unsatisfied": ("#c62828", -0.6),
}
# How long the thanks stay before the window leaves the screen (milliseconds).
THANKS_MS = 4000
_DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 10)}


def face_icon(level: str, size: int = 160) -> QIcon:
    """A round face drawn for ``level`` (no emoji font needed)."""
    colour, smile = FACES[level]
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(colour), size / 16)
    p.setPen(pen)
    p.setBrush(QColor(colour).lighter(185))
    m = size / 12
    p.drawEllipse(QRectF(m, m, size - 2 * m, size - 2 * m))
    p.setBrush(QColor(colour))
    for x in (0.36, 0.64):
        p.drawEllipse(QPointF(size * x, size * 0.4), size / 22, size / 22)
    p.setBrush(Qt.BrushStyle.NoBrush)
    mouth = QPainterPath()
    y = size * 0.66
    mouth.moveTo(size * 0.3, y)
    mouth.quadTo(size * 0.5, y + smile * size * 0.18, size * 0.7, y)
    p.drawPath(mouth)
    p.end()
    return QIcon(pixmap)


def _big_button(text: str, point_size: int) -> QPushButton:
    button = QPushButton(text)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the number keys go to the window
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    button.setMinimumHeight(90)
    button.setStyleSheet(f"font-size: {point_size}pt; padding: 12px;")
    return button


class RatingScreen(QWidget):
    """One citizen's rating of one dossier at a time."""

    # a rating was recorded (the view the service returned)
    rated = Signal(object)
    # the window left the screen without a rating
    dismissed = Signal()

    def __init__(self, ctx: UiContext):
        super().__init__(None, Qt.WindowType.Window)
        self.ctx = ctx
        self.code = ""
        self._recording = False
        # the clerk's window the keyboard goes back to once the citizen has answered
        self._clerk_window: QWidget | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        self.setWindowTitle(self.tr("Đánh giá mức độ hài lòng"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setStyleSheet("background: #ffffff;")
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.timeout.connect(self.close)
        self.thanks_timer = QTimer(self)
        self.thanks_timer.setSingleShot(True)
        self.thanks_timer.timeout.connect(self.close)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 24pt; font-weight: bold; color: #0d3c61;")
        self.subtitle = QLabel()
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle.setStyleSheet("font-size: 14pt; color: #444;")
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages, 1)

        levels = QWidget()
        row = QGridLayout(levels)
        row.setRowStretch(0, 1)  # the faces in the middle of the height
        row.setRowStretch(2, 1)
        self.level_buttons: dict[str, QToolButton] = {}
        for n, level in enumerate(RATING_LEVELS, start=1):
            # the face above its number and words: three fit side by side on a small screen
            button = QToolButton()
            button.setText(f"{n}. {level_label(level, i18n.lang())}")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the number keys go to the window
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setStyleSheet("font-size: 22pt; padding: 24px 12px;")
            icon = face_icon(level)
            button.setIcon(icon)
            button.setIconSize(icon.availableSizes()[0])
            button.setAccessibleName(level_label(level, i18n.lang()))
            button.clicked.connect(lambda _=False, lv=level: self.choose(lv))
            row.addWidget(button, 1, n - 1)
            self.level_buttons[level] = button
        self.pages.addWidget(levels)

        reasons = QWidget()
        column = QVBoxLayout(reasons)
        self.reason_buttons: list[QPushButton] = []
        for n, (vi, en) in enumerate(REASONS, start=1):
            button = _big_button(f"{n}.  {en if i18n.lang() == 'en' else vi}", 18)
            button.setMinimumHeight(60)
            button.clicked.connect(lambda _=False, text=vi: self.record(UNSATISFIED, text))
            column.addWidget(button)
            self.reason_buttons.append(button)
        back = QLabel(self.tr("Esc: quay lại"))
        back.setAlignment(Qt.AlignmentFlag.AlignRight)
        back.setStyleSheet("color: #666; font-size: 12pt;")
        column.addWidget(back)
        self.pages.addWidget(reasons)

        self.thanks = QLabel()
        self.thanks.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thanks.setWordWrap(True)
        self.thanks.setStyleSheet("font-size: 28pt; color: #2e7d32;")
        self.pages.addWidget(self.thanks)

    # -- showing ------------------------------------------------------------------------------

    def ask(self, code: str, idle_seconds: int) -> None:
        """Ask the citizen of ``code``; the window leaves after ``idle_seconds`` untouched."""
        self.code = code
        self._recording = False
        self.thanks_timer.stop()
        active = QApplication.activeWindow()
        if active is not None and active is not self:
            self._clerk_window = active
        self.title.setText(self.tr("Ông/bà có hài lòng với việc giải quyết hồ sơ?"))
        self.subtitle.setText(
            self.tr("Hồ sơ {code}. Chạm vào một ô hoặc bấm phím 1, 2, 3.").format(code=code)
        )
        self.pages.setCurrentIndex(0)
        self.idle.setInterval(idle_seconds * 1000)
        self.idle.start()
        self._place()
        self.raise_()
        self.activateWindow()
        self.setFocus()

    def _place(self) -> None:
        """Full screen on a second screen when there is one; else a window of its own."""
        screens = QGuiApplication.screens()
        clerk = QGuiApplication.primaryScreen()
        others = [s for s in screens if s is not clerk]
        if others:
            target = others[0]
            self.setScreen(target)
            self.setGeometry(target.geometry())
            self.showFullScreen()
            return
        if not self.isVisible():
            area = clerk.availableGeometry()
            width, height = min(980, area.width()), min(600, area.height())
            self.setGeometry(
                area.x() + (area.width() - width) // 2,
                area.y() + (area.height() - height) // 2,
                width,
                height,
            )
        self.showNormal()

    # -- choosing -----------------------------------------------------------------------------

    def choose(self, level: str) -> None:
        if self._recording or self.pages.currentIndex() != 0:
            return
        self.idle.start()
        if level == UNSATISFIED:
            self.title.setText(self.tr("Điều gì chưa làm ông/bà hài lòng?"))
            self.subtitle.setText(self.tr("Chạm vào một ô hoặc bấm phím số."))
            self.pages.setCurrentIndex(1)
            return
        self.record(level, None)

    def record(self, level: str, reason: str | None) -> None:
        """Through the writer, as the citizen's screen: no account takes part."""
        if self._recording or not self.code:
            return
        self._recording = True
        self.idle.stop()
        code, ratings = self.code, self.ctx.app.ratings
        op = Op.write(
            lambda: ratings.rate(code, level, reason, source="screen"),
            Changes.of_dossier(code),
        )
        self.ctx.tasks.run(op, self._recorded, self._refused, self)

    def _recorded(self, view: RatingView) -> None:
        self.title.setText("")
        self.subtitle.setText("")
        self.thanks.setText(self.tr("Cảm ơn ông/bà đã đánh giá!"))
        self.pages.setCurrentIndex(2)
        self.rated.emit(view)
        self.code = ""
        self.thanks_timer.start(THANKS_MS)

    def _refused(self, exc: BaseException) -> None:
        """Not recorded (the dossier moved meanwhile, say): the clerk is told, the citizen's
        window leaves."""
        self._recording = False
        self.code = ""
        self.ctx.notifier.report(exc)
        self.close()

    # -- keys and closing ---------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        n = _DIGITS.get(Qt.Key(event.key()))
        page = self.pages.currentIndex()
        if n is not None and page == 0 and n <= len(RATING_LEVELS):
            self.choose(RATING_LEVELS[n - 1])
        elif n is not None and page == 1 and n <= len(self.reason_buttons):
            self.reason_buttons[n - 1].click()
        elif event.key() == Qt.Key.Key_Escape and page == 1:
            self.ask(self.code, max(1, self.idle.interval() // 1000))
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.idle.stop()
        self.thanks_timer.stop()
        if self.code and not self._recording:
            self.code = ""
            self.dismissed.emit()
        super().closeEvent(event)
        clerk = self._clerk_window
        if clerk is not None and not shiboken6.isValid(clerk):
            clerk = self._clerk_window = None  # the clerk's window was closed and deleted
        if clerk is not None and clerk.isVisible():
            QTimer.singleShot(0, clerk, clerk.activateWindow)


_screens: WeakKeyDictionary[UiContext, RatingScreen] = WeakKeyDictionary()


def screen_of(ctx: UiContext) -> RatingScreen:
    """The counter's one citizen screen, made when first needed."""
    screen = _screens.get(ctx)
    if screen is None:
        screen = RatingScreen(ctx)
        ctx.destroyed.connect(screen.deleteLater)
        _screens[ctx] = screen
    return screen


def ask_citizen(ctx: UiContext, code: str) -> None:
    """After a hand-back: show the citizen's screen, unless settings turned it off."""
    settings = ctx.app.settings

    def shown(values: tuple[bool, int]) -> None:
        on, idle = values
        if on:
            screen_of(ctx).ask(code, idle)

    op = Op.read(
        lambda: (
            bool(settings.get("ui.rating_screen")),
            int(settings.get("ui.rating_idle_seconds")),
        )
    )
    ctx.tasks.run(op, shown, ctx.notifier.report, ctx)
