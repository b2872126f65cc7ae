"""Printing for the interface: the one adapter over the ``printing`` package. No Qt here.

Everything the interface prints goes through :class:`PrintService`: it renders PDFs with the
printing package's functions, keeps a copy of each in the data folder (a PDF is always
available as a file), and sends them to a print queue. Its methods run on the workers.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counter.app import CounterApp
from counter.clock import now
from counter.errors import Refused
from counter.views import DailySummary, DocumentLine, DossierView, GuidanceView, ProcedureView
from protocol.errors import KnownError

if TYPE_CHECKING:
    from counter.accounts import Actor

log = logging.getLogger("ui.printing")

Sender = Callable[[bytes, str | None, str], str]


class PrintRefused(KnownError):
    """The print system refused a job; the PDF was kept (``kept``) to print or open later."""

    def __init__(self, cause: KnownError, kept: Path) -> None:
        super().__init__(
            f"{cause.message_vi} (đã lưu bản PDF: {kept})",
            f"{cause.message_en} (PDF saved: {kept})",
            field=cause.field,
        )
        self.kind = cause.kind
        self.kept = kept


@dataclass(frozen=True)
class PrintQueues:
    """The print queues of this machine, as the print system told them."""

    names: tuple[str, ...] = ()
    #: the system's default queue, when it has one
    default: str | None = None
    #: why the print system could not be asked (CUPS stopped, not installed), else None
    problem: KnownError | None = None

    def knows(self, name: str) -> bool:
        """Whether ``name`` may be set as the printer: a queue there is, or the system's default
        (empty); anything, when the print system could not be asked."""
        return not name or self.problem is not None or name in self.names


def _printing() -> Any:
    """The printing package, imported on first use: reportlab is slow to load, and start-up
    must not wait for it."""
    import printing

    return printing


def warm_up() -> None:
    """Load the PDF machinery ahead of the first receipt (run it on a worker)."""
    _printing().fonts.register_fonts()


def save_pdf(data: bytes, path: Path, data_dir: Path) -> Path:
    """Save a PDF (or a CSV) where the person chose in the save dialog, which has asked before
    replacing a file: never inside the data folder; a pipe is written through."""
    return Path(_printing().save_file(data, path, data_dir=data_dir, force=True))


class PrintService:
    """Renders and prints; called from the workers (no Qt inside)."""

    def __init__(
        self,
        app: CounterApp,
        sender: Sender | None = None,
        lister: Callable[[], list[str]] | None = None,
        default: Callable[[], str | None] | None = None,
    ):
        self.app = app
        self._send = sender or (
            lambda pdf, printer, title: _printing().send_to_printer(pdf, printer, title)
        )
        self._list = lister or (lambda: _printing().list_printers())
        self._default = default or (lambda: _printing().default_printer())

    # -- settings ---------------------------------------------------------------------------

    def paper(self) -> str:
        return str(self.app.settings.get("printing.paper") or "a5")

    def printer(self) -> str | None:
        """The configured printer, or None for the system's default queue."""
        return str(self.app.settings.get("printing.printer") or "") or None

    def queues(self) -> PrintQueues:
        """The print queues and the default one, or why the print system could not say (on
        the print worker: ``lpstat`` may take its time)."""
        try:
            names = tuple(self._list())
        except KnownError as exc:
            return PrintQueues(problem=exc)
        try:
            default = self._default()
        except KnownError:  # the queues were listed: only the default is unknown
            default = None
        return PrintQueues(names, default if default in names else None)

    # -- rendering --------------------------------------------------------------------------

    def receipt(self, dossier: DossierView, printed_by: str = "") -> bytes:
        return _printing().render_receipt(
            dossier, self.app.office.identity(), self.paper(), printed_by
        )

    def form(
        self,
        kind: str,
        dossier: DossierView,
        actor: Actor | None = None,
        *,
        missing: Sequence[DocumentLine] = (),
        reasons: Sequence[str] = (),
        printed_by: str = "",
    ) -> bytes:
        """Forms 02-06: ``supplement``, ``refusal``, ``apology``, ``stop-notice``,
        ``control-sheet``.

        The details come from ``printing.form_details.form_details``, as the command line's
        (the missing papers from the catalogue, the reasons and dates from the dossier's
        history). What the clerk has just marked while making the move (the papers ticked as
        missing, the refusal's reasons one per line) replaces the matching field, since
        the history keeps the reasons as one joined note and the ticks not at all.
        """
        printing = _printing()
        from printing.form_details import form_details

        details = form_details(kind, dossier, self._procedure(dossier), actor, now())
        given: dict[str, Any] = {}
        if missing:
            given["missing"] = tuple(missing)
        kept = tuple(r.strip() for r in reasons if r.strip())
        if kept:
            given["reasons"] = kept
        if given:
            details = dataclasses.replace(details, **given)
        return printing.render_form(kind, dossier, self.app.office.identity(), details, printed_by)

    def guidance_form(self, guidance: GuidanceView, actor: Actor | None = None) -> bytes:
        """Mẫu 02 for an incomplete dossier at the counter (no dossier code yet)."""
        printing = _printing()
        from printing.form_details import guidance_details

        details = guidance_details(guidance, actor, now())
        printed_by = actor.full_name if actor else ""
        office = self.app.office.identity()
        return printing.render_form("supplement", guidance, office, details, printed_by)

    def _procedure(self, dossier: DossierView) -> ProcedureView | None:
        try:
            return self.app.catalog.procedure(dossier.procedure_code)
        except Refused:  # withdrawn from the catalogue since: nothing to compare with
            return None

    def daily(self, summary: DailySummary, printed_by: str = "") -> bytes:
        return _printing().render_daily(summary, printed_by)

    def daily_csv(self, summary: DailySummary) -> bytes:
        return _printing().daily_csv(summary)

    def book(self, date_from: date, date_to: date, printed_by: str = "") -> bytes:
        rows = self.app.reports.book_rows(date_from, date_to)
        return _printing().render_book(
            rows, self.app.office.identity(), date_from, date_to, printed_by
        )

    # -- output -----------------------------------------------------------------------------

    def keep_copy(self, pdf: bytes, name: str) -> Path:
        """``prints/<date>/<name>.pdf`` in the data folder."""
        folder = self.app.data_dir / "prints" / f"{now():%Y-%m-%d}"
        safe = re.sub(r"[^\w.-]+", "_", name).strip("_") or "document"
        # the counter's own copies, the one place in the data folder a PDF is written
        return Path(_printing().save_file(pdf, folder / f"{safe}.pdf", data_dir=None, force=True))

    def send(self, pdf: bytes, title: str, printer: str | None = None) -> str:
        """Queue the PDF on ``printer`` (else the configured one, else the default); returns
        where it went, as ``queue:job``."""
        return self.send_kept(pdf, title, printer)[0]

    def send_kept(
        self, pdf: bytes, title: str, printer: str | None = None
    ) -> tuple[str, Path | None]:
        """As :meth:`send`, and the copy kept in the data folder (None when it could not be
        written). A refused job raises :class:`PrintRefused`, which names the copy."""
        target = printer or self.printer()
        copy = None
        try:
            copy = self.keep_copy(pdf, title)
        except OSError:
            log.warning("could not keep a copy of %s", title, exc_info=True)
        try:
            job = self._send(pdf, target, title)
        except KnownError as exc:
            if copy is None:
                raise
            raise PrintRefused(exc, copy) from exc
        return f"{target or 'default'}:{job}", copy
