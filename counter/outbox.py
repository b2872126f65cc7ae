"""The counter side of sync, as the sync engine sees it: the outbox, the portal's statuses,
master data, and the engine's own bookkeeping. No network here: ``sync`` does that."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session, aliased

from counter import audit, integrity, settings
from counter.bulksql import among
from counter.catalog import parse_catalog
from counter.clock import iso, now, parse_datetime
from counter.codes import block_range
from counter.db import Database
from counter.errors import InvalidInput
from counter.handovers import RemoteHandover
from counter.models import (
    CalendarOverride,
    Dossier,
    OutboxEntry,
    SentEntry,
    Setting,
)
from counter.remote import RemoteStatus, apply_remote
from counter.repository import chunks
from counter.statuses import PORTAL
from counter.storage import OUTBOX_KIND
from counter.views import SyncCounts

BLOCK_SIZE = "codes.block_size"
#: How long a sent entry keeps its payload once the portal acknowledged it, for a person to
#: compare what was sent with what the portal shows (docs/architecture.md, "Storage"); after
#: that the portal's copy, which it keeps for good, is the one to read, the entry's dossier's
#: digest needs its key, kind and the payload's SHA-256 alone, and nothing reads it again.
KEEP_SENT_PAYLOADS = timedelta(days=7)
#: Dossiers whose old sent entries one ``forget_sent_payloads`` step reduces at most.
FORGET_BATCH = 2000
#: The outbox kind of a digitised file: uploaded, then linked (docs/sync.md, "Files").
FILE_KIND = "file"


#: The dossiers of the entries acknowledged before ``:cutoff``, oldest first, read along the
#: partial index of sent entries by acknowledgement (named: SQLite would otherwise take the one
#: by state and id and sort every recent sent entry, each round); an entry whose dossier has
#: an older one not to reduce yet is passed over. The words are the outbox's (text) states.
_OLDEST_SENT = text(
    "SELECT o.dossier_id FROM outbox AS o INDEXED BY ix_outbox_sent_at "
    "WHERE o.state = 'sent' AND o.sent_at < :cutoff AND o.kind IN :kinds "
    "AND NOT EXISTS (SELECT 1 FROM outbox AS p WHERE p.dossier_id = o.dossier_id "
    "AND p.id < o.id AND (p.state != 'sent' OR p.sent_at IS NULL OR p.sent_at >= :cutoff "
    "OR p.kind NOT IN :kinds)) "
    "ORDER BY o.sent_at LIMIT :limit"
).bindparams(
    bindparam("cutoff", type_=OutboxEntry.__table__.c.sent_at.type),
    bindparam("kinds", expanding=True),
)


def _check_block_size(value: Any, counter_no: int) -> None:
    """The agency's block size, as the portal sent it: a whole number in the setting's range
    that leaves room for this counter's block (counter N numbers N*size+1 ... (N+1)*size-1)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(
            f"Cổng gửi cỡ khối số hồ sơ không hợp lệ: {value!r}",
            f"The portal sent an invalid block size of dossier numbers: {value!r}",
            field=BLOCK_SIZE,
        )
    settings.parse_value(BLOCK_SIZE, str(value))
    block_range(counter_no, value)


@dataclass(frozen=True)
class OutboxItem:
    id: int
    kind: str  # dossier | status | due_change | file
    idempotency_key: str
    payload: dict[str, Any]
    attempts: int
    created_at: datetime
    state: str = "pending"
    last_error: str = ""
    dossier_code: str = ""
    #: The payload as stored (JSON), when read for sending: what it is sent as when the
    #: entry's checked data is the payload itself.
    text: str = field(default="", repr=False, compare=False)


@dataclass(frozen=True)
class Accepted:
    entry_id: int
    portal_code: str = ""


def _item(e: OutboxEntry, code: str = "") -> OutboxItem:
    return OutboxItem(
        e.id,
        e.kind,
        e.idempotency_key,
        json.loads(e.payload),
        e.attempts,
        e.created_at,
        e.state,
        e.last_error,
        code,
    )


#: Columns looked up by a list of ids (``among``).
_OUTBOX_ID = OutboxEntry.__table__.c.id
_OUTBOX_DOSSIER = OutboxEntry.__table__.c.dossier_id
_DOSSIER_ID = Dossier.__table__.c.id

