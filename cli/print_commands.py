"""The command line's ``print`` commands.

``counter-admin print ...`` lands here: the views come from counter's services, the
PDF from this package, and it goes to a file (``-o``) or a print queue
(``--printer``). Every print of a dossier's form is recorded in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cli.context import Context, lang
from counter import validation
from counter.clock import iso, now
from counter.errors import InvalidInput, Refused
from counter.guidance import looks_like_guidance_id
from counter.outputs import check_output
from counter.views import DossierView, ProcedureView
from printing import save_file
from printing.book import page_count, render_book
from printing.daily import daily_csv, render_daily
from printing.form_details import form_details, guidance_details
from printing.forms import render_form
from printing.printers import send_to_printer
from printing.receipt import render_receipt
from printing.templates import COMMAND, DOCUMENT_NAMES

if TYPE_CHECKING:
    from counter.accounts import Actor
    from counter.app import CounterApp


def _say(key: str, **values: Any) -> str:
    vi, en = COMMAND[key]
    return (en if lang() == "en" else vi).format(**values)


@dataclass(frozen=True)
class _Job:
    kind: str
    pdf: bytes
    title: str


def run_print(ctx: Context) -> None:
    """Dispatch ``print receipt|form|daily|book``."""
    _check_outputs(ctx)
    actor = ctx.actor(required=False)
    command = ctx.args.print_command
    if command == "receipt":
        _receipt(ctx, actor)
    elif command == "form":
        _form(ctx, actor)
    elif command == "daily":
        _daily(ctx, actor)
    elif command == "book":
        _book(ctx, actor)
    else:  # the parser only offers the four above
        raise InvalidInput(f"Không có lệnh in '{command}'", f"No print command '{command}'")


def _receipt(ctx: Context, actor: Actor | None) -> None:
    app = ctx.app
    dossier = app.dossiers.get(ctx.args.code)
    paper = ctx.args.paper or app.settings.get("printing.paper") or "a5"
    pdf = render_receipt(dossier, app.office.identity(), paper, printed_by=_name(actor))
    data = _deliver(ctx, _Job("receipt", pdf, f"Giấy tiếp nhận {dossier.code}"))
    app.dossiers.record_print(_who(actor), dossier.code, f"receipt/{paper}", _where(data))
    _report(ctx, "receipt", {"kind": "receipt", "code": dossier.code, "paper": paper, **data})


def _form(ctx: Context, actor: Actor | None) -> None:
    app = ctx.app
    kind = ctx.args.kind
    if looks_like_guidance_id(ctx.args.code):
        _guidance_form(ctx, actor)
        return
    dossier = app.dossiers.get(ctx.args.code)
    details = form_details(kind, dossier, _procedure(app, dossier), actor, now())
    pdf = render_form(kind, dossier, app.office.identity(), details, printed_by=_name(actor))
    data = _deliver(ctx, _Job(kind, pdf, f"{DOCUMENT_NAMES[kind][0]} {dossier.code}"))
    app.dossiers.record_print(_who(actor), dossier.code, kind, _where(data))
    _report(ctx, kind, {"kind": kind, "code": dossier.code, **data})


def _guidance_form(ctx: Context, actor: Actor | None) -> None:
    """Mẫu 02 for an incomplete dossier at the counter, found by its guidance id."""
    app = ctx.app
    kind = ctx.args.kind
    guidance = app.guidance.get(ctx.args.code)
    details = guidance_details(guidance, actor, now())
    pdf = render_form(kind, guidance, app.office.identity(), details, printed_by=_name(actor))
    data = _deliver(ctx, _Job(kind, pdf, f"{DOCUMENT_NAMES[kind][0]} {guidance.code}"))
    app.guidance.record_print(_who(actor), guidance.code, kind, _where(data))
    _report(ctx, kind, {"kind": kind, "code": guidance.code, **data})


def _daily(ctx: Context, actor: Actor | None) -> None:
    app = ctx.app
    day = _date(ctx.args.date)
    # the supervisor who prints the report signs it; a clerk's print leaves the name blank
    signer = _name(actor) if actor and actor.at_least("supervisor") else ""
    summary = app.reports.daily_summary(day, signer_name=signer)
    pdf = render_daily(summary, printed_by=_name(actor))
    extra: dict[str, Any] = {}
    if ctx.args.csv:
        extra["csv"] = str(_save(ctx, daily_csv(summary), ctx.args.csv))
    data = _deliver(ctx, _Job("daily", pdf, f"Báo cáo ngày {day.isoformat()}"))
    app.reports.record_print(
        _who(actor), "daily", day.isoformat(), _where(data), audit_head=summary.audit_head
    )
    _report(ctx, "daily", {"kind": "daily", "date": day.isoformat(), **data, **extra})


def _book(ctx: Context, actor: Actor | None) -> None:
    app = ctx.app
    date_from, date_to = _date(ctx.args.from_), _date(ctx.args.to)
    if date_from > date_to:
        vi, en = COMMAND["bad_range"]
        raise InvalidInput(vi, en, field="from")
    rows = list(app.reports.book_rows(date_from, date_to))
    pdf = render_book(rows, app.office.identity(), date_from, date_to, printed_by=_name(actor))
    title = f"Sổ theo dõi hồ sơ {date_from.isoformat()} - {date_to.isoformat()}"
    data = _deliver(ctx, _Job("book", pdf, title))
    app.reports.record_print(
        _who(actor), "book", f"{date_from.isoformat()}/{date_to.isoformat()}", _where(data)
    )
    _report(
        ctx,
        "book",
        {
            "kind": "book",
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
            "rows": len(rows),
            "pages_at_least": page_count(len(rows)),
            **data,
        },
    )


def _procedure(app: CounterApp, dossier: DossierView) -> ProcedureView | None:
    try:
        return app.catalog.procedure(dossier.procedure_code)
    except Refused:  # withdrawn from the catalogue since: nothing to compare with
        return None


# -- delivery ----------------------------------------------------------------------------


def _deliver(ctx: Context, job: _Job) -> dict[str, Any]:
    if ctx.args.output:
        return {"output": str(_save(ctx, job.pdf, ctx.args.output))}
    # A PrintError is a KnownError: the command line prints its message.
    return {
        "printer": ctx.args.printer,
        "job": send_to_printer(job.pdf, ctx.args.printer, job.title),
    }


def _check_outputs(ctx: Context) -> None:
    """Refuse a wrong ``-o`` or ``--csv`` before anything is rendered, written or recorded."""
    named = [p for p in (ctx.args.output, getattr(ctx.args, "csv", None)) if p]
    targets = [check_output(p, data_dir=ctx.data_dir, force=ctx.args.force) for p in named]
    if len(set(targets)) < len(targets):
        raise InvalidInput(
            "-o và --csv phải là hai tệp khác nhau",
            "-o and --csv must be two different files",
            field="csv",
        )


def _save(ctx: Context, data: bytes, path: str) -> Path:
    """Through ``counter.outputs``: never in the data folder, never over a file unless
    ``--force``, a pipe or ``/dev/null`` written through."""
    return save_file(data, path, data_dir=ctx.data_dir, force=ctx.args.force)


def _report(ctx: Context, kind: str, data: dict[str, Any]) -> None:
    what, what_en = DOCUMENT_NAMES[kind]
    if "output" in data:
        text = _say("saved", what=what, what_en=what_en, path=data["output"])
    else:
        text = _say("sent", what=what, what_en=what_en, printer=data["printer"], job=data["job"])
    if "csv" in data:
        text += "\n" + _say("csv", path=data["csv"])
    ctx.out({**data, "printed_at": iso(now())}, text)


def _date(value: str) -> date:
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        vi, en = COMMAND["bad_date"]
        raise InvalidInput(vi.format(value=value), en.format(value=value), field="date") from None
    return validation.day(day, "date")  # in the years the wire carries


def _who(actor: Actor | None) -> str:
    return actor.username if actor else "system"


def _name(actor: Actor | None) -> str:
    return actor.full_name if actor else ""


def _where(data: dict[str, Any]) -> str:
    return data.get("output") or f"printer:{data.get('printer')}:{data.get('job')}"
