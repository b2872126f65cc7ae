"""Declare once: the latest applicant details among one agency's dossiers, by ID number.

A counter asks while a clerk types an intake (``GET /api/v1/applicants/{id_number}``); only the
calling counter's agency's dossiers are read, and a number that agency has never seen is not
found, exactly like one that does not exist anywhere.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.errors import not_found
from portal.models import Dossier
from protocol import format_datetime

#: The longest ID number a dossier carries (``protocol.entries.APPLICANT``).
_MAX_ID = 20
_FIELDS = ("type", "name", "id_number", "id_type", "phone", "email", "address")


def latest_applicant(session: Session, agency_id: int, id_number: str) -> dict[str, Any]:
    """``{"applicant": {...}, "received_at"}`` of the agency's newest dossier of the number."""
    key = "".join(unicodedata.normalize("NFKC", id_number).split()).upper()
    row = None
    if 0 < len(key) <= _MAX_ID:
        row = session.execute(
            select(Dossier.snapshot, Dossier.received_at)
            .where(Dossier.agency_id == agency_id, Dossier.applicant_id_number == key)
            .order_by(Dossier.received_at.desc(), Dossier.id.desc())  # the later of a tie
            .limit(1)
        ).first()
    if row is None:
        raise not_found("người nộp có số giấy tờ này", "An applicant with this ID number")
    given = row.snapshot.get("applicant") or {}
    applicant = {name: given.get(name) or "" for name in _FIELDS}
    return {"applicant": applicant, "received_at": format_datetime(row.received_at)}
