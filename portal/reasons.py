"""Why a pushed entry was not accepted: the protocol's reason codes, in both languages."""

from __future__ import annotations

from protocol import (
    R_DOSSIER_CLOSED,
    R_DOSSIER_EXISTS,
    R_INVALID_VALUE,
    R_KEY_REUSED,
    R_STATUS_CONFLICT,
    R_UNKNOWN_DOSSIER,
    R_WRONG_AGENCY,
    R_WRONG_COUNTER,
    STATUS_LABELS_EN,
    STATUS_LABELS_VI,
    Reason,
)


def wrong_agency(code: str, agency: str) -> Reason:
    return {
        "code": R_WRONG_AGENCY,
        "message": f"Hồ sơ {code} không thuộc cơ quan {agency} của quầy này.",
        "message_en": f"Dossier {code} does not belong to this counter's agency {agency}.",
    }


def wrong_counter(code: str, counter_no: int) -> Reason:
    """The same answer whether the dossier exists or not: it is not this counter's."""
    return {
        "code": R_WRONG_COUNTER,
        "message": f"Mã hồ sơ {code} không thuộc dải số của quầy số {counter_no}, hoặc hồ sơ "
        "do quầy khác tiếp nhận; quầy này không được gửi hay thay đổi hồ sơ đó.",
        "message_en": f"Dossier code {code} is not in the numbers of counter {counter_no}, or "
        "the dossier was received at another counter; this counter may not push or change it.",
        "field": "data.code",
    }


def implausible(field: str, message_vi: str, message_en: str) -> Reason:
    """A dossier no counter could have made (a status, a moment or a code out of place)."""
    return {
        "code": R_INVALID_VALUE,
        "message": message_vi,
        "message_en": message_en,
        "field": field,
    }


def key_reused() -> Reason:
    return {
        "code": R_KEY_REUSED,
        "message": "Khóa chống trùng (key) này đã được dùng cho một nội dung khác; "
        "nội dung mới không được ghi nhận.",
        "message_en": "This idempotency key was already used for different content; "
        "the new content was not recorded.",
        "field": "key",
    }


def unknown_dossier(code: str) -> Reason:
    return {
        "code": R_UNKNOWN_DOSSIER,
        "message": f"Cổng chưa có hồ sơ {code}; cần gửi hồ sơ trước.",
        "message_en": f"The portal does not have dossier {code}; push the dossier first.",
        "field": "data.code",
    }


def dossier_exists(code: str) -> Reason:
    return {
        "code": R_DOSSIER_EXISTS,
        "message": f"Hồ sơ {code} đã có trên cổng với nội dung khác.",
        "message_en": f"Dossier {code} is already on the portal with different content.",
        "field": "data.code",
    }


def status_conflict(code: str, current: str, why: tuple[str, str]) -> Reason:
    """``why``: the (Vietnamese, English) refusal of ``protocol.refusal``."""
    return {
        "code": R_STATUS_CONFLICT,
        "message": f"Trên cổng, hồ sơ {code} đang ở trạng thái "
        f"'{STATUS_LABELS_VI[current]}': {why[0]}.",
        "message_en": f"On the portal, dossier {code} is '{STATUS_LABELS_EN[current]}': {why[1]}.",
        "field": "data.status",
        "current_status": current,
    }


def dossier_closed(code: str, current: str) -> Reason:
    return {
        "code": R_DOSSIER_CLOSED,
        "message": f"Hồ sơ {code} đã ở trạng thái "
        f"'{STATUS_LABELS_VI[current]}', không đổi được ngày hẹn trả.",
        "message_en": f"Dossier {code} is '{STATUS_LABELS_EN[current]}'; "
        "its due moment can no longer change.",
        "field": "data.due_at",
        "current_status": current,
    }


def not_returned(code: str, current: str) -> Reason:
    """A rating of a dossier whose result the portal does not know as handed back."""
    return {
        "code": R_STATUS_CONFLICT,
        "message": f"Hồ sơ {code} đang ở trạng thái '{STATUS_LABELS_VI[current]}': chỉ nhận "
        "đánh giá của người dân khi đã trả kết quả.",
        "message_en": f"Dossier {code} is '{STATUS_LABELS_EN[current]}': a citizen's rating "
        "is taken only once the result has been handed back.",
        "field": "data.code",
        "current_status": current,
    }


def due_before_receipt() -> Reason:
    return {
        "code": R_INVALID_VALUE,
        "message": "Ngày hẹn trả mới không được trước ngày tiếp nhận.",
        "message_en": "The new due moment may not be before the receipt.",
        "field": "data.due_at",
    }
