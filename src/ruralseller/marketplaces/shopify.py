"""The adapter for Shopify stores, through the Admin GraphQL API.

Every call is a ``POST`` of a GraphQL document to
``https://{shop}.myshopify.com/admin/api/{version}/graphql.json`` with the store's Admin API
access token in ``X-Shopify-Access-Token`` (shopify.dev/docs/api/admin-graphql, "Authentication").
A listing is one Shopify product with one variant that carries our SKU:

* :meth:`ShopifyMarketplace.upsert` finds the product by SKU
  (``productVariants(query: "sku:...")``), uploads the pictures it does not have yet through
  staged uploads (``stagedUploadsCreate``, then the bytes to the returned target), and writes
  the whole product with ``productSet``: a declarative upsert keyed by the product's id, or,
  for a new product, by a handle derived from the SKU (:func:`product_handle`). Sending it
  again after a lost answer updates the product it made instead of making a second one. The
  packed weight of one unit goes on the variant's inventory item.
* the product is published to the shop's sales channels (``publishablePublish``; by default
  the Online Store, ``publish_to=``): an active product on no channel is seen by no buyer, so
  it is reported ``draft``, not ``active``.
* stock is ``inventorySetQuantities`` (absolute, so repeatable) with an ``@idempotent`` key,
  which Shopify requires from 2026-04; price is ``productVariantsBulkUpdate``; withdrawing
  sets the product's status to ``DRAFT``.

The API version is asked for in the path; Shopify answers with the version it served in
``X-Shopify-API-Version``, and serves the oldest supported one when asked for a version past
its support (shopify.dev/docs/api/usage/versioning). The adapter compares the two and logs a
warning (logger ``ruralseller.marketplaces.shopify``) when the request fell forward.

Shopify limits each app and store by query cost, a leaky bucket of points (100 points a
second on the Standard plan, shopify.dev/docs/api/usage/limits): :class:`QueryCostBucket`
waits before a request that the bucket cannot pay for, and adopts the ``throttleStatus``
Shopify reports after every answer. A throttled answer (HTTP 200 with a ``THROTTLED`` error)
becomes :class:`~ruralseller.errors.RateLimitedError` with the wait Shopify's numbers imply.

Example:
    >>> shop = ShopifyMarketplace("village-hens", access_token="shpat_example")
    >>> shop
    ShopifyMarketplace(shop='village-hens.myshopify.com', api_version='2026-10')
    >>> shop.endpoint
    'https://village-hens.myshopify.com/admin/api/2026-10/graphql.json'
    >>> shop.capabilities.names()
    ('image_upload', 'native_idempotency', 'withdraw', 'stock_and_price')
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Generator, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar, Final
from urllib.parse import urlsplit

import attrs
import httpx

from ruralseller.catalog import Money
from ruralseller.errors import (
    ListingRejectedError,
    MarketplaceAuthError,
    MarketplaceError,
    RateLimitedError,
)
from ruralseller.listing import (
    IssueSeverity,
    ListingDraft,
    ListingIssue,
    LocalizedText,
    ProcessedImage,
    validate_draft,
)
from ruralseller.marketplaces.base import Capabilities, ListingState, guard_answers, image_name
from ruralseller.marketplaces.driver import Driver
from ruralseller.marketplaces.ratelimit import TokenBucket
from ruralseller.marketplaces.secrets import Secret, redact_headers, redact_text

__all__ = [
    "DEFAULT_API_VERSION",
    "DEFAULT_CHANNELS",
    "MEDIA_PAGE",
    "STANDARD_RESTORE_RATE",
    "QueryCostBucket",
    "ShopifyMarketplace",
    "ShopifySettings",
    "ShopifyTokenAuth",
    "classify_graphql",
    "file_inputs",
    "inventory_set_input",
    "product_handle",
    "product_set_input",
    "shop_cost_bucket",
    "sku_search_query",
    "staged_upload_input",
    "throttle_wait",
]

#: The Admin API version the adapter speaks unless told otherwise (versions are quarterly;
#: each is supported for at least 12 months, shopify.dev/docs/api/usage/versioning). The
#: requests are checked against the 2026-01 schema, using nothing it marks deprecated (what
#: 2026-04 removed, such as ``ignoreCompareQuantity``, is deprecated there).
DEFAULT_API_VERSION: Final = "2026-10"
#: The sales channels a product is published to unless told otherwise (publication titles).
DEFAULT_CHANNELS: Final = ("Online Store",)
#: Query-cost points restored per second on the Standard plan (Advanced 200, Plus 1000):
#: shopify.dev/docs/api/usage/limits.
STANDARD_RESTORE_RATE: Final = 100.0
#: How many pictures of a product are read back (and so reused instead of uploaded again).
MEDIA_PAGE: Final = 20

# The bucket holds this many seconds of restore rate until Shopify's first answer says how
# big it really is (2000 points for 100/s; unverified, and corrected by ``observe``).
_BUCKET_SECONDS: Final = 20.0
# Waits for the bucket are this much longer: our clock and Shopify's do not tick together.
_SKEW: Final = 0.01
# What each operation should cost, by Shopify's rule (shopify.dev "GraphQL Admin API rate
# limits", cost calculation: 1 point an object, 2 + first x the node's cost a connection, 10 a
# mutation; scalars are free). Used to wait before the first call of each; after it, the
# adapter uses the ``requestedQueryCost`` Shopify reported.
_PRODUCT_COST: Final = 1 + (2 + 1 * 2) + (2 + MEDIA_PAGE * 2)
_ESTIMATED_COST: Final = {
    "ShopContext": 1 + (2 + 1),
    "ProductBySku": 2 + 3 * 2,
    "ProductByIdentifier": _PRODUCT_COST,
    "ProductSet": 10 + _PRODUCT_COST,
    "StagedUploads": 12,
    "InventorySet": 12,
    "VariantPrice": 12,
    "ProductStatus": 10 + _PRODUCT_COST,
    "Publish": 11,
    "Publications": 2 + 20 * 2,
}
# The one option a single-variant product has in Shopify's admin.
_OPTION_NAME: Final = "Title"
_OPTION_VALUE: Final = "Default Title"
_STATES: Final = {"ACTIVE": "active", "DRAFT": "withdrawn", "ARCHIVED": "withdrawn"}
_HANDLE_UNSAFE: Final = re.compile(r"[^a-z0-9]+")
_NAME = "shopify"
_VERSION_HEADER: Final = "x-shopify-api-version"
logger = logging.getLogger("ruralseller.marketplaces.shopify")


# --- the mapping: what is sent, as plain functions ------------------------------------------


def product_handle(sku: str) -> str:
    """The product handle a new listing gets: the SKU as Shopify writes handles.

    Handles are lower-case letters, digits and hyphens; when writing the SKU so changes it
    (upper case, other characters), a short hash of the exact SKU follows, so two SKUs that
    differ only in case never share a product. The handle is the upsert key of a new product:
    a ``productSet`` repeated after a lost answer finds the product by it.

    >>> product_handle("hen-2026-11")
    'hen-2026-11'
    >>> product_handle("WJ261120A")
    'wj261120a-4bad7bc7'
    """
    slug = _HANDLE_UNSAFE.sub("-", sku.lower()).strip("-") or "listing"
    if slug == sku:
        return slug
    return f"{slug}-{hashlib.sha256(sku.encode()).hexdigest()[:8]}"


def sku_search_query(sku: str) -> str:
    r"""The search query that finds a variant by SKU (Shopify search syntax, value quoted).

    >>> sku_search_query('HEN "1"')
    'sku:"HEN \\"1\\""'
    """
    escaped = sku.replace("\\", "\\\\").replace('"', '\\"')
    return f'sku:"{escaped}"'


def staged_upload_input(image: ProcessedImage) -> dict[str, Any]:
    """The ``StagedUploadInput`` asking Shopify where to upload one picture.

    ``POST`` targets take the bytes as a multipart form after the target's parameters
    (shopify.dev stagedUploadsCreate).

    >>> from ruralseller.listing import ProcessedImage
    >>> picture = ProcessedImage(data=b"...", format="JPEG", width=1, height=1,
    ...     sha256="0123456789abcdef" * 4, source="hen.jpg", quality=85, steps=())
    >>> staged_upload_input(picture)
    {'filename': '0123456789abcdef.jpg', 'mimeType': 'image/jpeg', 'httpMethod': 'POST', \
'resource': 'IMAGE', 'fileSize': '3'}
    """
    return {
        "filename": image_name(image),
        "mimeType": image.media_type,
        "httpMethod": "POST",
        "resource": "IMAGE",
        "fileSize": str(len(image.data)),
    }


def file_inputs(
    images: Sequence[ProcessedImage],
    *,
    existing: Mapping[str, str],
    uploaded: Mapping[str, str],
    alt: str,
) -> list[dict[str, Any]]:
    """The ``files`` of a ``productSet``, in the draft's order.

    Pictures the product already has go by media id, new ones by the staged upload's
    ``resourceUrl``. ``productSet`` replaces the whole list, so a picture left out is removed
    from the product.

    Args:
        images: the pictures, main picture first.
        existing: media id by picture name, for pictures the product already has.
        uploaded: staged ``resourceUrl`` by picture name, for pictures just uploaded.
        alt: the alt text for new pictures (the title: screen readers read it).
    """
    files: list[dict[str, Any]] = []
    for image in images:
        name = image_name(image)
        if name in existing:
            files.append({"id": existing[name]})
        else:
            files.append(
                {
                    "originalSource": uploaded[name],
                    "contentType": "IMAGE",
                    "alt": alt,
                    "filename": name,
                }
            )
    return files


def product_set_input(  # noqa: PLR0913 - keyword-only, each a plain value
    draft: ListingDraft,
    *,
    text: LocalizedText,
    location_id: str,
    files: Sequence[Mapping[str, Any]] | None = None,
    variant_id: str | None = None,
    handle: str | None = None,
    vendor: str | None = None,
) -> dict[str, Any]:
    """The ``ProductSetInput`` for a draft: one product, one variant with our SKU, active.

    The variant's price is the price of one sale unit; the packed weight of one unit
    (``draft.shipping_weight``), when known, is its inventory item's weight, which Shopify's
    shipping rates use.

    Args:
        draft: the listing draft.
        text: the draft's text in the shop's language (Shopify keeps one per product).
        location_id: the location whose ``available`` quantity is the draft's stock.
        files: the pictures (:func:`file_inputs`); ``None`` leaves the product's pictures
            as they are.
        variant_id: the variant to update, when the product exists (so it keeps its
            inventory item); ``None`` makes the variant anew.
        handle: the handle of a new product (:func:`product_handle`); ``None`` for an
            existing product, whose handle the merchant may have changed.
        vendor: the vendor; by default the draft's ``producer`` attribute.

    Example:
        >>> import datetime as dt
        >>> from ruralseller.catalog import load_catalog
        >>> from ruralseller.catalog.samples import sample_path
        >>> from ruralseller.listing import generate_listing
        >>> draft = generate_listing(load_catalog(sample_path()), "WJ261120A",
        ...                          on=dt.date(2026, 11, 21))
        >>> data = product_set_input(draft, text=draft.text("en"),
        ...                          location_id="gid://shopify/Location/1")
        >>> data["title"], data["status"], data["vendor"], data["productType"]
        ('Taihe black-bone silkie chicken, whole, chilled, 1-1.4 kg each, from Jiangxi', \
'ACTIVE', '吴家乌鸡养殖场', 'Poultry meat')
        >>> data["variants"][0]["sku"], data["variants"][0]["price"]
        ('WJ261120A', '36.00')
        >>> data["variants"][0]["inventoryQuantities"]
        [{'locationId': 'gid://shopify/Location/1', 'name': 'available', 'quantity': 40}]
    """
    producer = text.attribute("producer")
    variant: dict[str, Any] = {
        "optionValues": [{"optionName": _OPTION_NAME, "name": _OPTION_VALUE}],
        "sku": draft.sku,
        "price": str(draft.price.amount),
        "inventoryItem": _inventory_item(draft),
        "inventoryPolicy": "DENY",
        "inventoryQuantities": [
            {"locationId": location_id, "name": "available", "quantity": draft.stock}
        ],
    }
    if draft.gtin:
        variant["barcode"] = draft.gtin
    if variant_id:
        variant["id"] = variant_id
    data: dict[str, Any] = {
        "title": text.title,
        "descriptionHtml": text.description_html,
        "productType": draft.kind.replace("_", " ").capitalize(),
        "status": "ACTIVE",
        "tags": ["ruralseller", draft.kind],
        "productOptions": [{"name": _OPTION_NAME, "values": [{"name": _OPTION_VALUE}]}],
        "variants": [variant],
    }
    if vendor or producer:
        data["vendor"] = vendor or (producer.value if producer else "")
    if handle:
        data["handle"] = handle
    if files is not None:
        data["files"] = [dict(item) for item in files]
    return data


def _inventory_item(draft: ListingDraft) -> dict[str, Any]:
    item: dict[str, Any] = {"tracked": True, "requiresShipping": True}
    if draft.shipping_weight is not None:
        grams = draft.shipping_weight.grams
        item["measurement"] = {
            "weight": {"value": float(grams.numerator) / grams.denominator, "unit": "GRAMS"}
        }
    return item


def inventory_set_input(inventory_item_id: str, location_id: str, stock: int) -> dict[str, Any]:
    """The ``InventorySetQuantitiesInput`` that sets the ``available`` stock, absolutely.

    ``changeFromQuantity: null`` skips the compare-and-swap check, "appropriate when your
    system is the source of truth for inventory" (InventoryQuantityInput, 2026-01); the
    catalogue is. ``ignoreCompareQuantity``, the old way, was removed in 2026-04.

    >>> inventory_set_input("gid://shopify/InventoryItem/7", "gid://shopify/Location/1", 5)
    {'name': 'available', 'reason': 'correction', \
'quantities': [{'inventoryItemId': 'gid://shopify/InventoryItem/7', \
'locationId': 'gid://shopify/Location/1', 'quantity': 5, 'changeFromQuantity': None}]}
    """
    return {
        "name": "available",
        "reason": "correction",
        "quantities": [
            {
                "inventoryItemId": inventory_item_id,
                "locationId": location_id,
                "quantity": stock,
                "changeFromQuantity": None,
            }
        ],
    }


# --- throttling and errors ------------------------------------------------------------------


def throttle_wait(cost: Any) -> float | None:
    """Seconds until the bucket can pay for a throttled query, from ``extensions.cost``.

    That is ``(requestedQueryCost - currentlyAvailable + 1) / restoreRate`` (shopify.dev
    "GraphQL Admin API rate limits"), so at least one restore tick; ``None`` when the numbers
    are missing. The extra point is there because Shopify reports ``currentlyAvailable`` in
    whole points while its bucket refills continuously: the report may read up to a point more
    than the bucket holds, even as much as the query costs, and waiting the bare difference
    (0 s then) would be throttled again.

    >>> throttle_wait({"requestedQueryCost": 72, "actualQueryCost": None, "throttleStatus":
    ...     {"maximumAvailable": 2000.0, "currentlyAvailable": 22, "restoreRate": 100.0}})
    0.51
    >>> throttle_wait({"requestedQueryCost": 57, "actualQueryCost": None, "throttleStatus":
    ...     {"maximumAvailable": 2000.0, "currentlyAvailable": 57, "restoreRate": 100.0}})
    0.01
    """
    if not isinstance(cost, Mapping):
        return None
    status = cost.get("throttleStatus")
    requested = cost.get("requestedQueryCost")
    if not isinstance(status, Mapping) or not isinstance(requested, int | float):
        return None
    available, rate = status.get("currentlyAvailable"), status.get("restoreRate")
    if not isinstance(available, int | float) or not isinstance(rate, int | float) or rate <= 0:
        return None
    return (max(0.0, float(requested) - float(available)) + 1.0) / float(rate)


def _field_path(field: Any) -> str:
    """A userError's ``field`` path as one name, without the argument it starts from."""
    parts = [str(part) for part in field] if isinstance(field, list) else [str(field or "")]
    if len(parts) > 1 and parts[0] in {"input", "product"}:
        parts = parts[1:]
    return ".".join(part for part in parts if part)


