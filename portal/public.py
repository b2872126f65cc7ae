"""The public routes: the lookup page that the QR code on a receipt opens.

The page is answered by ``LookupPage``, a layer in front of the application's routing (inside
the access log, which logs, counts and times it as any request). The route below describes
it in the API's document, and answers it alike in an application without the layer (the
layer passes on every other method). A lookup is a few milliseconds of Python, and on a busy
machine each hand-over between threads is a wait for a core: on PostgreSQL the layer awaits
its one statement on the event loop (``portal.aio``), with none of the routing's per-request
work (matching every route, solving dependencies, validating parameters), so a lookup is
handled by one thread from the request's bytes to the page's. SQLite's statements run on a
thread.
"""

from __future__ import annotations

import math
from typing import Annotated, Any
from urllib.parse import parse_qsl

import anyio.to_thread
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.types import ASGIApp, Receive, Scope, Send

from portal.aio import AsyncStatements
from portal.lookup import (
    LookupView,
    limited_lookup,
    limited_lookup_async,
    render_found,
    render_not_found,
    render_rate_limited,
)
from portal.openapi import BUSY
from portal.ratelimit import TokenBucketLimiter
from portal.web import database_busy_response, get_db
from protocol import CODE_PARAM, KEY_PARAM, LOOKUP_PATH

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


def _answer(wait: float, view: LookupView | None) -> HTMLResponse:
    if wait > 0:
        return _html(render_rate_limited(wait), 429, {"Retry-After": str(math.ceil(wait))})
    if view is None:
        return _html(render_not_found(), 404)
    return _html(render_found(view))


@public.get(
    LOOKUP_PATH,
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
        **BUSY,
    },
)
def lookup_page(
    request: Request,
    code: Annotated[str | None, Query(alias=CODE_PARAM, description="The dossier code.")] = None,
    key: Annotated[
        str | None, Query(alias=KEY_PARAM, description="The lookup key printed on the receipt.")
    ] = None,
) -> HTMLResponse:
    limiter: TokenBucketLimiter = request.app.state.limiter
    client = request.client.host if request.client else "-"
    code, key = (code or "").strip(), (key or "").strip()
    return _answer(*limited_lookup(get_db(request), limiter, client, code, key))


class LookupPage:
    """``GET /tra-cuu`` answered before the routing, as ``lookup_page`` would answer it; every
    other request passed on. ``statements``: the database's, awaited on the event loop
    (PostgreSQL); None runs ``limited_lookup`` on a thread (SQLite)."""

    def __init__(self, app: ASGIApp, statements: AsyncStatements | None) -> None:
        self.app = app
        self.statements = statements
        self.route = next(r for r in public.routes if getattr(r, "path", "") == LOOKUP_PATH)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != LOOKUP_PATH or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        scope["route"] = self.route  # for the access log and the metrics
        # As the route's parameters are read: the last of a repeated one.
        query = dict(parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True))
        code = query.get(CODE_PARAM, "").strip()
        key = query.get(KEY_PARAM, "").strip()
        client = scope["client"][0] if scope.get("client") else "-"
        app: Any = scope["app"]
        limiter: TokenBucketLimiter = app.state.limiter
        response: Any
        try:
            if self.statements is not None and limiter.enabled:
                found = await limited_lookup_async(self.statements, limiter, client, code, key)
            else:
                db = app.state.db
                found = await anyio.to_thread.run_sync(
                    limited_lookup, db, limiter, client, code, key
                )
            response = _answer(*found)
        except (OperationalError, PoolTimeoutError) as exc:
            response = database_busy_response(exc)
        await response(scope, receive, send)
