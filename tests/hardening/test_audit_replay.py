"""``check`` holds the rows to what the audit trail vouches for, and the trail to its anchors:
edits made behind the application's back with sqlite3 are reported, one line, exit 1."""

from __future__ import annotations

import json
import sqlite3
from contextlib import AbstractContextManager
from pathlib import Path
from types import SimpleNamespace

from counter.clock import from_stored
from counter.search import document_of, search_key
from tests import tamper
from tests.conftest import Cli

BIRTH = "1.001193"


def receive(cli: Cli, name: str = "Lò Văn Pầu") -> str:
    return cli.json("receive", "--procedure", BIRTH, "--applicant-name", name, user="clerk")["code"]


def behind_its_back(cli: Cli) -> AbstractContextManager[sqlite3.Connection]:
    return tamper.behind_its_back(cli.data_dir / "counter.db")


def delete_dossier(conn: sqlite3.Connection, code: str) -> None:
    """The dossier and every row of it but its audit trail, deleted with sqlite3."""
    conn.row_factory = sqlite3.Row
    row = conn.execute("SELECT * FROM dossiers WHERE code = ?", (code,)).fetchone()
    dossier_id, key = row["id"], search_key(from_stored(row["received_at"]), row["id"])
    for table in ("outbox", "dossier_history"):
        conn.execute(f"DELETE FROM {table} WHERE dossier_id = ?", (dossier_id,))
    # the index keeps no text: its entry goes by the words it was made of
    conn.execute(
        "INSERT INTO dossier_search (dossier_search, rowid, name, ids) VALUES ('delete', ?, ?, ?)",
        (key, *document_of(SimpleNamespace(**dict(row)))),
    )
    conn.execute("DELETE FROM dossiers WHERE id = ?", (dossier_id,))


def print_daily(cli: Cli, tmp_path: Path) -> None:
    """The supervisor prints the day's summary: the chain's head is written on it."""
    cli.ok("print", "daily", "--date", "2026-11-28", "-o", str(tmp_path / "daily.pdf"), user="boss")


def test_an_honest_history_checks_out(cli: Cli, tmp_path: Path):
    code = receive(cli)
    cli.ok("set-status", code, "processing", user="boss")
    cli.ok("user", "set-role", "clerk", "supervisor", user="admin")
    print_daily(cli, tmp_path)
    cli.ok("set-status", code, "done", user="boss")
    assert cli.json("check")["ok"] is True


def test_a_dossier_edited_with_sqlite3(cli: Cli):
    code = receive(cli)
    with behind_its_back(cli) as conn:
        conn.execute("UPDATE dossiers SET due_at = '2027-01-01T17:00:00+07:00'")
    line = cli.refused("check")
    assert code in line and "sửa ngoài chương trình" in line


def test_a_clerk_raised_to_admin_with_sqlite3(cli: Cli):
    with behind_its_back(cli) as conn:
        conn.execute("UPDATE users SET role = 'admin' WHERE username = 'clerk'")
    line = cli.refused("check")
    assert "clerk" in line and "Tài khoản" in line


def test_a_pending_outbox_payload_edited(cli: Cli):
    code = receive(cli)
    with behind_its_back(cli) as conn:
        (payload,) = conn.execute("SELECT payload FROM outbox").fetchone()
        forged = json.loads(payload)
        forged["applicant_name"] = "Người Khác"
        conn.execute("UPDATE outbox SET payload = ?", (json.dumps(forged, ensure_ascii=False),))
    assert code in cli.refused("check")


def test_the_last_audit_row_deleted(cli: Cli):
    code = receive(cli)
    cli.ok("set-status", code, "withdrawn", "--note", "Xin rút", user="clerk")
    with behind_its_back(cli) as conn:
        conn.execute("DELETE FROM audit_rows WHERE id = (SELECT max(id) FROM audit_rows)")
    # the dossier is withdrawn, but the trail now ends with it received
    assert code in cli.refused("check")


def test_a_row_taken_out_of_the_middle(cli: Cli):
    """A row holds no copy of the previous row's hash: a row taken out shows as the next
    row's hash no longer following from the rows before it."""
    for name in ("Lò Văn Pầu", "Đinh Thị Ơn", "Vi Văn Ưng"):
        receive(cli, name)
    with behind_its_back(cli) as conn:
        (middle,) = conn.execute(
            "SELECT id FROM audit_log WHERE action = 'dossier.receive' ORDER BY id LIMIT 1 OFFSET 1"
        ).fetchone()
        conn.execute("DELETE FROM audit_rows WHERE id = ?", (middle,))
    (after,) = (
        sqlite3.connect(cli.data_dir / "counter.db")
        .execute("SELECT min(id) FROM audit_log WHERE id > ?", (middle,))
        .fetchone()
    )
    line = cli.refused("check")
    assert f"bị sửa tại dòng {after}" in line, line


