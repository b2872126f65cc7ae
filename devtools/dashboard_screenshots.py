"""``python -m devtools.dashboard_screenshots [OUTDIR]``: pictures of the portal's dashboard.

Starts a reference portal on a temporary SQLite database, registers six communes of a
province with one to three counters each, and lets the counters push a year of invented
dossiers through the real API (each counter's own codes, the day of receipt in the code);
departments move them as ``set-status`` does, on the days they did it, and counters link
digitised files to most dossiers received on paper. Then headless Chromium (Debian's
``chromium`` and ``chromedriver``) signs a province official in and saves, at 1366x768, the
sign-in page, the dashboard of one commune (whole page) and an overdue dossier's page, by
default into docs/screenshots/portal/.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import random
import re
import select
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "mat-khau-demo-2026"  # noqa: S105 - the demo official of a throw-away database
COMMUNES = (
    ("000.00.31.H62", "UBND xã Bảo Hà", 3),
    ("000.00.32.H62", "UBND phường Cam Đường", 2),
    ("000.00.33.H62", "UBND xã Tân An", 2),
    ("000.00.34.H62", "UBND xã Mường Khương", 1),
    ("000.00.35.H62", "UBND xã Bát Xát", 2),
    ("000.00.36.H62", "UBND xã Hòa Bình", 1),
)
PROCEDURES = (
    ("1.001193", "Đăng ký khai sinh", 1),
    ("1.000894", "Đăng ký kết hôn", 3),
    ("2.000908", "Chứng thực bản sao từ bản chính", 1),
    ("1.004873", "Cấp giấy xác nhận tình trạng hôn nhân", 3),
    ("1.000656", "Đăng ký khai tử", 1),
)
NAMES = (
    "Nguyễn Thị Ánh Tuyết",
    "Trần Văn Bình",
    "Lê Thị Hồng Nhung",
    "Phạm Đức Anh",
    "Vũ Minh Châu",
)
DEPARTMENTS = ("Phòng Tư pháp", "Bộ phận Tư pháp - Hộ tịch", "Văn phòng UBND")


def _admin(db_url: str, *args: str, stdin: str | None = None) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "portal", "admin", "--db", db_url, *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout.strip()


def _serve(db_url: str, files: Path) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "portal", "serve", "--db", db_url, "--port", "0"]
    proc = subprocess.Popen(
        [*command, "--files", str(files), "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], 60)
    match = re.search(r"http://\S+", proc.stdout.readline() if ready else "")
    if match is None:
        proc.kill()
        raise RuntimeError("the portal did not start")
    return proc, match.group(0)


def _pdf() -> bytes:
    import pikepdf

    pdf = pikepdf.new()
    for _ in range(2):
        pdf.add_blank_page(page_size=(595, 842))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _entry(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    from protocol import new_key

    return {"key": new_key(), "kind": kind, "data": data}


def populate(db_url: str, url: str, now: datetime) -> list[str]:
    """A year of the communes' dossiers; the codes of some overdue ones."""
    from portal.db import Database
    from portal.dossiers import set_status
    from protocol import STATUS_CODES, format_datetime

    rng = random.Random(2026)
    pdf = _pdf()
    sha256 = hashlib.sha256(pdf).hexdigest()
    moves: list[tuple[datetime, str, str, str]] = []  # when, code, status, department
    returns: list[tuple[requests.Session, dict[str, Any]]] = []  # after the departments' moves
    overdue: list[str] = []
    with_file: set[str] = set()
    for agency, name, counters in COMMUNES:
        _admin(db_url, "add-agency", agency, name, "--parent-name", "UBND tỉnh Lào Cai")
        for counter_no in range(1, counters + 1):
            token = _admin(
                db_url, "add-counter", "--agency-code", agency, "--counter-no", str(counter_no)
            )
            http = requests.Session()
            http.headers["Authorization"] = f"Bearer {token}"
            http.put(
                f"{url}/api/v1/files/{sha256}",
                data=pdf,
                headers={"Content-Range": f"bytes 0-{len(pdf) - 1}/{len(pdf)}"},
                timeout=30,
            ).raise_for_status()
            entries, linked = [], []
            per_day: dict[Any, int] = {}
            for back in range(365, -1, -1):
                day = (now - timedelta(days=back)).date()
                if day.weekday() >= 5:
                    continue
                for _ in range(rng.randint(0, 4 + (365 - back) // 90)):
                    received = datetime.combine(day, datetime.min.time(), now.tzinfo)
                    received += timedelta(hours=7.5, minutes=rng.randrange(0, 540))
                    if received > now - timedelta(minutes=5):
                        continue
                    per_day[day] = per_day.get(day, 0) + 1
                    code = f"{agency}-{day:%y%m%d}-{counter_no * 1000 + per_day[day]:04d}"
                    procedure, title, days = rng.choice(PROCEDURES)
                    due = received + timedelta(days=days)
                    channel = rng.choices(("direct", "online", "postal"), (80, 15, 5))[0]
                    entries.append(
                        _entry(
                            "dossier",
                            {
                                "code": code,
                                "agency_code": agency,
                                "counter_no": counter_no,
                                "procedure_code": procedure,
                                "procedure_name": title,
                                "applicant": {"type": "citizen", "name": rng.choice(NAMES)},
                                "channel": channel,
                                "received_at": format_datetime(received),
                                "due_at": format_datetime(due),
                                "status": "received",
                                "status_code": STATUS_CODES["received"],
                                "lookup_key": "K7M3PQ",
                                "received_by": f"canbo{counter_no}",
                            },
                        )
                    )
                    if channel != "online" and rng.random() < 0.8:
                        linked.append((code, received))
                        with_file.add(code)
                    department = rng.choice(DEPARTMENTS)
                    handed = received + timedelta(minutes=rng.randint(30, 240))
                    if rng.random() < 0.85:  # most on time, some late
                        finished = handed + (due - handed) * rng.uniform(0.2, 0.95)
                    else:
                        finished = due + timedelta(hours=rng.randint(1, 72))
                    if finished < now:
                        moves += [(handed, code, "processing", department)]
                        moves += [(finished, code, "done", department)]
                        if finished + timedelta(days=1) < now and rng.random() < 0.9:
                            returned = finished + timedelta(hours=rng.randint(2, 40))
                            if returned < now:
                                returns.append((http, _entry("status", _status(code, returned))))
                    elif handed < now:
                        moves.append((handed, code, "processing", department))
                    if due < now and finished >= now:
                        overdue.append(code)
            for start in range(0, len(entries), 500):
                http.post(
                    f"{url}/api/v1/entries", json={"entries": entries[start : start + 500]}
                ).raise_for_status()
            for code, received in linked:
                http.post(
                    f"{url}/api/v1/dossiers/{code}/files",
                    json={
                        "doc": "TK",
                        "version": 1,
                        "sha256": sha256,
                        "pages": 2,
                        "bytes": len(pdf),
                        "source": "scan",
                        "by": f"canbo{counter_no}",
                        "at": format_datetime(received + timedelta(minutes=10)),
                    },
                    timeout=30,
                ).raise_for_status()
    # The departments' moves, each at its own moment, then the results handed back.
    db = Database(db_url)
    try:
        with db.write() as session:
            for when, code, status, department in sorted(moves):
                set_status(session, code, status, when, by=department)
    finally:
        db.dispose()
    for http, entry in returns:
        answer = http.post(f"{url}/api/v1/entries", json={"entries": [entry]}, timeout=30)
        assert answer.json()["counts"]["accepted"] == 1, answer.text
    return sorted(overdue, key=lambda code: code not in with_file)


def _status(code: str, at: datetime) -> dict[str, Any]:
    from protocol import STATUS_CODES, format_datetime

    return {
        "code": code,
        "status": "returned",
        "status_code": STATUS_CODES["returned"],
        "at": format_datetime(at),
        "by": "canbo1",
        "note": "",
    }


def shoot(url: str, out: Path, agency: str, code: str) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    os.environ.setdefault("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--window-size=1366,768", "--lang=vi"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    driver.implicitly_wait(30)
    try:
        driver.get(url + "/quan-ly")
        driver.save_screenshot(str(out / "01-dang-nhap.png"))
        driver.find_element(By.ID, "username").send_keys("tinh")
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        driver.find_element(By.ID, "dang-nhap").click()
        driver.find_element(By.ID, "dang-xuat")
        driver.save_screenshot(str(out / "02-toan-tinh.png"))
        driver.get(f"{url}/quan-ly?co-quan={agency}")
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1366, max(768, int(height)))
        driver.save_screenshot(str(out / "02-bang-theo-doi.png"))
        driver.set_window_size(1366, 768)
        driver.get(f"{url}/quan-ly/ho-so/{code}")
        driver.save_screenshot(str(out / "03-ho-so.png"))
    finally:
        driver.quit()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.dashboard_screenshots")
    parser.add_argument("outdir", nargs="?", default=str(ROOT / "docs/screenshots/portal"))
    args = parser.parse_args(argv)
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    from protocol import now_vn

    with tempfile.TemporaryDirectory(prefix="portal-screenshots-") as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'portal.db'}"
        _admin(db_url, "agencies")  # creates the database
        proc, url = _serve(db_url, Path(tmp) / "files")
        try:
            now = now_vn()
            overdue = populate(db_url, url, now)
            _admin(
                db_url,
                "add-official",
                "tinh",
                "--name",
                "Nguyễn Văn Tỉnh",
                "--password-stdin",
                stdin=PASSWORD + "\n",
            )
            agency = COMMUNES[0][0]
            code = next((c for c in overdue if c.startswith(agency)), overdue[0])
            shoot(url, out, agency, code)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print(f"screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
