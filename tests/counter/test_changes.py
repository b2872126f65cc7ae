"""One path for every change to a dossier: the clerk's action and the portal's word alike."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, text

from counter import integrity
from counter.clock import now
from counter.dossiers import DossierInput
from counter.handovers import RemoteHandover
from counter.models import AuditEntry, Dossier
from counter.remote import RemoteDue, RemoteStatus
from counter.statuses import Status
from counter.views import HandoverView


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


def test_a_page_from_the_portal_leaves_each_dossier_as_its_audit_line_says(
    app: Any, admin: Any, clerk: Any
) -> None:
    """A status, a due moment and a hand-over pulled together, written for many dossiers at
    once: each audit line holds the digest of its dossier as left, and ``check`` agrees."""
    first, second, third = (
        app.dossiers.receive(clerk, DossierInput("1.001193", name)).code
        for name in ("Lê Văn Sáu", "Lê Văn Bảy", "Lê Văn Tám")
    )
    # handed back and rated, with a note of quotes, a backslash and a tab
    note = 'Bản "sao" \\ có\tchứng thực, 50% phí'
    fourth = app.dossiers.receive(clerk, DossierInput("1.001193", "Lê Văn Chín", note=note)).code
    app.dossiers.set_status(admin, fourth, Status.DONE)
    app.dossiers.set_status(clerk, fourth, Status.RETURNED)
    app.ratings.rate(fourth, "satisfied", source="screen")
    with app.db.unit_of_work() as s:  # all sent: the portal's word about them applies
        s.execute(text("UPDATE outbox SET state = 'sent'"))
    moment = now()
    later = app.dossiers.get(first).due_at + timedelta(days=5)
    step = RemoteHandover(
        second, 41, HandoverView(moment, "000.00.36.H62", "UBND xã", "H62.10", "Sở", "Lan")
    )
    applied = app.sync_store.apply_remote_statuses(
        [
            RemoteStatus(
                first,
                Status.DONE,
                moment,
                "đã có kết quả",
                by="Phòng Tư pháp",
                due=RemoteDue(later, moment, "Phòng Tư pháp", "chờ xác minh"),
            ),
            RemoteStatus(second, Status.PROCESSING, moment, by="Phòng Tư pháp"),
            RemoteStatus(third, Status.RECEIVED, moment),  # nothing new: only confirmed
            RemoteStatus(
                fourth,
                Status.RETURNED,
                moment,
                due=RemoteDue(later, moment, "Phòng Tư pháp", 'hẹn "lại"\n'),
            ),
            RemoteStatus("000.00.36.H62-261231-9999", Status.DONE, moment),  # not ours
        ],
        "12",
        [step],
    )
    assert applied == 4  # first, second, second's hand-over, and fourth's due moment
    done = app.dossiers.get(first)
    assert (done.status, done.due_at) == (Status.DONE, later)
    assert [h[0] for h in _history(app, first)[-2:]] == ["done", "done"]  # status, then due
    assert _audit_actions(app, first)[-2:] == [
        ("dossier.status", "portal"),
        ("dossier.reschedule", "portal"),
    ]
    assert _audit_actions(app, second)[-2:] == [
        ("dossier.status", "portal"),
        ("dossier.handover", "portal"),
    ]
    assert _audit_actions(app, third)[-1] == ("dossier.receive", "clerk")
    with app.db.reading() as s:
        for code in (first, second, fourth):
            d = s.scalar(select(Dossier).where(Dossier.code == code))
            line = s.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity_key == code)
                .order_by(AuditEntry.id.desc())
                .limit(1)
            ).one()
            assert line.state.hex() == integrity.dossier_state(s, d)
        closed = s.scalar(select(Dossier.closed_at).where(Dossier.code == first))
        assert closed == moment  # the first closing status
        # every dossier named is confirmed, changed or not, at the moment of the pull
        named = Dossier.code.in_([first, second, third])
        confirmed = set(s.scalars(select(Dossier.portal_confirmed_at).where(named)))
        assert len(confirmed) == 1 and None not in confirmed
    assert app.maintenance.check().ok
    assert app.sync_store.cursor() == "12"
