"""``python -m portal``: serve the portal, administer it, print its OpenAPI document.

Exit status: 0 done; 1 refused or failed, with one ``error: ...`` line on stderr; 2 wrong usage.
A refused command changes nothing (each command is one transaction).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import OperationalError, SQLAlchemyError

from portal import __version__
from portal.db import Database, DatabaseUrlError
from portal.errors import PortalError
from sync.wire import STATUS_BY_CODE, STATUS_CODES, VN_TZ, format_datetime, now_vn

log = logging.getLogger("portal.admin")

DB_ENV = "PORTAL_DB_URL"


class Refused(Exception):
    """A command that cannot be done, with the sentence to print after ``error:``."""


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


def _print_json(doc: Any) -> None:
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")


def _print_table(rows: list[dict[str, Any]], columns: Sequence[str]) -> None:
    if not rows:
        print("(không có)")
        return
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns).rstrip())
    for row in rows:
        print("  ".join(str(row.get(c, "")).ljust(widths[c]) for c in columns).rstrip())


def _emit(args: argparse.Namespace, doc: Any, columns: Sequence[str] | None = None) -> None:
    if args.json:
        _print_json(doc)
    elif columns is not None and isinstance(doc, list):
        _print_table(doc, columns)
    elif isinstance(doc, dict):
        for key, value in doc.items():
            print(f"{key}: {value}")
    else:
        print(doc)


# --------------------------------------------------------------------------------------------
# Parsing helpers
# --------------------------------------------------------------------------------------------


def _status(text: str) -> str:
    if text.isdigit() and int(text) in STATUS_BY_CODE:
        return STATUS_BY_CODE[int(text)]
    if text in STATUS_CODES:
        return text
    raise Refused(
        f"không có trạng thái '{text}'; dùng một trong: "
        + ", ".join(f"{s} ({n})" for s, n in STATUS_CODES.items())
    )


def _moment(text: str) -> datetime:
    """ISO 8601; without an offset it is Vietnam time."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise Refused(f"'{text}' không phải ngày giờ ISO 8601 (ví dụ 2026-12-01T16:30)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VN_TZ)
    return moment.astimezone(VN_TZ)


def _read_json_file(path: str) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise Refused(f"không đọc được tệp {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise Refused(f"tệp {path} không phải văn bản UTF-8") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise Refused(f"tệp {path} không phải JSON hợp lệ: {exc}") from None


# --------------------------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------------------------


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from portal.api import create_app
    from portal.config import Settings

    try:
        settings = Settings(
            public_url=args.public_url,
            max_body_bytes=args.max_body_bytes,
            max_batch_entries=args.max_batch_entries,
            lookup_rate=args.lookup_rate,
            lookup_burst=args.lookup_burst,
        )
    except ValueError as exc:
        raise Refused(f"cấu hình không hợp lệ: {exc}") from None
    db = Database(args.db)
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    # proto IPPROTO_TCP, not 0: asyncio only sets TCP_NODELAY on such sockets, and without it
    # every small response waits some 40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((args.host, args.port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise Refused(
            f"không mở được cổng {args.host}:{args.port}: {exc.strerror or exc}"
        ) from None
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    # The first line on stdout says where the portal listens (useful with --port 0).
    print(f"Cổng tham chiếu đang phục vụ tại http://{shown}:{port}", flush=True)
    config = uvicorn.Config(
        create_app(settings, db),
        log_config=None,
        access_log=False,
        server_header=False,
        proxy_headers=bool(args.forwarded_allow_ips),
        forwarded_allow_ips=args.forwarded_allow_ips or None,
        timeout_keep_alive=30,
    )
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        db.dispose()
    return 0


def cmd_openapi(args: argparse.Namespace) -> int:
    from portal.api import openapi_document

    text = json.dumps(openapi_document(), ensure_ascii=False, indent=2) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _admin(args: argparse.Namespace, work: Callable[[Database], Any]) -> Any:
    db = Database(args.db)
    try:
        return work(db)
    finally:
        db.dispose()


