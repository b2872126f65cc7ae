"""A pushed batch: each entry judged in order, the whole batch written in one transaction.

Entries are checked against what the database held at the start plus what earlier entries of
the same batch did, and everything is written at the end in a few bulk statements.

What needs no database (the entries' checks, their rows, whether a code is the caller's) is
worked out before the write lock (``prepare``); under it, a batch reads the keys and codes it
names (one SELECT each per 500), judges each entry with dictionary look-ups, and writes each
table with one statement (SQLAlchemy Core, the column types applied).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Table,
    bindparam,
    select,
    update,
)
from sqlalchemy.orm import Session

from portal import reasons
from portal.agencies import CounterIdentity
from portal.attention import record_attention
from portal.bulk import among, chunks, copy_rows, executemany, less_member
from portal.codes import code_day_and_number, in_own_block
from portal.dashboard.rollup import Deltas, Key, closed_moment, key_of
from portal.lookup import lookup_key_hash
from portal.models import Change, Dossier, EntryReceipt
from portal.ratings import PushedRating, record_ratings
from protocol import (
    ACCEPTED,
    CLOSED_STATUSES,
    CONFLICT,
    COUNTER,
    DUPLICATE,
    KIND_DOSSIER,
    KIND_DUE,
    KIND_RATING,
    KIND_STATUS,
    OUTCOMES,
    REJECTED,
    SOURCE_COUNTER,
    VN_TZ,
    EntryResultDict,
    Reason,
    Status,
    ValidEntry,
    WireError,
    code_belongs_to,
    format_datetime,
    next_statuses,
    parse_datetime,
    peek_entry,
    refusal,
    validate_entry,
)

#: The statuses a counter may give a dossier at intake: its moves from a registration.
INTAKE_STATUSES = frozenset(next_statuses(Status.REGISTERED, COUNTER))
#: How far ahead of the portal's clock a counter's may run before a receipt is "in the future".
CLOCK_TOLERANCE = timedelta(minutes=10)
_DOSSIERS = cast(Table, Dossier.__table__)
_CHANGES = cast(Table, Change.__table__)
_RECEIPTS = cast(Table, EntryReceipt.__table__)


@dataclass(slots=True)
class _DossierState:
    """What a batch knows of a dossier: as loaded, then as changed by earlier entries."""

    id: int | None
    counter_id: int  # the counter that pushed it: the only one that may change it
    status: str
    due_at: datetime
    received_at: datetime
    content_hash: str
    accepted_at: datetime
    counter_no: int = 0
    channel: str = "direct"
    closed_at: datetime | None = None
    counted_as: Key | None = None  # its key in the dashboard's counts, as loaded
    new_row: dict[str, Any] | None = None  # set for a dossier created by this batch
    dirty: bool = False


@dataclass(slots=True)
class Plan:
    """What judging an entry needs that no database does, worked out before the write lock."""

    entry: ValidEntry
    #: A code of the caller's agency (and, for a dossier, data of that agency).
    agency_ok: bool
    #: A code this counter may have given (portal.codes), under the agency's block size.
    own_block: bool
    #: Why no counter could have made this dossier (a dossier only), or None.
    implausible: Reason | None = None
    #: The moment of the change (``data.at``; a dossier: its receipt).
    at: datetime | None = None
    #: A dossier's due moment; a due change's new one.
    due_at: datetime | None = None
    #: A new dossier's row, but for what the batch decides (status, due, closed, updated).
    row: dict[str, Any] | None = None


@dataclass
class _Receipt:
    content_hash: str
    accepted_at: datetime


def _result(
    index: int,
    entry: ValidEntry,
    outcome: str,
    http_status: int,
    *,
    accepted_at: datetime | None = None,
    reason: Reason | None = None,
    retryable: bool = False,
) -> EntryResultDict:
    return {
        "index": index,
        "key": entry.key,
        "kind": entry.kind,
        "code": entry.code,
        "outcome": outcome,
        "http_status": http_status,
        "accepted_at": format_datetime(accepted_at) if accepted_at else None,
        "retryable": retryable,
        "reason": reason,
    }


def _implausible(data: dict[str, Any], received_at: datetime, now: datetime) -> Reason | None:
    """Why no counter could have made this dossier, or None: a counter gives a status of
    intake, receives in the past, and numbers a dossier on the day of its receipt."""
    if data["status"] not in INTAKE_STATUSES:
        allowed = ", ".join(sorted(INTAKE_STATUSES))
        return reasons.implausible(
            "data.status",
            f"Hồ sơ mới gửi lên phải ở một trong các trạng thái tiếp nhận ({allowed}), "
            f"không phải '{data['status']}'.",
            f"A new dossier must have an intake status ({allowed}), not '{data['status']}'.",
        )
    if received_at > now + CLOCK_TOLERANCE:
        return reasons.implausible(
            "data.received_at",
            f"Thời điểm tiếp nhận {data['received_at']} ở tương lai (giờ của cổng: "
            f"{format_datetime(now)}); hãy kiểm tra đồng hồ của máy quầy.",
            f"The receipt time {data['received_at']} is in the future (the portal's time: "
            f"{format_datetime(now)}); check the counter computer's clock.",
        )
    parts = code_day_and_number(data["code"], data["agency_code"])
    if parts is None or parts[0] != received_at.astimezone(VN_TZ).date():
        return reasons.implausible(
            "data.code",
            f"Mã hồ sơ {data['code']} phải có dạng <mã cơ quan>-<YYMMDD>-<NNNN> với ngày "
            "là ngày tiếp nhận.",
            f"Dossier code {data['code']} must be <agency code>-<YYMMDD>-<NNNN>, the day "
            "being the day of receipt.",
        )
    return None


def _plan(who: CounterIdentity, entry: ValidEntry, now: datetime) -> Plan:
    agency = who.agency_code
    data = entry.data
    code = entry.code
    agency_ok = code_belongs_to(code, agency) and (
        entry.kind != KIND_DOSSIER or data["agency_code"] == agency
    )
    plan = Plan(entry, agency_ok, in_own_block(code, agency, who.counter_no, who.block_size))
    if not agency_ok:
        return plan
    if entry.kind == KIND_DOSSIER:
        received_at = parse_datetime(data["received_at"])
        plan.at = received_at
        plan.due_at = parse_datetime(data["due_at"])
        plan.implausible = _implausible(data, received_at, now)
        if plan.own_block and plan.implausible is None:
            lookup_key = data["lookup_key"]
            # stored without its lookup key: the canonical text (hashed) less that member
            snapshot = less_member(entry.canonical, "lookup_key", lookup_key) or {
                k: v for k, v in data.items() if k != "lookup_key"
            }
            plan.row = {
                "code": code,
                "agency_id": who.agency_id,
                "counter_id": who.counter_id,
                "counter_no": data["counter_no"],
                "procedure_code": data["procedure_code"],
                "procedure_name": data["procedure_name"],
                "applicant_name": data["applicant"]["name"],
                "applicant_id_number": data["applicant"].get("id_number") or "",
                "channel": data["channel"],
                "received_at": received_at,
                "lookup_key_hash": lookup_key_hash(code, lookup_key),
                "content_hash": entry.content_hash,
                "snapshot": snapshot,
                "created_at": now,
            }
    elif entry.kind == KIND_DUE:
        plan.at = parse_datetime(data["at"])
        plan.due_at = parse_datetime(data["due_at"])
    elif entry.kind == KIND_STATUS:
        plan.at = parse_datetime(data["at"])
    return plan


def prepare(
    who: CounterIdentity, checked: Sequence[ValidEntry | WireError], now: datetime
) -> list[Plan | WireError]:
    """Each checked entry's plan (a refused one as it is): needs no database, so it is done
    before the write lock. ``now`` is the moment the batch will be recorded at."""
    return [e if isinstance(e, WireError) else _plan(who, e, now) for e in checked]


@dataclass
class _Batch:
    session: Session
    who: CounterIdentity
    now: datetime
    receipts: dict[str, _Receipt] = field(default_factory=dict)
    dossiers: dict[str, _DossierState] = field(default_factory=dict)
    new_receipts: list[dict[str, Any]] = field(default_factory=list)
    new_changes: list[dict[str, Any]] = field(default_factory=list)
    attention: list[tuple[ValidEntry, str, Reason]] = field(default_factory=list)
    new_ratings: list[ValidEntry] = field(default_factory=list)
    now_text: str = ""
    postgres: bool = False

    def __post_init__(self) -> None:
        self.now_text = format_datetime(self.now)
        self.postgres = self.session.get_bind().dialect.name == "postgresql"

    # -- loading -----------------------------------------------------------------------------

    def load(self, entries: Sequence[ValidEntry]) -> None:
        conn = self.session.connection()
        keys = sorted({e.key for e in entries})
        r = _RECEIPTS.c
        for chunk in chunks(keys, self.postgres):
            rows = conn.execute(
                select(r.key, r.content_hash, r.accepted_at).where(
                    r.counter_id == self.who.counter_id, among(r.key, chunk, self.postgres)
                )
            )
            for key, digest, accepted_at in rows:
                self.receipts[key] = _Receipt(digest, accepted_at)
        codes = sorted({e.code for e in entries if code_belongs_to(e.code, self.who.agency_code)})
        d = _DOSSIERS.c
        for chunk in chunks(codes, self.postgres):
            rows = conn.execute(
                select(
                    d.id,
                    d.code,
                    d.counter_id,
                    d.status,
                    d.due_at,
                    d.received_at,
                    d.content_hash,
                    d.created_at,
                    d.counter_no,
                    d.channel,
                    d.closed_at,
                ).where(among(d.code, chunk, self.postgres))
            )
            for row in rows:
                state = _DossierState(
                    id=row.id,
                    counter_id=row.counter_id,
                    status=row.status,
                    due_at=row.due_at,
                    received_at=row.received_at,
                    content_hash=row.content_hash,
                    accepted_at=row.created_at,
                    counter_no=row.counter_no,
                    channel=row.channel,
                    closed_at=row.closed_at,
                )
                state.counted_as = self._key(state)
                self.dossiers[row.code] = state

    def _key(self, state: _DossierState) -> Key:
        return key_of(
            self.who.agency_id,
            state.counter_no,
            state.received_at,
            state.status,
            state.closed_at,
            state.due_at,
        )

    # -- deciding ----------------------------------------------------------------------------

    def _remember(self, entry: ValidEntry, accepted_at: datetime) -> None:
        """Keep the key: a repeat of it gets this answer again."""
        self.receipts[entry.key] = _Receipt(entry.content_hash, accepted_at)
        self.new_receipts.append(
            {
                "counter_id": self.who.counter_id,
                "key": entry.key,
                "kind": entry.kind,
                "code": entry.code,
                "content_hash": entry.content_hash,
                "accepted_at": accepted_at,
            }
        )

    def _accept(self, index: int, entry: ValidEntry) -> EntryResultDict:
        self._remember(entry, self.now)
        return {
            "index": index,
            "key": entry.key,
            "kind": entry.kind,
            "code": entry.code,
            "outcome": ACCEPTED,
            "http_status": 200,
            "accepted_at": self.now_text,
            "retryable": False,
            "reason": None,
        }

    def _conflict(self, index: int, entry: ValidEntry, reason: Reason) -> EntryResultDict:
        self.attention.append((entry, CONFLICT, reason))
        return _result(index, entry, CONFLICT, 409, reason=reason)

    def _change(
        self, entry: ValidEntry, state: _DossierState, kind: str, at: datetime, by: str, note: str
    ) -> None:
        self.new_changes.append(
            {
                "agency_id": self.who.agency_id,
                "code": entry.code,
                "kind": kind,
                "status": state.status,
                "due_at": state.due_at,
                "at": at,
                "by": by,
                "note": note,
                "source": SOURCE_COUNTER,
                "counter_id": self.who.counter_id,
                "counter_no": self.who.counter_no,
                "entry_key": entry.key,
                "recorded_at": self.now,
            }
        )

    def decide(self, index: int, plan: Plan) -> EntryResultDict:
        entry = plan.entry
        if not plan.agency_ok:
            reason = reasons.wrong_agency(entry.code, self.who.agency_code)
            return _result(index, entry, REJECTED, 403, reason=reason)
        receipt = self.receipts.get(entry.key)
        if receipt is not None:
            if receipt.content_hash == entry.content_hash:
                return _result(index, entry, DUPLICATE, 200, accepted_at=receipt.accepted_at)
            return self._conflict(index, entry, reasons.key_reused())
        if entry.kind == KIND_DOSSIER:
            if not plan.own_block or entry.data["counter_no"] != self.who.counter_no:
                return self._not_yours(index, entry)
            if plan.implausible is not None:
                return _result(index, entry, REJECTED, 422, reason=plan.implausible)
            return self._dossier(index, plan)
        state = self.dossiers.get(entry.code)
        # Only the counter that pushed a dossier may change it. A dossier it pushed stays its
        # own if the agency's block size changed since; a code outside its block is refused
        # the same way whether the dossier exists or not.
        mine = plan.own_block if state is None else state.counter_id == self.who.counter_id
        if not mine:
            return self._not_yours(index, entry)
        if state is None:
            reason = reasons.unknown_dossier(entry.code)
            return _result(index, entry, REJECTED, 404, retryable=True, reason=reason)
        if entry.kind == KIND_STATUS:
            return self._status(index, plan, state)
        if entry.kind == KIND_RATING:
            return self._rating(index, entry, state)
        return self._due(index, plan, state)

    def _not_yours(self, index: int, entry: ValidEntry) -> EntryResultDict:
        reason = reasons.wrong_counter(entry.code, self.who.counter_no)
        return _result(index, entry, REJECTED, 403, reason=reason)

    def _dossier(self, index: int, plan: Plan) -> EntryResultDict:
        entry, data = plan.entry, plan.entry.data
        state = self.dossiers.get(entry.code)
        if state is not None:
            if state.content_hash == entry.content_hash:
                # The same dossier under another key (e.g. the counter lost its outbox row):
                # nothing to do, and this key now answers the same.
                self._remember(entry, state.accepted_at)
                return _result(index, entry, DUPLICATE, 200, accepted_at=state.accepted_at)
            return self._conflict(index, entry, reasons.dossier_exists(entry.code))
        assert plan.at is not None and plan.due_at is not None and plan.row is not None
        received_at = plan.at
        state = _DossierState(
            id=None,
            counter_id=self.who.counter_id,
            status=data["status"],
            due_at=plan.due_at,
            received_at=received_at,
            content_hash=entry.content_hash,
            accepted_at=self.now,
            counter_no=data["counter_no"],
            channel=data["channel"],
            closed_at=closed_moment(None, data["status"], None, received_at),
            new_row=plan.row,
        )
        self.dossiers[entry.code] = state
        self._change(entry, state, KIND_STATUS, received_at, data["received_by"], "")
        return self._accept(index, entry)

    def _status(self, index: int, plan: Plan, state: _DossierState) -> EntryResultDict:
        entry, data = plan.entry, plan.entry.data
        target = data["status"]
        if target != state.status:
            why = refusal(state.status, target, COUNTER)
            if why is not None:
                reason = reasons.status_conflict(entry.code, state.status, why)
                return self._conflict(index, entry, reason)
            assert plan.at is not None
            state.closed_at = closed_moment(state.status, target, state.closed_at, plan.at)
            state.status = target
            state.dirty = True
            self._change(entry, state, KIND_STATUS, plan.at, data["by"], data["note"])
        # A status the portal already has is accepted as it is: nothing changes.
        return self._accept(index, entry)

    def _due(self, index: int, plan: Plan, state: _DossierState) -> EntryResultDict:
        entry, data = plan.entry, plan.entry.data
        if state.status in CLOSED_STATUSES:
            reason = reasons.dossier_closed(entry.code, state.status)
            return self._conflict(index, entry, reason)
        assert plan.at is not None and plan.due_at is not None
        if plan.due_at < state.received_at:
            return _result(index, entry, REJECTED, 422, reason=reasons.due_before_receipt())
        state.due_at = plan.due_at
        state.dirty = True
        self._change(entry, state, KIND_DUE, plan.at, data["by"], data["reason"])
        return self._accept(index, entry)

    def _rating(self, index: int, entry: ValidEntry, state: _DossierState) -> EntryResultDict:
        """A citizen's rating, taken once the result is handed back; no change in the feed."""
        if state.status != Status.RETURNED.value:
            return self._conflict(index, entry, reasons.not_returned(entry.code, state.status))
        self.new_ratings.append(entry)
        return self._accept(index, entry)

    # -- writing -----------------------------------------------------------------------------

    def flush(self) -> None:
        session = self.session
        conn = session.connection()
        new_rows = []
        updates = []
        counts = Deltas()
        for state in self.dossiers.values():
            if state.new_row is not None:
                state.new_row.update(
                    status=state.status,
                    due_at=state.due_at,
                    closed_at=state.closed_at,
                    updated_at=self.now,
                )
                new_rows.append(state.new_row)
                counts.add(self._key(state), state.received_at, state.channel)
            elif state.dirty:
                updates.append(
                    {
                        "b_id": state.id,
                        "status": state.status,
                        "due_at": state.due_at,
                        "closed_at": state.closed_at,
                        "updated_at": self.now,
                    }
                )
                counts.move(state.counted_as, self._key(state))
        counts.write(session)
        d = _DOSSIERS.c
        if new_rows:
            # One COPY (PostgreSQL) or executemany (SQLite), then their ids by code: neither
            # returns them, and an INSERT ... RETURNING of many rows is one statement of
            # thousands of parameters, slow to build.
            self._insert(conn, _DOSSIERS, new_rows)
            codes = [row["code"] for row in new_rows]
            for chunk in chunks(codes, self.postgres):
                found = select(d.id, d.code).where(among(d.code, chunk, self.postgres))
                for id_, code in conn.execute(found):
                    self.dossiers[code].id = id_
        if updates:
            conn.execute(update(_DOSSIERS).where(d.id == bindparam("b_id")), updates)
        if self.new_changes:
            for change in self.new_changes:
                change["dossier_id"] = self.dossiers[change["code"]].id
            self._insert(conn, _CHANGES, self.new_changes)
        if self.new_receipts:
            self._insert(conn, _RECEIPTS, self.new_receipts)
        self._flush_ratings()
        if self.attention:
            record_attention(session, self.who, self.attention, self.now)

    def _insert(self, conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
        if self.postgres:
            copy_rows(conn, table, rows)
        else:
            executemany(conn, table, rows)

    def _flush_ratings(self) -> None:
        ratings = []
        for entry in self.new_ratings:
            state = self.dossiers[entry.code]
            assert state.id is not None
            ratings.append(
                PushedRating(
                    state.id,
                    self.who.agency_id,
                    state.counter_no,
                    state.received_at,
                    entry.data["level"],
                    entry.data["reason"],
                    parse_datetime(entry.data["at"]),
                )
            )
        record_ratings(self.session, ratings, self.now)


def check_entries(raw_entries: Sequence[Any]) -> list[ValidEntry | WireError]:
    """Each entry validated, or why not: needs no database (done before the write lock)."""
    checked: list[ValidEntry | WireError] = []
    for raw in raw_entries:
        try:
            checked.append(validate_entry(raw))
        except WireError as exc:
            checked.append(exc)
    return checked


def push_entries(
    session: Session,
    who: CounterIdentity,
    raw_entries: Sequence[Any],
    now: datetime,
    checked: list[ValidEntry | WireError] | None = None,
    plans: list[Plan | WireError] | None = None,
) -> list[EntryResultDict]:
    """Record a batch of entries; one result per entry, in order. Caller commits.
    ``checked``: ``check_entries(raw_entries)``, and ``plans``: ``prepare(who, checked,
    now)``, when the caller has them already (made before taking the write lock)."""
    if plans is None:
        if checked is None:
            checked = check_entries(raw_entries)
        plans = prepare(who, checked, now)
    batch = _Batch(session, who, now)
    batch.load([p.entry for p in plans if isinstance(p, Plan)])
    results: list[EntryResultDict] = []
    for index, (raw, plan) in enumerate(zip(raw_entries, plans, strict=True)):
        if isinstance(plan, WireError):
            key, kind, code = peek_entry(raw)
            results.append(
                {
                    "index": index,
                    "key": key,
                    "kind": kind,
                    "code": code,
                    "outcome": REJECTED,
                    "http_status": 422,
                    "accepted_at": None,
                    "retryable": False,
                    "reason": plan.as_reason(),
                }
            )
        else:
            results.append(batch.decide(index, plan))
    batch.flush()
    return results


def count_outcomes(results: Iterable[EntryResultDict]) -> dict[str, int]:
    counts = dict.fromkeys(OUTCOMES, 0)
    for result in results:
        counts[result["outcome"]] += 1
    return counts
