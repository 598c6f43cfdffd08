"""One rate budget per marketplace account for every worker on every machine, in PostgreSQL.

A marketplace counts requests per account, not per process: four workers each keeping 10
requests a second would send 40. Here the account's token bucket is one row of a table, and
each request takes its token with one atomic statement, refilled from the database server's
own clock (``clock_timestamp()``), so every worker on every machine draws on the same budget
and no two clocks need agree::

    UPDATE ruralseller_rate_budgets SET tokens = LEAST(capacity, tokens + elapsed * rate) - 1 ...
    RETURNING tokens, rate

The bucket may go below zero: a negative level is a queue of reservations, and the caller
waits ``-tokens / rate`` seconds before sending (the generic cell rate algorithm, as in
:class:`~ruralseller.marketplaces.ratelimit.TokenBucket`). So in any interval of ``t``
seconds at most ``capacity + rate × t`` requests go out, however many workers share the row.
The wait is counted from when the answer arrives, which is after the server computed it:
network delay makes a worker later, never earlier.

``ahead`` tokens may be reserved in one statement (fewer round trips); each is then used at
the time the bucket allowed it, so the limit holds the same, but tokens a worker reserved and
then did not use are lost to the others for that moment.

Each take commits without waiting for the disk (``synchronous_commit`` off for these
connections only): a crash of the database server can lose the last few milliseconds of
takes, which only lets those tokens be taken again, and a flush per request would cost far
more than the statement.

The table is made on first use (``CREATE TABLE IF NOT EXISTS`` under an advisory lock, so
workers starting together do not trip over each other) and each account's row with
``INSERT … ON CONFLICT``; the row takes the rate and capacity of the worker that started last.
psycopg (``pip install 'ruralseller[postgres]'``) is imported only when a budget is used.
"""

from __future__ import annotations

import asyncio
import collections
import math
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ruralseller.errors import StorageError

__all__ = ["BUDGET_TABLE", "PostgresBudget", "PostgresBudgets"]

#: The table holding one token bucket per account.
BUDGET_TABLE = "ruralseller_rate_budgets"

# An arbitrary constant: the advisory lock that serialises creating the table.
_CREATE_LOCK = 0x52534255  # "RSBU"

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {BUDGET_TABLE} (
    marketplace text NOT NULL,
    account text NOT NULL,
    rate double precision NOT NULL CHECK (rate > 0),
    capacity double precision NOT NULL CHECK (capacity >= 1),
    tokens double precision NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (marketplace, account)
)
"""

_ROW = f"""
INSERT INTO {BUDGET_TABLE} (marketplace, account, rate, capacity, tokens)
VALUES (%(marketplace)s, %(account)s, %(rate)s, %(capacity)s, %(capacity)s)
ON CONFLICT (marketplace, account)
DO UPDATE SET rate = EXCLUDED.rate, capacity = EXCLUDED.capacity
"""  # noqa: S608 - the table name is our constant

# One statement: refill by the time since the last take, on the server's clock, then take.
_TAKE = f"""
UPDATE {BUDGET_TABLE} AS b
SET tokens = LEAST(
        b.capacity,
        b.tokens + GREATEST(0, EXTRACT(EPOCH FROM (c.now - b.updated_at))::float8) * b.rate
    ) - LEAST(%(cost)s, b.capacity),
    updated_at = GREATEST(c.now, b.updated_at)
FROM (SELECT clock_timestamp() AS now) AS c
WHERE b.marketplace = %(marketplace)s AND b.account = %(account)s
RETURNING b.tokens, b.rate, LEAST(%(cost)s, b.capacity)
"""  # noqa: S608 - the table name is our constant


def shown_url(url: str) -> str:
    """``url`` without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def _no_flush_wait(connection: Any) -> None:
    """Commit a take without waiting for the write-ahead log to reach the disk.

    A bucket's level lost in a server crash only refills the bucket early, by the few
    milliseconds before the crash; waiting for the disk would cost each request a flush.
    """
    connection.execute("SET synchronous_commit TO off")


