"""Digitised files on the portal: the PDFs themselves, on disk, and their links to dossiers.

A file is named by its SHA-256 and kept once per agency:
``<root>/<agency code>/ab/cd/<sha256>.pdf``. It arrives in chunks (``PUT /files/{sha256}``)
appended to ``<root>/partial/<agency code>/<sha256>.part``, each chunk flushed to disk
before it is acknowledged, so an upload cut anywhere resumes from what the portal holds.
When the last byte is in, the part's hash and first bytes are checked and it is renamed to
its final name (the folders flushed): a file under its final name is always whole and right,
a part is never taken for one. A wrong hash throws the part away. What the file is (which
dossier, which paper, which version, pages, who, when) is a row of ``dossier_files``,
written by ``link`` once the file is held; the same link twice is one link. docs/sync.md,
"Files", is the protocol.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.agencies import CounterIdentity
from portal.dashboard.rollup import count_digitised
from portal.dossiers import get_dossier
from portal.errors import PortalError, invalid
from portal.files_table import DossierFile
from portal.models import Agency
from protocol import (
    FILE_SOURCES,
    PDF_MAGIC,
    code_belongs_to,
    format_datetime,
    parse_datetime,
    printable,
)

try:
    import fcntl
except ImportError:  # Windows: one process there, and the threads' locks suffice
    fcntl = None  # type: ignore[assignment]

PARTIAL = "partial"
#: An upload's part untouched this long is given up (``FileStore.sweep_partials``): 7 days.
STALE_PART_S = 7 * 24 * 3600
_READ = 1 << 20
_SHA256 = re.compile(r"[0-9a-f]{64}")
_RANGE = re.compile(r"bytes (\d{1,15})-(\d{1,15})/(\d{1,15})")
# Chunks of one file are appended one at a time: a lock per file, striped; held by a thread
# of this process, and (``FileStore._lock``) on a lock file for every worker process.
_LOCKS = [threading.Lock() for _ in range(64)]
LOCKS = ".locks"
#: The fields of a link, and the longest text each may hold.
_LINK_TEXT = {"doc": 40, "by": 100}


def default_root(db_url: Any) -> Path | None:
    """Where files are kept when ``serve --files`` is not given: a ``files`` folder beside a
    SQLite database file; None (files not kept) for PostgreSQL or a database in memory."""
    if getattr(db_url, "get_backend_name", lambda: "")() != "sqlite":
        return None
    database = getattr(db_url, "database", None)
    if not database or database == ":memory:":
        return None
    return Path(database).resolve().parent / "files"


def check_sha256(sha256: str) -> str:
    if not _SHA256.fullmatch(sha256):
        raise invalid(
            "Mã băm SHA-256 không hợp lệ (64 chữ số thập lục phân, chữ thường).",
            "Invalid SHA-256 (64 lowercase hexadecimal digits).",
        )
    return sha256


@dataclass(frozen=True)
class Progress:
    """What the portal holds of a file: ``offset`` bytes so far, ``complete`` when stored."""

    offset: int
    complete: bool

    @property
    def headers(self) -> dict[str, str]:
        return {
            "Upload-Offset": str(self.offset),
            "Upload-Complete": "?1" if self.complete else "?0",
        }

    def as_json(self) -> dict[str, Any]:
        return {"offset": self.offset, "complete": self.complete}


def _refusal(code: str, vi: str, en: str, status: int, held: Progress | None) -> PortalError:
    error = PortalError(code, vi, en, http_status=status, headers=held.headers if held else None)
    if held is not None:
        error.details = [held.as_json()]
    return error


def parse_range(header: str | None) -> tuple[int, int, int]:
    """``Content-Range: bytes START-END/TOTAL`` (END inclusive) as (start, end + 1, total)."""
    match = _RANGE.fullmatch((header or "").strip())
    if match is None:
        raise PortalError(
            "bad_range",
            "Thiếu hoặc sai tiêu đề Content-Range (bytes ĐẦU-CUỐI/TỔNG).",
            "Missing or invalid Content-Range (bytes START-END/TOTAL).",
            http_status=400,
        )
    start, end, total = (int(g) for g in match.groups())
    if not start <= end < total:
        raise PortalError(
            "bad_range",
            "Content-Range không hợp lệ: cần ĐẦU ≤ CUỐI < TỔNG.",
            "Invalid Content-Range: START <= END < TOTAL is needed.",
            http_status=400,
        )
    return start, end + 1, total


class FileStore:
    """The files of every agency under ``root``."""

    def __init__(self, root: Path):
        self.root = root

    def path_of(self, agency_code: str, sha256: str) -> Path:
        return self.root / agency_code / sha256[:2] / sha256[2:4] / f"{sha256}.pdf"

    def partial_of(self, agency_code: str, sha256: str) -> Path:
        return self.root / PARTIAL / agency_code / f"{sha256}.part"

    def size_of(self, agency_code: str, sha256: str) -> int | None:
        """The stored file's size, or None if the agency does not hold it (whole)."""
        try:
            return self.path_of(agency_code, sha256).stat().st_size
        except OSError:
            return None

    def progress(self, agency_code: str, sha256: str) -> Progress:
        size = self.size_of(agency_code, sha256)
        if size is not None:
            return Progress(size, True)
        try:
            return Progress(self.partial_of(agency_code, sha256).stat().st_size, False)
        except OSError:
            return Progress(0, False)

    def append(
        self, agency_code: str, sha256: str, start: int, total: int, data: bytes
    ) -> Progress:
        """Add one chunk at ``start`` of a file of ``total`` bytes; store it when complete.

        A file the agency already holds is complete at once (nothing is written). A chunk that
        does not start where the portal's part ends is refused with where it ends (409).
        """
        with self._lock(sha256):
            size = self.size_of(agency_code, sha256)
            if size is not None:
                return Progress(size, True)
            part = self.partial_of(agency_code, sha256)
            part.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                offset = os.fstat(fd).st_size
                if start != offset or offset + len(data) > total:
                    raise _refusal(
                        "wrong_offset",
                        f"Phần gửi lên bắt đầu ở byte {start}, cổng đang giữ {offset} byte: "
                        "hãy gửi tiếp từ đó.",
                        f"The chunk starts at byte {start}; the portal holds {offset} bytes: "
                        "send from there.",
                        409,
                        Progress(offset, False),
                    )
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            offset = start + len(data)
            if offset < total:
                return Progress(offset, False)
            return self._store(agency_code, sha256, part, total)

    def _store(self, agency_code: str, sha256: str, part: Path, total: int) -> Progress:
        digest = hashlib.sha256()
        with part.open("rb") as handle:
            head = handle.read(len(PDF_MAGIC))
            digest.update(head)
            while chunk := handle.read(_READ):
                digest.update(chunk)
        if digest.hexdigest() != sha256 or head != PDF_MAGIC:
            part.unlink(missing_ok=True)
            if head != PDF_MAGIC:
                raise _refusal(
                    "not_pdf",
                    "Tệp gửi lên không phải PDF: không lưu.",
                    "The file is not a PDF: not stored.",
                    422,
                    Progress(0, False),
                )
            raise _refusal(
                "hash_mismatch",
                "Nội dung tệp không khớp mã băm SHA-256 của nó: không lưu, hãy gửi lại từ đầu.",
                "The file's content does not match its SHA-256: not stored; send it again "
                "from the start.",
                422,
                Progress(0, False),
            )
        target = self.path_of(agency_code, sha256)
        for folder in (self.root / agency_code, target.parent.parent, target.parent):
            folder.mkdir(mode=0o700, exist_ok=True)
        os.replace(part, target)  # one file system: the part becomes the file, whole
        _sync_folder(target.parent)
        _sync_folder(part.parent)
        return Progress(total, True)

    @contextlib.contextmanager
    def _lock(self, sha256: str) -> Iterator[None]:
        """The lock of the uploads of files whose hash is ``sha256``'s stripe, for the threads
        of this process and (an exclusive ``flock`` on ``partial/.locks/NN``) for every other
        process serving the same folder."""
        stripe = int(sha256[:4], 16) % len(_LOCKS)
        with _LOCKS[stripe]:
            if fcntl is None:
                yield
                return
            folder = self.root / PARTIAL / LOCKS
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(folder / f"{stripe:02d}", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)  # and with it the lock

    def read_path(self, agency_code: str, sha256: str) -> Path:
        return self.path_of(agency_code, sha256)

    def sweep_partials(self, older_than_s: float = STALE_PART_S) -> int:
        """Remove the parts of uploads nobody has added to for ``older_than_s`` seconds (a
        counter that comes back later starts that file again from byte 0); how many."""
        cutoff = time.time() - older_than_s
        removed = 0
        for part in (self.root / PARTIAL).glob("*/*.part"):
            named = _SHA256.fullmatch(part.stem)
            with self._lock(part.stem) if named else contextlib.nullcontext():
                try:
                    if part.stat().st_mtime < cutoff:
                        part.unlink()
                        removed += 1
                except OSError:
                    continue  # finished or removed meanwhile
        return removed


