"""Digitised pages: attached from files or scanned with SANE's real ``test`` device, stored
by hash, refused when bad with nothing changed, exported, checked, backed up and restored."""

from __future__ import annotations

import hashlib
import io
import json
import random
import shutil
import sqlite3
import stat
import time
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from counter.app import CounterApp
from counter.reports import DossierFilter
from tests.conftest import Cli
from tests.counter.test_cli import db_fingerprint, receive

needs_sane = pytest.mark.skipif(
    shutil.which("scanimage") is None,
    reason="SANE is not installed (no scanimage): apt-get install sane-utils, as .ci/run does",
)


def page(path: Path, fmt: str = "JPEG", size: tuple[int, int] = (300, 400), **kw) -> Path:
    """A greyscale page with something on it, at 200 dpi."""
    image = Image.new("L", size, 255)
    for y in range(20, size[1] - 20, 30):
        image.paste(0, (20, y, size[0] - 20, y + 4))
    image.save(path, fmt, dpi=(200, 200), **kw)
    return path


def pdf_pages(content: bytes) -> int:
    with pikepdf.open(io.BytesIO(content)) as pdf:
        return len(pdf.pages)


def stored(cli: Cli, sha256: str) -> Path:
    return cli.data_dir / "files" / sha256[:2] / sha256[2:4] / f"{sha256}.pdf"


def test_papers_attached_from_files_are_kept_by_hash_in_versions(cli: Cli, tmp_path: Path):
    code = receive(cli)["code"]
    jpeg = page(tmp_path / "to-khai.jpg")
    png = page(tmp_path / "trang-2.png", "PNG")
    tiff = tmp_path / "nhieu-trang.tiff"
    first = Image.open(page(tmp_path / "a.tif", "TIFF"))
    first.save(tiff, "TIFF", save_all=True, append_images=[first.copy(), first.copy()])

    one = cli.json("attach", code, "TK", str(jpeg), user="clerk")
    assert (one["doc"], one["version"], one["pages"], one["source"]) == ("TK", 1, 1, "file")
    content = stored(cli, one["sha256"]).read_bytes()
    assert hashlib.sha256(content).hexdigest() == one["sha256"] and len(content) == one["bytes"]
    # the JPEG is inside the PDF as it came, not decoded and encoded again
    assert jpeg.read_bytes() in content
    assert stat.S_IMODE(stored(cli, one["sha256"]).stat().st_mode) == 0o600

    # several files make one version, their pages in order; a re-scan adds a version
    two = cli.json("attach", code, "TK", str(png), str(tiff), str(jpeg), user="clerk")
    assert (two["version"], two["pages"]) == (2, 5)
    assert pdf_pages(stored(cli, two["sha256"]).read_bytes()) == 5
    assert stored(cli, one["sha256"]).read_bytes() == content  # the first one untouched
    # the same image attached again, a while later, makes the same PDF: one file, one hash
    time.sleep(1.1)  # img2pdf would otherwise date the PDF and give it a random identifier
    three = cli.json("attach", code, "GCS", str(jpeg), user="clerk")
    assert three["sha256"] == one["sha256"] and three["version"] == 1

    shown = cli.json("show", code)
    assert [(f["doc"], f["version"], f["pages"]) for f in shown["files"]] == [
        ("TK", 1, 1),
        ("TK", 2, 5),
        ("GCS", 1, 1),
    ]
    assert {"doc", "sha256", "pages", "bytes"} <= set(shown["files"][0])

    # every attach is in the audit trail, and waits in the outbox for the sync to send it
    conn = sqlite3.connect(cli.data_dir / "counter.db")
    try:
        audit = conn.execute("SELECT action FROM audit_log WHERE entity_key=?", (code,))
        actions = [r[0] for r in audit]
        held = conn.execute("SELECT kind, state, payload FROM outbox WHERE kind='file'").fetchall()
    finally:
        conn.close()
    assert actions.count("dossier.attach") == 3
    assert [(k, s) for k, s, _ in held] == [("file", "pending")] * 3
    assert json.loads(held[1][2])["sha256"] == two["sha256"]
    cli.ok("check")

    out = tmp_path / "out"
    out.mkdir()
    listed = cli.json("export-files", code, "-o", str(out))["files"]
    assert sorted(Path(p).name for p in listed) == ["GCS-v1.pdf", "TK-v1.pdf", "TK-v2.pdf"]
    assert (out / "TK-v1.pdf").read_bytes() == content
    again = cli.run("export-files", code, "-o", str(out))
    assert again.returncode == 1 and "error: " in again.stderr
    cli.ok("export-files", code, "-o", str(out), "--force")


