"""Helpers for the dashboard's tests: officials, signing in over HTTP, the figures as CSV."""

from __future__ import annotations

import csv
import io
import itertools
import re
import uuid
from datetime import timedelta
from typing import Any

import requests
from portal_testkit import CounterClient, admin_ok, run_admin

import protocol

PASSWORD = "mat-khau-giam-sat-2026"
_names = itertools.count(1)


def new_official(db_url: str, agency_code: str | None = None, name: str = "Lê Văn Giám") -> str:
    """A new official's username (of the province, or of ``agency_code``)."""
    username = f"giamsat{next(_names)}-{uuid.uuid4().hex[:6]}"
    args = ["add-official", username, "--name", name, "--password-stdin"]
    if agency_code:
        args += ["--agency", agency_code]
    status, _, err = run_admin_stdin(db_url, PASSWORD + "\n", *args)
    assert status == 0, err
    return username


def run_admin_stdin(db_url: str, stdin: str, *args: str) -> tuple[int, str, str]:
    import sys

    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        return run_admin(db_url, *args)
    finally:
        sys.stdin = saved


def form_token(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, html[:500]
    return match.group(1)


def sign_in(
    base_url: str, username: str, password: str = PASSWORD, http: requests.Session | None = None
) -> tuple[requests.Session, requests.Response]:
    """Through the form, as a browser does: (the session, the answer to the POST)."""
    http = http or requests.Session()
    page = http.get(f"{base_url}/quan-ly/dang-nhap", timeout=30)
    assert page.status_code == 200, page.text
    answer = http.post(
        f"{base_url}/quan-ly/dang-nhap",
        data={"csrf": form_token(page.text), "username": username, "password": password},
        allow_redirects=False,
        timeout=30,
    )
    return http, answer


def signed_in(base_url: str, username: str) -> requests.Session:
    http, answer = sign_in(base_url, username)
    assert answer.status_code == 303, answer.text
    return http


def table(http: requests.Session, base_url: str, **params: str) -> dict[str, dict[str, str]]:
    """The dashboard's table as its CSV export: a row per agency code (per counter label when
    one agency is shown), and ``total``."""
    answer = http.get(f"{base_url}/quan-ly/bang.csv", params=params, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    header, *lines = rows
    out: dict[str, dict[str, str]] = {}
    for line in lines[:-1]:
        record = dict(zip(header, line, strict=True))
        label = record["Cơ quan / quầy"]
        out[label if label.startswith("Quầy số ") else record["Mã cơ quan"]] = record
    out["total"] = dict(zip(header, lines[-1], strict=True))
    return out


FIGURES = (
    "Tiếp nhận hôm nay",
    "Tiếp nhận trong tháng",
    "Đang giải quyết",
    "Quá hạn",
    "Xong đúng hạn",
    "Xong quá hạn",
    "Đã trả kết quả",
)


def figures_of(record: dict[str, str]) -> dict[str, int]:
    return {name: int(record[name]) for name in FIGURES}


def entry(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"key": protocol.new_key(), "kind": kind, "data": data}


def status(code: str, target: str, at: str) -> dict[str, Any]:
    return entry(
        "status",
        {
            "code": code,
            "status": target,
            "status_code": protocol.STATUS_CODES[target],
            "at": at,
            "by": "canbo1",
            "note": "",
        },
    )


def received_now(counter: CounterClient, n: int) -> dict[str, Any]:
    """The counter's n-th dossier of today (received a few minutes ago)."""
    now = protocol.now_vn()
    # a few minutes ago, but today still (the figure is "received today")
    moment = max(now - timedelta(minutes=5), now.replace(hour=0, minute=0, second=1))
    number = counter.counter_no * 1000 + 500 + n
    return counter.snapshot(
        1,
        code=f"{counter.agency_code}-{moment:%y%m%d}-{number:04d}",
        received_at=moment.isoformat(),
        due_at=(moment + timedelta(days=30)).isoformat(),
    )


def month_of_test_day() -> str:
    from portal_testkit import TEST_DAY

    return f"{TEST_DAY:%Y-%m}"


def push_month(counter: CounterClient, db_url: str) -> list[str]:
    """Four dossiers of TEST_DAY's month at ``counter``: one overdue, one done late and
    returned, one still in time, one done on time. Their codes, in that order."""
    codes = [counter.code(n) for n in range(1, 5)]
    in_time = counter.snapshot(3, due_at="2199-01-10T08:30:00+07:00")
    entries = [
        entry("dossier", counter.snapshot(1)),
        entry("dossier", counter.snapshot(2)),
        entry("dossier", in_time),
        entry("dossier", counter.snapshot(4)),
        # received 08:30, due the next day 08:30: done at 10:00 the same day is on time
        status(codes[3], "done", counter.snapshot(4)["received_at"].replace("08:30", "10:00")),
    ]
    results = counter.push_ok(entries)
    assert {r["outcome"] for r in results} == {"accepted"}, results
    admin_ok(db_url, "set-status", codes[1], "processing", "--by", "Phòng Tư pháp")
    admin_ok(db_url, "set-status", codes[1], "done", "--by", "Phòng Tư pháp")
    now = protocol.format_datetime(protocol.now_vn())
    results = counter.push_ok([status(codes[1], "returned", now)])
    assert results[0]["outcome"] == "accepted", results
    return codes


def a_pdf() -> bytes:
    """A real one-page PDF."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def link_file(counter: CounterClient, code: str, doc: str, content: bytes) -> None:
    """Upload ``content`` (once per agency) and link it to ``doc`` of dossier ``code``, as a
    counter's sync does."""
    import hashlib

    sha256 = hashlib.sha256(content).hexdigest()
    put = counter.http.put(
        f"{counter.api}/files/{sha256}",
        data=content,
        headers={"Content-Range": f"bytes 0-{len(content) - 1}/{len(content)}"},
        timeout=30,
    )
    assert put.status_code in (200, 201), put.text
    link = counter.http.post(
        f"{counter.api}/dossiers/{code}/files",
        json={
            "doc": doc,
            "version": 1,
            "sha256": sha256,
            "pages": 1,
            "bytes": len(content),
            "source": "scan",
            "by": "canbo1",
            "at": protocol.format_datetime(protocol.now_vn()),
        },
        timeout=30,
    )
    assert link.status_code in (200, 201), link.text
