"""Figures for supervisors: the daily summary, the tracking book, the dossier list."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    Integer,
    Select,
    and_,
    func,
    literal_column,
    or_,
    select,
    text,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session

from counter import audit, integrity, search, versions
from counter.clock import VN_TZ, now
from counter.db import Database
from counter.models import CLOSINGS_SQL, Dossier, DossierHandover, DossierHistory, Guidance, User
from counter.office import office_in
from counter.ratings import is_satisfied, ratings_between
from counter.repository import SUMMARY_COLUMNS, id_of_key, summary_of
from counter.statuses import CLOSED, Status
from counter.views import BookRow, CountLine, DailySummary, DossierSummary, Office

OPEN_VALUES = [s.value for s in Status if s not in CLOSED]

#: Channels whose papers come on paper, and so are digitised at the counter.
PAPER_CHANNELS = ("direct", "postal")
#: A dossier is digitised when every document line it was received with has at least one
#: version of pages (docs/digitisation.md, "Figures"); a dossier with no lines is too.
DIGITISED = literal_column(
    f"(NOT EXISTS (SELECT 1 FROM ({versions.PAPER_CODES_SQL}) AS line "
    "WHERE NOT EXISTS (SELECT 1 FROM dossier_files AS f WHERE f.dossier_id = dossiers.id "
    "AND f.doc = line.code)))",
    Boolean,
)


def _statuses(s: Session) -> list[int]:
    """The statuses the dossiers hold, as stored, each found by one step along the index by
    status and due date."""
    held: list[int] = []
    step = select(func.min(status_number))
    found = s.scalar(step)
    while found is not None:
        held.append(found)
        found = s.scalar(step.where(status_number > found))
    return held


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), VN_TZ)
    return start, start + timedelta(days=1)


@dataclass(frozen=True)
class DossierFilter:
    """What the dossier list shows: a search text and filters, all optional."""

    text: str = ""
    statuses: tuple[Status, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    procedure_code: str = ""
    overdue_only: bool = False
    include_demo: bool = True
    #: only dossiers received on paper whose papers are not all digitised yet
    not_digitised: bool = False


#: The list's sort keys: each the columns of an index (ties go by ``id`` last, which every
#: SQLite index holds too), so the first screen of a million dossiers is read in order,
#: not sorted. Within a procedure the newest come first, within a status the due soonest.
#: By due date alone (``BY_STATUS``) the list is the runs of the index by status and due
#: date merged: each status's first dossiers read in order, the few of them sorted.
SORTABLE = {
    "received_at": (Dossier.received_at,),
    "due_at": (Dossier.due_at,),
    "code": (Dossier.code,),
    "applicant_name": (Dossier.applicant_name,),
    "procedure_code": (Dossier.procedure_code, Dossier.received_at),
    "status": (Dossier.status, Dossier.due_at),
}
#: Sort keys read as one run of the index by status and due date per status held.
BY_STATUS = frozenset({"due_at"})
#: The status as the database keeps it (a number), so every value held is named, even one
#: no word reads (``counter.storage.Coded``).
status_number = type_coerce(Dossier.status, Integer)


class ReportService:
    def __init__(self, db: Database, office: Callable[[], Office]):
        self.db = db
        self._office = office

    # -- search and the dossier list ------------------------------------------------------

    def find(self, query: str, limit: int = 50) -> list[DossierSummary]:
        """Search by code, name (with or without diacritics), ID number or phone; newest first."""
        with self.db.reading() as s:
            return search.find(s, query, limit)

    def _filtered(self, f: DossierFilter, s: Session) -> Select[Any]:
        q = select(Dossier)
        if f.text.strip():
            keys = search.find_keys(s, f.text, limit=search.MAX_LIMIT)
            q = q.where(Dossier.id.in_([id_of_key(k) for k in keys]))
        if f.statuses:
            q = q.where(Dossier.status.in_([st.value for st in f.statuses]))
        if f.date_from:
            q = q.where(Dossier.received_at >= day_bounds(f.date_from)[0])
        if f.date_to:
            q = q.where(Dossier.received_at < day_bounds(f.date_to)[1])
        if f.procedure_code:
            q = q.where(Dossier.procedure_code == f.procedure_code)
        if f.overdue_only:
            q = q.where(Dossier.status.in_(OPEN_VALUES), Dossier.due_at < now())
        if not f.include_demo:
            q = q.where(Dossier.is_demo.is_(False))
        if f.not_digitised:
            q = q.where(Dossier.channel.in_(PAPER_CHANNELS), ~DIGITISED)
        return q

    def count(self, f: DossierFilter) -> int:
        with self.db.reading() as s:
            sub = self._filtered(f, s).with_only_columns(Dossier.id).subquery()
            return int(s.scalar(select(func.count()).select_from(sub)) or 0)

    def page(
        self,
        f: DossierFilter,
        offset: int,
        limit: int,
        sort: str = "received_at",
        descending: bool = True,
    ) -> list[DossierSummary]:
        with self.db.reading() as s:
            rows = s.execute(self.page_query(s, f, offset, limit, sort, descending))
            return [summary_of(row) for row in rows]

    def page_query(
        self,
        s: Session,
        f: DossierFilter,
        offset: int,
        limit: int,
        sort: str = "received_at",
        descending: bool = True,
    ) -> Select[*tuple[Any, ...]]:
        """The statement of a page of the list: where every sort is built."""
        if sort not in SORTABLE:
            sort = "received_at"
        columns = (*SORTABLE[sort], Dossier.id)
        order = [c.desc() if descending else c.asc() for c in columns]
        q = self._filtered(f, s)
        # a search, a procedure or a period: SQLite reads the few rows it names and sorts them
        narrowed = f.text.strip() or f.procedure_code or f.date_from or f.date_to
        if sort not in BY_STATUS or narrowed:
            return (
                q.with_only_columns(*SUMMARY_COLUMNS).order_by(*order).offset(offset).limit(limit)
            )
        # each status's run of the index by status and due date, up to the page's end, read
        # in order from the index alone; the page is the right ones of these few, merged
        held = _statuses(s)
        if not held:  # no dossier at all
            return q.with_only_columns(*SUMMARY_COLUMNS).limit(0)
        keys = q.with_only_columns(*columns).order_by(*order).limit(offset + limit)
        runs = union_all(
            *(select(*run.c) for run in (keys.where(status_number == n).subquery() for n in held))
        )
        merged = runs.subquery()
        by = [merged.c[c.key] for c in columns]
        ids = select(merged.c.id).order_by(*(c.desc() if descending else c.asc() for c in by))
        return (
            select(*SUMMARY_COLUMNS)
            .where(Dossier.id.in_(ids.offset(offset).limit(limit)))
            .order_by(*order)
        )

    def overdue(self, at: datetime | None = None, limit: int = 500) -> list[DossierSummary]:
        """Dossiers overdue at ``at`` (received by then, still open then), the longest
        overdue first: the not closed and the closed later, each read from the index by
        closing and due date in due order, merged."""
        moment = at or now()
        due = (Dossier.due_at < moment, Dossier.received_at <= moment)
        rows: list[Dossier] = []
        with self.db.reading() as s:
            # the open ones in the index's order; the few closed since, as ``_open_at`` reads
            # them ("+due_at" keeps SQLite on that index rather than the one by receipt)
            for closing, order in (
                (Dossier.closed_at.is_(None), Dossier.due_at),
                (Dossier.closed_at > moment, text("+dossiers.due_at")),
            ):
                rows += s.scalars(
                    select(Dossier).where(closing, *due).order_by(order).limit(limit)
                ).all()
            rows.sort(key=lambda d: (d.due_at, d.id))
            return [summary_of(d) for d in rows[:limit]]

    def record_print(
        self, actor_name: str, kind: str, key: str, destination: str, audit_head: str = ""
    ) -> None:
        """Prints of reports (daily summary, tracking book) are in the audit trail too.

        ``audit_head``: the chain's head the printed report shows; it is kept as an anchor
        that ``check`` holds the chain to from then on.
        """
        with self.db.unit_of_work() as s:
            seen = integrity.parse_short(audit_head)
            if seen is not None:
                integrity.keep_anchor(s, *seen, "daily", now())
            audit.append(
                s,
                actor_name,
                "report.print",
                "report",
                f"{kind}:{key}",
                {"kind": kind, "destination": destination},
            )

    # -- daily summary --------------------------------------------------------------------

    def daily_summary(self, day: date, signer_name: str = "") -> DailySummary:
        start, end = day_bounds(day)
        office = self._office()
        with self.db.reading() as s:
            received_rows = s.execute(
                select(
                    Dossier.procedure_code,
                    Dossier.procedure_name,
                    Dossier.received_by,
                    func.count(),
                    func.coalesce(func.sum(Dossier.fees_total), 0),
                )
                .where(Dossier.receipt_day == day)
                .group_by(Dossier.procedure_code, Dossier.procedure_name, Dossier.received_by)
            ).all()
            closing = s.execute(
                select(
                    DossierHistory.status,
                    DossierHistory.by_user,
                    Dossier.procedure_code,
                    Dossier.procedure_name,
                    DossierHistory.at,
                    Dossier.due_at,
                )
                .join(Dossier, Dossier.id == DossierHistory.dossier_id)
                .where(
                    DossierHistory.at >= start,
                    DossierHistory.at < end,
                    # as the partial index names them, so the day's closings are read from it
                    text(f"dossier_history.{CLOSINGS_SQL}"),
                )
            ).all()
            pending, overdue, overdue_list = self._open_at(s, end)
            first = day - timedelta(days=29)
            intake = dict(
                s.execute(
                    select(Dossier.receipt_day, func.count())
                    .where(Dossier.receipt_day >= first, Dossier.receipt_day <= day)
                    .group_by(Dossier.receipt_day)
                ).all()
            )
            names = dict(s.execute(select(User.username, User.full_name)).all())
            guided = s.scalar(select(func.count()).where(Guidance.guided_day == day)) or 0
            on_paper = select(func.count()).where(
                Dossier.receipt_day == day, Dossier.channel.in_(PAPER_CHANNELS)
            )
            paper_received = s.scalar(on_paper) or 0
            digitised = (s.scalar(on_paper.where(DIGITISED)) or 0) if paper_received else 0
            chain = integrity.head(s)
            rated = ratings_between(s, start, end)

        per_proc: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        per_clerk: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        proc_names: dict[str, str] = {}
        for code, pname, clerk, n, fees in received_rows:
            proc_names[code] = pname
            for bucket in (per_proc[code], per_clerk[clerk]):
                bucket["received"] += n
                bucket["fees"] += int(fees)
        totals: dict[str, int] = defaultdict(int)
        on_time = late = 0
        for status, by_user, code, pname, at, due in closing:
            key = {"returned": "returned", "rejected": "rejected", "withdrawn": "withdrawn"}[status]
            proc_names.setdefault(code, pname)
            per_proc[code][key] += 1
            per_clerk[by_user][key] += 1
            totals[key] += 1
            if status == Status.RETURNED.value:
                if at <= due:
                    on_time += 1
                else:
                    late += 1
        # the citizens' ratings of the day, by procedure and by the clerk who handed back
        for r in rated:
            proc_names.setdefault(r.procedure_code, r.procedure_name)
            for bucket in (per_proc[r.procedure_code], per_clerk[r.clerk], totals):
                bucket["rated"] += 1
                bucket["satisfied"] += is_satisfied(r.level)

        def lines(table: dict[str, dict[str, int]], label: Callable[[str], str]) -> tuple:
            return tuple(
                CountLine(
                    key,
                    label(key),
                    v["received"],
                    v["returned"],
                    v["rejected"],
                    v["withdrawn"],
                    v["fees"],
                    v["rated"],
                    v["satisfied"],
                )
                for key, v in sorted(table.items(), key=lambda kv: (-kv[1]["received"], kv[0]))
            )

        return DailySummary(
            day=day,
            office=office,
            received=sum(v["received"] for v in per_proc.values()),
            returned=totals["returned"],
            rejected=totals["rejected"],
            withdrawn=totals["withdrawn"],
            returned_on_time=on_time,
            returned_late=late,
            pending=int(pending),
            overdue=int(overdue),
            fees_collected=sum(v["fees"] for v in per_proc.values()),
            guided=int(guided),
            paper_received=int(paper_received),
            digitised=int(digitised),
            rated=totals["rated"],
            satisfied=totals["satisfied"],
            audit_head=chain.short,
            overdue_list=overdue_list,
            by_procedure=lines(per_proc, lambda c: proc_names.get(c, c)),
            by_clerk=lines(per_clerk, lambda u: names.get(u, u)),
            intake_last_30_days=tuple(
                (first + timedelta(days=i), int(intake.get(first + timedelta(days=i), 0)))
                for i in range(30)
            ),
            generated_at=now(),
            signer_name=signer_name,
        )

    @staticmethod
    def _open_at(s: Session, end: datetime) -> tuple[int, int, tuple[DossierSummary, ...]]:
        """Dossiers still open at ``end``: how many, how many overdue, the oldest overdue.

        Open at ``end`` means received before it and not closed yet, or closed after it.
        Closing never comes before receipt, so the pending count is a difference of two
        index range counts; the overdue ones come from the index by closing and due date.
        """

        def count(stmt: Any) -> int:
            return int(s.scalar(stmt) or 0)

        received = count(select(func.count()).where(Dossier.received_at < end))
        closed = count(select(func.count()).where(Dossier.closed_at < end))
        still_open = (Dossier.closed_at.is_(None), Dossier.due_at < end, Dossier.received_at < end)
        closed_later = (Dossier.closed_at >= end, Dossier.due_at < end, Dossier.received_at < end)
        overdue = count(select(func.count()).where(*still_open)) + count(
            select(func.count()).where(*closed_later)
        )
        oldest: list[Dossier] = []
        for condition in (still_open, closed_later):
            # "+due_at" keeps SQLite off the due-date index, which would have it read every
            # old, long-closed dossier first; the index by closing and due date finds the few rows.
            oldest += s.scalars(
                select(Dossier).where(*condition).order_by(text("+dossiers.due_at")).limit(200)
            ).all()
        oldest.sort(key=lambda d: d.due_at)
        return received - closed, overdue, tuple(summary_of(d) for d in oldest[:200])

    # -- tracking book --------------------------------------------------------------------

    def book_rows(self, date_from: date, date_to: date, chunk: int = 2000) -> Iterator[BookRow]:
        """Rows of the tracking book for dossiers received in the range, in book order."""
        with self.db.reading() as s:
            office = office_in(s)
            last_key = (date_from.year, 0, 0)
            while True:
                rows = s.scalars(
                    select(Dossier)
                    .where(
                        Dossier.receipt_day >= date_from,
                        Dossier.receipt_day <= date_to,
                        or_(
                            Dossier.book_year > last_key[0],
                            and_(
                                Dossier.book_year == last_key[0], Dossier.book_number > last_key[1]
                            ),
                        ),
                    )
                    .order_by(Dossier.book_year, Dossier.book_number)
                    .limit(chunk)
                ).all()
                if not rows:
                    return
                ids = [d.id for d in rows]
                marks: dict[tuple[int, str], datetime] = {}
                for dossier_id, status, at in s.execute(
                    select(
                        DossierHistory.dossier_id,
                        DossierHistory.status,
                        func.min(DossierHistory.at),
                    )
                    .where(
                        DossierHistory.dossier_id.in_(ids),
                        DossierHistory.status.in_([Status.PROCESSING.value, Status.DONE.value]),
                    )
                    .group_by(DossierHistory.dossier_id, DossierHistory.status)
                ):
                    marks[(dossier_id, status)] = at
                digitised = set(s.scalars(select(Dossier.id).where(Dossier.id.in_(ids), DIGITISED)))
                handed: dict[int, list[DossierHandover]] = defaultdict(list)
                for h in s.scalars(
                    select(DossierHandover)
                    .where(DossierHandover.dossier_id.in_(ids))
                    .order_by(DossierHandover.at, DossierHandover.portal_id)
                ):
                    handed[h.dossier_id].append(h)
                for d in rows:
                    out, back = _out_and_back(d, handed.get(d.id, []))
                    yield BookRow(
                        book_number=d.book_number,
                        code=d.code,
                        procedure_name=d.procedure_name,
                        sets=d.sets,
                        applicant_name=d.applicant_name,
                        address=d.address,
                        phone=d.phone,
                        result_agency=office.agency_for(d.procedure_code, d.result_agency),
                        received_at=d.received_at,
                        due_at=d.due_at,
                        transferred_at=out.at
                        if out
                        else marks.get((d.id, Status.PROCESSING.value)),
                        result_received_at=back.at
                        if back
                        else marks.get((d.id, Status.DONE.value)),
                        transferred_to=out.to_name if out else "",
                        result_from=back.from_name if back else "",
                        returned_at=d.returned_at,
                        status=Status(d.status),
                        note=_book_note(d),
                        digitised=(d.id in digitised if d.channel in PAPER_CHANNELS else None),
                    )
                last_key = (rows[-1].book_year, rows[-1].book_number, 0)


def _out_and_back(
    d: Dossier, handovers: list[DossierHandover]
) -> tuple[DossierHandover | None, DossierHandover | None]:
    """The tracking book's transfer columns from the hand-overs the portal reported: the first
    one out of the office, and the last one back to it after that."""
    out = next((h for h in handovers if h.from_code == d.agency_code), None)
    later = handovers[handovers.index(out) + 1 :] if out else handovers
    back = next((h for h in reversed(later) if h.to_code == d.agency_code), None)
    return out, back


def _book_note(d: Dossier) -> str:
    """The book's note column: a re-receipt after a supplement first, then the clerk's note."""
    if d.restarted_at is None:
        return d.note
    again = f"Tiếp nhận lại (đã bổ sung) {d.restarted_at:%H:%M %d/%m/%Y}"
    return f"{again}; {d.note}" if d.note else again
