"""How hard the engine tries and how long it waits: exponential back-off with jitter."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Backoff:
    """Exponential back-off with jitter: the n-th wait is drawn from [c/2, c], where
    c = min(cap, base * factor^(n-1)); a ``Retry-After`` is a floor, never cut short."""

    base: float
    cap: float
    factor: float = 2.0

    def ceiling(self, failures: int) -> float:
        return min(self.cap, self.base * self.factor ** max(0, failures - 1))

    def delay(self, failures: int, rng: random.Random, retry_after: float | None = None) -> float:
        ceiling = self.ceiling(failures)
        wait = rng.uniform(ceiling / 2, ceiling)
        if retry_after is not None:
            wait = max(wait, retry_after)
        return wait


@dataclass(frozen=True)
class RetryPolicy:
    """How hard the engine tries, and how long it waits between tries."""

    #: Resending one request within a round.
    request: Backoff = field(default_factory=lambda: Backoff(base=0.5, cap=15.0))
    #: Tries of one request per round before the round gives up.
    attempts: int = 4
    #: A longer ``Retry-After`` ends the round at once: come back later.
    longest_wait: float = 60.0
    #: Entries the portal wants again later (``retryable``: the dossier is not there yet).
    entry: Backoff = field(default_factory=lambda: Backoff(base=30.0, cap=3600.0))
    #: Between rounds while the portal cannot be reached (never longer than the interval).
    offline: Backoff = field(default_factory=lambda: Backoff(base=5.0, cap=600.0))
