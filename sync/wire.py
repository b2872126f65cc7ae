"""The wire format of the portal protocol (``/api/v1``), shared by the portal and the sync client.

Pure standard library on purpose: the reference portal (``portal``) and the counter's sync
client (``sync``) both import this module, and neither may drag the other's dependencies in.

What lives here:

- the protocol's constants (prefix, version, size limits) and the ten national status codes;
- a small declarative schema (``Text``, ``Integer``, ``Obj``...) that both *validates and
  normalises* payloads and *produces the JSON Schema* published in the OpenAPI document, so the
  documentation and the checks cannot drift apart;
- the entry payloads a counter pushes (dossier snapshot, status change, due change), their
  builders for the client and their validation for the portal;
- the shapes of every response, as schemas and ``TypedDict`` s.

docs/portal-protocol.md explains the protocol in prose.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Literal, NotRequired, TypedDict

# --------------------------------------------------------------------------------------------
# Protocol constants
# --------------------------------------------------------------------------------------------

API_VERSION = "v1"
API_PREFIX = "/api/v1"
JSON_MEDIA_TYPE = "application/json"

#: Most entries one push may carry; a larger batch is refused whole with 413.
MAX_BATCH_ENTRIES = 1000
#: What a client should send per push: big enough to be fast, small enough to retry cheaply.
RECOMMENDED_BATCH_ENTRIES = 500
#: Largest request body the portal reads; a larger one is refused with 413.
MAX_BODY_BYTES = 8 * 1024 * 1024
#: Bounds of ``limit`` on ``GET /changes``.
MAX_CHANGES_LIMIT = 1000
DEFAULT_CHANGES_LIMIT = 500
#: Largest cursor value (the largest integer JSON numbers carry exactly).
MAX_CURSOR = 2**53 - 1

#: Vietnam time. Every datetime on the wire carries an offset; the portal writes +07:00.
VN_TZ = timezone(timedelta(hours=7))

# --------------------------------------------------------------------------------------------
# Statuses (TrangThaiHoSo). A copy of counter.statuses.STATUS_NUMBERS: the portal must not
# import the counter's package. tests/portal/test_wire.py checks the two stay equal.
# --------------------------------------------------------------------------------------------

STATUS_CODES: dict[str, int] = {
    "registered": 1,
    "received": 2,
    "rejected": 3,
    "processing": 4,
    "supplement_requested": 5,
    "payment_requested": 6,
    "withdrawn": 7,
    "stopped": 8,
    "done": 9,
    "returned": 10,
}
STATUS_BY_CODE: dict[int, str] = {number: status for status, number in STATUS_CODES.items()}
STATUSES: tuple[str, ...] = tuple(STATUS_CODES)

#: Vietnamese labels, as printed for citizens (the same words as counter.statuses.LABELS_VI).
STATUS_LABELS_VI: dict[str, str] = {
    "registered": "Mới đăng ký",
    "received": "Đã tiếp nhận",
    "rejected": "Không tiếp nhận",
    "processing": "Đang xử lý",
    "supplement_requested": "Yêu cầu bổ sung",
    "payment_requested": "Yêu cầu thực hiện nghĩa vụ tài chính",
    "withdrawn": "Rút hồ sơ",
    "stopped": "Dừng xử lý",
    "done": "Đã có kết quả",
    "returned": "Đã trả kết quả",
}
STATUS_LABELS_EN: dict[str, str] = {
    "registered": "Registered",
    "received": "Received",
    "rejected": "Not accepted",
    "processing": "Being processed",
    "supplement_requested": "Supplement requested",
    "payment_requested": "Payment requested",
    "withdrawn": "Withdrawn",
    "stopped": "Processing stopped",
    "done": "Result ready",
    "returned": "Result returned",
}
#: Nothing more happens to a dossier in these; a ready result (done) only waits to be handed back.
CLOSED_STATUSES = frozenset({"rejected", "withdrawn", "stopped", "returned", "done"})
#: The statuses whose word is the portal's (the processing departments own them).
PORTAL_OWNED_STATUSES = frozenset(
    {"processing", "supplement_requested", "payment_requested", "stopped", "done"}
)

CHANNELS: tuple[str, ...] = ("direct", "online", "postal")
APPLICANT_TYPES: tuple[str, ...] = ("citizen", "organization")
PROCESSING_UNITS: tuple[str, ...] = ("working_days", "working_hours", "calendar_days")
CALENDAR_KINDS: tuple[str, ...] = ("day_off", "workday")

KIND_DOSSIER = "dossier"
KIND_STATUS = "status"
KIND_DUE = "due"
ENTRY_KINDS: tuple[str, ...] = (KIND_DOSSIER, KIND_STATUS, KIND_DUE)

ACCEPTED = "accepted"
DUPLICATE = "duplicate"
CONFLICT = "conflict"
REJECTED = "rejected"
OUTCOMES: tuple[str, ...] = (ACCEPTED, DUPLICATE, CONFLICT, REJECTED)

SOURCE_PORTAL = "portal"
SOURCE_COUNTER = "counter"
CHANGE_SOURCES: tuple[str, ...] = (SOURCE_PORTAL, SOURCE_COUNTER)
CHANGE_KINDS: tuple[str, ...] = (KIND_STATUS, KIND_DUE)

# Reason codes of refused entries (``reason.code`` in a push result).
R_MISSING_FIELD = "missing_field"
R_UNKNOWN_FIELD = "unknown_field"
R_WRONG_TYPE = "wrong_type"
R_INVALID_VALUE = "invalid_value"
R_WRONG_AGENCY = "wrong_agency"
R_KEY_REUSED = "key_reused"
R_DOSSIER_EXISTS = "dossier_exists"
R_UNKNOWN_DOSSIER = "unknown_dossier"
R_STATUS_CONFLICT = "status_conflict"
R_DOSSIER_CLOSED = "dossier_closed"

# Shapes of identifiers (full match).
AGENCY_CODE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._]{0,39}"
DOSSIER_CODE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]{2,79}"
LOOKUP_KEY_PATTERN = r"[A-Za-z0-9]{4,32}"
ENTRY_KEY_PATTERN = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

_AGENCY_CODE_RE = re.compile(AGENCY_CODE_PATTERN)
_DOSSIER_CODE_RE = re.compile(DOSSIER_CODE_PATTERN)
_ENTRY_KEY_RE = re.compile(ENTRY_KEY_PATTERN)
# C0 controls other than tab, line feed and carriage return, DEL, and lone surrogates: no
# database stores them faithfully and no clerk typed them.
_BAD_CHARS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

_MIN_YEAR = 1990
_MAX_YEAR = 2199


def status_code_of(status: str) -> int:
    """The national number of a status identifier (KeyError if unknown)."""
    return STATUS_CODES[status]


def status_of_code(number: int) -> str:
    """The identifier of a national status number (KeyError if unknown)."""
    return STATUS_BY_CODE[number]


def is_agency_code(text: str) -> bool:
    return _AGENCY_CODE_RE.fullmatch(text) is not None


def is_dossier_code(text: str) -> bool:
    return _DOSSIER_CODE_RE.fullmatch(text) is not None


def code_belongs_to(code: str, agency_code: str) -> bool:
    """Whether a dossier code was issued by the agency: ``<agency code>-...``."""
    return code.startswith(agency_code + "-") and len(code) > len(agency_code) + 1


# --------------------------------------------------------------------------------------------
# Time
# --------------------------------------------------------------------------------------------


def now_vn() -> datetime:
    """Now in Vietnam time, to the second (what the portal stamps on what it records)."""
    return datetime.now(VN_TZ).replace(microsecond=0)


def format_datetime(moment: datetime) -> str:
    """ISO 8601 in Vietnam time, e.g. ``2026-11-26T08:30:00+07:00`` (microseconds kept if any)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every datetime on the wire carries an offset")
    return moment.astimezone(VN_TZ).isoformat()


