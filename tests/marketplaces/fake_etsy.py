"""A fake Etsy Open API v3 shop on ``httpx.MockTransport``, checked against the official spec.

Every request is checked with :meth:`OpenApiSpec.check` against Etsy's current description
(``tests/specs/etsy-v3-2026``) and every success answer against its response schema. The fake
answers as Etsy does: ``x-api-key`` as ``keystring:shared_secret`` plus an OAuth bearer on the
calls whose ``security`` asks for ``oauth2`` (the description's ``securitySchemes``), refresh at
``/v3/public/oauth/token`` (developers.etsy.com/documentation/essentials/oauth2), rate-limit
headers on every answer and 429 with ``retry-after`` when throttled, ``{"error": ...}`` bodies,
and lists of ``{path, type, message}`` for invalid fields (etsy/open-api#622, #472).

Faults on demand: :meth:`FakeEtsy.throttle` (429s), :meth:`FakeEtsy.lose` (carry a request out,
then time out or answer 503: etsy/open-api#162), :meth:`FakeEtsy.fail` (503 without doing
anything), :meth:`FakeEtsy.expire_tokens`.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import re
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any
from urllib.parse import parse_qs

import httpx
from tests.marketplaces.specs import OpenApiSpec

KEYSTRING = "fake-keystring-1x2y3z"
SHARED_SECRET = "fake-shared-secret-4q5r"  # noqa: S105 - a test value
SHOP_ID = 31415926
USER_ID = 27182818
ACCESS_TOKEN = f"{USER_ID}.fake-access-token-aa11"
REFRESH_TOKEN = f"{USER_ID}.fake-refresh-token-bb22"
SHIPPING_PROFILE_ID = 555001
READINESS_STATE_ID = 777001
TAXONOMY_ID = 1047
TITLE_MAX = 140  # a community figure (etsy/open-api discussions), not in the description
IMAGES_MAX = 10  # the 2021 description, createListing image_ids: "up to 10 images"
PER_SECOND = 10
PER_DAY = 10_000

_NULLABLE = re.compile(r"^body\.(results\[\d+\]\.)?(\w+): None is not (of type|one of)")


def etsy_spec() -> OpenApiSpec:
    """Etsy's current description (3.0.0, validated 2026-05-30), as published."""
    return OpenApiSpec.load("etsy-v3-2026/etsy-openapi-original.yml")


def _error(status: int, message: str, **headers: str) -> httpx.Response:
    return httpx.Response(status, json={"error": message}, headers=headers)


def _invalid(path: str, kind: str, message: str) -> httpx.Response:
    # The shape Etsy really sends for invalid fields (etsy/open-api#622), not ErrorSchema.
    return httpx.Response(400, json=[{"path": path, "type": kind, "message": message}])


def _money(amount: Decimal, currency: str) -> dict[str, Any]:
    cents = int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
    return {"amount": cents, "divisor": 100, "currency_code": currency}


def _multipart(request: httpx.Request) -> dict[str, Any]:
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.content)
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        fields[str(name)] = payload if part.get_filename() else payload.decode()
    return fields


