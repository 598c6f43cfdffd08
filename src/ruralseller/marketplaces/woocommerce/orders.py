"""WooCommerce order intake (REST API v3 ``/orders``), mixed into the WooCommerce adapter.

WooCommerce publishes no machine-readable description of its REST API; this follows the
official reference, https://woocommerce.github.io/woocommerce-rest-api-docs/ ("Orders" and
"Order notes"), and the ``WC_REST_Orders_Controller`` collection parameters:

* listing: ``GET /wp-json/wc/v3/orders`` with ``modified_after`` and ``modified_before``
  (ISO 8601, WooCommerce 5.8 and later; ``WC_REST_Orders_Controller`` turns them into
  ``WP_Date_Query`` ``after``/``before`` clauses, which are strict), ``dates_are_gmt=true``,
  ``orderby`` (``modified`` or ``id``), ``order=asc``, ``per_page`` (at most 100) and
  ``page``; the ``X-WP-Total`` header counts the matches;
* an order: ``id``, ``status`` (``pending``, ``processing``, ``on-hold``, ``completed``,
  ``cancelled``, ``refunded``, ``failed``, ``trash``), ``currency``, ``date_created_gmt``,
  ``date_modified_gmt``, ``billing``/``shipping`` addresses, ``meta_data`` and
  ``line_items`` (``id``, ``sku``, ``quantity``, ``total``, ``total_tax``);
* ``PUT /orders/{id}`` sets ``status`` and ``meta_data``; ``POST /orders/{id}/notes`` adds a
  note (``note``, ``customer_note``).

WooCommerce has no "acknowledged" status and no tracking field of its own: the
acknowledgement, carrier, tracking number and weighed weight are kept as order meta data
(``ruralseller_*``), and a note to the customer tells the tracking number. Cancelling sets
the status ``cancelled``; WooCommerce does not refund the payment by itself: refund the
buyer in WooCommerce > Orders > the order > Refund.

The cursor is ``<date_modified_gmt>|<mode>``. Normally (mode ``0``) the next listing asks,
oldest change first, for the orders modified after a second before that time: an order
changed while we page gets a newer ``date_modified`` and comes later in the listing, so it
is never lost, and one seen twice is taken in once by the order inbox. When a whole page
changed in one second (a bulk action), that second is read alone (mode ``p``): counted,
then read by id from its last page to its first, so an order that leaves it while we page
shifts only pages already read; then the listing goes on strictly after it (mode ``x``).
A second less than a minute old is read again at the next listing rather than passed over.
Unverified (status U): that every save moves ``date_modified_gmt`` (it does for the
``WC_Order`` data store's saves; plugins writing the tables directly would not).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from ruralseller.catalog import Mass, Money
from ruralseller.errors import MarketplaceError, RuralSellerError
from ruralseller.marketplaces.http import AsyncMarketplaceHttp
from ruralseller.marketplaces.orders import OrderPage, RemoteOrder
from ruralseller.marketplaces.woocommerce.constants import API_ROOT, META_PREFIX

__all__ = ["ORDER_STATES", "WooCommerceOrders"]

#: WooCommerce order status -> our order state (the raw status is kept in ``extra``).
ORDER_STATES: dict[str, str] = {
    "pending": "placed",
    "processing": "placed",
    "on-hold": "placed",
    "completed": "shipped",
    "cancelled": "cancelled",
    "refunded": "cancelled",
    "failed": "cancelled",
    "trash": "cancelled",
}
_ACK = f"{META_PREFIX}acknowledged"
_OVERLAP = dt.timedelta(seconds=1)
# A second this close to now may still take changes: it is not passed over yet.
_RECENT = dt.timedelta(seconds=60)
_SHAPES = (KeyError, IndexError, TypeError, AttributeError, ValueError, InvalidOperation)


@contextlib.contextmanager
def _answer(what: str) -> Iterator[None]:
    """An answer of an unexpected shape becomes a MarketplaceError naming the call."""
    try:
        yield
    except RuralSellerError:
        raise
    except (*_SHAPES, json.JSONDecodeError) as error:
        raise MarketplaceError(
            f"woocommerce answered {what} in a shape ruralseller did not expect "
            f"({type(error).__name__}: {str(error)[:160]}); check the store's WooCommerce "
            "version (5.8 or later) and plugins that change the REST API",
            marketplace="woocommerce",
            code="unexpected_answer",
        ) from error


def _gmt(text: str) -> dt.datetime:
    """A WooCommerce ``*_gmt`` time (no zone written) as an aware UTC datetime."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def _wc(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S")


