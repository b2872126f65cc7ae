"""One typed schema for the counter's settings, with defaults and a version.

Ordinary settings live in the database (so a backup carries them); secrets such as the
portal token live in ``secrets.json`` in the data folder, readable by its owner only, and are
never logged or printed back in full.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from counter import limits, naming
from counter.clock import now
from counter.codes import normalise_agency_code
from counter.errors import InvalidInput, NotAllowed, StorageError
from counter.text import has_control_chars, nfc
from protocol.timejson import printable

SCHEMA_VERSION = 1


class Bad(ValueError):
    """A value out of a setting's type or range: what is expected, in Vietnamese and English."""

    def __init__(self, vi: str, en: str):
        super().__init__(en)
        self.vi = vi
        self.en = en


def _int_range(lo: int, hi: int) -> Callable[[str], int]:
    """A whole number from ``lo`` to ``hi``, in ASCII digits (fullwidth ones folded)."""

    def parse(text: str) -> int:
        digits = unicodedata.normalize("NFKC", text).strip()
        if not (digits.isascii() and digits.isdigit() and len(digits) <= 9):
            raise Bad(
                f"phải là số nguyên từ {lo} đến {hi}", f"must be a whole number from {lo} to {hi}"
            )
        value = int(digits)
        if not lo <= value <= hi:
            raise Bad(
                f"phải là số nguyên từ {lo} đến {hi}", f"must be a whole number from {lo} to {hi}"
            )
        return value

    return parse


def _url(*, path_only: bool) -> Callable[[str], str]:
    """An http(s) address with a host and nothing to hide or to change: no user or password,
    no fragment, no whitespace; with ``path_only`` no query either (the lookup address: the
    receipt's QR code adds its own). "" when none is set."""

    def parse(text: str) -> str:
        text = text.strip()
        if not text:
            return ""
        expected = (
            "phải có dạng http(s)://máy[:cổng]/đường-dẫn, không có ?, # hay tên đăng nhập",
            "must be http(s)://host[:port]/path, without ?, # or a user name",
        )
        if len(text) > limits.LOOKUP_BASE_URL:
            raise Bad(
                f"dài quá {limits.LOOKUP_BASE_URL} ký tự",
                f"is longer than {limits.LOOKUP_BASE_URL} characters",
            )
        if not text.isprintable() or any(c.isspace() for c in text) or "#" in text:
            raise Bad(*expected)
        try:
            parts = urlsplit(text)
            port_ok = parts.port is None or parts.port > 0
        except ValueError:
            raise Bad(*expected) from None
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or not port_ok
            or "@" in parts.netloc
            or (path_only and "?" in text)
        ):
            raise Bad(*expected)
        return text.rstrip("/")

    return parse


