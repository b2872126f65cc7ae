"""Admin commands for the master data published to every counter: catalogue and calendar."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from portal.cli.command import emit, print_json, print_table, run
from portal.db import Database
from portal.errors import CommandRefused
from portal.masterdata import (
    import_catalog,
    list_calendar,
    list_procedures,
    parse_day,
    remove_calendar_day,
    set_calendar_day,
)
from protocol import loads, now_vn


def _read_json_file(path: str) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or exc
        raise CommandRefused(
            f"không đọc được tệp {path}: {reason}", f"cannot read {path}: {reason}"
        ) from None
    except UnicodeDecodeError:
        raise CommandRefused(
            f"tệp {path} không phải văn bản UTF-8", f"{path} is not UTF-8 text"
        ) from None
    try:
        # Strict, as on the wire: no NaN or Infinity; a number of thousands of digits or
        # nesting thousands deep is refused like any other malformed file.
        return loads(text)
    except RecursionError:
        problem: object = "nested too deeply"
    except ValueError as exc:
        problem = exc
    raise CommandRefused(
        f"tệp {path} không phải JSON hợp lệ: {problem}", f"{path} is not valid JSON: {problem}"
    )


def cmd_catalog_import(args: argparse.Namespace) -> int:
    doc = _read_json_file(args.file)

    def work(db: Database) -> dict[str, Any]:
        with db.write() as session:
            result = import_catalog(session, doc, now_vn())
            return {
                "added": result.added,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "catalog_version": result.catalog_version,
                "version": result.version,
            }

    result = run(args, work)
    if args.json:
        print_json(result)
    else:
        print(
            f"Danh mục {result['catalog_version']}: thêm {result['added']}, "
            f"sửa {result['updated']}, giữ nguyên {result['unchanged']} thủ tục "
            f"(phiên bản phát hành {result['version']})"
        )
    return 0


def cmd_catalog_list(args: argparse.Namespace) -> int:
    def work(db: Database) -> list[dict[str, Any]]:
        with db.read() as session:
            return list_procedures(session)

    procedures = run(args, work)
    if args.json:
        print_json(procedures)
    else:
        print_table([{"code": p["code"], "name": p["name"]} for p in procedures], ("code", "name"))
    return 0


def _calendar_set(args: argparse.Namespace, kind: str) -> int:
    day = parse_day(args.date)

    def work(db: Database) -> str:
        with db.write() as session:
            return set_calendar_day(session, day, kind, args.note, now_vn()).version

    version = run(args, work)
    if args.json:
        print_json({"date": day.isoformat(), "kind": kind, "note": args.note, "version": version})
    else:
        what = "ngày nghỉ" if kind == "day_off" else "ngày làm việc"
        print(f"{day.isoformat()}: {what} (phiên bản lịch {version})")
    return 0


def cmd_calendar_day_off(args: argparse.Namespace) -> int:
    return _calendar_set(args, "day_off")


def cmd_calendar_workday(args: argparse.Namespace) -> int:
    return _calendar_set(args, "workday")


def cmd_calendar_remove(args: argparse.Namespace) -> int:
    day = parse_day(args.date)

    def work(db: Database) -> str:
        with db.write() as session:
            return remove_calendar_day(session, day, now_vn()).version

    version = run(args, work)
    if args.json:
        print_json({"date": day.isoformat(), "removed": True, "version": version})
    else:
        print(f"Đã bỏ {day.isoformat()} khỏi lịch (phiên bản lịch {version})")
    return 0


def cmd_calendar_list(args: argparse.Namespace) -> int:
    def work(db: Database) -> list[dict[str, Any]]:
        with db.read() as session:
            return list_calendar(session)

    emit(args, run(args, work), ("date", "kind", "note"))
    return 0
