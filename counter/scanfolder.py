"""A watched scan folder: where an office scanner or a copier saves what it scans.

The counter looks at the folder (setting ``scan.folder``) now and then. A file is offered
to the clerk once it is complete: its size and time of change the same at two looks in a
row (a copier writing over the network takes a while). Once its pages are attached, the
file moves to the subfolder ``đã-nhận``, never deleted; a file refused stays where it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: Where attached files go, inside the scan folder.
DONE = "đã-nhận"
#: Names a scanner gives a file it is still writing, and files a system keeps there.
_UNFINISHED = (".part", ".tmp", ".crdownload", ".partial", "~")


@dataclass(frozen=True)
class Waiting:
    """A complete file in the scan folder."""

    path: Path
    bytes: int


@dataclass
class FolderWatch:
    """What was in the folder at the last look, to tell a complete file from one growing."""

    folder: Path
    _seen: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def look(self) -> list[Waiting]:
        """The files complete now, by name (none when the folder is missing)."""
        now: dict[Path, tuple[int, int]] = {}
        try:
            entries = list(self.folder.iterdir())
        except OSError:
            entries = []
        for path in entries:
            name = path.name
            if name.startswith(".") or name.lower().endswith(_UNFINISHED):
                continue
            try:
                if not path.is_file():
                    continue
                stat = path.stat()
            except OSError:  # gone meanwhile
                continue
            now[path] = (stat.st_size, stat.st_mtime_ns)
        settled = [
            Waiting(path, size)
            for path, (size, mtime) in now.items()
            if self._seen.get(path) == (size, mtime)
        ]
        self._seen = now
        return sorted(settled, key=lambda w: w.path.name)


def move_done(path: Path) -> Path:
    """Move an attached file into ``đã-nhận`` beside it, under a free name (never over
    another file)."""
    done = path.parent / DONE
    done.mkdir(exist_ok=True)
    target = done / path.name
    n = 1
    while target.exists():
        n += 1
        target = done / f"{path.stem} ({n}){path.suffix}"
    path.rename(target)
    return target