def test_a_pdf_given_alone_is_kept_byte_for_byte(cli: Cli, tmp_path: Path):
    code = receive(cli)["code"]
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.add_blank_page()
    pdf.save(tmp_path / "giay-chung-sinh.pdf")
    f = cli.json("attach", code, "GCS", str(tmp_path / "giay-chung-sinh.pdf"), user="clerk")
    assert f["pages"] == 2
    assert stored(cli, f["sha256"]).read_bytes() == (tmp_path / "giay-chung-sinh.pdf").read_bytes()


def bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    empty = tmp_path / "rong.pdf"
    empty.write_bytes(b"")
    text = tmp_path / "ghi-chu.pdf"
    text.write_text("không phải PDF", encoding="utf-8")
    broken = tmp_path / "hong.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%garbage")
    encrypted = tmp_path / "mat-khau.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(encrypted, encryption=pikepdf.Encryption(owner="chu", user="mo", R=6))
    broken_jpeg = tmp_path / "anh-hong.jpg"
    broken_jpeg.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    big = tmp_path / "lon.png"  # noise does not compress: 2.25 MB
    Image.frombytes("L", (1500, 1500), random.Random(12).randbytes(1500 * 1500)).save(big)
    return {
        "empty": (empty, "0 byte"),
        "text": (text, "không phải tệp PDF hay ảnh"),
        "broken": (broken, "bị hỏng"),
        "encrypted": (encrypted, "mật khẩu"),
        "broken_jpeg": (broken_jpeg, "ảnh bị hỏng"),
        "big": (big, "lớn hơn giới hạn 1 MB"),
    }


def test_bad_files_are_refused_and_change_nothing(cli: Cli, tmp_path: Path):
    code = receive(cli)["code"]
    cli.ok("config", "set", "scan.max_file_mb", "1", user="admin")
    good = page(tmp_path / "tot.jpg")
    before = db_fingerprint(cli)
    for name, (path, words) in bad_files(tmp_path).items():
        # alone, and after a good file: nothing of either is kept
        for files in ([str(path)], [str(good), str(path)]):
            r = cli.run("attach", code, "TK", *files, user="clerk")
            assert r.returncode == 1, name
            assert r.stderr.startswith("error: ") and words in r.stderr, (name, r.stderr)
            assert r.stderr.count("\n") == 1
    r = cli.run("attach", code, "TK", str(tmp_path / "khong-co.jpg"), user="clerk")
    assert r.returncode == 1 and "khong-co.jpg" in r.stderr
    r = cli.run("attach", "000.00.36.H62-000000-9999", "TK", str(good), user="clerk")
    assert r.returncode == 1 and "Không tìm thấy hồ sơ" in r.stderr
    r = cli.run("attach", code, "XYZ", str(good), user="clerk")
    assert r.returncode == 1 and "không có thành phần hồ sơ mã 'XYZ'" in r.stderr
    # a result is digitised once there is one
    r = cli.run("attach", code, "result", str(good), user="clerk")
    assert r.returncode == 1 and "chưa có kết quả" in r.stderr
    r = cli.run("attach", code, "TK", str(good))
    assert r.returncode == 1 and "--user" in r.stderr
    assert db_fingerprint(cli) == before
    assert not list((cli.data_dir / "files").rglob("*.pdf"))

    cli.ok("set-status", code, "processing", user="admin")
    cli.ok("set-status", code, "done", user="admin")
    assert cli.json("attach", code, "result", str(good), user="clerk")["doc"] == "result"


def test_in_english(cli: Cli, tmp_path: Path):
    code = receive(cli)["code"]
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    r = cli.run("attach", code, "TK", str(empty), user="clerk", env={"COUNTER_LANG": "en"})
    assert r.returncode == 1 and "the file is empty (0 bytes)" in r.stderr


