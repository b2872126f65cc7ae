"""The portal's HTTP interface: the sync API under ``/api/v1`` and the public lookup page.

Request bodies are read and checked by hand (``sync.wire``), not by pydantic models: a batch
must be answered entry by entry, and the same checks run on the counter's side. Every refusal
is JSON ``{"error": {"code", "message", "message_en"}}`` with a 4xx status; bad input never
causes a 5xx.
"""

from __future__ import annotations

import logging
import math
import time
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal import __version__
from portal.agencies import CounterIdentity, authenticate, office_document, touch_counter
from portal.config import Settings
from portal.db import Database
from portal.dossiers import (
    attention_for_counter,
    changes_since,
    count_outcomes,
    dossier_detail,
    lookup,
    push_entries,
)
from portal.errors import PortalError
from portal.lookup import render_found, render_not_found, render_rate_limited
from portal.masterdata import CALENDAR, CATALOG, published
from portal.ratelimit import TokenBucketLimiter
from sync.wire import (
    API_PREFIX,
    API_VERSION,
    DEFAULT_CHANGES_LIMIT,
    MAX_CHANGES_LIMIT,
    MAX_CURSOR,
    dumps,
    format_datetime,
    json_schemas,
    loads,
    now_vn,
    printable,
)

log = logging.getLogger("portal.api")
access_log = logging.getLogger("portal.access")

JSON = "application/json"
# How much of an oversized body is still read (and thrown away) so that the client gets to
# read the 413 instead of a connection reset; past this the connection is simply closed.
_DRAIN_FACTOR = 4
_SEEN_EVERY = timedelta(seconds=60)


# --------------------------------------------------------------------------------------------
# Plumbing
# --------------------------------------------------------------------------------------------


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(dumps(body), status_code=status, media_type=JSON, headers=headers)


def _error(code: str, message: str, message_en: str, status: int, **kw: Any) -> PortalError:
    return PortalError(code, message, message_en, http_status=status, **kw)


def get_db(request: Request) -> Database:
    db: Database | None = request.app.state.db
    if db is None:  # only an app built to print its OpenAPI document has none
        raise RuntimeError("this app has no database")
    return db


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="CounterToken",
    description="The counter's API token, as printed by `python -m portal admin add-counter`.",
)


