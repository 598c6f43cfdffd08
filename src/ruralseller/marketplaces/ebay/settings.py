"""The settings of one eBay account, checked as they are given."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import attrs

from ruralseller.marketplaces.ebay.payloads import (
    _check_https,
)
from ruralseller.marketplaces.secrets import Secret

__all__ = [
    "EbaySettings",
]

# What a read inventory item gives back that a replace keeps (schema InventoryItem's fields).
_ITEM_FIELDS = (
    "availability",
    "condition",
    "conditionDescription",
    "conditionDescriptors",
    "packageWeightAndSize",
    "product",
)


def _path(*parts: str) -> str:
    return "/" + "/".join(quote(p, safe="") for p in parts)


def _https_images(_instance: Any, _attribute: Any, value: str | None) -> None:
    if value is not None:
        _check_https(value)


@attrs.frozen(kw_only=True)
class EbaySettings:
    """The settings of one eBay seller on one eBay site.

    Attributes:
        client_id: the app's client id (eBay developer account, Application Keys).
        client_secret: the app's client secret (a :class:`Secret`, or a string to wrap).
        refresh_token: the seller's refresh token from the consent flow (idem).
        category_id: the eBay category (see :class:`EbayListingSettings` for this and the
            four settings that follow).
        merchant_location_key: the seller's inventory location.
        fulfillment_policy_id: the shipping business policy.
        payment_policy_id: the payment business policy.
        return_policy_id: the return business policy.
        marketplace_id: the eBay site, ``EBAY_US`` unless given; prices must be in its currency.
        image_base_url: the HTTPS address where the partner hosts the pictures, each named by
            :func:`~ruralseller.marketplaces.base.image_name`; needed to list pictures.
        access_token: a current user access token, if there is one.
        sandbox: use eBay's sandbox (``api.sandbox.ebay.com``) instead of production.
        base_url: the Inventory API root; by default production's, or the sandbox's.
        token_url: the OAuth token endpoint; by default the one of the same environment.
        shipping_carrier: eBay's code of the carrier the partner ships with (``China_Post``,
            ``UPS``...), sent with each tracking number when an order is marked shipped.
    """

    client_id: str
    client_secret: Secret = attrs.field(repr=False)
    refresh_token: Secret = attrs.field(repr=False)
    category_id: str
    merchant_location_key: str
    fulfillment_policy_id: str
    payment_policy_id: str
    return_policy_id: str
    marketplace_id: str = "EBAY_US"
    image_base_url: str | None = attrs.field(default=None, validator=_https_images)
    access_token: Secret | None = attrs.field(default=None, repr=False)
    sandbox: bool = False
    base_url: str | None = None
    token_url: str | None = None
    shipping_carrier: str | None = None
