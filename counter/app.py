"""The counter application's services, built once at start-up and passed to front ends.

``CounterApp.open(data_dir)`` finds the database in the data folder, upgrades its schema
(after a backup), and wires the services. Nothing connects at import time.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from counter import audit, settings
from counter.accounts import ADMIN, SUPERVISOR, AccountService, Actor, require
from counter.catalog import load_catalog_file
from counter.catalog_store import upsert_procedures
from counter.clock import now
from counter.codes import block_range, normalise_agency_code
from counter.db import Database, migrate, sqlite_backup
from counter.dossiers import DossierService
from counter.errors import InvalidInput, NotFound, StorageError
from counter.models import CalendarOverride, Procedure, Setting
from counter.outbox import SyncStore
from counter.reports import ReportService
from counter.text import fold
from counter.views import DocumentLine, FeeLine, Office, ProcedureView, ProcessingTime
from counter.workcalendar import OfficeHours, WorkCalendar

log = logging.getLogger("counter")

APP_NAME = "one-stop-counter"
DB_NAME = "counter.db"


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--data-dir``, else ``COUNTER_DATA_DIR``, else the platform's user data folder."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get("COUNTER_DATA_DIR")
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def setup_logging(data_dir: Path, level: int = logging.INFO) -> None:
    """Rotating log files in the data folder; no personal data at INFO."""
    logs = data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    if any(getattr(h, "_counter", False) for h in root.handlers):
        return
    handler = logging.handlers.RotatingFileHandler(
        logs / "counter.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler._counter = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(min(root.level or level, level))


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


class SettingsService:
    def __init__(self, db: Database, secrets: settings.SecretStore):
        self.db = db
        self.secrets = secrets
        self._cache: dict[str, str] | None = None

    def _stored(self) -> dict[str, str]:
        """Every stored setting, read once and kept until a setting changes."""
        cached = self._cache
        if cached is None:
            with self.db.reading() as s:
                cached = {r.key: r.value for r in s.scalars(select(Setting))}
            self._cache = cached
        return cached

    def invalidate(self) -> None:
        """Forget cached values (after another writer, e.g. sync, changed settings)."""
        self._cache = None

    def get(self, key: str) -> Any:
        spec = settings.SPECS.get(key)
        if spec is None:
            settings.parse_value(key, "")  # raises the "no such setting" refusal
            raise AssertionError
        if spec.secret:
            return self.secrets.get(key)
        return settings.decode(key, self._stored().get(key))

    def get_many(self, prefix: str) -> dict[str, Any]:
        stored = self._stored()
        return {
            key: settings.decode(key, stored.get(key))
            for key, spec in settings.SPECS.items()
            if key.startswith(prefix) and not spec.secret
        }

    def set(self, actor: Actor | None, key: str, raw: str) -> Any:
        value = settings.parse_value(key, raw)
        spec = settings.SPECS[key]
        if actor is not None and spec.admin_only:
            require(actor, ADMIN, f"đổi thiết lập '{key}'", f"change the setting '{key}'")
        if key == "office.agency_code":
            value = normalise_agency_code(value)
        with self.db.unit_of_work() as s:
            if spec.secret:
                self.secrets.set(key, value)
                shown: Any = settings.mask_secret(value)
            else:
                s.merge(Setting(key=key, value=settings.encode(value)))
                shown = value
            audit.append(
                s,
                actor.username if actor else "system",
                "config.set",
                "setting",
                key,
                {"value": shown},
            )
        self.invalidate()
        return value


class CounterApp:
    """One counter's data folder: its database, settings and services."""

    def __init__(self, data_dir: Path, db: Database):
        self.data_dir = data_dir
        self.db = db
        self.settings = SettingsService(db, settings.SecretStore(data_dir / "secrets.json"))
        self.accounts = AccountService(db)
        self.dossiers = DossierService(
            db, self.office, self.work_calendar, self._block_size, self.book_volume
        )
        self.reports = ReportService(db, self.office)
        self.sync_store = SyncStore(db, on_master_data=self.settings.invalidate)

    # -- opening --------------------------------------------------------------------------

    @staticmethod
    def db_path_for(data_dir: Path) -> Path:
        return data_dir / DB_NAME

    @classmethod
    def exists(cls, data_dir: Path) -> bool:
        return cls.db_path_for(data_dir).exists()

    @classmethod
    def open(cls, data_dir: Path, *, create: bool = False) -> CounterApp:
        """Open the counter's database, upgrading its schema first (with a backup)."""
        db_path = cls.db_path_for(data_dir)
        if not db_path.exists() and not create:
            raise StorageError(
                f"Chưa có cơ sở dữ liệu trong '{data_dir}': hãy chạy 'counter-admin init' trước",
                f"No database in '{data_dir}' yet: run 'counter-admin init' first",
            )
        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            migrate(db_path, data_dir / "backups")
        except sqlite3.DatabaseError as exc:
            raise StorageError(
                f"Không mở được cơ sở dữ liệu '{db_path}': {exc}",
                f"Cannot open the database '{db_path}': {exc}",
            ) from exc
        return cls(data_dir, Database(db_path))

    def close(self) -> None:
        self.db.dispose()

    def __enter__(self) -> CounterApp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the office -----------------------------------------------------------------------

    def is_initialised(self) -> bool:
        return bool(self.settings.get("office.agency_code"))

    def init_office(
        self,
        agency_code: str,
        agency_name: str,
        counter_no: int,
        parent_name: str = "",
        level: str = "commune",
        lookup_base_url: str = "",
        place: str = "",
    ) -> Office:
        """Record this counter's identity, once."""
        code = normalise_agency_code(agency_code)
        values = {
            "office.agency_code": code,
            "office.agency_name": settings.parse_value("office.agency_name", agency_name),
            "office.counter_no": settings.parse_value("office.counter_no", str(counter_no)),
            "office.parent_name": settings.parse_value("office.parent_name", parent_name),
            "office.level": settings.parse_value("office.level", level),
            "office.lookup_base_url": settings.parse_value(
                "office.lookup_base_url", lookup_base_url
            ),
            "office.place": settings.parse_value("office.place", place),
        }
        if not values["office.agency_name"]:
            raise InvalidInput(
                "Tên cơ quan không được để trống",
                "The agency name is required",
                field="agency_name",
            )
        block_range(values["office.counter_no"], self._block_size())
        with self.db.unit_of_work() as s:
            if s.get(Setting, "office.agency_code") is not None:
                raise InvalidInput(
                    "Quầy này đã được khởi tạo", "This counter is already initialised"
                )
            for key, value in values.items():
                s.add(Setting(key=key, value=settings.encode(value)))
            s.add(Setting(key="settings.version", value=str(settings.SCHEMA_VERSION)))
            audit.append(
                s,
                "system",
                "office.init",
                "office",
                code,
                {k.split(".", 1)[1]: v for k, v in values.items()},
            )
        self.settings.invalidate()
        return self.office()

    def office(self) -> Office:
        v = self.settings.get_many("office.")
        return Office(
            agency_code=v["office.agency_code"],
            agency_name=v["office.agency_name"],
            counter_no=int(v["office.counter_no"]),
            parent_name=v["office.parent_name"],
            level=v["office.level"],
            lookup_base_url=v["office.lookup_base_url"],
            place=v["office.place"],
            address=v["office.address"],
            phone=v["office.phone"],
        )

    def _block_size(self) -> int:
        return int(self.settings.get("codes.block_size"))

    def book_volume(self, year: int) -> str:
        volume = str(self.settings.get("book.volume") or "")
        return volume or f"{year}"

    # -- calendar -------------------------------------------------------------------------

    def office_hours(self) -> OfficeHours:
        return OfficeHours.parse(
            self.settings.get("calendar.hours"), self.settings.get("calendar.weekdays")
        )

    def work_calendar(self, s: Session | None = None) -> WorkCalendar:
        """The calendar as it stands: portal overrides, then the office's own on top."""

        def load(sess: Session) -> dict[date, bool]:
            rows = sess.scalars(select(CalendarOverride)).all()
            result: dict[date, bool] = {}
            for source in ("portal", "office"):
                for r in rows:
                    if r.source == source:
                        result[r.day] = r.working
            return result

        if s is not None:
            overrides = load(s)
        else:
            with self.db.reading() as sess:
                overrides = load(sess)
        return WorkCalendar(self.office_hours(), overrides)

    def set_calendar_day(self, actor: Actor, day: date, working: bool, note: str = "") -> None:
        require(actor, SUPERVISOR, "sửa lịch làm việc", "edit the calendar")
        from counter.validation import note as clean_note

        text_note = clean_note(note)
        with self.db.unit_of_work() as s:
            s.merge(
                CalendarOverride(
                    day=day,
                    source="office",
                    working=working,
                    note=text_note,
                    updated_by=actor.username,
                    updated_at=now(),
                )
            )
            audit.append(
                s,
                actor.username,
                "calendar.workday" if working else "calendar.day_off",
                "calendar",
                day.isoformat(),
                {"note": text_note},
            )

    def clear_calendar_day(self, actor: Actor, day: date) -> None:
        require(actor, SUPERVISOR, "sửa lịch làm việc", "edit the calendar")
        with self.db.unit_of_work() as s:
            row = s.get(CalendarOverride, (day, "office"))
            if row is None:
                raise NotFound(f"Ngày {day} không có điều chỉnh", f"No override on {day}")
            s.delete(row)
            audit.append(s, actor.username, "calendar.clear", "calendar", day.isoformat())

    def calendar_overrides(self) -> list[tuple[date, str, bool, str]]:
        with self.db.reading() as s:
            return [
                (r.day, r.source, r.working, r.note)
                for r in s.scalars(select(CalendarOverride).order_by(CalendarOverride.day))
            ]

    # -- catalogue ------------------------------------------------------------------------

    def import_catalog(self, actor: Actor, path: Path) -> int:
        require(actor, SUPERVISOR, "nhập danh mục thủ tục", "import the catalogue")
        version, procedures = load_catalog_file(path)
        with self.db.unit_of_work() as s:
            n = upsert_procedures(s, procedures, source="file")
            audit.append(
                s,
                actor.username,
                "catalog.import",
                "catalog",
                version,
                {"procedures": n, "file": path.name},
            )
        return n

    def procedures(self, query: str = "", include_inactive: bool = False) -> list[ProcedureView]:
        """The catalogue; ``query`` matches code or name, diacritics optional."""
        with self.db.reading() as s:
            q = select(Procedure).order_by(Procedure.field_name, Procedure.code)
            if not include_inactive:
                q = q.where(Procedure.active.is_(True))
            rows = s.scalars(q).all()
        words = fold(query).split()
        return [_procedure_view(r) for r in rows if all(w in r.name_folded for w in words)]

    def procedure(self, code: str) -> ProcedureView:
        with self.db.reading() as s:
            row = s.get(Procedure, code.strip())
            if row is None:
                raise NotFound(f"Không có thủ tục mã '{code}'", f"No procedure '{code}'")
            return _procedure_view(row)

    def record_report_print(self, actor_name: str, kind: str, key: str, destination: str) -> None:
        """Prints of reports (daily summary, tracking book) are in the audit trail too."""
        with self.db.unit_of_work() as s:
            audit.append(
                s,
                actor_name,
                "report.print",
                "report",
                f"{kind}:{key}",
                {"kind": kind, "destination": destination},
            )

    # -- safety ---------------------------------------------------------------------------

    def backup(self, dest: Path | None = None, actor_name: str = "system") -> Path:
        """A consistent copy of the database, taken while it is in use."""
        target = dest or self.data_dir / "backups" / f"counter-{now():%Y%m%d-%H%M%S}.db"
        if target.exists() and target.is_dir():
            target = target / f"counter-{now():%Y%m%d-%H%M%S}.db"
        sqlite_backup(self.db.path, target)
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
        return CheckReport(integrity, rows, dossiers)


