"""The order of intake's procedure type-ahead: which procedures match what the clerk typed,
and which come first. Plain functions over folded text, so the rule is read and tested here,
and the desktop's list (``ui/procedure_picker.py``) only applies it.

The rule, for a query such as "khai tu":

1. the whole name is what was typed (or the code is);
2. the name starts with what was typed (or the code does);
3. what was typed is a run of whole words inside the name, the last one perhaps still being
   typed ("dang ky lai khai tu" holds "khai tu");
4. every word typed is somewhere in the code, the name or the field, in any order.

Within a group, the procedures this counter receives most come first, then names of fewer
words, then shorter ones, then the catalogue's order. Usage never lifts a procedure into a
better group. Official names often open with "Thủ tục": that opening is matched when typed
and never needed, so "đăng ký khai tử" is the whole of "Thủ tục đăng ký khai tử".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from counter.text import fold, fold_words

EXACT, PREFIX, WORD_RUN, ANYWHERE = range(4)

#: Folded openings of official names that say nothing of the procedure itself, longest first.
GENERIC_OPENINGS = (("thu", "tuc", "dang", "ky"), ("thu", "tuc"), ("dang", "ky"))

Rank = tuple[int, int, int, int, int]


@dataclass(frozen=True)
class Entry:
    """One procedure as the type-ahead matches it; built once per catalogue read."""

    code: str
    #: the name's folded words, joined by one space; without a generic opening as well
    names: tuple[str, ...]
    #: everything a typed word may be found in: code, name and field, folded
    haystack: str
    #: its place in the catalogue as read
    order: int

    @classmethod
    def of(cls, code: str, name: str, field_name: str, order: int) -> Entry:
        words = fold_words(name)
        names = [" ".join(words)]
        for opening in GENERIC_OPENINGS:
            if tuple(words[: len(opening)]) == opening and len(words) > len(opening):
                names.append(" ".join(words[len(opening) :]))
        return cls(code, tuple(names), fold(f"{code} {name} {field_name}"), order)


@dataclass(frozen=True)
class Query:
    """What the clerk typed, folded three ways: whole (for a code), as words to find
    anywhere, and as a phrase of whole words to match names against."""

    raw: str
    words: tuple[str, ...]
    phrase: str

    @classmethod
    def of(cls, text: str) -> Query:
        # "1.001193 – Đăng ký khai sinh" picked from the list reads back as a query: the dash
        # is no word to look for
        words = tuple(w for w in fold(text).split() if any(ch.isalnum() for ch in w))
        return cls(" ".join(words), words, " ".join(fold_words(text)))

    def __bool__(self) -> bool:
        return bool(self.words)


def group(query: Query, entry: Entry) -> int | None:
    """Which of the four groups ``entry`` falls in for ``query``; None when it does not match."""
    if not all(w in entry.haystack for w in query.words):
        return None
    if not query:
        return EXACT
    code = entry.code.casefold()
    if code == query.raw or query.phrase in entry.names:
        return EXACT
    if code.startswith(query.raw):
        return PREFIX
    if query.phrase:
        if any(name.startswith(query.phrase) for name in entry.names):
            return PREFIX
        if any(f" {query.phrase}" in f" {name}" for name in entry.names):
            return WORD_RUN
    return ANYWHERE


def rank(query: Query, entry: Entry, usage: Mapping[str, int]) -> Rank | None:
    """Sort key of ``entry`` for ``query`` (smaller first), None when it does not match.

    ``usage`` counts the dossiers received lately per procedure code.
    """
    found = group(query, entry)
    if found is None:
        return None
    name = min(entry.names, key=len)  # the name without its generic opening
    if not query:  # nothing typed yet: the most used, then the catalogue as it is
        return (found, -usage.get(entry.code, 0), 0, 0, entry.order)
    return (found, -usage.get(entry.code, 0), name.count(" "), len(name), entry.order)


def ranked(text: str, entries: list[Entry], usage: Mapping[str, int]) -> list[Entry]:
    """The entries that match ``text``, best first."""
    query = Query.of(text)
    keyed = [(key, e) for e in entries if (key := rank(query, e, usage)) is not None]
    return [e for _key, e in sorted(keyed, key=lambda pair: pair[0])]
