"""How the audit trail is stored. Revision 0021: a row keeps its own hash as 32 bytes and not
the previous row's; going back to 0019 writes the previous row's hash into each row again,
and coming back gives the very same hashes. Revision 0022: a row names its kind and its
dossier by number (``audit_rows``), and the view ``audit_log`` gives it back in full.
Revision 0023: a receipt's row and a status change's keep their details as their values,
which the view writes back as the text they were."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from alembic import command

from counter import audit
from counter.clock import from_stored
from counter.db import alembic_config, current_revision, head_revision
from counter.storage import AUDIT_KIND_NUMBERS, AUDIT_KINDS, STATUS
from tests.conftest import Cli

BIRTH = "1.001193"


def _rows(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT * FROM audit_log ORDER BY id").fetchall()


def test_a_row_keeps_its_own_hash_as_bytes_and_its_chain_links(cli: Cli):
    for name in ("Lò Văn Pầu", "Đinh Thị Ơn"):
        cli.json("receive", "--procedure", BIRTH, "--applicant-name", name, user="clerk")
    db = cli.data_dir / "counter.db"
    with sqlite3.connect(db) as conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(audit_log)")]
        rows = conn.execute(
            "SELECT at, actor, action, entity, entity_key, details, state, hash FROM audit_log "
            "ORDER BY id"
        ).fetchall()
    assert "prev_hash" not in columns and len(rows) > 3
    prev = audit.GENESIS
    states = 0
    for at, actor, action, entity, key, details, state, digest in rows:
        assert isinstance(digest, bytes) and len(digest) == 32
        assert '"state"' not in details  # kept apart, as bytes
        if entity == "dossier":
            assert isinstance(state, bytes) and len(state) == 32
            states += 1
        full = audit.hashed_details(details, state)
        assert digest.hex() == audit.entry_hash(
            prev, from_stored(at), actor, action, entity, key, full
        )
        prev = digest.hex()
    assert states == 2


def _withdrawn_copy(cli: Cli, tmp_path: Path) -> tuple[str, Path]:
    """A dossier received then withdrawn; a backup of the database (its code, the copy)."""
    code = cli.json(
        "receive", "--procedure", BIRTH, "--applicant-name", "Vi Văn Ưng", user="clerk"
    )["code"]
    cli.ok("set-status", code, "withdrawn", "--note", "Xin rút", user="clerk")
    copy = tmp_path / "copy.db"
    cli.ok("backup", "-o", str(copy))
    return code, copy


def test_going_back_to_0019_and_up_again_keeps_every_hash(cli: Cli, tmp_path: Path):
    code, copy = _withdrawn_copy(cli, tmp_path)
    now = _rows(copy)
    command.downgrade(alembic_config(copy), "0019")
    with sqlite3.connect(copy) as conn:
        old = conn.execute("SELECT id, prev_hash, hash FROM audit_log ORDER BY id").fetchall()
    assert [r[0] for r in old] == [r[0] for r in now]
    assert [r[2] for r in old] == [r[-1].hex() for r in now]  # hex again, the same hashes
    assert [r[1] for r in old] == [audit.GENESIS] + [r[2] for r in old[:-1]]  # each links
    with sqlite3.connect(copy) as conn:
        trail = conn.execute(
            "SELECT details FROM audit_log WHERE entity_key = ? ORDER BY id", (code,)
        ).fetchall()
    assert len(trail) == 2 and all(len(json.loads(d)["state"]) == 64 for (d,) in trail)
    command.upgrade(alembic_config(copy), "head")
    assert current_revision(copy) == head_revision()
    assert _rows(copy) == now
    with sqlite3.connect(copy) as conn:
        triggers = {
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_rows'"
            )
        }
    assert triggers == {"audit_rows_no_update", "audit_rows_no_delete"}


def test_a_hash_that_is_not_hex_stops_the_upgrade_and_changes_nothing(cli: Cli, tmp_path: Path):
    cli.json("receive", "--procedure", BIRTH, "--applicant-name", "Lò Văn Pầu", user="clerk")
    copy = tmp_path / "copy.db"
    cli.ok("backup", "-o", str(copy))
    command.downgrade(alembic_config(copy), "0019")
    with sqlite3.connect(copy) as conn:
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET hash = 'not a hash' WHERE id = 1")
    before = _rows(copy)
    try:
        command.upgrade(alembic_config(copy), "head")
    except ValueError as exc:
        assert "row 1" in str(exc)
    else:
        raise AssertionError("the upgrade went on over a hash that is not hex")
    assert current_revision(copy) == "0019" and _rows(copy) == before


def test_details_not_in_canonical_text_are_kept_as_they_are_and_still_check(
    cli: Cli, tmp_path: Path
):
    """A row written by hand at 0019 whose details are not the canonical text (spaces) keeps
    them whole through the upgrade, state and all: its hash still follows from what is stored."""
    cli.json("receive", "--procedure", BIRTH, "--applicant-name", "Đinh Thị Ơn", user="clerk")
    code = cli.json(
        "receive", "--procedure", BIRTH, "--applicant-name", "Lò Văn Pầu", user="clerk"
    )["code"]
    copy = tmp_path / "copy.db"
    cli.ok("backup", "-o", str(copy))
    command.downgrade(alembic_config(copy), "0019")
    with sqlite3.connect(copy) as conn:
        conn.execute("DROP TRIGGER audit_log_no_update")
        (row_id, details) = conn.execute(
            "SELECT id, details FROM audit_log WHERE entity_key = ? ORDER BY id DESC LIMIT 1",
            (code,),
        ).fetchone()
        spaced = json.dumps(json.loads(details), ensure_ascii=False, sort_keys=True)
        assert spaced != details and '"state"' in spaced
        conn.execute("UPDATE audit_log SET details = ? WHERE id = ?", (spaced, row_id))
        prev = audit.GENESIS
        for i, at, actor, action, entity, key, text in conn.execute(
            "SELECT id, at, actor, action, entity, entity_key, details FROM audit_log ORDER BY id"
        ).fetchall():
            h = audit.entry_hash(prev, from_stored(at), actor, action, entity, key, text)
            conn.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", (prev, h, i))
            prev = h
    command.upgrade(alembic_config(copy), "head")
    with sqlite3.connect(copy) as conn:
        kept = conn.execute(
            "SELECT details, state FROM audit_log WHERE id = ?", (row_id,)
        ).fetchone()
        others = conn.execute(
            "SELECT count(*) FROM audit_log WHERE entity = 'dossier' AND state IS NOT NULL"
        ).fetchone()[0]
    assert kept == (spaced, None) and others >= 1
    cli.ok("restore", str(copy), user="admin")
    assert cli.json("check")["ok"] is True


def test_the_details_as_stored_give_back_the_text_the_hash_covers():
    """``chained`` keeps a digest state apart; ``hashed_details`` gives back, byte for byte,
    the canonical text the row's hash was made over, whatever else the details hold. A state
    that would not come back the same (upper case, not hex) stays in the details."""
    digest = "ab" * 32
    cases = [
        {"state": digest},
        {"state": digest, "note": 'Hẹn "lại"\n\x1f', "to": "processing", "n": 1.5e16},
        {"state": digest, "z": [1, {"b": None, "a": True}], "ê": "Ê"},
        {"a": 1, "state": digest},
        {"state": digest, "x": {"state": digest}},  # the same member nested: written again
        {"note": f'"state":"{digest}"', "state": digest},  # its text inside a string
        {"state": digest.upper(), "note": "x"},
        {"state": "g" * 64},
        {"state": digest[:-2]},
        {"state": 7},
        {"note": "no state"},
        {},
    ]
    for details in cases:
        line = audit.chained(
            audit.GENESIS, from_stored(1764374400), "clerk", "a", "e", "k", details
        )
        kept_apart = line["state"] is not None
        assert kept_apart == (details.get("state") == digest), details
        if kept_apart:
            rest = {k: v for k, v in details.items() if k != "state"}
            assert line["details"] == audit.canonical(rest), details
        text = audit.hashed_details(line["details"], line["state"])
        assert text == audit.canonical(details), details
        assert line["hash"].hex() == audit.entry_hash(
            audit.GENESIS, from_stored(1764374400), "clerk", "a", "e", "k", text
        )


def test_a_row_names_its_kind_and_its_dossier_by_number(cli: Cli):
    """A row of a common kind about a dossier keeps neither its action, its entity nor the
    dossier's code as text; a row of another kind keeps them; the view gives every row in
    full, and ``check`` passes."""
    code = cli.json(
        "receive", "--procedure", BIRTH, "--applicant-name", "Lò Văn Pầu", user="clerk"
    )["code"]
    cli.ok("set-status", code, "withdrawn", "--note", "Xin rút", user="clerk")
    with sqlite3.connect(cli.data_dir / "counter.db") as conn:
        (dossier_id,) = conn.execute("SELECT id FROM dossiers WHERE code = ?", (code,)).fetchone()
        stored = conn.execute(
            "SELECT kind, action, entity, dossier_id, entity_key FROM audit_rows ORDER BY id"
        ).fetchall()
        full = conn.execute(
            "SELECT action, entity, entity_key FROM audit_log ORDER BY id"
        ).fetchall()
    about_it = [row for row, (_, _, key) in zip(stored, full, strict=True) if key == code]
    assert about_it == [
        (AUDIT_KIND_NUMBERS["dossier.receive", "dossier"], None, None, dossier_id, None),
        (AUDIT_KIND_NUMBERS["dossier.status", "dossier"], None, None, dossier_id, None),
    ]
    others = [(row, whole) for row, whole in zip(stored, full, strict=True) if row[0] is None]
    assert others and all(row[1:3] == whole[:2] and row[4] == whole[2] for row, whole in others)
    assert ("user.add", "user", "clerk") in full
    assert cli.json("check")["ok"] is True


def test_going_back_to_0021_and_up_again_gives_the_same_rows(cli: Cli, tmp_path: Path):
    _, copy = _withdrawn_copy(cli, tmp_path)
    now = _rows(copy)
    command.downgrade(alembic_config(copy), "0021")
    with sqlite3.connect(copy) as conn:
        kind = conn.execute("SELECT type FROM sqlite_master WHERE name = 'audit_log'").fetchone()
        gone = conn.execute(
            "SELECT name FROM sqlite_master WHERE name IN ('audit_rows', 'audit_kinds')"
        ).fetchall()
    assert kind == ("table",) and gone == []
    assert _rows(copy) == now
    command.upgrade(alembic_config(copy), "head")
    assert _rows(copy) == now


def test_a_dossier_s_prints_are_counted_by_their_index(cli: Cli, tmp_path: Path):
    """Each print's copy number comes from counting the dossier's earlier prints: by the
    index of prints, not by reading the whole trail."""
    code = cli.json(
        "receive", "--procedure", BIRTH, "--applicant-name", "Đinh Thị Ơn", user="clerk"
    )["code"]
    for copy in (1, 2):
        cli.ok("print", "receipt", code, "-o", str(tmp_path / f"r{copy}.pdf"), user="clerk")
    with sqlite3.connect(cli.data_dir / "counter.db") as conn:
        copies = [
            json.loads(d)["copy"]
            for (d,) in conn.execute(
                "SELECT details FROM audit_log WHERE action = 'dossier.print' ORDER BY id"
            )
        ]
        plan = " ".join(
            str(r[-1])
            for r in conn.execute(
                "EXPLAIN QUERY PLAN SELECT count(*) FROM audit_rows "
                "WHERE kind = ? AND dossier_id = ?",
                (AUDIT_KIND_NUMBERS["dossier.print", "dossier"], 1),
            )
        )
    assert copies == [1, 2]
    assert "ix_audit_rows_prints" in plan


def test_the_kinds_table_holds_the_kinds_the_code_names(tmp_path: Path):
    """``audit_kinds`` as the migrations make it is ``AUDIT_KINDS``: a kind added to one is
    added to the other."""
    from sqlalchemy import create_engine, select

    from counter.db import migrate
    from counter.models import AuditKind

    db = tmp_path / "k.db"
    migrate(db, None)
    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            query = select(AuditKind.id, AuditKind.action, AuditKind.entity)
            rows = conn.execute(query.order_by(AuditKind.id)).all()
    finally:
        engine.dispose()
    assert {i: (a, e) for i, a, e in rows} == AUDIT_KINDS


def test_the_dossiers_made_anew_by_a_later_migration_with_the_view_dropped_first(cli: Cli):
    """What migration 0022 tells a later one: SQLite will not rename a new ``dossiers`` into
    place while the view ``audit_log`` names the table; with the view dropped first and made
    again after, the trail reads and checks as before."""
    cli.json("receive", "--procedure", BIRTH, "--applicant-name", "Lò Văn Pầu", user="clerk")
    db = cli.data_dir / "counter.db"
    before = _rows(db)
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        table, view = (
            conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
            for name in ("dossiers", "audit_log")
        )
        conn.execute("PRAGMA foreign_keys = OFF")

        def made_anew() -> None:
            conn.execute(table.replace('CREATE TABLE "dossiers"', "CREATE TABLE dossiers_new"))
            conn.execute("INSERT INTO dossiers_new SELECT * FROM dossiers")
            conn.execute("DROP TABLE dossiers")
            conn.execute("ALTER TABLE dossiers_new RENAME TO dossiers")

        conn.execute("BEGIN")
        try:
            made_anew()
        except sqlite3.OperationalError as exc:
            assert "audit_log" in str(exc)
        else:
            raise AssertionError("the rename went through with the view naming a missing table")
        conn.execute("ROLLBACK")
        conn.execute("BEGIN")
        conn.execute("DROP VIEW audit_log")
        made_anew()
        conn.execute(view)
        conn.execute("COMMIT")
    finally:
        conn.close()
    assert _rows(db) == before
    assert cli.json("check")["ok"] is True


def _stored_details(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT r.kind, r.details, r.detail_a, r.detail_b, r.detail_text, v.details "
            "FROM audit_rows AS r JOIN audit_log AS v ON v.id = r.id ORDER BY r.id"
        ).fetchall()


def test_receipts_and_status_changes_keep_their_details_as_values(cli: Cli):
    """A receipt's row keeps its due moment, demo flag and procedure; a status change's its
    statuses by number and its note (Vietnamese as it is); a note the view could not write
    back as it was (a quote) keeps the text. The view gives every row's text, and ``check``
    passes over them."""
    codes = [
        cli.json("receive", "--procedure", BIRTH, "--applicant-name", name, user="clerk")["code"]
        for name in ("Lò Văn Pầu", "Đinh Thị Ơn")
    ]
    cli.ok("set-status", codes[0], "withdrawn", "--note", "Xin rút hồ sơ", user="clerk")
    cli.ok("set-status", codes[1], "withdrawn", "--note", 'Xin rút "tờ khai"', user="clerk")
    receive, status = (
        AUDIT_KIND_NUMBERS[action, "dossier"] for action in ("dossier.receive", "dossier.status")
    )
    rows = [row for row in _stored_details(cli.data_dir / "counter.db") if row[0] in (1, 2)]
    quoted = '{"from":"received","note":"Xin rút \\"tờ khai\\"","to":"withdrawn"}'
    assert [(kind, details) for kind, details, *_ in rows] == [
        (receive, ""),
        (receive, ""),
        (status, ""),
        (status, quoted),
    ]
    (_, _, due, demo, procedure, text), _, (_, _, before, after, note, said), quote = rows
    assert (demo, procedure) == (0, BIRTH) and json.loads(text)["procedure"] == BIRTH
    assert json.loads(text)["due_at"] == from_stored(due).isoformat()
    assert (STATUS.words[before], STATUS.words[after], note) == (
        "received",
        "withdrawn",
        "Xin rút hồ sơ",
    )
    assert said == '{"from":"received","note":"Xin rút hồ sơ","to":"withdrawn"}'
    assert quote[2:] == (None, None, None, quoted)
    assert cli.json("check")["ok"] is True


def test_the_view_writes_back_what_compact_kept_for_any_value(tmp_path: Path):
    """``audit.compact`` keeps a row's values only when the view (migration 0023) writes its
    text back exactly, whatever the note or the moment: rows made by ``chained`` for every
    status, notes of every sort of character and due moments from 1971 to 9998, written to
    a real database and read back through the view."""
    from counter.db import migrate

    db = tmp_path / "v.db"
    migrate(db, None)
    notes = [
        "",
        "Xin rút",
        'Hẹn "lại"',
        "a\\b",
        "dòng\nmới",
        "tab\there",
        "\x7f",
        "\u2028",
        "😀 ổn",
        "'",
    ]
    dues = [
        "1971-01-01T07:00:00+07:00",
        "2026-11-30T16:59:59+07:00",
        "9998-12-31T23:59:59+07:00",
        "2026-11-30T17:00:00+00:00",
        "2026-11-30T17:00:00.5+07:00",
        "2026-02-30T17:00:00+07:00",
    ]
    cases = [
        ("dossier.status", {"from": a, "to": b, "note": n})
        for a in STATUS.words
        for b in ("done", "withdrawn")
        for n in notes
    ]
    cases += [
        ("dossier.status", {"from": "received", "to": "nowhere", "note": ""}),
        ("dossier.status", {"from": "received", "to": "done", "note": 1}),
        ("dossier.status", {"from": "received", "to": "done", "note": "", "x": 1}),
    ]
    cases += [
        ("dossier.receive", {"demo": demo, "due_at": due, "procedure": p})
        for demo in (False, True)
        for due in dues
        for p in (BIRTH, 'a"b', "1.00 ư")
    ]
    cases += [("dossier.receive", {"demo": 0, "due_at": dues[1], "procedure": BIRTH})]
    conn = sqlite3.connect(db)
    prev, kept, expected = audit.GENESIS, 0, []
    columns = (
        "at",
        "actor",
        "kind",
        "action",
        "entity",
        "dossier_id",
        "entity_key",
        "details",
        "detail_a",
        "detail_b",
        "detail_text",
        "state",
        "hash",
    )
    for action, details in cases:
        row = audit.chained(prev, from_stored(1764374400), "clerk", action, "dossier", "K", details)
        kept += row["details"] == ""
        values = [row[c] for c in columns]
        values[0] = 1764374400
        conn.execute(
            f"INSERT INTO audit_rows ({', '.join(columns)}) VALUES ({', '.join('?' * 13)})",
            values,
        )
        prev = audit.link(row)
        expected.append(audit.canonical(details))
    conn.commit()
    read = [d for (d,) in conn.execute("SELECT details FROM audit_log ORDER BY id")]
    conn.close()
    assert read == expected
    assert 100 < kept < len(cases)  # most kept as values, the others as text


def test_going_back_to_0022_and_up_again_keeps_the_rows_and_their_values(cli: Cli, tmp_path: Path):
    """Down to 0022 every row's text is written again; up again the same rows are kept as
    their values, and the view gives the same rows throughout."""
    _, copy = _withdrawn_copy(cli, tmp_path)
    now, stored = _rows(copy), _stored_details(copy)
    assert any(details == "" for _, details, *_ in stored)
    command.downgrade(alembic_config(copy), "0022")
    with sqlite3.connect(copy) as conn:
        texts = [d for (d,) in conn.execute("SELECT details FROM audit_rows ORDER BY id")]
        columns = [r[1] for r in conn.execute("PRAGMA table_info(audit_rows)")]
    assert "" not in texts and "detail_a" not in columns
    assert _rows(copy) == now
    command.upgrade(alembic_config(copy), "head")
    assert _rows(copy) == now and _stored_details(copy) == stored
    cli.ok("restore", str(copy), user="admin")
    assert cli.json("check")["ok"] is True


def test_a_row_s_text_the_view_would_not_give_back_stays_text_through_the_upgrade(
    cli: Cli, tmp_path: Path
):
    """A status change's row written at 0022 with its members in another order, or a
    receipt's with a due moment of another offset, keeps its text; the upgrade checks every
    row reads back as it was."""
    _, copy = _withdrawn_copy(cli, tmp_path)
    command.downgrade(alembic_config(copy), "0022")
    odd = {
        2: '{"to":"withdrawn","from":"received","note":""}',
        1: '{"demo":false,"due_at":"2026-12-01T10:00:00+00:00","procedure":"1.001193"}',
    }
    with sqlite3.connect(copy) as conn:
        conn.execute("DROP TRIGGER audit_rows_no_update")
        for kind, text in odd.items():
            conn.execute(
                "UPDATE audit_rows SET details = ? WHERE id = "
                "(SELECT max(id) FROM audit_rows WHERE kind = ?)",
                (text, kind),
            )
    before = _rows(copy)
    command.upgrade(alembic_config(copy), "head")
    assert _rows(copy) == before
    kept = {(kind, details) for kind, details, *_ in _stored_details(copy)}
    assert set(odd.items()) <= kept
