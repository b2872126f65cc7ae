"""A token bucket per client address, for the public lookup page."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TokenBucketLimiter:
    """Each client may spend ``burst`` requests at once; its bucket refills at ``rate_per_s``."""

    def __init__(
        self,
        rate_per_s: float,
        burst: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = 100_000,
    ) -> None:
        self.rate = rate_per_s
        self.burst = float(burst)
        self._clock = clock
        self._max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, when)
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def take(self, client: str) -> float:
        """Spend one request: 0.0 if allowed, else the seconds until one is allowed."""
        if not self.enabled:
            return 0.0
        with self._lock:
            now = self._clock()
            tokens, when = self._buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - when) * self.rate)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                if len(self._buckets) > self._max_clients:
                    self._forget_idle(now)
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1.0 - tokens) / self.rate

    def _forget_idle(self, now: float) -> None:
        # A bucket that has refilled completely is the same as no bucket.
        full_after = self.burst / self.rate
        for client in [c for c, (_, when) in self._buckets.items() if now - when >= full_after]:
            del self._buckets[client]
