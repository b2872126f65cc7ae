"""The data folder's lock: every program of the counter that has the database open holds it
shared; whatever replaces the database (a restore) holds it exclusive.

A restore swaps the file under the path. A program that still had the old file open (the
desktop, a sync loop, a long ``receive --from-jsonl``) would go on writing into a file no one
will read again, and report success. So each ``CounterApp.open`` takes the lock shared for as
long as it is open, and ``restore`` refuses unless it can take it exclusive; while a restore
holds it, nothing opens the database.

It is an advisory ``flock`` on ``counter.lock`` in the data folder: the operating system drops
it when the program ends, however it ends, so a killed program never leaves it behind. On
Windows, where there is no ``flock``, the system's own rule stands in: a file another program
has open cannot be replaced.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from counter.errors import StorageError

LOCK_NAME = "counter.lock"
#: What the lock file says while a restore holds it alone.
REPLACING = b"replacing"

if sys.platform != "win32":
    import fcntl


class DataLock:
    """``counter.lock`` in one data folder, open for as long as this object is."""

    def __init__(self, data_dir: Path):
        self.path = data_dir / LOCK_NAME
        self._fd: int | None = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)

    def _take(self, exclusive: bool) -> bool:
        if sys.platform == "win32" or self._fd is None:
            return True
        try:
            fcntl.flock(self._fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def try_exclusive(self) -> bool:
        """Take it alone if no other program holds it (then this one may tidy the folder,
        and a mark a killed restore left is wiped)."""
        if not self._take(exclusive=True):
            return False
        self._mark(b"")
        return True

    def shared(self, wait_s: float = 0.0) -> None:
        """Hold it beside the other programs that have the database open (from exclusive, this
        lets them in); refused while a restore holds it.

        ``wait_s``: how long to wait for a program that holds it alone for a moment (another
        one opening the database tidies the folder and checks the schema first), so that
        many programs started at once all open; a restore is not waited for.
        """
        deadline = time.monotonic() + wait_s
        while not self._take(exclusive=False):
            if time.monotonic() < deadline and not self._replacing():
                time.sleep(0.05)
                continue
            self.release()
            raise StorageError(
                "Cơ sở dữ liệu đang được khôi phục hoặc thay thế: hãy thử lại sau ít phút",
                "The database is being restored or replaced: try again in a few minutes",
            )

    def exclusive(self) -> None:
        """Hold it alone, to replace the database; refused while any other program has it.
        The file says so meanwhile, so that programs opening the database do not wait."""
        if not self._take(exclusive=True):
            self.release()
            raise StorageError(
                "Cơ sở dữ liệu đang được dùng (ứng dụng quầy, đồng bộ hoặc một lệnh khác): "
                "hãy đóng chúng rồi thử lại",
                "The database is in use (the counter application, a sync or another "
                "command): close them and try again",
            )
        self._mark(REPLACING)

    def _mark(self, text: bytes) -> None:
        if sys.platform != "win32" and self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.pwrite(self._fd, text, 0)

    def _replacing(self) -> bool:
        if sys.platform == "win32" or self._fd is None:
            return False
        return os.pread(self._fd, len(REPLACING), 0) == REPLACING

    def release(self) -> None:
        if self._fd is not None:
            if self._replacing() and self._take(exclusive=True):
                self._mark(b"")  # this one was replacing: done
            os.close(self._fd)  # closing the file drops the lock
            self._fd = None
