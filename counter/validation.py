"""Validation of every field a clerk types. Each check returns the clean value or raises
``InvalidInput`` naming the field, in Vietnamese with an English twin."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from counter import limits
from counter.clock import now, to_vn
from counter.errors import InvalidInput
from counter.text import collapse_spaces, has_control_chars, nfc
from counter.views import DocumentLine
from protocol.constants import ID_TYPES
from protocol.timejson import printable

# Province codes of the 63 pre-2025 provinces, as used in digits 2-3 of a CCCD.
CCCD_PROVINCES = frozenset(
    [
        "01",
        "02",
        "04",
        "06",
        "08",
        "10",
        "11",
        "12",
        "14",
        "15",
        "17",
        "19",
        "20",
        "22",
        "24",
        "25",
        "26",
        "27",
        "30",
        "31",
        "33",
        "34",
        "35",
        "36",
        "37",
        "38",
        "40",
        "42",
        "44",
        "45",
        "46",
        "48",
        "49",
        "51",
        "52",
        "54",
        "56",
        "58",
        "60",
        "62",
        "64",
        "66",
        "67",
        "68",
        "70",
        "72",
        "74",
        "75",
        "77",
        "79",
        "80",
        "82",
        "83",
        "84",
        "86",
        "87",
        "89",
        "91",
        "92",
        "93",
        "94",
        "95",
        "96",
    ]
)

# The counter's own bounds: the wire's (``counter.limits``) or stricter, never looser.
NAME_MAX = 100
ORG_NAME_MAX = limits.APPLICANT_NAME
ID_OTHER_MAX = limits.ID_NUMBER
ADDRESS_MAX = 300
NOTE_MAX = 1000
EARLIEST_RECEIPT = datetime(2000, 1, 1, tzinfo=to_vn(datetime(2000, 1, 1)).tzinfo)
FUTURE_TOLERANCE = timedelta(minutes=5)

_PASSPORT = re.compile(r"[A-Z0-9]{6,9}")
_TAX = re.compile(r"([0-9]{10})(?:-?([0-9]{3}))?")
_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63}"
)
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_MOBILE = re.compile(r"0[35789][0-9]{8}")
_LANDLINE = re.compile(r"02[0-9]{9}")
_NAME_PUNCT = frozenset("'’-. ")
_ORG_PUNCT = frozenset("'’-.,&()/+:;\"“” ")


def _invalid(field: str, vi: str, en: str) -> InvalidInput:
    return InvalidInput(vi, en, field=field)


def nfkc(text: str) -> str:
    """Compatibility forms folded: fullwidth ``０９１２`` is ``0912``, as a clerk meant it."""
    return unicodedata.normalize("NFKC", text)


def is_ascii_digits(text: str) -> bool:
    """Only 0-9: ``str.isdigit`` also takes ``²`` and other scripts' digits."""
    return text.isascii() and text.isdigit()


def code_text(value: str | None, field: str, label_vi: str, label_en: str, max_len: int) -> str:
    """A code (of a procedure, a paper, a fee): compatibility forms folded, trimmed, no
    control characters at all, at most ``max_len`` characters. Never quoted back in full."""
    text = nfkc(value or "").strip()
    if has_control_chars(text):
        raise _invalid(
            field,
            f"{label_vi} chứa ký tự điều khiển không hợp lệ",
            f"{label_en} contains control characters",
        )
    if len(text) > max_len:
        raise _invalid(
            field,
            f"{label_vi} dài quá {max_len} ký tự",
            f"{label_en} is longer than {max_len} characters",
        )
    return text


def clean_text(value: str | None, field: str, label_vi: str, label_en: str, max_len: int) -> str:
    """NFC, trimmed, inner spaces collapsed, no control characters, bounded length."""
    if value is None:
        return ""
    if has_control_chars(value.replace("\n", " ").replace("\t", " ")):
        raise _invalid(
            field,
            f"{label_vi} chứa ký tự điều khiển không hợp lệ",
            f"{label_en} contains control characters",
        )
    text = collapse_spaces(nfc(value))
    if len(text) > max_len:
        raise _invalid(
            field,
            f"{label_vi} dài quá {max_len} ký tự",
            f"{label_en} is longer than {max_len} characters",
        )
    return text


