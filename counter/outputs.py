"""Writing a file a person named: a PDF, a CSV, a backup. Every front end writes through here.

The name is whatever was typed after ``-o`` or picked in a dialog, perhaps by someone in a
hurry, perhaps as root, so:

- nothing inside the counter's data folder (its database, backups, logs) is ever an output,
  whether named directly or through a link;
- an existing file is replaced only when asked (``force``), and then atomically: a reader sees
  the old file or the new one, never half of either; without ``force`` the name is taken only
  if it is still free at the moment of writing;
- a special file that takes a stream (a pipe, a terminal, ``/dev/null``) is written through and
  stays what it was; a folder, a socket or a disk device is refused.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from counter.errors import Refused

#: Fills a new, empty file at the path it is given (a backup written by SQLite).
Filler = Callable[[Path], None]

PART_SUFFIX = ".part"


class OutputRefused(Refused):
    """The output file cannot go where it was asked to. Nothing was written."""

    kind = "output"


def _refuse(vi: str, en: str) -> NoReturn:
    raise OutputRefused(vi, en, field="output")


def _inside(path: Path, folder: Path) -> bool:
    a, b = os.path.normcase(path), os.path.normcase(folder)
    return a == b or a.startswith(b.rstrip(os.sep) + os.sep)


def check_output(
    path: str | os.PathLike[str], *, data_dir: Path | None, force: bool = False
) -> Path:
    """Where the file named ``path`` would really be written, or a refusal saying why not.

    Run it on every output of a command before writing any, so a refused command writes none.
    """
    named = Path(path).expanduser()
    target = Path(os.path.realpath(named))
    if data_dir is not None and _inside(target, Path(os.path.realpath(data_dir))):
        _refuse(
            f"'{named}' nằm trong thư mục dữ liệu của quầy: hãy lưu ra nơi khác",
            f"'{named}' is inside the counter's data folder: save it somewhere else",
        )
    try:
        st = os.stat(target)
    except FileNotFoundError:
        if named.is_symlink():
            _refuse(
                f"'{named}' là liên kết tới một tệp không có: không ghi qua liên kết đó",
                f"'{named}' is a link to a file that does not exist: not writing through it",
            )
        return target
    except OSError as exc:
        _cannot_write(named, exc)
    if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
        return target
    if not stat.S_ISREG(st.st_mode):
        _refuse(
            f"'{named}' không phải là một tệp (thư mục, socket hay thiết bị): không ghi vào đó",
            f"'{named}' is not a file (a folder, a socket or a device): nothing is written there",
        )
    if not force:
        _exists(named)
    return target


def write_output(
    path: str | os.PathLike[str],
    content: bytes | Filler,
    *,
    data_dir: Path | None,
    force: bool = False,
) -> Path:
    """Write ``content`` (bytes, or a ``Filler``) to the file named ``path``; returns ``path``.

    ``data_dir`` is the counter's data folder, never written into (``None`` only for the
    counter's own copies inside it). ``force`` allows replacing an existing file.
    """
    named = Path(path).expanduser()
    target = check_output(named, data_dir=data_dir, force=force)
    try:
        if target.exists():
            mode = target.stat().st_mode
            if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
                _write_through(target, content)
                return named
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=PART_SUFFIX, dir=target.parent
        )
        tmp = Path(tmp_name)
        try:
            _fill(handle, tmp, content)
            _publish(tmp, target, named, force)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        _cannot_write(named, exc)
    sync_folder(target.parent)
    return named


def _fill(handle: int, tmp: Path, content: bytes | Filler) -> None:
    """Write the content into the private temporary file (owner-only, as ``mkstemp`` made it)."""
    if isinstance(content, bytes):
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        return
    os.close(handle)
    content(tmp)
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())


def _publish(tmp: Path, target: Path, named: Path, force: bool) -> None:
    if force:
        os.replace(tmp, target)
        return
    try:
        os.link(tmp, target)  # fails if the name was taken meanwhile: nothing is replaced
    except FileExistsError:
        _exists(named)
    except OSError:
        # a file system without hard links (a FAT memory stick): claim the name, then fill it
        try:
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            _exists(named)
        os.replace(tmp, target)


def _write_through(target: Path, content: bytes | Filler) -> None:
    """A pipe, a terminal or ``/dev/null``: open it and write, never replace it."""
    if isinstance(content, bytes):
        with open(target, "wb", buffering=0) as out:
            out.write(content)
        return
    handle, tmp_name = tempfile.mkstemp(suffix=PART_SUFFIX)
    tmp = Path(tmp_name)
    try:
        os.close(handle)
        content(tmp)
        with open(tmp, "rb") as src, open(target, "wb", buffering=0) as out:
            shutil.copyfileobj(src, out)
    finally:
        tmp.unlink(missing_ok=True)


def sync_folder(folder: Path, *, strict: bool = False) -> None:
    """Make a new name in ``folder`` durable (POSIX; elsewhere the rename is what we have).

    ``strict`` for the data folder: a failure is raised. Otherwise (a folder the user chose,
    perhaps on a file system that cannot sync a folder) it is left as it is: the file is."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        if strict:
            raise
        return
    try:
        os.fsync(fd)
    except OSError:
        if strict:
            raise
    finally:
        os.close(fd)


def _exists(named: Path) -> NoReturn:
    _refuse(
        f"Tệp '{named}' đã có: thêm --force để ghi đè lên nó",
        f"'{named}' already exists: add --force to replace it",
    )


def _cannot_write(named: Path, exc: OSError) -> NoReturn:
    detail = exc.strerror or str(exc)
    raise OutputRefused(
        f"Không ghi được tệp '{named}': {detail}",
        f"Cannot write the file '{named}': {detail}",
        field="output",
    ) from exc
