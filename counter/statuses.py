"""The counter's state machine: the protocol's table, with the counter's own role rule.

The statuses, their numbers and labels, and which party may make which move are the
protocol's (``protocol.statuses``). What the counter adds is who *at the counter* may make a
counter move: some moves stand for the processing department's decision and need a
supervisor (``SUPERVISOR_MOVES``); the rest any account may make. docs/statuses.md is
written from this (``markdown_table``; a test keeps them equal).
"""

from __future__ import annotations

from protocol.statuses import (
    CLOSED_STATUSES,
    COUNTER,
    PORTAL_OWNED_STATUSES,
    TRANSITIONS,
    Status,
    same_or_unknown_move,
)
from protocol.statuses import PORTAL as PORTAL_PARTY

__all__ = ["ADMIN", "CLERK", "CLOSED", "PORTAL", "PORTAL_OWNED", "SUPERVISOR", "Status"]

CLOSED = CLOSED_STATUSES
PORTAL_OWNED = PORTAL_OWNED_STATUSES

# Roles: three at the counter, and the portal acting through sync.
CLERK = "clerk"
SUPERVISOR = "supervisor"
ADMIN = "admin"
PORTAL = PORTAL_PARTY

_SUPERVISORS = frozenset({SUPERVISOR, ADMIN})
_COUNTER_ROLES = _SUPERVISORS | {CLERK}

S = Status
#: Counter moves that stand for the processing department's decision: a supervisor's (or the
#: office admin's) at the counter, never a clerk's.
SUPERVISOR_MOVES: frozenset[tuple[Status, Status]] = frozenset(
    {
        (S.RECEIVED, S.PROCESSING),
        (S.RECEIVED, S.DONE),
        (S.PROCESSING, S.SUPPLEMENT_REQUESTED),
        (S.PROCESSING, S.PAYMENT_REQUESTED),
        (S.PROCESSING, S.STOPPED),
        (S.PROCESSING, S.DONE),
        (S.PROCESSING, S.REJECTED),
        (S.SUPPLEMENT_REQUESTED, S.PROCESSING),
        (S.SUPPLEMENT_REQUESTED, S.STOPPED),
        (S.PAYMENT_REQUESTED, S.PROCESSING),
        (S.PAYMENT_REQUESTED, S.DONE),
        (S.PAYMENT_REQUESTED, S.STOPPED),
    }
)
del S
assert {m for m, parties in TRANSITIONS.items() if COUNTER in parties} >= SUPERVISOR_MOVES


def allowed(current: Status, target: Status, actor_role: str) -> bool:
    parties = TRANSITIONS.get((current, target), frozenset())
    if actor_role == PORTAL:
        return PORTAL in parties
    if COUNTER not in parties or actor_role not in _COUNTER_ROLES:
        return False
    return (current, target) not in SUPERVISOR_MOVES or actor_role in _SUPERVISORS


def refusal_reason(
    current: Status, target: Status, actor_role: str, lang: str = "vi"
) -> str | None:
    """None if the move is allowed, else a sentence a clerk understands."""
    words = same_or_unknown_move(current, target)
    if words is None and not allowed(current, target, actor_role):
        who_vi = {
            CLERK: "cán bộ tiếp nhận",
            SUPERVISOR: "lãnh đạo bộ phận",
            ADMIN: "quản trị",
            PORTAL: "cổng dịch vụ công",
        }.get(actor_role, actor_role)
        words = (
            f"vai trò '{who_vi}' không được chuyển hồ sơ sang '{target.label_vi}'",
            f"the role '{actor_role}' may not move a dossier to '{target.label_en}'",
        )
    if words is None:
        return None
    return words[1] if lang == "en" else words[0]


def next_statuses(current: Status, actor_role: str) -> list[Status]:
    """The moves the actor may make now, in code order (for menus and docs)."""
    return sorted(
        (to for (frm, to) in TRANSITIONS if frm == current and allowed(frm, to, actor_role)),
        key=lambda s: s.number,
    )


def markdown_table() -> str:
    """The state machine as the Markdown table in docs/statuses.md (a test keeps them equal)."""
    order = [CLERK, SUPERVISOR, ADMIN, PORTAL]
    lines = ["| from | to | who may |", "|---|---|---|"]
    for frm, to in sorted(TRANSITIONS, key=lambda m: (m[0].number, m[1].number)):
        who = ", ".join(r for r in order if allowed(frm, to, r))
        lines.append(f"| {frm.number} `{frm.value}` | {to.number} `{to.value}` | {who} |")
    return "\n".join(lines) + "\n"
