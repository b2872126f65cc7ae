"""The floor of each hot path: the same work done bare, measured in the same run.

Each floor does what the product's row does, with nothing of the product in between:

- ``receive``: plain ``sqlite3`` writes the very rows one ``receive`` wrote (the dossier,
  its search entry, its history line, its outbox entry and its audit line, the same values)
  into a database of the same schema, in WAL mode with ``synchronous=FULL``, one transaction
  each. The database is the product's schema copied into a file of its own, its tables
  nearly empty: a lower bound, so a ratio to it errs on the strict side.
- ``receive_batch``: the same rows for many dossiers, one ``executemany`` per table, one
  transaction.
- ``search``: FTS5 ``MATCH ... ORDER BY rowid DESC LIMIT 50`` on the product's database and
  the list's columns of the matching dossiers, over a plain ``sqlite3`` connection.
- ``list``: the list's columns of the first 200 dossiers in the list's order.
- ``receipt``: reportlab's canvas draws the receipt's text lines (as the product's PDF has
  them), its QR code as one path and its Code128 barcode, on two A5 pages.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from counter.clock import from_stored
from counter.repository import id_of_key
from counter.search import document_of, search_key

#: The tables one ``receive`` writes, in the order it writes them.
RECEIVE_TABLES = ("dossiers", "dossier_search", "dossier_history", "outbox", "audit_rows")
#: Columns each copy changes, so the copies stay distinct where the schema wants it.
_UNIQUE = {
    "dossiers": ("code",),
    "outbox": ("idempotency_key",),
}


def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    uri = path.resolve().as_uri() + ("?mode=ro" if read_only else "")
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    if not read_only:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA wal_autocheckpoint=0")
        conn.execute("PRAGMA foreign_keys=ON")
    return conn


def receive_rows(product_db: Path, dossier_id: int) -> dict[str, tuple[list[str], tuple]]:
    """The rows one ``receive`` wrote for ``dossier_id``: table -> (columns, values)."""
    conn = _connect(product_db, read_only=True)
    try:
        out: dict[str, tuple[list[str], tuple]] = {}

        def one(table: str, where: str, *args: Any) -> None:
            cur = conn.execute(f"SELECT * FROM {table} WHERE {where}", args)
            cols = [c[0] for c in cur.description]
            row = cur.fetchone()
            if row is not None:
                out[table] = (cols, tuple(row))

        one("dossiers", "id = ?", dossier_id)
        # the index keeps no copy of its text (contentless): the entry made of the dossier,
        # under its key (made of its row: ``counter.search.search_key``)
        row = SimpleNamespace(**dict(zip(out["dossiers"][0], out["dossiers"][1], strict=True)))
        key = search_key(from_stored(row.received_at), row.id)
        out["dossier_search"] = (["rowid", "name", "ids"], (key, *document_of(row)))
        one("dossier_history", "dossier_id = ? ORDER BY id LIMIT 1", dossier_id)
        one("outbox", "dossier_id = ? ORDER BY id LIMIT 1", dossier_id)
        # the receipt's row, as stored (its kind and dossier by number): the trail's newest
        one("audit_rows", "dossier_id = ? ORDER BY id DESC LIMIT 1", dossier_id)
        return out
    finally:
        conn.close()


class ReceiveFloor:
    """A database of the product's schema, and the bare writes of one dossier's rows."""

    def __init__(self, product_db: Path, folder: Path, rows: dict[str, tuple[list[str], tuple]]):
        self.path = folder / "floor.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        cols, values = rows["dossiers"]
        src = _connect(product_db, read_only=True)
        try:
            schema = src.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
                "AND name NOT LIKE 'sqlite_%' ORDER BY CASE type WHEN 'table' THEN 0 "
                "WHEN 'index' THEN 1 ELSE 2 END, rowid"
            ).fetchall()
            # the row the dossier's foreign key points at
            procedure = src.execute(
                "SELECT * FROM procedures WHERE code = ?", (values[cols.index("procedure_code")],)
            ).fetchone()
            version = src.execute(
                "SELECT * FROM procedure_versions WHERE id = ?",
                (values[cols.index("procedure_version")],),
            ).fetchone()
            kinds = src.execute("SELECT * FROM audit_kinds").fetchall()
        finally:
            src.close()
        shadow = ("data", "idx", "content", "docsize", "config")
        fts_shadow = {f"dossier_search_{s}" for s in shadow}
        self.conn = _connect(self.path)
        for _type, name, sql in schema:
            if name not in fts_shadow:
                self.conn.execute(sql)
        for table, row in (
            ("procedures", procedure),
            ("procedure_versions", version),
            *(("audit_kinds", kind) for kind in kinds),
        ):
            marks = ", ".join("?" * len(row))
            self.conn.execute(f"INSERT INTO {table} VALUES ({marks})", row)
        self.rows = rows
        self.serial = 0
        self._sql = {
            t: f"INSERT INTO {t} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            for t, (cols, _values) in rows.items()
        }

    def _copy(self, table: str, dossier_id: int | None) -> tuple:
        """Values of ``table``'s row for the next copy: a new id, distinct unique values."""
        cols, values = self.rows[table]
        self.serial += 1
        row = list(values)
        for name in _UNIQUE.get(table, ()):
            i = cols.index(name)
            row[i] = row[i] + self.serial if isinstance(row[i], int) else f"{row[i]}~{self.serial}"
        if "id" in cols:
            row[cols.index("id")] = dossier_id if table == "dossiers" else None
        if "dossier_id" in cols:
            row[cols.index("dossier_id")] = dossier_id
        if table == "dossier_search":
            row[0] = self.serial << 1  # rowid: the search key, distinct
        return tuple(row)

    def _next_id(self) -> int:
        self.serial += 1
        return self.serial

    def receive_one(self) -> None:
        """One dossier's rows, one transaction, committed with a full sync."""
        conn = self.conn
        dossier_id = self._next_id()
        conn.execute("BEGIN IMMEDIATE")
        for table in RECEIVE_TABLES:
            if table in self.rows:
                conn.execute(self._sql[table], self._copy(table, dossier_id))
        conn.execute("COMMIT")

    def receive_batch(self, n: int) -> None:
        """``n`` dossiers' rows: one ``executemany`` per table, one transaction."""
        ids = [self._next_id() for _ in range(n)]
        batches = {
            t: [self._copy(t, i) for i in ids] for t in RECEIVE_TABLES if t in self.rows
        }  # the values are ready before the clock starts for the product too (its input)
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        for table, values in batches.items():
            conn.executemany(self._sql[table], values)
        conn.execute("COMMIT")

    def close(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self.conn.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)


