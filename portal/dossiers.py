"""Dossiers on the portal: pushed batches, status and due changes, the change feed, attention.

A push is one transaction whatever its size: the entries are checked in order against what the
database held at the start plus what earlier entries of the same batch did, and everything is
written at the end in a few bulk statements.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from portal import workflow
from portal.agencies import CounterIdentity, get_agency
from portal.errors import PortalError, invalid, not_found
from portal.models import Agency, AttentionItem, Change, Counter, Dossier, EntryReceipt
from sync.wire import (
    ACCEPTED,
    CLOSED_STATUSES,
    CONFLICT,
    DUPLICATE,
    KIND_DOSSIER,
    KIND_DUE,
    KIND_STATUS,
    OUTCOMES,
    R_DOSSIER_CLOSED,
    R_DOSSIER_EXISTS,
    R_INVALID_VALUE,
    R_KEY_REUSED,
    R_STATUS_CONFLICT,
    R_UNKNOWN_DOSSIER,
    R_WRONG_AGENCY,
    REJECTED,
    SOURCE_COUNTER,
    SOURCE_PORTAL,
    STATUS_CODES,
    STATUS_LABELS_EN,
    STATUS_LABELS_VI,
    ChangeDict,
    ChangesResponseDict,
    EntryResultDict,
    Reason,
    ValidEntry,
    WireError,
    code_belongs_to,
    format_datetime,
    is_dossier_code,
    parse_datetime,
    peek_entry,
    printable,
    validate_entry,
)

log = logging.getLogger("portal.dossiers")

_IN_CHUNK = 500  # ids per "IN (...)": well under every database's parameter limit
_DUMMY_LOOKUP_HASH = hashlib.sha256(b"no such dossier").hexdigest()


def lookup_key_hash(code: str, key: str) -> str:
    """Keys are compared without regard to case: a citizen may type one from paper."""
    return hashlib.sha256(f"{code}:{key.upper()}".encode()).hexdigest()


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _IN_CHUNK):
        yield items[start : start + _IN_CHUNK]


# --------------------------------------------------------------------------------------------
# Push
# --------------------------------------------------------------------------------------------


@dataclass
class _DossierState:
    """What a batch knows of a dossier: as loaded, then as changed by earlier entries."""

    id: int | None
    status: str
    due_at: datetime
    received_at: datetime
    content_hash: str
    accepted_at: datetime
    new_row: dict[str, Any] | None = None  # set for a dossier created by this batch
    dirty: bool = False


@dataclass
class _Receipt:
    content_hash: str
    accepted_at: datetime


@dataclass
class _Batch:
    session: Session
    who: CounterIdentity
    now: datetime
    results: list[EntryResultDict] = field(default_factory=list)
    receipts: dict[str, _Receipt] = field(default_factory=dict)
    dossiers: dict[str, _DossierState] = field(default_factory=dict)
    new_receipts: list[dict[str, Any]] = field(default_factory=list)
    new_changes: list[dict[str, Any]] = field(default_factory=list)
    attention: list[tuple[ValidEntry, str, Reason]] = field(default_factory=list)

    # -- loading -----------------------------------------------------------------------------

    def load(self, entries: Sequence[ValidEntry]) -> None:
        keys = sorted({e.key for e in entries})
        for chunk in _chunks(keys):
            rows = self.session.execute(
                select(EntryReceipt.key, EntryReceipt.content_hash, EntryReceipt.accepted_at).where(
                    EntryReceipt.counter_id == self.who.counter_id, EntryReceipt.key.in_(chunk)
                )
            )
            for key, digest, accepted_at in rows:
                self.receipts[key] = _Receipt(digest, accepted_at)
        codes = sorted({e.code for e in entries if code_belongs_to(e.code, self.who.agency_code)})
        for chunk in _chunks(codes):
            rows = self.session.execute(
                select(
                    Dossier.id,
                    Dossier.code,
                    Dossier.status,
                    Dossier.due_at,
                    Dossier.received_at,
                    Dossier.content_hash,
                    Dossier.created_at,
                ).where(Dossier.code.in_(chunk))
            )
            for row in rows:
                self.dossiers[row.code] = _DossierState(
                    id=row.id,
                    status=row.status,
                    due_at=row.due_at,
                    received_at=row.received_at,
                    content_hash=row.content_hash,
                    accepted_at=row.created_at,
                )

    # -- deciding ----------------------------------------------------------------------------

    def _result(
        self,
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

    def _accept(self, index: int, entry: ValidEntry, accepted_at: datetime) -> EntryResultDict:
        self._remember(entry, accepted_at)
        return self._result(index, entry, ACCEPTED, 200, accepted_at=accepted_at)

    def _conflict(self, index: int, entry: ValidEntry, reason: Reason) -> EntryResultDict:
        self.attention.append((entry, CONFLICT, reason))
        return self._result(index, entry, CONFLICT, 409, reason=reason)

    def _change(
        self, entry: ValidEntry, state: _DossierState, kind: str, at: str, by: str, note: str
    ) -> None:
        self.new_changes.append(
            {
                "agency_id": self.who.agency_id,
                "code": entry.code,
                "kind": kind,
                "status": state.status,
                "due_at": state.due_at,
                "at": parse_datetime(at),
                "by": by,
                "note": note,
                "source": SOURCE_COUNTER,
                "counter_id": self.who.counter_id,
                "counter_no": self.who.counter_no,
                "entry_key": entry.key,
                "recorded_at": self.now,
            }
        )

    def decide(self, index: int, entry: ValidEntry) -> EntryResultDict:
        agency = self.who.agency_code
        if not code_belongs_to(entry.code, agency) or (
            entry.kind == KIND_DOSSIER and entry.data["agency_code"] != agency
        ):
            return self._result(
                index,
                entry,
                REJECTED,
                403,
                reason={
                    "code": R_WRONG_AGENCY,
                    "message": f"Hồ sơ {entry.code} không thuộc cơ quan {agency} của quầy này.",
                    "message_en": f"Dossier {entry.code} does not belong to this counter's "
                    f"agency {agency}.",
                },
            )
        receipt = self.receipts.get(entry.key)
        if receipt is not None:
            if receipt.content_hash == entry.content_hash:
                return self._result(index, entry, DUPLICATE, 200, accepted_at=receipt.accepted_at)
            return self._conflict(
                index,
                entry,
                {
                    "code": R_KEY_REUSED,
                    "message": "Khóa chống trùng (key) này đã được dùng cho một nội dung khác; "
                    "nội dung mới không được ghi nhận.",
                    "message_en": "This idempotency key was already used for different content; "
                    "the new content was not recorded.",
                    "field": "key",
                },
            )
        if entry.kind == KIND_DOSSIER:
            return self._dossier(index, entry)
        state = self.dossiers.get(entry.code)
        if state is None:
            return self._result(
                index,
                entry,
                REJECTED,
                404,
                retryable=True,
                reason={
                    "code": R_UNKNOWN_DOSSIER,
                    "message": f"Cổng chưa có hồ sơ {entry.code}; cần gửi hồ sơ trước.",
                    "message_en": f"The portal does not have dossier {entry.code}; "
                    "push the dossier first.",
                    "field": "data.code",
                },
            )
        if entry.kind == KIND_STATUS:
            return self._status(index, entry, state)
        return self._due(index, entry, state)

    def _dossier(self, index: int, entry: ValidEntry) -> EntryResultDict:
        data = entry.data
        state = self.dossiers.get(entry.code)
        if state is not None:
            if state.content_hash == entry.content_hash:
                # The same dossier under another key (e.g. the counter lost its outbox row):
                # nothing to do, and this key now answers the same.
                self._remember(entry, state.accepted_at)
                return self._result(index, entry, DUPLICATE, 200, accepted_at=state.accepted_at)
            return self._conflict(
                index,
                entry,
                {
                    "code": R_DOSSIER_EXISTS,
                    "message": f"Hồ sơ {entry.code} đã có trên cổng với nội dung khác.",
                    "message_en": f"Dossier {entry.code} is already on the portal with "
                    "different content.",
                    "field": "data.code",
                },
            )
        snapshot = dict(data)
        lookup_key = snapshot.pop("lookup_key")
        received_at = parse_datetime(data["received_at"])
        due_at = parse_datetime(data["due_at"])
        state = _DossierState(
            id=None,
            status=data["status"],
            due_at=due_at,
            received_at=received_at,
            content_hash=entry.content_hash,
            accepted_at=self.now,
        )
        state.new_row = {
            "code": entry.code,
            "agency_id": self.who.agency_id,
            "counter_id": self.who.counter_id,
            "counter_no": data["counter_no"],
            "procedure_code": data["procedure_code"],
            "procedure_name": data["procedure_name"],
            "applicant_name": data["applicant"]["name"],
            "received_at": received_at,
            "lookup_key_hash": lookup_key_hash(entry.code, lookup_key),
            "content_hash": entry.content_hash,
            "snapshot": snapshot,
            "created_at": self.now,
        }
        self.dossiers[entry.code] = state
        self._change(entry, state, KIND_STATUS, data["received_at"], data["received_by"], "")
        return self._accept(index, entry, self.now)

    def _status(self, index: int, entry: ValidEntry, state: _DossierState) -> EntryResultDict:
        data = entry.data
        target = data["status"]
        if target != state.status:
            why = workflow.refusal(state.status, target, workflow.COUNTER)
            if why is not None:
                return self._conflict(
                    index,
                    entry,
                    {
                        "code": R_STATUS_CONFLICT,
                        "message": f"Trên cổng, hồ sơ {entry.code} đang ở trạng thái "
                        f"'{STATUS_LABELS_VI[state.status]}': {why[0]}.",
                        "message_en": f"On the portal, dossier {entry.code} is "
                        f"'{STATUS_LABELS_EN[state.status]}': {why[1]}.",
                        "field": "data.status",
                        "current_status": state.status,
                    },
                )
            state.status = target
            state.dirty = True
            self._change(entry, state, KIND_STATUS, data["at"], data["by"], data["note"])
        # A status the portal already has is accepted as it is: nothing changes.
        return self._accept(index, entry, self.now)

    def _due(self, index: int, entry: ValidEntry, state: _DossierState) -> EntryResultDict:
        data = entry.data
        if state.status in CLOSED_STATUSES:
            return self._conflict(
                index,
                entry,
                {
                    "code": R_DOSSIER_CLOSED,
                    "message": f"Hồ sơ {entry.code} đã ở trạng thái "
                    f"'{STATUS_LABELS_VI[state.status]}', không đổi được ngày hẹn trả.",
                    "message_en": f"Dossier {entry.code} is '{STATUS_LABELS_EN[state.status]}'; "
                    "its due moment can no longer change.",
                    "field": "data.due_at",
                    "current_status": state.status,
                },
            )
        due_at = parse_datetime(data["due_at"])
        if due_at < state.received_at:
            return self._result(
                index,
                entry,
                REJECTED,
                422,
                reason={
                    "code": R_INVALID_VALUE,
                    "message": "Ngày hẹn trả mới không được trước ngày tiếp nhận.",
                    "message_en": "The new due moment may not be before the receipt.",
                    "field": "data.due_at",
                },
            )
        state.due_at = due_at
        state.dirty = True
        self._change(entry, state, KIND_DUE, data["at"], data["by"], data["reason"])
        return self._accept(index, entry, self.now)

    # -- writing -----------------------------------------------------------------------------

    def flush(self) -> None:
        session = self.session
        new_rows = []
        updates = []
        for state in self.dossiers.values():
            if state.new_row is not None:
                state.new_row.update(status=state.status, due_at=state.due_at, updated_at=self.now)
                new_rows.append(state.new_row)
            elif state.dirty:
                updates.append(
                    {
                        "id": state.id,
                        "status": state.status,
                        "due_at": state.due_at,
                        "updated_at": self.now,
                    }
                )
        if new_rows:
            inserted = session.execute(
                insert(Dossier).returning(Dossier.id, Dossier.code), new_rows
            )
            for id_, code in inserted:
                self.dossiers[code].id = id_
        if updates:
            session.execute(update(Dossier), updates)
        if self.new_changes:
            for change in self.new_changes:
                change["dossier_id"] = self.dossiers[change["code"]].id
            session.execute(insert(Change), self.new_changes)
        if self.new_receipts:
            session.execute(insert(EntryReceipt), self.new_receipts)
        if self.attention:
            record_attention(session, self.who, self.attention, self.now)


def push_entries(
    session: Session, who: CounterIdentity, raw_entries: Sequence[Any], now: datetime
) -> list[EntryResultDict]:
    """Record a batch of entries; one result per entry, in order. Caller commits."""
    checked: list[ValidEntry | WireError] = []
    for raw in raw_entries:
        try:
            checked.append(validate_entry(raw))
        except WireError as exc:
            checked.append(exc)
    batch = _Batch(session, who, now)
    batch.load([e for e in checked if isinstance(e, ValidEntry)])
    results: list[EntryResultDict] = []
    for index, (raw, entry) in enumerate(zip(raw_entries, checked, strict=True)):
        if isinstance(entry, WireError):
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
                    "reason": entry.as_reason(),
                }
            )
        else:
            results.append(batch.decide(index, entry))
    batch.flush()
    return results


def count_outcomes(results: Iterable[EntryResultDict]) -> dict[str, int]:
    counts = dict.fromkeys(OUTCOMES, 0)
    for result in results:
        counts[result["outcome"]] += 1
    return counts


# --------------------------------------------------------------------------------------------
# Attention
# --------------------------------------------------------------------------------------------


def record_attention(
    session: Session,
    who: CounterIdentity,
    items: Sequence[tuple[ValidEntry, str, Reason]],
    now: datetime,
) -> None:
    """Add entries to the counter's needs-attention list; a repeat bumps the open item."""
    keys = sorted({entry.key for entry, _, _ in items})
    open_items: dict[tuple[str, str], AttentionItem] = {}
    for chunk in _chunks(keys):
        for item in session.scalars(
            select(AttentionItem).where(
                AttentionItem.counter_id == who.counter_id,
                AttentionItem.key.in_(chunk),
                AttentionItem.resolved_at.is_(None),
            )
        ):
            open_items[(item.key, item.content_hash)] = item
    for entry, outcome, reason in items:
        existing = open_items.get((entry.key, entry.content_hash))
        if existing is not None:
            existing.last_seen_at = now
            existing.times += 1
            existing.reason = dict(reason)
            existing.outcome = outcome
            continue
        item = AttentionItem(
            counter_id=who.counter_id,
            agency_id=who.agency_id,
            key=entry.key,
            kind=entry.kind,
            code=entry.code,
            outcome=outcome,
            reason=dict(reason),
            content_hash=entry.content_hash,
            entry={k: v for k, v in entry.data.items() if k != "lookup_key"},
            first_seen_at=now,
            last_seen_at=now,
            times=1,
            resolved_at=None,
            resolution_note="",
        )
        session.add(item)
        open_items[(entry.key, entry.content_hash)] = item
    session.flush()


