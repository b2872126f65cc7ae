"""A dossier's digest written from its fields' JSON texts (``integrity.DossierDigester``, as
the pull writes many at once) is ``integrity.dossier_digest``'s, byte for byte."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from counter import integrity
from counter.clock import VN_TZ as VN

#: Texts of every kind: Vietnamese, quotes and backslashes, control characters, other scripts.
TEXTS = st.text(st.characters(codec="utf-8"), max_size=12)
MOMENTS = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(VN)
) | st.datetimes(timezones=st.just(UTC))
SCALARS = (
    TEXTS
    | st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
)
#: A field's value: a scalar, a moment or a day (a column's), or a document (a JSON column's).
VALUES = (
    SCALARS
    | MOMENTS
    | st.dates()
    | st.recursive(
        SCALARS,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXTS, inner, max_size=3),
        max_leaves=6,
    )
)
ENTRIES = st.lists(st.tuples(TEXTS, TEXTS, TEXTS), max_size=3)
RATINGS = st.none() | st.tuples(TEXTS, TEXTS | st.none(), MOMENTS | st.none(), TEXTS)


def _same_digest(
    values: dict[str, Any],
    rating: tuple[Any, ...] | None,
    outbox: list[tuple[str, str, str]],
    sent: list[tuple[str, str, str]],
    order: list[str],
) -> None:
    d = SimpleNamespace(**values)
    if rating is not None:
        d.rating_level, d.rating_reason, d.rated_at, d.rating_source = rating
    texts = [integrity.value_json(values[name]) for name in order]
    rated = None if rating is None else integrity.value_json(integrity.rating_value(*rating))
    queue = integrity.outbox_json(outbox, sent)
    got = integrity.DossierDigester(order).digest(texts, queue, rated)
    assert got == integrity.dossier_digest(d, outbox, sent)
    if rating is None:  # a procedure's fields written in once, the others given
        written = {"fees", "note", *order[:3]}  # "%" in a text written in stays a "%"
        known = {name: integrity.value_json(values[name]) for name in written}
        partial = integrity.partial_digest(known)
        given = {name: integrity.value_json(values[name]) for name in order} | {"outbox": queue}
        assert partial.digest(tuple(given[key] for key in partial.keys)) == got


def test_an_awkward_dossier_digests_the_same_written_either_way() -> None:
    moment = datetime(2026, 5, 18, 9, 30, tzinfo=VN)
    values: dict[str, Any] = {name: "" for name in integrity.DOSSIER_FIELDS}
    values |= {
        "applicant_name": "Nguyễn Thị Ánh Tuyết",
        "address": 'Thôn "Đông", xã Hòa Bình\\\n\t\x00\x1f\x7f\u2028 — ☎ 𝔘',
        "note": "trích dẫn 'đơn' \"kép\" \r\n 100%s %%",
        "counter_no": 3,
        "sets": 0,
        "time_value": 7.5,
        "fees_total": -12_000_000_000_000_000_000,
        "is_demo": False,
        "receipt_day": date(2026, 5, 18),
        "received_at": moment,
        "due_at": moment.astimezone(UTC) + timedelta(days=7),
        "closed_at": None,
        "restarted_at": None,
        "documents": [
            {"name": "Tờ khai (bản chính)", "copies": 1, "kind": "goc", "optional": None},
            {"ghi chú": ["a", 1.0, float("inf"), float("nan"), {"z": 1, "ä": 2, "A": 3}]},
        ],
        "fees": [{"name": "Lệ phí 50% (%s)", "amount": 50_000, "rate": 0.1}],
    }
    outbox = [("0195-key", "dossier", '{"code":"Hồ sơ \\"1\\""}'), ("k2", "status", "")]
    sent = [("k0", "rating", "ab" * 32)]
    order = list(integrity.DOSSIER_FIELDS)
    random.Random(14).shuffle(order)
    for rating in (None, ("very_satisfied", None, moment, "screen"), ("bad", "Chậm\n", None, "")):
        _same_digest(values, rating, outbox, sent, order)
        _same_digest(values, rating, [], [], list(integrity.DOSSIER_FIELDS))


@settings(deadline=None, max_examples=60)
@given(
    st.dictionaries(st.sampled_from(integrity.DOSSIER_FIELDS), VALUES, max_size=6),
    RATINGS,
    ENTRIES,
    ENTRIES,
    st.randoms(use_true_random=False),
)
def test_any_dossier_digests_the_same_written_either_way(
    values: dict[str, Any],
    rating: tuple[Any, ...] | None,
    outbox: list[tuple[str, str, str]],
    sent: list[tuple[str, str, str]],
    rng: random.Random,
) -> None:
    order = list(integrity.DOSSIER_FIELDS)
    rng.shuffle(order)
    _same_digest({name: "" for name in order} | values, rating, outbox, sent, order)
