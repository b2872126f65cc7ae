"""``views.filled_at_once``: the same constructor as the dataclass's, faster, still frozen; and
refused where it would pass over what the generated one does."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pytest

from counter.views import ProcessingTime, filled_at_once


@filled_at_once
@dataclass(frozen=True)
class _Pair:
    left: int
    right: str = "r"


def test_it_takes_the_same_arguments_and_stays_frozen() -> None:
    assert _Pair(1) == _Pair(left=1, right="r")
    assert _Pair(2, "x").right == "x"
    with pytest.raises(TypeError):
        _Pair()  # type: ignore[call-arg]
    with pytest.raises(dataclasses.FrozenInstanceError):
        _Pair(1).left = 2  # type: ignore[misc]
    # a class of the product made so compares and hashes as a dataclass does
    one = ProcessingTime(value=5, unit="working_days")
    assert one == ProcessingTime(5, "working_days") and hash(one) == hash(
        ProcessingTime(5, "working_days")
    )


def test_a_class_with_post_init_or_factories_is_refused() -> None:
    def post_init(self: object) -> None:
        raise ValueError

    checked = dataclasses.make_dataclass(
        "Checked", [("x", int)], namespace={"__post_init__": post_init}, frozen=True
    )
    listed = dataclasses.make_dataclass(
        "Listed", [("xs", list[int], dataclasses.field(default_factory=list))], frozen=True
    )
    for cls in (checked, listed):
        with pytest.raises(TypeError):
            filled_at_once(cls)
