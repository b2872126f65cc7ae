"""Receiving writes its rows with prepared statements: they must read back exactly as the
mapped classes would have written them, with the same guarantees (numbering, the outbox
entry, the chained audit line whose state ``check`` replays, the search entry)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from counter import audit, integrity, replay, search
from counter.clock import now
from counter.dossiers import DossierInput
from counter.errors import NotFound
from counter.models import AuditEntry, Dossier, OutboxEntry
from counter.repository import id_of_key
from counter.search import find, find_keys, search_key
from counter.serialize import wire_snapshot
from counter.storage import SYNC_STATE

NAMES = ("Nguyễn Thị Ánh Tuyết", "Trần Văn Bình", "Lê Thị Hồng Đào", "Phạm Quốc Việt")


def _item(i: int, **extra: Any) -> DossierInput:
    day = now().replace(hour=9, minute=0, second=0) - timedelta(days=1 + i % 3)
    return DossierInput(
        "1.001193",
        NAMES[i % len(NAMES)],
        id_number=f"0011900{i:05d}",
        phone=f"09123{i:05d}",
        address="Thôn Đông, xã Hòa Bình",
        received_at=day + timedelta(minutes=i),
        **extra,
    )


def _check(app: Any) -> None:
    with app.db.reading() as s:
        assert replay.replay(s) is None
        checked, problem = audit.verify(s)
        assert problem is None and checked > 0


def test_a_received_dossier_reads_back_as_the_view_receive_returned(app: Any, clerk: Any):
    view = app.dossiers.receive(clerk, _item(1, note="Nộp thay"))
    assert app.dossiers.get(view.code) == view
    assert view.received_by_name == "Trần Thị Tiếp"
    assert [h.status.value for h in view.history] == ["received"]
    with app.db.reading() as s:
        d = s.scalar(select(Dossier).where(Dossier.code == view.code))
        key = search_key(d.received_at, d.id) if d is not None else 0
        assert d is not None and key >> 32 == d.received_at.date().toordinal()
        assert id_of_key(key) == d.id and key in find_keys(s, view.applicant_name)
        (entry,) = s.scalars(select(OutboxEntry).where(OutboxEntry.dossier_id == d.id)).all()
        assert (entry.kind, entry.state, entry.attempts) == ("dossier", "pending", 0)
        assert json.loads(entry.payload) == wire_snapshot(d)
        assert d.sync_state == "pending"
        line = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
        assert (line.action, line.entity_key) == ("dossier.receive", view.code)
        assert line.state.hex() == integrity.dossier_state(s, d)
        assert [x.code for x in find(s, "tran van binh")] == [view.code]
        assert [x.code for x in find(s, view.phone[:6])] == [view.code]
    _check(app)


def test_a_batch_numbers_each_day_and_the_book_in_order(app: Any, clerk: Any):
    first = app.dossiers.receive(clerk, _item(0))
    views = app.dossiers.receive_many(clerk, [_item(i) for i in range(1, 10)])
    assert [v.book_number for v in views] == list(range(first.book_number + 1, 11))
    by_day: dict[str, list[int]] = {}
    for v in [first, *views]:
        by_day.setdefault(v.code.rsplit("-", 2)[1], []).append(int(v.code.rsplit("-", 1)[1]))
    for numbers in by_day.values():
        assert numbers == list(range(1001, 1001 + len(numbers)))
    for v in views:
        assert app.dossiers.get(v.code) == v
    with app.db.reading() as s:
        assert s.scalar(text("SELECT count(*) FROM outbox WHERE kind = 'dossier'")) == 10
        assert search.entries(s) == 10
        # each one's receipt line is made of its row, not stored
        assert s.scalar(text("SELECT count(*) FROM dossier_history")) == 0
    _check(app)
    # and a later receive goes on from where the batch stopped
    after = app.dossiers.receive(clerk, _item(3))
    assert after.book_number == 11
    _check(app)


def test_demo_dossiers_queue_nothing_and_stay_local(app: Any, clerk: Any):
    view = app.dossiers.receive(clerk, _item(2, is_demo=True))
    assert view.is_demo and view.sync_state == "local"
    with app.db.reading() as s:
        assert s.scalar(text("SELECT count(*) FROM outbox")) == 0
        (state,) = s.execute(text("SELECT sync_state FROM dossiers")).one()
        assert state == SYNC_STATE.stored("local")
    _check(app)  # a demo dossier received as any other is neither replayed nor taken as gone


def test_a_bad_line_refuses_the_whole_batch(app: Any, clerk: Any):
    def counts() -> list[int]:
        with app.db.reading() as s:
            return [
                s.scalar(text(f"SELECT count(*) FROM {table}"))
                for table in ("dossiers", "dossier_history", "outbox")
            ] + [search.entries(s), s.scalar(text("SELECT max(id) FROM audit_log"))]

    before = counts()
    items = [_item(1), _item(2), DossierInput("9.999999", "Trần Văn Bình"), _item(4)]
    with pytest.raises(NotFound) as refused:
        app.dossiers.receive_many(clerk, items, [5, 6, 7, 8])
    assert refused.value.message_en.startswith("line 7: ")
    assert counts() == before
