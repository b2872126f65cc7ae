"""The watched scan folder: a file is offered once it stops changing, and an attached file
moves to ``đã-nhận`` under a free name, never over another one."""

from __future__ import annotations

from pathlib import Path

from counter.scanfolder import DONE, FolderWatch, move_done


def test_a_file_is_offered_once_it_is_complete(tmp_path: Path):
    watch = FolderWatch(tmp_path)
    growing = tmp_path / "scan-001.pdf"
    growing.write_bytes(b"%PDF-1.7 part one")
    (tmp_path / "scan-002.pdf.part").write_bytes(b"still being written")
    (tmp_path / ".hidden.jpg").write_bytes(b"x")
    (tmp_path / "sub").mkdir()
    assert watch.look() == []  # seen once: it may still grow
    with growing.open("ab") as f:
        f.write(b" and part two")
    assert watch.look() == []  # it grew
    (found,) = watch.look()
    assert found.path == growing and found.bytes == growing.stat().st_size
    growing.unlink()
    assert watch.look() == []


def test_a_missing_folder_offers_nothing(tmp_path: Path):
    watch = FolderWatch(tmp_path / "not-there")
    assert watch.look() == [] and watch.look() == []


def test_an_attached_file_moves_aside_and_never_over_another(tmp_path: Path):
    first = tmp_path / "scan.jpg"
    first.write_bytes(b"one")
    assert move_done(first) == tmp_path / DONE / "scan.jpg"
    again = tmp_path / "scan.jpg"
    again.write_bytes(b"two")
    assert move_done(again) == tmp_path / DONE / "scan (2).jpg"
    assert (tmp_path / DONE / "scan.jpg").read_bytes() == b"one"
    assert (tmp_path / DONE / "scan (2).jpg").read_bytes() == b"two"
    assert not first.exists()
