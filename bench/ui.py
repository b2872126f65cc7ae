"""Desktop benchmarks: start to a usable window, the list's first screen, memory, and the keys
of an intake (offscreen).

Each sample is a fresh application process on the benchmark's database, as a clerk's start.
``ui_startup`` is wall time from launching the process to the sign-in window painted, active
and dispatching events to the field with the focus; its floor is a bare PySide6 program
showing the same window, run in turn with it; ``cpu_ms`` is the processor time until then
and ``opened_ms`` when the data folder was open (the window shows before it).
"""

from __future__ import annotations

import os
import statistics
from collections.abc import Callable
from typing import Any


def run(app: Any, size: int, quick: bool, emit: Callable[..., None]) -> None:
    from devtools.ui_bench import (
        floor_sample,
        measure_first_page,
        measure_intake_keys,
        measure_list_memory,
        measure_startup,
        startup_sample,
    )

    data_dir = app.data_dir
    repeat = 3 if quick else 5
    # a clerk's PC has started the counter before (its sign-in card is there); not counted
    measure_startup(data_dir)
    product, floor = [], []
    for _ in range(5 if quick else 9):  # interleaved, so that both see the same load
        product.append(startup_sample(data_dir))
        floor.append(floor_sample())
    wall = [p["wall_ms"] for p in product]
    floor_ms = statistics.median(f["wall_ms"] for f in floor)
    emit(
        "ui_startup",
        size,
        wall,
        floor_ms=round(floor_ms, 1),
        ratio=round(statistics.median(wall) / floor_ms, 2),
        cpu_ms=round(statistics.median(p["cpu_ms"] for p in product), 1),
        floor_cpu_ms=round(statistics.median(f["cpu_ms"] for f in floor), 1),
        opened_ms=round(statistics.median(p["opened_ms"] for p in product), 1),
        load_avg=round(os.getloadavg()[0], 2),
        target_ms=1000,
    )
    emit(
        "ui_list_first_page",
        size,
        [measure_first_page(data_dir) for _ in range(repeat)],
        target_ms=200,
    )
    memory = max(measure_list_memory(data_dir) for _ in range(2))
    emit("ui_memory_list_open", size, [0.0], app_peak_rss_mb=round(memory, 1), target_mb=200)
    keys = measure_intake_keys()  # counted, not timed: the same on every run
    emit(
        "ui_intake_keystrokes",
        1,
        [0.0],
        keys_beyond_data=keys["repeat"],
        keys_beyond_data_first_time=keys["first"],
    )
