"""Digitising a dossier's papers: pages attached or scanned, kept, checked and exported.

Each document line of a dossier (a catalogue document code), and its result (``result``),
gets its pages as one PDF per version (docs/digitisation.md): the file in the data folder
under its SHA-256 (``counter.filestore``), its metadata in ``dossier_files``, an audit line
and an outbox entry, all through ``counter.changes.attach_file`` in one unit of work. A bad
file is refused before anything is written; a re-scan adds a version, never replaces one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter import audit
from counter.accounts import Actor
from counter.changes import attach_file
from counter.clock import now
from counter.db import Database
from counter.errors import InvalidInput, NotAllowed, NotFound
from counter.filestore import FOLDER, FileStore
from counter.models import Dossier, DossierFile, Procedure
from counter.outputs import write_output
from counter.pdfpages import Part, to_pdf
from counter.repository import files_of, get_dossier
from counter.scanner import ScannedPages, scan_pages
from counter.views import DossierFileView, StoredPages
from protocol.statuses import Status

log = logging.getLogger("counter.files")

#: The document line of a dossier's result (the paper handed back), beside its papers' codes.
RESULT = "result"
#: Where the source of pages is shown: a scanner, a file picked, a watched folder.
SOURCES = ("scan", "file", "folder")
#: A result is digitised once there is one: when it is ready or handed back.
RESULT_STATUSES = frozenset({Status.DONE, Status.RETURNED})


@dataclass(frozen=True)
class FileProblem:
    """A stored file ``check`` found missing or altered."""

    code: str
    doc: str
    version: int
    sha256: str
    state: str  # missing | altered


class ScanService:
    def __init__(self, db: Database, data_dir: Path, max_file_mb: Callable[[], int]):
        self.db = db
        self.store = FileStore(data_dir / FOLDER)
        self.data_dir = data_dir
        self._max_file_mb = max_file_mb

    # -- attaching --------------------------------------------------------------------------

    def attach(
        self,
        actor: Actor,
        code: str,
        doc: str,
        parts: Sequence[Part],
        source: str = "file",
    ) -> DossierFileView:
        """The parts, in order, as one new version of the pages of ``doc``."""
        if source not in SOURCES:
            raise InvalidInput(f"Nguồn không hợp lệ: {source}", f"Unknown source: {source}")
        with self.db.reading() as s:
            self._allowed(s, get_dossier(s, code), doc)
        limit = self._max_file_mb() * 1024 * 1024
        for part in parts:
            self._within(part.name, len(part.content), limit)
        pages = to_pdf(parts)
        sha256 = self.store.put(pages.pdf)
        names = ", ".join(part.name for part in parts)[:500]
        stored = StoredPages(sha256, pages.pages, len(pages.pdf), source, names)
        with self.db.unit_of_work() as s:
            d = get_dossier(s, code)
            self._allowed(s, d, doc)  # again, inside the write: the dossier may have moved
            row, (action, key, details) = attach_file(s, d, doc, stored, actor.username, now())
            audit.append(s, actor.username, action, "dossier", key, details, subject=d)
            s.flush()
            view = _view(row)
        log.info("attached %d pages to %s/%s (version %d)", view.pages, code, doc, view.version)
        return view

    def attach_paths(
        self, actor: Actor, code: str, doc: str, paths: Sequence[Path], source: str = "file"
    ) -> DossierFileView:
        """Files picked or named, read whole (each within the size limit) and attached."""
        limit = self._max_file_mb() * 1024 * 1024
        parts = []
        for path in paths:
            if path.is_dir():
                raise InvalidInput(
                    f"'{path}' là thư mục, không phải tệp",
                    f"'{path}' is a folder, not a file",
                    field="files",
                )
            try:
                self._within(path.name, path.stat().st_size, limit)
                parts.append(Part(path.name, path.read_bytes()))
            except OSError as exc:
                raise NotFound(
                    f"Không đọc được tệp '{path}': {exc.strerror}",
                    f"Cannot read '{path}': {exc.strerror}",
                    field="files",
                ) from None
        return self.attach(actor, code, doc, parts, source)

    def scan(
        self,
        actor: Actor,
        code: str,
        doc: str,
        device: str,
        pages: int | None = None,
        *,
        source: str = "",
        keep_partial: bool = False,
    ) -> tuple[DossierFileView, ScannedPages]:
        """Pages from a SANE scanner, attached as one version. A scanner that fails part-way
        keeps the pages scanned so far only with ``keep_partial``; otherwise nothing is kept."""
        with self.db.reading() as s:
            self._allowed(s, get_dossier(s, code), doc)
        scanned = scan_pages(device, pages, source=source)
        if scanned.failure is not None and (not keep_partial or not scanned.images):
            raise scanned.failure
        parts = [Part(f"{device}-{n}.jpg", image) for n, image in enumerate(scanned.images, 1)]
        return self.attach(actor, code, doc, parts, "scan"), scanned

    @staticmethod
    def _allowed(s: Session, d: Dossier, doc: str) -> None:
        """A paper line of the dossier's procedure at any time; its result once it is ready."""
        if doc == RESULT:
            status = Status(d.status)
            if status not in RESULT_STATUSES:
                raise NotAllowed(
                    f"Hồ sơ {d.code} chưa có kết quả ({status.label_vi}): chỉ số hóa kết quả "
                    "khi hồ sơ đã xử lý xong hoặc đã trả",
                    f"Dossier {d.code} has no result yet ({status.label_en}): a result is "
                    "digitised once the dossier is done or returned",
                    field="doc",
                )
            return
        known = {str(x.get("code")) for x in d.documents or []}
        proc = s.get(Procedure, d.procedure_code)
        if proc is not None:
            known |= {str(x.get("code")) for x in proc.documents or []}
        if doc not in known:
            listed = ", ".join(sorted(known)) or "-"
            raise InvalidInput(
                f"Thủ tục {d.procedure_code} không có thành phần hồ sơ mã '{doc}' "
                f"(có: {listed}; kết quả: {RESULT})",
                f"Procedure {d.procedure_code} has no document '{doc}' "
                f"(it has: {listed}; the result: {RESULT})",
                field="doc",
            )

    @staticmethod
    def _within(name: str, size: int, limit: int) -> None:
        if size > limit:
            mb = limit // (1024 * 1024)
            raise InvalidInput(
                f"'{name}': tệp lớn hơn giới hạn {mb} MB (cài đặt scan.max_file_mb)",
                f"'{name}': the file is larger than the {mb} MB limit (setting scan.max_file_mb)",
                field="files",
            )

    # -- reading ----------------------------------------------------------------------------

    def files(self, code: str) -> tuple[DossierFileView, ...]:
        with self.db.reading() as s:
            return files_of(s, get_dossier(s, code).id)

    def read(self, sha256: str) -> bytes:
        return self.store.read(sha256)

    def export(self, code: str, dest: Path, *, force: bool = False) -> list[Path]:
        """Every version of every line, as ``<doc>-v<version>.pdf`` in the folder ``dest``,
        written as every output is (``counter.outputs``: never in the data folder, never
        over a file unless ``force``)."""
        files = self.files(code)
        if not files:
            raise NotFound(
                f"Hồ sơ {code} chưa có trang số hóa nào", f"Dossier {code} has no digitised pages"
            )
        if not dest.is_dir():
            raise NotFound(f"Không có thư mục '{dest}'", f"No folder '{dest}'", field="output")
        written = []
        for f in files:
            if self.store.verify(f.sha256) != "ok":
                raise NotFound(
                    f"Tệp {f.doc} bản {f.version} bị thiếu hoặc bị sửa: chạy 'check'",
                    f"File {f.doc} version {f.version} is missing or altered: run 'check'",
                )
            content = self.store.read(f.sha256)
            target = dest / f"{_safe(f.doc)}-v{f.version}.pdf"
            written.append(write_output(target, content, data_dir=self.data_dir, force=force))
        return written

    def hashes(self) -> list[str]:
        """Every stored file's hash, once each (what a backup copies)."""
        with self.db.reading() as s:
            return sorted(set(s.scalars(select(DossierFile.sha256))))

    def problems(self) -> list[FileProblem]:
        """Every stored file whose content is not what its row and name say (``check``)."""
        with self.db.reading() as s:
            rows = s.execute(
                select(Dossier.code, DossierFile.doc, DossierFile.version, DossierFile.sha256)
                .join(Dossier, Dossier.id == DossierFile.dossier_id)
                .order_by(DossierFile.id)
            ).all()
        found = []
        verified: dict[str, str] = {}
        for code, doc, version, sha256 in rows:
            state = verified.get(sha256) or verified.setdefault(sha256, self.store.verify(sha256))
            if state != "ok":
                found.append(FileProblem(code, doc, version, sha256, state))
        return found


def _view(row: DossierFile) -> DossierFileView:
    return DossierFileView(
        row.doc,
        row.version,
        row.sha256,
        row.pages,
        row.bytes,
        row.source,
        row.original_name,
        row.by_user,
        row.at,
    )


def _safe(doc: str) -> str:
    """A document code as part of a file name (codes are short; a slash would be a folder)."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in doc) or "_"