class SearchFloor:
    """FTS5 on the product's database through plain ``sqlite3``: the 50 newest matches and
    their dossier rows."""

    def __init__(self, product_db: Path):
        self.conn = _connect(product_db, read_only=True)

    def by_match(self, match: str, limit: int = 50) -> list[tuple]:
        keys = [
            r[0]
            for r in self.conn.execute(
                "SELECT rowid FROM dossier_search WHERE dossier_search MATCH ? "
                "ORDER BY rowid DESC LIMIT ?",
                (match, limit),
            )
        ]
        if not keys:
            return []
        marks = ", ".join("?" * len(keys))
        return self.conn.execute(
            f"SELECT {ListFloor.COLUMNS} FROM dossiers WHERE id IN ({marks})",
            [id_of_key(k) for k in keys],
        ).fetchall()

    def by_code(self, code: str) -> list[tuple]:
        sql = f"SELECT {ListFloor.COLUMNS} FROM dossiers WHERE code = ?"
        return self.conn.execute(sql, (code,)).fetchall()

    def close(self) -> None:
        self.conn.close()


class ListFloor:
    """The list's first page bare: the same columns, the same order, plain ``sqlite3``."""

    COLUMNS = (
        "id, code, applicant_name, procedure_code, "
        "(SELECT name FROM procedure_versions WHERE procedure_versions.id = procedure_version), "
        "status, received_at, due_at, is_demo"
    )

    def __init__(self, product_db: Path):
        self.conn = _connect(product_db, read_only=True)

    def first_page(self, columns: Sequence[str], descending: bool, limit: int) -> list[tuple]:
        way = " DESC" if descending else ""
        order = ", ".join(f"{c}{way}" for c in (*columns, "id"))
        if list(columns) != ["due_at"]:
            sql = f"SELECT {self.COLUMNS} FROM dossiers ORDER BY {order} LIMIT ?"
            return self.conn.execute(sql, (limit,)).fetchall()
        # by due date: no index of its own; each status's first dossiers in the order of the
        # index by status and due date, merged (as ``counter.reports`` reads them)
        held: list[int] = []
        found = self.conn.execute("SELECT min(status) FROM dossiers").fetchone()[0]
        while found is not None:
            held.append(found)
            step = "SELECT min(status) FROM dossiers WHERE status > ?"
            found = self.conn.execute(step, (found,)).fetchone()[0]
        run = (
            "SELECT * FROM (SELECT due_at, id FROM dossiers WHERE status = ? "
            f"ORDER BY {order} LIMIT ?)"
        )
        runs = " UNION ALL ".join([run] * len(held))
        sql = (
            f"SELECT {self.COLUMNS} FROM dossiers WHERE id IN "
            f"(SELECT id FROM ({runs}) ORDER BY {order} LIMIT ?) ORDER BY {order}"
        )
        params = [v for status in held for v in (status, limit)] + [limit]
        return self.conn.execute(sql, params).fetchall()

    def close(self) -> None:
        self.conn.close()


