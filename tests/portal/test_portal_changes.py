"""The change feed: cursors, paging, the agency's changes only, portal and counter sources."""

from __future__ import annotations

from collections.abc import Callable

from portal_testkit import CounterClient, admin_ok, status_change

import protocol


def test_empty_feed_keeps_the_cursor(counter: CounterClient) -> None:
    page = counter.changes()
    assert page == {"changes": [], "next_cursor": 0, "has_more": False}


def test_paging_with_increasing_cursors(counter: CounterClient) -> None:
    counter.push_ok([protocol.dossier_entry(counter.snapshot(n)) for n in range(1, 8)])
    first = counter.changes(limit=3)
    assert len(first["changes"]) == 3 and first["has_more"] is True
    assert first["next_cursor"] == first["changes"][-1]["cursor"]
    seen = list(first["changes"])
    since = first["next_cursor"]
    while True:
        page = counter.changes(since, limit=3)
        seen.extend(page["changes"])
        if not page["has_more"]:
            break
        since = page["next_cursor"]
    cursors = [c["cursor"] for c in seen]
    assert cursors == sorted(cursors) and len(set(cursors)) == 7
    assert [c["code"] for c in seen] == [counter.code(n) for n in range(1, 8)]
    last = counter.changes(page["next_cursor"])
    assert last == {"changes": [], "next_cursor": page["next_cursor"], "has_more": False}
    # Exactly `limit` changes left: has_more is false, not a needless extra page.
    assert counter.changes(cursors[3], limit=3)["has_more"] is False


def test_feed_items(counter: CounterClient) -> None:
    entry = protocol.dossier_entry(counter.snapshot(1))
    counter.push_ok([entry])
    admin_ok(
        counter.server.db_url,
        "set-status",
        counter.code(1),
        "supplement_requested",
        "--note",
        "Thiếu bản sao giấy chứng sinh",
        "--by",
        "Phòng Tư pháp",
    )
    admin_ok(
        counter.server.db_url,
        "set-due",
        counter.code(1),
        "2026-12-04T16:30",
        "--reason",
        "Chờ bổ sung",
    )
    intake, supplement, due = counter.all_changes()
    assert intake == {
        "cursor": intake["cursor"],
        "kind": "status",
        "code": counter.code(1),
        "status": "received",
        "status_code": 2,
        "due_at": "2026-11-27T08:30:00+07:00",
        "at": "2026-11-26T08:30:00+07:00",
        "by": "canbo1",
        "note": "",
        "source": "counter",
        "counter_no": 1,
        "entry_key": entry["key"],
    }
    assert supplement["kind"] == "status"
    assert (supplement["status"], supplement["status_code"]) == ("supplement_requested", 5)
    assert (supplement["source"], supplement["counter_no"], supplement["entry_key"]) == (
        "portal",
        None,
        None,
    )
    assert supplement["by"] == "Phòng Tư pháp"
    assert supplement["note"] == "Thiếu bản sao giấy chứng sinh"
    assert supplement["at"].endswith("+07:00")
    assert (due["kind"], due["due_at"], due["status"], due["note"]) == (
        "due",
        "2026-12-04T16:30:00+07:00",
        "supplement_requested",
        "Chờ bổ sung",
    )


def test_only_the_callers_agency(new_counter: Callable[..., CounterClient]) -> None:
    one = new_counter()
    other = new_counter()
    one.push_ok([protocol.dossier_entry(one.snapshot(1))])
    other.push_ok([protocol.dossier_entry(other.snapshot(1))])
    admin_ok(other.server.db_url, "set-status", other.code(1), "processing")
    assert [c["code"] for c in one.all_changes()] == [one.code(1)]
    assert [c["code"] for c in other.all_changes()] == [other.code(1)] * 2


def test_exclude_own(new_counter: Callable[..., CounterClient]) -> None:
    one = new_counter()
    two = new_counter(agency_code=one.agency_code, counter_no=2)
    one.push_ok([protocol.dossier_entry(one.snapshot(n)) for n in range(1, 4)])
    two.push_ok([protocol.dossier_entry(two.snapshot(1))])
    admin_ok(one.server.db_url, "set-status", one.code(3), "processing")
    mine_excluded = one.all_changes(exclude_own="true")
    assert [(c["code"], c["source"], c["counter_no"]) for c in mine_excluded] == [
        (two.code(1), "counter", 2),
        (one.code(3), "portal", None),
    ]
    assert len(one.all_changes()) == 5
    # The cursor moves past the caller's own changes even when they are all there is.
    one.push_ok([protocol.dossier_entry(one.snapshot(n)) for n in range(4, 7)])
    *_, before_latest, latest = (c["cursor"] for c in one.all_changes())
    page = one.changes(mine_excluded[-1]["cursor"], exclude_own="true")
    assert page == {"changes": [], "next_cursor": latest, "has_more": False}
    # A page may come back short, even empty, while more follows: has_more says so.
    page = one.changes(mine_excluded[-1]["cursor"], exclude_own="true", limit=2)
    assert page["changes"] == [] and page["has_more"] is True
    assert page["next_cursor"] == before_latest


