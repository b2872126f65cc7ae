"""One way to run work in the background (the pattern of Anki's task manager).

Three serial executors, each one thread:

- ``write``: every database write of the application, one after another (SQLite has one
  writer anyway, and the order of a clerk's actions is kept);
- ``read``: reads that may take longer than a frame (a page of a sorted list, a report), and
  rendering PDFs;
- ``network``: the portal, printers, anything that may hang on the outside world.

An operation is a plain callable run on the executor; its result or its exception comes back
to the GUI thread through a queued signal and is handed to ``on_success`` / ``on_failure``
there. Widgets are only ever touched in those callbacks. When no ``on_failure`` is given, the
failure goes to the error reporter (a message for a refusal, a logged trace and a dialog for
a bug).
"""

from __future__ import annotations

import functools
import itertools
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger("ui.tasks")

T = TypeVar("T")
Success = Callable[[Any], None]
Failure = Callable[[BaseException], None]


class TaskManager(QObject):
    """The executors and the bridge back to the GUI thread.

    The callbacks (and the widget that owns them) never travel to a worker: they wait in
    ``_waiting`` under a number, and only the operation and that number go to the worker.
    So no Qt object is ever released on a worker thread, where Qt must not destroy it.
    """

    _finished = Signal(int, bool, object)  # token, succeeded, result or exception
    _deliver = Signal(object)
    #: the number of operations not finished yet (tests and the busy cursor watch it)
    pending_changed = Signal(int)

    def __init__(self, on_unhandled: Failure | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._executors = {
            "write": ThreadPoolExecutor(1, thread_name_prefix="counter-write"),
            "read": ThreadPoolExecutor(1, thread_name_prefix="counter-read"),
            "network": ThreadPoolExecutor(1, thread_name_prefix="counter-network"),
        }
        self._waiting: dict[int, tuple[Success | None, Failure | None, QObject | None]] = {}
        self._tokens = itertools.count(1)
        self._closed = False
        self.on_unhandled: Failure = on_unhandled or _log_unhandled
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self._deliver.connect(self._run_delivered, Qt.ConnectionType.QueuedConnection)

    # -- submitting -------------------------------------------------------------------------

    def write(
        self,
        op: Callable[[], T],
        on_success: Success | None = None,
        on_failure: Failure | None = None,
        owner: QObject | None = None,
    ) -> Future[Any]:
        """A database write, serialised with every other write of the application."""
        return self._submit("write", op, on_success, on_failure, owner)

    def read(
        self,
        op: Callable[[], T],
        on_success: Success | None = None,
        on_failure: Failure | None = None,
        owner: QObject | None = None,
    ) -> Future[Any]:
        return self._submit("read", op, on_success, on_failure, owner)

    def network(
        self,
        op: Callable[[], T],
        on_success: Success | None = None,
        on_failure: Failure | None = None,
        owner: QObject | None = None,
    ) -> Future[Any]:
        return self._submit("network", op, on_success, on_failure, owner)

    def run_on_main(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` on the GUI thread at the next turn of its event loop."""
        self._deliver.emit(fn)

    @property
    def pending(self) -> int:
        return len(self._waiting)

    def _submit(
        self,
        kind: str,
        op: Callable[[], Any],
        on_success: Success | None,
        on_failure: Failure | None,
        owner: QObject | None,
    ) -> Future[Any]:
        if self._closed:  # a timer firing while the application closes: nothing to do
            log.debug("task manager closed: dropped an operation")
            dropped: Future[Any] = Future()
            dropped.cancel()
            return dropped
        token = next(self._tokens)
        self._waiting[token] = (on_success, on_failure, owner)
        self.pending_changed.emit(self.pending)
        future = self._executors[kind].submit(_run, op, token, self._finished.emit)
        future.add_done_callback(functools.partial(_if_cancelled, token, self._finished.emit))
        return future

    @Slot(int, bool, object)
    def _on_finished(self, token: int, succeeded: bool, value: object) -> None:
        entry = self._waiting.pop(token, None)
        if entry is None:
            return
        on_success, on_failure, owner = entry
        try:
            if value is _CANCELLED or (owner is not None and not shiboken6.isValid(owner)):
                return
            if succeeded:
                if on_success is not None:
                    on_success(value)
            else:
                assert isinstance(value, BaseException)
                (on_failure or self.on_unhandled)(value)
        finally:
            self.pending_changed.emit(self.pending)

    @Slot(object)
    def _run_delivered(self, fn: Callable[[], None]) -> None:
        fn()

    # -- closing ----------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Finish the writes already asked for; drop reads and network calls not started."""
        if self._closed:
            return
        self._closed = True
        self._executors["read"].shutdown(wait=True, cancel_futures=True)
        self._executors["network"].shutdown(wait=False, cancel_futures=True)
        self._executors["write"].shutdown(wait=True)


_CANCELLED = object()


def _run(op: Callable[[], Any], token: int, finished: Callable[[int, bool, object], None]) -> None:
    """On a worker: run the operation and send its outcome to the GUI thread."""
    try:
        result = op()
    except BaseException as exc:  # handed to the GUI thread, never lost
        finished(token, False, exc)
    else:
        finished(token, True, result)


def _if_cancelled(
    token: int, finished: Callable[[int, bool, object], None], future: Future[Any]
) -> None:
    # a job cancelled before it started never runs: its callbacks must still be let go
    if future.cancelled():
        finished(token, False, _CANCELLED)


def _log_unhandled(exc: BaseException) -> None:
    log.error("background operation failed", exc_info=(type(exc), exc, exc.__traceback__))


def run_inline(
    op: Callable[[], T],
    on_success: Success | None = None,
    on_failure: Failure | None = None,
    owner: QObject | None = None,
) -> None:
    """The executor shape, run at once on the calling thread (tests, benchmarks)."""
    try:
        result = op()
    except Exception as exc:
        if on_failure is None:
            raise
        on_failure(exc)
        return
    if on_success is not None:
        on_success(result)
