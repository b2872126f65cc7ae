"""``serve`` and ``openapi``: the commands that need the web application.

FastAPI and uvicorn are imported only here, inside the commands, so that admin commands start
quickly.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import json
import logging
import os
import shutil
import signal
import socket
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from portal.cli.command import open_database
from portal.config import Settings
from portal.db import Database
from portal.errors import CommandRefused
from portal.files import FileStore, default_root

log = logging.getLogger("portal.serve")
#: How ``serve --workers N`` hands its settings to the worker processes it spawns.
WORKER_ENV = "PORTAL_SERVE_WORKER"
#: How long a thread of a worker may keep running Python while another waits to (Python's
#: default is 5 ms). A worker answers short requests (a lookup, a health check) between long
#: ones (a push's hundred entries): each time a short one comes back from the database it waits
#: for the long ones' thread to let go, so a shorter turn shortens its every wait.
SWITCH_INTERVAL_S = 0.001

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"  # read by prometheus_client as it is imported


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
            metrics_token=getattr(args, "metrics_token", ""),
            files_root=str(root or ""),
            **limits,
        )
    except ValueError as exc:
        raise CommandRefused(f"cấu hình không hợp lệ: {exc}", f"invalid settings: {exc}") from None


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from portal import logs

    logs.configure(args.log_level, args.log_format)
    if args.workers < 1:
        raise CommandRefused("--workers phải từ 1 trở lên", "--workers must be 1 or more")
    # uvicorn stops on SIGTERM, then raises it again to die of it: through this handler,
    # the process leaves by its finally blocks (the metrics folder removed) with status 0.
    signal.signal(signal.SIGTERM, _leave)
    with _metrics_folder():
        return _serve(args, uvicorn)


def _leave(_signum: int, _frame: Any) -> None:
    raise SystemExit(0)


@contextlib.contextmanager
def _metrics_folder() -> Iterator[None]:
    """A folder where every worker keeps its metrics (prometheus_client's multiprocess mode),
    made before any metric is, removed at the end; one given in PROMETHEUS_MULTIPROC_DIR is
    emptied first."""
    # portal.metrics.MULTIPROC_ENV, by name: importing that module here would make the
    # metrics before the folder is set, and a single worker would count where no scrape reads
    given = os.environ.get(MULTIPROC_ENV)
    if given:
        for stale in Path(given).glob("*.db"):
            stale.unlink()
        yield
        return
    folder = tempfile.mkdtemp(prefix="portal-metrics-")
    os.environ[MULTIPROC_ENV] = folder
    try:
        yield
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _serve(args: argparse.Namespace, uvicorn: Any) -> int:
    from portal.app import create_app  # before the address is printed: ready when it is

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
        db = open_database(args.db)  # the schema is upgraded here, once, before any worker
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
    server_options = {
        "log_config": None,
        "access_log": False,
        "server_header": False,
        "proxy_headers": bool(args.forwarded_allow_ips),
        "forwarded_allow_ips": args.forwarded_allow_ips or None,
        "timeout_keep_alive": 30,
    }
    if args.workers == 1:
        # The application and the server's own modules are made before the address is
        # printed, so that the first request after it waits for neither (made after, they
        # kept that request some 80 ms).
        try:
            config = uvicorn.Config(create_app(settings, db), **server_options)
            config.load()
            _settled(config.loaded_app)
        except BaseException:
            db.dispose()
            sock.close()
            raise
        _say_where(shown, port)
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        try:
            uvicorn.Server(config).run(sockets=[sock])
        finally:
            db.dispose()
        return 0
    # Several processes on the one listening socket; each opens the database itself (spawned,
    # not forked: no connection is shared). uvicorn's supervisor restarts a worker that dies.
    from uvicorn.supervisors import Multiprocess

    _say_where(shown, port)
    db.dispose()
    os.environ[WORKER_ENV] = json.dumps(
        {
            "db": db.url.render_as_string(hide_password=False),
            "settings": dataclasses.asdict(settings),
            "log_level": args.log_level,
            "log_format": args.log_format,
        }
    )
    config = uvicorn.Config(
        f"{__name__}:worker_app", factory=True, workers=args.workers, **server_options
    )
    Multiprocess(config, sockets=[sock]).run()
    return 0


def _say_where(shown: str, port: int) -> None:
    """The first line on stdout says where the portal listens (useful with --port 0)."""
    print(f"Cổng tham chiếu đang phục vụ tại http://{shown}:{port}", flush=True)


def worker_app() -> Any:
    """The application of one worker process of ``serve --workers N`` (in that process)."""
    from portal import logs
    from portal.app import create_app

    spec = json.loads(os.environ[WORKER_ENV])
    logs.configure(spec["log_level"], spec["log_format"])
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    return _settled(create_app(Settings(**spec["settings"]), open_database(spec["db"])))


def _settled(app: Any) -> Any:
    """The application, once what was made to start it (modules, routes, tables) is left out
    of the garbage collector's rounds (``gc.freeze``): it lives as long as the process, and a
    push's thousands of short-lived objects call for rounds that would go over it all again.
    """
    gc.collect()
    gc.freeze()
    return app


def cmd_openapi(args: argparse.Namespace) -> int:
    from portal.app import openapi_document

    text = json.dumps(openapi_document(), ensure_ascii=False, indent=2) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