@needs_sane
def test_pages_scanned_with_the_sane_test_device(cli: Cli):
    code = receive(cli)["code"]
    f = cli.json("scan", code, "TK", "--device", "test", "--pages", "2", user="clerk")
    assert (f["pages"], f["source"], f["version"]) == (2, "scan", 1)
    content = stored(cli, f["sha256"]).read_bytes()
    with pikepdf.open(io.BytesIO(content)) as pdf:
        box = pdf.pages[0].mediabox
        image = next(iter(pdf.pages[0].get_images().values()))
        # 200 dpi: the page's size in points is its pixels x 72 / 200
        assert abs(float(box[2]) - int(image.Width) * 72 / 200) < 1
        assert str(image.ColorSpace) == "/DeviceGray"
        # encoded once by the counter from the scanner's pixels: JPEG at the scan's resolution
        assert str(image.Filter) == "/DCTDecode"
    # the device from the settings
    cli.ok("config", "set", "scan.device", "test", user="admin")
    assert cli.json("scan", code, "GCS", user="clerk")["pages"] == 1
    cli.ok("check")


@needs_sane
def test_a_scanner_that_stops_part_way_or_is_missing(cli: Cli):
    code = receive(cli)["code"]
    before = db_fingerprint(cli)
    feeder = ["--device", "test", "--source", "Automatic Document Feeder"]
    # SANE's test feeder is empty after 10 sheets: asked for 12, it stops part-way
    r = cli.run("scan", code, "TK", *feeder, "--pages", "12", user="clerk")
    assert r.returncode == 1 and "dừng giữa chừng sau 10/12 trang" in r.stderr, r.stderr
    r = cli.run("scan", code, "TK", "--device", "khong-co-may-nay", user="clerk")
    assert r.returncode == 1 and "Kiểm tra máy quét" in r.stderr, r.stderr
    assert db_fingerprint(cli) == before
    assert not list((cli.data_dir / "files").rglob("*.pdf"))

    kept = cli.run("scan", code, "TK", *feeder, "--pages", "12", "--keep-partial", user="clerk")
    assert kept.returncode == 0 and "warning: " in kept.stderr
    assert cli.json("show", code)["files"][0]["pages"] == 10
    # a feeder without --pages: every sheet, and the empty feeder is its normal end
    assert cli.json("scan", code, "TK", *feeder, user="clerk")["pages"] == 10