def cmd_add_agency(args: argparse.Namespace) -> int:
    from portal.agencies import add_agency, agency_dict

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
            )
            return agency_dict(agency)

    doc = _admin(args, work)
    if args.json:
        _print_json(doc)
    else:
        print(f"Đã đăng ký cơ quan {doc['code']}: {doc['name']}")
    return 0


def cmd_update_agency(args: argparse.Namespace) -> int:
    from portal.agencies import agency_dict, update_agency

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
            )
            return agency_dict(agency)

    _emit(args, _admin(args, work))
    return 0


def cmd_agencies(args: argparse.Namespace) -> int:
    from portal.agencies import list_agencies

    def work(db: Database) -> list[dict[str, Any]]:
        with db.read() as session:
            return list_agencies(session)

    _emit(args, _admin(args, work), ("code", "name", "parent_name", "level"))
    return 0


def _token_command(args: argparse.Namespace, rotate: bool) -> int:
    from portal.agencies import add_counter, rotate_token

    def work(db: Database) -> str:
        with db.write() as session:
            issue = rotate_token if rotate else add_counter
            return issue(session, args.agency_code, args.counter_no, now_vn()).token

    token = _admin(args, work)
    if args.json:
        _print_json(
            {"agency_code": args.agency_code, "counter_no": args.counter_no, "token": token}
        )
    else:
        print(token)  # alone on stdout, so that scripts can capture it
    return 0


def cmd_add_counter(args: argparse.Namespace) -> int:
    return _token_command(args, rotate=False)


def cmd_rotate_token(args: argparse.Namespace) -> int:
    return _token_command(args, rotate=True)


def cmd_disable_counter(args: argparse.Namespace) -> int:
    from portal.agencies import set_counter_active

    def work(db: Database) -> None:
        with db.write() as session:
            set_counter_active(session, args.agency_code, args.counter_no, False)

    _admin(args, work)
    if not args.json:
        print(f"Đã khóa quầy số {args.counter_no} của cơ quan {args.agency_code}")
    else:
        _print_json(
            {"agency_code": args.agency_code, "counter_no": args.counter_no, "active": False}
        )
    return 0


def cmd_counters(args: argparse.Namespace) -> int:
    from portal.agencies import list_counters

    def work(db: Database) -> list[dict[str, Any]]:
        with db.read() as session:
            return list_counters(session, args.agency)

    _emit(args, _admin(args, work), ("agency_code", "counter_no", "active", "last_seen_at"))
    return 0


def cmd_dossiers(args: argparse.Namespace) -> int:
    from portal.dossiers import list_dossiers

    status = _status(args.status) if args.status else None

    def work(db: Database) -> list[dict[str, Any]]:
        with db.read() as session:
            return list_dossiers(session, args.agency, status, args.limit)

    _emit(
        args,
        _admin(args, work),
        ("code", "status", "procedure_code", "applicant_name", "received_at", "due_at"),
    )
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from portal.dossiers import dossier_detail

    def work(db: Database) -> dict[str, Any]:
        with db.read() as session:
            return dossier_detail(session, args.code)

    doc = _admin(args, work)
    if args.json:
        _print_json(doc)
        return 0
    snapshot = doc["dossier"]
    print(f"Mã hồ sơ: {doc['code']}")
    print(f"Thủ tục: {snapshot['procedure_code']} {snapshot['procedure_name']}")
    print(f"Chủ hồ sơ: {snapshot['applicant']['name']}")
    print(f"Tiếp nhận: {snapshot['received_at']}  Hẹn trả: {doc['due_at']}")
    print(f"Trạng thái: {doc['status']} ({doc['status_code']})")
    for item in doc["history"]:
        what = item["status"] if item["kind"] == "status" else f"hẹn trả {item['due_at']}"
        print(f"  {item['at']}  {what}  {item['by']} ({item['source']})  {item['note']}".rstrip())
    return 0


