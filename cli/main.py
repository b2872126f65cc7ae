"""``counter-admin``: the command line (README, "Command line").

Exit status 0 done, 1 refused (one ``error: ...`` line on stderr, nothing changed), 2 usage.
This package is a front end beside the desktop: it wires the counter's services, the
printing package and the sync engine, and nothing below it imports it.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from cli import dossier_commands as dossiers
from cli import file_commands as files
from cli import office_commands as office
from cli.context import Context, lang, t
from counter import __version__
from counter.app import setup_logging
from protocol.constants import ID_TYPES
from protocol.errors import KnownError

log = logging.getLogger("counter.cli")


def _print(ctx: Context) -> None:
    from cli.print_commands import run_print  # reportlab is loaded only to print

    run_print(ctx)


def _sync(ctx: Context) -> None:
    from cli.sync_commands import run_sync  # requests is loaded only to sync

    run_sync(ctx)


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"error: {message}\n")


def _json_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print exactly one JSON document",
    )


def _applicant_options(sp: argparse.ArgumentParser) -> None:
    """The options of one dossier's intake, shared by ``receive`` and ``guide``."""
    sp.add_argument("--procedure")
    sp.add_argument("--applicant-name")
    sp.add_argument(
        "--applicant-type", choices=["citizen", "organization"], help="default: citizen"
    )
    sp.add_argument("--id-type", choices=list(ID_TYPES), help="default: read from the number")
    sp.add_argument("--id-number")
    sp.add_argument("--phone")
    sp.add_argument("--email")
    sp.add_argument("--address")
    sp.add_argument("--channel", choices=["direct", "postal", "online"], default="direct")
    sp.add_argument("--received-at")
    sp.add_argument("--sets", default="1")
    sp.add_argument("--note")
    sp.add_argument("--submitter-name")
    sp.add_argument("--submitter-id-number")
    sp.add_argument("--submitter-phone")
    sp.add_argument("--result-delivery", choices=["counter", "post"], default="counter")


def _user_flag(p: argparse.ArgumentParser, required: bool = False) -> None:
    p.add_argument("--user", help="act as this user (password from COUNTER_PASSWORD)")


