"""Admin commands for digitised files: list a dossier's files, copy them out for an official."""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path
from typing import Any

from portal.cli.command import emit, print_json, run
from portal.db import Database
from portal.errors import CommandRefused
from portal.files import FileStore, agency_code_of, default_root, file_rows

COLUMNS = ("doc", "version", "pages", "bytes", "sha256", "by", "at")


def cmd_files(args: argparse.Namespace) -> int:
    def work(db: Database) -> list[dict[str, Any]]:
        with db.read() as session:
            return file_rows(session, args.code)

    emit(args, run(args, work), COLUMNS)
    return 0


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "_"


def cmd_export_files(args: argparse.Namespace) -> int:
    """``<doc>-v<version>.pdf`` for each file of the dossier, in the folder given (made if
    missing); a file of that name already there is left alone and the command refuses."""

    def work(db: Database) -> list[str]:
        root = Path(args.files).expanduser().resolve() if args.files else default_root(db.url)
        if root is None:
            raise CommandRefused(
                "hãy cho biết thư mục tệp của cổng (--files), như khi chạy serve",
                "give the portal's files folder (--files), as serve was given",
            )
        with db.read() as session:
            rows = file_rows(session, args.code)
            agency = agency_code_of(session, args.code)
        store = FileStore(root)
        out = Path(args.output)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for row in rows:
            source = store.read_path(agency, row["sha256"])
            if not source.is_file():
                raise CommandRefused(
                    f"thiếu tệp {row['sha256']} trong {root}",
                    f"file {row['sha256']} is missing from {root}",
                )
            target = out / f"{_safe(row['doc'])}-v{row['version']}.pdf"
            if target.exists():
                raise CommandRefused(f"{target} đã có", f"{target} exists already")
            part = target.with_name(target.name + ".part")
            shutil.copyfile(source, part)
            os.replace(part, target)
            written.append(str(target))
        return written

    written = run(args, work)
    if args.json:
        print_json(written)
    else:
        for path in written:
            print(path)
    return 0
