"""A fake WooCommerce store on ``httpx.MockTransport``, answering as the real one does.

What it models, each from the source named beside it:

* authentication (woocommerce-rest-api-docs ``_authentication.md`` and
  ``WC_REST_Authentication``): HTTP Basic with the consumer key over HTTPS only; one-legged
  OAuth 1.0a in the query string over HTTP, its signature recomputed here the way the store
  does (``rawurlencode``, parameters sorted by key, key ``consumer_secret&``), timestamps
  more than 15 minutes off and reused nonces refused. Consumer keys only open ``/wp-json/wc/``
  routes; the media library takes WordPress application passwords (Basic, HTTPS);
* products (``_products.md``): unique SKUs (a duplicate is refused with HTTP 400 and
  ``data.resource_id``), types checked against the documented schema (WordPress answers
  ``rest_invalid_param`` with ``data.params``), unknown fields silently ignored (and noted in
  :attr:`FakeWooCommerceStore.ignored` so tests can see them), ``?sku=a,b`` lookups, batches
  of at most 100 answered with 200 and per-item ``error`` objects, ``images[].src`` fetched by
  the server (here: always failing, as on a slow host);
* media (WordPress REST ``wp/v2/media``): the file in the body, named by
  ``Content-Disposition``; the slug made from the file name;
* orders (``_orders.md``, ``_order-notes.md`` and ``WC_REST_Orders_Controller``'s collection
  parameters): every list parameter checked against :data:`ORDER_LIST_PARAMS`, ``PUT`` bodies
  against :data:`ORDER_WRITE_SCHEMA`, notes against :data:`ORDER_NOTE_SCHEMA`; every change
  moves ``date_modified_gmt`` to the store's clock; ``modified_after`` keeps strictly later
  changes, ``orderby=modified`` sorts oldest change first;
* throttling by the host (429 with ``Retry-After``) and answers lost after the work was done.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
import hmac
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, quote, unquote

import attrs
import httpx
import jsonschema

API = "/wp-json/wc/v3"
MEDIA = "/wp-json/wp/v2/media"

# The product properties of _products.md that a client may write, with their documented types.
_IMAGE = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "src": {"type": "string"},
        "name": {"type": "string"},
        "alt": {"type": "string"},
    },
}
PRODUCT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "slug": {"type": "string"},
        "type": {"enum": ["simple", "grouped", "external", "variable"]},
        "status": {"enum": ["draft", "pending", "private", "publish"]},
        "featured": {"type": "boolean"},
        "catalog_visibility": {"enum": ["visible", "catalog", "search", "hidden"]},
        "description": {"type": "string"},
        "short_description": {"type": "string"},
        "sku": {"type": "string"},
        "regular_price": {"type": "string"},
        "sale_price": {"type": "string"},
        "virtual": {"type": "boolean"},
        "downloadable": {"type": "boolean"},
        "tax_status": {"enum": ["taxable", "shipping", "none"]},
        "tax_class": {"type": "string"},
        "manage_stock": {"type": "boolean"},
        "stock_quantity": {"type": "integer"},
        "stock_status": {"enum": ["instock", "outofstock", "onbackorder"]},
        "backorders": {"enum": ["no", "notify", "yes"]},
        "sold_individually": {"type": "boolean"},
        "weight": {"type": "string"},
        "shipping_class": {"type": "string"},
        "reviews_allowed": {"type": "boolean"},
        "purchase_note": {"type": "string"},
        "menu_order": {"type": "integer"},
        "categories": {
            "type": "array",
            "items": {"type": "object", "properties": {"id": {"type": "integer"}}},
        },
        "tags": {
            "type": "array",
            "items": {"type": "object", "properties": {"id": {"type": "integer"}}},
        },
        "images": {"type": "array", "items": _IMAGE},
        "attributes": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "position": {"type": "integer"},
                    "visible": {"type": "boolean"},
                    "variation": {"type": "boolean"},
                    "options": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
        "meta_data": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["key"],
                "properties": {"key": {"type": "string"}, "value": {}},
            },
        },
    },
}
_VALIDATOR = jsonschema.Draft7Validator(PRODUCT_SCHEMA)
# Properties the API returns but ignores in a write (read-only in _products.md), and "id" in
# a batch update, which names the product.
_READ_ONLY = {"id", "permalink", "price", "date_created", "date_modified", "date_created_gmt"}


# The documented list parameters of GET /orders ("List all orders", _orders.md), as strings.
_ISO = {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"}
_INT = {"type": "string", "pattern": r"^\d+$"}
_BOOL = {"enum": ["true", "false", "1", "0"]}
ORDER_LIST_PARAMS: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "patternProperties": {"^oauth_": {"type": "string"}},
    "properties": {
        "context": {"enum": ["view", "edit"]},
        "page": _INT,
        "per_page": _INT,
        "search": {"type": "string"},
        "after": _ISO,
        "before": _ISO,
        "modified_after": _ISO,
        "modified_before": _ISO,
        "dates_are_gmt": _BOOL,
        "exclude": {"type": "string"},
        "include": {"type": "string"},
        "offset": _INT,
        "order": {"enum": ["asc", "desc"]},
        "orderby": {"enum": ["date", "id", "include", "title", "slug", "modified"]},
        "parent": {"type": "string"},
        "parent_exclude": {"type": "string"},
        "status": {"type": "string"},
        "customer": _INT,
        "product": _INT,
        "dp": _INT,
    },
}
_ORDER_STATUSES = [
    "pending",
    "processing",
    "on-hold",
    "completed",
    "cancelled",
    "refunded",
    "failed",
    "trash",
]
# What we write to an order (PUT /orders/<id>): documented properties and types.
ORDER_WRITE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "status": {"enum": _ORDER_STATUSES},
        "customer_note": {"type": "string"},
        "transaction_id": {"type": "string"},
        "meta_data": PRODUCT_SCHEMA["properties"]["meta_data"],
    },
}
# POST /orders/<id>/notes (_order-notes.md): "note" mandatory.
ORDER_NOTE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["note"],
    "properties": {"note": {"type": "string"}, "customer_note": {"type": "boolean"}},
}


def rawurlencode(text: str) -> str:
    """PHP's ``rawurlencode`` (RFC 3986): what WooCommerce encodes signature parts with."""
    return quote(text, safe="-_.~")


