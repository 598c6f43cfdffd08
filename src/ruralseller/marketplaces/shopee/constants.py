"""Shopee's hosts, limits and names the adapter relies on."""

from __future__ import annotations

__all__ = [
    "SHOPEE_DEFAULT_RATE",
    "SHOPEE_PRODUCTION_URL",
    "SHOPEE_SANDBOX_URL",
    "TIMESTAMP_VALIDITY",
]

#: Shopee's production host for developers near Singapore ("API calls" guide, API domains).
#: Shopee also runs https://openplatform.shopee.cn (Chinese Mainland) and
#: https://openplatform.shopee.com.br (near the US); pass one as ``base_url``.
SHOPEE_PRODUCTION_URL = "https://partner.shopeemobile.com"
#: Shopee's sandbox ("API calls" guide, last updated 2025-11-21, and the "Authorization and
#: Authentication" guide). ``partner.test-stable.shopeemobile.com`` is the older
#: host; developers report it now refuses every signature with "Wrong sign", so it is not the
#: default (pass it as ``base_url`` if your test app still lives there).
SHOPEE_SANDBOX_URL = "https://openplatform.sandbox.test-stable.shopee.sg"
#: Requests per second we allow ourselves per shop. Shopee publishes no limit; a python-shopee
#: user saw about 100 per second accepted (JimCurryWang/python-shopee#54, unverified). We
#: stay at a tenth of that: a village uplink gains nothing from more, and a throttled account
#: costs more than it saves.
SHOPEE_DEFAULT_RATE = 10.0
#: Seconds a signed timestamp stays valid ("API calls" guide: "within 5 minutes").
TIMESTAMP_VALIDITY = 300

# Paths signed as public calls (partner_id + path + timestamp): the token calls and the
# public module ("API calls" guide, types of Open API).
_PUBLIC_PATHS = frozenset(
    {"/api/v2/auth/token/get", "/api/v2/auth/access_token/get", "/api/v2/shop/auth_partner"}
)
_REFRESH_PATH = "/api/v2/auth/access_token/get"
_UPLOAD_IMAGE = "/api/v2/media_space/upload_image"
_ADD_ITEM = "/api/v2/product/add_item"
_UPDATE_ITEM = "/api/v2/product/update_item"
_UPDATE_STOCK = "/api/v2/product/update_stock"
_UPDATE_PRICE = "/api/v2/product/update_price"
_UNLIST_ITEM = "/api/v2/product/unlist_item"
_SEARCH_ITEM = "/api/v2/product/search_item"
_BASE_INFO = "/api/v2/product/get_item_base_info"
# get_item_base_info takes at most 50 ids, search_item pages of at most 100 (Shopee's product
# API reference as mirrored by congminh1254/shopee-sdk src/schemas/product.ts).
_BASE_INFO_BATCH = 50
_SEARCH_PAGE = 100
_SEARCH_PAGES_MAX = 10
# Refresh this long before the token's stated expiry, so a call never races it.
_REFRESH_MARGIN = 60.0