def _sync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def files_not_kept() -> PortalError:
    return PortalError(
        "files_not_kept",
        "Cổng này chưa được cấu hình nơi lưu tệp số hóa (serve --files).",
        "This portal keeps no digitised files (serve --files is not set).",
        http_status=501,
    )


# -- links ------------------------------------------------------------------------------------


def _link_fields(doc: Any) -> dict[str, Any]:
    """The link's fields, checked: doc, version, sha256, pages, bytes, source, by, at."""
    if not isinstance(doc, dict):
        raise invalid("Nội dung phải là một đối tượng JSON.", "The body must be a JSON object.")
    expected = {"doc", "version", "sha256", "pages", "bytes", "source", "by", "at"}
    unknown = sorted(printable(str(k), 40) for k in doc if k not in expected)
    missing = sorted(expected - set(doc))
    if unknown or missing:
        what = ", ".join([*(f"+{k}" for k in unknown), *(f"-{k}" for k in missing)])
        raise invalid(f"Trường không đúng: {what}.", f"Wrong fields: {what}.")
    for name, longest in _LINK_TEXT.items():
        value = doc[name]
        if not isinstance(value, str) or not 1 <= len(value) <= longest:
            raise invalid(
                f"'{name}' phải là chuỗi 1..{longest} ký tự.",
                f"'{name}' must be a string of 1..{longest} characters.",
            )
    for name, lowest, highest in (
        ("version", 1, 1_000_000),
        ("pages", 1, 100_000),
        ("bytes", 1, 2**53 - 1),
    ):
        value = doc[name]
        if isinstance(value, bool) or not isinstance(value, int) or not lowest <= value <= highest:
            raise invalid(
                f"'{name}' phải là số nguyên {lowest}..{highest}.",
                f"'{name}' must be an integer {lowest}..{highest}.",
            )
    if doc["source"] not in FILE_SOURCES:
        choices = ", ".join(FILE_SOURCES)
        raise invalid(
            f"'source' phải là một trong: {choices}.", f"'source' must be one of: {choices}."
        )
    check_sha256(doc["sha256"] if isinstance(doc["sha256"], str) else "")
    try:
        at = parse_datetime(doc["at"]) if isinstance(doc["at"], str) else None
    except ValueError:
        at = None
    if at is None:
        raise invalid(
            "'at' phải là ngày giờ ISO 8601 có múi giờ.",
            "'at' must be an ISO 8601 datetime with an offset.",
        )
    return {**doc, "at": at}


