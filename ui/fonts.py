"""Be Vietnam Pro for the whole interface, from the font package the PDFs use too.

Loaded at start-up so the program looks the same on every machine, with every Vietnamese
letter, whatever fonts the system has.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

log = logging.getLogger("ui.fonts")

FAMILY = "Be Vietnam Pro"
FACES = ("Regular", "Italic", "Medium", "SemiBold", "Bold")
BASE_POINT_SIZE = 10

_loaded: list[str] = []


def font_folder() -> Path | None:
    try:
        import fontpkg_be_vietnam_pro
    except ImportError:
        return None
    return Path(fontpkg_be_vietnam_pro.__file__).with_name("files")


def load(app: QApplication) -> str | None:
    """Register the faces and make the family the application's font; returns the family."""
    if not _loaded:
        folder = font_folder()
        if folder is None:
            log.warning("font package fontpkg-be-vietnam-pro missing: using the system font")
            return None
        for face in FACES:
            path = folder / f"BeVietnamPro-{face}.ttf"
            if QFontDatabase.addApplicationFont(str(path)) < 0:
                log.warning("could not load %s", path.name)
            else:
                _loaded.append(face)
    if not _loaded:
        return None
    font = QFont(FAMILY, BASE_POINT_SIZE)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    app.setFont(font)
    return FAMILY
