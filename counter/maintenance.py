"""Keeping the data safe: backups taken while the counter works, and the integrity check.

A backup is the database copy and, in a folder beside it (``<name>.files``), the PDF files of
digitised pages it refers to (``counter.filestore``); ``check`` verifies each file's hash.

Putting a backup back is ``counter.restoring``: it proves a copy first, then replaces the
database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from counter import audit, search
from counter.clock import now
from counter.db import Database, copy_database, sqlite_backup
from counter.filestore import copy_files, files_beside
from counter.outputs import write_output
from counter.replay import PortalHead, against_portal, replay
from counter.scans import ScanService


@dataclass(frozen=True)
class CheckReport:
    integrity: str
    audit_rows: int
    dossiers: int
    problem_vi: str = ""
    problem_en: str = ""
    #: the heads the portal kept that the chain was held to (``check --portal-heads``)
    portal_heads: int = 0

    @property
    def ok(self) -> bool:
        return not self.problem_vi


class MaintenanceService:
    def __init__(self, data_dir: Path, db: Database, scans: ScanService | None = None):
        self.data_dir = data_dir
        self.db = db
        self.scans = scans or ScanService(db, data_dir, lambda: 0)

    def backup(
        self, dest: Path | None = None, actor_name: str = "system", *, force: bool = False
    ) -> Path:
        """A consistent copy of the database, taken while it is in use: into ``backups/``, or
        to ``dest`` (a file, or a folder to put it in), which ``counter.outputs`` guards
        (never in the data folder, never over a file unless ``force``)."""
        name = f"counter-{now():%Y%m%d-%H%M%S}.db"
        if dest is None:
            target = sqlite_backup(self.db.path, self.data_dir / "backups" / name)
        else:
            target = write_output(
                dest / name if dest.is_dir() else dest,
                lambda part: copy_database(self.db.path, part),
                data_dir=self.data_dir,
                force=force,
            )
        # The digitised pages beside it: every file the database refers to now, which takes
        # in all the copy refers to (rows are only added, and a file is stored before its
        # row). A pipe or a terminal carries the database alone.
        if target.is_file():
            copy_files(self.scans.store, self.scans.hashes(), files_beside(target))
        with self.db.unit_of_work() as s:
            audit.append(s, actor_name, "backup", "database", target.name)
        return target

    def check(self, portal_heads: list[PortalHead] | None = None) -> CheckReport:
        """SQLite's integrity check, the search index, the audit chain (with the heads the
        portal kept, when given: ``counter.replay.read_portal_heads``), then every stored file
        of digitised pages against its hash."""
        with self.db.reading() as s:
            integrity = s.execute(text("PRAGMA integrity_check")).scalar() or ""
            fk = s.execute(text("PRAGMA foreign_key_check")).first()
            dossiers = int(s.execute(text("SELECT count(*) FROM dossiers")).scalar() or 0)
            indexed = search.entries(s)
            rows, problem = audit.verify(s)
            # the rows against what the trail vouches for (counter.integrity)
            finding = replay(s) if problem is None else None
            if problem is None and finding is None and portal_heads:
                finding = against_portal(s, portal_heads)
        if integrity != "ok":
            return CheckReport(
                integrity,
                rows,
                dossiers,
                f"Cơ sở dữ liệu bị hỏng: {integrity}",
                f"Database damaged: {integrity}",
            )
        if fk is not None:
            return CheckReport(
                integrity,
                rows,
                dossiers,
                f"Khóa ngoại không khớp ở bảng {fk[0]}",
                f"Foreign key mismatch in table {fk[0]}",
            )
        if indexed != dossiers:
            return CheckReport(
                integrity,
                rows,
                dossiers,
                f"Chỉ mục tìm kiếm có {indexed} mục, cần {dossiers}",
                f"The search index has {indexed} entries, expected {dossiers}",
            )
        if problem:
            return CheckReport(integrity, rows, dossiers, problem.message_vi, problem.message_en)
        if finding:
            return CheckReport(integrity, rows, dossiers, finding.message_vi, finding.message_en)
        files = self.scans.problems()
        if files:
            f = files[0]
            vi = "bị thiếu" if f.state == "missing" else "bị sửa (mã băm không khớp)"
            en = "is missing" if f.state == "missing" else "was altered (its hash does not match)"
            more_vi = f" và {len(files) - 1} tệp khác" if len(files) > 1 else ""
            more_en = f" and {len(files) - 1} more" if len(files) > 1 else ""
            return CheckReport(
                integrity,
                rows,
                dossiers,
                f"Tệp số hóa '{f.doc}' bản {f.version} của hồ sơ {f.code} {vi}{more_vi}: "
                "khôi phục từ bản sao lưu",
                f"The digitised file '{f.doc}' version {f.version} of dossier {f.code} {en}"
                f"{more_en}: restore a backup",
            )
        return CheckReport(integrity, rows, dossiers, portal_heads=len(portal_heads or ()))