def _cursor(text: str | None) -> tuple[dt.datetime | None, str]:
    """The time of a cursor and its mode.

    Modes: ``0`` (from a second before), ``x`` (past that second, read whole), ``p`` (read
    that second alone; ``p<n>``: its page n next).
    """
    if not text:
        return None, "0"
    when, _, mode = text.partition("|")
    known = mode in ("0", "x", "p") or (mode[:1] == "p" and mode[1:].isdigit())
    try:
        moment = _gmt(when)
    except ValueError:
        known = False
    if not known:
        raise ValueError(
            f"{text!r} is not a WooCommerce order cursor (<date_modified_gmt>|<mode>); "
            "start again without one"
        )
    return moment, mode


def _split(order_id: str) -> tuple[int, int | None]:
    """``"<order>-<line item>"`` (or a bare order id) as numbers."""
    head, _, line = order_id.partition("-")
    try:
        return int(head), int(line) if line else None
    except ValueError as error:
        raise MarketplaceError(
            f"{order_id!r} is not a WooCommerce order id; use the id ruralseller listed, "
            "like 1234-56 (order 1234, line item 56)",
            marketplace="woocommerce",
            status=404,
        ) from error


class WooCommerceOrders:
    """Order intake for :class:`~ruralseller.marketplaces.woocommerce.WooCommerceMarketplace`.

    Each line item with a SKU is one :class:`RemoteOrder` with id ``<order>-<line item>``;
    acknowledging, shipping or cancelling one acts on the whole WooCommerce order.
    """

    name: ClassVar[str]
    http: AsyncMarketplaceHttp
    base_url: str
    clock: Any

    async def list_orders(self, since: str | None = None, *, limit: int = 100) -> OrderPage:
        """The order lines of orders new or changed since ``since``, oldest change first."""
        if not 1 <= limit <= 100:
            raise ValueError(f"WooCommerce lists 1 to 100 orders a page, not {limit}")
        after, mode = _cursor(since)
        if after is not None and mode.startswith("p"):
            return await self._one_second(after, mode, limit)
        params = {"orderby": "modified", "order": "asc", "per_page": str(limit)}
        if after is not None:  # strictly after: a second back, or past a second read whole
            params["modified_after"] = _wc(after if mode == "x" else after - _OVERLAP)
        body = await self._order_list(params)
        if not body:
            return OrderPage(orders=(), cursor=since, more=False)
        with _answer("the order list"):
            first = _gmt(str(body[0]["date_modified_gmt"]))
            last = _gmt(str(body[-1]["date_modified_gmt"]))
            lines = [line for order in body for line in self._order_lines(order)]
        full = len(body) == limit
        # A full page changed in one second: read that second alone, last page first.
        cursor = f"{_wc(last)}|{'p' if full and first == last else '0'}"
        return OrderPage(orders=tuple(lines), cursor=cursor, more=full)

    async def _one_second(self, second: dt.datetime, mode: str, limit: int) -> OrderPage:
        """Page through the orders changed in ``second``, by id, from the last page.

        An order changed again while we page leaves the second and shifts only the pages
        after it, which were read already; it comes again after the second.
        """
        params = {
            "orderby": "id",
            "order": "asc",
            "per_page": str(limit),
            "modified_after": _wc(second - _OVERLAP),
            "modified_before": _wc(second + _OVERLAP),
        }
        if mode == "p":  # count the second's pages, then read from the last
            response = await self.http.request(
                "GET",
                f"{API_ROOT}/orders",
                idempotent=True,
                params={**params, "page": "1", "dates_are_gmt": "true"},
            )
            with _answer("the order list"):
                total = int(response.headers["X-WP-Total"])
                body = response.json()
                if not isinstance(body, list):
                    raise TypeError(f"the order list is a {type(body).__name__}, not a list")
            page = max(1, -(-total // limit))
            if page > 1:
                body = [*body, *await self._order_list({**params, "page": str(page)})]
        else:
            page = int(mode[1:])
            body = await self._order_list({**params, "page": str(page)})
        with _answer("the order list"):
            lines = tuple(line for order in body for line in self._order_lines(order))
        if page > 1:
            return OrderPage(orders=lines, cursor=f"{_wc(second)}|p{page - 1}", more=True)
        now = dt.datetime.fromtimestamp(self.clock(), dt.UTC)
        if second > now - _RECENT:  # the second may still take changes: read it again later
            return OrderPage(orders=lines, cursor=f"{_wc(second)}|p", more=False)
        return OrderPage(orders=lines, cursor=f"{_wc(second)}|x", more=True)

    async def _order_list(self, params: Mapping[str, str]) -> list[dict[str, Any]]:
        response = await self.http.request(
            "GET", f"{API_ROOT}/orders", idempotent=True, params={**params, "dates_are_gmt": "true"}
        )
        with _answer("the order list"):
            body = response.json()
            if not isinstance(body, list):
                raise TypeError(f"the order list is a {type(body).__name__}, not a list")
        return body

    async def fetch_order(self, order_id: str) -> RemoteOrder | None:
        """One order line, or None when the store has no such order or line."""
        number, line = _split(order_id)
        order = await self._order_get(number)
        if order is None:
            return None
        with _answer("an order"):
            lines = self._order_lines(order)
        return next((o for o in lines if line is None or o.extra["line_item"] == line), None)

    async def acknowledge_order(self, order_id: str) -> RemoteOrder:
        """Note on the order that ruralseller took it in (meta data; once)."""
        number, _ = _split(order_id)
        order = await self._order_require(number)
        if _meta(order).get(_ACK) != "yes":
            order = await self._order_put(number, {"meta_data": [{"key": _ACK, "value": "yes"}]})
        return self._order_one(order, order_id)

    async def ship_order(
        self,
        order_id: str,
        *,
        weight: Mass | None = None,
        tracking: str | None = None,
        carrier: str | None = None,
    ) -> RemoteOrder:
        """Complete the order, keep carrier, tracking and weight, and tell the buyer."""
        number, _ = _split(order_id)
        order = await self._order_require(number)
        if order.get("status") == "completed":
            return self._order_one(order, order_id)  # shipped already: nothing is sent twice
        meta = {"shipped_weight": str(weight) if weight else None, "tracking": tracking}
        meta["carrier"] = carrier
        body = {
            "status": "completed",
            "meta_data": [
                {"key": f"{META_PREFIX}{key}", "value": value}
                for key, value in meta.items()
                if value
            ],
        }
        order = await self._order_put(number, body)
        if tracking:
            via = f" with {carrier}" if carrier else ""
            await self._order_note(
                number, f"Shipped{via}, tracking number {tracking}.", customer=True
            )
        return self._order_one(order, order_id)

    async def cancel_order(self, order_id: str, *, reason: str) -> RemoteOrder:
        """Cancel the order; refund the buyer in WooCommerce > Orders (it does not by itself)."""
        number, _ = _split(order_id)
        order = await self._order_require(number)
        if order.get("status") != "cancelled":
            order = await self._order_put(number, {"status": "cancelled"})
            await self._order_note(number, f"Cancelled by ruralseller: {reason}", customer=False)
        return self._order_one(order, order_id)

    # --- calls --------------------------------------------------------------------------------

    async def _order_get(self, number: int) -> dict[str, Any] | None:
        try:
            response = await self.http.request(
                "GET", f"{API_ROOT}/orders/{number}", idempotent=True
            )
        except MarketplaceError as error:
            if error.status == 404:  # woocommerce_rest_shop_order_invalid_id
                return None
            raise
        with _answer("an order"):
            body = response.json()
            if not isinstance(body, dict):
                raise TypeError(f"the order is a {type(body).__name__}, not an object")
        return body

    async def _order_require(self, number: int) -> dict[str, Any]:
        order = await self._order_get(number)
        if order is None:
            raise MarketplaceError(
                f"the WooCommerce store {self.base_url} has no order {number}; check the id "
                "with `ruralseller orders list`",
                marketplace=self.name,
                status=404,
            )
        return order

    async def _order_put(self, number: int, body: Mapping[str, Any]) -> dict[str, Any]:
        response = await self.http.request(
            "PUT", f"{API_ROOT}/orders/{number}", idempotent=True, json=dict(body)
        )
        with _answer("an order update"):
            answer = response.json()
            if not isinstance(answer, dict):
                raise TypeError(f"the order is a {type(answer).__name__}, not an object")
        return answer

    async def _order_note(self, number: int, note: str, *, customer: bool) -> None:
        await self.http.request(
            "POST",
            f"{API_ROOT}/orders/{number}/notes",
            idempotent=False,
            json={"note": note, "customer_note": customer},
        )

    # --- mapping ------------------------------------------------------------------------------

    def _order_one(self, order: Mapping[str, Any], order_id: str) -> RemoteOrder:
        _, line = _split(order_id)
        with _answer("an order"):
            lines = self._order_lines(order)
        for remote in lines:
            if line is None or remote.extra["line_item"] == line:
                return remote
        raise MarketplaceError(
            f"WooCommerce order {order.get('id')} has no line item {line} with a SKU",
            marketplace=self.name,
            status=404,
        )

    def _order_lines(self, order: Mapping[str, Any]) -> list[RemoteOrder]:
        status = str(order["status"])
        meta = _meta(order)
        state = ORDER_STATES.get(status, "placed")
        if state == "placed" and meta.get(_ACK) == "yes":
            state = "acknowledged"
        currency = str(order["currency"])
        buyer = _buyer(order)
        placed = _gmt(str(order["date_created_gmt"]))
        lines = []
        for item in order["line_items"]:
            sku = str(item.get("sku") or "")
            if not sku:
                continue  # a line that is not one of our products (no SKU) is not ours
            quantity = int(item["quantity"])
            paid = Decimal(str(item["total"])) + Decimal(str(item.get("total_tax") or "0"))
            lines.append(
                RemoteOrder(
                    marketplace=self.name,
                    account=self.base_url,
                    order_id=f"{order['id']}-{item['id']}",
                    sku=sku,
                    quantity=quantity,
                    state=state,
                    placed_at=placed,
                    unit_price=Money(paid / quantity, currency).rounded(),
                    buyer=buyer,
                    extra={
                        "status": status,
                        "order": int(order["id"]),
                        "line_item": int(item["id"]),
                        "modified": str(order["date_modified_gmt"]),
                        "tracking": meta.get(f"{META_PREFIX}tracking"),
                        "carrier": meta.get(f"{META_PREFIX}carrier"),
                    },
                )
            )
        return lines


def _meta(order: Mapping[str, Any]) -> dict[str, Any]:
    return {
        str(m["key"]): m.get("value")
        for m in order.get("meta_data") or ()
        if isinstance(m, dict) and "key" in m
    }


def _buyer(order: Mapping[str, Any]) -> dict[str, str]:
    """The name and address to ship to (shipping address, else billing), for the label."""
    shipping = order.get("shipping") or {}
    billing = order.get("billing") or {}
    address = shipping if shipping.get("address_1") else billing
    name = " ".join(part for part in (address.get("first_name"), address.get("last_name")) if part)
    fields = {
        "name": name,
        "company": address.get("company"),
        "address": ", ".join(
            part for part in (address.get("address_1"), address.get("address_2")) if part
        ),
        "city": address.get("city"),
        "state": address.get("state"),
        "postcode": address.get("postcode"),
        "country": address.get("country"),
        "phone": address.get("phone") or billing.get("phone"),
        "email": billing.get("email"),
    }
    return {key: str(value) for key, value in fields.items() if value}
