"""The head of the counter's audit trail goes to the portal with each sync round; the
portal keeps it and the counter keeps it as an anchor ``check`` holds the chain to."""

from __future__ import annotations

import sqlite3

import requests
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


def test_a_head_that_is_not_a_head_is_refused(portal, token):
    answer = requests.put(
        f"{portal.url}/api/v1/audit-head",
        data='{"row_id": 3, "hash": "xyz"}',
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        timeout=30,
    )
    assert answer.status_code == 422
