"""The HTTP plumbing shared by the sync API and the public page.

JSON answers, the calling counter from its bearer token, one access-log line (and the request
metrics) per request, and every failure turned into JSON ``{"error": {"code", "message",
"message_en"}}``: bad input never causes a 5xx.
"""

from __future__ import annotations

import logging
import time
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal import metrics
from portal.agencies import CounterIdentity, authenticate
from portal.config import Settings
from portal.db import Database
from portal.errors import PortalError
from protocol import JSON_MEDIA_TYPE, dumps, printable

log = logging.getLogger("portal.api")
access_log = logging.getLogger("portal.access")


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(dumps(body), status_code=status, media_type=JSON_MEDIA_TYPE, headers=headers)


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
        raise PortalError(
            "unauthorized",
            "Thiếu mã xác thực của quầy hoặc mã không đúng (tiêu đề Authorization: Bearer ...).",
            "Missing or invalid counter token (header Authorization: Bearer ...).",
            http_status=401,
            headers={"WWW-Authenticate": 'Bearer realm="portal"'},
        )
    request.state.agency = who.agency_code  # for the access log
    request.state.counter_no = who.counter_no
    return who


CallingCounter = Annotated[CounterIdentity, Depends(current_counter)]


class AccessLogMiddleware:
    """One INFO line per request (method, route template, status, time, the counter if one
    called), the request metrics, and safe headers.

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
        state = scope.setdefault("state", {})  # the request's state: the caller, if known

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
            seconds = time.perf_counter() - start
            method = str(scope.get("method", "-"))
            matched = scope.get("route")
            route = str(getattr(matched, "path", "")) or metrics.UNMATCHED
            metrics.REQUESTS.labels(method, route, str(status)).inc()
            metrics.LATENCY.labels(route).observe(seconds)
            fields: dict[str, Any] = {
                "method": method,
                "route": route,
                "status": status,
                "duration_ms": round(seconds * 1000, 1),
            }
            if "agency" in state:
                fields["agency"] = state["agency"]
                fields["counter"] = state.get("counter_no")
            access_log.info(
                "%s %s %d %.1f ms",
                method,
                route if matched is not None else printable(scope.get("path", "-"), 200),
                status,
                seconds * 1000,
                extra={"fields": fields},
            )


def database_busy_response(exc: Exception) -> Response:
    """The answer when the database is unreachable or its connections all taken: 503."""
    log.warning("database unavailable: %s", type(exc).__name__)
    log.debug("database error", exc_info=exc)
    return json_response(
        PortalError(
            "service_unavailable",
            "Cổng đang bận hoặc không truy cập được cơ sở dữ liệu; vui lòng thử lại sau.",
            "The portal is busy or cannot reach its database; try again later.",
        ).as_json(),
        503,
        {"Retry-After": "5"},
    )


def install_error_handlers(app: FastAPI) -> None:
    async def portal_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PortalError)
        return json_response(exc.as_json(), exc.http_status, exc.headers)

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
        return json_response(
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
        return json_response(body.as_json(), exc.status_code, dict(exc.headers or {}))

    async def database_busy(_request: Request, exc: Exception) -> Response:
        return database_busy_response(exc)

    async def bug(_request: Request, exc: Exception) -> Response:
        log.error("unexpected error", exc_info=exc)
        return json_response(
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
