"""A fake eBay (Sell Inventory API and OAuth token endpoint) on ``httpx.MockTransport``.

It keeps inventory items and offers in memory and answers as the official spec
(``tests/specs/ebay/sell_inventory_v1_oas3.json``) and eBay's docs say: upsert by SKU, one
offer per SKU and site (a second createOffer is refused with errorId 25002 and the existing
offerId), publish and withdraw, bulk price and quantity updates with per-SKU results, eBay's
error body, 401 for a bad token, and 429 when told to throttle. Every request is checked
against the spec (:meth:`OpenApiSpec.check`), and every success answer against the spec's
response schema.

Faults are switched on per test: :attr:`FakeEbay.throttle` answers 429 that many times,
:attr:`FakeEbay.lose` carries an operation out and then loses its answer, and
:attr:`FakeEbay.hide_offers` makes getOffers miss existing offers (eBay's reads lag writes).
"""

from __future__ import annotations

import base64
import functools
import itertools
import json
import secrets
from typing import Any
from urllib.parse import parse_qs, unquote

import httpx
from tests.marketplaces.specs import OpenApiSpec

CLIENT_ID = "WuFarm-ruralsel-PRD-a1b2c3d4e"
CLIENT_SECRET = "PRD-0f1e2d3c4b5a-fake-cert-id"  # noqa: S105 - a test credential
REFRESH_TOKEN = "v^1.1#i^1#r^1#f^0#p^3#t^Ul4xMF9fake-refresh-token"  # noqa: S105
BASE = "/sell/inventory/v1"
TITLE_MAX = 80
HOSTS = ("api.ebay.com", "api.sandbox.ebay.com")

# The spec types Product.aspects as a string; its own description (and the live API) take an
# object of name -> list of values: ``"aspects": {"Brand": ["GoPro"], ...}``.
ASPECTS_PATCH = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
ASPECTS_BECAUSE = (
    "Product.aspects is typed string in the spec, but its description shows (and the live API "
    'takes) a map of name to list of values: "aspects": {"Brand": ["GoPro"]}'
)


@functools.cache
def load_spec() -> OpenApiSpec:
    """The official Inventory API spec, with the one documented patch."""
    return OpenApiSpec.load("ebay/sell_inventory_v1_oas3.json").with_patch(
        "/components/schemas/Product/properties/aspects", ASPECTS_PATCH, because=ASPECTS_BECAUSE
    )


def ebay_errors(status: int, *errors: dict[str, Any], headers: Any = None) -> httpx.Response:
    """An answer in eBay's error format."""
    return httpx.Response(status, json={"errors": list(errors)}, headers=headers)


def error(
    error_id: int, message: str, category: str = "REQUEST", **parameters: str
) -> dict[str, Any]:
    """One eBay error (schema Error), in the domain of the Inventory API."""
    body: dict[str, Any] = {
        "errorId": error_id,
        "domain": "API_INVENTORY",
        "category": category,
        "message": message,
    }
    if parameters:
        body["parameters"] = [{"name": k, "value": v} for k, v in parameters.items()]
    return body


