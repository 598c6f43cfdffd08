"""Tests for ruralseller.catalog.offer: what a lot sells for, how much of it, and when."""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ruralseller.catalog.money import Money
from ruralseller.catalog.offer import Offer, SaleUnit
from ruralseller.catalog.units import Mass, MassUnit
from ruralseller.errors import InvalidValueError, QuantityError

SALE_UNIT_HINT = (
    "write 'piece' to price each piece, or a mass such as '1 kg' or '1 jin' to price by weight"
)


def _exact(message: str) -> str:
    """A pattern matching exactly ``message``."""
    return f"^{re.escape(message)}$"


def cny(amount: str) -> Money:
    return Money(amount, "CNY")


def offer(**changes: Any) -> Offer:
    fields: dict[str, Any] = {
        "lot": "WJ261120A",
        "price": cny("36.00"),
        "per": SaleUnit.parse("1 jin"),
        "stock": 40,
    }
    return Offer(**(fields | changes))


# --- strategies --------------------------------------------------------------------------

# Sale units whose ratio to a whole number of grams always has a decimal form, so prices
# by weight stay exact.
sale_masses = st.sampled_from(
    [Mass(1, "kg"), Mass(1, "jin"), Mass(500, "g"), Mass(100, "g"), Mass(1, "liang")]
)
piece_grams = st.integers(min_value=0, max_value=20_000)
prices = st.integers(min_value=1, max_value=1_000_000).map(
    lambda fen: Money(fen, "CNY") * Fraction(1, 100)
)


class TestSaleUnit:
    @pytest.mark.parametrize("text", ["piece", " Piece ", "PIECE", "pc", "each", "个", "只"])
    def test_piece_spellings(self, text: str) -> None:
        """'piece' and its usual spellings, English or Chinese, price each piece."""
        unit = SaleUnit.parse(text)
        assert unit.per_piece
        assert unit.mass is None
        assert str(unit) == "piece"

    @pytest.mark.parametrize(
        ("text", "mass"),
        [
            ("1 jin", Mass(1, MassUnit.JIN)),
            ("1 斤", Mass(1, MassUnit.JIN)),
            ("500 g", Mass(500, MassUnit.G)),
            ("1 kg", Mass(1, MassUnit.KG)),
            ("0.5 kg", Mass("0.5", MassUnit.KG)),
        ],
    )
    def test_masses(self, text: str, mass: Mass) -> None:
        """A mass prices by weight and prints as it was given."""
        unit = SaleUnit.parse(text)
        assert not unit.per_piece
        assert unit.mass == mass
        assert unit.mass.unit is mass.unit
        assert str(unit) == str(mass)

    def test_default_is_per_piece(self) -> None:
        """A sale unit with no mass is one piece."""
        assert SaleUnit().per_piece
        assert offer(per=SaleUnit()).per.per_piece

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            ("dozen", "cannot read 'dozen' as a mass; write a number and a unit, like '1.2 kg'"),
            (
                "1 kilo",
                (
                    "unknown mass unit 'kilo' in '1 kilo'; use one of: g, kg, t, lb, oz, jin, "
                    "liang, jin_tw, liang_tw, catty_hk, tael_hk"
                ),
            ),
            (5, "a mass must be written as text like '1.2 kg', not 5"),
        ],
    )
    def test_bad_text_is_refused_with_a_hint(self, text: object, reason: str) -> None:
        """Text that is neither 'piece' nor a mass is refused; the hint says both ways and why."""
        with pytest.raises(QuantityError, match=_exact(f"{text!r} is not a sale unit")) as info:
            SaleUnit.parse(text)  # type: ignore[arg-type]
        assert info.value.hint == f"{SALE_UNIT_HINT} ({reason})"

    @pytest.mark.parametrize("text", ["0 kg", "0 jin"])
    def test_zero_mass_is_refused(self, text: str) -> None:
        """A sale unit that weighs nothing sells nothing."""
        with pytest.raises(
            QuantityError, match=_exact(f"a sale unit of {text} sells nothing; use e.g. '1 kg'")
        ):
            SaleUnit.parse(text)


class TestOfferRules:
    def test_valid_offer_defaults(self) -> None:
        """An offer orders one piece at least, with no upper limit or dates unless given."""
        made = offer()
        assert made.min_order == 1
        assert made.max_order is None
        assert made.available_from is None
        assert made.available_until is None

    @pytest.mark.parametrize("amount", ["0", "-1", "0.00"])
    def test_price_must_be_positive(self, amount: str) -> None:
        """A price of zero or less is refused."""
        with pytest.raises(
            InvalidValueError,
            match=_exact(f"the price must be above zero, got {amount} CNY"),
        ) as info:
            offer(price=cny(amount))
        assert info.value.field == "price"

    def test_stock_may_be_zero(self) -> None:
        """A sold-out offer has a stock of zero."""
        assert offer(stock=0).stock == 0

    @pytest.mark.parametrize("stock", [-1, "40"])
    def test_stock_must_be_a_whole_number(self, stock: object) -> None:
        """Negative or non-integer stock is refused."""
        with pytest.raises(
            InvalidValueError,
            match=_exact(f"stock must be a whole number, 0 or more, got {stock!r}"),
        ) as info:
            offer(stock=stock)
        assert info.value.field == "stock"

    def test_min_order_must_be_positive(self) -> None:
        """An order takes at least one piece."""
        with pytest.raises(
            InvalidValueError, match=_exact("min_order must be a whole number above zero, got 0")
        ) as info:
            offer(min_order=0)
        assert info.value.field == "min_order"

    def test_max_order_must_be_positive(self) -> None:
        """A maximum order of zero is refused as not positive before the order rule."""
        with pytest.raises(
            InvalidValueError, match=_exact("max_order must be a whole number above zero, got 0")
        ) as info:
            offer(max_order=0)
        assert info.value.field == "max_order"

    def test_max_order_below_min_order_is_refused(self) -> None:
        """The largest order may not be smaller than the smallest."""
        with pytest.raises(
            InvalidValueError, match=_exact("max_order 2 is below min_order 3")
        ) as info:
            offer(min_order=3, max_order=2)
        assert info.value.field == "max_order"

    def test_max_order_equal_to_min_order(self) -> None:
        """An offer may allow exactly one order size."""
        assert offer(min_order=6, max_order=6).max_order == 6

    def test_availability_must_be_in_order(self) -> None:
        """An offer cannot end before it starts."""
        with pytest.raises(
            InvalidValueError,
            match=_exact("available_until 2026-11-22 is before available_from 2026-11-23"),
        ) as info:
            offer(available_from=dt.date(2026, 11, 23), available_until=dt.date(2026, 11, 22))
        assert info.value.field == "available_until"

    def test_one_day_availability(self) -> None:
        """An offer may be open for a single day."""
        day = dt.date(2026, 11, 23)
        assert offer(available_from=day, available_until=day).is_available_on(day)