#: An ``OutboxItem``'s columns, in its fields' order (the dossier's code comes besides).
_ITEM_COLUMNS = (
    OutboxEntry.id,
    OutboxEntry.kind,
    OutboxEntry.idempotency_key,
    OutboxEntry.payload,
    OutboxEntry.attempts,
    OutboxEntry.created_at,
    OutboxEntry.state,
    OutboxEntry.last_error,
)


class SyncStore:
    def __init__(self, db: Database, on_master_data: Callable[[], None] | None = None):
        self.db = db
        self._on_master_data = on_master_data or (lambda: None)

    # -- the engine's key/value state ------------------------------------------------------

    @staticmethod
    def _get(s: Session, key: str, default: Any = None) -> Any:
        raw = s.get(Setting, f"sync.state.{key}")
        return json.loads(raw.value) if raw else default

    @staticmethod
    def _put(s: Session, key: str, value: Any) -> None:
        s.merge(Setting(key=f"sync.state.{key}", value=json.dumps(value)))

    def state(self, key: str, default: Any = None) -> Any:
        with self.db.reading() as s:
            return self._get(s, key, default)

    def cursor(self) -> str:
        return str(self.state("cursor", "") or "")

    def master_version(self, kind: str) -> str:
        return str(self.state(f"version.{kind}", "") or "")

    def record_success(self, at: datetime | None = None) -> None:
        with self.db.unit_of_work() as s:
            self._put(s, "last_success_at", iso(at or now()))

    def audit_head(self) -> tuple[int, str]:
        """The audit trail's last row id and hash, for the portal to keep."""
        with self.db.reading() as s:
            h = integrity.head(s)
        return h.row_id, h.hash

    def anchored(self, row_id: int, digest: str, witness: str) -> bool:
        """Whether ``witness`` already has this head."""
        with self.db.reading() as s:
            return integrity.is_anchored(s, row_id, digest, witness)

    def keep_anchor(self, row_id: int, digest: str, witness: str, at: datetime) -> None:
        """A head someone outside saw (the portal has it): ``check`` holds the chain to it."""
        with self.db.unit_of_work() as s:
            integrity.keep_anchor(s, row_id, digest, witness, at)

    def record_failure(self, message: str, at: datetime | None = None) -> None:
        with self.db.unit_of_work() as s:
            self._put(s, "last_error", message[:500])
            self._put(s, "last_error_at", iso(at or now()))

    # -- outbox ---------------------------------------------------------------------------

    def due_entries(
        self,
        limit: int,
        at: datetime | None = None,
        *,
        files: bool = False,
        skip: Collection[int] = (),
    ) -> list[OutboxItem]:
        """Pending entries whose back-off has run out, oldest first: those pushed as entries
        (not ``file``), or with ``files`` the ``file`` ones whose dossier the portal holds
        (its ``dossier`` entry is sent). ``skip``: ids left out (a batch on its way: not
        read again while it is)."""
        moment = at or now()
        if files:
            dossier_entry = aliased(OutboxEntry)
            unsent = (
                select(dossier_entry.id)
                .where(
                    dossier_entry.dossier_id == OutboxEntry.dossier_id,
                    dossier_entry.kind == "dossier",
                    dossier_entry.state != "sent",
                )
                .exists()
            )
            which: ColumnElement[bool] = (OutboxEntry.kind == FILE_KIND) & ~unsent
        else:
            which = OutboxEntry.kind != FILE_KIND
        with self.db.reading() as s:
            # The columns alone, not ORM objects: a push reads thousands of these. The ids to
            # skip are left out here rather than in SQL (as many more rows read), and only
            # the payloads kept are parsed.
            rows = s.execute(
                select(*_ITEM_COLUMNS, Dossier.code)
                .join(Dossier, Dossier.id == OutboxEntry.dossier_id)
                .where(
                    OutboxEntry.state == "pending",
                    which,
                    (OutboxEntry.next_attempt_at.is_(None))
                    | (OutboxEntry.next_attempt_at <= moment),
                )
                .order_by(OutboxEntry.id)
                .limit(limit + len(skip))
            ).all()
        if skip:
            rows = [row for row in rows if row[0] not in skip]
        return [
            OutboxItem(i, kind, key, json.loads(payload), tries, at, state, error, code, payload)
            for i, kind, key, payload, tries, at, state, error, code in rows[:limit]
        ]

    def needs_attention(self) -> list[OutboxItem]:
        with self.db.reading() as s:
            rows = s.execute(
                select(OutboxEntry, Dossier.code)
                .join(Dossier, Dossier.id == OutboxEntry.dossier_id)
                .where(OutboxEntry.state == "needs_attention")
                .order_by(OutboxEntry.id)
            ).all()
            return [_item(e, code) for e, code in rows]

    def counts(self) -> SyncCounts:
        with self.db.reading() as s:
            by_state = dict(
                s.execute(select(OutboxEntry.state, func.count()).group_by(OutboxEntry.state)).all()
            )
            last = self._get(s, "last_success_at")
        return SyncCounts(
            pending=int(by_state.get("pending", 0)),
            needs_attention=int(by_state.get("needs_attention", 0)),
            last_success_at=parse_datetime(last) if last else None,
        )

    def _refresh_dossier_states(self, s: Session, dossier_ids: set[int]) -> None:
        """Each dossier's ``sync_state`` from its entries, in one statement a chunk: one
        needing a person makes it ``needs_attention``, else one pending ``pending``, else
        ``synced`` (a held entry, of a kind the sync does not send, is not waited for)."""
        if not dossier_ids:
            return

        # each word bound through the column's type, as the column stores it
        def word(state: str) -> ColumnElement[str]:
            return literal(state, Dossier.sync_state.type)

        open_entries = (
            select(
                case(
                    (
                        func.max(OutboxEntry.state == "needs_attention") == 1,
                        word("needs_attention"),
                    ),
                    else_=word("pending"),
                )
            )
            .where(
                OutboxEntry.dossier_id == Dossier.id,
                OutboxEntry.state.in_(("pending", "needs_attention")),
            )
            .having(func.count() > 0)
            .scalar_subquery()
        )
        for part in chunks(sorted(dossier_ids)):
            s.execute(
                update(Dossier)
                .where(Dossier.id.in_(part))
                .values(sync_state=func.coalesce(open_entries, word("synced")))
                .execution_options(synchronize_session="fetch")
            )

    def mark_accepted(self, accepted: Sequence[Accepted], at: datetime | None = None) -> None:
        """The portal holds these entries now (first answer or a repeat of it)."""
        if not accepted:
            return
        moment = at or now()
        with self.db.unit_of_work() as s:
            codes = {a.entry_id: a.portal_code for a in accepted}
            # Set-based: the entries not sent yet and their dossiers in one read a chunk, all
            # marked sent in one statement a chunk, each list of ids one parameter (among).
            todo: list[tuple[int, int]] = []
            for part in chunks(sorted(codes)):
                todo += s.execute(
                    select(OutboxEntry.id, OutboxEntry.dossier_id).where(
                        among(_OUTBOX_ID, part), OutboxEntry.state != "sent"
                    )
                ).all()
            for part in chunks(todo):
                s.execute(
                    update(OutboxEntry)
                    .where(among(_OUTBOX_ID, [entry_id for entry_id, _ in part]))
                    .values(state="sent", sent_at=moment, last_error="")
                    .execution_options(synchronize_session=False)
                )
            touched: set[int] = set()
            for entry_id, dossier_id in todo:
                touched.add(dossier_id)
                if codes[entry_id]:
                    d = s.get(Dossier, dossier_id)
                    if d is not None and not d.portal_code and codes[entry_id] != d.code:
                        d.portal_code = codes[entry_id]
            # The dossiers with no entry left to send or to look at are synced, in the
            # statement that confirms them; the others' state worked out as it always is.
            still_open: set[int] = set()
            for part in chunks(sorted(touched)):
                still_open.update(
                    s.scalars(
                        select(OutboxEntry.dossier_id).where(
                            among(_OUTBOX_DOSSIER, part),
                            OutboxEntry.state.in_(("pending", "needs_attention")),
                        )
                    )
                )
            for ids, values in (
                (touched - still_open, {"portal_confirmed_at": moment, "sync_state": "synced"}),
                (touched & still_open, {"portal_confirmed_at": moment}),
            ):
                for part in chunks(sorted(ids)):
                    s.execute(
                        update(Dossier)
                        .where(among(_DOSSIER_ID, part))
                        .values(values)
                        .execution_options(synchronize_session=False)
                    )
            self._refresh_dossier_states(s, still_open)

    def mark_retry(self, entry_ids: Sequence[int], error: str, next_attempt_at: datetime) -> None:
        """A transient failure: try again after ``next_attempt_at``."""
        if not entry_ids:
            return
        with self.db.unit_of_work() as s:
            s.execute(
                update(OutboxEntry)
                .where(OutboxEntry.id.in_(list(entry_ids)), OutboxEntry.state == "pending")
                .values(
                    attempts=OutboxEntry.attempts + 1,
                    next_attempt_at=next_attempt_at,
                    last_error=error[:500],
                )
            )

    def mark_needs_attention(self, entry_id: int, reason: str) -> None:
        """The portal refused this entry for good (conflict, invalid): a person must look."""
        with self.db.unit_of_work() as s:
            entry = s.get(OutboxEntry, entry_id)
            if entry is None:
                return
            entry.state = "needs_attention"
            entry.attempts += 1
            entry.last_error = reason[:1000]
            d = s.get(Dossier, entry.dossier_id)
            audit.append(
                s,
                PORTAL,
                "sync.needs_attention",
                "dossier",
                d.code if d else "",
                {"entry": entry.idempotency_key, "reason": reason[:500]},
            )
            self._refresh_dossier_states(s, {entry.dossier_id})

    def retry(self, entry_id: int, actor_name: str) -> None:
        """A person asks to send an entry that needed attention again, as it is."""
        with self.db.unit_of_work() as s:
            entry = s.get(OutboxEntry, entry_id)
            if entry is None or entry.state != "needs_attention":
                return
            entry.state = "pending"
            entry.next_attempt_at = None
            d = s.get(Dossier, entry.dossier_id)
            audit.append(
                s,
                actor_name,
                "sync.retry",
                "dossier",
                d.code if d else "",
                {"entry": entry.idempotency_key},
            )
            self._refresh_dossier_states(s, {entry.dossier_id})

    # -- retention ------------------------------------------------------------------------

    def forget_sent_payloads(self, at: datetime | None = None, limit: int = FORGET_BATCH) -> int:
        """Entries the portal acknowledged more than ``KEEP_SENT_PAYLOADS`` ago keep only what
        their dossier's audit digest covers (``SentEntry``: key, kind, the payload's SHA-256):
        the oldest first, each dossier's in its order, at most about ``limit`` dossiers' in one
        transaction. A dossier's entries go in order: an entry whose dossier still has an
        older one not to forget yet (waiting, needing a person, sent recently) stays whole.
        No digest changes. Returns how many entries were reduced (``limit`` or more: call
        again)."""
        cutoff = (at or now()) - KEEP_SENT_PAYLOADS
        entry = OutboxEntry
        kinds = OUTBOX_KIND.words

        def forgettable(e: Any) -> ColumnElement[bool]:
            return (e.state == "sent") & (e.sent_at < cutoff) & e.kind.in_(kinds)

        params = {"cutoff": cutoff, "kinds": kinds, "limit": limit}
        with self.db.reading() as s:  # most rounds: nothing to do, and no write lock taken
            if s.scalar(_OLDEST_SENT, {**params, "limit": 1}) is None:
                return 0
        with self.db.unit_of_work() as s:
            picked = sorted(set(s.scalars(_OLDEST_SENT, params)))
            if not picked:
                return 0
            kept: list[dict[str, Any]] = []
            gone: list[int] = []
            for part in chunks(picked):
                last = dict(
                    s.execute(
                        select(SentEntry.dossier_id, func.max(SentEntry.seq))
                        .where(SentEntry.dossier_id.in_(part))
                        .group_by(SentEntry.dossier_id)
                    ).all()
                )
                rows = s.execute(
                    select(
                        entry.id,
                        entry.dossier_id,
                        entry.idempotency_key,
                        entry.kind,
                        entry.payload,
                        forgettable(entry),
                    )
                    .where(entry.dossier_id.in_(part))
                    .order_by(entry.dossier_id, entry.id)
                ).all()
                stopped: set[int] = set()
                for entry_id, dossier_id, key, kind, payload, ok in rows:
                    if dossier_id in stopped or not ok:
                        stopped.add(dossier_id)  # this one and those after it stay whole
                        continue
                    seq = last[dossier_id] = last.get(dossier_id, -1) + 1
                    kept.append(
                        {
                            "dossier_id": dossier_id,
                            "seq": seq,
                            "key": key,
                            "kind": kind,
                            "payload_sha256": hashlib.sha256(payload.encode()).digest(),
                        }
                    )
                    gone.append(entry_id)
            s.execute(insert(SentEntry), kept)
            for ids in chunks(gone):
                s.execute(
                    delete(OutboxEntry)
                    .where(OutboxEntry.id.in_(ids))
                    .execution_options(synchronize_session=False)
                )
        return len(gone)

    # -- from the portal ------------------------------------------------------------------

    def apply_remote_statuses(
        self,
        changes: Sequence[RemoteStatus],
        cursor: str,
        handovers: Sequence[RemoteHandover] = (),
    ) -> int:
        """Apply the portal's statuses and advance the cursor, all at once.

        The portal's word wins for the statuses it owns. A status the counter owns that the
        portal reports back (an echo of our own change, or an online intake) is applied only
        if it is not already the current one. This counter's own entries coming back
        (``own``) are applied only when none of the dossier's entries is still pending: the
        portal then holds exactly what the counter said last. A due moment that moved
        (``due``) is applied, and kept in history, unless an entry of the dossier is still
        pending (it may be the counter's own new appointment). Hand-overs between agencies
        are kept once each (by the portal's id). Unknown codes are skipped (other agencies'
        dossiers never reach us; demo data never left). Returns how many dossiers changed.

        Set-based, in one transaction with the cursor: the dossiers read once (the columns
        the rules look at), the changes decided in Python with ``counter.changes``' rules,
        then one statement per table for all of them, and the audit lines chained over the
        whole lot (docs/sync.md).
        """
        moment = now()
        with self.db.unit_of_work() as s:
            applied = apply_remote(s, changes, handovers, moment)
            self._put(s, "cursor", cursor)
        return applied

    def apply_catalog(self, version: str, catalog: dict[str, Any]) -> int:
        """Procedures published by the portal, upserted with the version, all or nothing."""
        from counter.catalog_store import upsert_procedures

        _, procedures = parse_catalog(catalog)
        with self.db.unit_of_work() as s:
            n = upsert_procedures(s, procedures, source="portal")
            self._put(s, "version.catalog", version)
            audit.append(s, PORTAL, "catalog.sync", "catalog", version, {"procedures": n})
        self._on_master_data()
        return n

    def apply_calendar(self, version: str, overrides: Sequence[tuple[date, bool, str]]) -> int:
        """The portal's calendar overrides replace the previous portal set (office's stay)."""
        moment = now()
        with self.db.unit_of_work() as s:
            s.query(CalendarOverride).filter(CalendarOverride.source == "portal").delete()
            for day, working, note in overrides:
                s.add(
                    CalendarOverride(
                        day=day,
                        source="portal",
                        working=working,
                        note=note,
                        updated_by=PORTAL,
                        updated_at=moment,
                    )
                )
            self._put(s, "version.calendar", version)
            audit.append(
                s, PORTAL, "calendar.sync", "calendar", version, {"overrides": len(overrides)}
            )
        self._on_master_data()
        return len(overrides)

    def apply_office(self, version: str, details: Mapping[str, Any]) -> None:
        """Office wording published by the portal (names only: never the code or counter),
        and the agency's block size of dossier numbers (the default when it says none).

        A block size this counter cannot number with refuses the whole version: nothing of
        it is applied.
        """
        allowed = {"agency_name", "parent_name", "place", "address", "phone", "level"}
        block_size = details.get("block_size", settings.SPECS[BLOCK_SIZE].default)
        with self.db.unit_of_work() as s:
            counter_no = settings.decode("office.counter_no", self._raw(s, "office.counter_no"))
            _check_block_size(block_size, int(counter_no))
            for key, value in details.items():
                if key in allowed and isinstance(value, str) and value.strip():
                    s.merge(
                        Setting(
                            key=f"office.{key}", value=json.dumps(value.strip(), ensure_ascii=False)
                        )
                    )
            s.merge(Setting(key=BLOCK_SIZE, value=settings.encode(block_size)))
            self._put(s, "version.office", version)
            audit.append(
                s,
                PORTAL,
                "office.sync",
                "office",
                version,
                {**{k: v for k, v in details.items() if k in allowed}, "block_size": block_size},
            )
        self._on_master_data()

    @staticmethod
    def _raw(s: Session, key: str) -> str | None:
        row = s.get(Setting, key)
        return row.value if row is not None else None
