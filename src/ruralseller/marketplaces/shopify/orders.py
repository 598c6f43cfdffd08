"""Shopify's order intake (Admin GraphQL): orders by last change, each line one order.

:class:`ShopifyOrders` is mixed into
:class:`~ruralseller.marketplaces.shopify.ShopifyMarketplace`; every call goes through the
adapter's GraphQL client (its query-cost bucket, retries and error mapping).

- **Listing** is the ``orders`` query sorted by ``UPDATED_AT`` with the search filter
  ``updated_at:>='START'`` and Shopify's own cursor (``after``). Shopify's cursor holds the
  sort value and id of the last order read (as decoded cursors show; Shopify calls them
  opaque: unverified), so an order changed while we page moves behind it and is read on a
  later page, never skipped. When a pass ends, the next one starts
  :data:`SHOPIFY_OVERLAP` before the newest change read, in case the search Shopify filters
  with trails the order itself (unverified); an order seen twice is taken in once. Our
  cursor is ``"START"`` between passes and ``"START|NEWEST|AFTER"`` within one.
- **One order per line item** with a SKU; the id is ``"<order number id>-<line item id>"``
  (the numeric tails of the GIDs). The unit price is what the buyer paid for one unit after
  every discount (``discountedUnitPriceAfterAllDiscountsSet.shopMoney``). Lines without a SKU
  are skipped. Orders with more than :data:`LINES_PAGE` lines are read again whole.
- **States**: a cancelled order (``cancelledAt``) or a line removed from it
  (``currentQuantity`` 0) is ``cancelled``; a line with nothing left to fulfil
  (``unfulfilledQuantity`` 0) is ``shipped``; any other is ``placed``. Shopify has no
  acknowledgement (:meth:`ShopifyOrders.acknowledge_order` only reads the order again). The
  order's ``displayFulfillmentStatus`` and ``displayFinancialStatus`` are kept in ``extra``.
- **Shipping** is ``fulfillmentCreate`` for the line's open fulfillment-order line items,
  with ``trackingInfo`` (``number``, ``company``) and ``notifyCustomer``. Shopify's
  fulfillment takes no weight, so the weighed weight is not sent. A line already fulfilled
  is not fulfilled again.
- **Cancelling** is ``orderCancel`` (the whole order: Shopify cancels orders, not lines),
  refunding to the original payment methods and restocking; it runs as a job, so the order
  returned may still read ``placed`` until the job is done.

Sources: Shopify's Admin GraphQL schema 2026-01 (``QueryRoot.orders``, ``Order``,
``LineItem``, ``FulfillmentOrder``, ``Mutation.fulfillmentCreate``, ``Mutation.orderCancel``
and their descriptions); shopify.dev "Shopify API search syntax"
(https://shopify.dev/docs/api/usage/search-syntax: comparators such as ``>=``, "Date values
must be a string surrounded by quotes"). That the search can trail an order's last change is
our assumption (unverified), and :data:`SHOPIFY_OVERLAP` is our margin for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping
from decimal import Decimal
from typing import Any, ClassVar, Final

from ruralseller.catalog import Mass, Money
from ruralseller.errors import ListingRejectedError, MarketplaceError
from ruralseller.marketplaces.orders import OrderPage, RemoteOrder

__all__ = ["LINES_PAGE", "SHOPIFY_OVERLAP", "ShopifyOrders", "shopify_line_state"]

#: How far before the newest change read the next listing starts.
SHOPIFY_OVERLAP: Final = dt.timedelta(seconds=60)
#: Line items read with each order of a listing (an order with more is read again whole).
LINES_PAGE: Final = 10
_ORDERS_PAGE: Final = 20  # 20 orders of 10 lines: about 700 points, under Shopify's 1000
_ALL_LINES: Final = 100
_FULFILLABLE: Final = frozenset({"OPEN", "IN_PROGRESS"})

_ADDRESS = "shippingAddress { name address1 address2 city province zip countryCodeV2 phone }"
_LINE = """
  id sku quantity currentQuantity unfulfilledQuantity
  discountedUnitPriceAfterAllDiscountsSet { shopMoney { amount currencyCode } }
"""


def _order_fields(lines: int) -> str:
    return f"""
  id name createdAt updatedAt cancelledAt
  displayFulfillmentStatus displayFinancialStatus
  {_ADDRESS}
  lineItems(first: {lines}) {{ pageInfo {{ hasNextPage }} nodes {{ {_LINE} }} }}