def link(
    session: Session,
    store: FileStore,
    who: CounterIdentity,
    code: str,
    body: Any,
    now: datetime,
) -> tuple[int, dict[str, Any]]:
    """Link a file the agency holds to one of its dossiers: (HTTP status, answer).

    201 accepted; 200 duplicate (the same link was made before); refusals as ``PortalError``:
    403 another agency's or another counter's dossier, 404 no such dossier (yet), 409 the
    file is not held (upload it first) or the version is linked to other content.
    """
    fields = _link_fields(body)
    if not code_belongs_to(code, who.agency_code):
        raise PortalError(
            "wrong_agency",
            f"Hồ sơ {printable(code, 80)} không thuộc cơ quan {who.agency_code}.",
            f"Dossier {printable(code, 80)} is not of agency {who.agency_code}.",
            http_status=403,
        )
    dossier = get_dossier(session, code, who.agency_id)
    if dossier.counter_id != who.counter_id:
        raise PortalError(
            "wrong_counter",
            f"Hồ sơ {printable(code, 80)} do quầy khác gửi lên.",
            f"Dossier {printable(code, 80)} was pushed by another counter.",
            http_status=403,
        )
    sha256 = fields["sha256"]
    held = store.size_of(who.agency_code, sha256)
    if held is None or held != fields["bytes"]:
        raise PortalError(
            "file_missing",
            "Cổng chưa giữ tệp này (hoặc kích thước khác): hãy gửi tệp trước.",
            "The portal does not hold this file (or its size differs): upload it first.",
            http_status=409,
        )
    existing = session.scalar(
        select(DossierFile).where(
            DossierFile.dossier_id == dossier.id,
            DossierFile.doc == fields["doc"],
            DossierFile.version == fields["version"],
        )
    )
    if existing is not None:
        same = (existing.sha256, existing.pages, existing.bytes) == (
            sha256,
            fields["pages"],
            fields["bytes"],
        )
        if not same:
            raise PortalError(
                "version_conflict",
                f"Phiên bản {fields['version']} của giấy tờ {printable(fields['doc'], 40)} "
                "đã gắn với nội dung khác.",
                f"Version {fields['version']} of paper {printable(fields['doc'], 40)} is "
                "linked to other content.",
                http_status=409,
            )
        return 200, {"outcome": "duplicate", "linked_at": format_datetime(existing.linked_at)}
    first = session.scalar(
        select(DossierFile.id).where(DossierFile.dossier_id == dossier.id).limit(1)
    )
    if first is None:
        count_digitised(session, dossier)
    session.add(
        DossierFile(
            dossier_id=dossier.id,
            agency_id=who.agency_id,
            counter_id=who.counter_id,
            doc=fields["doc"],
            version=fields["version"],
            sha256=sha256,
            pages=fields["pages"],
            bytes=fields["bytes"],
            source=fields["source"],
            by=fields["by"],
            at=fields["at"],
            linked_at=now,
        )
    )
    session.flush()
    return 201, {"outcome": "accepted", "linked_at": format_datetime(now)}


def file_rows(session: Session, code: str) -> list[dict[str, Any]]:
    """A dossier's files, for officials: paper, version, pages, bytes, hash, who, when."""
    dossier = get_dossier(session, code)
    rows = session.scalars(
        select(DossierFile)
        .where(DossierFile.dossier_id == dossier.id)
        .order_by(DossierFile.doc, DossierFile.version)
    )
    return [
        {
            "doc": f.doc,
            "version": f.version,
            "pages": f.pages,
            "bytes": f.bytes,
            "sha256": f.sha256,
            "source": f.source,
            "by": f.by,
            "at": format_datetime(f.at),
            "linked_at": format_datetime(f.linked_at),
        }
        for f in rows
    ]


def agency_code_of(session: Session, code: str) -> str:
    dossier = get_dossier(session, code)
    return str(session.scalar(select(Agency.code).where(Agency.id == dossier.agency_id)))
