"""The eBay adapter's order intake, through eBay's Sell Fulfillment API.

eBay keeps a buyer's checkout as an *order* with one or more *line items*; each line item of
ours (one with our SKU) becomes one :class:`~ruralseller.marketplaces.orders.RemoteOrder`,
with the id ``{orderId}/{lineItemId}``. Calls (operationIds of eBay's OpenAPI document of the
Fulfillment API, "Fulfillment API" v1.20.7,
developer.ebay.com/api-docs/master/sell/fulfillment/openapi/3/sell_fulfillment_v1_oas3.json):

* ``getOrders`` (``GET /order``) lists orders with ``filter=lastmodifieddate:[FROM..TO]``,
  ``limit`` (at most 200) and ``offset``. Offset paging is only stable while the set does not
  change, so a listing is a *window* with a fixed end (the clock when it started) and the
  cursor says where in it the next page starts: ``FROM..TO@OFFSET/TOTAL``. An order changed
  while the window is paged leaves it (its ``lastModifiedDate`` passes ``TO``), which shifts
  the later pages; eBay's ``total`` then differs, and the window is read again from its
  start (the inbox keeps every order once). After the last page the cursor is ``TO`` less
  :data:`OVERLAP`, so an order eBay records late is still seen.
* ``getOrder`` (``GET /order/{orderId}``) fetches one.
* ``createShippingFulfillment`` (``POST /order/{orderId}/shipping_fulfillment``) marks the line
  shipped, with the carrier code and the tracking number ("mutually dependent. If you include
  one, you must also include the other"). It has no idempotency key, so a lost answer is
  checked with ``getShippingFulfillments`` before it is sent again.

The Fulfillment API has no acknowledge call (an order needs none) and no cancel call: eBay
cancels through the Post-Order API or Seller Hub, so :meth:`EbayOrders.cancel_order` raises
a :class:`~ruralseller.errors.MarketplaceError` that says what to do there.

States: ``cancelStatus.cancelState`` ``CANCELED`` is cancelled; else the line's
``lineItemFulfillmentStatus``: ``FULFILLED`` shipped, ``IN_PROGRESS`` acknowledged,
``NOT_STARTED`` placed. The raw states are kept in ``extra``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, TypeVar
from urllib.parse import quote, urlsplit

from ruralseller.catalog import Mass, Money
from ruralseller.errors import InvalidValueError, MarketplaceError
from ruralseller.marketplaces.http import AsyncMarketplaceHttp, create_once
from ruralseller.marketplaces.orders import OrderPage, RemoteOrder

__all__ = ["FULFILLMENT_PATH", "FULFILLMENT_SCOPE", "OVERLAP", "PAGE_MAX", "EbayOrders"]

logger = logging.getLogger("ruralseller.marketplaces")

#: The Fulfillment API's path on eBay's hosts (the spec's ``servers`` basePath).
FULFILLMENT_PATH = "/sell/fulfillment/v1"
#: The OAuth scope the order calls need (the spec's ``securitySchemes.api_auth`` scopes).
FULFILLMENT_SCOPE = "https://api.ebay.com/oauth/api_scope/sell.fulfillment"
#: getOrders' ``limit``: "If a requested limit is more than 200, the call fails" (spec).
PAGE_MAX = 200
#: How far back each listing starts before the end of the last one, for orders eBay records
#: with a modification time a little in the past.
OVERLAP = dt.timedelta(minutes=10)
#: Where a first listing starts: "By default, when no filters are used this call returns all
#: orders created within the last 90 days" (spec, getOrders).
FIRST_LOOK_BACK = dt.timedelta(days=90)

T = TypeVar("T")
_SHAPE_ERRORS = (KeyError, IndexError, TypeError, AttributeError, ValueError, InvalidOperation)
_STATES = {"FULFILLED": "shipped", "IN_PROGRESS": "acknowledged", "NOT_STARTED": "placed"}


def _stamp(moment: dt.datetime) -> str:
    """``moment`` as eBay writes times: ``2015-08-04T19:09:02.768Z`` (UTC, milliseconds)."""
    utc = moment.astimezone(dt.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _moment(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone")
    return moment


def _cursor_error(cursor: str) -> InvalidValueError:
    return InvalidValueError(
        f"{cursor!r} is not an eBay order cursor (a time like 2026-11-21T08:00:00.000Z, or "
        "FROM..TO@OFFSET/TOTAL as list_orders gives)",
        field="since",
        hint="pass the cursor list_orders returned, or None to start 90 days back",
    )


def _window(cursor: str) -> tuple[dt.datetime, dt.datetime | None, int, int | None]:
    """A cursor read back: from, to (None: not started), offset, the window's total."""
    try:
        if ".." not in cursor:
            return _moment(cursor), None, 0, None
        span, _, place = cursor.partition("@")
        start, _, end = span.partition("..")
        offset, _, total = place.partition("/")
        return _moment(start), _moment(end), int(offset or 0), int(total) if total else None
    except ValueError:
        raise _cursor_error(cursor) from None


