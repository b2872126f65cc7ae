"""The one place the interface calls the sync engine.

``run_once(app)`` does one round with the portal (push what is pending, pull statuses and
master data) and returns its counts. It runs on the network worker, never on the GUI thread.
Failures come back as:

- :class:`SyncNotConfigured`: no portal address or token yet (nothing to do, not an error);
- :class:`PortalUnreachable`: no network, the portal down or too slow (the counter is
  offline; it keeps working and tries again later);
- :class:`SyncRefused`: the portal refused the counter's credentials or the batch as a
  whole: a person must look;
- anything else is a bug and is logged with its trace.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from counter.app import CounterApp
from counter.errors import Refused
from ui.errors import ExpectedError


@dataclass(frozen=True)
class SyncResult:
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    failed: int = 0
    pending: int = 0


class SyncNotConfigured(ExpectedError):
    pass


class PortalUnreachable(ExpectedError):
    pass


class SyncRefused(ExpectedError):
    pass


def check_configured(app: CounterApp) -> str:
    url = str(app.settings.get("portal.url") or "")
    if not url or not app.settings.get("portal.token"):
        raise SyncNotConfigured(
            "Chưa cấu hình cổng dịch vụ công (địa chỉ và mã truy cập)",
            "The portal is not configured yet (address and token)",
        )
    return url


def run_once(app: CounterApp) -> SyncResult:
    """One sync round. The sync engine is wired here (and only here)."""
    check_configured(app)
    try:
        from sync import engine
    except ImportError:
        raise SyncNotConfigured(
            "Bộ đồng bộ chưa được cài đặt trong phiên bản này",
            "The sync engine is not part of this build",
        ) from None
    try:
        outcome: Any = engine.run_once(app)  # shape: pushed/pulled/conflicts/failed/pending
    except Refused as exc:  # the engine's own words for the clerk
        raise classify(exc) from exc
    except OSError as exc:  # a connection error or timeout the engine let through
        raise PortalUnreachable(
            f"Không kết nối được cổng dịch vụ công: {type(exc).__name__}",
            f"Cannot reach the portal: {type(exc).__name__}",
        ) from exc
    return as_result(outcome)


def classify(exc: Refused) -> ExpectedError:
    """Offline, not configured, or refused by the portal: what the status bar shows."""
    if isinstance(exc, OSError) or exc.kind == "portal_unreachable":
        return PortalUnreachable(exc.message_vi, exc.message_en)
    if exc.kind == "sync_not_configured":
        return SyncNotConfigured(exc.message_vi, exc.message_en)
    return SyncRefused(exc.message_vi, exc.message_en)


def as_result(outcome: Any) -> SyncResult:
    """Accept the engine's result as an object with attributes or a mapping."""

    def get(name: str) -> int:
        if isinstance(outcome, dict):
            return int(outcome.get(name, 0) or 0)
        return int(getattr(outcome, name, 0) or 0)

    return SyncResult(
        pushed=get("pushed"),
        pulled=get("pulled"),
        conflicts=get("conflicts"),
        failed=get("failed"),
        pending=get("pending"),
    )
