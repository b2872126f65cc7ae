"""``serve`` and ``openapi``: the commands that need the web application.

FastAPI and uvicorn are imported only here, inside the commands, so that admin commands start
quickly.
"""

from __future__ import annotations

import argparse
import json
import logging
import socket
import sys
from pathlib import Path

from portal.cli.command import open_database
from portal.config import Settings
from portal.db import Database
from portal.errors import CommandRefused
from portal.files import FileStore, default_root

log = logging.getLogger("portal.serve")


def settings_from(args: argparse.Namespace, db: Database) -> Settings:
    """The server's settings from ``serve``'s options; where files are kept (``--files``, or a
    ``files`` folder beside a SQLite database; PostgreSQL without ``--files`` keeps none)."""
    limits = {
        name: getattr(args, name)
        for name in ("max_body_bytes", "max_batch_entries", "max_file_bytes", "max_chunk_bytes")
        if getattr(args, name, None) is not None
    }
    root = Path(args.files).expanduser().resolve() if args.files else default_root(db.url)
    if root is None:
        log.warning("no --files: this portal keeps no digitised files (the counters' wait)")
    elif removed := FileStore(root).sweep_partials():
        log.info("%d unfinished uploads untouched for 7 days removed from %s", removed, root)
    try:
        return Settings(
            public_url=args.public_url,
            lookup_rate=args.lookup_rate,
            lookup_burst=args.lookup_burst,
            files_root=str(root or ""),
            **limits,
        )
    except ValueError as exc:
        raise CommandRefused(f"cấu hình không hợp lệ: {exc}", f"invalid settings: {exc}") from None


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from portal.app import create_app

    logging.basicConfig(
        level=getattr(logging, args.log_level.upper()),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    # proto IPPROTO_TCP, not 0: asyncio only sets TCP_NODELAY on such sockets, and without it
    # every small response waits some 40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((args.host, args.port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        reason = exc.strerror or exc
        raise CommandRefused(
            f"không mở được cổng {args.host}:{args.port}: {reason}",
            f"cannot listen on {args.host}:{args.port}: {reason}",
        ) from None
    host, port = sock.getsockname()[:2]
    try:
        db = open_database(args.db)
    except BaseException:
        sock.close()
        raise
    try:
        settings = settings_from(args, db)
    except CommandRefused:
        db.dispose()
        sock.close()
        raise
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    # The first line on stdout says where the portal listens (useful with --port 0).
    print(f"Cổng tham chiếu đang phục vụ tại http://{shown}:{port}", flush=True)
    config = uvicorn.Config(
        create_app(settings, db),
        log_config=None,
        access_log=False,
        server_header=False,
        proxy_headers=bool(args.forwarded_allow_ips),
        forwarded_allow_ips=args.forwarded_allow_ips or None,
        timeout_keep_alive=30,
    )
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        db.dispose()
    return 0


def cmd_openapi(args: argparse.Namespace) -> int:
    from portal.app import openapi_document

    text = json.dumps(openapi_document(), ensure_ascii=False, indent=2) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
