"""The settings of one Shopify account, checked as they are given."""

from __future__ import annotations

import attrs

from ruralseller.marketplaces.secrets import Secret
from ruralseller.marketplaces.shopify.constants import (
    DEFAULT_API_VERSION,
    DEFAULT_CHANNELS,
)
from ruralseller.marketplaces.shopify.documents import (
    _shop_domain,
)

__all__ = [
    "ShopifySettings",
]


def _upper(value: str | None) -> str | None:
    return value.upper() if value else None


@attrs.frozen(kw_only=True)
class ShopifySettings:
    """The settings of one Shopify store.

    Attributes:
        shop: the store, as ``village-hens``, ``village-hens.myshopify.com`` or its URL.
        api_version: the Admin API version.
        access_token: the Admin API access token of a custom app (``shpat_...``), a
            :class:`~ruralseller.marketplaces.secrets.Secret` or a string to wrap.
        base_url: where the API is; ``https://{shop}`` unless given.
        currency: the shop's currency; read from the shop on first use unless given.
            Shopify prices a product in the shop's currency only.
        locale: which of the draft's texts to send (Shopify keeps one language per product).
        location_id: the location whose stock is set; the shop's first location unless given.
        vendor: the vendor of every product; the draft's producer unless given.
        publish_to: the sales channels to publish each product to, by their titles as the
            shop's publications name them (default: the Online Store); needs the
            ``read_publications`` and ``write_publications`` scopes. A title the shop does not
            have is an error that lists the ones it has. Empty (and no ``publication_ids``):
            nothing is published, the merchant chooses the channels, and the product is
            reported ``draft`` until it is on one.
        publication_ids: sales channels by publication id; when given, used instead of
            ``publish_to``.
    """

    shop: str = attrs.field(converter=_shop_domain)
    api_version: str = DEFAULT_API_VERSION
    access_token: Secret = attrs.field(repr=False)
    base_url: str | None = attrs.field(default=None, repr=False)
    currency: str | None = attrs.field(default=None, converter=_upper, repr=False)
    locale: str = attrs.field(default="en", repr=False)
    location_id: str | None = attrs.field(default=None, repr=False)
    vendor: str | None = attrs.field(default=None, repr=False)
    publish_to: tuple[str, ...] = attrs.field(default=DEFAULT_CHANNELS, converter=tuple, repr=False)
    publication_ids: tuple[str, ...] = attrs.field(default=(), converter=tuple, repr=False)
