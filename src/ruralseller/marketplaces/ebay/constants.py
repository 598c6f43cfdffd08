"""eBay's hosts, limits and names the adapter relies on."""

from __future__ import annotations

import re
from collections.abc import Mapping

import attrs

from ruralseller.errors import (
    InvalidValueError,
)

__all__ = [
    "ASPECT_NAME_MAX",
    "ASPECT_VALUE_MAX",
    "DEFAULT_RATE",
    "IMAGE_MAX",
    "INVENTORY_SCOPE",
    "PRODUCTION_URL",
    "SANDBOX_TOKEN_URL",
    "SANDBOX_URL",
    "SITES",
    "TITLE_MAX",
    "TOKEN_URL",
    "EbayListingSettings",
    "EbaySite",
]

#: The Inventory API root in production (the spec's ``servers`` and its basePath).
PRODUCTION_URL = "https://api.ebay.com/sell/inventory/v1"
#: The same API on eBay's sandbox (developer.ebay.com "Sandbox": host ``api.sandbox.ebay.com``).
SANDBOX_URL = "https://api.sandbox.ebay.com/sell/inventory/v1"
#: Where a user access token is renewed with the refresh token (the spec's
#: ``securitySchemes.api_auth`` tokenUrl; developer.ebay.com/api-docs/static/
#: oauth-refresh-token-request.html).
TOKEN_URL = "https://api.ebay.com/identity/v1/oauth2/token"  # noqa: S105 - a URL, not a secret
#: The token endpoint of eBay's sandbox (same page).
SANDBOX_TOKEN_URL = "https://api.sandbox.ebay.com/identity/v1/oauth2/token"  # noqa: S105
#: The OAuth scope the Inventory API needs (the spec's ``securitySchemes.api_auth`` scopes).
INVENTORY_SCOPE = "https://api.ebay.com/oauth/api_scope/sell.inventory"
#: Requests per second: eBay sets a daily quota per API, believed to be 2,000,000 calls a day
#: for the Inventory API (unverified; developer.ebay.com/develop/api/sell/api_call_limits),
#: i.e. about 23 a second spread over the day.
DEFAULT_RATE = 2_000_000 / 86_400
#: ``Product.title``: "Max Length: 80" (spec, schema Product), counted in characters.
TITLE_MAX = 80
#: Item specifics: "Max Length for Aspect Name: 40", "... Aspect Value: 50" (spec, Product.aspects).
ASPECT_NAME_MAX = 40
ASPECT_VALUE_MAX = 50
#: "sellers can include up to 24 pictures in one listing" (spec, Product.imageUrls).
IMAGE_MAX = 24

# eBay's error ids (the spec's ``x-response-codes`` of each operation).
_USER_ERROR = 25002  # "A user error has occurred." createOffer's duplicate carries the offerId
_NOT_FOUND = frozenset({25702, 25710, 25713})  # SKU not found, no such entity, offer unavailable
_CONCURRENT = 25025  # "Concurrent access of the same Inventory ... Please try again later." (500)
# Errors whose id alone names the field at fault (same source).
_FIELD_OF_ERROR = {
    25003: "pricingSummary.price",
    25004: "availableQuantity",
    25005: "categoryId",
    25007: "listingPolicies.fulfillmentPolicyId",
    25008: "listingPolicies.paymentPolicyId",
    25009: "listingPolicies.returnPolicyId",
    25012: "merchantLocationKey",
    25014: "product.imageUrls",
    25015: "product.imageUrls",
    25021: "condition",
    25022: "product.aspects",
    25501: "product.imageUrls",
    25502: "product.aspects",
    25601: "product.aspects",
}
# eBay's field names, as errors name them, to where they sit in our payloads.
_FIELD_PATHS = {
    "title": "product.title",
    "description": "product.description",
    "imageurls": "product.imageUrls",
    "aspects": "product.aspects",
    "ean": "product.ean",
    "upc": "product.upc",
    "condition": "condition",
    "listingdescription": "listingDescription",
    "price": "pricingSummary.price",
    "availablequantity": "availableQuantity",
    "quantity": "availability.shipToLocationAvailability.quantity",
    "categoryid": "categoryId",
    "merchantlocationkey": "merchantLocationKey",
    "fulfillmentpolicyid": "listingPolicies.fulfillmentPolicyId",
    "paymentpolicyid": "listingPolicies.paymentPolicyId",
    "returnpolicyid": "listingPolicies.returnPolicyId",
    "quantitylimitperbuyer": "quantityLimitPerBuyer",
    "sku": "sku",
}
_FIELD_WORDS = re.compile(
    r"\b(" + "|".join(sorted(_FIELD_PATHS, key=len, reverse=True)) + r")\b", re.IGNORECASE
)


