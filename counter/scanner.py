"""Pages from a scanner, through SANE's own command ``scanimage``.

One ``scanimage`` batch per scan: 200 dpi greyscale JPEG pages (docs/digitisation.md), into
a private temporary folder, read back in page order. JPEG, as office scanners save, keeps an
A4 page near 100-300 KB where a lossless page would take a megabyte or more; the PDF then
carries each JPEG as it came. SANE's ``test`` device is a real
device of the same kind (``scanimage -d test``); its feeder empties after 10 sheets, which
is how a scanner that runs out or jams part-way looks from here. A scan that fails says why
in the clerk's words and hands back the pages it had, which the caller keeps or drops.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from counter.errors import Refused

#: Circular 01/2023/TT-VPCP's floor for digitised papers (docs/digitisation.md).
RESOLUTION_DPI = 200
MODE = "Gray"
#: Pages asked for in one scan at most (a feeder holds about a hundred sheets).
MAX_PAGES = 500
#: How long one batch may take: a slow feeder with many pages, never a hung device forever.
TIMEOUT_S = 1800


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
    device: str, pages: int | None = None, *, source: str = "", command: str = "scanimage"
) -> ScannedPages:
    """Scan ``pages`` pages (None: one from a flatbed, a feeder until it is empty)."""
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
            "--format=jpeg",
            f"--resolution={RESOLUTION_DPI}",
            f"--mode={MODE}",
            f"--batch={Path(folder) / 'page-%d.jpg'}",
        ]
        if count is not None:
            args.append(f"--batch-count={count}")
        try:
            done = subprocess.run(args, capture_output=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            return ScannedPages(
                _read(Path(folder)),
                ScannerError(
                    "Máy quét không trả lời (quá thời gian chờ)",
                    "The scanner does not answer (timed out)",
                ),
            )
        images = _read(Path(folder))
        reason = _reason(done.stderr.decode("utf-8", "replace"))
        empty_feeder = feeder and count is None and "out of documents" in reason.lower()
        whole = count is None or len(images) == count
        if (done.returncode == 0 or empty_feeder) and images and whole:
            return ScannedPages(images)
        return ScannedPages(images, _failure(device, images, count, reason))


def _read(folder: Path) -> tuple[bytes, ...]:
    """The pages written, in page order (``page-10`` after ``page-9``); an empty one is the
    half-written last page of a failed batch, and not a page."""
    found = sorted(folder.glob("page-*.jpg"), key=lambda p: int(p.stem.split("-")[1]))
    return tuple(content for p in found if (content := p.read_bytes()))


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
