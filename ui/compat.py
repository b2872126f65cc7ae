"""Work-arounds for defects of the Qt bindings, each with the reason and when to drop it."""

from __future__ import annotations

import ctypes
import gc
import sys

_PLENTY = 1 << 40


def keep_none_alive() -> None:
    """Make ``None`` (and ``True``, ``False``) immortal on Python 3.11, as Python 3.12 does
    for everyone (PEP 683).

    PySide6 6.12.0 drops one reference to ``None`` each time Python calls a Qt method that
    returns nothing (``setText``, ``update``, ``processEvents``...). On Python 3.12 and later
    ``None`` is immortal and nothing happens; on 3.11 its count runs down as the clerk works
    and the interpreter aborts with "deallocating None" after some thousands of calls.
    Giving ``None`` a huge count here is exactly what 3.12 does. Drop this once the
    bindings are fixed or Python 3.11 is no longer supported.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    # True and False run down the same way (a thousand-odd looks at ``isVisible()`` while a
    # scan runs ended in "deallocating True or False"); 3.12 makes them immortal too
    for value in (None, True, False):
        count = ctypes.c_ssize_t.from_address(id(value))  # ob_refcnt, the first field
        if count.value < _PLENTY:
            count.value += _PLENTY


class MainThreadGarbageCollector:
    """Collect reference cycles on the GUI thread only.

    Python's cyclic collector runs on whichever thread happens to allocate when a threshold
    is crossed: a worker, say. A cycle holding a Qt object would then destroy that object
    on the worker, which Qt does not allow (the process may crash). So automatic collection
    is turned off and a timer on the GUI thread collects instead, with the same thresholds.
    """

    def __init__(self, interval_ms: int = 500):
        from PySide6.QtCore import QTimer

        self.thresholds = gc.get_threshold()
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        gc.disable()
        self.timer.start()

    def check(self) -> None:
        first, second, third = gc.get_count()
        if first > self.thresholds[0]:
            generation = 0
            if second > self.thresholds[1]:
                generation = 2 if third > self.thresholds[2] else 1
            gc.collect(generation)

    def stop(self) -> None:
        self.timer.stop()
        gc.collect()
        gc.enable()
