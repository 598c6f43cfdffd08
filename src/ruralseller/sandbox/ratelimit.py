"""A token bucket per account: the sandbox's rate limit.

Example:
    >>> ticks = iter([0.0, 0.0, 0.0, 0.5])
    >>> bucket = TokenBuckets(rate=2, burst=2, clock=lambda: next(ticks))
    >>> [bucket.take("demo") for _ in range(4)]
    [0.0, 0.0, 0.5, 0.0]
"""

from __future__ import annotations

import threading
from collections.abc import Callable

__all__ = ["TokenBuckets"]


class TokenBuckets:
    """Token buckets, one per account, filled at ``rate`` tokens a second up to ``burst``."""

    def __init__(self, *, rate: float, burst: float, clock: Callable[[], float]) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, account: str) -> float:
        """Take one token from ``account``'s bucket.

        Returns:
            0.0 when the request may go ahead; else the seconds until a token is there
            (nothing was taken).
        """
        with self._lock:
            now = self._clock()
            tokens, then = self._buckets.get(account, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            if tokens >= 1:
                self._buckets[account] = (tokens - 1, now)
                return 0.0
            self._buckets[account] = (tokens, now)
            return (1 - tokens) / self.rate
