"""The procedure catalogue at this counter: imported from a file or pulled from the portal,
read by intake's type-ahead, the forms and the command line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from counter import audit
from counter.accounts import SUPERVISOR, Actor, require
from counter.catalog import load_catalog_file
from counter.catalog_store import upsert_procedures
from counter.db import Database
from counter.errors import NotFound
from counter.models import Dossier, Procedure
from counter.office import office_in
from counter.serialize import documents_of, fees_of
from counter.text import fold
from counter.views import Office, ProcedureView, ProcessingTime


@dataclass(frozen=True)
class CatalogImport:
    """What an import of a catalogue file did."""

    version: str
    procedures: int


class CatalogService:
    def __init__(self, db: Database):
        self.db = db

    def import_file(self, actor: Actor, path: Path) -> int:
        """Import a catalogue file; the number of procedures it held."""
        return self.import_catalog(actor, path).procedures

    def import_catalog(self, actor: Actor, path: Path) -> CatalogImport:
        """Import a catalogue file (all of it or, refused, none of it): its version and the
        number of procedures it held."""
        require(actor, SUPERVISOR, "nhập danh mục thủ tục", "import the catalogue")
        version, procedures = load_catalog_file(path)
        with self.db.unit_of_work() as s:
            n = upsert_procedures(s, procedures, source="file")
            audit.append(
                s,
                actor.username,
                "catalog.import",
                "catalog",
                version,
                {"procedures": n, "file": path.name},
            )
        return CatalogImport(version, n)

    def procedures(self, query: str = "", include_inactive: bool = False) -> list[ProcedureView]:
        """The catalogue; ``query`` matches code or name, diacritics optional."""
        with self.db.reading() as s:
            q = select(Procedure).order_by(Procedure.field_name, Procedure.code)
            if not include_inactive:
                q = q.where(Procedure.active.is_(True))
            rows = s.scalars(q).all()
            office = office_in(s)
        words = fold(query).split()
        return [_procedure_view(r, office) for r in rows if all(w in r.name_folded for w in words)]

    def usage(self, since: date) -> dict[str, int]:
        """How many dossiers this counter received of each procedure from ``since`` on: the
        type-ahead puts the ones received most first among equally good matches."""
        with self.db.reading() as s:
            rows = s.execute(
                select(Dossier.procedure_code, func.count())
                .where(Dossier.receipt_day >= since)
                .group_by(Dossier.procedure_code)
            ).all()
        return {code: int(n) for code, n in rows}

    def procedure(self, code: str) -> ProcedureView:
        with self.db.reading() as s:
            row = s.get(Procedure, code.strip())
            if row is None:
                raise NotFound(f"Không có thủ tục mã '{code}'", f"No procedure '{code}'")
            return _procedure_view(row, office_in(s))


def _procedure_view(r: Procedure, office: Office) -> ProcedureView:
    """The catalogue's entry, with its processing agency as it resolves at this office."""
    return ProcedureView(
        code=r.code,
        name=r.name,
        field_code=r.field_code,
        field_name=r.field_name,
        level=r.level,
        processing_time=ProcessingTime(r.time_value, r.time_unit, r.time_cutoff),
        fees=fees_of(r.fees),
        documents=documents_of(r.documents),
        result_agency=r.result_agency,
        catalog_version=r.catalog_version,
        active=r.active,
        processing_agency=office.agency_for(r.code, r.result_agency),
    )
