"""HTML for the dashboard: Jinja2 templates, Vietnamese number and date formats, the chart.

Numbers are written 1.234.567, rates 85,3 %, dates dd/mm/yyyy, moments HH:MM dd/mm/yyyy in
Vietnam time. The chart is drawn here as inline SVG: no script, nothing fetched.
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from portal.dashboard.figures import MonthBar
from protocol import STATUS_LABELS_VI, VN_TZ, parse_datetime

HERE = Path(__file__).resolve().parent


def number(n: int | None) -> str:
    return "—" if n is None else f"{n:,}".replace(",", ".")


def rate(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}".replace(".", ",") + " %"


def day(d: date | datetime | None) -> str:
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = d.astimezone(VN_TZ)
    return d.strftime("%d/%m/%Y")


def moment(d: datetime | None) -> str:
    return "" if d is None else d.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")


def iso_moment(text: str | None) -> str:
    """A moment as the wire writes it (ISO 8601), as people read it."""
    return moment(parse_datetime(text)) if text else ""


def month_label(d: date) -> str:
    return d.strftime("%m/%Y")


def status_label(status: str) -> str:
    return STATUS_LABELS_VI.get(status, status)


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        number=number,
        rate=rate,
        day=day,
        moment=moment,
        iso_moment=iso_moment,
        month_label=month_label,
        status_label=status_label,
    )
    return env


def page(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


_SERIES = (
    ("on_time", "#2e7d32", "Xong đúng hạn"),
    ("late", "#e65100", "Xong quá hạn"),
    ("open", "#1565c0", "Đang giải quyết"),
    ("other", "#9e9e9e", "Khác (từ chối, rút, dừng)"),
)


def _nice_step(n: int, ticks: int) -> int:
    """A round step between the axis' lines (1, 2 or 5 times a power of ten) so that
    ``ticks`` steps reach at least ``n``."""
    power = 1
    while True:
        for step in (1, 2, 5):
            if power * step * ticks >= n:
                return power * step
        power *= 10


def chart_svg(bars: list[MonthBar]) -> Markup:
    """Stacked bars of the dossiers received per month, by what became of them."""
    width, height = 760, 260
    left, right, top, bottom = 56, 12, 16, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    step = _nice_step(max([b.received for b in bars] + [1]), 4)
    ceiling = step * 4
    slot = plot_w / max(1, len(bars))
    bar_w = slot * 0.62
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        'aria-label="Hồ sơ tiếp nhận theo tháng" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i in range(5):
        value = step * i
        y = top + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" class="axis" text-anchor="end">'
            f"{escape(number(value))}</text>"
        )
    for i, bar in enumerate(bars):
        x = left + slot * i + (slot - bar_w) / 2
        y = top + plot_h
        values = {
            "on_time": bar.on_time,
            "late": bar.late,
            "open": bar.open,
            "other": bar.received - bar.on_time - bar.late - bar.open,
        }
        for key, colour, label in _SERIES:
            h = plot_h * values[key] / ceiling
            if h <= 0:
                continue
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{escape(month_label(bar.month))}: {escape(label)} '
                f"{escape(number(values[key]))}</title></rect>"
            )
        if bar.received:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" class="value" '
                f'text-anchor="middle">{escape(number(bar.received))}</text>'
            )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 18}" class="axis" '
            f'text-anchor="middle">{escape(month_label(bar.month))}</text>'
        )
    legend_x: float = left
    for _key, colour, label in _SERIES:
        parts.append(
            f'<rect x="{legend_x}" y="{height - 22}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{legend_x + 17}" y="{height - 12}" class="legend">{escape(label)}</text>'
        )
        legend_x += 24 + len(label) * 6.6
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text in it is escaped above)
