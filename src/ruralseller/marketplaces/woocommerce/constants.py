"""WooCommerce's hosts, limits and names the adapter relies on."""

from __future__ import annotations

from typing import Final

import httpx

__all__ = [
    "API_ROOT",
    "BATCH_LIMIT",
    "DEFAULT_RATE",
    "DUPLICATE_SKU_CODES",
    "MEDIA_ROOT",
    "META_PREFIX",
    "WOOCOMMERCE_TIMEOUT",
]

#: The WooCommerce REST API v3 root inside a WordPress site (``_introduction.md``).
API_ROOT: Final = "/wp-json/wc/v3"
#: The WordPress REST API media collection, where pictures are uploaded.
MEDIA_ROOT: Final = "/wp-json/wp/v2/media"
#: Products per ``POST /products/batch``: "up to 100 objects" by default
#: (``_products.md`` "Batch update products"); the store answers more with HTTP 413.
BATCH_LIMIT: Final = 100
#: Requests per second. WooCommerce has no rate limit of its own, the host decides (the REST
#: API docs set none); shared hosting, where many village shops live, is slow, so we stay
#: gentle (unverified).
DEFAULT_RATE: Final = 4.0
#: A long read timeout: a product save with pictures takes many seconds on shared hosting, and
#: 5 s was too low for the official Python client (wc-api-python PR #78).
WOOCOMMERCE_TIMEOUT: Final = httpx.Timeout(120.0, connect=10.0)
#: What prefixes the keys of the product meta data we write (our attributes, lot, GTIN...).
META_PREFIX: Final = "ruralseller_"
#: The error codes of a create whose SKU the store already has: ``WC_Product::set_sku`` raises
#: ``product_invalid_sku`` with ``resource_id``; the REST controller wraps it as
#: ``woocommerce_rest_product_not_created``.
DUPLICATE_SKU_CODES: Final = frozenset(
    {"product_invalid_sku", "woocommerce_rest_product_not_created"}
)

_NAME: Final = "woocommerce"
# Our draft's field names for the product fields WooCommerce reports errors on, so that a
# partner reads "title (name)" and knows which of our fields to fix.
_OUR_FIELDS: Final = {
    "name": "title",
    "regular_price": "price",
    "description": "description",
    "short_description": "bullets",
    "stock_quantity": "stock",
    "manage_stock": "stock",
    "sku": "sku",
    "images": "images",
    "weight": "weight",
    "meta_data": "attributes",
    "attributes": "attributes",
    "categories": "categories",
    "shipping_class": "shipping",
    "status": "status",
}
# WordPress's own weight units, as WooCommerce > Settings > Products names them.
_WEIGHT_UNITS: Final = {"kg": "kg", "g": "g", "lbs": "lb", "oz": "oz"}
_WITHDRAW_STATUSES: Final = ("private", "draft")
# WooCommerce status -> our state: "private" is what we withdraw to (only shop managers see it).
_STATES: Final = {"publish": "active", "private": "withdrawn"}
