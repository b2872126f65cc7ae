"""``counter-admin``: the command line of CONTRACTS section 1.

Exit status 0 done, 1 refused (one ``error: ...`` line on stderr, nothing changed), 2 usage.
This module is the composition root of the command line: the only place in ``counter`` that
reaches into ``printing`` and ``sync`` (import-linter allows exactly that).
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn

from counter import __version__
from counter.accounts import Actor
from counter.app import CounterApp, resolve_data_dir, restore, setup_logging
from counter.clock import iso, parse_datetime
from counter.dossiers import DossierInput, at_line, parse_status
from counter.errors import AuthenticationFailed, InvalidInput, Refused
from counter.views import DossierSummary, DossierView, ProcedureView

log = logging.getLogger("counter.cli")


def lang() -> str:
    return "en" if os.environ.get("COUNTER_LANG", "vi").lower().startswith("en") else "vi"


def _t(vi: str, en: str) -> str:
    return en if lang() == "en" else vi


class Context:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.data_dir = resolve_data_dir(args.data_dir)
        self.json: bool = bool(getattr(args, "json", False))
        self._app: CounterApp | None = None

    @property
    def app(self) -> CounterApp:
        if self._app is None:
            self._app = CounterApp.open(self.data_dir)
            setup_logging(self.data_dir)
        return self._app

    def close(self) -> None:
        if self._app is not None:
            self._app.close()

    def actor(self, required: bool = True) -> Actor | None:
        """Sign in as ``--user`` with ``COUNTER_PASSWORD`` or a prompted password."""
        username = getattr(self.args, "user", None)
        if not username:
            if required:
                raise Refused(
                    "Lệnh này cần đăng nhập: thêm --user TÊN sau tên lệnh",
                    "This command needs a user: add --user NAME after the command",
                )
            return None
        password = os.environ.get("COUNTER_PASSWORD")
        if password is None:
            if not sys.stdin or not sys.stdin.isatty():
                raise AuthenticationFailed(
                    "Chưa có mật khẩu: đặt biến môi trường COUNTER_PASSWORD",
                    "No password: set the COUNTER_PASSWORD environment variable",
                )
            password = getpass.getpass(
                _t(f"Mật khẩu của {username}: ", f"Password for {username}: ")
            )
        return self.app.accounts.authenticate(username, password)

    def out(self, data: Any, text: str | Callable[[], str]) -> None:
        if self.json:
            sys.stdout.write(
                json.dumps(data, ensure_ascii=False, indent=2, default=_default) + "\n"
            )
        else:
            sys.stdout.write((text() if callable(text) else text) + "\n")


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


# -- formatting ----------------------------------------------------------------------------


def summary_json(d: DossierSummary | DossierView) -> dict[str, Any]:
    return {
        "code": d.code,
        "applicant_name": d.applicant_name,
        "procedure_code": d.procedure_code,
        "status": d.status.value,
        "received_at": iso(d.received_at),
        "due_at": iso(d.due_at),
    }


def dossier_json(d: DossierView) -> dict[str, Any]:
    data = summary_json(d)
    data.update(
        {
            "procedure_name": d.procedure_name,
            "status_code": d.status.number,
            "status_label": d.status.label(lang()),
            "applicant_type": d.applicant_type,
            "id_number": d.id_number,
            "phone": d.phone,
            "email": d.email,
            "address": d.address,
            "submitter": (
                {
                    "name": d.submitter_name,
                    "id_number": d.submitter_id_number,
                    "phone": d.submitter_phone,
                }
                if d.submitter_name
                else None
            ),
            "channel": d.channel,
            "sets": d.sets,
            "lookup_key": d.lookup_key,
            "lookup_url": d.lookup_url,
            "processing_time": {"value": d.processing_time.value, "unit": d.processing_time.unit},
            "documents": [
                {"code": x.code, "name": x.name, "originals": x.originals, "copies": x.copies}
                for x in d.documents
            ],
            "fees": [{"code": f.code, "name": f.name, "amount": f.amount} for f in d.fees],
            "fees_total": d.fees_total,
            "received_by": d.received_by,
            "book": {"volume": d.book_volume, "number": d.book_number},
            "note": d.note,
            "portal_code": d.portal_code or None,
            "is_demo": d.is_demo,
            "sync_state": d.sync_state,
            "portal_confirmed_at": iso(d.portal_confirmed_at),
            "history": [
                {
                    "at": iso(h.at),
                    "status": h.status.value,
                    "by": h.by,
                    "note": h.note,
                    "source": h.source,
                }
                for h in d.history
            ],
        }
    )
    return data


def _fmt(moment: datetime | None) -> str:
    return moment.strftime("%d/%m/%Y %H:%M") if moment else ""


def dossier_text(d: DossierView) -> str:
    en = lang() == "en"
    lines = [
        f"{d.code}  {d.status.label(lang())}",
        f"  {'Procedure' if en else 'Thủ tục'}: {d.procedure_code} {d.procedure_name}",
        f"  {'Applicant' if en else 'Người nộp'}: {d.applicant_name}"
        + (f" ({d.id_number})" if d.id_number else ""),
    ]
    if d.phone or d.email:
        lines.append(
            f"  {'Contact' if en else 'Liên hệ'}: {' '.join(x for x in (d.phone, d.email) if x)}"
        )
    if d.address:
        lines.append(f"  {'Address' if en else 'Địa chỉ'}: {d.address}")
    lines += [
        f"  {'Received' if en else 'Tiếp nhận'}: {_fmt(d.received_at)}   "
        f"{'Due' if en else 'Hẹn trả'}: {_fmt(d.due_at)}",
        f"  {'Lookup key' if en else 'Mã tra cứu'}: {d.lookup_key}   "
        f"{'Sync' if en else 'Đồng bộ'}: {d.sync_state}",
        f"  {'Documents' if en else 'Giấy tờ'}:",
    ]
    lines += [f"    - {x.name} ({x.originals}/{x.copies})" for x in d.documents]
    if d.fees:
        total = f"{d.fees_total:,}".replace(",", ".")
        lines.append(f"  {'Fees' if en else 'Phí, lệ phí'}: {total} đ")
    lines.append(f"  {'History' if en else 'Lịch sử'}:")
    lines += [
        f"    {_fmt(h.at)}  {h.status.label(lang())}  ({h.by}) {h.note}".rstrip() for h in d.history
    ]
    return "\n".join(lines)


def summaries_text(rows: Sequence[DossierSummary]) -> str:
    if not rows:
        return _t("Không tìm thấy hồ sơ nào", "No dossier found")
    return "\n".join(
        f"{r.code}  {_fmt(r.received_at)}  {r.status.label(lang()):<18}  {r.applicant_name}  "
        f"[{r.procedure_code}]"
        for r in rows
    )


def procedure_json(p: ProcedureView) -> dict[str, Any]:
    from counter.catalog import to_json

    return to_json(p)


# -- commands ------------------------------------------------------------------------------


def cmd_init(ctx: Context) -> None:
    a = ctx.args
    if CounterApp.exists(ctx.data_dir):
        raise Refused(
            f"Đã có cơ sở dữ liệu trong '{ctx.data_dir}'; không khởi tạo lại",
            f"A database already exists in '{ctx.data_dir}'; not initialising again",
        )
    from counter.codes import normalise_agency_code

    normalise_agency_code(a.agency_code)  # refuse before creating anything
    app = CounterApp.open(ctx.data_dir, create=True)
    try:
        office = app.init_office(
            a.agency_code,
            a.agency_name,
            a.counter_no,
            a.parent_name or "",
            a.level,
            a.lookup_base_url or "",
            a.place or "",
        )
    except Refused:
        app.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(CounterApp.db_path_for(ctx.data_dir)) + suffix).unlink(missing_ok=True)
        raise
    ctx._app = app
    ctx.out(
        {
            "agency_code": office.agency_code,
            "agency_name": office.agency_name,
            "counter_no": office.counter_no,
            "data_dir": str(ctx.data_dir),
        },
        _t(
            f"Đã khởi tạo quầy {office.counter_no} của {office.agency_name} ({office.agency_code})"
            f" tại {ctx.data_dir}",
            f"Initialised counter {office.counter_no} of {office.agency_name} "
            f"({office.agency_code}) in {ctx.data_dir}",
        ),
    )


def _read_password_stdin() -> str:
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def cmd_user_add(ctx: Context) -> None:
    a = ctx.args
    app = ctx.app
    actor = ctx.actor(required=app.accounts.has_users())
    if not a.password_stdin:
        raise InvalidInput("Cần --password-stdin", "--password-stdin is required")
    password = _read_password_stdin()
    user = app.accounts.add_user(actor, a.username, a.full_name, a.role, password)
    ctx.out(
        {"username": user.username, "full_name": user.full_name, "role": user.role},
        _t(
            f"Đã tạo tài khoản {user.username} ({user.role})",
            f"Created account {user.username} ({user.role})",
        ),
    )


def cmd_user_list(ctx: Context) -> None:
    users = ctx.app.accounts.list_users()
    ctx.out(
        [
            {
                "username": u.username,
                "full_name": u.full_name,
                "role": u.role,
                "active": u.active,
                "locked_until": iso(u.locked_until),
            }
            for u in users
        ],
        "\n".join(
            f"{u.username:<16} {u.role:<10} {'' if u.active else '(x) '}{u.full_name}"
            for u in users
        ),
    )


def cmd_user_set(ctx: Context) -> None:
    a = ctx.args
    actor = ctx.actor()
    assert actor is not None
    accounts = ctx.app.accounts
    if a.user_command == "disable":
        user = accounts.set_active(actor, a.username, False)
    elif a.user_command == "enable":
        user = accounts.set_active(actor, a.username, True)
    elif a.user_command == "set-role":
        user = accounts.set_role(actor, a.username, a.role)
    else:
        user = accounts.reset_password(actor, a.username, _read_password_stdin())
    ctx.out(
        {"username": user.username, "role": user.role, "active": user.active},
        _t(f"Đã cập nhật tài khoản {user.username}", f"Updated account {user.username}"),
    )


def cmd_catalog_import(ctx: Context) -> None:
    actor = ctx.actor()
    assert actor is not None
    n = ctx.app.import_catalog(actor, Path(ctx.args.file))
    ctx.out({"imported": n}, _t(f"Đã nhập {n} thủ tục", f"Imported {n} procedures"))


def cmd_catalog_list(ctx: Context) -> None:
    procs = ctx.app.procedures(ctx.args.query or "")
    ctx.out(
        [procedure_json(p) for p in procs],
        "\n".join(f"{p.code:<10} {p.processing_time.describe(lang()):<20} {p.name}" for p in procs)
        or _t("Danh mục trống", "The catalogue is empty"),
    )


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"Ngày không hợp lệ: '{text}' (dạng YYYY-MM-DD)", f"Invalid date: '{text}' (YYYY-MM-DD)"
        ) from None


def _datetime(text: str, field: str) -> datetime:
    try:
        return parse_datetime(text)
    except ValueError:
        raise InvalidInput(
            f"Thời điểm không hợp lệ: '{text}' (dạng 2026-11-26T08:30)",
            f"Invalid moment: '{text}' (like 2026-11-26T08:30)",
            field=field,
        ) from None


def cmd_calendar_set(ctx: Context) -> None:
    actor = ctx.actor()
    assert actor is not None
    day = _date(ctx.args.date)
    working = ctx.args.calendar_command == "workday"
    ctx.app.set_calendar_day(actor, day, working, ctx.args.note or "")
    ctx.out(
        {"date": day.isoformat(), "working": working},
        _t(
            f"{day:%d/%m/%Y}: {'ngày làm việc' if working else 'ngày nghỉ'}",
            f"{day}: {'working day' if working else 'day off'}",
        ),
    )


def cmd_calendar_clear(ctx: Context) -> None:
    actor = ctx.actor()
    assert actor is not None
    day = _date(ctx.args.date)
    ctx.app.clear_calendar_day(actor, day)
    ctx.out(
        {"date": day.isoformat(), "cleared": True},
        _t(f"Đã bỏ điều chỉnh ngày {day:%d/%m/%Y}", f"Cleared the override on {day}"),
    )


def cmd_calendar_list(ctx: Context) -> None:
    rows = ctx.app.calendar_overrides()
    ctx.out(
        [{"date": d.isoformat(), "source": src, "working": w, "note": n} for d, src, w, n in rows],
        "\n".join(f"{d}  {src:<6} {'làm việc' if w else 'nghỉ':<9} {n}" for d, src, w, n in rows)
        or _t("Chưa có điều chỉnh nào", "No overrides"),
    )


def cmd_calendar_due(ctx: Context) -> None:
    moment = _datetime(ctx.args.from_, "from")
    proc = ctx.app.procedure(ctx.args.procedure)
    due = ctx.app.work_calendar().due_at(moment, proc.processing_time)
    ctx.out(
        {
            "due_at": iso(due),
            "received_at": iso(moment),
            "procedure_code": proc.code,
            "processing_time": {
                "value": proc.processing_time.value,
                "unit": proc.processing_time.unit,
            },
        },
        iso(due) or "",
    )


RECEIVE_OPTIONS = (
    "procedure",
    "applicant_name",
    "applicant_type",
    "id_number",
    "phone",
    "email",
    "address",
    "channel",
    "received_at",
    "sets",
    "note",
    "submitter_name",
    "submitter_id_number",
    "submitter_phone",
    "result_delivery",
)


def _receipt_json(v: DossierView) -> dict[str, Any]:
    return {
        "code": v.code,
        "received_at": iso(v.received_at),
        "due_at": iso(v.due_at),
        "status": v.status.value,
        "lookup_key": v.lookup_key,
    }


def cmd_receive(ctx: Context) -> None:
    a = ctx.args
    if a.from_jsonl:
        if a.procedure or a.applicant_name:
            raise InvalidInput(
                "Dùng --from-jsonl hoặc các tùy chọn của một hồ sơ, không cả hai",
                "Use --from-jsonl or single-dossier options, not both",
            )
        items, lines = _read_jsonl(Path(a.from_jsonl))
        actor = ctx.actor()
        assert actor is not None
        views = ctx.app.dossiers.receive_many(actor, items, lines)
        ctx.out(
            [_receipt_json(v) for v in views],
            _t(f"Đã tiếp nhận {len(views)} hồ sơ", f"Received {len(views)} dossiers"),
        )
        return
    if not a.procedure or not a.applicant_name:
        raise InvalidInput(
            "Cần --procedure và --applicant-name", "--procedure and --applicant-name are required"
        )
    data = DossierInput(
        procedure_code=a.procedure,
        applicant_name=a.applicant_name,
        applicant_type=a.applicant_type,
        id_number=a.id_number,
        phone=a.phone,
        email=a.email,
        address=a.address,
        channel=a.channel,
        received_at=a.received_at,
        sets=a.sets,
        note=a.note,
        submitter_name=a.submitter_name,
        submitter_id_number=a.submitter_id_number,
        submitter_phone=a.submitter_phone,
        result_delivery=a.result_delivery,
    )
    actor = ctx.actor()
    assert actor is not None
    v = ctx.app.dossiers.receive(actor, data)
    ctx.out(
        _receipt_json(v),
        _t(
            f"Đã tiếp nhận hồ sơ {v.code}, hẹn trả {_fmt(v.due_at)}, mã tra cứu {v.lookup_key}",
            f"Received dossier {v.code}, due {_fmt(v.due_at)}, lookup key {v.lookup_key}",
        ),
    )


def _read_jsonl(path: Path) -> tuple[list[DossierInput], list[int]]:
    try:
        raw = path.read_text("utf-8-sig")
    except OSError as exc:
        raise InvalidInput(
            f"Không đọc được tệp '{path}': {exc.strerror}", f"Cannot read '{path}': {exc.strerror}"
        ) from None
    items, lines = [], []
    for n, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            raise InvalidInput(
                f"dòng {n}: không phải JSON hợp lệ", f"line {n}: not valid JSON"
            ) from None
        if not isinstance(obj, dict):
            raise InvalidInput(f"dòng {n}: cần một đối tượng JSON", f"line {n}: not an object")
        if "procedure" in obj and "procedure_code" not in obj:
            obj["procedure_code"] = obj.pop("procedure")
        try:
            items.append(DossierInput.from_mapping(obj))
        except Refused as exc:
            raise at_line(exc, n) from None
        lines.append(n)
    if not items:
        raise InvalidInput(
            f"Tệp '{path.name}' không có hồ sơ nào", f"'{path.name}' has no dossiers"
        )
    return items, lines


def cmd_find(ctx: Context) -> None:
    from counter.search import find

    with ctx.app.db.reading() as s:
        from counter.dossiers import summary_of

        rows = [summary_of(d) for d in find(s, ctx.args.text, ctx.args.limit)]
    ctx.out([summary_json(r) for r in rows], summaries_text(rows))


def cmd_show(ctx: Context) -> None:
    v = ctx.app.dossiers.get(ctx.args.code)
    ctx.out(dossier_json(v), dossier_text(v))


def cmd_set_status(ctx: Context) -> None:
    status = parse_status(ctx.args.status)
    actor = ctx.actor()
    assert actor is not None
    v = ctx.app.dossiers.set_status(actor, ctx.args.code, status, ctx.args.note)
    ctx.out(dossier_json(v), _t(f"{v.code}: {v.status.label_vi}", f"{v.code}: {v.status.label_en}"))


def cmd_reschedule(ctx: Context) -> None:
    due = _datetime(ctx.args.due_at, "due_at")
    actor = ctx.actor()
    assert actor is not None
    v = ctx.app.dossiers.reschedule(actor, ctx.args.code, due, ctx.args.reason)
    ctx.out(
        dossier_json(v),
        _t(f"{v.code}: hẹn lại {_fmt(v.due_at)}", f"{v.code}: new due date {_fmt(v.due_at)}"),
    )


def cmd_config_get(ctx: Context) -> None:
    from counter.settings import SPECS, mask_secret

    key = ctx.args.key
    value = ctx.app.settings.get(key)
    shown = mask_secret(value) if SPECS[key].secret else value
    ctx.out({"key": key, "value": shown}, str(shown))


def cmd_config_set(ctx: Context) -> None:
    actor = ctx.actor()
    value = ctx.app.settings.set(actor, ctx.args.key, ctx.args.value)
    from counter.settings import SPECS, mask_secret

    shown = mask_secret(value) if SPECS[ctx.args.key].secret else value
    ctx.out({"key": ctx.args.key, "value": shown}, f"{ctx.args.key} = {shown}")


def cmd_config_list(ctx: Context) -> None:
    values = ctx.app.settings.get_many("")
    ctx.out(values, "\n".join(f"{k} = {v}" for k, v in sorted(values.items())))


def cmd_seed_demo(ctx: Context) -> None:
    from counter.seed import seed_demo

    actor = ctx.actor()
    assert actor is not None
    a = ctx.args
    result = seed_demo(ctx.app, actor, a.count, days=a.days, seed=a.seed)
    ctx.out(
        result,
        _t(
            f"Đã tạo {result['created']} hồ sơ mẫu trong {result['seconds']:.1f} giây",
            f"Created {result['created']} demo dossiers in {result['seconds']:.1f} s",
        ),
    )


def cmd_backup(ctx: Context) -> None:
    actor = ctx.actor(required=False)
    dest = Path(ctx.args.output) if ctx.args.output else None
    path = ctx.app.backup(dest, actor.username if actor else "system")
    ctx.out({"backup": str(path)}, _t(f"Đã sao lưu vào {path}", f"Backed up to {path}"))


def cmd_restore(ctx: Context) -> None:
    if CounterApp.exists(ctx.data_dir):
        try:
            has_users = ctx.app.accounts.has_users()
        except Refused:
            has_users = False  # a damaged database: restoring is the way out
        if has_users:
            actor = ctx.actor()
            assert actor is not None
            if not actor.at_least("admin"):
                from counter.accounts import require

                require(actor, "admin", "khôi phục dữ liệu", "restore data")
        ctx.close()
        ctx._app = None
    path = restore(ctx.data_dir, Path(ctx.args.file))
    ctx.out(
        {"restored": str(path)},
        _t(f"Đã khôi phục từ {ctx.args.file}", f"Restored from {ctx.args.file}"),
    )


def cmd_check(ctx: Context) -> None:
    report = ctx.app.check()
    data = {
        "ok": report.ok,
        "integrity": report.integrity,
        "audit_rows": report.audit_rows,
        "dossiers": report.dossiers,
        "problem": report.problem_vi or None,
    }
    if not report.ok:
        if ctx.json:
            ctx.out(data, "")
        raise Refused(report.problem_vi, report.problem_en)
    ctx.out(
        data,
        _t(
            f"Tốt: cơ sở dữ liệu toàn vẹn, {report.dossiers} hồ sơ, "
            f"{report.audit_rows} dòng nhật ký đã kiểm",
            f"OK: database intact, {report.dossiers} dossiers, {report.audit_rows} "
            "audit rows verified",
        ),
    )


def cmd_print(ctx: Context) -> None:
    from printing.commands import run_print  # the command line's print front end

    run_print(ctx)


def cmd_sync(ctx: Context) -> None:
    from sync.commands import run_sync  # the command line's sync front end

    run_sync(ctx)


# -- parser --------------------------------------------------------------------------------


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


def _user_flag(p: argparse.ArgumentParser, required: bool = False) -> None:
    p.add_argument("--user", help="act as this user (password from COUNTER_PASSWORD)")


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

    sp = add("init", cmd_init, help="create the database and record this counter's identity")
    sp.add_argument("--agency-code", required=True)
    sp.add_argument("--agency-name", required=True)
    sp.add_argument("--counter-no", required=True, type=int)
    sp.add_argument("--parent-name")
    sp.add_argument("--level", choices=["province", "district", "commune"], default="commune")
    sp.add_argument("--lookup-base-url")
    sp.add_argument("--place", help="place name printed before the date on forms")

    sp = add("user", cmd_user_list, help="accounts")
    usub = sp.add_subparsers(dest="user_command", required=True, parser_class=Parser)
    u = usub.add_parser("add", help="create an account")
    u.set_defaults(func=cmd_user_add)
    u.add_argument("username")
    u.add_argument("--full-name", required=True)
    u.add_argument("--role", required=True, choices=["clerk", "supervisor", "admin"])
    u.add_argument("--password-stdin", action="store_true", required=True)
    _user_flag(u)
    _json_flag(u)
    u = usub.add_parser("list", help="list accounts")
    u.set_defaults(func=cmd_user_list)
    _json_flag(u)
    for name in ("disable", "enable", "reset-password", "set-role"):
        u = usub.add_parser(name)
        u.set_defaults(func=cmd_user_set)
        u.add_argument("username")
        if name == "set-role":
            u.add_argument("role", choices=["clerk", "supervisor", "admin"])
        if name == "reset-password":
            u.add_argument("--password-stdin", action="store_true", required=True)
        _user_flag(u)
        _json_flag(u)

    sp = add("catalog", cmd_catalog_list, help="the procedure catalogue")
    csub = sp.add_subparsers(dest="catalog_command", required=True, parser_class=Parser)
    c = csub.add_parser("import")
    c.set_defaults(func=cmd_catalog_import)
    c.add_argument("file")
    _user_flag(c)
    _json_flag(c)
    c = csub.add_parser("list")
    c.set_defaults(func=cmd_catalog_list)
    c.add_argument("query", nargs="?", default="")
    _json_flag(c)

    sp = add("calendar", cmd_calendar_list, help="the office calendar")
    ksub = sp.add_subparsers(dest="calendar_command", required=True, parser_class=Parser)
    for name in ("day-off", "workday"):
        k = ksub.add_parser(name)
        k.set_defaults(func=cmd_calendar_set)
        k.add_argument("date")
        k.add_argument("--note")
        _user_flag(k)
        _json_flag(k)
    k = ksub.add_parser("clear")
    k.set_defaults(func=cmd_calendar_clear)
    k.add_argument("date")
    _user_flag(k)
    _json_flag(k)
    k = ksub.add_parser("list")
    k.set_defaults(func=cmd_calendar_list)
    _json_flag(k)
    k = ksub.add_parser("due")
    k.set_defaults(func=cmd_calendar_due)
    k.add_argument("--from", dest="from_", required=True)
    k.add_argument("--procedure", required=True)
    _json_flag(k)

    sp = add("receive", cmd_receive, help="record a received dossier")
    _user_flag(sp)
    sp.add_argument("--procedure")
    sp.add_argument("--applicant-name")
    sp.add_argument("--applicant-type", choices=["citizen", "organization"], default="citizen")
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
    sp.add_argument("--from-jsonl")

    sp = add("find", cmd_find, help="search dossiers")
    sp.add_argument("text")
    sp.add_argument("--limit", type=int, default=50)

    sp = add("show", cmd_show, help="one dossier")
    sp.add_argument("code")

    sp = add("set-status", cmd_set_status, help="move a dossier to a status")
    sp.add_argument("code")
    sp.add_argument("status")
    sp.add_argument("--note")
    _user_flag(sp)

    sp = add("reschedule", cmd_reschedule, help="a new due date, with the apology letter")
    sp.add_argument("code")
    sp.add_argument("--due-at", required=True)
    sp.add_argument("--reason", required=True)
    _user_flag(sp)

    sp = add("print", cmd_print, help="print forms and reports")
    psub = sp.add_subparsers(dest="print_command", required=True, parser_class=Parser)

    def print_target(pp: argparse.ArgumentParser) -> None:
        group = pp.add_mutually_exclusive_group(required=True)
        group.add_argument("-o", "--output")
        group.add_argument("--printer")
        _user_flag(pp)
        _json_flag(pp)

    pr = psub.add_parser("receipt")
    pr.add_argument("code")
    pr.add_argument("--paper", choices=["a5", "a4", "thermal80"])
    print_target(pr)
    pr = psub.add_parser("form")
    pr.add_argument("kind", choices=["supplement", "refusal", "apology", "control-sheet"])
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

    sp = add("config", cmd_config_list, help="settings")
    gsub = sp.add_subparsers(dest="config_command", required=True, parser_class=Parser)
    g = gsub.add_parser("set")
    g.set_defaults(func=cmd_config_set)
    g.add_argument("key")
    g.add_argument("value")
    _user_flag(g)
    _json_flag(g)
    g = gsub.add_parser("get")
    g.set_defaults(func=cmd_config_get)
    g.add_argument("key")
    _json_flag(g)
    g = gsub.add_parser("list")
    g.set_defaults(func=cmd_config_list)
    _json_flag(g)

    sp = add("sync", cmd_sync, help="sync with the provincial portal")
    sp.add_argument("--once", action="store_true")

    sp = add("seed-demo", cmd_seed_demo, help="fill the database with invented demo dossiers")
    sp.add_argument("--count", type=int, required=True)
    sp.add_argument("--days", type=int, default=30)
    sp.add_argument("--seed", type=int, default=None)
    _user_flag(sp)

    sp = add("backup", cmd_backup, help="a consistent copy of the database")
    sp.add_argument("-o", "--output")
    _user_flag(sp)

    sp = add("restore", cmd_restore, help="put a backup back")
    sp.add_argument("file")
    _user_flag(sp)

    add("check", cmd_check, help="integrity and audit-trail verification")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx = Context(args)
    try:
        args.func(ctx)
        return 0
    except Refused as exc:
        sys.stderr.write(f"error: {exc.message(lang())}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(_t("error: đã dừng\n", "error: interrupted\n"))
        return 1
    except Exception:
        log.exception("unexpected error in %s", args.command)
        sys.stderr.write(
            _t(
                "error: lỗi không mong đợi; chi tiết đã ghi vào nhật ký trong thư mục dữ liệu\n",
                "error: unexpected failure; details are in the log in the data folder\n",
            )
        )
        if os.environ.get("COUNTER_DEBUG"):
            raise
        return 1
    finally:
        ctx.close()


def entry() -> NoReturn:
    sys.exit(main())
