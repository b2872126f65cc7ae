"""One path for every change to a dossier: the clerk's action and the portal's word alike."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, text

from counter.clock import now
from counter.dossiers import DossierInput
from counter.models import AuditEntry
from counter.outbox import RemoteDue, RemoteStatus
from counter.statuses import Status


def _history(app: Any, code: str) -> list[tuple[str, str, str]]:
    return [(h.status.value, h.source, h.note) for h in app.dossiers.get(code).history]


def _audit_actions(app: Any, code: str) -> list[tuple[str, str]]:
    with app.db.reading() as s:
        rows = s.scalars(
            select(AuditEntry).where(AuditEntry.entity_key == code).order_by(AuditEntry.id)
        ).all()
        return [(r.action, r.actor) for r in rows]


def test_a_status_from_the_portal_reads_like_one_set_at_the_counter(
    app: Any, admin: Any, clerk: Any
) -> None:
    here = app.dossiers.receive(clerk, DossierInput("1.001193", "Lê Văn Một"))
    there = app.dossiers.receive(clerk, DossierInput("1.001193", "Lê Văn Hai"))
    moment = now()
    app.dossiers.set_status(admin, here.code, Status.PROCESSING, "chuyển phòng", at=moment)
    app.sync_store.apply_remote_statuses(
        [RemoteStatus(there.code, Status.PROCESSING, moment, "chuyển phòng", by="admin")], "1"
    )
    a, b = app.dossiers.get(here.code), app.dossiers.get(there.code)
    assert a.status == b.status == Status.PROCESSING
    assert _history(app, here.code)[-1] == ("processing", "counter", "chuyển phòng")
    assert _history(app, there.code)[-1] == ("processing", "portal", "chuyển phòng")
    assert _audit_actions(app, here.code)[-1] == ("dossier.status", "admin")
    assert _audit_actions(app, there.code)[-1] == ("dossier.status", "portal")


def test_the_moment_of_hand_back_is_the_first_one(app: Any, admin: Any, clerk: Any) -> None:
    code = app.dossiers.receive(clerk, DossierInput("1.001193", "Lê Văn Ba")).code
    first = now()
    app.dossiers.set_status(admin, code, Status.DONE, at=first)
    app.dossiers.set_status(clerk, code, Status.RETURNED, at=first + timedelta(minutes=5))
    returned = app.dossiers.get(code).returned_at
    assert returned == first + timedelta(minutes=5)
    # The portal reporting the same hand-back later changes nothing.
    app.sync_store.apply_remote_statuses(
        [RemoteStatus(code, Status.RETURNED, first + timedelta(hours=2))], "2"
    )
    assert app.dossiers.get(code).returned_at == returned


def test_a_new_due_date_from_the_portal_reads_like_a_reschedule(
    app: Any, admin: Any, clerk: Any
) -> None:
    here = app.dossiers.receive(clerk, DossierInput("1.001193", "Lê Văn Bốn"))
    there = app.dossiers.receive(clerk, DossierInput("1.001193", "Lê Văn Năm"))
    with app.db.unit_of_work() as s:  # both sent: the portal's word about them applies
        s.execute(text("UPDATE outbox SET state = 'sent'"))
    later = here.due_at + timedelta(days=3)
    app.dossiers.reschedule(admin, here.code, later, "thiếu hồ sơ liên thông")
    app.sync_store.apply_remote_statuses(
        [
            RemoteStatus(
                there.code,
                Status.RECEIVED,
                now(),
                due=RemoteDue(later, now(), "Phòng Tư pháp", "thiếu hồ sơ liên thông"),
            )
        ],
        "3",
    )
    a, b = app.dossiers.get(here.code), app.dossiers.get(there.code)
    assert a.due_at == b.due_at == later
    assert a.previous_due_at == here.due_at and b.previous_due_at == there.due_at
    assert a.reschedule_reason == b.reschedule_reason == "thiếu hồ sơ liên thông"
    assert _history(app, here.code)[-1][0:2] == ("received", "counter")
    assert _history(app, there.code)[-1][0:2] == ("received", "portal")
    assert _history(app, here.code)[-1][2] == _history(app, there.code)[-1][2]
    assert _audit_actions(app, there.code)[-1] == ("dossier.reschedule", "portal")
