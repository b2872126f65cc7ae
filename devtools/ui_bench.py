"""Measurements of the desktop application for the benchmark suite (offscreen); ``bench.ui``
runs them, and ``python -m devtools.ui_bench DATA_DIR`` prints them for one data folder.

Each measurement runs in a fresh process, as a clerk's start would:

- :func:`measure_startup`: from launching ``counter`` to its first usable window (the
  sign-in dialog, or first-run setup on an empty folder), in ms (wall);
  :func:`startup_sample` adds the processor time and when the data folder was open, and
  :func:`floor_sample` measures a bare PySide6 program showing the same window;
- :func:`measure_first_page`: from asking for the dossier list to its first screen of rows
  painted, in ms;
- :func:`measure_list_memory`: the peak resident memory (MB) of the application with the
  list open and scrolled through a few pages;
- :func:`measure_intake_keys`: the keys a clerk presses for one intake beyond the
  applicant's own data (``devtools.keyboard_drive``), on a demo counter of its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: how long the list probe waits for a page of a large folder (a bound, never a figure)
LIST_WAIT_S = 300.0


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def measure_startup(data_dir: str | os.PathLike[str]) -> float:
    """Milliseconds (wall) from starting ``counter`` to a window the clerk can type into."""
    return startup_sample(data_dir)["wall_ms"]


def startup_sample(data_dir: str | os.PathLike[str]) -> dict[str, float]:
    """One start of ``counter`` in a fresh process, from launching it: ``wall_ms`` to the
    first window usable (painted, active, and an event posted to the field with the focus
    dispatched to it: ``ui.startup.UsableProbe``), ``cpu_ms`` the processor time the process
    spent until then, ``opened_ms`` to the data folder open (at a usual start the sign-in
    window shows before it)."""
    started = time.time()
    cmd = [sys.executable, "-m", "ui.app", "--data-dir", str(data_dir), "--exit-when-ready"]
    line = _last_json(_run(cmd))
    return {
        "wall_ms": (float(line["ready_at"]) - started) * 1000,
        "cpu_ms": float(line["cpu_ms"]),
        "opened_ms": (float(line["opened_at"]) - started) * 1000,
    }


def floor_sample() -> dict[str, float]:
    """The same measure of a bare PySide6 program showing the same window
    (``devtools.ui_floor``)."""
    started = time.time()
    line = _last_json(_run([sys.executable, "-m", "devtools.ui_floor"]))
    return {
        "wall_ms": (float(line["ready_at"]) - started) * 1000,
        "cpu_ms": float(line["cpu_ms"]),
    }


def _run(cmd: list[str]) -> str:
    proc = subprocess.run(
        cmd, capture_output=True, text=True, env=_env(), cwd=ROOT, timeout=120, check=True
    )
    return proc.stdout


def measure_first_page(data_dir: str | os.PathLike[str]) -> float:
    """Milliseconds from opening the dossier list to its first rows on screen."""
    return float(_list_probe(data_dir)["first_page_ms"])


def measure_list_memory(data_dir: str | os.PathLike[str], pages: int = 10) -> float:
    """Peak resident memory (MB) with the list open and ``pages`` pages loaded."""
    return float(_list_probe(data_dir, pages)["peak_rss_mb"])


def measure_intake_keys() -> dict[str, int]:
    """Keys for a birth registration beyond the applicant's data: the procedure typed by
    name (``first``), and the counter's most used procedure taken again (``repeat``)."""
    return {k: int(v) for k, v in _probe("keys").items()}


def _probe_keys() -> dict[str, int]:
    """In this process: a demo counter, a clerk's window, two intakes by keyboard alone."""
    import tempfile

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from counter.accounts import Actor
    from devtools.keyboard_drive import BIRTH, Applicant, Keyboard, receive, wait_until
    from ui import fonts, i18n
    from ui.compat import MainThreadGarbageCollector
    from ui.context import UiContext
    from ui.main_window import MainWindow
    from ui.print_service import PrintService

    qt_app = QApplication.instance() or QApplication([])
    assert isinstance(qt_app, QApplication)
    collector = MainThreadGarbageCollector()
    collector.start()
    fonts.load(qt_app)
    i18n.install("vi")
    with tempfile.TemporaryDirectory(prefix="counter-keys-") as tmp:
        app = _keys_counter(Path(tmp) / "data")
        ctx = UiContext(app, printing=PrintService(app, sender=lambda *_a: "bench"))
        ctx.notifier.show_bug_dialogs = False
        ctx.actor = Actor("tiepnhan", "Trần Thị Tiếp", "clerk")
        window = MainWindow(ctx, idle_ms=0)
        window.resize(1366, 768)
        window.show()
        window.activateWindow()
        wait_until(lambda: QApplication.activeWindow() is window)
        wait_until(lambda: window.intake.picker.find(BIRTH) is not None)
        kb = Keyboard()
        kb.press(Qt.Key.Key_F2)
        first = receive(
            window, kb, Applicant("Lê Thị Bình", "001190012345", "0912345678"), by_name=True
        )
        wait_until(lambda: window.intake.picker.filter.usage.get(BIRTH, 0) >= 1, 30.0)
        repeat = receive(
            window, kb, Applicant("Trần Văn Cường", "001090054321", "0987654321"), by_name=False
        )
        window.dispose()
        window.close()
        ctx.close()
        app.close()
    collector.stop()
    return {"first": first, "repeat": repeat}


