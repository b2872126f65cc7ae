"""PDFs for the counter: receipts, the other forms, the daily summary, the tracking book,
and sending them to a print queue.

Pure rendering: every function takes the read-only views of ``counter.views`` and
returns PDF bytes; the caller fetches the data and decides where the bytes go
(``save_file`` to a file, ``send_to_printer`` to a queue).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from printing.book import page_count as book_page_count
from printing.book import render_book
from printing.book import rows_per_page as book_rows_per_page
from printing.daily import daily_csv, render_daily
from printing.fonts import register_fonts
from printing.forms import KINDS as FORM_KINDS
from printing.forms import FormDetails, MissingDocument, render_form
from printing.printers import PrintError, default_printer, list_printers, send_to_printer
from printing.receipt import PAPERS, qr_content, render_receipt


def save_file(data: bytes, path: str | os.PathLike[str]) -> Path:
    """Write bytes (a PDF, a CSV) to ``path`` atomically: no reader sees half a file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


save_pdf = save_file

__all__ = [
    "FORM_KINDS",
    "PAPERS",
    "FormDetails",
    "MissingDocument",
    "PrintError",
    "book_page_count",
    "book_rows_per_page",
    "daily_csv",
    "default_printer",
    "list_printers",
    "qr_content",
    "register_fonts",
    "render_book",
    "render_daily",
    "render_form",
    "render_receipt",
    "save_file",
    "save_pdf",
    "send_to_printer",
]
