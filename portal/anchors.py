"""Counters' audit-chain heads, kept on the portal (``PUT /audit-head``).

A counter sends the head of its audit trail (last row id and hash) after each sync round.
Kept here, out of reach of anyone at the counter's PC, each head lets the province show
that a counter's trail was later cut short or recomputed: the counter's own ``check``
holds its chain to the heads it sent, and the portal has the same heads. Someone who
rewrites the counter's database can rewrite the heads kept there too, not these:
``admin audit-heads`` writes them out (``heads_of``), and the counter's
``check --portal-heads FILE`` holds its chain to them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.agencies import CounterIdentity, get_counter
from portal.errors import invalid
from portal.models import CounterAnchor
from protocol import AUDIT_HEAD, WireError, check, format_datetime, loads


def parse_head(body: bytes) -> tuple[int, str]:
    """The head in a request body, checked against the protocol's schema."""
    try:
        doc = check(AUDIT_HEAD, loads(body), "")
    except WireError as exc:
        raise invalid(exc.message_vi, exc.message_en) from None
    except (ValueError, RecursionError):
        raise invalid(
            "Nội dung gửi lên không phải JSON hợp lệ.", "The body is not valid JSON."
        ) from None
    return int(doc["row_id"]), str(doc["hash"])


def record_head(
    session: Session, who: CounterIdentity, row_id: int, digest: str, now: datetime
) -> dict[str, Any]:
    """Keep the head; the same head sent again is kept once."""
    last = _latest(session, who)
    if last is None or (last.row_id, last.hash) != (row_id, digest):
        last = CounterAnchor(counter_id=who.counter_id, row_id=row_id, hash=digest, received_at=now)
        session.add(last)
        session.flush()
    return _answer(last)


def latest_head(session: Session, who: CounterIdentity) -> dict[str, Any]:
    return _answer(_latest(session, who))


def heads_of(session: Session, agency_code: str, counter_no: int) -> dict[str, Any]:
    """Every head a counter sent, oldest first, as ``admin audit-heads`` writes them: the
    file a counter's ``check --portal-heads`` reads."""
    counter = get_counter(session, agency_code, counter_no)
    anchors = session.scalars(
        select(CounterAnchor)
        .where(CounterAnchor.counter_id == counter.id)
        .order_by(CounterAnchor.id)
    )
    return {
        "agency_code": agency_code,
        "counter_no": counter_no,
        "heads": [_answer(anchor) for anchor in anchors],
    }


def _latest(session: Session, who: CounterIdentity) -> CounterAnchor | None:
    return session.scalar(
        select(CounterAnchor)
        .where(CounterAnchor.counter_id == who.counter_id)
        .order_by(CounterAnchor.id.desc())
        .limit(1)
    )


def _answer(anchor: CounterAnchor | None) -> dict[str, Any]:
    if anchor is None:
        return {"row_id": 0, "hash": "", "received_at": None}
    return {
        "row_id": anchor.row_id,
        "hash": anchor.hash,
        "received_at": format_datetime(anchor.received_at),
    }
