"""Helpers for the desktop application's tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FakePrinter:
    """Stands in for ``printing.send_to_printer``: keeps what it was asked to print."""

    jobs: list[tuple[bytes, str | None, str]] = field(default_factory=list)
    fail_with: Exception | None = None

    def send(self, pdf: bytes, printer: str | None, title: str) -> str:
        if self.fail_with is not None:
            raise self.fail_with
        self.jobs.append((pdf, printer, title))
        return f"PDF-{len(self.jobs)}"


class Bugs(list[str]):
    pass


def make_context(app: Any, printer: FakePrinter, bugs: Bugs) -> Any:
    from ui.context import UiContext
    from ui.print_service import PrintService

    ctx = UiContext(app, printing=PrintService(app, sender=printer.send, lister=lambda: ["PDF"]))
    ctx.notifier.show_bug_dialogs = False
    ctx.notifier.bug.connect(bugs.append)
    return ctx


def receive(app: Any, actor: Any, **values: Any) -> Any:
    """A dossier received through the service, as another counter window would."""
    from counter.dossiers import DossierInput

    data = {"procedure_code": "1.001193", "applicant_name": "Nguyễn Văn An", **values}
    return app.dossiers.receive(actor, DossierInput(**data))


def type_text(widget: Any, text: str) -> None:
    """Type ``text`` into ``widget`` key by key, Vietnamese letters included.

    ``QTest.keyClicks`` knows ASCII only; a Vietnamese keyboard (or an input method) sends a
    key event carrying the composed letter as its text, which is what is sent here.
    """
    from devtools.keyboard_drive import type_char

    for ch in text:
        type_char(widget, ch)