def _attention_dict(item: AttentionItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "key": item.key,
        "kind": item.kind,
        "code": item.code,
        "outcome": item.outcome,
        "reason": item.reason,
        "first_seen_at": format_datetime(item.first_seen_at),
        "last_seen_at": format_datetime(item.last_seen_at),
        "times": item.times,
        "entry": item.entry,
    }


def attention_for_counter(
    session: Session, who: CounterIdentity, limit: int
) -> list[dict[str, Any]]:
    items = session.scalars(
        select(AttentionItem)
        .where(AttentionItem.counter_id == who.counter_id, AttentionItem.resolved_at.is_(None))
        .order_by(AttentionItem.id)
        .limit(limit)
    )
    return [_attention_dict(item) for item in items]


def list_attention(
    session: Session, agency_code: str | None = None, include_resolved: bool = False
) -> list[dict[str, Any]]:
    """For the operator: every open (or every) item, with the agency and counter it came from."""
    query = (
        select(AttentionItem, Agency.code, Counter.counter_no)
        .join(Agency, Agency.id == AttentionItem.agency_id)
        .join(Counter, Counter.id == AttentionItem.counter_id)
    )
    if agency_code is not None:
        query = query.where(AttentionItem.agency_id == get_agency(session, agency_code).id)
    if not include_resolved:
        query = query.where(AttentionItem.resolved_at.is_(None))
    out = []
    for item, code, counter_no in session.execute(query.order_by(AttentionItem.id)):
        row = _attention_dict(item)
        row["agency_code"] = code
        row["counter_no"] = counter_no
        row["resolved_at"] = format_datetime(item.resolved_at) if item.resolved_at else None
        row["resolution_note"] = item.resolution_note
        out.append(row)
    return out


