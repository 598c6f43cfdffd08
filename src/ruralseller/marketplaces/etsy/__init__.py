"""The adapter for Etsy's Open API v3 (a listing, then its pictures, then activation).

Etsy creates a listing with a form-encoded ``POST`` (``createDraftListing``), takes pictures
one by one (``uploadListingImage``) and puts the listing on sale with ``updateListing``
(``PATCH``, ``state=active``). Stock and price live in the listing's inventory
(``updateListingInventory``), which is also where our SKU is kept.

Etsy has no idempotency key and cannot look a listing up by SKU, so a create whose answer is
lost (etsy/open-api#162: "Server Error", yet the listing was made) must not simply be sent
again. Every listing we create carries our SKU as one of its tags, and before any second try
:func:`~ruralseller.marketplaces.http.create_once` scans the shop's listings
(``getListingsByShop``) for that tag.

Sources: Etsy's Open API v3 description, https://www.etsy.com/openapi/generated/oas/3.0.0.json
(version 3.0.0, validated 2026-05-30; cited below by operationId), Etsy's developer
documentation (https://developers.etsy.com/documentation/essentials/rate-limits and
``.../essentials/oauth2``) and the etsy/open-api issues named where they are used.

Example:
    >>> etsy = EtsyMarketplace(shop_id=12345678, keystring="kk", shared_secret="ss",
    ...                        refresh_token="12.rr", taxonomy_id=1047,
    ...                        shipping_profile_id=555, readiness_state_id=7)
    >>> etsy
    EtsyMarketplace(shop_id=12345678, base_url='https://api.etsy.com')
    >>> etsy.capabilities.names()
    ('multi_step_publish', 'image_upload', 'withdraw', 'stock_and_price')
"""

from __future__ import annotations

from ruralseller.marketplaces.etsy.adapter import EtsyMarketplace
from ruralseller.marketplaces.etsy.auth import EtsyAuth, EtsyTokens
from ruralseller.marketplaces.etsy.errors import classify_response
from ruralseller.marketplaces.etsy.orders import ETSY_CANCELLED, EtsyOrders, etsy_order_state
from ruralseller.marketplaces.etsy.payloads import (
    create_listing_form,
    inventory_payload,
    sku_tag,
    update_listing_form,
)
from ruralseller.marketplaces.etsy.settings import (
    DEFAULT_ETSY_URL,
    ETSY_DAILY_LIMIT,
    ETSY_RATE,
    ETSY_TOKEN_PATH,
    WHEN_MADE,
    WHO_MADE,
    EtsySettings,
)

__all__ = [
    "DEFAULT_ETSY_URL",
    "ETSY_CANCELLED",
    "ETSY_DAILY_LIMIT",
    "ETSY_RATE",
    "ETSY_TOKEN_PATH",
    "WHEN_MADE",
    "WHO_MADE",
    "EtsyAuth",
    "EtsyMarketplace",
    "EtsyOrders",
    "EtsySettings",
    "EtsyTokens",
    "classify_response",
    "create_listing_form",
    "etsy_order_state",
    "inventory_payload",
    "sku_tag",
    "update_listing_form",
]
