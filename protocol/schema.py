"""A small declarative schema language that validates and normalises payloads and renders the
JSON Schema published in the OpenAPI document, so the checks and the documentation cannot
drift apart.

``check(spec, value)`` returns the normalised value or raises ``WireError`` naming the first
problem; ``protocol.jsonschema.json_schema(spec)`` renders it. Named schemas live in
``SCHEMAS``, filled by the modules that define them (``protocol.entries``, ``protocol.masterdata``,
``protocol.responses``), and are referred to with ``Ref``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, NotRequired, TypedDict

from protocol.constants import (
    R_INVALID_VALUE,
    R_MISSING_FIELD,
    R_UNKNOWN_FIELD,
    R_WRONG_TYPE,
)
from protocol.errors import KnownError
from protocol.timejson import (
    BAD_CHARS_RE,
    MAX_YEAR,
    MIN_YEAR,
    format_datetime,
    parse_date,
    parse_datetime,
    printable,
)


class Reason(TypedDict):
    code: str
    message: str
    message_en: str
    field: NotRequired[str]
    current_status: NotRequired[str]


class WireError(KnownError, ValueError):
    """One thing wrong with a payload, said for a clerk (Vietnamese) and a developer (English).

    ``code`` is the reason code of the protocol (``R_*``), ``path`` the field it is about.
    """

    kind = "wire"

    def __init__(self, code: str, path: str, message_vi: str, message_en: str) -> None:
        super().__init__(message_vi, message_en, field=path)
        self.code = code
        self.path = path

    def __str__(self) -> str:
        return self.message_en

    def as_reason(self) -> Reason:
        reason: Reason = {
            "code": self.code,
            "message": self.message_vi,
            "message_en": self.message_en,
        }
        if self.path:
            reason["field"] = self.path
        return reason


def missing(path: str) -> WireError:
    return WireError(
        R_MISSING_FIELD,
        path,
        f"Thiếu trường bắt buộc '{path}'.",
        f"Missing required field '{path}'.",
    )


def unknown(path: str) -> WireError:
    return WireError(
        R_UNKNOWN_FIELD,
        path,
        f"Trường '{path}' không có trong giao thức.",
        f"Unknown field '{path}'.",
    )


def wrong_type(path: str, vi: str, en: str) -> WireError:
    where = path or "nội dung"
    where_en = path or "the payload"
    return WireError(
        R_WRONG_TYPE, path, f"Trường '{where}' phải là {vi}.", f"'{where_en}' must be {en}."
    )


def invalid(path: str, vi: str, en: str) -> WireError:
    return WireError(R_INVALID_VALUE, path, f"Trường '{path}': {vi}.", f"Field '{path}': {en}.")


def join_path(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


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


#: Every named schema, by name; the OpenAPI document carries them under components/schemas.
SCHEMAS: dict[str, Spec] = {}


def req(spec: Spec) -> Prop:
    return Prop(spec, required=True)


def opt(spec: Spec, default: Any) -> Prop:
    return Prop(spec, required=False, default=default)


def check(spec: Spec, value: Any, path: str = "") -> Any:
    """Validate ``value`` against ``spec`` and return its normalised form; raise WireError.

    A value that fits (nearly all of them) goes through the spec's compiled checker, which
    says nothing but "fits" or "does not"; one that does not is checked again here, step by
    step, to name its first problem.
    """
    try:
        return _fast(spec)(value)
    except _Unfit:
        return _check(spec, value, path)


def checker(spec: Spec) -> Any:
    """``check`` for one spec, as a function of ``(value, path="")``: for a spec checked
    often (its compiled checker found once, not at every call)."""
    fast = _fast(spec)

    def run(value: Any, path: str = "") -> Any:
        try:
            return fast(value)
        except _Unfit:
            return _check(spec, value, path)

    return run


def _check(spec: Spec, value: Any, path: str) -> Any:
    if isinstance(spec, Ref):
        if spec.nullable and value is None:
            return None
        return _check(SCHEMAS[spec.name], value, path)
    if isinstance(spec, Text):
        return _check_text(spec, value, path)
    if isinstance(spec, Integer):
        if spec.nullable and value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise wrong_type(path, "số nguyên", "an integer")
        if not spec.minimum <= value <= spec.maximum:
            raise invalid(
                path,
                f"phải từ {spec.minimum} đến {spec.maximum}",
                f"must be between {spec.minimum} and {spec.maximum}",
            )
        return value
    if isinstance(spec, Number):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise wrong_type(path, "một số", "a number")
        if (
            not math.isfinite(value)
            or value > spec.maximum
            or value < spec.minimum
            or (spec.exclusive_minimum and value == spec.minimum)
        ):
            raise invalid(path, "giá trị không hợp lệ", "value out of range")
        return value
    if isinstance(spec, Boolean):
        if not isinstance(value, bool):
            raise wrong_type(path, "true hoặc false", "a boolean")
        return value
    if isinstance(spec, Choice):
        if not isinstance(value, str):
            raise wrong_type(path, "chuỗi ký tự", "a string")
        if value not in spec.values:
            allowed = ", ".join(spec.values)
            raise invalid(path, f"phải là một trong: {allowed}", f"must be one of: {allowed}")
        return value
    if isinstance(spec, DateTimeText):
        if spec.nullable and value is None:
            return None
        if not isinstance(value, str):
            raise wrong_type(path, "chuỗi ngày giờ", "a datetime string")
        try:
            return format_datetime(parse_datetime(value))
        except ValueError:
            raise invalid(
                path,
                "phải là ngày giờ ISO 8601 có múi giờ, ví dụ 2026-11-26T08:30:00+07:00",
                "must be an ISO 8601 datetime with an offset, e.g. 2026-11-26T08:30:00+07:00",
            ) from None
    if isinstance(spec, DateText):
        if not isinstance(value, str):
            raise wrong_type(path, "chuỗi ngày", "a date string")
        try:
            return parse_date(value).isoformat()
        except ValueError:
            raise invalid(
                path, "phải là ngày dạng YYYY-MM-DD", "must be a YYYY-MM-DD date"
            ) from None
    if isinstance(spec, ArrayOf):
        if not isinstance(value, list):
            raise wrong_type(path, "một danh sách", "an array")
        if not spec.min_items <= len(value) <= spec.max_items:
            raise invalid(
                path,
                f"phải có từ {spec.min_items} đến {spec.max_items} phần tử",
                f"must have {spec.min_items} to {spec.max_items} items",
            )
        return [_check(spec.item, item, f"{path}[{i}]") for i, item in enumerate(value)]
    if isinstance(spec, Obj):
        return _check_obj(spec, value, path)
    if isinstance(spec, OneOf):
        problem: WireError | None = None
        for option in spec.options:
            try:
                return _check(option, value, path)
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
        raise wrong_type(path, "chuỗi ký tự", "a string")
    if BAD_CHARS_RE.search(value):
        raise invalid(path, "có ký tự điều khiển không hợp lệ", "contains control characters")
    text = unicodedata.normalize("NFC", value)
    if len(text) > spec.max_length:
        raise invalid(
            path,
            f"dài quá {spec.max_length} ký tự",
            f"longer than {spec.max_length} characters",
        )
    if len(text.strip()) < spec.min_length:
        if spec.min_length == 1:
            raise invalid(path, "không được để trống", "must not be empty")
        raise invalid(
            path,
            f"phải có ít nhất {spec.min_length} ký tự",
            f"must have at least {spec.min_length} characters",
        )
    if spec.pattern is not None and re.fullmatch(spec.pattern, text) is None:
        raise invalid(
            path,
            f"'{printable(text)}' không đúng định dạng",
            f"'{printable(text)}' does not have the expected form",
        )
    return text


def _check_obj(spec: Obj, value: Any, path: str) -> dict[str, Any] | None:
    if value is None and spec.nullable:
        return None
    if not isinstance(value, dict):
        raise wrong_type(path, "một đối tượng JSON", "a JSON object")
    if spec.extra == "forbid":
        for name in value:
            if name not in spec.props:
                raise unknown(join_path(path, printable(str(name))))
    out: dict[str, Any] = {}
    for name, prop in spec.props.items():
        sub = join_path(path, name)
        if name not in value:
            if prop.required:
                raise missing(sub)
            out[name] = _check(prop.spec, prop.default, sub) if prop.default is not None else None
            continue
        out[name] = _check(prop.spec, value[name], sub)
    if spec.extra == "keep":
        for name, item in value.items():
            if name not in out:
                out[name] = item
    return out


# -- compiled checkers: the same rules, no messages --------------------------------------------


class _Unfit(Exception):
    """The value does not fit: ``_check`` will say why."""


#: Compiled checkers by spec (equal specs check alike), or by identity if it has no hash.
_COMPILED: dict[Any, Any] = {}


def _fast(spec: Spec) -> Any:
    try:
        fn = _COMPILED.get(spec)
    except TypeError:  # no hash (an object's spec, made once at import): by identity
        found = _COMPILED.get(("id", id(spec)))
        if found is None or found[0] is not spec:
            found = _COMPILED[("id", id(spec))] = (spec, _compile(spec))
        return found[1]
    if fn is None:
        fn = _COMPILED[spec] = _compile(spec)
    return fn


def _compile(spec: Spec) -> Any:
    """A function that returns ``_check``'s result for a value that fits, or raises _Unfit."""
    if isinstance(spec, Ref):
        name, nullable = spec.name, spec.nullable
        target: list[Any] = []  # the named schema's checker, found at the first use

        def ref(value: Any) -> Any:
            if nullable and value is None:
                return None
            if not target:
                target.append(_fast(SCHEMAS[name]))
            return target[0](value)

        return ref
    if isinstance(spec, Text):
        return _compile_text(spec)
    if isinstance(spec, Integer):
        lo, hi, nullable = spec.minimum, spec.maximum, spec.nullable

        def integer(value: Any) -> Any:
            if nullable and value is None:
                return None
            if type(value) is not int or not lo <= value <= hi:
                raise _Unfit
            return value

        return integer
    if isinstance(spec, Choice):
        values = frozenset(spec.values)

        def choice(value: Any) -> Any:
            if type(value) is not str or value not in values:
                raise _Unfit
            return value

        return choice
    if isinstance(spec, ArrayOf):
        item, lo, hi = _fast(spec.item), spec.min_items, spec.max_items

        def array(value: Any) -> Any:
            if type(value) is not list or not lo <= len(value) <= hi:
                raise _Unfit
            return [item(v) for v in value]

        return array
    if isinstance(spec, Obj):
        return _compile_obj(spec)
    if isinstance(spec, DateTimeText):
        return _compile_datetime(spec)
    if isinstance(spec, OneOf):
        options = [(option, _fast(option)) for option in spec.options]

        def one_of(value: Any) -> Any:
            for option, fits in options:  # the first option that fits, as ``_check`` reads them
                try:
                    return fits(value)
                except _Unfit:
                    try:
                        return _check(option, value, "")
                    except WireError:
                        continue
            raise _Unfit

        return one_of
    # the rest (numbers, booleans, dates, anything) as ``_check`` reads them
    return lambda value: _checked_or_unfit(spec, value)


