"""The procedure catalogue file: parsing, checking, importing.

Every text, count, amount and list is bounded as the wire bounds it (``counter.limits``, from
``protocol.masterdata``): a procedure the counter imports is one it can receive, print and
push. A bad entry refuses the whole file with one line naming the procedure and the key.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from counter import limits
from counter.errors import InvalidInput
from counter.serialize import document_json, fee_json, processing_time_json
from counter.text import collapse_spaces, has_control_chars, nfc
from counter.validation import nfkc
from counter.views import DocumentLine, FeeLine, ProcedureView, ProcessingTime
from counter.workcalendar import UNITS
from protocol.constants import HHMM_PATTERN, REQUIREMENTS

SAMPLE_CATALOG = Path(__file__).parent / "data" / "catalog_sample.json"

#: The longest time limit the counter places on its calendar (ten years of days), within the
#: wire's ``limits.PROCESSING_VALUE``.
MAX_PROCESSING_VALUE = 3650

#: Where in the file a problem is: (Vietnamese, English).
Where = tuple[str, str]
_FILE: Where = ("tệp", "the file")


def _bad(where: Where, key: str, what_vi: str, what_en: str) -> InvalidInput:
    return InvalidInput(
        f"Danh mục thủ tục không hợp lệ: {where[0]}, khóa '{key}': {what_vi}",
        f"Invalid procedure catalogue: {where[1]}, key '{key}': {what_en}",
        field=key,
    )


def _within(where: Where, sub_vi: str, sub_en: str) -> Where:
    return (f"{where[0]}, {sub_vi}", f"{where[1]}, {sub_en}")


def _get(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], where: Where) -> Any:
    if key not in obj:
        raise _bad(where, key, "thiếu", "missing")
    value = obj[key]
    if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise _bad(where, key, f"sai kiểu (cần {names})", f"wrong type (expected {names})")
    return value


def _text(
    obj: dict[str, Any],
    key: str,
    where: Where,
    max_len: int,
    *,
    required: bool = True,
    code: bool = False,
) -> str:
    """A name (NFC, spaces collapsed) or a code (compatibility forms folded, no control
    character at all, not even a line break), at most ``max_len`` characters."""
    if not required and key not in obj:
        return ""
    raw = _get(obj, key, str, where)
    if code:
        value = nfkc(raw).strip()
        bad = has_control_chars(value)
    else:
        bad = has_control_chars(raw.replace("\n", " ").replace("\r", " ").replace("\t", " "))
        value = "" if bad else collapse_spaces(nfc(raw))
    if bad:
        raise _bad(where, key, "có ký tự điều khiển", "contains control characters")
    if len(value) > max_len:
        raise _bad(where, key, f"dài quá {max_len} ký tự", f"longer than {max_len} characters")
    if required and not value:
        raise _bad(where, key, "để trống", "empty")
    return value


def _whole(
    obj: dict[str, Any], key: str, where: Where, maximum: int, *, required: bool = False
) -> int:
    value = _get(obj, key, int, where) if required or key in obj else 0
    if not 0 <= value <= maximum:
        raise _bad(where, key, f"phải từ 0 đến {maximum}", f"must be 0 to {maximum}")
    return int(value)


def _items(obj: dict[str, Any], key: str, where: Where, maximum: int) -> list[Any]:
    items: list[Any] = _get(obj, key, list, where)
    if len(items) > maximum:
        raise _bad(where, key, f"quá {maximum} mục", f"more than {maximum} items")
    return items


def _processing_time(pt: dict[str, Any], where: Where) -> ProcessingTime:
    value = _get(pt, "value", (int, float), where)
    if (isinstance(value, float) and not math.isfinite(value)) or not (
        0 <= value <= MAX_PROCESSING_VALUE
    ):
        raise _bad(
            where,
            "value",
            f"ngoài khoảng 0-{MAX_PROCESSING_VALUE}",
            f"outside 0-{MAX_PROCESSING_VALUE}",
        )
    unit = _text(pt, "unit", where, 40)
    if unit not in UNITS:
        raise _bad(where, "unit", f"phải là một trong {', '.join(UNITS)}", f"one of {UNITS}")
    cutoff = _text(pt, "cutoff", where, 5, required=False)
    if cutoff and (unit != "same_day" or re.fullmatch(HHMM_PATTERN, cutoff) is None):
        raise _bad(
            where,
            "cutoff",
            "chỉ dùng với same_day, dạng HH:MM (ví dụ 15:00)",
            "only with same_day, as HH:MM (e.g. 15:00)",
        )
    return ProcessingTime(float(value), unit, cutoff)


def _fee(fee: Any, where: Where) -> FeeLine:
    if not isinstance(fee, dict):
        raise _bad(where, "fees", "không phải đối tượng", "not an object")
    return FeeLine(
        _text(fee, "code", where, limits.FEE_CODE, code=True),
        _text(fee, "name", where, limits.FEE_NAME),
        _whole(fee, "amount", where, limits.FEE_AMOUNT, required=True),
    )


def _document(doc: Any, where: Where) -> DocumentLine:
    if not isinstance(doc, dict):
        raise _bad(where, "documents", "không phải đối tượng", "not an object")
    requirement = _text(doc, "requirement", where, 40, required=False) or "required"
    if requirement not in REQUIREMENTS:
        raise _bad(
            where,
            "requirement",
            f"phải là một trong {', '.join(REQUIREMENTS)}",
            f"one of {', '.join(REQUIREMENTS)}",
        )
    return DocumentLine(
        _text(doc, "code", where, limits.DOCUMENT_CODE, code=True),
        _text(doc, "name", where, limits.DOCUMENT_NAME),
        _whole(doc, "originals", where, limits.COPIES),
        _whole(doc, "copies", where, limits.COPIES),
        requirement,
    )


def parse_procedure(raw: Any, index: int, version: str) -> ProcedureView:
    where: Where = (f"thủ tục thứ {index + 1}", f"procedure no. {index + 1}")
    if not isinstance(raw, dict):
        raise _bad(where, "procedures", "không phải đối tượng", "not an object")
    code = _text(raw, "code", where, limits.PROCEDURE_CODE, code=True)
    where = (f"thủ tục {code}", f"procedure {code}")
    name = _text(raw, "name", where, limits.PROCEDURE_NAME)
    field = _get(raw, "field", dict, where)
    in_field = _within(where, "lĩnh vực", "field")
    field_code = _text(field, "code", in_field, limits.FIELD_CODE, code=True)
    field_name = _text(field, "name", in_field, limits.FIELD_NAME)
    level = _text(raw, "level", where, limits.LEVEL)
    processing_time = _processing_time(_get(raw, "processing_time", dict, where), where)
    fees = tuple(
        _fee(fee, _within(where, f"phí thứ {i + 1}", f"fee {i + 1}"))
        for i, fee in enumerate(_items(raw, "fees", where, limits.FEES))
    )
    documents = tuple(
        _document(doc, _within(where, f"giấy tờ thứ {i + 1}", f"document {i + 1}"))
        for i, doc in enumerate(_items(raw, "documents", where, limits.PROCEDURE_DOCUMENTS))
    )
    seen: set[str] = set()
    for i, doc in enumerate(documents):
        if doc.code in seen:
            w = _within(where, f"giấy tờ thứ {i + 1}", f"document {i + 1}")
            raise _bad(w, "code", f"mã {doc.code} bị trùng", f"code {doc.code} appears twice")
        seen.add(doc.code)
    return ProcedureView(
        code=code,
        name=name,
        field_code=field_code,
        field_name=field_name,
        level=level,
        processing_time=processing_time,
        fees=fees,
        documents=documents,
        result_agency=_text(raw, "result_agency", where, limits.RESULT_AGENCY, required=False),
        catalog_version=version,
    )


def parse_catalog(data: Any) -> tuple[str, list[ProcedureView]]:
    """The version and the procedures; a bad entry refuses the whole file, naming it."""
    if not isinstance(data, dict):
        raise _bad(_FILE, "procedures", "không phải đối tượng JSON", "not a JSON object")
    version = _text(data, "version", _FILE, limits.CATALOG_VERSION, required=False, code=True)
    raw_list = _items(data, "procedures", _FILE, limits.PROCEDURES)
    procedures = [parse_procedure(raw, i, version) for i, raw in enumerate(raw_list)]
    seen: set[str] = set()
    for p in procedures:
        if p.code in seen:
            raise _bad(
                (f"thủ tục {p.code}", f"procedure {p.code}"), "code", "bị trùng", "duplicated"
            )
        seen.add(p.code)
    return version, procedures


def load_catalog_file(path: Path) -> tuple[str, list[ProcedureView]]:
    """Read strictly (``counter.limits``): UTF-8, and JSON as the wire carries it."""
    try:
        text = limits.decode_utf8(path.read_bytes())
    except OSError as exc:
        raise InvalidInput(
            f"Không đọc được tệp danh mục '{path}': {exc.strerror}",
            f"Cannot read the catalogue file '{path}': {exc.strerror}",
        ) from None
    except limits.NotUtf8 as exc:
        raise InvalidInput(
            f"Tệp danh mục không phải văn bản UTF-8 (dòng {exc.line})",
            f"The catalogue file is not UTF-8 text (line {exc.line})",
        ) from None
    try:
        data = limits.parse_json(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"Tệp danh mục không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno})",
            f"The catalogue file is not valid JSON (line {exc.lineno}, column {exc.colno})",
        ) from None
    except ValueError:
        raise InvalidInput(
            "Tệp danh mục có giá trị JSON không dùng được: NaN, Infinity, số quá lớn hoặc "
            "lồng nhau quá sâu",
            "The catalogue file holds JSON no wire carries: NaN, Infinity, a number too "
            "large, or nesting too deep",
        ) from None
    return parse_catalog(data)


def to_json(p: ProcedureView) -> dict[str, Any]:
    """A procedure in the file format (the inverse of ``parse_procedure``)."""
    return {
        "code": p.code,
        "name": p.name,
        "field": {"code": p.field_code, "name": p.field_name},
        "level": p.level,
        "processing_time": processing_time_json(p.processing_time),
        "fees": [fee_json(f) for f in p.fees],
        "documents": [{**document_json(d), "requirement": d.requirement} for d in p.documents],
        "result_agency": p.result_agency,
    }
