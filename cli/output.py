"""Dossiers as text for a person at a terminal.

With ``--json`` the commands print ``counter.serialize``'s shapes instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from cli.context import lang, t
from counter.ratings import level_label
from counter.views import DossierSummary, DossierView


def fmt(moment: datetime | None) -> str:
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
        f"  {'Received' if en else 'Tiếp nhận'}: {fmt(d.received_at)}   "
        f"{'Due' if en else 'Hẹn trả'}: {fmt(d.due_at)}",
        f"  {'Lookup key' if en else 'Mã tra cứu'}: {d.lookup_key}   "
        f"{'Sync' if en else 'Đồng bộ'}: {d.sync_state}",
        f"  {'Documents' if en else 'Giấy tờ'}:",
    ]
    lines += [f"    - {x.name} ({x.originals}/{x.copies})" for x in d.documents]
    if d.files:
        lines.append(f"  {'Digitised pages' if en else 'Trang số hóa'}:")
        sep = "," if en else "."  # 11.444 in Vietnamese, 11,444 in English
        pages = {True: "pages", False: "page"} if en else {True: "trang", False: "trang"}
        lines += [
            f"    {f.doc} v{f.version}: {f.pages} {pages[f.pages != 1]}, "
            f"{f'{f.bytes:,}'.replace(',', sep)} B, {fmt(f.at)} ({f.by}) {f.sha256[:12]}"
            for f in d.files
        ]
    if d.fees:
        total = f"{d.fees_total:,}".replace(",", ".")
        lines.append(f"  {'Fees' if en else 'Phí, lệ phí'}: {total} đ")
    if d.rating is not None:
        reason = f" ({d.rating.reason})" if d.rating.reason else ""
        lines.append(
            f"  {'Rating' if en else 'Đánh giá'}: {level_label(d.rating.level, lang())}{reason}, "
            f"{fmt(d.rating.at)}"
        )
    if d.handovers:
        lines.append(f"  {'Hand-overs' if en else 'Luân chuyển'}:")
        lines += [
            f"    {fmt(h.at)}  {h.from_name} -> {h.to_name}  ({h.by}) {h.note}".rstrip()
            for h in d.handovers
        ]
    lines.append(f"  {'History' if en else 'Lịch sử'}:")
    lines += [
        f"    {fmt(h.at)}  {h.status.label(lang())}  ({h.by}) {h.note}".rstrip() for h in d.history
    ]
    return "\n".join(lines)


def summaries_text(rows: Sequence[DossierSummary]) -> str:
    if not rows:
        return t("Không tìm thấy hồ sơ nào", "No dossier found")
    return "\n".join(
        f"{r.code}  {fmt(r.received_at)}  {r.status.label(lang()):<18}  {r.applicant_name}  "
        f"[{r.procedure_code}]"
        for r in rows
    )
