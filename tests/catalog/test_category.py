"""Legal categories: label rules follow the category, jurisdiction by jurisdiction."""

from __future__ import annotations

import pytest

from ruralseller.catalog import PRODUCT_KINDS, LegalCategory, legal_category
from ruralseller.errors import InvalidValueError


@pytest.mark.parametrize(
    ("kind", "category"),
    [
        ("poultry_meat", LegalCategory.EDIBLE_AGRICULTURAL_PRODUCT),
        ("shell_eggs", LegalCategory.EDIBLE_AGRICULTURAL_PRODUCT),
        ("fresh_produce", LegalCategory.EDIBLE_AGRICULTURAL_PRODUCT),
        ("cured_meat", LegalCategory.PREPACKAGED_FOOD),
        ("packaged_food", LegalCategory.PREPACKAGED_FOOD),
        ("live_birds", LegalCategory.LIVE_ANIMAL),
    ],
)
def test_china(kind: str, category: LegalCategory) -> None:
    """In China a whole chilled bird, eggs and potatoes are agricultural products."""
    assert legal_category(kind, "CN") is category
    assert legal_category(kind, " cn ") is category


@pytest.mark.parametrize("jurisdiction", ["EU", "US", "XX"])
def test_elsewhere_packed_food_is_prepackaged(jurisdiction: str) -> None:
    """Elsewhere every food kind sold packed is prepackaged; live birds are live animals."""
    for kind in PRODUCT_KINDS:
        expected = (
            LegalCategory.LIVE_ANIMAL if kind == "live_birds" else LegalCategory.PREPACKAGED_FOOD
        )
        assert legal_category(kind, jurisdiction) is expected


def test_unknown_kind() -> None:
    """An unknown kind is an error naming the kinds."""
    with pytest.raises(InvalidValueError, match="larou") as info:
        legal_category("larou", "CN")
    assert "cured_meat" in info.value.hint