def person_name(value: str | None, field: str = "applicant_name", *, required: bool = True) -> str:
    """A person's name: letters, spaces, apostrophes, hyphens ("H'Hen Niê")."""
    label_vi = "Họ tên người nộp" if field.startswith("submitter") else "Họ tên"
    name = clean_text(value, field, label_vi, "Name", NAME_MAX)
    if not name:
        if required:
            raise _invalid(field, f"{label_vi} không được để trống", "The name is required")
        return ""
    if name.replace(" ", "").isalpha():  # letters (category L) and spaces: most names
        return name
    for ch in name:
        if not (unicodedata.category(ch)[0] in "LM" or ch in _NAME_PUNCT):
            raise _invalid(
                field,
                f"{label_vi} có ký tự không hợp lệ: '{ch}'",
                f"The name contains an invalid character: '{ch}'",
            )
    if not any(unicodedata.category(ch)[0] == "L" for ch in name):
        raise _invalid(field, f"{label_vi} phải có chữ cái", "The name must contain letters")
    return name


def organization_name(value: str | None, field: str = "applicant_name") -> str:
    name = clean_text(value, field, "Tên tổ chức", "Organisation name", ORG_NAME_MAX)
    if not name:
        raise _invalid(
            field, "Tên tổ chức không được để trống", "The organisation name is required"
        )
    for ch in name:
        if not (unicodedata.category(ch)[0] in "LMN" or ch in _ORG_PUNCT):
            raise _invalid(
                field,
                f"Tên tổ chức có ký tự không hợp lệ: '{ch}'",
                f"The organisation name contains an invalid character: '{ch}'",
            )
    if not any(unicodedata.category(ch)[0] == "L" for ch in name):
        raise _invalid(field, "Tên tổ chức phải có chữ cái", "The name must contain letters")
    return name