def test_omit_known_leaves_out_what_the_counter_said_last(
    new_counter: Callable[..., CounterClient],
) -> None:
    """Per dossier, the changes since the cursor that are all the caller's own pushes go; a
    dossier the portal changed too, its status or its due moment, comes whole, the caller's
    echoes included; other counters' pushes stay."""
    one = new_counter()
    two = new_counter(agency_code=one.agency_code, counter_no=2)
    db_url = one.server.db_url
    one.push_ok([protocol.dossier_entry(one.snapshot(n)) for n in range(1, 5)])
    two.push_ok([protocol.dossier_entry(two.snapshot(1))])
    admin_ok(db_url, "set-status", one.code(2), "processing")
    admin_ok(db_url, "set-status", one.code(3), "processing")
    admin_ok(db_url, "set-due", one.code(4), "2026-12-04T16:30", "--reason", "Chờ bổ sung")
    one.push_ok([protocol.status_entry(status_change(one.code(n), "withdrawn")) for n in (3, 4)])
    everything = one.all_changes()
    assert len(everything) == 10
    expected = [
        (one.code(2), "status", "counter"),
        (one.code(3), "status", "counter"),
        (one.code(4), "status", "counter"),
        (two.code(1), "status", "counter"),
        (one.code(2), "status", "portal"),
        (one.code(3), "status", "portal"),
        (one.code(4), "due", "portal"),
        (one.code(3), "status", "counter"),
        (one.code(4), "status", "counter"),
    ]
    shown = one.all_changes(omit_known="true")
    assert [(c["code"], c["kind"], c["source"]) for c in shown] == expected
    assert shown == [c for c in everything if c["cursor"] in {s["cursor"] for s in shown}]
    # Paged finely, the same are sent: what follows a page is read to judge it, and what
    # came before the cursor too, never leaving out more.
    for limit in (1, 3):
        paged = one.all_changes(omit_known="true", limit=limit)
        assert paged == shown, limit
    # After the portal's "processing" was sent (cursor past it), the counter's own
    # withdrawal that follows it is sent too, even with nothing of the portal's after it.
    processing = next(c for c in everything if c["code"] == one.code(3) and c["source"] == "portal")
    rest = one.all_changes(omit_known="true", since=processing["cursor"])
    assert (one.code(3), "status", "counter") in [(c["code"], c["kind"], c["source"]) for c in rest]
    # The other counter's own dossier alone is what it knows.
    assert [c["cursor"] for c in two.all_changes(omit_known="true")] == [
        c["cursor"] for c in everything if c["code"] != two.code(1)
    ]
    # Nothing new: the cursor stays; after all of it, an empty page at the newest cursor.
    page = one.changes(everything[-1]["cursor"], omit_known="true")
    assert page == {"changes": [], "next_cursor": everything[-1]["cursor"], "has_more": False}


def test_a_cursor_from_another_portal_is_refused(counter: CounterClient) -> None:
    response = counter.http.get(counter.api + "/changes", params={"since": 10**12}, timeout=10)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "cursor_ahead"


def test_many_changes_page_through(counter: CounterClient) -> None:
    entries = [protocol.dossier_entry(counter.snapshot(n)) for n in range(1, 1201)]
    for start in range(0, len(entries), 500):
        counter.push_ok(entries[start : start + 500])
    pages = 0
    since = 0
    total = 0
    while True:
        page = counter.changes(since, limit=protocol.MAX_CHANGES_LIMIT)
        pages += 1
        total += len(page["changes"])
        since = page["next_cursor"]
        if not page["has_more"]:
            break
    assert (pages, total) == (2, 1200)


def _page_by_page(
    rows: list[tuple[int, int, str, str, int | None]], me: int, since: int, limit: int, pages: int
) -> tuple[list[int], int, bool]:
    """What ``omit_known`` answers, as its docstring says it, read a page at a time: each
    page of ``limit`` changes after the cursor judged with the changes that follow it and the
    last one up to its start. ``rows``: (id, dossier, kind, source, counter id), oldest first."""

    def own(row: tuple[int, int, str, str, int | None]) -> bool:
        return row[3] == protocol.SOURCE_COUNTER and row[4] == me

    shown: list[int] = []
    cursor, has_more = since, True
    for _ in range(pages):
        following = [row for row in rows if row[0] > cursor]
        page, has_more = following[:limit], len(following) > limit
        if not page:
            break
        known = set()
        for dossier in {row[1] for row in page}:
            stretch = [r for r in following if r[1] == dossier and (has_more or r in page)]
            earlier = [r for r in rows if r[1] == dossier and r[0] <= cursor]
            if earlier and not own(earlier[-1]):
                continue
            if all(own(r) and r[2] in (protocol.KIND_STATUS, protocol.KIND_DUE) for r in stretch):
                known.add(dossier)
        for row in page:
            if row[1] in known:
                continue
            if len(shown) == limit:
                return shown, shown[-1], True
            shown.append(row[0])
        cursor = page[-1][0]
        if not has_more:
            break
    return shown, cursor, has_more


