"""The procedure catalogue file: parsing, checking, importing."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from counter.errors import InvalidInput
from counter.serialize import document_json, fee_json, processing_time_json
from counter.text import collapse_spaces, nfc
from counter.views import DocumentLine, FeeLine, ProcedureView, ProcessingTime
from counter.workcalendar import UNITS
from protocol.constants import HHMM_PATTERN, REQUIREMENTS

SAMPLE_CATALOG = Path(__file__).parent / "data" / "catalog_sample.json"


def _bad(where: str, key: str, what_vi: str, what_en: str) -> InvalidInput:
    return InvalidInput(
        f"Danh mục thủ tục không hợp lệ: {where}, khóa '{key}': {what_vi}",
        f"Invalid procedure catalogue: {where}, key '{key}': {what_en}",
        field=key,
    )


def _get(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in obj:
        raise _bad(where, key, "thiếu", "missing")
    value = obj[key]
    if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise _bad(where, key, f"sai kiểu (cần {names})", f"wrong type (expected {names})")
    return value


def _text(obj: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
    if not required and key not in obj:
        return ""
    value = collapse_spaces(nfc(_get(obj, key, str, where)))
    if required and not value:
        raise _bad(where, key, "để trống", "empty")
    return value


def _count(obj: dict[str, Any], key: str, where: str) -> int:
    value = _get(obj, key, int, where) if key in obj else 0
    if value < 0:
        raise _bad(where, key, "không được âm", "negative")
    return int(value)


def parse_procedure(raw: Any, index: int, version: str) -> ProcedureView:
    if not isinstance(raw, dict):
        raise _bad(
            f"thủ tục thứ {index + 1}", "procedures", "không phải đối tượng", "not an object"
        )
    where = f"thủ tục thứ {index + 1}"
    code = _text(raw, "code", where)
    where = f"thủ tục {code}"
    name = _text(raw, "name", where)
    field = _get(raw, "field", dict, where)
    field_code = _text(field, "code", where)
    field_name = _text(field, "name", where)
    level = _text(raw, "level", where)
    pt = _get(raw, "processing_time", dict, where)
    value = float(_get(pt, "value", (int, float), where))
    unit = _text(pt, "unit", where)
    if unit not in UNITS:
        raise _bad(where, "unit", f"phải là một trong {', '.join(UNITS)}", f"one of {UNITS}")
    if value < 0 or value > 3650:
        raise _bad(where, "value", "ngoài khoảng 0-3650", "outside 0-3650")
    cutoff = _text(pt, "cutoff", where, required=False)
    if cutoff and (unit != "same_day" or re.fullmatch(HHMM_PATTERN, cutoff) is None):
        raise _bad(
            where,
            "cutoff",
            "chỉ dùng với same_day, dạng HH:MM (ví dụ 15:00)",
            "only with same_day, as HH:MM (e.g. 15:00)",
        )
    fees = []
    for i, fee in enumerate(_get(raw, "fees", list, where)):
        w = f"{where}, phí thứ {i + 1}"
        if not isinstance(fee, dict):
            raise _bad(w, "fees", "không phải đối tượng", "not an object")
        amount = _get(fee, "amount", int, w)
        if amount < 0:
            raise _bad(w, "amount", "không được âm", "negative")
        fees.append(FeeLine(_text(fee, "code", w), _text(fee, "name", w), amount))
    documents = []
    for i, doc in enumerate(_get(raw, "documents", list, where)):
        w = f"{where}, giấy tờ thứ {i + 1}"
        if not isinstance(doc, dict):
            raise _bad(w, "documents", "không phải đối tượng", "not an object")
        requirement = _text(doc, "requirement", w, required=False) or "required"
        if requirement not in REQUIREMENTS:
            raise _bad(
                w,
                "requirement",
                f"phải là một trong {', '.join(REQUIREMENTS)}",
                f"one of {', '.join(REQUIREMENTS)}",
            )
        documents.append(
            DocumentLine(
                _text(doc, "code", w),
                _text(doc, "name", w),
                _count(doc, "originals", w),
                _count(doc, "copies", w),
                requirement,
            )
        )
    return ProcedureView(
        code=code,
        name=name,
        field_code=field_code,
        field_name=field_name,
        level=level,
        processing_time=ProcessingTime(value, unit, cutoff),
        fees=tuple(fees),
        documents=tuple(documents),
        result_agency=_text(raw, "result_agency", where, required=False),
        catalog_version=version,
    )


def parse_catalog(data: Any) -> tuple[str, list[ProcedureView]]:
    """The version and the procedures; a bad entry refuses the whole file, naming it."""
    if not isinstance(data, dict):
        raise _bad("tệp", "procedures", "không phải đối tượng JSON", "not a JSON object")
    version = data.get("version", "")
    if not isinstance(version, str):
        raise _bad("tệp", "version", "sai kiểu (cần str)", "wrong type (expected str)")
    raw_list = _get(data, "procedures", list, "tệp")
    procedures = [parse_procedure(raw, i, version) for i, raw in enumerate(raw_list)]
    seen: set[str] = set()
    for p in procedures:
        if p.code in seen:
            raise _bad(f"thủ tục {p.code}", "code", "bị trùng", "duplicated")
        seen.add(p.code)
    return version, procedures


def load_catalog_file(path: Path) -> tuple[str, list[ProcedureView]]:
    try:
        text = path.read_text("utf-8-sig")
    except OSError as exc:
        raise InvalidInput(
            f"Không đọc được tệp danh mục '{path}': {exc.strerror}",
            f"Cannot read the catalogue file '{path}': {exc.strerror}",
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"Tệp danh mục không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno})",
            f"The catalogue file is not valid JSON (line {exc.lineno}, column {exc.colno})",
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
