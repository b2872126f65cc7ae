"""Desktop benchmarks: start to a usable window, the list's first screen, memory, and the keys
of an intake (offscreen).

Each sample is a fresh application process on the benchmark's database, as a clerk's start.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def run(app: Any, size: int, quick: bool, emit: Callable[..., None]) -> None:
    from devtools.ui_bench import (
        measure_first_page,
        measure_intake_keys,
        measure_list_memory,
        measure_startup,
    )

    data_dir = app.data_dir
    repeat = 3 if quick else 5
    emit("ui_startup", size, [measure_startup(data_dir) for _ in range(repeat)], target_ms=1500)
    emit(
        "ui_list_first_page",
        size,
        [measure_first_page(data_dir) for _ in range(repeat)],
        target_ms=200,
    )
    memory = max(measure_list_memory(data_dir) for _ in range(2))
    emit("ui_memory_list_open", size, [0.0], app_peak_rss_mb=round(memory, 1), target_mb=300)
    keys = measure_intake_keys()  # counted, not timed: the same on every run
    emit(
        "ui_intake_keystrokes",
        1,
        [0.0],
        keys_beyond_data=keys["repeat"],
        keys_beyond_data_first_time=keys["first"],
    )
