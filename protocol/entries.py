"""The entries a counter pushes: a dossier snapshot, a status change, a new due moment, a
citizen's rating.

Their schemas, the builders the sync client uses (``dossier_entry``, ``status_entry``,
``due_entry``, ``rating_entry``) and the validation the portal applies (``validate_entry``):
one definition, used on both sides of the wire.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict

from protocol.constants import (
    AGENCY_CODE_PATTERN,
    APPLICANT_TYPES,
    CHANNELS,
    DOSSIER_CODE_PATTERN,
    ENTRY_KEY_PATTERN,
    ENTRY_KINDS,
    ID_TYPES,
    KIND_DOSSIER,
    KIND_DUE,
    KIND_RATING,
    KIND_STATUS,
    LOOKUP_KEY_PATTERN,
    MAX_BATCH_ENTRIES,
    RATING_LEVELS,
    UNSATISFIED,
    code_belongs_to,
    is_dossier_code,
)
from protocol.schema import (
    SCHEMAS,
    ArrayOf,
    Choice,
    DateTimeText,
    Integer,
    Obj,
    Ref,
    Text,
    checker,
    invalid,
    missing,
    opt,
    req,
    unknown,
    wrong_type,
)
from protocol.statuses import STATUS_CODES, STATUSES
from protocol.timejson import canonical_json, hash_canonical, parse_datetime, printable

_ENTRY_KEY_RE = re.compile(ENTRY_KEY_PATTERN)


class EntryDict(TypedDict):
    key: str
    kind: str  # dossier | status | due
    data: dict[str, Any]


_NAME = Text(200, min_length=1)
_OPT_TEXT = Text(200, nullable=True)
_BY = Text(100, min_length=1, description="Who did it: a clerk's username, or a department name.")

APPLICANT = Obj(
    {
        "type": req(Choice(APPLICANT_TYPES)),
        "name": req(_NAME),
        "id_number": opt(Text(20, nullable=True), ""),
        "id_type": opt(Choice(("", *ID_TYPES)), ""),
        "phone": opt(Text(20, nullable=True), ""),
        "email": opt(Text(254, nullable=True), ""),
        "address": opt(Text(500, nullable=True), ""),
    },
    title="Applicant",
)

SUBMITTER = Obj(
    {
        "name": req(_NAME),
        "id_number": opt(Text(20, nullable=True), ""),
        "phone": opt(Text(20, nullable=True), ""),
    },
    nullable=True,
    title="Submitter",
    description="The person who handed the dossier in on the applicant's behalf, or null.",
)

DOCUMENT_LINE = Obj(
    {
        "code": opt(Text(40, nullable=True), ""),
        "name": req(Text(500, min_length=1)),
        "originals": opt(Integer(0, 99), 0),
        "copies": opt(Integer(0, 99), 0),
    },
    title="DocumentLine",
)

FEE_LINE = Obj(
    {
        "code": opt(Text(40, nullable=True), ""),
        "name": req(Text(500, min_length=1)),
        "amount": req(Integer(0, 10**12, description="Whole đồng.")),
    },
    title="FeeLine",
)

DOSSIER_SNAPSHOT = Obj(
    {
        "code": req(Text(80, pattern=DOSSIER_CODE_PATTERN, example="000.00.36.H62-261126-1001")),
        "agency_code": req(Text(40, pattern=AGENCY_CODE_PATTERN, example="000.00.36.H62")),
        "counter_no": req(Integer(1, 9999)),
        "procedure_code": req(Text(40, min_length=1, example="1.001193")),
        "procedure_name": req(Text(500, min_length=1)),
        "applicant": req(Ref("Applicant")),
        "submitter": opt(Ref("Submitter", nullable=True), None),
        "channel": req(Choice(CHANNELS)),
        "sets": opt(Integer(1, 99), 1),
        "received_at": req(DateTimeText()),
        "due_at": req(DateTimeText()),
        "status": req(Choice(STATUSES)),
        "status_code": req(Integer(1, 10)),
        "lookup_key": req(Text(32, pattern=LOOKUP_KEY_PATTERN, example="K7M3PQ")),
        "documents": opt(ArrayOf(Ref("DocumentLine"), 200), []),
        "fees": opt(ArrayOf(Ref("FeeLine"), 50), []),
        "note": opt(Text(2000, nullable=True), ""),
        "received_by": req(_BY),
    },
    title="DossierSnapshot",
    description="A dossier as received at the counter.",
)

STATUS_CHANGE = Obj(
    {
        "code": req(Text(80, pattern=DOSSIER_CODE_PATTERN)),
        "status": req(Choice(STATUSES)),
        "status_code": req(Integer(1, 10)),
        "at": req(DateTimeText()),
        "by": req(_BY),
        "note": opt(Text(2000, nullable=True), ""),
    },
    title="StatusChange",
)

DUE_CHANGE = Obj(
    {
        "code": req(Text(80, pattern=DOSSIER_CODE_PATTERN)),
        "due_at": req(DateTimeText()),
        "reason": req(Text(2000, min_length=1)),
        "at": req(DateTimeText()),
        "by": req(_BY),
    },
    title="DueChange",
    description="A new due date, set when the office apologises for a delay (form 04).",
)

RATING = Obj(
    {
        "code": req(Text(80, pattern=DOSSIER_CODE_PATTERN)),
        "level": req(Choice(RATING_LEVELS)),
        "reason": opt(Text(500, nullable=True), ""),
        "at": req(DateTimeText()),
    },
    title="Rating",
    description=(
        "The citizen's rating of the service when the result was handed back, given on a "
        "screen facing them (never by the clerk): a reason with 'unsatisfied' and with it "
        "alone. A later rating of the same dossier replaces the earlier one."
    ),
)

_KEY = Text(
    36,
    pattern=ENTRY_KEY_PATTERN,
    description="The client's idempotency key for this entry: a UUID, lower case on output.",
    example="0b6f3c1e-8a53-4f0e-9d53-2b1c3f7a9e10",
)


def _entry_spec(kind: str, data: str, title: str) -> Obj:
    return Obj(
        {"key": req(_KEY), "kind": req(Choice((kind,))), "data": req(Ref(data))},
        title=title,
    )


DOSSIER_ENTRY = _entry_spec(KIND_DOSSIER, "DossierSnapshot", "DossierEntry")
STATUS_ENTRY = _entry_spec(KIND_STATUS, "StatusChange", "StatusEntry")
DUE_ENTRY = _entry_spec(KIND_DUE, "DueChange", "DueEntry")
RATING_ENTRY = _entry_spec(KIND_RATING, "Rating", "RatingEntry")
_ENTRY_DATA = {
    KIND_DOSSIER: DOSSIER_SNAPSHOT,
    KIND_STATUS: STATUS_CHANGE,
    KIND_DUE: DUE_CHANGE,
    KIND_RATING: RATING,
}
# Checked for every entry of every push: the compiled checkers found once.
_check_key = checker(_KEY)
_check_kind = checker(Choice(ENTRY_KINDS))
_CHECK_DATA = {kind: checker(spec) for kind, spec in _ENTRY_DATA.items()}

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
    #: ``canonical_json(data)``, the text the content hash is made from ("" when not hashed).
    canonical: str = field(default="", repr=False, compare=False)

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
    if kind == KIND_RATING and (data["level"] == UNSATISFIED) != bool(data["reason"]):
        raise invalid(
            "data.reason",
            "lý do đi cùng mức 'unsatisfied' (chưa hài lòng), và chỉ với mức đó",
            "a reason goes with the level 'unsatisfied', and with it alone",
        )
    if kind in (KIND_DOSSIER, KIND_STATUS) and STATUS_CODES[data["status"]] != data["status_code"]:
        raise invalid(
            "data.status_code",
            f"{data['status_code']} không khớp trạng thái '{data['status']}' "
            f"(mã đúng là {STATUS_CODES[data['status']]})",
            f"{data['status_code']} does not match status '{data['status']}' "
            f"(expected {STATUS_CODES[data['status']]})",
        )
    if kind == KIND_DOSSIER:
        if not code_belongs_to(data["code"], data["agency_code"]):
            raise invalid(
                "data.code",
                f"mã hồ sơ phải bắt đầu bằng mã cơ quan '{data['agency_code']}-'",
                f"the dossier code must start with the agency code '{data['agency_code']}-'",
            )
        if parse_datetime(data["due_at"]) < parse_datetime(data["received_at"]):
            raise invalid(
                "data.due_at",
                "ngày hẹn trả không được trước ngày tiếp nhận",
                "the due moment may not be before the receipt",
            )


def validate_entry(raw: Any, *, hashed: bool = True) -> ValidEntry:
    """Check one pushed entry and normalise it; raise WireError naming the first problem.

    ``hashed=False`` leaves ``content_hash`` empty: a builder, which only sends the entry,
    has no use for it."""
    if not isinstance(raw, dict):
        raise wrong_type("", "một đối tượng JSON", "a JSON object")
    for name in raw:
        if name not in ("key", "kind", "data"):
            raise unknown(printable(str(name)))
    for name in ("key", "kind", "data"):
        if name not in raw:
            raise missing(name)
    key = _check_key(raw["key"], "key").lower()
    kind = _check_kind(raw["kind"], "kind")
    data = _CHECK_DATA[kind](raw["data"], "data")
    _check_consistency(kind, data)
    if not hashed:
        return ValidEntry(key=key, kind=kind, data=data, content_hash="")
    text = canonical_json(data)
    return ValidEntry(key, kind, data, hash_canonical(kind, text), text)


def _entry(kind: str, data: Mapping[str, Any], key: str | None) -> EntryDict:
    valid = validate_entry(
        {"key": key or new_key(), "kind": kind, "data": dict(data)}, hashed=False
    )
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


def rating_entry(rating: Mapping[str, Any], key: str | None = None) -> EntryDict:
    """The wire entry for a citizen's rating ``{code, level, reason, at}``."""
    return _entry(KIND_RATING, rating, key)


def push_body(entries: Sequence[EntryDict]) -> dict[str, Any]:
    """The body of ``POST /api/v1/entries``; refuses more than MAX_BATCH_ENTRIES."""
    if len(entries) > MAX_BATCH_ENTRIES:
        raise ValueError(f"at most {MAX_BATCH_ENTRIES} entries per push, got {len(entries)}")
    return {"entries": list(entries)}


SCHEMAS.update(
    {
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
        "Rating": RATING,
        "RatingEntry": RATING_ENTRY,
    }
)