def cmd_set_status(args: argparse.Namespace) -> int:
    from portal.dossiers import set_status

    status = _status(args.status)

    def work(db: Database) -> dict[str, Any]:
        with db.write() as session:
            change = set_status(
                session, args.code, status, now_vn(), note=args.note, by=args.by, force=args.force
            )
            return {"code": change.code, "status": change.status, "cursor": change.id}

    doc = _admin(args, work)
    if args.json:
        _print_json(doc)
    else:
        print(f"Hồ sơ {doc['code']}: {doc['status']} (thay đổi số {doc['cursor']})")
    return 0


def cmd_set_due(args: argparse.Namespace) -> int:
    from portal.dossiers import set_due

    due_at = _moment(args.due_at)

    def work(db: Database) -> dict[str, Any]:
        with db.write() as session:
            change = set_due(session, args.code, due_at, args.reason, now_vn(), by=args.by)
            return {
                "code": change.code,
                "due_at": format_datetime(change.due_at),
                "cursor": change.id,
            }

    doc = _admin(args, work)
    if args.json:
        _print_json(doc)
    else:
        print(f"Hồ sơ {doc['code']}: hẹn trả mới {doc['due_at']} (thay đổi số {doc['cursor']})")
    return 0


def cmd_catalog_import(args: argparse.Namespace) -> int:
    from portal.masterdata import import_catalog

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

    result = _admin(args, work)
    if args.json:
        _print_json(result)
    else:
        print(
            f"Danh mục {result['catalog_version']}: thêm {result['added']}, "
            f"sửa {result['updated']}, giữ nguyên {result['unchanged']} thủ tục "
            f"(phiên bản phát hành {result['version']})"
        )
    return 0


def cmd_catalog_list(args: argparse.Namespace) -> int:
    from portal.masterdata import list_procedures

    def work(db: Database) -> list[dict[str, Any]]:
        with db.read() as session:
            return list_procedures(session)

    procedures = _admin(args, work)
    if args.json:
        _print_json(procedures)
    else:
        _print_table([{"code": p["code"], "name": p["name"]} for p in procedures], ("code", "name"))
    return 0


def _calendar_set(args: argparse.Namespace, kind: str) -> int:
    from portal.masterdata import parse_day, set_calendar_day

    day = parse_day(args.date)

    def work(db: Database) -> str:
        with db.write() as session:
            return set_calendar_day(session, day, kind, args.note, now_vn()).version

    version = _admin(args, work)
    if args.json:
        _print_json({"date": day.isoformat(), "kind": kind, "note": args.note, "version": version})
    else:
        what = "ngày nghỉ" if kind == "day_off" else "ngày làm việc"
        print(f"{day.isoformat()}: {what} (phiên bản lịch {version})")
    return 0


def cmd_calendar_day_off(args: argparse.Namespace) -> int:
    return _calendar_set(args, "day_off")


def cmd_calendar_workday(args: argparse.Namespace) -> int:
    return _calendar_set(args, "workday")


def cmd_calendar_remove(args: argparse.Namespace) -> int:
    from portal.masterdata import parse_day, remove_calendar_day

    day = parse_day(args.date)

    def work(db: Database) -> str:
        with db.write() as session:
            return remove_calendar_day(session, day, now_vn()).version

    version = _admin(args, work)
    if args.json:
        _print_json({"date": day.isoformat(), "removed": True, "version": version})
    else:
        print(f"Đã bỏ {day.isoformat()} khỏi lịch (phiên bản lịch {version})")
    return 0


def cmd_calendar_list(args: argparse.Namespace) -> int:
    from portal.masterdata import list_calendar

    def work(db: Database) -> list[dict[str, Any]]:
        with db.read() as session:
            return list_calendar(session)

    _emit(args, _admin(args, work), ("date", "kind", "note"))
    return 0


def cmd_attention(args: argparse.Namespace) -> int:
    from portal.dossiers import list_attention

    def work(db: Database) -> list[dict[str, Any]]:
        with db.read() as session:
            return list_attention(session, args.agency, args.all)

    items = _admin(args, work)
    if args.json:
        _print_json(items)
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
        _print_table(rows, list(rows[0]) if rows else ["id"])
    return 0


