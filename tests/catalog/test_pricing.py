"""The price of one unit: pricing policies for catch weight, the stated rounding, remaining life."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import decimals_text, masses

from ruralseller.catalog import (
    Lot,
    LotQuantity,
    Mass,
    Money,
    Offer,
    PieceMass,
    PricingPolicy,
    RemainingLife,
    SaleUnit,
    WeightBand,
    billed_price,
    default_measure_words,
    loads_catalog,
    rounded_half_up,
)
from ruralseller.errors import CatalogValidationError, QuantityError

BIRD = Lot(
    id="WJ1",
    product="bird",
    production_date=dt.date(2026, 11, 23),
    use_by=dt.date(2026, 11, 28),
    quantity=LotQuantity(
        count=24,
        piece_mass=PieceMass(
            min=Mass.parse("1.1 kg"), nominal=Mass.parse("1.3 kg"), max=Mass.parse("1.5 kg")
        ),
    ),
)
PER_JIN = SaleUnit.parse("1 jin")


def offer(**changes: object) -> Offer:
    fields: dict[str, object] = {
        "lot": "WJ1",
        "price": Money.parse("36.00 CNY"),
        "per": PER_JIN,
        "stock": 24,
    }
    return Offer(**(fields | changes))  # type: ignore[arg-type]


class TestPolicies:
    def test_upper_weight_is_the_default(self) -> None:
        """A bird of 1.1-1.5 kg at 36 CNY/jin costs 3 jin x 36 = 108.00 CNY (多退少补)."""
        sale = offer()
        assert sale.policy is PricingPolicy.UPPER_WEIGHT
        assert sale.billed_weight(BIRD) == Mass.parse("1.5 kg")
        assert sale.unit_price(BIRD) == Money.parse("108.00 CNY")

    def test_nominal_weight(self) -> None:
        """Charged at the nominal 1.3 kg: 2.6 jin x 36 = 93.60 CNY."""
        sale = offer(pricing=PricingPolicy.NOMINAL_WEIGHT)
        assert sale.unit_price(BIRD) == Money.parse("93.60 CNY")

    def test_nominal_weight_needs_a_nominal_mass(self) -> None:
        """Without piece_mass.nominal the policy cannot price; the error names the field."""
        lot = attrs.evolve(
            BIRD,
            quantity=LotQuantity(
                count=2, piece_mass=PieceMass(min=Mass.parse("1 kg"), max=Mass.parse("2 kg"))
            ),
        )
        with pytest.raises(QuantityError, match=r"piece_mass\.nominal"):
            offer(pricing=PricingPolicy.NOMINAL_WEIGHT).unit_price(lot)

    def test_weight_bands(self) -> None:
        """Each band is its own variation, charged at its upper weight."""
        bands = [
            WeightBand(min=Mass.parse("1.1 kg"), max=Mass.parse("1.3 kg")),
            WeightBand(min=Mass.parse("1.3 kg"), max=Mass.parse("1.5 kg")),
        ]
        sale = offer(pricing=PricingPolicy.WEIGHT_BANDS, bands=bands)
        assert [str(price) for _, price in sale.band_prices()] == ["93.60 CNY", "108.00 CNY"]
        assert sale.unit_price(BIRD) == Money.parse("108.00 CNY")

    def test_per_piece_price_is_the_unit_price(self) -> None:
        """A box of eggs at 68.00 CNY each: no policy, the price is the unit price."""
        sale = offer(price=Money.parse("68.00 CNY"), per=SaleUnit())
        assert sale.policy is None
        assert sale.unit_price(BIRD) == Money.parse("68.00 CNY")

    def test_pricing_on_a_price_per_piece_is_refused(self) -> None:
        with pytest.raises(ValueError, match="per piece"):
            offer(per=SaleUnit(), pricing=PricingPolicy.UPPER_WEIGHT)

    def test_bands_need_the_policy_and_the_policy_needs_bands(self) -> None:
        band = WeightBand(min=Mass.parse("1 kg"), max=Mass.parse("2 kg"))
        with pytest.raises(ValueError, match="weight_bands"):
            offer(bands=[band])
        with pytest.raises(ValueError, match="needs the bands"):
            offer(pricing=PricingPolicy.WEIGHT_BANDS)


class TestRounding:
    def test_half_up_to_the_fen(self) -> None:
        """The stated rule: half a fen rounds up (四舍五入), not to even."""
        assert rounded_half_up(Money("0.125", "CNY")) == Money("0.13", "CNY")
        assert rounded_half_up(Money("0.135", "CNY")) == Money("0.14", "CNY")
        assert rounded_half_up(Money("100.5", "JPY")) == Money("101", "JPY")

    @given(
        price=decimals_text(min_value="0.01", max_value="9999", max_places=2),
        per=st.sampled_from(["1 jin", "1 kg", "500 g", "1 lb", "2 jin"]),
        low=masses(decimal_only=True).filter(lambda m: Mass(0, "g") < m < Mass(100, "kg")),
        extra=masses(decimal_only=True).filter(lambda m: m < Mass(100, "kg")),
        policy=st.sampled_from(PricingPolicy),
    )
    def test_unit_price_is_price_by_mass_times_billed_weight_rounded(
        self, price: str, per: str, low: Mass, extra: Mass, policy: PricingPolicy
    ) -> None:
        """For every policy: unit price = price per mass x billed weight, rounded half up."""
        high = low + extra
        lot = attrs.evolve(
            BIRD,
            quantity=LotQuantity(count=1, piece_mass=PieceMass(min=low, nominal=low, max=high)),
        )
        bands = [WeightBand(min=low, max=high)] if policy is PricingPolicy.WEIGHT_BANDS else []
        sale = offer(
            price=Money(price, "CNY"), per=SaleUnit.parse(per), pricing=policy, bands=bands
        )
        billed = sale.billed_weight(lot)
        assert billed == (low if policy is PricingPolicy.NOMINAL_WEIGHT else high)
        exact = Fraction(Decimal(price)) * (billed / Mass.parse(per))
        paid = sale.unit_price(lot)
        assert paid.amount == paid.amount.quantize(Decimal("0.01"))
        # Half up to the fen, worked out in integers: floor(exact x 100 + 1/2) fen.
        fen = exact * 100 + Fraction(1, 2)
        assert Fraction(paid.amount) == Fraction(fen.numerator // fen.denominator, 100)
        assert abs(Fraction(paid.amount) - exact) <= Fraction(1, 200)
        assert paid == billed_price(Money(price, "CNY"), Mass.parse(per), billed)


class TestRemainingLife:
    def test_days_and_share(self) -> None:
        """A share is rounded up to whole days; with both, the stricter one counts."""
        assert RemainingLife(days=2).days_for(5) == 2
        assert RemainingLife(share=Decimal("0.3")).days_for(5) == 2
        assert RemainingLife(days=1, share=Decimal("0.5")).days_for(24) == 12
        assert str(RemainingLife(days=2, share=Decimal("0.3"))) == "2 d and 30 %"

    def test_needs_days_or_share(self) -> None:
        with pytest.raises(ValueError, match="days or share"):
            RemainingLife()

    def test_per_marketplace_wins(self) -> None:
        sale = offer(
            min_remaining_life=RemainingLife(days=2),
            min_remaining_life_on={"taobao": RemainingLife(days=3)},
        )
        assert sale.remaining_life("taobao").days == 3
        assert sale.remaining_life("shopify").days == 2
        assert offer().remaining_life().days == 0  # by default: arrive by the date


class TestMeasureWords:
    def test_by_kind(self) -> None:
        assert default_measure_words("poultry_meat")["zh"] == "只"
        assert default_measure_words("poultry_meat", whole=False)["zh"] == "份"
        assert default_measure_words("shell_eggs")["en"] == "box"
        assert default_measure_words("fresh_produce")["zh"] == "袋"
        assert default_measure_words("cured_meat")["zh"] == "块"


CATALOG = """
format = 1
[[producers]]
id = "p"
name = "P"
kind = "farmer"
place = { country = "CN", province = "江西省" }
[[products]]
kind = "poultry_meat"
id = "bird"
producer = "p"
name = "鸡"
species = "chicken"
cut = "whole"
state = "chilled"
[[lots]]
id = "L1"
product = "bird"
production_date = 2026-11-23
use_by = 2026-11-28
quantity = { count = 2, piece_mass = { min = "1.1 kg", max = "1.5 kg" } }
[lots.slaughter]
facility = "plant"
slaughtered_at = 2026-11-23T06:00:00+08:00
[[offers]]
lot = "L1"
price = "36.00 CNY"
per = "1 jin"
stock = 2
"""


class TestCatalogueFile:
    def test_fields_read_from_toml(self) -> None:
        text = CATALOG + (
            'unit = { zh = "只", en = "bird" }\npricing = "weight_bands"\n'
            'bands = [{ min = "1.1 kg", max = "1.3 kg" }, { min = "1.3 kg", max = "1.5 kg" }]\n'
            "min_remaining_life = { days = 2 }\n"
            "min_remaining_life_on = { taobao = { share = 0.4 } }\n"
        )
        sale = loads_catalog(text).offers[0]
        assert sale.pricing is PricingPolicy.WEIGHT_BANDS
        assert [str(band.max) for band in sale.bands] == ["1.3 kg", "1.5 kg"]
        assert dict(sale.unit) == {"zh": "只", "en": "bird"}
        assert sale.remaining_life("taobao").share == Decimal("0.4")

    def test_a_bad_policy_names_the_field(self) -> None:
        with pytest.raises(CatalogValidationError) as info:
            loads_catalog(CATALOG + 'pricing = "upper"\n')
        problem = info.value.problems[0]
        assert problem.path == "offers[0].pricing"
        assert "upper_weight" in problem.hint

    def test_bands_without_policy_names_the_field(self) -> None:
        with pytest.raises(CatalogValidationError) as info:
            loads_catalog(CATALOG + 'bands = [{ min = "1.1 kg", max = "1.3 kg" }]\n')
        assert info.value.problems[0].path.startswith("offers[0]")
        assert "weight_bands" in str(info.value)

    def test_nominal_pricing_without_a_nominal_weight_names_the_field(self) -> None:
        with pytest.raises(CatalogValidationError) as info:
            loads_catalog(CATALOG + 'pricing = "nominal_weight"\n')
        problem = info.value.problems[0]
        assert problem.path == "offers[0].pricing"
        assert "piece_mass.nominal" in problem.hint