class PostgresBudgets:
    """The rate budgets of marketplace accounts, kept in PostgreSQL for every worker.

    Give it to a driver as its ``budgets`` wiring
    (``get_marketplace("etsy", budgets=PostgresBudgets(url), ...)``), or let
    ``ruralseller worker`` do it when its outbox is on PostgreSQL.

    Args:
        url: a libpq URL, ``postgresql://user:password@host/database``.
        ahead: tokens reserved per statement (1: one round trip per request).
        burst: the share of each account's burst the workers may send at once (at least one
            request). The budget decides when a request leaves, the marketplace counts when
            it arrives, and on the way requests bunch up (a busy machine, a slow new
            connection); the burst left unused absorbs that. It costs no throughput: the
            rate is the same.
        clock: a monotonic clock for the local waits; injectable for tests.

    Raises:
        StorageError: (when first used) the database cannot be reached or written, naming
            it without its password.
    """

    def __init__(
        self,
        url: str,
        *,
        ahead: int = 1,
        burst: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if ahead < 1:
            raise ValueError(f"ahead must be at least 1 token, got {ahead!r}")
        if not 0 < burst <= 1:
            raise ValueError(
                f"burst must be a share of the account's burst, in (0, 1], got {burst!r}"
            )
        self.url = url
        self.ahead = ahead
        self.burst = burst
        self.clock = clock
        self._lock = threading.Lock()
        self._pool: Any = None
        self._budgets: dict[tuple[str, str], PostgresBudget] = {}
        #: Statements sent so far (to measure the cost per request).
        self.round_trips = 0

    def __repr__(self) -> str:
        return f"PostgresBudgets({shown_url(self.url)!r}, ahead={self.ahead}, burst={self.burst:g})"

    def budget(
        self, marketplace: str, account: str, rate: float, capacity: float
    ) -> PostgresBudget:
        """The budget of ``account`` on ``marketplace`` (its row is made on first use)."""
        if not rate > 0:
            raise ValueError(f"a rate budget needs a positive rate, got {rate!r}")
        key = (marketplace, account)
        with self._lock:
            if key not in self._budgets:
                self._budgets[key] = PostgresBudget(
                    self, marketplace, account, rate=rate, capacity=max(1.0, capacity * self.burst)
                )
            return self._budgets[key]

    def connect(self) -> None:
        """Connect now (and make the table if need be) rather than at the first request.

        Raises:
            StorageError: the database cannot be reached or written.
        """
        self._connections()

    def close(self) -> None:
        """Close the connections."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()

    def _connections(self) -> Any:
        with self._lock:
            if self._pool is None:
                self._pool = self._open()
            return self._pool

    def _open(self) -> Any:
        import psycopg  # noqa: PLC0415 - only when a shared budget is used
        import psycopg_pool  # noqa: PLC0415

        try:
            # One plain connection first: a database that cannot be reached is said at once,
            # where the pool would keep trying until its timeout.
            psycopg.connect(self.url, connect_timeout=10).close()
        except psycopg.Error as error:
            raise self._error(error) from None
        pool = psycopg_pool.ConnectionPool(
            self.url,
            min_size=1,
            max_size=4,
            kwargs={"autocommit": True},
            configure=_no_flush_wait,
            open=False,
            name="ruralseller-rate-budgets",
        )
        try:
            pool.open(wait=True, timeout=10.0)
            with pool.connection() as db, db.transaction():
                db.execute("SELECT pg_advisory_xact_lock(%s)", (_CREATE_LOCK,))
                db.execute(_SCHEMA)
        except (psycopg.Error, psycopg_pool.PoolTimeout) as error:
            pool.close()
            raise self._error(error) from None
        return pool

    def _error(self, error: BaseException) -> StorageError:
        return StorageError(
            shown_url(self.url),
            f"the shared rate budgets cannot be used: {str(error).strip() or type(error).__name__}",
            hint="check that the PostgreSQL server runs and the URL, user and password are "
            "right (the user needs CREATE on the database the first time)",
        )

    def _take(self, budget: PostgresBudget, cost: float) -> tuple[float, float, float]:
        """Take ``cost`` tokens from ``budget``'s row: (tokens left, rate, tokens taken)."""
        import psycopg  # noqa: PLC0415

        pool = self._connections()
        params = {"marketplace": budget.marketplace, "account": budget.account, "cost": cost}
        try:
            with pool.connection() as db:
                if not budget.row_made:
                    db.execute(
                        _ROW,
                        {**params, "rate": budget.rate, "capacity": budget.capacity},
                    )
                    budget.row_made = True
                row = db.execute(_TAKE, params).fetchone()
                self.round_trips += 1
        except psycopg.Error as error:
            raise self._error(error) from None
        if row is None:  # someone deleted the row: make it again next time
            budget.row_made = False
            return self._take(budget, cost)
        return float(row[0]), float(row[1]), float(row[2])


class PostgresBudget:
    """One account's budget in PostgreSQL (made by :meth:`PostgresBudgets.budget`).

    It behaves as a :class:`~ruralseller.marketplaces.ratelimit.RateBudget`: ``acquire``
    waits until a request may be sent.
    """

    def __init__(
        self,
        budgets: PostgresBudgets,
        marketplace: str,
        account: str,
        *,
        rate: float,
        capacity: float,
    ) -> None:
        self.budgets = budgets
        self.marketplace = marketplace
        self.account = account
        self.rate = float(rate)
        self.capacity = float(capacity)
        self.row_made = False
        # Local times at which tokens reserved ahead may be used, earliest first.
        self._ready: collections.deque[float] = collections.deque()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return (
            f"PostgresBudget({self.marketplace!r}, {self.account!r}, rate={self.rate:g}, "
            f"capacity={self.capacity:g})"
        )

    def _next(self) -> float:
        """When a request may be sent (local monotonic time), reserving tokens if need be."""
        with self._lock:
            if self._ready:
                return self._ready.popleft()
        ahead = min(self.budgets.ahead, max(1, math.floor(self.capacity)))
        left, rate, taken = self.budgets._take(self, float(ahead))  # noqa: SLF001 - our pair
        now = self.budgets.clock()
        # The level went from left + taken down to left; token i may be used once the level
        # before it is refilled to at least 0.
        times = [now + max(0.0, -(left + taken - 1 - i)) / rate for i in range(int(taken))]
        with self._lock:
            self._ready.extend(times[1:])
        return times[0]

    def _reserve(self, cost: float) -> float:
        """Seconds to wait before a request costing ``cost`` may be sent."""
        if cost == 1.0:
            return max(0.0, self._next() - self.budgets.clock())
        left, rate, _taken = self.budgets._take(self, cost)  # noqa: SLF001 - our pair
        return max(0.0, -left / rate)

    async def acquire(
        self, cost: float = 1.0, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    ) -> None:
        """Wait (asynchronously) until a request costing ``cost`` tokens may be sent."""
        wait = await asyncio.to_thread(self._reserve, cost)
        if wait > 0:
            await sleep(wait)

    def acquire_sync(self) -> None:
        """Wait (blocking the thread) until a request may be sent."""
        wait = self._reserve(1.0)
        if wait > 0:
            time.sleep(wait)
