"""Deciding, request by request, which fault a sandbox injects.

Example:
    >>> dice = FaultDice(Faults(drop=1.0))
    >>> dice.roll()
    FaultPlan(fault=<Fault.DROP: 'drop'>, slow_seconds=0.0)
    >>> FaultDice(Faults()).roll()
    FaultPlan(fault=None, slow_seconds=0.0)
"""

from __future__ import annotations

import enum
import random
import threading

import attrs

from ruralseller.sandbox.config import Faults

__all__ = ["Fault", "FaultDice", "FaultPlan"]


class Fault(enum.Enum):
    """A fault that ends a request early or loses its answer."""

    ERROR_500 = "error_500"
    """Answer 500 before doing anything."""
    ERROR_503 = "error_503"
    """Answer 503 with ``Retry-After`` before doing anything."""
    DROP = "drop"
    """Close the connection before doing anything."""
    LOST_RESPONSE = "lost_response"
    """Do the work, then close the connection without the answer."""


@attrs.frozen
class FaultPlan:
    """What happens to one request: a delay first, then at most one fault."""

    fault: Fault | None
    slow_seconds: float = 0.0


# The order faults are tried in: the ones that stop a request before any work come first,
# so their rates hold as given; lost_response applies to the requests that got through.
_ORDER = (Fault.DROP, Fault.ERROR_500, Fault.ERROR_503, Fault.LOST_RESPONSE)


class FaultDice:
    """The seeded random draws of one :class:`~ruralseller.sandbox.Faults` setting.

    Every roll draws the same number of random numbers, so a run with a given seed and
    the same sequence of requests meets the same faults.
    """

    def __init__(self, faults: Faults) -> None:
        self.faults = faults
        self._random = random.Random(faults.seed)  # noqa: S311 - a test fixture, not crypto
        self._lock = threading.Lock()

    def roll(self) -> FaultPlan:
        """The plan for the next request."""
        with self._lock:
            slow = self._random.random() < self.faults.slow
            draws = {fault: self._random.random() for fault in _ORDER}
        chosen = next(
            (fault for fault in _ORDER if draws[fault] < getattr(self.faults, fault.value)), None
        )
        return FaultPlan(chosen, self.faults.slow_seconds if slow else 0.0)
