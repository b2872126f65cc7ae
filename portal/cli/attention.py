"""Admin commands for the entries that need a person: list them, mark them dealt with."""

from __future__ import annotations

import argparse
from typing import Any

from portal.attention import list_attention, resolve_attention
from portal.cli.command import print_json, print_table, run
from portal.db import Database
from portal.errors import CommandRefused
from protocol import MAX_CURSOR, now_vn


def cmd_attention(args: argparse.Namespace) -> int:
    def work(db: Database) -> list[dict[str, Any]]:
        with db.read() as session:
            return list_attention(session, args.agency, args.all)

    items = run(args, work)
    if args.json:
        print_json(items)
    else:
        rows = [
            {
                "id": i["id"],
                "agency_code": i["agency_code"],
                "counter_no": i["counter_no"],
                "kind": i["kind"],
                "code": i["code"],
                "outcome": i["outcome"],
                "reason": i["reason"]["code"],
                "times": i["times"],
                "resolved": "x" if i["resolved_at"] else "",
            }
            for i in items
        ]
        print_table(rows, list(rows[0]) if rows else ["id"])
    return 0


def cmd_attention_resolve(args: argparse.Namespace) -> int:
    if not 1 <= args.id <= MAX_CURSOR:  # no item has such a number; the database takes none
        raise CommandRefused(
            f"Không tìm thấy mục cần xử lý số {args.id}.", f"Attention item {args.id} not found."
        )

    def work(db: Database) -> None:
        with db.write() as session:
            resolve_attention(session, args.id, args.note, now_vn())

    run(args, work)
    if args.json:
        print_json({"id": args.id, "resolved": True})
    else:
        print(f"Đã đánh dấu mục số {args.id} là đã xử lý")
    return 0