"""


_ORDERS = f"""
query Orders($first: Int!, $after: String, $query: String) {{
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ {_order_fields(LINES_PAGE)} }}
  }}
}}
"""

_ORDER = f"""
query Order($id: ID!) {{
  order(id: $id) {{ {_order_fields(_ALL_LINES)} }}
}}
"""

_FULFILLMENT_ORDERS = """
query FulfillmentOrders($id: ID!) {
  order(id: $id) {
    fulfillmentOrders(first: 10) {
      nodes { id status lineItems(first: 50) { nodes { id remainingQuantity lineItem { id } } } }
    }
  }
}
"""

_FULFILLMENT_CREATE = """
mutation FulfillmentCreate($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id status }
    userErrors { field message }
  }
}
"""

_ORDER_CANCEL = """
mutation OrderCancel($orderId: ID!, $reason: OrderCancelReason!, $restock: Boolean!,
                     $refundMethod: OrderCancelRefundMethodInput, $notifyCustomer: Boolean,
                     $staffNote: String) {
  orderCancel(orderId: $orderId, reason: $reason, restock: $restock,
              refundMethod: $refundMethod, notifyCustomer: $notifyCustomer,
              staffNote: $staffNote) {
    job { id done }
    orderCancelUserErrors { field message code }
  }
}
"""

#: What each order document should cost before Shopify says (1 an object, 2 + first x the
#: node a connection, 10 a mutation: shopify.dev "GraphQL Admin API rate limits").
ORDER_COSTS: Final = {
    "Orders": 2 + _ORDERS_PAGE * (2 + 2 + LINES_PAGE * 3),
    "Order": 1 + 1 + 2 + _ALL_LINES * 3,
    "FulfillmentOrders": 1 + 2 + 10 * (1 + 2 + 50 * 2),
    "FulfillmentCreate": 11,
    "OrderCancel": 11,
}


def shopify_line_state(order: Mapping[str, Any], line: Mapping[str, Any]) -> str:
    """Our state for one line item of a Shopify order.

    >>> shopify_line_state({"cancelledAt": None}, {"currentQuantity": 2, "unfulfilledQuantity": 2})
    'placed'
    >>> shopify_line_state({"cancelledAt": None}, {"currentQuantity": 2, "unfulfilledQuantity": 0})
    'shipped'
    >>> shopify_line_state({"cancelledAt": "2026-11-21T09:00:00Z"}, {"currentQuantity": 2})
    'cancelled'
    """
    if order.get("cancelledAt") or int(line["currentQuantity"]) == 0:
        return "cancelled"
    if int(line["unfulfilledQuantity"]) == 0:
        return "shipped"
    return "placed"


def _instant(text: str) -> dt.datetime:
    when = dt.datetime.fromisoformat(str(text))
    if when.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone")
    return when


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _tail(gid: str) -> str:
    tail = str(gid).rsplit("/", 1)[-1]
    if not tail.isdigit():
        raise ValueError(f"{gid!r} is not a Shopify GID")
    return tail


def _cursor(cursor: str | None) -> tuple[str | None, str | None, str | None]:
    """(start, newest, after) of our cursor."""
    if not cursor:
        return None, None, None
    parts = cursor.split("|", 2)
    try:
        for part in parts[:2]:
            if part:
                _instant(part)
    except ValueError:
        raise MarketplaceError(
            f"{cursor!r} is not a Shopify order cursor ('START' or 'START|NEWEST|AFTER', "
            "times in ISO 8601 UTC); start again without one to read every order",
            marketplace="shopify",
        ) from None
    if len(parts) == 1:
        return parts[0], None, None
    if len(parts) != 3:
        raise MarketplaceError(
            f"{cursor!r} is not a Shopify order cursor ('START' or 'START|NEWEST|AFTER')",
            marketplace="shopify",
        )
    return parts[0] or None, parts[1] or None, parts[2] or None


def _split(order_id: str) -> tuple[str, str]:
    order, _, line = order_id.partition("-")
    if not (order.isdigit() and line.isdigit()):
        raise MarketplaceError(
            f"{order_id!r} is not a Shopify order id of ruralseller's "
            "('<order id>-<line item id>', e.g. '5012345678901-13012345678901')",
            marketplace="shopify",
        )
    return f"gid://shopify/Order/{order}", f"gid://shopify/LineItem/{line}"


def _cancel_reason(reason: str) -> str:
    """Shopify's OrderCancelReason for ours: stock problems are INVENTORY."""
    words = reason.casefold()
    if any(word in words for word in ("oversold", "stock", "expired", "inventory")):
        return "INVENTORY"
    return "OTHER"


