"""A small threaded HTTP/1.1 proxy that breaks the network between a counter and the portal.

It sits on 127.0.0.1 in front of a real portal and follows a plan: each request takes the
first planned fault that matches its method and path (each fault is used ``times`` times),
otherwise, with ``chaos(...)``, a random one, otherwise it passes through untouched.

Faults:

- ``drop_before``: read the request, close the connection, never forward it;
- ``drop_after``: forward it (the portal commits), then close without answering;
- ``status``: answer ``status`` (500, 503, 429, 413 ...) without forwarding, with a
  ``Retry-After`` header when ``retry_after`` is given;
- ``slow``: forward, then wait ``delay`` seconds before answering (past a read timeout);
- ``truncate``: forward, then send the headers and only half of the body, and close;
- ``truncate_request``: forward only the first half of the request's body (a chunk cut
  short on the way), then answer what the portal answers;
- ``hold``: forward, then signal ``reached`` and wait for ``release`` before answering
  (``hold_before``: the same, before forwarding) — for killing the client at that moment;
- ``rewrite``: forward, then answer what ``edit(query, status, document)`` makes of the
  portal's JSON answer: ``(status, document)`` — a portal that answers wrongly on purpose.
"""

from __future__ import annotations

import http.client
import json
import random
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

FAULTS = (
    "drop_before",
    "drop_after",
    "status",
    "slow",
    "truncate",
    "truncate_request",
    "hold",
    "hold_before",
    "rewrite",
)
#: ``rewrite``'s editor: (query parameters, the portal's status, its JSON answer or None)
#: -> (status, JSON answer) sent instead.
Edit = Callable[[dict[str, str], int, Any], tuple[int, Any]]
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "content-length",
}


@dataclass
class Fault:
    kind: str
    path: str = ""  # prefix of the request path (without the query); "" matches all
    method: str = ""  # "" matches all
    times: int = 1
    status: int = 503
    retry_after: str | None = None
    delay: float = 0.0
    edit: Edit | None = None
    after: int = 0  # matching requests let through untouched before this fault applies

    def __post_init__(self) -> None:
        if self.kind not in FAULTS or (self.kind == "rewrite") != (self.edit is not None):
            raise ValueError(self.kind)

    def matches(self, method: str, path: str) -> bool:
        return (not self.method or self.method == method) and path.startswith(self.path)


@dataclass
class Record:
    method: str
    path: str
    fault: str  # "pass" when untouched
    upstream_status: int | None = None  # what the portal answered, when it was asked


@dataclass
class _Chaos:
    rate: float
    faults: list[Fault]
    rng: random.Random
    paths: tuple[str, ...]


