"""Translations. Source strings are Vietnamese; English comes from ``i18n/counter_en.qm``.
Qt's own dialogs (buttons, the print and file dialogs) speak Vietnamese through
``i18n/qt_vi.qm``, made here since Qt ships no Vietnamese of its own.

Strings the domain produces (refusals, status labels) carry their own English twin and are
chosen with :func:`lang`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

I18N_DIR = Path(__file__).with_name("i18n")
LANGUAGES = ("vi", "en")

_state: dict[str, object] = {"lang": "vi", "translators": []}


def qm_path(lang: str) -> Path:
    return I18N_DIR / f"counter_{lang}.qm"


def ts_path(lang: str) -> Path:
    return I18N_DIR / f"counter_{lang}.ts"


#: Qt's own dialogs in Vietnamese (Qt ships none): the buttons, the print and file dialogs
QT_VI_TS = I18N_DIR / "qt_vi.ts"
QT_VI_QM = I18N_DIR / "qt_vi.qm"


def install(lang: str) -> str:
    """Load the translation for ``lang`` into the running application; returns the language."""
    app = QCoreApplication.instance()
    assert app is not None, "create the QApplication first"
    for old in _state["translators"]:  # type: ignore[attr-defined]
        app.removeTranslator(old)
    translators: list[QTranslator] = []
    lang = lang if lang in LANGUAGES else "vi"
    if lang == "en":
        own = QTranslator(app)
        if own.load(str(qm_path("en"))):
            app.installTranslator(own)
            translators.append(own)
        qt_base = QTranslator(app)
        if qt_base.load("qtbase_en", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt_base)
            translators.append(qt_base)
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    else:
        qt_vi = QTranslator(app)
        if qt_vi.load(str(QT_VI_QM)):
            app.installTranslator(qt_vi)
            translators.append(qt_vi)
        QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    _state["translators"] = translators
    _state["lang"] = lang
    return lang


def lang() -> str:
    """The language the interface speaks now: ``vi`` or ``en``."""
    return str(_state["lang"])
