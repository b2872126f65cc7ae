"""The commands about dossiers: ``receive``, ``guide``, ``find``, ``show``, ``set-status``,
``reschedule``, ``rate``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.context import Context, lang, t
from cli.output import dossier_text, fmt, summaries_text
from cli.parsing import file_bytes, moment_arg
from counter import limits
from counter.applicants import REUSED, reuse_applicant
from counter.dossiers import parse_status
from counter.errors import InvalidInput, Refused
from counter.intake import DossierInput, at_line
from counter.ratings import level_label
from counter.serialize import (
    detail_json,
    guidance_json,
    rating_json,
    receipt_json,
    summary_json,
)
from counter.validation import id_warning
from counter.views import DocumentLine, DossierView
from protocol.timejson import printable


def cmd_receive(ctx: Context) -> None:
    a = ctx.args
    if a.reuse_applicant and (a.from_jsonl or a.from_guidance):
        raise InvalidInput(
            "--reuse-applicant chỉ dùng với các tùy chọn của một hồ sơ mới",
            "--reuse-applicant goes with a new dossier's options only",
        )
    if a.from_jsonl:
        if a.procedure or a.applicant_name:
            raise InvalidInput(
                "Dùng --from-jsonl hoặc các tùy chọn của một hồ sơ, không cả hai",
                "Use --from-jsonl or single-dossier options, not both",
            )
        items, lines = _read_jsonl(Path(a.from_jsonl))
        views = ctx.app.dossiers.receive_many(ctx.signed_in(), items, lines)
        for n, v in zip(lines, views, strict=True):
            _warn(v, t(f"dòng {n}: ", f"line {n}: "))
        ctx.out(
            [receipt_json(v) for v in views],
            t(f"Đã tiếp nhận {len(views)} hồ sơ", f"Received {len(views)} dossiers"),
        )
        return
    if a.from_guidance:
        if a.procedure or a.applicant_name:
            raise InvalidInput(
                "Dùng --from-guidance hoặc các tùy chọn của một hồ sơ mới, không cả hai: "
                "người nộp và thủ tục lấy từ phiếu hướng dẫn",
                "Use --from-guidance or a new dossier's options, not both: the applicant and "
                "the procedure come from the guidance record",
            )
        v = ctx.app.guidance.receive(
            ctx.signed_in(), a.from_guidance, _documents_arg(a.documents), a.received_at
        )
    elif a.reuse_applicant:
        v = ctx.app.dossiers.receive(ctx.signed_in(), _reused_intake(ctx))
    else:
        v = ctx.app.dossiers.receive(ctx.signed_in(), _intake_from_args(a))
    _warn(v)
    ctx.out(
        receipt_json(v),
        t(
            f"Đã tiếp nhận hồ sơ {v.code}, hẹn trả {fmt(v.due_at)}, mã tra cứu {v.lookup_key}",
            f"Received dossier {v.code}, due {fmt(v.due_at)}, lookup key {v.lookup_key}",
        ),
    )


def cmd_guide(ctx: Context) -> None:
    """An incomplete dossier: the guidance is recorded, Mẫu 02 prints from its id."""
    g = ctx.app.guidance.guide(ctx.signed_in(), _intake_from_args(ctx.args))
    missing = "; ".join(f"{d.code} ({d.name})" for d in g.missing)
    ctx.out(
        guidance_json(g),
        t(
            f"Đã ghi phiếu hướng dẫn {g.code}; còn thiếu: {missing}. "
            f"In Mẫu 02: print form supplement {g.code}",
            f"Guidance {g.code} recorded; missing: {missing}. "
            f"Print Mẫu 02: print form supplement {g.code}",
        ),
    )


def _reused_intake(ctx: Context) -> DossierInput:
    """``receive --reuse-applicant``: the applicant's details not given are those of the latest
    dossier of ``--id-number`` at this counter; with none, the command goes on only with the
    details given (a name at least), and says so."""
    a = ctx.args
    if not a.id_number or not a.id_number.strip():
        raise InvalidInput(
            "--reuse-applicant cần --id-number: thông tin người nộp được tìm theo số giấy tờ",
            "--reuse-applicant needs --id-number: the applicant is looked up by that number",
        )
    known = ctx.app.dossiers.latest_applicant(a.id_number)
    shown = printable(a.id_number, 40)
    if known is None:
        if not a.applicant_name:
            raise InvalidInput(
                f"Quầy chưa có hồ sơ nào của số giấy tờ {shown}: không có thông tin người nộp để "
                "dùng lại; hãy nhập --applicant-name và các thông tin khác",
                f"No dossier of this counter has the ID number {shown}: there is no applicant "
                "to reuse; give --applicant-name and the other details",
            )
        sys.stderr.write(
            "warning: "
            + t(
                f"quầy chưa có hồ sơ nào của số giấy tờ {shown}; tiếp nhận với thông tin đã nhập",
                f"no dossier of this counter has the ID number {shown}; received with the "
                "details given",
            )
            + "\n"
        )
        return _intake_from_args(a)
    given = frozenset(key for key in REUSED if getattr(a, key) is not None)
    return reuse_applicant(_intake_from_args(a, name_required=False), known, given)


def _intake_from_args(a: argparse.Namespace, *, name_required: bool = True) -> DossierInput:
    if not a.procedure or (name_required and not a.applicant_name):
        raise InvalidInput(
            "Cần --procedure và --applicant-name", "--procedure and --applicant-name are required"
        )
    return DossierInput(
        procedure_code=a.procedure,
        applicant_name=a.applicant_name or "",
        applicant_type=a.applicant_type or "citizen",
        id_number=a.id_number,
        id_type=a.id_type,
        documents=_documents_arg(a.documents),
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


def _documents_arg(value: str | None) -> list[DocumentLine] | None:
    """``--documents A,B``: the catalogue codes handed in; absent: None (the default)."""
    if value is None:
        return None
    return [DocumentLine(code.strip(), "") for code in value.split(",") if code.strip()]


def _warn(v: DossierView, where: str = "") -> None:
    """Say on stderr what was accepted but deserves a second look (stdout stays the result)."""
    warning = id_warning(v.id_type, v.id_number)
    if warning is not None:
        vi, en = warning
        sys.stderr.write(f"warning: {where}{v.code}: {en if lang() == 'en' else vi}\n")


def _read_jsonl(path: Path) -> tuple[list[DossierInput], list[int]]:
    """One dossier per line, read strictly (``counter.limits``): a line that is not UTF-8,
    not JSON the wire would carry (NaN, Infinity, a number of thousands of digits, nesting
    thousands deep) or not an object refuses the whole file, naming its line."""
    data = file_bytes(path)
    try:
        raw = limits.decode_utf8(data)
    except limits.NotUtf8 as exc:
        raise InvalidInput(
            f"dòng {exc.line}: không phải văn bản UTF-8", f"line {exc.line}: not UTF-8 text"
        ) from None
    items, lines = [], []
    for n, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = limits.parse_json(line)
        except ValueError:
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
    rows = ctx.app.reports.find(ctx.args.text, ctx.args.limit)
    ctx.out([summary_json(r) for r in rows], summaries_text(rows))


def cmd_show(ctx: Context) -> None:
    v = ctx.app.dossiers.get(ctx.args.code)
    ctx.out(detail_json(v, lang()), dossier_text(v))


def cmd_set_status(ctx: Context) -> None:
    status = parse_status(ctx.args.status)
    v = ctx.app.dossiers.set_status(ctx.signed_in(), ctx.args.code, status, ctx.args.note)
    ctx.out(
        detail_json(v, lang()),
        t(f"{v.code}: {v.status.label_vi}", f"{v.code}: {v.status.label_en}"),
    )


def cmd_reschedule(ctx: Context) -> None:
    due = moment_arg(ctx.args.due_at, "due_at")
    v = ctx.app.dossiers.reschedule(ctx.signed_in(), ctx.args.code, due, ctx.args.reason)
    ctx.out(
        detail_json(v, lang()),
        t(f"{v.code}: hẹn lại {fmt(v.due_at)}", f"{v.code}: new due date {fmt(v.due_at)}"),
    )


def cmd_rate(ctx: Context) -> None:
    """The citizen's rating, as a kiosk records it: no clerk signs in (the trail says so)."""
    a = ctx.args
    r = ctx.app.ratings.rate(a.code, a.level, a.reason, source="cli")
    label = level_label(r.level, lang())
    ctx.out(
        rating_json(r),
        t(f"{a.code}: đã ghi đánh giá '{label}'", f"{a.code}: rating '{label}' recorded"),
    )
