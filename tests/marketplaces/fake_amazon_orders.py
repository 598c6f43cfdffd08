"""A fake Amazon seller with orders: the Orders API 2026-01-01 and v0's confirmShipment.

:class:`FakeAmazonOrders` is a :class:`~tests.marketplaces.fake_amazon.FakeAmazon` (LWA
tokens and the Listings API work as there) that also answers searchOrders and getOrder
(``tests/specs/amazon-sp-api-orders/orders_2026-01-01.json``) and confirmShipment
(``ordersV0.json``). Every order request is checked against those official models and
every answer against their response schemas.

What the models do not say and the fake assumes: a ``nextToken`` stands for the result set
as it was when the listing started (the orders are read again as they are now); an item's
``fulfillment.quantityUnfulfilled`` falls as it is confirmed shipped; the datasets of
``includedData`` (buyer, recipient, fulfillment) are left out unless asked for.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import httpx
from tests.marketplaces.fake_amazon import FakeAmazon
from tests.marketplaces.specs import OpenApiSpec

ORDERS = OpenApiSpec.load("amazon-sp-api-orders/orders_2026-01-01.json")
ORDERS_V0 = OpenApiSpec.load("amazon-sp-api-orders/ordersV0.json")
DATASETS = {"BUYER": "buyer", "RECIPIENT": "recipient", "FULFILLMENT": "fulfillment"}


def stamp(moment: dt.datetime) -> str:
    """A time as Amazon writes it."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _errors(code: str, message: str) -> dict[str, Any]:
    return {"errors": [{"code": code, "message": message}]}


