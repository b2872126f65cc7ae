"""The commands that set up and look after the office: ``init``, ``user``, ``catalog``,
``calendar``, ``config``, ``seed-demo``, ``backup``, ``restore`` and ``check``."""

from __future__ import annotations

import sys
from pathlib import Path

from cli.context import Context, lang, t
from cli.parsing import date_arg, file_bytes, moment_arg
from counter.accounts import require
from counter.app import CounterApp
from counter.catalog import to_json
from counter.clock import iso
from counter.codes import normalise_agency_code
from counter.errors import InvalidInput, Refused
from counter.replay import read_portal_heads
from counter.restoring import restore
from counter.seed import seed_demo
from counter.serialize import processing_time_json
from counter.settings import mask_secret, spec_for


def cmd_init(ctx: Context) -> None:
    a = ctx.args
    if CounterApp.exists(ctx.data_dir):
        raise Refused(
            f"Đã có cơ sở dữ liệu trong '{ctx.data_dir}'; không khởi tạo lại",
            f"A database already exists in '{ctx.data_dir}'; not initialising again",
        )
    normalise_agency_code(a.agency_code)  # refuse before creating anything
    # the database and the office's identity are put in place together, or not at all
    app = CounterApp.create(
        ctx.data_dir,
        lambda new: new.office.init(
            a.agency_code,
            a.agency_name,
            a.counter_no,
            a.parent_name or "",
            a.level,
            a.lookup_base_url or "",
            a.place or "",
        ),
    )
    ctx._app = app
    office = app.office.identity()
    ctx.out(
        {
            "agency_code": office.agency_code,
            "agency_name": office.agency_name,
            "counter_no": office.counter_no,
            "level": office.level,
            "unit_name": office.unit_name,
            "authority": office.authority,
            "data_dir": str(ctx.data_dir),
        },
        t(
            f"Đã khởi tạo quầy {office.counter_no} của {office.display_name}"
            f" ({office.agency_code}) tại {ctx.data_dir}",
            f"Initialised counter {office.counter_no} of {office.display_name} "
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
        t(
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
        t(f"Đã cập nhật tài khoản {user.username}", f"Updated account {user.username}"),
    )


def cmd_catalog_import(ctx: Context) -> None:
    actor = ctx.actor()
    assert actor is not None
    n = ctx.app.catalog.import_file(actor, Path(ctx.args.file))
    ctx.out({"imported": n}, t(f"Đã nhập {n} thủ tục", f"Imported {n} procedures"))


def cmd_catalog_list(ctx: Context) -> None:
    procs = ctx.app.catalog.procedures(ctx.args.query or "")
    ctx.out(
        [to_json(p) for p in procs],
        "\n".join(f"{p.code:<10} {p.processing_time.describe(lang()):<20} {p.name}" for p in procs)
        or t("Danh mục trống", "The catalogue is empty"),
    )


def cmd_calendar_set(ctx: Context) -> None:
    actor = ctx.actor()
    assert actor is not None
    day = date_arg(ctx.args.date)
    working = ctx.args.calendar_command == "workday"
    ctx.app.calendar.set_day(actor, day, working, ctx.args.note or "")
    ctx.out(
        {"date": day.isoformat(), "working": working},
        t(
            f"{day:%d/%m/%Y}: {'ngày làm việc' if working else 'ngày nghỉ'}",
            f"{day}: {'working day' if working else 'day off'}",
        ),
    )


def cmd_calendar_clear(ctx: Context) -> None:
    actor = ctx.actor()
    assert actor is not None
    day = date_arg(ctx.args.date)
    ctx.app.calendar.clear_day(actor, day)
    ctx.out(
        {"date": day.isoformat(), "cleared": True},
        t(f"Đã bỏ điều chỉnh ngày {day:%d/%m/%Y}", f"Cleared the override on {day}"),
    )


def cmd_calendar_list(ctx: Context) -> None:
    rows = ctx.app.calendar.overrides()
    ctx.out(
        [{"date": d.isoformat(), "source": src, "working": w, "note": n} for d, src, w, n in rows],
        "\n".join(f"{d}  {src:<6} {'làm việc' if w else 'nghỉ':<9} {n}" for d, src, w, n in rows)
        or t("Chưa có điều chỉnh nào", "No overrides"),
    )


def cmd_calendar_due(ctx: Context) -> None:
    moment = moment_arg(ctx.args.from_, "from")
    proc = ctx.app.catalog.procedure(ctx.args.procedure)
    due = ctx.app.calendar.current().due_at(moment, proc.processing_time)
    ctx.out(
        {
            "due_at": iso(due),
            "received_at": iso(moment),
            "procedure_code": proc.code,
            "processing_time": processing_time_json(proc.processing_time),
        },
        iso(due) or "",
    )


def _shown(key: str, value: object) -> object:
    spec = spec_for(key)
    return mask_secret(str(value)) if spec is not None and spec.secret else value


def cmd_config_get(ctx: Context) -> None:
    key = ctx.args.key
    shown = _shown(key, ctx.app.settings.get(key))
    ctx.out({"key": key, "value": shown}, str(shown))


def cmd_config_set(ctx: Context) -> None:
    actor = ctx.actor()
    value = ctx.app.settings.set(actor, ctx.args.key, ctx.args.value)
    shown = _shown(ctx.args.key, value)
    ctx.out({"key": ctx.args.key, "value": shown}, f"{ctx.args.key} = {shown}")


def cmd_config_list(ctx: Context) -> None:
    values = ctx.app.settings.get_many("")
    ctx.out(values, "\n".join(f"{k} = {v}" for k, v in sorted(values.items())))


def cmd_seed_demo(ctx: Context) -> None:
    actor = ctx.actor()
    assert actor is not None
    a = ctx.args
    result = seed_demo(ctx.app, actor, a.count, days=a.days, seed=a.seed)
    ctx.out(
        result,
        t(
            f"Đã tạo {result['created']} hồ sơ mẫu trong {result['seconds']:.1f} giây",
            f"Created {result['created']} demo dossiers in {result['seconds']:.1f} s",
        ),
    )


def cmd_backup(ctx: Context) -> None:
    actor = ctx.actor(required=False)
    dest = Path(ctx.args.output) if ctx.args.output else None
    name = actor.username if actor else "system"
    path = ctx.app.maintenance.backup(dest, name, force=ctx.args.force)
    ctx.out({"backup": str(path)}, t(f"Đã sao lưu vào {path}", f"Backed up to {path}"))


def cmd_restore(ctx: Context) -> None:
    actor = None
    if CounterApp.exists(ctx.data_dir):
        try:
            has_users = ctx.app.accounts.has_users()
        except Refused:
            has_users = False  # a damaged database: restoring is the way out
        if has_users:
            actor = ctx.actor()
            assert actor is not None
            if not actor.at_least("admin"):
                require(actor, "admin", "khôi phục dữ liệu", "restore data")
        ctx.close()
        ctx._app = None
    path = restore(ctx.data_dir, Path(ctx.args.file), actor.username if actor else "system")
    ctx.out(
        {"restored": str(path)},
        t(f"Đã khôi phục từ {ctx.args.file}", f"Restored from {ctx.args.file}"),
    )


def cmd_check(ctx: Context) -> None:
    heads = None
    if ctx.args.portal_heads is not None:
        raw = file_bytes(Path(ctx.args.portal_heads))
        office = ctx.app.office.identity()
        heads = read_portal_heads(raw, office.agency_code, office.counter_no)
    report = ctx.app.maintenance.check(heads)
    data = {
        "ok": report.ok,
        "integrity": report.integrity,
        "audit_rows": report.audit_rows,
        "dossiers": report.dossiers,
        "portal_heads": report.portal_heads,
        "problem": report.problem_vi or None,
    }
    if not report.ok:
        if ctx.json:
            ctx.out(data, "")
        raise Refused(report.problem_vi, report.problem_en)
    ctx.out(
        data,
        t(
            f"Tốt: cơ sở dữ liệu toàn vẹn, {report.dossiers} hồ sơ, "
            f"{report.audit_rows} dòng nhật ký đã kiểm"
            + (f", khớp {report.portal_heads} mốc cổng đã giữ" if heads is not None else ""),
            f"OK: database intact, {report.dossiers} dossiers, {report.audit_rows} "
            "audit rows verified"
            + (
                f", {report.portal_heads} heads kept by the portal matched"
                if heads is not None
                else ""
            ),
        ),
    )
