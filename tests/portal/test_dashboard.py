"""The provincial dashboard over HTTP against a real portal: signing in, the figures as
counters push them, the exports, and what each official may see."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from dashboard_testkit import (
    FIGURES,
    PASSWORD,
    a_pdf,
    entry,
    figures_of,
    form_token,
    link_file,
    month_of_test_day,
    new_official,
    push_month,
    received_now,
    run_admin_stdin,
    sign_in,
    signed_in,
    table,
)
from portal_testkit import (
    CounterClient,
    PortalServer,
    admin_ok,
    run_admin,
    unique_agency_code,
)

from protocol import now_vn

MONTH = month_of_test_day()


@pytest.mark.parametrize(
    "path", ["/quan-ly", "/quan-ly/ho-so/000.00.36.H62-261126-1001", "/quan-ly/bang.csv"]
)
def test_nothing_answers_without_a_session(server: PortalServer, path: str) -> None:
    answer = requests.get(server.url + path, allow_redirects=False, timeout=30)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/quan-ly/dang-nhap?tiep=")
    forged = requests.get(
        server.url + path,
        cookies={"portal_official": "abc.0123"},
        allow_redirects=False,
        timeout=30,
    )
    assert forged.status_code == 303


def test_sign_in_sets_a_strict_http_only_cookie_and_sign_out_ends_it(server: PortalServer) -> None:
    username = new_official(server.db_url)
    http, answer = sign_in(server.url, username)
    assert answer.status_code == 303 and answer.headers["location"] == "/quan-ly"
    cookie = next(c for c in answer.raw.headers.getlist("set-cookie") if "portal_official" in c)
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/quan-ly" in cookie
    page = http.get(server.url + "/quan-ly", timeout=30)
    assert page.status_code == 200
    assert "Lê Văn Giám" in page.text and "Toàn tỉnh" in page.text
    assert page.headers["cache-control"] == "no-store"
    stolen = dict(http.cookies)

    # Signing out needs the page's token, then the session is gone, even for a copy of it.
    refused = http.post(server.url + "/quan-ly/dang-xuat", data={}, allow_redirects=False)
    assert refused.status_code == 403
    assert http.get(server.url + "/quan-ly", allow_redirects=False).status_code == 200
    out = http.post(
        server.url + "/quan-ly/dang-xuat",
        data={"csrf": form_token(page.text)},
        allow_redirects=False,
        timeout=30,
    )
    assert out.status_code == 303
    again = requests.get(server.url + "/quan-ly", cookies=stolen, allow_redirects=False, timeout=30)
    assert again.status_code == 303


def test_a_wrong_password_and_an_unknown_name_get_the_same_words(server: PortalServer) -> None:
    username = new_official(server.db_url)
    _, wrong = sign_in(server.url, username, "khong-phai-mat-khau")
    _, unknown = sign_in(server.url, "khong-co-ai", PASSWORD)
    for answer in (wrong, unknown):
        assert answer.status_code == 401
        assert "Tên đăng nhập hoặc mật khẩu không đúng." in answer.text
        assert "portal_official" not in answer.headers.get("set-cookie", "")


def test_the_sign_in_form_needs_its_own_token(server: PortalServer) -> None:
    username = new_official(server.db_url)
    http = requests.Session()
    http.get(server.url + "/quan-ly/dang-nhap", timeout=30)
    forged = http.post(
        server.url + "/quan-ly/dang-nhap",
        data={"csrf": "0" * 64, "username": username, "password": PASSWORD},
        allow_redirects=False,
        timeout=30,
    )
    assert forged.status_code == 403
    # The token alone, without the cookie it was made for, is refused too.
    page = requests.get(server.url + "/quan-ly/dang-nhap", timeout=30)
    bare = requests.post(
        server.url + "/quan-ly/dang-nhap",
        data={"csrf": form_token(page.text), "username": username, "password": PASSWORD},
        allow_redirects=False,
        timeout=30,
    )
    assert bare.status_code == 403


def test_lockout_and_sessions_live_in_the_database(
    server: PortalServer, server_factory: Callable[..., PortalServer]
) -> None:
    """Five wrong passwords lock the name on every process of the portal, and a session
    made by one process is good on another (one database, one signing key)."""
    other = server_factory("--lookup-rate", "0", db_url=server.db_url)
    username = new_official(server.db_url)
    http = signed_in(server.url, username)
    assert http.get(other.url + "/quan-ly", allow_redirects=False).status_code == 200
    for _ in range(5):
        _, answer = sign_in(server.url, username, "sai-mat-khau-roi")
        assert answer.status_code == 401
    _, locked = sign_in(other.url, username)
    assert locked.status_code == 401
    assert "tạm khóa" in locked.text


def test_figures_follow_what_counters_push(
    server: PortalServer, new_counter: Callable[..., CounterClient]
) -> None:
    one = new_counter()
    two = new_counter(one.agency_code, counter_no=2)
    push_month(one, server.db_url)
    assert two.push_ok([entry("dossier", two.snapshot(1))])[0]["outcome"] == "accepted"
    http = signed_in(server.url, new_official(server.db_url))

    province = table(http, server.url, thang=MONTH)
    assert figures_of(province[one.agency_code]) == {
        "Tiếp nhận hôm nay": 0,
        "Tiếp nhận trong tháng": 5,
        "Đang giải quyết": 1,
        "Quá hạn": 2,
        "Xong đúng hạn": 1,
        "Xong quá hạn": 1,
        "Đã trả kết quả": 1,
    }
    counters = table(http, server.url, thang=MONTH, **{"co-quan": one.agency_code})
    assert set(counters) == {"Quầy số 1", "Quầy số 2", "total"}
    assert figures_of(counters["Quầy số 1"])["Quá hạn"] == 1
    assert figures_of(counters["Quầy số 2"]) == {
        "Tiếp nhận hôm nay": 0,
        "Tiếp nhận trong tháng": 1,
        "Đang giải quyết": 0,
        "Quá hạn": 1,
        "Xong đúng hạn": 0,
        "Xong quá hạn": 0,
        "Đã trả kết quả": 0,
    }
    assert figures_of(counters["total"]) == figures_of(province[one.agency_code])

    # The page shows the same, with its overdue list linking to the dossiers.
    page = http.get(
        server.url + "/quan-ly", params={"thang": MONTH, "co-quan": one.agency_code}, timeout=30
    )
    assert page.status_code == 200
    assert f'href="/quan-ly/ho-so/{one.code(1)}"' in page.text
    assert f'href="/quan-ly/ho-so/{two.code(1)}"' in page.text
    assert f"/quan-ly/ho-so/{one.code(3)}" not in page.text  # not due yet
    assert "<svg" in page.text and "Quầy số 2" in page.text


def test_received_today(server: PortalServer, new_counter: Callable[..., CounterClient]) -> None:
    counter = new_counter()
    counter.push_ok([entry("dossier", received_now(counter, n)) for n in (1, 2)])
    http = signed_in(server.url, new_official(server.db_url))
    month = f"{now_vn():%Y-%m}"
    figures = figures_of(table(http, server.url, thang=month)[counter.agency_code])
    assert figures["Tiếp nhận hôm nay"] == 2
    assert figures["Tiếp nhận trong tháng"] == 2
    assert figures["Đang giải quyết"] == 2
    assert figures["Quá hạn"] == 0


def test_a_commune_official_sees_only_their_commune(
    server: PortalServer, new_counter: Callable[..., CounterClient]
) -> None:
    mine, theirs = new_counter(), new_counter()
    push_month(mine, server.db_url)
    push_month(theirs, server.db_url)
    http = signed_in(server.url, new_official(server.db_url, mine.agency_code))
    page = http.get(server.url + "/quan-ly", params={"thang": MONTH}, timeout=30)
    assert page.status_code == 200
    assert mine.code(1) in page.text and theirs.code(1) not in page.text
    assert set(table(http, server.url, thang=MONTH)) == {"Quầy số 1", "total"}
    other = {"thang": MONTH, "co-quan": theirs.agency_code}
    assert http.get(server.url + "/quan-ly", params=other, timeout=30).status_code == 403
    assert http.get(server.url + "/quan-ly/bang.csv", params=other, timeout=30).status_code == 403
    assert http.get(server.url + f"/quan-ly/ho-so/{theirs.code(1)}", timeout=30).status_code == 404
    assert http.get(server.url + f"/quan-ly/ho-so/{mine.code(1)}", timeout=30).status_code == 200


def test_the_dossier_page_shows_its_history(
    server: PortalServer, new_counter: Callable[..., CounterClient]
) -> None:
    counter = new_counter()
    codes = push_month(counter, server.db_url)
    justice = unique_agency_code()
    admin_ok(server.db_url, "add-agency", justice, "Phòng Tư pháp xã Tân An")
    admin_ok(server.db_url, "handover", codes[1], "--to", justice, "--by", "Trần Thị Giao")
    http = signed_in(server.url, new_official(server.db_url))
    page = http.get(server.url + f"/quan-ly/ho-so/{codes[1]}", timeout=30)
    assert page.status_code == 200
    text = page.text
    for words in ("Đăng ký khai sinh", "Phòng Tư pháp", "Đã xử lý xong", "Đã trả kết quả"):
        assert words in text
    assert f"Phòng Tư pháp xã Tân An ({justice})" in text and "Trần Thị Giao" in text
    assert "26/11/2026" in text
    missing = http.get(server.url + "/quan-ly/ho-so/000.00.36.H62-261126-9999", timeout=30)
    assert missing.status_code == 404
    assert "Không tìm thấy hồ sơ" in missing.text


def test_the_excel_export_has_the_same_figures(
    server: PortalServer, new_counter: Callable[..., CounterClient]
) -> None:
    from openpyxl import load_workbook

    counter = new_counter()
    push_month(counter, server.db_url)
    http = signed_in(server.url, new_official(server.db_url, counter.agency_code))
    answer = http.get(server.url + "/quan-ly/bang.xlsx", params={"thang": MONTH}, timeout=30)
    assert answer.status_code == 200
    assert "attachment" in answer.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = rows[0]
    line = dict(zip(header, rows[1], strict=True))
    assert line["Cơ quan / quầy"] == "Quầy số 1"
    assert line["Tiếp nhận trong tháng"] == 4
    assert line["Quá hạn"] == 1
    csv_line = table(http, server.url, thang=MONTH)["Quầy số 1"]
    assert {name: line[name] for name in FIGURES} == figures_of(csv_line)


def test_counting_again_gives_the_same_figures(
    server: PortalServer, new_counter: Callable[..., CounterClient]
) -> None:
    counter = new_counter()
    push_month(counter, server.db_url)
    http = signed_in(server.url, new_official(server.db_url))
    before = table(http, server.url, thang=MONTH)
    admin_ok(server.db_url, "rebuild-counts")
    after = table(http, server.url, thang=MONTH)
    assert after[counter.agency_code] == before[counter.agency_code]
    assert after["total"] == before["total"]


def test_add_official_refuses_bad_input(server: PortalServer) -> None:
    username = new_official(server.db_url)

    cases = [
        (username, PASSWORD, []),  # exists
        ("Có Dấu", PASSWORD, []),
        ("ngan", "ngan", []),
        ("xa-khong-co", PASSWORD, ["--agency", "000.99.99.H62"]),
    ]
    for name, password, extra in cases:
        status, _, err = run_admin_stdin(
            server.db_url,
            password + "\n",
            "add-official",
            name,
            "--name",
            "Ai Đó",
            "--password-stdin",
            *extra,
        )
        assert status == 1 and err.startswith("error: "), (name, err)
    status, out, _ = run_admin(server.db_url, "--json", "officials")
    assert status == 0 and username in out


def test_the_digitisation_rate_counts_dossiers_on_paper_with_a_file(
    server_factory: Callable[..., PortalServer], tmp_path: Path
) -> None:
    portal = server_factory("--files", str(tmp_path / "files"))
    agency = unique_agency_code()
    admin_ok(portal.db_url, "add-agency", agency, "UBND xã Bình An")
    token = admin_ok(
        portal.db_url, "add-counter", "--agency-code", agency, "--counter-no", "1"
    ).strip()
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    counter = CounterClient(portal, agency, 1, token, http)
    online = counter.snapshot(3, channel="online")
    counter.push_ok(
        [
            entry("dossier", counter.snapshot(1)),
            entry("dossier", counter.snapshot(2, channel="postal")),
            entry("dossier", online),
        ]
    )
    content = a_pdf()
    link_file(counter, counter.code(1), "TK", content)
    link_file(counter, counter.code(1), "GCS", content)  # a second paper: still one dossier
    link_file(counter, counter.code(3), "TK", content)  # online: not counted
    official = signed_in(portal.url, new_official(portal.db_url, agency))
    line = table(official, portal.url, thang=MONTH)["Quầy số 1"]
    assert (line["Tiếp nhận trực tiếp, bưu chính"], line["Đã số hóa"]) == ("2", "1")
    assert line["Tỷ lệ số hóa"] == "0.5"
    page = official.get(portal.url + "/quan-ly", params={"thang": MONTH}, timeout=30)
    assert "50,0 %" in page.text
    files = official.get(portal.url + f"/quan-ly/ho-so/{counter.code(1)}", timeout=30)
    assert "Tệp số hóa (2)" in files.text and "GCS" in files.text

    admin_ok(portal.db_url, "rebuild-counts")
    again = table(official, portal.url, thang=MONTH)["Quầy số 1"]
    assert again == line
