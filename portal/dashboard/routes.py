"""The dashboard's pages under ``/quan-ly``: sign-in, the figures, a dossier, the exports.

Nothing here answers without a session: a request without one is sent to the sign-in page.
The session cookie is HttpOnly and SameSite=Strict, and every form carries a token derived
from the session (or, for the sign-in form, from a cookie of its own) that a POST must give
back. An official of one commune sees that commune only: another's dossier is "not found"
and another's figures are refused.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from portal import officials
from portal.dashboard import export, figures, render
from portal.db import Database
from portal.dossiers import dossier_detail
from portal.errors import PortalError
from portal.files import file_rows
from portal.models import Agency
from portal.web import get_db
from protocol import CLOSED_STATUSES, now_vn, parse_datetime

PREFIX = "/quan-ly"
SESSION_COOKIE = "portal_official"
SIGNIN_COOKIE = "portal_signin"
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
}

dashboard_router = APIRouter(include_in_schema=False)


def _key(request: Request) -> bytes:
    key: bytes | None = getattr(request.app.state, "signing_key", None)
    if key is None:
        key = officials.signing_key(get_db(request))
        request.app.state.signing_key = key
    return key


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=_HEADERS)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.app.state.settings.public_url.startswith(
        "https:"
    )


def _signed_in(request: Request) -> officials.SignedIn | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    session_id = officials.unsign(_key(request), "session", cookie) if cookie else None
    if session_id is None:
        return None
    with get_db(request).read() as session:
        return officials.load_session(session, session_id, now_vn())


def _csrf(request: Request, who: officials.SignedIn) -> str:
    return officials.sign(_key(request), "csrf", who.session_id).rpartition(".")[2]


def _to_signin(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"{PREFIX}/dang-nhap?tiep={quote(target)}", status_code=303)


def _safe_next(target: str) -> str:
    """Where to go after signing in: a dashboard page of this portal, nothing else."""
    if target.startswith(PREFIX) and not target.startswith("//") and "\\" not in target:
        return target
    return PREFIX


async def _form(request: Request) -> dict[str, str]:
    body = (await request.body())[:10_000].decode("utf-8", "replace")
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


# -- signing in and out ----------------------------------------------------------------------


def _signin_page(request: Request, error: str = "", username: str = "", status: int = 200) -> Any:
    import secrets

    nonce = secrets.token_urlsafe(24)
    token = officials.sign(_key(request), "signin", nonce).rpartition(".")[2]
    response = _html(
        render.page(
            "signin.html",
            error=error,
            username=username,
            token=token,
            next=_safe_next(request.query_params.get("tiep", PREFIX)),
        ),
        status,
    )
    response.set_cookie(
        SIGNIN_COOKIE,
        nonce,
        max_age=3600,
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    return response


def signin_form(request: Request) -> Response:
    if _signed_in(request) is not None:
        return RedirectResponse(PREFIX, status_code=303)
    return _signin_page(request)


async def signin_submit(request: Request) -> Response:
    form = await _form(request)
    nonce = request.cookies.get(SIGNIN_COOKIE, "")
    expected = officials.sign(_key(request), "signin", nonce).rpartition(".")[2]
    if not nonce or not _same(form.get("csrf", ""), expected):
        return _html(render.page("refused.html", reason="csrf"), 403)
    username = form.get("username", "")
    try:
        session_id = await run_in_threadpool(
            officials.sign_in, get_db(request), username, form.get("password", ""), now_vn()
        )
    except officials.SignInRefused as refused:
        return _signin_page(request, refused.message_vi, username[:64], 401)
    response = RedirectResponse(_safe_next(form.get("next", PREFIX)), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        officials.sign(_key(request), "session", session_id),
        max_age=int(officials.SESSION_LIFETIME.total_seconds()),
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    response.delete_cookie(SIGNIN_COOKIE, path=PREFIX)
    return response


def _same(a: str, b: str) -> bool:
    import hmac

    return hmac.compare_digest(a.encode(), b.encode())


async def signout(request: Request) -> Response:
    form = await _form(request)
    who = await run_in_threadpool(_signed_in, request)
    if who is not None:
        if not _same(form.get("csrf", ""), _csrf(request, who)):
            return _html(render.page("refused.html", reason="csrf"), 403)
        db: Database = get_db(request)

        def end() -> None:
            with db.write() as session:
                officials.sign_out(session, who.session_id, now_vn())

        await run_in_threadpool(end)
    response = RedirectResponse(f"{PREFIX}/dang-nhap", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=PREFIX)
    return response


# -- the figures ------------------------------------------------------------------------------


class _Refused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        self.status, self.reason = status, reason


def _board(request: Request, who: officials.SignedIn) -> figures.Dashboard:
    now = now_vn()
    month = now.date().replace(day=1)
    match = _MONTH.fullmatch(request.query_params.get("thang", ""))
    if match and 1 <= int(match[2]) <= 12 and 1990 <= int(match[1]) <= 2199:
        month = date(int(match[1]), int(match[2]), 1)
    wanted = request.query_params.get("co-quan", "").strip()
    with get_db(request).read() as session:
        agency = None
        if who.agency_id is not None:
            if wanted and wanted != who.agency_code:
                raise _Refused(403, "scope")
            agency = session.get(Agency, who.agency_id)
        elif wanted:
            agency = session.scalar(select(Agency).where(Agency.code == wanted))
            if agency is None:
                raise _Refused(404, "agency")
        return figures.dashboard(session, month, now, agency)


def _agencies(request: Request, who: officials.SignedIn) -> list[tuple[str, str]]:
    if who.agency_id is not None:
        return []
    with get_db(request).read() as session:
        return [(a.code, a.name) for a in session.scalars(select(Agency).order_by(Agency.code))]


def home(request: Request) -> Response:
    who = _signed_in(request)
    if who is None:
        return _to_signin(request)
    try:
        board = _board(request, who)
    except _Refused as refused:
        return _html(render.page("refused.html", reason=refused.reason, who=who), refused.status)
    query = {"thang": f"{board.month:%Y-%m}"}
    if board.agency is not None and who.agency_id is None:
        query["co-quan"] = board.agency.code
    suffix = "&".join(f"{k}={quote(v)}" for k, v in query.items())
    return _html(
        render.page(
            "dashboard.html",
            who=who,
            board=board,
            csrf=_csrf(request, who),
            agencies=_agencies(request, who),
            chart=render.chart_svg(board.chart),
            months=[figures.add_months(board.today.replace(day=1), -i) for i in range(24)],
            query=suffix,
        )
    )


def _export(request: Request, kind: str) -> Response:
    who = _signed_in(request)
    if who is None:
        return _to_signin(request)
    try:
        board = _board(request, who)
    except _Refused as refused:
        return _html(render.page("refused.html", reason=refused.reason, who=who), refused.status)
    if kind == "csv":
        body, media = export.to_csv(board), "text/csv; charset=utf-8"
    else:
        body = export.to_xlsx(board)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = export.file_name(board, kind)
    return Response(
        body,
        media_type=media,
        headers={**_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'},
    )


def export_csv(request: Request) -> Response:
    return _export(request, "csv")


def export_xlsx(request: Request) -> Response:
    return _export(request, "xlsx")


def dossier_page(request: Request, code: str) -> Response:
    who = _signed_in(request)
    if who is None:
        return _to_signin(request)
    with get_db(request).read() as session:
        try:
            detail = dossier_detail(session, code, who.agency_id)
        except PortalError:
            return _html(render.page("refused.html", reason="dossier", who=who), 404)
        files = file_rows(session, code)
    due_at = parse_datetime(detail["due_at"])
    overdue = detail["status"] not in CLOSED_STATUSES and due_at < now_vn()
    return _html(
        render.page(
            "dossier.html",
            who=who,
            csrf=_csrf(request, who),
            d=detail,
            files=files,
            overdue=overdue,
        )
    )


def stylesheet(_request: Request) -> Response:
    css = (render.HERE / "static" / "dashboard.css").read_text(encoding="utf-8")
    return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})


dashboard_router.add_api_route(PREFIX, home, methods=["GET"])
dashboard_router.add_api_route(f"{PREFIX}/dang-nhap", signin_form, methods=["GET"])
dashboard_router.add_api_route(f"{PREFIX}/dang-nhap", signin_submit, methods=["POST"])
dashboard_router.add_api_route(f"{PREFIX}/dang-xuat", signout, methods=["POST"])
dashboard_router.add_api_route(f"{PREFIX}/ho-so/{{code}}", dossier_page, methods=["GET"])
dashboard_router.add_api_route(f"{PREFIX}/bang.csv", export_csv, methods=["GET"])
dashboard_router.add_api_route(f"{PREFIX}/bang.xlsx", export_xlsx, methods=["GET"])
dashboard_router.add_api_route(f"{PREFIX}/dashboard.css", stylesheet, methods=["GET"])
