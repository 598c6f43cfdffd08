"""The Amazon adapter's order intake, through the Selling Partner API for Orders.

Which version: the Orders API 2026-01-01 for reading, because it is the current one and gives
an order with its items, buyer, recipient and fulfilment status in one answer
(``searchOrders``, ``getOrder``; v0 needs getOrders, then getOrderItems and getOrderAddress per
order). Version 2026-01-01 has no call to confirm a shipment, so shipping uses v0's
``confirmShipment`` (``POST /orders/v0/orders/{orderId}/shipmentConfirmation``). Sources:
Amazon's models in github.com/amzn/selling-partner-api-models,
``models/orders-api-model/orders_2026-01-01.json`` and ``ordersV0.json``.

* ``searchOrders`` lists orders updated in a window, ``lastUpdatedAfter`` to
  ``lastUpdatedBefore`` ("at least two minutes before the time of the request": the window
  ends :data:`SETTLE` before the clock), in the seller's store (``marketplaceIds``), up to
  100 a page, and pages with Amazon's own ``nextToken``. The cursor is ``FROM..TO@TOKEN``
  while a window is paged, then ``TO`` less :data:`OVERLAP`, so an order Amazon records late
  is still seen. An order changed while a window is paged is updated after ``TO``: the next
  window sees it with its new state. What a ``nextToken`` shows of orders that change while
  it is followed, Amazon does not document (unverified).
* Each order item with a seller SKU is one :class:`~ruralseller.marketplaces.orders.RemoteOrder`
  with the id ``{orderId}/{orderItemId}``; the unit price is ``product.price.unitPrice``
  ("The price charged for a single unit"); the buyer and the delivery address come with
  ``includedData=BUYER,RECIPIENT``; Amazon gives the address only to apps with the
  Direct-to-Consumer Delivery (Restricted) role and a Restricted Data Token
  (developer-docs.amazon.com/sp-api/docs/get-order-information), which this adapter does
  not ask for yet: without one, ``buyer`` holds only what Amazon sends unrestricted.
* States, from the order's ``fulfillment.fulfillmentStatus``: ``PENDING_AVAILABILITY``,
  ``PENDING`` and ``UNSHIPPED`` are placed; ``PARTIALLY_SHIPPED`` is shipped for an item
  with nothing left to ship (``fulfillment.quantityUnfulfilled`` 0) and acknowledged
  otherwise; ``SHIPPED`` is shipped; ``CANCELLED`` and ``UNFULFILLABLE`` are cancelled.

Neither version can cancel an order or acknowledge one: acknowledging changes nothing, and
:meth:`AmazonOrders.cancel_order` raises a :class:`~ruralseller.errors.MarketplaceError`
saying to cancel in Seller Central.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, TypeVar
from urllib.parse import quote

from ruralseller.catalog import Mass, Money
from ruralseller.errors import InvalidValueError, MarketplaceError
from ruralseller.marketplaces.http import AsyncMarketplaceHttp, create_once
from ruralseller.marketplaces.orders import OrderPage, RemoteOrder

__all__ = ["CONFIRM_API", "ORDERS_API", "OVERLAP", "PAGE_MAX", "SETTLE", "AmazonOrders"]

logger = logging.getLogger("ruralseller.marketplaces")

#: The 2026-01-01 Orders API's root (searchOrders, getOrder).
ORDERS_API = "/orders/2026-01-01/orders"
#: The v0 Orders API's root, for confirmShipment.
CONFIRM_API = "/orders/v0/orders"
#: searchOrders' ``maxResultsPerPage``: "between 1 and 100" (spec).
PAGE_MAX = 100
#: How long before the clock a window ends (the spec asks for at least two minutes).
SETTLE = dt.timedelta(minutes=3)
#: How far back each listing starts before the end of the last one.
OVERLAP = dt.timedelta(minutes=10)
#: Where a first listing starts.
FIRST_LOOK_BACK = dt.timedelta(days=30)
#: The datasets asked for beside the order and its items.
INCLUDED = ("BUYER", "RECIPIENT", "FULFILLMENT")

T = TypeVar("T")
_SHAPE_ERRORS = (KeyError, IndexError, TypeError, AttributeError, ValueError, InvalidOperation)
_STATES = {
    "PENDING_AVAILABILITY": "placed",
    "PENDING": "placed",
    "UNSHIPPED": "placed",
    "SHIPPED": "shipped",
    "CANCELLED": "cancelled",
    "UNFULFILLABLE": "cancelled",
}


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _moment(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone")
    return moment


def _window(cursor: str) -> tuple[dt.datetime, dt.datetime | None, str | None]:
    """A cursor read back: from, to (None: not started), Amazon's page token."""
    try:
        if ".." not in cursor:
            return _moment(cursor), None, None
        span, _, token = cursor.partition("@")
        start, _, end = span.partition("..")
        return _moment(start), _moment(end), token or None
    except ValueError:
        raise InvalidValueError(
            f"{cursor!r} is not an Amazon order cursor (a time like 2026-11-21T08:00:00Z, or "
            "FROM..TO@TOKEN as list_orders gives)",
            field="since",
            hint="pass the cursor list_orders returned, or None to start 30 days back",
        ) from None


