"""What each marketplace takes from a sale, as data with its source.

A :class:`FeeSchedule` is a rate of the order's gross plus a fixed amount per order (in the
order's currency; none when the schedule has no amount in it). Each schedule says where it
comes from and how sure we are: ``cited`` (read in the marketplace's own published terms),
``unverified`` (a published figure we could not check against the marketplace's terms) or
``example`` (a placeholder to replace with the partner's contract). Marketplaces change
their fees and vary them by category and country: the partner should give the schedule of
her own contract (:func:`~ruralseller.settlement.settle` takes any).

Example:
    >>> from ruralseller.catalog import Money
    >>> FEES["etsy"].fee(Money("20.00", "USD"))
    Money('1.50 USD')
    >>> FEES["sandbox"].status
    'example'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Final

import attrs

from ruralseller.catalog import Money

__all__ = ["FEES", "FEE_STATUSES", "FeeSchedule", "by_currency"]

#: How sure a schedule is: read in the terms, published elsewhere, or a placeholder.
FEE_STATUSES: Final = ("cited", "unverified", "example")


def _rate(_instance: object, attribute: attrs.Attribute[Decimal], value: Decimal) -> None:
    if not isinstance(value, Decimal) or not Decimal(0) <= value < 1:
        raise ValueError(
            f"FeeSchedule.{attribute.name} must be a fraction from 0 to 1, not {value!r}"
        )


def by_currency(value: Iterable[Money] | Mapping[str, Money]) -> Mapping[str, Money]:
    """Amounts of money keyed by their currency (a later one of a currency wins)."""
    items = value.values() if isinstance(value, Mapping) else value
    found: dict[str, Money] = {}
    for money in items:
        if not isinstance(money, Money):
            raise TypeError(f"expected money, such as Money('0.20', 'USD'), not {money!r}")
        found[money.currency] = money
    return MappingProxyType(found)


@attrs.frozen(kw_only=True)
class FeeSchedule:
    """A marketplace's fee on each order.

    Attributes:
        marketplace: the adapter name.
        rate: the fraction of the order's gross taken (0.065 for 6.5 %).
        per_order: a fixed amount per order, by currency.
        source: where the figures come from (document and URL), or why they are examples.
        status: ``cited``, ``unverified`` or ``example``.
    """

    marketplace: str
    rate: Decimal = attrs.field(converter=Decimal, validator=_rate)
    per_order: Mapping[str, Money] = attrs.field(factory=dict, converter=by_currency, hash=False)
    source: str
    status: str = attrs.field(validator=attrs.validators.in_(FEE_STATUSES))

    def fee(self, gross: Money) -> Money:
        """The fee on an order of ``gross``, rounded to the currency's minor unit."""
        fixed = self.per_order.get(gross.currency, Money(0, gross.currency))
        return (gross * self.rate + fixed).rounded()


def _schedules(*schedules: FeeSchedule) -> Mapping[str, FeeSchedule]:
    return MappingProxyType({s.marketplace: s for s in schedules})


#: The fees ruralseller knows, by marketplace. Replace them with the partner's contract.
FEES: Final = _schedules(
    FeeSchedule(
        marketplace="sandbox",
        rate=Decimal("0.05"),
        source="ruralseller's sandbox marketplace: an example rate, for trying settlement out",
        status="example",
    ),
    FeeSchedule(
        marketplace="etsy",
        rate=Decimal("0.065"),
        per_order=[Money("0.20", "USD")],
        source=(
            "Etsy Fees & Payments Policy, 1. Types of Fees (https://www.etsy.com/legal/fees): "
            "listing fee USD 0.20 per item, renewed at each sale (read in the policy); "
            "transaction fee 6.5 % of the order total (from a secondary summary, not checked "
            "against the policy's text); payment processing is extra and varies by country"
        ),
        status="unverified",
    ),
    *(
        FeeSchedule(
            marketplace=name,
            rate=Decimal(rate),
            source=f"an example rate: {name}'s fees vary by category, country and contract",
            status="example",
        )
        for name, rate in (
            ("amazon", "0.15"),
            ("ebay", "0.13"),
            ("shopee", "0.06"),
            ("shopify", "0.029"),
            ("taobao", "0.05"),
            ("woocommerce", "0.029"),
        )
    ),
)
