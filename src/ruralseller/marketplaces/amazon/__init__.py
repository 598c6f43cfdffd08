"""The adapter for Amazon's Selling Partner API: Listings Items 2021-08-01.

A listing is one ``PUT /listings/2021-08-01/items/{sellerId}/{sku}`` (putListingsItem): an
upsert keyed by our SKU, so sending it again after a lost answer changes nothing. Its body
names an Amazon *product type* and carries the listing as Amazon attributes
(``item_name``, ``purchasable_offer``, ``fulfillment_availability``...); the pure mapping is
:func:`listing_attributes` and :func:`put_listing_body`, so what is sent can be read without
sending it. Stock and price change with a JSON Patch (patchListingsItem).

What a product type needs is a JSON Schema Amazon publishes per product type
(Product Type Definitions 2020-09-01, getDefinitionsProductType). The adapter downloads it,
keeps it by its checksum, and checks the attributes with ``jsonschema`` before sending, so a
listing Amazon would refuse is refused here with the attribute at fault. ``validate(draft,
preview=True)`` also asks Amazon itself with ``mode=VALIDATION_PREVIEW`` (a dry run).

Authentication is Login with Amazon (LWA): a refresh token is exchanged for an access token
(1 hour) sent in ``x-amz-access-token`` (:class:`LwaAuth`). No AWS SigV4 signature is needed
since 2023-10-02 (developer-docs.amazon.com/sp-api, "Connecting to the Selling Partner API").

Attributes nearly every product type requires (:data:`REQUIRED_ATTRIBUTES`: the required
fields of Amazon's generic ``PRODUCT`` type but its colour) are checked before any request,
and each missing one is named with how to give it. What stays unverified: the product type
name for chilled poultry (``MEAT`` by default; check yours with searchDefinitionsProductTypes),
the item type keywords by product kind (:data:`ITEM_TYPE_KEYWORDS`) and the dangerous-goods
value ``not_applicable`` (used in Amazon's listing files; no food product type schema was at
hand to check its enum).

Example:
    >>> amazon = AmazonMarketplace(seller_id="A2EXAMPLE", client_id="amzn1.app",
    ...                            client_secret="secret", refresh_token="Atzr|refresh")
    >>> amazon
    AmazonMarketplace(seller_id='A2EXAMPLE', marketplace_id='ATVPDKIKX0DER', \
base_url='https://sellingpartnerapi-na.amazon.com', product_type='MEAT')
    >>> amazon.capabilities.names()
    ('image_urls', 'native_idempotency', 'withdraw', 'stock_and_price')
"""

from __future__ import annotations

from ruralseller.marketplaces.amazon.adapter import (
    AmazonMarketplace,
)
from ruralseller.marketplaces.amazon.auth import (
    LwaAuth,
)
from ruralseller.marketplaces.amazon.constants import (
    AMAZON_SITES,
    ATTRIBUTE_FIELDS,
    DEFAULT_MARKETPLACE_ID,
    DEFAULT_PRODUCT_TYPE,
    ITEM_TYPE_KEYWORDS,
    LISTINGS_API,
    LWA_TOKEN_URL,
    MAX_IMAGES,
    REGION_HOSTS,
    REQUIRED_ATTRIBUTES,
    AmazonSite,
)
from ruralseller.marketplaces.amazon.orders import (
    AmazonOrders,
)
from ruralseller.marketplaces.amazon.payloads import (
    image_attributes,
    image_urls,
    listing_attributes,
    listings_feed,
    missing_attributes,
    put_listing_body,
    stock_and_price_patches,
)
from ruralseller.marketplaces.amazon.settings import (
    AmazonSettings,
)

__all__ = [
    "AMAZON_SITES",
    "ATTRIBUTE_FIELDS",
    "DEFAULT_MARKETPLACE_ID",
    "DEFAULT_PRODUCT_TYPE",
    "ITEM_TYPE_KEYWORDS",
    "LISTINGS_API",
    "LWA_TOKEN_URL",
    "MAX_IMAGES",
    "REGION_HOSTS",
    "REQUIRED_ATTRIBUTES",
    "AmazonMarketplace",
    "AmazonOrders",
    "AmazonSettings",
    "AmazonSite",
    "LwaAuth",
    "image_attributes",
    "image_urls",
    "listing_attributes",
    "listings_feed",
    "missing_attributes",
    "put_listing_body",
    "stock_and_price_patches",
]
