"""A lot of the feed is applied with Python's cycle collector held off, and the collector is
as it was afterwards, whatever happened."""

from __future__ import annotations

import gc

import pytest

from protocol.batching import collector_paused as _collector_paused


def test_the_collector_is_held_off_for_a_lot_and_as_it_was_after() -> None:
    was = gc.isenabled()
    try:
        gc.enable()
        with _collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled()
        with pytest.raises(RuntimeError), _collector_paused():
            raise RuntimeError("the lot failed")
        assert gc.isenabled()
        gc.disable()  # someone else holds it off: left so
        with _collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()