def resolve_attention(session: Session, item_id: int, note: str, now: datetime) -> None:
    item = session.get(AttentionItem, item_id)
    if item is None:
        raise not_found(f"mục cần xử lý số {item_id}", f"Attention item {item_id}")
    if item.resolved_at is not None:
        raise PortalError(
            "already_resolved",
            f"Mục số {item_id} đã được xử lý.",
            f"Item {item_id} is already resolved.",
            http_status=409,
        )
    item.resolved_at = now
    item.resolution_note = note


# --------------------------------------------------------------------------------------------
# The change feed
# --------------------------------------------------------------------------------------------


def changes_since(
    session: Session, who: CounterIdentity, since: int, limit: int, exclude_own: bool
) -> ChangesResponseDict:
    """The agency's changes after ``since``, oldest first, at most ``limit`` of them."""
    if since > 0:
        newest = session.scalar(select(func.max(Change.id))) or 0
        if since > newest:
            raise PortalError(
                "cursor_ahead",
                f"Con trỏ {since} lớn hơn mọi thay đổi trên cổng (cổng đã được cài lại?). "
                "Hãy đồng bộ lại từ 0.",
                f"Cursor {since} is past every change on this portal (was it reset?). "
                "Start again from 0.",
                http_status=409,
            )
    query = select(
        Change.id,
        Change.kind,
        Change.code,
        Change.status,
        Change.due_at,
        Change.at,
        Change.by,
        Change.note,
        Change.source,
        Change.counter_id,
        Change.counter_no,
        Change.entry_key,
    ).where(Change.agency_id == who.agency_id, Change.id > since)
    rows = session.execute(query.order_by(Change.id).limit(limit + 1)).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    # The caller's own changes are skipped here rather than in SQL, so that the cursor still
    # moves past them: a page may then hold fewer than `limit` changes.
    changes: list[ChangeDict] = [
        {
            "cursor": row.id,
            "kind": row.kind,
            "code": row.code,
            "status": row.status,
            "status_code": STATUS_CODES[row.status],
            "due_at": format_datetime(row.due_at),
            "at": format_datetime(row.at),
            "by": row.by,
            "note": row.note,
            "source": row.source,
            "counter_no": row.counter_no,
            "entry_key": row.entry_key,
        }
        for row in rows
        if not (exclude_own and row.counter_id == who.counter_id)
    ]
    return {
        "changes": changes,
        "next_cursor": rows[-1].id if rows else since,
        "has_more": has_more,
    }


