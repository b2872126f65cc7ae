"""The public routes: the lookup page that the QR code on a receipt opens."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from portal.lookup import limited_lookup, render_found, render_not_found, render_rate_limited
from portal.openapi import BUSY
from portal.ratelimit import TokenBucketLimiter
from portal.web import get_db
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
    wait, view = limited_lookup(get_db(request), limiter, client, code, key)
    if wait > 0:
        return _html(render_rate_limited(wait), 429, {"Retry-After": str(math.ceil(wait))})
    if view is None:
        return _html(render_not_found(), 404)
    return _html(render_found(view))
