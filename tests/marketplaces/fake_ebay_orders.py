"""A fake eBay seller account with orders: the Sell Fulfillment API on ``httpx.MockTransport``.

:class:`FakeEbayOrders` is a :class:`~tests.marketplaces.fake_ebay.FakeEbay` (so the token
endpoint and the Inventory API work as there) that also answers the order calls under
``/sell/fulfillment/v1``: getOrders (``lastmodifieddate`` filter, ``limit``, ``offset``,
``total``), getOrder, createShippingFulfillment and getShippingFulfillments. Every order
request is checked against the official description
(``tests/specs/ebay-fulfillment/sell_fulfillment_v1_oas3.json``) and every success answer
against its response schema.

getOrders lists oldest change first, so an order changed while a listing is paged leaves
the window and shifts the later pages (the case a cursor must survive); tests change orders
between pages with :attr:`FakeEbayOrders.between_pages`. :attr:`FakeEbayOrders.now` is the
account's clock, which tests move.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import httpx
from tests.marketplaces.fake_ebay import FakeEbay, ebay_errors
from tests.marketplaces.specs import OpenApiSpec

FULFILLMENT = "/sell/fulfillment/v1"
SELLER = "wu-farm-taihe"


@functools.cache
def load_fulfillment_spec() -> OpenApiSpec:
    """The official Fulfillment API description, as published."""
    return OpenApiSpec.load("ebay-fulfillment/sell_fulfillment_v1_oas3.json")


def stamp(moment: dt.datetime) -> str:
    """A time as eBay writes it (UTC, milliseconds, Z)."""
    utc = moment.astimezone(dt.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _error(error_id: int, message: str) -> dict[str, Any]:
    return {
        "errorId": error_id,
        "domain": "API_FULFILLMENT",
        "category": "REQUEST",
        "message": message,
    }


class FakeEbayOrders(FakeEbay):
    """An in-memory eBay seller with orders, answering like the Fulfillment API."""

    def __init__(self, now: dt.datetime | None = None) -> None:
        super().__init__()
        self.fulfillment_spec = load_fulfillment_spec()
        self.now = now or dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)
        self.orders: dict[str, dict[str, Any]] = {}
        self.fulfillments: dict[str, list[dict[str, Any]]] = {}
        self.between_pages: Callable[[int], None] | None = None
        self.pages_served = 0
        self.answer_orders: Callable[[dict[str, Any]], Any] | None = None
        self._order_ids = itertools.count(3955)
        self._line_ids = itertools.count(10_001)

    # --- helpers for tests ---------------------------------------------------------------

    def tick(self, minutes: float = 1) -> dt.datetime:
        """Move the account's clock on."""
        self.now += dt.timedelta(minutes=minutes)
        return self.now

    def clock(self) -> float:
        """The clock in seconds, for the adapter's ``clock``."""
        return self.now.timestamp()

    def sell(
        self, *lines: tuple[str | None, int, str], currency: str = "USD", name: str = "Mei Lin"
    ) -> str:
        """A buyer's checkout of ``(sku, quantity, line cost)`` lines; its order id."""
        self.tick()
        order_id = f"01-0{next(self._order_ids)}-36441"
        items = []
        for sku, quantity, cost in lines:
            item: dict[str, Any] = {
                "lineItemId": str(next(self._line_ids)),
                "legacyItemId": "110552201234",
                "title": "Chilled Taihe black-bone silkie",
                "quantity": quantity,
                "lineItemCost": {"value": cost, "currency": currency},
                "lineItemFulfillmentStatus": "NOT_STARTED",
                "soldFormat": "FIXED_PRICE",
            }
            if sku is not None:
                item["sku"] = sku
            items.append(item)
        self.orders[order_id] = {
            "orderId": order_id,
            "creationDate": stamp(self.now),
            "lastModifiedDate": stamp(self.now),
            "sellerId": SELLER,
            "buyer": {"username": "meilin88"},
            "orderFulfillmentStatus": "NOT_STARTED",
            "orderPaymentStatus": "PAID",
            "cancelStatus": {"cancelState": "NONE_REQUESTED", "cancelRequests": []},
            "fulfillmentStartInstructions": [
                {
                    "fulfillmentInstructionsType": "SHIP_TO",
                    "shippingStep": {
                        "shippingCarrierCode": "USPS",
                        "shipTo": {
                            "fullName": name,
                            "contactAddress": {
                                "addressLine1": "1 Market St",
                                "city": "San Francisco",
                                "stateOrProvince": "CA",
                                "postalCode": "94105",
                                "countryCode": "US",
                            },
                            "primaryPhone": {"phoneNumber": "4155550100"},
                        },
                    },
                }
            ],
            "lineItems": items,
        }
        return order_id

    def touch(self, order_id: str) -> None:
        """The order changes on eBay (a message, a payment update): modified now."""
        self.tick()
        self.orders[order_id]["lastModifiedDate"] = stamp(self.now)

    def cancel(self, order_id: str) -> None:
        """The buyer cancels and eBay accepts."""
        self.orders[order_id]["cancelStatus"]["cancelState"] = "CANCELED"
        self.touch(order_id)

    # --- the server ------------------------------------------------------------------------

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if not request.url.path.startswith(FULFILLMENT):
            return super().__call__(request)
        assert request.url.scheme == "https", request.url
        operation = self.fulfillment_spec.check(request)
        self.calls.append(operation)
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self.tokens:
            self.refused += 1
            return ebay_errors(401, _error(1001, "Invalid access token"))
        if self.throttle > 0:
            self.throttle -= 1
            return ebay_errors(429, _error(2001, "Too many requests."))
        parts = [unquote(p) for p in request.url.raw_path.decode().split("?")[0].split("/")[4:]]
        args = [p for p in parts[1:] if p != "shipping_fulfillment"]
        response = getattr(self, operation)(request, *args)
        bent = operation == "getOrders" and self.answer_orders is not None  # off-spec on purpose
        if response.status_code < 300 and response.content and not bent:
            problems = self.fulfillment_spec.response_problems(
                request.method,
                request.url.path.removeprefix(FULFILLMENT),
                response.status_code,
                response.json(),
            )
            assert not problems, problems
        fault = self.lose.pop(operation, None)
        if fault == "timeout":
            raise httpx.ReadTimeout("the answer was lost on the way back", request=request)
        return response

    # --- operations (named by operationId) -------------------------------------------------

    def getOrders(self, request: httpx.Request) -> httpx.Response:  # noqa: N802
        params = request.url.params
        limit, offset = int(params.get("limit", "50")), int(params.get("offset", "0"))
        assert limit <= 200, "getOrders fails above 200"
        start, end = dt.datetime.min.replace(tzinfo=dt.UTC), dt.datetime.max.replace(tzinfo=dt.UTC)
        text = params.get("filter", "")
        if text:
            assert text.startswith("lastmodifieddate:["), text
            assert text.endswith("]"), text
            low, _, high = text.removeprefix("lastmodifieddate:[").removesuffix("]").partition("..")
            start = dt.datetime.fromisoformat(low)
            end = dt.datetime.fromisoformat(high) if high else end
        matching = sorted(
            (
                o
                for o in self.orders.values()
                if start <= dt.datetime.fromisoformat(o["lastModifiedDate"]) <= end
            ),
            key=lambda o: o["lastModifiedDate"],
        )
        page = [json.loads(json.dumps(o)) for o in matching[offset : offset + limit]]
        for order in page:  # getOrders returns cancelRequests empty (spec, getOrders)
            order["cancelStatus"]["cancelRequests"] = []
        body: dict[str, Any] = {
            "href": str(request.url),
            "limit": limit,
            "offset": offset,
            "total": len(matching),
            "orders": page,
        }
        if self.answer_orders is not None:
            body = self.answer_orders(body)
        self.pages_served += 1
        if self.between_pages is not None:
            self.between_pages(self.pages_served)
        return httpx.Response(200, json=body)

    def getOrder(self, _request: httpx.Request, order_id: str) -> httpx.Response:  # noqa: N802
        order = self.orders.get(order_id)
        if order is None:
            return ebay_errors(404, _error(32100, "Invalid order ID: " + order_id))
        return httpx.Response(200, json=order)

    def createShippingFulfillment(  # noqa: N802
        self, request: httpx.Request, order_id: str
    ) -> httpx.Response:
        order = self.orders.get(order_id)
        if order is None:
            return ebay_errors(404, _error(32100, "Invalid order ID: " + order_id))
        body = json.loads(request.content)
        assert ("trackingNumber" in body) == ("shippingCarrierCode" in body), body
        lines = {line["lineItemId"]: line for line in order["lineItems"]}
        for ref in body["lineItems"]:
            lines[ref["lineItemId"]]["lineItemFulfillmentStatus"] = "FULFILLED"
        statuses = {line["lineItemFulfillmentStatus"] for line in order["lineItems"]}
        order["orderFulfillmentStatus"] = (
            "FULFILLED" if statuses == {"FULFILLED"} else "IN_PROGRESS"
        )
        fulfillment_id = body.get("trackingNumber") or f"F{len(self.fulfillments) + 1}"
        found = {
            "fulfillmentId": fulfillment_id,
            "lineItems": body["lineItems"],
            "shippedDate": body.get("shippedDate", stamp(self.now)),
        }
        if "trackingNumber" in body:
            found["shipmentTrackingNumber"] = body["trackingNumber"]
            found["shippingCarrierCode"] = body["shippingCarrierCode"]
        self.fulfillments.setdefault(order_id, []).append(found)
        self.touch(order_id)
        location = f"https://api.ebay.com{FULFILLMENT}/order/{order_id}/shipping_fulfillment/"
        return httpx.Response(201, json={}, headers={"Location": location + fulfillment_id})

    def getShippingFulfillments(  # noqa: N802
        self, _request: httpx.Request, order_id: str
    ) -> httpx.Response:
        found = self.fulfillments.get(order_id, [])
        return httpx.Response(200, json={"fulfillments": found, "total": len(found)})
