"""The citizen's rating of the service when the result is handed back.

Three levels (``protocol.constants.RATING_LEVELS``), a reason with ``unsatisfied`` alone,
chosen from ``REASONS`` or typed. A rating is the citizen's: it is given on the screen facing
them (``source`` ``screen``) or through ``rate`` on a kiosk (``cli``), never with a clerk's
account, so no ``Actor`` takes part and the audit trail names the source. A dossier keeps its
latest rating; every one is in the audit trail and goes to the portal through the outbox.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter import audit, validation
from counter.changes import enqueue
from counter.clock import now
from counter.db import Database
from counter.errors import InvalidInput, NotAllowed
from counter.models import Dossier, DossierHistory
from counter.repository import get_dossier, rating_of
from counter.serialize import rating_wire_json
from counter.views import RatingView
from protocol.constants import RATING_LEVELS, SATISFIED_LEVELS, UNSATISFIED
from protocol.statuses import Status

log = logging.getLogger("counter.ratings")

#: Each level as the citizen reads it (Vietnamese, English).
LEVEL_LABELS: dict[str, tuple[str, str]] = {
    "very_satisfied": ("Rất hài lòng", "Very satisfied"),
    "satisfied": ("Hài lòng", "Satisfied"),
    "unsatisfied": ("Chưa hài lòng", "Not satisfied"),
}
#: The reasons offered when the citizen is not satisfied (Vietnamese, English); what is
#: stored is the Vietnamese, or what was typed.
REASONS: tuple[tuple[str, str], ...] = (
    ("Thời gian chờ lâu", "Long wait"),
    ("Thái độ phục vụ", "The staff's manner"),
    ("Hướng dẫn chưa rõ", "Unclear guidance"),
    ("Phải đi lại nhiều lần", "Had to come back several times"),
    ("Khác", "Other"),
)
#: Where a rating came from: the citizen's screen at the counter, or ``rate`` on a kiosk.
SOURCES: tuple[str, ...] = ("screen", "cli")
#: Who the audit trail says acted: the citizen, through one of ``SOURCES``.
ACTORS = {"screen": "citizen:screen", "cli": "citizen:cli"}
REASON_MAX = 500


def level_label(level: str, lang: str = "vi") -> str:
    vi, en = LEVEL_LABELS[level]
    return en if lang == "en" else vi


def parse_level(value: str) -> str:
    level = (value or "").strip()
    if level not in RATING_LEVELS:
        names = ", ".join(RATING_LEVELS)
        raise InvalidInput(
            f"Mức đánh giá không hợp lệ: '{value}' (một trong: {names})",
            f"Invalid rating: '{value}' (one of: {names})",
            field="level",
        )
    return level


def clean_reason(level: str, reason: str | None) -> str:
    """A reason goes with ``unsatisfied``, which needs one, and with no other level."""
    text = validation.clean_text(reason, "reason", "Lý do", "The reason", REASON_MAX)
    if level == UNSATISFIED and not text:
        choices = "; ".join(vi for vi, _ in REASONS)
        raise InvalidInput(
            f"Khi chưa hài lòng, cần cho biết lý do (ví dụ: {choices})",
            "A reason is needed when not satisfied (e.g. "
            + "; ".join(en for _, en in REASONS)
            + ")",
            field="reason",
        )
    if level != UNSATISFIED and text:
        raise InvalidInput(
            "Chỉ ghi lý do khi chưa hài lòng",
            "A reason is given only when not satisfied",
            field="reason",
        )
    return text


class RatingService:
    """Records the citizen's rating of a returned dossier (``app.ratings``)."""

    def __init__(self, db: Database):
        self.db = db

    def rate(
        self, code: str, level: str, reason: str | None = None, source: str = "cli"
    ) -> RatingView:
        """Keep the citizen's rating, replacing an earlier one; refused (nothing changed)
        unless the dossier has been handed back."""
        if source not in SOURCES:
            raise ValueError(f"unknown rating source {source!r}")
        clean_level = parse_level(level)
        clean = clean_reason(clean_level, reason)
        with self.db.unit_of_work() as s:
            d = get_dossier(s, code)
            status = Status(d.status)
            if status is not Status.RETURNED:
                raise NotAllowed(
                    f"Hồ sơ {d.code} đang ở trạng thái '{status.label_vi}': chỉ đánh giá được "
                    "khi đã trả kết quả",
                    f"Dossier {d.code} is '{status.label_en}': it can be rated only once the "
                    "result has been handed back",
                )
            moment = now()
            replaced = d.rating_level
            d.rating_level = clean_level
            d.rating_reason = clean
            d.rated_at = moment
            d.rating_source = source
            enqueue(s, d, "rating", rating_wire_json(d.code, clean_level, clean, moment), moment)
            details: dict[str, Any] = {"level": clean_level, "reason": clean, "source": source}
            if replaced is not None:
                details["replaces"] = replaced
            audit.append(s, ACTORS[source], "dossier.rate", "dossier", d.code, details, subject=d)
            view = rating_of(d)
        log.info("dossier %s rated (%s)", code, source)
        assert view is not None
        return view


class RatedLine(NamedTuple):
    """A rating given in a period, with what the daily summary groups it by."""

    procedure_code: str
    procedure_name: str
    clerk: str  # the clerk who handed the result back
    level: str


def ratings_between(s: Session, start: datetime, end: datetime) -> Sequence[RatedLine]:
    """The ratings given in ``[start, end)``: each dossier's latest, with the clerk who
    handed its result back (its first ``returned`` line)."""
    handed_back_by = (
        select(DossierHistory.by_user)
        .where(
            DossierHistory.dossier_id == Dossier.id,
            DossierHistory.status == Status.RETURNED.value,
        )
        .order_by(DossierHistory.id)
        .limit(1)
        .scalar_subquery()
    )
    rows = s.execute(
        select(Dossier.procedure_code, Dossier.procedure_name, handed_back_by, Dossier.rating_level)
        .where(Dossier.rated_at >= start, Dossier.rated_at < end)
        .order_by(Dossier.rated_at)
    ).all()
    return [RatedLine(c, n, clerk or "", str(level)) for c, n, clerk, level in rows]


def is_satisfied(level: str) -> bool:
    return level in SATISFIED_LEVELS