class AmazonOrders:
    """Order intake for :class:`~ruralseller.marketplaces.amazon.AmazonMarketplace` (a mixin)."""

    name: ClassVar[str]
    http: AsyncMarketplaceHttp
    seller_id: str
    marketplace_id: str
    settings: Any
    clock: Callable[[], float]
    _listed: dict[str, RemoteOrder]

    # --- the OrderIntake protocol --------------------------------------------------------

    async def list_orders(self, since: str | None = None, *, limit: int = 100) -> OrderPage:
        """The orders updated since the cursor ``since``, a page of up to ``limit`` orders."""
        if since is None:
            start, end, token = self._now() - FIRST_LOOK_BACK, None, None
        else:
            start, end, token = _window(since)
        if end is None:
            end = max(start, self._now() - SETTLE)
        params: dict[str, Any] = {
            "lastUpdatedAfter": _stamp(start),
            "lastUpdatedBefore": _stamp(end),
            "marketplaceIds": self.marketplace_id,
            "maxResultsPerPage": str(max(1, min(limit, PAGE_MAX))),
            "includedData": ",".join(INCLUDED),
        }
        if token:
            params["paginationToken"] = token
        response = await self.http.request("GET", ORDERS_API, idempotent=True, params=params)
        orders, following = self._read("searchOrders", lambda: _page(response.json()))
        mapped = tuple(
            remote
            for order in sorted(orders, key=lambda o: str(o.get("lastUpdatedTime", "")))
            for remote in self._read_items("searchOrders", order)
        )
        self._remember(mapped)
        if following:
            cursor = f"{_stamp(start)}..{_stamp(end)}@{following}"
            return OrderPage(orders=mapped, cursor=cursor, more=True)
        return OrderPage(orders=mapped, cursor=_stamp(end - OVERLAP), more=False)

    async def fetch_order(self, order_id: str) -> RemoteOrder | None:
        """One item of an order by ``{orderId}/{orderItemId}`` (or a one-item order's id)."""
        amazon_id, item_id = _split(order_id)
        order = await self._order(amazon_id)
        if order is None:
            return None
        items = self._read_items("getOrder", order)
        if item_id is None:
            if len(items) == 1:
                return items[0]
            if not items:
                return None
            raise InvalidValueError(
                f"amazon order {amazon_id} has {len(items)} items of ours; name one",
                field="order_id",
                hint="give the id as ORDER/ITEM: " + ", ".join(o.order_id for o in items),
            )
        return next((o for o in items if o.extra["orderItemId"] == item_id), None)

    async def acknowledge_order(self, order_id: str) -> RemoteOrder:
        """The order as Amazon holds it: the Orders API has no acknowledge call.

        An order of the last page listed is answered from that page (getOrder allows half
        a request a second), others are fetched.
        """
        listed = getattr(self, "_listed", {}).get(order_id)
        return listed if listed is not None else await self._existing(order_id)

    async def ship_order(
        self,
        order_id: str,
        *,
        weight: Mass | None = None,
        tracking: str | None = None,
        carrier: str | None = None,
    ) -> RemoteOrder:
        """Confirm the item's shipment (v0 confirmShipment) with carrier and tracking number.

        Amazon requires both (``carrierCode`` and ``trackingNumber`` are required in
        ``PackageDetail``); ``carrier`` is Amazon's carrier code, the setting
        ``shipping_carrier`` when not given. Amazon takes no weight here. Shipping a shipped
        item changes nothing.
        """
        del weight  # confirmShipment has no weight
        order = await self._existing(order_id)
        if order.state == "shipped":
            return order
        carrier = carrier or getattr(self.settings, "shipping_carrier", None)
        if not tracking or not carrier:
            raise InvalidValueError(
                "amazon confirms a shipment only with the carrier's code and a tracking number"
                f" (carrier {carrier!r}, tracking {tracking!r})",
                field="tracking" if not tracking else "shipping_carrier",
                hint="give the parcel's tracking number, and set the amazon setting "
                "shipping_carrier to Amazon's code of your carrier (e.g. UPS, USPS, "
                "China Post; see CarrierCode in Amazon's Orders API reference)",
            )
        amazon_id, item_id = str(order.extra["orderId"]), str(order.extra["orderItemId"])
        body = {
            "marketplaceId": self.marketplace_id,
            "packageDetail": {
                "packageReferenceId": f"{item_id}-1",
                "carrierCode": carrier,
                "trackingNumber": tracking,
                "shipDate": _stamp(self._now()),
                "orderItems": [{"orderItemId": item_id, "quantity": order.quantity}],
            },
        }
        url = f"{CONFIRM_API}/{quote(amazon_id, safe='')}/shipmentConfirmation"

        async def confirm() -> RemoteOrder | None:
            await self.http.request("POST", url, idempotent=False, json=body)
            return None

        async def lookup() -> RemoteOrder | None:
            found = await self.fetch_order(order_id)
            return found if found is not None and found.state == "shipped" else None

        await create_once(confirm, lookup)
        return await self._existing(order_id)

    async def cancel_order(self, order_id: str, *, reason: str) -> RemoteOrder:
        """Amazon's Orders API cannot cancel: this raises, saying what to do instead."""
        amazon_id, _ = _split(order_id)
        raise MarketplaceError(
            f"amazon cannot cancel order {amazon_id} through the Orders API ({reason}): cancel "
            "it in Seller Central (Orders, Manage Orders, Cancel order), choosing the reason; "
            "the next intake sees it cancelled and releases its units",
            marketplace=self.name,
            code="cancel_in_seller_central",
        )

    # --- steps ---------------------------------------------------------------------------

    def _remember(self, orders: tuple[RemoteOrder, ...]) -> None:
        """Keep the last page listed, to answer acknowledge_order without a call."""
        self._listed = {order.order_id: order for order in orders}

    def _now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.clock(), dt.UTC)

    async def _order(self, amazon_id: str) -> dict[str, Any] | None:
        try:
            response = await self.http.request(
                "GET",
                f"{ORDERS_API}/{quote(amazon_id, safe='')}",
                idempotent=True,
                params={"includedData": ",".join(INCLUDED)},
            )
        except MarketplaceError as error:
            if error.status == 404:  # Not Found
                return None
            raise

        def read() -> dict[str, Any]:
            order = response.json()["order"]
            if not isinstance(order, dict):
                raise TypeError(f"order is {type(order).__name__}")
            return order

        return self._read("getOrder", read)

    async def _existing(self, order_id: str) -> RemoteOrder:
        order = await self.fetch_order(order_id)
        if order is None:
            raise MarketplaceError(
                f"amazon has no order item {order_id!r} of ours; list the orders again "
                "(list_orders) for the ids it knows",
                marketplace=self.name,
                status=404,
            )
        return order

    def _read(self, call: str, read: Callable[[], T]) -> T:
        try:
            return read()
        except MarketplaceError:
            raise
        except (*_SHAPE_ERRORS, json.JSONDecodeError) as error:
            raise MarketplaceError(
                f"amazon answered {call} in a shape ruralseller did not expect "
                f"({type(error).__name__}: {error}"[:300]
                + "); nothing was taken in from it: try again later, and report it if it stays",
                marketplace=self.name,
                code="unexpected_answer",
            ) from error

    def _read_items(self, call: str, order: Mapping[str, Any]) -> tuple[RemoteOrder, ...]:
        return self._read(call, lambda: self._items(order))

    def _items(self, order: Mapping[str, Any]) -> tuple[RemoteOrder, ...]:
        """One RemoteOrder per item with a seller SKU (others were not listed by us)."""
        amazon_id = str(order["orderId"])
        status = str((order.get("fulfillment") or {})["fulfillmentStatus"])
        if status not in _STATES and status != "PARTIALLY_SHIPPED":
            raise ValueError(f"fulfillmentStatus {status!r} is not one Amazon documents")
        placed = _moment(str(order["createdTime"]))
        buyer = _buyer(order)
        found = []
        for item in order["orderItems"]:
            product = item["product"]
            sku = product.get("sellerSku")
            if not sku:
                logger.info("amazon: order %s item has no seller SKU; not ours", amazon_id)
                continue
            left = (item.get("fulfillment") or {}).get("quantityUnfulfilled")
            if status == "PARTIALLY_SHIPPED":
                state = "shipped" if left == 0 else "acknowledged"
            else:
                state = _STATES[status]
            price = (product.get("price") or {}).get("unitPrice")
            found.append(
                RemoteOrder(
                    marketplace=self.name,
                    account=self.seller_id,
                    order_id=f"{amazon_id}/{item['orderItemId']}",
                    sku=str(sku),
                    quantity=int(item["quantityOrdered"]),
                    state=state,
                    placed_at=placed,
                    unit_price=(
                        Money(Decimal(str(price["amount"])), str(price["currencyCode"]))
                        if price
                        else None
                    ),
                    buyer=buyer,
                    extra={
                        "orderId": amazon_id,
                        "orderItemId": str(item["orderItemId"]),
                        "fulfillmentStatus": status,
                        "quantityUnfulfilled": left,
                        "fulfilledBy": (order.get("fulfillment") or {}).get("fulfilledBy"),
                        "lastUpdatedTime": order.get("lastUpdatedTime"),
                        "asin": product.get("asin"),
                    },
                )
            )
        return tuple(found)