class FakeEtsy:
    """One Etsy shop, in memory. Call it with a request (it is a MockTransport handler).

    Attributes:
        listings: the shop's listings by id, as Etsy's ShopListing.
        inventories: each listing's ListingInventory.
        images: each listing's ListingImages, by rank.
        seen: the operation ids of every request the shop carried out.
        attempts: the operation ids of every request that got past auth and throttling.
        refreshes: the forms of every token refresh asked for.
        receipts: the shop's receipts by id, as Etsy's ShopReceipt (see :meth:`sell`).
        between_pages: called after every ``getShopReceipts`` answer is made (to change
            receipts while a client pages).
    """

    def __init__(
        self,
        *,
        currency: str = "USD",
        require_shipping_profile: bool = True,
        spec: OpenApiSpec | None = None,
    ) -> None:
        self.spec = spec or etsy_spec()
        self.currency = currency
        self.require_shipping_profile = require_shipping_profile
        self.listings: dict[int, dict[str, Any]] = {}
        self.inventories: dict[int, dict[str, Any]] = {}
        self.images: dict[int, list[dict[str, Any]]] = {}
        self.access_tokens = {ACCESS_TOKEN}
        self.refresh_tokens = {REFRESH_TOKEN}
        self.seen: list[str] = []
        self.attempts: list[str] = []
        self.refreshes: list[dict[str, str]] = []
        self.remaining_today = PER_DAY
        self._throttles: list[dict[str, str]] = []
        self._lose: dict[str, list[str]] = {}
        self._fail: dict[str, int] = {}
        self.receipts: dict[int, dict[str, Any]] = {}
        self.between_pages: Callable[[], None] | None = None
        self.shipped_weights: dict[int, tuple[Any, Any]] = {}
        self._ids = itertools.count(1_400_000_001)
        self._clock = itertools.count(1_764_000_000)

    # --- faults ----------------------------------------------------------------------------

    def throttle(self, times: int = 1, *, retry_after: str | None = "1") -> None:
        """Answer the next ``times`` API requests with 429, as Etsy does past 10 a second."""
        headers = {"x-remaining-this-second": "0"}
        if retry_after is not None:
            headers["retry-after"] = retry_after
        self._throttles.extend([headers] * times)

    def lose(self, operation: str, how: str = "timeout") -> None:
        """Carry out the next ``operation`` but lose its answer (``timeout`` or ``503``)."""
        self._lose.setdefault(operation, []).append(how)

    def fail(self, operation: str, times: int = 1) -> None:
        """Answer the next ``times`` ``operation`` requests 503 without carrying them out."""
        self._fail[operation] = self._fail.get(operation, 0) + times

    def expire_tokens(self) -> None:
        """Every access token handed out so far stops working (they last an hour)."""
        self.access_tokens.clear()

    # --- helpers for tests -----------------------------------------------------------------

    def stock_shop(self, count: int, *, state: str = "active") -> None:
        """Add ``count`` listings of someone else's making (no SKU tag), without requests."""
        for n in range(count):
            form = {
                "quantity": "1",
                "title": f"Hand-thrown bowl {n}",
                "description": "A bowl.",
                "price": "12.00",
                "who_made": "someone_else",
                "when_made": "2020_2026",
                "is_supply": "false",
                "taxonomy_id": "1",
                "shipping_profile_id": str(SHIPPING_PROFILE_ID),
                "tags": "bowl,pottery",
            }
            request = httpx.Request("POST", "https://fake.test/", data=form)
            listing = self._createDraftListing(request, {}).json()
            self.listings[listing["listing_id"]]["state"] = state

    def by_sku(self, sku: str) -> list[dict[str, Any]]:
        """The listings whose inventory or tags carry ``sku``."""
        return [
            listing
            for listing_id, listing in self.listings.items()
            if sku in listing["tags"]
            or any(p["sku"] == sku for p in self.inventories[listing_id]["products"])
        ]

    # --- the transport ---------------------------------------------------------------------

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v3/public/oauth/token":
            return self._token(request)
        operation = self.spec.check(request)  # fails the test on a request Etsy would refuse
        refused = self._refuse(request)
        if refused is not None:
            return self._headers(refused)
        self.attempts.append(operation)
        if self._fail.get(operation):
            self._fail[operation] -= 1
            return self._headers(_error(503, "Server Error"))
        self.seen.append(operation)
        response = getattr(self, "_" + operation)(request, self._params(request))
        if response.status_code < 300 and response.content:
            problems = [
                p
                for p in self.spec.response_problems(
                    request.method, request.url.path, response.status_code, response.json()
                )
                if not _NULLABLE.match(p)  # OpenAPI 3.0 `nullable`, which Draft 4 ignores
            ]
            assert not problems, problems
        lost = self._lose.get(operation)
        if lost:
            how = lost.pop(0)
            if how == "timeout":
                raise httpx.ReadTimeout("the answer never came", request=request)
            return self._headers(_error(503, "Server Error"))
        return self._headers(response)

    def _headers(self, response: httpx.Response) -> httpx.Response:
        response.headers["x-limit-per-second"] = str(PER_SECOND)
        response.headers.setdefault("x-remaining-this-second", str(PER_SECOND - 1))
        response.headers["x-limit-per-day"] = str(PER_DAY)
        response.headers["x-remaining-today"] = str(self.remaining_today)
        return response

    def _refuse(self, request: httpx.Request) -> httpx.Response | None:
        if request.headers.get("x-api-key") != f"{KEYSTRING}:{SHARED_SECRET}":
            return _error(403, "Invalid API key")
        if self._throttles:
            return _error(429, "Too many requests", **self._throttles.pop(0))
        if self.remaining_today <= 0:
            return _error(429, "You have exceeded your daily quota", **{"retry-after": "3600"})
        self.remaining_today -= 1
        _, op, _ = self.spec.operation(request.method, request.url.path)
        needs_oauth = any("oauth2" in s for s in op.get("security", []))
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if needs_oauth and (scheme != "Bearer" or token not in self.access_tokens):
            if not token:
                return _error(401, "Missing OAuth token")
            return httpx.Response(
                401, json={"error": "invalid_token", "error_description": "access token is expired"}
            )
        params = self._params(request)
        if "shop_id" in params and int(params["shop_id"]) != SHOP_ID:
            return _error(403, "The shop_id does not belong to the authenticated user")
        return None

    def _params(self, request: httpx.Request) -> dict[str, str]:
        return self.spec.operation(request.method, request.url.path)[2]

    def _token(self, request: httpx.Request) -> httpx.Response:
        form = {k: v[-1] for k, v in parse_qs(request.content.decode()).items()}
        self.refreshes.append(form)
        if form.get("grant_type") != "refresh_token" or form.get("client_id") != KEYSTRING:
            return httpx.Response(
                400, json={"error": "invalid_request", "error_description": "bad client"}
            )
        if form.get("refresh_token") not in self.refresh_tokens:
            return httpx.Response(
                400, json={"error": "invalid_grant", "error_description": "Invalid refresh token"}
            )
        n = len(self.refreshes)
        access, refresh = f"{USER_ID}.fresh-access-{n}", f"{USER_ID}.fresh-refresh-{n}"
        self.access_tokens.add(access)
        self.refresh_tokens.add(refresh)
        return httpx.Response(
            200,
            json={
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": 3600,
                "refresh_token": refresh,
            },
        )

    # --- listings --------------------------------------------------------------------------

    def _listing(self, listing_id: int) -> dict[str, Any] | None:
        return self.listings.get(listing_id)

    def _check_title(self, title: str) -> httpx.Response | None:
        if len(title) > TITLE_MAX:
            return _invalid(
                "/title", "string_too_long", f"cannot be longer than {TITLE_MAX} characters"
            )
        return None

    def _getMe(self, _request: httpx.Request, _: dict[str, str]) -> httpx.Response:  # noqa: N802
        return httpx.Response(200, json={"user_id": USER_ID, "shop_id": SHOP_ID})

    def _createDraftListing(self, request: httpx.Request, _: dict[str, str]) -> httpx.Response:  # noqa: N802
        form = {k.removesuffix("[]"): v[-1] for k, v in parse_qs(request.content.decode()).items()}
        together = {"who_made", "when_made", "is_supply"} & set(form)
        if together and len(together) < 3:  # etsy/open-api#472, #511
            return _invalid("/images", "array_too_short", "cannot be less than 1 items")
        if self.require_shipping_profile and "shipping_profile_id" not in form:
            return _error(400, "A shipping_profile_id is required for physical listings.")
        bad = self._check_title(form["title"])
        if bad is not None:
            return bad
        if int(form["quantity"]) < 1:
            return _invalid("/quantity", "number_too_small", "must be a positive non-zero number")
        listing_id = next(self._ids)
        now = next(self._clock)
        price = _money(Decimal(form["price"]), self.currency)
        listing = {
            "listing_id": listing_id,
            "user_id": USER_ID,
            "shop_id": SHOP_ID,
            "title": form["title"],
            "description": form["description"],
            "state": "draft",
            "creation_timestamp": now,
            "ending_timestamp": now + 120 * 86400,
            "original_creation_timestamp": now,
            "last_modified_timestamp": now,
            "state_timestamp": now,
            "quantity": int(form["quantity"]),
            "shop_section_id": None,
            "featured_rank": -1,
            "url": f"https://www.etsy.com/listing/{listing_id}/fake",
            "num_favorers": 0,
            "non_taxable": False,
            "is_customizable": False,
            "listing_type": form.get("type", "physical"),
            "tags": [t for t in form.get("tags", "").split(",") if t],
            "materials": [],
            "processing_min": None,
            "processing_max": None,
            "who_made": form["who_made"],
            "when_made": form["when_made"],
            "item_weight": None,
            "item_weight_unit": None,
            "item_length": None,
            "item_width": None,
            "item_height": None,
            "item_dimensions_unit": None,
            "is_private": False,
            "style": [],
            "file_data": "",
            "has_variations": False,
            "should_auto_renew": False,
            "language": "en-US",
            "price": price,
        }
        self.listings[listing_id] = listing
        self.images[listing_id] = []
        self.inventories[listing_id] = {
            "products": [
                {
                    "product_id": next(self._ids),
                    "sku": "",
                    "is_deleted": False,
                    "offerings": [
                        {
                            "offering_id": next(self._ids),
                            "quantity": int(form["quantity"]),
                            "is_enabled": True,
                            "is_deleted": False,
                            "price": price,
                        }
                    ],
                    "property_values": [],
                }
            ],
            "price_on_property": [],
            "quantity_on_property": [],
            "sku_on_property": [],
        }
        return httpx.Response(201, json=listing)

    def _getListing(self, request: httpx.Request, params: dict[str, str]) -> httpx.Response:  # noqa: N802
        listing = self._listing(int(params["listing_id"]))
        owner = request.headers.get("authorization", "").removeprefix("Bearer ")
        if listing is None or (listing["state"] != "active" and owner not in self.access_tokens):
            return _error(404, f"Listing {params['listing_id']} does not exist")
        return httpx.Response(200, json=listing)

    def _getListingsByShop(self, request: httpx.Request, _: dict[str, str]) -> httpx.Response:  # noqa: N802
        query = request.url.params
        limit, offset = int(query.get("limit", 25)), int(query.get("offset", 0))
        found = [
            listing
            for listing in sorted(self.listings.values(), key=lambda x: -x["creation_timestamp"])
            if listing["state"] == query["state"]
        ]
        return httpx.Response(
            200, json={"count": len(found), "results": found[offset : offset + limit]}
        )

    def _updateListing(self, request: httpx.Request, params: dict[str, str]) -> httpx.Response:  # noqa: N802
        listing = self._listing(int(params["listing_id"]))
        if listing is None:
            return _error(404, f"Listing {params['listing_id']} does not exist")
        form = {k.removesuffix("[]"): v[-1] for k, v in parse_qs(request.content.decode()).items()}
        bad = self._check_title(form.get("title", ""))
        if bad is not None:
            return bad
        state = form.get("state")
        if state == "active":
            if not self.images[listing["listing_id"]]:
                return _error(400, "A listing must have at least one image to be active.")
            if listing["quantity"] < 1:
                return _invalid("/quantity", "number_too_small", "must be a positive number")
        for key in ("title", "description", "state"):
            if key in form:
                listing[key] = form[key]
        if "tags" in form:
            listing["tags"] = [t for t in form["tags"].split(",") if t]
        listing["last_modified_timestamp"] = next(self._clock)
        return httpx.Response(200, json=listing)

    def _getListingInventory(self, _: httpx.Request, params: dict[str, str]) -> httpx.Response:  # noqa: N802
        inventory = self.inventories.get(int(params["listing_id"]))
        if inventory is None:
            return _error(404, f"Listing {params['listing_id']} does not exist")
        return httpx.Response(200, json=inventory)

    def _updateListingInventory(  # noqa: N802
        self, request: httpx.Request, params: dict[str, str]
    ) -> httpx.Response:
        listing_id = int(params["listing_id"])
        listing = self._listing(listing_id)
        if listing is None:
            return _error(404, f"Listing {listing_id} does not exist")
        products = json.loads(request.content)["products"]
        stored = []
        for index, product in enumerate(products):
            offerings = []
            for o_index, offering in enumerate(product.get("offerings", [])):
                if offering.get("price", 0) < 0.2:
                    return _invalid(
                        f"/products/{index}/offerings/{o_index}/price",
                        "number_too_small",
                        "must be at least 0.20",
                    )
                if offering.get("quantity", 0) < 0:
                    return _invalid(
                        f"/products/{index}/offerings/{o_index}/quantity",
                        "number_too_small",
                        "cannot be negative",
                    )
                offerings.append(
                    {
                        "offering_id": next(self._ids),
                        "quantity": int(offering.get("quantity", 0)),
                        "is_enabled": bool(offering.get("is_enabled", True)),
                        "is_deleted": False,
                        "price": _money(Decimal(str(offering["price"])), self.currency),
                    }
                )
            stored.append(
                {
                    "product_id": next(self._ids),
                    "sku": product.get("sku") or "",
                    "is_deleted": False,
                    "offerings": offerings,
                    "property_values": [],
                }
            )
        self.inventories[listing_id]["products"] = stored
        enabled = [o for p in stored for o in p["offerings"] if o["is_enabled"]]
        listing["quantity"] = sum(o["quantity"] for o in enabled)
        if enabled:
            listing["price"] = min(enabled, key=lambda o: o["price"]["amount"])["price"]
        if listing["state"] == "active" and listing["quantity"] == 0:
            listing["state"] = "sold_out"
        listing["last_modified_timestamp"] = next(self._clock)
        return httpx.Response(200, json=self.inventories[listing_id])

    # --- images ----------------------------------------------------------------------------

    def _uploadListingImage(  # noqa: N802
        self, request: httpx.Request, params: dict[str, str]
    ) -> httpx.Response:
        listing_id = int(params["listing_id"])
        if listing_id not in self.listings:
            return _error(404, f"Listing {listing_id} does not exist")
        fields = _multipart(request)
        if not isinstance(fields.get("image"), bytes):
            return _error(400, "Either image or listing_image_id must be provided")
        images = self.images[listing_id]
        rank = int(fields.get("rank", 1))
        replaced = [image for image in images if image["rank"] == rank]
        if fields.get("overwrite") == "true" and replaced:
            images.remove(replaced[0])  # the new picture takes its place
        else:
            if len(images) >= IMAGES_MAX:
                return _invalid(
                    "/image", "array_too_long", f"cannot be more than {IMAGES_MAX} items"
                )
            for image in images:
                if image["rank"] >= rank:
                    image["rank"] += 1
        image_id = next(self._ids)
        url = f"https://i.etsystatic.com/fake/{image_id}"
        image = {
            "listing_id": listing_id,
            "listing_image_id": image_id,
            "hex_code": "2B2020",
            "red": 43,
            "green": 32,
            "blue": 32,
            "hue": 0,
            "saturation": 26,
            "brightness": 17,
            "is_black_and_white": False,
            "creation_tsz": next(self._clock),
            "rank": rank,
            "url_75x75": url + "/75x75.jpg",
            "url_170x135": url + "/170x135.jpg",
            "url_570xN": url + "/570xN.jpg",
            "url_fullxfull": url + "/fullxfull.jpg",
            "full_height": 2000,
            "full_width": 2000,
        }
        images.append(image)
        images.sort(key=lambda x: x["rank"])
        self._renumber(images)
        return httpx.Response(201, json=image)

    @staticmethod
    def _renumber(images: list[dict[str, Any]]) -> None:
        for rank, image in enumerate(images, start=1):
            image["rank"] = rank

    def _getListingImages(self, _: httpx.Request, params: dict[str, str]) -> httpx.Response:  # noqa: N802
        images = self.images.get(int(params["listing_id"]))
        if images is None:
            return _error(404, f"Listing {params['listing_id']} does not exist")
        return httpx.Response(200, json={"count": len(images), "results": images})

    def _deleteListingImage(self, _: httpx.Request, params: dict[str, str]) -> httpx.Response:  # noqa: N802
        images = self.images.get(int(params["listing_id"]), [])
        image_id = int(params["listing_image_id"])
        if not any(image["listing_image_id"] == image_id for image in images):
            return _error(404, f"Image {image_id} does not exist")
        images[:] = [image for image in images if image["listing_image_id"] != image_id]
        self._renumber(images)
        return httpx.Response(204)

    # --- receipts (orders) -------------------------------------------------------------------

    def sell(
        self,
        lines: list[tuple[str, int, str]],
        *,
        at: int | None = None,
        name: str = "Ada Lovelace",
        status: str = "paid",
    ) -> dict[str, Any]:
        """A buyer's receipt with ``(sku, quantity, unit price)`` lines, without requests."""
        now = next(self._clock) if at is None else at
        receipt_id = next(self._ids)
        transactions = [
            {
                "transaction_id": next(self._ids),
                "title": f"Listing of {sku}",
                "seller_user_id": USER_ID,
                "buyer_user_id": 99_000_001,
                "create_timestamp": now,
                "created_timestamp": now,
                "paid_timestamp": now,
                "shipped_timestamp": None,
                "quantity": quantity,
                "receipt_id": receipt_id,
                "is_digital": False,
                "listing_id": next((x["listing_id"] for x in self.by_sku(sku)), 1_300_000_001),
                "transaction_type": "listing",
                "product_id": 1_300_000_002,
                "sku": sku,
                "price": _money(Decimal(price), self.currency),
                "shipping_cost": _money(Decimal(0), self.currency),
                "variations": [],
                "product_data": [],
            }
            for sku, quantity, price in lines
        ]
        receipt = {
            "receipt_id": receipt_id,
            "receipt_type": 0,
            "seller_user_id": USER_ID,
            "buyer_user_id": 99_000_001,
            "name": name,
            "first_line": "12 Orchard Lane",
            "second_line": "",
            "city": "Hudson",
            "state": "NY",
            "zip": "12534",
            "country_iso": "US",
            "status": status,
            "is_paid": status != "open",
            "is_shipped": False,
            "create_timestamp": now,
            "created_timestamp": now,
            "update_timestamp": now,
            "updated_timestamp": now,
            "is_gift": False,
            "shipments": [],
            "transactions": transactions,
            "refunds": [],
        }
        self.receipts[receipt_id] = receipt
        return receipt

    def change(self, receipt_id: int, *, at: int | None = None, **fields: Any) -> None:
        """The seller or Etsy changes a receipt (in Shop Manager): a newer updated time."""
        receipt = self.receipts[receipt_id]
        receipt.update(fields)
        now = next(self._clock) if at is None else at
        receipt["update_timestamp"] = receipt["updated_timestamp"] = now

    def _getShopReceipts(self, request: httpx.Request, _: dict[str, str]) -> httpx.Response:  # noqa: N802
        query = request.url.params
        limit, offset = int(query.get("limit", 25)), int(query.get("offset", 0))
        assert query.get("sort_on") == "updated", "receipts must be paged by their last change"
        low = int(query.get("min_last_modified", 0))
        high = int(query.get("max_last_modified", 2**62))
        found = sorted(
            (r for r in self.receipts.values() if low <= r["updated_timestamp"] <= high),
            key=lambda r: (r["updated_timestamp"], r["receipt_id"]),
            reverse=query.get("sort_order", "desc") in ("desc", "descending"),
        )
        answer = httpx.Response(
            200,
            json={
                "count": len(found),
                "results": json.loads(json.dumps(found[offset : offset + limit])),
            },
        )
        if self.between_pages is not None:
            self.between_pages()
        return answer

    def _getShopReceipt(self, _: httpx.Request, params: dict[str, str]) -> httpx.Response:  # noqa: N802
        receipt = self.receipts.get(int(params["receipt_id"]))
        if receipt is None:
            return _error(404, f"Receipt {params['receipt_id']} does not exist")
        return httpx.Response(200, json=receipt)

    def _createReceiptShipment(  # noqa: N802
        self, request: httpx.Request, params: dict[str, str]
    ) -> httpx.Response:
        receipt = self.receipts.get(int(params["receipt_id"]))
        if receipt is None:
            return _error(404, f"Receipt {params['receipt_id']} does not exist")
        if receipt["status"] in ("canceled", "fully refunded"):
            return _error(409, "The receipt was canceled")
        body = json.loads(request.content or b"{}")
        if bool(body.get("tracking_code")) != bool(body.get("carrier_name")):
            return _error(400, "tracking_code and carrier_name must be sent together")
        now = next(self._clock)
        receipt["shipments"].append(
            {
                "receipt_shipping_id": next(self._ids),
                "shipment_notification_timestamp": now,
                "carrier_name": body.get("carrier_name", ""),
                "tracking_code": body.get("tracking_code", ""),
            }
        )
        self.shipped_weights[receipt["receipt_id"]] = (body.get("weight"), body.get("weight_units"))
        self.change(receipt["receipt_id"], at=now, is_shipped=True, status="completed")
        return httpx.Response(200, json=receipt)
