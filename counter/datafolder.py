"""The data folder's own files: readable by their owner only, and no leftovers.

The folder holds every citizen's name, number and address (the database, its backups, the
log), so it and what is in it are owner-only: folders 0700, files 0600, made so when they are
created and made so again on every start (a copy, an unzip or an older release may have left
them open to everyone).

Whatever the counter writes under a temporary name ends in ``.part`` (a backup under way, a
database being built by ``init`` or checked by ``restore``) and is renamed when whole. A part
file left by a killed program, or a full disk, is removed on the next start, but only by a
program that has the folder to itself (``DataLock.try_exclusive``): otherwise it may be
another program's backup, still being written.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from counter.outputs import PART_SUFFIX

log = logging.getLogger("counter.db")

FOLDERS = ("backups", "logs", "prints", "files")
#: the files of the folder itself, and of its backups and logs
FILES = (
    "counter.db",
    "counter.db-*",
    "counter.lock",
    "secrets.json",
    "signin.json",
    "backups/*",
    "logs/*",
)


def _chmod(path: Path, mode: int) -> None:
    try:
        st = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode) or stat.S_IMODE(st.st_mode) == mode:
        return  # a link is left alone: it is not ours to follow
    try:
        os.chmod(path, mode)
    except OSError as exc:  # not the owner: noted in the log, never on a command's stderr
        log.info("cannot make %s owner-only: %s", path.name, exc.strerror)


def make_private(data_dir: Path) -> None:
    """Folders 0700 and files 0600 (on POSIX; elsewhere the user's profile folder does it)."""
    if os.name != "posix":
        return
    _chmod(data_dir, 0o700)
    for name in FOLDERS:
        _chmod(data_dir / name, 0o700)
    for pattern in FILES:
        for path in data_dir.glob(pattern):
            if path.is_file():
                _chmod(path, 0o600)


def is_leftover(path: Path) -> bool:
    """A part file, or the journal SQLite kept beside one."""
    name = path.name
    return name.endswith(PART_SUFFIX) or any(
        name.endswith(PART_SUFFIX + side) for side in ("-journal", "-wal", "-shm")
    )


def remove_leftovers(data_dir: Path) -> None:
    """Remove what killed backups, builds and restores left (run only with the folder alone)."""
    for folder in (data_dir, data_dir / "backups", data_dir / "files"):
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if is_leftover(path) and path.is_file() and not path.is_symlink():
                log.info("removing a leftover of an interrupted write: %s", path.name)
                path.unlink(missing_ok=True)
