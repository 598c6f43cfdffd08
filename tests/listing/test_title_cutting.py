"""shorten_title: the same cut as measuring every prefix, in time linear in the title."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ruralseller.listing import get_profile, shorten_title, title_length
from ruralseller.listing.profiles import _BREAK, _DANGLING, MarketplaceProfile

PROFILES = [get_profile(name) for name in ("taobao", "ebay", "mercadolibre", "sandbox")]


def _reference(title: str, profile: MarketplaceProfile) -> str:
    """The former, quadratic cut: the specification the fast one must match."""

    def fits(text: str) -> bool:
        return title_length(text, profile) <= profile.title_max

    title = title.strip()
    if fits(title):
        return title
    for match in reversed(list(_BREAK.finditer(title))):
        candidate = title[: match.start()].rstrip(_DANGLING)
        if candidate and fits(candidate):
            return candidate
    end = len(title)
    while end > 0 and not fits(title[:end].rstrip(_DANGLING)):
        end -= 1
    return title[:end].rstrip(_DANGLING)


_PIECES = st.sampled_from(
    ["乌鸡", "silkie", " ", ", ", "，", "、", "-", "(", "【", "·", "1.2 kg", "泰和", "x" * 30, "😀"]
)


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(_PIECES, max_size=60), profile=st.sampled_from(PROFILES))
def test_the_fast_cut_is_the_reference_cut(parts: list[str], profile: MarketplaceProfile) -> None:
    title = "".join(parts)
    assert shorten_title(title, profile) == _reference(title, profile)


@settings(max_examples=200, deadline=None)
@given(title=st.text(max_size=400), profile=st.sampled_from(PROFILES))
def test_the_fast_cut_matches_on_any_text(title: str, profile: MarketplaceProfile) -> None:
    assert shorten_title(title, profile) == _reference(title, profile)


@pytest.mark.parametrize(
    "title",
    [
        "乌" * 10_000_000,
        "hen " * 2_500_000,
        "a" + " -" * 3_000_000 + "b",
        "(" * 5_000_000 + "x",
    ],
    ids=["one word", "many words", "dangling run", "all dangling"],
)
def test_a_title_of_ten_million_characters_is_cut_quickly(title: str) -> None:
    started = time.perf_counter()
    for profile in PROFILES:
        assert title_length(shorten_title(title, profile), profile) <= profile.title_max
    assert time.perf_counter() - started < 10  # was more than 2 minutes for one profile
