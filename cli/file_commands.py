"""The commands about a dossier's digitised pages: ``attach``, ``scan``, ``export-files``."""

from __future__ import annotations

import sys
from pathlib import Path

from cli.context import Context, lang, t
from counter.serialize import file_json
from counter.views import DossierFileView


def _done(ctx: Context, code: str, f: DossierFileView) -> None:
    ctx.out(
        {"code": code, **file_json(f)},
        t(
            f"{code}: đã lưu {f.pages} trang cho '{f.doc}' (bản {f.version}, "
            f"{f'{f.bytes:,}'.replace(',', '.')} byte, SHA-256 {f.sha256[:12]}…)",
            f"{code}: stored {f.pages} page{'s' * (f.pages != 1)} for '{f.doc}' "
            f"(version {f.version}, "
            f"{f.bytes:,} bytes, SHA-256 {f.sha256[:12]}…)",
        ),
    )


def cmd_attach(ctx: Context) -> None:
    """Several files make one version, their pages in the order given."""
    a = ctx.args
    actor = ctx.signed_in()
    f = ctx.app.scans.attach_paths(actor, a.code, a.doc, [Path(p) for p in a.files])
    _done(ctx, a.code, f)


def cmd_scan(ctx: Context) -> None:
    a = ctx.args
    actor = ctx.signed_in()
    device = a.device if a.device is not None else str(ctx.app.settings.get("scan.device"))
    source = a.source if a.source is not None else str(ctx.app.settings.get("scan.source"))
    f, scanned = ctx.app.scans.scan(
        actor, a.code, a.doc, device, a.pages, source=source, keep_partial=a.keep_partial
    )
    if scanned.failure is not None:  # kept, as asked, with what the scanner managed
        sys.stderr.write(f"warning: {scanned.failure.message(lang())}\n")
    _done(ctx, a.code, f)


def cmd_export_files(ctx: Context) -> None:
    paths = ctx.app.scans.export(ctx.args.code, Path(ctx.args.output), force=ctx.args.force)
    ctx.out(
        {"files": [str(p) for p in paths]},
        "\n".join(str(p) for p in paths),
    )