def _keys_counter(folder: Path) -> Any:
    """A new counter with the sample catalogue and a clerk, no dossier yet."""
    from counter.accounts import Actor
    from counter.app import CounterApp
    from counter.catalog import SAMPLE_CATALOG

    app = CounterApp.open(folder, create=True)
    app.office.init("000.00.36.H62", "UBND xã Hòa Bình", 1, "UBND TỈNH LÀO CAI", "commune")
    app.accounts.add_user(None, "quantri", "Nguyễn Văn Quản", "admin", "mat-khau-demo-2026")
    admin = Actor("quantri", "Nguyễn Văn Quản", "admin")
    app.accounts.add_user(admin, "tiepnhan", "Trần Thị Tiếp", "clerk", "mat-khau-demo-2026")
    app.catalog.import_file(admin, SAMPLE_CATALOG)
    return app


def _list_probe(data_dir: str | os.PathLike[str], pages: int = 10) -> dict[str, Any]:
    return _probe("list", str(data_dir), str(pages))


def _probe(*args: str) -> dict[str, Any]:
    """Run one of this module's probes in a fresh process; its measurement."""
    proc = subprocess.run(
        [sys.executable, "-m", "devtools.ui_bench", *args],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=ROOT,
        timeout=600,
        check=True,
    )
    return _last_json(proc.stdout)


def _last_json(stdout: str) -> dict[str, Any]:
    for line in reversed(stdout.splitlines()):
        if line.startswith("{"):
            return dict(json.loads(line))
    raise RuntimeError(f"no measurement in the output: {stdout!r}")


def _peak_rss_mb() -> float:
    """This process's own peak resident memory.

    On Linux ``ru_maxrss`` carries over the parent's peak across fork and exec, so a child
    of a large process would report the parent's figure; ``VmHWM`` is this image's own.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / (1024 * 1024)


def _probe_list(data_dir: Path, pages: int) -> dict[str, Any]:
    """In this process: open the list, time its first screen, then scroll ``pages`` pages."""
    from PySide6.QtWidgets import QApplication

    from counter.accounts import Actor
    from counter.app import CounterApp
    from devtools.keyboard_drive import wait_until
    from ui import fonts, i18n
    from ui.compat import MainThreadGarbageCollector
    from ui.context import UiContext
    from ui.dossier_list import DossierListPage

    qt_app = QApplication.instance() or QApplication([])
    assert isinstance(qt_app, QApplication)
    MainThreadGarbageCollector().start()  # as the application does
    fonts.load(qt_app)
    i18n.install("vi")
    app = CounterApp.open(data_dir)
    ctx = UiContext(app)
    ctx.actor = Actor("bench", "Bench", "clerk")
    page = DossierListPage(ctx)
    page.resize(1366, 768)

    loaded: list[float] = []
    page.model.loaded.connect(lambda: loaded.append(time.perf_counter()))
    started = time.perf_counter()
    page.show()
    wait_until(lambda: bool(loaded), LIST_WAIT_S)
    page.table.viewport().repaint()
    first_page_ms = (time.perf_counter() - started) * 1000
    rows = page.model.rowCount()
    for _ in range(pages):
        before = page.model.rowCount()
        if not page.model.canFetchMore():
            break
        page.table.scrollToBottom()
        page.model.fetchMore()
        wait_until(lambda before=before: page.model.rowCount() > before, LIST_WAIT_S)
    wait_until(lambda: page.model.total is not None, LIST_WAIT_S)
    result = {
        "first_page_ms": round(first_page_ms, 1),
        "first_page_rows": rows,
        "rows_loaded": page.model.rowCount(),
        "total": page.model.total,
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }
    page.close()
    ctx.close()
    app.close()
    return result


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["keys"]:
        print(json.dumps(_probe_keys()), flush=True)
        return 0
    if len(args) >= 2 and args[0] == "list":
        pages = int(args[2]) if len(args) > 2 else 10
        print(json.dumps(_probe_list(Path(args[1]), pages)), flush=True)
        return 0
    if len(args) == 1:
        print(json.dumps({"startup_ms": round(measure_startup(args[0]), 1)}))
        print(json.dumps(_list_probe(args[0])))
        return 0
    usage = "usage: python -m devtools.ui_bench DATA_DIR | list DATA_DIR [PAGES] | keys"
    print(usage, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
