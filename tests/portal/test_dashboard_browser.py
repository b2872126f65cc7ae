"""The dashboard in a real browser: Debian's chromium, headless, driven by selenium through
Debian's chromedriver (nothing is downloaded: the driver and the browser are given by path).

One official signs in through the form, reads the figures counters pushed through the real
API, follows an overdue dossier, exports the table as CSV and signs out; a commune's official
cannot see another commune, by the page or by typing its address.
"""

from __future__ import annotations

import csv
import io
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from dashboard_testkit import PASSWORD, month_of_test_day, new_official, push_month
from portal_testkit import CounterClient, PortalServer

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
MONTH = month_of_test_day()
WAIT = 30.0  # seconds a page may take to show what is looked for

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)",
)


@pytest.fixture
def browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    monkeypatch.setenv("SE_OFFLINE", "true")  # selenium manager never fetches anything
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1366,768",
        "--lang=vi",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(tmp_path / "downloads"),
            "download.prompt_for_download": False,
        },
    )
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.implicitly_wait(WAIT)
    try:
        yield driver
    finally:
        driver.quit()


def _sign_in(driver: Any, base_url: str, username: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(base_url + "/quan-ly")
    assert "/quan-ly/dang-nhap" in driver.current_url
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.ID, "dang-nhap").click()
    driver.find_element(By.ID, "dang-xuat")  # waits for the signed-in page


def _cells(driver: Any, selector: str) -> list[str]:
    from selenium.webdriver.common.by import By

    row = driver.find_element(By.CSS_SELECTOR, selector)
    return [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]


def _wait_for_file(folder: Path, pattern: str) -> Path:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = [p for p in folder.glob(pattern) if not p.name.endswith(".crdownload")]
        if found:
            return found[0]
        time.sleep(0.1)
    pytest.fail(f"no {pattern} in {folder}")


def test_an_official_reads_follows_exports_and_signs_out(
    browser: Any,
    server: PortalServer,
    new_counter: Callable[..., CounterClient],
    tmp_path: Path,
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    counter = new_counter()
    codes = push_month(counter, server.db_url)
    _sign_in(browser, server.url, new_official(server.db_url))

    # Choose the month and the commune with the page's own filters.
    Select(browser.find_element(By.ID, "thang")).select_by_value(MONTH)
    Select(browser.find_element(By.ID, "co-quan")).select_by_value(counter.agency_code)
    browser.find_element(By.ID, "xem").click()
    row = f'tr[data-code="{counter.agency_code}"][data-counter="1"]'
    cells = _cells(browser, row)
    # Counter, today, in the month, in progress, overdue, on time, late, returned, digitised.
    assert cells[1:8] == ["0", "4", "1", "1", "1", "1", "1"]
    assert "tháng " + MONTH[5:] + "/" + MONTH[:4] in browser.find_element(By.TAG_NAME, "h1").text

    browser.find_element(By.LINK_TEXT, codes[0]).click()
    assert browser.find_element(By.ID, "ma-ho-so").text == codes[0]
    assert "Quá hạn" in browser.find_element(By.ID, "trang-thai").text
    browser.back()

    browser.find_element(By.ID, "xuat-csv").click()
    exported = _wait_for_file(tmp_path / "downloads", "*.csv")
    lines = list(csv.reader(io.StringIO(exported.read_text(encoding="utf-8-sig"))))
    record = dict(zip(lines[0], lines[1], strict=True))
    assert record["Cơ quan / quầy"] == "Quầy số 1"
    assert (record["Tiếp nhận trong tháng"], record["Quá hạn"]) == ("4", "1")

    browser.find_element(By.ID, "dang-xuat").click()
    browser.find_element(By.ID, "dang-nhap")
    browser.get(server.url + f"/quan-ly/ho-so/{codes[0]}")
    assert "/quan-ly/dang-nhap" in browser.current_url


def test_a_commune_official_cannot_see_another_commune(
    browser: Any, server: PortalServer, new_counter: Callable[..., CounterClient]
) -> None:
    from selenium.webdriver.common.by import By

    mine, theirs = new_counter(), new_counter()
    push_month(mine, server.db_url)
    other_codes = push_month(theirs, server.db_url)
    _sign_in(browser, server.url, new_official(server.db_url, mine.agency_code))
    assert 'id="co-quan"' not in browser.page_source  # no choice of commune

    browser.get(server.url + f"/quan-ly?thang={MONTH}")
    assert mine.code(1) in browser.page_source
    assert theirs.code(1) not in browser.page_source
    browser.get(server.url + f"/quan-ly?thang={MONTH}&co-quan={theirs.agency_code}")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Không có quyền xem"
    browser.get(server.url + f"/quan-ly/ho-so/{other_codes[0]}")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Không tìm thấy hồ sơ"