def test_check_catches_a_tampered_or_missing_file_and_restore_brings_them_back(
    cli: Cli, tmp_path: Path
):
    code = receive(cli)["code"]
    f = cli.json("attach", code, "TK", str(page(tmp_path / "p.jpg")), user="clerk")
    g = cli.json("attach", code, "GCS", str(page(tmp_path / "q.png", "PNG")), user="clerk")
    backup = Path(cli.json("backup", "-o", str(tmp_path / "sao-luu.db"))["backup"])
    assert (backup.parent / "sao-luu.db.files" / f["sha256"][:2]).is_dir()

    path = stored(cli, f["sha256"])
    altered = bytearray(path.read_bytes())
    altered[len(altered) // 2] ^= 0xFF
    path.write_bytes(bytes(altered))
    r = cli.run("check")
    assert r.returncode == 1 and "'TK' bản 1" in r.stderr and "bị sửa" in r.stderr, r.stderr
    stored(cli, g["sha256"]).unlink()
    r = cli.run("check")
    assert r.returncode == 1 and "và 1 tệp khác" in r.stderr, r.stderr
    assert cli.run("export-files", code, "-o", str(tmp_path)).returncode == 1

    cli.ok("restore", str(backup), user="admin")
    cli.ok("check")
    assert hashlib.sha256(stored(cli, f["sha256"]).read_bytes()).hexdigest() == f["sha256"]
    assert stored(cli, g["sha256"]).is_file()


def test_a_backup_without_its_files_is_refused(cli: Cli, tmp_path: Path):
    code = receive(cli)["code"]
    f = cli.json("attach", code, "TK", str(page(tmp_path / "p.jpg")), user="clerk")
    backup = Path(cli.json("backup", "-o", str(tmp_path / "sao-luu.db"))["backup"])
    shutil.rmtree(backup.parent / "sao-luu.db.files")
    stored(cli, f["sha256"]).unlink()
    r = cli.run("restore", str(backup), user="admin")
    assert r.returncode == 1 and "bị thiếu" in r.stderr, r.stderr


def test_the_digitisation_rate_and_the_not_digitised_filter(cli: Cli, tmp_path: Path):
    first = receive(cli)["code"]  # TK and GCS, the required papers
    second = receive(cli, "Lê Văn Bình")["code"]
    receive(cli, "Phạm Thị Cúc", "--channel", "online")  # arrives digital: not counted
    jpeg = str(page(tmp_path / "p.jpg"))
    cli.ok("attach", first, "TK", jpeg, user="clerk")
    cli.ok("attach", first, "GCS", jpeg, user="clerk")
    cli.ok("attach", second, "TK", jpeg, user="clerk")  # GCS still on paper only

    with CounterApp.open(cli.data_dir) as app:
        day = app.dossiers.get(first).received_at.date()
        summary = app.reports.daily_summary(day)
        assert (summary.paper_received, summary.digitised) == (2, 1)
        assert summary.digitisation_rate == 0.5
        f = DossierFilter(not_digitised=True)
        assert [d.code for d in app.reports.page(f, 0, 10)] == [second]
        assert app.reports.count(f) == 1
        book = {row.code: row.digitised for row in app.reports.book_rows(day, day)}
        assert sorted(book.values(), key=str) == [False, None, True]

    csv = tmp_path / "ngay.csv"
    cli.ok(
        "print",
        "daily",
        "--date",
        day.isoformat(),
        "-o",
        str(tmp_path / "ngay.pdf"),
        "--csv",
        str(csv),
        user="boss",
    )
    assert "Tỷ lệ số hóa hồ sơ (%),50\n" in csv.read_text(encoding="utf-8-sig")
    cli.ok("attach", second, "GCS", jpeg, user="clerk")
    with CounterApp.open(cli.data_dir) as app:
        assert app.reports.daily_summary(day).digitisation_rate == 1.0
        assert app.reports.count(DossierFilter(not_digitised=True)) == 0


def test_a_transparent_image_is_laid_on_white_and_show_lists_the_pages(cli: Cli, tmp_path: Path):
    code = receive(cli)["code"]
    rgba = Image.new("RGBA", (200, 300), (0, 0, 0, 0))
    rgba.paste((0, 0, 0, 255), (20, 20, 180, 40))
    rgba.save(tmp_path / "chu-ky.png", dpi=(200, 200))
    f = cli.json("attach", code, "UQ", str(tmp_path / "chu-ky.png"), user="clerk")
    with pikepdf.open(io.BytesIO(stored(cli, f["sha256"]).read_bytes())) as pdf:
        assert abs(float(pdf.pages[0].mediabox[2]) - 200 * 72 / 200) < 1
    text = cli.ok("show", code).stdout
    grouped = f"{f['bytes']:,}".replace(",", ".")  # 2.087: thousands by dots in Vietnamese
    assert f"UQ v1: 1 trang, {grouped} B" in text


def test_the_page_a_scanner_was_writing_when_it_stopped_is_not_a_page(tmp_path: Path):
    """scanimage writes each page's pixels to its file as they come: a batch that fails
    part-way leaves the last file cut short, which is dropped, not stored as a page."""
    from counter.scanner import _read

    whole = tmp_path / "whole.pnm"
    Image.new("L", (200, 300), 250).save(whole)
    (tmp_path / "page-1.pnm").write_bytes(whole.read_bytes())
    (tmp_path / "page-2.pnm").write_bytes(whole.read_bytes()[:5000])
    (tmp_path / "page-3.pnm").write_bytes(b"")
    pages = _read(tmp_path)
    assert len(pages) == 1
    with Image.open(io.BytesIO(pages[0])) as image:
        assert (image.format, image.mode, image.size) == ("JPEG", "L", (200, 300))
        assert image.info["dpi"] == (200, 200) and image.info.get("progressive")
