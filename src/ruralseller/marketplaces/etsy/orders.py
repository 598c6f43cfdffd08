"""Etsy's order intake: shop receipts, each line (transaction) one order.

:class:`EtsyOrders` is mixed into :class:`~ruralseller.marketplaces.etsy.EtsyMarketplace`;
it uses the adapter's HTTP client (the app's rate budget, retries and token refresh).

- **Listing** is ``getShopReceipts`` sorted by ``updated`` ascending from ``min_last_modified``.
  The cursor is the newest ``updated_timestamp`` read (``"T"``): the next listing starts at
  that second again (``min_last_modified`` is inclusive; an order seen twice is taken in once
  by the inbox), so a receipt that changes while we page gets a newer timestamp and is read
  on a later page, never lost. Only when a whole page shares the cursor's second does the
  cursor page inside it (``"T:OFFSET:COUNT"``, with ``max_last_modified`` too): should the
  number of receipts in that second change meanwhile (one changed, so it left for a later
  second), the second is read again from its start, so an offset never skips a receipt.
- **One order per transaction** with our SKU (the inventory's ``sku``, which
  :meth:`~ruralseller.marketplaces.etsy.EtsyMarketplace.upsert` writes); the id is
  ``"<receipt_id>-<transaction_id>"``. Lines without a SKU are not ours and are skipped.
  The unit price is the transaction's ``price`` (Etsy's Money: ``amount`` / ``divisor``).
- **States**: ``canceled`` and ``fully refunded`` receipts are ``cancelled``; a receipt
  with ``is_shipped`` (or ``completed``) is ``shipped``; every other is ``placed`` (Etsy has
  no acknowledgement: :meth:`EtsyOrders.acknowledge_order` only reads the order again). The
  raw ``status`` is kept in ``extra["etsy_status"]``.
- **Shipping** is ``createReceiptShipment`` with ``tracking_code``, ``carrier_name`` (Etsy
  takes ``other`` for a carrier it does not know) and the weighed ``weight`` in grams. It
  ships the whole receipt (every line). Each call e-mails the buyer, so it is never retried
  blind: not sent for a receipt already shipped with that tracking code, and after a lost
  answer the receipt is read before anything is sent again.
- **Cancelling**: the Open API v3 has no call to cancel a receipt; :meth:`cancel_order`
  raises a :class:`~ruralseller.errors.MarketplaceError` saying what to do in Shop Manager.

Sources: Etsy's Open API v3 description, https://www.etsy.com/openapi/generated/oas/3.0.0.json
(version 3.0.0, validated 2026-05-30): ``getShopReceipts``, ``getShopReceipt``,
``createReceiptShipment`` (its description: "When tracking_code and carrier_name aren't sent,
the receipt is marked as shipped only ... you may use ``other`` as the carrier name"), and the
``ShopReceipt`` / ``ShopReceiptTransaction`` schemas. That ``min_last_modified`` includes
its own second is not stated there (unverified); reading that second again covers both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from ruralseller.catalog import Mass, Money
from ruralseller.errors import MarketplaceError, MarketplaceUnavailableError
from ruralseller.marketplaces.http import AsyncMarketplaceHttp
from ruralseller.marketplaces.orders import OrderPage, RemoteOrder

__all__ = ["ETSY_CANCELLED", "EtsyOrders", "etsy_order_state"]

#: Receipt statuses that mean the buyer gets nothing (``ShopReceipt.status``).
ETSY_CANCELLED = frozenset({"canceled", "fully refunded"})
_PAGE_MAX = 100  # getShopReceipts: limit maximum 100
_BUYER_FIELDS = ("name", "first_line", "second_line", "city", "state", "zip", "country_iso")


def etsy_order_state(receipt: Mapping[str, Any]) -> str:
    """Our order state for an Etsy receipt.

    >>> etsy_order_state({"status": "paid", "is_shipped": False})
    'placed'
    >>> etsy_order_state({"status": "completed", "is_shipped": True})
    'shipped'
    >>> etsy_order_state({"status": "fully refunded", "is_shipped": True})
    'cancelled'
    """
    status = str(receipt.get("status") or "").casefold()
    if status in ETSY_CANCELLED:
        return "cancelled"
    if receipt.get("is_shipped") or status == "completed":
        return "shipped"
    return "placed"


def _cursor(cursor: str | None) -> tuple[int, int | None, int | None]:
    """(second, offset within it, receipts counted in it): the offset only inside a second."""
    if not cursor:
        return 0, None, None
    try:
        parts = cursor.split(":")
        if len(parts) == 1:
            return int(parts[0]), None, None
        if len(parts) == 3:
            return int(parts[0]), int(parts[1]), int(parts[2]) if parts[2] else None
    except ValueError:
        pass
    raise MarketplaceError(
        f"{cursor!r} is not an Etsy order cursor (it is 'SECONDS' or "
        "'SECONDS:OFFSET:COUNT'); start again without one to read every receipt",
        marketplace="etsy",
    )


def _when(seconds: Any) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(seconds), tz=dt.UTC)


def _unit_price(value: Any) -> Money | None:
    if not isinstance(value, dict):
        return None
    divisor = int(value.get("divisor") or 1)
    amount = Decimal(int(value["amount"])) / Decimal(divisor)
    # As many places as the divisor has zeros (100: cents; 1: yen), else cents.
    places = len(str(divisor)) - 1 if str(divisor).strip("0") == "1" else 2
    return Money(amount.quantize(Decimal(1).scaleb(-places)), str(value["currency_code"]))


class EtsyOrders:
    """Order intake from an Etsy shop's receipts (see the module for the mapping)."""

    name: ClassVar[str]
    http: AsyncMarketplaceHttp
    shop_id: int

    def _receipts_path(self, *rest: str | int) -> str:
        return "/".join(["/v3/application/shops", str(self.shop_id), "receipts", *map(str, rest)])

    async def list_orders(self, since: str | None = None, *, limit: int = 100) -> OrderPage:
        """The lines of the receipts changed since ``since``, oldest change first."""
        second, offset, counted = _cursor(since)
        size = max(1, min(limit, _PAGE_MAX))
        params: dict[str, Any] = {"limit": size, "sort_on": "updated", "sort_order": "asc"}
        if second:
            params["min_last_modified"] = second
        if offset is not None:  # inside one second: only its receipts, by offset
            params["max_last_modified"] = second
            params["offset"] = offset
        response = await self.http.request(
            "GET", self._receipts_path(), idempotent=True, params=params
        )
        body = response.json()
        receipts = list(body["results"])
        orders = tuple(order for receipt in receipts for order in self._orders(receipt))
        if offset is not None:
            return OrderPage(
                orders=orders,
                cursor=self._within(second, offset, counted, len(receipts), int(body["count"])),
                more=True,
            )
        newest = max((int(r["updated_timestamp"]) for r in receipts), default=second)
        full = len(receipts) == size
        cursor = since
        if receipts and (newest > second or not full):
            cursor = str(newest)
        elif receipts:  # a whole page within the cursor's second: page inside it
            cursor = f"{second}:0:"
        return OrderPage(orders=orders, cursor=cursor, more=full)

    @staticmethod
    def _within(second: int, offset: int, counted: int | None, read: int, count: int) -> str:
        """The cursor after a page inside one second (``count``: its receipts now)."""
        if counted is not None and count != counted:
            # Receipts left the second while we paged (changed since: a later time), and
            # an offset would now skip one: read the second again from its start.
            return f"{second}:0:{count}"
        if offset + read >= count:  # the whole second is read: go on after it
            return str(second + 1)
        return f"{second}:{offset + read}:{count}"

    async def fetch_order(self, order_id: str) -> RemoteOrder | None:
        """One line of a receipt, or None when the shop has no such receipt or line."""
        receipt_id, _ = _split(order_id)
        try:
            response = await self.http.request(
                "GET", self._receipts_path(receipt_id), idempotent=True
            )
        except MarketplaceError as error:
            if error.status == 404:  # Not Found
                return None
            raise
        return next((o for o in self._orders(response.json()) if o.order_id == order_id), None)

    async def acknowledge_order(self, order_id: str) -> RemoteOrder:
        """Etsy has no acknowledgement: the order as it stands (nothing is sent)."""
        return await self._require_order(order_id)

    async def ship_order(
        self,
        order_id: str,
        *,
        weight: Mass | None = None,
        tracking: str | None = None,
        carrier: str | None = None,
    ) -> RemoteOrder:
        """Mark the receipt shipped (every line of it), with tracking and the weighed weight.

        Args:
            order_id: ``"<receipt_id>-<transaction_id>"``.
            weight: the weighed weight of the parcel (sent in grams).
            tracking: the carrier's tracking number.
            carrier: the carrier's name as Etsy knows it; ``other`` when a tracking number
                comes without one (Etsy needs both for US orders over $10 and for India).
        """
        order = await self._require_order(order_id)
        receipt_id, _ = _split(order_id)
        shipments = order.extra.get("tracking_codes", ())
        if order.state == "shipped" and (tracking is None or tracking in shipments):
            return order  # already done: a second call would e-mail the buyer again
        if order.state == "cancelled":
            raise MarketplaceError(
                f"etsy receipt {receipt_id} is {order.extra.get('etsy_status')}: it cannot be "
                "shipped",
                marketplace=self.name,
                status=409,
            )
        body: dict[str, Any] = {}
        if tracking:
            body["tracking_code"] = tracking
            body["carrier_name"] = carrier or "other"
        if weight is not None:
            body["weight"] = float(weight.grams)
            body["weight_units"] = "grams"
        try:
            # Not retried blind: each shipment e-mails the buyer, and a second one is a
            # second shipment on the receipt.
            response = await self.http.request(
                "POST", self._receipts_path(receipt_id, "tracking"), idempotent=False, json=body
            )
        except MarketplaceUnavailableError:
            # The answer was lost, not necessarily the shipment: look before sending it again.
            again = await self._require_order(order_id)
            shipped_now = again.state == "shipped" and (
                tracking is None or tracking in again.extra.get("tracking_codes", ())
            )
            if shipped_now:
                return again
            raise
        shipped = next((o for o in self._orders(response.json()) if o.order_id == order_id), None)
        if shipped is None:
            raise KeyError(f"line {order_id} is missing from the shipped receipt")
        return shipped

    async def cancel_order(self, order_id: str, *, reason: str) -> RemoteOrder:
        """Etsy's API cannot cancel a receipt: raises, saying what to do in Shop Manager."""
        receipt_id, _ = _split(order_id)
        raise MarketplaceError(
            f"etsy's Open API cannot cancel an order; cancel receipt {receipt_id} in Shop "
            "Manager (Orders & Shipping, the order's menu, Cancel; Etsy Help 'How to Cancel a "
            f"Sale'; reason: {reason}), and the next intake will see it cancelled",
            marketplace=self.name,
            code="no_cancel_call",
        )

    async def _require_order(self, order_id: str) -> RemoteOrder:
        order = await self.fetch_order(order_id)
        if order is None:
            raise MarketplaceError(
                f"etsy shop {self.shop_id} has no order {order_id!r} (receipt-transaction)",
                marketplace=self.name,
                status=404,
            )
        return order

    def _orders(self, receipt: Mapping[str, Any]) -> list[RemoteOrder]:
        receipt_id = int(receipt["receipt_id"])
        state = etsy_order_state(receipt)
        buyer = {
            key: str(receipt[key]) for key in _BUYER_FIELDS if receipt.get(key) not in (None, "")
        }
        tracking = tuple(
            str(s["tracking_code"])
            for s in receipt.get("shipments") or ()
            if s.get("tracking_code")
        )
        orders = []
        for line in receipt["transactions"]:
            sku = str(line.get("sku") or "").strip()
            if not sku:
                continue  # a listing ruralseller did not make
            orders.append(
                RemoteOrder(
                    marketplace=self.name,
                    account=str(self.shop_id),
                    order_id=f"{receipt_id}-{int(line['transaction_id'])}",
                    sku=sku,
                    quantity=int(line["quantity"]),
                    state=state,
                    placed_at=_when(receipt["created_timestamp"]),
                    unit_price=_unit_price(line.get("price")),
                    buyer=buyer,
                    extra={
                        "receipt_id": receipt_id,
                        "transaction_id": int(line["transaction_id"]),
                        "listing_id": line.get("listing_id"),
                        "etsy_status": receipt.get("status"),
                        "is_shipped": bool(receipt.get("is_shipped")),
                        "updated": int(receipt["updated_timestamp"]),
                        "tracking_codes": tracking,
                    },
                )
            )
        return orders


def _split(order_id: str) -> tuple[int, int]:
    receipt, _, line = order_id.partition("-")
    if not (receipt.isdigit() and line.isdigit()):
        raise MarketplaceError(
            f"{order_id!r} is not an Etsy order id of ruralseller's "
            "('<receipt_id>-<transaction_id>', e.g. '1234567890-987654321')",
            marketplace="etsy",
        )
    return int(receipt), int(line)
