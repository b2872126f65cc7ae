"""What every command is handed: the parsed arguments, the counter (opened on first use), who
acts, and one way to print a result as text or as exactly one JSON document.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from counter.accounts import Actor
from counter.app import CounterApp, resolve_data_dir, setup_logging
from counter.clock import iso
from counter.errors import AuthenticationFailed, Refused


def lang() -> str:
    """The language of what the command line says: ``COUNTER_LANG`` (Vietnamese by default)."""
    return "en" if os.environ.get("COUNTER_LANG", "vi").lower().startswith("en") else "vi"


def t(vi: str, en: str) -> str:
    return en if lang() == "en" else vi


class Context:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.data_dir = resolve_data_dir(args.data_dir)
        self.json: bool = bool(getattr(args, "json", False))
        self._app: CounterApp | None = None

    @property
    def app(self) -> CounterApp:
        if self._app is None:
            self._app = CounterApp.open(self.data_dir)
            setup_logging(self.data_dir)
        return self._app

    def close(self) -> None:
        if self._app is not None:
            self._app.close()

    def signed_in(self) -> Actor:
        """The signed-in ``--user``; refused when the command was given none."""
        actor = self.actor()
        assert actor is not None  # actor() refuses rather than return None when required
        return actor

    def actor(self, required: bool = True) -> Actor | None:
        """Sign in as ``--user`` with ``COUNTER_PASSWORD`` or a prompted password."""
        username = getattr(self.args, "user", None)
        if not username:
            if required:
                raise Refused(
                    "Lệnh này cần đăng nhập: thêm --user TÊN sau tên lệnh",
                    "This command needs a user: add --user NAME after the command",
                )
            return None
        password = os.environ.get("COUNTER_PASSWORD")
        if password is None:
            if not sys.stdin or not sys.stdin.isatty():
                raise AuthenticationFailed(
                    "Chưa có mật khẩu: đặt biến môi trường COUNTER_PASSWORD",
                    "No password: set the COUNTER_PASSWORD environment variable",
                )
            password = getpass.getpass(
                t(f"Mật khẩu của {username}: ", f"Password for {username}: ")
            )
        return self.app.accounts.authenticate(username, password)

    def out(self, data: Any, text: str | Callable[[], str]) -> None:
        if self.json:
            sys.stdout.write(
                json.dumps(data, ensure_ascii=False, indent=2, default=_default) + "\n"
            )
        else:
            sys.stdout.write((text() if callable(text) else text) + "\n")


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)
