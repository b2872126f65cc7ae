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


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_FOLD_EXTRA).casefold()


#: The Latin letters of Vietnamese (and of most names and addresses) with the combining marks
#: of their decomposed forms: each is folded and classified alone, so text made of them alone
#: is folded by one table and checked by one pattern, to the same result as character by
#: character.
_LATIN = "".join(
    chr(c) for lo, hi in ((0x20, 0x7E), (0xA0, 0x24F), (0x300, 0x36F), (0x1E00, 0x1EFF))
    for c in range(lo, hi + 1)
)  # fmt: skip
_CONTROL = ("Cc", "Cf", "Cs", "Co", "Cn")
_PLAIN = "".join(ch for ch in _LATIN if unicodedata.category(ch) not in _CONTROL)
_NOT_PLAIN = re.compile(f"[^{re.escape(_PLAIN)}]")
_FOLD_TABLE = str.maketrans({ch: _fold(ch) for ch in _PLAIN})


def fold(text: str) -> str:
    """Lower case ASCII-ish form of Vietnamese text for matching."""
    if _NOT_PLAIN.search(text) is None:
        return text.translate(_FOLD_TABLE)
    return _fold(text)


def fold_words(text: str) -> list[str]:
    """The folded words of ``text``: letters and digits only."""
    return _WORD.findall(fold(text))


def has_control_chars(text: str) -> bool:
    if _NOT_PLAIN.search(text) is None:
        return False
    return any(unicodedata.category(ch) in _CONTROL for ch in text)