def test_a_hash_or_a_state_put_there_as_text_is_reported_not_a_crash(cli: Cli):
    """Where the trail keeps bytes, text written by hand is a row that no longer follows."""
    receive(cli)
    with behind_its_back(cli) as conn:
        (row_id,) = conn.execute(
            "SELECT id FROM audit_log WHERE state IS NOT NULL ORDER BY id LIMIT 1"
        ).fetchone()
        conn.execute("UPDATE audit_rows SET state = hex(state) WHERE id = ?", (row_id,))
    assert f"bị sửa tại dòng {row_id}" in cli.refused("check")
    with behind_its_back(cli) as conn:
        conn.execute("UPDATE audit_rows SET hash = 'not a hash' WHERE id = 1")
    assert "bị sửa tại dòng 1" in cli.refused("check")


def test_a_dossier_and_its_trail_deleted_after_an_anchor(cli: Cli, tmp_path: Path):
    receive(cli, "Hà Thị Lan")
    code = receive(cli)
    print_daily(cli, tmp_path)
    with behind_its_back(cli) as conn:
        first = conn.execute(
            "SELECT min(id) FROM audit_log WHERE entity_key = ?", (code,)
        ).fetchone()[0]
        conn.execute("DELETE FROM audit_rows WHERE id >= ?", (first,))
        delete_dossier(conn, code)
    line = cli.refused("check")
    assert "mốc" in line and "báo cáo ngày" in line


def test_a_dossier_deleted_from_under_its_trail(cli: Cli):
    """A row names its dossier by id: with the dossier and all its rows gone (but its trail),
    ``check`` finds the trail's rows naming it (the foreign keys' check comes first), and the
    chain's walk says so at the first such row."""
    from counter import audit
    from counter.app import CounterApp

    receive(cli, "Hà Thị Lan")
    code = receive(cli)
    with behind_its_back(cli) as conn:
        (row_id,) = conn.execute(
            "SELECT min(id) FROM audit_log WHERE entity_key = ?", (code,)
        ).fetchone()
        delete_dossier(conn, code)
    assert "audit_rows" in cli.refused("check")
    app = CounterApp.open(cli.data_dir)
    try:
        with app.db.reading() as s:
            _, problem = audit.verify(s)
    finally:
        app.close()
    assert problem is not None and problem.entry_id == row_id
    assert "không còn trong cơ sở dữ liệu" in problem.message_vi


def test_the_protecting_triggers_dropped(cli: Cli):
    receive(cli)
    conn = sqlite3.connect(cli.data_dir / "counter.db")
    conn.execute("DROP TRIGGER audit_rows_no_delete")
    conn.commit()
    conn.close()
    assert "audit_rows_no_delete" in cli.refused("check")


def test_the_whole_chain_recomputed(cli: Cli, tmp_path: Path):
    """Rows edited, then every hash of the chain recomputed so that it links again: the
    head printed on the daily summary no longer matches."""
    receive(cli)
    print_daily(cli, tmp_path)
    with behind_its_back(cli) as conn:
        conn.execute(
            "UPDATE audit_rows SET actor = 'someone' "
            "WHERE id IN (SELECT id FROM audit_log WHERE action = 'dossier.receive')"
        )
        tamper.recompute_chain(conn)
    line = cli.refused("check")
    assert "mốc" in line and "tính lại" in line


def test_the_daily_summary_shows_the_anchor(cli: Cli, tmp_path: Path):
    receive(cli)
    print_daily(cli, tmp_path)
    conn = sqlite3.connect(cli.data_dir / "counter.db")
    try:
        row_id, digest = conn.execute(
            "SELECT row_id, hash FROM audit_anchors WHERE witness = 'daily'"
        ).fetchone()
    finally:
        conn.close()
    import pypdfium2 as pdfium

    text = pdfium.PdfDocument((tmp_path / "daily.pdf").read_bytes())[0].get_textpage()
    assert f"Mốc nhật ký kiểm tra: {row_id}:{digest[:16]}" in text.get_text_range()
