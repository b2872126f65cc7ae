"""Writing procedures into the catalogue table (from a file or from the portal)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from counter.catalog import to_json
from counter.clock import now
from counter.models import Procedure
from counter.text import fold
from counter.views import ProcedureView


def upsert_procedures(s: Session, procedures: Sequence[ProcedureView], source: str) -> int:
    moment = now()
    for p in procedures:
        raw = to_json(p)
        row = s.get(Procedure, p.code)
        if row is None:
            row = Procedure(code=p.code)
            s.add(row)
        row.name = p.name
        row.name_folded = fold(f"{p.code} {p.name}")
        row.field_code = p.field_code
        row.field_name = p.field_name
        row.level = p.level
        row.time_value = p.processing_time.value
        row.time_unit = p.processing_time.unit
        row.time_cutoff = p.processing_time.cutoff
        row.fees = raw["fees"]
        row.documents = raw["documents"]
        row.result_agency = p.result_agency
        row.catalog_version = p.catalog_version
        row.source = source
        row.active = True
        row.updated_at = moment
    return len(procedures)