@attrs.frozen
class EbaySite:
    """One eBay site (marketplace) we list on: its currency, language and item pages.

    Attributes:
        marketplace_id: eBay's id of the site, e.g. ``EBAY_US`` (``marketplaceId`` of an offer).
        currency: the currency prices are given in on that site.
        content_language: the ``Content-Language`` header for English text on that site.
        item_url: where a listing is shown, followed by its listing id.
    """

    marketplace_id: str
    currency: str
    content_language: str
    item_url: str


#: The English-language eBay sites, by ``marketplaceId`` (eBay's MarketplaceIdEnum and
#: "eBay sites and currencies" pages; only EBAY_US appears in the spec copy we hold). The
#: listing profile's locales and currencies (``get_profile("ebay")``) are the same five.
SITES: Mapping[str, EbaySite] = {
    site.marketplace_id: site
    for site in (
        EbaySite("EBAY_US", "USD", "en-US", "https://www.ebay.com/itm/"),
        EbaySite("EBAY_GB", "GBP", "en-GB", "https://www.ebay.co.uk/itm/"),
        EbaySite("EBAY_AU", "AUD", "en-AU", "https://www.ebay.com.au/itm/"),
        EbaySite("EBAY_CA", "CAD", "en-CA", "https://www.ebay.ca/itm/"),
        EbaySite("EBAY_IE", "EUR", "en-IE", "https://www.ebay.ie/itm/"),
    )
}


def _known_site(_instance: object, _attribute: attrs.Attribute[str], value: str) -> None:
    if value not in SITES:
        raise InvalidValueError(
            f"unknown eBay site {value!r}",
            field="marketplace_id",
            hint=f"use one of {', '.join(SITES)} (the English-language eBay sites)",
        )


def _not_blank(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(
            f"the eBay setting {attribute.name} is empty",
            field=attribute.name,
            hint="copy it from the seller's eBay account (Seller Hub: business policies, "
            "inventory locations, category of the product)",
        )


@attrs.frozen(kw_only=True)
class EbayListingSettings:
    """What an eBay offer needs that a listing draft does not say: the seller's account setup.

    An offer cannot be published without a category, an inventory location and the three
    business policies (createOffer / publishOffer in the spec); the seller makes these once
    in Seller Hub and quotes their ids here.

    Attributes:
        category_id: the eBay category of the product (a draft can override it with
            ``extra["ebay"]["category_id"]``).
        merchant_location_key: the seller's inventory location the parcels leave from.
        fulfillment_policy_id: the shipping (fulfillment) business policy.
        payment_policy_id: the payment business policy.
        return_policy_id: the return business policy.
        marketplace_id: the eBay site, ``EBAY_US`` unless given (see :data:`SITES`).
        condition: the item condition; farm produce is ``NEW``.

    Example:
        >>> settings = EbayListingSettings(category_id="177771", merchant_location_key="taihe",
        ...     fulfillment_policy_id="601", payment_policy_id="602", return_policy_id="603")
        >>> settings.site.currency, settings.site.content_language
        ('USD', 'en-US')
    """

    category_id: str = attrs.field(validator=_not_blank)
    merchant_location_key: str = attrs.field(validator=_not_blank)
    fulfillment_policy_id: str = attrs.field(validator=_not_blank)
    payment_policy_id: str = attrs.field(validator=_not_blank)
    return_policy_id: str = attrs.field(validator=_not_blank)
    marketplace_id: str = attrs.field(default="EBAY_US", validator=_known_site)
    condition: str = attrs.field(default="NEW", validator=_not_blank)

    @property
    def site(self) -> EbaySite:
        """The eBay site of :attr:`marketplace_id`."""
        return SITES[self.marketplace_id]
