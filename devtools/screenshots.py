"""``python -m devtools.screenshots OUTDIR``: pictures of every main screen, for the user guide.

Builds a demo counter in a temporary folder (the sample catalogue, three accounts, a few
thousand invented dossiers and some typed by hand), then renders each screen offscreen at
1366x768 (or ``--size WxH``: docs/screenshots/1024x600 and 1920x1080 hold the smallest and
the largest screen a counter has) and saves it as PNG. The clock is pinned so the pictures
come out the same.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counter.pdfpages import Part

SIZE = (1366, 768)
DEFAULT_NOW = "2026-11-26T10:20:00+07:00"
PASSWORD = "mat-khau-demo-2026"  # noqa: S105 - the demo accounts of a throw-away folder


def _wait(predicate: Callable[[], bool], timeout: float = 20.0, settle_ms: int = 150) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    from devtools.keyboard_drive import wait_until

    wait_until(predicate, timeout)
    loop = QEventLoop()
    QTimer.singleShot(settle_ms, loop.quit)
    loop.exec()


def build_demo(folder: Path, count: int) -> None:
    """A counter with the sample catalogue, three accounts and ``count`` demo dossiers."""
    from counter.accounts import Actor
    from counter.app import CounterApp
    from counter.catalog import SAMPLE_CATALOG
    from counter.clock import now
    from counter.dossiers import DossierInput
    from counter.seed import seed_demo
    from counter.statuses import Status

    with CounterApp.open(folder, create=True) as app:
        app.office.init(
            "000.00.36.H62",
            "UBND xã Hòa Bình",
            1,
            "UBND TỈNH LÀO CAI",
            "commune",
            "https://dichvucong.laocai.gov.vn/tra-cuu",
        )
        app.accounts.add_user(None, "quantri", "Nguyễn Văn Quản", "admin", PASSWORD)
        admin = Actor("quantri", "Nguyễn Văn Quản", "admin")
        app.accounts.add_user(admin, "tiepnhan", "Trần Thị Tiếp", "clerk", PASSWORD)
        app.accounts.add_user(admin, "truongbp", "Lê Văn Trưởng", "supervisor", PASSWORD)
        app.catalog.import_file(admin, SAMPLE_CATALOG)
        app.settings.set(admin, "office.place", "Hòa Bình")
        app.settings.set(admin, "calendar.extra_open_days", "6")  # open on Saturday mornings
        seed_demo(app, admin, count, days=45, seed=2026)
        clerk = Actor("tiepnhan", "Trần Thị Tiếp", "clerk")
        boss = Actor("truongbp", "Lê Văn Trưởng", "supervisor")
        today = now().date()
        day_off = today + timedelta(days=((4 - today.weekday()) % 7) + 7)
        app.calendar.set_day(boss, day_off, False, "Nghỉ bù ngày lễ của tỉnh")
        first = app.dossiers.receive(
            clerk,
            DossierInput(
                procedure_code="1.001193",
                applicant_name="Nguyễn Thị Ánh Tuyết",
                id_number="001190012345",
                phone="0912345678",
                address="Thôn Đông, xã Hòa Bình, tỉnh Lào Cai",
                received_at=now() - timedelta(hours=1),
                note="Nộp thay cho con",
                submitter_name="Nguyễn Văn Hùng",
                submitter_phone="0987654321",
            ),
        )
        app.dossiers.set_status(boss, first.code, Status.PROCESSING, "Chuyển bộ phận hộ tịch")
        second = app.dossiers.receive(
            clerk,
            DossierInput(
                procedure_code="2.000908",
                applicant_name="Lò Văn Pành",
                id_number="014085001234",
                phone="0356789012",
                address="Bản Nà Sài, xã Hòa Bình",
            ),
        )
        entry = next(e for e in app.sync_store.due_entries(50) if e.dossier_code == second.code)
        app.sync_store.mark_needs_attention(
            entry.id, "409: mã hồ sơ đã có trên cổng với nội dung khác"
        )


def demo_page(title: str, n: int, of: int) -> Part:
    """An invented A4 page at 100 dpi: a heading, the paper's name, lines of "text"."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    from counter.pdfpages import Part
    from ui.fonts import font_folder

    image = Image.new("L", (827, 1169), 250)
    draw = ImageDraw.Draw(image)
    folder = font_folder()

    def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        if folder is None:
            return ImageFont.load_default()
        return ImageFont.truetype(str(folder / "BeVietnamPro-Bold.ttf"), size)

    draw.text((413, 80), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 20, font(22), "mm")
    draw.text((413, 115), "Độc lập - Tự do - Hạnh phúc", 20, font(18), "mm")
    draw.text((413, 200), title.upper()[:48], 20, font(24), "mm")
    for i, y in enumerate(range(280, 1060, 34)):
        width = 640 if i % 5 != 4 else 380
        draw.rectangle((90, y, 90 + width, y + 9), fill=110)
    draw.text((413, 1110), f"Trang {n}/{of}", 60, font(16), "mm")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70, dpi=(100, 100))
    return Part(f"trang-{n}.jpg", out.getvalue())