# --------------------------------------------------------------------------------------------
# What a processing department does (admin commands)
# --------------------------------------------------------------------------------------------


def get_dossier(session: Session, code: str) -> Dossier:
    dossier = (
        session.scalar(select(Dossier).where(Dossier.code == code))
        if is_dossier_code(code)
        else None
    )
    if dossier is None:
        raise not_found(f"hồ sơ {printable(code, 80)}", f"Dossier {printable(code, 80)}")
    return dossier


def _portal_change(
    session: Session, dossier: Dossier, kind: str, by: str, note: str, now: datetime
) -> Change:
    change = Change(
        agency_id=dossier.agency_id,
        dossier_id=dossier.id,
        code=dossier.code,
        kind=kind,
        status=dossier.status,
        due_at=dossier.due_at,
        at=now,
        by=by,
        note=note,
        source=SOURCE_PORTAL,
        counter_id=None,
        counter_no=None,
        entry_key=None,
        recorded_at=now,
    )
    session.add(change)
    session.flush()
    return change


def set_status(
    session: Session,
    code: str,
    status: str,
    now: datetime,
    *,
    note: str = "",
    by: str = "portal",
    force: bool = False,
) -> Change:
    """Move a dossier as a processing department would; counters learn it on their next pull."""
    if status not in STATUS_CODES:
        raise invalid(
            f"Không có trạng thái '{printable(status, 40)}'. "
            f"Các trạng thái: {', '.join(STATUS_CODES)}.",
            f"No status '{printable(status, 40)}'. Statuses: {', '.join(STATUS_CODES)}.",
        )
    dossier = get_dossier(session, code)
    why = workflow.refusal(dossier.status, status, workflow.PORTAL)
    if why is not None and (not force or dossier.status == status):
        raise PortalError(
            "transition_not_allowed",
            f"Hồ sơ {code}: {why[0]}.",
            f"Dossier {code}: {why[1]}.",
            http_status=409,
        )
    dossier.status = status
    dossier.updated_at = now
    return _portal_change(session, dossier, KIND_STATUS, by, note, now)


