"""The digitised pages themselves: PDF files in the data folder, named by their SHA-256.

``files/ab/cd/<sha256>.pdf``: the name is the content's hash, so a file is written once and
never changed, the same pages attached twice are stored once, and ``check`` can tell a file
altered or lost on disk from its name alone. A file is written whole under a part name in
``files/`` (owner-only), flushed to the disk, given its name, and the folder flushed too:
a crash leaves the old state or the new one, and a part file the next start removes.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from counter.db import read_only_uri
from counter.errors import StorageError
from counter.outputs import PART_SUFFIX, sync_folder

log = logging.getLogger("counter.files")

FOLDER = "files"
_CHUNK = 1 << 20


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class FileStore:
    """Content-addressed, write-once storage under ``root`` (``<data folder>/files``)."""

    def __init__(self, root: Path):
        self.root = root

    def path_of(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / f"{sha256}.pdf"

    def put(self, content: bytes) -> str:
        """Store ``content`` and return its SHA-256. A file already there with the right
        content is kept as it is; one whose content no longer matches its name (altered on
        disk) is put right with these bytes, which are by definition the right ones."""
        digest = sha256_of(content)
        target = self.path_of(digest)
        state = self.verify(digest)
        if state == "ok":
            return digest
        try:
            for folder in (self.root, target.parent.parent, target.parent):
                folder.mkdir(mode=0o700, exist_ok=True)
            part = self.root / f"{digest}.{secrets.token_hex(4)}{PART_SUFFIX}"
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(content)
                    handle.flush()
                    os.fsync(handle.fileno())
                if state == "missing":
                    try:
                        os.link(part, target)  # never over a file that appeared meanwhile
                    except FileExistsError:
                        pass
                    except OSError:  # a file system without hard links
                        os.replace(part, target)
                else:
                    log.warning("file %s was altered on disk: written again", digest)
                    os.replace(part, target)
            finally:
                part.unlink(missing_ok=True)
            sync_folder(target.parent, strict=True)
        except OSError as exc:
            raise StorageError(
                f"Không lưu được tệp vào thư mục dữ liệu: {exc.strerror}",
                f"Cannot store the file in the data folder: {exc.strerror}",
            ) from None
        return digest

    def read(self, sha256: str) -> bytes:
        return self.path_of(sha256).read_bytes()

    def verify(self, sha256: str) -> str:
        """``ok``, ``missing`` or ``altered`` (the content lost the hash it is named by)."""
        path = self.path_of(sha256)
        digest = hashlib.sha256()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
        except FileNotFoundError:
            return "missing"
        except OSError:
            return "altered"
        return "ok" if digest.hexdigest() == sha256 else "altered"


def files_beside(backup: Path) -> Path:
    """The folder of a backup's files: ``counter-20261129-0815.db`` → ``...-0815.db.files``."""
    return backup.with_name(backup.name + ".files")


def referenced(db_path: Path) -> list[str]:
    """The hashes of every file a database (a backup copy, not in use) refers to."""
    con = sqlite3.connect(read_only_uri(db_path), uri=True)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "dossier_files" not in tables:
            return []
        return sorted({r[0] for r in con.execute("SELECT sha256 FROM dossier_files")})
    finally:
        con.close()


def copy_files(source: FileStore, hashes: Sequence[str], dest_root: Path) -> int:
    """Copy the files named by ``hashes`` from ``source`` into a store at ``dest_root``, each
    as ``put`` stores it (a file already there and whole is left as it is). Returns how many
    were written. A file missing or altered in ``source`` is refused: a copy must be whole."""
    if not hashes:
        return 0
    target = FileStore(dest_root)
    written = 0
    for digest in hashes:
        if target.verify(digest) == "ok":
            continue
        content = source.read(digest) if source.verify(digest) == "ok" else None
        if content is None or sha256_of(content) != digest:
            raise StorageError(
                f"Tệp số hóa {digest[:12]}… bị thiếu hoặc bị sửa trong '{source.root}': "
                "chạy 'check'",
                f"The digitised file {digest[:12]}… is missing or altered in '{source.root}': "
                "run 'check'",
            )
        target.put(content)
        written += 1
    return written
