"""What the partner and the farmer agreed: the commission, and the costs the partner bears.

The partner earns a commission on what each order finally brings in (after any refund of a
weight difference): a rate, with a minimum per order. The rate may differ per producer or
per product (the product's terms win over the producer's, which win over the default).
Shipping and packaging are charged per order, per currency, as the partner pays them.

Example:
    >>> from ruralseller.catalog import Money
    >>> terms = SettlementTerms(commission=Commission(rate="0.10", minimum=[Money("3", "CNY")]))
    >>> terms.commission.on(Money("20.00", "CNY"))
    Money('3.00 CNY')
    >>> terms.commission.on(Money("95.50", "CNY"))
    Money('9.55 CNY')
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import attrs

from ruralseller.catalog import Money
from ruralseller.settlement.fees import FEES, FeeSchedule, by_currency

__all__ = ["Commission", "SettlementTerms"]


def _rate(_instance: object, attribute: attrs.Attribute[Decimal], value: Decimal) -> None:
    if not Decimal(0) <= value < 1:
        raise ValueError(f"Commission.{attribute.name} must be a fraction from 0 to 1, not {value}")


@attrs.frozen(kw_only=True)
class Commission:
    """The partner's commission: a rate of each order's net, with a minimum per order.

    Attributes:
        rate: the fraction taken (0.08 for 8 %).
        minimum: the least taken per order, by currency (none: no minimum).
    """

    rate: Decimal = attrs.field(converter=Decimal, validator=_rate)
    minimum: Mapping[str, Money] = attrs.field(factory=dict, converter=by_currency, hash=False)

    def on(self, net: Money) -> Money:
        """The commission on an order that brought in ``net`` (rounded; never above it)."""
        floor = self.minimum.get(net.currency, Money(0, net.currency))
        amount = max((net * self.rate).rounded(), floor.rounded())
        return min(amount, max(net, Money(0, net.currency)))


@attrs.frozen(kw_only=True)
class SettlementTerms:
    """Everything :func:`~ruralseller.settlement.settle` needs besides the orders.

    Attributes:
        commission: the default commission.
        by_producer: commissions agreed with one producer, by producer id.
        by_product: commissions for one product, by product id.
        shipping: the partner's shipping cost per order, by currency.
        packaging: the partner's packaging cost per order (box, liner, coolant), by currency.
        fees: the marketplaces' fee schedules, by marketplace (ruralseller's by default).
    """

    commission: Commission = Commission(rate=Decimal(0))
    by_producer: Mapping[str, Commission] = attrs.field(factory=dict, hash=False)
    by_product: Mapping[str, Commission] = attrs.field(factory=dict, hash=False)
    shipping: Mapping[str, Money] = attrs.field(factory=dict, converter=by_currency, hash=False)
    packaging: Mapping[str, Money] = attrs.field(factory=dict, converter=by_currency, hash=False)
    fees: Mapping[str, FeeSchedule] = attrs.field(factory=lambda: dict(FEES), hash=False)

    def commission_for(self, producer: str, product: str) -> Commission:
        """The commission of one product of one producer."""
        return self.by_product.get(product) or self.by_producer.get(producer) or self.commission

    def fee_schedule(self, marketplace: str) -> FeeSchedule:
        """The fee schedule of ``marketplace``.

        Raises:
            KeyError: when there is none (name the marketplace's schedule in ``fees``).
        """
        try:
            return self.fees[marketplace]
        except KeyError:
            known = ", ".join(sorted(self.fees))
            raise KeyError(
                f"no fee schedule for marketplace {marketplace!r} (known: {known}); "
                "add one to SettlementTerms.fees"
            ) from None
