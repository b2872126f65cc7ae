"""The public lookup page ``/tra-cuu?ma=CODE&k=KEY``: Vietnamese HTML for a phone.

It shows the procedure, the status, the due moment, the last update and a masked applicant
name, nothing else personal. Any failure (unknown code, wrong or missing key) gets one and the
same "not found" page, so the page cannot be used to learn which codes exist.
"""

from __future__ import annotations

import html
import math
from datetime import datetime
from functools import cache
from importlib.resources import files
from string import Template

from portal.dossiers import LookupView
from sync.wire import STATUS_LABELS_VI, VN_TZ

_STATUS_CLASS = {
    "done": "ok",
    "returned": "ok",
    "supplement_requested": "wait",
    "payment_requested": "wait",
    "rejected": "end",
    "withdrawn": "end",
    "stopped": "end",
}

# What the citizen should do next, for the statuses that ask something of them.
_HINTS = {
    "supplement_requested": "Hồ sơ cần bổ sung giấy tờ. Vui lòng liên hệ bộ phận tiếp nhận "
    "và trả kết quả để được hướng dẫn.",
    "payment_requested": "Vui lòng thực hiện nghĩa vụ tài chính theo hướng dẫn của cơ quan "
    "giải quyết.",
    "done": "Đã có kết quả. Vui lòng mang giấy tiếp nhận hồ sơ đến nhận kết quả.",
    "rejected": "Vui lòng liên hệ bộ phận tiếp nhận và trả kết quả để biết lý do.",
    "stopped": "Vui lòng liên hệ bộ phận tiếp nhận và trả kết quả để biết lý do.",
}


@cache
def _page() -> Template:
    return Template(files("portal").joinpath("templates/lookup.html").read_text(encoding="utf-8"))


def mask_name(name: str) -> str:
    """``Nguyễn Thị An`` -> ``Nguyễn T*** A***``: the family name, then initials only."""
    words = name.split()
    if not words:
        return "***"
    if len(words) == 1:
        return words[0][0] + "***"
    return " ".join([words[0], *(w[0] + "***" for w in words[1:])])


def format_moment(moment: datetime) -> str:
    local = moment.astimezone(VN_TZ)
    return f"{local:%H:%M}, ngày {local:%d/%m/%Y}"


def _render(title: str, content: str) -> str:
    return _page().substitute(title=html.escape(title), content=content)


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
        "hoặc liên hệ bộ phận tiếp nhận và trả kết quả.</p></div>"
    )
    return _render("Không tìm thấy hồ sơ", content)


def render_rate_limited(retry_after: float) -> str:
    seconds = max(1, math.ceil(retry_after))
    content = (
        '<div class="card"><h2>Quá nhiều lượt tra cứu</h2>\n'
        f"<p>Vui lòng thử lại sau khoảng {seconds} giây.</p></div>"
    )
    return _render("Quá nhiều lượt tra cứu", content)
