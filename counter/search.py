"""Search by code, applicant name (with or without diacritics), ID number or phone.

The FTS5 table ``dossier_search`` holds folded names and identifiers; its rowid is the
dossier's ``search_key`` (receipt time in the high bits), so "newest first" is simply
descending rowid, which FTS5 walks without sorting.
"""

from __future__ import annotations

import re

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from counter.codes import looks_like_code
from counter.models import Dossier
from counter.text import fold_words
from counter.validation import domestic_phone_digits

MAX_LIMIT = 1000
_PHONE_LIKE = re.compile(r"\+?\d[\d\s.\-]{2,}")


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
        column = "ids" if w.isdigit() else "name"
        if not w.isdigit() and any(ch.isdigit() for ch in w):
            column = "ids"  # e.g. "h62" of an agency code, a passport number
        parts.append(f"{column} : {_quote(w)}*")
    return " AND ".join(parts)


def find(s: Session, query: str, limit: int = 50) -> list[Dossier]:
    limit = max(1, min(limit, MAX_LIMIT))
    q = query.strip()
    if not q:
        return []
    if looks_like_code(q):
        key = q.upper()
        exact = s.scalars(
            select(Dossier).where((Dossier.code == key) | (Dossier.portal_code == key))
        ).all()
        if exact:
            return list(exact)
    match = fts_query(q)
    if match is None:
        return []
    keys = [
        row[0]
        for row in s.execute(
            text(
                "SELECT rowid FROM dossier_search WHERE dossier_search MATCH :m "
                "ORDER BY rowid DESC LIMIT :n"
            ),
            {"m": match, "n": limit},
        )
    ]
    if not keys:
        return []
    rows = {d.search_key: d for d in s.scalars(select(Dossier).where(Dossier.search_key.in_(keys)))}
    return [rows[k] for k in keys if k in rows]
