"""The operators' routes: ``/healthz`` (is the database there, at this portal's schema?) and
``/metrics`` (Prometheus), outside the published API. docs/operations.md."""

from __future__ import annotations

import hmac
import ipaddress

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.exc import SQLAlchemyError

from portal import metrics
from portal.db import head_revision
from portal.web import get_db, get_settings, json_response

ops = APIRouter(include_in_schema=False)


@ops.get("/healthz")
def healthz(request: Request) -> Response:
    """200 when the database answers and is at the schema this portal needs; 503 and why
    otherwise (a load balancer takes the worker out)."""
    head = head_revision()
    try:
        revision = get_db(request).schema_revision()
    except SQLAlchemyError as exc:
        cause = type(getattr(exc, "orig", None) or exc).__name__
        return _unavailable(f"database unreachable ({cause})")
    if revision != head:
        return _unavailable(f"database schema at {revision or 'none'}, this portal needs {head}")
    return json_response({"status": "ok", "database": "ok", "schema": revision})


def _unavailable(reason: str) -> Response:
    return json_response({"status": "unavailable", "reason": reason}, 503, {"Retry-After": "5"})


@ops.get("/metrics")
def prometheus(request: Request) -> Response:
    """The metrics, to a scraper on this machine (loopback), or with ``serve --metrics-token``
    to one that sends ``Authorization: Bearer <token>`` (and only to it)."""
    token = get_settings(request).metrics_token
    if token:
        sent = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        allowed = hmac.compare_digest(sent.encode(), token.encode())
    else:
        allowed = _loopback(request.client.host if request.client else "")
    if not allowed:
        return json_response(
            {
                "error": {
                    "code": "forbidden",
                    "message": "Chỉ máy chủ này (hoặc ai có mã --metrics-token) xem được số đo.",
                    "message_en": "Metrics are for this machine (or the --metrics-token) only.",
                }
            },
            403,
        )
    return Response(metrics.exposition(), media_type=metrics.CONTENT_TYPE)


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
