"""The ten dossier statuses (the national portal's TrangThaiHoSo codes) and who may move where.

The table ``TRANSITIONS`` is the single source of truth; docs/statuses.md is written from it.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    REGISTERED = "registered"
    RECEIVED = "received"
    REJECTED = "rejected"
    PROCESSING = "processing"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    PAYMENT_REQUESTED = "payment_requested"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"
    DONE = "done"
    RETURNED = "returned"

    @property
    def number(self) -> int:
        return STATUS_NUMBERS[self]

    @classmethod
    def from_number(cls, n: int) -> Status:
        for status, num in STATUS_NUMBERS.items():
            if num == n:
                return status
        raise ValueError(f"unknown status number {n}")

    @property
    def label_vi(self) -> str:
        return LABELS_VI[self]

    @property
    def label_en(self) -> str:
        return LABELS_EN[self]

    def label(self, lang: str = "vi") -> str:
        return LABELS_EN[self] if lang == "en" else LABELS_VI[self]

    @property
    def is_open(self) -> bool:
        """Still waiting on the office: counts as pending, can become overdue."""
        return self not in CLOSED

    @property
    def is_final(self) -> bool:
        return self in FINAL


STATUS_NUMBERS: dict[Status, int] = {
    Status.REGISTERED: 1,
    Status.RECEIVED: 2,
    Status.REJECTED: 3,
    Status.PROCESSING: 4,
    Status.SUPPLEMENT_REQUESTED: 5,
    Status.PAYMENT_REQUESTED: 6,
    Status.WITHDRAWN: 7,
    Status.STOPPED: 8,
    Status.DONE: 9,
    Status.RETURNED: 10,
}

LABELS_VI: dict[Status, str] = {
    Status.REGISTERED: "Mới đăng ký",
    Status.RECEIVED: "Đã tiếp nhận",
    Status.REJECTED: "Không tiếp nhận",
    Status.PROCESSING: "Đang xử lý",
    Status.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung",
    Status.PAYMENT_REQUESTED: "Yêu cầu thực hiện nghĩa vụ tài chính",
    Status.WITHDRAWN: "Rút hồ sơ",
    Status.STOPPED: "Dừng xử lý",
    Status.DONE: "Đã có kết quả",
    Status.RETURNED: "Đã trả kết quả",
}

LABELS_EN: dict[Status, str] = {
    Status.REGISTERED: "Registered",
    Status.RECEIVED: "Received",
    Status.REJECTED: "Not accepted",
    Status.PROCESSING: "Being processed",
    Status.SUPPLEMENT_REQUESTED: "Supplement requested",
    Status.PAYMENT_REQUESTED: "Payment requested",
    Status.WITHDRAWN: "Withdrawn",
    Status.STOPPED: "Processing stopped",
    Status.DONE: "Result ready",
    Status.RETURNED: "Result returned",
}

# Nothing more happens to these at the counter.
FINAL = frozenset({Status.REJECTED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED})
# Not waiting on the office any more (a ready result waits on the citizen).
CLOSED = FINAL | {Status.DONE}

# Statuses the counter owns; the portal owns the others (DOMAIN.md) and its word wins.
COUNTER_OWNED = frozenset(
    {Status.REGISTERED, Status.RECEIVED, Status.REJECTED, Status.WITHDRAWN, Status.RETURNED}
)
PORTAL_OWNED = frozenset(Status) - COUNTER_OWNED

CLERK = "clerk"
SUPERVISOR = "supervisor"
ADMIN = "admin"
PORTAL = "portal"

_C = frozenset({CLERK, SUPERVISOR, ADMIN})  # anyone at the counter
_S = frozenset({SUPERVISOR, ADMIN})  # a supervisor (or the office admin)
_P = frozenset({PORTAL})
_SP = _S | _P
_ALL = _C | _P

S = Status
# (from, to) -> who may make the move. Anything not listed is forbidden.
TRANSITIONS: dict[tuple[Status, Status], frozenset[str]] = {
    # intake of an online registration
    (S.REGISTERED, S.RECEIVED): _C,
    (S.REGISTERED, S.REJECTED): _C,
    (S.REGISTERED, S.SUPPLEMENT_REQUESTED): _C,
    # after intake
    (S.RECEIVED, S.PROCESSING): _SP,
    (S.RECEIVED, S.SUPPLEMENT_REQUESTED): _ALL,
    (S.RECEIVED, S.REJECTED): _ALL,
    (S.RECEIVED, S.WITHDRAWN): _C,
    (S.RECEIVED, S.DONE): _SP,
    (S.PROCESSING, S.SUPPLEMENT_REQUESTED): _SP,
    (S.PROCESSING, S.PAYMENT_REQUESTED): _SP,
    (S.PROCESSING, S.STOPPED): _SP,
    (S.PROCESSING, S.DONE): _SP,
    (S.PROCESSING, S.REJECTED): _SP,
    (S.PROCESSING, S.WITHDRAWN): _C,
    (S.SUPPLEMENT_REQUESTED, S.RECEIVED): _C,  # papers brought back to the counter
    (S.SUPPLEMENT_REQUESTED, S.PROCESSING): _SP,
    (S.SUPPLEMENT_REQUESTED, S.STOPPED): _SP,
    (S.SUPPLEMENT_REQUESTED, S.WITHDRAWN): _C,
    (S.PAYMENT_REQUESTED, S.PROCESSING): _SP,
    (S.PAYMENT_REQUESTED, S.DONE): _SP,
    (S.PAYMENT_REQUESTED, S.STOPPED): _SP,
    (S.PAYMENT_REQUESTED, S.WITHDRAWN): _C,
    (S.DONE, S.RETURNED): _C,
    (S.STOPPED, S.RETURNED): _C,  # the stop notice and papers handed back
}
del S


def allowed(current: Status, target: Status, actor_role: str) -> bool:
    return actor_role in TRANSITIONS.get((current, target), frozenset())


def refusal_reason(
    current: Status, target: Status, actor_role: str, lang: str = "vi"
) -> str | None:
    """None if the move is allowed, else a sentence a clerk understands."""
    if current == target:
        if lang == "en":
            return f"the dossier is already '{target.label_en}'"
        return f"hồ sơ đã ở trạng thái '{target.label_vi}'"
    roles = TRANSITIONS.get((current, target))
    if roles is None:
        if lang == "en":
            return f"a dossier cannot go from '{current.label_en}' to '{target.label_en}'"
        return f"không thể chuyển hồ sơ từ '{current.label_vi}' sang '{target.label_vi}'"
    if actor_role not in roles:
        who_vi = {
            CLERK: "cán bộ tiếp nhận",
            SUPERVISOR: "lãnh đạo bộ phận",
            ADMIN: "quản trị",
            PORTAL: "cổng dịch vụ công",
        }
        if lang == "en":
            return f"the role '{actor_role}' may not move a dossier to '{target.label_en}'"
        return (
            f"vai trò '{who_vi.get(actor_role, actor_role)}' không được chuyển hồ sơ "
            f"sang '{target.label_vi}'"
        )
    return None


def next_statuses(current: Status, actor_role: str) -> list[Status]:
    """The moves the actor may make now, in code order (for menus and docs)."""
    return sorted(
        (to for (frm, to), roles in TRANSITIONS.items() if frm == current and actor_role in roles),
        key=lambda s: s.number,
    )


def markdown_table() -> str:
    """The state machine as the Markdown table in docs/statuses.md (a test keeps them equal)."""
    names = {CLERK: "clerk", SUPERVISOR: "supervisor", ADMIN: "admin", PORTAL: "portal"}
    order = [CLERK, SUPERVISOR, ADMIN, PORTAL]
    lines = ["| from | to | who may |", "|---|---|---|"]
    for (frm, to), roles in sorted(
        TRANSITIONS.items(), key=lambda kv: (kv[0][0].number, kv[0][1].number)
    ):
        who = ", ".join(names[r] for r in order if r in roles)
        lines.append(f"| {frm.number} `{frm.value}` | {to.number} `{to.value}` | {who} |")
    return "\n".join(lines) + "\n"
