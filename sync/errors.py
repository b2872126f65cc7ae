"""What can go wrong in a sync: expected failures for the clerk, and the engine's own signals.

The ``SyncError`` subclasses are ``KnownError`` s, for the clerk: they carry a Vietnamese
message and its English twin, and the command line prints them as ``error: ...`` (exit 1).
The other exceptions here stay inside the package: the engine turns them into retries,
smaller batches or a fresh cursor.
"""

from __future__ import annotations

from typing import Any

from counter.errors import AuthenticationFailed, Refused


class SyncError(Refused):
    """A sync that could not be done; nothing the portal had not accepted was lost."""

    kind = "sync"
    #: What the round did before it ended (a ``sync.results.SyncResult``), if it had begun.
    partial: Any = None


class NotConfigured(SyncError):
    """No portal address or token yet."""

    kind = "sync_not_configured"


class PortalUnreachable(SyncError, ConnectionError):
    """No network, the portal down, too slow or too busy: the counter works offline.

    Also a ``ConnectionError``, so code that treats network failures alike (``OSError``)
    sees an offline counter.
    """

    kind = "portal_unreachable"
    #: The portal's ``Retry-After`` in seconds, when it asked to come back later.
    retry_after: float | None = None

    def __str__(self) -> str:
        return self.message_vi


class TokenRefused(SyncError, AuthenticationFailed):
    """The portal does not accept this counter's token (wrong, revoked or disabled)."""

    kind = "authentication"


class SyncStopped(SyncError):
    """Asked to stop (``SyncEngine.stop``): the round ended between two requests."""

    kind = "sync_stopped"

    def __init__(self) -> None:
        super().__init__("Đã dừng đồng bộ", "Sync stopped")


class PortalRefused(SyncError):
    """The portal refused a whole request in a way that retrying will not change."""

    kind = "portal_refused"


class FeedStalled(PortalRefused):
    """The change feed says more follows but does not move past the cursor: reading on would
    ask the same page for ever. What was read before is kept; the next round reads again."""

    kind = "feed_stalled"

    def __init__(self, cursor: int) -> None:
        super().__init__(
            "Cổng báo còn thay đổi nhưng danh sách thay đổi không tiến quá vị trí "
            f"{cursor}; những thay đổi đã nhận được đã lưu, lần đồng bộ sau sẽ đọc tiếp. "
            "Hãy báo cho quản trị cổng",
            "The portal says more changes follow but its change feed does not move past "
            f"cursor {cursor}; the changes received so far are kept and the next sync reads "
            "on. Tell the portal's administrator",
        )


# -- inside the package --------------------------------------------------------------------


class TransientError(Exception):
    """A failure worth retrying with the same request: dropped, timed out, 5xx, 429.

    ``reason`` says what happened (English, for the log), ``reason_vi`` the same for the
    clerk; ``retry_after`` is the portal's ``Retry-After`` in seconds, when it gave one.
    """

    def __init__(
        self,
        reason: str,
        reason_vi: str = "",
        *,
        retry_after: float | None = None,
        status: int = 0,
    ):
        super().__init__(reason)
        self.reason = reason
        self.reason_vi = reason_vi or reason
        self.retry_after = retry_after
        self.status = status


class PayloadTooLarge(Exception):
    """413: send fewer entries per request."""


class CursorAhead(Exception):
    """409 ``cursor_ahead``: the portal was reset or replaced; read its feed from 0."""