def cccd(value: str, field: str = "id_number", today_year: int | None = None) -> str:
    """A 12-digit citizen ID: province prefix, century/sex digit, birth year not in the future."""
    if len(value) != 12 or not is_ascii_digits(value):
        raise _invalid(field, "Số căn cước phải gồm đúng 12 chữ số", "A citizen ID has 12 digits")
    # The first three digits are the province of birth registration, or the country for a
    # birth registered abroad: a prefix that is no province is kept, with a warning
    # (``id_warning``), since the list of country codes is not held here.
    century = 1900 + 100 * (int(value[3]) // 2)
    birth_year = century + int(value[4:6])
    year = today_year or now().year
    if birth_year > year:
        raise _invalid(
            field,
            f"Số căn cước cho năm sinh {birth_year}, sau năm hiện tại",
            f"The citizen ID gives birth year {birth_year}, which is in the future",
        )
    return value


def id_number(
    value: str | None,
    applicant_type: str = "citizen",
    field: str = "id_number",
    id_type: str = "",
    today_year: int | None = None,
) -> str:
    """Citizen ID (12 digits), old ID card (9), passport, or an organisation's tax code.

    With ``id_type`` the number must be of that document; without it, any of them.
    ``today_year``: the year a citizen ID's birth year may not pass (the clock's if None).
    """
    if value is None:
        return ""
    # plain ASCII digits (as most numbers come) are already what the folding below makes
    raw = value if is_ascii_digits(value) else collapse_spaces(nfkc(value)).replace(" ", "").upper()
    if not raw:
        return ""
    if applicant_type == "organization":
        return tax_code(raw, field)
    if id_type == "cccd":
        return cccd(raw, field, today_year)
    if id_type == "cmnd":
        if not (is_ascii_digits(raw) and len(raw) == 9):
            raise _invalid(
                field,
                "Số chứng minh nhân dân phải gồm đúng 9 chữ số",
                "An old ID card number has 9 digits",
            )
        return raw
    if id_type == "other":
        if has_control_chars(raw):
            raise _invalid(
                field, "Số giấy tờ chứa ký tự điều khiển", "The number contains control characters"
            )
        if len(raw) > ID_OTHER_MAX:
            raise _invalid(
                field,
                f"Số giấy tờ quá dài (tối đa {ID_OTHER_MAX} ký tự)",
                f"The number is too long ({ID_OTHER_MAX} at most)",
            )
        return raw
    if id_type == "passport":
        if _PASSPORT.fullmatch(raw) and any(c.isdigit() for c in raw):
            return raw
        raise _invalid(field, "Số hộ chiếu không hợp lệ", "Invalid passport number")
    if is_ascii_digits(raw):
        if len(raw) == 12:
            return cccd(raw, field, today_year)
        if len(raw) == 9:
            return raw
        raise _invalid(
            field,
            "Số giấy tờ phải có 12 chữ số (căn cước) hoặc 9 chữ số (chứng minh nhân dân cũ)",
            "An ID number has 12 digits (citizen ID) or 9 digits (old ID card)",
        )
    if _PASSPORT.fullmatch(raw) and any(c.isalpha() for c in raw) and any(c.isdigit() for c in raw):
        return raw
    raise _invalid(
        field,
        "Số giấy tờ không hợp lệ: nhập số căn cước, chứng minh nhân dân hoặc hộ chiếu",
        "Invalid ID number: give a citizen ID, an old ID card or a passport number",
    )


def tax_code(value: str, field: str = "id_number") -> str:
    m = _TAX.fullmatch(value.replace(" ", ""))
    if not m:
        raise _invalid(
            field,
            "Mã số thuế phải có 10 chữ số, hoặc 10 chữ số, dấu '-' và 3 chữ số",
            "A tax code has 10 digits, or 10 digits, '-' and 3 digits",
        )
    return m.group(1) + (f"-{m.group(2)}" if m.group(2) else "")


def domestic_phone_digits(text: str) -> str:
    """Separators dropped and the country code +84 / 84 written as the domestic leading 0."""
    raw = _PHONE_SEPARATORS.sub("", nfkc(text))
    if raw.startswith("+84"):
        return "0" + raw[3:]
    if raw.startswith("84") and len(raw) in (11, 12):
        return "0" + raw[2:]
    return raw


def phone(value: str | None, field: str = "phone") -> str:
    """A Vietnamese phone number, stored as 0xxxxxxxxx (mobile) or 02xxxxxxxxx (landline)."""
    if value is None:
        return ""
    raw = domestic_phone_digits(value)
    if not raw:
        return ""
    if _MOBILE.fullmatch(raw) or _LANDLINE.fullmatch(raw):
        return raw
    raise _invalid(
        field,
        "Số điện thoại không hợp lệ: dạng 0xxxxxxxxx (10 chữ số) hoặc +84xxxxxxxxx",
        "Invalid phone number: 0xxxxxxxxx (10 digits) or +84xxxxxxxxx",
    )


def email(value: str | None, field: str = "email") -> str:
    if value is None:
        return ""
    text = value.strip()
    if not text:
        return ""
    if len(text) > 254 or not _EMAIL.fullmatch(text):
        raise _invalid(field, "Địa chỉ thư điện tử không hợp lệ", "Invalid e-mail address")
    local, _, domain = text.rpartition("@")
    if len(local) > 64 or ".." in text:
        raise _invalid(field, "Địa chỉ thư điện tử không hợp lệ", "Invalid e-mail address")
    return f"{local}@{domain.lower()}"


def address(value: str | None, field: str = "address") -> str:
    return clean_text(value, field, "Địa chỉ", "Address", ADDRESS_MAX)


def note(value: str | None, field: str = "note") -> str:
    return clean_text(value, field, "Ghi chú", "Note", NOTE_MAX)


def received_at(
    value: datetime | str | None, field: str = "received_at", at: datetime | None = None
) -> datetime:
    """Not before 2000, not more than five minutes in the future (of ``at``, the moment the
    checks count from: the clock's if None); Vietnam time if no offset."""
    if value is None:
        return now()
    moment = when(value, field, "Thời điểm tiếp nhận", "Receipt time")
    if moment < EARLIEST_RECEIPT:
        raise _invalid(
            field,
            "Thời điểm tiếp nhận không được trước năm 2000",
            "The receipt time cannot be before 2000",
        )
    if moment > (now() if at is None else at) + FUTURE_TOLERANCE:
        raise _invalid(
            field,
            "Thời điểm tiếp nhận không được ở tương lai",
            "The receipt time cannot be in the future",
        )
    return moment.replace(microsecond=0)


def when(
    value: datetime | str, field: str, label_vi: str = "Thời điểm", label_en: str = "Moment"
) -> datetime:
    """An ISO 8601 moment (Vietnam time when it has no offset) in the years the wire carries.

    A moment the portal would refuse, or one that overflows on the way to Vietnam time, is
    refused here, naming the field.
    """
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(nfkc(value).strip().replace("Z", "+00:00"))
        except ValueError:
            shown = printable(value, 40)
            raise _invalid(
                field,
                f"{label_vi} không hợp lệ: '{shown}' (dạng 2026-11-26T08:30)",
                f"{label_en} is not valid: '{shown}' (like 2026-11-26T08:30)",
            ) from None
    _in_years(moment.year, field, label_vi, label_en)
    moment = to_vn(moment)  # no overflow within those years
    _in_years(moment.year, field, label_vi, label_en)
    return moment


def day(value: date | str, field: str, label_vi: str = "Ngày", label_en: str = "Date") -> date:
    """A ``YYYY-MM-DD`` date in the years the wire carries."""
    if isinstance(value, date):
        result = value
    else:
        try:
            result = date.fromisoformat(nfkc(value).strip())
        except ValueError:
            shown = printable(value, 40)
            raise _invalid(
                field,
                f"{label_vi} không hợp lệ: '{shown}' (dạng YYYY-MM-DD)",
                f"{label_en} is not valid: '{shown}' (YYYY-MM-DD)",
            ) from None
    _in_years(result.year, field, label_vi, label_en)
    return result


def _in_years(year: int, field: str, label_vi: str, label_en: str) -> None:
    lo, hi = limits.EARLIEST_YEAR, limits.LATEST_YEAR
    if not lo <= year <= hi:
        raise _invalid(
            field,
            f"{label_vi} phải trong khoảng năm {lo} đến năm {hi}",
            f"{label_en} must be between the years {lo} and {hi}",
        )


def sets(value: int | str | None, field: str = "sets") -> int:
    if value is None:
        return 1
    n = _whole(value)
    if n is None:
        raise _invalid(field, "Số bộ hồ sơ phải là số nguyên", "Sets must be a whole number")
    if not 1 <= n <= limits.SETS:
        raise _invalid(
            field,
            f"Số bộ hồ sơ phải từ 1 đến {limits.SETS}",
            f"Sets must be between 1 and {limits.SETS}",
        )
    return n


def _whole(value: object) -> int | None:
    """A whole number given as an int or as ASCII digits (a huge one as a large int), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        digits = nfkc(value).strip()
        if is_ascii_digits(digits):
            digits = digits.lstrip("0") or "0"
            # More digits than any count has: large enough to be out of every range.
            return int(digits) if len(digits) <= 9 else 10**9
    return None


def documents(given: Sequence[DocumentLine] | None) -> tuple[DocumentLine, ...] | None:
    """The papers a clerk lists (None: the procedure's required ones), as the wire takes them:
    at most ``limits.DOCUMENTS`` lines, each with a code, once, and counts of 0 to
    ``limits.COPIES``. A name left out is the catalogue's (or the code)."""
    if given is None:
        return None
    if len(given) > limits.DOCUMENTS:
        raise _invalid(
            "documents",
            f"Quá nhiều giấy tờ (tối đa {limits.DOCUMENTS})",
            f"Too many documents ({limits.DOCUMENTS} at most)",
        )
    out: list[DocumentLine] = []
    seen: set[str] = set()
    for line in given:
        code = code_text(
            line.code, "documents", "Mã giấy tờ", "A document code", limits.DOCUMENT_CODE
        )
        if not code:
            raise _invalid("documents", "Thiếu mã giấy tờ", "A document code is missing")
        if code in seen:
            raise _invalid(
                "documents",
                f"Giấy tờ mã '{printable(code)}' được kê hai lần",
                f"Document '{printable(code)}' is listed twice",
            )
        seen.add(code)
        name = clean_text(
            line.name, "documents", "Tên giấy tờ", "A document name", limits.DOCUMENT_NAME
        )
        for count in (line.originals, line.copies):
            n = _whole(count)
            if n is None or not 0 <= n <= limits.COPIES:
                raise _invalid(
                    "documents",
                    f"Số bản của giấy tờ '{printable(code)}' phải từ 0 đến {limits.COPIES}",
                    f"Copies of document '{printable(code)}' must be 0 to {limits.COPIES}",
                )
        out.append(DocumentLine(code, name, line.originals, line.copies, line.requirement))
    return tuple(out)


CHANNELS = ("direct", "online", "postal")
APPLICANT_TYPES = ("citizen", "organization")


def choice(
    value: str | None, options: tuple[str, ...], field: str, label_vi: str, default: str
) -> str:
    if value is None or value == "":
        return default
    if value not in options:
        shown = printable(str(value), 40)
        raise _invalid(
            field,
            f"{label_vi} không hợp lệ: '{shown}' (chọn một trong: {', '.join(options)})",
            f"Invalid {field}: '{shown}' (one of: {', '.join(options)})",
        )
    return value


USERNAME = re.compile(r"[a-z][a-z0-9._-]{1,31}")


def username(value: str, field: str = "username") -> str:
    text = value.strip().lower()
    if not USERNAME.fullmatch(text):
        raise _invalid(
            field,
            "Tên đăng nhập phải bắt đầu bằng chữ cái, 2-32 ký tự: chữ thường không dấu, số, . _ -",
            "A username starts with a letter, 2-32 characters: a-z, digits, . _ -",
        )
    return text


def password(value: str, field: str = "password") -> str:
    if len(value) < 8:
        raise _invalid(
            field, "Mật khẩu phải có ít nhất 8 ký tự", "A password needs at least 8 characters"
        )
    if len(value) > 256 or has_control_chars(value):
        raise _invalid(field, "Mật khẩu không hợp lệ", "Invalid password")
    return value


def id_kind(value: str | None) -> str:
    """A document type as given (``""`` when none), refused unless one of ``ID_TYPES``."""
    given = (value or "").strip().lower()
    if given and given not in ID_TYPES:
        shown = printable(given, 40)
        raise _invalid(
            "id_type",
            f"Loại giấy tờ không hợp lệ: '{shown}' (một trong: {', '.join(ID_TYPES)})",
            f"Invalid document type: '{shown}' (one of: {', '.join(ID_TYPES)})",
        )
    return given


def id_type(value: str | None, number: str, applicant_type: str = "citizen") -> str:
    """The identity document the (already checked) ``number`` comes from.

    Given, it must be one of ``protocol.ID_TYPES``; not given, it is read from the number's
    shape. An organisation's number (its tax code) has none.
    """
    given = id_kind(value)
    if applicant_type == "organization" or not number:
        return ""
    if given:
        return given
    if number.isdigit():
        return "cccd" if len(number) == 12 else "cmnd"
    return "passport"


#: The old ID card (chứng minh nhân dân) stopped being valid on 31/12/2024 (Law on
#: Identification 2023, art. 46): a number from one is kept for old records, with a warning.
CMND_WARNING = (
    "Chứng minh nhân dân đã hết hạn sử dụng từ ngày 31/12/2024; đề nghị công dân dùng thẻ căn cước",
    "Old ID cards (CMND) expired on 31/12/2024; ask for the citizen ID card",
)


def id_warning(kind: str, number: str = "") -> tuple[str, str] | None:
    """A warning (Vietnamese, English) to show with a number of this document type, if any."""
    if kind == "cmnd":
        return CMND_WARNING
    if kind == "cccd" and len(number) == 12 and not is_province_prefix(number):
        return (
            f"Ba số đầu {number[:3]} không phải mã tỉnh: đúng nếu công dân đăng ký khai sinh ở "
            "nước ngoài (mã quốc gia); nếu không, kiểm tra lại số căn cước",
            f"The first three digits {number[:3]} are no province code: right for a birth "
            "registered abroad (a country code); otherwise check the number",
        )
    return None


def is_province_prefix(number: str) -> bool:
    """Whether a citizen ID starts with the code of a province (of birth registration)."""
    return number[:1] == "0" and number[1:3] in CCCD_PROVINCES