def wp_error(status: int, code: str, message: str, **data: Any) -> httpx.Response:
    """A WordPress REST error: ``{"code", "message", "data": {"status", ...}}``."""
    return httpx.Response(
        status, json={"code": code, "message": message, "data": {"status": status, **data}}
    )


class _Refused(Exception):  # noqa: N818 - it carries the answer, it is not an error of ours
    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response.status_code)
        self.response = response


@attrs.define
class _Loss:
    method: str
    path: str
    how: str  # "timeout" or "503"


class FakeWooCommerceStore:
    """An in-memory WooCommerce store; :meth:`transport` plugs it into an adapter.

    Args:
        base_url: the store's address; its scheme decides Basic (https) or OAuth (http).
        consumer_key: the REST API key the store knows.
        consumer_secret: its secret.
        currency: the store's currency setting.
        app_passwords: WordPress user name -> application password, for the media library.
        consumer_keys_on_media: whether the store lets consumer keys into ``wp/v2/media``
            (a ``woocommerce_rest_is_request_to_rest_api`` filter); WordPress does not.
        duplicate_code: the error code a duplicate SKU is refused with.
        clock: the store's clock, for OAuth timestamps.
    """

    def __init__(
        self,
        *,
        base_url: str = "https://shop.test",
        consumer_key: str = "ck_fake0123456789abcdef",
        consumer_secret: str = "cs_fake_SECRET_9876543210",  # noqa: S107
        currency: str = "CNY",
        app_passwords: dict[str, str] | None = None,
        consumer_keys_on_media: bool = False,
        duplicate_code: str = "product_invalid_sku",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.consumer_key = consumer_key
        self.consumer_secret = consumer_secret
        self.currency = currency
        self.app_passwords = dict(app_passwords or {})
        self.consumer_keys_on_media = consumer_keys_on_media
        self.duplicate_code = duplicate_code
        self.clock = clock
        self.products: dict[int, dict[str, Any]] = {}
        self.media: dict[int, dict[str, Any]] = {}
        self.nonces: set[str] = set()
        self.calls: list[tuple[str, str]] = []
        self.ignored: list[str] = []
        self.throttled: list[str | None] = []
        self.losses: list[_Loss] = []
        self._next_id = 100
        self.orders: dict[int, dict[str, Any]] = {}
        self.notes: dict[int, list[dict[str, Any]]] = {}
        self.after_list: list[Callable[[], None]] = []

    # --- test controls ----------------------------------------------------------------------

    def transport(self) -> httpx.MockTransport:
        """A transport for ``httpx`` clients (and so for the adapter) that talks to this store."""
        return httpx.MockTransport(self.handle)

    def throttle_next(self, count: int = 1, retry_after: str | None = "2") -> None:
        """Answer the next ``count`` requests with 429 (as a host's firewall does)."""
        self.throttled.extend([retry_after] * count)

    def lose_next(self, method: str, path: str, how: str = "timeout") -> None:
        """Do the next ``method`` on ``path`` (suffix of the API path), then lose the answer."""
        self.losses.append(_Loss(method, path, how))

    def now(self) -> str:
        """The store's clock as a ``*_gmt`` time (seconds, no zone)."""
        return dt.datetime.fromtimestamp(int(self.clock()), dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")

    def add_order(
        self,
        lines: list[tuple[str, int, str]],
        *,
        status: str = "processing",
        name: tuple[str, str] = ("Mei", "Wu"),
    ) -> dict[str, Any]:
        """A buyer's order: ``lines`` of (SKU, quantity, line total), in the store's currency."""
        order_id = self._new_id()
        now = self.now()
        order = {
            "id": order_id,
            "status": status,
            "currency": self.currency,
            "date_created_gmt": now,
            "date_modified_gmt": now,
            "billing": {
                "first_name": name[0],
                "last_name": name[1],
                "address_1": "",
                "email": "mei@example.com",
                "phone": "13800000000",
            },
            "shipping": {
                "first_name": name[0],
                "last_name": name[1],
                "address_1": "3 Village Road",
                "address_2": "",
                "city": "Wuhan",
                "state": "HB",
                "postcode": "430000",
                "country": "CN",
            },
            "meta_data": [],
            "line_items": [
                {
                    "id": self._new_id(),
                    "name": sku,
                    "sku": sku,
                    "quantity": quantity,
                    "total": total,
                    "total_tax": "0.00",
                    "price": float(total) / quantity,
                }
                for sku, quantity, total in lines
            ],
        }
        self.orders[order_id] = order
        return order

    def change_order(self, order_id: int, **values: Any) -> None:
        """Change an order as the shop manager would (its modified time moves)."""
        self.orders[order_id] |= values | {"date_modified_gmt": self.now()}

    def by_sku(self, sku: str) -> list[dict[str, Any]]:
        """Every product with ``sku`` (a real store never has more than one)."""
        return [p for p in self.products.values() if p["sku"] == sku]

    def count(self, method: str, path: str) -> int:
        """How many ``method`` requests reached ``path`` (exactly, API root included)."""
        return sum(1 for call in self.calls if call == (method, path))

    # --- the transport ----------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer ``request`` as the store would."""
        path = request.url.path
        self.calls.append((request.method, path))
        if self.throttled:
            retry_after = self.throttled.pop(0)
            headers = {"Retry-After": retry_after} if retry_after else {}
            return httpx.Response(429, headers=headers, text="Too Many Requests")
        try:
            self._authenticate(request)
            response = self._route(request)
        except _Refused as refused:
            return refused.response
        for loss in self.losses:
            if loss.method == request.method and path.endswith(loss.path):
                self.losses.remove(loss)
                if loss.how == "timeout":
                    raise httpx.ReadTimeout("the answer was lost", request=request)
                return httpx.Response(503, text="Service Unavailable")
        return response

    # --- authentication (WC_REST_Authentication) --------------------------------------------

    def _authenticate(self, request: httpx.Request) -> None:
        path = request.url.path
        if path.startswith("/wp-json/wp/v2/"):
            if request.method == "GET":
                return  # the media library is public to read
            if self._application_password(request):
                return
            if self.consumer_keys_on_media and self._consumer_key(request):
                return
            raise _Refused(
                wp_error(401, "rest_cannot_create", "Sorry, you are not allowed to upload media.")
            )
        if not self._consumer_key(request):
            what = {"GET": "view", "POST": "create", "PUT": "edit"}.get(request.method, "edit")
            raise _Refused(
                wp_error(401, f"woocommerce_rest_cannot_{what}", "Sorry, you cannot do that.")
            )

    def _basic(self, request: httpx.Request) -> tuple[str, str] | None:
        header = request.headers.get("authorization", "")
        if not header.startswith("Basic "):
            return None
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        return user, password

    def _application_password(self, request: httpx.Request) -> bool:
        basic = self._basic(request)
        if basic is None or request.url.scheme != "https":
            return False  # WordPress offers application passwords over HTTPS only
        user, password = basic
        if user not in self.app_passwords:  # wp_authenticate_application_password
            raise _Refused(
                wp_error(
                    401,
                    "invalid_username",
                    "Unknown username. Check again or try your email address.",
                )
            )
        if self.app_passwords[user] != password:
            raise _Refused(
                wp_error(
                    401,
                    "incorrect_password",
                    "The provided password is an invalid application password.",
                )
            )
        return True

    def _consumer_key(self, request: httpx.Request) -> bool:
        if request.url.scheme == "https":
            basic = self._basic(request)  # Basic is only read over SSL (is_ssl())
            if basic is None:
                return False
            key, secret = basic
            if key != self.consumer_key:
                raise _Refused(
                    wp_error(
                        401, "woocommerce_rest_authentication_error", "Consumer key is invalid."
                    )
                )
            if not hmac.compare_digest(secret, self.consumer_secret):
                raise _Refused(
                    wp_error(
                        401, "woocommerce_rest_authentication_error", "Consumer secret is invalid."
                    )
                )
            return True
        return self._oauth(request)

    def _oauth(self, request: httpx.Request) -> bool:
        params = dict(parse_qsl(request.url.query.decode(), keep_blank_values=True))
        if "oauth_consumer_key" not in params:
            return False
        for name in ("oauth_timestamp", "oauth_nonce", "oauth_signature", "oauth_signature_method"):
            if name not in params:
                raise _Refused(
                    wp_error(
                        401,
                        "woocommerce_rest_authentication_error",
                        f"{name} parameter is missing.",
                    )
                )
        if params["oauth_consumer_key"] != self.consumer_key:
            raise _Refused(
                wp_error(401, "woocommerce_rest_authentication_error", "Consumer key is invalid.")
            )
        method = params["oauth_signature_method"]
        if method not in ("HMAC-SHA1", "HMAC-SHA256"):
            raise _Refused(
                wp_error(
                    401,
                    "woocommerce_rest_authentication_error",
                    "Invalid signature - signature method is invalid.",
                )
            )
        given = params.pop("oauth_signature")
        # check_oauth_signature: normalize (decode, rawurlencode), sort by key, join k=v encoded.
        normal = {rawurlencode(unquote(k)): rawurlencode(unquote(v)) for k, v in params.items()}
        query = "%26".join(rawurlencode(f"{k}={normal[k]}") for k in sorted(normal))
        store_url = f"{self.base_url}{request.url.path}"
        base = f"{request.method}&{rawurlencode(store_url)}&{query}"
        digest = hashlib.sha1 if method == "HMAC-SHA1" else hashlib.sha256
        expected = base64.b64encode(
            hmac.new(f"{self.consumer_secret}&".encode(), base.encode(), digest).digest()
        ).decode()
        if not hmac.compare_digest(expected, given.replace(" ", "+")):
            raise _Refused(
                wp_error(
                    401,
                    "woocommerce_rest_authentication_error",
                    "Invalid signature - provided signature does not match.",
                )
            )
        if abs(int(params["oauth_timestamp"]) - self.clock()) > 15 * 60:
            raise _Refused(
                wp_error(401, "woocommerce_rest_authentication_error", "Invalid timestamp.")
            )
        if params["oauth_nonce"] in self.nonces:
            raise _Refused(
                wp_error(
                    401,
                    "woocommerce_rest_authentication_error",
                    "Invalid nonce - nonce has already been used.",
                )
            )
        self.nonces.add(params["oauth_nonce"])
        return True

    # --- routes -----------------------------------------------------------------------------

    def _route(self, request: httpx.Request) -> httpx.Response:  # noqa: C901 - a route table
        path, method = request.url.path, request.method
        if path == MEDIA and method == "POST":
            return self._upload(request)
        if path == MEDIA and method == "GET":
            slug = request.url.params.get("slug")
            return httpx.Response(
                200, json=[m for m in self.media.values() if slug is None or m["slug"] == slug]
            )
        if path == f"{API}/settings/general/woocommerce_currency" and method == "GET":
            return httpx.Response(
                200,
                json={
                    "id": "woocommerce_currency",
                    "label": "Currency",
                    "type": "select",
                    "value": self.currency,
                },
            )
        if path == f"{API}/products" and method == "GET":
            return self._list(request)
        if path == f"{API}/products" and method == "POST":
            return httpx.Response(201, json=self._create(request_json(request)))
        if path == f"{API}/products/batch" and method == "POST":
            return self._batch(request_json(request))
        if path.startswith(f"{API}/orders"):
            return self._order_route(request)
        if path.startswith(f"{API}/products/"):
            product_id = int(path.rsplit("/", 1)[1])
            if product_id not in self.products:
                return wp_error(404, "woocommerce_rest_product_invalid_id", "Invalid ID.")
            if method == "GET":
                return httpx.Response(200, json=self.products[product_id])
            if method == "PUT":
                return httpx.Response(200, json=self._update(product_id, request_json(request)))
        return wp_error(
            404, "rest_no_route", "No route was found matching the URL and request method."
        )

    def _list(self, request: httpx.Request) -> httpx.Response:
        per_page = int(request.url.params.get("per_page", "10"))
        if not 1 <= per_page <= 100:
            return wp_error(
                400,
                "rest_invalid_param",
                "Invalid parameter(s): per_page",
                params={"per_page": "per_page must be between 1 (inclusive) and 100 (inclusive)"},
            )
        skus = request.url.params.get("sku")
        wanted = set(skus.split(",")) if skus is not None else None
        found = [
            p
            for p in self.products.values()
            if p["status"] != "trash" and (wanted is None or p["sku"] in wanted)
        ]
        headers = {"X-WP-Total": str(len(found)), "X-WP-TotalPages": "1"}
        return httpx.Response(200, json=found[:per_page], headers=headers)

    # --- orders ---------------------------------------------------------------------------

    def _order_route(self, request: httpx.Request) -> httpx.Response:
        parts = request.url.path.removeprefix(f"{API}/orders").strip("/").split("/")
        if parts == [""] and request.method == "GET":
            response = self._list_orders(request)
            hooks, self.after_list = self.after_list, []
            for change in hooks:
                change()
            return response
        if not parts[0].isdigit() or int(parts[0]) not in self.orders:
            return wp_error(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
        order = self.orders[int(parts[0])]
        if len(parts) == 1 and request.method == "GET":
            return httpx.Response(200, json=order)
        if len(parts) == 1 and request.method == "PUT":
            body = request_json(request)
            _check_schema(ORDER_WRITE_SCHEMA, body)
            for meta in body.pop("meta_data", []):
                order["meta_data"] = [m for m in order["meta_data"] if m["key"] != meta["key"]]
                order["meta_data"].append({"id": self._new_id(), **meta})
            order |= body | {"date_modified_gmt": self.now()}
            return httpx.Response(200, json=order)
        if parts[1:] == ["notes"] and request.method == "POST":
            body = request_json(request)
            _check_schema(ORDER_NOTE_SCHEMA, body)
            note = {"id": self._new_id(), "customer_note": False, **body}
            self.notes.setdefault(order["id"], []).append(note)
            return httpx.Response(201, json=note)
        return wp_error(
            404, "rest_no_route", "No route was found matching the URL and request method."
        )

    def _list_orders(self, request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        _check_schema(ORDER_LIST_PARAMS, params)
        per_page = int(params.get("per_page", "10"))
        if not 1 <= per_page <= 100:
            return wp_error(400, "rest_invalid_param", "Invalid parameter(s): per_page")
        found = list(self.orders.values())
        # WP_Date_Query's "after" and "before" are strict (not inclusive).
        if "modified_after" in params:
            found = [o for o in found if o["date_modified_gmt"] > params["modified_after"]]
        if "modified_before" in params:
            found = [o for o in found if o["date_modified_gmt"] < params["modified_before"]]
        keys = {"modified": "date_modified_gmt", "id": "id", "date": "date_created_gmt"}
        key = keys.get(params.get("orderby", "date"), "date_created_gmt")
        found.sort(key=lambda o: (o[key], o["id"]), reverse=params.get("order", "desc") == "desc")
        start = int(params.get("offset", "0")) + (int(params.get("page", "1")) - 1) * per_page
        pages = max(1, -(-len(found) // per_page))
        headers = {"X-WP-Total": str(len(found)), "X-WP-TotalPages": str(pages)}
        page = copy.deepcopy(found[start : start + per_page])
        return httpx.Response(200, json=page, headers=headers)

    def _upload(self, request: httpx.Request) -> httpx.Response:
        if not request.content:
            return wp_error(400, "rest_upload_no_data", "No data supplied.")
        if not request.headers.get("content-type"):
            return wp_error(400, "rest_upload_no_content_type", "No Content-Type supplied.")
        disposition = request.headers.get("content-disposition", "")
        if "filename=" not in disposition:
            return wp_error(
                400, "rest_upload_no_content_disposition", "No Content-Disposition supplied."
            )
        filename = disposition.split("filename=", 1)[1].strip().strip('"')
        stem = filename.rsplit(".", 1)[0]
        slug = stem.lower()
        taken = {m["slug"] for m in self.media.values()}
        suffix = 2
        while slug in taken:  # wp_unique_post_slug
            slug = f"{stem.lower()}-{suffix}"
            suffix += 1
        media_id = self._new_id()
        self.media[media_id] = {
            "id": media_id,
            "slug": slug,
            "title": {"raw": stem, "rendered": stem},
            "media_type": "image",
            "mime_type": request.headers["content-type"],
            "source_url": f"{self.base_url}/wp-content/uploads/2026/11/{filename}",
            "sha256": hashlib.sha256(request.content).hexdigest(),
        }
        return httpx.Response(201, json=self.media[media_id])

    # --- products ---------------------------------------------------------------------------

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _check(self, body: dict[str, Any], product_id: int | None) -> None:
        errors = sorted(_VALIDATOR.iter_errors(body), key=lambda e: list(e.path))
        if errors:
            params = {str(e.path[0]) if e.path else "body": e.message for e in errors}
            raise _Refused(
                wp_error(
                    400,
                    "rest_invalid_param",
                    f"Invalid parameter(s): {', '.join(params)}",
                    params=params,
                )
            )
        for name in body:
            if name not in PRODUCT_SCHEMA["properties"] and name not in _READ_ONLY:
                self.ignored.append(name)  # WordPress drops unknown fields without a word
        sku = body.get("sku")
        if sku:
            owner = next(
                (
                    p["id"]
                    for p in self.products.values()
                    if p["sku"] == sku and p["id"] != product_id
                ),
                None,
            )
            if owner is not None:
                raise _Refused(
                    wp_error(
                        400,
                        self.duplicate_code,
                        "Invalid or duplicated SKU.",
                        resource_id=owner,
                        unique_sku=sku,
                    )
                )
        for image in body.get("images", []):
            if "src" in image and "id" not in image:
                # The store downloads it; on a slow host this times out (wc-api-php#116).
                raise _Refused(
                    wp_error(
                        400,
                        "woocommerce_product_image_upload_error",
                        f"Error getting remote image {image['src']}.",
                    )
                )
            if image.get("id") not in self.media:
                raise _Refused(
                    wp_error(
                        400,
                        "woocommerce_product_invalid_image_id",
                        f"#{image.get('id')} is an invalid image ID.",
                    )
                )

    def _apply(self, product: dict[str, Any], body: dict[str, Any]) -> None:
        for name, value in body.items():
            if name in {"images", "meta_data", "id"} or name not in PRODUCT_SCHEMA["properties"]:
                continue
            product[name] = copy.deepcopy(value)
        if "images" in body:
            product["images"] = []
            for image in body["images"]:
                media = self.media[image["id"]]
                if image.get("name"):  # set_product_images renames the attachment
                    media["title"] = {"raw": image["name"], "rendered": image["name"]}
                product["images"].append(
                    {
                        "id": media["id"],
                        "src": media["source_url"],
                        "name": media["title"]["raw"],
                        "alt": image.get("alt", ""),
                    }
                )
        for meta in body.get("meta_data", []):  # update_meta_data: by key, no duplicates
            known = next((m for m in product["meta_data"] if m["key"] == meta["key"]), None)
            if known is None:
                product["meta_data"].append(
                    {"id": self._new_id(), "key": meta["key"], "value": meta.get("value")}
                )
            else:
                known["value"] = meta.get("value")
        product["price"] = product["regular_price"]
        if product["manage_stock"] and product["stock_quantity"] is not None:
            product["stock_status"] = "instock" if product["stock_quantity"] > 0 else "outofstock"
        product["date_modified_gmt"] = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())

    def _create(self, body: dict[str, Any]) -> dict[str, Any]:
        self._check(body, None)
        product_id = self._new_id()
        product: dict[str, Any] = {
            "id": product_id,
            "name": "",
            "slug": f"product-{product_id}",
            "permalink": f"{self.base_url}/?post_type=product&p={product_id}",
            "type": "simple",
            "status": "publish",
            "description": "",
            "short_description": "",
            "sku": "",
            "price": "",
            "regular_price": "",
            "sale_price": "",
            "manage_stock": False,
            "stock_quantity": None,
            "stock_status": "instock",
            "weight": "",
            "shipping_class": "",
            "categories": [],
            "images": [],
            "attributes": [],
            "meta_data": [],
        }
        self._apply(product, body)
        self.products[product_id] = product
        return copy.deepcopy(product)

    def _update(self, product_id: int, body: dict[str, Any]) -> dict[str, Any]:
        self._check(body, product_id)
        self._apply(self.products[product_id], body)
        return copy.deepcopy(self.products[product_id])

    def _batch(self, body: dict[str, Any]) -> httpx.Response:
        creates, updates = body.get("create", []), body.get("update", [])
        if len(creates) + len(updates) + len(body.get("delete", [])) > 100:
            return wp_error(
                413,
                "woocommerce_rest_request_entity_too_large",
                "Unable to accept more than 100 items for this request.",
            )
        answer: dict[str, list[dict[str, Any]]] = {"create": [], "update": []}
        for item in creates:
            try:
                answer["create"].append(self._create(item))
            except _Refused as refused:
                answer["create"].append({"id": 0, "error": refused.response.json()})
        for item in updates:
            if item.get("id") not in self.products:
                error = wp_error(400, "woocommerce_rest_product_invalid_id", "Invalid ID.")
                answer["update"].append({"id": item.get("id"), "error": error.json()})
                continue
            try:
                answer["update"].append(self._update(item["id"], item))
            except _Refused as refused:
                answer["update"].append({"id": item.get("id"), "error": refused.response.json()})
        return httpx.Response(200, json=answer)


def _check_schema(schema: dict[str, Any], value: dict[str, Any]) -> None:
    """Refuse what WordPress's argument validation would (``rest_invalid_param``)."""
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(value))
    if errors:
        where = {".".join(map(str, e.absolute_path)) or "body": e.message for e in errors}
        raise _Refused(
            wp_error(
                400, "rest_invalid_param", f"Invalid parameter(s): {', '.join(where)}", params=where
            )
        )


def request_json(request: httpx.Request) -> dict[str, Any]:
    """The JSON body of a request (a WordPress store reads it as the request's parameters)."""
    if request.headers.get("content-type", "").split(";")[0] != "application/json":
        raise _Refused(wp_error(400, "rest_invalid_json", "Invalid JSON body passed."))
    body: dict[str, Any] = httpx.Response(200, content=request.content).json()
    return body
