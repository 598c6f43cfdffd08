"""Temperature limits per product: storage bands, freeze-damage floors, jurisdictions' classes."""

from __future__ import annotations

import datetime as dt

import pytest

from ruralseller.catalog import (
    CuredMeat,
    FreshProduce,
    LiveBirds,
    MeatState,
    PoultryMeat,
    ShelfLife,
    ShellEggs,
    Species,
    StorageClass,
    Temperature,
    load_catalog,
)
from ruralseller.catalog.samples import sample_path
from ruralseller.coldchain.classes import (
    TEMPERATURE_CLASSES,
    ClassLimits,
    TemperatureClass,
    class_limits,
    temperature_class,
    temperature_classes,
)
from ruralseller.compliance import Citation, SourceStatus
from ruralseller.errors import InvalidValueError

SAMPLE = load_catalog(sample_path())
CHICKEN = SAMPLE.product("taihe-silkie-whole")
SAMPLE_EGGS = SAMPLE.product("taihe-silkie-eggs-30")


def c(value: int | str) -> Temperature:
    return Temperature(value, "°C")


def codes(limits: ClassLimits) -> set[str]:
    return {found.code for found in limits.classes}


# --- per product ------------------------------------------------------------------------------


def test_chilled_chicken_has_its_band_its_freeze_floor_and_the_poultry_classes() -> None:
    limits = class_limits(CHICKEN)
    assert limits.product == "taihe-silkie-whole"
    assert limits.kind == "poultry_meat"
    assert limits.storage_class is StorageClass.CHILLED
    assert limits.band == StorageClass.CHILLED.limits == (c(0), c(4))
    assert limits.source is not None
    assert "853/2004" in str(limits.source)
    # Chilled chicken is damaged below about -2 °C (EU "fresh" poultrymeat floor).
    assert limits.freeze_floor == c(-2)
    assert limits.freeze_source is not None
    assert "1308/2013" in str(limits.freeze_source)
    assert {
        "CN-CHILLED-FOOD",
        "CN-CHILLED-MEAT",
        "EU-POULTRY-CHILL",
        "EU-FRESH-POULTRYMEAT",
        "ATP-POULTRY",
        "US-POULTRY",
    } == codes(limits)


def test_frozen_chicken_has_no_freeze_floor_and_the_frozen_classes() -> None:
    frozen = PoultryMeat(
        id="frozen", producer="farm", name="冻乌鸡", species=Species.CHICKEN, state=MeatState.FROZEN
    )
    limits = class_limits(frozen)
    assert limits.band == (None, c(-18))
    assert limits.freeze_floor is None
    assert "frozen" in limits.freeze_note
    assert {
        "CN-FROZEN-FOOD",
        "EU-FROZEN-POULTRYMEAT",
        "EU-QUICK-FROZEN",
        "US-FROZEN",
    } == codes(limits)


def test_eggs_freeze_below_minus_one_whatever_their_storage() -> None:
    # The sample eggs are kept ambient (no refrigeration in rural China), yet a mountain
    # winter night can still freeze and crack them (USDA FSIS: do not freeze eggs in shells).
    ambient = class_limits(SAMPLE_EGGS)
    assert ambient.storage_class is StorageClass.AMBIENT
    assert ambient.band == (None, None)
    assert ambient.freeze_floor == c(-1)
    assert codes(ambient) == {"EU-EGGS", "US-EGGS"}

    cool = class_limits(ShellEggs(id="eggs", producer="farm", name="乌鸡蛋"))
    assert cool.band == (c(0), c("7.2"))
    assert cool.freeze_floor == c(-1)


def test_cured_meat_and_live_birds_have_no_freeze_floor() -> None:
    larou = class_limits(CuredMeat(id="larou", producer="farm", name="腊肉", meat="pork"))
    assert larou.storage_class is StorageClass.AMBIENT
    assert larou.freeze_floor is None
    assert larou.source is not None
    assert "ATP" in str(larou.source)
    assert larou.classes == ()

    birds = class_limits(
        LiveBirds(id="birds", producer="farm", name="活鸡", species=Species.CHICKEN)
    )
    assert birds.storage_class is StorageClass.LIVE
    assert birds.source is None
    assert birds.freeze_floor is None


def test_other_chilled_food_gets_the_conservative_floor_of_zero() -> None:
    greens = FreshProduce(
        id="greens",
        producer="farm",
        name="青菜",
        crop="bok choy",
        storage=StorageClass.CHILLED,
        shelf_life=ShelfLife(reference=dt.timedelta(days=7)),
    )
    limits = class_limits(greens)
    assert limits.freeze_floor == c(0)
    assert "24616" in str(limits.freeze_source)
    assert codes(limits) == {"CN-CHILLED-FOOD"}


