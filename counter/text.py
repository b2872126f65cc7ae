"""Text normalisation and folding for Vietnamese names and search.

Folding: NFC/NFD alike, lower case, diacritics removed, ``đ`` as ``d``. The result is what the
search index holds and what queries are turned into, so "Nguyen" finds "Nguyễn".
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "ı": "i"})
_WORD = re.compile(r"[0-9a-z]+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def collapse_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """Lower case ASCII-ish form of Vietnamese text for matching."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_FOLD_EXTRA).casefold()


def fold_words(text: str) -> list[str]:
    """The folded words of ``text``: letters and digits only."""
    return _WORD.findall(fold(text))


def has_control_chars(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in text)
