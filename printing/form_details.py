"""What a form needs beyond the dossier, read from the dossier's own history and catalogue.

Shared by every front end that prints a form (the command line and the desktop).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from counter.statuses import Status
from counter.views import DocumentLine, DossierView, GuidanceView, ProcedureView
from printing.forms import FormDetails, HandoverStep

if TYPE_CHECKING:
    from counter.accounts import Actor


def form_details(
    kind: str,
    dossier: DossierView,
    procedure: ProcedureView | None,
    actor: Actor | None,
    issued_at: datetime,
) -> FormDetails:
    """Fill a form's details from what the dossier's history already says.

    The supplement request lists the catalogue's required documents not (fully)
    received, with the note of the request as its reason; the refusal takes the
    note of the refusal; the stop notice takes the note of the move to ``stopped``;
    the apology takes the reason and dates of the latest rescheduling
    (``DossierService.reschedule``); the control sheet lists the hand-overs pulled from the
    portal (without any, the usual rows to fill in by hand).
    """
    signer = actor.full_name if actor else ""
    if kind == "supplement":
        return FormDetails(
            issued_at=issued_at,
            missing=missing_documents(dossier, procedure),
            reasons=_latest_notes(dossier, Status.SUPPLEMENT_REQUESTED),
            contact_name=signer,
        )
    if kind == "refusal":
        return FormDetails(
            issued_at=issued_at,
            reasons=_latest_notes(dossier, Status.REJECTED),
            signer_name=signer,
        )
    if kind == "stop-notice":
        return FormDetails(issued_at=issued_at, reasons=_latest_notes(dossier, Status.STOPPED))
    if kind == "apology":
        if dossier.previous_due_at is None:  # never rescheduled: nothing to apologise for yet
            return FormDetails(issued_at=issued_at)
        return FormDetails(
            issued_at=issued_at,
            reasons=(dossier.reschedule_reason,) if dossier.reschedule_reason else (),
            new_due_at=dossier.due_at,
            previous_due_at=dossier.previous_due_at,
        )
    if kind == "control-sheet" and dossier.handovers:
        return FormDetails(issued_at=issued_at, handovers=handover_steps(dossier))
    return FormDetails(issued_at=issued_at)


def handover_steps(dossier: DossierView) -> tuple[HandoverStep, ...]:
    """The control sheet's rows from the hand-overs the portal reported, and one row to fill
    in by hand while the dossier has not come back to the office."""
    steps = tuple(
        HandoverStep(h.from_name, h.to_name, h.at, h.by, h.note) for h in dossier.handovers
    )
    if dossier.handovers[-1].to_code != dossier.agency_code:
        steps += (HandoverStep(dossier.handovers[-1].to_name, ""),)
    return steps


def guidance_details(
    guidance: GuidanceView, actor: Actor | None, issued_at: datetime
) -> FormDetails:
    """Mẫu 02 for an incomplete dossier at the counter: the required papers it lacked."""
    return FormDetails(
        issued_at=issued_at,
        missing=guidance.missing,
        reasons=(guidance.note,) if guidance.note.strip() else (),
        contact_name=actor.full_name if actor else guidance.guided_by_name,
    )


def missing_documents(
    dossier: DossierView, procedure: ProcedureView | None
) -> tuple[DocumentLine, ...]:
    """Required documents of the procedure the dossier holds fewer of than asked."""
    if procedure is None:
        return ()
    received = {d.code: d for d in dossier.documents}
    missing = []
    for need in procedure.documents:
        if not need.required:  # a conditional or optional paper is never asked for here
            continue
        have = received.get(need.code)
        originals = need.originals - (have.originals if have else 0)
        copies = need.copies - (have.copies if have else 0)
        if originals > 0 or copies > 0:
            missing.append(DocumentLine(need.code, need.name, max(originals, 0), max(copies, 0)))
    return tuple(missing)


def _latest_notes(dossier: DossierView, status: Status) -> tuple[str, ...]:
    for change in sorted(dossier.history, key=lambda h: h.at, reverse=True):
        if change.status == status and change.note.strip():
            return (change.note.strip(),)
    return ()
