"""The entry points: ``counter`` starts to a usable window, the benchmarks' probes, the
screenshot script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from devtools.ui_bench import measure_first_page, measure_list_memory, measure_startup

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]


def test_counter_starts_to_the_sign_in_window(cli):
    assert 0 < measure_startup(cli.data_dir) < 60_000


def test_counter_starts_to_first_run_setup_on_an_empty_folder(tmp_path):
    assert measure_startup(tmp_path / "empty") > 0
    assert (tmp_path / "empty" / "counter.db").exists()


def test_list_probes(cli):
    assert measure_first_page(cli.data_dir) > 0
    assert measure_list_memory(cli.data_dir, pages=1) > 10


@pytest.mark.slow
def test_the_screenshot_script_renders_every_screen(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "devtools.screenshots", str(tmp_path), "--count", "300"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    shots = sorted(tmp_path.glob("*.png"))
    assert len(shots) >= 19
    assert all(p.stat().st_size > 5000 for p in shots)


def test_the_user_guide_shows_every_screenshot():
    import re

    guide = (ROOT / "docs" / "huong-dan-su-dung.md").read_text("utf-8")
    linked = set(re.findall(r"\]\((screenshots/[^)]+\.png)\)", guide))
    shipped = {f"screenshots/{p.name}" for p in (ROOT / "docs" / "screenshots").glob("*.png")}
    assert linked == shipped