def slow_scanner(folder: Path) -> None:
    """SANE's test device made as slow as a real scanner (its own settings in ``folder``),
    for the picture of a scan under way."""
    (folder / "dll.conf").write_text("test\n")
    (folder / "test.conf").write_text(
        "read-delay true\nread-delay-duration 100000\nread-limit true\n"
        "read-limit-size 4096\nbr_x 200.0\nbr_y 200.0\n"
    )
    os.environ["SANE_CONFIG_DIR"] = str(folder)


def _screen_config(size: tuple[int, int]) -> Path:
    """A configuration of Qt's offscreen platform with one screen of ``size``."""
    import json

    screen = {"name": "counter", "x": 0, "y": 0, "width": size[0], "height": size[1]}
    screen.update({"logicalDpiX": 96, "logicalDpiY": 96, "dpr": 1})
    path = Path(tempfile.gettempdir()) / f"counter-screen-{size[0]}x{size[1]}.json"
    path.write_text(json.dumps({"screens": [screen]}), "utf-8")
    return path


def take(outdir: Path, count: int = 3000, size: tuple[int, int] = SIZE) -> list[Path]:
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
        # a screen of the size asked for (Qt's offscreen default is 800×800): the window
        # maximised and the full-screen lookup then look as on a counter's screen
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_screen_config(size)}"
    os.environ.setdefault("COUNTER_NOW", DEFAULT_NOW)
    os.environ["COUNTER_TEST_CLOCK"] = "1"  # a pinned clock is honoured only with this switch
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QWidget

    from counter.accounts import Actor
    from counter.app import CounterApp
    from counter.handovers import RemoteHandover
    from counter.views import HandoverView
    from ui import fonts, i18n
    from ui.compat import MainThreadGarbageCollector
    from ui.context import UiContext
    from ui.dossier_detail import DossierDetailDialog, read_details
    from ui.guidance import GuidancePicker
    from ui.main_window import MainWindow
    from ui.print_service import PrintService
    from ui.rating_screen import screen_of
    from ui.signin import FirstRunDialog, SignInDialog

    qt_app = QApplication.instance() or QApplication([])
    assert isinstance(qt_app, QApplication)
    collector = MainThreadGarbageCollector()
    collector.start()
    fonts.load(qt_app)
    i18n.install("vi")
    outdir.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []

    def shot(widget: QWidget, name: str) -> None:
        path = outdir / f"{name}.png"
        widget.grab().save(str(path))
        saved.append(path)

    with tempfile.TemporaryDirectory(prefix="counter-demo-") as tmp:
        folder = Path(tmp) / "data"
        build_demo(folder, count)
        app = CounterApp.open(folder)
        printing = PrintService(app, sender=lambda _pdf, _printer, _title: "demo-1")
        ctx = UiContext(app, printing=printing)
        ctx.notifier.show_bug_dialogs = False
        try:
            # first run, on an empty folder
            empty = CounterApp.open(Path(tmp) / "empty", create=True)
            first_run = FirstRunDialog(empty, ctx.tasks)
            first_run.agency_code.setText("000.00.36.H62")
            first_run.agency_name.setText("Xã Hòa Bình")
            first_run.parent_name.setText("UBND tỉnh Lào Cai")
            first_run.lookup_url.setText("https://dichvucong.laocai.gov.vn/tra-cuu")
            first_run.username.setText("quantri")
            first_run.full_name.setText("Nguyễn Văn Quản")
            first_run.show()
            _wait(lambda: first_run.isVisible())
            shot(first_run, "01-thiet-lap-lan-dau")
            first_run.close()
            empty.close()

            sign_in = SignInDialog(app, ctx.tasks)
            sign_in.form.username.setText("tiepnhan")
            sign_in.show()
            _wait(lambda: sign_in.isVisible())
            shot(sign_in, "02-dang-nhap")
            sign_in.close()

            ctx.actor = Actor("truongbp", "Lê Văn Trưởng", "supervisor")
            window = MainWindow(ctx, idle_ms=0)
            window.resize(*size)
            window.show()
            window.start()
            _wait(lambda: window.sync.state != "unknown", timeout=30)

            # intake: a form being filled, with the hint about an earlier dossier
            intake = window.intake
            applicant = intake.applicant
            _wait(lambda: intake.picker.model.rowCount() > 0)
            intake.choose_procedure("1.001193")
            applicant.name_field.setText("Nguyễn Thị Ánh Tuyết")
            applicant.id_field.setText("001190012345")
            applicant.id_field.edit.editingFinished.emit()
            applicant.phone_field.setText("0912345678")
            applicant.address_field.setText("Thôn Đông, xã Hòa Bình, tỉnh Lào Cai")
            _wait(lambda: applicant.hint_label.isVisible())
            shot(window, "03-tiep-nhan")
            applicant.phone_field.setText("091234")
            applicant.phone_field.check()
            applicant.email_field.setText("tuyet@")
            applicant.email_field.check()
            _wait(lambda: True)
            shot(window, "04-tiep-nhan-kiem-tra")
            intake.clear_form()

            # declare once: a known ID number offers the applicant's latest details
            intake.choose_procedure("2.000908")
            applicant.id_field.setText("014085001234")
            applicant.id_field.edit.editingFinished.emit()
            _wait(lambda: applicant.offer.isVisible())
            shot(window, "24-dung-lai-thong-tin")
            intake.clear_form()

            # an incomplete dossier: a required paper not brought, then the guidance list
            intake.choose_procedure("1.001193")
            applicant.name_field.setText("Hoàng Thị Mai")
            applicant.id_field.setText("014190001234")
            applicant.phone_field.setText("0983456789")
            assert intake.procedure is not None
            row = [d.code for d in intake.procedure.documents].index("GCS")
            intake.documents.setData(
                intake.documents.index(row, 0),
                Qt.CheckState.Unchecked,
                Qt.ItemDataRole.CheckStateRole,
            )
            _wait(lambda: intake.guidance.label.isVisible())
            shot(window, "20-chua-du-giay-to")
            guided: list[object] = []
            intake.guidance.guided.connect(guided.append)
            intake.save_and_print()
            _wait(lambda: bool(guided))
            intake.guidance.pick()
            picker = next(p for p in window.findChildren(GuidancePicker) if p.isVisible())
            _wait(lambda: picker.model.rowCount() > 0)
            shot(picker, "21-phieu-huong-dan")
            picker.close()
            intake.clear_form()

            window.show_page("dossiers")
            lst = window.dossiers
            _wait(lambda: not lst.model.busy and lst.model.total is not None)
            shot(window, "05-danh-sach")
            lst.overdue.setChecked(True)
            _wait(lambda: not lst.model.busy and lst.model.total is not None)
            shot(window, "06-danh-sach-qua-han")
            lst.overdue.setChecked(False)
            lst.search.setText("nguyen thi anh tuyet")
            lst.apply_filter()
            _wait(lambda: not lst.model.busy and lst.model.total is not None)
            shot(window, "07-tim-kiem")

            code = next(
                d.code
                for d in app.reports.page(lst.current_filter(), 0, 20)
                if d.applicant_name == "Nguyễn Thị Ánh Tuyết" and not d.is_demo
            )
            detail = DossierDetailDialog(ctx, read_details(app, code), window)
            detail.resize(1180, 720)
            detail.show()
            _wait(lambda: detail.isVisible())
            shot(detail, "08-chi-tiet-ho-so")
            detail.print_form(
                "supplement",
                missing=detail.view.documents[1:2],
                reasons=["Thiếu giấy chứng sinh bản chính"],
            )
            _wait(lambda: any(p.isVisible() for p in detail.previews), settle_ms=1200)
            preview = detail.previews[-1]
            preview.resize(760, 740)
            _wait(lambda: True, settle_ms=800)
            shot(preview, "09-xem-truoc-mau-02")
            preview.close()
            detail.close()

            # the papers digitised: two scanned, the third being scanned
            clerk = Actor("tiepnhan", "Trần Thị Tiếp", "clerk")
            papers = app.dossiers.get(code).documents
            parts = [demo_page(papers[0].name, n, 3) for n in range(1, 4)]
            app.scans.attach(clerk, code, papers[0].code, parts, "scan")
            app.settings.set(clerk, "scan.device", "test")
            slow_scanner(Path(tempfile.mkdtemp(prefix="counter-sane-")))
            ctx.actor = clerk
            detail = DossierDetailDialog(ctx, read_details(app, code), window)
            detail.resize(1180, 720)
            detail.show()
            detail.start_digitising()
            detail.documents.setCurrentCell(0, 0)
            _wait(lambda: detail.pages.page_count() == 3, settle_ms=600)
            shot(detail, "22-so-hoa-giay-to")
            detail.documents.setCurrentCell(1, 0)
            detail.pages.scan()
            _wait(lambda: "trang 1" in detail.pages.progress.text(), timeout=120, settle_ms=300)
            shot(detail, "23-dang-quet")
            detail.pages.cancel_scan()
            _wait(lambda: not detail.pages.scanning, timeout=60)
            detail.close()

            # the portal reported it handed over to the justice office and back (Mẫu 06's rows)
            received, agency = app.dossiers.get(code).received_at, "000.00.36.H62"
            steps = [
                RemoteHandover(
                    code,
                    1,
                    HandoverView(
                        received + timedelta(minutes=25),
                        agency,
                        "Trung tâm Phục vụ hành chính công xã Hòa Bình",
                        "000.20.36.H62",
                        "Phòng Tư pháp xã Hòa Bình",
                        "Trần Thị Tiếp",
                    ),
                ),
                RemoteHandover(
                    code,
                    2,
                    HandoverView(
                        received + timedelta(days=2, hours=3),
                        "000.20.36.H62",
                        "Phòng Tư pháp xã Hòa Bình",
                        agency,
                        "Trung tâm Phục vụ hành chính công xã Hòa Bình",
                        "Lê Văn Tư",
                        "Đã ký trích lục",
                    ),
                ),
            ]
            app.sync_store.apply_remote_statuses([], app.sync_store.cursor() or "0", steps)
            detail = DossierDetailDialog(ctx, read_details(app, code), window)
            detail.resize(1180, 720)
            detail.show()
            _wait(lambda: detail.handovers.isVisible())
            detail.body.ensureWidgetVisible(detail.handovers)
            _wait(lambda: True, settle_ms=300)
            shot(detail, "26-luan-chuyen-ho-so")
            detail.close()
            while (latest := window.notices.latest()) is not None and "quét" in latest.text:
                latest.dismiss()  # the cancelled scan's notice: not a part of later pictures
            lst.search.clear()

            window.show_page("lookup")
            window.lookup.look_up(code)
            _wait(lambda: window.lookup.result is not None)
            shot(window, "10-tra-cuu")
            window.lookup.clear()

            window.show_page("sync")
            _wait(lambda: window.sync_page.model.rowCount() > 0)
            shot(window, "11-dong-bo")

            window.show_page("daily")
            assert window.daily is not None
            daily = window.daily
            _wait(lambda: daily.summary is not None and daily.preview.pdf != b"", settle_ms=1500)
            shot(window, "12-bao-cao-ngay")

            window.show_page("book")
            assert window.book is not None
            book = window.book
            _wait(lambda: book.preview.pdf != b"", timeout=60, settle_ms=1500)
            shot(window, "13-so-theo-doi")

            window.show_page("calendar")
            assert window.calendar is not None
            calendar = window.calendar
            _wait(lambda: calendar.calendar is not None)
            shot(window, "14-lich-lam-viec")

            window.dispose()
            window.close()
            ctx.actor = Actor("quantri", "Nguyễn Văn Quản", "admin")
            window = MainWindow(ctx, idle_ms=0)
            window.resize(*size)
            window.show()
            window.show_page("accounts")
            accounts = window.accounts
            assert accounts is not None
            _wait(lambda: window.isVisible() and accounts.model.rowCount() > 0)
            shot(window, "15-tai-khoan")
            window.show_page("settings")
            _wait(lambda: bool(window.settings_page.rows))
            shot(window, "16-thiet-lap")
            window.lock()
            _wait(lambda: window.is_locked)
            shot(window, "17-man-hinh-khoa")
            window.unlock()

            lookup = window.open_lookup_window()
            lookup.lookup.look_up(code)
            _wait(lambda: lookup.lookup.result is not None)
            shot(lookup, "18-tra-cuu-toan-man-hinh")
            lookup.close()

            # the citizen's own window after a hand-back (beside the clerk's on one screen)
            rating = screen_of(ctx)
            rating.ask(code, 120)
            _wait(rating.isVisible, settle_ms=300)
            shot(rating, "25-danh-gia-hai-long")
            rating.close()
            window.dispose()
            window.close()

            i18n.install("en")
            ctx.actor = Actor("tiepnhan", "Trần Thị Tiếp", "clerk")
            window = MainWindow(ctx, idle_ms=0)
            window.resize(*size)
            window.show()
            english = window.intake
            _wait(lambda: english.picker.model.rowCount() > 0)
            english.choose_procedure("1.001193")
            english.applicant.name_field.setText("Nguyễn Thị Ánh Tuyết")
            _wait(lambda: window.isVisible())
            shot(window, "19-english")
            window.dispose()
            window.close()
            i18n.install("vi")
        finally:
            ctx.close()
            app.close()
            collector.stop()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.screenshots")
    parser.add_argument("outdir", nargs="?", default="docs/screenshots")
    parser.add_argument("--count", type=int, default=3000, help="demo dossiers to invent")
    parser.add_argument(
        "--size", default="x".join(map(str, SIZE)), help="the main window's size, WxH"
    )
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.lower().split("x"))
    for path in take(Path(args.outdir), args.count, (width, height)):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