def pdf_lines(pdf: bytes) -> list[list[str]]:
    """The text lines of each page of a PDF (what the bare receipt draws)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for page in doc:
            textpage = page.get_textpage()
            pages.append([ln for ln in textpage.get_text_range().splitlines() if ln.strip()])
            textpage.close()
            page.close()
        return pages
    finally:
        doc.close()


def receipt_floor(pages: Sequence[Sequence[str]], font: str, qr_data: str, code: str) -> bytes:
    """Two A5 pages drawn straight on reportlab's canvas: the same lines, QR and barcode."""
    import segno
    from reportlab.graphics.barcode.code128 import Code128
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=A5)
    height = A5[1]
    for lines in pages:
        qr = segno.make(qr_data, error="m", micro=False)
        size = 18 * mm
        cell = size / len(qr.matrix)
        path = c.beginPath()
        for y, row in enumerate(qr.matrix):
            for x, dark in enumerate(row):
                if dark:
                    path.rect(10 * mm + x * cell, height - 10 * mm - (y + 1) * cell, cell, cell)
        c.drawPath(path, stroke=0, fill=1)
        Code128(code, barWidth=0.33 * mm, barHeight=10 * mm).drawOn(c, 40 * mm, height - 60 * mm)
        y = height - 30 * mm
        c.setFont(font, 9)
        for line in lines:
            c.drawString(11 * mm, y, line)
            y -= 11
        c.showPage()
    c.save()
    return buffer.getvalue()


def db_size(product_db: Path) -> tuple[int, int, dict[str, int]]:
    """The database's bytes (pages in use, free pages left out), its dossiers, and its
    outbox entries: ``entries_whole`` (waiting, or sent within the retention period, payload
    and all) and ``entries_digest_only`` (sent before it: ``outbox_sent``)."""
    conn = _connect(product_db, read_only=True)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        dossiers = conn.execute("SELECT count(*) FROM dossiers").fetchone()[0]
        entries = {
            "entries_whole": conn.execute("SELECT count(*) FROM outbox").fetchone()[0],
            "entries_digest_only": conn.execute("SELECT count(*) FROM outbox_sent").fetchone()[0],
        }
        return (pages - free) * page_size, dossiers, entries
    finally:
        conn.close()
