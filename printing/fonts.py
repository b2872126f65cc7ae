"""Be Vietnam Pro, registered once per process as a reportlab font family.

The TTF files come from the ``fontpkg-be-vietnam-pro`` dependency (found through
``fontpkg``, never by a fixed path), so every PDF embeds a subset of a font that
covers every Vietnamese letter.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FAMILY = "BeVietnamPro"
REGULAR = "BeVietnamPro"
BOLD = "BeVietnamPro-Bold"
ITALIC = "BeVietnamPro-Italic"
BOLD_ITALIC = "BeVietnamPro-BoldItalic"

_FAMILY_NAME = "Be Vietnam Pro"
# reportlab name -> (weight, style) as fontpkg names them
_FACES: dict[str, tuple[int, str]] = {
    REGULAR: (400, "normal"),
    BOLD: (700, "normal"),
    ITALIC: (400, "italic"),
    BOLD_ITALIC: (700, "italic"),
}

_lock = threading.Lock()
_registered = False

# reportlab keeps per-document font state inside the shared font objects; documents
# are built one at a time so a print from a worker thread never meets another.
RENDER_LOCK = threading.RLock()


class FontMissingError(RuntimeError):
    """The font package is not installed: a broken installation, not a user error."""


def font_file(weight: int, style: str) -> Path:
    """The TTF file of one face of Be Vietnam Pro."""
    try:
        import fontpkg

        return Path(fontpkg.path(_FAMILY_NAME, weight, style))
    except Exception as exc:  # fontpkg raises its own errors; say what to install
        raise FontMissingError(
            "the font package fontpkg-be-vietnam-pro is not installed: "
            f"cannot print Vietnamese ({exc})"
        ) from exc


def register_fonts() -> None:
    """Register the four faces and the family (idempotent, thread-safe, cheap after once)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        # Streams are written binary (zlib only): ASCII85 on top is only for 7-bit mail
        # transports, and costs a fifth more bytes and noticeable time on a 700-page book.
        rl_config.useA85 = 0
        for name, (weight, style) in _FACES.items():
            pdfmetrics.registerFont(TTFont(name, str(font_file(weight, style))))
        pdfmetrics.registerFontFamily(
            FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
        )
        _registered = True


@lru_cache(maxsize=65536)
def string_width(text: str, font: str, size: float) -> float:
    """Width in points; cached, as tables measure the same dates and names over and over."""
    return float(pdfmetrics.stringWidth(text, font, size))
