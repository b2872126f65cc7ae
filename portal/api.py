"""The sync API under ``/api/v1``: what a counter pushes, pulls and asks for.

Request bodies are read and checked by hand (``protocol``), not by pydantic models: a batch
must be answered entry by entry, and the same checks run on the counter's side.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from portal import metrics
from portal.agencies import CounterIdentity, office_document, touch_counter
from portal.anchors import latest_head, parse_head, record_head
from portal.applicants import latest_applicant
from portal.attention import attention_for_counter
from portal.config import Settings
from portal.db import Database
from portal.dossiers import dossier_detail
from portal.errors import PortalError
from portal.feed import changes_since
from portal.masterdata import CALENDAR, CATALOG, published
from portal.openapi import AUTH, BAD_PARAMS, BUSY, answer, master_answers, ref
from portal.push import check_entries, count_outcomes, prepare, push_entries
from portal.web import CallingCounter, get_db, get_settings, json_response
from protocol import (
    API_PREFIX,
    API_VERSION,
    DEFAULT_CHANGES_LIMIT,
    JSON_MEDIA_TYPE,
    LOOKUP_PATH,
    MAX_CHANGES_LIMIT,
    MAX_CURSOR,
    dumps,
    format_datetime,
    loads,
    now_vn,
    printable,
)
from protocol.batching import collector_paused

log = logging.getLogger("portal.api")

# How much of an oversized body is still read (and thrown away) so that the client gets to
# read the 413 instead of a connection reset; past this the connection is simply closed.
_DRAIN_FACTOR = 4
_SEEN_EVERY = timedelta(seconds=60)

_VERSION_PARAM = Query(
    max_length=64,
    description="The version the client has; if current, the answer is 304 without a body. "
    "`If-None-Match` with the ETag works too.",
)

router = APIRouter(prefix=API_PREFIX)


@router.get(
    "/health",
    tags=["sync"],
    summary="Reachability check (no authentication, no database)",
    responses={200: answer("The portal is up.", "Health")},
)
async def health(request: Request) -> Response:
    settings = get_settings(request)
    return json_response(
        {
            "status": "ok",
            "api_version": API_VERSION,
            "server_time": format_datetime(now_vn()),
            "limits": {
                "max_batch_entries": settings.max_batch_entries,
                "max_body_bytes": settings.max_body_bytes,
                "max_changes_limit": MAX_CHANGES_LIMIT,
                "max_file_bytes": settings.max_file_bytes,
                "max_chunk_bytes": settings.max_chunk_bytes,
            },
        }
    )


async def _read_body(request: Request, limit: int) -> bytes:
    too_large = PortalError(
        "payload_too_large",
        f"Dữ liệu gửi lên quá lớn: tối đa {limit} byte mỗi lần; hãy chia nhỏ lô.",
        f"Request body too large: at most {limit} bytes; send smaller batches.",
        http_status=413,
    )
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise PortalError(
                "bad_request",
                "Content-Length không hợp lệ.",
                "Invalid Content-Length.",
                http_status=400,
            )
        if int(declared) > limit * _DRAIN_FACTOR:
            too_large.headers["Connection"] = "close"
            raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit * _DRAIN_FACTOR:
            too_large.headers["Connection"] = "close"
            raise too_large
        if size <= limit:
            chunks.append(chunk)
    if size > limit:
        raise too_large
    return b"".join(chunks)


def json_body(raw: bytes) -> Any:
    """A request's body read as JSON; a body that is not JSON is refused (400)."""
    try:
        return loads(raw)
    except (ValueError, RecursionError):
        raise PortalError(
            "malformed_json",
            "Nội dung gửi lên không phải JSON hợp lệ (UTF-8).",
            "The request body is not valid JSON (UTF-8).",
            http_status=400,
        ) from None


def _push(db: Database, settings: Settings, who: CounterIdentity, body: bytes) -> dict[str, Any]:
    with collector_paused():
        return _push_batch(db, settings, who, body)


def _push_batch(
    db: Database, settings: Settings, who: CounterIdentity, body: bytes
) -> dict[str, Any]:
    started = time.perf_counter()
    payload = json_body(body)
    shape_vi = 'Nội dung phải là một đối tượng JSON dạng {"entries": [...]}'
    shape_en = 'The body must be a JSON object {"entries": [...]}'
    if not isinstance(payload, dict) or not isinstance(payload.get("entries"), list):
        raise PortalError("invalid_request", shape_vi + ".", shape_en + ".", http_status=422)
    extra = ", ".join(sorted(printable(str(k), 40) for k in payload if k != "entries"))
    if extra:
        raise PortalError(
            "unknown_field",
            f"{shape_vi}; trường không được hỗ trợ: {extra}.",
            f"{shape_en}; unknown fields: {extra}.",
            http_status=422,
        )
    entries = payload["entries"]
    if len(entries) > settings.max_batch_entries:
        raise PortalError(
            "too_many_entries",
            f"Mỗi lần gửi tối đa {settings.max_batch_entries} mục; lần này có {len(entries)} mục.",
            f"At most {settings.max_batch_entries} entries per push; this one has {len(entries)}.",
            http_status=413,
        )
    now = now_vn()
    # outside the write lock: what needs no database
    plans = prepare(who, check_entries(entries), now)
    with db.write() as session:
        results = push_entries(session, who, entries, now, plans=plans)
        if who.last_seen_at is None or now - who.last_seen_at > _SEEN_EVERY:
            touch_counter(session, who.counter_id, now)
    counts = count_outcomes(results)
    metrics.count_push(results)
    log.info(
        "push from %s: %d entries, %s, %.0f ms",
        who.label,
        len(entries),
        " ".join(f"{k}={v}" for k, v in counts.items()),
        (time.perf_counter() - started) * 1000,
    )
    return {"results": results, "counts": counts, "server_time": format_datetime(now)}


@router.post(
    "/entries",
    tags=["sync"],
    summary="Push a batch of entries (dossiers, status changes, due changes)",
    description=(
        "Each entry carries the client's idempotency key (a UUID) and is answered on its own, "
        "in order: `accepted`; `duplicate` (the key, or the same dossier, was accepted before: "
        "`accepted_at` is the first answer's); `conflict` (409: the key was used for other "
        "content, the dossier exists with other content, or the portal's status forbids the "
        "change; also listed under /attention); `rejected` (422 invalid, 403 another agency's "
        "dossier, 404 unknown dossier with `retryable` true). Entries that do not match their "
        "schema are rejected one by one: the batch is still answered 200."
    ),
    responses={
        200: answer("One result per entry, in the order sent.", "PushResponse"),
        400: answer("The body is not JSON."),
        **AUTH,
        413: answer("The body or the number of entries is over the limit (see /health)."),
        415: answer("The body is not application/json."),
        422: answer("The body is not an object with an `entries` array."),
        **BUSY,
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {JSON_MEDIA_TYPE: {"schema": ref("PushRequest")}},
        }
    },
)
async def push(request: Request, who: CallingCounter) -> Response:
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() != JSON_MEDIA_TYPE:
        raise PortalError(
            "unsupported_media_type",
            "Nội dung phải có kiểu application/json.",
            "The body must be application/json.",
            http_status=415,
        )
    settings = get_settings(request)
    body = await _read_body(request, settings.max_body_bytes)
    result = await run_in_threadpool(_push, get_db(request), settings, who, body)
    return json_response(result)


@router.get(
    "/changes",
    tags=["sync"],
    summary="Status and due changes of the counter's agency after a cursor",
    description=(
        "Changes are returned oldest first with increasing `cursor`s; store `next_cursor` and "
        "send it as `since` next time (it equals `since` when nothing is new). Changes made "
        "on the portal (`source` portal) and changes pushed by counters (`source` counter, "
        "with `counter_no` and `entry_key`) are both listed; `exclude_own=true` leaves out "
        "the calling counter's own; `omit_known=true` leaves out what it knows already (a "
        "dossier whose every change since the cursor is its own push). 409 "
        "`cursor_ahead`: the cursor is past everything this portal has (it was reset): start "
        "again from 0."
    ),
    responses={
        200: answer("A page of changes.", "ChangesResponse"),
        **AUTH,
        409: answer("The cursor is ahead of the portal."),
        **BAD_PARAMS,
        **BUSY,
    },
)
def changes(
    request: Request,
    who: CallingCounter,
    since: Annotated[
        int, Query(ge=0, le=MAX_CURSOR, description="Last cursor seen; 0 at first.")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_CHANGES_LIMIT)] = DEFAULT_CHANGES_LIMIT,
    exclude_own: Annotated[bool, Query(description="Leave out the caller's own pushes.")] = False,
    omit_known: Annotated[
        bool,
        Query(
            description="Leave out the changes of each dossier whose every change since "
            "the cursor is the caller's own push (and whose last change before it is its "
            "own too, if any)."
        ),
    ] = False,
) -> Response:
    db = get_db(request)
    with db.read() as session:
        page = changes_since(session, who, since, limit, exclude_own, omit_known)
    now = now_vn()
    if who.last_seen_at is None or now - who.last_seen_at > _SEEN_EVERY:
        with db.write(who.counter_id) as session:
            touch_counter(session, who.counter_id, now)
    return json_response(page)


def _master(request: Request, version_param: str | None, version: str, body: bytes) -> Response:
    etag = f'"{version}"'
    wanted = request.headers.get("if-none-match", "")
    tags = {t.strip().removeprefix("W/") for t in wanted.split(",") if t.strip()}
    if version_param == version or etag in tags or "*" in tags:
        return Response(status_code=304, headers={"ETag": etag})
    return Response(body, media_type=JSON_MEDIA_TYPE, headers={"ETag": etag})


@router.get(
    "/master/catalog",
    tags=["master data"],
    summary="The procedure catalogue",
    responses=master_answers("CatalogResponse", "catalogue"),
)
def master_catalog(
    request: Request, who: CallingCounter, version: Annotated[str | None, _VERSION_PARAM] = None
) -> Response:
    with get_db(request).read() as session:
        current = published(session, CATALOG)
    body = f'{{"version":"{current.version}","catalog":{current.body}}}'.encode()
    return _master(request, version, current.version, body)


@router.get(
    "/master/calendar",
    tags=["master data"],
    summary="Calendar overrides (days off, make-up working days)",
    responses=master_answers("CalendarResponse", "calendar overrides"),
)
def master_calendar(
    request: Request, who: CallingCounter, version: Annotated[str | None, _VERSION_PARAM] = None
) -> Response:
    with get_db(request).read() as session:
        current = published(session, CALENDAR)
    body = f'{{"version":"{current.version}","overrides":{current.body}}}'.encode()
    return _master(request, version, current.version, body)


def lookup_base_url(request: Request) -> str:
    public = get_settings(request).public_url or str(request.base_url)
    return public.rstrip("/") + LOOKUP_PATH


@router.get(
    "/master/office",
    tags=["master data"],
    summary="The calling counter's office details (form headers)",
    responses=master_answers("OfficeResponse", "office details"),
)
def master_office(
    request: Request, who: CallingCounter, version: Annotated[str | None, _VERSION_PARAM] = None
) -> Response:
    with get_db(request).read() as session:
        office_version, office = office_document(session, who, lookup_base_url(request))
    return _master(
        request, version, office_version, dumps({"version": office_version, "office": office})
    )


@router.get(
    "/attention",
    tags=["sync"],
    summary="The calling counter's entries that need a person (open items)",
    responses={
        200: answer("Open items, oldest first.", "AttentionResponse"),
        **AUTH,
        **BAD_PARAMS,
        **BUSY,
    },
)
def attention(
    request: Request, who: CallingCounter, limit: Annotated[int, Query(ge=1, le=1000)] = 200
) -> Response:
    with get_db(request).read() as session:
        items = attention_for_counter(session, who, limit)
    return json_response({"items": items})


@router.get(
    "/dossiers/{code}",
    tags=["sync"],
    summary="One dossier as the portal holds it, with its history",
    responses={
        200: answer("The dossier.", "DossierResponse"),
        **AUTH,
        404: answer(
            "No such dossier of the counter's agency (another agency's is not found alike)."
        ),
        **BAD_PARAMS,
        **BUSY,
    },
)
def dossier(request: Request, who: CallingCounter, code: str) -> Response:
    with get_db(request).read() as session:
        return json_response(dossier_detail(session, code, who.agency_id))


@router.get(
    "/applicants/{id_number}",
    tags=["sync"],
    summary="Declare once: the latest applicant details of an ID number in the agency",
    description=(
        "The applicant of the newest dossier of the calling counter's agency whose applicant "
        "has this ID number (spaces ignored, letters in either case), and when that dossier "
        "was received. Asked by a counter's intake while the clerk types, with a short "
        "timeout; the counter's own dossiers win when newer."
    ),
    responses={
        200: answer("The latest details.", "ApplicantResponse"),
        **AUTH,
        404: answer("No dossier of the counter's agency has this ID number."),
        **BAD_PARAMS,
        **BUSY,
    },
)
def applicant(request: Request, who: CallingCounter, id_number: str) -> Response:
    with get_db(request).read() as session:
        return json_response(latest_applicant(session, who.agency_id, id_number))


@router.put(
    "/audit-head",
    tags=["sync"],
    summary="Keep the head of the calling counter's audit trail",
    description=(
        "Sent after each sync round: the id and hash of the last row of the counter's "
        "audit trail. The portal keeps every new head, so a trail later cut short or "
        "recomputed on the counter's PC can be shown to be."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {JSON_MEDIA_TYPE: {"schema": ref("AuditHead")}},
        }
    },
    responses={
        200: answer("The head kept.", "AuditHeadResponse"),
        **AUTH,
        **BAD_PARAMS,
        **BUSY,
    },
)
async def put_audit_head(request: Request, who: CallingCounter) -> Response:
    body = await _read_body(request, get_settings(request).max_body_bytes)
    row_id, digest = parse_head(body)

    def keep() -> dict[str, Any]:
        with get_db(request).write(who.counter_id) as session:
            return record_head(session, who, row_id, digest, now_vn())

    return json_response(await run_in_threadpool(keep))


@router.get(
    "/audit-head",
    tags=["sync"],
    summary="The last head of its audit trail the calling counter sent",
    responses={200: answer("The last head.", "AuditHeadResponse"), **AUTH, **BUSY},
)
def get_audit_head(request: Request, who: CallingCounter) -> Response:
    with get_db(request).read() as session:
        return json_response(latest_head(session, who))