def _force_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--force", action="store_true", help="replace the output file if it exists")


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="counter-admin", description="One-stop counter: command line")
    p.add_argument(
        "--data-dir", help="data folder (default: $COUNTER_DATA_DIR or the user data folder)"
    )
    p.add_argument("--json", action="store_true", help="print exactly one JSON document")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)

    def add(name: str, func: Callable[[Context], None], **kw: Any) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, **kw)
        sp.set_defaults(func=func)
        _json_flag(sp)
        return sp

    sp = add("init", office.cmd_init, help="create the database and record this counter's identity")
    sp.add_argument("--agency-code", required=True)
    sp.add_argument("--agency-name", required=True)
    sp.add_argument("--counter-no", required=True, type=int)
    sp.add_argument("--parent-name")
    sp.add_argument(
        "--level",
        choices=["province", "commune", "ministry"],  # district: only in data before July 2025
        default="commune",
        help="commune or province public service centre, or a ministry's receiving unit",
    )
    sp.add_argument("--lookup-base-url")
    sp.add_argument("--place", help="place name printed before the date on forms")

    sp = add("user", office.cmd_user_list, help="accounts")
    usub = sp.add_subparsers(dest="user_command", required=True, parser_class=Parser)
    u = usub.add_parser("add", help="create an account")
    u.set_defaults(func=office.cmd_user_add)
    u.add_argument("username")
    u.add_argument("--full-name", required=True)
    u.add_argument("--role", required=True, choices=["clerk", "supervisor", "admin"])
    u.add_argument("--password-stdin", action="store_true", required=True)
    _user_flag(u)
    _json_flag(u)
    u = usub.add_parser("list", help="list accounts")
    u.set_defaults(func=office.cmd_user_list)
    _json_flag(u)
    for name in ("disable", "enable", "reset-password", "set-role"):
        u = usub.add_parser(name)
        u.set_defaults(func=office.cmd_user_set)
        u.add_argument("username")
        if name == "set-role":
            u.add_argument("role", choices=["clerk", "supervisor", "admin"])
        if name == "reset-password":
            u.add_argument("--password-stdin", action="store_true", required=True)
        _user_flag(u)
        _json_flag(u)

    sp = add("catalog", office.cmd_catalog_list, help="the procedure catalogue")
    csub = sp.add_subparsers(dest="catalog_command", required=True, parser_class=Parser)
    c = csub.add_parser("import")
    c.set_defaults(func=office.cmd_catalog_import)
    c.add_argument("file")
    _user_flag(c)
    _json_flag(c)
    c = csub.add_parser("list")
    c.set_defaults(func=office.cmd_catalog_list)
    c.add_argument("query", nargs="?", default="")
    _json_flag(c)

    sp = add("calendar", office.cmd_calendar_list, help="the office calendar")
    ksub = sp.add_subparsers(dest="calendar_command", required=True, parser_class=Parser)
    for name in ("day-off", "workday"):
        k = ksub.add_parser(name)
        k.set_defaults(func=office.cmd_calendar_set)
        k.add_argument("date")
        k.add_argument("--note")
        _user_flag(k)
        _json_flag(k)
    k = ksub.add_parser("clear")
    k.set_defaults(func=office.cmd_calendar_clear)
    k.add_argument("date")
    _user_flag(k)
    _json_flag(k)
    k = ksub.add_parser("list")
    k.set_defaults(func=office.cmd_calendar_list)
    _json_flag(k)
    k = ksub.add_parser("due")
    k.set_defaults(func=office.cmd_calendar_due)
    k.add_argument("--from", dest="from_", required=True)
    k.add_argument("--procedure", required=True)
    _json_flag(k)

    sp = add("receive", dossiers.cmd_receive, help="record a received, complete dossier")
    _user_flag(sp)
    _applicant_options(sp)
    sp.add_argument(
        "--documents", help="catalogue codes of the papers handed in (default: the required ones)"
    )
    sp.add_argument("--from-jsonl")
    sp.add_argument("--from-guidance", metavar="GUIDANCE_ID")
    sp.add_argument(
        "--reuse-applicant",
        action="store_true",
        help="fill the applicant's details not given from the latest dossier of --id-number",
    )

    sp = add(
        "guide", dossiers.cmd_guide, help="an incomplete dossier: record the guidance (Mẫu 02)"
    )
    _user_flag(sp)
    _applicant_options(sp)
    sp.add_argument(
        "--documents", required=True, help="catalogue codes of the papers shown (may be empty)"
    )

    sp = add("find", dossiers.cmd_find, help="search dossiers")
    sp.add_argument("text")
    sp.add_argument("--limit", type=int, default=50)

    sp = add("show", dossiers.cmd_show, help="one dossier")
    sp.add_argument("code")

    sp = add("attach", files.cmd_attach, help="attach files as a document line's pages")
    sp.add_argument("code")
    sp.add_argument("doc", help="a catalogue document code, or 'result'")
    sp.add_argument("files", nargs="+", metavar="FILE", help="PDF, JPEG, PNG or TIFF")
    _user_flag(sp)

    sp = add("scan", files.cmd_scan, help="scan a document line's pages (SANE)")
    sp.add_argument("code")
    sp.add_argument("doc", help="a catalogue document code, or 'result'")
    sp.add_argument("--device", help="SANE device name (default: setting scan.device)")
    sp.add_argument("--source", help="e.g. 'Automatic Document Feeder' (default: scan.source)")
    sp.add_argument("--pages", type=int, help="pages to scan (default: 1, or a feeder's all)")
    sp.add_argument(
        "--keep-partial",
        action="store_true",
        help="keep the pages scanned before a scanner failure (default: keep none)",
    )
    _user_flag(sp)

    sp = add("export-files", files.cmd_export_files, help="write a dossier's digitised pages")
    sp.add_argument("code")
    sp.add_argument("-o", "--output", required=True, help="a folder")
    _force_flag(sp)

    sp = add("set-status", dossiers.cmd_set_status, help="move a dossier to a status")
    sp.add_argument("code")
    sp.add_argument("status")
    sp.add_argument("--note")
    _user_flag(sp)

    sp = add("reschedule", dossiers.cmd_reschedule, help="a new due date, with the apology letter")
    sp.add_argument("code")
    sp.add_argument("--due-at", required=True)
    sp.add_argument("--reason", required=True)
    _user_flag(sp)

    sp = add(
        "rate",
        dossiers.cmd_rate,
        help="the citizen's rating of a returned dossier (a kiosk; no clerk's account)",
    )
    sp.add_argument("code")
    sp.add_argument("level", metavar="very_satisfied|satisfied|unsatisfied")
    sp.add_argument("--reason", help="why not satisfied (required with unsatisfied)")

    sp = add("print", _print, help="print forms and reports")
    psub = sp.add_subparsers(dest="print_command", required=True, parser_class=Parser)

    def print_target(pp: argparse.ArgumentParser) -> None:
        group = pp.add_mutually_exclusive_group(required=True)
        group.add_argument("-o", "--output")
        group.add_argument("--printer")
        _force_flag(pp)
        _user_flag(pp)
        _json_flag(pp)

    pr = psub.add_parser("receipt")
    pr.add_argument("code")
    pr.add_argument("--paper", choices=["a5", "a4", "thermal80"])
    print_target(pr)
    pr = psub.add_parser("form")
    pr.add_argument(
        "kind", choices=["supplement", "refusal", "apology", "stop-notice", "control-sheet"]
    )
    pr.add_argument("code")
    print_target(pr)
    pr = psub.add_parser("daily")
    pr.add_argument("--date", required=True)
    pr.add_argument("--csv")
    print_target(pr)
    pr = psub.add_parser("book")
    pr.add_argument("--from", dest="from_", required=True)
    pr.add_argument("--to", required=True)
    print_target(pr)

    sp = add("config", office.cmd_config_list, help="settings")
    gsub = sp.add_subparsers(dest="config_command", required=True, parser_class=Parser)
    g = gsub.add_parser("set")
    g.set_defaults(func=office.cmd_config_set)
    g.add_argument("key")
    g.add_argument("value")
    _user_flag(g)
    _json_flag(g)
    g = gsub.add_parser("get")
    g.set_defaults(func=office.cmd_config_get)
    g.add_argument("key")
    _json_flag(g)
    g = gsub.add_parser("list")
    g.set_defaults(func=office.cmd_config_list)
    _json_flag(g)

    sp = add("sync", _sync, help="sync with the provincial portal")
    sp.add_argument("--once", action="store_true")

    sp = add(
        "seed-demo", office.cmd_seed_demo, help="fill the database with invented demo dossiers"
    )
    sp.add_argument("--count", type=int, required=True)
    sp.add_argument("--days", type=int, default=30)
    sp.add_argument("--seed", type=int, default=None)
    _user_flag(sp)

    sp = add("backup", office.cmd_backup, help="a consistent copy of the database")
    sp.add_argument("-o", "--output")
    _force_flag(sp)
    _user_flag(sp)

    sp = add("restore", office.cmd_restore, help="put a backup back")
    sp.add_argument("file")
    _user_flag(sp)

    sp = add("check", office.cmd_check, help="integrity and audit-trail verification")
    sp.add_argument(
        "--portal-heads",
        metavar="FILE",
        help="also hold the audit trail to the heads the portal kept "
        "(the JSON of the portal's 'admin audit-heads --json')",
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx = Context(args)
    try:
        args.func(ctx)
        return 0
    except KnownError as exc:
        # one line, whatever the message holds (SQLite's reports span several)
        sys.stderr.write(f"error: {' '.join(exc.message(lang()).split())}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(t("error: đã dừng\n", "error: interrupted\n"))
        return 1
    except Exception:
        _log_to_the_data_folder(ctx)
        log.exception("unexpected error in %s", args.command)
        sys.stderr.write(
            t(
                "error: lỗi không mong đợi; chi tiết đã ghi vào nhật ký trong thư mục dữ liệu\n",
                "error: unexpected failure; details are in the log in the data folder\n",
            )
        )
        if os.environ.get("COUNTER_DEBUG"):
            raise
        return 1
    finally:
        ctx.close()


def _log_to_the_data_folder(ctx: Context) -> None:
    """A failure before the counter was opened has its trace logged in the data folder too,
    if there is one; never on the terminal, where the one ``error:`` line is the answer."""
    if ctx.data_dir.is_dir():
        setup_logging(ctx.data_dir)
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.NullHandler())


def entry() -> NoReturn:
    sys.exit(main())
