"""The portal's answers: push results, the change feed, master-data envelopes, health,
a dossier's history, the attention list and the error body."""

from __future__ import annotations

from typing import NotRequired, TypedDict

from protocol.constants import (
    AGENCY_CODE_PATTERN,
    CHANGE_KINDS,
    CHANGE_SOURCES,
    ENTRY_KINDS,
    MAX_BATCH_ENTRIES,
    MAX_CHANGES_LIMIT,
    MAX_CURSOR,
    OUTCOMES,
)
from protocol.schema import (
    SCHEMAS,
    AnyJSON,
    ArrayOf,
    Boolean,
    Choice,
    DateTimeText,
    Integer,
    Obj,
    OneOf,
    Reason,
    Ref,
    Text,
    opt,
    req,
)
from protocol.statuses import STATUSES

REASON = Obj(
    {
        "code": req(Text(40)),
        "message": req(Text(2000)),
        "message_en": req(Text(2000)),
        "field": opt(Text(300), None),
        "current_status": opt(Choice(STATUSES), None),
    },
    title="Reason",
)

ENTRY_RESULT = Obj(
    {
        "index": req(Integer(0, MAX_BATCH_ENTRIES)),
        "key": req(Text(36, nullable=True)),
        "kind": req(Text(20, nullable=True)),
        "code": req(Text(80, nullable=True)),
        "outcome": req(Choice(OUTCOMES)),
        "http_status": req(Integer(200, 599)),
        "accepted_at": req(DateTimeText(nullable=True)),
        "retryable": req(Boolean()),
        "reason": req(Ref("Reason", nullable=True)),
    },
    title="EntryResult",
)

_COUNTS = Obj(
    {name: req(Integer(0, MAX_BATCH_ENTRIES)) for name in OUTCOMES}, title="OutcomeCounts"
)

