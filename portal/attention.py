"""The needs-attention list: pushed entries that a person has to look at (conflicts).

A counter reads its open items over the API; an operator lists and resolves them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.agencies import CounterIdentity, get_agency
from portal.db import in_chunks
from portal.errors import PortalError, not_found
from portal.models import Agency, AttentionItem, Counter
from protocol import Reason, ValidEntry, format_datetime


def record_attention(
    session: Session,
    who: CounterIdentity,
    items: Sequence[tuple[ValidEntry, str, Reason]],
    now: datetime,
) -> None:
    """Add entries to the counter's needs-attention list; a repeat bumps the open item."""
    keys = sorted({entry.key for entry, _, _ in items})
    open_items: dict[tuple[str, str], AttentionItem] = {}
    for chunk in in_chunks(keys):
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
