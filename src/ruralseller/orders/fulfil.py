"""Fulfilment: what a shipped order finally costs once its pieces are weighed.

Chilled birds are sold by weight but ordered by the piece: the buyer pays for the piece as
listed, and when the piece is weighed the order's final price follows the offer's price per
weight (catch weight). The buyer is never charged more than she paid; a lighter piece is
refunded the difference (the settlement's ``refund`` column).

Example:
    >>> import datetime as dt
    >>> from ruralseller.catalog import Mass, Money, load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> from ruralseller.orders import Order, OrderStatus
    >>> order = Order(marketplace="sandbox", account="demo", order_id="o1", channel="sandbox",
    ...     sku="WJ261120A", quantity=1, unit_price=Money("100.80", "CNY"),
    ...     placed_at=dt.datetime(2026, 11, 21, tzinfo=dt.UTC), day=dt.date(2026, 11, 21),
    ...     status=OrderStatus.RESERVED, allocation=(("WJ261120A", 1),))
    >>> final_price(load_catalog(sample_path()), order, Mass.parse("1.32 kg"))
    Money('95.04 CNY')
"""

from __future__ import annotations

from ruralseller.catalog import Catalog, Mass, Money
from ruralseller.orders.inbox import Order

__all__ = ["final_price"]


def final_price(catalog: Catalog, order: Order, weight: Mass | None) -> Money | None:
    """What ``order`` finally costs the buyer, given the weighed weight of its pieces.

    For an offer priced by weight, the offer's price for ``weight`` (rounded to the minor
    unit), never more than the buyer paid; otherwise what she paid. None when the order
    has no price.
    """
    if order.charged is None:
        return None
    paid = order.charged.rounded()
    offer = catalog.offer_for(order.lots[0]) if order.lots else None
    if offer is None or offer.per.mass is None or weight is None:
        return paid
    weighed = offer.price_for(weight).rounded()
    if weighed.currency != paid.currency:
        return paid
    return min(weighed, paid)
