"""Who may move a dossier from one status to another, as the portal sees it.

A copy of ``counter.statuses.TRANSITIONS`` reduced to two actors: ``counter`` (any role at a
counter: clerk, supervisor, office admin) and ``portal`` (the processing departments). The
portal may not import the counter's package; tests/portal/test_wire.py checks that this table
stays equal to the counter's.
"""

from __future__ import annotations

from sync.wire import STATUS_LABELS_EN, STATUS_LABELS_VI

COUNTER = "counter"
PORTAL = "portal"

_C = frozenset({COUNTER})
_P = frozenset({PORTAL})
_CP = _C | _P

TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    # intake of an online registration
    ("registered", "received"): _C,
    ("registered", "rejected"): _C,
    ("registered", "supplement_requested"): _C,
    # after intake
    ("received", "processing"): _CP,
    ("received", "supplement_requested"): _CP,
    ("received", "rejected"): _CP,
    ("received", "withdrawn"): _C,
    ("received", "done"): _CP,
    ("processing", "supplement_requested"): _CP,
    ("processing", "payment_requested"): _CP,
    ("processing", "stopped"): _CP,
    ("processing", "done"): _CP,
    ("processing", "rejected"): _CP,
    ("processing", "withdrawn"): _C,
    ("supplement_requested", "received"): _C,
    ("supplement_requested", "processing"): _CP,
    ("supplement_requested", "stopped"): _CP,
    ("supplement_requested", "withdrawn"): _C,
    ("payment_requested", "processing"): _CP,
    ("payment_requested", "done"): _CP,
    ("payment_requested", "stopped"): _CP,
    ("payment_requested", "withdrawn"): _C,
    ("done", "returned"): _C,
    ("stopped", "returned"): _C,
}


def allowed(current: str, target: str, actor: str) -> bool:
    return actor in TRANSITIONS.get((current, target), frozenset())


def refusal(current: str, target: str, actor: str) -> tuple[str, str] | None:
    """None if the move is allowed, else (Vietnamese, English) sentences saying why not."""
    if current == target:
        return (
            f"hồ sơ đã ở trạng thái '{STATUS_LABELS_VI[target]}'",
            f"the dossier is already '{STATUS_LABELS_EN[target]}'",
        )
    roles = TRANSITIONS.get((current, target))
    if roles is None:
        return (
            f"không thể chuyển hồ sơ từ '{STATUS_LABELS_VI[current]}' "
            f"sang '{STATUS_LABELS_VI[target]}'",
            f"a dossier cannot go from '{STATUS_LABELS_EN[current]}' "
            f"to '{STATUS_LABELS_EN[target]}'",
        )
    if actor not in roles:
        who_vi = "quầy tiếp nhận" if actor == COUNTER else "cơ quan xử lý trên cổng"
        who_en = "a counter" if actor == COUNTER else "the portal"
        return (
            f"{who_vi} không được chuyển hồ sơ sang '{STATUS_LABELS_VI[target]}'",
            f"{who_en} may not move a dossier to '{STATUS_LABELS_EN[target]}'",
        )
    return None


def next_statuses(current: str, actor: str) -> list[str]:
    return [to for (frm, to), roles in TRANSITIONS.items() if frm == current and actor in roles]
