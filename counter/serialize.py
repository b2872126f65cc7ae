"""The dossier's JSON shapes, each built in one place from the same pieces.

Two readers take a dossier as JSON: the portal (the snapshot pushed once at intake, and the
status and due changes after it; their schemas are ``protocol.entries``) and scripts
(``counter-admin receive/find/show --json``, whose keys are a published contract). The
pieces they share (who applied, who handed it in, the papers, the fees, the history) are
written once below; each shape only arranges them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Protocol

from counter.clock import iso
from counter.views import (
    DocumentLine,
    DossierFileView,
    DossierSummary,
    DossierView,
    FeeLine,
    GuidanceView,
    HandoverView,
    ProcessingTime,
    RatingView,
)
from protocol.statuses import Status


class _Person(Protocol):
    """What a stored dossier row and a ``DossierView`` have alike."""

    @property
    def applicant_type(self) -> str: ...
    @property
    def applicant_name(self) -> str: ...
    @property
    def id_number(self) -> str: ...
    @property
    def id_type(self) -> str: ...
    @property
    def phone(self) -> str: ...
    @property
    def email(self) -> str: ...
    @property
    def address(self) -> str: ...
    @property
    def submitter_name(self) -> str: ...
    @property
    def submitter_id_number(self) -> str: ...
    @property
    def submitter_phone(self) -> str: ...


def submitter_json(d: _Person) -> dict[str, str] | None:
    """The person who handed the dossier in for the applicant, or None."""
    if not d.submitter_name:
        return None
    return {
        "name": d.submitter_name,
        "id_number": d.submitter_id_number,
        "phone": d.submitter_phone,
    }


def applicant_json(d: _Person) -> dict[str, str]:
    return {
        "type": d.applicant_type,
        "name": d.applicant_name,
        "id_number": d.id_number,
        "id_type": d.id_type,
        "phone": d.phone,
        "email": d.email,
        "address": d.address,
    }


def document_json(x: DocumentLine) -> dict[str, Any]:
    return {"code": x.code, "name": x.name, "originals": x.originals, "copies": x.copies}


def fee_json(x: FeeLine) -> dict[str, Any]:
    return {"code": x.code, "name": x.name, "amount": x.amount}


def processing_time_json(t: ProcessingTime) -> dict[str, Any]:
    """A time limit as the catalogue file writes it (the cut-off only when there is one)."""
    out: dict[str, Any] = {"value": t.value, "unit": t.unit}
    if t.cutoff:
        out["cutoff"] = t.cutoff
    return out


def documents_of(rows: Iterable[Mapping[str, Any]]) -> tuple[DocumentLine, ...]:
    """The stored document list (JSON) as domain objects."""
    return tuple(
        DocumentLine(
            r["code"],
            r["name"],
            r.get("originals", 0),
            r.get("copies", 0),
            r.get("requirement", "required"),
        )
        for r in rows
    )


def fees_of(rows: Iterable[Mapping[str, Any]]) -> tuple[FeeLine, ...]:
    """The stored fee list (JSON) as domain objects."""
    return tuple(FeeLine(r["code"], r["name"], r["amount"]) for r in rows)


# -- for scripts (the command line's --json) ---------------------------------------------------


def summary_json(d: DossierSummary | DossierView) -> dict[str, Any]:
    """One row of ``find --json``."""
    return {
        "code": d.code,
        "applicant_name": d.applicant_name,
        "procedure_code": d.procedure_code,
        "status": d.status.value,
        "received_at": iso(d.received_at),
        "due_at": iso(d.due_at),
    }


def receipt_json(d: DossierView) -> dict[str, Any]:
    """What ``receive --json`` prints for each dossier received."""
    return {
        "code": d.code,
        "received_at": iso(d.received_at),
        "due_at": iso(d.due_at),
        "status": d.status.value,
        "lookup_key": d.lookup_key,
    }


def guidance_json(g: GuidanceView) -> dict[str, Any]:
    """What ``guide --json`` prints: the guidance id and the codes of the missing papers."""
    return {
        "guidance_id": g.code,
        "missing": [x.code for x in g.missing],
        "guided_at": iso(g.guided_at),
        "procedure_code": g.procedure_code,
        "applicant_name": g.applicant_name,
        "received": [document_json(x) for x in g.received],
        "dossier_code": g.dossier_code or None,
    }


def file_json(f: DossierFileView) -> dict[str, Any]:
    """One version of a document line's digitised pages, as ``show --json`` lists it."""
    return {
        "doc": f.doc,
        "version": f.version,
        "sha256": f.sha256,
        "pages": f.pages,
        "bytes": f.bytes,
        "source": f.source,
        "original_name": f.original_name,
        "by": f.by,
        "at": iso(f.at),
    }