@dataclass
class FaultProxy:
    upstream: str
    records: list[Record] = field(default_factory=list)
    reached: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        parts = urlsplit(self.upstream)
        self._host = parts.hostname or "127.0.0.1"
        self._port = parts.port or 80
        self._lock = threading.Lock()
        self._plan: list[Fault] = []
        self._chaos: _Chaos | None = None
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle ---------------------------------------------------------------------------

    def start(self) -> FaultProxy:
        proxy = self

        class Handler(_Handler):
            owner = proxy

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="fault-proxy")
        self._thread.daemon = True
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- the plan -----------------------------------------------------------------------------

    def plan(self, *faults: Fault) -> None:
        with self._lock:
            self._plan.extend(faults)

    def chaos(
        self,
        rate: float,
        faults: Iterable[Fault],
        seed: int = 0,
        paths: tuple[str, ...] = ("/api/v1/",),
    ) -> None:
        """From now on, each request under ``paths`` meets a random fault with ``rate``."""
        with self._lock:
            self._chaos = _Chaos(rate, list(faults), random.Random(seed), paths)

    def calm(self) -> None:
        """No more faults."""
        with self._lock:
            self._plan.clear()
            self._chaos = None

    def choose(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._plan:
                if fault.matches(method, path):
                    if fault.after > 0:
                        fault.after -= 1
                        return None
                    fault.times -= 1
                    if fault.times <= 0:
                        self._plan.remove(fault)
                    return fault
            chaos = self._chaos
            if (
                chaos is not None
                and path.startswith(chaos.paths)
                and chaos.rng.random() < chaos.rate
            ):
                return chaos.rng.choice(chaos.faults)
        return None

    def record(self, record: Record) -> None:
        with self._lock:
            self.records.append(record)

    def requests_to(self, path: str, method: str = "") -> list[Record]:
        with self._lock:
            return [
                r
                for r in self.records
                if r.path.startswith(path) and (not method or r.method == method)
            ]

    # -- forwarding ---------------------------------------------------------------------------

    def forward(
        self, method: str, target: str, headers: list[tuple[str, str]], body: bytes
    ) -> tuple[int, str, list[tuple[str, str]], bytes]:
        conn = http.client.HTTPConnection(self._host, self._port, timeout=120)
        try:
            conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            for name, value in headers:
                if name.lower() not in HOP_BY_HOP:
                    conn.putheader(name, value)
            conn.putheader("Content-Length", str(len(body)))
            conn.putheader("Connection", "close")
            conn.endheaders(body)
            response = conn.getresponse()
            data = response.read()
            return response.status, response.reason, list(response.getheaders()), data
        finally:
            conn.close()


class _Handler(BaseHTTPRequestHandler):
    owner: FaultProxy
    protocol_version = "HTTP/1.1"
    timeout = 60

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()

    # -- one request --------------------------------------------------------------------------

    def _handle(self) -> None:
        proxy = self.owner
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = urlsplit(self.path).path
        fault = proxy.choose(self.command, path)
        kind = fault.kind if fault else "pass"
        record = Record(self.command, path, kind)
        proxy.record(record)
        if fault is not None and fault.kind == "drop_before":
            self._drop()
            return
        if fault is not None and fault.kind == "status":
            self._answer_status(fault)
            return
        if fault is not None and fault.kind == "hold_before":
            proxy.reached.set()
            proxy.release.wait(120)
        if fault is not None and fault.kind == "truncate_request":
            body = body[: len(body) // 2]
        status, reason, headers, data = proxy.forward(
            self.command, self.path, list(self.headers.items()), body
        )
        record.upstream_status = status
        if fault is not None:
            if fault.kind == "drop_after":
                self._drop()
                return
            if fault.kind == "slow":
                time.sleep(fault.delay)
            if fault.kind == "hold":
                proxy.reached.set()
                proxy.release.wait(120)
            if fault.kind == "truncate":
                self._reply(status, reason, headers, data, cut=True)
                return
            if fault.kind == "rewrite" and fault.edit is not None:
                query = {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}
                try:
                    document = json.loads(data)
                except ValueError:
                    document = None
                status, document = fault.edit(query, status, document)
                data = json.dumps(document).encode()
                headers = [("Content-Type", "application/json")]
                reason = "OK" if status == 200 else "Rewritten"
        self._reply(status, reason, headers, data)

    def _reply(
        self,
        status: int,
        reason: str,
        headers: list[tuple[str, str]],
        data: bytes,
        cut: bool = False,
    ) -> None:
        try:
            self.send_response_only(status, reason)
            for name, value in headers:
                if name.lower() not in HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            if cut:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data[: len(data) // 2] if cut else data)
            self.wfile.flush()
        except OSError:  # the client gave up (read timeout) or was killed
            self.close_connection = True
            return
        if cut:
            self._drop()

    def _answer_status(self, fault: Fault) -> None:
        body = json.dumps(
            {
                "error": {
                    "code": "injected",
                    "message": "Lỗi giả lập",
                    "message_en": f"Injected HTTP {fault.status}",
                }
            }
        ).encode()
        try:
            self.send_response_only(fault.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            if fault.retry_after is not None:
                self.send_header("Retry-After", fault.retry_after)
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    def _drop(self) -> None:
        """Close the connection at once (a reset, as a cut cable or a dead proxy looks)."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass
