"""What either side needs to handle a batch of the wire's entries at once: the portal a
push, the counter a lot of the feed."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's collector of reference cycles held off while a batch is read, checked and
    written. A batch's entries, rows and texts (tens or hundreds of thousands of objects,
    freed by their references once written) live until its statements run; the collector,
    counting them as they are made, went through every object of the process again and
    again, for no garbage. Left as it is when something else holds it off already; on again
    afterwards, whatever happened."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