def parse_datetime(text: str) -> datetime:
    """Parse an ISO 8601 datetime that carries an offset; the result is in Vietnam time.

    Raises ValueError for anything else, including a datetime without an offset and years
    outside 1990-2199 (which no dossier has, and which would overflow time-zone arithmetic).
    """
    if not isinstance(text, str) or len(text) > 40 or "T" not in text.upper():
        raise ValueError("not an ISO 8601 datetime")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("datetime without an offset")
    if not _MIN_YEAR <= moment.year <= _MAX_YEAR:
        raise ValueError("year out of range")
    return moment.astimezone(VN_TZ)


def parse_date(text: str) -> date:
    """Parse ``YYYY-MM-DD`` exactly."""
    if not isinstance(text, str) or re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is None:
        raise ValueError("not a YYYY-MM-DD date")
    day = date.fromisoformat(text)
    if not _MIN_YEAR <= day.year <= _MAX_YEAR:
        raise ValueError("year out of range")
    return day


# --------------------------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------------------------


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def loads(data: bytes | str) -> Any:
    """Strict JSON: UTF-8 only, no NaN/Infinity. Raises ValueError (and RecursionError)."""
    text = data.decode("utf-8") if isinstance(data, bytes | bytearray) else data
    return json.loads(text, parse_constant=_refuse_constant)


def dumps(obj: Any) -> bytes:
    """Compact UTF-8 JSON as sent on the wire."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def canonical_json(obj: Any) -> str:
    """Key-sorted compact JSON: equal content gives equal text, whatever the key order."""
    return json.dumps(
        obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    )


def content_hash(kind: str, data: Mapping[str, Any]) -> str:
    """The fingerprint of an entry's (normalised) content, compared under one idempotency key."""
    text = canonical_json({"kind": kind, "data": data})
    return hashlib.sha256(text.encode()).hexdigest()


# --------------------------------------------------------------------------------------------
# Problems
# --------------------------------------------------------------------------------------------


def printable(text: str, limit: int = 60) -> str:
    """A field name or value made safe to quote in a message (no control chars, bounded)."""
    safe = text.encode("utf-8", "backslashreplace").decode("utf-8")
    safe = _BAD_CHARS_RE.sub("?", safe)
    return safe if len(safe) <= limit else safe[: limit - 1] + "…"


