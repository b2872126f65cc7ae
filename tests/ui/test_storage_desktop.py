"""The desktop's "Lưu PDF…" and "Xuất CSV" write through the same guarded function as the
command line: never into the data folder, a pipe written through; the save dialog has asked
before a file is replaced."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest

from counter.outputs import OutputRefused


def test_saving_a_pdf_never_touches_the_data_folder(ctx: Any, qtbot: Any, tmp_path: Path):
    from ui.pdf_preview import PdfPreview
    from ui.print_service import save_pdf

    data = ctx.app.data_dir
    db = data / "counter.db"
    for inside in (db, data / "backups" / "x.pdf", data / "logs" / "counter.log"):
        with pytest.raises(OutputRefused):
            save_pdf(b"%PDF-1.4", inside, data)
    assert ctx.app.maintenance.check().ok

    fifo, received = tmp_path / "pipe", tmp_path / "received"
    os.mkfifo(fifo)
    with open(received, "wb") as sink:
        reader = subprocess.Popen(["cat", str(fifo)], stdout=sink)
    try:
        save_pdf(b"%PDF-1.4 through", fifo, data)
        assert stat.S_ISFIFO(fifo.lstat().st_mode)
        assert reader.wait(timeout=60) == 0
    finally:
        if reader.poll() is None:
            reader.kill()
            reader.wait()
    assert received.read_bytes() == b"%PDF-1.4 through"

    chosen = tmp_path / "bien-nhan.pdf"  # picked in the dialog, which asked before replacing
    chosen.write_bytes(b"an older receipt")
    preview = PdfPreview(ctx)
    qtbot.addWidget(preview)
    preview.set_pdf(b"%PDF-1.4 new", "Giấy tiếp nhận")
    preview._write_file(chosen)
    qtbot.waitUntil(lambda: chosen.read_bytes() == b"%PDF-1.4 new")

    # the counter's own copies of what it prints are the one output kept in the data folder
    copy = ctx.printing.keep_copy(b"%PDF-1.4 copy", "Giấy tiếp nhận 1")
    assert data in copy.parents and copy.read_bytes() == b"%PDF-1.4 copy"