def _choice(*options: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in options:
            raise Bad(
                "phải là một trong: " + " | ".join(options),
                "must be one of: " + " | ".join(options),
            )
        return text

    return parse


def _text(max_len: int, *, required: bool = False) -> Callable[[str], str]:
    """Words: no control characters, spaces collapsed, at most ``max_len`` characters."""

    def parse(text: str) -> str:
        if has_control_chars(text.replace("\t", " ").replace("\n", " ")):
            raise Bad("chứa ký tự điều khiển", "contains control characters")
        value = " ".join(nfc(text).split())
        if len(value) > max_len:
            raise Bad(f"dài quá {max_len} ký tự", f"is longer than {max_len} characters")
        if required and not value:
            raise Bad("không được để trống", "must not be empty")
        return value

    return parse


def _agency_code(text: str) -> str:
    try:
        return normalise_agency_code(text)
    except InvalidInput:
        raise Bad("phải có dạng 000.00.36.H62", "must be shaped like 000.00.36.H62") from None


#: What an Authorization header carries: visible ASCII, no space, no line break.
TOKEN = re.compile(r"[!-~]{1,512}")


def _token(text: str) -> str:
    if text and not TOKEN.fullmatch(text):
        raise Bad(
            "phải gồm 1 đến 512 ký tự ASCII nhìn thấy được, không có dấu cách hay xuống dòng",
            "must be 1 to 512 visible ASCII characters, without spaces or line breaks",
        )
    return text


_PERIODS = re.compile(
    r"[0-9]{1,2}:[0-9]{2}-[0-9]{1,2}:[0-9]{2}(?:,[0-9]{1,2}:[0-9]{2}-[0-9]{1,2}:[0-9]{2}){0,5}"
)


def _periods(text: str) -> str:
    """Office periods, "07:30-11:30,13:00-17:00" (at most six); written back the same way."""
    from counter.workcalendar import format_periods, parse_periods

    compact = "".join(unicodedata.normalize("NFKC", text).split())
    try:
        if not _PERIODS.fullmatch(compact):
            raise ValueError(compact)
        return format_periods(parse_periods(compact))
    except ValueError:
        raise Bad(
            "phải có dạng HH:MM-HH:MM[,HH:MM-HH:MM], tăng dần, không chồng nhau, tối đa 6 khoảng",
            "must be HH:MM-HH:MM[,HH:MM-HH:MM], in order, not overlapping, at most 6 periods",
        ) from None


_WEEKDAYS = re.compile(r"[1-7](?:-[1-7])?(?:,[1-7](?:-[1-7])?){0,6}")


def _weekdays(allow_none: bool) -> Callable[[str], str]:
    """ISO weekday numbers (1 = Monday), "1-5" or "6" or "6,7"; "" when ``allow_none``."""

    def parse(text: str) -> str:
        from counter.workcalendar import format_weekdays, parse_weekdays

        compact = "".join(unicodedata.normalize("NFKC", text).split())
        if allow_none and not compact:
            return ""
        try:
            if not _WEEKDAYS.fullmatch(compact):  # before any range is made of it
                raise ValueError(compact)
            return format_weekdays(parse_weekdays(compact))
        except ValueError:
            raise Bad(
                "phải là số thứ trong tuần từ 1 (thứ Hai) đến 7, dạng 1-5 | 6 | 1-5,7",
                "must be weekday numbers 1 (Monday) to 7, like 1-5 | 6 | 1-5,7",
            ) from None

    return parse


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on", "có"):
        return True
    if lowered in ("0", "false", "no", "off", "không"):
        return False
    raise Bad("phải là true hoặc false", "must be true or false")


#: A print queue's name (CUPS takes 127 characters).
PRINTER_NAME = 127
#: A SANE device name ("test", "genesys:libusb:001:004", "net:host:airscan:...").
SCANNER_NAME = 200
#: A folder's path (a network share's too).
FOLDER_PATH = 1000
#: The tracking book's volume as printed on receipts ("02/2026").
BOOK_VOLUME = 40


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
        Spec("office.agency_code", "", _agency_code, "Mã định danh cơ quan (QCVN 102:2016/BTTTT)"),
        Spec(
            "office.agency_name",
            "",
            _text(limits.OFFICE_NAME, required=True),
            "Tên cơ quan, đơn vị tiếp nhận",
        ),
        Spec("office.counter_no", 1, _int_range(1, 9), "Số quầy tiếp nhận (1-9)"),
        Spec(
            "office.parent_name",
            "",
            _text(limits.OFFICE_PARENT_NAME),
            "Tên cơ quan cấp trên (UBND ...)",
        ),
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
            _text(limits.OFFICE_PARENT_NAME),
            "Cơ quan chủ quản của đơn vị (để trống: Ủy ban nhân dân + địa danh của đơn vị)",
        ),
        Spec(
            "office.lookup_base_url",
            "",
            _url(path_only=True),
            "Địa chỉ trang tra cứu (.../tra-cuu)",
        ),
        Spec("office.place", "", _text(limits.OFFICE_PLACE), "Địa danh ghi trên biểu mẫu"),
        Spec("office.address", "", _text(limits.OFFICE_ADDRESS), "Địa chỉ trụ sở"),
        Spec("office.phone", "", _text(limits.OFFICE_PHONE), "Số điện thoại liên hệ"),
        Spec("portal.url", "", _url(path_only=True), "Địa chỉ cổng dịch vụ công tỉnh"),
        Spec("portal.token", "", _token, "Mã truy cập của quầy trên cổng", secret=True),
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
        Spec("printing.printer", "", _text(PRINTER_NAME), "Máy in mặc định", admin_only=False),
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
            _text(BOOK_VOLUME),
            "Quyển sổ theo dõi của quầy (để trống: số quầy/năm; mỗi quầy một quyển riêng)",
        ),
        Spec(
            "scan.device",
            "",
            _text(SCANNER_NAME),
            "Máy quét (tên thiết bị SANE, ví dụ 'test'; để trống: máy đầu tiên tìm thấy)",
            admin_only=False,
        ),
        Spec(
            "scan.source",
            "",
            _text(SCANNER_NAME),
            "Khay giấy của máy quét (ví dụ 'Automatic Document Feeder'; để trống: mặc định)",
            admin_only=False,
        ),
        Spec(
            "scan.folder",
            "",
            _text(FOLDER_PATH),
            "Thư mục quét (máy quét, máy photocopy lưu tệp vào đây; để trống: không dùng)",
            admin_only=False,
        ),
        Spec(
            "scan.max_file_mb",
            20,
            _int_range(1, 200),
            "Dung lượng tối đa một tệp đính kèm (MB)",
        ),
        Spec("ui.language", "vi", _choice("vi", "en"), "Ngôn ngữ", admin_only=False),
        Spec("ui.idle_lock_minutes", 10, _int_range(0, 240), "Tự khóa sau (phút, 0 = không)"),
        Spec(
            "ui.lookup_clear_seconds", 30, _int_range(5, 600), "Màn hình tra cứu tự xóa sau (giây)"
        ),
        Spec(
            "ui.rating_screen",
            True,
            _bool,
            "Màn hình đánh giá: người dân đánh giá mức độ hài lòng khi nhận kết quả",
        ),
        Spec(
            "ui.rating_idle_seconds",
            120,
            _int_range(10, 600),
            "Màn hình đánh giá tự đóng sau (giây, khi người dân không chọn)",
        ),
    ]
}


