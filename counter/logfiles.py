"""The counter's log files in its data folder (``logs/counter.log``, rotated, owner-only)."""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
from pathlib import Path


class _PrivateLog(logging.handlers.RotatingFileHandler):
    """Log files made owner-only when they are created (each rotation makes a new one)."""

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)

    def handleError(self, record: logging.LogRecord) -> None:
        """A log line that cannot be written (a full disk, a log folder gone) is dropped:
        the work it describes is done or refused as it would be, and the terminal is not
        handed logging's own trace in the middle of a command's output."""


def setup_logging(data_dir: Path, level: int = logging.INFO) -> None:
    """Rotating log files in the data folder; no personal data at INFO.

    When the log cannot be opened (a full disk, a ``logs`` that is no folder, no right to
    write), the program works without one, and says nothing of it on the terminal.
    """
    root = logging.getLogger()
    if any(getattr(h, "_counter", False) for h in root.handlers):
        return
    handler: logging.Handler
    try:
        logs = data_dir / "logs"
        logs.mkdir(mode=0o700, parents=True, exist_ok=True)
        handler = _PrivateLog(
            logs / "counter.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()  # and not logging's last resort, the terminal
    handler._counter = True  # type: ignore[union-attr]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(min(root.level or level, level))
