"""Shopee's regions: currency, languages and prices per region."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from ruralseller.errors import (
    InvalidValueError,
)
from ruralseller.marketplaces.secrets import Secret

__all__ = [
    "SHOPEE_REGIONS",
    "ShopeeRegion",
]

# --- regions ---------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ShopeeRegion:
    """One Shopee market: its currency, the languages listings are written in, its site.

    Attributes:
        code: the region code, e.g. ``"SG"``.
        currency: the currency every price there is in.
        locales: the draft locales a listing there may be written in, preferred first.
        decimals: whether prices may have cents; elsewhere Shopee rounds to whole units
            ("Creating product" guide, §4 Uploading price: only SG, MY, BR (and MX, PL) take
            two decimals).
        site: the buyer site's host, for the listing's link.
    """

    code: str
    currency: str
    locales: tuple[str, ...]
    decimals: bool
    site: str


#: The regions this adapter lists in, from the ``shopee`` listing profile (whose source says
#: "Regions SG, MY, PH (en, ms), TH, VN, ID, TW (zh-TW) and BR (pt-BR) with their currencies").
SHOPEE_REGIONS: Mapping[str, ShopeeRegion] = {
    region.code: region
    for region in (
        ShopeeRegion(code="SG", currency="SGD", locales=("en",), decimals=True, site="shopee.sg"),
        ShopeeRegion(
            code="MY", currency="MYR", locales=("en", "ms"), decimals=True, site="shopee.com.my"
        ),
        ShopeeRegion(code="PH", currency="PHP", locales=("en",), decimals=False, site="shopee.ph"),
        ShopeeRegion(
            code="TH", currency="THB", locales=("th", "en"), decimals=False, site="shopee.co.th"
        ),
        ShopeeRegion(code="VN", currency="VND", locales=("vi",), decimals=False, site="shopee.vn"),
        ShopeeRegion(
            code="ID", currency="IDR", locales=("id",), decimals=False, site="shopee.co.id"
        ),
        ShopeeRegion(
            code="TW", currency="TWD", locales=("zh-TW",), decimals=False, site="shopee.tw"
        ),
        ShopeeRegion(
            code="BR", currency="BRL", locales=("pt-BR",), decimals=True, site="shopee.com.br"
        ),
    )
}


def _region(code: str) -> ShopeeRegion:
    region = SHOPEE_REGIONS.get(code.strip().upper()) if isinstance(code, str) else None
    if region is None:
        names = ", ".join(SHOPEE_REGIONS)
        raise InvalidValueError(
            f"Shopee has no region {code!r} in this adapter; it lists in {names}",
            field="region",
            hint=f"give the shop's region, one of {names}",
        )
    return region


def _secret(value: Secret | str) -> Secret:
    return value if isinstance(value, Secret) else Secret(value)


def _maybe_secret(value: Secret | str | None) -> Secret | None:
    return None if value is None else _secret(value)