def classify_graphql(
    response: httpx.Response, *, secrets: Iterable[Secret | str] = ()
) -> MarketplaceError | None:
    """The error hidden in a GraphQL answer with HTTP 200, or ``None``.

    * ``errors`` with code ``THROTTLED``: :class:`~ruralseller.errors.RateLimitedError`, with
      ``retry_after`` from :func:`throttle_wait`;
    * ``errors`` with code ``ACCESS_DENIED``: :class:`~ruralseller.errors.MarketplaceAuthError`
      (the app lacks an access scope);
    * any other ``errors``: :class:`~ruralseller.errors.MarketplaceError`;
    * a mutation's ``userErrors``: :class:`~ruralseller.errors.ListingRejectedError`, each
      ``field`` path joined with dots (``["input", "title"]`` becomes ``title``).

    Other statuses are left to the shared mapping (401, 429 with ``Retry-After``, 5xx...).

    >>> answer = httpx.Response(200, json={"data": {"productSet": {"product": None,
    ...     "userErrors": [{"field": ["input", "title"], "message": "Title is too long",
    ...                     "code": "INVALID"}]}}})
    >>> error = classify_graphql(answer)
    >>> error.field_errors
    {'title': 'Title is too long'}
    """
    if response.status_code != httpx.codes.OK:  # GraphQL errors ride on a 200
        return None
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(body, dict):
        return None
    secrets = tuple(secrets)
    common: dict[str, Any] = {
        "marketplace": _NAME,
        "status": response.status_code,
        "request_id": response.headers.get("x-request-id"),
        "headers": redact_headers(response.headers),
    }
    errors = body.get("errors")
    if isinstance(errors, list) and errors:
        return _top_level_error(errors, body.get("extensions"), secrets, common)
    data = body.get("data")
    if not isinstance(data, dict):
        return None
    for operation, payload in data.items():
        user_errors = payload.get("userErrors") if isinstance(payload, dict) else None
        if user_errors:
            fields = {
                _field_path(e.get("field")) or operation: redact_text(
                    str(e.get("message")), secrets
                )
                for e in user_errors
                if isinstance(e, dict)
            }
            listed = "; ".join(f"{k}: {v}" for k, v in fields.items())
            code = next((e.get("code") for e in user_errors if isinstance(e, dict)), None)
            return ListingRejectedError(
                f"{_NAME} rejected the listing ({operation}): {listed}; fix these and "
                "publish again",
                field_errors=fields,
                code=str(code) if code else None,
                **common,
            )
    return None


