"""The counter application's services, built once at start-up and passed to front ends.

``CounterApp.open(data_dir)`` finds the database in the data folder, takes the folder's lock
(``counter.datalock``), upgrades its schema (after a backup), and wires the services; a new
database is built whole under a temporary name, then renamed. Nothing connects at import
time.
"""

from __future__ import annotations

import logging
import os
import secrets
import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from counter import settings
from counter.accounts import AccountService
from counter.calendar_service import CalendarService
from counter.catalog_service import CatalogService
from counter.datadir import APP_NAME as APP_NAME
from counter.datadir import resolve_data_dir as resolve_data_dir
from counter.datafolder import make_private, remove_leftovers
from counter.datalock import DataLock
from counter.db import (
    BUSY_TIMEOUT_S,
    Database,
    damaged,
    is_damage,
    migrate,
    private_file,
    settle,
)
from counter.dossiers import DossierService
from counter.errors import StorageError
from counter.guidance import GuidanceService
from counter.logfiles import setup_logging as setup_logging
from counter.maintenance import MaintenanceService
from counter.office import OfficeService
from counter.outbox import SyncStore
from counter.ratings import RatingService
from counter.reports import ReportService
from counter.scans import ScanService
from counter.settings_service import SettingsService

log = logging.getLogger("counter")

DB_NAME = "counter.db"


class CounterApp:
    """One counter's data folder: its database, and the services wired over it.

    Nothing but the wiring and the opening: each service is an attribute (``app.dossiers``,
    ``app.guidance``, ``app.office``, ``app.calendar``, ``app.catalog``, ``app.scans``,
    ``app.maintenance``...).
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
        self.ratings = RatingService(db)
        self.sync_store = SyncStore(db, on_master_data=self.settings.invalidate)
        self.scans = ScanService(db, data_dir, lambda: int(self.settings.get("scan.max_file_mb")))
        self.maintenance = MaintenanceService(data_dir, db, self.scans)
        self._lock: DataLock | None = None

    # -- opening --------------------------------------------------------------------------

    @staticmethod
    def db_path_for(data_dir: Path) -> Path:
        return data_dir / DB_NAME

    @classmethod
    def exists(cls, data_dir: Path) -> bool:
        return cls.db_path_for(data_dir).exists()

    @classmethod
    def open(cls, data_dir: Path, *, create: bool = False) -> CounterApp:
        """Open the counter's database, upgrading its schema first (with a backup).

        With ``create``, a folder without a database gets a new, empty one (the desktop's
        first start); ``init`` uses ``create`` below.
        """
        return cls._open(data_dir, create=create)

    @classmethod
    def create(cls, data_dir: Path, setup: Callable[[CounterApp], object]) -> CounterApp:
        """A new counter: the database is built and ``setup`` records what it must hold
        (the office's identity) under a temporary name, and only then is it put in place.
        Refused if a database exists; a refusal from ``setup`` leaves nothing behind."""
        return cls._open(data_dir, create=True, setup=setup)

    @classmethod
    def _open(
        cls,
        data_dir: Path,
        *,
        create: bool,
        setup: Callable[[CounterApp], object] | None = None,
    ) -> CounterApp:
        db_path = cls.db_path_for(data_dir)
        if not db_path.exists() and not create:
            raise StorageError(
                f"Chưa có cơ sở dữ liệu trong '{data_dir}': hãy chạy 'counter-admin init' trước",
                f"No database in '{data_dir}' yet: run 'counter-admin init' first",
            )
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        lock = DataLock(data_dir)
        try:
            # Alone in the folder, tidy it and upgrade the schema before letting others in;
            # beside others, wait (a bounded while) for one doing that, and refuse while a
            # restore holds it.
            alone = lock.try_exclusive()
            if alone:
                remove_leftovers(data_dir)
            else:
                lock.shared(wait_s=BUSY_TIMEOUT_S)
            make_private(data_dir)
            if setup is not None or not db_path.exists():
                cls._build(data_dir, setup)
            try:
                migrate(db_path, data_dir / "backups")
            except (DBAPIError, sqlite3.DatabaseError) as exc:
                raise _cannot_open(db_path, exc) from exc
            if alone:
                lock.shared(wait_s=BUSY_TIMEOUT_S)
            app = cls(data_dir, Database(db_path))
        except BaseException:
            lock.release()
            raise
        app._lock = lock
        return app

    @classmethod
    def _build(cls, data_dir: Path, setup: Callable[[CounterApp], object] | None) -> None:
        """Build a database whole under a part file, then give it its name (never over one).

        A program killed part-way leaves only the part file, which the next start removes.
        """
        db_path = cls.db_path_for(data_dir)
        part = private_file(data_dir / f"{DB_NAME}.{secrets.token_hex(4)}.part")
        try:
            migrate(part, None)
            if setup is not None:
                app = cls(data_dir, Database(part))
                try:
                    setup(app)
                finally:
                    app.close()
            settle(part)
            try:
                os.link(part, db_path)
            except FileExistsError:
                if setup is not None:
                    raise StorageError(
                        f"Đã có cơ sở dữ liệu trong '{data_dir}'; không khởi tạo lại",
                        f"A database already exists in '{data_dir}'; not initialising again",
                    ) from None
            except OSError:  # a file system without hard links
                if not db_path.exists():
                    os.replace(part, db_path)
        finally:
            for path in data_dir.glob(part.name + "*"):
                path.unlink(missing_ok=True)

    def close(self) -> None:
        try:
            self.db.dispose()
        finally:
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def __enter__(self) -> CounterApp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _cannot_open(db_path: Path, exc: BaseException) -> StorageError:
    if is_damage(exc):
        return damaged(db_path, exc)
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    reason = (str(orig).splitlines() or ["?"])[0]
    return StorageError(
        f"Không mở được cơ sở dữ liệu '{db_path}': {reason}",
        f"Cannot open the database '{db_path}': {reason}",
    )
