"""The one status table, and the two state machines read from it."""

from __future__ import annotations

import pytest

from counter import statuses as counter_statuses
from protocol import statuses
from protocol.statuses import COUNTER, PORTAL, TRANSITIONS, Status

COUNTER_ROLES = (counter_statuses.CLERK, counter_statuses.SUPERVISOR, counter_statuses.ADMIN)


def test_numbers_are_the_national_ones() -> None:
    assert [s.number for s in Status] == list(range(1, 11))
    assert statuses.STATUS_BY_CODE[10] is Status.RETURNED
    assert statuses.STATUS_CODES["stopped"] == 8


def test_every_status_has_both_labels() -> None:
    for status in Status:
        assert status.label_vi and status.label_en
        assert status.label("en") == status.label_en


def test_counter_moves_are_the_protocols_counter_moves() -> None:
    for frm in Status:
        for to in Status:
            by_counter = any(counter_statuses.allowed(frm, to, r) for r in COUNTER_ROLES)
            assert by_counter == statuses.allowed(frm, to, COUNTER), (frm, to)
            assert counter_statuses.allowed(frm, to, PORTAL) == statuses.allowed(frm, to, PORTAL)


def test_a_clerk_never_makes_a_supervisor_move() -> None:
    for frm, to in counter_statuses.SUPERVISOR_MOVES:
        assert not counter_statuses.allowed(frm, to, counter_statuses.CLERK)
        assert counter_statuses.allowed(frm, to, counter_statuses.SUPERVISOR)
        assert COUNTER in TRANSITIONS[(frm, to)]


def test_an_unknown_role_may_do_nothing() -> None:
    assert not any(counter_statuses.allowed(frm, to, "guest") for frm, to in TRANSITIONS)


@pytest.mark.parametrize(
    ("current", "target", "party", "words"),
    [
        ("done", "done", COUNTER, "already"),
        ("returned", "received", COUNTER, "cannot go"),
        ("done", "returned", PORTAL, "the portal may not"),
        ("received", "withdrawn", PORTAL, "the portal may not"),
    ],
)
def test_refusals_say_why(current: str, target: str, party: str, words: str) -> None:
    why = statuses.refusal(current, target, party)
    assert why is not None and words in why[1]
    assert why[0] != why[1]


def test_allowed_moves_are_not_refused() -> None:
    for (frm, to), parties in TRANSITIONS.items():
        for party in parties:
            assert statuses.refusal(frm, to, party) is None


def test_labels_are_the_national_portals_words() -> None:
    assert [s.label_vi for s in Status] == [
        "Mới đăng ký",
        "Được tiếp nhận",
        "Không được tiếp nhận",
        "Đang xử lý",
        "Yêu cầu bổ sung giấy tờ",
        "Yêu cầu thực hiện nghĩa vụ tài chính",
        "Công dân yêu cầu rút hồ sơ",
        "Dừng xử lý",
        "Đã xử lý xong",
        "Đã trả kết quả",
    ]
