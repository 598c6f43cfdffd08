"""The state of one sandbox app: its configuration, database, rate limits and faults.

Example:
    >>> sandbox = Sandbox(SandboxConfig())
    >>> sandbox.count_listings(), sandbox.faults == Faults()
    (0, True)
    >>> sandbox.set_faults(Faults(drop=0.5, seed=7))
    >>> sandbox.faults.drop
    0.5
"""

from __future__ import annotations

import datetime as dt

from ruralseller.sandbox.auth import ReplayGuard
from ruralseller.sandbox.config import Faults, SandboxConfig
from ruralseller.sandbox.faults import FaultDice
from ruralseller.sandbox.ratelimit import TokenBuckets
from ruralseller.sandbox.storage import Storage

__all__ = ["Sandbox"]


class Sandbox:
    """One sandbox marketplace's state, reachable as ``app.state.sandbox``.

    Attributes:
        config: how it was set up.
        storage: its database.
        buckets: the rate limit's token buckets.
        replays: the nonces and write signatures seen, to refuse a replayed request.
    """

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.storage = Storage(config.db)
        self.buckets = TokenBuckets(rate=config.rate, burst=config.burst, clock=config.clock)
        self._dice = FaultDice(config.faults)
        self.replays = ReplayGuard()

    def __repr__(self) -> str:
        return f"Sandbox(db={self.storage.path!r}, accounts={sorted(self.config.accounts)!r})"

    @property
    def faults(self) -> Faults:
        """The faults injected now."""
        return self._dice.faults

    def set_faults(self, faults: Faults) -> None:
        """Inject ``faults`` from now on (the random draws restart from their seed)."""
        self._dice = FaultDice(faults)

    def dice(self) -> FaultDice:
        """The random draws of the faults injected now."""
        return self._dice

    def count_listings(self) -> int:
        """How many listings are stored, of every account."""
        with self.storage.transaction() as tx:
            return tx.count_listings()

    def timestamp(self) -> str:
        """Now, in ISO 8601 UTC, e.g. ``2026-11-21T08:30:00.123456Z``."""
        now = dt.datetime.fromtimestamp(self.config.now(), dt.UTC)
        return now.isoformat().replace("+00:00", "Z")

    def close(self) -> None:
        """Close the database."""
        self.storage.close()
