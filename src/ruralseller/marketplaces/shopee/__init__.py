"""The adapter for Shopee Open Platform v2 (one shop in one region: SG, MY, PH, TH, VN, ID, TW, BR).

Shopee has no machine-readable spec; what is encoded here follows Shopee's own guides ("API
calls", "Authorization and Authentication", "Creating product", "Stock & Price Management" at
open.shopee.com) and its v2 API reference (``v2.product.add_item``). The flow for one listing:

1. each picture goes to ``POST /api/v2/media_space/upload_image`` (multipart ``image``), which
   answers an ``image_id``;
2. ``POST /api/v2/product/add_item`` makes the item (:func:`add_item_payload` shows the body),
   or, when our SKU is already listed, ``update_item``, ``update_price`` and ``update_stock``
   bring it up to date and ``unlist_item`` (``unlist: false``) puts it back on sale;
3. ``unlist_item`` (``unlist: true``) takes it off sale.

``add_item`` has no idempotency key, so a create whose answer is lost is looked up by our SKU
before it is sent again (:func:`~ruralseller.marketplaces.http.create_once`): the lookup is
``GET /api/v2/product/search_item?item_sku=...`` followed by ``get_item_base_info`` to keep only
exact SKU matches (search may match more loosely). One call finds the item however large the
shop is, where paging through ``get_item_list`` would cost a call per 100 items.

Every request is signed (:class:`ShopeeAuth`); errors come in the body, often with HTTP 200
(:func:`shopee_error` maps them); an expired access token is refreshed with the refresh token
and the call sent again.

Example:
    >>> shopee = ShopeeMarketplace(partner_id=2001887, partner_key="key", shop_id=14701711,
    ...                            access_token="token", category_id=100629,
    ...                            logistic_ids=[18028], region="SG")
    >>> shopee.capabilities.names()
    ('multi_step_publish', 'image_upload', 'withdraw', 'stock_and_price')
    >>> shopee
    ShopeeMarketplace(base_url='https://partner.shopeemobile.com', partner_id=2001887, \
shop_id=14701711, region='SG')
"""

from __future__ import annotations

from ruralseller.marketplaces.shopee.adapter import (
    ShopeeMarketplace,
)
from ruralseller.marketplaces.shopee.constants import (
    SHOPEE_DEFAULT_RATE,
    SHOPEE_PRODUCTION_URL,
    SHOPEE_SANDBOX_URL,
    TIMESTAMP_VALIDITY,
)
from ruralseller.marketplaces.shopee.errors import (
    shopee_error,
)
from ruralseller.marketplaces.shopee.orders import ORDER_STATES, ShopeeOrders
from ruralseller.marketplaces.shopee.payloads import (
    add_item_payload,
    item_weight_kg,
    shopee_price,
    stock_payload,
    unlist_payload,
    update_item_payload,
    update_price_payload,
)
from ruralseller.marketplaces.shopee.regions import (
    SHOPEE_REGIONS,
    ShopeeRegion,
)
from ruralseller.marketplaces.shopee.settings import (
    ShopeeSettings,
)
from ruralseller.marketplaces.shopee.signing import (
    ShopeeAuth,
    ShopeeTokens,
    base_string,
    sign,
)

__all__ = [
    "ORDER_STATES",
    "SHOPEE_DEFAULT_RATE",
    "SHOPEE_PRODUCTION_URL",
    "SHOPEE_REGIONS",
    "SHOPEE_SANDBOX_URL",
    "TIMESTAMP_VALIDITY",
    "ShopeeAuth",
    "ShopeeMarketplace",
    "ShopeeOrders",
    "ShopeeRegion",
    "ShopeeSettings",
    "ShopeeTokens",
    "add_item_payload",
    "base_string",
    "item_weight_kg",
    "shopee_error",
    "shopee_price",
    "sign",
    "stock_payload",
    "unlist_payload",
    "update_item_payload",
    "update_price_payload",
]
