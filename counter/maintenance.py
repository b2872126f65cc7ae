"""Keeping the data safe: backups taken while the counter works, and the integrity check.

Putting a backup back is ``counter.restoring``: it proves a copy first, then replaces the
database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from counter import audit
from counter.clock import now
from counter.db import Database, copy_database, sqlite_backup
from counter.integrity import replay
from counter.outputs import write_output


@dataclass(frozen=True)
class CheckReport:
    integrity: str
    audit_rows: int
    dossiers: int
    problem_vi: str = ""
    problem_en: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem_vi


class MaintenanceService:
    def __init__(self, data_dir: Path, db: Database):
        self.data_dir = data_dir
        self.db = db

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
        with self.db.unit_of_work() as s:
            audit.append(s, actor_name, "backup", "database", target.name)
        return target

    def check(self) -> CheckReport:
        """SQLite's integrity check, the search index, then the audit chain."""
        with self.db.reading() as s:
            integrity = s.execute(text("PRAGMA integrity_check")).scalar() or ""
            fk = s.execute(text("PRAGMA foreign_key_check")).first()
            dossiers = int(s.execute(text("SELECT count(*) FROM dossiers")).scalar() or 0)
            indexed = int(s.execute(text("SELECT count(*) FROM dossier_search")).scalar() or 0)
            rows, problem = audit.verify(s)
            # the rows against what the trail vouches for (counter.integrity)
            finding = replay(s) if problem is None else None
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
        return CheckReport(integrity, rows, dossiers)
