"""The dossier list sorted by any column, and the search: the same answers, read from indexes
(SQLite's query plan says so; how fast is the benchmark's business)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, text

from counter.clock import now
from counter.dossiers import DossierInput
from counter.reports import BY_STATUS, SORTABLE, DossierFilter
from counter.search import entries, find, find_keys, fts_query
from counter.statuses import Status

PEOPLE = (
    ("Nguyễn Thị Ánh Tuyết", "0912000001", "1.001193"),
    ("Trần Văn Bình", "0912000002", "1.000894"),
    ("Lê Thị Hồng Đào", "0987000003", "1.000656"),
    ("Phạm Quốc Việt", "0912000004", "1.001193"),
    ("Nguyễn Văn Thành", "0912000005", "1.000894"),
    ("Đặng Thanh Thủy", "0912000006", "1.001022"),
)


@pytest.fixture
def filled(app: Any, admin: Any) -> Any:
    start = now().replace(hour=8, minute=0, second=0) - timedelta(days=6)
    items = [
        DossierInput(
            proc,
            name,
            id_number=f"00119001{i:04d}",
            phone=phone,
            received_at=start + timedelta(days=i % 4, minutes=i),
        )
        for i, (name, phone, proc) in enumerate(PEOPLE * 3)
    ]
    views = app.dossiers.receive_many(admin, items)
    for v in views[::4]:
        app.dossiers.set_status(admin, v.code, Status.PROCESSING)
    return app


def _sort_value(s: Any, key: str) -> Any:
    value = getattr(s, key)
    return value.value if isinstance(value, Status) else value


@pytest.mark.parametrize("key", list(SORTABLE))
@pytest.mark.parametrize("descending", [True, False])
def test_the_list_sorts_by_each_column_both_ways(filled: Any, key: str, descending: bool):
    rows = filled.reports.page(DossierFilter(), 0, 100, key, descending)
    assert len(rows) == len(PEOPLE) * 3
    values = [_sort_value(r, key) for r in rows]
    assert values == sorted(values, reverse=descending)
    # a page further on goes on where the first stopped
    first, rest = (
        filled.reports.page(DossierFilter(), 0, 5, key, descending),
        filled.reports.page(DossierFilter(), 5, 100, key, descending),
    )
    assert [r.code for r in first + rest] == [r.code for r in rows]


def _plans(app: Any, run: Any) -> list[str]:
    """SQLite's plan of each statement ``run`` reads with, as it ran them."""
    ran: list[tuple[str, Any]] = []

    def seen(conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool) -> None:
        ran.append((sql, params))

    event.listen(app.db.read_engine, "before_cursor_execute", seen)
    try:
        run()
    finally:
        event.remove(app.db.read_engine, "before_cursor_execute", seen)
    with app.db.reading() as s:
        conn = s.connection().connection.driver_connection
        plans = [
            " | ".join(str(row[-1]) for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
            for sql, params in ran
        ]
    return [plan for plan in plans if plan]  # not the connection's own statements


@pytest.mark.parametrize("key", list(SORTABLE))
@pytest.mark.parametrize("descending", [True, False])
def test_the_first_screen_is_read_in_index_order_not_sorted(
    filled: Any, key: str, descending: bool
):
    plans = _plans(filled, lambda: filled.reports.page(DossierFilter(), 0, 200, key, descending))
    details = " || ".join(plans)
    # no statement reads the whole table, nor an index from end to end but in the list's order
    assert "SCAN dossiers" not in details.replace("SCAN dossiers USING", ""), details
    if key not in BY_STATUS:
        (plan,) = plans
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
        return
    # the statuses held, one step each (and one that finds none after the last), then each
    # status's first dossiers in the order of the index by status and due date, from it
    # alone; the merge sorts those few, and the page its own
    *steps, page = plans
    assert all("COVERING INDEX ix_dossiers_status_due" in p for p in steps), steps
    runs = page.count("COVERING INDEX ix_dossiers_status_due (status=?)")
    assert runs == len(steps) - 1 == 2 and page.count("TEMP B-TREE") == 2, page


def test_a_search_reads_the_lists_columns_newest_first(filled: Any):
    with filled.db.reading() as s:
        found = find(s, "nguyen")
        assert {r.applicant_name for r in found} == {"Nguyễn Thị Ánh Tuyết", "Nguyễn Văn Thành"}
        assert [r.received_at for r in found] == sorted(
            (r.received_at for r in found), reverse=True
        )
        assert [r.code for r in filled.reports.find("nguyen")] == [r.code for r in found]
        assert len(find(s, "nguyen", limit=2)) == 2
        whole = find(s, found[0].code)
        assert [r.code for r in whole] == [found[0].code]
        assert find_keys(s, "") == [] and find(s, "   ") == []


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("t", {name for name, _, _ in PEOPLE} - {"Phạm Quốc Việt"}),
        ("th", {"Nguyễn Thị Ánh Tuyết", "Lê Thị Hồng Đào", "Nguyễn Văn Thành", "Đặng Thanh Thủy"}),
        ("thanh", {"Nguyễn Văn Thành", "Đặng Thanh Thủy"}),
        ("nguye", {"Nguyễn Thị Ánh Tuyết", "Nguyễn Văn Thành"}),
        ("dang thuy", {"Đặng Thanh Thủy"}),
        ("ĐẶNG", {"Đặng Thanh Thủy"}),
        ("0987", {"Lê Thị Hồng Đào"}),
        ("+84 987 000 003", {"Lê Thị Hồng Đào"}),
        ("001190010002", {"Lê Thị Hồng Đào"}),
    ],
)
def test_words_typed_in_part_are_found_whatever_their_length(
    filled: Any, query: str, names: set[str]
):
    with filled.db.reading() as s:
        assert {r.applicant_name for r in find(s, query, 100)} == names


@pytest.mark.parametrize(
    "query",
    ["h62-2611", "Nguyễn-Văn", "O'Neil", 'a"b', "x*", "nguyen AND", "1.001193", "000.00.36"],
)
def test_any_query_is_single_words_the_index_can_answer(filled: Any, query: str):
    match = fts_query(query)
    assert match is not None
    with filled.db.reading() as s:
        s.execute(
            text("SELECT rowid FROM dossier_search WHERE dossier_search MATCH :m"), {"m": match}
        ).all()
        find(s, query)


def test_a_names_words_and_a_numbers_never_meet(app: Any, admin: Any):
    """The index keeps no columns: a word typed with a digit is looked for among the codes
    and numbers alone, one without among the names alone, as before (migration 0016)."""
    org, traveller = app.dossiers.receive_many(
        admin,
        [
            DossierInput(
                "1.001193",
                "Công ty TNHH Hòa Bình 3A",
                applicant_type="organization",
                id_number="0101234567",
            ),
            DossierInput(
                "1.001193", "Lê Thị Hoa", id_number="C1234567", id_type="passport", phone=""
            ),
        ],
    )
    with app.db.reading() as s:

        def codes(query: str) -> set[str]:
            return {r.code for r in find(s, query, 100)}

        assert codes("c") == codes("cong") == {org.code}  # not the passport's "c1234567"
        assert codes("c123") == codes("C1234567") == {traveller.code}
        assert codes("3a") == set()  # a name's word with a digit in it: not a number
        assert codes("h") == {org.code, traveller.code}  # "hoa", "hoa": not "h62" of the code
        assert codes("h62") == codes("0101") | codes("c1") == {org.code, traveller.code}
        assert entries(s) == 2
