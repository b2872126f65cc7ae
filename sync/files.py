"""The sync engine's last step: the digitised files whose dossier the portal holds, each
uploaded in chunks from what the portal already holds and then linked to its dossier
(docs/sync.md, "Files"). A few at once, each worker with a connection of its own; what the
portal said is written down by the engine's thread."""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, Protocol, TypeVar

from counter.filestore import FileStore
from counter.outbox import Accepted, OutboxItem, SyncStore
from sync.backoff import RetryPolicy
from sync.client import FileAnswer, Limits, PortalClient, Upload
from sync.errors import SyncStopped
from sync.results import Tally

T = TypeVar("T")


class Engine(Protocol):
    """What of the sync engine the file step uses (``sync.engine.SyncEngine``)."""

    store: SyncStore
    client: PortalClient
    policy: RetryPolicy
    rng: random.Random
    clock: Callable[[], datetime]

    def _with_retries(self, call: Callable[[], T]) -> T: ...

    def _check_stop(self) -> None: ...


log = logging.getLogger("counter.sync")

#: Files sent in one round at most; the next round sends on.
MAX_FILES_PER_ROUND = 2000
#: Files uploaded at once, each by a worker with a connection of its own.
FILE_WORKERS = 4
#: File entries marked sent in one transaction.
FILES_MARKED_TOGETHER = 100
#: Answers in a row that do not move a file's upload on before the round gives it up.
MAX_STALLED_CHUNKS = 4


