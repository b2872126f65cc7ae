"""Search by code, applicant name (with or without diacritics), ID number or phone.

The FTS5 table ``dossier_search`` holds folded names and identifiers; its rowid is the
dossier's ``search_key`` (the day of receipt in the high bits, the id below), so "newest
first" is simply descending rowid, which FTS5 walks without sorting. It keeps prefix
indexes of one to seven characters (a word typed in part is one list to walk, not a merge
of every word it begins) and, of each word, only which entries hold it: not its position,
nor its column, nor the length of each entry (a query is single words, never a phrase, and
results are newest first, never ranked). A word of the codes and numbers is held with
``MARK`` before it, so a name's word and a number's never meet: a query looks for a word
with a digit among the codes and numbers alone (``#0912``), and for one without among the
names alone, as a column of its own would.
It keeps no copy of the text it indexed (contentless): each entry is ``document_of`` its
dossier, made again from the row when needed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy.orm import Session

from counter.clock import to_vn
from counter.codes import looks_like_code
from counter.models import Dossier
from counter.repository import found_by_code, id_of_key, summaries_by_key
from counter.text import fold, fold_words
from counter.validation import domestic_phone_digits, nfkc
from counter.views import DossierSummary

MAX_LIMIT = 1000
_PHONE_LIKE = re.compile(r"\+?\d[\d\s.\-]{2,}")
#: What a word of the codes and numbers starts with in the index: a token character there
#: (``tokenchars``), in names a separator as everywhere else. The index (migration 0016)
#: keeps prefixes of one to seven characters, so a number's six are one list, as a name's.
MARK = "#"
#: The characters of a word, as the index's tokenizer reads them (Unicode letters, numbers,
#: private use); any other is a separator.
_ASCII_WORD = re.compile(r"[0-9A-Za-z]+")
_WORD_CATEGORIES = ("L", "N", "Co")


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts_query(query: str) -> str | None:
    """The FTS5 MATCH expression for a query typed by a clerk, or None if nothing to search."""
    q = query.strip()
    words = [domestic_phone_digits(q).lstrip("+")] if _PHONE_LIKE.fullmatch(q) else fold_words(q)
    if not words:
        return None
    parts = []
    for w in words[:12]:
        if any(ch.isdigit() for ch in w):
            w = MARK + w  # among the codes and numbers: e.g. "h62" of an agency code, a passport
        parts.append(f"{_quote(w)}*")
    return " AND ".join(parts)


#: The newest matches first: FTS5 walks its doclists backwards and stops at the limit.
MATCH_SQL = (
    "SELECT rowid FROM dossier_search WHERE dossier_search MATCH ? ORDER BY rowid DESC LIMIT ?"
)


def find_keys(s: Session, query: str, limit: int = 50) -> list[int]:
    """The search keys of the dossiers a clerk's query finds, newest first: a whole code
    typed (the counter's or the portal's) finds that dossier alone."""
    limit = max(1, min(limit, MAX_LIMIT))
    q = nfkc(query).strip()  # fullwidth digits typed as ASCII ones, as intake stores them
    if not q:
        return []
    if looks_like_code(q):
        exact = found_by_code(s, q)
        if exact is not None:
            return [search_key(exact[1], exact[0])]
    match = fts_query(q)
    if match is None:
        return []
    return [row[0] for row in s.connection().exec_driver_sql(MATCH_SQL, (match, limit))]


def ids_holding(s: Session, number: str) -> list[int]:
    """The ids of the dossiers whose entry has every word of ``number`` (an ID number) among
    its codes and numbers: those that hold it, and perhaps a few more, which the caller tells
    apart by the column itself. The index holds every number already, so the dossiers need
    no B-tree of their own on it."""
    words = fold_words(number)
    if not words:
        return []
    match = " AND ".join(_quote(MARK + w) for w in words[:12])
    sql = "SELECT rowid FROM dossier_search WHERE dossier_search MATCH ?"
    return [id_of_key(row[0]) for row in s.connection().exec_driver_sql(sql, (match,))]


def find(s: Session, query: str, limit: int = 50) -> list[DossierSummary]:
    """Search by code, name (with or without diacritics), ID number or phone; newest first.
    Only the list's columns are read, and nothing is counted."""
    keys = find_keys(s, query, limit)
    if not keys:
        return []
    found = summaries_by_key(s, keys)
    return [found[k] for k in keys if k in found]


# -- the index: written at intake and by seed-demo -------------------------------------------

#: The statement that adds one dossier to the index (rowid, folded names, folded identifiers).
INSERT_SQL = "INSERT INTO dossier_search(rowid, name, ids) VALUES (?, ?, ?)"


def search_key(received_at: datetime, dossier_id: int) -> int:
    """The search index's rowid: the day of receipt in the high bits and the dossier's id
    below (``counter.repository.id_of_key``), so rowid order is newest first (a day's
    dossiers in the order they were received), and one day's keys are close together: the
    index stores each key as the difference from the one before, in a byte or two. The
    dossier does not store it: it is made of its row."""
    return (to_vn(received_at).date().toordinal() << 32) | dossier_id


def search_document(names: Iterable[str], ids: Iterable[str]) -> tuple[str, str]:
    """The folded text the index holds: the people's names, and every code and number, each
    word of these with ``MARK`` before it."""
    name = fold(" ".join(filter(None, names))).replace(MARK, " ")
    words = _words(fold(" ".join(filter(None, ids))))
    return name, MARK + _MARKED.join(words) if words else ""


#: What comes between two marked words of a document.
_MARKED = " " + MARK


def _words(text: str) -> list[str]:
    """The words of ``text`` as the index's tokenizer (unicode61) cuts them."""
    if text.isascii():
        return _ASCII_WORD.findall(text)
    words, word = [], ""
    for ch in text:
        category = unicodedata.category(ch)
        if category[0] in _WORD_CATEGORIES or category in _WORD_CATEGORIES:
            word += ch
        elif word:
            words.append(word)
            word = ""
    return [*words, word] if word else words


def entries(s: Session) -> int:
    """How many entries the index holds: each has at least one marked word (its code)."""
    sql = "SELECT count(*) FROM dossier_search WHERE dossier_search MATCH ?"
    return int(s.connection().exec_driver_sql(sql, (f"{_quote(MARK)}*",)).scalar() or 0)


def document_of(d: Dossier | SimpleNamespace) -> tuple[str, str]:
    """A stored dossier's index entry (or one being received: its row's values)."""
    return search_document(
        (d.applicant_name, d.submitter_name),
        (
            d.code,
            d.portal_code or "",
            d.id_number,
            d.phone,
            d.submitter_id_number,
            d.submitter_phone,
        ),
    )
