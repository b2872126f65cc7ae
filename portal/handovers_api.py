"""``POST /dossiers/{code}/handovers``: a processing system records a hand-over.

A processing system authenticates with a token of its own (``python -m portal admin
add-system NAME``), never a counter's: a counter's token is refused here, and a system's
token opens nothing else. docs/portal-protocol.md, "Hand-overs".
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from portal.api import _read_body, json_body
from portal.errors import PortalError
from portal.handovers import authenticate_system, parse_request, record_handover, touch_system
from portal.openapi import BUSY, answer, ref
from portal.web import get_db, json_response
from protocol import API_PREFIX, JSON_MEDIA_TYPE, now_vn, parse_datetime

handovers_router = APIRouter(prefix=API_PREFIX)

_system_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="SystemToken",
    description="A processing system's token, as printed by `python -m portal admin add-system`.",
)


def current_system(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_system_bearer)],
) -> str:
    """The calling processing system's name, from its bearer token; 401 otherwise."""
    name = None
    if credentials is not None:
        with get_db(request).read() as session:
            name = authenticate_system(session, credentials.credentials)
    if name is None:
        raise PortalError(
            "unauthorized",
            "Thiếu mã xác thực của hệ thống xử lý hoặc mã không đúng "
            "(tiêu đề Authorization: Bearer ...).",
            "Missing or invalid processing system token (header Authorization: Bearer ...).",
            http_status=401,
            headers={"WWW-Authenticate": 'Bearer realm="portal"'},
        )
    return name


CallingSystem = Annotated[str, Depends(current_system)]


@handovers_router.post(
    "/dossiers/{code}/handovers",
    tags=["processing"],
    summary="Record a hand-over of a dossier from one agency to another",
    description=(
        "For processing systems (their own token, `admin add-system`). `from` defaults to the "
        "dossier's current holder (the last hand-over's receiver, else the agency that received "
        "it), `at` to now. The same hand-over sent again (same agencies and time; without a "
        "time, a repeat of the last one) is answered 200 `duplicate`. The counters of the agency "
        "that received the dossier pull it from the change feed (kind `handover`)."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {JSON_MEDIA_TYPE: {"schema": ref("HandoverRequest")}},
        }
    },
    responses={
        200: answer("The same hand-over was recorded before.", "HandoverResponse"),
        201: answer("Recorded.", "HandoverResponse"),
        400: answer("The body is not JSON."),
        401: answer("Missing or invalid processing system token."),
        404: answer("No such dossier, or no such agency."),
        409: answer("That hand-over was recorded with another person or note."),
        413: answer("The body is over the limit."),
        422: answer("A field is missing or invalid, or the giver is the receiver."),
        **BUSY,
    },
)
async def post_handover(request: Request, system: CallingSystem, code: str) -> Response:
    raw = await _read_body(request, 16 * 1024)
    body = json_body(raw)
    data = parse_request(body)

    def work() -> dict[str, Any]:
        now = now_vn()
        with get_db(request).write() as session:
            done = record_handover(
                session,
                code,
                data["to"],
                data["by"],
                now,
                from_=data["from"] or None,
                at=parse_datetime(data["at"]) if data["at"] else None,
                note=data["note"] or "",
                recorded_by=system,
            )
            touch_system(session, system, now)
            return {"outcome": done.outcome, "code": code, "handover": done.handover}

    doc = await run_in_threadpool(work)
    return json_response(doc, 201 if doc["outcome"] == "accepted" else 200)
