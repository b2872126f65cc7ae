"""Admin commands for agencies and their counters (and the counters' tokens)."""

from __future__ import annotations

import argparse
from typing import Any

from portal.agencies import (
    add_agency,
    add_counter,
    agency_dict,
    list_agencies,
    list_counters,
    rotate_token,
    set_counter_active,
    update_agency,
)
from portal.anchors import heads_of
from portal.cli.command import emit, print_json, print_table, run
from portal.db import Database
from protocol import now_vn


def cmd_add_agency(args: argparse.Namespace) -> int:
    def work(db: Database) -> dict[str, Any]:
        with db.write() as session:
            agency = add_agency(
                session,
                args.code,
                args.name,
                now_vn(),
                parent_name=args.parent_name,
                level=args.level,
                address=args.address,
                phone=args.phone,
                place=args.place,
                block_size=args.block_size,
            )
            return agency_dict(agency)

    doc = run(args, work)
    if args.json:
        print_json(doc)
    else:
        print(f"Đã đăng ký cơ quan {doc['code']}: {doc['name']}")
    return 0


def cmd_update_agency(args: argparse.Namespace) -> int:
    def work(db: Database) -> dict[str, Any]:
        with db.write() as session:
            agency = update_agency(
                session,
                args.code,
                now_vn(),
                name=args.name,
                parent_name=args.parent_name,
                level=args.level,
                address=args.address,
                phone=args.phone,
                place=args.place,
                block_size=args.block_size,
            )
            return agency_dict(agency)

    emit(args, run(args, work))
    return 0


def cmd_agencies(args: argparse.Namespace) -> int:
    def work(db: Database) -> list[dict[str, Any]]:
        with db.read() as session:
            return list_agencies(session)

    emit(args, run(args, work), ("code", "name", "parent_name", "level"))
    return 0


def _token_command(args: argparse.Namespace, rotate: bool) -> int:
    def work(db: Database) -> str:
        with db.write() as session:
            issue = rotate_token if rotate else add_counter
            return issue(session, args.agency_code, args.counter_no, now_vn()).token

    token = run(args, work)
    if args.json:
        print_json({"agency_code": args.agency_code, "counter_no": args.counter_no, "token": token})
    else:
        print(token)  # alone on stdout, so that scripts can capture it
    return 0


def cmd_add_counter(args: argparse.Namespace) -> int:
    return _token_command(args, rotate=False)


def cmd_rotate_token(args: argparse.Namespace) -> int:
    return _token_command(args, rotate=True)


def cmd_disable_counter(args: argparse.Namespace) -> int:
    def work(db: Database) -> None:
        with db.write() as session:
            set_counter_active(session, args.agency_code, args.counter_no, False)

    run(args, work)
    if not args.json:
        print(f"Đã khóa quầy số {args.counter_no} của cơ quan {args.agency_code}")
    else:
        print_json(
            {"agency_code": args.agency_code, "counter_no": args.counter_no, "active": False}
        )
    return 0


def cmd_counters(args: argparse.Namespace) -> int:
    def work(db: Database) -> list[dict[str, Any]]:
        with db.read() as session:
            return list_counters(session, args.agency)

    emit(args, run(args, work), ("agency_code", "counter_no", "active", "last_seen_at"))
    return 0


def cmd_audit_heads(args: argparse.Namespace) -> int:
    """The heads of a counter's audit trail the portal kept: with ``--json``, the file the
    counter's ``check --portal-heads`` reads."""

    def work(db: Database) -> dict[str, Any]:
        with db.read() as session:
            return heads_of(session, args.agency_code, args.counter_no)

    doc = run(args, work)
    if args.json:
        print_json(doc)
    else:
        print(f"Mốc nhật ký của quầy số {doc['counter_no']}, cơ quan {doc['agency_code']}:")
        print_table(doc["heads"], ("row_id", "hash", "received_at"))
    return 0