class WireError(ValueError):
    """One thing wrong with a payload, said for a clerk (Vietnamese) and a developer (English)."""

    def __init__(self, code: str, path: str, message: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.path = path
        self.message = message
        self.message_en = message_en

    def as_reason(self) -> Reason:
        reason: Reason = {"code": self.code, "message": self.message, "message_en": self.message_en}
        if self.path:
            reason["field"] = self.path
        return reason


def _missing(path: str) -> WireError:
    return WireError(
        R_MISSING_FIELD,
        path,
        f"Thiếu trường bắt buộc '{path}'.",
        f"Missing required field '{path}'.",
    )


def _unknown(path: str) -> WireError:
    return WireError(
        R_UNKNOWN_FIELD,
        path,
        f"Trường '{path}' không có trong giao thức.",
        f"Unknown field '{path}'.",
    )


def _wrong_type(path: str, vi: str, en: str) -> WireError:
    where = path or "nội dung"
    where_en = path or "the payload"
    return WireError(
        R_WRONG_TYPE, path, f"Trường '{where}' phải là {vi}.", f"'{where_en}' must be {en}."
    )


def _invalid(path: str, vi: str, en: str) -> WireError:
    return WireError(R_INVALID_VALUE, path, f"Trường '{path}': {vi}.", f"Field '{path}': {en}.")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


# --------------------------------------------------------------------------------------------
# A small declarative schema: validates + normalises, and renders JSON Schema
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A string, NFC-normalised, without control characters."""

    max_length: int
    min_length: int = 0
    pattern: str | None = None  # full match
    nullable: bool = False  # null is read as ""
    description: str = ""
    example: str | None = None


@dataclass(frozen=True)
class Integer:
    minimum: int
    maximum: int
    nullable: bool = False
    description: str = ""


@dataclass(frozen=True)
class Number:
    """An integer or a decimal number, finite."""

    minimum: float
    maximum: float
    exclusive_minimum: bool = False
    description: str = ""


@dataclass(frozen=True)
class Boolean:
    description: str = ""


@dataclass(frozen=True)
class Choice:
    values: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class DateTimeText:
    """ISO 8601 datetime with an offset; normalised to Vietnam time."""

    nullable: bool = False
    description: str = ""


@dataclass(frozen=True)
class DateText:
    description: str = ""


@dataclass(frozen=True)
class ArrayOf:
    item: Spec
    max_items: int
    min_items: int = 0
    description: str = ""


@dataclass(frozen=True)
class Prop:
    """A member of an object: its schema, whether it must be there, and its default."""

    spec: Spec
    required: bool = True
    default: Any = None


@dataclass(frozen=True)
class Obj:
    props: Mapping[str, Prop]
    extra: Literal["forbid", "ignore", "keep"] = "forbid"
    nullable: bool = False
    title: str = ""
    description: str = ""


@dataclass(frozen=True)
class Ref:
    """A reference to a named schema (rendered as ``$ref`` in the OpenAPI document)."""

    name: str
    nullable: bool = False


@dataclass(frozen=True)
class OneOf:
    """Exactly one of several schemas (tried in order; the first that fits is the answer)."""

    options: tuple[Spec, ...]
    description: str = ""


@dataclass(frozen=True)
class AnyJSON:
    description: str = ""


Spec = (
    Text
    | Integer
    | Number
    | Boolean
    | Choice
    | DateTimeText
    | DateText
    | ArrayOf
    | Obj
    | Ref
    | OneOf
    | AnyJSON
)


def _req(spec: Spec) -> Prop:
    return Prop(spec, required=True)


def _opt(spec: Spec, default: Any) -> Prop:
    return Prop(spec, required=False, default=default)


def check(spec: Spec, value: Any, path: str = "") -> Any:
    """Validate ``value`` against ``spec`` and return its normalised form; raise WireError."""
    if isinstance(spec, Ref):
        if spec.nullable and value is None:
            return None
        return check(SCHEMAS[spec.name], value, path)
    if isinstance(spec, Text):
        return _check_text(spec, value, path)
    if isinstance(spec, Integer):
        if spec.nullable and value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise _wrong_type(path, "số nguyên", "an integer")
        if not spec.minimum <= value <= spec.maximum:
            raise _invalid(
                path,
                f"phải từ {spec.minimum} đến {spec.maximum}",
                f"must be between {spec.minimum} and {spec.maximum}",
            )
        return value
    if isinstance(spec, Number):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _wrong_type(path, "một số", "a number")
        if (
            not math.isfinite(value)
            or value > spec.maximum
            or value < spec.minimum
            or (spec.exclusive_minimum and value == spec.minimum)
        ):
            raise _invalid(path, "giá trị không hợp lệ", "value out of range")
        return value
    if isinstance(spec, Boolean):
        if not isinstance(value, bool):
            raise _wrong_type(path, "true hoặc false", "a boolean")
        return value
    if isinstance(spec, Choice):
        if not isinstance(value, str):
            raise _wrong_type(path, "chuỗi ký tự", "a string")
        if value not in spec.values:
            allowed = ", ".join(spec.values)
            raise _invalid(path, f"phải là một trong: {allowed}", f"must be one of: {allowed}")
        return value
    if isinstance(spec, DateTimeText):
        if spec.nullable and value is None:
            return None
        if not isinstance(value, str):
            raise _wrong_type(path, "chuỗi ngày giờ", "a datetime string")
        try:
            return format_datetime(parse_datetime(value))
        except ValueError:
            raise _invalid(
                path,
                "phải là ngày giờ ISO 8601 có múi giờ, ví dụ 2026-11-26T08:30:00+07:00",
                "must be an ISO 8601 datetime with an offset, e.g. 2026-11-26T08:30:00+07:00",
            ) from None
    if isinstance(spec, DateText):
        if not isinstance(value, str):
            raise _wrong_type(path, "chuỗi ngày", "a date string")
        try:
            return parse_date(value).isoformat()
        except ValueError:
            raise _invalid(
                path, "phải là ngày dạng YYYY-MM-DD", "must be a YYYY-MM-DD date"
            ) from None
    if isinstance(spec, ArrayOf):
        if not isinstance(value, list):
            raise _wrong_type(path, "một danh sách", "an array")
        if not spec.min_items <= len(value) <= spec.max_items:
            raise _invalid(
                path,
                f"phải có từ {spec.min_items} đến {spec.max_items} phần tử",
                f"must have {spec.min_items} to {spec.max_items} items",
            )
        return [check(spec.item, item, f"{path}[{i}]") for i, item in enumerate(value)]
    if isinstance(spec, Obj):
        return _check_obj(spec, value, path)
    if isinstance(spec, OneOf):
        problem: WireError | None = None
        for option in spec.options:
            try:
                return check(option, value, path)
            except WireError as exc:
                problem = exc
        assert problem is not None
        raise problem
    if isinstance(spec, AnyJSON):
        return value
    raise TypeError(f"unknown spec {spec!r}")  # pragma: no cover - a bug in this module


def _check_text(spec: Text, value: Any, path: str) -> str:
    if value is None and spec.nullable:
        value = ""
    if not isinstance(value, str):
        raise _wrong_type(path, "chuỗi ký tự", "a string")
    if _BAD_CHARS_RE.search(value):
        raise _invalid(path, "có ký tự điều khiển không hợp lệ", "contains control characters")
    text = unicodedata.normalize("NFC", value)
    if len(text) > spec.max_length:
        raise _invalid(
            path,
            f"dài quá {spec.max_length} ký tự",
            f"longer than {spec.max_length} characters",
        )
    if len(text.strip()) < spec.min_length:
        if spec.min_length == 1:
            raise _invalid(path, "không được để trống", "must not be empty")
        raise _invalid(
            path,
            f"phải có ít nhất {spec.min_length} ký tự",
            f"must have at least {spec.min_length} characters",
        )
    if spec.pattern is not None and re.fullmatch(spec.pattern, text) is None:
        raise _invalid(
            path,
            f"'{printable(text)}' không đúng định dạng",
            f"'{printable(text)}' does not have the expected form",
        )
    return text


def _check_obj(spec: Obj, value: Any, path: str) -> dict[str, Any] | None:
    if value is None and spec.nullable:
        return None
    if not isinstance(value, dict):
        raise _wrong_type(path, "một đối tượng JSON", "a JSON object")
    if spec.extra == "forbid":
        for name in value:
            if name not in spec.props:
                raise _unknown(_join(path, printable(str(name))))
    out: dict[str, Any] = {}
    for name, prop in spec.props.items():
        sub = _join(path, name)
        if name not in value:
            if prop.required:
                raise _missing(sub)
            out[name] = check(prop.spec, prop.default, sub) if prop.default is not None else None
            continue
        out[name] = check(prop.spec, value[name], sub)
    if spec.extra == "keep":
        for name, item in value.items():
            if name not in out:
                out[name] = item
    return out


def json_schema(spec: Spec) -> dict[str, Any]:
    """The JSON Schema (OpenAPI 3.1 dialect) of a spec; named schemas become ``$ref``."""
    if isinstance(spec, Ref):
        ref = {"$ref": f"#/components/schemas/{spec.name}"}
        return {"anyOf": [ref, {"type": "null"}]} if spec.nullable else ref
    out: dict[str, Any]
    if isinstance(spec, Text):
        out = {
            "type": ["string", "null"] if spec.nullable else "string",
            "maxLength": spec.max_length,
        }
        if spec.min_length:
            out["minLength"] = spec.min_length
            if spec.pattern is None:
                out["pattern"] = r"\S"
        if spec.pattern is not None:
            out["pattern"] = f"^(?:{spec.pattern})$"
        if spec.example is not None:
            out["examples"] = [spec.example]
    elif isinstance(spec, Integer):
        out = {
            "type": ["integer", "null"] if spec.nullable else "integer",
            "minimum": spec.minimum,
            "maximum": spec.maximum,
        }
    elif isinstance(spec, Number):
        out = {"type": "number", "maximum": spec.maximum}
        out["exclusiveMinimum" if spec.exclusive_minimum else "minimum"] = spec.minimum
    elif isinstance(spec, Boolean):
        out = {"type": "boolean"}
    elif isinstance(spec, Choice):
        out = {"type": "string", "enum": list(spec.values)}
    elif isinstance(spec, DateTimeText):
        out = {
            "type": ["string", "null"] if spec.nullable else "string",
            "format": "date-time",
            "examples": ["2026-11-26T08:30:00+07:00"],
        }
    elif isinstance(spec, DateText):
        out = {"type": "string", "format": "date", "examples": ["2026-12-31"]}
    elif isinstance(spec, ArrayOf):
        out = {"type": "array", "items": json_schema(spec.item), "maxItems": spec.max_items}
        if spec.min_items:
            out["minItems"] = spec.min_items
    elif isinstance(spec, Obj):
        out = {
            "type": ["object", "null"] if spec.nullable else "object",
            "properties": {name: json_schema(p.spec) for name, p in spec.props.items()},
            "additionalProperties": spec.extra != "forbid",
        }
        required = [name for name, p in spec.props.items() if p.required]
        if required:
            out["required"] = required
        if spec.title:
            out["title"] = spec.title
    elif isinstance(spec, OneOf):
        out = {"oneOf": [json_schema(option) for option in spec.options]}
    elif isinstance(spec, AnyJSON):
        out = {}
    else:  # pragma: no cover - a bug in this module
        raise TypeError(f"unknown spec {spec!r}")
    description = getattr(spec, "description", "")
    if description:
        out["description"] = description
    return out


# --------------------------------------------------------------------------------------------
# The payloads
# --------------------------------------------------------------------------------------------

_NAME = Text(200, min_length=1)
_OPT_TEXT = Text(200, nullable=True)
_BY = Text(100, min_length=1, description="Who did it: a clerk's username, or a department name.")

APPLICANT = Obj(
    {
        "type": _req(Choice(APPLICANT_TYPES)),
        "name": _req(_NAME),
        "id_number": _opt(Text(20, nullable=True), ""),
        "phone": _opt(Text(20, nullable=True), ""),
        "email": _opt(Text(254, nullable=True), ""),
        "address": _opt(Text(500, nullable=True), ""),
    },
    title="Applicant",
)

SUBMITTER = Obj(
    {
        "name": _req(_NAME),
        "id_number": _opt(Text(20, nullable=True), ""),
        "phone": _opt(Text(20, nullable=True), ""),
    },
    nullable=True,
    title="Submitter",
    description="The person who handed the dossier in on the applicant's behalf, or null.",
)

DOCUMENT_LINE = Obj(
    {
        "code": _opt(Text(40, nullable=True), ""),
        "name": _req(Text(500, min_length=1)),
        "originals": _opt(Integer(0, 99), 0),
        "copies": _opt(Integer(0, 99), 0),
    },
    title="DocumentLine",
)

FEE_LINE = Obj(
    {
        "code": _opt(Text(40, nullable=True), ""),
        "name": _req(Text(500, min_length=1)),
        "amount": _req(Integer(0, 10**12, description="Whole đồng.")),
    },
    title="FeeLine",
)

DOSSIER_SNAPSHOT = Obj(
    {
        "code": _req(Text(80, pattern=DOSSIER_CODE_PATTERN, example="000.00.36.H62-261126-1001")),
        "agency_code": _req(Text(40, pattern=AGENCY_CODE_PATTERN, example="000.00.36.H62")),
        "counter_no": _req(Integer(1, 9999)),
        "procedure_code": _req(Text(40, min_length=1, example="1.001193")),
        "procedure_name": _req(Text(500, min_length=1)),
        "applicant": _req(Ref("Applicant")),
        "submitter": _opt(Ref("Submitter", nullable=True), None),
        "channel": _req(Choice(CHANNELS)),
        "sets": _opt(Integer(1, 99), 1),
        "received_at": _req(DateTimeText()),
        "due_at": _req(DateTimeText()),
        "status": _req(Choice(STATUSES)),
        "status_code": _req(Integer(1, 10)),
        "lookup_key": _req(Text(32, pattern=LOOKUP_KEY_PATTERN, example="K7M3PQ")),
        "documents": _opt(ArrayOf(Ref("DocumentLine"), 200), []),
        "fees": _opt(ArrayOf(Ref("FeeLine"), 50), []),
        "note": _opt(Text(2000, nullable=True), ""),
        "received_by": _req(_BY),
    },
    title="DossierSnapshot",
    description="A dossier as received at the counter.",
)

STATUS_CHANGE = Obj(
    {
        "code": _req(Text(80, pattern=DOSSIER_CODE_PATTERN)),
        "status": _req(Choice(STATUSES)),
        "status_code": _req(Integer(1, 10)),
        "at": _req(DateTimeText()),
        "by": _req(_BY),
        "note": _opt(Text(2000, nullable=True), ""),
    },
    title="StatusChange",
)

DUE_CHANGE = Obj(
    {
        "code": _req(Text(80, pattern=DOSSIER_CODE_PATTERN)),
        "due_at": _req(DateTimeText()),
        "reason": _req(Text(2000, min_length=1)),
        "at": _req(DateTimeText()),
        "by": _req(_BY),
    },
    title="DueChange",
    description="A new due date, set when the office apologises for a delay (form 04).",
)

_KEY = Text(
    36,
    pattern=ENTRY_KEY_PATTERN,
    description="The client's idempotency key for this entry: a UUID, lower case on output.",
    example="0b6f3c1e-8a53-4f0e-9d53-2b1c3f7a9e10",
)


def _entry_spec(kind: str, data: str, title: str) -> Obj:
    return Obj(
        {"key": _req(_KEY), "kind": _req(Choice((kind,))), "data": _req(Ref(data))},
        title=title,
    )


DOSSIER_ENTRY = _entry_spec(KIND_DOSSIER, "DossierSnapshot", "DossierEntry")
STATUS_ENTRY = _entry_spec(KIND_STATUS, "StatusChange", "StatusEntry")
DUE_ENTRY = _entry_spec(KIND_DUE, "DueChange", "DueEntry")
_ENTRY_DATA = {KIND_DOSSIER: DOSSIER_SNAPSHOT, KIND_STATUS: STATUS_CHANGE, KIND_DUE: DUE_CHANGE}

# Master data ---------------------------------------------------------------------------------

PROCEDURE = Obj(
    {
        "code": _req(Text(40, min_length=1)),
        "name": _req(Text(500, min_length=1)),
        "field": _req(
            Obj({"code": _req(Text(40)), "name": _req(Text(200))}, extra="ignore", title="Field")
        ),
        "level": _req(Text(20)),
        "processing_time": _req(
            Obj(
                {
                    "value": _req(Number(0, 10000, exclusive_minimum=True)),
                    "unit": _req(Choice(PROCESSING_UNITS)),
                },
                extra="ignore",
                title="ProcessingTime",
            )
        ),
        "fees": _opt(ArrayOf(Obj(FEE_LINE.props, extra="ignore"), 50), []),
        "documents": _opt(ArrayOf(Obj(DOCUMENT_LINE.props, extra="ignore"), 200), []),
        "result_agency": _opt(Text(500, nullable=True), ""),
    },
    extra="ignore",
    title="Procedure",
)

CATALOG = Obj(
    {
        # The file's own version label; empty only in what an empty portal publishes.
        "version": _req(Text(64)),
        "procedures": _req(ArrayOf(Ref("Procedure"), 20000)),
    },
    extra="ignore",
    title="Catalog",
    description="The procedure catalogue, in the shape of the catalogue file a counter imports.",
)

CALENDAR_OVERRIDE = Obj(
    {
        "date": _req(DateText()),
        "kind": _req(Choice(CALENDAR_KINDS)),
        "note": _opt(Text(500, nullable=True), ""),
    },
    title="CalendarOverride",
)

OFFICE = Obj(
    {
        "agency_code": _req(Text(40, pattern=AGENCY_CODE_PATTERN)),
        "agency_name": _req(Text(300, min_length=1)),
        "parent_name": _req(Text(300)),
        "level": _req(Text(20)),
        "address": _req(Text(500)),
        "phone": _req(Text(40)),
        "place": _req(Text(100)),
        "counter_no": _req(Integer(1, 9999)),
        "lookup_base_url": _req(Text(500)),
    },
    title="Office",
)

# Responses -----------------------------------------------------------------------------------

REASON = Obj(
    {
        "code": _req(Text(40)),
        "message": _req(Text(2000)),
        "message_en": _req(Text(2000)),
        "field": _opt(Text(300), None),
        "current_status": _opt(Choice(STATUSES), None),
    },
    title="Reason",
)

ENTRY_RESULT = Obj(
    {
        "index": _req(Integer(0, MAX_BATCH_ENTRIES)),
        "key": _req(Text(36, nullable=True)),
        "kind": _req(Text(20, nullable=True)),
        "code": _req(Text(80, nullable=True)),
        "outcome": _req(Choice(OUTCOMES)),
        "http_status": _req(Integer(200, 599)),
        "accepted_at": _req(DateTimeText(nullable=True)),
        "retryable": _req(Boolean()),
        "reason": _req(Ref("Reason", nullable=True)),
    },
    title="EntryResult",
)

_COUNTS = Obj(
    {name: _req(Integer(0, MAX_BATCH_ENTRIES)) for name in OUTCOMES}, title="OutcomeCounts"
)

PUSH_REQUEST = Obj(
    {
        "entries": _req(
            ArrayOf(
                OneOf(
                    (Ref("DossierEntry"), Ref("StatusEntry"), Ref("DueEntry")),
                    description=(
                        "An entry that does not match its schema is refused on its own "
                        "(outcome 'rejected', HTTP 200 for the batch); the others go on."
                    ),
                ),
                MAX_BATCH_ENTRIES,
            )
        )
    },
    title="PushRequest",
)

PUSH_RESPONSE = Obj(
    {
        "results": _req(ArrayOf(Ref("EntryResult"), MAX_BATCH_ENTRIES)),
        "counts": _req(_COUNTS),
        "server_time": _req(DateTimeText()),
    },
    title="PushResponse",
)

CHANGE = Obj(
    {
        "cursor": _req(Integer(1, MAX_CURSOR)),
        "kind": _req(Choice(CHANGE_KINDS)),
        "code": _req(Text(80)),
        "status": _req(Choice(STATUSES)),
        "status_code": _req(Integer(1, 10)),
        "due_at": _req(DateTimeText()),
        "at": _req(DateTimeText()),
        "by": _req(Text(100)),
        "note": _req(Text(2000)),
        "source": _req(Choice(CHANGE_SOURCES)),
        "counter_no": _req(Integer(1, 9999, nullable=True)),
        "entry_key": _req(Text(36, nullable=True)),
    },
    title="Change",
    description=(
        "One change of a dossier, with its status and due moment after the change. kind 'status': "
        "the status changed (or the dossier arrived on the portal); kind 'due': the due moment "
        "changed. source 'counter' marks changes a counter pushed (counter_no and entry_key say "
        "which); clients skip the ones they sent themselves."
    ),
)

CHANGES_RESPONSE = Obj(
    {
        "changes": _req(ArrayOf(Ref("Change"), MAX_CHANGES_LIMIT)),
        "next_cursor": _req(Integer(0, MAX_CURSOR)),
        "has_more": _req(Boolean()),
    },
    title="ChangesResponse",
)

CATALOG_RESPONSE = Obj(
    {"version": _req(Text(64)), "catalog": _req(Ref("Catalog"))}, title="CatalogResponse"
)
CALENDAR_RESPONSE = Obj(
    {"version": _req(Text(64)), "overrides": _req(ArrayOf(Ref("CalendarOverride"), 100000))},
    title="CalendarResponse",
)
OFFICE_RESPONSE = Obj(
    {"version": _req(Text(64)), "office": _req(Ref("Office"))}, title="OfficeResponse"
)

HEALTH_RESPONSE = Obj(
    {
        "status": _req(Choice(("ok",))),
        "api_version": _req(Text(10)),
        "server_time": _req(DateTimeText()),
        "limits": _req(
            Obj(
                {
                    "max_batch_entries": _req(Integer(1, MAX_BATCH_ENTRIES)),
                    "max_body_bytes": _req(Integer(1, 2**31)),
                    "max_changes_limit": _req(Integer(1, MAX_CHANGES_LIMIT)),
                },
                title="Limits",
            )
        ),
    },
    title="Health",
)

HISTORY_ITEM = Obj(
    {
        "kind": _req(Choice(CHANGE_KINDS)),
        "status": _req(Choice(STATUSES)),
        "status_code": _req(Integer(1, 10)),
        "due_at": _req(DateTimeText()),
        "at": _req(DateTimeText()),
        "by": _req(Text(100)),
        "note": _req(Text(2000)),
        "source": _req(Choice(CHANGE_SOURCES)),
    },
    title="HistoryItem",
)

DOSSIER_RESPONSE = Obj(
    {
        "code": _req(Text(80)),
        "status": _req(Choice(STATUSES)),
        "status_code": _req(Integer(1, 10)),
        "due_at": _req(DateTimeText()),
        "updated_at": _req(DateTimeText()),
        "dossier": _req(
            AnyJSON(description="The dossier snapshot as first accepted, without its lookup key.")
        ),
        "history": _req(ArrayOf(Ref("HistoryItem"), 100000)),
    },
    title="DossierResponse",
)

ATTENTION_ITEM = Obj(
    {
        "id": _req(Integer(1, MAX_CURSOR)),
        "key": _req(Text(36)),
        "kind": _req(Choice(ENTRY_KINDS)),
        "code": _req(Text(80)),
        "outcome": _req(Choice(OUTCOMES)),
        "reason": _req(Ref("Reason")),
        "first_seen_at": _req(DateTimeText()),
        "last_seen_at": _req(DateTimeText()),
        "times": _req(Integer(1, 2**31)),
        "entry": _req(AnyJSON(description="The entry's data as the counter sent it (normalised).")),
    },
    title="AttentionItem",
)

ATTENTION_RESPONSE = Obj(
    {"items": _req(ArrayOf(Ref("AttentionItem"), 100000))}, title="AttentionResponse"
)

ERROR_RESPONSE = Obj(
    {
        "error": _req(
            Obj(
                {
                    "code": _req(Text(40)),
                    "message": _req(Text(2000)),
                    "message_en": _req(Text(2000)),
                    "details": _opt(ArrayOf(AnyJSON(), 100), None),
                },
                title="ErrorBody",
            )
        )
    },
    title="Error",
    description="Every refusal: a stable code, a Vietnamese message and its English version.",
)

#: Every named schema; the OpenAPI document carries them under components/schemas.
SCHEMAS: dict[str, Spec] = {
    "Applicant": APPLICANT,
    "Submitter": SUBMITTER,
    "DocumentLine": DOCUMENT_LINE,
    "FeeLine": FEE_LINE,
    "DossierSnapshot": DOSSIER_SNAPSHOT,
    "StatusChange": STATUS_CHANGE,
    "DueChange": DUE_CHANGE,
    "DossierEntry": DOSSIER_ENTRY,
    "StatusEntry": STATUS_ENTRY,
    "DueEntry": DUE_ENTRY,
    "PushRequest": PUSH_REQUEST,
    "PushResponse": PUSH_RESPONSE,
    "EntryResult": ENTRY_RESULT,
    "Reason": REASON,
    "Change": CHANGE,
    "ChangesResponse": CHANGES_RESPONSE,
    "Procedure": PROCEDURE,
    "Catalog": CATALOG,
    "CatalogResponse": CATALOG_RESPONSE,
    "CalendarOverride": CALENDAR_OVERRIDE,
    "CalendarResponse": CALENDAR_RESPONSE,
    "Office": OFFICE,
    "OfficeResponse": OFFICE_RESPONSE,
    "Health": HEALTH_RESPONSE,
    "HistoryItem": HISTORY_ITEM,
    "DossierResponse": DOSSIER_RESPONSE,
    "AttentionItem": ATTENTION_ITEM,
    "AttentionResponse": ATTENTION_RESPONSE,
    "Error": ERROR_RESPONSE,
}


def json_schemas() -> dict[str, dict[str, Any]]:
    """Every named schema as JSON Schema, for the OpenAPI document's components."""
    return {name: json_schema(spec) for name, spec in SCHEMAS.items()}


# --------------------------------------------------------------------------------------------
# Typed shapes (for the client's type checker; the specs above are what is enforced)
# --------------------------------------------------------------------------------------------


class ApplicantDict(TypedDict):
    type: str  # citizen | organization
    name: str
    id_number: NotRequired[str]
    phone: NotRequired[str]
    email: NotRequired[str]
    address: NotRequired[str]


class SubmitterDict(TypedDict):
    name: str
    id_number: NotRequired[str]
    phone: NotRequired[str]


class DocumentLineDict(TypedDict):
    code: str
    name: str
    originals: int
    copies: int


class FeeLineDict(TypedDict):
    code: str
    name: str
    amount: int


class DossierSnapshot(TypedDict):
    code: str
    agency_code: str
    counter_no: int
    procedure_code: str
    procedure_name: str
    applicant: ApplicantDict
    submitter: SubmitterDict | None
    channel: str  # direct | online | postal
    sets: int
    received_at: str
    due_at: str
    status: str
    status_code: int
    lookup_key: str
    documents: list[DocumentLineDict]
    fees: list[FeeLineDict]
    note: str
    received_by: str


class StatusChangeDict(TypedDict):
    code: str
    status: str
    status_code: int
    at: str
    by: str
    note: str


class DueChangeDict(TypedDict):
    code: str
    due_at: str
    reason: str
    at: str
    by: str


class EntryDict(TypedDict):
    key: str
    kind: str  # dossier | status | due
    data: dict[str, Any]


class Reason(TypedDict):
    code: str
    message: str
    message_en: str
    field: NotRequired[str]
    current_status: NotRequired[str]


class EntryResultDict(TypedDict):
    index: int
    key: str | None
    kind: str | None
    code: str | None
    outcome: str  # accepted | duplicate | conflict | rejected
    http_status: int
    accepted_at: str | None
    retryable: bool
    reason: Reason | None


class PushResponseDict(TypedDict):
    results: list[EntryResultDict]
    counts: dict[str, int]
    server_time: str


class ChangeDict(TypedDict):
    cursor: int
    kind: str  # status | due
    code: str
    status: str
    status_code: int
    due_at: str
    at: str
    by: str
    note: str
    source: str  # portal | counter
    counter_no: int | None
    entry_key: str | None


class ChangesResponseDict(TypedDict):
    changes: list[ChangeDict]
    next_cursor: int
    has_more: bool


class CalendarOverrideDict(TypedDict):
    date: str
    kind: str  # day_off | workday
    note: str


class OfficeDict(TypedDict):
    agency_code: str
    agency_name: str
    parent_name: str
    level: str
    address: str
    phone: str
    place: str
    counter_no: int
    lookup_base_url: str


# --------------------------------------------------------------------------------------------
# Entries: building (client) and validating (portal)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValidEntry:
    """An entry that passed validation, with its normalised data and content fingerprint."""

    key: str
    kind: str
    data: dict[str, Any] = field(repr=False)
    content_hash: str

    @property
    def code(self) -> str:
        return str(self.data["code"])

    def as_dict(self) -> EntryDict:
        return {"key": self.key, "kind": self.kind, "data": self.data}


def new_key() -> str:
    """A fresh idempotency key; store it with the outbox row and send it with every retry."""
    return str(uuid.uuid4())


def peek_entry(raw: Any) -> tuple[str | None, str | None, str | None]:
    """Best-effort (key, kind, code) of any entry, for reporting on one that failed validation."""
    if not isinstance(raw, dict):
        return None, None, None
    key = raw.get("key")
    key = key.lower() if isinstance(key, str) and _ENTRY_KEY_RE.fullmatch(key) else None
    kind = raw.get("kind")
    kind = kind if isinstance(kind, str) and kind in ENTRY_KINDS else None
    data = raw.get("data")
    code = data.get("code") if isinstance(data, dict) else None
    code = code if isinstance(code, str) and is_dossier_code(code) else None
    return key, kind, code


def _check_consistency(kind: str, data: dict[str, Any]) -> None:
    if kind in (KIND_DOSSIER, KIND_STATUS) and STATUS_CODES[data["status"]] != data["status_code"]:
        raise _invalid(
            "data.status_code",
            f"{data['status_code']} không khớp trạng thái '{data['status']}' "
            f"(mã đúng là {STATUS_CODES[data['status']]})",
            f"{data['status_code']} does not match status '{data['status']}' "
            f"(expected {STATUS_CODES[data['status']]})",
        )
    if kind == KIND_DOSSIER:
        if not code_belongs_to(data["code"], data["agency_code"]):
            raise _invalid(
                "data.code",
                f"mã hồ sơ phải bắt đầu bằng mã cơ quan '{data['agency_code']}-'",
                f"the dossier code must start with the agency code '{data['agency_code']}-'",
            )
        if parse_datetime(data["due_at"]) < parse_datetime(data["received_at"]):
            raise _invalid(
                "data.due_at",
                "ngày hẹn trả không được trước ngày tiếp nhận",
                "the due moment may not be before the receipt",
            )


def validate_entry(raw: Any) -> ValidEntry:
    """Check one pushed entry and normalise it; raise WireError naming the first problem."""
    if not isinstance(raw, dict):
        raise _wrong_type("", "một đối tượng JSON", "a JSON object")
    for name in raw:
        if name not in ("key", "kind", "data"):
            raise _unknown(printable(str(name)))
    for name in ("key", "kind", "data"):
        if name not in raw:
            raise _missing(name)
    key = check(_KEY, raw["key"], "key").lower()
    kind = check(Choice(ENTRY_KINDS), raw["kind"], "kind")
    data = check(_ENTRY_DATA[kind], raw["data"], "data")
    _check_consistency(kind, data)
    return ValidEntry(key=key, kind=kind, data=data, content_hash=content_hash(kind, data))


def _entry(kind: str, data: Mapping[str, Any], key: str | None) -> EntryDict:
    valid = validate_entry({"key": key or new_key(), "kind": kind, "data": dict(data)})
    return valid.as_dict()


def dossier_entry(snapshot: Mapping[str, Any], key: str | None = None) -> EntryDict:
    """The wire entry for a dossier snapshot (validated and normalised; raises WireError)."""
    return _entry(KIND_DOSSIER, snapshot, key)


def status_entry(change: Mapping[str, Any], key: str | None = None) -> EntryDict:
    """The wire entry for a status change ``{code, status, status_code, at, by, note}``."""
    return _entry(KIND_STATUS, change, key)


def due_entry(change: Mapping[str, Any], key: str | None = None) -> EntryDict:
    """The wire entry for a new due moment ``{code, due_at, reason, at, by}``."""
    return _entry(KIND_DUE, change, key)


def push_body(entries: Sequence[EntryDict]) -> dict[str, Any]:
    """The body of ``POST /api/v1/entries``; refuses more than MAX_BATCH_ENTRIES."""
    if len(entries) > MAX_BATCH_ENTRIES:
        raise ValueError(f"at most {MAX_BATCH_ENTRIES} entries per push, got {len(entries)}")
    return {"entries": list(entries)}


# --------------------------------------------------------------------------------------------
# Master data
# --------------------------------------------------------------------------------------------


def validate_catalog(doc: Any) -> dict[str, Any]:
    """Check a procedure catalogue (CONTRACTS section 2) and return it normalised.

    Unknown keys are dropped; a missing required key or a wrong type refuses the whole
    catalogue with a WireError naming the procedure and the key.
    """
    if not isinstance(doc, dict):
        raise _wrong_type("", "một đối tượng JSON", "a JSON object")
    head = check(
        Obj(
            {
                "version": _req(Text(64, min_length=1)),
                "procedures": _req(ArrayOf(AnyJSON(), 20000)),
            },
            extra="ignore",
        ),
        doc,
    )
    procedures: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, raw in enumerate(head["procedures"]):
        where = f"procedures[{i}]"
        code = raw.get("code") if isinstance(raw, dict) else None
        if isinstance(code, str) and code.strip():
            where_vi = f"thủ tục {printable(code)} ({where})"
            where_en = f"procedure {printable(code)} ({where})"
        else:
            where_vi = where_en = where
        try:
            procedure = check(PROCEDURE, raw, "")
        except WireError as exc:
            raise WireError(
                exc.code,
                _join(where, exc.path),
                f"{where_vi}: {exc.message}",
                f"{where_en}: {exc.message_en}",
            ) from None
        if procedure["code"] in seen:
            raise _invalid(
                _join(where, "code"),
                f"mã thủ tục {procedure['code']} bị lặp",
                f"procedure code {procedure['code']} appears twice",
            )
        seen.add(procedure["code"])
        procedures.append(procedure)
    return {"version": head["version"], "procedures": procedures}


def master_version(body: Any) -> str:
    """The version of a master-data document: a fingerprint of its content.

    Equal content gives an equal version, so publishing the same data twice costs the
    counters nothing. Clients treat it as opaque and only compare it for equality.
    """
    return hashlib.sha256(canonical_json(body).encode()).hexdigest()[:20]
