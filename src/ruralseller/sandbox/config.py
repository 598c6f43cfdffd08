"""What a sandbox marketplace is made of: its accounts, rate limit, faults and database.

Example:
    >>> config = SandboxConfig(rate=5, burst=10)
    >>> config.accounts.keys() == {"demo"}, config.db
    (True, ':memory:')
    >>> "sandbox-demo-secret" in repr(config)
    False
    >>> Faults(drop=1.5)
    Traceback (most recent call last):
    ...
    ValueError: Faults.drop must be a rate between 0 and 1, not 1.5
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final

import attrs

from ruralseller.marketplaces import sandbox as _adapter

__all__ = ["DEMO_KEY_ID", "DEMO_SECRET", "Faults", "SandboxConfig"]

# The demo account every sandbox has unless told otherwise, shared with the sandbox adapter
# so the two cannot drift apart. Its secret is published in the docs: it is for a sandbox on
# your own machine only; never expose a sandbox with it on a network others can reach.
DEMO_KEY_ID: Final = _adapter.DEMO_KEY_ID
DEMO_SECRET: Final = _adapter.DEMO_SECRET


def _rate(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError(
            f"{type(instance).__name__}.{attribute.name} must be a rate between 0 and 1, "
            f"not {value!r}"
        )


def _seconds(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < math.inf:
        raise ValueError(
            f"{type(instance).__name__}.{attribute.name} must be a number of seconds >= 0, "
            f"not {value!r}"
        )


@attrs.frozen(kw_only=True)
class Faults:
    """How often a sandbox misbehaves on purpose, so clients can be tested against it.

    Each rate is the chance, between 0 and 1, that one ``/v1`` request meets that fault; the
    draws come from a random generator seeded with ``seed``, so a run can be repeated.

    Attributes:
        error_500: answer 500 ``internal_error`` before doing anything.
        error_503: answer 503 ``unavailable`` with ``Retry-After: 1`` before doing anything.
        slow: wait ``slow_seconds`` before handling the request.
        slow_seconds: how long a slow request waits.
        drop: close the connection without an answer, before doing anything.
        lost_response: do the work (it is stored) and then close the connection without an
            answer, as when a village network drops while the answer travels back.
        seed: the seed of the random generator.

    Example:
        >>> Faults(error_503=0.2).error_503
        0.2
    """

    error_500: float = attrs.field(default=0.0, validator=_rate)
    error_503: float = attrs.field(default=0.0, validator=_rate)
    slow: float = attrs.field(default=0.0, validator=_rate)
    slow_seconds: float = attrs.field(default=2.0, validator=_seconds)
    drop: float = attrs.field(default=0.0, validator=_rate)
    lost_response: float = attrs.field(default=0.0, validator=_rate)
    seed: int = 0


def _accounts(value: Mapping[str, str]) -> Mapping[str, str]:
    accounts = dict(value)
    for key_id, secret in accounts.items():
        if not isinstance(key_id, str) or not key_id or not key_id.isprintable():
            raise ValueError(
                f"SandboxConfig.accounts: a key id must be printable text, not {key_id!r}"
            )
        if not isinstance(secret, str) or not secret:
            # The secret itself is never put in a message.
            raise ValueError(f"SandboxConfig.accounts: the secret of {key_id!r} must be text")
    return MappingProxyType(accounts)


def _hidden(accounts: Mapping[str, str]) -> str:
    return repr(dict.fromkeys(accounts, "***"))


def _positive(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < math.inf:
        raise ValueError(
            f"{type(instance).__name__}.{attribute.name} must be a number > 0, not {value!r}"
        )


@attrs.frozen(kw_only=True)
class SandboxConfig:
    """How to set up one sandbox marketplace.

    Attributes:
        db: the SQLite database file, or ``":memory:"`` (the default) for one that lives
            as long as the app.
        accounts: the API key ids and their secrets. The default is one demo account
            (:data:`DEMO_KEY_ID`, :data:`DEMO_SECRET`), for local use only. Secrets are never
            shown in the repr.
        rate: how many requests per second each account may make, on average.
        burst: how many requests an account may make at once (the token bucket's size).
        faults: the faults to inject (none by default).
        clock: seconds for the rate limiter (monotonic); replaceable in tests.
        now: the wall clock in unix seconds, for signatures and timestamps.
        header_timeout: seconds a client has to send a request's line and headers once it
            connects (or after the previous answer); then it gets 408 and is disconnected.
        body_timeout: seconds a client has to send a request's body; then it gets 408.
    """

    db: str | os.PathLike[str] = ":memory:"
    accounts: Mapping[str, str] = attrs.field(
        factory=lambda: {DEMO_KEY_ID: DEMO_SECRET}, converter=_accounts, repr=_hidden
    )
    rate: float = attrs.field(default=20.0, validator=_positive)
    burst: float = attrs.field(default=40.0, validator=_positive)
    faults: Faults = attrs.field(factory=Faults, validator=attrs.validators.instance_of(Faults))
    clock: Callable[[], float] = attrs.field(default=time.monotonic, repr=False)
    now: Callable[[], float] = attrs.field(default=time.time, repr=False)
    header_timeout: float = attrs.field(default=10.0, validator=_positive)
    body_timeout: float = attrs.field(default=30.0, validator=_positive)
