"""Background work as operations, and the record of what they changed (Anki's ``CollectionOp``
and ``OpChanges``).

An :class:`Op` is the work (a plain callable, run on one of the workers of ``ui.tasks``) and
what it changes when it succeeds. ``TaskManager.run`` runs it; when it succeeded, its
:class:`Changes` are announced to every screen (``UiContext.changed``), and each screen
refreshes only what concerns it. The screen that asked gets the result in its own callback.

No Qt here: an operation and its changes are plain values.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Generic, TypeVar

T = TypeVar("T")


class Worker(enum.Enum):
    """The serial workers of ``ui.tasks``."""

    #: every database write of the application, one after another
    WRITE = "write"
    #: reads that may take longer than a frame, and rendering PDFs
    READ = "read"
    #: the portal, anything else that may hang on the outside world
    NETWORK = "network"
    #: print jobs (rendering and sending to a queue) and the list of print queues: apart
    #: from the portal's, so a sync round waiting on a dead portal never delays a receipt
    PRINT = "print"
    #: scanners: a batch may take minutes, and waits for no one else's work
    SCAN = "scan"
    #: a quick question to the portal while the clerk types (declare once): apart from the
    #: sync's rounds, which may take minutes, so the answer comes while it is of use
    LOOKUP = "lookup"


@dataclass(frozen=True)
class Changes:
    """What an operation changed. Screens look at the fields that concern them."""

    #: dossiers received or changed, by code
    dossiers: frozenset[str] = frozenset()
    #: any dossier may have changed (statuses pulled from the portal)
    all_dossiers: bool = False
    #: entries waiting for the portal, or their state
    outbox: bool = False
    #: settings (the office's identity among them)
    settings: bool = False
    #: the working calendar: days off, make-up days, office hours
    calendar: bool = False
    #: the procedure catalogue
    catalog: bool = False
    #: user accounts
    accounts: bool = False

    @classmethod
    def of_dossier(cls, code: str) -> Changes:
        """A dossier received or changed: the outbox gets its entry in the same transaction."""
        return cls(dossiers=frozenset({code}), outbox=True)

    @property
    def any_dossier(self) -> bool:
        return self.all_dossiers or bool(self.dossiers)

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


NOTHING = Changes()


@dataclass(frozen=True)
class Op(Generic[T]):
    """Work for one worker, and what it changes when it succeeds: fixed, or read from the
    result (say, the code of the dossier just received)."""

    work: Callable[[], T]
    worker: Worker = Worker.WRITE
    changes: Changes | Callable[[T], Changes] = NOTHING

    @classmethod
    def read(cls, work: Callable[[], T]) -> Op[T]:
        """A read: changes nothing."""
        return cls(work, Worker.READ)

    @classmethod
    def write(
        cls, work: Callable[[], T], changes: Changes | Callable[[T], Changes] = NOTHING
    ) -> Op[T]:
        return cls(work, Worker.WRITE, changes)

    @classmethod
    def network(
        cls, work: Callable[[], T], changes: Changes | Callable[[T], Changes] = NOTHING
    ) -> Op[T]:
        return cls(work, Worker.NETWORK, changes)

    @classmethod
    def scan(cls, work: Callable[[], T]) -> Op[T]:
        """A scanner's batch: on the scan worker, changes nothing (attaching is a write)."""
        return cls(work, Worker.SCAN)

    @classmethod
    def lookup(cls, work: Callable[[], T]) -> Op[T]:
        """A question to the portal that a clerk's typing waits for: changes nothing."""
        return cls(work, Worker.LOOKUP)

    @classmethod
    def print_job(cls, work: Callable[[], T]) -> Op[T]:
        """Printing or asking the print system: on the print worker, changes nothing."""
        return cls(work, Worker.PRINT)

    def outcome(self) -> tuple[T, Changes]:
        """Run the work (on the worker) and say what it changed."""
        value = self.work()
        changes = self.changes if isinstance(self.changes, Changes) else self.changes(value)
        return value, changes
