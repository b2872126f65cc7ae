"""The dossier code as a Code128 barcode and the lookup URL as a QR code, both vectors.

The barcode goes through python-barcode's writer interface (``BaseWriter``'s
callbacks) onto the reportlab canvas, so a scanner reads crisp edges at any
printer resolution. The QR code is encoded by segno and drawn as one path: one
rectangle per run of dark modules, filled once, which is far cheaper than one
shape per module.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import segno
from barcode.codex import Code128
from barcode.writer import BaseWriter
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from printing import fonts

QUIET_MODULES = 10  # Code128 asks for a quiet zone of ten modules on each side
QR_QUIET_MODULES = 4  # ISO/IEC 18004 quiet zone


class CanvasBarcodeWriter(BaseWriter):
    """A python-barcode writer that paints bars as one filled path on a reportlab canvas.

    python-barcode works in millimetres from the top left; the canvas in points
    from the bottom left. ``x`` and ``top`` place the writer's top-left corner.
    """

    def __init__(
        self,
        canvas: Canvas,
        x: float,
        top: float,
        font_name: str = fonts.BOLD,
        font_size: float = 8,
    ) -> None:
        super().__init__(self._initialize, self._paint_module, self._paint_text, self._finish)
        self._canvas = canvas
        self._x = x
        self._top = top
        self._font_name = font_name
        self._pt_font_size = font_size
        self._path: Any = None

    def _initialize(self, code: list[str]) -> None:
        self._path = self._canvas.beginPath()

    def _paint_module(self, xpos: float, ypos: float, width: float, color: str) -> None:
        if color != self.foreground:
            return
        height = self.module_height
        self._path.rect(
            self._x + xpos * mm,
            self._top - (ypos + height) * mm,
            width * mm,
            height * mm,
        )

    def _paint_text(self, xpos: float, ypos: float) -> None:
        label = self.human or self.text
        if not label:
            return
        self._canvas.setFont(self._font_name, self._pt_font_size)
        self._canvas.drawCentredString(self._x + xpos * mm, self._top - ypos * mm, label)

    def _finish(self) -> None:
        self._canvas.saveState()
        self._canvas.setFillColorRGB(0, 0, 0)
        self._canvas.drawPath(self._path, stroke=0, fill=1)
        self._canvas.restoreState()
        self._path = None


@lru_cache(maxsize=256)
def code128_modules(value: str) -> int:
    """How many modules wide the symbol is (bars and spaces, no quiet zone)."""
    return len(Code128(value).build()[0])


def draw_code128(
    canvas: Canvas,
    value: str,
    x: float,
    top: float,
    module_mm: float,
    bar_height_mm: float,
    caption: str = "",
    font_name: str = fonts.BOLD,
    font_size: float = 8,
    caption_gap_mm: float = 1.2,
) -> None:
    """Draw ``value`` as Code128 with its top-left corner (quiet zone included) at x, top."""
    fonts.register_fonts()
    writer = CanvasBarcodeWriter(canvas, x, top, font_name, font_size)
    # the baseline of the caption sits one cap height below the gap
    text_distance = caption_gap_mm + font_size * 0.75 / mm
    options = {
        "module_width": module_mm,
        "module_height": bar_height_mm,
        "quiet_zone": QUIET_MODULES * module_mm,
        "margin_top": 0,
        "margin_bottom": 0,
        "font_size": font_size,
        "text_distance": text_distance,
        "write_text": bool(caption),
        "human": caption,
        "center_text": True,
    }
    Code128(value, writer=writer).render(options, text=caption or None)


def barcode_width(value: str, module_mm: float) -> float:
    """Width in points including both quiet zones."""
    return (code128_modules(value) + 2 * QUIET_MODULES) * module_mm * mm


class BarcodeFlowable(Flowable):
    """A Code128 symbol with a centred caption under it."""

    def __init__(
        self,
        value: str,
        module_mm: float = 0.25,
        bar_height_mm: float = 10.0,
        caption: str = "",
        font_name: str = fonts.BOLD,
        font_size: float = 8.5,
    ) -> None:
        super().__init__()
        self.value = value
        self.module_mm = module_mm
        self.bar_height_mm = bar_height_mm
        self.caption = caption
        self.font_name = font_name
        self.font_size = font_size
        self.hAlign = "CENTER"
        self._symbol_width = barcode_width(value, module_mm)
        caption_width = fonts.string_width(caption, font_name, font_size) if caption else 0.0
        self.width = max(self._symbol_width, caption_width)
        self.height = bar_height_mm * mm + (
            1.2 * mm + font_size * 0.75 + font_size * 0.3 if caption else 0.0
        )

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        x = (self.width - self._symbol_width) / 2
        draw_code128(
            self.canv,
            self.value,
            x,
            self.height,
            self.module_mm,
            self.bar_height_mm,
            self.caption,
            self.font_name,
            self.font_size,
        )


@lru_cache(maxsize=256)
def _qr_runs(data: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """Side length in modules and the runs of dark modules (row, first column, length)."""
    qr = segno.make(data, error="m", micro=False)
    runs: list[tuple[int, int, int]] = []
    matrix = qr.matrix
    for r, row in enumerate(matrix):
        c, n = 0, len(row)
        while c < n:
            if row[c] & 1:
                start = c
                while c < n and row[c] & 1:
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return len(matrix), tuple(runs)


@lru_cache(maxsize=256)
def _qr_operators(data: str, size: float) -> str:
    """PDF path operators for the dark modules of a QR code at the origin, then one fill.

    Rows overlap by a hair so anti-aliasing does not show seams between them.
    """
    n, runs = _qr_runs(data)
    module = size / (n + 2 * QR_QUIET_MODULES)
    x0 = QR_QUIET_MODULES * module
    top = size - QR_QUIET_MODULES * module
    overlap = module * 0.02
    ops = [
        f"{x0 + c * module:.3f} {top - (r + 1) * module - overlap:.3f} "
        f"{length * module:.3f} {module + overlap:.3f} re"
        for r, c, length in runs
    ]
    ops.append("f")
    return "\n".join(ops)


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """Draw ``data`` as a QR code filling the square (x, y, size), quiet zone included.

    The modules become one path written once and cached, so a second copy of the
    same receipt costs next to nothing.
    """
    canvas.saveState()
    canvas.translate(x, y)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.addLiteral(_qr_operators(data, size))
    canvas.restoreState()


class QRFlowable(Flowable):
    def __init__(self, data: str, size: float) -> None:
        super().__init__()
        self.data = data
        self.size = size
        self.width = self.height = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        draw_qr(self.canv, self.data, 0, 0, self.size)
