"""The settings of one Amazon account, checked as they are given."""

from __future__ import annotations

from typing import Any

import attrs

from ruralseller.errors import (
    InvalidValueError,
)
from ruralseller.marketplaces.amazon.constants import (
    DEFAULT_MARKETPLACE_ID,
    DEFAULT_PRODUCT_TYPE,
    LWA_TOKEN_URL,
)
from ruralseller.marketplaces.secrets import Secret

__all__ = [
    "AmazonSettings",
]


def _https_or_none(value: str | None) -> str | None:
    if value is None:
        return None
    if not value.startswith("https://"):
        raise InvalidValueError(
            f"image_base_url must be an https:// address Amazon can fetch pictures from, "
            f"not {value!r}",
            field="image_base_url",
            hint="serve the processed pictures over HTTPS and give that address",
        )
    return value.rstrip("/")


def _not_empty(_instance: Any, attribute: Any, value: str) -> None:
    if not value:
        raise InvalidValueError(f"{attribute.name} is empty", field=attribute.name)


@attrs.frozen(kw_only=True)
class AmazonSettings:
    """The settings of one seller in one Amazon store.

    Attributes:
        seller_id: the seller's merchant token (Seller Central > Settings > Merchant token).
        marketplace_id: the store to list in (Amazon.com unless told otherwise).
        base_url: the API root; the region's host unless told otherwise.
        product_type: the Amazon product type of the listings (a draft may override it).
            ``MEAT`` by default, which is unverified: find yours with
            searchDefinitionsProductTypes.
        client_id: the LWA client id of your SP-API app.
        client_secret: the LWA client secret of your app.
        refresh_token: the seller's refresh token for your app.
        region: ``na``, ``eu`` or ``fe``; the store's region unless told otherwise.
        item_type_keyword: the item type keyword of the listings, when the product kind's
            (:data:`ITEM_TYPE_KEYWORDS`, unverified) is not your category's.
        image_base_url: the HTTPS address where the processed pictures are served, by
            content name; needed to list pictures.
        schema_check: check attributes against the product type schema before sending.
        token_url: the LWA token endpoint.
        shipping_carrier: Amazon's code of the carrier the partner ships with (``UPS``,
            ``China Post``...), sent with each tracking number when an order is shipped.
    """

    seller_id: str = attrs.field(validator=_not_empty)
    marketplace_id: str = DEFAULT_MARKETPLACE_ID
    base_url: str | None = None
    product_type: str = DEFAULT_PRODUCT_TYPE
    client_id: Secret = attrs.field(repr=False)
    client_secret: Secret = attrs.field(repr=False)
    refresh_token: Secret = attrs.field(repr=False)
    region: str | None = attrs.field(default=None, repr=False)
    item_type_keyword: str | None = attrs.field(default=None, repr=False)
    image_base_url: str | None = attrs.field(default=None, converter=_https_or_none, repr=False)
    schema_check: bool = attrs.field(default=True, repr=False)
    token_url: str = attrs.field(default=LWA_TOKEN_URL, repr=False)
    shipping_carrier: str | None = attrs.field(default=None, repr=False)
