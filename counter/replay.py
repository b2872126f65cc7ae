"""``check``'s replay: the rows against what the audit trail vouches for
(``counter.integrity``), and the trail against its anchors. The first way they disagree is
reported, in Vietnamese and English: a missing protecting trigger, an anchor the chain no
longer has, an account or a dossier edited, added or removed behind the application's back.

The anchors kept here can be rewritten with the database. The heads the portal kept cannot
from the counter's PC: ``check --portal-heads FILE`` holds the chain to them too
(``read_portal_heads``, ``against_portal``; FILE as the portal's ``admin audit-heads --json``
writes it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from counter import limits
from counter.clock import iso
from counter.digests import dossier_digests
from counter.errors import InvalidInput
from counter.integrity import TRIGGERS, hash_at, hex_of, user_state
from counter.models import AuditAnchor, AuditEntry, Dossier, User


@dataclass(frozen=True)
class Finding:
    message_vi: str
    message_en: str


def replay(s: Session, chunk: int = 2000) -> Finding | None:
    """The first way the rows and the trail disagree, or None."""
    present = set(
        s.scalars(
            select(text("name")).select_from(text("sqlite_master")).where(text("type='trigger'"))
        ).all()
    )
    missing = [t for t in TRIGGERS if t not in present]
    if missing:
        return Finding(
            f"Thiếu cơ chế chống sửa nhật ký: {', '.join(missing)}",
            f"The audit trail's protection is missing: {', '.join(missing)}",
        )
    for a in s.scalars(select(AuditAnchor).order_by(AuditAnchor.id)):
        got = hash_at(s, a.row_id)
        if got != a.hash:
            where = "báo cáo ngày" if a.witness == "daily" else "cổng dịch vụ công"
            return _unmatched(f"{where}, {iso(a.at)}", f"{a.witness}, {iso(a.at)}", a.row_id, got)
    return _replay_users(s) or _replay_dossiers(s, chunk)


def _unmatched(where_vi: str, where_en: str, row_id: int, got: str | None) -> Finding:
    """An anchor (a head someone kept) the chain no longer has: its row gone, or another
    hash there."""
    return Finding(
        f"Nhật ký kiểm tra không khớp mốc đã ghi ({where_vi}): dòng {row_id} "
        + ("đã mất" if got is None else "đã bị tính lại"),
        f"The audit trail does not match the anchor kept ({where_en}): row {row_id} "
        + ("is gone" if got is None else "was recomputed"),
    )


@dataclass(frozen=True)
class PortalHead:
    """A head of this counter's chain as the portal kept it: the row, its hash (hex) and when
    the portal received it (as the portal wrote it)."""

    row_id: int
    hash: str
    received_at: str


def read_portal_heads(data: bytes, agency_code: str, counter_no: int) -> list[PortalHead]:
    """The heads in ``data``, the JSON the portal's ``admin audit-heads --json`` writes, which
    must be this counter's (``agency_code``, ``counter_no``); refused (``InvalidInput``) if it
    is not such a file, or another counter's."""
    try:
        doc = limits.parse_json(limits.decode_utf8(data))
    except (ValueError, limits.NotUtf8):
        doc = None
    heads = doc.get("heads") if isinstance(doc, dict) else None
    if (
        not isinstance(heads, list)
        or not all(map(_is_head, heads))
        or not isinstance(doc.get("agency_code"), str)
        or type(doc.get("counter_no")) is not int
    ):
        raise InvalidInput(
            "Tệp mốc nhật ký không đúng dạng: cần tệp JSON do lệnh "
            "'python -m portal admin audit-heads --json' của cổng ghi ra",
            "The heads file is not in the expected form: it must be the JSON the portal's "
            "'python -m portal admin audit-heads --json' writes",
            field="portal_heads",
        )
    if (doc["agency_code"], doc["counter_no"]) != (agency_code, counter_no):
        raise InvalidInput(
            f"Tệp mốc nhật ký là của quầy số {doc['counter_no']}, cơ quan "
            f"{doc['agency_code']}, không phải quầy này (quầy số {counter_no}, cơ quan "
            f"{agency_code})",
            f"The heads file is for counter {doc['counter_no']} of agency "
            f"{doc['agency_code']}, not this one (counter {counter_no} of agency {agency_code})",
            field="portal_heads",
        )
    return [PortalHead(h["row_id"], h["hash"], h["received_at"]) for h in heads]


def _is_head(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and type(value.get("row_id")) is int
        and value["row_id"] > 0
        and isinstance(value.get("hash"), str)
        and isinstance(value.get("received_at"), str)
    )


