"""The compiled checkers of ``protocol.schema`` give what the step-by-step check gives: the
same normalised value for what fits, the same first problem (code and field) for what does
not, over many entries spoilt one field at a time."""

from __future__ import annotations

import copy
import json
import random
import unicodedata
from typing import Any

import pytest

from protocol import (
    WireError,
    canonical_json,
    content_hash,
    dossier_entry,
    new_key,
    validate_entry,
)
from protocol.entries import _ENTRY_DATA
from protocol.schema import _check, check

DOSSIER = {
    "code": "000.00.36.H62-261126-1001",
    "agency_code": "000.00.36.H62",
    "counter_no": 1,
    "procedure_code": "1.001193",
    "procedure_name": "Thủ tục đăng ký khai sinh",
    "applicant": {
        "type": "citizen",
        "name": "Nguyễn Thị Ánh Tuyết",
        "id_number": "001190012345",
        "id_type": "cccd",
        "phone": "0912345678",
        "email": "",
        "address": "Thôn Đông, xã Hòa Bình",
    },
    "submitter": None,
    "channel": "direct",
    "sets": 1,
    "received_at": "2026-11-26T09:00:00+07:00",
    "due_at": "2026-11-28T17:00:00+07:00",
    "status": "received",
    "status_code": 2,
    "lookup_key": "4QMJKYUP",
    "documents": [{"code": "TK", "name": "Tờ khai", "originals": 1, "copies": 0}],
    "fees": [{"code": "LP", "name": "Lệ phí", "amount": 0}],
    "note": "",
    "received_by": "tiepnhan",
}


class Small(int):
    """An int that is not exactly ``int``: the compiled checkers leave it to the slow path."""


ODD_VALUES: list[Any] = [
    None,
    "",
    " ",
    "x" * 600,
    "a\x00b",
    unicodedata.normalize("NFD", "Đặng Thị Ánh"),
    0,
    -1,
    Small(3),
    True,
    1.5,
    float("nan"),
    [],
    [{}],
    {},
    {"extra": 1},
    "2026-11-26T09:00:00Z",
    "2026-11-26T24:00:00+07:00",
    "2026-02-30T09:00:00+07:00",
    "1989-12-31T09:00:00+07:00",
    "2026-13-40",
    "received",
    "cccd",
]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += _paths(item, (*prefix, i))
    return out


def _outcome(fn: Any, data: Any) -> tuple[str, Any]:
    try:
        return "ok", fn(data)
    except WireError as exc:
        return "refused", (exc.code, exc.path)


def test_the_sample_is_a_valid_dossier() -> None:
    assert dossier_entry(DOSSIER)["data"]["applicant"]["name"] == "Nguyễn Thị Ánh Tuyết"


@pytest.mark.parametrize("seed", range(2))
def test_compiled_and_step_by_step_agree(seed: int) -> None:
    spec = _ENTRY_DATA["dossier"]
    rng = random.Random(seed)
    paths = _paths(DOSSIER)
    refused = 0
    for _ in range(300):
        data = copy.deepcopy(DOSSIER)
        for _ in range(rng.randint(1, 2)):
            *parents, last = rng.choice(paths)
            holder: Any = data
            try:
                for step in parents:
                    holder = holder[step]
                if rng.random() < 0.15 and isinstance(holder, dict):
                    holder.pop(last, None)  # a field left out
                else:
                    holder[last] = copy.deepcopy(rng.choice(ODD_VALUES))
            except (KeyError, IndexError, TypeError):
                continue  # an earlier change took the way there
        fast = _outcome(lambda d: check(spec, d, "data"), data)
        slow = _outcome(lambda d: _check(spec, d, "data"), data)
        assert fast == slow, data
        refused += fast[0] == "refused"
    assert 0 < refused < 300  # both kinds of answer were seen


def test_the_content_hash_is_that_of_the_canonical_text_kept() -> None:
    """An entry's content hash is made from the canonical text of its data, kept beside it
    (the portal stores the dossier from it): the same digest as ``content_hash``, whatever
    the order of the keys sent."""
    data = dict(reversed(list(DOSSIER.items())))
    valid = validate_entry({"key": new_key(), "kind": "dossier", "data": data})
    assert valid.content_hash == content_hash("dossier", valid.data)
    assert valid.canonical == canonical_json(valid.data)
    assert json.loads(valid.canonical) == valid.data
    assert validate_entry(dossier_entry(DOSSIER)).content_hash == valid.content_hash
