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

from ruralseller.marketplaces.shopify.adapter import (
    ShopifyMarketplace,
)
from ruralseller.marketplaces.shopify.constants import (
    DEFAULT_API_VERSION,
    DEFAULT_CHANNELS,
    MEDIA_PAGE,
    STANDARD_RESTORE_RATE,
)
from ruralseller.marketplaces.shopify.errors import (
    QueryCostBucket,
    ShopifyTokenAuth,
    classify_graphql,
    shop_cost_bucket,
    throttle_wait,
)
from ruralseller.marketplaces.shopify.orders import (
    LINES_PAGE,
    SHOPIFY_OVERLAP,
    ShopifyOrders,
    shopify_line_state,
)
from ruralseller.marketplaces.shopify.payloads import (
    file_inputs,
    inventory_set_input,
    product_handle,
    product_set_input,
    sku_search_query,
    staged_upload_input,
)
from ruralseller.marketplaces.shopify.settings import (
    ShopifySettings,
)

__all__ = [
    "DEFAULT_API_VERSION",
    "DEFAULT_CHANNELS",
    "LINES_PAGE",
    "MEDIA_PAGE",
    "SHOPIFY_OVERLAP",
    "STANDARD_RESTORE_RATE",
    "QueryCostBucket",
    "ShopifyMarketplace",
    "ShopifyOrders",
    "ShopifySettings",
    "ShopifyTokenAuth",
    "classify_graphql",
    "file_inputs",
    "inventory_set_input",
    "product_handle",
    "product_set_input",
    "shop_cost_bucket",
    "shopify_line_state",
    "sku_search_query",
    "staged_upload_input",
    "throttle_wait",
]
