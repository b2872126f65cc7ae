"""The sync engine: one round pushes the outbox, pulls the change feed, then master data.

A round (``SyncEngine.run_once``), as docs/portal-protocol.md section 3 asks:

1. ``GET /health`` with a short timeout. No answer: the counter is offline, the round ends
   at once (``PortalUnreachable``) and nothing was written.
2. Push the due outbox entries, oldest first, in batches, each entry with the idempotency
   key it was given when it was written; one request on its way at a time, the next batch
   made ready (and the last answers written down) meanwhile. Every entry gets its own
   answer: accepted or duplicate -> sent; conflict or rejected -> needs a person; rejected
   but retryable (the dossier is not on the portal yet) -> pending again after a back-off
   of its own. A 401 stops everything (``TokenRefused``); a 413 halves the batch; dropped
   connections, timeouts, 5xx and 429 resend the very same batch after an exponential
   back-off with jitter that honours ``Retry-After``, a few times, then end the round
   (``PortalUnreachable``): the portal answers a resent key with its first answer, so a
   batch may always be sent again.
3. Pull the change feed from the stored cursor. Pages are read on a thread of their own,
   one after the other, while those that came in are applied: reduced to the last change
   of each dossier (every change carries the dossier's status and due moment after it)
   and applied together with the cursor after them in one transaction, with the hand-overs
   between agencies among them (kept once each, docs/sync.md). A feed that says "more"
   without moving its cursor ends the round (``FeedStalled``) after what came before is
   applied.
4. Pull the catalogue, the calendar and the office details with the versions held; a new
   version is applied together with its version in one transaction.
5. Send the digitised files whose dossier the portal holds (docs/sync.md, "Files"): each is
   uploaded in chunks, read from the data folder one at a time, from what the portal already
   holds (so a dropped connection, a killed counter or a restarted portal costs one chunk at
   most), then linked to its dossier; the entry is sent once the link is acknowledged. A
   file missing from the data folder, or found altered there once the portal refused its
   hash, needs a person.
6. Entries the portal acknowledged more than 7 days ago keep their digest alone
   (``SyncStore.forget_sent_payloads``: one bounded step, one transaction).

Each step writes only what the portal confirmed, in the counter's own transactions, so a
round killed at any point loses nothing and the next one sends nothing twice. Every loop of
a round is bounded, whatever the portal answers: at most ``MAX_PUSH_BATCHES`` batches and
``MAX_PULL_PAGES`` pages of the feed (the rest waits for the next round), a few tries of
each request, and one restart of the feed.

The engine has no Qt and no globals: the desktop application runs it on its network worker
(``run_once(app)`` or ``SyncEngine.for_app(app).run_forever(stop)``), the command line in its
main thread. The clock, the sleep and the random source are injectable, so back-off is
tested without waiting.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from itertools import chain
from typing import Any, TypeVar

import protocol
from counter.clock import now
from counter.errors import Refused
from counter.filestore import FileStore
from counter.outbox import Accepted, OutboxItem, SyncStore
from sync.backoff import RetryPolicy
from sync.client import Limits, PortalClient, PortalConfig, unreachable
from sync.errors import (
    PayloadTooLarge,
    PortalUnreachable,
    SyncError,
    SyncStopped,
    TokenRefused,
    TransientError,
)
from sync.files import FILE_WORKERS, FileSender
from sync.pull import pull
from sync.results import SyncResult, Tally, describe

log = logging.getLogger("counter.sync")

T = TypeVar("T")

#: The outbox's kinds and the wire entry each becomes (the portal calls ``due_change`` "due").
ENTRY_BUILDERS: dict[str, Callable[..., protocol.EntryDict]] = {
    "dossier": protocol.dossier_entry,
    "status": protocol.status_entry,
    "due_change": protocol.due_entry,
    "rating": protocol.rating_entry,
}
#: Room left in a request body for the envelope and the portal's own counting.
BODY_MARGIN = 0.9
#: Batches pushed in one round at most; what is left goes in the next round.
MAX_PUSH_BATCHES = 1000


@dataclass(frozen=True)
class _Sent:
    """A batch on its way to the portal: its entries, as encoded, and the answer to come."""

    chunk: list[tuple[OutboxItem, protocol.EntryDict]]
    encoded: list[bytes]
    answer: Future[list[protocol.EntryResultDict]]


class SyncEngine:
    """Syncs one counter's data folder with the portal. One engine per worker thread."""

    def __init__(
        self,
        store: SyncStore,
        client: PortalClient,
        *,
        counter_no: int,
        batch_size: int = protocol.RECOMMENDED_BATCH_ENTRIES,
        interval: float = 60.0,
        policy: RetryPolicy | None = None,
        clock: Callable[[], datetime] = now,
        sleep: Callable[[float], None] | None = None,
        rng: random.Random | None = None,
        stop: threading.Event | None = None,
        files: FileStore | None = None,
        chunk_bytes: int = protocol.FILE_CHUNK_BYTES,
        file_workers: int = FILE_WORKERS,
    ):
        self.store = store
        self.files = (
            FileSender(self, files, chunk_bytes, file_workers) if files is not None else None
        )
        self.client = client
        self.counter_no = counter_no
        self.batch_size = max(1, min(batch_size, protocol.MAX_BATCH_ENTRIES))
        self.interval = interval
        self.policy = policy or RetryPolicy()
        self.clock = clock
        self.stop_event = stop or threading.Event()
        self._sleep = sleep or self._wait
        self.rng = rng or random.Random()

    @classmethod
    def for_app(cls, app: Any, **kwargs: Any) -> SyncEngine:
        """An engine for a ``CounterApp`` with its ``portal.*`` and ``sync.*`` settings.

        Refuses (``NotConfigured``) when the portal's address or token is missing.
        """
        settings = app.settings
        client = PortalClient(PortalConfig.from_settings(settings))
        kwargs.setdefault("batch_size", int(settings.get("sync.batch_size")))
        kwargs.setdefault("interval", float(settings.get("sync.interval_seconds")))
        kwargs.setdefault("files", app.scans.store)
        return cls(app.sync_store, client, counter_no=app.office.identity().counter_no, **kwargs)

    def stop(self) -> None:
        """Ask a running round or loop to end (from any thread); it stops between requests."""
        self.stop_event.set()

    def close(self) -> None:
        self.client.close()
        if self.files is not None:
            self.files.close()

    def __enter__(self) -> SyncEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- waiting ----------------------------------------------------------------------------

    def _wait(self, seconds: float) -> None:
        self.stop_event.wait(seconds)

    def _pause(self, seconds: float) -> None:
        self._sleep(seconds)
        self._check_stop()

    def _check_stop(self) -> None:
        if self.stop_event.is_set():
            raise SyncStopped()

    def _with_retries(self, call: Callable[[], T]) -> T:
        """``call`` again after transient failures, backing off; then give the round up."""
        failures = 0
        while True:
            try:
                return call()
            except TransientError as exc:
                failures += 1
                too_long = (exc.retry_after or 0.0) > self.policy.longest_wait
                if failures >= self.policy.attempts or too_long:
                    log.warning("portal: %s; giving up this round", exc.reason)
                    error = unreachable(self.client.config.shown_url, exc)
                    error.retry_after = exc.retry_after
                    raise error from exc
                wait = self.policy.request.delay(failures, self.rng, exc.retry_after)
                log.info("portal: %s; trying again in %.1f s", exc.reason, wait)
                self._pause(wait)

    # -- a round ----------------------------------------------------------------------------

    def run_once(self) -> SyncResult:
        """One round: push, pull statuses, pull master data. See the module's docstring.

        A round that ends early (``SyncError``) still tells what it did before:
        ``exc.partial`` is its ``SyncResult``.
        """
        limits = self.client.health()
        tally = Tally()
        try:
            self._push(limits, tally)
            self._pull(limits, tally)
            self._pull_master(tally)
            if self.files is not None:
                self.files.push(limits, tally)
            self._send_audit_head()
        except SyncError as exc:
            exc.partial = self._result(tally)
            raise
        self.store.record_success(self.clock())
        # entries acknowledged long ago keep their digest alone: a bounded step a round
        self.store.forget_sent_payloads(self.clock())
        result = self._result(tally)
        if result.pushed or result.pulled or result.conflicts or result.failed or result.master:
            log.info(
                "sync: pushed %d, pulled %d, conflicts %d, failed %d, pending %d%s",
                result.pushed,
                result.pulled,
                result.conflicts,
                result.failed,
                result.pending,
                f", updated {', '.join(result.master)}" if result.master else "",
            )
        return result

    def _result(self, tally: Tally) -> SyncResult:
        counts = self.store.counts()
        return SyncResult(
            pushed=tally.pushed,
            pulled=tally.pulled,
            conflicts=tally.conflicts,
            failed=tally.failed,
            pending=counts.pending,
            needs_attention=counts.needs_attention,
            master=tuple(tally.master),
        )

    def run_forever(
        self,
        stop: threading.Event | None = None,
        on_round: Callable[[SyncResult | Exception], None] | None = None,
    ) -> SyncResult:
        """Sync every ``interval`` seconds while the portal is reachable, until ``stop``.

        While it is not, probe again after a growing wait (never longer than the interval),
        so a counter that comes back online syncs soon. A refused token ends the loop
        (``TokenRefused`` is raised: a person must act); other failures are reported to
        ``on_round`` and logged, and the loop goes on. Returns the totals.
        """
        if stop is not None:
            self.stop_event = stop
        total = SyncResult()
        failures = 0
        while not self.stop_event.is_set():
            outcome: SyncResult | Exception
            try:
                outcome = self.run_once()
            except SyncStopped as exc:
                total = total + (exc.partial or SyncResult())
                break
            except TokenRefused:
                raise
            except PortalUnreachable as exc:
                outcome = exc
            except Refused as exc:
                log.warning("sync round refused: %s", exc.message_en)
                outcome = exc
            except Exception as exc:  # a bug: logged with its trace, the loop goes on
                log.exception("sync round failed")
                outcome = exc
            if isinstance(outcome, SyncResult):
                total = total + outcome
                failures = 0
                wait = self.interval
            else:
                if isinstance(outcome, SyncError) and outcome.partial is not None:
                    total = total + outcome.partial
                failures += 1
                message = outcome.message_en if isinstance(outcome, Refused) else repr(outcome)
                try:
                    self.store.record_failure(message, self.clock())
                except Refused as exc:  # the database is busy: the next round will say it
                    log.warning("could not record the failure: %s", exc.message_en)
                retry_after = (
                    outcome.retry_after if isinstance(outcome, PortalUnreachable) else None
                )
                wait = min(self.interval, self.policy.offline.delay(failures, self.rng))
                if retry_after:
                    wait = max(wait, retry_after)
            if on_round is not None:
                on_round(outcome)
            self.stop_event.wait(wait)
        return total

    # -- push -------------------------------------------------------------------------------

    def _send_audit_head(self) -> None:
        """The head of the audit trail to the portal, which keeps it; kept here as an anchor
        once the portal has it (``counter.integrity``)."""
        row_id, digest = self.store.audit_head()
        if not row_id or self.store.anchored(row_id, digest, "portal"):
            return  # nothing new since the portal last kept it: no request
        kept = self._with_retries(lambda: self.client.put_audit_head(row_id, digest))
        if kept == (row_id, digest):
            self.store.keep_anchor(row_id, digest, "portal", self.clock())

    def _push(self, limits: Limits, tally: Tally) -> None:
        """The due entries in batches, one request at a time and in order; the next batch is
        read, checked and encoded, and the last answer written down, while a request is on
        its way (the request alone runs on a thread of its own: every write stays here)."""
        size = max(1, min(self.batch_size, limits.max_batch_entries))
        on_the_way: list[_Sent] = []  # the batch sent and not answered yet, if any
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-push") as http:
            for batch in chain(self._batches(size, limits, tally, on_the_way), [None]):
                answered = self._answer(on_the_way.pop(), tally) if on_the_way else None
                if batch is not None:  # sent once the one before is answered: in order
                    on_the_way.append(_Sent(*batch, http.submit(self._send, *batch)))
                if answered is not None:
                    self._record(*answered, tally)

    def _batches(
        self, size: int, limits: Limits, tally: Tally, on_the_way: Sequence[_Sent]
    ) -> Iterator[tuple[list[tuple[OutboxItem, protocol.EntryDict]], list[bytes]]]:
        """The due entries, oldest first, as batches ready to send (built, checked, encoded
        and split to the portal's body size). ``on_the_way``: the batch sent and not yet
        answered (its entries are still due), if any."""
        tried: set[int] = set()
        lingering = 0  # entries tried this round that were still due at the last look
        for _ in range(MAX_PUSH_BATCHES):
            self._check_stop()
            # Entries tried this round leave the due set once answered; those on their way are
            # not read again, the few that stay are skipped, and as many more rows asked for.
            waiting = {item.id for sent in on_the_way for item, _ in sent.chunk}
            limit = size + lingering
            due = self.store.due_entries(limit, at=self.clock(), skip=waiting)
            items = [item for item in due if item.id not in tried][:size]
            lingering = sum(1 for item in due if item.id in tried and item.id not in waiting)
            if not items:
                if len(due) < limit:
                    return
                continue  # a whole page of entries tried already: look further
            tried.update(item.id for item in items)
            ready = self._entries(items, tally)
            yield from self._fit(ready, limits.max_body_bytes, tally)
        log.info("pushed %d batches this round; the rest goes in the next", MAX_PUSH_BATCHES)

    def _send(
        self, chunk: list[tuple[OutboxItem, protocol.EntryDict]], encoded: list[bytes] | None
    ) -> list[protocol.EntryResultDict]:
        entries = [entry for _, entry in chunk]
        return self._with_retries(lambda: self.client.push(entries, encoded))

    def _answer(
        self, sent: _Sent, tally: Tally
    ) -> tuple[list[tuple[OutboxItem, protocol.EntryDict]], list[protocol.EntryResultDict]] | None:
        """The portal's answer to a batch sent: its results to write down, or None when the
        batch was too large and has been sent again in halves (and written down) here."""
        try:
            return sent.chunk, sent.answer.result()
        except PayloadTooLarge:
            self._split(sent.chunk, tally, sent.encoded)
            return None

    def _entries(
        self, items: Sequence[OutboxItem], tally: Tally
    ) -> list[tuple[OutboxItem, protocol.EntryDict]]:
        """Wire entries for outbox rows; a row the protocol cannot carry needs a person."""
        ready = []
        for item in items:
            builder = ENTRY_BUILDERS.get(item.kind)
            try:
                if builder is None:
                    raise protocol.WireError(
                        "unknown_kind",
                        "kind",
                        f"loại mục '{item.kind}' không có trong giao thức",
                        f"kind '{item.kind}' is not part of the protocol",
                    )
                ready.append((item, builder(item.payload, key=item.idempotency_key)))
            except protocol.WireError as exc:
                tally.failed += 1
                self.store.mark_needs_attention(
                    item.id,
                    f"Mục không hợp lệ, chưa gửi: {exc.message_vi} "
                    f"(invalid entry, not sent: {exc.message_en})",
                )
        return ready

    def _fit(
        self, ready: list[tuple[OutboxItem, protocol.EntryDict]], max_body: int, tally: Tally
    ) -> Iterator[tuple[list[tuple[OutboxItem, protocol.EntryDict]], list[bytes]]]:
        """Split a batch so that every request body stays under the portal's limit; each
        chunk comes with its entries as encoded for the body (measured, so encoded once)."""
        budget = int(max_body * BODY_MARGIN)
        chunk: list[tuple[OutboxItem, protocol.EntryDict]] = []
        encoded: list[bytes] = []
        used = 0
        for item, entry in ready:
            text = _encoded(item, entry)
            size = len(text) + 1
            if size > budget:
                tally.failed += 1
                self.store.mark_needs_attention(
                    item.id,
                    f"Mục quá lớn để gửi lên cổng ({size} byte, tối đa {budget}) "
                    f"(entry too large for the portal: {size} bytes, at most {budget})",
                )
                continue
            if chunk and used + size > budget:
                yield chunk, encoded
                chunk, encoded, used = [], [], 0
            chunk.append((item, entry))
            encoded.append(text)
            used += size
        if chunk:
            yield chunk, encoded

    def _push_chunk(
        self,
        chunk: list[tuple[OutboxItem, protocol.EntryDict]],
        tally: Tally,
        encoded: list[bytes] | None = None,
    ) -> None:
        """Send a batch and write down its answers, here and now (too large: in halves)."""
        try:
            results = self._send(chunk, encoded)
        except PayloadTooLarge:
            self._split(chunk, tally, encoded)
            return
        self._record(chunk, results, tally)

    def _split(
        self,
        chunk: list[tuple[OutboxItem, protocol.EntryDict]],
        tally: Tally,
        encoded: list[bytes] | None = None,
    ) -> None:
        """A batch refused as too large: its halves sent in turn; one entry needs a person."""
        if len(chunk) == 1:
            tally.failed += 1
            self.store.mark_needs_attention(
                chunk[0][0].id,
                "Cổng từ chối vì mục quá lớn (the portal refused the entry as too large)",
            )
            return
        half = len(chunk) // 2
        log.info("portal: batch of %d too large; sending halves", len(chunk))
        self._push_chunk(chunk[:half], tally, encoded[:half] if encoded else None)
        self._push_chunk(chunk[half:], tally, encoded[half:] if encoded else None)

    def _record(
        self,
        chunk: list[tuple[OutboxItem, protocol.EntryDict]],
        results: list[protocol.EntryResultDict],
        tally: Tally,
    ) -> None:
        """Write down each entry's answer: sent, later, or for a person."""
        accepted: list[Accepted] = []
        later: dict[int, list[int]] = {}
        later_reason: dict[int, str] = {}
        attention: list[tuple[int, str]] = []
        for (item, _), result in zip(chunk, results, strict=True):
            outcome = result["outcome"]
            if outcome in (protocol.ACCEPTED, protocol.DUPLICATE):
                accepted.append(Accepted(item.id))
                continue
            reason = describe(result)
            if outcome == protocol.REJECTED and result.get("retryable"):
                later.setdefault(item.attempts, []).append(item.id)
                later_reason[item.attempts] = reason
                tally.failed += 1
            else:
                attention.append((item.id, reason))
                if outcome == protocol.CONFLICT:
                    tally.conflicts += 1
                else:
                    tally.failed += 1
        self.store.mark_accepted(accepted, at=self.clock())
        tally.pushed += len(accepted)
        for attempts, ids in later.items():
            wait = self.policy.entry.delay(attempts + 1, self.rng)
            self.store.mark_retry(
                ids, later_reason[attempts], self.clock() + timedelta(seconds=wait)
            )
        for entry_id, reason in attention:
            self.store.mark_needs_attention(entry_id, reason)
        if attention:
            log.warning("portal: %d entries need a person", len(attention))

    # -- pull -------------------------------------------------------------------------------

    def _pull(self, limits: Limits, tally: Tally) -> None:
        pull(self, limits, tally)

    # -- master data ------------------------------------------------------------------------

    def _pull_master(self, tally: Tally) -> None:
        for kind in ("catalog", "calendar", "office"):
            self._check_stop()
            held = self.store.master_version(kind)
            doc = self._with_retries(partial(self.client.master, kind, held))
            if doc is None or doc["version"] == held:
                continue
            try:
                self._apply_master(kind, doc)
            except (Refused, protocol.WireError, KeyError, TypeError, ValueError) as exc:
                # Bad master data from the portal must not stop dossiers from syncing.
                message = exc.message_en if isinstance(exc, Refused) else str(exc)
                log.warning("portal %s version %s not applied: %s", kind, doc["version"], message)
                continue
            tally.master.append(kind)

    def _apply_master(self, kind: str, doc: dict[str, Any]) -> None:
        version = doc["version"]
        if kind == "catalog":
            catalog = doc["catalog"]
            if catalog.get("procedures"):  # a portal that never published one sends none
                catalog = protocol.validate_catalog(catalog)
            self.store.apply_catalog(version, catalog)
        elif kind == "calendar":
            overrides = [
                (
                    protocol.parse_date(item["date"]),
                    item["kind"] == "workday",
                    str(item.get("note") or ""),
                )
                for item in doc["overrides"]
                if item["kind"] in protocol.CALENDAR_KINDS
            ]
            self.store.apply_calendar(version, overrides)
        else:
            # the names, and the agency's block size of dossier numbers
            self.store.apply_office(version, doc["office"])


def _encoded(item: OutboxItem, entry: protocol.EntryDict) -> bytes:
    """An entry as sent: around its payload's stored text when the checks left the payload as
    it is (the same members and values, so the same JSON; not written out again), else
    ``protocol.dumps``. The key and kind are a UUID and a word: nothing in them to escape."""
    if item.text and entry["data"] == item.payload:
        head = f'{{"key":"{entry["key"]}","kind":"{entry["kind"]}","data":'
        return f"{head}{item.text}}}".encode()
    return protocol.dumps(entry)


def run_once(app: Any, **kwargs: Any) -> SyncResult:
    """One round for a ``CounterApp``: what the desktop's network worker calls."""
    with SyncEngine.for_app(app, **kwargs) as engine:
        return engine.run_once()
