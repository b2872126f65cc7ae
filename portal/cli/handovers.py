"""Admin commands for hand-overs: record one, and register a processing system that records
them through the API."""

from __future__ import annotations

import argparse
from typing import Any

from portal.cli.command import print_json, run
from portal.cli.dossiers import moment
from portal.db import Database
from portal.handovers import add_system, record_handover
from protocol import now_vn


def cmd_handover(args: argparse.Namespace) -> int:
    at = moment(args.at) if args.at else None

    def work(db: Database) -> dict[str, Any]:
        with db.write() as session:
            done = record_handover(
                session,
                args.code,
                args.to,
                args.by,
                now_vn(),
                from_=args.from_ or None,
                at=at,
                note=args.note,
            )
            return {"outcome": done.outcome, "code": args.code, "handover": done.handover}

    doc = run(args, work)
    if args.json:
        print_json(doc)
        return 0
    h = doc["handover"]
    said = "Đã ghi" if doc["outcome"] == "accepted" else "Đã ghi từ trước"
    print(
        f"{said}: hồ sơ {doc['code']} giao từ {h['from_name']} ({h['from']}) "
        f"sang {h['to_name']} ({h['to']}) lúc {h['at']}, người giao {h['by']}"
    )
    return 0


def cmd_add_system(args: argparse.Namespace) -> int:
    def work(db: Database) -> str:
        with db.write() as session:
            return add_system(session, args.name, now_vn()).token

    token = run(args, work)
    if args.json:
        print_json({"name": args.name, "token": token})
    else:
        print(token)  # alone on stdout, so that scripts can capture it
    return 0
