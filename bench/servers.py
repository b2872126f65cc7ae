"""A server the bench starts in a process of its own, on a free port of 127.0.0.1."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def serving(
    args: list[str], what: str, *, start_s: float = 60, stop_s: float = 15
) -> Iterator[str]:
    """``python ARGS``, which prints its address first; yields that address and stops the
    process at the end (in a session of its own, with whatever it started). ``what`` names it
    if it does not start in ``start_s`` seconds; it is killed if it has not ended ``stop_s``
    seconds after being asked to."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], start_s)
        line = proc.stdout.readline() if ready else ""
        match = re.search(r"http://\S+", line)
        if match is None:
            raise RuntimeError(f"{what} did not start: {line!r}")
        yield match.group(0)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=stop_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
