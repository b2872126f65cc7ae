"""PDFs for the counter: receipts, the other forms, the daily summary, the tracking book,
and sending them to a print queue.

Pure rendering: every function takes the read-only views of ``counter.views`` and
returns PDF bytes; the caller fetches the data and decides where the bytes go
(``save_file`` to a file, ``send_to_printer`` to a queue).
"""

from __future__ import annotations

import os
from pathlib import Path

from counter.outputs import write_output
from printing.book import page_count as book_page_count
from printing.book import render_book
from printing.book import rows_per_page as book_rows_per_page
from printing.daily import daily_csv, render_daily
from printing.fonts import register_fonts
from printing.forms import KINDS as FORM_KINDS
from printing.forms import FormDetails, MissingDocument, render_form
from printing.printers import PrintError, default_printer, list_printers, send_to_printer
from printing.receipt import PAPERS, qr_content, render_receipt


def save_file(
    data: bytes, path: str | os.PathLike[str], *, data_dir: Path | None, force: bool = False
) -> Path:
    """Write bytes (a PDF, a CSV) to the file a person named, as ``counter.outputs`` does for
    every output: never inside ``data_dir`` (the counter's data folder), never over an
    existing file unless ``force``, atomically; a pipe or ``/dev/null`` is written through."""
    return write_output(path, data, data_dir=data_dir, force=force)


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
