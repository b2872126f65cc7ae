"""The public lookup page ``/tra-cuu?ma=CODE&k=KEY``: the dossier found, as HTML for a phone.

The key is kept only as a hash and compared in constant time, and a code that exists costs
the same work as one that does not (one query by code that always answers one row, then one
comparison, against a dummy hash when there is no such dossier): neither the answer nor its
timing tells which codes exist. That one query also brings what the page shows, but only for the
key's own hash (for any other, nothing more is read and the row is the same: the hash and
nulls), so a lookup is one round trip to the database. The page shows the procedure,
the status, the due moment, the last update and a masked applicant name, nothing else
personal. Any failure (unknown code, wrong or missing key) gets one and the same "not found"
page, so the page cannot be used to learn which codes exist.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import math
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib.resources import files
from typing import Any

from sqlalchemy import Select, and_, bindparam, case, func, literal, select

from portal.aio import AsyncStatements
from portal.db import Database
from portal.models import Agency, Change, Dossier
from portal.ratelimit import TokenBucketLimiter
from protocol import STATUS_LABELS_VI, VN_TZ, is_dossier_code, mask_name

_DUMMY_LOOKUP_HASH = hashlib.sha256(b"no such dossier").hexdigest()


def lookup_key_hash(code: str, key: str) -> str:
    """Keys are compared without regard to case: a citizen may type one from paper."""
    return hashlib.sha256(f"{code}:{key.upper()}".encode()).hexdigest()


@dataclass(frozen=True)
class LookupView:
    """What the public lookup page may show: nothing personal beyond the masked name."""

    code: str
    agency_name: str
    procedure_name: str
    status: str
    due_at: datetime
    last_update: datetime
    applicant_name: str  # masked by the page, never shown whole


def _lookup_statement(limiter: TokenBucketLimiter | None = None) -> Select[Any]:
    """Parameters ``code`` and ``hash`` (the hash of the key given); always one row.

    With ``limiter``, its take comes first in the same statement (its parameters too): the
    row begins with the bucket's ``tokens`` and ``allowed``, and the dossier is looked for
    only if a token was taken.
    """
    given = Dossier.lookup_key_hash == bindparam("hash", type_=Dossier.lookup_key_hash.type)
    agency = select(Agency.name).where(Agency.id == Dossier.agency_id).scalar_subquery()
    last = (
        select(Change.at)
        .where(Change.dossier_id == Dossier.id)
        .order_by(Change.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    shown = (
        Dossier.code,
        Dossier.procedure_name,
        Dossier.status,
        Dossier.due_at,
        Dossier.updated_at,
        Dossier.applicant_name,
        agency,
        last,
    )
    columns = (
        func.coalesce(Dossier.lookup_key_hash, _DUMMY_LOOKUP_HASH),
        *(case((given, column)) for column in shown),
    )
    by_code = Dossier.code == bindparam("code", type_=Dossier.code.type)
    if limiter is None:
        one_row = select(literal(1).label("one")).subquery()
        return select(*columns).select_from(one_row).outerjoin(Dossier, by_code)
    take = limiter.statement.cte("take")
    return (
        select(take.c.tokens, take.c.allowed, *columns)
        .select_from(take)
        .outerjoin(Dossier, and_(take.c.allowed, by_code))
    )


_LOOKUP = _lookup_statement()


def _valid(code: str, key: str) -> bool:
    return is_dossier_code(code) and 0 < len(key) <= 64


def lookup(db: Database, code: str, key: str) -> LookupView | None:
    """The dossier if the code exists and the key matches it; None otherwise, alike."""
    if not _valid(code, key):
        return None
    given = lookup_key_hash(code, key)
    [row] = db.one_statement(_LOOKUP, {"code": code, "hash": given})
    return _view(given, *row)


def limited_lookup(
    db: Database, limiter: TokenBucketLimiter, client: str, code: str, key: str
) -> tuple[float, LookupView | None]:
    """``client``'s take from ``limiter``, then, if it got a token, ``lookup``: the seconds to
    wait (0.0 when allowed) and the dossier. On PostgreSQL that is one statement, one round
    trip: the take in a ``WITH``, the lookup on the row it returns."""
    if db.is_sqlite or not limiter.enabled or not _valid(code, key):
        wait = limiter.take(client)
        return wait, None if wait else lookup(db, code, key)
    given = lookup_key_hash(code, key)
    parameters = {**limiter.parameters(client), "code": code, "hash": given}
    [(tokens, allowed, *row)] = db.one_statement(_limited(limiter), parameters, write=True)
    wait = limiter.wait_after(tokens, allowed)
    return wait, None if wait else _view(given, *row)


async def limited_lookup_async(
    statements: AsyncStatements, limiter: TokenBucketLimiter, client: str, code: str, key: str
) -> tuple[float, LookupView | None]:
    """``limited_lookup`` on PostgreSQL with its limiter on, awaited on the event loop: the
    same statement, the same answer."""
    if limiter.forget_due():
        await statements.one(limiter.forget_statement, limiter.forget_parameters())
    if not _valid(code, key):
        [(tokens, allowed)] = await statements.one(limiter.statement, limiter.parameters(client))
        return limiter.wait_for(tokens, allowed), None
    given = lookup_key_hash(code, key)
    parameters = {**limiter.parameters(client), "code": code, "hash": given}
    [(tokens, allowed, *row)] = await statements.one(_limited(limiter), parameters)
    wait = limiter.wait_for(tokens, allowed)
    return wait, None if wait else _view(given, *row)


@cache
def _limited(limiter: TokenBucketLimiter) -> Select[Any]:
    return _lookup_statement(limiter)


def _view(
    given: str,
    expected: str,
    found: str | None,
    procedure: str,
    status: str,
    due_at: datetime,
    updated_at: datetime,
    name: str,
    agency: str | None,
    last: datetime | None,
) -> LookupView | None:
    if not hmac.compare_digest(given, expected) or found is None or agency is None:
        return None
    # Past this point the caller knew the key: the code's existence is no secret to them.
    return LookupView(
        code=found,
        agency_name=agency,
        procedure_name=procedure,
        status=status,
        due_at=due_at,
        last_update=last or updated_at,
        applicant_name=name,
    )


# -- the page ---------------------------------------------------------------------------------

_STATUS_CLASS = {
    "done": "ok",
    "returned": "ok",
    "supplement_requested": "wait",
    "payment_requested": "wait",
    "rejected": "end",
    "withdrawn": "end",
    "stopped": "end",
}

# What the citizen should do next, for the statuses that ask something of them. The office
# that received the dossier is named on the page ("Cơ quan tiếp nhận"); since 1 July 2025 it
# may be a commune's or a province's centre or a ministry's unit, so no kind is spelt here.
_HINTS = {
    "supplement_requested": "Hồ sơ cần bổ sung giấy tờ. Vui lòng liên hệ nơi đã tiếp nhận "
    "hồ sơ để được hướng dẫn.",
    "payment_requested": "Vui lòng thực hiện nghĩa vụ tài chính theo hướng dẫn của cơ quan "
    "giải quyết.",
    "done": "Đã có kết quả. Vui lòng mang giấy tiếp nhận hồ sơ đến nhận kết quả.",
    "rejected": "Vui lòng liên hệ nơi đã tiếp nhận hồ sơ để biết lý do.",
    "stopped": "Vui lòng liên hệ nơi đã tiếp nhận hồ sơ để biết lý do.",
}


@cache
def _page() -> tuple[str, str, str]:
    """The page around its title and its content, split once."""
    page = files("portal").joinpath("templates/lookup.html").read_text(encoding="utf-8")
    head, rest = page.split("$title")
    middle, tail = rest.split("$content")
    return head, middle, tail


def format_moment(moment: datetime) -> str:
    local = moment.astimezone(VN_TZ)
    return f"{local:%H:%M}, ngày {local:%d/%m/%Y}"


def _render(title: str, content: str) -> str:
    head, middle, tail = _page()
    return f"{head}{html.escape(title)}{middle}{content}{tail}"


def render_found(view: LookupView) -> str:
    e = html.escape
    css = _STATUS_CLASS.get(view.status, "")
    hint = f'<p class="hint">{e(_HINTS[view.status])}</p>' if view.status in _HINTS else ""
    content = (
        '<div class="card"><dl>\n'
        f"<dt>Mã hồ sơ</dt><dd>{e(view.code)}</dd>\n"
        f"<dt>Chủ hồ sơ</dt><dd>{e(mask_name(view.applicant_name))}</dd>\n"
        f"<dt>Thủ tục</dt><dd>{e(view.procedure_name)}</dd>\n"
        f"<dt>Cơ quan tiếp nhận</dt><dd>{e(view.agency_name)}</dd>\n"
        f'<dt>Trạng thái</dt><dd><span class="status {css}">'
        f"{e(STATUS_LABELS_VI[view.status])}</span>{hint}</dd>\n"
        f"<dt>Hẹn trả kết quả</dt><dd>{e(format_moment(view.due_at))}</dd>\n"
        f"<dt>Cập nhật lần cuối</dt><dd>{e(format_moment(view.last_update))}</dd>\n"
        "</dl></div>"
    )
    return _render(f"Hồ sơ {view.code}", content)


@cache
def render_not_found() -> str:
    content = (
        '<div class="card"><h2>Không tìm thấy hồ sơ</h2>\n'
        "<p>Không có hồ sơ nào khớp với mã hồ sơ và mã tra cứu này.</p>\n"
        "<p>Vui lòng kiểm tra lại theo giấy tiếp nhận hồ sơ và hẹn trả kết quả (quét lại mã QR), "
        "hoặc liên hệ nơi đã tiếp nhận hồ sơ.</p></div>"
    )
    return _render("Không tìm thấy hồ sơ", content)


def render_rate_limited(retry_after: float) -> str:
    seconds = max(1, math.ceil(retry_after))
    content = (
        '<div class="card"><h2>Quá nhiều lượt tra cứu</h2>\n'
        f"<p>Vui lòng thử lại sau khoảng {seconds} giây.</p></div>"
    )
    return _render("Quá nhiều lượt tra cứu", content)
