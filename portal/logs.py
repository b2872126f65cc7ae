"""The portal's log: one JSON object a line on stderr (``serve --log-format json``, the
default), or plain lines for a person at a terminal (``--log-format text``).

Each line has ``time`` (UTC), ``level``, ``logger``, ``pid`` (which worker) and ``message``;
the access log adds ``method``, ``route`` (the path's template, never the query string),
``status``, ``duration_ms`` and, for a counter's request, ``agency`` and ``counter``. Tokens,
lookup keys and applicants' data are never logged (tests/portal/test_portal_privacy.py).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "pid": record.process,
            "message": record.getMessage(),
        }
        doc.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            doc["exception"] = self.formatException(record.exc_info)
        return json.dumps(doc, ensure_ascii=False, default=str)


def configure(level: str, form: str = "json") -> None:
    """Send every log record at ``level`` or above to stderr, in ``form``."""
    handler = logging.StreamHandler(sys.stderr)
    if form == "json":
        handler.setFormatter(JsonLines())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(getattr(logging, level.upper()))
