"""Fixtures for the printing tests: realistic views, and a probe that reads PDFs back
the way a person and a scanner would (text layer, 200 dpi rendering, decoded codes)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pytest
import zxingcpp

from counter.views import DailySummary, DossierView, Office
from devtools import samples

MM = 72 / 25.4


@pytest.fixture
def office() -> Office:
    return samples.sample_office()


@pytest.fixture
def dossier() -> DossierView:
    return samples.sample_dossier()


@pytest.fixture
def long_dossier() -> DossierView:
    return samples.long_dossier()


@pytest.fixture(scope="session")
def summary() -> DailySummary:
    return samples.sample_summary(2000)


@dataclass(frozen=True)
class Box:
    char: str
    left: float
    bottom: float
    right: float
    top: float


class PdfProbe:
    """Reads a PDF back: page sizes, text, character boxes, decoded barcodes."""

    dpi = 200

    def pages(self, pdf: bytes) -> int:
        return len(pdfium.PdfDocument(pdf))

    def sizes_mm(self, pdf: bytes) -> list[tuple[float, float]]:
        doc = pdfium.PdfDocument(pdf)
        return [(round(p.get_width() / MM, 1), round(p.get_height() / MM, 1)) for p in doc]

    def text(self, pdf: bytes) -> list[str]:
        """The text of each page, lines joined with '\\n'."""
        doc = pdfium.PdfDocument(pdf)
        out = []
        for page in doc:
            raw = page.get_textpage().get_text_range()
            out.append(raw.replace("\r\n", "\n").replace("\r", "\n"))
        return out

    def lines(self, pdf: bytes) -> list[list[str]]:
        return [[ln.strip() for ln in page.split("\n") if ln.strip()] for page in self.text(pdf)]

    def boxes(self, pdf: bytes, page_index: int) -> list[Box]:
        page = pdfium.PdfDocument(pdf)[page_index]
        textpage = page.get_textpage()
        out = []
        for i in range(textpage.count_chars()):
            char = textpage.get_text_range(i, 1)
            if not char.strip():
                continue
            left, bottom, right, top = textpage.get_charbox(i)
            out.append(Box(char, left, bottom, right, top))
        return out

    def codes(self, pdf: bytes) -> list[list[tuple[str, str]]]:
        """(format, text) of every barcode found on each page, rendered at 200 dpi."""
        doc = pdfium.PdfDocument(pdf)
        found = []
        for page in doc:
            image = page.render(scale=self.dpi / 72, grayscale=True).to_pil()
            found.append(sorted((r.format.name, r.text) for r in zxingcpp.read_barcodes(image)))
        return found

    def font_dictionaries(self, pdf: bytes) -> dict[str, Any]:
        """What the file says about its fonts: base names, descriptors with FontFile2."""
        return {
            "base_fonts": re.findall(rb"/BaseFont\s*/([^\s/>]+)", pdf),
            "font_file2": len(re.findall(rb"/FontFile2\b", pdf)),
            "descriptors": len(re.findall(rb"/Type\s*/FontDescriptor\b", pdf)),
            "images": len(re.findall(rb"/Subtype\s*/Image\b", pdf)),
        }


@pytest.fixture(scope="session")
def probe() -> PdfProbe:
    return PdfProbe()


def overlapping(boxes: list[Box], shrink: float = 0.2) -> list[tuple[Box, Box]]:
    """Pairs of characters drawn over each other (boxes shrunk to ignore mere touching)."""
    shrunk = []
    for b in boxes:
        dx, dy = (b.right - b.left) * shrink, (b.top - b.bottom) * shrink
        shrunk.append((b.left + dx, b.bottom + dy, b.right - dx, b.top - dy, b))
    shrunk.sort(key=lambda s: s[0])
    pairs = []
    active: list[tuple[float, float, float, float, Box]] = []
    for item in shrunk:
        left = item[0]
        active = [a for a in active if a[2] > left]
        for a in active:
            if a[1] < item[3] and item[1] < a[3]:
                pairs.append((a[4], item[4]))
        active.append(item)
    return pairs


@pytest.fixture(scope="session")
def find_overlaps() -> Any:
    return overlapping
