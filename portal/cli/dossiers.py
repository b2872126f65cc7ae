"""Admin commands for dossiers: list and show them, and move them as a processing department."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from portal.cli.command import emit, print_json, run
from portal.db import Database
from portal.dossiers import dossier_detail, list_dossiers, set_due, set_status
from portal.errors import CommandRefused
from protocol import (
    MAX_YEAR,
    MIN_YEAR,
    STATUS_BY_CODE,
    STATUS_CODES,
    VN_TZ,
    format_datetime,
    now_vn,
    printable,
)

#: Most dossiers ``dossiers --limit`` lists.
MAX_LISTED = 1_000_000


def _status(text: str) -> str:
    """A status by identifier or national number."""
    if text.isdigit() and int(text) in STATUS_BY_CODE:
        return STATUS_BY_CODE[int(text)]
    if text in STATUS_CODES:
        return text
    choices = ", ".join(f"{s} ({n})" for s, n in STATUS_CODES.items())
    raise CommandRefused(
        f"không có trạng thái '{text}'; dùng một trong: {choices}",
        f"no status '{text}'; use one of: {choices}",
    )


def moment(text: str) -> datetime:
    """ISO 8601; without an offset it is Vietnam time."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandRefused(
            f"'{text}' không phải ngày giờ ISO 8601 (ví dụ 2026-12-01T16:30)",
            f"'{text}' is not an ISO 8601 date and time (e.g. 2026-12-01T16:30)",
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VN_TZ)
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        shown = printable(text, 40)
        raise CommandRefused(
            f"'{shown}': năm phải từ {MIN_YEAR} đến {MAX_YEAR}",
            f"'{shown}': the year must be {MIN_YEAR} to {MAX_YEAR}",
        )
    return moment.astimezone(VN_TZ)


def cmd_dossiers(args: argparse.Namespace) -> int:
    status = _status(args.status) if args.status else None
    if args.limit is not None and not 1 <= args.limit <= MAX_LISTED:
        raise CommandRefused(
            f"--limit phải từ 1 đến {MAX_LISTED}", f"--limit must be 1 to {MAX_LISTED}"
        )

    def work(db: Database) -> list[dict[str, Any]]:
        with db.read() as session:
            return list_dossiers(session, args.agency, status, args.limit)

    emit(
        args,
        run(args, work),
        ("code", "status", "procedure_code", "applicant_name", "received_at", "due_at"),
    )
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    def work(db: Database) -> dict[str, Any]:
        with db.read() as session:
            return dossier_detail(session, args.code)

    doc = run(args, work)
    if args.json:
        print_json(doc)
        return 0
    snapshot = doc["dossier"]
    print(f"Mã hồ sơ: {doc['code']}")
    print(f"Thủ tục: {snapshot['procedure_code']} {snapshot['procedure_name']}")
    print(f"Chủ hồ sơ: {snapshot['applicant']['name']}")
    print(f"Tiếp nhận: {snapshot['received_at']}  Hẹn trả: {doc['due_at']}")
    print(f"Trạng thái: {doc['status']} ({doc['status_code']})")
    for item in doc["history"]:
        what = {
            "status": item["status"],
            "due": f"hẹn trả {item['due_at']}",
            "handover": "giao hồ sơ",
        }.get(item["kind"], item["kind"])
        print(f"  {item['at']}  {what}  {item['by']} ({item['source']})  {item['note']}".rstrip())
    for h in doc["handovers"]:
        print(f"Giao: {h['at']}  {h['from']} -> {h['to']}  {h['by']}  {h['note']}".rstrip())
    return 0


def cmd_set_status(args: argparse.Namespace) -> int:
    status = _status(args.status)

    def work(db: Database) -> dict[str, Any]:
        with db.write() as session:
            change = set_status(
                session, args.code, status, now_vn(), note=args.note, by=args.by, force=args.force
            )
            return {"code": change.code, "status": change.status, "cursor": change.id}

    doc = run(args, work)
    if args.json:
        print_json(doc)
    else:
        print(f"Hồ sơ {doc['code']}: {doc['status']} (thay đổi số {doc['cursor']})")
    return 0


def cmd_set_due(args: argparse.Namespace) -> int:
    due_at = moment(args.due_at)

    def work(db: Database) -> dict[str, Any]:
        with db.write() as session:
            change = set_due(session, args.code, due_at, args.reason, now_vn(), by=args.by)
            return {
                "code": change.code,
                "due_at": format_datetime(change.due_at),
                "cursor": change.id,
            }

    doc = run(args, work)
    if args.json:
        print_json(doc)
    else:
        print(f"Hồ sơ {doc['code']}: hẹn trả mới {doc['due_at']} (thay đổi số {doc['cursor']})")
    return 0
