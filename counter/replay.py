"""``check``'s replay: the rows against what the audit trail vouches for
(``counter.integrity``), and the trail against its anchors. The first way they disagree is
reported, in Vietnamese and English: a missing protecting trigger, an anchor the chain no
longer has, an account or a dossier edited, added or removed behind the application's back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from counter.clock import iso
from counter.digests import dossier_digests
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
            return Finding(
                f"Nhật ký kiểm tra không khớp mốc đã ghi ({where}, {iso(a.at)}): dòng {a.row_id} "
                + ("đã mất" if got is None else "đã bị tính lại"),
                f"The audit trail does not match the anchor kept ({a.witness}, {iso(a.at)}): "
                f"row {a.row_id} " + ("is gone" if got is None else "was recomputed"),
            )
    return _replay_users(s) or _replay_dossiers(s, chunk)


def _latest_states(s: Session, entity: str) -> dict[str, str | None]:
    """The state the trail last recorded for each key of ``entity`` (None: none recorded)."""
    rows = s.execute(
        text(
            "SELECT entity_key, state, details, max(id) FROM audit_log "
            "WHERE entity = :e GROUP BY entity_key"
        ),
        {"e": entity},
    ).all()
    return {key: _recorded(state, details) for key, state, details, _ in rows}


def _recorded(state: bytes | None, details: str) -> str | None:
    """The state (hex) an audit row records: kept apart (``audit.split_state``), or, in a row
    whose state is not a digest, in its details as it is."""
    if state is not None:
        return hex_of(state)
    try:
        value = json.loads(details).get("state")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def _replay_users(s: Session) -> Finding | None:
    states = _latest_states(s, "user")
    for u in s.scalars(select(User).order_by(User.id)):
        recorded = states.get(u.username)
        if u.username not in states:
            return _unaccounted("tài khoản", "account", u.username)
        if recorded is not None and recorded != user_state(u):
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
            if recorded[code] is not None and recorded[code] != digests.get(code):
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
