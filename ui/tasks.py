"""One way to run work in the background (the pattern of Anki's task manager).

Six serial executors, each one thread (``ui.operations.Worker``):

- ``write``: every database write of the application, one after another (SQLite has one
  writer anyway, and the order of a clerk's actions is kept);
- ``read``: reads that may take longer than a frame (a page of a sorted list, a report), and
  rendering PDFs;
- ``network``: the portal, anything else that may hang on the outside world;
- ``print``: print jobs (the PDF rendered and sent to a queue) and the list of queues, on
  their own thread so that a sync round waiting on a dead portal never delays a receipt;
- ``scan``: a scanner's batch (minutes with a full feeder), cancelled by its own event.
- ``lookup``: a short question to the portal while a clerk types (declare once), apart from
  the sync's rounds on ``network``.

Work is handed over as an operation (``ui.operations.Op``): ``TaskManager.run`` runs it on
its worker, and its result or its exception comes back to the GUI thread through a queued
signal and is handed to ``on_success`` / ``on_failure`` there. Widgets are only ever touched
in those callbacks. When the operation succeeded and changed something, its ``Changes`` go
to ``on_changes`` first (the context announces them to every screen), even when the widget
that asked is gone by then. When no ``on_failure`` is given, the failure goes to the error
reporter (a message for an expected error, a logged trace and a dialog for a bug).
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

from ui.operations import Changes, Op, Worker

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

    _finished = Signal(int, bool, object)  # token, succeeded, (result, changes) or exception

    def __init__(
        self,
        on_unhandled: Failure | None = None,
        on_changes: Callable[[Changes], None] | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._executors = {
            worker: ThreadPoolExecutor(1, thread_name_prefix=f"counter-{worker.value}")
            for worker in Worker
        }
        self._waiting: dict[int, tuple[Success | None, Failure | None, QObject | None]] = {}
        self._tokens = itertools.count(1)
        self._closed = False
        self.on_unhandled: Failure = on_unhandled or _log_unhandled
        self.on_changes = on_changes
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    def run(
        self,
        op: Op[T],
        on_success: Callable[[T], None] | None = None,
        on_failure: Failure | None = None,
        owner: QObject | None = None,
    ) -> Future[Any]:
        """Run ``op`` on its worker; the callbacks run on the GUI thread, and not at all once
        ``owner`` is deleted."""
        if self._closed:  # a timer firing while the application closes: nothing to do
            log.debug("task manager closed: dropped an operation")
            dropped: Future[Any] = Future()
            dropped.cancel()
            return dropped
        token = next(self._tokens)
        self._waiting[token] = (on_success, on_failure, owner)
        future = self._executors[op.worker].submit(_run, op, token, self._finished.emit)
        future.add_done_callback(functools.partial(_if_cancelled, token, self._finished.emit))
        return future

    @property
    def pending(self) -> int:
        """Operations not finished yet."""
        return len(self._waiting)

    @Slot(int, bool, object)
    def _on_finished(self, token: int, succeeded: bool, value: object) -> None:
        entry = self._waiting.pop(token, None)
        if entry is None or value is _CANCELLED:
            return
        on_success, on_failure, owner = entry
        if succeeded:
            result, changes = value  # type: ignore[misc]
            if changes and self.on_changes is not None:
                self.on_changes(changes)
        if owner is not None and not shiboken6.isValid(owner):
            return
        if succeeded:
            if on_success is not None:
                on_success(result)
        else:
            assert isinstance(value, BaseException)
            (on_failure or self.on_unhandled)(value)

    # -- closing ----------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Finish the writes already asked for; drop reads and network calls not started.

        Print jobs already asked for are not dropped (a receipt asked for just before closing
        still prints), and not waited for here: the print system may be slow, and the
        process lets its worker finish them before it ends."""
        if self._closed:
            return
        self._closed = True
        self._executors[Worker.READ].shutdown(wait=True, cancel_futures=True)
        self._executors[Worker.NETWORK].shutdown(wait=False, cancel_futures=True)
        self._executors[Worker.PRINT].shutdown(wait=False)
        self._executors[Worker.SCAN].shutdown(wait=False, cancel_futures=True)
        self._executors[Worker.LOOKUP].shutdown(wait=False, cancel_futures=True)
        self._executors[Worker.WRITE].shutdown(wait=True)


_CANCELLED = object()


def _run(op: Op[Any], token: int, finished: Callable[[int, bool, object], None]) -> None:
    """On a worker: run the operation and send its outcome to the GUI thread."""
    try:
        outcome = op.outcome()
    except BaseException as exc:  # handed to the GUI thread, never lost
        finished(token, False, exc)
    else:
        finished(token, True, outcome)


def _if_cancelled(
    token: int, finished: Callable[[int, bool, object], None], future: Future[Any]
) -> None:
    # a job cancelled before it started never runs: its callbacks must still be let go
    if future.cancelled():
        finished(token, False, _CANCELLED)


def _log_unhandled(exc: BaseException) -> None:
    log.error("background operation failed", exc_info=(type(exc), exc, exc.__traceback__))


def run_inline(
    op: Op[T],
    on_success: Callable[[T], None] | None = None,
    on_failure: Failure | None = None,
    owner: QObject | None = None,
) -> None:
    """``TaskManager.run`` at once on the calling thread, changes unannounced (tests)."""
    try:
        result = op.work()
    except Exception as exc:
        if on_failure is None:
            raise
        on_failure(exc)
        return
    if on_success is not None:
        on_success(result)
