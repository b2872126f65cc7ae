"""Digitising benchmark: a 10-page A4 scan at 200 dpi, greyscale, attached to a dossier, from
the scanner's pixels to the PDF stored and its row indexed (target < 1.5 s): each page
encoded as the scanner path encodes it (``counter.scanner.encode_page``), then attached.
And the bytes each page takes (target < 150 KB): a JPEG goes into the PDF as it is, so a page
takes what its JPEG takes and a few hundred bytes (``jpeg_bytes_per_page``)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import text

A4_200DPI = (1654, 2339)  # 210 x 297 mm at 200 dpi
PAGES = 10


WORDS = [
    "Cong",
    "hoa",
    "xa",
    "hoi",
    "chu",
    "nghia",
    "Viet",
    "Nam",
    "Doc",
    "lap",
    "Tu",
    "do",
    "Hanh",
    "phuc",
    "to",
    "khai",
    "dang",
    "ky",
    "khai",
    "sinh",
    "ho",
    "chu",
    "dem",
    "ten",
    "ngay",
    "thang",
    "nam",
    "sinh",
    "noi",
    "cu",
    "tru",
    "giay",
    "to",
    "tuy",
    "than",
    "so",
    "dinh",
    "danh",
    "ca",
    "nhan",
]


def _page(rng: random.Random, mark: int) -> Any:
    """A dense filled-in A4 form as a scanner sees it: 9-point text on 40 lines or so, each
    line ending where it ends, a slightly grey and noisy paper, greyscale pixels at 200 dpi
    (a Pillow image, what ``scanimage`` hands over as PNM). Each call's page is a new one."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    width, height = A4_200DPI
    font = ImageFont.load_default(size=26)  # 26 px at 200 dpi: 9.4 points
    page = Image.new("L", A4_200DPI, 246)
    draw = ImageDraw.Draw(page)
    draw.text((200, 120), f"{mark:06d}", fill=0, font=font)
    y = 200
    while y < height - 300:
        x, end = 200, rng.randint(700, width - 200)
        while x < end:
            word = rng.choice(WORDS)
            draw.text((x, y), word, fill=rng.randint(10, 50), font=font)
            x += int(draw.textlength(word, font=font)) + 14
        y += rng.choice((52, 52, 52, 104))
    page = page.filter(ImageFilter.GaussianBlur(0.6))
    noise = Image.effect_noise(A4_200DPI, 4).point(lambda v: v + 118)
    return Image.blend(page, noise, 0.03)


def run(app: Any, size: int, quick: bool, emit: Callable[..., None]) -> None:
    from counter.accounts import Actor
    from counter.pdfpages import Part
    from counter.scanner import encode_page
    from counter.versions import PAPER_CODES_SQL

    actor = Actor("bench", "Người Đo", "admin")
    with app.db.reading() as s:
        code = s.execute(
            text(f"SELECT code FROM dossiers WHERE EXISTS ({PAPER_CODES_SQL}) ORDER BY id LIMIT 1")
        ).scalar_one()
    doc = app.dossiers.get(code).documents[0].code
    rng = random.Random(2026)
    rounds = 3 if quick else 7
    scans = [[_page(rng, r * PAGES + n) for n in range(1, PAGES + 1)] for r in range(rounds + 1)]

    def attach(pages: list[Any]) -> tuple[Any, int]:
        parts = [Part(f"trang-{n}.jpg", encode_page(p)) for n, p in enumerate(pages, 1)]
        return app.scans.attach(actor, code, doc, parts), sum(len(p.content) for p in parts)

    attach(scans[0])  # libraries loaded once per process
    samples, sizes, jpegs = [], [], []
    for pages in scans[1:]:
        t = time.perf_counter()
        stored, jpeg_bytes = attach(pages)
        samples.append((time.perf_counter() - t) * 1000)
        sizes.append(stored.bytes / stored.pages)
        jpegs.append(jpeg_bytes / PAGES)
    jpeg = sum(jpegs) / len(jpegs)
    emit(
        "attach_10_pages",
        size,
        samples,
        pages=PAGES,
        bytes_per_page=round(sum(sizes) / len(sizes)),
        jpeg_bytes_per_page=round(jpeg),
        target_ms=1500,
        target_bytes_per_page=150_000,
    )
