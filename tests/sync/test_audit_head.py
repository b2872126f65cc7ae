"""The head of the counter's audit trail goes to the portal with each sync round; the
portal keeps it and the counter keeps it as an anchor ``check`` holds the chain to."""

from __future__ import annotations

import json
import sqlite3

import requests
from portal_testkit import admin_ok, run_admin
from synckit import AGENCY, register_counter
from test_sync_cli import _configure, _receive

from tests.tamper import behind_its_back, recompute_chain


def test_each_round_leaves_the_head_with_the_portal(cli, portal, token, tmp_path):
    _configure(cli, portal.url, token)
    _receive(cli, tmp_path, 2)
    cli.ok("sync", "--once")
    conn = sqlite3.connect(cli.data_dir / "counter.db")
    try:
        anchored = conn.execute(
            "SELECT row_id, hash FROM audit_anchors WHERE witness = 'portal'"
        ).fetchall()
        last = conn.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        conn.close()
    assert anchored, "no head was anchored after the round"
    kept = requests.get(
        f"{portal.url}/api/v1/audit-head",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()
    assert (kept["row_id"], kept["hash"]) == anchored[-1]
    assert anchored[-1][0] <= last[0]
    assert cli.json("check")["ok"] is True

    # the chain recomputed on the PC after the round no longer matches what the portal has
    with behind_its_back(cli.data_dir / "counter.db") as conn:
        conn.execute("UPDATE audit_rows SET actor = 'x' WHERE id = 1")
        recompute_chain(conn)
    line = cli.refused("check")
    assert "cổng dịch vụ công" in line


def test_the_heads_the_portal_kept_catch_a_trail_rewritten_with_its_anchors(
    cli, portal, token, tmp_path
):
    """Someone with the counter's file recomputes the chain and the heads kept on the PC with
    it: the counter's own ``check`` then passes; held to the heads the portal kept (``admin
    audit-heads --json``, ``check --portal-heads``), it does not."""
    _configure(cli, portal.url, token)
    _receive(cli, tmp_path, 2)
    cli.ok("sync", "--once")
    _receive(cli, tmp_path, 1)
    cli.ok("sync", "--once")  # a second round, a second head
    heads = tmp_path / "heads.json"
    heads.write_text(
        admin_ok(
            portal.db_url, "--json", "audit-heads", "--agency-code", AGENCY, "--counter-no", "1"
        ),
        encoding="utf-8",
    )
    kept = json.loads(heads.read_text(encoding="utf-8"))
    assert (kept["agency_code"], kept["counter_no"]) == (AGENCY, 1)
    assert len(kept["heads"]) == 2 and kept["heads"][0]["row_id"] < kept["heads"][1]["row_id"]
    listed = admin_ok(portal.db_url, "audit-heads", "--agency-code", AGENCY, "--counter-no", "1")
    assert all(h["hash"] in listed for h in kept["heads"])

    report = cli.json("check", "--portal-heads", str(heads))
    assert report["ok"] is True and report["portal_heads"] == 2
    assert "khớp 2 mốc cổng đã giữ" in cli.ok("check", "--portal-heads", str(heads)).stdout

    with behind_its_back(cli.data_dir / "counter.db") as conn:
        conn.execute("UPDATE audit_rows SET actor = 'x' WHERE id = 1")
        recompute_chain(conn)
        # the anchors kept on the PC rewritten to the recomputed chain as well
        (guard,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'audit_anchors_no_update'"
        ).fetchone()
        conn.execute("DROP TRIGGER audit_anchors_no_update")
        conn.execute(
            "UPDATE audit_anchors SET hash = "
            "(SELECT lower(hex(r.hash)) FROM audit_rows r WHERE r.id = audit_anchors.row_id)"
        )
        conn.execute(guard)
    assert cli.json("check")["ok"] is True  # what the PC keeps no longer tells
    line = cli.refused("check", "--portal-heads", str(heads))
    first = kept["heads"][0]
    assert f"dòng {first['row_id']} đã bị tính lại" in line
    assert f"nhận lúc {first['received_at']}" in line


def test_check_refuses_a_heads_file_that_is_not_this_counters(cli, portal, token, tmp_path):
    _configure(cli, portal.url, token)
    _receive(cli, tmp_path, 1)
    cli.ok("sync", "--once")
    register_counter(portal, 2)
    other = tmp_path / "other.json"
    other.write_text(
        admin_ok(
            portal.db_url, "--json", "audit-heads", "--agency-code", AGENCY, "--counter-no", "2"
        ),
        encoding="utf-8",
    )
    assert "quầy số 2" in cli.refused("check", "--portal-heads", str(other))
    for bad in ("không phải JSON", '{"heads": [{"row_id": "1"}]}', '{"heads": []}', "[]"):
        (tmp_path / "bad.json").write_text(bad, encoding="utf-8")
        assert "không đúng dạng" in cli.refused(
            "check", "--portal-heads", str(tmp_path / "bad.json")
        )
    assert "Không đọc được" in cli.refused("check", "--portal-heads", str(tmp_path / "none.json"))
    # a counter the portal does not know: refused there, named
    status, _, err = run_admin(
        portal.db_url, "audit-heads", "--agency-code", AGENCY, "--counter-no", "9"
    )
    assert status != 0 and "9" in err


def test_a_head_that_is_not_a_head_is_refused(portal, token):
    answer = requests.put(
        f"{portal.url}/api/v1/audit-head",
        data='{"row_id": 3, "hash": "xyz"}',
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        timeout=30,
    )
    assert answer.status_code == 422
