"""The settings of one Shopee account, checked as they are given."""

from __future__ import annotations

from typing import Any

import attrs

from ruralseller.marketplaces.secrets import Secret

__all__ = [
    "ShopeeSettings",
]

_STATES = {"NORMAL": "active", "UNLIST": "withdrawn", "BANNED": "withdrawn", "REVIEWING": "draft"}
_LIVE_STATUSES = ("NORMAL", "UNLIST", "BANNED", "REVIEWING")


def _int_tuple(values: Any) -> tuple[int, ...]:
    return tuple(int(value) for value in values)


@attrs.frozen(kw_only=True)
class ShopeeSettings:
    """The settings of one Shopee shop in one region.

    Attributes:
        partner_id: the app's partner id (Open Platform console, app list).
        partner_key: the app's partner key (a :class:`Secret`, or a string to wrap).
        shop_id: the shop that authorised the app.
        access_token: the shop's access token (from ``v2.auth.token.get``).
        refresh_token: the shop's refresh token; with it an expired access token is renewed.
        token_expires_at: when the access token expires, seconds since the epoch, if known.
        category_id: the Shopee leaf category every listing goes in.
        logistic_ids: the logistics channels to enable on each listing.
        region: the shop's region, one of :data:`SHOPEE_REGIONS` (sets currency and language).
        locale: the draft text to send; by default the region's first language the draft has.
        brand_id: the brand to send, for categories that require one.
        brand_name: the brand's name (``original_brand_name``); the producer's by default,
            ``NoBrand`` for brand 0.
        attributes: the category's attributes sent with every listing, by attribute id: a
            value id, or a text (``v2.product.get_attribute_tree`` lists the mandatory ones);
            a draft's ``extra["shopee"]["attributes"]`` adds to them.
        sandbox: talk to Shopee's sandbox (:data:`SHOPEE_SANDBOX_URL`).
        base_url: another API host (overrides ``sandbox``).
    """

    base_url: str | None = None
    partner_id: int
    shop_id: int
    region: str = "SG"
    partner_key: Secret = attrs.field(repr=False)
    access_token: Secret = attrs.field(repr=False)
    refresh_token: Secret | None = attrs.field(default=None, repr=False)
    token_expires_at: float | None = attrs.field(default=None, repr=False)
    category_id: int = attrs.field(repr=False)
    logistic_ids: tuple[int, ...] = attrs.field(converter=_int_tuple, repr=False)
    locale: str | None = attrs.field(default=None, repr=False)
    brand_id: int | None = attrs.field(default=None, repr=False)
    brand_name: str | None = attrs.field(default=None, repr=False)
    attributes: dict[int, int | str] = attrs.field(factory=dict, repr=False)
    sandbox: bool = attrs.field(default=False, repr=False)