class FileSender:
    """Sends one engine's files: ``push`` in a round, ``close`` with the engine."""

    def __init__(self, engine: Engine, store: FileStore, chunk_bytes: int, workers: int):
        self.engine = engine
        self.store = store
        self.chunk_bytes = max(1, chunk_bytes)
        self.workers = max(1, workers)
        #: Set when a worker's failure ends the round: the other workers stop between chunks.
        self.stop_files = threading.Event()
        self._local = threading.local()
        self._clients: list[PortalClient] = []
        self._clients_lock = threading.Lock()

    def close(self) -> None:
        with self._clients_lock:
            for client in self._clients:
                client.close()
            self._clients.clear()

    def push(self, limits: Limits, tally: Tally) -> None:
        """Upload and link the files whose dossier the portal holds, oldest first, a few at
        a time (``file_workers``; never two of the same file at once).

        Each worker has a connection of its own and only talks to the portal; what the
        portal said is written down here, in this thread. Entries linked are marked sent
        in batches, and whatever way the step ends: one linked but not yet marked when the
        counter is killed is sent again, and the portal answers that it has it.
        """
        tried: set[int] = set()
        linked: list[Accepted] = []
        due = self.engine.store.due_entries(100, at=self.engine.clock(), files=True)
        if not due:
            return  # a round with no file to send starts no worker
        try:
            with ThreadPoolExecutor(self.workers, "sync-files") as pool:
                while len(tried) < MAX_FILES_PER_ROUND:
                    self.engine._check_stop()
                    if tried:
                        due = self.engine.store.due_entries(
                            100 + len(tried), at=self.engine.clock(), files=True
                        )
                    items = [item for item in due if item.id not in tried]
                    if not items:
                        return
                    items = items[: MAX_FILES_PER_ROUND - len(tried)]
                    tried.update(item.id for item in items)
                    for wave in _waves(items):
                        self._send_wave(pool, wave, limits, tally, linked)
                log.info("sent %d files this round; the rest in the next", MAX_FILES_PER_ROUND)
        finally:
            self._mark_sent(linked, tally)

    def _send_wave(
        self,
        pool: ThreadPoolExecutor,
        items: list[OutboxItem],
        limits: Limits,
        tally: Tally,
        linked: list[Accepted],
    ) -> None:
        futures = [(item, pool.submit(self._transfer, item, limits)) for item in items]
        failure: BaseException | None = None
        for item, future in futures:
            try:
                outcome, reason = future.result()
            except BaseException as exc:  # the round ends: record what the others did first
                if failure is None:
                    failure = exc
                    self.stop_files.set()
                continue
            if outcome == "sent":
                linked.append(Accepted(item.id))
                if len(linked) >= FILES_MARKED_TOGETHER:
                    self._mark_sent(linked, tally)
            elif outcome == "later":
                tally.failed += 1
                wait = self.engine.policy.entry.delay(item.attempts + 1, self.engine.rng)
                self.engine.store.mark_retry(
                    [item.id], reason, self.engine.clock() + timedelta(seconds=wait)
                )
            else:
                tally.failed += 1
                self.engine.store.mark_needs_attention(item.id, reason)
                log.warning("file entry %d needs a person", item.id)
        self.stop_files.clear()
        if failure is not None:
            raise failure

    def _mark_sent(self, linked: list[Accepted], tally: Tally) -> None:
        if linked:
            self.engine.store.mark_accepted(linked, at=self.engine.clock())
            tally.pushed += len(linked)
            linked.clear()

    def _client(self) -> PortalClient:
        """This worker thread's connection to the portal."""
        client: PortalClient | None = getattr(self._local, "client", None)
        if client is None:
            client = PortalClient(self.engine.client.config)
            self._local.client = client
            with self._clients_lock:
                self._clients.append(client)
        return client

    def _transfer(self, item: OutboxItem, limits: Limits) -> tuple[str, str]:
        """Upload the entry's file and link it (in a worker): ``("sent", "")`` once the portal
        holds the link, ``("later", reason)`` or ``("attention", reason)``.

        The file is hashed by the portal: one altered in the data folder is refused there
        (``hash_mismatch``) and then found altered here.
        """
        if self.stop_files.is_set():
            raise SyncStopped()
        client = self._client()
        payload = item.payload
        sha256 = str(payload.get("sha256") or "")
        path = self.store.path_of(sha256)
        try:
            size = path.stat().st_size if len(sha256) == 64 else -1
        except OSError:
            size = -1
        if size < 0:
            return "attention", _lost(payload, "missing")
        if size > limits.max_file_bytes:
            what = _file_name(payload)
            return "attention", (
                f"Tệp số hóa {what} lớn hơn giới hạn của cổng ({size} byte, tối đa "
                f"{limits.max_file_bytes}) (the file is over the portal's limit: {size} "
                f"bytes, at most {limits.max_file_bytes})"
            )
        chunk = min(self.chunk_bytes, limits.max_chunk_bytes)
        answer = self._upload(client, sha256, path, size, chunk)
        if isinstance(answer, FileAnswer):
            state = self.store.verify(sha256) if answer.code == "hash_mismatch" else "ok"
            if state != "ok":
                return "attention", _lost(payload, state)
            if answer.later or answer.code == "hash_mismatch":
                return "later", answer.reason
            return "attention", answer.reason
        if answer is None:  # no progress: the next round goes on from what the portal holds
            return "later", "tải tệp không tiến (upload made no progress)"
        link: dict[str, Any] = {
            key: payload[key]
            for key in ("doc", "version", "sha256", "pages", "bytes", "source", "by", "at")
            if key in payload
        }
        linked = self.engine._with_retries(partial(client.link_file, item.dossier_code, link))
        if isinstance(linked, FileAnswer):
            return ("later" if linked.later else "attention"), linked.reason
        return "sent", ""

    def _upload(
        self, client: PortalClient, sha256: str, path: Path, size: int, chunk: int
    ) -> Upload | FileAnswer | None:
        """The file on the portal, from what it holds: its last answer (complete), a refusal,
        or None when the portal's offset stopped moving."""
        held = self.engine._with_retries(partial(client.file_upload, sha256))
        stalled = 0
        with path.open("rb") as handle:  # one chunk in memory at a time
            while isinstance(held, Upload) and not held.complete:
                self.engine._check_stop()
                if self.stop_files.is_set():
                    raise SyncStopped()
                start = held.offset
                if start >= size:  # the portal holds more than the file has: start again
                    return FileAnswer(True, f"the portal holds {start} of {size} bytes")
                handle.seek(start)
                data = handle.read(min(chunk, size - start))
                answer = self.engine._with_retries(
                    partial(client.put_chunk, sha256, start, data, size)
                )
                if isinstance(answer, Upload) and not answer.complete:
                    stalled = stalled + 1 if answer.offset <= start else 0
                    if stalled >= MAX_STALLED_CHUNKS:
                        return None
                held = answer
        return held


def _waves(items: list[OutboxItem]) -> list[list[OutboxItem]]:
    """The entries in waves, in order, such that no wave has two of the same file: a file
    attached to several dossiers is uploaded once, the others find it complete."""
    waves: list[list[OutboxItem]] = []
    seen: list[set[str]] = []
    for item in items:
        sha256 = str(item.payload.get("sha256") or "")
        for wave, shas in zip(waves, seen, strict=True):
            if sha256 not in shas:
                wave.append(item)
                shas.add(sha256)
                break
        else:
            waves.append([item])
            seen.append({sha256})
    return waves


def _lost(payload: dict[str, Any], state: str) -> str:
    """Why a file is not sent: missing from the data folder or altered there."""
    what = _file_name(payload)
    gone = state == "missing"
    return (
        f"Tệp số hóa {what} {'không còn' if gone else 'đã bị sửa'} trong thư mục dữ "
        "liệu: khôi phục từ bản sao lưu rồi gửi lại "
        f"(the digitised file {what} is {'missing from' if gone else 'altered in'} "
        "the data folder: restore it from a backup, then retry)"
    )


def _file_name(payload: dict[str, Any]) -> str:
    """A file entry as a person knows it: the paper, the version, the start of its hash."""
    sha256 = str(payload.get("sha256") or "")
    return f"{payload.get('doc')} v{payload.get('version')} ({sha256[:12]})"
