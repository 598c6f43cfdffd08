"""Offers: what a lot sells for, how much of it, and when.

Example:
    >>> from ruralseller.catalog import Mass, Money
    >>> offer = Offer(lot="WJ261120A", price=Money.parse("36.00 CNY"), per=SaleUnit.parse("1 jin"),
    ...               stock=40)
    >>> offer.price_for(Mass.parse("1.3 kg"))
    Money('93.60 CNY')
    >>> offer.price_for(Mass.parse("1.234 kg"))
    Money('88.848 CNY')
    >>> offer.price_for(Mass.parse("1.234 kg")).rounded()
    Money('88.85 CNY')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ruralseller.catalog import checks as _checks
from ruralseller.catalog.money import Money
from ruralseller.catalog.pricing import (
    MIN_REMAINING_DAYS,
    PricingPolicy,
    RemainingLife,
    WeightBand,
    billed_price,
)
from ruralseller.catalog.units import Mass
from ruralseller.errors import QuantityError

if TYPE_CHECKING:
    from ruralseller.catalog.lot import Lot

__all__ = ["Offer", "SaleUnit"]


@attrs.frozen
class SaleUnit:
    """What one price buys: one piece, or a mass (1 kg, 1 斤, 500 g...).

    Written in catalogue files as ``"piece"`` or a mass such as ``"1 jin"``.

    Attributes:
        mass: the mass one price buys; None when the price is per piece.
    """

    mass: Mass | None = None

    PIECE_TEXT = "piece"

    @classmethod
    def parse(cls, text: str) -> SaleUnit:
        """Read ``"piece"`` or a mass such as ``"1 kg"``."""
        if isinstance(text, str) and text.strip().casefold() in {"piece", "pc", "each", "个", "只"}:
            return cls(None)
        try:
            mass = Mass.parse(text)
        except QuantityError as exc:
            raise QuantityError(
                f"{text!r} is not a sale unit",
                hint="write 'piece' to price each piece, or a mass such as '1 kg' or '1 jin' "
                f"to price by weight ({exc})",
            ) from None
        if not mass:
            raise QuantityError(f"a sale unit of {mass} sells nothing; use e.g. '1 kg'")
        return cls(mass)

    @property
    def per_piece(self) -> bool:
        """Whether the price is per piece."""
        return self.mass is None

    def __str__(self) -> str:
        return self.PIECE_TEXT if self.mass is None else str(self.mass)


def _positive_price(_instance: object, attribute: attrs.Attribute[Any], value: Money) -> None:
    if value.amount <= 0:
        raise _checks.fail(attribute, f"the price must be above zero, got {value}")


def _order_limits(instance: Offer, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None and value < instance.min_order:
        raise _checks.fail(attribute, f"max_order {value} is below min_order {instance.min_order}")


def _availability(instance: Offer, attribute: attrs.Attribute[Any], value: Any) -> None:
    start = instance.available_from
    if value is not None and start is not None and value < start:
        raise _checks.fail(attribute, f"available_until {value} is before available_from {start}")


def _pricing(instance: Offer, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and instance.per.mass is None:
        raise _checks.fail(
            attribute,
            f"pricing = {value.value!r} is for prices by weight, but the price is per piece"
            if isinstance(value, PricingPolicy)
            else "pricing is for prices by weight",
            "remove pricing, or price by weight (per = '1 jin') and keep it",
        )


def _bands(instance: Offer, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    banded = instance.pricing is PricingPolicy.WEIGHT_BANDS
    if banded and not value:
        raise _checks.fail(
            attribute,
            "pricing = 'weight_bands' needs the bands to sell",
            'add e.g. bands = [{ min = "1.1 kg", max = "1.3 kg" }, '
            '{ min = "1.3 kg", max = "1.5 kg" }]',
        )
    if value and not banded:
        raise _checks.fail(
            attribute,
            "bands are sold only with pricing = 'weight_bands'",
            "add pricing = 'weight_bands', or remove the bands",
        )


def _words(value: Mapping[str, str] | None) -> Mapping[str, str]:
    return _checks.frozen_mapping(value)


@attrs.frozen(kw_only=True)
class Offer:
    """A lot put up for sale.

    Attributes:
        lot: the id of the lot on sale.
        price: the price of one sale unit.
        per: what the price buys: ``piece`` or a mass such as ``1 kg`` or ``1 jin``.
        stock: how many pieces are for sale.
        min_order: the fewest pieces one order may take.
        max_order: the most pieces one order may take, if limited.
        available_from: the first day it can be ordered.
        available_until: the last day it can be ordered.
        unit: the measure word of one unit by language, e.g. ``{ zh = "袋", en = "bag" }``;
            the product kind's words (只/bird, 盒/box, 袋/bag, 块/piece) fill the others.
        pricing: for a price by weight on pieces that differ in weight, how one piece is
            charged: ``upper_weight`` (default: the heaviest weight, the difference refunded
            after weighing, 多退少补), ``nominal_weight`` or ``weight_bands``.
        bands: with ``pricing = "weight_bands"``, the weight bands sold as variations.
        min_remaining_life: the life a buyer must have left on arrival before the printed
            date, as ``{ days = 2 }`` or ``{ share = 0.3 }``; when not set, the food must
            arrive by its printed date.
        min_remaining_life_on: the same, for one marketplace by name (it wins over
            ``min_remaining_life`` there), e.g. ``{ shopify = { days = 3 } }``.
    """

    lot: str = attrs.field(validator=attrs.validators.instance_of(str))
    price: Money = attrs.field(validator=_positive_price)
    per: SaleUnit = attrs.field(factory=SaleUnit)
    stock: int = attrs.field(validator=_checks.not_negative)
    min_order: int = attrs.field(default=1, validator=_checks.positive)
    max_order: int | None = attrs.field(default=None, validator=[_checks.positive, _order_limits])
    available_from: dt.date | None = None
    available_until: dt.date | None = attrs.field(default=None, validator=_availability)
    unit: Mapping[str, str] = attrs.field(factory=dict, converter=_words, hash=False)
    pricing: PricingPolicy | None = attrs.field(default=None, validator=_pricing)
    bands: tuple[WeightBand, ...] = attrs.field(
        default=(), converter=_checks.frozen_tuple, validator=_bands
    )
    min_remaining_life: RemainingLife | None = None
    min_remaining_life_on: Mapping[str, RemainingLife] = attrs.field(
        factory=dict, converter=_checks.frozen_mapping, hash=False
    )

    def price_for(self, mass: Mass | None = None) -> Money:
        """The price of one piece; for prices by weight, of a piece of ``mass``.

        The result is exact when it has a decimal form (it does for metric and jin prices);
        otherwise it keeps 28 significant digits. Call :meth:`Money.rounded` to round it to
        fen or cents.
        """
        if self.per.mass is None:
            return self.price
        if mass is None:
            raise QuantityError(f"the price is per {self.per}: give the mass of the piece")
        return self.price * (mass / self.per.mass)

    @property
    def policy(self) -> PricingPolicy | None:
        """The pricing policy in force (None for a price per piece; default upper_weight)."""
        if self.per.mass is None:
            return None
        return self.pricing or PricingPolicy.UPPER_WEIGHT

    def billed_weight(self, lot: Lot) -> Mass | None:
        """The weight one unit is charged at under the pricing policy (None: per piece).

        For ``weight_bands`` it is the heaviest band's upper weight; see :meth:`band_prices`.

        Raises:
            QuantityError: when the lot does not say what a piece weighs, or the policy is
                ``nominal_weight`` and the lot has no nominal piece weight.
        """
        policy = self.policy
        if policy is None or self.per.mass is None:
            return None
        piece = lot.quantity.piece_mass
        if piece is None:
            if lot.quantity.net_mass is not None and lot.quantity.count:
                per_piece: Mass = lot.quantity.net_mass / lot.quantity.count
                return per_piece
            # Sold loose by weight: one unit is what the price buys.
            return self.per.mass
        if policy is PricingPolicy.NOMINAL_WEIGHT:
            if piece.nominal is None:
                raise QuantityError(
                    f"offer of lot {self.lot}: pricing = 'nominal_weight' needs the lot's "
                    "quantity.piece_mass.nominal",
                    hint='add e.g. piece_mass = { nominal = "1.3 kg", min = ..., max = ... }, '
                    "or choose pricing = 'upper_weight'",
                )
            return piece.nominal
        if policy is PricingPolicy.WEIGHT_BANDS:
            return max(band.max for band in self.bands)
        return piece.heaviest

    def unit_price(self, lot: Lot) -> Money:
        """The price of one unit, rounded as :mod:`ruralseller.catalog.pricing` states.

        The offer's price per piece, or the price by weight times the billed weight, rounded
        half up to the fen or cent.
        """
        billed = self.billed_weight(lot)
        if billed is None or self.per.mass is None:
            return self.price
        return billed_price(self.price, self.per.mass, billed)

    def band_prices(self) -> tuple[tuple[WeightBand, Money], ...]:
        """Each weight band with its price (its upper weight, rounded as stated)."""
        if self.per.mass is None:
            return ()
        return tuple(
            (band, billed_price(self.price, self.per.mass, band.max)) for band in self.bands
        )

    def remaining_life(self, marketplace: str | None = None) -> RemainingLife:
        """The minimum remaining life on arrival for ``marketplace`` (or any)."""
        if marketplace is not None and marketplace in self.min_remaining_life_on:
            return self.min_remaining_life_on[marketplace]
        return self.min_remaining_life or RemainingLife(days=MIN_REMAINING_DAYS)

    def is_available_on(self, day: dt.date) -> bool:
        """Whether the offer can be ordered on ``day`` (and there is stock)."""
        if self.stock == 0:
            return False
        if self.available_from is not None and day < self.available_from:
            return False
        return self.available_until is None or day <= self.available_until
