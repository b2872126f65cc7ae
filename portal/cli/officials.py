"""Admin commands for the dashboard's officials, and its counts."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from portal.cli.command import emit, print_json, run
from portal.dashboard.rollup import rebuild
from portal.db import Database
from portal.errors import CommandRefused
from portal.officials import add_official, list_officials
from protocol import now_vn


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise CommandRefused(
            "không có mật khẩu: hãy nhập khi được hỏi, hoặc dùng --password-stdin",
            "no password: type it when asked, or use --password-stdin",
        )
    first = getpass.getpass("Mật khẩu: ")
    if getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise CommandRefused("hai lần nhập mật khẩu không khớp", "the two passwords differ")
    return first


def cmd_add_official(args: argparse.Namespace) -> int:
    password = _password(args)

    def work(db: Database) -> dict[str, Any]:
        with db.write() as session:
            official = add_official(
                session, args.username, args.name, password, now_vn(), args.agency
            )
            return {
                "username": official.username,
                "full_name": official.full_name,
                "agency_code": args.agency or "",
            }

    doc = run(args, work)
    if args.json:
        print_json(doc)
    else:
        scope = f"cơ quan {doc['agency_code']}" if doc["agency_code"] else "toàn tỉnh"
        print(f"Đã tạo tài khoản {doc['username']} ({doc['full_name']}), xem số liệu {scope}")
    return 0


def cmd_officials(args: argparse.Namespace) -> int:
    def work(db: Database) -> list[dict[str, Any]]:
        with db.read() as session:
            return list_officials(session)

    emit(args, run(args, work), ("username", "full_name", "agency_code", "last_signin_at"))
    return 0


def cmd_rebuild_counts(args: argparse.Namespace) -> int:
    def work(db: Database) -> int:
        with db.write() as session:
            return rebuild(session)

    counted = run(args, work)
    if args.json:
        print_json({"dossiers": counted})
    else:
        print(f"Đã tính lại số liệu của {counted} hồ sơ")
    return 0
