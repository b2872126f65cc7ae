"""Pushing entries: per-entry outcomes, idempotency, conflicts, authentication, agencies."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import requests
from portal_testkit import CounterClient, PortalServer, admin_ok, run_admin, status_change

import protocol


def outcomes(results: list[dict[str, Any]]) -> list[str]:
    return [r["outcome"] for r in results]


def test_accepted_then_same_key_same_content_gets_the_first_answer(counter: CounterClient) -> None:
    entry = protocol.dossier_entry(counter.snapshot(1))
    [first] = counter.push_ok([entry])
    assert first["outcome"] == "accepted"
    assert first["http_status"] == 200
    assert first["key"] == entry["key"]
    assert first["code"] == counter.code(1)
    assert first["reason"] is None
    [again] = counter.push_ok([entry])
    assert again["outcome"] == "duplicate"
    assert again["http_status"] == 200
    assert again["accepted_at"] == first["accepted_at"]
    # Recorded once: one dossier, one intake change.
    changes = counter.all_changes()
    assert [c["code"] for c in changes] == [counter.code(1)]


def test_same_key_other_content_is_a_conflict_needing_attention(counter: CounterClient) -> None:
    entry = protocol.dossier_entry(counter.snapshot(1))
    counter.push_ok([entry])
    altered = {**entry, "data": {**entry["data"], "note": "sửa sau khi gửi"}}
    [result] = counter.push_ok([altered])
    assert result["outcome"] == "conflict"
    assert result["http_status"] == 409
    assert result["reason"]["code"] == "key_reused"
    assert result["reason"]["message"] and result["reason"]["message_en"]
    # Visible to the counter...
    items = counter.http.get(counter.api + "/attention", timeout=10).json()["items"]
    assert [(i["key"], i["kind"], i["code"], i["outcome"]) for i in items] == [
        (entry["key"], "dossier", counter.code(1), "conflict")
    ]
    assert items[0]["reason"]["code"] == "key_reused"
    assert items[0]["entry"]["note"] == "sửa sau khi gửi"
    assert "lookup_key" not in items[0]["entry"]
    # ...and the first content is what the portal keeps.
    detail = counter.http.get(f"{counter.api}/dossiers/{counter.code(1)}", timeout=10).json()
    assert detail["dossier"]["note"] == ""
    # Sending the conflicting entry again bumps the same item rather than adding one.
    counter.push_ok([altered])
    items = counter.http.get(counter.api + "/attention", timeout=10).json()["items"]
    assert len(items) == 1 and items[0]["times"] == 2


def test_same_dossier_under_another_key(counter: CounterClient) -> None:
    [first] = counter.push_ok([protocol.dossier_entry(counter.snapshot(1))])
    same = protocol.dossier_entry(counter.snapshot(1))
    other = protocol.dossier_entry(counter.snapshot(1, note="khác"))
    results = counter.push_ok([same, other])
    assert outcomes(results) == ["duplicate", "conflict"]
    assert results[0]["accepted_at"] == first["accepted_at"]
    assert results[1]["reason"]["code"] == "dossier_exists"
    # The new key of the identical dossier now answers like the first.
    assert outcomes(counter.push_ok([same])) == ["duplicate"]


def test_one_bad_entry_does_not_fail_the_batch(counter: CounterClient) -> None:
    good1 = protocol.dossier_entry(counter.snapshot(1))
    bad = {"key": protocol.new_key(), "kind": "dossier", "data": {**counter.snapshot(2), "sets": 0}}
    not_an_object = 42
    good2 = protocol.dossier_entry(counter.snapshot(3))
    results = counter.push_ok([good1, bad, not_an_object, good2])
    assert outcomes(results) == ["accepted", "rejected", "rejected", "accepted"]
    assert [r["index"] for r in results] == [0, 1, 2, 3]
    assert results[1]["http_status"] == 422
    assert results[1]["reason"]["field"] == "data.sets"
    assert results[1]["key"] == bad["key"] and results[1]["code"] == counter.code(2)
    assert results[2]["key"] is None
    assert {c["code"] for c in counter.all_changes()} == {counter.code(1), counter.code(3)}


def test_counts_and_server_time(counter: CounterClient) -> None:
    entry = protocol.dossier_entry(counter.snapshot(1))
    response = counter.push([entry, entry, {"key": "x"}])
    body = response.json()
    assert body["counts"] == {"accepted": 1, "duplicate": 1, "conflict": 0, "rejected": 1}
    assert body["server_time"].endswith("+07:00")
    assert response.headers["content-type"] == "application/json"


def test_status_changes_follow_the_dossier_in_the_same_batch(counter: CounterClient) -> None:
    code = counter.code(1)
    results = counter.push_ok(
        [
            protocol.status_entry(status_change(code, "withdrawn")),  # before the dossier: unknown
            protocol.dossier_entry(counter.snapshot(1)),
            protocol.status_entry(status_change(code, "withdrawn", note="Công dân rút hồ sơ")),
        ]
    )
    assert outcomes(results) == ["rejected", "accepted", "accepted"]
    assert results[0]["http_status"] == 404
    assert results[0]["retryable"] is True
    assert results[0]["reason"]["code"] == "unknown_dossier"
    changes = counter.all_changes()
    assert [(c["kind"], c["status"], c["status_code"]) for c in changes] == [
        ("status", "received", 2),
        ("status", "withdrawn", 7),
    ]
    assert changes[1]["note"] == "Công dân rút hồ sơ"
    # The unknown-dossier refusal was not recorded against its key: sent again now, it is
    # judged again (and the move is refused: withdrawn is final).
    [again] = counter.push_ok([protocol.status_entry(status_change(code, "returned"))])
    assert again["outcome"] == "conflict"
    assert again["reason"]["current_status"] == "withdrawn"


def test_the_portals_status_wins(counter: CounterClient) -> None:
    code = counter.code(1)
    counter.push_ok([protocol.dossier_entry(counter.snapshot(1))])
    admin_ok(counter.server.db_url, "set-status", code, "processing")
    admin_ok(counter.server.db_url, "set-status", code, "done", "--note", "Đã ký")
    # The counter, still believing "received", records a withdrawal: the portal refuses it.
    [result] = counter.push_ok([protocol.status_entry(status_change(code, "withdrawn"))])
    assert result["outcome"] == "conflict"
    assert result["http_status"] == 409
    assert result["reason"]["code"] == "status_conflict"
    assert result["reason"]["current_status"] == "done"
    items = counter.http.get(counter.api + "/attention", timeout=10).json()["items"]
    assert [i["reason"]["code"] for i in items] == ["status_conflict"]
    # A citizen's rating waits for the hand-back: before it, a conflict.
    rating = {"code": code, "level": "satisfied", "reason": "", "at": "2026-11-27T10:00:00+07:00"}
    [early] = counter.push_ok([protocol.rating_entry(rating)])
    assert (early["outcome"], early["reason"]["current_status"]) == ("conflict", "done")
    # Handing back the result is the counter's move and is accepted.
    [handed] = counter.push_ok([protocol.status_entry(status_change(code, "returned"))])
    assert handed["outcome"] == "accepted"
    # Then the rating is taken; "unsatisfied" without its reason is not, and neither is a
    # change of the dossier's in the feed.
    bare = {**rating, "level": "unsatisfied"}
    raw = {"key": protocol.new_key(), "kind": "rating", "data": bare}
    results = counter.push_ok([protocol.rating_entry(rating), raw])
    assert outcomes(results) == ["accepted", "rejected"]
    assert results[1]["reason"]["field"] == "data.reason"
    detail = counter.http.get(f"{counter.api}/dossiers/{code}", timeout=10).json()
    assert (detail["status"], detail["status_code"]) == ("returned", 10)
    assert [(h["status"], h["source"]) for h in detail["history"]] == [
        ("received", "counter"),
        ("processing", "portal"),
        ("done", "portal"),
        ("returned", "counter"),
    ]


def test_a_status_the_portal_already_has_is_accepted(counter: CounterClient) -> None:
    code = counter.code(1)
    counter.push_ok([protocol.dossier_entry(counter.snapshot(1))])
    admin_ok(counter.server.db_url, "set-status", code, "processing")
    [result] = counter.push_ok([protocol.status_entry(status_change(code, "processing"))])
    assert result["outcome"] == "accepted"
    assert [c["status"] for c in counter.all_changes()] == ["received", "processing"]


def test_due_changes(counter: CounterClient) -> None:
    code = counter.code(1)
    counter.push_ok([protocol.dossier_entry(counter.snapshot(1))])
    due = {
        "code": code,
        "due_at": "2026-12-02T16:30:00+07:00",
        "reason": "Chờ kết quả xác minh",
        "at": "2026-11-27T08:00:00+07:00",
        "by": "canbo1",
    }
    early = {**due, "due_at": "2026-11-20T08:00:00+07:00"}
    results = counter.push_ok([protocol.due_entry(due), protocol.due_entry(early)])
    assert outcomes(results) == ["accepted", "rejected"]
    assert results[1]["reason"]["field"] == "data.due_at"
    last = counter.all_changes()[-1]
    assert (last["kind"], last["due_at"], last["note"], last["status"]) == (
        "due",
        "2026-12-02T16:30:00+07:00",
        "Chờ kết quả xác minh",
        "received",
    )
    admin_ok(counter.server.db_url, "set-status", code, "rejected", "--force")
    [closed] = counter.push_ok([protocol.due_entry({**due, "due_at": "2026-12-03T16:30:00+07:00"})])
    assert closed["outcome"] == "conflict"
    assert closed["reason"]["code"] == "dossier_closed"


def test_another_agencys_dossier_is_forbidden(new_counter: Callable[..., CounterClient]) -> None:
    mine = new_counter()
    theirs = new_counter()
    results = mine.push_ok(
        [
            protocol.dossier_entry(theirs.snapshot(1)),  # their code, their agency
            # their code, my agency (inconsistent: the client-side builder would refuse it)
            {
                "key": protocol.new_key(),
                "kind": "dossier",
                "data": mine.snapshot(2, code=theirs.code(2)),
            },
            protocol.status_entry(status_change(theirs.code(3), "withdrawn")),
        ]
    )
    assert outcomes(results) == ["rejected", "rejected", "rejected"]
    assert [r["http_status"] for r in results] == [403, 422, 403]
    assert results[0]["reason"]["code"] == "wrong_agency"
    theirs.push_ok([protocol.dossier_entry(theirs.snapshot(4))])
    response = mine.http.get(f"{mine.api}/dossiers/{theirs.code(4)}", timeout=10)
    assert response.status_code == 404  # as if it did not exist: its code is not revealed
    assert response.json()["error"]["code"] == "not_found"
    assert mine.all_changes() == []


def test_two_counters_of_one_agency_see_but_do_not_move_each_others_dossiers(
    new_counter: Callable[..., CounterClient],
) -> None:
    one = new_counter()
    two = new_counter(agency_code=one.agency_code, counter_no=2)
    one.push_ok([protocol.dossier_entry(one.snapshot(1))])
    [result] = two.push_ok([protocol.status_entry(status_change(one.code(1), "withdrawn"))])
    assert (result["outcome"], result["http_status"]) == ("rejected", 403)
    assert result["reason"]["code"] == "wrong_counter"
    changes = two.all_changes()
    assert [(c["code"], c["status"], c["counter_no"]) for c in changes] == [
        (one.code(1), "received", 1)
    ]


def test_authentication(server: PortalServer, counter: CounterClient) -> None:
    url = counter.api + "/entries"
    body = {"entries": []}
    token_id, _secret = counter.token.split(".")
    wrong = f"{token_id}.{'A' * 43}"
    for headers in (
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer nonsense"},
        {"Authorization": f"Bearer {wrong}"},
        {"Authorization": f"Basic {counter.token}"},
    ):
        response = requests.post(url, json=body, headers=headers, timeout=10)
        assert response.status_code == 401, headers
        assert response.json()["error"]["code"] == "unauthorized"
        assert response.headers["www-authenticate"].startswith("Bearer")
    for path in ("/changes", "/attention", "/master/catalog", "/master/calendar", "/master/office"):
        assert requests.get(counter.api + path, timeout=10).status_code == 401
    ok = requests.post(
        url, json=body, headers={"Authorization": f"Bearer {counter.token}"}, timeout=10
    )
    assert ok.status_code == 200


def test_rotated_and_disabled_tokens(counter: CounterClient) -> None:
    db = counter.server.db_url
    args = ("--agency-code", counter.agency_code, "--counter-no", "1")
    new_token = admin_ok(db, "rotate-token", *args).strip()
    assert new_token != counter.token
    assert counter.push([]).status_code == 401
    fresh = {"Authorization": f"Bearer {new_token}"}
    assert requests.post(
        counter.api + "/entries", json={"entries": []}, headers=fresh, timeout=10
    ).ok
    status, _, _ = run_admin(db, "disable-counter", *args)
    assert status == 0
    response = requests.get(counter.api + "/changes", headers=fresh, timeout=10)
    assert response.status_code == 401


def test_concurrent_pushes_record_each_entry_once(counter: CounterClient) -> None:
    entries = [protocol.dossier_entry(counter.snapshot(n)) for n in range(1, 61)]
    results: list[list[dict[str, Any]]] = []
    errors: list[BaseException] = []

    def push() -> None:
        with requests.Session() as http:
            http.headers["Authorization"] = f"Bearer {counter.token}"
            try:
                response = http.post(
                    counter.api + "/entries", json={"entries": entries}, timeout=60
                )
                assert response.status_code == 200, response.text
                results.append(response.json()["results"])
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=push) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    per_entry = list(zip(*results, strict=True))
    for answers in per_entry:
        assert sorted(a["outcome"] for a in answers) == [
            "accepted",
            "duplicate",
            "duplicate",
            "duplicate",
        ]
        assert len({a["accepted_at"] for a in answers}) == 1
    assert len(counter.all_changes()) == 60


def test_a_batch_written_in_bulk_stores_what_sqlalchemy_would(
    tmp_path: Any, backend: str, new_db_url: Callable[[str], str]
) -> None:
    """The push's own bulk writers bind each value by its column's type, as SQLAlchemy's
    insert does: on SQLite (one executemany) the same text for every column, times and JSON
    included; on PostgreSQL (one COPY of the rows) the same values.
    A snapshot given as the canonical text the content hash was made from, less the lookup
    key, is stored as that text and reads back as the data without its lookup key."""
    import json
    import sqlite3
    from typing import cast

    from sqlalchemy import Table, create_engine, insert, select

    from portal.bulk import JSONText, copy_rows, executemany, less_member
    from portal.models import Agency, Base, Counter, Dossier

    table = cast(Table, Dossier.__table__)
    moment = protocol.parse_datetime("2026-11-26T09:00:00.123456+07:00")
    entry = protocol.validate_entry(protocol.dossier_entry(counter_snapshot()))
    stored = less_member(entry.canonical, "lookup_key", entry.data["lookup_key"])
    assert isinstance(stored, JSONText)
    assert json.loads(stored) == {k: v for k, v in entry.data.items() if k != "lookup_key"}

    def row(code: str, snapshot: Any = None) -> dict[str, Any]:
        return {
            "code": code, "agency_id": 1, "counter_id": 1, "counter_no": 1,
            "procedure_code": "1.001193", "procedure_name": "Thủ tục đăng ký khai sinh",
            "applicant_name": "Nguyễn Thị Ánh Tuyết", "applicant_id_number": "",
            "channel": "direct", "received_at": moment, "lookup_key_hash": "h",
            "content_hash": "c", "snapshot": snapshot or {"tên": "Đông", "n": [1, None]},
            "created_at": moment, "status": "received", "due_at": moment, "closed_at": None,
            "updated_at": moment,
        }  # fmt: skip

    if backend == "postgresql":
        engine = create_engine(new_db_url("bulk"))
        Base.metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(insert(Agency), {"id": 1, "code": "A", "name": "A", **_made(moment)})
            conn.execute(
                insert(Counter),
                {"id": 1, "agency_id": 1, "counter_no": 1, "token_id": "t", "token_hash": "h"}
                | {"created_at": moment, "token_issued_at": moment},
            )
            conn.execute(insert(table), [row("A")])
            copy_rows(conn, table, [row("B"), row("C", stored)])
            rows = conn.execute(select(table).order_by(table.c.code)).mappings().all()
        engine.dispose()
        by_sqlalchemy, in_bulk, as_text = ({k: v for k, v in r.items() if k != "id"} for r in rows)
        assert {**by_sqlalchemy, "code": "B"} == in_bulk
        assert as_text["snapshot"] == json.loads(stored)
        assert in_bulk["received_at"] == moment
        return
    path = tmp_path / "bulk.db"
    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(table), [row("A")])
        executemany(conn, table, [row("B"), row("C", stored)])
    engine.dispose()
    with sqlite3.connect(path) as raw:
        by_sqlalchemy, in_bulk, as_text = raw.execute(
            "SELECT * FROM dossiers ORDER BY code"
        ).fetchall()
    assert by_sqlalchemy[2:] == in_bulk[2:]
    assert "2026-11-26 02:00:00.123456" in in_bulk
    assert str(stored) in as_text


def _made(moment: Any) -> dict[str, Any]:
    return {"created_at": moment, "updated_at": moment}


def counter_snapshot() -> dict[str, Any]:
    from portal_testkit import snapshot

    return snapshot("000.00.36.H62", 1)