def _top_level_error(
    errors: list[Any], extensions: Any, secrets: tuple[Secret | str, ...], common: dict[str, Any]
) -> MarketplaceError:
    codes = [
        str(e.get("extensions", {}).get("code", ""))
        for e in errors
        if isinstance(e, dict) and isinstance(e.get("extensions"), dict)
    ]
    said = "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors)
    said = redact_text(said, secrets)
    if "THROTTLED" in codes or said.strip() == "Throttled":
        cost = extensions.get("cost") if isinstance(extensions, dict) else None
        wait = throttle_wait(cost)
        after = f"wait {wait:g} s and " if wait is not None else "wait and "
        return RateLimitedError(
            f"{_NAME} is limiting how fast we send (query cost): {after}try again",
            retry_after=wait,
            code="THROTTLED",
            **common,
        )
    if "ACCESS_DENIED" in codes:
        return MarketplaceAuthError(
            f"{_NAME} refused: the app's access token lacks a scope this needs (products, "
            f"inventory, locations, files); add it to the app and reinstall ({_NAME} said: "
            f"{said})",
            code="ACCESS_DENIED",
            **common,
        )
    return MarketplaceError(
        f"{_NAME} could not run the request; this is a bug in the adapter or an API version "
        f"change, please report it ({_NAME} said: {said})",
        code=codes[0] if codes else None,
        **common,
    )


