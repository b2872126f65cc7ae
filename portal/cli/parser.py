"""The command line's grammar: every command, option and help text of ``python -m portal``.

Operators and end-to-end checks rely on it; the commands themselves live beside it, one module
per group.
"""

from __future__ import annotations

import argparse
import os

from portal import __version__
from portal.cli.agencies import (
    cmd_add_agency,
    cmd_add_counter,
    cmd_agencies,
    cmd_audit_heads,
    cmd_counters,
    cmd_disable_counter,
    cmd_rotate_token,
    cmd_update_agency,
)
from portal.cli.attention import cmd_attention, cmd_attention_resolve
from portal.cli.dossiers import cmd_dossiers, cmd_set_due, cmd_set_status, cmd_show
from portal.cli.files import cmd_export_files, cmd_files
from portal.cli.handovers import cmd_add_system, cmd_handover
from portal.cli.masterdata import (
    cmd_calendar_day_off,
    cmd_calendar_list,
    cmd_calendar_remove,
    cmd_calendar_workday,
    cmd_catalog_import,
    cmd_catalog_list,
)
from portal.cli.officials import cmd_add_official, cmd_officials, cmd_rebuild_counts
from portal.cli.serve import cmd_openapi, cmd_serve

DB_ENV = "PORTAL_DB_URL"
METRICS_TOKEN_ENV = "PORTAL_METRICS_TOKEN"  # noqa: S105 (a variable's name)


def _add_json(parser: argparse.ArgumentParser) -> None:
    # Accepted after the command's name too; SUPPRESS keeps "admin --json" from being reset.
    parser.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="print one JSON document"
    )


def _agency_fields(parser: argparse.ArgumentParser, defaults: bool) -> None:
    blank = "" if defaults else None
    parser.add_argument("--parent-name", default=blank, help="the parent authority's name")
    parser.add_argument(
        "--level", default="commune" if defaults else None, help="commune | province | ministry"
    )
    parser.add_argument("--address", default=blank)
    parser.add_argument("--phone", default=blank)
    parser.add_argument("--place", default=blank, help="place name printed before the date")
    parser.add_argument(
        "--block-size",
        type=int,
        default=None,
        help="dossier numbers each counter has a day (default 1000; counter N numbers "
        "N*size+1 to (N+1)*size-1)",
    )


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
        "--files",
        default="",
        help="folder of the digitised files (default: 'files' beside a SQLite database; "
        "with PostgreSQL, files are kept only if this is given)",
    )
    serve.add_argument("--max-file-bytes", type=int, default=None, help="largest file")
    serve.add_argument("--max-chunk-bytes", type=int, default=None, help="largest upload chunk")
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
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes on the one port and database (each a few database connections)",
    )
    serve.add_argument(
        "--metrics-token",
        default=os.environ.get(METRICS_TOKEN_ENV, ""),
        help=f"/metrics needs 'Authorization: Bearer TOKEN' (default ${METRICS_TOKEN_ENV}); "
        "without one, /metrics answers this machine (loopback) only",
    )
    serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning"])
    serve.add_argument(
        "--log-format", default="json", choices=["json", "text"], help="JSON lines, or plain"
    )
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

    p = sub.add_parser(
        "audit-heads",
        help="the heads of a counter's audit trail kept here (--json: for its check)",
    )
    _counter_args(p)
    p.set_defaults(func=cmd_audit_heads)

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

    p = sub.add_parser("files", help="a dossier's digitised files (paper, version, pages, hash)")
    p.add_argument("code")
    p.set_defaults(func=cmd_files)

    p = sub.add_parser("export-files", help="copy a dossier's digitised files into a folder")
    p.add_argument("code")
    p.add_argument("-o", "--output", required=True, help="the folder to write them in")
    p.add_argument("--files", default="", help="the portal's files folder (as serve --files)")
    p.set_defaults(func=cmd_export_files)

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

    p = sub.add_parser("handover", help="record a hand-over of a dossier to another agency")
    p.add_argument("code")
    p.add_argument("--to", required=True, metavar="AGENCY", help="agency code of the receiver")
    p.add_argument(
        "--from",
        dest="from_",
        default="",
        metavar="AGENCY",
        help="agency code of the giver (default: who holds it now: the last hand-over's "
        "receiver, else the agency that received the dossier)",
    )
    p.add_argument("--by", required=True, metavar="NAME", help="who hands it over")
    p.add_argument("--at", default="", metavar="DATETIME", help="when (default: now)")
    p.add_argument("--note", default="")
    p.set_defaults(func=cmd_handover)

    p = sub.add_parser(
        "add-system", help="register a processing system and print its API token (hand-overs)"
    )
    p.add_argument("name")
    p.set_defaults(func=cmd_add_system)

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

    p = sub.add_parser("add-official", help="an account for the dashboard (province or commune)")
    p.add_argument("username")
    p.add_argument("--name", required=True, help="the official's full name")
    p.add_argument("--agency", help="agency code: this commune only (default: the province)")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.set_defaults(func=cmd_add_official)

    p = sub.add_parser("officials", help="list the dashboard's accounts")
    p.set_defaults(func=cmd_officials)

    p = sub.add_parser("rebuild-counts", help="count every dossier again for the dashboard")
    p.set_defaults(func=cmd_rebuild_counts)

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
