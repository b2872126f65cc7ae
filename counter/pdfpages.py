"""Papers as one PDF: scanned images and PDF files checked and put together.

Every digitised paper is kept as PDF (docs/digitisation.md). Images become PDF pages with
img2pdf at their own resolution, without being decoded and encoded again: a JPEG page is
the same JPEG inside the PDF, a PNG or TIFF page keeps its pixels exactly. A PDF is opened
with pikepdf and refused when it is encrypted, broken or has no page; one PDF given alone is
kept byte for byte (a digital signature on it stays valid), several parts are joined in the
order given into one new PDF. Nothing here touches the disk or the database.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from counter.errors import InvalidInput

if TYPE_CHECKING:
    import pikepdf

# img2pdf, pikepdf and Pillow are imported where they are used: every program of the
# counter opens the services, and the desktop's start must not wait for them


@dataclass(frozen=True)
class Part:
    """One file as handed in: its name (for messages) and its bytes."""

    name: str
    content: bytes


@dataclass(frozen=True)
class Pages:
    pdf: bytes
    pages: int


def kind_of(content: bytes) -> str:
    """``pdf``, ``jpeg``, ``png``, ``tiff`` by the file's first bytes (never by its name)."""
    head = content[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    return ""


def to_pdf(parts: Sequence[Part]) -> Pages:
    """The parts, in order, as one PDF; refused (naming the file) if one is not usable."""
    if not parts:
        raise InvalidInput("Chưa có tệp nào", "No file given", field="files")
    import pikepdf

    pdfs = [_one(part) for part in parts]
    if len(pdfs) == 1:
        content, opened = pdfs[0]
        count = len(opened.pages)
        opened.close()
        return Pages(content, count)
    out = pikepdf.Pdf.new()
    try:
        for _, opened in pdfs:
            out.pages.extend(opened.pages)
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True)
        return Pages(buffer.getvalue(), len(out.pages))
    finally:
        out.close()
        for _, opened in pdfs:
            opened.close()


def _one(part: Part) -> tuple[bytes, pikepdf.Pdf]:
    """One part as PDF bytes and the PDF opened on them (its pages counted and checked)."""
    import pikepdf

    if not part.content:
        raise _refused(part, "tệp rỗng (0 byte)", "the file is empty (0 bytes)")
    kind = kind_of(part.content)
    if not kind:
        raise _refused(
            part,
            "không phải tệp PDF hay ảnh (JPEG, PNG, TIFF)",
            "not a PDF or an image (JPEG, PNG, TIFF)",
        )
    content = part.content if kind == "pdf" else _image_pdf(part)
    try:
        opened = pikepdf.open(io.BytesIO(content))
    except pikepdf.PasswordError:
        raise _refused(
            part,
            "tệp PDF có mật khẩu hoặc bị mã hóa: hãy lưu lại bản không mật khẩu",
            "the PDF is encrypted or has a password: save a copy without one",
        ) from None
    except pikepdf.PdfError:
        raise _refused(part, "tệp PDF bị hỏng, không mở được", "the PDF is damaged") from None
    if opened.is_encrypted:
        opened.close()
        raise _refused(
            part,
            "tệp PDF bị mã hóa: hãy lưu lại bản không mã hóa",
            "the PDF is encrypted: save a copy without encryption",
        )
    try:
        count = len(opened.pages)
    except pikepdf.PdfError:
        count = 0
    if count == 0:
        opened.close()
        raise _refused(part, "tệp PDF không có trang nào", "the PDF has no pages")
    return content, opened


def _image_pdf(part: Part) -> bytes:
    """An image's pages as PDF, the pixels (a JPEG's bytes) as they are; an image with a
    transparent layer, which PDF pages from img2pdf cannot carry, is laid on white first.

    The same image always makes the same PDF, byte for byte (no date, no random file
    identifier: img2pdf's own writer), so it is stored and sent once under one hash."""
    import img2pdf
    from PIL import UnidentifiedImageError

    same = {"nodate": True, "engine": img2pdf.Engine.internal}
    try:
        return bytes(img2pdf.convert(part.content, rotation=img2pdf.Rotation.ifvalid, **same))
    except img2pdf.AlphaChannelError:
        return bytes(img2pdf.convert(_flattened(part), **same))
    except (img2pdf.ImageOpenError, UnidentifiedImageError, ValueError, OSError, SyntaxError):
        raise _refused(part, "ảnh bị hỏng, không đọc được", "the image is damaged") from None


def _flattened(part: Part) -> bytes:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(part.content)) as image:
            rgba = image.convert("RGBA")
            page = Image.new("RGB", rgba.size, "white")
            page.paste(rgba, mask=rgba.getchannel("A"))
            buffer = io.BytesIO()
            dpi = image.info.get("dpi")
            page.save(buffer, "PNG", **({"dpi": dpi} if dpi else {}))
            return buffer.getvalue()
    except (UnidentifiedImageError, ValueError, OSError):
        raise _refused(part, "ảnh bị hỏng, không đọc được", "the image is damaged") from None


def _refused(part: Part, vi: str, en: str) -> InvalidInput:
    return InvalidInput(f"'{part.name}': {vi}", f"'{part.name}': {en}", field="files")
