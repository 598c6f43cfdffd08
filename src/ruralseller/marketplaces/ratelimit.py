"""A rate budget per marketplace account, shared by async tasks and threads (and workers).

Marketplaces limit calls per account (Etsy 10 per second by default, developers.etsy.com "Rate
limits"; Shopify's leaky bucket, shopify.dev/docs/api/usage/limits). Waiting here before sending
is cheaper than a 429.

A :class:`RateBudget` is what a request waits on; :class:`RateBudgets` says where the budgets
of accounts are kept. The default, :data:`LOCAL_BUDGETS`, keeps one :class:`TokenBucket` per
account in this process; :class:`~ruralseller.marketplaces.postgres_budget.PostgresBudgets`
keeps one token-bucket row per account in PostgreSQL, so workers on many machines together
stay within the account's limit. A driver takes either as its ``budgets`` wiring.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Protocol, runtime_checkable

__all__ = [
    "LOCAL_BUDGETS",
    "LocalBudgets",
    "RateBudget",
    "RateBudgets",
    "TokenBucket",
    "account_bucket",
]


@runtime_checkable
class RateBudget(Protocol):
    """What a request to a marketplace account waits on before it is sent."""

    async def acquire(
        self, cost: float = 1.0, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    ) -> None:
        """Wait (asynchronously) until a request costing ``cost`` tokens may be sent."""

    def acquire_sync(self) -> None:
        """Wait (blocking the thread) until a request may be sent."""


class RateBudgets(Protocol):
    """Where the budgets of marketplace accounts are kept."""

    def budget(self, marketplace: str, account: str, rate: float, capacity: float) -> RateBudget:
        """``account``'s budget on ``marketplace``: ``rate`` a second, bursts of ``capacity``."""


class TokenBucket:
    """Allows ``rate`` requests per second on average, with bursts of up to ``capacity``.

    :meth:`reserve` takes a token now and returns how long the caller must wait before using it,
    so callers queue fairly in the order they asked. The clock is injectable for tests.

    Example:
        >>> now = [0.0]
        >>> bucket = TokenBucket(rate=2, capacity=2, clock=lambda: now[0])
        >>> [bucket.reserve() for _ in range(4)]
        [0.0, 0.0, 0.5, 1.0]
    """

    def __init__(
        self,
        rate: float,
        capacity: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not rate > 0:
            raise ValueError(f"TokenBucket rate must be positive requests per second, got {rate!r}")
        capacity = rate if capacity is None else capacity
        if capacity < 1:
            raise ValueError(f"TokenBucket capacity must be at least 1, got {capacity!r}")
        self.rate = float(rate)
        self.capacity = float(capacity)
        self._clock = clock
        self._tokens = self.capacity
        self._updated = clock()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"TokenBucket(rate={self.rate:g}, capacity={self.capacity:g})"

    def _refill(self) -> None:
        """Add what the time since the last look earned (call with the lock held)."""
        now = self._clock()
        elapsed = max(0.0, now - self._updated)
        self._tokens = min(self.capacity, self._tokens + elapsed * self.rate)
        self._updated = now

    def reserve(self, cost: float = 1.0) -> float:
        """Take ``cost`` tokens; return the seconds to wait before using them (0 when free).

        A cost above the capacity takes the whole bucket: it can never hold more.
        """
        with self._lock:
            self._refill()
            self._tokens -= min(cost, self.capacity)
            return 0.0 if self._tokens >= 0 else -self._tokens / self.rate

    async def acquire(
        self, cost: float = 1.0, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    ) -> None:
        """Wait (asynchronously) until a request costing ``cost`` tokens may be sent."""
        wait = self.reserve(cost)
        if wait > 0:
            await sleep(wait)

    def acquire_sync(self) -> None:
        """Wait (blocking the thread) until a request may be sent."""
        wait = self.reserve()
        if wait > 0:
            time.sleep(wait)


_ACCOUNT_BUCKETS: dict[tuple[str, str], TokenBucket] = {}
_ACCOUNT_LOCK = threading.Lock()


def account_bucket(
    marketplace: str, account: str, rate: float, capacity: float | None = None
) -> TokenBucket:
    """The one bucket of a marketplace account in this process, made on first use.

    Marketplaces count calls per account, not per client object: two adapters (or a script
    and the outbox) using the same account must share one budget. A later call with a
    different rate keeps the first bucket, so the budget is never doubled by accident.

    >>> a = account_bucket("sandbox", "demo-doc", rate=5)
    >>> a is account_bucket("sandbox", "demo-doc", rate=50)
    True
    """
    with _ACCOUNT_LOCK:
        key = (marketplace, account)
        if key not in _ACCOUNT_BUCKETS:
            _ACCOUNT_BUCKETS[key] = TokenBucket(rate=rate, capacity=capacity)
        return _ACCOUNT_BUCKETS[key]


class LocalBudgets:
    """The budgets of this process: one :func:`account_bucket` per account (the default).

    >>> LOCAL_BUDGETS.budget("sandbox", "demo-doc", rate=5, capacity=5) is account_bucket(
    ...     "sandbox", "demo-doc", rate=5
    ... )
    True
    """

    def __repr__(self) -> str:
        return "LocalBudgets()"

    def budget(self, marketplace: str, account: str, rate: float, capacity: float) -> TokenBucket:
        """The account's bucket in this process, made on first use."""
        return account_bucket(marketplace, account, rate=rate, capacity=capacity)


#: The default budgets: in this process only.
LOCAL_BUDGETS = LocalBudgets()
