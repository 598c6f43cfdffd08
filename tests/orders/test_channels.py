"""What each channel shows: buffers and split policies."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ruralseller.orders import Channel, SplitPolicy, listed_quantities

CHANNELS = [Channel(name="a", buffer=1), Channel(name="b"), Channel(name="c", buffer=2)]


def test_shared_stock_shows_everything_less_each_buffer() -> None:
    assert listed_quantities(5, CHANNELS) == {"a": 4, "b": 5, "c": 3}
    assert listed_quantities(1, CHANNELS) == {"a": 0, "b": 1, "c": 0}
    assert listed_quantities(-2, CHANNELS) == {"a": 0, "b": 0, "c": 0}


def test_fixed_shares_add_up_to_the_whole_before_buffers() -> None:
    plain = [Channel(name=name) for name in "abc"]
    listed = listed_quantities(10, plain, SplitPolicy.FIXED_SHARES, shares={"a": 1, "b": 1, "c": 1})
    assert listed == {"a": 4, "b": 3, "c": 3}


def test_fixed_shares_need_a_share() -> None:
    with pytest.raises(ValueError, match="fixed shares need"):
        listed_quantities(10, CHANNELS, SplitPolicy.FIXED_SHARES, shares={})


def test_a_channel_needs_a_name_and_a_whole_buffer() -> None:
    with pytest.raises(ValueError, match=r"Channel\.buffer"):
        Channel(name="a", buffer=-1)
    with pytest.raises(ValueError, match=r"Channel\.name"):
        Channel(name="")
    assert Channel(name="taobao").marketplace == "taobao"


@given(
    st.integers(0, 500),
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 4)), min_size=1, max_size=5),
)
def test_fixed_shares_never_promise_a_unit_twice(
    available: int, spec: list[tuple[int, int]]
) -> None:
    channels = [Channel(name=f"c{n}", buffer=b) for n, (_, b) in enumerate(spec)]
    shares = {f"c{n}": s for n, (s, _) in enumerate(spec)}
    if not any(shares.values()):
        shares["c0"] = 1
    listed = listed_quantities(available, channels, SplitPolicy.FIXED_SHARES, shares=shares)
    assert sum(listed.values()) <= available
    assert all(value >= 0 for value in listed.values())
    shared = listed_quantities(available, channels)
    assert all(shared[c.name] == max(available - c.buffer, 0) for c in channels)