class QueryCostBucket(TokenBucket):
    """A leaky bucket of query-cost points, kept in step with what Shopify reports.

    Before a request, :meth:`reserve` takes the points it is expected to cost and says how
    long to wait until the bucket can pay; after each answer, :meth:`observe` adopts
    Shopify's ``throttleStatus`` (its bucket size, restore rate and the points left), so a
    wrong guess (or another program using the same app and store) is corrected at once.

    Example:
        >>> now = [0.0]
        >>> bucket = QueryCostBucket(rate=100, capacity=200, clock=lambda: now[0])
        >>> bucket.reserve(150), bucket.reserve(100)
        (0.0, 0.5)
        >>> bucket.observe({"maximumAvailable": 1000.0, "currentlyAvailable": 10.0,
        ...                 "restoreRate": 50.0})
        >>> bucket.reserve(59)
        1.0
    """

    def __init__(
        self,
        rate: float,
        capacity: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not rate > 0:
            raise ValueError(f"QueryCostBucket rate must be positive points per second: {rate!r}")
        size = capacity if capacity is not None else rate * _BUCKET_SECONDS
        super().__init__(rate, size, clock=clock)

    def __repr__(self) -> str:
        return f"QueryCostBucket(rate={self.rate:g}, capacity={self.capacity:g})"

    def observe(self, status: Any) -> None:
        """Adopt Shopify's ``extensions.cost.throttleStatus`` (ignored when malformed)."""
        if not isinstance(status, Mapping):
            return
        values = [status.get(k) for k in ("maximumAvailable", "currentlyAvailable", "restoreRate")]
        numbers = [float(v) for v in values if isinstance(v, int | float)]
        if len(numbers) != len(values):
            return
        maximum, available, rate = numbers
        if maximum <= 0 or rate <= 0:
            return
        with self._lock:
            self._refill()
            self.capacity, self.rate = maximum, rate
            # Shopify reports whole points of a bucket that refills continuously, so a report
            # of a bucket not full may be up to a point above what it holds: count one less.
            self._tokens = maximum if available >= maximum else max(0.0, available - 1.0)

    async def acquire(
        self, cost: float = 1.0, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    ) -> None:
        """Wait until the bucket can pay ``cost`` points (and a little more, for clock skew)."""
        wait = self.reserve(cost)
        if wait > 0:
            await sleep(wait + _SKEW)


_BUCKETS: dict[str, QueryCostBucket] = {}
_BUCKETS_LOCK = threading.Lock()


def shop_cost_bucket(shop: str, rate: float = STANDARD_RESTORE_RATE) -> QueryCostBucket:
    """The one cost bucket of a shop in this process, made on first use.

    Shopify counts points per app and store: every adapter for the same shop shares one
    bucket, and a later call with another rate keeps the first.

    >>> shop_cost_bucket("doc-shop.myshopify.com") is shop_cost_bucket("doc-shop.myshopify.com")
    True
    """
    with _BUCKETS_LOCK:
        if shop not in _BUCKETS:
            _BUCKETS[shop] = QueryCostBucket(rate)
        return _BUCKETS[shop]


class ShopifyTokenAuth(httpx.Auth):
    """Sends the Admin API access token in ``X-Shopify-Access-Token``, to the shop only.

    Staged picture uploads go to another host (a storage bucket); the token is never sent
    there.
    """

    def __init__(self, token: Secret, host: str) -> None:
        self._token = token
        self.host = host

    def __repr__(self) -> str:
        return f"ShopifyTokenAuth(host={self.host!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the token when ``request`` goes to the shop."""
        if request.url.host == self.host:
            request.headers["X-Shopify-Access-Token"] = self._token.reveal()
        yield request


# --- the GraphQL documents ------------------------------------------------------------------

_PRODUCT_FIELDS = f"""
fragment ListingProduct on Product {{
  id handle status updatedAt onlineStoreUrl
  resourcePublicationsCount(onlyPublished: true) {{ count }}
  variants(first: 1) {{
    nodes {{ id sku price inventoryQuantity inventoryItem {{ id }} }}
  }}
  media(first: {MEDIA_PAGE}) {{
    nodes {{ id alt mediaContentType ... on MediaImage {{ image {{ url }} }} }}
  }}
}}
"""

_SHOP_CONTEXT = """
query ShopContext {
  shop { currencyCode }
  locations(first: 1) { nodes { id name } }
}
"""

_PRODUCT_BY_SKU = """
query ProductBySku($query: String!) {
  productVariants(first: 3, query: $query) { nodes { id sku product { id } } }
}
"""

_PRODUCT_BY_IDENTIFIER = (
    """
query ProductByIdentifier($identifier: ProductIdentifierInput!) {
  productByIdentifier(identifier: $identifier) { ...ListingProduct }
}
"""
    + _PRODUCT_FIELDS
)

_PRODUCT_SET = (
    """
mutation ProductSet($identifier: ProductSetIdentifiers, $input: ProductSetInput!,
                    $synchronous: Boolean!) {
  productSet(identifier: $identifier, input: $input, synchronous: $synchronous) {
    product { ...ListingProduct }
    userErrors { field message code }
  }
}
"""
    + _PRODUCT_FIELDS
)

_STAGED_UPLOADS = """
mutation StagedUploads($input: [StagedUploadInput!]!) {
  stagedUploadsCreate(input: $input) {
    stagedTargets { url resourceUrl parameters { name value } }
    userErrors { field message }
  }
}
"""

_INVENTORY_SET = """
mutation InventorySet($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {
    inventoryAdjustmentGroup { reason }
    userErrors { field message code }
  }
}
"""

_VARIANT_PRICE = """
mutation VariantPrice($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
  productVariantsBulkUpdate(productId: $productId, variants: $variants) {
    productVariants { id price }
    userErrors { field message code }
  }
}
"""

_PRODUCT_STATUS = (
    """
mutation ProductStatus($product: ProductUpdateInput!) {
  productUpdate(product: $product) {
    product { ...ListingProduct }
    userErrors { field message }
  }
}
"""
    + _PRODUCT_FIELDS
)

_PUBLICATIONS = """
query Publications {
  publications(first: 20) { nodes { id catalog { title } } }
}
"""

_PUBLISH = """
mutation Publish($id: ID!, $input: [PublicationInput!]!) {
  publishablePublish(id: $id, input: $input) {
    userErrors { field message }
  }
}
"""


def _shop_domain(shop: str) -> str:
    host = shop.strip().lower()
    if "://" in host:
        host = urlsplit(host).hostname or ""
    host = host.strip("/")
    if not host:
        raise ValueError("a Shopify shop needs its name, like 'village-hens'")
    return host if "." in host else f"{host}.myshopify.com"


def _picture_name(url: str) -> str:
    return url.split("?", 1)[0].rsplit("/", 1)[-1]


# --- the adapter ----------------------------------------------------------------------------


def _upper(value: str | None) -> str | None:
    return value.upper() if value else None


@attrs.frozen(kw_only=True)
class ShopifySettings:
    """The settings of one Shopify store.

    Attributes:
        shop: the store, as ``village-hens``, ``village-hens.myshopify.com`` or its URL.
        api_version: the Admin API version.
        access_token: the Admin API access token of a custom app (``shpat_...``), a
            :class:`~ruralseller.marketplaces.secrets.Secret` or a string to wrap.
        base_url: where the API is; ``https://{shop}`` unless given.
        currency: the shop's currency; read from the shop on first use unless given.
            Shopify prices a product in the shop's currency only.
        locale: which of the draft's texts to send (Shopify keeps one language per product).
        location_id: the location whose stock is set; the shop's first location unless given.
        vendor: the vendor of every product; the draft's producer unless given.
        publish_to: the sales channels to publish each product to, by their titles as the
            shop's publications name them (default: the Online Store); needs the
            ``read_publications`` and ``write_publications`` scopes. A title the shop does not
            have is an error that lists the ones it has. Empty (and no ``publication_ids``):
            nothing is published, the merchant chooses the channels, and the product is
            reported ``draft`` until it is on one.
        publication_ids: sales channels by publication id; when given, used instead of
            ``publish_to``.
    """

    shop: str = attrs.field(converter=_shop_domain)
    api_version: str = DEFAULT_API_VERSION
    access_token: Secret = attrs.field(repr=False)
    base_url: str | None = attrs.field(default=None, repr=False)
    currency: str | None = attrs.field(default=None, converter=_upper, repr=False)
    locale: str = attrs.field(default="en", repr=False)
    location_id: str | None = attrs.field(default=None, repr=False)
    vendor: str | None = attrs.field(default=None, repr=False)
    publish_to: tuple[str, ...] = attrs.field(default=DEFAULT_CHANNELS, converter=tuple, repr=False)
    publication_ids: tuple[str, ...] = attrs.field(default=(), converter=tuple, repr=False)


@guard_answers
class ShopifyMarketplace(Driver[ShopifySettings]):
    """Publishes to a Shopify store through the Admin GraphQL API.

    Its settings are :class:`ShopifySettings` (``shop`` may come first, by position); the
    wiring (``retry``, ``rate``, ``transport``, ``timeout``, ``sleep``, ``clock``) is the
    :class:`~ruralseller.marketplaces.driver.Driver`'s. Every request this adapter sends can
    be repeated, so all are retried; ``rate`` is the query-cost points restored per second
    (the plan's; Standard 100), and requests wait for the shop's query-cost bucket, not a
    request count.

    Args:
        cost_bucket: the shop's query-cost bucket; by default the one every adapter for the
            shop in this process shares (:func:`shop_cost_bucket`). Tests pass one on the
            fake shop's clock.
    """

    name: ClassVar[str] = _NAME
    capabilities: ClassVar[Capabilities] = Capabilities(
        image_upload=True,
        native_idempotency=True,
        withdraw=True,
        stock_and_price=True,
    )
    settings_class: ClassVar[type[ShopifySettings]] = ShopifySettings
    default_rate: ClassVar[float] = STANDARD_RESTORE_RATE
    positional: ClassVar[tuple[str, ...]] = ("shop",)

    def __init__(
        self, *args: Any, cost_bucket: QueryCostBucket | None = None, **kwargs: Any
    ) -> None:
        self._given_bucket = cost_bucket
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        """The store's settings as attributes, and its query-cost bucket."""
        settings = self.settings
        self.shop = settings.shop
        self.api_version = settings.api_version
        self.base_url = (settings.base_url or f"https://{self.shop}").rstrip("/")
        self.currency = settings.currency
        self.locale = settings.locale
        self.location_id = settings.location_id
        self.vendor = settings.vendor
        self.publish_to = settings.publish_to
        self.publication_ids = settings.publication_ids
        #: The API version Shopify last said it served (``X-Shopify-API-Version``).
        self.served_version: str | None = None
        self._sleep = self.sleep
        self._secrets = (settings.access_token,)
        self.cost_bucket = (
            self._given_bucket
            if self._given_bucket is not None
            else shop_cost_bucket(self.shop, self.rate)
        )
        self._costs: dict[str, float] = {}

    def make_auth(self) -> httpx.Auth:
        """The access token, sent to the shop only (:class:`ShopifyTokenAuth`)."""
        host = urlsplit(self.base_url).hostname or self.shop
        return ShopifyTokenAuth(self.settings.access_token, host)

    def rate_limit(self) -> None:
        """None: requests wait for the query-cost bucket (:class:`QueryCostBucket`)."""
        return

    def classify(self, response: httpx.Response) -> MarketplaceError | None:
        """Shopify's GraphQL errors, and its cost report for the bucket."""
        return self._classify(response)

    @property
    def endpoint(self) -> str:
        """The GraphQL endpoint every request goes to."""
        return f"{self.base_url}/admin/api/{self.api_version}/graphql.json"

    async def validate(self, draft: ListingDraft) -> tuple[ListingIssue, ...]:
        """The issues Shopify would refuse, checked locally, for the text that is sent.

        Besides the profile's checks: the draft must have text in the adapter's ``locale``,
        and its price must be in the shop's currency (when known: configured, or read by an
        earlier write); more than :data:`MEDIA_PAGE` pictures is a warning.
        """
        issues = list(validate_draft(draft, self.profile, locale=self._locale_of(draft)))
        if self._locale_of(draft) is None:
            issues.append(
                ListingIssue(
                    "texts",
                    f"the draft has no text in {self.locale!r}, the language sent to Shopify",
                    f"generate the listing with locale {self.locale!r}, or make the adapter "
                    f"with locale= one of {', '.join(draft.locales)}",
                )
            )
        if len(draft.images) > MEDIA_PAGE:
            issues.append(
                ListingIssue(
                    "images",
                    f"{len(draft.images)} pictures: the adapter reads back the first "
                    f"{MEDIA_PAGE} of a product, so the others are uploaded again on every write",
                    f"keep at most {MEDIA_PAGE} pictures",
                    IssueSeverity.WARNING,
                )
            )
        if self.currency and draft.price.currency != self.currency:
            issues.append(
                ListingIssue(
                    "price.currency",
                    f"the price is in {draft.price.currency}, the shop sells in {self.currency}",
                    f"price the offer in {self.currency} in the catalogue",
                )
            )
        return tuple(issues)

    async def upsert(
        self, draft: ListingDraft, images: Sequence[ProcessedImage] = ()
    ) -> ListingState:
        """Write the product for ``draft.sku`` with its pictures, active, in one ``productSet``.

        Pictures the product already has (by content name) are kept, not uploaded again; with
        no ``images`` the product's pictures are left as they are.
        """
        text = self._text(draft)
        location = await self._context()
        self._check_currency(draft.price)
        found = await self._find(draft.sku)
        product = found["product"] if found else None
        files = await self._files(images, product, alt=text.title) if images else None
        handle = None if product else product_handle(draft.sku)
        identifier = {"id": product["id"]} if product else {"handle": handle}
        payload = product_set_input(
            draft,
            text=text,
            location_id=location,
            files=files,
            variant_id=found["id"] if found else None,
            handle=handle,
            vendor=self.vendor,
        )
        data = await self._graphql(
            "ProductSet",
            _PRODUCT_SET,
            {"identifier": identifier, "input": payload, "synchronous": True},
        )
        written = data["productSet"]["product"]
        channels = await self._publications()
        if channels:
            await self._graphql(
                "Publish",
                _PUBLISH,
                {"id": written["id"], "input": [{"publicationId": pid} for pid in channels]},
            )
            # Read it again: the Online Store URL exists only once it is published there.
            found = await self._find(draft.sku)
            written = found["product"] if found else written
        return self._state(written)

    async def upload_images(self, sku: str, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        """Add pictures to an existing listing (those it has already are kept, not re-sent).

        The product's pictures become its current ones followed by the new ones.
        """
        found = await self._require(sku)
        product = found["product"]
        have = self._media_by_name(product)
        new = [image for image in images if image_name(image) not in have]
        if new:
            files = [{"id": media_id} for media_id in have.values()]
            files += await self._files(new, product, alt=None)
            await self._graphql(
                "ProductSet",
                _PRODUCT_SET,
                {
                    "identifier": {"id": product["id"]},
                    "input": {"files": files},
                    "synchronous": True,
                },
            )
        return tuple(image_name(image) for image in images)

    async def set_stock(self, sku: str, stock: int, price: Money | None = None) -> ListingState:
        """Set the ``available`` stock at the location, and the price when given.

        Only what differs from the product as Shopify holds it is written: a stock-only
        change is one ``inventorySetQuantities``, a price-only change one
        ``productVariantsBulkUpdate``.
        """
        location = await self._context()
        if price is not None:
            self._check_currency(price)
        found = await self._require(sku)
        variant = self._variant(found["product"])
        now = self._state(found["product"])
        if now.stock != stock:
            # One key per logical write, kept across the retries of this request (the body
            # is sent again as it is), so a repeat after a lost answer is not applied twice.
            await self._graphql(
                "InventorySet",
                _INVENTORY_SET,
                {
                    "input": inventory_set_input(variant["inventoryItem"]["id"], location, stock),
                    "idempotencyKey": str(uuid.uuid4()),
                },
            )
        if price is not None and now.price != price:
            await self._graphql(
                "VariantPrice",
                _VARIANT_PRICE,
                {
                    "productId": found["product"]["id"],
                    "variants": [{"id": variant["id"], "price": str(price.amount)}],
                },
            )
        state = await self.fetch(sku)
        if state is None:  # pragma: no cover - deleted between two requests
            raise self._missing(sku)
        return state

    async def withdraw(self, sku: str) -> ListingState:
        """Take the product off sale: status ``DRAFT`` (hidden from every sales channel).

        ``DRAFT`` rather than ``ARCHIVED``: the merchant still sees it among products, and the
        next :meth:`upsert` makes it active again.
        """
        await self._context()
        found = await self._require(sku)
        data = await self._graphql(
            "ProductStatus",
            _PRODUCT_STATUS,
            {"product": {"id": found["product"]["id"], "status": "DRAFT"}},
        )
        return self._state(data["productUpdate"]["product"])

    async def fetch(self, sku: str) -> ListingState | None:
        """The product whose variant has ``sku``, or ``None``."""
        await self._context()
        found = await self._find(sku)
        return self._state(found["product"]) if found else None

    # --- helpers ------------------------------------------------------------------------

    def _classify(self, response: httpx.Response) -> MarketplaceError | None:
        if response.request.url.host == self.http.client.base_url.host:
            try:
                body = response.json()
            except (ValueError, UnicodeDecodeError):
                body = None
            if isinstance(body, dict):
                cost = (body.get("extensions") or {}).get("cost") or {}
                self.cost_bucket.observe(cost.get("throttleStatus"))
            return classify_graphql(response, secrets=self._secrets)
        return None

    async def _graphql(
        self, operation: str, document: str, variables: Mapping[str, Any]
    ) -> dict[str, Any]:
        cost = self._costs.get(operation) or _ESTIMATED_COST.get(
            operation, _ESTIMATED_COST["Publish"]
        )
        await self.cost_bucket.acquire(cost, self._sleep)
        # Every document this adapter sends is safe to repeat: reads, productSet keyed by id
        # or handle, absolute stock and price, a status. So all are retried after a lost answer.
        response = await self.http.request(
            "POST",
            self.endpoint,
            idempotent=True,
            json={"query": document, "operationName": operation, "variables": dict(variables)},
        )
        self._note_version(response)
        body = response.json()
        if not isinstance(body, dict):
            raise MarketplaceError(
                f"{self.name} answered {operation} with something that is not a GraphQL "
                "response; try again later",
                marketplace=self.name,
                status=response.status_code,
            )
        requested = ((body.get("extensions") or {}).get("cost") or {}).get("requestedQueryCost")
        if isinstance(requested, int | float) and requested > 0:
            self._costs[operation] = float(requested)
        data = body.get("data")
        if not isinstance(data, dict):
            raise MarketplaceError(
                f"{self.name} answered {operation} without data; try again later",
                marketplace=self.name,
                status=response.status_code,
            )
        return data

    def _note_version(self, response: httpx.Response) -> None:
        served = response.headers.get(_VERSION_HEADER)
        if served is None or served == self.served_version:
            return
        self.served_version = served
        if served != self.api_version:
            logger.warning(
                "shopify served API version %s, not the %s asked for: Shopify falls forward "
                "from a version past its support; set api_version to a supported one "
                "(shopify.dev/docs/api/usage/versioning)",
                served,
                self.api_version,
            )

    async def _publications(self) -> tuple[str, ...]:
        """The publication ids to publish to: given, or looked up by title once."""
        if self.publication_ids or not self.publish_to:
            return self.publication_ids
        data = await self._graphql("Publications", _PUBLICATIONS, {})
        by_title = {
            str((node.get("catalog") or {}).get("title")): str(node["id"])
            for node in (data.get("publications") or {}).get("nodes") or ()
            if isinstance(node, dict) and node.get("id")
        }
        missing = [title for title in self.publish_to if title not in by_title]
        if missing:
            raise MarketplaceError(
                f"the shop {self.shop} has no sales channel called "
                f"{', '.join(map(repr, missing))} (it has: {', '.join(sorted(by_title)) or 'none'})"
                "; set publish_to to the channels to sell on",
                marketplace=self.name,
            )
        self.publication_ids = tuple(by_title[title] for title in self.publish_to)
        return self.publication_ids

    async def _context(self) -> str:
        """The location id, reading the shop's currency and first location once."""
        if self.location_id is None or self.currency is None:
            data = await self._graphql("ShopContext", _SHOP_CONTEXT, {})
            self.currency = self.currency or str(data["shop"]["currencyCode"])
            if self.location_id is None:
                nodes = data["locations"]["nodes"]
                if not nodes:
                    raise MarketplaceError(
                        f"the shop {self.shop} has no location to hold stock; add one in "
                        "Settings > Locations, or pass location_id",
                        marketplace=self.name,
                    )
                self.location_id = str(nodes[0]["id"])
        return self.location_id

    def _locale_of(self, draft: ListingDraft) -> str | None:
        try:
            return draft.text(self.locale).locale
        except KeyError:
            return None

    def _text(self, draft: ListingDraft) -> LocalizedText:
        try:
            return draft.text(self.locale)
        except KeyError as error:
            raise ListingRejectedError(
                f"{self.name}: {error.args[0]}; make the adapter with locale= one of those",
                marketplace=self.name,
                field_errors={"texts": f"no text in {self.locale!r}"},
            ) from None

    def _check_currency(self, price: Money) -> None:
        if self.currency and price.currency != self.currency:
            raise ListingRejectedError(
                f"{self.name}: the price is in {price.currency} but the shop {self.shop} sells "
                f"in {self.currency}; price the offer in {self.currency}",
                marketplace=self.name,
                field_errors={"price.currency": f"must be {self.currency}"},
            )

    async def _find(self, sku: str) -> dict[str, Any] | None:
        """The variant with ``sku`` and its product: found by search, else by our handle.

        Search reads an index that lags behind writes by a few seconds, so a product made
        moments ago may not be found there; its handle (:func:`product_handle`) finds it.
        """
        data = await self._graphql(
            "ProductBySku", _PRODUCT_BY_SKU, {"query": sku_search_query(sku)}
        )
        # Search matches words; only the exact SKU is ours.
        ids = [
            node["product"]["id"]
            for node in data["productVariants"]["nodes"]
            if node.get("sku") == sku and node.get("product")
        ]
        identifier = {"id": ids[0]} if ids else {"handle": product_handle(sku)}
        data = await self._graphql(
            "ProductByIdentifier", _PRODUCT_BY_IDENTIFIER, {"identifier": identifier}
        )
        product = data.get("productByIdentifier")
        variant = self._variant(product) if product else {}
        if product and variant.get("sku") == sku:
            return {"id": variant["id"], "sku": sku, "product": product}
        return None

    def _missing(self, sku: str) -> MarketplaceError:
        return MarketplaceError(
            f"{self.name} has no product with SKU {sku!r}; publish it with upsert first",
            marketplace=self.name,
            status=404,
        )

    async def _require(self, sku: str) -> dict[str, Any]:
        found = await self._find(sku)
        if found is None:
            raise self._missing(sku)
        return found

    @staticmethod
    def _variant(product: Mapping[str, Any]) -> dict[str, Any]:
        nodes = product.get("variants", {}).get("nodes") or [{}]
        return dict(nodes[0])

    @staticmethod
    def _media_by_name(product: Mapping[str, Any] | None) -> dict[str, str]:
        """Media id by our picture name, for the product's pictures named by content hash."""
        found: dict[str, str] = {}
        for node in (product or {}).get("media", {}).get("nodes") or ():
            url = (node.get("image") or {}).get("url")
            if url:
                name = _picture_name(url)
                stem, _, extension = name.rpartition(".")
                # Shopify may append a UUID to a file name already in use (APPEND_UUID).
                found[f"{stem[:16]}.{extension}"] = str(node["id"])
        return found

    async def _files(
        self, images: Sequence[ProcessedImage], product: Mapping[str, Any] | None, alt: str | None
    ) -> list[dict[str, Any]]:
        existing = self._media_by_name(product)
        new = [image for image in images if image_name(image) not in existing]
        uploaded = await self._stage(new) if new else {}
        files = file_inputs(images, existing=existing, uploaded=uploaded, alt=alt or "")
        if alt is None:
            for item in files:
                item.pop("alt", None)
        return files

    async def _stage(self, images: Sequence[ProcessedImage]) -> dict[str, str]:
        """Upload pictures through staged upload targets; their ``resourceUrl`` by name."""
        data = await self._graphql(
            "StagedUploads",
            _STAGED_UPLOADS,
            {"input": [staged_upload_input(image) for image in images]},
        )
        targets = data["stagedUploadsCreate"]["stagedTargets"]
        uploaded: dict[str, str] = {}
        for image, target in zip(images, targets, strict=True):
            form = {p["name"]: p["value"] for p in target["parameters"]}
            encoded = httpx.Request(
                "POST",
                target["url"],
                data=form,
                files={"file": (image_name(image), image.data, image.media_type)},
            )
            # The same bytes to the same signed target: harmless to repeat.
            await self.http.request(
                "POST",
                target["url"],
                idempotent=True,
                content=encoded.read(),
                headers={"Content-Type": encoded.headers["Content-Type"]},
            )
            uploaded[image_name(image)] = str(target["resourceUrl"])
        return uploaded

    def _state(self, product: Mapping[str, Any]) -> ListingState:
        variant = self._variant(product)
        status = str(product.get("status", ""))
        channels = (product.get("resourcePublicationsCount") or {}).get("count")
        state = _STATES.get(status, "draft")
        if state == "active" and channels == 0:
            state = "draft"  # active, but on no sales channel: no buyer can see it
        price = variant.get("price")
        images = tuple(
            _picture_name(node["image"]["url"])
            for node in product.get("media", {}).get("nodes") or ()
            if (node.get("image") or {}).get("url")
        )
        return ListingState(
            marketplace=self.name,
            sku=str(variant.get("sku", "")),
            state=state,
            version=product.get("updatedAt"),
            stock=variant.get("inventoryQuantity"),
            price=Money(Decimal(str(price)), self.currency)
            if price is not None and self.currency
            else None,
            images=images,
            url=product.get("onlineStoreUrl"),
            extra={
                "product_id": product.get("id"),
                "variant_id": variant.get("id"),
                "inventory_item_id": (variant.get("inventoryItem") or {}).get("id"),
                "handle": product.get("handle"),
                "status": status,
                "channels": channels,
            },
        )
