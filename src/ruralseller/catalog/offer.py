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
from typing import Any

import attrs

from ruralseller.catalog import checks as _checks
from ruralseller.catalog.money import Money
from ruralseller.catalog.units import Mass
from ruralseller.errors import QuantityError

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
    """

    lot: str = attrs.field(validator=attrs.validators.instance_of(str))
    price: Money = attrs.field(validator=_positive_price)
    per: SaleUnit = attrs.field(factory=SaleUnit)
    stock: int = attrs.field(validator=_checks.not_negative)
    min_order: int = attrs.field(default=1, validator=_checks.positive)
    max_order: int | None = attrs.field(default=None, validator=[_checks.positive, _order_limits])
    available_from: dt.date | None = None
    available_until: dt.date | None = attrs.field(default=None, validator=_availability)

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

    def is_available_on(self, day: dt.date) -> bool:
        """Whether the offer can be ordered on ``day`` (and there is stock)."""
        if self.stock == 0:
            return False
        if self.available_from is not None and day < self.available_from:
            return False
        return self.available_until is None or day <= self.available_until
