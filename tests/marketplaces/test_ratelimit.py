"""The token bucket spaces requests to the account's rate."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ruralseller.marketplaces import TokenBucket, account_bucket
from ruralseller.marketplaces.sandbox import SandboxMarketplace


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_spacing() -> None:
    clock = Clock()
    bucket = TokenBucket(rate=4, capacity=2, clock=clock)
    assert [bucket.reserve() for _ in range(4)] == [0.0, 0.0, 0.25, 0.5]


def test_refills_with_time_but_not_beyond_capacity() -> None:
    clock = Clock()
    bucket = TokenBucket(rate=1, capacity=3, clock=clock)
    for _ in range(3):
        assert bucket.reserve() == 0.0
    clock.now += 1000  # a long idle time refills only up to the capacity
    assert [bucket.reserve() for _ in range(4)] == [0.0, 0.0, 0.0, 1.0]


@given(
    rate=st.floats(min_value=0.1, max_value=100),
    capacity=st.integers(min_value=1, max_value=20),
    n=st.integers(min_value=1, max_value=200),
)
def test_average_rate_is_kept(rate: float, capacity: int, n: int) -> None:
    """n requests at once: the last may go when the burst plus the refill covers them."""
    bucket = TokenBucket(rate=rate, capacity=capacity, clock=Clock())
    waits = [bucket.reserve() for _ in range(n)]
    assert waits == sorted(waits)
    assert waits[-1] == pytest.approx(max(0.0, (n - capacity) / rate))


@pytest.mark.parametrize(("rate", "capacity"), [(0, None), (-1, None), (1, 0.5)])
def test_bucket_rejects_nonsense(rate: float, capacity: float | None) -> None:
    with pytest.raises(ValueError, match="TokenBucket"):
        TokenBucket(rate=rate, capacity=capacity)


def test_acquire_waits_for_real() -> None:
    bucket = TokenBucket(rate=1000, capacity=1)
    bucket.acquire_sync()
    bucket.acquire_sync()  # waits about a millisecond
    asyncio.run(bucket.acquire())
    assert repr(bucket) == "TokenBucket(rate=1000, capacity=1)"


def test_one_bucket_per_account() -> None:
    first = account_bucket("m", "acct-1", rate=2)
    assert account_bucket("m", "acct-1", rate=99) is first
    assert account_bucket("m", "acct-2", rate=2) is not first
    assert account_bucket("other", "acct-1", rate=2) is not first
    one, two = SandboxMarketplace("http://a.test"), SandboxMarketplace("http://a.test")
    other_key = SandboxMarketplace("http://a.test", key_id="k2")
    assert one.http.rate_limit is two.http.rate_limit
    assert one.http.rate_limit is not other_key.http.rate_limit
    for adapter in (one, two, other_key):
        asyncio.run(adapter.aclose())
