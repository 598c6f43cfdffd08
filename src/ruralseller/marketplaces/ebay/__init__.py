"""The adapter for eBay's Sell Inventory API: inventory items, offers, and publishing.

eBay keeps a product as an *inventory item* under our SKU (``PUT /inventory_item/{sku}``, an
upsert, so it can always be sent again) and sells it through an *offer* on one eBay site
(``POST /offer``, then ``POST /offer/{offerId}/publish``, which makes the listing). The offer
create has no idempotency key, so it goes through :func:`~ruralseller.marketplaces.http.create_once`:
after a lost answer the offer is looked up by SKU before anything is sent again, and eBay's own
"offer already exists" error (errorId 25002 with the offer id) counts as found.

Pictures are not uploaded: eBay fetches them from HTTPS addresses (``product.imageUrls``), so the
partner hosts them under an ``image_base_url``, each named by
:func:`~ruralseller.marketplaces.base.image_name`.

Sources: eBay's OpenAPI document of the Sell Inventory API ("Inventory API" v1.18.4,
developer.ebay.com/api-docs/master/sell/inventory/openapi/3/sell_inventory_v1_oas3.json;
operationIds are cited below) and eBay's developer documentation pages named where used.

Example:
    >>> ebay = EbayMarketplace(
    ...     client_id="WuFarm-ruralsel-PRD-0123456789", client_secret="PRD-secret",
    ...     refresh_token="v^1.1#i^1#r^1#refresh", category_id="177771",
    ...     merchant_location_key="taihe-packhouse", fulfillment_policy_id="601",
    ...     payment_policy_id="602", return_policy_id="603",
    ...     image_base_url="https://pictures.example.org/wu-farm")
    >>> ebay
    EbayMarketplace(base_url='https://api.ebay.com/sell/inventory/v1', marketplace_id='EBAY_US', client_id='WuFarm-ruralsel-PRD-0123456789')
    >>> ebay.capabilities.names()
    ('multi_step_publish', 'image_urls', 'withdraw', 'stock_and_price')
"""  # noqa: E501 - the repr in the example is one line

from __future__ import annotations

from ruralseller.marketplaces.ebay.adapter import (
    EbayMarketplace,
)
from ruralseller.marketplaces.ebay.auth import (
    EbayAuth,
)
from ruralseller.marketplaces.ebay.constants import (
    ASPECT_NAME_MAX,
    ASPECT_VALUE_MAX,
    DEFAULT_RATE,
    IMAGE_MAX,
    INVENTORY_SCOPE,
    PRODUCTION_URL,
    SANDBOX_TOKEN_URL,
    SANDBOX_URL,
    SITES,
    TITLE_MAX,
    TOKEN_URL,
    EbayListingSettings,
    EbaySite,
)
from ruralseller.marketplaces.ebay.errors import (
    OfferExistsError,
    ebay_error,
)
from ruralseller.marketplaces.ebay.orders import (
    FULFILLMENT_SCOPE,
    EbayOrders,
)
from ruralseller.marketplaces.ebay.payloads import (
    image_urls,
    inventory_item_payload,
    item_aspects,
    offer_payload,
    price_quantity_payload,
)
from ruralseller.marketplaces.ebay.settings import (
    EbaySettings,
)

__all__ = [
    "ASPECT_NAME_MAX",
    "ASPECT_VALUE_MAX",
    "DEFAULT_RATE",
    "FULFILLMENT_SCOPE",
    "IMAGE_MAX",
    "INVENTORY_SCOPE",
    "PRODUCTION_URL",
    "SANDBOX_TOKEN_URL",
    "SANDBOX_URL",
    "SITES",
    "TITLE_MAX",
    "TOKEN_URL",
    "EbayAuth",
    "EbayListingSettings",
    "EbayMarketplace",
    "EbayOrders",
    "EbaySettings",
    "EbaySite",
    "OfferExistsError",
    "ebay_error",
    "image_urls",
    "inventory_item_payload",
    "item_aspects",
    "offer_payload",
    "price_quantity_payload",
]
