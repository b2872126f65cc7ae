"""Keeping the translations in step with the code: ``python -m devtools.i18n_tools``.

The sources are Vietnamese. ``update`` collects every ``tr()``/``translate()`` string of
``ui/`` into ``ui/i18n/counter_en.ts`` (keeping the English already written; translators
edit the .ts with Qt Linguist), ``release`` compiles it to the ``.qm`` the application
loads, and ``release_qt`` compiles ``ui/i18n/qt_vi.ts`` (Qt's own dialogs in Vietnamese).
A test checks that all are current and that every string has its English.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from ui.i18n import I18N_DIR, QT_VI_QM, QT_VI_TS, qm_path, ts_path

UI_DIR = Path(__file__).resolve().parents[1] / "ui"


def sources() -> list[Path]:
    return sorted(UI_DIR.glob("*.py"))


def tool(name: str) -> str:
    """``pyside6-lupdate`` / ``pyside6-lrelease`` next to this Python, else on the PATH."""
    here = Path(sys.executable).parent / f"pyside6-{name}"
    if here.exists():
        return str(here)
    found = shutil.which(f"pyside6-{name}")
    if found is None:
        raise FileNotFoundError(f"pyside6-{name} not found (it comes with PySide6)")
    return found


def update(ts: Path | None = None, lang: str = "en") -> Path:
    target = ts or ts_path(lang)
    subprocess.run(
        [
            tool("lupdate"),
            *map(str, sources()),
            "-locations",
            "none",
            "-no-obsolete",
            "-source-language",
            "vi_VN",
            "-target-language",
            "en_GB" if lang == "en" else lang,
            "-ts",
            str(target),
        ],
        check=True,
        capture_output=True,
    )
    return target


def release(ts: Path | None = None, qm: Path | None = None, lang: str = "en") -> Path:
    source, target = ts or ts_path(lang), qm or qm_path(lang)
    subprocess.run(
        [tool("lrelease"), "-nounfinished", "-removeidentical", str(source), "-qm", str(target)],
        check=True,
        capture_output=True,
    )
    return target


def release_qt(qm: Path | None = None) -> Path:
    """Compile the Vietnamese of Qt's own dialogs (``ui/i18n/qt_vi.ts``, written by hand from
    Qt's source texts) to the ``.qm`` the application loads."""
    target = qm or QT_VI_QM
    subprocess.run(
        [tool("lrelease"), "-nounfinished", "-removeidentical", str(QT_VI_TS), "-qm", str(target)],
        check=True,
        capture_output=True,
    )
    return target


def messages(ts: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(context, source) -> (translation, type) of a .ts file."""
    root = ET.parse(ts).getroot()  # noqa: S314 - our own translation file
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            element = message.find("translation")
            text = "" if element is None else (element.text or "")
            kind = "" if element is None else element.get("type", "")
            out[(name, message.findtext("source") or "")] = (text, kind)
    return out


def main() -> int:
    ts = update()
    missing = [src for (_, src), (text, kind) in messages(ts).items() if not text or kind]
    release()
    release_qt()
    print(f"{ts.relative_to(I18N_DIR.parent.parent)}: {len(missing)} string(s) to translate")
    for src in missing:
        print(f"  {src}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