#: Settings named after a procedure: ``agency.<procedure code>`` names the agency that
#: processes it here (counter.naming.processing_agency); empty means the catalogue's.
AGENCY_PREFIX = "agency."
AGENCY_SPEC = Spec(
    AGENCY_PREFIX + "<procedure code>",
    "",
    _text(limits.RESULT_AGENCY),
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
    except Bad as exc:
        # A secret is never said back; anything else is, escaped and cut short.
        shown = "" if spec.secret else f" ('{printable(repr(text)[1:-1], 40)}')"
        raise InvalidInput(
            f"Giá trị không hợp lệ cho '{key}'{shown}: {exc.vi}",
            f"Invalid value for '{key}'{shown}: {exc.en}",
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
    """``secrets.json`` with owner-only permissions, written atomically.

    A damaged file (not JSON, not an object of texts) is said plainly when read; setting a
    secret again repairs it: the damaged file is kept beside it (``secrets.json.damaged-...``,
    still owner-only) and a new one is written.
    """

    def __init__(self, path: Path):
        self.path = path

    def _damaged(self) -> StorageError:
        return StorageError(
            f"Tệp bí mật '{self.path.name}' bị hỏng hoặc không đọc được; đặt lại mã truy cập "
            "bằng 'counter-admin config set portal.token TOKEN'",
            f"The secrets file '{self.path.name}' is damaged or unreadable; set the token "
            "again with 'counter-admin config set portal.token TOKEN'",
            field="portal.token",
        )

    def _read(self) -> dict[str, str]:
        try:
            data = limits.parse_json(limits.decode_utf8(self.path.read_bytes()))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            raise self._damaged() from None
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise self._damaged()
        return data

    def get(self, key: str) -> str:
        return self._read().get(key, "")

    def set(self, key: str, value: str) -> None:
        try:
            data = self._read()
        except StorageError:
            data = {}
            self._keep_damaged()
        data[key] = value
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, stat.S_IRUSR | stat.S_IWUSR)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, stat.S_IRUSR | stat.S_IWUSR)
            tmp.replace(self.path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise StorageError(
                f"Không ghi được tệp bí mật '{self.path.name}': {exc.strerror or exc}",
                f"Cannot write the secrets file '{self.path.name}': {exc.strerror or exc}",
                field=key,
            ) from None

    def _keep_damaged(self) -> None:
        """Move a damaged file aside, owner-only, so that a new one can take its place."""
        if not self.path.is_file():
            return
        aside = self.path.with_name(f"{self.path.name}.damaged-{now():%Y%m%d-%H%M%S}")
        os.chmod(self.path, stat.S_IRUSR | stat.S_IWUSR)
        self.path.replace(aside)


def mask_secret(value: str) -> str:
    if not value:
        return ""
    return value[:4] + "…" + f" ({len(value)} ký tự)"
