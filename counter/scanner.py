"""Pages from a scanner, through SANE's own command ``scanimage``.

One ``scanimage`` batch per scan: 200 dpi greyscale pages (docs/digitisation.md), as the
scanner's own pixels (PNM) into a private temporary folder, read back in page order and
encoded once as JPEG here: quality 60, progressive, which keeps 9-point text sharp and a
dense A4 page under 150 KB (scanimage's own JPEG, quality 75 baseline, takes about 200 KB
for the same page). The PDF then carries each JPEG as it is. SANE's ``test`` device is a real
device of the same kind (``scanimage -d test``); its feeder empties after 10 sheets, which
is how a scanner that runs out or jams part-way looks from here. A scan that fails says why
in the clerk's words and hands back the pages it had, which the caller keeps or drops.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from counter.errors import Refused

#: Circular 01/2023/TT-VPCP's floor for digitised papers (docs/digitisation.md).
RESOLUTION_DPI = 200
MODE = "Gray"
#: Pages asked for in one scan at most (a feeder holds about a hundred sheets).
MAX_PAGES = 500
#: JPEG for a scanned page: quality 60, progressive, Huffman tables optimised.
JPEG_QUALITY = 60
#: How long one batch may take: a slow feeder with many pages, never a hung device forever.
TIMEOUT_S = 1800
#: How often a batch is looked at for pages written and for the clerk's cancel.
LOOK_EVERY_S = 0.2


class ScannerError(Refused):
    """No scanner, a scanner that failed, or one that stopped part-way."""

    kind = "scanner"


@dataclass(frozen=True)
class ScannedPages:
    """JPEG pages in order; ``failure`` when the scanner stopped before it was done."""

    images: tuple[bytes, ...] = ()
    failure: ScannerError | None = field(default=None)


def is_feeder(source: str) -> bool:
    """A document feeder ("Automatic Document Feeder", "ADF Duplex", ...), not a flatbed."""
    return bool(re.search(r"feeder|adf", source, re.IGNORECASE))


def scan_pages(
    device: str,
    pages: int | None = None,
    *,
    source: str = "",
    command: str = "scanimage",
    on_page: Callable[[int], None] | None = None,
    cancel: threading.Event | None = None,
) -> ScannedPages:
    """Scan ``pages`` pages (None: one from a flatbed, a feeder until it is empty).

    ``on_page(n)`` is called (on this thread) when the scanner starts page ``n``; setting
    ``cancel`` stops the scanner, and the pages come back with a failure that says so."""
    if pages is not None and not 1 <= pages <= MAX_PAGES:
        raise ScannerError(
            f"Số trang phải từ 1 đến {MAX_PAGES}", f"Pages must be 1 to {MAX_PAGES}", field="pages"
        )
    program = shutil.which(command)
    if program is None:
        raise ScannerError(
            f"Chưa cài chương trình quét '{command}' (gói sane-utils)",
            f"The scanning program '{command}' is not installed (package sane-utils)",
        )
    feeder = is_feeder(source)
    count = pages if pages is not None else (None if feeder else 1)
    with tempfile.TemporaryDirectory(prefix="counter-scan-") as folder:
        args = [program]
        if device:
            args += ["-d", device]
        if source:
            args += ["--source", source]
        args += [
            "--format=pnm",
            f"--resolution={RESOLUTION_DPI}",
            f"--mode={MODE}",
            f"--batch={Path(folder) / 'page-%d.pnm'}",
        ]
        if count is not None:
            args.append(f"--batch-count={count}")
        stopped = _run(args, Path(folder), on_page, cancel)
        if isinstance(stopped, ScannerError):
            return ScannedPages(_read(Path(folder)), stopped)
        returncode, stderr = stopped
        images = _read(Path(folder))
        reason = _reason(stderr)
        empty_feeder = feeder and count is None and "out of documents" in reason.lower()
        whole = count is None or len(images) == count
        if (returncode == 0 or empty_feeder) and images and whole:
            return ScannedPages(images)
        return ScannedPages(images, _failure(device, images, count, reason))


def _run(
    args: list[str],
    folder: Path,
    on_page: Callable[[int], None] | None,
    cancel: threading.Event | None,
) -> tuple[int, str] | ScannerError:
    """Run one batch: its exit code and what it said, or why it was stopped."""
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err)
        deadline = time.monotonic() + TIMEOUT_S
        started = 0
        stop: ScannerError | None = None
        while True:
            try:
                process.wait(LOOK_EVERY_S)
                break
            except subprocess.TimeoutExpired:
                pass
            if on_page is not None:
                n = len(list(folder.glob("page-*")))  # the page being written is a .part
                if n > started:
                    started = n
                    on_page(n)
            if cancel is not None and cancel.is_set():
                stop = ScannerError("Đã hủy quét", "Scanning cancelled")
            elif time.monotonic() > deadline:
                stop = ScannerError(
                    "Máy quét không trả lời (quá thời gian chờ)",
                    "The scanner does not answer (timed out)",
                )
            if stop is not None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
                return stop
        err.seek(0)
        return process.returncode, err.read().decode("utf-8", "replace")


def encode_page(image: Any) -> bytes:
    """A scanned page (a Pillow image) as the JPEG the PDF carries, at the scan's resolution."""
    buffer = io.BytesIO()
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB" if image.mode.startswith(("RGB", "P", "CMYK")) else "L")
    image.save(
        buffer,
        "JPEG",
        quality=JPEG_QUALITY,
        progressive=True,
        optimize=True,
        dpi=(RESOLUTION_DPI, RESOLUTION_DPI),
    )
    return buffer.getvalue()


def _read(folder: Path) -> tuple[bytes, ...]:
    """The pages written, in page order (``page-10`` after ``page-9``), encoded as JPEG; an
    empty or cut-short one is the half-written last page of a failed batch, and not a page."""
    from PIL import Image  # loaded when a scan is made, not when the program starts

    pages = []
    found = sorted(folder.glob("page-*.pnm"), key=lambda p: int(p.stem.split("-")[1]))
    for path in found:
        try:
            with Image.open(path) as image:
                image.load()
                pages.append(encode_page(image))
        except (OSError, ValueError, SyntaxError):
            break  # the page the scanner was writing when it stopped
    return tuple(pages)


def _reason(stderr: str) -> str:
    """``scanimage``'s own words for what went wrong: its last line about a failure."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in reversed(lines):
        if line.startswith("scanimage:") or "failed" in line or "error" in line.lower():
            return line.removeprefix("scanimage:").strip()
    return lines[-1] if lines else ""


def _failure(
    device: str, images: tuple[bytes, ...], count: int | None, reason: str
) -> ScannerError:
    shown = device or "mặc định"
    if not images:
        return ScannerError(
            f"Không quét được từ máy quét '{shown}': {reason or 'không rõ lý do'}. "
            "Kiểm tra máy quét đã cắm và bật",
            f"Cannot scan from scanner '{device or 'default'}': {reason or 'unknown reason'}. "
            "Check that the scanner is plugged in and on",
        )
    wanted = f"/{count}" if count is not None else ""
    return ScannerError(
        f"Máy quét dừng giữa chừng sau {len(images)}{wanted} trang: {reason or 'không rõ lý do'}",
        f"The scanner stopped after {len(images)}{wanted} pages: {reason or 'unknown reason'}",
    )
