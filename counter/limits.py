"""The bounds of what the counter takes in, read from the wire format so that the two agree.

Whatever a clerk types, a line of a JSON Lines file holds or a catalogue file says ends up in
an entry the portal checks against ``protocol.entries`` and ``protocol.masterdata``. A value
the counter took in and the portal then refused would leave a dossier stuck in "needs
attention", so every length, count and amount here is taken from those schemas, never
written twice. The counter may be stricter (a person's name is shorter than the wire's
``name``), never looser.

Files (catalogues, JSON Lines) are read strictly as well: UTF-8 only, no ``NaN`` or
``Infinity``, no number too large to be one, no nesting deeper than Python can walk; each
problem is a ``ValueError`` (or ``UnicodeDecodeError``) the caller turns into a refusal.
"""

from __future__ import annotations

import json
import math
from typing import Any

from protocol import entries, masterdata
from protocol.schema import ArrayOf, Integer, Number, Obj, Spec, Text
from protocol.timejson import MAX_YEAR, MIN_YEAR


def _spec(obj: Obj, key: str) -> Spec:
    return obj.props[key].spec


def max_length(obj: Obj, key: str) -> int:
    """The longest text the wire takes in ``obj[key]``."""
    spec = _spec(obj, key)
    assert isinstance(spec, Text), key
    return spec.max_length


def max_items(obj: Obj, key: str) -> int:
    """The most items the wire takes in the list ``obj[key]``."""
    spec = _spec(obj, key)
    assert isinstance(spec, ArrayOf), key
    return spec.max_items


def maximum(obj: Obj, key: str) -> int:
    """The largest number the wire takes in ``obj[key]``."""
    spec = _spec(obj, key)
    assert isinstance(spec, Integer | Number), key
    return int(spec.maximum)


def _nested(obj: Obj, key: str) -> Obj:
    spec = _spec(obj, key)
    assert isinstance(spec, Obj), key
    return spec


# -- a dossier as pushed (protocol.entries) ---------------------------------------------------

APPLICANT_NAME = max_length(entries.APPLICANT, "name")
ID_NUMBER = max_length(entries.APPLICANT, "id_number")
PHONE = max_length(entries.APPLICANT, "phone")
EMAIL = max_length(entries.APPLICANT, "email")
ADDRESS = max_length(entries.APPLICANT, "address")
PROCEDURE_CODE = max_length(entries.DOSSIER_SNAPSHOT, "procedure_code")
NOTE = max_length(entries.DOSSIER_SNAPSHOT, "note")
SETS = maximum(entries.DOSSIER_SNAPSHOT, "sets")
DOCUMENTS = max_items(entries.DOSSIER_SNAPSHOT, "documents")
DOCUMENT_CODE = max_length(entries.DOCUMENT_LINE, "code")
DOCUMENT_NAME = max_length(entries.DOCUMENT_LINE, "name")
COPIES = maximum(entries.DOCUMENT_LINE, "originals")
REASON = max_length(entries.DUE_CHANGE, "reason")

# -- the catalogue (protocol.masterdata) ------------------------------------------------------

CATALOG_VERSION = max_length(masterdata.CATALOG, "version")
PROCEDURES = max_items(masterdata.CATALOG, "procedures")
PROCEDURE_NAME = max_length(masterdata.PROCEDURE, "name")
LEVEL = max_length(masterdata.PROCEDURE, "level")
RESULT_AGENCY = max_length(masterdata.PROCEDURE, "result_agency")
FIELD_CODE = max_length(_nested(masterdata.PROCEDURE, "field"), "code")
FIELD_NAME = max_length(_nested(masterdata.PROCEDURE, "field"), "name")
PROCESSING_VALUE = maximum(_nested(masterdata.PROCEDURE, "processing_time"), "value")
FEES = max_items(masterdata.PROCEDURE, "fees")
PROCEDURE_DOCUMENTS = max_items(masterdata.PROCEDURE, "documents")
FEE_CODE = max_length(entries.FEE_LINE, "code")
FEE_NAME = max_length(entries.FEE_LINE, "name")
FEE_AMOUNT = maximum(entries.FEE_LINE, "amount")

# -- the office (protocol.masterdata) ---------------------------------------------------------

OFFICE_NAME = max_length(masterdata.OFFICE, "agency_name")
OFFICE_PARENT_NAME = max_length(masterdata.OFFICE, "parent_name")
OFFICE_ADDRESS = max_length(masterdata.OFFICE, "address")
OFFICE_PHONE = max_length(masterdata.OFFICE, "phone")
OFFICE_PLACE = max_length(masterdata.OFFICE, "place")
LOOKUP_BASE_URL = max_length(masterdata.OFFICE, "lookup_base_url")

#: Years a date or a moment may have: those the wire carries (``protocol.timejson``).
EARLIEST_YEAR = MIN_YEAR
LATEST_YEAR = MAX_YEAR


# -- strict JSON ------------------------------------------------------------------------------


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400
        raise ValueError(f"{text[:20]} is too large")
    return value


def parse_json(text: str) -> Any:
    """One JSON document, strictly; ``ValueError`` for anything the wire would refuse.

    ``NaN`` and ``Infinity`` (and numbers that overflow to it), integers of more digits than
    Python converts, and nesting deeper than the interpreter's recursion limit are refused
    like a syntax error.
    """
    try:
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except RecursionError:
        raise ValueError("nested too deeply") from None


class NotUtf8(ValueError):
    """A file that is not UTF-8 text; ``line`` is where the first bad byte is."""

    def __init__(self, line: int):
        super().__init__(f"not UTF-8 (line {line})")
        self.line = line


def decode_utf8(data: bytes) -> str:
    """UTF-8 text, a byte-order mark dropped; ``NotUtf8`` naming the line of a bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotUtf8(data[: exc.start].count(b"\n") + 1) from None
