"""Packing requirements by product kind."""

from __future__ import annotations

import attrs
import pytest

from ruralseller.catalog import CuredMeat, LiveBirds, MeatState, Species, StorageClass, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.errors import InvalidValueError
from ruralseller.packaging import Basis, packing_requirements

SAMPLE = load_catalog(sample_path())


def codes(product: object) -> list[str]:
    return [r.code for r in packing_requirements(product)]  # type: ignore[arg-type]


def test_chilled_chicken() -> None:
    """Raw chilled chicken needs a leak-proof liner, a pad, cold and no freezing."""
    assert codes(SAMPLE.products[0]) == [
        "food-contact",
        "leak-proof",
        "absorbent",
        "keep-chilled",
        "no-freezing",
    ]


def test_frozen_chicken_may_freeze() -> None:
    """Frozen chicken keeps frozen; the no-freezing rule is for chilled meat."""
    frozen = attrs.evolve(SAMPLE.products[0], state=MeatState.FROZEN)
    assert codes(frozen) == ["food-contact", "leak-proof", "absorbent", "keep-frozen"]


def test_eggs_kept_cool_must_not_touch_coolant() -> None:
    """Eggs kept cool go in dividers and never touch the coolant."""
    eggs = attrs.evolve(SAMPLE.products[1], storage=StorageClass.COOL)
    assert codes(eggs) == ["food-contact", "egg-dividers", "keep-cool", "no-coolant-contact"]


def test_cured_meat_is_ambient() -> None:
    """Cured meat needs food-contact packing only."""
    larou = CuredMeat(id="larou", producer="p", name="腊肉", meat="pork")
    assert codes(larou) == ["food-contact"]


def test_requirements_carry_basis_and_source() -> None:
    """Each requirement says whether it is law, practice or physics, and its source."""
    leak = packing_requirements(SAMPLE.products[0])[1]
    assert leak.basis is Basis.PRACTICE
    assert "852/2004" in leak.source


def test_live_birds_refused() -> None:
    """Live birds are not packed into parcels."""
    birds = LiveBirds(id="b", producer="p", name="乌鸡苗", species=Species.CHICKEN)
    with pytest.raises(InvalidValueError, match="not packed into parcels") as info:
        packing_requirements(birds)
    assert info.value.field == "kind"
