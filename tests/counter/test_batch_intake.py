"""Batch intake (``receive --from-jsonl``) writes a batch's rows in its own order (the
dossiers by moment of receipt, the outbox keys made together), and must still leave exactly
what receiving its dossiers one by one leaves."""

from __future__ import annotations

import itertools
import json
import shutil
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from counter import audit, replay
from counter.clock import now
from counter.dossiers import DossierInput
from counter.errors import Refused
from counter.receiving import PAYLOAD, Payloads
from counter.search import find
from counter.views import DocumentLine
from protocol import validate_entry

NAMES = ("Nguyễn Thị Ánh Tuyết", "Trần Văn Bình", "Lê Thị Hồng Đào", "Phạm Quốc Việt")
PROCEDURES = ("1.001193", "1.000894", "1.000689")


def _items(back: Any, n: int) -> list[DossierInput]:
    """Dossiers of three procedures over scattered days, not in order of receipt; one hands
    in papers of its own."""
    papers = [DocumentLine("TK", "", 1, 0), DocumentLine("XNHN", "", 0, 2)]
    return [
        DossierInput(
            PROCEDURES[i % 3],
            NAMES[i % len(NAMES)],
            id_number=f"0011900{i:05d}",
            phone=f"09123{i:05d}",
            address="Thôn Đông, xã Hòa Bình",
            received_at=back - timedelta(days=(37 * i) % 23 + 1, minutes=i),
            documents=papers if i == 4 else None,
        )
        for i in range(n)
    ]


def _check(app: Any) -> None:
    with app.db.reading() as s:
        assert replay.replay(s) is None
        checked, problem = audit.verify(s)
        assert problem is None and checked > 0


def _stored(app: Any) -> list[Any]:
    """Every row receiving writes, in id order, and what a search by each name finds."""
    with app.db.reading() as s:
        return [
            s.execute(text(f"SELECT * FROM {table} ORDER BY id")).all()
            for table in ("dossiers", "outbox", "audit_log", "dossier_history")
        ] + [[x.code for x in find(s, name, 50)] for name in NAMES]


def test_a_batch_leaves_what_receiving_each_in_turn_leaves(
    app: Any, clerk: Any, app_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from counter.app import CounterApp

    moment = now()
    monkeypatch.setattr("counter.dossiers.now", lambda: moment)
    items = _items(moment.replace(hour=9, minute=0, second=0), 12)
    other_dir = tmp_path / "each-in-turn"
    shutil.copytree(app_template, other_dir)
    other = CounterApp.open(other_dir)

    def same_draws(first: int) -> None:
        keys, lookups = itertools.count(first), itertools.count(first)
        monkeypatch.setattr(
            "counter.receiving.outbox_key", lambda: f"00000000-0000-7000-8000-{next(keys):012d}"
        )
        monkeypatch.setattr("counter.dossiers.new_lookup_key", lambda: f"K{next(lookups):07d}")

    try:
        for counter in (app, other):  # two of the batch's days have a dossier already
            same_draws(1)
            counter.dossiers.receive_many(clerk, items[:2])
        same_draws(100)
        batch = app.dossiers.receive_many(clerk, items)
        same_draws(100)
        each = [other.dossiers.receive(clerk, item) for item in items]
        assert batch == each  # the views, in the order of the lines
        assert [v.received_at for v in batch] == [item.received_at for item in items]
        assert [v.code[-4:] for v in batch[:3]] == ["1002", "1002", "1001"]
        assert _stored(app) == _stored(other)
        _check(app)
    finally:
        other.close()


def test_a_batch_is_received_with_the_cycle_collector_held_off(
    app: Any, clerk: Any, monkeypatch: pytest.MonkeyPatch
):
    """The collector is off while a batch is cleaned and written, and on again after, even
    when the batch is refused."""
    import gc

    from counter import receiving

    seen: list[bool] = []
    write = receiving.write

    def watched(*args: Any) -> None:
        seen.append(gc.isenabled())
        write(*args)

    monkeypatch.setattr(receiving, "write", watched)
    assert gc.isenabled()
    app.dossiers.receive_many(clerk, _items(now().replace(hour=9, minute=0, second=0), 3))
    assert seen == [False] and gc.isenabled()
    bad = [DossierInput("1.001193", "")]
    with pytest.raises(Refused, match="dòng 1"):
        app.dossiers.receive_many(clerk, bad)
    assert gc.isenabled()


def test_a_batch_s_outbox_keys_are_uuids_made_in_order(app: Any, clerk: Any, admin: Any):
    items = _items(now().replace(hour=9, minute=0, second=0), 6)
    views = app.dossiers.receive_many(clerk, items)
    with app.db.reading() as s:
        rows = s.execute(text("SELECT idempotency_key, payload FROM outbox ORDER BY id")).all()
    keys = [uuid.UUID(key) for key, _ in rows]
    assert len(set(keys)) == len(views) and all(k.version == 7 for k in keys)
    # the first 48 bits are the moment in milliseconds: the batch's keys sit together
    moments = [k.int >> 80 for k in keys]
    assert moments == sorted(moments) and moments[-1] - moments[0] < 60_000
    assert abs(moments[0] / 1000 - time.time()) < 3600
    for key, payload in rows:  # what the portal checks a pushed entry's key against
        validate_entry({"key": key, "kind": "dossier", "data": json.loads(payload)})
    # a clerk's later change queues its entry under a key of the same kind, after them
    app.dossiers.set_status(admin, views[0].code, "processing")
    with app.db.reading() as s:
        (later,) = s.execute(
            text("SELECT idempotency_key FROM outbox WHERE kind != 'dossier'")
        ).one()
    assert uuid.UUID(later).version == 7 and uuid.UUID(later).int >> 80 >= moments[-1]
    _check(app)


#: Texts of every kind: Vietnamese, quotes, backslashes, "%", control characters, other scripts.
TEXTS = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
SCALARS = TEXTS | st.none() | st.booleans() | st.integers() | st.floats()
#: A payload: a dict of texts, numbers, lists and dicts, nested (a snapshot's are of these).
PAYLOADS = st.dictionaries(
    TEXTS,
    st.recursive(
        SCALARS,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXTS, inner, max_size=3),
        max_leaves=8,
    ),
    max_size=6,
)


@settings(deadline=None, max_examples=150)
@given(st.lists(PAYLOADS, min_size=1, max_size=4), st.data())
def test_a_payload_is_the_encoders_text_byte_for_byte(payloads: list[Any], data: Any):
    """The batch's payload texts (``receiving.Payloads``: a form per set of keys, a shared
    list encoded once) are what ``json.dumps`` writes, whatever the values and keys, for
    dicts sharing keys in another order and lists shared between them."""
    shared = data.draw(st.lists(SCALARS, max_size=3))
    given_ones = []
    for payload in payloads:
        if data.draw(st.booleans()):
            payload["documents"] = shared
        given_ones += [payload, dict(reversed(payload.items()))]
    texts = Payloads()
    for payload in given_ones * 2:
        assert texts(payload) == PAYLOAD.encode(payload)