class EbayOrders:
    """Order intake for :class:`~ruralseller.marketplaces.ebay.EbayMarketplace` (a mixin)."""

    name: ClassVar[str]
    http: AsyncMarketplaceHttp
    base_url: str
    settings: Any
    clock: Callable[[], float]
    _listed: dict[str, RemoteOrder]

    # --- the OrderIntake protocol --------------------------------------------------------

    async def list_orders(self, since: str | None = None, *, limit: int = 100) -> OrderPage:
        """The orders changed since the cursor ``since``, a page of up to ``limit`` orders.

        ``limit`` counts eBay orders (at most :data:`PAGE_MAX`); an order with several of
        our lines gives one :class:`RemoteOrder` per line.
        """
        limit = max(1, min(limit, PAGE_MAX))
        if since is None:
            start, end, offset, total = self._now() - FIRST_LOOK_BACK, None, 0, None
        else:
            start, end, offset, total = _window(since)
        if end is None:
            end = self._now()
        body = await self._get_orders(start, end, offset, limit)
        found = self._read("getOrders", lambda: _page(body))
        orders, count, listed_total = found
        if total is not None and listed_total != total:
            # The window changed under us: an order left it, later pages shifted. Read it
            # again from its start; what was already taken in is taken once.
            logger.info("ebay: orders changed while paging (%s -> %s); again", total, listed_total)
            return OrderPage(
                orders=(),
                cursor=f"{_stamp(start)}..{_stamp(end)}@0/{listed_total}",
                more=True,
            )
        ordered = sorted(orders, key=lambda o: str(o.get("lastModifiedDate", "")))
        mapped = tuple(
            remote for order in ordered for remote in self._read_lines("getOrders", order)
        )
        self._remember(mapped)
        after = offset + count
        if count and after < listed_total:
            cursor = f"{_stamp(start)}..{_stamp(end)}@{after}/{listed_total}"
            return OrderPage(orders=mapped, cursor=cursor, more=True)
        return OrderPage(orders=mapped, cursor=_stamp(end - OVERLAP), more=False)

    async def fetch_order(self, order_id: str) -> RemoteOrder | None:
        """One line of an order by ``{orderId}/{lineItemId}`` (or a one-line order's id)."""
        ebay_id, line_id = _split(order_id)
        order = await self._order(ebay_id)
        if order is None:
            return None
        lines = self._read_lines("getOrder", order)
        if line_id is None:
            if len(lines) == 1:
                return lines[0]
            if not lines:
                return None
            raise InvalidValueError(
                f"ebay order {ebay_id} has {len(lines)} lines of ours; name one",
                field="order_id",
                hint="give the id as ORDER/LINE: " + ", ".join(o.order_id for o in lines),
            )
        return next((o for o in lines if o.extra["lineItemId"] == line_id), None)

    async def acknowledge_order(self, order_id: str) -> RemoteOrder:
        """The order as eBay holds it: eBay has no acknowledge call and needs none.

        An order of the last page listed is answered from that page, others are fetched.
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
        """Mark the line shipped (createShippingFulfillment), with carrier and tracking.

        ``carrier`` is eBay's shipping carrier code (``UPS``, ``USPS``, ``China_Post``...);
        the setting ``shipping_carrier`` when not given. eBay takes no weight here; the
        weighed weight stays on our label. Shipping a shipped line changes nothing.
        """
        del weight  # eBay's shipping fulfillment has no weight
        order = await self._existing(order_id)
        if order.state == "shipped":
            return order
        carrier = carrier or getattr(self.settings, "shipping_carrier", None)
        if tracking and not carrier:
            raise InvalidValueError(
                f"eBay takes the tracking number {tracking!r} only with the carrier's code, and "
                "no carrier was given and the setting shipping_carrier is not set",
                field="shipping_carrier",
                hint="set the ebay setting shipping_carrier (eBay's code, e.g. China_Post or "
                "UPS; GeteBayDetails ShippingCarrierDetails lists them), or ship without one",
            )
        ebay_id, line_id = str(order.extra["orderId"]), str(order.extra["lineItemId"])
        body: dict[str, Any] = {
            "lineItems": [{"lineItemId": line_id, "quantity": order.quantity}],
            "shippedDate": _stamp(self._now()),
        }
        if tracking:
            body |= {"shippingCarrierCode": carrier, "trackingNumber": tracking}
        url = self._url("order", ebay_id, "shipping_fulfillment")

        async def create() -> str:
            response = await self.http.request("POST", url, idempotent=False, json=body)
            return str(response.headers.get("location", ""))

        async def lookup() -> str | None:
            response = await self.http.request("GET", url, idempotent=True)
            for found in response.json().get("fulfillments") or ():
                if any(i.get("lineItemId") == line_id for i in found.get("lineItems") or ()):
                    return str(found.get("fulfillmentId", ""))
            return None

        await create_once(create, lookup)
        return await self._existing(order_id)

    async def cancel_order(self, order_id: str, *, reason: str) -> RemoteOrder:
        """EBay's Fulfillment API cannot cancel: this raises, saying what to do instead."""
        ebay_id, _ = _split(order_id)
        raise MarketplaceError(
            f"ebay cannot cancel order {ebay_id} through the Fulfillment API ({reason}): cancel "
            "it in Seller Hub (Orders, the order's Actions, Cancel order), giving the buyer the "
            "reason; the next intake sees it cancelled and releases its units",
            marketplace=self.name,
            code="cancel_in_seller_hub",
        )

    # --- steps ---------------------------------------------------------------------------

    def _remember(self, orders: tuple[RemoteOrder, ...]) -> None:
        """Keep the last page listed, to answer acknowledge_order without a call."""
        self._listed = {order.order_id: order for order in orders}

    def _now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.clock(), dt.UTC)

    def _url(self, *parts: str) -> str:
        root = urlsplit(self.base_url)
        return f"{root.scheme}://{root.netloc}{FULFILLMENT_PATH}/" + "/".join(
            quote(p, safe="") for p in parts
        )

    async def _get_orders(
        self, start: dt.datetime, end: dt.datetime, offset: int, limit: int
    ) -> Any:
        params = {
            "filter": f"lastmodifieddate:[{_stamp(start)}..{_stamp(end)}]",
            "limit": str(limit),
            "offset": str(offset),
        }
        response = await self.http.request(
            "GET", self._url("order"), idempotent=True, params=params
        )
        return self._read("getOrders", response.json)

    async def _order(self, ebay_id: str) -> dict[str, Any] | None:
        try:
            response = await self.http.request("GET", self._url("order", ebay_id), idempotent=True)
        except MarketplaceError as error:
            if error.status == 404:  # Not Found
                return None
            raise
        body = self._read("getOrder", response.json)
        if not isinstance(body, dict):
            raise self._unexpected("getOrder", f"the answer is {type(body).__name__}")
        return body

    async def _existing(self, order_id: str) -> RemoteOrder:
        order = await self.fetch_order(order_id)
        if order is None:
            raise MarketplaceError(
                f"ebay has no order line {order_id!r} of ours; list the orders again "
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
            raise self._unexpected(call, f"{type(error).__name__}: {error}") from error

    def _read_lines(self, call: str, order: Mapping[str, Any]) -> tuple[RemoteOrder, ...]:
        return self._read(call, lambda: self._lines(order))

    def _unexpected(self, call: str, detail: str) -> MarketplaceError:
        return MarketplaceError(
            f"ebay answered {call} in a shape ruralseller did not expect ({detail[:200]}); "
            "nothing was taken in from it: try again later, and report it if it stays",
            marketplace=self.name,
            code="unexpected_answer",
        )

    def _lines(self, order: Mapping[str, Any]) -> tuple[RemoteOrder, ...]:
        """One RemoteOrder per line item with a SKU (lines without one are not ours)."""
        ebay_id = str(order["orderId"])
        cancel = str((order.get("cancelStatus") or {}).get("cancelState") or "NONE_REQUESTED")
        placed = _moment(str(order["creationDate"]))
        buyer = _buyer(order)
        found = []
        for line in order["lineItems"]:
            sku = line.get("sku")
            if not sku:
                logger.info("ebay: order %s line %s has no SKU; not ours", ebay_id, line)
                continue
            status = str(line.get("lineItemFulfillmentStatus") or "NOT_STARTED")
            state = "cancelled" if cancel == "CANCELED" else _STATES.get(status)
            if state is None:
                raise ValueError(f"lineItemFulfillmentStatus {status!r} is not one eBay documents")
            quantity = int(line["quantity"])
            found.append(
                RemoteOrder(
                    marketplace=self.name,
                    account=str(order["sellerId"]),
                    order_id=f"{ebay_id}/{line['lineItemId']}",
                    sku=str(sku),
                    quantity=quantity,
                    state=state,
                    placed_at=placed,
                    unit_price=_unit_price(line, quantity),
                    buyer=buyer,
                    extra={
                        "orderId": ebay_id,
                        "lineItemId": str(line["lineItemId"]),
                        "lineItemFulfillmentStatus": status,
                        "orderFulfillmentStatus": order.get("orderFulfillmentStatus"),
                        "orderPaymentStatus": order.get("orderPaymentStatus"),
                        "cancelState": cancel,
                        "lastModifiedDate": order.get("lastModifiedDate"),
                        "legacyItemId": line.get("legacyItemId"),
                    },
                )
            )
        return tuple(found)


def _page(body: Any) -> tuple[list[dict[str, Any]], int, int]:
    """The answer of getOrders: its orders, how many, and the total of the whole result set."""
    orders = body.get("orders") or []
    if not isinstance(orders, list) or not all(isinstance(o, dict) for o in orders):
        raise TypeError("orders is not a list of orders")
    return orders, len(orders), int(body.get("total", len(orders)))


def _unit_price(line: Mapping[str, Any], quantity: int) -> Money | None:
    """What the buyer paid for one unit: the line's cost after discounts, over the quantity."""
    cost = line.get("discountedLineItemCost") or line.get("lineItemCost")
    if not cost:
        return None
    return Money(Decimal(str(cost["value"])) / quantity, str(cost["currency"])).rounded()


def _buyer(order: Mapping[str, Any]) -> dict[str, str]:
    """The recipient of the first shipping instruction, and the buyer's eBay user name."""
    found: dict[str, str] = {}
    username = (order.get("buyer") or {}).get("username")
    if username:
        found["username"] = str(username)
    for instruction in order.get("fulfillmentStartInstructions") or ():
        ship_to = (instruction.get("shippingStep") or {}).get("shipTo") or {}
        if not ship_to:
            continue
        address = ship_to.get("contactAddress") or {}
        values = {
            "name": ship_to.get("fullName"),
            "company": ship_to.get("companyName"),
            "address_line1": address.get("addressLine1"),
            "address_line2": address.get("addressLine2"),
            "city": address.get("city"),
            "state": address.get("stateOrProvince"),
            "postal_code": address.get("postalCode"),
            "country": address.get("countryCode"),
            "phone": (ship_to.get("primaryPhone") or {}).get("phoneNumber"),
            "email": ship_to.get("email"),
        }
        found |= {key: str(value) for key, value in values.items() if value}
        break
    return found


def _split(order_id: str) -> tuple[str, str | None]:
    ebay_id, _, line_id = order_id.partition("/")
    if not ebay_id:
        raise InvalidValueError(
            f"{order_id!r} is not an eBay order id",
            field="order_id",
            hint="give it as ORDER/LINE, as list_orders gives it (e.g. 01-03955-36441/10001)",
        )
    return ebay_id, line_id or None