def set_due(
    session: Session, code: str, due_at: datetime, reason: str, now: datetime, *, by: str = "portal"
) -> Change:
    """A new due moment decided on the portal side (with the apology's reason)."""
    dossier = get_dossier(session, code)
    if dossier.status in CLOSED_STATUSES:
        raise PortalError(
            R_DOSSIER_CLOSED,
            f"Hồ sơ {code} đã ở trạng thái '{STATUS_LABELS_VI[dossier.status]}', "
            "không đổi được ngày hẹn trả.",
            f"Dossier {code} is '{STATUS_LABELS_EN[dossier.status]}'; its due moment is final.",
            http_status=409,
        )
    if due_at < dossier.received_at:
        raise invalid(
            "Ngày hẹn trả mới không được trước ngày tiếp nhận.",
            "The new due moment may not be before the receipt.",
        )
    dossier.due_at = due_at
    dossier.updated_at = now
    return _portal_change(session, dossier, KIND_DUE, by, reason, now)


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def list_dossiers(
    session: Session,
    agency_code: str | None = None,
    status: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    query = select(Dossier, Agency.code).join(Agency, Agency.id == Dossier.agency_id)
    if agency_code is not None:
        query = query.where(Dossier.agency_id == get_agency(session, agency_code).id)
    if status is not None:
        if status not in STATUS_CODES:
            shown = printable(status, 40)
            raise invalid(f"Không có trạng thái '{shown}'.", f"No status '{shown}'.")
        query = query.where(Dossier.status == status)
    query = query.order_by(Dossier.received_at, Dossier.code)
    if limit is not None:
        query = query.limit(limit)
    return [
        {
            "code": d.code,
            "agency_code": agency,
            "counter_no": d.counter_no,
            "status": d.status,
            "status_code": STATUS_CODES[d.status],
            "procedure_code": d.procedure_code,
            "procedure_name": d.procedure_name,
            "applicant_name": d.applicant_name,
            "received_at": format_datetime(d.received_at),
            "due_at": format_datetime(d.due_at),
            "updated_at": format_datetime(d.updated_at),
        }
        for d, agency in session.execute(query)
    ]


def dossier_detail(session: Session, code: str, agency_id: int | None = None) -> dict[str, Any]:
    """A dossier with its history; with ``agency_id``, only if it belongs to that agency."""
    dossier = get_dossier(session, code)
    if agency_id is not None and dossier.agency_id != agency_id:
        raise PortalError(
            "forbidden",
            f"Hồ sơ {code} không thuộc cơ quan của quầy này.",
            f"Dossier {code} does not belong to this counter's agency.",
            http_status=403,
        )
    history = [
        {
            "kind": c.kind,
            "status": c.status,
            "status_code": STATUS_CODES[c.status],
            "due_at": format_datetime(c.due_at),
            "at": format_datetime(c.at),
            "by": c.by,
            "note": c.note,
            "source": c.source,
        }
        for c in session.scalars(
            select(Change).where(Change.dossier_id == dossier.id).order_by(Change.id)
        )
    ]
    return {
        "code": dossier.code,
        "status": dossier.status,
        "status_code": STATUS_CODES[dossier.status],
        "due_at": format_datetime(dossier.due_at),
        "updated_at": format_datetime(dossier.updated_at),
        "dossier": dossier.snapshot,
        "history": history,
    }


@dataclass(frozen=True)
class LookupView:
    """What the public lookup page may show: nothing personal beyond the masked name."""

    code: str
    agency_name: str
    procedure_name: str
    status: str
    due_at: datetime
    last_update: datetime
    applicant_name: str  # masked by the page, never shown whole


def lookup(session: Session, code: str, key: str) -> LookupView | None:
    """The dossier if the code exists and the key matches it; None otherwise, alike."""
    row = None
    if is_dossier_code(code) and 0 < len(key) <= 64:
        row = session.execute(
            select(Dossier, Agency.name)
            .join(Agency, Agency.id == Dossier.agency_id)
            .where(Dossier.code == code)
        ).first()
    expected = row[0].lookup_key_hash if row is not None else _DUMMY_LOOKUP_HASH
    if not hmac.compare_digest(lookup_key_hash(code, key), expected) or row is None:
        return None
    dossier, agency_name = row
    last = session.scalar(
        select(Change.at).where(Change.dossier_id == dossier.id).order_by(Change.id.desc()).limit(1)
    )
    return LookupView(
        code=dossier.code,
        agency_name=agency_name,
        procedure_name=dossier.procedure_name,
        status=dossier.status,
        due_at=dossier.due_at,
        last_update=last or dossier.updated_at,
        applicant_name=dossier.applicant_name,
    )