def restore(data_dir: Path, source: Path) -> Path:
    """Put a backup back in place of the database. The current file is kept aside first.

    Run with the application closed: the copy is checked, then moved in atomically.
    """
    if not source.is_file():
        raise NotFound(f"Không có tệp sao lưu '{source}'", f"No backup file '{source}'")
    try:
        conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            conn.execute("SELECT count(*) FROM dossiers").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(
            f"Tệp '{source.name}' không phải bản sao lưu hợp lệ: {exc}",
            f"'{source.name}' is not a valid backup: {exc}",
        ) from None
    if result != "ok":
        raise InvalidInput(f"Bản sao lưu bị hỏng: {result}", f"The backup is damaged: {result}")
    db_path = CounterApp.db_path_for(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    staged = db_path.with_name(DB_NAME + ".restoring")
    shutil.copy2(source, staged)
    with open(staged, "rb+") as fh:
        os.fsync(fh.fileno())
    if db_path.exists():
        sqlite_backup(db_path, data_dir / "backups" / f"before-restore-{now():%Y%m%d-%H%M%S}.db")
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(DB_NAME + suffix)
        if side.exists():
            side.unlink()
    staged.replace(db_path)
    app = CounterApp.open(data_dir)  # upgrades an older backup's schema
    try:
        with app.db.unit_of_work() as s:
            audit.append(s, "system", "restore", "database", source.name)
    finally:
        app.close()
    return db_path


def _procedure_view(r: Procedure) -> ProcedureView:
    return ProcedureView(
        code=r.code,
        name=r.name,
        field_code=r.field_code,
        field_name=r.field_name,
        level=r.level,
        processing_time=ProcessingTime(r.time_value, r.time_unit),
        fees=tuple(FeeLine(f["code"], f["name"], f["amount"]) for f in r.fees),
        documents=tuple(
            DocumentLine(d["code"], d["name"], d.get("originals", 0), d.get("copies", 0))
            for d in r.documents
        ),
        result_agency=r.result_agency,
        catalog_version=r.catalog_version,
        active=r.active,
    )