class TestAvailability:
    @pytest.mark.parametrize(
        ("day", "available"),
        [
            (dt.date(2026, 11, 22), False),
            (dt.date(2026, 11, 23), True),
            (dt.date(2026, 11, 25), True),
            (dt.date(2026, 11, 28), True),
            (dt.date(2026, 11, 29), False),
        ],
    )
    def test_between_the_dates(self, day: dt.date, available: bool) -> None:
        """An offer can be ordered from its first to its last day, both included."""
        made = offer(available_from=dt.date(2026, 11, 23), available_until=dt.date(2026, 11, 28))
        assert made.is_available_on(day) is available

    @given(st.dates())
    def test_open_offer_is_always_available(self, day: dt.date) -> None:
        """Without dates, an offer with stock can be ordered on any day."""
        assert offer().is_available_on(day)

    @given(st.dates())
    def test_sold_out_is_never_available(self, day: dt.date) -> None:
        """An offer with no stock cannot be ordered, whatever its dates."""
        assert not offer(stock=0).is_available_on(day)

    def test_open_ended_start_or_end(self) -> None:
        """Only the dates that are given limit availability."""
        starts = offer(available_from=dt.date(2026, 11, 23))
        assert not starts.is_available_on(dt.date(2026, 11, 22))
        assert starts.is_available_on(dt.date(2030, 1, 1))
        ends = offer(available_until=dt.date(2026, 11, 28))
        assert ends.is_available_on(dt.date(2000, 1, 1))
        assert not ends.is_available_on(dt.date(2026, 11, 29))


class TestPriceFor:
    def test_per_piece(self) -> None:
        """A price per piece is the price of any piece, whatever it weighs."""
        made = offer(price=cny("68.00"), per=SaleUnit.parse("piece"))
        assert made.price_for() == cny("68.00")
        assert made.price_for(Mass("1.3", "kg")) == cny("68.00")

    @pytest.mark.parametrize(
        ("mass", "exact", "rounded"),
        [
            (Mass("1.3", "kg"), "93.6", "93.60 CNY"),
            (Mass("1.234", "kg"), "88.848", "88.85 CNY"),
            (Mass(1, "jin"), "36.00", "36.00 CNY"),
            (Mass(250, "g"), "18", "18.00 CNY"),
            (Mass("1.2345", "kg"), "88.884", "88.88 CNY"),
        ],
    )
    def test_per_mass_is_exact_then_rounded(self, mass: Mass, exact: str, rounded: str) -> None:
        """By weight, the price is exact for the piece's mass, and rounds half-even to fen."""
        price = offer().price_for(mass)
        assert price == cny(exact)
        assert str(price.rounded()) == rounded

    def test_per_mass_needs_the_mass(self) -> None:
        """A price by weight cannot be given without the piece's mass."""
        with pytest.raises(
            QuantityError, match=_exact("the price is per 1 jin: give the mass of the piece")
        ):
            offer().price_for()

    @given(prices, sale_masses, piece_grams, st.integers(min_value=0, max_value=50))
    def test_scales_linearly_with_mass(
        self, price: Money, per: Mass, grams: int, factor: int
    ) -> None:
        """Twice the mass costs exactly twice as much, and so on for any whole factor."""
        made = offer(price=price, per=SaleUnit(per))
        mass = Mass(grams, "g")
        assert made.price_for(mass * factor) == made.price_for(mass) * factor

    @given(prices, sale_masses, piece_grams, piece_grams)
    def test_adds_over_mass(self, price: Money, per: Mass, a: int, b: int) -> None:
        """Two pieces priced together cost what they cost apart."""
        made = offer(price=price, per=SaleUnit(per))
        total = made.price_for(Mass(a + b, "g"))
        assert total == made.price_for(Mass(a, "g")) + made.price_for(Mass(b, "g"))

    @given(prices, sale_masses, piece_grams)
    def test_is_price_times_mass_ratio(self, price: Money, per: Mass, grams: int) -> None:
        """The price of a piece is exactly the unit price times its mass in sale units."""
        made = offer(price=price, per=SaleUnit(per))
        mass = Mass(grams, "g")
        expected = Fraction(price.amount) * (mass / per)
        assert Fraction(made.price_for(mass).amount) == expected
        assert made.price_for(per) == price