def _feed_of(s, code: str, moment, dossiers: int, changes):
    """An agency ``code`` with counters 1 and 2, ``dossiers`` dossiers of counter 1 and the
    ``changes`` ((dossier number, kind, who: 1, 2 or "portal"), oldest first) written
    straight into the portal's tables; its counter 1 and the changes as (id, dossier, kind,
    source, counter id)."""
    from portal.agencies import CounterIdentity, add_agency, add_counter
    from portal.models import Change, Counter, Dossier

    agency = add_agency(s, code, "UBND xã Hòa Bình", moment)
    for no in (1, 2):
        add_counter(s, code, no, moment)
    ids = dict(s.query(Counter.counter_no, Counter.id).filter(Counter.agency_id == agency.id).all())
    made = []
    for n in range(dossiers):
        dossier = Dossier(
            code=f"{code}-261102-{1001 + n}",
            agency_id=agency.id,
            counter_id=ids[1],
            counter_no=1,
            procedure_code="1.001193",
            procedure_name="Đăng ký khai sinh",
            applicant_name="Lò Thị Pằng",
            received_at=moment,
            due_at=moment,
            status="received",
            lookup_key_hash="0" * 64,
            content_hash="0" * 64,
            snapshot={},
            created_at=moment,
            updated_at=moment,
        )
        s.add(dossier)
        made.append(dossier)
    s.flush()
    rows = []
    for number, kind, by in changes:
        dossier = made[number]
        source = protocol.SOURCE_PORTAL if by == "portal" else protocol.SOURCE_COUNTER
        counter_id = None if by == "portal" else ids[by]
        change = Change(
            agency_id=agency.id,
            dossier_id=dossier.id,
            code=dossier.code,
            kind=kind,
            status="received",
            due_at=moment,
            at=moment,
            by="",
            source=source,
            counter_id=counter_id,
            counter_no=None,
            entry_key=None,
            recorded_at=moment,
        )
        s.add(change)
        s.flush()
        rows.append((change.id, dossier.id, kind, source, counter_id))
    return CounterIdentity(ids[1], 1, agency.id, code), rows


def test_omit_known_judges_each_page_as_read_alone(
    new_db_url: Callable[[str], str], monkeypatch
) -> None:
    """The feed reads the changes a window at a time and what lies beyond it once; its answer
    is, for any cursor and page size, the one of reading and judging page by page: 400
    random changes of 30 dossiers, mostly one counter's own echoes; and a window that ends
    with as many changes sure to be sent as a page holds (a reading page by page goes on)."""
    import random
    from datetime import datetime, timedelta, timezone

    from portal import feed
    from portal.db import Database

    monkeypatch.setattr(feed, "SCAN_PAGES", 4)  # the budget of pages reached too
    db = Database(new_db_url("feed"))
    rng = random.Random(118)
    moment = datetime(2026, 11, 2, 9, tzinfo=timezone(timedelta(hours=7)))
    kinds = ["status"] * 6 + ["due"] * 2 + ["handover"]
    whom = [1] * 8 + [2, "portal"]
    randomly = [(rng.randrange(30), rng.choice(kinds), rng.choice(whom)) for _ in range(400)]
    try:
        with db.write() as s:
            who, rows = _feed_of(s, "000.00.36.H62", moment, 30, randomly)
            cursors = [0, *rng.sample([row[0] for row in rows], 12)]
            for limit in (1, 2, 3, 7, 40):
                for since in cursors:
                    expected = _page_by_page(rows, who.counter_id, since, limit, 4)
                    assert feed._unknown(s, who, since, limit) == expected, (limit, since)
            # a whole feed of one's own echoes passes over the budget's pages at once
            assert feed._unknown(s, who, 0, 400) == _page_by_page(rows, who.counter_id, 0, 400, 4)
            # pages of 2: the portal's, an echo | the portal's, echoes ... | the portal's
            edge = [(0, "status", "portal"), (1, "status", 1), (2, "status", "portal")]
            edge += [(n, "status", 1) for n in (3, 4, 5)] + [(6, "status", "portal")]
            who, rows = _feed_of(s, "000.00.36.H63", moment, 7, edge)
            expected = _page_by_page(rows, who.counter_id, 0, 2, 4)
            assert expected == ([rows[0][0], rows[2][0]], rows[2][0], True)
            assert feed._unknown(s, who, 0, 2) == expected
    finally:
        db.dispose()
