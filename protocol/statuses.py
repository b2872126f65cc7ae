"""The ten dossier statuses of the national portal (TrangThaiHoSo) and who may move where.

The one table of the house: the counter's state machine (``counter.statuses``) and the
portal's workflow (``portal``) are read from it. Two parties move dossiers: a
**counter** (any account at a one-stop counter) and the **portal** (the processing
departments, whose word wins for the statuses they own). Within a counter, which role may
make a counter move is the counter's own rule, not the protocol's.
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
        return STATUS_CODES[self]

    @property
    def label_vi(self) -> str:
        return STATUS_LABELS_VI[self]

    @property
    def label_en(self) -> str:
        return STATUS_LABELS_EN[self]

    def label(self, lang: str = "vi") -> str:
        return STATUS_LABELS_EN[self] if lang == "en" else STATUS_LABELS_VI[self]

    @property
    def is_open(self) -> bool:
        """Still waiting on the office: counts as pending, can become overdue."""
        return self not in CLOSED_STATUSES


#: The national status numbers, sent beside the names on the wire.
STATUS_CODES: dict[str, int] = {
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
STATUS_BY_CODE: dict[int, Status] = {number: Status(s) for s, number in STATUS_CODES.items()}
STATUSES: tuple[str, ...] = tuple(s.value for s in Status)

#: Vietnamese labels, worded as the national portal words them (on screen and on paper).
STATUS_LABELS_VI: dict[str, str] = {
    Status.REGISTERED: "Mới đăng ký",
    Status.RECEIVED: "Được tiếp nhận",
    Status.REJECTED: "Không được tiếp nhận",
    Status.PROCESSING: "Đang xử lý",
    Status.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung giấy tờ",
    Status.PAYMENT_REQUESTED: "Yêu cầu thực hiện nghĩa vụ tài chính",
    Status.WITHDRAWN: "Công dân yêu cầu rút hồ sơ",
    Status.STOPPED: "Dừng xử lý",
    Status.DONE: "Đã xử lý xong",
    Status.RETURNED: "Đã trả kết quả",
}
STATUS_LABELS_EN: dict[str, str] = {
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

#: Nothing more happens to these at the counter.
FINAL_STATUSES = frozenset({Status.REJECTED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED})
#: Not waiting on the office any more (a ready result only waits to be handed back).
CLOSED_STATUSES = FINAL_STATUSES | {Status.DONE}
#: The statuses whose word is the counter's; the portal owns the others and its word wins.
COUNTER_OWNED_STATUSES = frozenset(
    {Status.REGISTERED, Status.RECEIVED, Status.REJECTED, Status.WITHDRAWN, Status.RETURNED}
)
PORTAL_OWNED_STATUSES = frozenset(Status) - COUNTER_OWNED_STATUSES

# The two parties.
COUNTER = "counter"
PORTAL = "portal"
PARTIES: tuple[str, ...] = (COUNTER, PORTAL)

_C = frozenset({COUNTER})
_CP = frozenset({COUNTER, PORTAL})

S = Status
#: (from, to) -> the parties that may make the move. Anything not listed is forbidden.
TRANSITIONS: dict[tuple[Status, Status], frozenset[str]] = {
    # intake of an online registration
    (S.REGISTERED, S.RECEIVED): _C,
    (S.REGISTERED, S.REJECTED): _C,
    (S.REGISTERED, S.SUPPLEMENT_REQUESTED): _C,
    # after intake
    (S.RECEIVED, S.PROCESSING): _CP,
    (S.RECEIVED, S.SUPPLEMENT_REQUESTED): _CP,
    (S.RECEIVED, S.REJECTED): _CP,
    (S.RECEIVED, S.WITHDRAWN): _C,
    (S.RECEIVED, S.DONE): _CP,
    (S.PROCESSING, S.SUPPLEMENT_REQUESTED): _CP,
    (S.PROCESSING, S.PAYMENT_REQUESTED): _CP,
    (S.PROCESSING, S.STOPPED): _CP,
    (S.PROCESSING, S.DONE): _CP,
    (S.PROCESSING, S.REJECTED): _CP,
    (S.PROCESSING, S.WITHDRAWN): _C,
    (S.SUPPLEMENT_REQUESTED, S.RECEIVED): _C,  # papers brought back to the counter
    (S.SUPPLEMENT_REQUESTED, S.PROCESSING): _CP,
    (S.SUPPLEMENT_REQUESTED, S.STOPPED): _CP,
    (S.SUPPLEMENT_REQUESTED, S.WITHDRAWN): _C,
    (S.PAYMENT_REQUESTED, S.PROCESSING): _CP,
    (S.PAYMENT_REQUESTED, S.DONE): _CP,
    (S.PAYMENT_REQUESTED, S.STOPPED): _CP,
    (S.PAYMENT_REQUESTED, S.WITHDRAWN): _C,
    (S.DONE, S.RETURNED): _C,
    (S.STOPPED, S.RETURNED): _C,  # the stop notice and papers handed back
}
del S


def allowed(current: str, target: str, party: str) -> bool:
    return party in TRANSITIONS.get((Status(current), Status(target)), frozenset())


def same_or_unknown_move(current: str, target: str) -> tuple[str, str] | None:
    """(Vietnamese, English) words when the move is no move at all or not in the table."""
    cur, tgt = Status(current), Status(target)
    if cur == tgt:
        return (
            f"hồ sơ đã ở trạng thái '{tgt.label_vi}'",
            f"the dossier is already '{tgt.label_en}'",
        )
    if (cur, tgt) not in TRANSITIONS:
        return (
            f"không thể chuyển hồ sơ từ '{cur.label_vi}' sang '{tgt.label_vi}'",
            f"a dossier cannot go from '{cur.label_en}' to '{tgt.label_en}'",
        )
    return None


def refusal(current: str, target: str, party: str) -> tuple[str, str] | None:
    """None if the party may make the move, else (Vietnamese, English) sentences saying why."""
    words = same_or_unknown_move(current, target)
    if words is not None:
        return words
    if allowed(current, target, party):
        return None
    tgt = Status(target)
    who_vi = "quầy tiếp nhận" if party == COUNTER else "cơ quan xử lý trên cổng"
    who_en = "a counter" if party == COUNTER else "the portal"
    return (
        f"{who_vi} không được chuyển hồ sơ sang '{tgt.label_vi}'",
        f"{who_en} may not move a dossier to '{tgt.label_en}'",
    )


def next_statuses(current: str, party: str) -> list[Status]:
    """The moves the party may make now, in number order."""
    cur = Status(current)
    return sorted(
        (to for (frm, to), parties in TRANSITIONS.items() if frm == cur and party in parties),
        key=lambda s: s.number,
    )
