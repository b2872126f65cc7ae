"""What every window and page is handed: the services, the workers, who is signed in, and
the announcements of what changed.

Built once at start-up by ``ui.app`` and passed in (never a module-level global), so a test
can build one on a temporary data folder with a fake printer.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from counter.accounts import Actor
from counter.app import CounterApp
from counter.views import Office
from ui.errors import Notifier
from ui.operations import Changes, Op
from ui.print_service import PrintService
from ui.tasks import TaskManager


class UiContext(QObject):
    """The services of one counter, as the interface uses them."""

    #: an operation changed something (a ``ui.operations.Changes``): every screen looks at
    #: the fields that concern it and refreshes only for those
    changed = Signal(object)

    def __init__(
        self, app: CounterApp, printing: PrintService | None = None, parent: QObject | None = None
    ):
        super().__init__(parent)
        self.app = app
        self.notifier = Notifier(self)
        self.tasks = TaskManager(self.notifier.report, self.announce, self)
        self.printing = printing or PrintService(app)
        self.actor: Actor | None = None
        self._office: Office | None = None
        self.changed.connect(self._on_changes)

    @property
    def signed_in(self) -> Actor:
        assert self.actor is not None, "nobody is signed in"
        return self.actor

    def announce(self, changes: Changes) -> None:
        """Tell every screen what changed (operations do so when they succeed)."""
        if changes:
            self.changed.emit(changes)

    def office(self) -> Office:
        """The office's identity: read at start-up, read again on a worker after a change."""
        if self._office is None:
            self._office = self.app.office.identity()
        return self._office

    def _on_changes(self, changes: Changes) -> None:
        if changes.settings:
            self.tasks.run(Op.read(self.app.office.identity), self._set_office, owner=self)

    def _set_office(self, office: Office) -> None:
        self._office = office

    def close(self) -> None:
        self.tasks.shutdown()
