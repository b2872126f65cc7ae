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
from pathlib import Path

import platformdirs

from counter import audit, settings
from counter.accounts import AccountService
from counter.calendar_service import CalendarService
from counter.catalog_service import CatalogService
from counter.clock import now
from counter.db import Database, migrate, sqlite_backup
from counter.dossiers import DossierService
from counter.errors import InvalidInput, NotFound, StorageError
from counter.guidance import GuidanceService
from counter.maintenance import MaintenanceService
from counter.office import OfficeService
from counter.outbox import SyncStore
from counter.reports import ReportService
from counter.settings_service import SettingsService

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


class CounterApp:
    """One counter's data folder: its database, and the services wired over it.

    Nothing but the wiring and the opening: each service is an attribute (``app.dossiers``,
    ``app.guidance``, ``app.office``, ``app.calendar``, ``app.catalog``, ``app.maintenance``...).
    """

    def __init__(self, data_dir: Path, db: Database):
        self.data_dir = data_dir
        self.db = db
        self.settings = SettingsService(db, settings.SecretStore(data_dir / "secrets.json"))
        self.accounts = AccountService(db)
        self.office = OfficeService(db, self.settings)
        self.calendar = CalendarService(db, self.settings)
        self.catalog = CatalogService(db)
        self.dossiers = DossierService(
            db,
            self.office.identity,
            self.calendar.current,
            self.office.block_size,
            self.office.book_volume,
        )
        self.guidance = GuidanceService(
            db, self.office.identity, self.office.block_size, self.dossiers
        )
        self.reports = ReportService(db, self.office.identity)
        self.sync_store = SyncStore(db, on_master_data=self.settings.invalidate)
        self.maintenance = MaintenanceService(data_dir, db)

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
