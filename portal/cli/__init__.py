"""``python -m portal``: serve the portal, administer it, print its OpenAPI document.

Exit status: 0 done; 1 refused or failed, with one ``error: ...`` line on stderr; 2 wrong usage.
A refused command changes nothing (each command is one transaction).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from sqlalchemy.exc import OperationalError, SQLAlchemyError

from portal.cli.parser import DB_ENV, build_parser
from protocol.errors import KnownError

log = logging.getLogger("portal.admin")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command != "openapi" and not args.db:
        parser.error(f"--db URL is required (or set {DB_ENV})")
    if not hasattr(args, "json"):
        args.json = False
    try:
        result: int = args.func(args)
        return result
    except KnownError as exc:
        return _fail(exc.message_vi)
    except OperationalError as exc:
        return _fail(f"không truy cập được cơ sở dữ liệu: {_first_line(exc)}")
    except SQLAlchemyError as exc:
        log.debug("database error", exc_info=True)
        return _fail(f"lỗi cơ sở dữ liệu: {_first_line(exc)}")


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


def _fail(message: str) -> int:
    sys.stderr.write(f"error: {' '.join(message.split())}\n")
    return 1
