"""A fake Shopee Open Platform v2 shop on ``httpx.MockTransport``, for the adapter's tests.

It answers the calls the adapter makes as Shopee's guides describe them (open.shopee.com, the
"API calls", "Authorization and Authentication", "Creating product" and "Stock & Price
Management" guides): every request is checked for ``partner_id``, a ``timestamp`` within 5
minutes of its clock and a correct ``sign`` (plus ``access_token`` and ``shop_id`` on shop
calls), and refused with Shopee's error body otherwise. Errors come as
``{"error": ..., "message": ..., "request_id": ...}``, with HTTP 200 for a refused parameter.

Orders (the v2 order and logistics API reference): ``get_order_list`` checks its parameters
(``time_range_field``, a ``time_from``/``time_to`` window of at most 15 days, ``page_size`` 1 to
100) and pages with an offset-like ``next_cursor``; ``get_order_detail`` takes 1 to 50
``order_sn``; ``ship_order`` needs exactly one of ``pickup``, ``dropoff`` or ``non_integrated``
and a ``READY_TO_SHIP`` order; ``cancel_order`` checks ``cancel_reason`` and, for
``OUT_OF_STOCK``, the ``item_list``. Every change moves the order's ``update_time``.

Faults can be scripted per path (:meth:`FakeShopee.script`) or drawn at random with a seed
(``chaos``): a throttle (HTTP 429, or Shopee's "too many requests" body), a server error, and a
*lost response*: the call is carried out, then the answer never arrives.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import random
import re
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx

PARTNER_ID = 2001887
PARTNER_KEY = "fake-partner-key-0f3c9a"
SHOP_ID = 14701711
ACCESS_TOKEN = "fake-access-token-59777174"  # noqa: S105 - a fake credential
REFRESH_TOKEN = "fake-refresh-token-4d6c70"  # noqa: S105 - a fake credential

#: The item_name limit the fake enforces (the ``shopee`` profile's, unverified per region).
TITLE_MAX = 100

_PUBLIC = {"/api/v2/auth/access_token/get", "/api/v2/auth/token/get"}
# Faults a script or the chaos can inject.
THROTTLE_429 = "throttle-429"
THROTTLE_BODY = "throttle-body"
SERVER_ERROR = "server-error"
LOST = "lost"  # carried out, then the answer is lost (a read timeout)
LOST_503 = "lost-503"  # carried out, then answered 503
REVOKE_TOKEN = "revoke-token"  # noqa: S105 - a fault name: the token stops working


class FakeShopee:
    """One shop, in memory; call it with an ``httpx.Request`` (it is a MockTransport handler).

    Args:
        clock: the fake's idea of now (seconds since the epoch).
        title_max: the longest item_name it accepts.
        integer_prices: refuse prices with cents (as outside SG, MY and BR).
        chaos: probability of a random fault on each request (0 for none).
        seed: the seed of the random faults.
        token_lifetime: seconds an access token lives (Shopee: 4 hours).
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        title_max: int = TITLE_MAX,
        integer_prices: bool = False,
        chaos: float = 0.0,
        seed: int = 2026,
        token_lifetime: float = 4 * 3600,
    ) -> None:
        self.clock = clock
        self.title_max = title_max
        self.integer_prices = integer_prices
        self.chaos = chaos
        self.random = random.Random(seed)  # noqa: S311 - faults, not cryptography
        self.token_lifetime = token_lifetime
        self.items: dict[int, dict[str, Any]] = {}
        self.images: dict[str, bytes] = {}
        self.access_tokens: dict[str, float] = {ACCESS_TOKEN: clock() + token_lifetime}
        self.refresh_tokens: set[str] = {REFRESH_TOKEN}
        self.requests: list[httpx.Request] = []
        self.faults_seen: list[str] = []
        self.refreshes = 0
        self.shop_status = "NORMAL"  # what get_shop_info says (BANNED, FROZEN)
        self._scripts: dict[str, list[str]] = {}
        self.orders: dict[str, dict[str, Any]] = {}
        # Called after each get_order_list with its query; kept until one answers True.
        self.after_list: list[Callable[[dict[str, str]], bool]] = []
        self._ids = itertools.count(800_000_001)
        self._request_ids = itertools.count(1)

    # --- test controls ---------------------------------------------------------------------

    def script(self, path: str, *faults: str) -> None:
        """Make the next calls to ``path`` meet ``faults``, in order."""
        self._scripts.setdefault(path, []).extend(faults)

    def skus(self) -> list[str]:
        """The SKU of every item the shop holds (duplicates included)."""
        return [item["item_sku"] for item in self.items.values()]

    def add_order(
        self, sku: str, quantity: int, price: str, *, status: str = "READY_TO_SHIP"
    ) -> dict[str, Any]:
        """A buyer's order of one item (paid, unless ``status`` says otherwise)."""
        sn = f"2611{len(self.orders) + 1:06d}AB"
        now = int(self.clock())
        order = {
            "order_sn": sn,
            "region": "SG",
            "currency": "SGD",
            "order_status": status,
            "create_time": now,
            "update_time": now,
            "buyer_username": "mei.wu",
            "shipping_carrier": "Standard Delivery",
            "recipient_address": {
                "name": "M***u",
                "phone": "******78",
                "town": "",
                "district": "",
                "city": "Singapore",
                "state": "",
                "region": "SG",
                "zipcode": "520123",
                "full_address": "3 Village Road, Singapore 520123",
            },
            "item_list": [
                {
                    "item_id": next(self._ids),
                    "item_name": sku,
                    "item_sku": sku,
                    "model_id": 0,
                    "model_name": "",
                    "model_sku": "",
                    "model_quantity_purchased": quantity,
                    "model_original_price": float(price),
                    "model_discounted_price": float(price),
                }
            ],
        }
        self.orders[sn] = order
        return order

    def change_order(self, sn: str, **values: Any) -> None:
        """Change an order as Shopee would (its update_time moves)."""
        self.orders[sn] |= values | {"update_time": int(self.clock())}

    # --- the transport ---------------------------------------------------------------------

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        refused = self._check_auth(request)
        if refused is not None:
            return refused
        fault = self._next_fault(path)
        if fault is not None:
            self.faults_seen.append(fault)
        if fault == THROTTLE_429:
            return self._error(
                429, "error_busi", "Too many requests.", headers={"Retry-After": "1"}
            )
        if fault == THROTTLE_BODY:
            return self._error(200, "error_busi", "Too many requests, please try again later.")
        if fault == SERVER_ERROR:
            return self._error(500, "error_server", "Something wrong. Please try later.")
        if fault == REVOKE_TOKEN:
            self.access_tokens.clear()
            refused = self._check_auth(request)
            if refused is not None:
                return refused
        response = self._handle(request)
        if fault == LOST:
            raise httpx.ReadTimeout("the answer was lost on the way back", request=request)
        if fault == LOST_503:
            return self._error(503, "error_server", "Service unavailable.")
        return response

    def _next_fault(self, path: str) -> str | None:
        queued = self._scripts.get(path)
        if queued:
            return queued.pop(0)
        if path in _PUBLIC or not self.chaos or self.random.random() >= self.chaos:
            return None
        return self.random.choice([THROTTLE_429, THROTTLE_BODY, SERVER_ERROR, LOST, LOST_503])

    # --- authentication ----------------------------------------------------------------------

    def _check_auth(self, request: httpx.Request) -> httpx.Response | None:
        query = request.url.params
        path = request.url.path
        if query.get("partner_id") != str(PARTNER_ID):
            return self._error(403, "error_auth", "Invalid partner_id.")
        try:
            timestamp = int(query.get("timestamp", ""))
        except ValueError:
            return self._error(403, "error_param", "Missing or malformed timestamp.")
        if abs(self.clock() - timestamp) > 300:
            return self._error(403, "error_param", "Timestamp is expired.")
        base = f"{PARTNER_ID}{path}{timestamp}"
        if path not in _PUBLIC:
            token, shop_id = query.get("access_token"), query.get("shop_id")
            if token is None or shop_id is None:
                return self._error(403, "error_param", "Missing access_token or shop_id.")
            base += f"{token}{shop_id}"
        expected = hmac.new(PARTNER_KEY.encode(), base.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, query.get("sign", "")):
            return self._error(403, "error_sign", "Wrong sign.")
        if path in _PUBLIC:
            return None
        if query.get("shop_id") != str(SHOP_ID):
            return self._error(403, "error_auth", "No permission to this shop.")
        expires = self.access_tokens.get(query.get("access_token", ""))
        if expires is None or expires <= self.clock():
            return self._error(403, "invalid_acceess_token", "Invalid access_token.")
        return None

    # --- the API -------------------------------------------------------------------------------

    def _handle(self, request: httpx.Request) -> httpx.Response:
        routes: dict[tuple[str, str], Callable[[httpx.Request], httpx.Response]] = {
            ("POST", "/api/v2/auth/access_token/get"): self._refresh,
            ("POST", "/api/v2/media_space/upload_image"): self._upload_image,
            ("POST", "/api/v2/product/add_item"): self._add_item,
            ("POST", "/api/v2/product/update_item"): self._update_item,
            ("POST", "/api/v2/product/update_stock"): self._update_stock,
            ("POST", "/api/v2/product/update_price"): self._update_price,
            ("POST", "/api/v2/product/unlist_item"): self._unlist_item,
            ("GET", "/api/v2/shop/get_shop_info"): self._shop_info,
            ("GET", "/api/v2/product/search_item"): self._search_item,
            ("GET", "/api/v2/product/get_item_base_info"): self._base_info,
            ("GET", "/api/v2/order/get_order_list"): self._order_list,
            ("GET", "/api/v2/order/get_order_detail"): self._order_detail,
            ("POST", "/api/v2/logistics/ship_order"): self._ship_order,
            ("POST", "/api/v2/order/cancel_order"): self._cancel_order,
        }
        route = routes.get((request.method, request.url.path))
        if route is None:
            return self._error(404, "error_not_found", f"Invalid path {request.url.path}.")
        return route(request)

    def _refresh(self, request: httpx.Request) -> httpx.Response:
        body = self._json(request)
        if body.get("partner_id") != PARTNER_ID or body.get("shop_id") != SHOP_ID:
            return self._error(200, "error_param", "partner_id or shop_id mismatch.")
        if body.get("refresh_token") not in self.refresh_tokens:
            return self._error(403, "error_auth", "Invalid refresh_token.")
        # Each refresh hands out a new pair; the used refresh token stops working (assumed).
        self.refresh_tokens.discard(body["refresh_token"])
        self.refreshes += 1
        access, refresh = f"fake-access-{self.refreshes}", f"fake-refresh-{self.refreshes}"
        self.access_tokens[access] = self.clock() + self.token_lifetime
        self.refresh_tokens.add(refresh)
        return httpx.Response(
            200,
            json={
                "access_token": access,
                "refresh_token": refresh,
                "expire_in": int(self.token_lifetime),
                "partner_id": PARTNER_ID,
                "shop_id": SHOP_ID,
                "error": "",
                "message": "",
                "request_id": self._request_id(),
            },
        )

    def _upload_image(self, request: httpx.Request) -> httpx.Response:
        ctype = request.headers.get("content-type", "")
        match = re.search(
            rb'name="image"; filename="[^"]*"\r\nContent-Type: [^\r]*\r\n\r\n(.*?)\r\n--',
            request.content,
            re.DOTALL,
        )
        if not ctype.startswith("multipart/form-data") or match is None or not match.group(1):
            return self._error(200, "error_param", "image is required (multipart file).")
        data = match.group(1)
        image_id = f"sg-11134201-{hashlib.sha256(data).hexdigest()[:20]}-{len(self.images)}"
        self.images[image_id] = data
        return self._ok(
            {
                "image_info": {
                    "image_id": image_id,
                    "image_url_list": [
                        {
                            "image_url_region": "SG",
                            "image_url": f"https://cf.shopee.sg/file/{image_id}",
                        }
                    ],
                }
            }
        )

    def _item_problems(self, body: dict[str, Any], *, create: bool) -> httpx.Response | None:
        required = ["item_name", "description", "weight", "item_sku", "category_id"]
        required += ["original_price", "seller_stock", "image", "logistic_info"] if create else []
        missing = [name for name in required if name not in body]
        if missing:
            return self._error(200, "product.error_param", f"{missing[0]} is required.")
        brand = body.get("brand")
        if brand is not None and not (isinstance(brand, dict) and brand.get("original_brand_name")):
            # add_item's brand object: brand_id with its original_brand_name (v2 reference).
            return self._error(200, "product.error_param", "original_brand_name is required.")
        name = body["item_name"]
        if not isinstance(name, str) or not 1 <= len(name) <= self.title_max:
            return self._error(
                200,
                "product.error_param",
                f"item_name length should be between 1 and {self.title_max} characters.",
            )
        if not isinstance(body["weight"], int | float) or body["weight"] <= 0:
            return self._error(200, "product.error_param", "weight should be greater than 0.")
        if "image" in body:
            ids = body["image"].get("image_id_list") or []
            if not ids or any(i not in self.images for i in ids):
                return self._error(200, "product.error_param", "image_id_list is invalid.")
        if "logistic_info" in body and not body["logistic_info"]:
            return self._error(200, "product.error_param", "logistic_info is required.")
        if "original_price" in body:
            return self._price_problem(body["original_price"])
        return None

    def _price_problem(self, price: Any) -> httpx.Response | None:
        if not isinstance(price, int | float) or price <= 0:
            return self._error(200, "product.error_param", "original_price is invalid.")
        if self.integer_prices and price != int(price):
            return self._error(200, "product.error_param", "original_price must be integer.")
        return None

    def _add_item(self, request: httpx.Request) -> httpx.Response:
        body = self._json(request)
        problem = self._item_problems(body, create=True)
        if problem is not None:
            return problem
        item_id = next(self._ids)
        now = int(self.clock())
        self.items[item_id] = {
            "item_id": item_id,
            "item_status": body.get("item_status", "NORMAL"),
            "create_time": now,
            "update_time": now,
            "stock": body["seller_stock"][0]["stock"],
            "price": Decimal(str(body["original_price"])),
            **{k: v for k, v in body.items() if k not in {"seller_stock", "original_price"}},
        }
        return self._ok({"item_id": item_id, "item_name": body["item_name"]})

    def _update_item(self, request: httpx.Request) -> httpx.Response:
        body = self._json(request)
        item = self.items.get(body.get("item_id", 0))
        if item is None:
            return self._error(200, "product.error_item_not_found", "Item not found.")
        if set(body) - {"item_id", "image"}:
            problem = self._item_problems(body, create=False)
            if problem is not None:
                return problem
        elif not body.get("image", {}).get("image_id_list"):
            return self._error(200, "product.error_param", "image_id_list is invalid.")
        item.update({k: v for k, v in body.items() if k != "item_id"})
        item["update_time"] = int(self.clock())
        return self._ok({"item_id": item["item_id"]})

    def _update_stock(self, request: httpx.Request) -> httpx.Response:
        body = self._json(request)
        item = self.items.get(body.get("item_id", 0))
        if item is None:
            return self._error(200, "product.error_item_not_found", "Item not found.")
        stock = body["stock_list"][0]["seller_stock"][0]["stock"]
        if not isinstance(stock, int) or stock < 0:
            return self._error(200, "product.error_param", "stock is invalid.")
        item["stock"] = stock
        return self._ok({"success_list": [{"model_id": 0, "stock": stock}], "failure_list": []})

    def _update_price(self, request: httpx.Request) -> httpx.Response:
        body = self._json(request)
        item = self.items.get(body.get("item_id", 0))
        if item is None:
            return self._error(200, "product.error_item_not_found", "Item not found.")
        price = body["price_list"][0]["original_price"]
        problem = self._price_problem(price)
        if problem is not None:
            return problem
        item["price"] = Decimal(str(price))
        return self._ok({"success_list": [{"model_id": 0, "original_price": price}]})

    def _unlist_item(self, request: httpx.Request) -> httpx.Response:
        body = self._json(request)
        success, failure = [], []
        for entry in body.get("item_list", []):
            item = self.items.get(entry.get("item_id", 0))
            if item is None:
                failure.append({"item_id": entry.get("item_id"), "failed_reason": "not found"})
                continue
            item["item_status"] = "UNLIST" if entry["unlist"] else "NORMAL"
            success.append({"item_id": item["item_id"], "unlist": entry["unlist"]})
        return self._ok({"success_list": success, "failure_list": failure})

    def _shop_info(self, _request: httpx.Request) -> httpx.Response:
        # v2.shop.get_shop_info answers at the top level, not inside "response" (as the
        # public Shopee v2 clients read it; Shopee's own page is not vendored).
        return httpx.Response(
            200,
            json={
                "shop_name": "Wu Family Farm",
                "region": "SG",
                "status": self.shop_status,
                "error": "",
                "message": "",
                "request_id": self._request_id(),
            },
        )

    def _search_item(self, request: httpx.Request) -> httpx.Response:
        query = request.url.params
        wanted = query.get("item_sku", "")
        statuses = set(query.get_list("item_status")) or {"NORMAL"}
        # A loose match, as a search may be: the adapter keeps only exact SKUs.
        ids = [
            item_id
            for item_id, item in self.items.items()
            if wanted in item["item_sku"] and item["item_status"] in statuses
        ]
        offset, size = int(query.get("offset", "0")), int(query.get("page_size", "100"))
        page = ids[offset : offset + size]
        more = offset + size < len(ids)
        if not ids:
            return self._ok({"item_id_list": [], "total_count": 0, "has_next_page": False})
        return self._ok(
            {
                "item_id_list": page,
                "total_count": len(ids),
                "has_next_page": more,
                "next_offset": offset + size if more else 0,
            }
        )

    def _base_info(self, request: httpx.Request) -> httpx.Response:
        raw = request.url.params.get("item_id_list", "")
        ids = [int(i) for i in raw.split(",") if i]
        if not 1 <= len(ids) <= 50:
            return self._error(200, "error_param", "item_id_list should have 1 to 50 ids.")
        return self._ok(
            {"item_list": [self._public(self.items[i]) for i in ids if i in self.items]}
        )

    def _public(self, item: dict[str, Any]) -> dict[str, Any]:
        price = float(item["price"])
        return {
            "item_id": item["item_id"],
            "item_sku": item["item_sku"],
            "item_name": item["item_name"],
            "item_status": item["item_status"],
            "category_id": item["category_id"],
            "create_time": item["create_time"],
            "update_time": item["update_time"],
            "weight": item["weight"],
            "image": {
                "image_id_list": list(item["image"]["image_id_list"]),
                "image_url_list": [
                    f"https://cf.shopee.sg/file/{i}" for i in item["image"]["image_id_list"]
                ],
            },
            "price_info": [
                {
                    "currency": "SGD",
                    "original_price": price,
                    "current_price": price,
                    "inflated_price_of_original_price": price,
                    "inflated_price_of_current_price": price,
                }
            ],
            "stock_info_v2": {
                "summary_info": {"total_reserved_stock": 0, "total_available_stock": item["stock"]},
                "seller_stock": [{"location_id": "SGZ", "stock": item["stock"]}],
            },
            "logistic_info": item["logistic_info"],
            "condition": item.get("condition", "NEW"),
            "has_model": False,
        }

    # --- orders --------------------------------------------------------------------------------

    def _order_list(self, request: httpx.Request) -> httpx.Response:
        query = request.url.params
        known = {"time_range_field", "time_from", "time_to", "page_size", "cursor"}
        known |= {"order_status", "response_optional_fields", "request_order_status_pending"}
        known |= {"partner_id", "timestamp", "sign", "access_token", "shop_id"}
        if set(query) - known:
            return self._error(200, "error_param", f"Unknown parameters {set(query) - known}.")
        if query.get("time_range_field") not in ("create_time", "update_time"):
            return self._error(200, "error_param", "time_range_field is invalid.")
        try:
            start, end = int(query["time_from"]), int(query["time_to"])
            size = int(query["page_size"])
            offset = int(query.get("cursor") or "0")
        except (KeyError, ValueError):
            return self._error(200, "error_param", "time_from, time_to and page_size are needed.")
        if not 0 <= end - start <= 15 * 24 * 3600:
            return self._error(200, "error_param", "time range should be within 15 days.")
        if not 1 <= size <= 100:
            return self._error(200, "error_param", "page_size should be in [1, 100].")
        field = query["time_range_field"]
        found = [o for o in self.orders.values() if start <= o[field] <= end]
        page = found[offset : offset + size]
        more = offset + size < len(found)
        answer = self._ok(
            {
                "more": more,
                "next_cursor": str(offset + size) if more else "",
                "order_list": [{"order_sn": o["order_sn"]} for o in page],
            }
        )
        self.after_list = [change for change in self.after_list if not change(dict(query))]
        return answer

    def _order_detail(self, request: httpx.Request) -> httpx.Response:
        sns = [sn for sn in request.url.params.get("order_sn_list", "").split(",") if sn]
        if not 1 <= len(sns) <= 50:
            return self._error(200, "error_param", "order_sn_list should have 1 to 50 sn.")
        return self._ok({"order_list": [self.orders[sn] for sn in sns if sn in self.orders]})

    def _ship_order(self, request: httpx.Request) -> httpx.Response:
        body = self._json(request)
        order = self.orders.get(str(body.get("order_sn")))
        if order is None:
            return self._error(200, "error_not_found", "Order not found.")
        ways = [w for w in ("pickup", "dropoff", "non_integrated") if w in body]
        if len(ways) != 1 or not isinstance(body[ways[0]], dict):
            return self._error(200, "error_param", "Give one of pickup, dropoff, non_integrated.")
        if order["order_status"] != "READY_TO_SHIP":
            return self._error(200, "logistics.error_status", "Order status is not ready to ship.")
        tracking = body[ways[0]].get("tracking_number")
        self.change_order(order["order_sn"], order_status="PROCESSED", tracking_number=tracking)
        return self._ok({})

    def _cancel_order(self, request: httpx.Request) -> httpx.Response:
        body = self._json(request)
        order = self.orders.get(str(body.get("order_sn")))
        if order is None:
            return self._error(200, "error_not_found", "Order not found.")
        reason = body.get("cancel_reason")
        if reason not in (
            "OUT_OF_STOCK",
            "CUSTOMER_REQUEST",
            "UNDELIVERABLE_AREA",
            "COD_NOT_SUPPORTED",
        ):
            return self._error(200, "error_param", "cancel_reason is invalid.")
        wanted = {(i["item_id"], i["model_id"]) for i in order["item_list"]}
        given = body.get("item_list")
        if reason == "OUT_OF_STOCK" and (
            not isinstance(given, list) or {(i["item_id"], i["model_id"]) for i in given} != wanted
        ):
            return self._error(200, "error_param", "item_list is needed for OUT_OF_STOCK.")
        if order["order_status"] not in ("UNPAID", "READY_TO_SHIP"):
            return self._error(200, "error_status", "The order cannot be cancelled now.")
        self.change_order(order["order_sn"], order_status="CANCELLED")
        return self._ok({"update_time": order["update_time"]})

    # --- answers ---------------------------------------------------------------------------------

    def _json(self, request: httpx.Request) -> dict[str, Any]:
        if not request.headers.get("content-type", "").startswith("application/json"):
            return {}
        body = json.loads(request.content or b"{}")
        return body if isinstance(body, dict) else {}

    def _request_id(self) -> str:
        return f"fake{next(self._request_ids):012d}"

    def _ok(self, response: dict[str, Any]) -> httpx.Response:
        return httpx.Response(
            200,
            json={
                "error": "",
                "message": "",
                "warning": "",
                "request_id": self._request_id(),
                "response": response,
            },
        )

    def _error(
        self, status: int, code: str, message: str, *, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        return httpx.Response(
            status,
            headers=headers,
            json={"error": code, "message": message, "request_id": self._request_id()},
        )
