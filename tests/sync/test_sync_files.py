"""Digitised files to the portal: uploaded in chunks after their dossier, resumed from what the
portal holds, stored once per agency under their hash, linked once per version, over a link
that drops, cuts chunks short or loses the portal in between (a real portal on 127.0.0.1,
behind the fault-injecting proxy). Waits are recorded, not slept."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from faultproxy import Fault, FaultProxy
from portal_testkit import ThreadedPortal, admin_ok, serve_in_thread
from synckit import (
    AGENCY,
    CLERK,
    connect,
    edit_outbox,
    make_engine,
    outbox_rows,
    pdf_of,
    receive,
)

from counter.app import CounterApp
from counter.pdfpages import Part
from sync.backoff import RetryPolicy
from sync.errors import PortalUnreachable

FILES = "/api/v1/files/"
SMALL_CHUNK = 64 * 1024


def attach(app: CounterApp, code: str, content: bytes, doc: str = "TK") -> str:
    return app.scans.attach(CLERK, code, doc, [Part("to-khai.pdf", content)]).sha256


@dataclass
class Files:
    """A portal with its files beside its database, restartable where it was."""

    server: ThreadedPortal
    folder: Path
    options: tuple[str, ...]

    def restart(self) -> None:
        port = int(self.server.url.rsplit(":", 1)[1])
        self.server.stop()
        self.server = serve_in_thread(self.server.db_url, *self.options, port=port)

    @property
    def url(self) -> str:
        return self.server.url

    def stored(self) -> list[Path]:
        return sorted((self.folder / "files" / AGENCY).rglob("*.pdf"))

    def partial(self) -> list[Path]:
        return sorted((self.folder / "files").rglob("*.part"))

    def links(self, code: str) -> list[dict]:
        return json.loads(admin_ok(self.server.db_url, "files", code, "--json"))


def _files_portal(tmp_path: Path, *options: str) -> Iterator[Files]:
    options = ("--lookup-rate", "0", *options)
    server = serve_in_thread(f"sqlite:///{tmp_path / 'portal.db'}", *options)
    files = Files(server, tmp_path, options)
    try:
        admin_ok(server.db_url, "add-agency", AGENCY, "UBND xã Hòa Bình")
        yield files
    finally:
        files.server.stop()


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Files]:
    """A portal that takes chunks of 64 KB at most (the counter follows its word)."""
    yield from _files_portal(tmp_path, "--max-chunk-bytes", str(SMALL_CHUNK))


@pytest.fixture
def small_token(small: Files) -> str:
    return admin_ok(
        small.server.db_url, "add-counter", "--agency-code", AGENCY, "--counter-no", "1"
    ).strip()


@pytest.fixture
def small_proxy(small: Files) -> Iterator[FaultProxy]:
    with FaultProxy(small.url) as proxy:
        yield proxy


def _sync_until_done(engine, rounds: int = 20) -> None:
    for _ in range(rounds):
        try:
            result = engine.run_once()
        except PortalUnreachable:
            continue
        if result.pending == 0:
            return
    raise AssertionError("still pending")


def _file_states(app: CounterApp) -> list[str]:
    return [row["state"] for row in outbox_rows(app) if row["kind"] == "file"]


def test_a_20_mb_file_over_a_link_that_drops_every_megabyte_arrives_once(
    app, portal, token, proxy, tmp_path
):
    connect(app, proxy.url, token)
    (code,) = receive(app, 1)
    content = pdf_of(20_000_000, seed=12)
    sha256 = attach(app, code, content)
    # every other request for the file fails: dropped before the portal sees it, or after it
    # kept the chunk and before its answer
    proxy.chaos(0.5, [Fault("drop_before"), Fault("drop_after")], seed=3, paths=(FILES,))
    engine, _ = make_engine(app)

    _sync_until_done(engine)

    stored = list((tmp_path / "files" / AGENCY).rglob("*.pdf"))
    assert [p.name for p in stored] == [f"{sha256}.pdf"]
    assert hashlib.sha256(stored[0].read_bytes()).hexdigest() == sha256
    assert not list((tmp_path / "files").rglob("*.part"))
    links = json.loads(admin_ok(portal.db_url, "files", code, "--json"))
    assert [(f["doc"], f["version"], f["sha256"], f["bytes"]) for f in links] == [
        ("TK", 1, sha256, len(content))
    ]
    puts = proxy.requests_to(FILES, "PUT")
    dropped = [r for r in puts if r.fault == "drop_before"]
    kept = [r for r in puts if r.fault != "drop_before"]
    assert dropped, "the link never dropped"
    # each of the 20 chunks reached the portal once: a resent one only after its answer was lost
    answered = [r for r in kept if r.fault == "pass"]
    assert len(answered) == len(kept) - len([r for r in kept if r.fault == "drop_after"])
    assert len(kept) <= 20 + len([r for r in kept if r.fault == "drop_after"])
    assert _file_states(app) == ["sent"]
    assert app.dossiers.get(code).sync_state == "synced"
    engine.close()


def test_a_chunk_cut_short_on_the_way_is_refused_and_sent_again(
    app, small, small_token, small_proxy
):
    connect(app, small_proxy.url, small_token)
    (code,) = receive(app, 1)
    content = pdf_of(200_000, seed=1)
    sha256 = attach(app, code, content)
    small_proxy.plan(Fault("truncate_request", path=FILES, method="PUT", after=1))
    engine, _ = make_engine(app)

    result = engine.run_once()

    assert (result.pushed, result.failed, result.pending) == (2, 0, 0)
    puts = small_proxy.requests_to(FILES, "PUT")
    assert [(r.fault, r.upstream_status) for r in puts[:3]] == [
        ("pass", 200),
        ("truncate_request", 400),
        ("pass", 200),
    ]
    assert len(puts) == 5  # four chunks, one of them twice
    assert [p.name for p in small.stored()] == [f"{sha256}.pdf"]
    assert small.stored()[0].read_bytes() == content
    engine.close()


def test_the_same_file_on_two_dossiers_is_stored_once_and_linked_twice(
    app, small, small_token, small_proxy
):
    connect(app, small_proxy.url, small_token)
    first, second = receive(app, 2)
    content = pdf_of(150_000, seed=2)
    sha256 = attach(app, first, content)
    assert attach(app, second, content) == sha256
    engine, _ = make_engine(app)

    result = engine.run_once()

    assert (result.pushed, result.pending) == (4, 0)
    assert [p.name for p in small.stored()] == [f"{sha256}.pdf"]
    assert [f["sha256"] for f in small.links(first)] == [sha256]
    assert [f["sha256"] for f in small.links(second)] == [sha256]
    # the second upload was complete at once: no chunk sent for it
    assert len(small_proxy.requests_to(FILES, "PUT")) == 3
    assert len(small_proxy.requests_to(FILES, "HEAD")) == 2
    # the same link again is one link
    assert app.sync_store.counts().pending == 0
    edit_outbox(app, outbox_rows(app)[-1]["id"], state="pending")
    assert engine.run_once().pushed == 1
    assert len(small.links(second)) == 1
    dossiers = json.loads(admin_ok(small.server.db_url, "dossiers", "--json"))
    assert {d["code"]: d["files"] for d in dossiers} == {first: 1, second: 1}
    # an official's copy
    out = small.folder / "for-the-official"
    written = json.loads(
        admin_ok(small.server.db_url, "export-files", second, "-o", str(out), "--json")
    )
    assert written == [str(out / "TK-v1.pdf")]
    assert (out / "TK-v1.pdf").read_bytes() == content
    engine.close()


def test_an_upload_cut_off_goes_on_from_what_the_portal_holds(app, small, small_token, small_proxy):
    connect(app, small_proxy.url, small_token)
    (code,) = receive(app, 1)
    content = pdf_of(250_000, seed=4)  # four chunks
    sha256 = attach(app, code, content)
    small_proxy.plan(Fault("drop_before", path=FILES, method="PUT", after=2, times=4))
    engine, sleeps = make_engine(app)

    with pytest.raises(PortalUnreachable):
        engine.run_once()  # the third chunk never gets through: the round gives up
    assert len(sleeps) == 3
    assert [p.stat().st_size for p in small.partial()] == [2 * SMALL_CHUNK]
    assert not small.stored()
    assert _file_states(app) == ["pending"]
    engine.close()

    again, _ = make_engine(app)  # a counter started again: it knows nothing of the upload
    result = again.run_once()

    assert (result.pushed, result.pending) == (1, 0)
    passed = [r for r in small_proxy.requests_to(FILES, "PUT") if r.fault == "pass"]
    assert len(passed) == 4  # each chunk reached the portal once
    assert small.stored()[0].read_bytes() == content
    assert not small.partial()
    assert [f["sha256"] for f in small.links(code)] == [sha256]
    again.close()


def test_a_portal_restarted_between_chunks_keeps_what_it_had(app, small, small_token, small_proxy):
    connect(app, small_proxy.url, small_token)
    (code,) = receive(app, 1)
    content = pdf_of(250_000, seed=5)
    sha256 = attach(app, code, content)
    small_proxy.plan(Fault("drop_before", path=FILES, method="PUT", after=2))
    restarts: list[float] = []

    def restart_while_waiting(seconds: float) -> None:
        restarts.append(seconds)
        if len(restarts) == 1:
            small.restart()

    engine, _ = make_engine(app, sleep=restart_while_waiting)
    result = engine.run_once()

    assert (result.pushed, result.pending) == (2, 0)
    assert len(restarts) == 1
    passed = [r for r in small_proxy.requests_to(FILES, "PUT") if r.fault == "pass"]
    assert len(passed) == 4
    assert small.stored()[0].read_bytes() == content
    assert [f["sha256"] for f in small.links(code)] == [sha256]
    engine.close()


def test_files_wait_for_their_dossier_to_be_on_the_portal(app, small, small_token, small_proxy):
    connect(app, small_proxy.url, small_token)
    (code,) = receive(app, 1)
    attach(app, code, pdf_of(10_000, seed=6))
    dossier_entry = next(r for r in outbox_rows(app) if r["kind"] == "dossier")
    edit_outbox(app, dossier_entry["id"], state="needs_attention")
    engine, _ = make_engine(app)

    engine.run_once()

    assert small_proxy.requests_to(FILES) == []
    assert _file_states(app) == ["pending"]
    app.sync_store.retry(dossier_entry["id"], "admin")
    assert engine.run_once().pushed == 2
    assert _file_states(app) == ["sent"]
    assert len(small.links(code)) == 1
    engine.close()


def test_a_file_lost_from_the_data_folder_needs_a_person(app, small, small_token, small_proxy):
    connect(app, small_proxy.url, small_token)
    (code,) = receive(app, 1)
    sha256 = attach(app, code, pdf_of(10_000, seed=7))
    app.scans.store.path_of(sha256).unlink()
    engine, _ = make_engine(app)

    result = engine.run_once()

    assert (result.pushed, result.failed, result.needs_attention) == (1, 1, 1)
    (entry,) = app.sync_store.needs_attention()
    assert entry.kind == "file" and "missing" in entry.last_error
    assert "không còn" in entry.last_error
    assert small_proxy.requests_to(FILES) == []
    # the next round does not try it again, and nothing broke
    assert engine.run_once().failed == 0
    assert small_proxy.requests_to(FILES) == []
    assert app.dossiers.get(code).sync_state == "needs_attention"
    assert any(p.sha256 == sha256 for p in app.scans.problems())
    engine.close()


def test_a_file_altered_in_the_data_folder_is_refused_by_hash_and_needs_a_person(
    app, small, small_token, small_proxy
):
    connect(app, small_proxy.url, small_token)
    (code,) = receive(app, 1)
    sha256 = attach(app, code, pdf_of(100_000, seed=13))
    app.scans.store.path_of(sha256).write_bytes(pdf_of(100_000, seed=14))
    engine, _ = make_engine(app)

    result = engine.run_once()

    assert (result.pushed, result.needs_attention) == (1, 1)
    (entry,) = app.sync_store.needs_attention()
    assert "altered" in entry.last_error and "đã bị sửa" in entry.last_error
    assert not small.stored() and not small.partial()
    assert small.links(code) == []
    engine.close()


def test_the_lookup_page_shows_nothing_of_the_files(app, small, small_token):
    connect(app, small.url, small_token)
    (code,) = receive(app, 1)
    sha256 = attach(app, code, pdf_of(10_000, seed=8))
    engine, _ = make_engine(app)
    assert engine.run_once().pending == 0
    key = app.dossiers.get(code).lookup_key

    page = requests.get(f"{small.url}/tra-cuu", params={"ma": code, "k": key}, timeout=10)

    assert page.status_code == 200 and code in page.text
    for secret in (sha256, sha256[:12], "TK", "to-khai", ".pdf", "files"):
        assert secret not in page.text
    engine.close()


# -- the portal's refusals, asked directly ----------------------------------------------------


def _put(files: Files, token: str, sha256: str, start: int, data: bytes, total: int):
    return requests.put(
        f"{files.url}{FILES}{sha256}",
        data=data,
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Range": f"bytes {start}-{start + len(data) - 1}/{total}",
        },
        timeout=30,
    )


def test_a_wrong_hash_is_refused_and_nothing_is_stored(small, small_token):
    content = pdf_of(100_000, seed=9)
    claimed = hashlib.sha256(b"something else").hexdigest()
    first = _put(small, small_token, claimed, 0, content[:SMALL_CHUNK], len(content))
    assert first.status_code == 200 and first.json() == {"offset": SMALL_CHUNK, "complete": False}

    last = _put(small, small_token, claimed, SMALL_CHUNK, content[SMALL_CHUNK:], len(content))

    assert last.status_code == 422 and last.json()["error"]["code"] == "hash_mismatch"
    assert not small.stored() and not small.partial()
    held = requests.head(
        f"{small.url}{FILES}{claimed}",
        headers={"Authorization": f"Bearer {small_token}"},
        timeout=10,
    )
    assert (held.headers["Upload-Offset"], held.headers["Upload-Complete"]) == ("0", "?0")


def test_wrong_agency_wrong_offset_and_oversized_uploads_are_refused(tmp_path, app):
    for files in _files_portal(tmp_path, "--max-file-bytes", "100000"):
        admin_ok(files.server.db_url, "add-agency", "000.00.36.H99", "UBND xã Bình An")
        token = admin_ok(
            files.server.db_url, "add-counter", "--agency-code", AGENCY, "--counter-no", "1"
        ).strip()
        content = pdf_of(150_000, seed=10)
        sha256 = hashlib.sha256(content).hexdigest()

        too_big = _put(files, token, sha256, 0, content[:1000], len(content))
        assert too_big.status_code == 413
        assert too_big.json()["error"]["code"] == "file_too_large"
        assert not files.partial()

        small_one = pdf_of(20_000, seed=11)
        small_sha = hashlib.sha256(small_one).hexdigest()
        skipped = _put(files, token, small_sha, 1000, small_one[1000:2000], len(small_one))
        assert skipped.status_code == 409
        assert skipped.headers["Upload-Offset"] == "0"
        assert _put(files, token, small_sha, 0, small_one, len(small_one)).status_code == 201

        other_agency = "000.00.36.H99-261129-1001"
        link = {
            "doc": "TK",
            "version": 1,
            "sha256": small_sha,
            "pages": 1,
            "bytes": len(small_one),
            "source": "scan",
            "by": "clerk",
            "at": "2026-11-29T09:00:00+07:00",
        }
        refused = requests.post(
            f"{files.url}/api/v1/dossiers/{other_agency}/files",
            json=link,
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "wrong_agency"

        # the counter does not send a file over the portal's limit: a person is told
        connect(app, files.url, token)
        (code,) = receive(app, 1)
        attach(app, code, content)
        engine, _ = make_engine(app, policy=RetryPolicy())
        result = engine.run_once()
        assert (result.pushed, result.needs_attention) == (1, 1)
        assert "limit" in app.sync_store.needs_attention()[0].last_error
        assert [p.name for p in files.stored()] == [f"{small_sha}.pdf"]
        assert files.links(code) == []
        engine.close()
