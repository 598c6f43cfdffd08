"""Shopify's hosts, limits and names the adapter relies on."""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "DEFAULT_API_VERSION",
    "DEFAULT_CHANNELS",
    "MEDIA_PAGE",
    "STANDARD_RESTORE_RATE",
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
