"""The adapter for WooCommerce stores: WooCommerce REST API v3, pictures through WordPress media.

A WooCommerce store is a WordPress site; each one is its own marketplace, at its own address.
Products are keyed by ``sku``, which WooCommerce keeps unique, so our SKU is the key here too
(woocommerce/woocommerce-rest-api-docs, ``source/includes/wp-api-v3/_products.md``):

* look up: ``GET /wp-json/wc/v3/products?sku=…``;
* create: ``POST /wp-json/wc/v3/products``. There is no idempotency key, so a create whose
  answer was lost is reconciled by looking the SKU up before it is sent again
  (:func:`~ruralseller.marketplaces.http.create_once`; wc-api-python#61 "Timeout exception yet
  uploaded the data"). WooCommerce answers a create with a SKU it already has with HTTP 400
  ``woocommerce_rest_product_not_created`` (``data.resource_id`` is the existing product):
  that product is updated instead;
* update, stock, price, withdraw: ``PUT /wp-json/wc/v3/products/{id}`` (safe to repeat);
* many at once: ``POST /wp-json/wc/v3/products/batch``, at most :data:`BATCH_LIMIT` products
  per call (:meth:`WooCommerceMarketplace.upsert_many` splits larger lists).

Pictures are not given as URLs for the store to download: the store's server fetches each
``images[].src`` itself and times out on slow hosts (wc-api-php#116, WooCommerce.NET#90). Each
picture is uploaded to the WordPress media library (``POST /wp-json/wp/v2/media``) and the
product refers to it by id; a picture already uploaded is found by its content name and used
again, so a retry never uploads it twice.

Authentication (``_authentication.md``): over HTTPS, HTTP Basic with the consumer key and
secret; over plain HTTP, one-legged OAuth 1.0a signed with HMAC-SHA1 in the query string
(RFC 5849 §3.4). Basic credentials are never sent over plain HTTP.

Example:
    >>> shop = WooCommerceMarketplace(base_url="https://shop.example", consumer_key="ck_1",
    ...                               consumer_secret="cs_2", currency="CNY")
    >>> shop
    WooCommerceMarketplace(base_url='https://shop.example', currency='CNY', locale='en')
    >>> shop.capabilities.names()
    ('image_upload', 'withdraw', 'stock_and_price')
"""

from __future__ import annotations

from ruralseller.marketplaces.woocommerce.adapter import (
    WooCommerceMarketplace,
)
from ruralseller.marketplaces.woocommerce.auth import (
    WooCommerceBasicAuth,
    WooCommerceOAuth1,
    hmac_sha1_signature,
    normalized_parameters,
    percent_encode,
    signature_base_string,
    signature_base_uri,
    store_auth,
)
from ruralseller.marketplaces.woocommerce.constants import (
    API_ROOT,
    BATCH_LIMIT,
    DEFAULT_RATE,
    DUPLICATE_SKU_CODES,
    MEDIA_ROOT,
    META_PREFIX,
    WOOCOMMERCE_TIMEOUT,
)
from ruralseller.marketplaces.woocommerce.orders import ORDER_STATES, WooCommerceOrders
from ruralseller.marketplaces.woocommerce.payloads import (
    MediaImage,
    product_payload,
    stock_payload,
)
from ruralseller.marketplaces.woocommerce.settings import (
    WooCommerceSettings,
)

__all__ = [
    "API_ROOT",
    "BATCH_LIMIT",
    "DEFAULT_RATE",
    "DUPLICATE_SKU_CODES",
    "MEDIA_ROOT",
    "META_PREFIX",
    "ORDER_STATES",
    "WOOCOMMERCE_TIMEOUT",
    "MediaImage",
    "WooCommerceBasicAuth",
    "WooCommerceMarketplace",
    "WooCommerceOAuth1",
    "WooCommerceOrders",
    "WooCommerceSettings",
    "hmac_sha1_signature",
    "normalized_parameters",
    "percent_encode",
    "product_payload",
    "signature_base_string",
    "signature_base_uri",
    "stock_payload",
    "store_auth",
]
