"""Order intake: an optional capability of a marketplace adapter.

An adapter that can take orders in also implements :class:`OrderIntake`: list the orders
that are new or changed since a cursor, fetch one, acknowledge it, ship it, cancel it.
Callers ask before calling, with :func:`supports_order_intake`; the order stage
(:mod:`ruralseller.orders`) drives it and keeps every order exactly once.

Example:
    >>> from ruralseller.marketplaces.sandbox import SandboxMarketplace
    >>> supports_order_intake(SandboxMarketplace())
    True
    >>> supports_order_intake(object())
    False
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

import attrs

from ruralseller.catalog import Mass, Money

__all__ = ["OrderIntake", "OrderPage", "RemoteOrder", "supports_order_intake"]

#: The states a marketplace's order is mapped onto (the original is kept in ``extra``).
ORDER_STATES = ("placed", "acknowledged", "shipped", "cancelled")


def _state(_instance: object, _attribute: attrs.Attribute[str], value: str) -> None:
    if value not in ORDER_STATES:
        raise ValueError(f"RemoteOrder.state must be one of {ORDER_STATES}, not {value!r}")


def _quantity(_instance: object, _attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"RemoteOrder.quantity must be a whole number >= 1, not {value!r}")


@attrs.frozen(kw_only=True)
class RemoteOrder:
    """An order as a marketplace holds it: one SKU, one quantity (a line of a basket).

    Attributes:
        marketplace: the adapter name.
        account: the seller account it was placed with.
        order_id: the marketplace's id of the order (with the line, when a basket has
            several): unique per marketplace and account.
        sku: our SKU.
        quantity: sale units ordered.
        state: ``placed``, ``acknowledged``, ``shipped`` or ``cancelled``.
        placed_at: when the buyer ordered (aware).
        unit_price: the price of one unit the buyer paid, when the marketplace says.
        buyer: what the marketplace tells of the buyer and the address (for the label).
        extra: marketplace-only data (raw states, ids).
    """

    marketplace: str
    account: str
    order_id: str
    sku: str
    quantity: int = attrs.field(validator=_quantity)
    state: str = attrs.field(default="placed", validator=_state)
    placed_at: dt.datetime
    unit_price: Money | None = None
    buyer: Mapping[str, str] = attrs.field(factory=dict, hash=False)
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)


@attrs.frozen(kw_only=True)
class OrderPage:
    """A page of orders new or changed since a cursor, and the cursor after them.

    Attributes:
        orders: the orders, oldest change first.
        cursor: where the next listing starts (keep it once the orders are taken in).
        more: whether more orders are waiting after this page.
    """

    orders: tuple[RemoteOrder, ...]
    cursor: str | None
    more: bool = False


@runtime_checkable
class OrderIntake(Protocol):
    """What an adapter offers when it can take orders in (async)."""

    async def list_orders(self, since: str | None = None, *, limit: int = 100) -> OrderPage:
        """The orders new or changed since ``since`` (None: from the first)."""
        ...

    async def fetch_order(self, order_id: str) -> RemoteOrder | None:
        """One order, or None when the marketplace has none with that id."""
        ...

    async def acknowledge_order(self, order_id: str) -> RemoteOrder:
        """Tell the marketplace the order is taken in (repeating it changes nothing)."""
        ...

    async def ship_order(
        self, order_id: str, *, weight: Mass | None = None, tracking: str | None = None
    ) -> RemoteOrder:
        """Mark the order shipped, with its weighed weight and tracking number."""
        ...

    async def cancel_order(self, order_id: str, *, reason: str) -> RemoteOrder:
        """Cancel the order (the buyer is refunded by the marketplace)."""
        ...


def supports_order_intake(adapter: object) -> bool:
    """Whether ``adapter`` can take orders in (implements :class:`OrderIntake`)."""
    return isinstance(adapter, OrderIntake)
