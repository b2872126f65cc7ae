"""One typed schema for the counter's settings, with defaults and a version.

Ordinary settings live in the database (so a backup carries them); secrets such as the
portal token live in ``secrets.json`` in the data folder, readable by its owner only, and are
never logged or printed back in full.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from counter import naming
from counter.errors import InvalidInput, NotAllowed

SCHEMA_VERSION = 1


def _int_range(lo: int, hi: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = int(text)
        if not lo <= value <= hi:
            raise ValueError(f"{lo}..{hi}")
        return value

    return parse


def _url(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    parts = urlparse(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("http(s)://host[:port][/path]")
    return text.rstrip("/")


def _choice(*options: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in options:
            raise ValueError(" | ".join(options))
        return text

    return parse


def _text(text: str) -> str:
    return " ".join(text.split())


def _periods(text: str) -> str:
    """Office periods, "07:30-11:30,13:00-17:00"; written back the same way."""
    from counter.workcalendar import format_periods, parse_periods

    return format_periods(parse_periods(text))


def _weekdays(allow_none: bool) -> Callable[[str], str]:
    """ISO weekday numbers (1 = Monday), "1-5" or "6" or "6,7"; "" when ``allow_none``."""

    def parse(text: str) -> str:
        from counter.workcalendar import format_weekdays, parse_weekdays

        if allow_none and not text.strip():
            return ""
        return format_weekdays(parse_weekdays(text))

    return parse


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on", "có"):
        return True
    if lowered in ("0", "false", "no", "off", "không"):
        return False
    raise ValueError("true | false")


@dataclass(frozen=True)
class Spec:
    key: str
    default: Any
    parse: Callable[[str], Any]
    help_vi: str
    secret: bool = False
    admin_only: bool = True
    #: published by the agency (the portal's master data) for all its counters: never set at
    #: one counter
    from_agency: bool = False


SPECS: dict[str, Spec] = {
    s.key: s
    for s in [
        Spec("office.agency_code", "", _text, "Mã định danh cơ quan (QCVN 102:2016/BTTTT)"),
        Spec("office.agency_name", "", _text, "Tên cơ quan, đơn vị tiếp nhận"),
        Spec("office.counter_no", 1, _int_range(1, 9), "Số quầy tiếp nhận (1-9)"),
        Spec("office.parent_name", "", _text, "Tên cơ quan cấp trên (UBND ...)"),
        Spec(
            "office.level",
            "commune",
            _choice(*naming.LEVELS),
            "Loại đơn vị: commune (xã, phường, đặc khu), province (tỉnh, thành phố), "
            "ministry (bộ, ngành)",
        ),
        Spec(
            "office.authority_name",
            "",
            _text,
            "Cơ quan chủ quản của đơn vị (để trống: Ủy ban nhân dân + địa danh của đơn vị)",
        ),
        Spec("office.lookup_base_url", "", _url, "Địa chỉ trang tra cứu (.../tra-cuu)"),
        Spec("office.place", "", _text, "Địa danh ghi trên biểu mẫu"),
        Spec("office.address", "", _text, "Địa chỉ trụ sở"),
        Spec("office.phone", "", _text, "Số điện thoại liên hệ"),
        Spec("portal.url", "", _url, "Địa chỉ cổng dịch vụ công tỉnh"),
        Spec("portal.token", "", str, "Mã truy cập của quầy trên cổng", secret=True),
        Spec("portal.connect_timeout", 5, _int_range(1, 120), "Thời gian chờ kết nối (giây)"),
        Spec("portal.read_timeout", 30, _int_range(1, 600), "Thời gian chờ phản hồi (giây)"),
        Spec("portal.verify_tls", True, _bool, "Kiểm tra chứng chỉ TLS"),
        Spec("sync.batch_size", 200, _int_range(1, 1000), "Số mục gửi mỗi lần"),
        Spec("sync.interval_seconds", 60, _int_range(5, 86400), "Chu kỳ đồng bộ (giây)"),
        Spec(
            "calendar.hours",
            "07:30-11:30,13:00-17:00",
            _periods,
            "Giờ làm việc (tính thời hạn giải quyết)",
        ),
        Spec(
            "calendar.weekdays",
            "1-5",
            _weekdays(allow_none=False),
            "Ngày làm việc trong tuần, tính thời hạn (1 = thứ Hai)",
        ),
        Spec(
            "calendar.extra_open_days",
            "",
            _weekdays(allow_none=True),
            "Ngày mở cửa thêm, không tính thời hạn (ví dụ 6 = thứ Bảy; để trống: không)",
        ),
        Spec(
            "calendar.extra_open_hours",
            "07:30-11:30",
            _periods,
            "Giờ mở cửa của những ngày mở cửa thêm",
        ),
        Spec(
            "codes.block_size",
            1000,
            _int_range(100, 5000),
            "Số mã mỗi quầy mỗi ngày (cơ quan quy định chung, gửi về khi đồng bộ)",
            from_agency=True,
        ),
        Spec("printing.printer", "", _text, "Máy in mặc định", admin_only=False),
        Spec(
            "printing.paper",
            "a5",
            _choice("a5", "a4", "thermal80"),
            "Khổ giấy biên nhận",
            admin_only=False,
        ),
        Spec(
            "book.volume",
            "",
            _text,
            "Quyển sổ theo dõi của quầy (để trống: số quầy/năm; mỗi quầy một quyển riêng)",
        ),
        Spec("ui.language", "vi", _choice("vi", "en"), "Ngôn ngữ", admin_only=False),
        Spec("ui.idle_lock_minutes", 10, _int_range(0, 240), "Tự khóa sau (phút, 0 = không)"),
        Spec(
            "ui.lookup_clear_seconds", 30, _int_range(5, 600), "Màn hình tra cứu tự xóa sau (giây)"
        ),
    ]
}


#: Settings named after a procedure: ``agency.<procedure code>`` names the agency that
#: processes it here (counter.naming.processing_agency); empty means the catalogue's.
AGENCY_PREFIX = "agency."
AGENCY_SPEC = Spec(
    AGENCY_PREFIX + "<procedure code>",
    "",
    _text,
    "Cơ quan giải quyết thủ tục tại đơn vị này (để trống: theo danh mục)",
)
PROCEDURE_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")


def spec_for(key: str) -> Spec | None:
    """The schema of a setting, or None if there is no such setting."""
    spec = SPECS.get(key)
    if spec is None and key.startswith(AGENCY_PREFIX):
        return AGENCY_SPEC if PROCEDURE_CODE.fullmatch(key[len(AGENCY_PREFIX) :]) else None
    return spec


def parse_value(key: str, text: str) -> Any:
    spec = spec_for(key)
    if spec is None and key.startswith(AGENCY_PREFIX):
        raise InvalidInput(
            f"Mã thủ tục không hợp lệ trong '{key}' (dạng agency.1.004194)",
            f"Invalid procedure code in '{key}' (shaped like agency.1.004194)",
            field=key,
        )
    if spec is None:
        known = ", ".join(sorted(SPECS))
        raise InvalidInput(
            f"Không có thiết lập '{key}'. Các thiết lập: {known}, {AGENCY_PREFIX}<mã thủ tục>",
            f"No setting '{key}'. Settings: {known}, {AGENCY_PREFIX}<procedure code>",
            field=key,
        )
    try:
        return spec.parse(text)
    except (ValueError, TypeError) as exc:
        raise InvalidInput(
            f"Giá trị không hợp lệ cho '{key}': '{text}' ({exc})",
            f"Invalid value for '{key}': '{text}' ({exc})",
            field=key,
        ) from None


def refuse_if_from_agency(spec: Spec) -> None:
    """A setting the agency publishes for all its counters is not changed at one of them."""
    if spec.from_agency:
        raise NotAllowed(
            f"'{spec.key}' do cơ quan quy định chung cho mọi quầy và cổng dịch vụ công gửi về "
            "khi đồng bộ; không đặt riêng ở một quầy (các quầy dùng cỡ khác nhau sẽ cấp trùng "
            "mã hồ sơ)",
            f"'{spec.key}' is set by the agency for all its counters and sent by the portal "
            "at sync; it is not set at one counter (counters with different sizes give the "
            "same dossier codes)",
            field=spec.key,
        )


def encode(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def decode(key: str, raw: str | None) -> Any:
    if raw is None:
        spec = spec_for(key)
        return spec.default if spec is not None else None
    return json.loads(raw)


class SecretStore:
    """``secrets.json`` with owner-only permissions, written atomically."""

    def __init__(self, path: Path):
        self.path = path

    def _read(self) -> dict[str, str]:
        try:
            return dict(json.loads(self.path.read_text("utf-8")))
        except FileNotFoundError:
            return {}

    def get(self, key: str) -> str:
        return self._read().get(key, "")

    def set(self, key: str, value: str) -> None:
        data = self._read()
        data[key] = value
        tmp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, stat.S_IRUSR | stat.S_IWUSR)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IRUSR | stat.S_IWUSR)
        tmp.replace(self.path)


def mask_secret(value: str) -> str:
    if not value:
        return ""
    return value[:4] + "…" + f" ({len(value)} ký tự)"