def test_band_and_floor_are_inclusive_limits() -> None:
    limits = class_limits(CHICKEN)
    assert limits.contains(c(0))
    assert limits.contains(c(4))
    assert limits.contains(Temperature("39.2", "°F"))  # 4 °C exactly
    assert not limits.contains(c("4.01"))
    assert not limits.contains(c("-0.1"))
    assert not limits.freezes(c(-2))
    assert limits.freezes(c("-2.01"))
    assert not class_limits(CuredMeat(id="x", producer="f", name="腊肉", meat="pork")).freezes(
        c(-30)
    )


# --- the jurisdictions' classes --------------------------------------------------------------


def test_every_class_is_cited_unique_and_well_formed() -> None:
    seen = [found.code for found in TEMPERATURE_CLASSES]
    assert len(seen) == len(set(seen))
    for found in TEMPERATURE_CLASSES:
        assert found.jurisdiction in {"CN", "EU", "US", "ATP"}
        assert isinstance(found.citation, Citation)
        assert str(found.citation)
        assert isinstance(found.status, SourceStatus)
        assert found.low is not None or found.high is not None
        assert found.title


@pytest.mark.parametrize(
    ("code", "low", "high"),
    [
        ("EU-FRESH-POULTRYMEAT", c(-2), c(4)),  # Reg. 1308/2013 Annex VII Part V
        ("EU-FROZEN-POULTRYMEAT", None, c(-12)),  # Reg. 543/2008 Art. 6
        ("US-EGGS", None, Temperature(45, "°F")),  # 21 CFR 115.50: 45 °F = 7.2 °C
        ("ATP-POULTRY", None, c(4)),  # ATP Annex 3
        ("CN-CHILLED-FOOD", None, c(8)),  # GB/T 24616-2019
        ("CN-FROZEN-FOOD", None, c(-18)),
    ],
)
def test_the_research_numbers(code: str, low: Temperature | None, high: Temperature | None) -> None:
    found = temperature_class(code)
    assert (found.low, found.high) == (low, high)


def test_us_eggs_limit_is_seven_point_two_degrees() -> None:
    high = temperature_class("US-EGGS").high
    assert high is not None
    assert float(high.celsius) == pytest.approx(7.2, abs=0.03)


def test_classes_list_by_jurisdiction_and_product() -> None:
    eu = temperature_classes(jurisdiction="EU")
    assert eu
    assert all(found.jurisdiction == "EU" for found in eu)
    assert temperature_classes() == TEMPERATURE_CLASSES
    for_eggs = temperature_classes(jurisdiction="US", product=SAMPLE_EGGS)
    assert [found.code for found in for_eggs] == ["US-EGGS"]


def test_a_class_knows_what_it_applies_to() -> None:
    fresh = temperature_class("EU-FRESH-POULTRYMEAT")
    assert fresh.applies_to(CHICKEN)
    assert not fresh.applies_to(SAMPLE_EGGS)
    frozen = PoultryMeat(
        id="frozen", producer="farm", name="冻鸡", species=Species.CHICKEN, state=MeatState.FROZEN
    )
    assert not fresh.applies_to(frozen)
    assert fresh.contains(c(-2))
    assert not fresh.contains(c(-3))


# --- bad input -----------------------------------------------------------------------------


def test_unknown_code_lists_the_known_ones() -> None:
    with pytest.raises(InvalidValueError, match="no temperature class has the code") as caught:
        temperature_class("EU-FRESH")
    assert "EU-FRESH-POULTRYMEAT" in caught.value.hint


def test_unknown_jurisdiction_lists_the_known_ones() -> None:
    with pytest.raises(InvalidValueError, match="'XX'") as caught:
        temperature_classes(jurisdiction="XX")
    assert "ATP, CN, EU, US" in caught.value.hint


def test_class_limits_needs_a_product() -> None:
    with pytest.raises(InvalidValueError, match="product must be a Product"):
        class_limits("taihe-silkie-whole")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="product must be a Product"):
        temperature_classes(product="eggs")  # type: ignore[arg-type]


def test_temperatures_must_be_temperatures() -> None:
    limits = class_limits(CHICKEN)
    with pytest.raises(InvalidValueError, match=r"must be a Temperature, got 4.0"):
        limits.contains(4.0)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="must be a Temperature"):
        limits.freezes(-3)  # type: ignore[arg-type]


def test_a_class_refuses_unknown_kinds_crossed_limits_and_bare_numbers() -> None:
    base = {
        "code": "XX-TEST",
        "title": "test",
        "jurisdiction": "XX",
        "citation": Citation("Test Act"),
        "status": SourceStatus.UNVERIFIED,
    }
    with pytest.raises(InvalidValueError, match="unknown product kind"):
        TemperatureClass(**base, kinds={"chicken"})  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="low 5 °C is above high 4 °C"):
        TemperatureClass(**base, low=c(5), high=c(4))  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="high must be a Temperature or None"):
        TemperatureClass(**base, high=4)  # type: ignore[arg-type]