PUSH_REQUEST = Obj(
    {
        "entries": req(
            ArrayOf(
                OneOf(
                    (
                        Ref("DossierEntry"),
                        Ref("StatusEntry"),
                        Ref("DueEntry"),
                        Ref("RatingEntry"),
                    ),
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
        "results": req(ArrayOf(Ref("EntryResult"), MAX_BATCH_ENTRIES)),
        "counts": req(_COUNTS),
        "server_time": req(DateTimeText()),
    },
    title="PushResponse",
)

#: A hand-over of a dossier between agencies, as the portal recorded it (docs/sync.md,
#: "Hand-overs").
HANDOVER = Obj(
    {
        "id": req(Integer(1, MAX_CURSOR)),
        "at": req(DateTimeText(description="When the dossier changed hands.")),
        "from": req(Text(40, description="The agency code of who gave it.")),
        "from_name": req(Text(300)),
        "to": req(Text(40, description="The agency code of who took it.")),
        "to_name": req(Text(300)),
        "by": req(Text(100, description="The person who handed it over.")),
        "note": req(Text(500)),
    },
    title="Handover",
)

#: What a processing system sends to record a hand-over (``POST /dossiers/{code}/handovers``).
HANDOVER_REQUEST = Obj(
    {
        "to": req(Text(40, 1, pattern=AGENCY_CODE_PATTERN, description="The agency taking it.")),
        "from": opt(
            Text(
                40,
                pattern=f"(?:{AGENCY_CODE_PATTERN})?",
                nullable=True,
                description="The agency giving it; absent: the dossier's current holder (the "
                "last hand-over's receiver, else the agency that received the dossier).",
            ),
            None,
        ),
        "by": req(Text(100, 1, description="The person who hands it over.")),
        "at": opt(DateTimeText(nullable=True, description="Default: now."), None),
        "note": opt(Text(500), ""),
    },
    title="HandoverRequest",
)

HANDOVER_RESPONSE = Obj(
    {
        "outcome": req(Choice(("accepted", "duplicate"))),
        "code": req(Text(80)),
        "handover": req(Ref("Handover")),
    },
    title="HandoverResponse",
    description="accepted: recorded now; duplicate: the same hand-over was recorded before.",
)

CHANGE = Obj(
    {
        "cursor": req(Integer(1, MAX_CURSOR)),
        "kind": req(Choice(CHANGE_KINDS)),
        "code": req(Text(80)),
        "status": req(Choice(STATUSES)),
        "status_code": req(Integer(1, 10)),
        "due_at": req(DateTimeText()),
        "at": req(DateTimeText()),
        "by": req(Text(100)),
        "note": req(Text(2000)),
        "source": req(Choice(CHANGE_SOURCES)),
        "counter_no": req(Integer(1, 9999, nullable=True)),
        "entry_key": req(Text(36, nullable=True)),
        "handover": opt(Ref("Handover", nullable=True), None),
    },
    title="Change",
    description=(
        "One change of a dossier, with its status and due moment after the change. kind 'status': "
        "the status changed (or the dossier arrived on the portal); kind 'due': the due moment "
        "changed; kind 'handover': the dossier passed from one agency to another (`handover` "
        "says how; status and due moment are unchanged). source 'counter' marks changes a "
        "counter pushed (counter_no and entry_key say which); clients skip the ones they sent "
        "themselves."
    ),
)

CHANGES_RESPONSE = Obj(
    {
        "changes": req(ArrayOf(Ref("Change"), MAX_CHANGES_LIMIT)),
        "next_cursor": req(Integer(0, MAX_CURSOR)),
        "has_more": req(Boolean()),
    },
    title="ChangesResponse",
)

CATALOG_RESPONSE = Obj(
    {"version": req(Text(64)), "catalog": req(Ref("Catalog"))}, title="CatalogResponse"
)
CALENDAR_RESPONSE = Obj(
    {"version": req(Text(64)), "overrides": req(ArrayOf(Ref("CalendarOverride"), 100000))},
    title="CalendarResponse",
)
OFFICE_RESPONSE = Obj(
    {"version": req(Text(64)), "office": req(Ref("Office"))}, title="OfficeResponse"
)

HEALTH_RESPONSE = Obj(
    {
        "status": req(Choice(("ok",))),
        "api_version": req(Text(10)),
        "server_time": req(DateTimeText()),
        "limits": req(
            Obj(
                {
                    "max_batch_entries": req(Integer(1, MAX_BATCH_ENTRIES)),
                    "max_body_bytes": req(Integer(1, 2**31)),
                    "max_changes_limit": req(Integer(1, MAX_CHANGES_LIMIT)),
                    # since files were added: an older portal leaves them out
                    "max_file_bytes": opt(Integer(1, 2**53 - 1), None),
                    "max_chunk_bytes": opt(Integer(1, 2**31), None),
                },
                title="Limits",
            )
        ),
    },
    title="Health",
)

HISTORY_ITEM = Obj(
    {
        "kind": req(Choice(CHANGE_KINDS)),
        "status": req(Choice(STATUSES)),
        "status_code": req(Integer(1, 10)),
        "due_at": req(DateTimeText()),
        "at": req(DateTimeText()),
        "by": req(Text(100)),
        "note": req(Text(2000)),
        "source": req(Choice(CHANGE_SOURCES)),
    },
    title="HistoryItem",
)

DOSSIER_RESPONSE = Obj(
    {
        "code": req(Text(80)),
        "status": req(Choice(STATUSES)),
        "status_code": req(Integer(1, 10)),
        "due_at": req(DateTimeText()),
        "updated_at": req(DateTimeText()),
        "dossier": req(
            AnyJSON(description="The dossier snapshot as first accepted, without its lookup key.")
        ),
        "history": req(ArrayOf(Ref("HistoryItem"), 100000)),
        "handovers": opt(ArrayOf(Ref("Handover"), 100000), None),
    },
    title="DossierResponse",
)

ATTENTION_ITEM = Obj(
    {
        "id": req(Integer(1, MAX_CURSOR)),
        "key": req(Text(36)),
        "kind": req(Choice(ENTRY_KINDS)),
        "code": req(Text(80)),
        "outcome": req(Choice(OUTCOMES)),
        "reason": req(Ref("Reason")),
        "first_seen_at": req(DateTimeText()),
        "last_seen_at": req(DateTimeText()),
        "times": req(Integer(1, 2**31)),
        "entry": req(AnyJSON(description="The entry's data as the counter sent it (normalised).")),
    },
    title="AttentionItem",
)

ATTENTION_RESPONSE = Obj(
    {"items": req(ArrayOf(Ref("AttentionItem"), 100000))}, title="AttentionResponse"
)

ERROR_RESPONSE = Obj(
    {
        "error": req(
            Obj(
                {
                    "code": req(Text(40)),
                    "message": req(Text(2000)),
                    "message_en": req(Text(2000)),
                    "details": opt(ArrayOf(AnyJSON(), 100), None),
                },
                title="ErrorBody",
            )
        )
    },
    title="Error",
    description="Every refusal: a stable code, a Vietnamese message and its English version.",
)

#: The head of a counter's audit chain, sent after each sync round: the portal keeps it, out
#: of reach of anyone at the counter's PC, so a shortened or recomputed chain shows.
AUDIT_HEAD = Obj(
    {
        "row_id": req(Integer(1, 2**53, description="The id of the chain's last row.")),
        "hash": req(Text(64, 64, pattern="[0-9a-f]{64}", description="That row's hash.")),
    },
    title="AuditHead",
)
AUDIT_HEAD_RESPONSE = Obj(
    {
        "row_id": req(Integer(0, 2**53)),
        "hash": req(Text(64, 0, pattern="[0-9a-f]{64}|")),
        "received_at": req(DateTimeText(nullable=True)),
    },
    title="AuditHeadResponse",
    description="The last head the calling counter sent (row 0 and no hash: none yet).",
)

#: Declare once: the latest applicant details the portal holds under an ID number, among the
#: dossiers of the calling counter's agency.
APPLICANT_RESPONSE = Obj(
    {
        "applicant": req(Ref("Applicant")),
        "received_at": req(
            DateTimeText(description="When the dossier these details come from was received.")
        ),
    },
    title="ApplicantResponse",
)

SCHEMAS.update(
    {
        "PushRequest": PUSH_REQUEST,
        "ApplicantResponse": APPLICANT_RESPONSE,
        "AuditHead": AUDIT_HEAD,
        "AuditHeadResponse": AUDIT_HEAD_RESPONSE,
        "PushResponse": PUSH_RESPONSE,
        "EntryResult": ENTRY_RESULT,
        "Reason": REASON,
        "Change": CHANGE,
        "Handover": HANDOVER,
        "HandoverRequest": HANDOVER_REQUEST,
        "HandoverResponse": HANDOVER_RESPONSE,
        "ChangesResponse": CHANGES_RESPONSE,
        "CatalogResponse": CATALOG_RESPONSE,
        "CalendarResponse": CALENDAR_RESPONSE,
        "OfficeResponse": OFFICE_RESPONSE,
        "Health": HEALTH_RESPONSE,
        "HistoryItem": HISTORY_ITEM,
        "DossierResponse": DOSSIER_RESPONSE,
        "AttentionItem": ATTENTION_ITEM,
        "AttentionResponse": ATTENTION_RESPONSE,
        "Error": ERROR_RESPONSE,
    }
)


# Typed shapes of what the client and the portal exchange (the specs above are what is
# enforced; these are for the type checker).


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


# "from" is a keyword, hence the functional form.
HandoverDict = TypedDict(
    "HandoverDict",
    {
        "id": int,
        "at": str,
        "from": str,
        "from_name": str,
        "to": str,
        "to_name": str,
        "by": str,
        "note": str,
    },
)


class ChangeDict(TypedDict):
    cursor: int
    kind: str  # status | due | handover
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
    handover: NotRequired[HandoverDict | None]


class ChangesResponseDict(TypedDict):
    changes: list[ChangeDict]
    next_cursor: int
    has_more: bool