class FakeAmazonOrders(FakeAmazon):
    """An in-memory Amazon seller with orders."""

    def __init__(self, *, now: dt.datetime | None = None, **options: Any) -> None:
        self.now = now or dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)
        super().__init__(clock=self.wall, **options)
        self.orders: dict[str, dict[str, Any]] = {}
        self.shipments: list[dict[str, Any]] = []
        self.pages: dict[str, list[str]] = {}
        self.pages_served = 0
        self.between_pages: Callable[[int], None] | None = None
        self.answer_orders: Callable[[dict[str, Any]], Any] | None = None
        self._order_ids = itertools.count(1_059_050)
        self._item_ids = itertools.count(79_039_765_272_157)

    # --- helpers for tests ---------------------------------------------------------------

    def wall(self) -> float:
        """The account's clock in seconds (for the adapter's and the tokens' ``clock``)."""
        return self.now.timestamp()

    def tick(self, minutes: float = 1) -> dt.datetime:
        """Move the clock on."""
        self.now += dt.timedelta(minutes=minutes)
        return self.now

    def sell(self, *items: tuple[str | None, int, str], status: str = "UNSHIPPED") -> str:
        """A buyer's order of ``(sku, quantity, unit price)`` items; its order id."""
        self.tick()
        order_id = f"902-1106328-{next(self._order_ids)}"
        lines = []
        for sku, quantity, price in items:
            product: dict[str, Any] = {
                "asin": "B0CHICKEN1",
                "title": "Chilled Taihe black-bone silkie",
                "price": {"unitPrice": {"amount": price, "currencyCode": "USD"}},
            }
            if sku is not None:
                product["sellerSku"] = sku
            lines.append(
                {
                    "orderItemId": str(next(self._item_ids)),
                    "quantityOrdered": quantity,
                    "product": product,
                    "fulfillment": {"quantityFulfilled": 0, "quantityUnfulfilled": quantity},
                }
            )
        self.orders[order_id] = {
            "orderId": order_id,
            "createdTime": stamp(self.now),
            "lastUpdatedTime": stamp(self.now),
            "salesChannel": {
                "channelName": "AMAZON",
                "marketplaceId": self.marketplace_id,
                "marketplaceName": "Amazon.com",
            },
            "buyer": {"buyerName": "Mei Lin", "buyerEmail": "x7@marketplace.amazon.com"},
            "recipient": {
                "deliveryAddress": {
                    "name": "Mei Lin",
                    "addressLine1": "1 Market St",
                    "city": "San Francisco",
                    "stateOrRegion": "CA",
                    "postalCode": "94105",
                    "countryCode": "US",
                    "phone": "415-555-0100",
                }
            },
            "fulfillment": {"fulfillmentStatus": status, "fulfilledBy": "MERCHANT"},
            "orderItems": lines,
        }
        return order_id

    def update(self, order_id: str, status: str | None = None) -> None:
        """The order changes on Amazon (and its status, when given): updated now."""
        self.tick()
        order = self.orders[order_id]
        if status is not None:
            order["fulfillment"]["fulfillmentStatus"] = status
        order["lastUpdatedTime"] = stamp(self.now)

    # --- the server ------------------------------------------------------------------------

    def handler(self, request: httpx.Request) -> httpx.Response:
        """The MockTransport handler: the order calls here, the rest as FakeAmazon."""
        if not request.url.path.startswith("/orders/"):
            return super().handler(request)
        request.read()
        self.requests.append(request)
        spec = ORDERS_V0 if request.url.path.startswith("/orders/v0/") else ORDERS
        operation = spec.check(request)
        self.operations.append(operation)
        token = request.headers.get("x-amz-access-token") or ""
        if self.tokens.get(token, 0) <= self.clock():
            return self._answer(spec, request, 403, _errors("Unauthorized", "Access denied."))
        if self.throttle_next > 0:
            self.throttle_next -= 1
            return self._answer(spec, request, 429, _errors("QuotaExceeded", "Slow down."))
        status, body = getattr(self, f"_{operation}")(request)
        loss = self.lose.pop(operation, None)
        if loss == "timeout":
            raise httpx.ReadTimeout("the answer was lost on the way back", request=request)
        return self._answer(spec, request, status, body)

    def _answer(
        self, spec: OpenApiSpec, request: httpx.Request, status: int, body: Any
    ) -> httpx.Response:
        headers = {"x-amzn-RequestId": str(uuid.uuid4()), "x-amzn-RateLimit-Limit": "2.0"}
        if body is None:
            return httpx.Response(status, headers=headers)
        bent = request.url.path.endswith("/orders") and self.answer_orders is not None
        if not bent:
            problems = spec.response_problems(request.method, request.url.path, status, body)
            assert not problems, f"the fake answered against the spec: {problems}"
        return httpx.Response(status, json=body, headers=headers)

    def _shown(self, order: dict[str, Any], request: httpx.Request) -> dict[str, Any]:
        asked = set(request.url.params.get("includedData", "").split(","))
        shown = json.loads(json.dumps(order))
        for dataset, key in DATASETS.items():
            if dataset not in asked:
                shown.pop(key, None)
        return shown

    # --- operations (named by operationId) -------------------------------------------------

    def _searchOrders(self, request: httpx.Request) -> tuple[int, Any]:  # noqa: N802
        params = request.url.params
        if params.get("marketplaceIds") != self.marketplace_id:
            return 400, _errors("InvalidInput", "Invalid 'marketplaceIds' provided.")
        start = dt.datetime.fromisoformat(params["lastUpdatedAfter"])
        end = dt.datetime.fromisoformat(params["lastUpdatedBefore"])
        if end > self.now - dt.timedelta(minutes=2) or end < start:
            return 400, _errors("InvalidInput", "lastUpdatedBefore must be 2 minutes ago.")
        size = int(params.get("maxResultsPerPage", "100"))
        token = params.get("paginationToken")
        if token is None:
            ids = [
                o["orderId"]
                for o in sorted(self.orders.values(), key=lambda o: o["lastUpdatedTime"])
                if start <= dt.datetime.fromisoformat(o["lastUpdatedTime"]) <= end
            ]
        elif token in self.pages:
            ids = self.pages.pop(token)
        else:
            return 400, _errors("InvalidInput", "Invalid paginationToken.")
        body: dict[str, Any] = {
            "orders": [self._shown(self.orders[i], request) for i in ids[:size]],
            "lastUpdatedBefore": stamp(end),
        }
        if ids[size:]:
            following = uuid.uuid4().hex
            self.pages[following] = ids[size:]
            body["pagination"] = {"nextToken": following}
        if self.answer_orders is not None:
            body = self.answer_orders(body)
        self.pages_served += 1
        if self.between_pages is not None:
            self.between_pages(self.pages_served)
        return 200, body

    def _getOrder(self, request: httpx.Request) -> tuple[int, Any]:  # noqa: N802
        order_id = unquote(request.url.raw_path.decode().split("?")[0].rsplit("/", 1)[-1])
        order = self.orders.get(order_id)
        if order is None:
            return 404, _errors("NotFound", "The order was not found.")
        return 200, {"order": self._shown(order, request)}

    def _confirmShipment(self, request: httpx.Request) -> tuple[int, Any]:  # noqa: N802
        order_id = unquote(request.url.raw_path.decode().split("/")[4])
        order = self.orders.get(order_id)
        if order is None:
            return 404, {"errors": [{"code": "NotFound", "message": "No such order."}]}
        body = json.loads(request.content)
        assert body["marketplaceId"] == self.marketplace_id
        items = {item["orderItemId"]: item for item in order["orderItems"]}
        for shipped in body["packageDetail"]["orderItems"]:
            fulfillment = items[shipped["orderItemId"]]["fulfillment"]
            fulfillment["quantityFulfilled"] += shipped["quantity"]
            fulfillment["quantityUnfulfilled"] -= shipped["quantity"]
        left = sum(item["fulfillment"]["quantityUnfulfilled"] for item in order["orderItems"])
        self.update(order_id, "SHIPPED" if left <= 0 else "PARTIALLY_SHIPPED")
        self.shipments.append({"orderId": order_id, **body["packageDetail"]})
        return 204, None
