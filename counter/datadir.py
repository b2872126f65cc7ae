"""Where the counter's data folder is: the standard library alone, so a front end can find
the folder before the database layer is imported."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "one-stop-counter"


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--data-dir``, else ``COUNTER_DATA_DIR``, else the platform's user data folder."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get("COUNTER_DATA_DIR")
    if env:
        return Path(env).expanduser().resolve()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