def cmd_attention_resolve(args: argparse.Namespace) -> int:
    from portal.dossiers import resolve_attention

    def work(db: Database) -> None:
        with db.write() as session:
            resolve_attention(session, args.id, args.note, now_vn())

    _admin(args, work)
    if args.json:
        _print_json({"id": args.id, "resolved": True})
    else:
        print(f"Đã đánh dấu mục số {args.id} là đã xử lý")
    return 0


# --------------------------------------------------------------------------------------------
# The parser
# --------------------------------------------------------------------------------------------


def _add_json(parser: argparse.ArgumentParser) -> None:
    # Accepted after the command's name too; SUPPRESS keeps "admin --json" from being reset.
    parser.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="print one JSON document"
    )


def _agency_fields(parser: argparse.ArgumentParser, defaults: bool) -> None:
    blank = "" if defaults else None
    parser.add_argument("--parent-name", default=blank, help="the parent authority's name")
    parser.add_argument(
        "--level", default="commune" if defaults else None, help="province | district | commune"
    )
    parser.add_argument("--address", default=blank)
    parser.add_argument("--phone", default=blank)
    parser.add_argument("--place", default=blank, help="place name printed before the date")


def _counter_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--agency-code", required=True)
    parser.add_argument("--counter-no", required=True, type=int)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m portal", description="Reference provincial portal (sync protocol v1)."
    )
    parser.add_argument("--version", action="version", version=f"portal {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    db_help = f"SQLAlchemy URL (sqlite:///portal.db, postgresql+psycopg://...); default ${DB_ENV}"

    serve = commands.add_parser("serve", help="serve the API and the public lookup page")
    serve.add_argument("--db", default=os.environ.get(DB_ENV), help=db_help)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    serve.add_argument("--public-url", default="", help="public address, for lookup links")
    serve.add_argument("--max-body-bytes", type=int, default=None)
    serve.add_argument("--max-batch-entries", type=int, default=None)
    serve.add_argument(
        "--lookup-rate",
        type=float,
        default=30.0,
        help="lookups per minute per address (0: no limit)",
    )
    serve.add_argument("--lookup-burst", type=int, default=10)
    serve.add_argument(
        "--forwarded-allow-ips", default="", help="proxies trusted for X-Forwarded-For"
    )
    serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning"])
    serve.set_defaults(func=cmd_serve)

    openapi = commands.add_parser("openapi", help="print the OpenAPI document")
    openapi.add_argument("-o", "--output", help="write it to this file")
    openapi.set_defaults(func=cmd_openapi, db="")

    admin = commands.add_parser(
        "admin", help="administer agencies, counters, dossiers, master data"
    )
    admin.add_argument("--db", default=os.environ.get(DB_ENV), help=db_help)
    admin.add_argument("--json", action="store_true", help="print one JSON document")
    sub = admin.add_subparsers(dest="admin_command", required=True, metavar="ADMIN_COMMAND")

    p = sub.add_parser("add-agency", help="register an agency")
    p.add_argument("code")
    p.add_argument("name")
    _agency_fields(p, defaults=True)
    p.set_defaults(func=cmd_add_agency)

    p = sub.add_parser(
        "update-agency", help="change an agency's details (published to its counters)"
    )
    p.add_argument("code")
    p.add_argument("--name")
    _agency_fields(p, defaults=False)
    p.set_defaults(func=cmd_update_agency)

    p = sub.add_parser("agencies", help="list agencies")
    p.set_defaults(func=cmd_agencies)

    p = sub.add_parser("add-counter", help="register a counter and print its API token")
    _counter_args(p)
    p.set_defaults(func=cmd_add_counter)

    p = sub.add_parser("rotate-token", help="issue a new token for a counter (the old one stops)")
    _counter_args(p)
    p.set_defaults(func=cmd_rotate_token)

    p = sub.add_parser("disable-counter", help="refuse a counter's token from now on")
    _counter_args(p)
    p.set_defaults(func=cmd_disable_counter)

    p = sub.add_parser("counters", help="list counters")
    p.add_argument("--agency")
    p.set_defaults(func=cmd_counters)

    p = sub.add_parser("dossiers", help="list the dossiers the portal holds")
    p.add_argument("--agency")
    p.add_argument("--status")
    p.add_argument("--limit", type=int)
    p.set_defaults(func=cmd_dossiers)

    p = sub.add_parser("show", help="one dossier with its history")
    p.add_argument("code")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("set-status", help="change a dossier's status as a processing department")
    p.add_argument("code")
    p.add_argument("status", help="identifier (processing, done...) or national number")
    p.add_argument("--note", default="")
    p.add_argument("--by", default="portal", help="department or person, shown to the counter")
    p.add_argument("--force", action="store_true", help="skip the state machine (corrections)")
    p.set_defaults(func=cmd_set_status)

    p = sub.add_parser("set-due", help="set a new due moment (after an apology for delay)")
    p.add_argument("code")
    p.add_argument("due_at", metavar="DATETIME")
    p.add_argument("--reason", required=True)
    p.add_argument("--by", default="portal")
    p.set_defaults(func=cmd_set_due)

    catalog = sub.add_parser("catalog", help="the procedure catalogue")
    catalog_sub = catalog.add_subparsers(dest="catalog_command", required=True, metavar="ACTION")
    p = catalog_sub.add_parser("import", help="import a catalogue file (upsert by code)")
    p.add_argument("file")
    p.set_defaults(func=cmd_catalog_import)
    p = catalog_sub.add_parser("list", help="list the procedures")
    p.set_defaults(func=cmd_catalog_list)

    calendar = sub.add_parser("calendar", help="days off and make-up working days")
    calendar_sub = calendar.add_subparsers(dest="calendar_command", required=True, metavar="ACTION")
    p = calendar_sub.add_parser("day-off", help="mark DATE as a day off")
    p.add_argument("date")
    p.add_argument("--note", default="")
    p.set_defaults(func=cmd_calendar_day_off)
    p = calendar_sub.add_parser("workday", help="mark DATE as a working day")
    p.add_argument("date")
    p.add_argument("--note", default="")
    p.set_defaults(func=cmd_calendar_workday)
    p = calendar_sub.add_parser("remove", help="remove DATE's override")
    p.add_argument("date")
    p.set_defaults(func=cmd_calendar_remove)
    p = calendar_sub.add_parser("list", help="list the overrides")
    p.set_defaults(func=cmd_calendar_list)

    attention = sub.add_parser("attention", help="entries that need a person")
    attention.add_argument("--agency")
    attention.add_argument("--all", action="store_true", help="resolved items too")
    attention.set_defaults(func=cmd_attention)
    attention_sub = attention.add_subparsers(dest="attention_command", metavar="ACTION")
    p = attention_sub.add_parser("resolve", help="mark an item as dealt with")
    p.add_argument("id", type=int)
    p.add_argument("--note", default="")
    p.set_defaults(func=cmd_attention_resolve)

    for action in (sub, catalog_sub, calendar_sub, attention_sub):
        for child in action.choices.values():
            _add_json(child)
    return parser


def _setup_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper()),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command != "openapi" and not args.db:
        parser.error(f"--db URL is required (or set {DB_ENV})")
    if not hasattr(args, "json"):
        args.json = False
    if args.command == "serve":
        _setup_logging(args.log_level)
        for name in ("max_body_bytes", "max_batch_entries"):
            if getattr(args, name) is None:
                setattr(args, name, _default(name))
    try:
        result: int = args.func(args)
        return result
    except (Refused, DatabaseUrlError) as exc:
        return _fail(str(exc))
    except PortalError as exc:
        return _fail(exc.message)
    except OperationalError as exc:
        return _fail(f"không truy cập được cơ sở dữ liệu: {_first_line(exc)}")
    except SQLAlchemyError as exc:
        log.debug("database error", exc_info=True)
        return _fail(f"lỗi cơ sở dữ liệu: {_first_line(exc)}")


def _default(name: str) -> int:
    from portal.config import Settings

    value: int = getattr(Settings(), name)
    return value


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


def _fail(message: str) -> int:
    sys.stderr.write(f"error: {' '.join(message.split())}\n")
    return 1
