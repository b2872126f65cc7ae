"""``counter-admin sync [--once]``: the command line's front end of the sync engine.

``--once`` runs one round and prints ``{"pushed", "pulled", "conflicts", "failed",
"pending"}`` (with ``--json``); without it the command keeps syncing, whenever the portal is
reachable, until it is stopped (Ctrl-C or SIGTERM), then prints the totals. A portal out of
reach, a refused token or a missing configuration ends it with exit status 1 and one
``error: ...`` line (a ``KnownError``, printed by the command line).
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any

from cli.context import Context, lang
from counter.clock import now
from protocol.errors import KnownError
from sync.engine import SyncEngine
from sync.results import SyncResult


def summary(result: SyncResult) -> str:
    """One line for a person."""
    if lang() == "en":
        text = (
            f"Sent {result.pushed}, received {result.pulled} changes, "
            f"{result.conflicts} conflicts, {result.failed} not sent, "
            f"{result.pending} still pending"
        )
        if result.needs_attention:
            text += f"; {result.needs_attention} entries need a person"
        return text
    text = (
        f"Đã gửi {result.pushed} mục, nhận {result.pulled} thay đổi, "
        f"{result.conflicts} xung đột, {result.failed} chưa gửi được, "
        f"còn {result.pending} mục chờ gửi"
    )
    if result.needs_attention:
        text += f"; {result.needs_attention} mục cần người xử lý"
    return text


@contextlib.contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Ctrl-C and SIGTERM end the loop after the current request instead of killing it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(_signum: int, _frame: Any) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def run_sync(ctx: Context) -> None:
    """The ``sync`` command."""
    with SyncEngine.for_app(ctx.app) as engine:
        if getattr(ctx.args, "once", False):
            result = engine.run_once()
            ctx.out(result.as_dict(), lambda: summary(result))
            return
        stop = threading.Event()
        online: list[bool] = []

        def report(outcome: SyncResult | Exception) -> None:
            ok = isinstance(outcome, SyncResult)
            changed = not online or online[-1] != ok
            online.append(ok)
            if ctx.json:
                return
            stamp = now().strftime("%H:%M:%S")
            if isinstance(outcome, SyncResult):
                busy = outcome.pushed or outcome.pulled or outcome.conflicts or outcome.failed
                if busy or changed:
                    line = summary(outcome)
                else:
                    return
            elif not changed:
                return
            elif isinstance(outcome, KnownError):
                line = outcome.message(lang())
            elif lang() == "en":
                line = "Unexpected failure; details are in the log in the data folder"
            else:
                line = "Lỗi không mong đợi; chi tiết đã ghi vào nhật ký trong thư mục dữ liệu"
            sys.stdout.write(f"{stamp} {line}\n")
            sys.stdout.flush()

        with stop_on_signals(stop):
            total = engine.run_forever(stop, on_round=report)
        ctx.out(total.as_dict(), lambda: summary(total))