def current_counter(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> CounterIdentity:
    """The calling counter, from its bearer token; 401 otherwise."""
    who = None
    if credentials is not None:
        with get_db(request).read() as session:
            who = authenticate(session, credentials.credentials)
    if who is None:
        raise _error(
            "unauthorized",
            "Thiếu mã xác thực của quầy hoặc mã không đúng (tiêu đề Authorization: Bearer ...).",
            "Missing or invalid counter token (header Authorization: Bearer ...).",
            401,
            headers={"WWW-Authenticate": 'Bearer realm="portal"'},
        )
    return who


CallingCounter = Annotated[CounterIdentity, Depends(current_counter)]


class AccessLogMiddleware:
    """One INFO line per request (method, path without query, status, time), plus safe headers.

    The query string is never logged: the lookup page's carries the citizen's lookup key.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                if "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
                headers["X-Content-Type-Options"] = "nosniff"
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            access_log.info(
                "%s %s %d %.1f ms",
                scope.get("method", "-"),
                printable(scope.get("path", "-"), 200),
                status,
                (time.perf_counter() - start) * 1000,
            )


def _install_error_handlers(app: FastAPI) -> None:
    async def portal_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PortalError)
        return _json(exc.as_json(), exc.http_status, exc.headers)

    async def validation_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        details = [
            {
                "field": ".".join(str(part) for part in err.get("loc", ())),
                "message_en": str(err.get("msg", "")),
            }
            for err in exc.errors()[:20]
        ]
        fields = ", ".join(d["field"] for d in details)
        return _json(
            PortalError(
                "invalid_request",
                f"Tham số không hợp lệ: {fields}.",
                f"Invalid parameters: {fields}.",
                details=details,
            ).as_json(),
            422,
        )

    async def http_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 404:
            body = PortalError(
                "not_found", "Không có địa chỉ này.", "No such address.", http_status=404
            )
        elif exc.status_code == 405:
            body = PortalError(
                "method_not_allowed",
                "Địa chỉ này không nhận phương thức này.",
                "This address does not accept this method.",
            )
        else:
            body = PortalError("http_error", str(exc.detail), str(exc.detail))
        return _json(body.as_json(), exc.status_code, dict(exc.headers or {}))

    async def database_busy(_request: Request, exc: Exception) -> Response:
        log.warning("database unavailable: %s", type(exc).__name__)
        log.debug("database error", exc_info=exc)
        return _json(
            PortalError(
                "service_unavailable",
                "Cổng đang bận hoặc không truy cập được cơ sở dữ liệu; vui lòng thử lại sau.",
                "The portal is busy or cannot reach its database; try again later.",
            ).as_json(),
            503,
            {"Retry-After": "5"},
        )

    async def bug(_request: Request, exc: Exception) -> Response:
        log.error("unexpected error", exc_info=exc)
        return _json(
            PortalError(
                "internal_error",
                "Lỗi hệ thống của cổng; sự cố đã được ghi lại.",
                "Internal error of the portal; it has been logged.",
            ).as_json(),
            500,
        )

    app.add_exception_handler(PortalError, portal_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(OperationalError, database_busy)
    app.add_exception_handler(PoolTimeoutError, database_busy)
    app.add_exception_handler(Exception, bug)


# --------------------------------------------------------------------------------------------
# OpenAPI helpers
# --------------------------------------------------------------------------------------------


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _doc(description: str, schema: str | None = "Error", **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"description": description, **extra}
    if schema is not None:
        out["content"] = {JSON: {"schema": _ref(schema)}}
    return out


Responses = dict[int | str, dict[str, Any]]
_AUTH: Responses = {401: _doc("Missing or invalid token.")}
_BUSY: Responses = {503: _doc("Database busy or unreachable; retry after Retry-After seconds.")}
_BAD_PARAMS: Responses = {422: _doc("A query parameter is invalid.")}
_ETAG = {"ETag": {"description": "The version, quoted.", "schema": {"type": "string"}}}


def _master_doc(schema: str, what: str) -> Responses:
    return {
        200: _doc(f"The {what} and its version.", schema, headers=_ETAG),
        304: _doc("Not modified: the client already has this version.", None, headers=_ETAG),
        **_AUTH,
        **_BAD_PARAMS,
        **_BUSY,
    }


_VERSION_PARAM = Query(
    max_length=64,
    description="The version the client has; if current, the answer is 304 without a body. "
    "`If-None-Match` with the ETag works too.",
)


# --------------------------------------------------------------------------------------------
# The API
# --------------------------------------------------------------------------------------------

router = APIRouter(prefix=API_PREFIX)


@router.get(
    "/health",
    tags=["sync"],
    summary="Reachability check (no authentication, no database)",
    responses={200: _doc("The portal is up.", "Health")},
)
async def health(request: Request) -> Response:
    settings = get_settings(request)
    return _json(
        {
            "status": "ok",
            "api_version": API_VERSION,
            "server_time": format_datetime(now_vn()),
            "limits": {
                "max_batch_entries": settings.max_batch_entries,
                "max_body_bytes": settings.max_body_bytes,
                "max_changes_limit": MAX_CHANGES_LIMIT,
            },
        }
    )


async def _read_body(request: Request, limit: int) -> bytes:
    too_large = _error(
        "payload_too_large",
        f"Dữ liệu gửi lên quá lớn: tối đa {limit} byte mỗi lần; hãy chia nhỏ lô.",
        f"Request body too large: at most {limit} bytes; send smaller batches.",
        413,
    )
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise _error(
                "bad_request", "Content-Length không hợp lệ.", "Invalid Content-Length.", 400
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


def _push(db: Database, settings: Settings, who: CounterIdentity, body: bytes) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        doc = loads(body)
    except (ValueError, RecursionError):
        raise _error(
            "malformed_json",
            "Nội dung gửi lên không phải JSON hợp lệ (UTF-8).",
            "The request body is not valid JSON (UTF-8).",
            400,
        ) from None
    shape_vi = 'Nội dung phải là một đối tượng JSON dạng {"entries": [...]}'
    shape_en = 'The body must be a JSON object {"entries": [...]}'
    if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
        raise _error("invalid_request", shape_vi + ".", shape_en + ".", 422)
    extra = ", ".join(sorted(printable(str(k), 40) for k in doc if k != "entries"))
    if extra:
        raise _error(
            "unknown_field",
            f"{shape_vi}; trường không được hỗ trợ: {extra}.",
            f"{shape_en}; unknown fields: {extra}.",
            422,
        )
    entries = doc["entries"]
    if len(entries) > settings.max_batch_entries:
        raise _error(
            "too_many_entries",
            f"Mỗi lần gửi tối đa {settings.max_batch_entries} mục; lần này có {len(entries)} mục.",
            f"At most {settings.max_batch_entries} entries per push; this one has {len(entries)}.",
            413,
        )
    now = now_vn()
    with db.write() as session:
        results = push_entries(session, who, entries, now)
        touch_counter(session, who.counter_id, now)
    counts = count_outcomes(results)
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
        200: _doc("One result per entry, in the order sent.", "PushResponse"),
        400: _doc("The body is not JSON."),
        **_AUTH,
        413: _doc("The body or the number of entries is over the limit (see /health)."),
        415: _doc("The body is not application/json."),
        422: _doc("The body is not an object with an `entries` array."),
        **_BUSY,
    },
    openapi_extra={
        "requestBody": {"required": True, "content": {JSON: {"schema": _ref("PushRequest")}}}
    },
)
async def push(request: Request, who: CallingCounter) -> Response:
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() != JSON:
        raise _error(
            "unsupported_media_type",
            "Nội dung phải có kiểu application/json.",
            "The body must be application/json.",
            415,
        )
    settings = get_settings(request)
    body = await _read_body(request, settings.max_body_bytes)
    result = await run_in_threadpool(_push, get_db(request), settings, who, body)
    return _json(result)


@router.get(
    "/changes",
    tags=["sync"],
    summary="Status and due changes of the counter's agency after a cursor",
    description=(
        "Changes are returned oldest first with increasing `cursor`s; store `next_cursor` and "
        "send it as `since` next time (it equals `since` when nothing is new). Changes made "
        "on the portal (`source` portal) and changes pushed by counters (`source` counter, "
        "with `counter_no` and `entry_key`) are both listed; `exclude_own=true` leaves out "
        "the calling counter's own. 409 `cursor_ahead`: the cursor is past everything this "
        "portal has (it was reset): start again from 0."
    ),
    responses={
        200: _doc("A page of changes.", "ChangesResponse"),
        **_AUTH,
        409: _doc("The cursor is ahead of the portal."),
        **_BAD_PARAMS,
        **_BUSY,
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
) -> Response:
    db = get_db(request)
    with db.read() as session:
        page = changes_since(session, who, since, limit, exclude_own)
    now = now_vn()
    if who.last_seen_at is None or now - who.last_seen_at > _SEEN_EVERY:
        with db.write() as session:
            touch_counter(session, who.counter_id, now)
    return _json(page)


def _master(request: Request, version_param: str | None, version: str, body: bytes) -> Response:
    etag = f'"{version}"'
    wanted = request.headers.get("if-none-match", "")
    tags = {t.strip().removeprefix("W/") for t in wanted.split(",") if t.strip()}
    if version_param == version or etag in tags or "*" in tags:
        return Response(status_code=304, headers={"ETag": etag})
    return Response(body, media_type=JSON, headers={"ETag": etag})


@router.get(
    "/master/catalog",
    tags=["master data"],
    summary="The procedure catalogue",
    responses=_master_doc("CatalogResponse", "catalogue"),
)
def master_catalog(
    request: Request, who: CallingCounter, version: Annotated[str | None, _VERSION_PARAM] = None
) -> Response:
    with get_db(request).read() as session:
        doc = published(session, CATALOG)
    body = f'{{"version":"{doc.version}","catalog":{doc.body}}}'.encode()
    return _master(request, version, doc.version, body)


@router.get(
    "/master/calendar",
    tags=["master data"],
    summary="Calendar overrides (days off, make-up working days)",
    responses=_master_doc("CalendarResponse", "calendar overrides"),
)
def master_calendar(
    request: Request, who: CallingCounter, version: Annotated[str | None, _VERSION_PARAM] = None
) -> Response:
    with get_db(request).read() as session:
        doc = published(session, CALENDAR)
    body = f'{{"version":"{doc.version}","overrides":{doc.body}}}'.encode()
    return _master(request, version, doc.version, body)


def lookup_base_url(request: Request) -> str:
    public = get_settings(request).public_url or str(request.base_url)
    return public.rstrip("/") + "/tra-cuu"


@router.get(
    "/master/office",
    tags=["master data"],
    summary="The calling counter's office details (form headers)",
    responses=_master_doc("OfficeResponse", "office details"),
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
        200: _doc("Open items, oldest first.", "AttentionResponse"),
        **_AUTH,
        **_BAD_PARAMS,
        **_BUSY,
    },
)
def attention(
    request: Request, who: CallingCounter, limit: Annotated[int, Query(ge=1, le=1000)] = 200
) -> Response:
    with get_db(request).read() as session:
        items = attention_for_counter(session, who, limit)
    return _json({"items": items})


@router.get(
    "/dossiers/{code}",
    tags=["sync"],
    summary="One dossier as the portal holds it, with its history",
    responses={
        200: _doc("The dossier.", "DossierResponse"),
        **_AUTH,
        403: _doc("The dossier belongs to another agency."),
        404: _doc("No such dossier."),
        **_BAD_PARAMS,
        **_BUSY,
    },
)
def dossier(request: Request, who: CallingCounter, code: str) -> Response:
    with get_db(request).read() as session:
        return _json(dossier_detail(session, code, who.agency_id))


# --------------------------------------------------------------------------------------------
# The public lookup page
# --------------------------------------------------------------------------------------------

public = APIRouter()
_HTML_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    ),
}


def _html(page: str, status: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    return HTMLResponse(page, status_code=status, headers={**_HTML_HEADERS, **(headers or {})})


@public.get(
    "/tra-cuu",
    tags=["public"],
    summary="Public lookup page (Vietnamese HTML) for the QR code on a receipt",
    response_class=HTMLResponse,
    responses={
        200: {"description": "The dossier's status page.", "content": {"text/html": {}}},
        404: {
            "description": "Unknown code, wrong or missing key: always the same page.",
            "content": {"text/html": {}},
        },
        429: {
            "description": "Too many lookups from this address; see Retry-After.",
            "content": {"text/html": {}},
        },
        **_BUSY,
    },
)
def lookup_page(
    request: Request,
    ma: Annotated[str | None, Query(description="The dossier code.")] = None,
    k: Annotated[str | None, Query(description="The lookup key printed on the receipt.")] = None,
) -> HTMLResponse:
    limiter: TokenBucketLimiter = request.app.state.limiter
    wait = limiter.take(request.client.host if request.client else "-")
    if wait > 0:
        return _html(render_rate_limited(wait), 429, {"Retry-After": str(math.ceil(wait))})
    view = None
    if ma and k:
        with get_db(request).read() as session:
            view = lookup(session, ma.strip(), k.strip())
    if view is None:
        return _html(render_not_found(), 404)
    return _html(render_found(view))


# --------------------------------------------------------------------------------------------
# The application
# --------------------------------------------------------------------------------------------

_DESCRIPTION = """\
The provincial portal side of the one-stop counter's sync protocol, version 1.

Counters authenticate with `Authorization: Bearer <token>` (issued by
`python -m portal admin add-counter`). Every datetime carries an offset (ISO 8601; the portal
writes Vietnam time, +07:00). Statuses are sent both as `status` (identifier) and
`status_code` (the national TrangThaiHoSo number). Refusals are
`{"error": {"code", "message", "message_en"}}`. docs/portal-protocol.md explains the protocol.
"""


def create_app(settings: Settings, db: Database | None) -> FastAPI:
    """The ASGI application; ``db`` may be None only to print the OpenAPI document."""
    app = FastAPI(
        title="Reference provincial portal: counter sync protocol",
        version=f"{API_VERSION} ({__version__})",
        description=_DESCRIPTION,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.db = db
    app.state.limiter = TokenBucketLimiter(settings.lookup_rate / 60.0, settings.lookup_burst)
    _install_error_handlers(app)
    app.include_router(router)
    app.include_router(public)
    app.add_middleware(AccessLogMiddleware)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            schema.setdefault("components", {}).setdefault("schemas", {}).update(json_schemas())
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document, as committed in docs/portal-api.json."""
    return create_app(Settings(), None).openapi()