def against_portal(s: Session, heads: list[PortalHead]) -> Finding | None:
    """The first head the portal kept that the chain no longer has, or None."""
    for h in heads:
        got = hash_at(s, h.row_id)
        if got != h.hash:
            return _unmatched(
                f"cổng dịch vụ công giữ, nhận lúc {h.received_at}",
                f"kept by the portal, received {h.received_at}",
                h.row_id,
                got,
            )
    return None


#: A state as the trail recorded it: its 32 bytes (``audit.split_state``), or the text left in
#: a row's details when it was not a digest's; None when the row recorded none.
Recorded = bytes | str | None


def _latest_states(s: Session, entity: str) -> dict[str, Recorded]:
    """The state the trail last recorded for each key of ``entity``: the rows read in order
    as they come, each key's later row taking its place (a million dossiers' keys held once,
    their states as bytes; a row's details read only where its state is not kept apart).
    Grouped in SQL instead, the sort of every row took half as long again and twice the
    memory."""
    rows = s.connection().exec_driver_sql(
        "SELECT entity_key, state, CASE WHEN state IS NULL THEN details END "
        "FROM audit_log WHERE entity = ? ORDER BY id",
        (entity,),
    )
    latest: dict[str, Recorded] = {}
    for key, state, details in rows:
        latest[key] = state if type(state) is bytes else _recorded(state, details)
    return latest


def _recorded(state: Any, details: Any) -> Recorded:
    """The state an audit row records: kept apart as its bytes, or, in a row whose state is
    not a digest, in its details as it is (any other value put there by hand, as text)."""
    if state is not None:
        return state if isinstance(state, bytes) else hex_of(state)
    try:
        value = json.loads(details).get("state")
    except (TypeError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def _differs(recorded: Recorded, digest: str | None) -> bool:
    """Whether a dossier's or an account's digest (hex) is not the state recorded for it."""
    if isinstance(recorded, bytes):
        return digest is None or recorded.hex() != digest
    return recorded is not None and recorded != digest


def _replay_users(s: Session) -> Finding | None:
    states = _latest_states(s, "user")
    for u in s.scalars(select(User).order_by(User.id)):
        recorded = states.get(u.username)
        if u.username not in states:
            return _unaccounted("tài khoản", "account", u.username)
        if _differs(recorded, user_state(u)):
            return _altered("tài khoản", "account", u.username)
    return None


def _replay_dossiers(s: Session, chunk: int) -> Finding | None:
    """Each dossier against the state the trail last recorded for it, in order of id, a
    chunk at a time: its digest made with the others' (``counter.digests``), not from a
    mapped object each."""
    states = _latest_states(s, "dossier")
    last = 0
    while True:
        rows = s.execute(
            select(Dossier.id, Dossier.code, Dossier.is_demo)
            .where(Dossier.id > last)
            .order_by(Dossier.id)
            .limit(chunk)
        ).all()
        if not rows:
            break
        last = rows[-1][0]
        recorded = {code: states.get(code) for _, code, demo in rows if not demo}
        digests = dossier_digests(s, [i for i, code, _ in rows if recorded.get(code) is not None])
        for _, code, demo in rows:
            if demo:  # practice data: its audit line, if any, is not replayed, nor missed
                states.pop(code, None)
                continue
            if code not in states:
                return _unaccounted("hồ sơ", "dossier", code)
            states.pop(code)
            if _differs(recorded[code], digests.get(code)):
                return _altered("hồ sơ", "dossier", code)
    gone = sorted(k for k in states if _was_received(s, k))
    if gone:
        return Finding(
            f"Hồ sơ {gone[0]} có trong nhật ký kiểm tra nhưng không còn trong cơ sở dữ liệu",
            f"Dossier {gone[0]} is in the audit trail but no longer in the database",
        )
    return None


def _was_received(s: Session, code: str) -> bool:
    n = s.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(
            AuditEntry.entity == "dossier",
            AuditEntry.entity_key == code,
            AuditEntry.action == "dossier.receive",
        )
    )
    return bool(n)


def _altered(vi: str, en: str, key: str) -> Finding:
    return Finding(
        f"{vi.capitalize()} {key} đã bị sửa ngoài chương trình: không khớp nhật ký kiểm tra",
        f"The {en} {key} was changed outside the application: it does not match the audit trail",
    )


def _unaccounted(vi: str, en: str, key: str) -> Finding:
    return Finding(
        f"{vi.capitalize()} {key} không có trong nhật ký kiểm tra (thêm ngoài chương trình)",
        f"The {en} {key} is not in the audit trail (added outside the application)",
    )
