"""Shopee order intake (Open Platform v2 order and logistics APIs), mixed into the adapter.

Shopee publishes no machine-readable description of its API; this follows the Open Platform
API reference (https://open.shopee.com/documents/v2/): ``v2.order.get_order_list``,
``v2.order.get_order_detail``, ``v2.logistics.ship_order`` and ``v2.order.cancel_order``.

* ``GET /api/v2/order/get_order_list``: ``time_range_field=update_time``, ``time_from`` and
  ``time_to`` (unix seconds, at most 15 days apart), ``page_size`` (1 to 100) and ``cursor``;
  answers ``response.order_list[].order_sn``, ``response.more`` and ``response.next_cursor``;
* ``GET /api/v2/order/get_order_detail``: ``order_sn_list`` (1 to 50, comma separated) and
  ``response_optional_fields``; we read ``order_sn``, ``order_status``, ``currency``,
  ``create_time``, ``update_time``, ``buyer_username``, ``recipient_address`` (``name``,
  ``phone``, ``full_address``, ``city``, ``state``, ``region``, ``zipcode``) and
  ``item_list[]`` (``item_id``, ``model_id``, ``item_sku``, ``model_sku``,
  ``model_quantity_purchased``, ``model_discounted_price``);
* ``POST /api/v2/logistics/ship_order``: ``order_sn`` with ``non_integrated.tracking_number``
  when the seller ships with a carrier of their own, else an empty ``dropoff`` (unverified:
  channels whose ``get_shipping_parameter`` asks for a pickup address or a branch need the
  seller centre);
* ``POST /api/v2/order/cancel_order``: ``order_sn``, ``cancel_reason`` ``OUT_OF_STOCK`` and
  ``item_list[]`` (``item_id``, ``model_id``), the reason a seller may give for an order it
  cannot fill.

Shopee has no "acknowledge" call: acknowledging reads the order back and changes nothing.
The carrier is the logistics channel the buyer chose at checkout, so ``carrier=`` is kept
only in what we answer. Unverified (status U): that ``next_cursor`` counts entries, so that an
order changed while we page (it leaves the time window) would shift the rest. Because of
it, a window holding more than a page of orders is not paged through but narrowed (halved)
until it fits in one page; only a window of one second is paged, and then listed a second
time before the cursor moves on.

The cursor is ``<time_from>|<time_to>|<shopee cursor>|<pass>``: windows of at most
:data:`WINDOW` of ``update_time``, each next one starting where the last ended (and
:data:`OVERLAP` before it near the present, where Shopee may still be indexing), so an order
updated while we read (its new ``update_time`` falls after the window) comes in a later
window; orders seen twice are taken in once by the order inbox.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, Protocol

import attrs
import httpx

from ruralseller.catalog import Mass, Money
from ruralseller.errors import MarketplaceError, RuralSellerError
from ruralseller.marketplaces.orders import OrderPage, RemoteOrder

__all__ = ["ORDER_STATES", "OVERLAP", "WINDOW", "ShopeeOrders"]

#: Shopee ``order_status`` -> our order state (the raw status is kept in ``extra``).
ORDER_STATES: dict[str, str] = {
    "UNPAID": "placed",
    "READY_TO_SHIP": "placed",
    "IN_CANCEL": "placed",
    "INVOICE_PENDING": "placed",
    "PROCESSED": "acknowledged",
    "RETRY_SHIP": "acknowledged",
    "SHIPPED": "shipped",
    "TO_CONFIRM_RECEIVE": "shipped",
    "COMPLETED": "shipped",
    "TO_RETURN": "shipped",
    "CANCELLED": "cancelled",
}
#: The longest ``update_time`` window get_order_list takes (15 days).
WINDOW = 15 * 24 * 3600
#: How far each window reaches back into the one before (seconds).
OVERLAP = 60
_LIST = "/api/v2/order/get_order_list"
_DETAIL = "/api/v2/order/get_order_detail"
_SHIP = "/api/v2/logistics/ship_order"
_CANCEL = "/api/v2/order/cancel_order"
_DETAIL_BATCH = 50
_FIELDS = "buyer_username,recipient_address,item_list,shipping_carrier,package_list"
_SHAPES = (KeyError, IndexError, TypeError, AttributeError, ValueError, InvalidOperation)


class _Caller(Protocol):
    async def __call__(  # noqa: PLR0913 - the adapter's _call
        self,
        method: str,
        path: str,
        *,
        idempotent: bool,
        json: Any = None,
        params: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        wrapped: bool = True,
    ) -> httpx.Response: ...


@contextlib.contextmanager
def _answer(what: str) -> Iterator[None]:
    """An answer of an unexpected shape becomes a MarketplaceError naming the call."""
    try:
        yield
    except RuralSellerError:
        raise
    except (*_SHAPES, json.JSONDecodeError) as error:
        raise MarketplaceError(
            f"shopee answered {what} in a shape ruralseller did not expect "
            f"({type(error).__name__}: {str(error)[:160]}); try again later, and report it "
            "if it keeps happening",
            marketplace="shopee",
            code="unexpected_answer",
        ) from error


def _split(order_id: str) -> tuple[str, int | None, int | None]:
    """``"<order_sn>-<item_id>-<model_id>"`` (or a bare order_sn)."""
    sn, _, rest = order_id.partition("-")
    item, _, model = rest.partition("-")
    if not sn or not sn.isalnum() or (rest and not (item.isdigit() and model.isdigit())):
        raise MarketplaceError(
            f"{order_id!r} is not a Shopee order id; use the id ruralseller listed, like "
            "201214JAJXU6G7-800000001-0 (order_sn, item_id, model_id)",
            marketplace="shopee",
            status=404,
        )
    return sn, int(item) if rest else None, int(model) if rest else None


class ShopeeOrders:
    """Order intake for :class:`~ruralseller.marketplaces.shopee.ShopeeMarketplace`.

    Each item of an order is one :class:`RemoteOrder` with id
    ``<order_sn>-<item_id>-<model_id>``; shipping or cancelling one acts on the whole order.
    """

    name: ClassVar[str]
    shop_id: int
    clock: Any
    _call: _Caller

    async def list_orders(self, since: str | None = None, *, limit: int = 100) -> OrderPage:
        """The items of orders new or changed since ``since``, window by window."""
        if not 1 <= limit <= 100:
            raise ValueError(f"Shopee lists 1 to 100 orders a page, not {limit}")
        now = int(self.clock())
        start, end, shopee_cursor, round_ = _cursor(since, now)
        if end < start:  # read up to this second already
            return OrderPage(orders=(), cursor=since, more=False)
        params: dict[str, Any] = {
            "time_range_field": "update_time",
            "time_from": start,
            "time_to": end,
            "page_size": limit,
            "cursor": shopee_cursor,
        }
        response = await self._call("GET", _LIST, idempotent=True, params=params)
        with _answer("get_order_list"):
            body = response.json()["response"]
            sns = [str(o["order_sn"]) for o in body.get("order_list") or ()]
            more_here = bool(body.get("more"))
            next_cursor = str(body.get("next_cursor") or "")
        orders = await self._details(sns)
        if more_here and end - start > 1 and not shopee_cursor:
            # More than a page: narrow the window rather than page through it (an order
            # changed while we page would shift Shopee's offsets); what was read is kept.
            cursor, more = f"{start}|{start + (end - start) // 2}||1", True
        elif more_here and next_cursor:  # more than a page changed in one second: page
            cursor, more = f"{start}|{end}|{next_cursor}|{round_}", True
        elif round_ == 1 and shopee_cursor:  # paged: list the window once more (see above)
            cursor, more = f"{start}|{end}||2", True
        else:  # the window is read: the next starts where it ended, or earlier near now
            near_now = end > now - OVERLAP
            cursor = f"{max(start + 1, end - OVERLAP) if near_now else end}|||1"
            more = end < now
        return OrderPage(
            orders=tuple(sorted(orders, key=lambda o: o.extra["update_time"])),
            cursor=cursor,
            more=more,
        )

    async def fetch_order(self, order_id: str) -> RemoteOrder | None:
        """One order item, or None when Shopee shows no such order or item."""
        sn, item, model = _split(order_id)
        lines = await self._details([sn])
        for line in lines:
            if item is None or (line.extra["item_id"], line.extra["model_id"]) == (item, model):
                return line
        return None

    async def acknowledge_order(self, order_id: str) -> RemoteOrder:
        """Shopee has no acknowledgement: the order as it is."""
        return await self._order_require(order_id)

    async def ship_order(
        self,
        order_id: str,
        *,
        weight: Mass | None = None,  # noqa: ARG002 - Shopee takes no weighed weight
        tracking: str | None = None,
        carrier: str | None = None,
    ) -> RemoteOrder:
        """Arrange shipment (``ship_order``); a tracking number means a carrier of your own."""
        order = await self._order_require(order_id)
        if order.state in ("acknowledged", "shipped"):
            return order  # arranged already: nothing is sent twice
        if order.state == "cancelled":
            raise MarketplaceError(
                f"shopee order {order.extra['order_sn']} is cancelled; it cannot be shipped",
                marketplace=self.name,
                code="order_cancelled",
            )
        body: dict[str, Any] = {"order_sn": order.extra["order_sn"]}
        if tracking:
            body["non_integrated"] = {"tracking_number": tracking}
        else:
            body["dropoff"] = {}
        await self._call("POST", _SHIP, idempotent=True, json=body)
        shipped = await self._order_require(order_id)
        extra = {**shipped.extra, "tracking": tracking, "carrier": carrier}
        return attrs.evolve(shipped, extra=extra)

    async def cancel_order(self, order_id: str, *, reason: str) -> RemoteOrder:
        """Cancel as out of stock (the only reason a seller gives for an unfillable order)."""
        order = await self._order_require(order_id)
        if order.state == "cancelled":
            return order
        sn = order.extra["order_sn"]
        lines = [line for line in await self._details([sn]) if line.state != "cancelled"]
        body = {
            "order_sn": sn,
            "cancel_reason": "OUT_OF_STOCK",
            "item_list": [
                {"item_id": line.extra["item_id"], "model_id": line.extra["model_id"]}
                for line in lines
            ],
        }
        await self._call("POST", _CANCEL, idempotent=True, json=body)
        cancelled = await self._order_require(order_id)
        extra = {**cancelled.extra, "reason": reason}
        return attrs.evolve(cancelled, extra=extra)

    # --- calls --------------------------------------------------------------------------------

    async def _order_require(self, order_id: str) -> RemoteOrder:
        order = await self.fetch_order(order_id)
        if order is None:
            raise MarketplaceError(
                f"shopee shop {self.shop_id} shows no order {order_id!r}; check the id with "
                "`ruralseller orders list`",
                marketplace=self.name,
                status=404,
            )
        return order

    async def _details(self, sns: Sequence[str]) -> list[RemoteOrder]:
        lines: list[RemoteOrder] = []
        for start in range(0, len(sns), _DETAIL_BATCH):
            batch = sns[start : start + _DETAIL_BATCH]
            params = {"order_sn_list": ",".join(batch), "response_optional_fields": _FIELDS}
            response = await self._call("GET", _DETAIL, idempotent=True, params=params)
            with _answer("get_order_detail"):
                for order in response.json()["response"].get("order_list") or ():
                    lines += self._order_lines(order)
        return lines

    def _order_lines(self, order: Mapping[str, Any]) -> list[RemoteOrder]:
        status = str(order["order_status"])
        currency = str(order["currency"])
        address = order.get("recipient_address") or {}
        buyer = {
            "name": address.get("name"),
            "phone": address.get("phone"),
            "address": address.get("full_address"),
            "city": address.get("city"),
            "state": address.get("state"),
            "postcode": address.get("zipcode"),
            "country": address.get("region"),
            "username": order.get("buyer_username"),
        }
        lines = []
        for item in order["item_list"]:
            sku = str(item.get("model_sku") or item.get("item_sku") or "")
            if not sku:
                continue  # not one of our listings
            price = item.get("model_discounted_price")
            lines.append(
                RemoteOrder(
                    marketplace=self.name,
                    account=str(self.shop_id),
                    order_id=f"{order['order_sn']}-{int(item['item_id'])}-{int(item['model_id'])}",
                    sku=sku,
                    quantity=int(item["model_quantity_purchased"]),
                    state=ORDER_STATES.get(status, "placed"),
                    placed_at=dt.datetime.fromtimestamp(int(order["create_time"]), dt.UTC),
                    unit_price=Money(Decimal(str(price)), currency) if price is not None else None,
                    buyer={k: str(v) for k, v in buyer.items() if v},
                    extra={
                        "status": status,
                        "order_sn": str(order["order_sn"]),
                        "item_id": int(item["item_id"]),
                        "model_id": int(item["model_id"]),
                        "update_time": int(order["update_time"]),
                        "shipping_carrier": order.get("shipping_carrier"),
                    },
                )
            )
        return lines


def _cursor(text: str | None, now: int) -> tuple[int, int, str, int]:
    """(time_from, time_to, Shopee's cursor, pass) of a cursor; a new window when it has none."""
    if not text:
        start = now - WINDOW
        return start, now, "", 1
    try:
        start_text, end_text, shopee_cursor, round_text = text.split("|")
        start = int(start_text)
        end = int(end_text) if end_text else min(now, start + WINDOW)
        return start, end, shopee_cursor, int(round_text)
    except ValueError as error:
        raise ValueError(
            f"{text!r} is not a Shopee order cursor (time_from|time_to|cursor|pass); start "
            "again without one"
        ) from error
