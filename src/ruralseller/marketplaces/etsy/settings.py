"""Etsy's constants and the settings of one Etsy shop."""

from __future__ import annotations

import re
from typing import Final

import attrs

from ruralseller.marketplaces.secrets import Secret

__all__ = [
    "DEFAULT_ETSY_URL",
    "ETSY_DAILY_LIMIT",
    "ETSY_RATE",
    "ETSY_TOKEN_PATH",
    "WHEN_MADE",
    "WHO_MADE",
    "EtsySettings",
]

#: Etsy's API host today. The 2021 spec's ``servers`` says ``https://openapi.etsy.com``, the
#: host of the alpha; the paths are the same.
DEFAULT_ETSY_URL: Final = "https://api.etsy.com"
#: Where an OAuth 2.0 refresh token is exchanged for an access token (the spec's
#: ``securitySchemes.oauth2.flows.authorizationCode.tokenUrl``).
ETSY_TOKEN_PATH: Final = "/v3/public/oauth/token"  # noqa: S105 - a URL path, not a secret
#: Requests per second a new Etsy app may send (developers.etsy.com/documentation/essentials/
#: rate-limits, "Rate limits"; etsy/open-api discussion #1387).
ETSY_RATE: Final = 10.0
#: Requests a new Etsy app may send in a sliding 24 hours (same source).
ETSY_DAILY_LIMIT: Final = 10_000
#: Who made the product: createDraftListing's ``who_made`` enum.
WHO_MADE: Final = ("i_did", "someone_else", "collective")
#: When it was made: createDraftListing's ``when_made`` enum (spec of 2026-05-30; the year
#: ranges move with the calendar: 2021 had ``2020_2021``, 2025 ``2020_2025``).
WHEN_MADE: Final = (
    *("made_to_order", "2020_2026", "2010_2019", "2007_2009", "before_2007", "2000_2006"),
    *("1990s", "1980s", "1970s", "1960s", "1950s", "1940s", "1930s", "1920s", "1910s"),
    *("1900s", "1800s", "1700s", "before_1700"),
)

# A tag may hold letters, digits, spaces, -, ', ™, © and ® (spec, createDraftListing ``tags``:
# regex /[^\p{L}\p{Nd}\p{Zs}\-'™©®]/u) and 20 characters (community figure, unverified).
_TAG_BAD = re.compile(r"[^\w\s\-'™©®]|_")
_TAG_MAX = 20
# Every listing state Etsy has (spec, getListingsByShop ``state``); all are scanned for our SKU so
# that an old, withdrawn or sold-out listing is updated rather than duplicated.
# ("removed" listings are deleted ones: they are not brought back.)
_STATES: Final = ("active", "draft", "inactive", "sold_out", "expired")
# Etsy's rate-limit headers (developers.etsy.com "Rate limits"), kept in EtsyMarketplace.quota.
_QUOTA_HEADERS: Final = (
    *("x-limit-per-second", "x-remaining-this-second", "x-limit-per-day", "x-remaining-today"),
)
# Our states for Etsy's. A sold-out listing is still shown, with stock 0.
_OUR_STATE: Final = {"active": "active", "sold_out": "active", "draft": "draft"}
_PAGE = 100  # the most getListingsByShop returns at once (its ``limit`` maximum)
# The fields Etsy's error messages name (createDraftListing's form, and the image upload's).
_FIELDS: Final = (
    *("quantity", "title", "description", "price", "who_made", "when_made", "taxonomy_id"),
    *("shipping_profile_id", "readiness_state_id", "is_supply", "tags", "image", "images"),
    *("sku", "state", "rank", "offerings", "products"),
)
_FIELD_WORD = re.compile(r"\b(" + "|".join(_FIELDS) + r")\b", re.IGNORECASE)


def _root(url: str) -> str:
    return url.rstrip("/")


@attrs.frozen(kw_only=True)
class EtsySettings:
    """The settings of one Etsy shop.

    Attributes:
        shop_id: the shop's numeric id.
        keystring: the app's API key (keystring) from developers.etsy.com "Your apps".
        shared_secret: the app's shared secret, from the same page; Etsy wants
            ``keystring:shared_secret`` in every request's ``x-api-key``.
        refresh_token: the shop owner's OAuth refresh token (scopes ``listings_r`` and
            ``listings_w``; ``listings_d`` is not needed).
        access_token: a current access token, if at hand (otherwise one is fetched).
        taxonomy_id: Etsy's category for the listings (``getSellerTaxonomyNodes``); a draft's
            ``extra["etsy"]["taxonomy_id"]`` wins.
        shipping_profile_id: the shop's shipping profile for the listings; Etsy requires one
            for physical listings (createDraftListing), so a new listing without it is refused
            before anything is sent.
        readiness_state_id: the shop's processing profile ("ready to ship in N days"), which
            every offering of the inventory carries (updateListingInventory).
        currency: the shop's currency, when known: drafts in another one are refused locally.
        base_url: the API root.
        token_url: where tokens are refreshed (``base_url`` + :data:`ETSY_TOKEN_PATH`).
    """

    shop_id: int
    keystring: Secret = attrs.field(repr=False)
    shared_secret: Secret = attrs.field(repr=False)
    refresh_token: Secret = attrs.field(repr=False)
    access_token: Secret | None = attrs.field(default=None, repr=False)
    taxonomy_id: int | None = attrs.field(default=None, repr=False)
    shipping_profile_id: int | None = attrs.field(default=None, repr=False)
    readiness_state_id: int | None = attrs.field(default=None, repr=False)
    currency: str | None = attrs.field(default=None, repr=False)
    base_url: str = attrs.field(default=DEFAULT_ETSY_URL, converter=_root)
    token_url: str | None = attrs.field(default=None, repr=False)
