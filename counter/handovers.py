"""Hand-overs of dossiers between agencies, as the portal's change feed reports them: kept
once each (by the portal's id), in the transaction that applies the rest of the feed
(``SyncStore.apply_remote_statuses``), each new one a line of the audit trail."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

import protocol
from counter.clock import iso
from counter.models import DossierHandover
from counter.repository import chunks
from counter.views import HandoverView

#: Written with one plain statement for a page of the feed (the column types apply).
_HANDOVERS = cast(Table, DossierHandover.__table__)


@dataclass(frozen=True)
class RemoteHandover:
    """A hand-over of a dossier between agencies reported by the portal's change feed: the
    dossier's code, the portal's id of the hand-over, and the step as the dossier shows it."""

    code: str
    portal_id: int
    step: HandoverView

    @classmethod
    def from_wire(cls, code: str, h: Mapping[str, Any]) -> RemoteHandover:
        """From a change's checked ``handover`` object (``protocol.HANDOVER``)."""
        names = (h["from"], h["from_name"], h["to"], h["to_name"], h["by"], h["note"])
        return cls(code, h["id"], HandoverView(protocol.parse_datetime(h["at"]), *names))


def add_handovers(
    s: Session,
    dossiers: Mapping[str, Any],
    handovers: Sequence[RemoteHandover],
    trail: list[tuple[str, str, dict[str, Any]]],
) -> int:
    """Keep the hand-overs of known dossiers not kept yet (one statement), and add an audit
    line for each to ``trail``; how many dossiers got one. ``dossiers``: by code and portal
    code, each with its ``id`` and ``code`` (a mapped dossier or its columns)."""
    known = [(dossiers[h.code], h) for h in handovers if h.code in dossiers]
    if not known:
        return 0
    held: set[tuple[int, int]] = set()
    for part in chunks(sorted({d.id for d, _ in known})):
        rows = s.execute(
            select(DossierHandover.dossier_id, DossierHandover.portal_id).where(
                DossierHandover.dossier_id.in_(part)
            )
        )
        held.update((dossier_id, portal_id) for dossier_id, portal_id in rows)
    changed = set()
    new: list[dict[str, Any]] = []
    for d, remote in known:
        if (d.id, remote.portal_id) in held:
            continue
        held.add((d.id, remote.portal_id))
        h = remote.step
        new.append(
            {
                "dossier_id": d.id,
                "portal_id": remote.portal_id,
                "at": h.at,
                "from_code": h.from_code,
                "from_name": h.from_name,
                "to_code": h.to_code,
                "to_name": h.to_name,
                "by_name": h.by,
                "note": h.note,
            }
        )
        details = {"from": h.from_code, "to": h.to_code, "at": iso(h.at), "by": h.by}
        trail.append(("dossier.handover", d.code, details))
        changed.add(d.id)
    if new:
        s.execute(insert(_HANDOVERS), new)
    return len(changed)