class ShopifyOrders:
    """Order intake from a Shopify store (see the module for the mapping)."""

    name: ClassVar[str]
    shop: str
    _graphql: Callable[[str, str, Mapping[str, Any]], Awaitable[dict[str, Any]]]

    async def list_orders(self, since: str | None = None, *, limit: int = 100) -> OrderPage:
        """The lines of the orders changed since ``since``, oldest change first."""
        start, newest, after = _cursor(since)
        variables: dict[str, Any] = {"first": max(1, min(limit, _ORDERS_PAGE))}
        if start:
            variables["query"] = f"updated_at:>='{start}'"
        if after:
            variables["after"] = after
        data = await self._graphql("Orders", _ORDERS, variables)
        connection = data["orders"]
        nodes = list(connection["nodes"])
        orders: list[RemoteOrder] = []
        for node in nodes:
            whole = node
            if node["lineItems"]["pageInfo"]["hasNextPage"]:  # more lines than were read
                whole = await self._order_node(str(node["id"])) or node
            orders.extend(self._remote_orders(whole))
        changed = [_instant(n["updatedAt"]) for n in nodes]
        if newest:
            changed.append(_instant(newest))
        latest = max(changed, default=None)
        more = bool(connection["pageInfo"]["hasNextPage"])
        cursor: str | None = start
        if more:  # within a pass: Shopify's cursor, and the newest change read so far
            end = str(connection["pageInfo"]["endCursor"])
            cursor = f"{start or ''}|{_iso(latest) if latest else ''}|{end}"
        elif latest is not None:  # the pass is over: the next starts a little before
            floor = latest - SHOPIFY_OVERLAP
            cursor = _iso(max(floor, _instant(start)) if start else floor)
        return OrderPage(orders=tuple(orders), cursor=cursor, more=more)

    async def fetch_order(self, order_id: str) -> RemoteOrder | None:
        """One line of an order, or None when the store has no such order or line."""
        order_gid, _ = _split(order_id)
        node = await self._order_node(order_gid)
        if node is None:
            return None
        return next((o for o in self._remote_orders(node) if o.order_id == order_id), None)

    async def acknowledge_order(self, order_id: str) -> RemoteOrder:
        """Shopify has no acknowledgement: the order as it stands (nothing is sent)."""
        return await self._require_order(order_id)

    async def ship_order(
        self,
        order_id: str,
        *,
        weight: Mass | None = None,
        tracking: str | None = None,
        carrier: str | None = None,
    ) -> RemoteOrder:
        """Fulfil the line (``fulfillmentCreate``) with its tracking number and carrier.

        Args:
            order_id: ``"<order id>-<line item id>"``.
            weight: the weighed weight; Shopify's fulfillment does not take one (not sent).
            tracking: the carrier's tracking number.
            carrier: the carrier's name as Shopify knows it (``trackingInfo.company``).
        """
        del weight  # FulfillmentInput has no weight
        order = await self._require_order(order_id)
        if order.state == "shipped":
            return order
        if order.state == "cancelled":
            raise MarketplaceError(
                f"shopify order {order.extra.get('name')} is cancelled: it cannot be shipped",
                marketplace=self.name,
                status=409,
            )
        order_gid, line_gid = _split(order_id)
        data = await self._graphql("FulfillmentOrders", _FULFILLMENT_ORDERS, {"id": order_gid})
        groups = []
        for fulfillment_order in (data["order"] or {})["fulfillmentOrders"]["nodes"]:
            if fulfillment_order["status"] not in _FULFILLABLE:
                continue
            items = [
                {"id": str(item["id"]), "quantity": int(item["remainingQuantity"])}
                for item in fulfillment_order["lineItems"]["nodes"]
                if item["lineItem"]["id"] == line_gid and int(item["remainingQuantity"]) > 0
            ]
            if items:
                groups.append(
                    {
                        "fulfillmentOrderId": str(fulfillment_order["id"]),
                        "fulfillmentOrderLineItems": items,
                    }
                )
        if not groups:
            raise MarketplaceError(
                f"shopify order {order.extra.get('name')} has nothing open to fulfil for this "
                "line (it may be on hold or with a fulfilment service); fulfil it in the "
                "Shopify admin",
                marketplace=self.name,
                status=409,
            )
        fulfillment: dict[str, Any] = {
            "lineItemsByFulfillmentOrder": groups,
            "notifyCustomer": True,
        }
        if tracking:
            fulfillment["trackingInfo"] = {
                "number": tracking,
                **({"company": carrier} if carrier else {}),
            }
        try:
            await self._graphql(
                "FulfillmentCreate", _FULFILLMENT_CREATE, {"fulfillment": fulfillment}
            )
        except ListingRejectedError as error:
            # A retry after a lost answer finds the line fulfilled already: that is success.
            again = await self._require_order(order_id)
            if again.state != "shipped":
                said = "; ".join(f"{k}: {v}" for k, v in error.field_errors.items())
                raise MarketplaceError(
                    f"shopify refused to fulfil order {order.extra.get('name')}: {said}; "
                    "fulfil it in the Shopify admin, or fix what it names and ship again",
                    marketplace=self.name,
                    code=error.code,
                    status=error.status,
                ) from error
        return await self._require_order(order_id)

    async def cancel_order(self, order_id: str, *, reason: str) -> RemoteOrder:
        """Cancel the whole order (``orderCancel``): refunded, restocked, the buyer told."""
        order = await self._require_order(order_id)
        if order.state == "cancelled":
            return order
        order_gid, _ = _split(order_id)
        data = await self._graphql(
            "OrderCancel",
            _ORDER_CANCEL,
            {
                "orderId": order_gid,
                "reason": _cancel_reason(reason),
                "restock": True,
                "refundMethod": {"originalPaymentMethodsRefund": True},
                "notifyCustomer": True,
                "staffNote": f"ruralseller: {reason}"[:255],
            },
        )
        problems = data["orderCancel"]["orderCancelUserErrors"]
        if problems:
            said = "; ".join(str(p.get("message")) for p in problems)
            raise MarketplaceError(
                f"shopify refused to cancel order {order.extra.get('name')}: {said}; cancel it "
                "in the Shopify admin (Orders, the order, More actions, Cancel order)",
                marketplace=self.name,
                code=str(problems[0].get("code") or "") or None,
            )
        return await self._require_order(order_id)

    async def _order_node(self, order_gid: str) -> dict[str, Any] | None:
        data = await self._graphql("Order", _ORDER, {"id": order_gid})
        node = data["order"]
        return dict(node) if node is not None else None

    async def _require_order(self, order_id: str) -> RemoteOrder:
        order = await self.fetch_order(order_id)
        if order is None:
            raise MarketplaceError(
                f"the shop {self.shop} has no order line {order_id!r} (order-line item)",
                marketplace=self.name,
                status=404,
            )
        return order

    def _remote_orders(self, node: Mapping[str, Any]) -> list[RemoteOrder]:
        order_number = _tail(node["id"])
        address = node.get("shippingAddress") or {}
        buyer = {
            key: str(address[field])
            for key, field in (
                ("name", "name"),
                ("address1", "address1"),
                ("address2", "address2"),
                ("city", "city"),
                ("province", "province"),
                ("zip", "zip"),
                ("country", "countryCodeV2"),
                ("phone", "phone"),
            )
            if address.get(field) not in (None, "")
        }
        orders = []
        for line in node["lineItems"]["nodes"]:
            sku = str(line.get("sku") or "").strip()
            if not sku:
                continue  # a product ruralseller did not list
            paid = line["discountedUnitPriceAfterAllDiscountsSet"]["shopMoney"]
            current = int(line["currentQuantity"])
            orders.append(
                RemoteOrder(
                    marketplace=self.name,
                    account=self.shop,
                    order_id=f"{order_number}-{_tail(line['id'])}",
                    sku=sku,
                    quantity=current if current > 0 else int(line["quantity"]),
                    state=shopify_line_state(node, line),
                    placed_at=_instant(node["createdAt"]),
                    unit_price=Money(Decimal(str(paid["amount"])), str(paid["currencyCode"])),
                    buyer=buyer,
                    extra={
                        "name": node.get("name"),
                        "order_gid": node["id"],
                        "line_gid": line["id"],
                        "fulfillment_status": node.get("displayFulfillmentStatus"),
                        "financial_status": node.get("displayFinancialStatus"),
                        "cancelled_at": node.get("cancelledAt"),
                        "updated_at": node["updatedAt"],
                    },
                )
            )
        return orders
