"""Master data the portal publishes: the procedure catalogue, calendar overrides, the office."""

from __future__ import annotations

import hashlib
from typing import Any

from protocol.constants import (
    AGENCY_CODE_PATTERN,
    CALENDAR_KINDS,
    DEFAULT_BLOCK_SIZE,
    HHMM_PATTERN,
    MAX_BLOCK_SIZE,
    MIN_BLOCK_SIZE,
    PROCESSING_UNITS,
    REQUIREMENTS,
)
from protocol.entries import DOCUMENT_LINE, FEE_LINE
from protocol.schema import (
    SCHEMAS,
    AnyJSON,
    ArrayOf,
    Choice,
    DateText,
    Integer,
    Number,
    Obj,
    Ref,
    Text,
    WireError,
    check,
    invalid,
    join_path,
    opt,
    req,
    wrong_type,
)
from protocol.timejson import canonical_json, printable

PROCEDURE = Obj(
    {
        "code": req(Text(40, min_length=1)),
        "name": req(Text(500, min_length=1)),
        "field": req(
            Obj({"code": req(Text(40)), "name": req(Text(200))}, extra="ignore", title="Field")
        ),
        "level": req(Text(20)),
        "processing_time": req(
            Obj(
                {
                    "value": req(Number(0, 10000, description="Ignored for same_day.")),
                    "unit": req(Choice(PROCESSING_UNITS)),
                    "cutoff": opt(
                        Text(5, pattern=f"(?:{HHMM_PATTERN})?", nullable=True),
                        "",
                    ),
                },
                extra="ignore",
                title="ProcessingTime",
            )
        ),
        "fees": opt(ArrayOf(Obj(FEE_LINE.props, extra="ignore"), 50), []),
        "documents": opt(
            ArrayOf(
                Obj(
                    {**DOCUMENT_LINE.props, "requirement": opt(Choice(REQUIREMENTS), "required")},
                    extra="ignore",
                ),
                200,
            ),
            [],
        ),
        "result_agency": opt(Text(500, nullable=True), ""),
    },
    extra="ignore",
    title="Procedure",
)

CATALOG = Obj(
    {
        # The file's own version label; empty only in what an empty portal publishes.
        "version": req(Text(64)),
        "procedures": req(ArrayOf(Ref("Procedure"), 20000)),
    },
    extra="ignore",
    title="Catalog",
    description="The procedure catalogue, in the shape of the catalogue file a counter imports.",
)

CALENDAR_OVERRIDE = Obj(
    {
        "date": req(DateText()),
        "kind": req(Choice(CALENDAR_KINDS)),
        "note": opt(Text(500, nullable=True), ""),
    },
    title="CalendarOverride",
)

OFFICE = Obj(
    {
        "agency_code": req(Text(40, pattern=AGENCY_CODE_PATTERN)),
        "agency_name": req(Text(300, min_length=1)),
        "parent_name": req(Text(300)),
        "level": req(Text(20)),
        "address": req(Text(500)),
        "phone": req(Text(40)),
        "place": req(Text(100)),
        "counter_no": req(Integer(1, 9999)),
        "lookup_base_url": req(Text(500)),
        "block_size": opt(
            Integer(
                MIN_BLOCK_SIZE,
                MAX_BLOCK_SIZE,
                description="Dossier numbers each counter of the agency has a day: counter N "
                "numbers N*block_size+1 to (N+1)*block_size-1 (block 0 is the portal's).",
            ),
            DEFAULT_BLOCK_SIZE,
        ),
    },
    title="Office",
)


def validate_catalog(doc: Any) -> dict[str, Any]:
    """Check a procedure catalogue (the file `counter-admin catalog import` reads) and return it.

    Unknown keys are dropped; a missing required key or a wrong type refuses the whole
    catalogue with a WireError naming the procedure and the key.
    """
    if not isinstance(doc, dict):
        raise wrong_type("", "một đối tượng JSON", "a JSON object")
    head = check(
        Obj(
            {
                "version": req(Text(64, min_length=1)),
                "procedures": req(ArrayOf(AnyJSON(), 20000)),
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
                join_path(where, exc.path),
                f"{where_vi}: {exc.message_vi}",
                f"{where_en}: {exc.message_en}",
            ) from None
        if procedure["code"] in seen:
            raise invalid(
                join_path(where, "code"),
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


SCHEMAS.update(
    {
        "Procedure": PROCEDURE,
        "Catalog": CATALOG,
        "CalendarOverride": CALENDAR_OVERRIDE,
        "Office": OFFICE,
    }
)
