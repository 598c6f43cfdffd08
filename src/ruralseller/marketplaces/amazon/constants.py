"""Amazon's hosts, limits and names the adapter relies on."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from ruralseller.errors import (
    InvalidValueError,
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
    "AmazonSite",
]

#: The Listings Items API version and path root (listingsItems_2021-08-01.json).
LISTINGS_API = "/listings/2021-08-01/items"
#: Where Login with Amazon exchanges a refresh token for an access token (developer-docs.
#: amazon.com/sp-api, "Connecting to the Selling Partner API", step 1).
LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token"  # noqa: S105 - a URL, not a password
#: The SP-API host of each region. The NA host is in the spec (``host``); the EU and FE hosts
#: are from developer-docs.amazon.com/sp-api/docs/sp-api-endpoints (not saved here).
REGION_HOSTS: Mapping[str, str] = {
    "na": "https://sellingpartnerapi-na.amazon.com",
    "eu": "https://sellingpartnerapi-eu.amazon.com",
    "fe": "https://sellingpartnerapi-fe.amazon.com",
}
#: Amazon.com (United States), the spec's own ``x-example`` for ``marketplaceIds``.
DEFAULT_MARKETPLACE_ID = "ATVPDKIKX0DER"
#: The product type used unless the adapter or the draft says otherwise. Product type names
#: come from searchDefinitionsProductTypes; check yours there (``MEAT`` is not verified).
DEFAULT_PRODUCT_TYPE = "MEAT"
#: One main picture and at most 8 others (``other_product_image_locator_1`` .. ``_8``).
MAX_IMAGES = 9
#: The attributes Amazon's generic product type ``PRODUCT`` requires ("Required Fields" of its
#: Product Type Definition, meta-schema v1), which nearly every product type shares; ``color``,
#: also required there, is left to the product type's own schema (food types are not public).
REQUIRED_ATTRIBUTES: tuple[str, ...] = (
    *("brand", "bullet_point", "country_of_origin", "item_name", "item_type_keyword"),
    *("product_description", "supplier_declared_dg_hz_regulation"),
)
#: Item type keywords by product kind (where an item is placed in Amazon's browse graph).
#: Unverified: Amazon publishes the valid keywords per category in its browse tree guides;
#: set ``draft.extra["amazon"]["item_type_keyword"]`` or the adapter's ``item_type_keyword``
#: to the one for your category.
ITEM_TYPE_KEYWORDS: Mapping[str, str] = {
    "poultry_meat": "chicken",
    "shell_eggs": "eggs",
    "cured_meat": "bacon",
    "fresh_produce": "potatoes",
}
# How to give each attribute the adapter fills from the catalogue, for error hints.
_HOW: Mapping[str, str] = {
    "brand": "set the producer in the catalogue, or draft.extra['amazon']['brand']",
    "bullet_point": "give the listing template bullet points",
    "country_of_origin": "give the lot's origin with its ISO country code (e.g. '..., CN')",
    "item_name": "give the listing an English title",
    "item_type_keyword": "set the adapter's item_type_keyword, or "
    "draft.extra['amazon']['item_type_keyword'], to your category's keyword",
    "product_description": "give the listing an English description",
    "supplier_declared_dg_hz_regulation": "set draft.extra['amazon']['attributes']"
    "['supplier_declared_dg_hz_regulation']",
}

#: Our draft field behind each Amazon attribute, for error messages keyed like
#: ``"title (item_name)"``.
ATTRIBUTE_FIELDS: Mapping[str, str] = {
    "item_name": "title",
    "brand": "brand",
    "product_description": "description",
    "bullet_point": "bullets",
    "condition_type": "condition",
    "externally_assigned_product_identifier": "gtin",
    "supplier_declared_has_product_identifier_exemption": "gtin",
    "purchasable_offer": "price",
    "fulfillment_availability": "stock",
    "max_order_quantity": "max_order",
    "item_weight": "net_weight",
    "item_package_weight": "shipping_weight",
    "item_type_keyword": "kind",
    "country_of_origin": "origin",
    "is_expiration_dated_product": "shelf_life",
    "main_product_image_locator": "images",
    **{f"other_product_image_locator_{n}": "images" for n in range(1, MAX_IMAGES)},
}


@attrs.frozen(kw_only=True)
class AmazonSite:
    """One Amazon store: its marketplace id, region, currency and language.

    Attributes:
        marketplace_id: Amazon's id of the store, e.g. ``ATVPDKIKX0DER``.
        country: the ISO 3166 country code.
        region: the SP-API region serving it: ``na``, ``eu`` or ``fe``.
        currency: the currency offers are priced in.
        language_tag: the language tag texts are sent with, e.g. ``en_US``.
        domain: where buyers shop, for listing links.
    """

    marketplace_id: str
    country: str
    region: str
    currency: str
    language_tag: str
    domain: str


#: The English-language stores our ``amazon`` listing profile covers (its currencies), from
#: developer-docs.amazon.com/sp-api/docs/marketplace-ids (not saved here).
AMAZON_SITES: Mapping[str, AmazonSite] = {
    site.marketplace_id: site
    for site in (
        AmazonSite(
            marketplace_id="ATVPDKIKX0DER",
            country="US",
            region="na",
            currency="USD",
            language_tag="en_US",
            domain="www.amazon.com",
        ),
        AmazonSite(
            marketplace_id="A2EUQ1WTGCTBG2",
            country="CA",
            region="na",
            currency="CAD",
            language_tag="en_CA",
            domain="www.amazon.ca",
        ),
        AmazonSite(
            marketplace_id="A1F83G8C2ARO7P",
            country="GB",
            region="eu",
            currency="GBP",
            language_tag="en_GB",
            domain="www.amazon.co.uk",
        ),
        AmazonSite(
            marketplace_id="A39IBJ37TRP1C6",
            country="AU",
            region="fe",
            currency="AUD",
            language_tag="en_AU",
            domain="www.amazon.com.au",
        ),
    )
}


def _site(marketplace_id: str) -> AmazonSite:
    try:
        return AMAZON_SITES[marketplace_id]
    except KeyError:
        known = ", ".join(f"{s.marketplace_id} ({s.country})" for s in AMAZON_SITES.values())
        raise InvalidValueError(
            f"unknown Amazon marketplace id {marketplace_id!r}; the adapter knows {known}",
            field="marketplace_id",
            hint="use the id of the store you sell in (Seller Central shows it)",
        ) from None
