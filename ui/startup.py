"""The desktop's first second: the sign-in window before the database layer.

At a usual start (the counter set up, a clerk to sign in) the sign-in window is built from
the *sign-in card*, a small file each start leaves in the data folder (the office's name,
its counter number and the interface language), before SQLAlchemy, the models and the
services are imported. The data folder is opened meanwhile on a thread of its own
(:class:`Opening`), with the same checks as ever (its lock, an interrupted upgrade, a newer
database), and a sign-in sent before it is open waits for it. Without a card (the first
start, first-run setup) the folder is opened before any window.

Qt and the standard library alone here: this module is imported before the rest.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from counter.app import CounterApp

log = logging.getLogger("ui")

#: the sign-in card's file in the data folder
CARD_NAME = "signin.json"
#: the longest the folder's opening waits for the first window to be painted
PAINT_WAIT_MS = 500


@dataclass(frozen=True)
class SignInCard:
    """What the sign-in window shows of the office, and the language it speaks."""

    unit_name: str
    authority: str
    counter_no: int
    language: str


def read_card(data_dir: Path) -> SignInCard | None:
    """The card the last start left, or None (none yet, or unreadable: then no early window)."""
    try:
        raw = json.loads((data_dir / CARD_NAME).read_text(encoding="utf-8"))
        return SignInCard(
            unit_name=str(raw["unit_name"]),
            authority=str(raw["authority"]),
            counter_no=int(raw["counter_no"]),
            language=str(raw["language"]),
        )
    except (OSError, ValueError, TypeError, KeyError):
        return None


def write_card(data_dir: Path, card: SignInCard) -> None:
    """Leave the card for the next start (owner-only, written whole then renamed); a card
    that cannot be written only means the next start opens the folder first."""
    path = data_dir / CARD_NAME
    part = data_dir / f"{CARD_NAME}.{os.urandom(4).hex()}.part"
    try:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(fd, "w", encoding="utf-8") as out:
            json.dump(asdict(card), out, ensure_ascii=False)
        os.replace(part, path)
    except OSError as exc:
        log.info("cannot write the sign-in card: %s", exc.strerror)
        part.unlink(missing_ok=True)


def card_of(app: CounterApp) -> SignInCard:
    """The card as the database stands (reads the settings)."""
    office = app.office.identity()
    return SignInCard(
        unit_name=office.unit_name,
        authority=office.authority or office.agency_name,
        counter_no=office.counter_no,
        language=language_of(app),
    )


def language_of(app: CounterApp) -> str:
    """The interface's language as the settings have it (reads the database)."""
    return str(app.settings.get("ui.language") or "vi")


def needs_first_run(app: CounterApp) -> bool:
    """Whether the counter has no identity or no account yet (reads the database)."""
    return not app.office.is_initialised() or not app.accounts.has_users()


@dataclass
class Opened:
    """The data folder, opened: the application, whether it needs first-run setup, its card
    (None when it does) and the interface's language."""

    app: CounterApp
    first_run: bool
    card: SignInCard | None
    language: str


class Opening(QObject):
    """Opens the data folder on a thread of its own; :meth:`wait` runs the event loop (the
    sign-in window stays usable) until it is open, and returns it or raises its refusal."""

    done = Signal()

    def __init__(
        self,
        data_dir: Path,
        *,
        log: bool = False,
        afterwards: Callable[[], object] | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.data_dir = data_dir
        self.log = log  # start the folder's log file first (the application's own start)
        #: run on the thread once the folder is open and handed over (imports the next screen)
        self.afterwards = afterwards
        self._result: Opened | None = None
        self._error: BaseException | None = None
        self._finished = threading.Event()
        self._started = False
        self._thread = threading.Thread(target=self._run, name="open-data-folder", daemon=True)

    def start(self) -> None:
        if not self._started:
            self._started = True
            self._thread.start()

    def start_when_painted(self, window: QWidget) -> None:
        """Start once ``window`` is on screen, so that its first paint is not slowed by the
        imports (or after ``PAINT_WAIT_MS`` at most, for a window that is never painted)."""
        window.installEventFilter(self)
        QTimer.singleShot(PAINT_WAIT_MS, self.start)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.start)
        return False

    def _run(self) -> None:
        try:
            if self.log:
                from counter.logfiles import setup_logging

                setup_logging(self.data_dir)
            from counter.app import CounterApp

            app = CounterApp.open(self.data_dir, create=True)
            try:
                first_run = needs_first_run(app)
                card = None if first_run else card_of(app)
                language = card.language if card else language_of(app)
                if card is not None and card != read_card(self.data_dir):
                    write_card(self.data_dir, card)
                # what the application imports next, here rather than on the clerk's time
                import ui.context  # noqa: F401
            except BaseException:
                app.close()
                raise
            self._result = Opened(app, first_run, card, language)
        except BaseException as exc:
            self._error = exc
        self._finished.set()
        self.done.emit()  # queued to the GUI thread
        if self._result is not None and self.afterwards is not None:
            try:
                self.afterwards()
            except Exception:  # the GUI thread meets it again, where it is reported
                log.warning("preparing the next screen failed", exc_info=True)

    def wait(self) -> Opened:
        """Run the event loop until the folder is open (once started, by :meth:`start` or a
        painted window), and return it or raise its refusal."""
        if not self._finished.is_set():
            loop = QEventLoop()
            self.done.connect(loop.quit)  # emitted on the thread: queued to this one
            if not self._finished.is_set():
                loop.exec()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result


class UsableProbe(QObject):
    """Says when the first window is usable (the benchmarks' measure of a start): painted,
    active with a field that has the keyboard focus, and an event posted to that field
    dispatched to it by the event loop, as a key would be.

    The event is no key: making a ``QKeyEvent`` needs PySide's ``Qt`` namespace, whose first
    use costs more than the rest of the window; nothing in the sign-in window needs it
    before the clerk's first key, and the probe does not make the start pay it."""

    usable = Signal(float)  # time.time() then

    #: a user event type of the probe's own
    KIND = QEvent.Type(QEvent.registerEventType())
    #: how many turns of the event loop the focus may take to land (then the window is used)
    FOCUS_TURNS = 200

    def __init__(self, app: QApplication):
        super().__init__(app)
        self.painted = False
        self.target: QObject | None = None
        self.at: float | None = None
        self.cpu_s: float | None = None
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if not self.painted and kind == QEvent.Type.Paint and isinstance(watched, QWidget):
            self.painted = True
            window = watched.window()
            QTimer.singleShot(0, lambda: self._post(window, self.FOCUS_TURNS))
        elif kind == self.KIND and watched is self.target:
            self.at = time.time()
            self.cpu_s = time.process_time()
            QCoreApplication.instance().removeEventFilter(self)  # type: ignore[union-attr]
            self.usable.emit(self.at)
            return True
        return False

    def _post(self, window: QWidget, turns: int) -> None:
        focus = QApplication.focusWidget()
        if (focus is None or not focus.isActiveWindow()) and turns > 0:
            QTimer.singleShot(0, lambda: self._post(window, turns - 1))
            return
        self.target = focus or window
        QCoreApplication.postEvent(self.target, QEvent(self.KIND))


def ready_line(probe: UsableProbe, opened_at: float) -> dict[str, Any]:
    """The benchmarks' line: when the window was usable, when the folder was open, and the
    processor time spent until usable."""
    assert probe.at is not None and probe.cpu_s is not None
    return {"ready_at": probe.at, "opened_at": opened_at, "cpu_ms": round(probe.cpu_s * 1000, 1)}