def _checked_or_unfit(spec: Spec, value: Any) -> Any:
    try:
        return _check(spec, value, "")
    except WireError:
        raise _Unfit from None


def _compile_text(spec: Text) -> Any:
    pattern = re.compile(spec.pattern) if spec.pattern is not None else None
    max_length, min_length, nullable = spec.max_length, spec.min_length, spec.nullable
    bad = BAD_CHARS_RE.search
    normalize = unicodedata.normalize

    def text(value: Any) -> str:
        if value is None and nullable:
            value = ""
        # a printable text holds no control character nor lone surrogate (a quicker test)
        if type(value) is not str or (not value.isprintable() and bad(value)):
            raise _Unfit
        out = value if value.isascii() else normalize("NFC", value)
        if len(out) > max_length or (min_length and len(out.strip()) < min_length):
            raise _Unfit
        if pattern is not None and pattern.fullmatch(out) is None:
            raise _Unfit
        return out

    return text


#: A moment as ``format_datetime`` writes one: Vietnam time, whole seconds.
_VN_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\+07:00")


def _compile_datetime(spec: DateTimeText) -> Any:
    nullable = spec.nullable
    written = _VN_MOMENT.fullmatch
    from_iso = datetime.fromisoformat

    def moment(value: Any) -> Any:
        if nullable and value is None:
            return None
        if type(value) is not str:
            raise _Unfit
        try:
            if written(value) is None:
                return format_datetime(parse_datetime(value))
            # already as it would be written: only whether it is a real moment in range
            if not MIN_YEAR <= from_iso(value).year <= MAX_YEAR:
                raise _Unfit
        except ValueError:
            raise _Unfit from None
        return value

    return moment


def _compile_obj(spec: Obj) -> Any:
    props = [
        (name, _fast(prop.spec), prop.required, prop.default is not None, prop.default)
        for name, prop in spec.props.items()
    ]
    names = frozenset(spec.props)
    forbid, keep, nullable = spec.extra == "forbid", spec.extra == "keep", spec.nullable

    every = [(name, sub) for name, sub, *_ in props]
    count = len(names)

    def obj(value: Any) -> Any:
        if value is None and nullable:
            return None
        if type(value) is not dict or (forbid and not names.issuperset(value)):
            raise _Unfit
        if len(value) == count and (forbid or names.issuperset(value)):
            # the common case, every member given and no other: each checked in one pass
            return {name: sub(value[name]) for name, sub in every}
        out: dict[str, Any] = {}
        for name, sub, required, has_default, default in props:
            if name in value:
                out[name] = sub(value[name])
            elif required:
                raise _Unfit
            else:
                out[name] = sub(default) if has_default else None
        if keep:
            for name, item in value.items():
                if name not in out:
                    out[name] = item
        return out

    return obj
