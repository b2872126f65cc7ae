"""Digitised files on the portal, on each database backend: uploaded in chunks, checked by
hash, stored once, linked to a dossier's paper, listed for officials. (The counter's side,
over a faulty link, is tests/sync/test_sync_files.py.)"""

from __future__ import annotations

import hashlib
import io
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pikepdf
from portal_testkit import CounterClient, PortalServer, admin_ok

import protocol


def a_pdf(pages: int = 2) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def put(counter: CounterClient, sha: str, data: bytes, start: int, total: int):
    end = start + len(data) - 1
    return counter.http.put(
        f"{counter.api}/files/{sha}",
        data=data,
        headers={
            "Content-Range": f"bytes {start}-{end}/{total}",
            "Content-Type": "application/octet-stream",
        },
        timeout=30,
    )


def test_a_file_uploaded_in_chunks_is_checked_stored_once_and_linked(counter: CounterClient):
    [pushed] = counter.push_ok([protocol.dossier_entry(counter.snapshot(1))])
    assert pushed["outcome"] == "accepted"
    content = a_pdf()
    sha = hashlib.sha256(content).hexdigest()
    half = len(content) // 2

    held = counter.http.head(f"{counter.api}/files/{sha}", timeout=30)
    assert held.status_code == 200 and held.headers["Upload-Offset"] == "0"
    assert put(counter, sha, content[:half], 0, len(content)).status_code == 200
    # a chunk that does not start where the portal's copy ends: told the right offset
    wrong = put(counter, sha, content[half + 1 :], half + 1, len(content))
    assert wrong.status_code == 409 and wrong.headers["Upload-Offset"] == str(half)
    done = put(counter, sha, content[half:], half, len(content))
    assert done.status_code == 201, done.text
    assert (
        counter.http.head(f"{counter.api}/files/{sha}", timeout=30).headers["Upload-Complete"]
        == "?1"
    )

    link = {
        "doc": "TK",
        "version": 1,
        "sha256": sha,
        "pages": 2,
        "bytes": len(content),
        "source": "scan",
        "by": "clerk",
        "at": "2026-11-26T09:00:00+07:00",
    }
    url = f"{counter.api}/dossiers/{counter.code(1)}/files"
    assert counter.http.post(url, json=link, timeout=30).status_code == 201
    assert counter.http.post(url, json=link, timeout=30).status_code == 200  # one link

    db = counter.server.db_url
    [listed] = json.loads(admin_ok(db, "files", counter.code(1), "--json"))
    assert (listed["doc"], listed["version"], listed["sha256"], listed["pages"]) == (
        "TK",
        1,
        sha,
        2,
    )
    [dossier] = [
        d
        for d in json.loads(admin_ok(db, "dossiers", "--agency", counter.agency_code, "--json"))
        if d["code"] == counter.code(1)
    ]
    assert dossier["files"] == 1


def test_a_wrong_hash_stores_nothing(counter: CounterClient):
    counter.push_ok([protocol.dossier_entry(counter.snapshot(1))])
    content = a_pdf(1)
    claimed = hashlib.sha256(content + b"x").hexdigest()
    refused = put(counter, claimed, content, 0, len(content))
    assert refused.status_code == 422 and "hash_mismatch" in refused.text
    held = counter.http.head(f"{counter.api}/files/{claimed}", timeout=30)
    assert held.headers["Upload-Offset"] == "0" and held.headers["Upload-Complete"] == "?0"
    link = {
        "doc": "TK",
        "version": 1,
        "sha256": claimed,
        "pages": 1,
        "bytes": len(content),
        "source": "file",
        "by": "clerk",
        "at": "2026-11-26T09:00:00+07:00",
    }
    url = f"{counter.api}/dossiers/{counter.code(1)}/files"
    assert counter.http.post(url, json=link, timeout=30).status_code in (404, 409)
    assert json.loads(admin_ok(counter.server.db_url, "files", counter.code(1), "--json")) == []


def test_uploads_left_unfinished_for_a_week_are_given_up_at_start(
    server_factory: Callable[..., PortalServer], tmp_path: Path
):
    """A counter that never came back leaves a part; the portal removes it when it starts once
    nobody has added to it for seven days (a counter that does come back starts again)."""
    parts = tmp_path / "files" / "partial" / "000.00.36.H62"
    parts.mkdir(parents=True)
    old, recent = parts / f"{'a' * 64}.part", parts / f"{'b' * 64}.part"
    old.write_bytes(b"%PDF-1.4 half")
    recent.write_bytes(b"%PDF-1.4 half")
    eight_days_ago = time.time() - 8 * 24 * 3600
    os.utime(old, (eight_days_ago, eight_days_ago))
    server = server_factory("--files", str(tmp_path / "files"))
    assert not old.exists() and recent.exists()
    assert "1 unfinished uploads untouched for 7 days removed" in server.log_text()