def _page(body: Any) -> tuple[list[dict[str, Any]], str | None]:
    orders = body["orders"]
    if not isinstance(orders, list) or not all(isinstance(o, dict) for o in orders):
        raise TypeError("orders is not a list of orders")
    token = (body.get("pagination") or {}).get("nextToken")
    return orders, str(token) if token else None


def _buyer(order: Mapping[str, Any]) -> dict[str, str]:
    """The delivery address and the buyer's name, for the label."""
    address = (order.get("recipient") or {}).get("deliveryAddress") or {}
    buyer = order.get("buyer") or {}
    values = {
        "name": address.get("name") or buyer.get("buyerName"),
        "company": address.get("companyName"),
        "address_line1": address.get("addressLine1"),
        "address_line2": address.get("addressLine2"),
        "address_line3": address.get("addressLine3"),
        "city": address.get("city"),
        "district": address.get("districtOrCounty"),
        "state": address.get("stateOrRegion"),
        "postal_code": address.get("postalCode"),
        "country": address.get("countryCode"),
        "phone": address.get("phone"),
        "email": buyer.get("buyerEmail"),
    }
    return {key: str(value) for key, value in values.items() if value}


def _split(order_id: str) -> tuple[str, str | None]:
    amazon_id, _, item_id = order_id.partition("/")
    if not amazon_id:
        raise InvalidValueError(
            f"{order_id!r} is not an Amazon order id",
            field="order_id",
            hint="give it as ORDER/ITEM, as list_orders gives it "
            "(e.g. 123-4567890-1234567/12345678901234)",
        )
    return amazon_id, item_id or None
