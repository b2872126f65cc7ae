"""``counter [--data-dir DIR]``: the desktop application.

Start-up: open the data folder (creating and upgrading the database as needed), load the
font and the language, then first-run setup if the counter has no identity or no account
yet, then sign-in, then the main window. Signing out returns to sign-in; changing the
language rebuilds the main window for the same user.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sys
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from counter.datadir import resolve_data_dir
from ui import fonts, i18n
from ui.compat import MainThreadGarbageCollector
from ui.signin_window import SignInDialog
from ui.startup import (
    Opening,
    SignInCard,
    UsableProbe,
    needs_first_run,
    read_card,
    ready_line,
    write_card,
)

if TYPE_CHECKING:
    from counter.accounts import Actor
    from counter.app import CounterApp
    from ui.context import UiContext
    from ui.main_window import MainWindow
    from ui.signin import FirstRunDialog
    from ui.tasks import TaskManager

log = logging.getLogger("ui")


def app_title() -> str:
    return QCoreApplication.translate("Shell", "Quầy tiếp nhận một cửa")


def sign_in_window(
    app: CounterApp | None, tasks: TaskManager | None, card: SignInCard | None = None
) -> SignInDialog:
    """The sign-in window, titled; from its card before the data folder is open."""
    dialog = SignInDialog(app, tasks, card=card)
    dialog.setWindowTitle(f"{app_title()} – {dialog.windowTitle()}")
    return dialog


#: how long after the first window shows the main window's modules are imported
PRELOAD_AFTER_MS = 300


def preload_main_window() -> None:
    """Import the main window and its screens (a second or so on a slow PC) while the clerk
    signs in: on the thread that opened the data folder at the application's start (the
    modules make no Qt object as they load), else on the GUI thread once the first window is
    up."""
    import ui.main_window  # noqa: F401


class Shell(QObject):
    """Takes the counter from start-up to a signed-in main window, and back on sign-out."""

    #: the first window the clerk can use is on screen
    ready = Signal(QWidget)
    #: the main window was (re)built
    main_shown = Signal(object)
    finished = Signal()

    def __init__(
        self,
        ctx: UiContext,
        idle_ms: int | None = None,
        lookup_clear_ms: int | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.ctx = ctx
        self.window: MainWindow | None = None
        self.dialog: QWidget | None = None
        self._idle_ms = idle_ms
        self._lookup_clear_ms = lookup_clear_ms
        self._announced = False
        #: import the main window's modules once the first window is up (unless done already)
        self.preload = True

    @property
    def app(self) -> CounterApp:
        return self.ctx.app

    def start(self) -> None:
        """Look on the read worker whether the counter is set up, then show the first window."""
        from ui.operations import Op

        app = self.app
        self.ctx.tasks.run(Op.read(lambda: needs_first_run(app)), self._first_window, owner=self)

    def _first_window(self, first_run: bool) -> None:
        if first_run:
            self.show_first_run()
        else:
            self.show_sign_in()

    def show_first_run(self) -> FirstRunDialog:
        from ui.signin import FirstRunDialog

        dialog = FirstRunDialog(self.app, self.ctx.tasks)
        dialog.setWindowTitle(f"{app_title()} – {dialog.windowTitle()}")
        dialog.done.connect(lambda actor: self.show_sign_in(actor.username))
        dialog.rejected.connect(self.finish)
        self._show(dialog)
        return dialog

    def show_sign_in(self, username: str = "") -> SignInDialog:
        dialog = sign_in_window(self.app, self.ctx.tasks)
        if username:
            dialog.form.username.setText(username)
            dialog.form.focus()
        self._follow(dialog)
        self._show(dialog)
        return dialog

    def adopt_sign_in(self, dialog: SignInDialog, card: SignInCard) -> None:
        """Take over the sign-in window shown before the data folder was open."""
        dialog.attach(self.app, self.ctx.tasks, card)
        self._follow(dialog)
        self.dialog = dialog
        if not self._announced:
            self._announced = True
            QTimer.singleShot(0, lambda: self.ready.emit(dialog))
            if self.preload:
                QTimer.singleShot(PRELOAD_AFTER_MS, preload_main_window)

    def _follow(self, dialog: SignInDialog) -> None:
        dialog.accepted.connect(lambda: dialog.actor and self.show_main(dialog.actor))
        dialog.rejected.connect(self.finish)

    def _show(self, widget: QWidget) -> None:
        self.dialog = widget
        widget.show()
        widget.raise_()
        widget.activateWindow()
        if not self._announced:
            self._announced = True
            QTimer.singleShot(0, lambda: self.ready.emit(widget))
            # the main window's screens are imported while the clerk types a password, not
            # before the first window shows
            if self.preload:
                QTimer.singleShot(PRELOAD_AFTER_MS, preload_main_window)

    def show_main(self, actor: Actor) -> MainWindow:
        from ui.main_window import MainWindow

        self.ctx.actor = actor
        log.info("signed in: %s (%s)", actor.username, actor.role)
        old = self.window
        window = MainWindow(self.ctx, idle_ms=self._idle_ms, lookup_clear_ms=self._lookup_clear_ms)
        window.sign_out_requested.connect(self.sign_out)
        window.language_changed.connect(self.change_language)
        self.window = window
        if old is not None:
            old.dispose()  # keeps its place for the new window
            old.hide()
            old.deleteLater()
        window.place()
        window.raise_()
        window.activateWindow()  # shortcuts only reach the active window
        window.start()
        self.dialog = None
        window.installEventFilter(self)
        self.main_shown.emit(window)
        return window

    def sign_out(self) -> None:
        if self.window is not None:
            self.window.dispose()
            self.window.hide()
            self.window.removeEventFilter(self)
            self.window.deleteLater()
            self.window = None
        self.ctx.actor = None
        self.show_sign_in()

    def change_language(self, lang: str) -> None:
        i18n.install(lang)
        card = read_card(self.app.data_dir)
        if card is not None:  # the next start's sign-in speaks it too
            write_card(self.app.data_dir, dataclasses.replace(card, language=lang))
        if self.ctx.actor is not None:
            self.show_main(self.ctx.actor)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The main window closing ends the application."""
        if watched is self.window and event.type() == QEvent.Type.Close:
            QTimer.singleShot(0, self.finish)
        return False

    def finish(self) -> None:
        self.finished.emit()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="counter", description="Quầy tiếp nhận một cửa")
    parser.add_argument(
        "--data-dir", help="data folder (default: $COUNTER_DATA_DIR or the user data folder)"
    )
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help="interface language (vi, en)")
    # for the benchmarks: print when the first window is usable, then quit
    parser.add_argument("--exit-when-ready", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt_app, QApplication)
    qt_app.setApplicationName("one-stop-counter")
    qt_app.setQuitOnLastWindowClosed(False)
    collector = MainThreadGarbageCollector()
    collector.start()
    probe = UsableProbe(qt_app) if args.exit_when_ready else None
    fonts.load(qt_app)

    data_dir = resolve_data_dir(args.data_dir)
    # the sign-in window first, from the card the last start left; the folder opens meanwhile
    card = read_card(data_dir)
    i18n.install(args.lang or (card.language if card else "vi"))
    early = None
    left: list[bool] = []
    if card is not None:
        early = sign_in_window(None, None, card)
        early.rejected.connect(lambda: left.append(True))
        early.show()
        early.raise_()
        early.activateWindow()
    opening = Opening(data_dir, log=True, afterwards=preload_main_window)
    if early is not None:
        opening.start_when_painted(early)
    else:
        opening.start()
    try:
        opened = opening.wait()
    except Exception as exc:
        from protocol.errors import KnownError

        if not isinstance(exc, KnownError):
            raise
        if early is not None:
            early.hide()
        QMessageBox.critical(None, app_title(), exc.message(i18n.lang()))
        return 1
    opened_at = time.time()
    counter = opened.app
    try:
        if left:  # the clerk left before the folder was open
            return 0
        lang = args.lang or opened.language
        if early is not None and (opened.first_run or lang != i18n.lang()):
            early.hide()  # the setup's window, or the sign-in in the folder's language
            early.deleteLater()
            early = None
        i18n.install(lang)
        from ui.context import UiContext

        ctx = UiContext(counter)
        ctx.notifier.dialog_parent = None
        previous_hook = sys.excepthook
        sys.excepthook = ctx.notifier.excepthook
        shell = Shell(ctx)
        shell.preload = False  # the opening's thread does it
        shell.finished.connect(qt_app.quit)
        if probe is not None:
            _report_when_usable(probe, opened_at, qt_app)
        if early is not None and opened.card is not None:
            shell.adopt_sign_in(early, opened.card)
        else:
            shell.start()
        code = qt_app.exec()
        if shell.window is not None:
            shell.window.dispose()
        ctx.close()
        sys.excepthook = previous_hook
        return int(code)
    finally:
        counter.close()
        collector.stop()


def _report_when_usable(probe: UsableProbe, opened_at: float, qt_app: QApplication) -> None:
    """For the benchmarks: print when the first window was usable and the folder open, then
    quit."""

    def report() -> None:
        print(json.dumps(ready_line(probe, opened_at)), flush=True)
        QTimer.singleShot(0, qt_app.quit)

    if probe.at is not None:
        report()
    else:
        probe.usable.connect(lambda _at: report())


if __name__ == "__main__":
    sys.exit(main())