def rating_json(r: RatingView | None) -> dict[str, Any] | None:
    """``show --json``'s ``"rating"``: the citizen's latest, or null."""
    if r is None:
        return None
    return {"level": r.level, "reason": r.reason or None, "at": iso(r.at), "source": r.source}


def handover_json(h: HandoverView) -> dict[str, Any]:
    """One hand-over between agencies, as ``show --json`` lists it: ``from`` and ``to`` are
    agency codes, their names beside them."""
    return {
        "at": iso(h.at),
        "from": h.from_code,
        "to": h.to_code,
        "by": h.by,
        "from_name": h.from_name,
        "to_name": h.to_name,
        "note": h.note,
    }


def detail_json(d: DossierView, lang: str = "vi") -> dict[str, Any]:
    """``show --json``: the keys of ``find`` plus everything the counter knows."""
    data = summary_json(d)
    data.update(
        {
            "procedure_name": d.procedure_name,
            "status_code": d.status.number,
            "status_label": d.status.label(lang),
            "applicant_type": d.applicant_type,
            "id_number": d.id_number,
            "id_type": d.id_type,
            "phone": d.phone,
            "email": d.email,
            "address": d.address,
            "submitter": submitter_json(d),
            "channel": d.channel,
            "sets": d.sets,
            "lookup_key": d.lookup_key,
            "lookup_url": d.lookup_url,
            "processing_time": processing_time_json(d.processing_time),
            "documents": [document_json(x) for x in d.documents],
            "fees": [fee_json(f) for f in d.fees],
            "fees_total": d.fees_total,
            "received_by": d.received_by,
            "book": {"volume": d.book_volume, "number": d.book_number},
            "note": d.note,
            "portal_code": d.portal_code or None,
            "is_demo": d.is_demo,
            "sync_state": d.sync_state,
            "portal_confirmed_at": iso(d.portal_confirmed_at),
            "restarted_at": iso(d.restarted_at),
            "files": [file_json(f) for f in d.files],
            "handovers": [handover_json(h) for h in d.handovers],
            "rating": rating_json(d.rating),
            "history": [
                {
                    "at": iso(h.at),
                    "status": h.status.value,
                    "by": h.by,
                    "note": h.note,
                    "source": h.source,
                }
                for h in d.history
            ],
        }
    )
    return data


# -- for the portal (the outbox's payloads; schemas in protocol.entries) ----------------------


class _Stored(_Person, Protocol):
    @property
    def code(self) -> str: ...
    @property
    def agency_code(self) -> str: ...
    @property
    def counter_no(self) -> int: ...
    @property
    def procedure_code(self) -> str: ...
    @property
    def procedure_name(self) -> str: ...
    @property
    def channel(self) -> str: ...
    @property
    def sets(self) -> int: ...
    @property
    def received_at(self) -> datetime: ...
    @property
    def due_at(self) -> datetime: ...
    @property
    def status(self) -> str: ...
    @property
    def lookup_key(self) -> str: ...
    @property
    def documents(self) -> list[dict[str, Any]]: ...
    @property
    def fees(self) -> list[dict[str, Any]]: ...
    @property
    def note(self) -> str: ...
    @property
    def received_by(self) -> str: ...


def wire_snapshot(d: _Stored) -> dict[str, Any]:
    """The dossier as the portal first learns it (a stored row: its lists are already JSON)."""
    return {
        "code": d.code,
        "agency_code": d.agency_code,
        "counter_no": d.counter_no,
        "procedure_code": d.procedure_code,
        "procedure_name": d.procedure_name,
        "applicant": applicant_json(d),
        "submitter": submitter_json(d),
        "channel": d.channel,
        "sets": d.sets,
        "received_at": iso(d.received_at),
        "due_at": iso(d.due_at),
        "status": d.status,
        "status_code": Status(d.status).number,
        "lookup_key": d.lookup_key,
        "documents": d.documents,
        "fees": d.fees,
        "note": d.note,
        "received_by": d.received_by,
    }


def status_change_json(
    code: str, status: Status, at: datetime, by: str, note: str
) -> dict[str, Any]:
    return {
        "code": code,
        "status": status.value,
        "status_code": status.number,
        "at": iso(at),
        "by": by,
        "note": note,
    }


def due_change_json(
    code: str, due_at: datetime, reason: str, at: datetime, by: str
) -> dict[str, Any]:
    return {"code": code, "due_at": iso(due_at), "reason": reason, "at": iso(at), "by": by}


def rating_wire_json(code: str, level: str, reason: str, at: datetime) -> dict[str, Any]:
    """What the portal learns of a rating (``protocol.entries.RATING``)."""
    return {"code": code, "level": level, "reason": reason, "at": iso(at)}
