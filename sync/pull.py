"""The sync engine's third step: the portal's change feed pulled from the stored cursor and
applied (docs/sync.md, "Pull statuses").

The feed's pages are read on a thread of their own, each asked for as soon as the one before
has come in, so the portal makes the next page while this side applies: the pages that came
in meanwhile, all together, reduced to the portal's word on each dossier
(``sync.feed.remote_statuses``) and applied with the cursor after them in one transaction
(``SyncStore.apply_remote_statuses``). Every write stays on the round's thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from queue import Empty, SimpleQueue
from typing import Protocol, TypeVar

import protocol
from counter.outbox import SyncStore
from protocol.batching import collector_paused
from sync.client import Change, ChangesPage, Limits, PortalClient
from sync.errors import CursorAhead, FeedStalled, PortalRefused
from sync.feed import remote_statuses
from sync.results import Tally

T = TypeVar("T")

log = logging.getLogger("counter.sync")

#: Changes applied in one transaction at most; more are applied in several, in order.
PULL_CHUNK = 20_000
#: Pages of the change feed read in one round at most; the next round reads on.
MAX_PULL_PAGES = 100

#: What the feed's reader hands over besides pages: the feed is read again from 0, it ended,
#: a round's pages were read.
_RESTART, _END, _LIMIT = "restart", "end", "limit"
_FeedItem = ChangesPage | str | BaseException


class Engine(Protocol):
    """What of the sync engine the pull uses (``sync.engine.SyncEngine``)."""

    store: SyncStore
    client: PortalClient
    counter_no: int

    def _with_retries(self, call: Callable[[], T]) -> T: ...

    def _check_stop(self) -> None: ...


def pull(engine: Engine, limits: Limits, tally: Tally) -> None:
    """The feed from the stored cursor. Its pages are read on a thread of their own, one
    after the other as fast as the portal answers (``_read_feed``), while the pages that
    came in are applied here, all those waiting together (every write stays here)."""
    stored = engine.store.cursor()
    try:
        cursor = int(stored) if stored else 0
    except ValueError:
        cursor = 0
    page_size = max(1, min(protocol.MAX_CHANGES_LIMIT, limits.max_changes_limit))
    arrived: SimpleQueue[_FeedItem] = SimpleQueue()
    done = threading.Event()  # set when this side stops early: the reader stops too
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-pull") as reader:
        reader.submit(_read_feed, engine, cursor, page_size, arrived, done)
        try:
            _apply_feed(engine, cursor, arrived, tally)
        finally:
            done.set()


def _apply_feed(engine: Engine, cursor: int, arrived: SimpleQueue[_FeedItem], tally: Tally) -> None:
    """Apply the pages ``_read_feed`` hands over, those that came in while the ones
    before were applied together (up to ``PULL_CHUNK`` changes), each lot with the
    cursor after it."""
    applied_cursor = cursor
    collected: list[Change] = []
    waits: list[float] = []  # for the pages, at each lot: the portal slower than this side
    while True:
        started = time.perf_counter()
        items = [arrived.get()]
        waits.append(time.perf_counter() - started)
        while True:  # and what else came in meanwhile
            try:
                items.append(arrived.get_nowait())
            except Empty:
                break
        read = False  # a page came in since the last lot was applied
        for item in items:
            if isinstance(item, ChangesPage):
                collected.extend(item.changes)
                cursor, read = item.next_cursor, True
                if len(collected) >= PULL_CHUNK:
                    applied_cursor = _apply_pulled(engine, collected, cursor, applied_cursor, tally)
                    collected, read = [], False
            elif item == _RESTART:  # the portal was reset: its feed is read from 0
                cursor, collected, read = 0, [], False
            elif isinstance(item, BaseException) and not isinstance(item, FeedStalled):
                raise item
            else:  # the end of the feed or of a round's pages; a feed that stalls
                _apply_pulled(engine, collected, cursor, applied_cursor, tally)
                if isinstance(item, BaseException):
                    raise item
                if item == _LIMIT:
                    log.warning(
                        "read %d pages of the feed this round; the next round reads on",
                        MAX_PULL_PAGES,
                    )
                log.debug(
                    "waited %.0f ms for the feed's pages (%s)",
                    sum(waits) * 1000,
                    ", ".join(f"{wait * 1000:.0f}" for wait in waits),
                )
                return
        if read:
            applied_cursor = _apply_pulled(engine, collected, cursor, applied_cursor, tally)
            collected = []


def _read_feed(
    engine: Engine,
    cursor: int,
    page_size: int,
    arrived: SimpleQueue[_FeedItem],
    done: threading.Event,
) -> None:
    """On the reader's thread: the pages of the feed from ``cursor``, each handed over as
    it comes, then what ended the reading (``_END``, ``_LIMIT`` or the error, a
    ``FeedStalled`` included; ``_RESTART`` when the portal was reset and the feed is read
    again from 0). Stops as soon as ``done`` is set."""
    restarted = False
    pages = 0
    try:
        while pages < MAX_PULL_PAGES:
            engine._check_stop()
            if done.is_set():
                return
            try:
                page = engine._with_retries(partial(engine.client.changes, cursor, page_size))
            except CursorAhead:
                if restarted:
                    raise PortalRefused(
                        "Cổng trả lời không nhất quán về danh sách thay đổi",
                        "The portal answers inconsistently about its change feed",
                    ) from None
                log.warning("the portal's feed ends before cursor %d (reset?): from 0", cursor)
                restarted = True
                cursor = 0
                arrived.put(_RESTART)
                continue
            pages += 1
            if page.has_more and page.next_cursor <= cursor:
                # Asking again would get the same page for ever: keep what came before.
                log.warning("the portal's feed does not move past cursor %d", cursor)
                raise FeedStalled(cursor)
            arrived.put(page)
            cursor = page.next_cursor
            if not page.has_more:
                arrived.put(_END)
                return
        arrived.put(_LIMIT)
    except BaseException as exc:  # handed over: raised where the pages are applied
        arrived.put(exc)


def _apply_pulled(
    engine: Engine, changes: Sequence[Change], cursor: int, applied_cursor: int, tally: Tally
) -> int:
    """Apply the changes read and store the cursor after them, in one transaction."""
    if changes or cursor != applied_cursor:
        moves = [c for c in changes if c.handover is None]
        with collector_paused():
            tally.pulled += engine.store.apply_remote_statuses(
                remote_statuses(moves, engine.counter_no),
                str(cursor),
                [c.handover for c in changes if c.handover is not None],
            )
    return cursor