class FakeEbay:
    """An in-memory eBay seller account that answers like the Inventory API."""

    def __init__(self) -> None:
        self.spec = load_spec()
        self.items: dict[str, dict[str, Any]] = {}
        self.offers: dict[str, dict[str, Any]] = {}
        self.tokens: set[str] = set()
        self.calls: list[str] = []
        self.token_requests = 0
        self.refused = 0
        self.throttle = 0
        self.retry_after: str | None = None
        self.lose: dict[str, str] = {}
        self.hide_offers = 0
        self._ids = itertools.count(5_000_000_001)

    # --- helpers for tests ---------------------------------------------------------------

    def transport(self) -> httpx.MockTransport:
        """A transport that sends every request here."""
        return httpx.MockTransport(self)

    def revoke_tokens(self) -> None:
        """Make every access token handed out so far invalid (as after an expiry)."""
        self.tokens.clear()

    def offers_for(self, sku: str) -> list[dict[str, Any]]:
        """Every offer for ``sku``."""
        return [offer for offer in self.offers.values() if offer["sku"] == sku]

    # --- the server ------------------------------------------------------------------------

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.url.scheme == "https", request.url
        assert request.url.host in HOSTS, request.url
        if request.url.path == "/identity/v1/oauth2/token":
            return self._token(request)
        operation = self.spec.check(request)
        self.calls.append(operation)
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self.tokens:
            self.refused += 1
            return ebay_errors(
                401,
                {
                    "errorId": 1001,
                    "domain": "OAuth",
                    "category": "REQUEST",
                    "message": "Invalid access token",
                    "longMessage": "Invalid access token. Check the value of the Authorization "
                    "HTTP request header.",
                },
            )
        if self.throttle > 0:
            self.throttle -= 1
            headers = {"Retry-After": self.retry_after} if self.retry_after else None
            return ebay_errors(
                429,
                {
                    "errorId": 2001,
                    "domain": "ACCESS",
                    "category": "REQUEST",
                    "message": "Too many requests. The request limit has been reached for the "
                    "resource.",
                },
                headers=headers,
            )
        response = getattr(self, operation)(request, *self._path_args(request))
        if response.status_code < 300 and response.content:
            path = request.url.path.removeprefix(BASE)
            problems = self.spec.response_problems(
                request.method, path, response.status_code, response.json()
            )
            assert not problems, problems
        fault = self.lose.pop(operation, None)
        if fault == "timeout":
            raise httpx.ReadTimeout("the answer was lost on the way back", request=request)
        if fault == "503":
            return ebay_errors(
                503, error(25001, "A system error has occurred.", category="APPLICATION")
            )
        return response

    def _path_args(self, request: httpx.Request) -> list[str]:
        parts = request.url.raw_path.decode().split("?")[0].removeprefix(BASE).split("/")
        return [unquote(p) for p in parts[2:] if p not in ("publish", "withdraw")]

    def _token(self, request: httpx.Request) -> httpx.Response:
        """The OAuth token endpoint, for grant_type=refresh_token only."""
        self.token_requests += 1
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {expected}":
            return httpx.Response(
                401,
                json={
                    "error": "invalid_client",
                    "error_description": "client authentication failed",
                },
            )
        assert request.headers["content-type"] == "application/x-www-form-urlencoded"
        form = {k: v[-1] for k, v in parse_qs(request.content.decode()).items()}
        if form.get("grant_type") != "refresh_token" or form.get("refresh_token") != REFRESH_TOKEN:
            return httpx.Response(
                400,
                json={
                    "error": "invalid_grant",
                    "error_description": "the provided authorization refresh token is invalid "
                    "or was issued to another client",
                },
            )
        token = "v^1.1#i^1#p^3#I^3#f^0#r^0#t^" + secrets.token_urlsafe(24)
        self.tokens.add(token)
        return httpx.Response(
            200,
            json={"access_token": token, "expires_in": 7200, "token_type": "User Access Token"},
        )

    # --- operations (named by operationId) -------------------------------------------------

    def createOrReplaceInventoryItem(self, request: httpx.Request, sku: str) -> httpx.Response:  # noqa: N802
        body = json.loads(request.content)
        product = body.get("product") or {}
        title = product.get("title") or ""
        if len(title) > TITLE_MAX:
            return ebay_errors(
                400,
                error(
                    25080,
                    f"The value of the title field is invalid. Field must not exceed "
                    f"{TITLE_MAX} characters.",
                    **{"0": "title", "1": str(TITLE_MAX)},
                ),
            )
        for name, values in (product.get("aspects") or {}).items():
            if len(name) > 40 or any(len(v) > 50 for v in values):
                return ebay_errors(400, error(25022, f"Invalid attribute. {name}", fieldName=name))
        for url in product.get("imageUrls") or ():
            if not url.startswith("https://"):
                return ebay_errors(
                    400,
                    error(
                        25015,
                        "The eBay listing associated with the inventory item, or the "
                        "unpublished offer has an invalid picture URL.",
                    ),
                )
        created = sku not in self.items
        self.items[sku] = {**body, "sku": sku, "locale": request.headers["content-language"]}
        quantity = body.get("availability", {}).get("shipToLocationAvailability", {})
        for offer in self.offers_for(sku):
            if "quantity" in quantity and offer["status"] == "PUBLISHED":
                offer["availableQuantity"] = quantity["quantity"]
        return httpx.Response(201 if created else 204)

    def getInventoryItem(self, _request: httpx.Request, sku: str) -> httpx.Response:  # noqa: N802
        item = self.items.get(sku)
        if item is None:
            return ebay_errors(
                404,
                error(
                    25710,
                    "We didn't find the resource/entity you are requesting. Please "
                    "verify the request",
                ),
            )
        return httpx.Response(200, json=item)

    def getInventoryItems(self, request: httpx.Request) -> httpx.Response:  # noqa: N802
        limit = int(request.url.params.get("limit", "25"))
        offset = int(request.url.params.get("offset", "0"))
        skus = sorted(self.items)
        page = [{"sku": sku, **self.items[sku]} for sku in skus[offset : offset + limit]]
        return httpx.Response(
            200,
            json={"total": len(skus), "size": len(page), "limit": limit, "inventoryItems": page},
        )

    def getOffers(self, request: httpx.Request) -> httpx.Response:  # noqa: N802
        sku = request.url.params.get("sku", "")
        if sku not in self.items:
            return ebay_errors(
                400,
                error(
                    25702,
                    f"{sku} could not be found or is not available in the system.",
                    skuValue=sku,
                ),
            )
        found = self.offers_for(sku)
        if self.hide_offers > 0:
            self.hide_offers -= 1
            found = []
        marketplace = request.url.params.get("marketplace_id")
        found = [o for o in found if marketplace in (None, o["marketplaceId"])]
        if not found:
            return ebay_errors(404, error(25713, "This Offer is not available : No offers."))
        return httpx.Response(
            200,
            json={
                "offers": found,
                "total": len(found),
                "size": len(found),
                "limit": 25,
                "href": str(request.url),
            },
        )

    def createOffer(self, request: httpx.Request) -> httpx.Response:  # noqa: N802
        body = json.loads(request.content)
        sku = body["sku"]
        if sku not in self.items:
            return ebay_errors(
                400,
                error(
                    25702,
                    f"{sku} could not be found or is not available in the system.",
                    skuValue=sku,
                ),
            )
        for offer in self.offers_for(sku):
            if offer["marketplaceId"] == body["marketplaceId"]:
                return ebay_errors(
                    400,
                    error(
                        25002,
                        "A user error has occurred. Offer entity already exists.",
                        offerId=offer["offerId"],
                    ),
                )
        offer_id = str(next(self._ids))
        self.offers[offer_id] = {**body, "offerId": offer_id, "status": "UNPUBLISHED"}
        return httpx.Response(201, json={"offerId": offer_id})

    def updateOffer(self, request: httpx.Request, offer_id: str) -> httpx.Response:  # noqa: N802
        offer = self.offers.get(offer_id)
        if offer is None:
            return ebay_errors(404, error(25713, f"This Offer is not available : {offer_id}."))
        kept = {k: offer[k] for k in ("offerId", "sku", "marketplaceId", "format", "status")}
        if "listing" in offer:
            kept["listing"] = offer["listing"]
        self.offers[offer_id] = {**json.loads(request.content), **kept}
        return httpx.Response(204)

    def publishOffer(self, _request: httpx.Request, offer_id: str) -> httpx.Response:  # noqa: N802
        offer = self.offers.get(offer_id)
        if offer is None:
            return ebay_errors(404, error(25713, f"This Offer is not available : {offer_id}."))
        product = self.items[offer["sku"]].get("product") or {}
        missing = [
            name
            for name, value in (
                ("title", product.get("title")),
                ("imageUrls", product.get("imageUrls")),
                ("categoryId", offer.get("categoryId")),
                ("price", (offer.get("pricingSummary") or {}).get("price")),
                ("merchantLocationKey", offer.get("merchantLocationKey")),
                (
                    "fulfillmentPolicyId",
                    (offer.get("listingPolicies") or {}).get("fulfillmentPolicyId"),
                ),
            )
            if not value
        ]
        if missing:
            return ebay_errors(
                400,
                *(
                    error(25002, f"A user error has occurred. {name} is missing.", fieldName=name)
                    for name in missing
                ),
            )
        listing = offer.get("listing") or {"listingId": str(110_000_000_000 + int(offer_id))}
        offer["listing"] = {**listing, "listingStatus": "ACTIVE", "soldQuantity": 0}
        offer["status"] = "PUBLISHED"
        return httpx.Response(200, json={"listingId": offer["listing"]["listingId"]})

    def withdrawOffer(self, _request: httpx.Request, offer_id: str) -> httpx.Response:  # noqa: N802
        offer = self.offers.get(offer_id)
        if offer is None or offer["status"] != "PUBLISHED":
            return ebay_errors(
                400, error(25713, f"This Offer is not available : {offer_id} is not published.")
            )
        offer["status"] = "UNPUBLISHED"
        offer["listing"] = {**offer["listing"], "listingStatus": "ENDED"}
        return httpx.Response(200, json={"listingId": offer["listing"]["listingId"]})

    def bulkUpdatePriceQuantity(self, request: httpx.Request) -> httpx.Response:  # noqa: N802
        results = []
        for item in json.loads(request.content)["requests"]:
            sku = item["sku"]
            if sku not in self.items:
                results.append(
                    {
                        "sku": sku,
                        "statusCode": 400,
                        "errors": [
                            error(
                                25702,
                                f"{sku} could not be found or is not available in the system.",
                                skuValue=sku,
                            )
                        ],
                    }
                )
                continue
            if "shipToLocationAvailability" in item:
                self.items[sku].setdefault("availability", {})["shipToLocationAvailability"] = {
                    "quantity": item["shipToLocationAvailability"]["quantity"]
                }
            for change in item.get("offers", ()):
                offer = self.offers[change["offerId"]]
                if "availableQuantity" in change:
                    offer["availableQuantity"] = change["availableQuantity"]
                if "price" in change:
                    if float(change["price"]["value"]) <= 0:
                        results.append(
                            {
                                "sku": sku,
                                "offerId": offer["offerId"],
                                "statusCode": 400,
                                "errors": [
                                    error(
                                        25709,
                                        "Invalid value for price. The price must "
                                        "be greater than 0.",
                                        fieldName="price",
                                    )
                                ],
                            }
                        )
                        continue
                    offer["pricingSummary"] = {
                        **offer.get("pricingSummary", {}),
                        "price": change["price"],
                    }
                results.append({"sku": sku, "offerId": offer["offerId"], "statusCode": 200})
        return httpx.Response(200, json={"responses": results})
