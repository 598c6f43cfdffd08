"""The retry policy: backoff, jitter, Retry-After."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ruralseller.marketplaces import RetryPolicy, parse_retry_after


def test_backoff_doubles_then_caps() -> None:
    policy = RetryPolicy(base_delay=0.25, max_delay=2.0, jitter=0.0)
    assert [policy.delay(n) for n in range(1, 7)] == [0.25, 0.5, 1.0, 2.0, 2.0, 2.0]


@given(
    attempt=st.integers(min_value=1, max_value=40),
    draw=st.floats(min_value=0.0, max_value=0.999999),
    jitter=st.floats(min_value=0.0, max_value=1.0),
)
def test_jittered_delay_stays_within_bounds(attempt: int, draw: float, jitter: float) -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=8.0, jitter=jitter, random=lambda: draw)
    ceiling = min(8.0, 0.5 * 2 ** (attempt - 1))
    assert ceiling * (1 - jitter) - 1e-12 <= policy.delay(attempt) <= ceiling


@given(attempt=st.integers(min_value=1, max_value=30))
def test_delay_without_jitter_never_shrinks(attempt: int) -> None:
    policy = RetryPolicy(jitter=0.0)
    assert policy.delay(attempt + 1) >= policy.delay(attempt)


@given(retry_after=st.floats(min_value=0.0, max_value=1e6), attempt=st.integers(1, 10))
def test_delay_honours_retry_after(retry_after: float, attempt: int) -> None:
    assert RetryPolicy().delay(attempt, retry_after) >= retry_after


def test_long_retry_after_is_not_waited_out() -> None:
    policy = RetryPolicy(max_retry_after=30.0)
    assert policy.should_wait_for(None)
    assert policy.should_wait_for(30.0)
    assert not policy.should_wait_for(30.5)


def test_never_tries_once() -> None:
    assert RetryPolicy.never().max_attempts == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_attempts": 0}, "max_attempts must be at least 1"),
        ({"base_delay": 0.0}, "base_delay must be positive"),
        ({"max_delay": -1.0}, "max_delay must be positive"),
        ({"jitter": 1.5}, "jitter must be between 0 and 1"),
        ({"max_retry_after": 0.0}, "max_retry_after must be positive"),
    ],
)
def test_policy_rejects_nonsense(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


NOW = dt.datetime(2026, 11, 25, 12, 0, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("0", 0.0),
        ("7", 7.0),
        (" 2.5 ", 2.5),
        ("-3", 0.0),
        ("Wed, 25 Nov 2026 12:00:09 GMT", 9.0),
        ("Wed, 25 Nov 2026 11:59:00 GMT", 0.0),
        (None, None),
        ("", None),
        ("in a while", None),
    ],
)
def test_parse_retry_after(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header, now=NOW) == seconds
