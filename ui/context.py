"""What every window and page is handed: the services, the executors, who is signed in.

Built once at start-up by ``ui.app`` and passed in (never a module-level global), so a test
can build one on a temporary data folder with fakes for the printer and the portal.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from counter.accounts import Actor
from counter.app import CounterApp
from counter.views import Office
from ui.errors import Notifier
from ui.print_support import PrintService
from ui.tasks import TaskManager


class UiContext(QObject):
    """The services of one counter, as the interface uses them."""

    #: a dossier was received or changed (its code)
    dossier_changed = Signal(str)
    #: settings, calendar or catalogue changed: pages that show them reload
    settings_changed = Signal()
    calendar_changed = Signal()
    catalog_changed = Signal()
    #: the outbox may have changed (after any write that queues something for the portal)
    outbox_changed = Signal()

    def __init__(
        self,
        app: CounterApp,
        tasks: TaskManager | None = None,
        notifier: Notifier | None = None,
        printing: PrintService | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.app = app
        self.notifier = notifier or Notifier(self)
        self.tasks = tasks or TaskManager(self.notifier.report, self)
        self.printing = printing or PrintService(app)
        self.actor: Actor | None = None
        self._office: Office | None = None
        self.dossier_changed.connect(lambda _code: self.outbox_changed.emit())
        self.settings_changed.connect(self._forget_office)

    @property
    def signed_in(self) -> Actor:
        assert self.actor is not None, "nobody is signed in"
        return self.actor

    def office(self) -> Office:
        """The office's identity, read once and again after a settings change."""
        if self._office is None:
            self._office = self.app.office()
        return self._office

    def _forget_office(self) -> None:
        self._office = None

    def setting(self, key: str) -> object:
        return self.app.settings.get(key)

    def close(self) -> None:
        self.tasks.shutdown()
