"""When to retry a marketplace request and how long to wait first.

Retries are boring on purpose (the stripe client is the model): capped exponential backoff with
jitter, ``Retry-After`` honoured, and a request the marketplace may already have carried out is
retried only when it is idempotent. The random source is injectable so tests are deterministic.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import random
from collections.abc import Callable

import attrs

__all__ = ["RetryPolicy", "parse_retry_after"]


def _positive(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not value > 0:
        raise ValueError(f"RetryPolicy.{attribute.name} must be positive, got {value!r}")


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How many times to try a request and how long to wait between tries.

    The wait before try ``n + 1`` is ``min(max_delay, base_delay * 2 ** (n - 1))``, scaled by a
    random factor between ``1 - jitter`` and 1 so that many clients do not retry in step; it is
    never shorter than the ``Retry-After`` the marketplace asked for. A ``Retry-After`` longer
    than ``max_retry_after`` is not waited out: the error is raised for the caller (the outbox
    will try again later) instead of blocking a partner's screen.

    Example:
        >>> policy = RetryPolicy(base_delay=0.5, max_delay=4.0, jitter=0.0)
        >>> [policy.delay(n) for n in (1, 2, 3, 4, 5)]
        [0.5, 1.0, 2.0, 4.0, 4.0]
        >>> policy.delay(1, retry_after=3.0)
        3.0
    """

    max_attempts: int = attrs.field(default=4)
    base_delay: float = attrs.field(default=0.5, validator=_positive)
    max_delay: float = attrs.field(default=8.0, validator=_positive)
    jitter: float = attrs.field(default=0.5)
    max_retry_after: float = attrs.field(default=60.0, validator=_positive)
    random: Callable[[], float] = attrs.field(default=random.random, eq=False, repr=False)

    @max_attempts.validator
    def _check_attempts(self, _attribute: attrs.Attribute[int], value: int) -> None:
        if value < 1:
            raise ValueError(f"RetryPolicy.max_attempts must be at least 1, got {value!r}")

    @jitter.validator
    def _check_jitter(self, _attribute: attrs.Attribute[float], value: float) -> None:
        if not 0 <= value <= 1:
            raise ValueError(f"RetryPolicy.jitter must be between 0 and 1, got {value!r}")

    @classmethod
    def never(cls) -> RetryPolicy:
        """A policy that tries each request once."""
        return cls(max_attempts=1)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed try number ``attempt`` (counting from 1)."""
        backoff = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        backoff *= 1 - self.jitter * self.random()
        return float(max(backoff, retry_after or 0.0))

    def should_wait_for(self, retry_after: float | None) -> bool:
        """Whether a ``Retry-After`` is short enough to wait out here."""
        return retry_after is None or retry_after <= self.max_retry_after


def parse_retry_after(value: str | None, *, now: dt.datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header: delta-seconds or an HTTP date (RFC 9110 §10.2.3).

    Returns ``None`` for a missing or unreadable header, and never a negative number.

    >>> parse_retry_after("3")
    3.0
    >>> parse_retry_after("Wed, 21 Oct 2026 07:28:05 GMT",
    ...                   now=dt.datetime(2026, 10, 21, 7, 28, tzinfo=dt.timezone.utc))
    5.0
    >>> parse_retry_after("soon") is None
    True
    """
    if value is None:
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())
