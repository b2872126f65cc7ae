"""Dates, times and amounts the way Vietnamese administrative documents write them.

Dates follow Decree 30/2020/NĐ-CP (annex I): a day below 10 and the months 1
and 2 get a leading zero ("ngày 05 tháng 01", "ngày 26 tháng 11", "tháng 3"),
so a handwritten digit cannot turn one date into another.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from xml.sax.saxutils import escape

from printing.templates import COMMON

VN_TZ = timezone(timedelta(hours=7), "ICT")


def local(dt: datetime) -> datetime:
    """An aware datetime in Vietnam time; a naive one is Vietnam time already."""
    return dt if dt.tzinfo is None else dt.astimezone(VN_TZ)


def _day(d: date) -> str:
    return f"{d.day:02d}"


def _month(d: date) -> str:
    return f"{d.month:02d}" if d.month <= 2 else str(d.month)


def date_parts(d: date) -> dict[str, str]:
    return {"day": _day(d), "month": _month(d), "year": str(d.year)}


def official_datetime(dt: datetime) -> str:
    """'08 giờ 30 phút, ngày 26 tháng 11 năm 2026'."""
    dt = local(dt)
    return COMMON["official_datetime"].format(
        hour=f"{dt.hour:02d}", minute=f"{dt.minute:02d}", **date_parts(dt)
    )


def official_date(d: date, inline: bool = False) -> str:
    """'Ngày 26 tháng 11 năm 2026' (or lower case inside a sentence)."""
    if isinstance(d, datetime):
        d = local(d)
    return COMMON["date_inline" if inline else "date"].format(**date_parts(d))


def place_date(place: str, d: date) -> str:
    """'Hòa Bình, ngày 26 tháng 11 năm 2026'; without a place, just the date."""
    if isinstance(d, datetime):
        d = local(d)
    if not place.strip():
        return official_date(d)
    return COMMON["place_date"].format(place=place.strip(), **date_parts(d))


def short_date(d: date) -> str:
    """'26/11/2026' for tables."""
    if isinstance(d, datetime):
        d = local(d)
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def short_datetime(dt: datetime) -> str:
    """'26/11/2026 08:30' for tables."""
    dt = local(dt)
    return f"{short_date(dt)} {dt.hour:02d}:{dt.minute:02d}"


def thousands(amount: int) -> str:
    """1250000 -> '1.250.000' (Vietnamese digit grouping)."""
    sign = "-" if amount < 0 else ""
    return sign + f"{abs(int(amount)):,}".replace(",", ".")


def percent(share: float | None) -> str:
    """0.875 -> '87,5' (one decimal, a decimal comma); None (nothing to divide) -> '-'."""
    if share is None:
        return "-"
    return f"{share * 100:.1f}".replace(".", ",").removesuffix(",0")


def money(amount: int) -> str:
    """'50.000 đồng', or 'Miễn phí' when nothing is due."""
    if amount == 0:
        return COMMON["free"]
    return COMMON["money"].format(amount=thousands(amount))


def two_digits(n: int) -> str:
    """Counts on forms are written with two digits: '01 bộ'."""
    return f"{n:02d}"


def days_late(due_at: datetime, day: date) -> int:
    """Calendar days from the due date to the report day (0: it fell due that day)."""
    return max(0, (day - local(due_at).date()).days)


NBSP = "\u00a0"


def nobreak(value: str) -> str:
    """Glue words so a line never breaks inside them ("16.000 đồng", "năm 2026").

    reportlab draws a no-break space with the space glyph, so extracted text reads
    an ordinary space.
    """
    return value.replace(" ", NBSP)


def nobreak_datetime(dt: datetime) -> str:
    """The official date-time, breakable only after its comma."""
    return ", ".join(nobreak(part) for part in official_datetime(dt).split(", "))


def markup(template: str, bold: tuple[str, ...] = (), **values: object) -> str:
    """Fill a template for a reportlab Paragraph: everything escaped, chosen values bold."""
    filled: dict[str, str] = {}
    for key, value in values.items():
        text = escape(str(value))
        filled[key] = f"<b>{text}</b>" if key in bold else text
    return escape(template).format(**filled)


def text(value: object) -> str:
    """Escape a plain value for a Paragraph."""
    return escape(str(value))
