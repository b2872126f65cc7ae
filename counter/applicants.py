"""Declare once: the latest details this counter holds of an applicant, by ID number.

Read from the counter's own dossiers (demo dossiers never count) through the index on the ID
number, the newest first; a front end offers them at intake (the desktop) or fills what was
not given with them (``receive --reuse-applicant``). What the clerk then changes is saved with
the new dossier, and so becomes the latest.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from typing import Any

from sqlalchemy import select

from counter.db import Database
from counter.intake import DossierInput
from counter.models import Dossier
from counter.search import ids_holding
from counter.views import KnownApplicant

#: The applicant's fields ``--reuse-applicant`` fills when the command line leaves them out.
REUSED = ("applicant_name", "applicant_type", "id_type", "phone", "email", "address")


def id_key(value: str | None) -> str:
    """The number as it is stored: compatibility forms folded, spaces out, letters upper."""
    return "".join(unicodedata.normalize("NFKC", value or "").split()).upper()


def latest_applicant(db: Database, id_number: str | None) -> KnownApplicant | None:
    """The details of the newest of this counter's own dossiers with this ID number."""
    key = id_key(id_number)
    if not key:
        return None
    with db.reading() as s:
        ids = ids_holding(s, key)
        if not ids:
            return None
        row = s.execute(
            select(
                Dossier.applicant_type,
                Dossier.applicant_name,
                Dossier.id_number,
                Dossier.id_type,
                Dossier.phone,
                Dossier.email,
                Dossier.address,
                Dossier.received_at,
            )
            .where(Dossier.id.in_(ids), Dossier.id_number == key, Dossier.is_demo.is_(False))
            .order_by(Dossier.received_at.desc(), Dossier.id.desc())  # the later of a tie
            .limit(1)
        ).first()
    if row is None:
        return None
    return KnownApplicant(
        applicant_type=row.applicant_type,
        name=row.applicant_name,
        id_number=row.id_number,
        id_type=row.id_type,
        phone=row.phone,
        email=row.email,
        address=row.address,
        seen_at=row.received_at,
        source="counter",
    )


def reuse_applicant(
    data: DossierInput, known: KnownApplicant, given: frozenset[str]
) -> DossierInput:
    """``data`` with the applicant's fields that were not ``given`` (``REUSED``' names) taken
    from ``known``: what the clerk gives wins."""
    values: dict[str, Any] = {
        "applicant_name": known.name,
        "applicant_type": known.applicant_type,
        "id_type": known.id_type or None,
        "phone": known.phone,
        "email": known.email,
        "address": known.address,
    }
    return replace(data, **{k: v for k, v in values.items() if k not in given})
