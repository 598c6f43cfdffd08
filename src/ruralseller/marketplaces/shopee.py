"""The adapter for Shopee Open Platform v2 (one shop in one region: SG, MY, PH, TH, VN, ID, TW, BR).

Shopee has no machine-readable spec; what is encoded here follows Shopee's own guides ("API
calls", "Authorization and Authentication", "Creating product", "Stock & Price Management" at
open.shopee.com) and its v2 API reference (``v2.product.add_item``). The flow for one listing:

1. each picture goes to ``POST /api/v2/media_space/upload_image`` (multipart ``image``), which
   answers an ``image_id``;
2. ``POST /api/v2/product/add_item`` makes the item (:func:`add_item_payload` shows the body),
   or, when our SKU is already listed, ``update_item``, ``update_price`` and ``update_stock``
   bring it up to date and ``unlist_item`` (``unlist: false``) puts it back on sale;
3. ``unlist_item`` (``unlist: true``) takes it off sale.

``add_item`` has no idempotency key, so a create whose answer is lost is looked up by our SKU
before it is sent again (:func:`~ruralseller.marketplaces.http.create_once`): the lookup is
``GET /api/v2/product/search_item?item_sku=...`` followed by ``get_item_base_info`` to keep only
exact SKU matches (search may match more loosely). One call finds the item however large the
shop is, where paging through ``get_item_list`` would cost a call per 100 items.

Every request is signed (:class:`ShopeeAuth`); errors come in the body, often with HTTP 200
(:func:`shopee_error` maps them); an expired access token is refreshed with the refresh token
and the call sent again.

Example:
    >>> shopee = ShopeeMarketplace(partner_id=2001887, partner_key="key", shop_id=14701711,
    ...                            access_token="token", category_id=100629,
    ...                            logistic_ids=[18028], region="SG")
    >>> shopee.capabilities.names()
    ('multi_step_publish', 'image_upload', 'withdraw', 'stock_and_price')
    >>> shopee
    ShopeeMarketplace(base_url='https://partner.shopeemobile.com', partner_id=2001887, \
shop_id=14701711, region='SG')
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import re
import time
import weakref
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar

import attrs
import httpx

from ruralseller.catalog import Mass, Money
from ruralseller.errors import (
    InvalidValueError,
    ListingRejectedError,
    MarketplaceAuthError,
    MarketplaceError,
    MarketplaceUnavailableError,
    RateLimitedError,
)
from ruralseller.listing import (
    IssueSeverity,
    ListingDraft,
    ListingIssue,
    LocalizedText,
    ProcessedImage,
    validate_draft,
)
from ruralseller.marketplaces.base import Capabilities, ListingState, guard_answers, image_name
from ruralseller.marketplaces.driver import Driver
from ruralseller.marketplaces.http import create_once
from ruralseller.marketplaces.retry import parse_retry_after
from ruralseller.marketplaces.secrets import Secret, redact_headers, redact_text

__all__ = [
    "SHOPEE_DEFAULT_RATE",
    "SHOPEE_PRODUCTION_URL",
    "SHOPEE_REGIONS",
    "SHOPEE_SANDBOX_URL",
    "TIMESTAMP_VALIDITY",
    "ShopeeAuth",
    "ShopeeMarketplace",
    "ShopeeRegion",
    "ShopeeSettings",
    "ShopeeTokens",
    "add_item_payload",
    "base_string",
    "item_weight_kg",
    "shopee_error",
    "shopee_price",
    "sign",
    "stock_payload",
    "unlist_payload",
    "update_item_payload",
    "update_price_payload",
]

logger = logging.getLogger("ruralseller.marketplaces")

#: Shopee's production host for developers near Singapore ("API calls" guide, API domains).
#: Shopee also runs https://openplatform.shopee.cn (Chinese Mainland) and
#: https://openplatform.shopee.com.br (near the US); pass one as ``base_url``.
SHOPEE_PRODUCTION_URL = "https://partner.shopeemobile.com"
#: Shopee's sandbox ("API calls" guide, last updated 2025-11-21, and the "Authorization and
#: Authentication" guide). ``partner.test-stable.shopeemobile.com`` is the older
#: host; developers report it now refuses every signature with "Wrong sign", so it is not the
#: default (pass it as ``base_url`` if your test app still lives there).
SHOPEE_SANDBOX_URL = "https://openplatform.sandbox.test-stable.shopee.sg"
#: Requests per second we allow ourselves per shop. Shopee publishes no limit; a python-shopee
#: user saw about 100 per second accepted (JimCurryWang/python-shopee#54, unverified). We
#: stay at a tenth of that: a village uplink gains nothing from more, and a throttled account
#: costs more than it saves.
SHOPEE_DEFAULT_RATE = 10.0
#: Seconds a signed timestamp stays valid ("API calls" guide: "within 5 minutes").
TIMESTAMP_VALIDITY = 300

# Paths signed as public calls (partner_id + path + timestamp): the token calls and the
# public module ("API calls" guide, types of Open API).
_PUBLIC_PATHS = frozenset(
    {"/api/v2/auth/token/get", "/api/v2/auth/access_token/get", "/api/v2/shop/auth_partner"}
)
_REFRESH_PATH = "/api/v2/auth/access_token/get"
_UPLOAD_IMAGE = "/api/v2/media_space/upload_image"
_ADD_ITEM = "/api/v2/product/add_item"
_UPDATE_ITEM = "/api/v2/product/update_item"
_UPDATE_STOCK = "/api/v2/product/update_stock"
_UPDATE_PRICE = "/api/v2/product/update_price"
_UNLIST_ITEM = "/api/v2/product/unlist_item"
_SEARCH_ITEM = "/api/v2/product/search_item"
_BASE_INFO = "/api/v2/product/get_item_base_info"
# get_item_base_info takes at most 50 ids, search_item pages of at most 100 (Shopee's product
# API reference as mirrored by congminh1254/shopee-sdk src/schemas/product.ts).
_BASE_INFO_BATCH = 50
_SEARCH_PAGE = 100
_SEARCH_PAGES_MAX = 10
# Refresh this long before the token's stated expiry, so a call never races it.
_REFRESH_MARGIN = 60.0


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


# --- signing ---------------------------------------------------------------------------------


def base_string(
    partner_id: int,
    path: str,
    timestamp: int,
    access_token: str | None = None,
    shop_id: int | None = None,
) -> str:
    """The text Shopee's signature covers ("API calls" guide, step 1).

    Public calls: ``partner_id + api_path + timestamp``; shop calls add
    ``access_token + shop_id``.

    >>> base_string(2001887, "/api/v2/public/get_shops_by_partner", 1655714431)
    '2001887/api/v2/public/get_shops_by_partner1655714431'
    >>> base_string(2001887, "/api/v2/shop/get_shop_info", 1655714431,
    ...             "59777174636562737266615546704c6d", 14701711)
    '2001887/api/v2/shop/get_shop_info165571443159777174636562737266615546704c6d14701711'
    """
    text = f"{partner_id}{path}{timestamp}"
    if access_token is not None:
        text += f"{access_token}{shop_id if shop_id is not None else ''}"
    return text


def sign(partner_key: Secret | str, message: str) -> str:
    """Lowercase hex HMAC-SHA256 of ``message`` keyed with the partner key (RFC 2104).

    >>> sign("testkey", base_string(2001887, "/api/v2/product/add_item", 1655714431,
    ...      "59777174636562737266615546704c6d", 14701711))
    'a9748bcb189b2eedd0f4f0cf7bca4940eb3b8795d92b683a7b3f7c9697aabe1f'
    """
    key = partner_key.reveal() if isinstance(partner_key, Secret) else partner_key
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


@attrs.define(kw_only=True)
class ShopeeTokens:
    """A shop's access token and refresh token, as they change over time.

    The access token lives 4 hours, the refresh token 30 days, and each refresh hands out a
    new pair ("Authorization and Authentication" guide, getting and refreshing the
    access_token). The adapter replaces them here when it refreshes; pass ``on_refresh`` to
    the adapter to store the new pair.

    Attributes:
        access_token: the token shop calls are signed with.
        refresh_token: the token to get a new access token with, if known.
        expires_at: when the access token expires (seconds since the epoch), if known.
    """

    access_token: Secret = attrs.field(converter=_secret)
    refresh_token: Secret | None = attrs.field(default=None, converter=_maybe_secret)
    expires_at: float | None = None


class ShopeeAuth(httpx.Auth):
    """Signs each request as Shopee v2 expects ("API calls" guide).

    ``partner_id``, ``timestamp`` and ``sign`` go in the query string, plus ``access_token``
    and ``shop_id`` for shop calls; the signature is :func:`sign` over :func:`base_string`.
    It runs again on every retry, so each try carries a fresh timestamp (Shopee refuses one
    older than :data:`TIMESTAMP_VALIDITY`), and it reads the current access token from
    ``tokens`` each time, so a refreshed token is used at once.
    """

    def __init__(
        self,
        partner_id: int,
        partner_key: Secret,
        *,
        shop_id: int,
        tokens: ShopeeTokens,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.partner_id = partner_id
        self.shop_id = shop_id
        self._partner_key = partner_key
        self._tokens = tokens
        self._clock = clock

    def __repr__(self) -> str:
        return f"ShopeeAuth(partner_id={self.partner_id!r}, shop_id={self.shop_id!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the common parameters and the signature to ``request``'s query string."""
        path = request.url.path
        timestamp = int(self._clock())
        params: dict[str, str | int] = {"partner_id": self.partner_id, "timestamp": timestamp}
        if path in _PUBLIC_PATHS or path.startswith("/api/v2/public/"):
            message = base_string(self.partner_id, path, timestamp)
        else:
            token = self._tokens.access_token.reveal()
            message = base_string(self.partner_id, path, timestamp, token, self.shop_id)
            params |= {"access_token": token, "shop_id": self.shop_id}
        params["sign"] = sign(self._partner_key, message)
        url = request.url
        for name, value in params.items():
            url = url.copy_set_param(name, value)
        request.url = url
        yield request


# --- mapping: ListingDraft -> Shopee ---------------------------------------------------------

# Shopee's field names and ours, to key a refusal by both ("item_name (title)").
_FIELDS = {
    "item_name": "title",
    "description": "description",
    "original_price": "price",
    "seller_stock": "stock",
    "stock": "stock",
    "image_id_list": "images",
    "image": "images",
    "weight": "net_weight",
    "item_sku": "sku",
    "category_id": "category_id",
    "logistic_info": "logistic_ids",
    "logistic_id": "logistic_ids",
    "brand": "brand",
    "attribute_list": "attributes",
}
_FIELD_RE = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _FIELDS), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


def item_weight_kg(draft: ListingDraft) -> Decimal:
    """The parcel weight Shopee asks for (``weight``, in kg), from the draft.

    The packed weight of one sale unit (``draft.shipping_weight``) when the draft has it.
    Otherwise, when the draft sells by mass (``sale_unit`` such as ``1 jin``), that mass;
    otherwise the heaviest piece of the ``net_weight`` attribute (so a buyer's shipping is
    never under-quoted).

    Raises:
        InvalidValueError: when neither says a weight.

    >>> from ruralseller.catalog import Money
    >>> from ruralseller.listing import Attribute, ListingDraft, LocalizedText
    >>> text = LocalizedText(locale="en", title="Hen", description="A hen.",
    ...     description_html="<p>A hen.</p>",
    ...     attributes=[Attribute("net_weight", "Net weight", "1-1.4 kg", "1 kg..1.4 kg")])
    >>> draft = ListingDraft(sku="H1", lot="H1", product="hen", kind="poultry_meat",
    ...     texts={"en": text}, price=Money("9.90", "SGD"), sale_unit="piece", stock=3)
    >>> item_weight_kg(draft)
    Decimal('1.4')
    >>> import attrs
    >>> item_weight_kg(attrs.evolve(draft, sale_unit="1 jin"))
    Decimal('0.5')
    >>> item_weight_kg(attrs.evolve(draft, shipping_weight=Mass("1.9", "kg")))
    Decimal('1.9')
    """
    if draft.shipping_weight is not None:
        return draft.shipping_weight.to("kg").decimal()
    try:
        unit = Mass.parse(draft.sale_unit)
    except InvalidValueError:
        unit = None
    if unit is not None:
        return unit.to("kg").decimal()
    for text in draft.texts.values():
        attribute = text.attribute("net_weight")
        if attribute is not None and attribute.raw:
            heaviest = attribute.raw.split("..")[-1]
            return Mass.parse(heaviest).to("kg").decimal()
    raise InvalidValueError(
        f"the draft for {draft.sku} says no weight: Shopee needs the parcel weight in kg",
        field="net_weight",
        hint="give the lot's piece weight in the catalogue (it becomes the net_weight "
        "attribute), or sell it by mass",
    )


def shopee_price(price: Money, region: ShopeeRegion) -> float | int:
    """The price as Shopee's ``original_price`` takes it in ``region``: a JSON number.

    Only SG, MY and BR take cents; elsewhere the amount must be whole ("Creating product"
    guide, §4), and a fraction is refused here rather than silently rounded by Shopee.

    >>> shopee_price(Money("9.90", "SGD"), SHOPEE_REGIONS["SG"])
    9.9
    >>> shopee_price(Money("45000", "VND"), SHOPEE_REGIONS["VN"])
    45000
    """
    if price.currency != region.currency:
        raise InvalidValueError(
            f"the price is in {price.currency}, but a Shopee {region.code} shop sells in "
            f"{region.currency}",
            field="price",
            hint=f"price the offer in {region.currency} (convert and round), or use a shop "
            f"in a region that sells in {price.currency}",
        )
    if region.decimals:
        return float(price.rounded().amount)
    if price.amount != price.amount.to_integral_value():
        raise InvalidValueError(
            f"the price {price} has a fraction; Shopee {region.code} takes whole "
            f"{region.currency} only",
            field="price",
            hint=f"round the price to a whole number of {region.currency}",
        )
    return int(price.amount)


def _text(draft: ListingDraft, region: ShopeeRegion, locale: str | None) -> LocalizedText:
    wanted = (locale,) if locale else region.locales
    for candidate in wanted:
        try:
            return draft.text(candidate)
        except KeyError:
            continue
    raise InvalidValueError(
        f"the draft for {draft.sku} has no text in {', '.join(wanted)} for Shopee "
        f"{region.code}; it has {', '.join(draft.texts) or 'none'}",
        field="texts",
        hint=f"generate the listing in {wanted[0]}",
    )


def add_item_payload(  # noqa: PLR0913 - keyword-only, each one a Shopee field's source
    draft: ListingDraft,
    *,
    image_ids: Sequence[str],
    category_id: int,
    logistic_ids: Sequence[int],
    region: str = "SG",
    locale: str | None = None,
    brand_id: int | None = None,
    brand_name: str | None = None,
    attributes: Mapping[int, int | str] | None = None,
) -> dict[str, Any]:
    """The body of ``POST /api/v2/product/add_item`` for ``draft`` (v2.product.add_item).

    The price is the price of one sale unit. A brand goes with its name
    (``original_brand_name``, required with ``brand_id``: the name given, else the
    producer's; ``NoBrand`` for brand 0). ``attributes`` become ``attribute_list`` (attribute id
    to value id, or to a text value for free-text attributes; the category's mandatory ones
    are listed by ``v2.product.get_attribute_tree``), and the draft's GTIN becomes
    ``gtin_code``.

    Args:
        draft: the listing draft.
        image_ids: the ``image_id`` of each uploaded picture, main picture first.
        category_id: the Shopee leaf category (``v2.product.get_category``); Shopee refuses a
            non-leaf one ("Creating product" guide, §2.1).
        logistic_ids: the shop's enabled channels (``v2.logistics.get_channel_list``).
        region: the shop's region (see :data:`SHOPEE_REGIONS`).
        locale: the draft text to send; by default the region's first language the draft has.
        brand_id: the Shopee brand, for categories that require one (``0`` is "No brand").
        brand_name: the brand's name as Shopee lists it (``v2.product.get_brand_list``).
        attributes: the category's attributes, by attribute id: a value id, or a text.

    Example:
        >>> import datetime as dt, attrs
        >>> from ruralseller.catalog import Money, load_catalog
        >>> from ruralseller.catalog.samples import sample_path
        >>> from ruralseller.listing import generate_listing
        >>> draft = generate_listing(load_catalog(sample_path()), "WJ261120A",
        ...                          on=dt.date(2026, 11, 21))
        >>> draft = attrs.evolve(draft, price=Money("9.90", "SGD"), price_per_kg=None)
        >>> body = add_item_payload(draft, image_ids=["sg-1"], category_id=100629,
        ...                         logistic_ids=[18028])
        >>> body["item_name"], body["original_price"], body["weight"], body["item_sku"]
        ('Taihe black-bone silkie chicken, whole, chilled, 1-1.4 kg each, from Jiangxi', 9.9, \
0.5, 'WJ261120A')
        >>> body["seller_stock"], body["image"], body["logistic_info"]
        ([{'stock': 40}], {'image_id_list': ['sg-1']}, [{'logistic_id': 18028, 'enabled': True}])
    """
    where = _region(region)
    text = _text(draft, where, locale)
    if not image_ids:
        raise InvalidValueError(
            f"the listing for {draft.sku} has no pictures; Shopee needs at least one",
            field="images",
            hint="process the product's pictures and pass them to upsert()",
        )
    if not logistic_ids:
        raise InvalidValueError(
            "no Shopee logistics channel is set; a listing needs at least one",
            field="logistic_ids",
            hint="give logistic_ids from the shop's v2.logistics.get_channel_list",
        )
    body: dict[str, Any] = {
        "item_name": text.title,
        "description": text.description,
        "original_price": shopee_price(draft.price, where),
        "seller_stock": [{"stock": draft.stock}],
        "weight": float(item_weight_kg(draft)),
        "item_sku": draft.sku,
        "category_id": category_id,
        "image": {"image_id_list": list(image_ids)},
        "logistic_info": [{"logistic_id": int(i), "enabled": True} for i in logistic_ids],
        "condition": "NEW",
        "item_status": "NORMAL",
    }
    if brand_id is not None:
        body["brand"] = {
            "brand_id": brand_id,
            "original_brand_name": _brand_name(draft, text, brand_id, brand_name),
        }
    given = {**(attributes or {}), **_extra_attributes(draft)}
    if given:
        body["attribute_list"] = [_attribute(int(key), value) for key, value in given.items()]
    if draft.gtin:
        body["gtin_code"] = draft.gtin
    return body


def _brand_name(draft: ListingDraft, text: LocalizedText, brand_id: int, name: str | None) -> str:
    if name:
        return name
    if brand_id == 0:
        return "NoBrand"  # Shopee's name of brand 0 ("Creating product" guide, brand)
    producer = text.attribute("producer")
    if producer is None or not producer.value:
        raise InvalidValueError(
            f"Shopee needs the name of brand {brand_id} (original_brand_name) and the draft for "
            f"{draft.sku} names no producer",
            field="brand_name",
            hint="set the adapter's brand_name to the brand's name in v2.product.get_brand_list",
        )
    return producer.value


def _extra_attributes(draft: ListingDraft) -> dict[int, int | str]:
    extra = draft.extra.get("shopee", {})
    given = extra.get("attributes", {}) if isinstance(extra, Mapping) else {}
    try:
        return {int(key): value for key, value in dict(given).items()}
    except (TypeError, ValueError):
        raise InvalidValueError(
            f"draft.extra['shopee']['attributes'] must map attribute ids to values, got {given!r}",
            field="extra.shopee.attributes",
        ) from None


def _attribute(attribute_id: int, value: int | str) -> dict[str, Any]:
    if isinstance(value, int) and not isinstance(value, bool):
        return {"attribute_id": attribute_id, "attribute_value_list": [{"value_id": value}]}
    return {
        "attribute_id": attribute_id,
        # A free-text attribute takes value_id 0 and the text ("Creating product" guide).
        "attribute_value_list": [{"value_id": 0, "original_value_name": str(value)}],
    }


def update_item_payload(
    item_id: int,
    draft: ListingDraft,
    *,
    image_ids: Sequence[str] = (),
    **options: Any,
) -> dict[str, Any]:
    """The body of ``POST /api/v2/product/update_item``: what add_item sends, for ``item_id``.

    Price and stock are left out (``update_price`` and ``update_stock`` change them, "Stock
    & Price Management" guide), and so is ``item_status`` (``unlist_item`` changes it). With
    no ``image_ids`` the item keeps its pictures. ``options`` are :func:`add_item_payload`'s.
    """
    body = add_item_payload(draft, image_ids=image_ids or ["-"], **options)
    for name in ("original_price", "seller_stock", "item_status"):
        body.pop(name)
    if not image_ids:
        body.pop("image")
    return {"item_id": item_id, **body}


def stock_payload(item_id: int, stock: int) -> dict[str, Any]:
    """The body of ``POST /api/v2/product/update_stock`` for an item without variants.

    ("Stock & Price Management" guide, §5.1.)

    >>> stock_payload(1000, 12)
    {'item_id': 1000, 'stock_list': [{'seller_stock': [{'stock': 12}]}]}
    """
    return {"item_id": item_id, "stock_list": [{"seller_stock": [{"stock": stock}]}]}


def update_price_payload(item_id: int, price: Money, region: str = "SG") -> dict[str, Any]:
    """The body of ``POST /api/v2/product/update_price`` for an item without variants.

    ("Stock & Price Management" guide, §2.1.)

    >>> update_price_payload(1000, Money("11.11", "SGD"))
    {'item_id': 1000, 'price_list': [{'original_price': 11.11}]}
    """
    return {
        "item_id": item_id,
        "price_list": [{"original_price": shopee_price(price, _region(region))}],
    }


def unlist_payload(item_id: int, *, unlist: bool = True) -> dict[str, Any]:
    """The body of ``POST /api/v2/product/unlist_item``: off sale, or back on (``unlist=False``).

    >>> unlist_payload(1000)
    {'item_list': [{'item_id': 1000, 'unlist': True}]}
    """
    return {"item_list": [{"item_id": item_id, "unlist": unlist}]}


# --- errors: Shopee's body -> our error tree -------------------------------------------------

# Shopee's codes for a token that is expired or wrong; "invalid_acceess_token" is Shopee's own
# spelling, seen by many integrators (e.g. the token-refresh checks in public Shopee clients).
_TOKEN_CODES = frozenset({"invalid_access_token", "invalid_acceess_token", "error_token"})
_AUTH_CODES = frozenset({"error_auth", "error_sign", "error_permission", "invalid_partner_id"})
_RATE_CODES = frozenset({"error_rate_limit", "error_too_many_request", "error_frequency"})
_SERVER_CODES = frozenset({"error_server", "error_inner", "error_network", "error_system"})
_RATE_WORDS = ("too many request", "rate limit", "too frequent", "frequency limit")
_HTTP_TOO_MANY = 429
_HTTP_SERVER_ERROR = 500


class _TokenRejectedError(MarketplaceAuthError):
    """The access token expired or was revoked: the adapter refreshes it and tries again."""


def _is_token_problem(code: str, message: str) -> bool:
    lowered = message.lower()
    return code in _TOKEN_CODES or (
        code in {"error_auth", "error_param"} and "access_token" in lowered.replace(" ", "_")
    )


def _field_errors(message: str, code: str) -> dict[str, str]:
    found = {m.group(1).lower() for m in _FIELD_RE.finditer(message)}
    if not found:
        return {code: message}
    return {f"{name} ({_FIELDS[name]})": message for name in sorted(found)}


def shopee_error(
    response: httpx.Response, *, secrets: Iterable[Secret | str] = ()
) -> MarketplaceError | None:
    """The error a Shopee response stands for, or ``None`` when its ``error`` is empty.

    Shopee answers ``{"error": "...", "message": "...", "request_id": "..."}``, often with
    HTTP 200; an empty ``error`` means success ("API calls" guide, API response parameters).
    A response without that body is left to the shared status-code mapping.

    Example:
        >>> import httpx
        >>> error = shopee_error(httpx.Response(200, json={
        ...     "error": "product.error_param", "request_id": "r1",
        ...     "message": "item_name length should be less than 100"}))
        >>> type(error).__name__, error.field_errors
        ('ListingRejectedError', {'item_name (title)': 'item_name length should be less than 100'})
    """
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        body = None
    status = response.status_code
    code = str(body.get("error") or "") if isinstance(body, dict) else ""
    if not code:
        return None
    secrets = list(secrets)
    said = redact_text(str(body.get("message") or ""), secrets)
    request_id = body.get("request_id") or response.headers.get("x-request-id")
    common: dict[str, Any] = {
        "marketplace": "shopee",
        "status": status,
        "code": code,
        "request_id": str(request_id) if request_id else None,
        "headers": redact_headers(response.headers),
    }
    tail = f" (shopee said: {code}: {said})" if said else f" (shopee said: {code})"
    ref = f" [HTTP {status}" + (f", request id {request_id}]" if request_id else "]")
    bare = code.rsplit(".", 1)[-1]
    lowered = f"{code} {said}".lower()
    if (
        status == _HTTP_TOO_MANY
        or bare in _RATE_CODES
        or any(word in lowered for word in _RATE_WORDS)
    ):
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        wait = f"wait {retry_after:g} s and " if retry_after is not None else "wait and "
        return RateLimitedError(
            f"shopee is limiting how fast we send: {wait}try again{tail}{ref}",
            retry_after=retry_after,
            **common,
        )
    if _is_token_problem(bare, said):
        return _TokenRejectedError(
            "shopee did not accept the shop's access token: it expired or was revoked; give "
            "the adapter a refresh_token so it renews it, or authorise the shop again"
            f"{tail}{ref}",
            **common,
        )
    if bare in {"error_param", "error_auth"} and "timestamp" in said.lower():
        return MarketplaceAuthError(
            "shopee refused the request's timestamp (it must be within 5 minutes of Shopee's "
            f"clock): set this computer's clock right, then try again{tail}{ref}",
            **common,
        )
    if bare in _AUTH_CODES:
        return MarketplaceAuthError(
            "shopee did not accept the credentials: check the partner id and partner key of "
            f"the app, and that the shop has authorised it{tail}{ref}",
            **common,
        )
    if bare in _SERVER_CODES or status >= _HTTP_SERVER_ERROR:
        return MarketplaceUnavailableError(
            "shopee is having trouble (server error); nothing to fix on our side, try again "
            f"later{tail}{ref}",
            **common,
        )
    if "param" in bare or bare.startswith(("error_item", "error_data", "error_category")):
        fields = _field_errors(said, code)
        listed = "; ".join(f"{k}: {v}" for k, v in fields.items())
        return ListingRejectedError(
            f"shopee rejected the listing: {listed}; fix these and publish again{ref}",
            field_errors=fields,
            **common,
        )
    return MarketplaceError(f"shopee refused the request{tail}{ref}", **common)


class _RedactHttpxLog(logging.Filter):
    """Keeps the access token out of httpx's request log (Shopee puts it in the URL)."""

    def __init__(self, marketplace: ShopeeMarketplace) -> None:
        super().__init__()
        self._marketplace = weakref.ref(marketplace)

    def filter(self, record: logging.LogRecord) -> bool:
        marketplace = self._marketplace()
        if marketplace is not None:
            text = record.getMessage()
            redacted = redact_text(text, marketplace._secrets())  # noqa: SLF001 - its own helper
            if redacted != text:
                record.msg, record.args = redacted, ()
        return True


# --- the adapter -----------------------------------------------------------------------------

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


@guard_answers
class ShopeeMarketplace(Driver[ShopeeSettings]):
    """Publishes to one Shopee shop through Open Platform v2.

    Its settings are :class:`ShopeeSettings`; the wiring (``retry``, ``rate``, ``transport``,
    ``timeout``, ``sleep``, ``clock``) is the :class:`~ruralseller.marketplaces.driver.Driver`'s:
    ``rate`` is requests per second to stay under (:data:`SHOPEE_DEFAULT_RATE`), shared by
    every adapter for the same host and shop; ``clock`` times signatures and token expiry.

    Args:
        on_token_refresh: called with the new :class:`ShopeeTokens` after each refresh, so
            they can be stored (Shopee hands out a new refresh token each time).
    """

    name: ClassVar[str] = "shopee"
    capabilities: ClassVar[Capabilities] = Capabilities(
        multi_step_publish=True,
        image_upload=True,
        native_idempotency=False,
        withdraw=True,
        stock_and_price=True,
    )

    settings_class: ClassVar[type[ShopeeSettings]] = ShopeeSettings
    default_rate: ClassVar[float] = SHOPEE_DEFAULT_RATE

    def __init__(
        self,
        *args: Any,
        on_token_refresh: Callable[[ShopeeTokens], None] | None = None,
        **kwargs: Any,
    ) -> None:
        self._on_token_refresh = on_token_refresh
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        """The shop's settings as attributes, and its tokens."""
        settings = self.settings
        self.region = _region(settings.region)
        self.partner_id = settings.partner_id
        self.shop_id = settings.shop_id
        self.category_id = settings.category_id
        self.logistic_ids = settings.logistic_ids
        self.locale = settings.locale
        self.brand_id = settings.brand_id
        self.brand_name = settings.brand_name
        self.attributes = dict(settings.attributes)
        default_url = SHOPEE_SANDBOX_URL if settings.sandbox else SHOPEE_PRODUCTION_URL
        self.base_url = (settings.base_url or default_url).rstrip("/")
        self.tokens = ShopeeTokens(
            access_token=settings.access_token,
            refresh_token=settings.refresh_token,
            expires_at=settings.token_expires_at,
        )
        self._partner_key = settings.partner_key
        self._clock = self.clock
        self._refresh_lock = asyncio.Lock()
        self._image_ids: dict[str, str] = {}

    def make_auth(self) -> httpx.Auth:
        """Shopee's v2 signature (:class:`ShopeeAuth`)."""
        return ShopeeAuth(
            self.partner_id,
            self._partner_key,
            shop_id=self.shop_id,
            tokens=self.tokens,
            clock=self.clock,
        )

    def account_key(self) -> str:
        """The host and the shop."""
        return f"{self.base_url} {self.shop_id}"

    def secrets(self) -> list[Secret]:
        """The partner key (the tokens, which change, are scrubbed by :meth:`classify`)."""
        return [self._partner_key]

    def classify(self, response: httpx.Response) -> MarketplaceError | None:
        """Shopee's errors, in the body (:func:`shopee_error`)."""
        return shopee_error(response, secrets=self._secrets())

    def connected(self) -> None:
        """Scrub the access token, which Shopee wants in the URL, from httpx's log."""
        self._log_filter = _RedactHttpxLog(self)
        logging.getLogger("httpx").addFilter(self._log_filter)

    def __repr__(self) -> str:
        return (
            f"ShopeeMarketplace(base_url={self.base_url!r}, partner_id={self.partner_id!r}, "
            f"shop_id={self.shop_id!r}, region={self.region.code!r})"
        )

    def _secrets(self) -> list[Secret]:
        tokens = [self.tokens.access_token, self.tokens.refresh_token]
        return [self._partner_key, *(t for t in tokens if t is not None)]

    def _options(self) -> dict[str, Any]:
        return {
            "category_id": self.category_id,
            "logistic_ids": self.logistic_ids,
            "region": self.region.code,
            "locale": self.locale,
            "brand_id": self.brand_id,
            "brand_name": self.brand_name,
            "attributes": self.attributes,
        }

    async def validate(self, draft: ListingDraft) -> tuple[ListingIssue, ...]:
        """The issues Shopee would refuse or warn about, checked locally.

        The ``shopee`` profile's checks for the text sent (see ``locale``), plus this shop's:
        the price in the region's currency (whole units where Shopee takes no cents) and a
        weight Shopee can ship by.
        """
        try:
            locale = _text(draft, self.region, self.locale).locale
        except InvalidValueError as error:
            issues = [ListingIssue("texts", error.message, error.hint)]
            locale = None
        else:
            issues = []
        issues += validate_draft(draft, self.profile, locale=locale)
        for check in (
            lambda: shopee_price(draft.price, self.region),
            lambda: item_weight_kg(draft),
        ):
            try:
                check()
            except InvalidValueError as error:
                field = error.field or ""
                # The profile already says when the currency is not one Shopee sells in.
                if not any(i.field == field and i.severity is IssueSeverity.ERROR for i in issues):
                    issues.append(ListingIssue(field, error.message, error.hint))
        return tuple(issues)

    async def upsert(
        self, draft: ListingDraft, images: Sequence[ProcessedImage] = ()
    ) -> ListingState:
        """Create the item for ``draft.sku`` or bring it up to date, with pictures, on sale.

        A create whose answer is lost is looked up by SKU before it is sent again, so a
        retry never makes a second item.
        """
        options = self._options()
        add_item_payload(draft, image_ids=["-"], **options)  # refuse a bad draft before sending
        image_ids = await self._upload(images)
        found = await self._find(draft.sku)
        if found is None:
            body = add_item_payload(draft, image_ids=image_ids, **options)

            async def create() -> int:
                response = await self._call("POST", _ADD_ITEM, idempotent=False, json=body)
                return int(response.json()["response"]["item_id"])

            async def lookup() -> int | None:
                item = await self._find(draft.sku)
                return None if item is None else int(item["item_id"])

            item_id = await create_once(create, lookup)
        else:
            item_id = int(found["item_id"])
            body = update_item_payload(item_id, draft, image_ids=image_ids, **options)
            await self._call("POST", _UPDATE_ITEM, idempotent=True, json=body)
            now = self._state(found)
            await self._set_stock_and_price(item_id, draft.stock, draft.price, now=now)
            if found.get("item_status") == "UNLIST":
                await self._unlist(item_id, unlist=False)
        return await self._state_of(item_id, draft.sku)

    async def upload_images(self, sku: str, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        """Upload pictures and make them the item's pictures (in order); return their ids."""
        item = await self._require(sku)
        image_ids = await self._upload(images)
        if image_ids:
            body = {"item_id": int(item["item_id"]), "image": {"image_id_list": list(image_ids)}}
            await self._call("POST", _UPDATE_ITEM, idempotent=True, json=body)
        return image_ids

    async def set_stock(self, sku: str, stock: int, price: Money | None = None) -> ListingState:
        """Change the stock, and the price when given (in the region's currency).

        Only what differs from the item as Shopee holds it is written: a stock-only change is
        one ``update_stock``, a price-only change one ``update_price``.
        """
        if price is not None:
            shopee_price(price, self.region)  # refuse a wrong currency before sending
        item = await self._require(sku)
        item_id = int(item["item_id"])
        await self._set_stock_and_price(item_id, stock, price, now=self._state(item))
        return await self._state_of(item_id, sku)

    async def withdraw(self, sku: str) -> ListingState:
        """Take the item off sale (``unlist_item``); repeating it changes nothing."""
        item = await self._require(sku)
        item_id = int(item["item_id"])
        if item.get("item_status") != "UNLIST":
            await self._unlist(item_id, unlist=True)
        return await self._state_of(item_id, sku)

    async def fetch(self, sku: str) -> ListingState | None:
        """The item listed under ``sku``, or ``None`` when the shop has none."""
        item = await self._find(sku)
        return None if item is None else self._state(item)

    async def aclose(self) -> None:
        """Close the connections."""
        logging.getLogger("httpx").removeFilter(self._log_filter)
        await self.http.aclose()

    # --- requests ----------------------------------------------------------------------------

    async def _call(  # noqa: PLR0913 - keyword-only, as the HTTP layer's own
        self,
        method: str,
        path: str,
        *,
        idempotent: bool,
        json: Any = None,
        params: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send a shop call; refresh the access token when it expired, and send it again."""
        if self._token_expired():
            await self._refresh(self.tokens.access_token)
        used = self.tokens.access_token
        kwargs = {"json": json, "params": params, "content": content, "headers": headers}
        try:
            response = await self.http.request(method, path, idempotent=idempotent, **kwargs)
        except _TokenRejectedError:
            if self.tokens.refresh_token is None:
                raise
            await self._refresh(used)
            response = await self.http.request(method, path, idempotent=idempotent, **kwargs)
        return self._with_response(response, path)

    def _with_response(self, response: httpx.Response, path: str) -> httpx.Response:
        """``response``, when it carries Shopee's ``response`` object; else a clear error.

        Every successful v2 shop call answers ``{"error": "", "response": {...}}``. Without
        it nothing can be told of what Shopee did (a search without it is not "nothing
        found"), so the call fails as a marketplace error rather than a ``KeyError``.
        """
        try:
            body = response.json()
        except (ValueError, UnicodeDecodeError):
            body = None
        if isinstance(body, dict) and isinstance(body.get("response"), dict):
            return response
        raise MarketplaceError(
            f"shopee answered {path} without its 'response' object; nothing is assumed "
            "about what it did: try again later (report it if it keeps happening) "
            f"[HTTP {response.status_code}]",
            marketplace=self.name,
            status=response.status_code,
            code="unexpected_answer",
            request_id=body.get("request_id") if isinstance(body, dict) else None,
        )

    def _token_expired(self) -> bool:
        expires_at = self.tokens.expires_at
        return (
            self.tokens.refresh_token is not None
            and expires_at is not None
            and self._clock() >= expires_at - _REFRESH_MARGIN
        )

    async def _refresh(self, stale: Secret) -> None:
        """Get a new access token with the refresh token (``v2.auth.access_token.get``)."""
        async with self._refresh_lock:
            if self.tokens.access_token != stale:
                return  # another task refreshed it while this one waited
            refresh_token = self.tokens.refresh_token
            if refresh_token is None:  # pragma: no cover - callers check first
                return
            body = {
                "refresh_token": refresh_token.reveal(),
                "partner_id": self.partner_id,
                "shop_id": self.shop_id,
            }
            response = await self.http.request("POST", _REFRESH_PATH, idempotent=True, json=body)
            answer = response.json()
            self.tokens.access_token = Secret(str(answer["access_token"]))
            if answer.get("refresh_token"):
                self.tokens.refresh_token = Secret(str(answer["refresh_token"]))
            expire_in = answer.get("expire_in")
            self.tokens.expires_at = (
                self._clock() + float(expire_in) if expire_in is not None else None
            )
            logger.info("shopee: renewed the access token of shop %s", self.shop_id)
            if self._on_token_refresh is not None:
                self._on_token_refresh(self.tokens)

    async def _upload(self, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        """Upload each picture once per adapter (by content name); return the image ids."""
        ids = []
        for image in images:
            name = image_name(image)
            if name not in self._image_ids:
                form = httpx.Request(
                    "POST",
                    "https://form.invalid",
                    files={"image": (name, image.data, image.media_type)},
                )
                content = form.read()
                # Repeating an upload only leaves an unused picture in Shopee's media space.
                response = await self._call(
                    "POST",
                    _UPLOAD_IMAGE,
                    idempotent=True,
                    content=content,
                    headers={"Content-Type": form.headers["Content-Type"]},
                )
                info = response.json()["response"]["image_info"]
                self._image_ids[name] = str(info["image_id"])
            ids.append(self._image_ids[name])
        return tuple(ids)

    async def _find(self, sku: str) -> dict[str, Any] | None:
        """The item whose ``item_sku`` is exactly ``sku`` (search, then base info)."""
        item_ids: list[int] = []
        offset = 0
        for _ in range(_SEARCH_PAGES_MAX):
            params: dict[str, Any] = {
                "item_sku": sku,
                "page_size": _SEARCH_PAGE,
                "offset": offset,
                "item_status": list(_LIVE_STATUSES),
            }
            response = await self._call("GET", _SEARCH_ITEM, idempotent=True, params=params)
            page = response.json().get("response") or {}
            item_ids += [int(i) for i in page.get("item_id_list") or ()]
            if not page.get("has_next_page"):
                break
            offset = int(page.get("next_offset") or offset + _SEARCH_PAGE)
        matches = [item for item in await self._base_info(item_ids) if item.get("item_sku") == sku]
        if len(matches) > 1:
            logger.warning(
                "shopee: %d items carry SKU %s; using the oldest (%s)",
                len(matches),
                sku,
                min(int(m["item_id"]) for m in matches),
            )
        return min(matches, key=lambda m: int(m["item_id"])) if matches else None

    async def _base_info(self, item_ids: Sequence[int]) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for start in range(0, len(item_ids), _BASE_INFO_BATCH):
            batch = item_ids[start : start + _BASE_INFO_BATCH]
            params = {"item_id_list": ",".join(str(i) for i in batch)}
            response = await self._call("GET", _BASE_INFO, idempotent=True, params=params)
            items += (response.json().get("response") or {}).get("item_list") or []
        return items

    async def _require(self, sku: str) -> dict[str, Any]:
        item = await self._find(sku)
        if item is None:
            raise MarketplaceError(
                f"shopee shop {self.shop_id} has no item with SKU {sku!r}; publish it first "
                "(upsert), or check the SKU",
                marketplace=self.name,
                code="not_found",
            )
        return item

    async def _set_stock_and_price(
        self, item_id: int, stock: int, price: Money | None, *, now: ListingState | None = None
    ) -> None:
        if now is None or now.stock != stock:
            body = stock_payload(item_id, stock)
            await self._call("POST", _UPDATE_STOCK, idempotent=True, json=body)
        if price is not None and (now is None or now.price != price):
            body = update_price_payload(item_id, price, self.region.code)
            await self._call("POST", _UPDATE_PRICE, idempotent=True, json=body)

    async def _unlist(self, item_id: int, *, unlist: bool) -> None:
        response = await self._call(
            "POST", _UNLIST_ITEM, idempotent=True, json=unlist_payload(item_id, unlist=unlist)
        )
        failures = (response.json().get("response") or {}).get("failure_list") or []
        if failures:
            reason = "; ".join(str(f.get("failed_reason", "")) for f in failures)
            raise MarketplaceError(
                f"shopee could not {'unlist' if unlist else 'relist'} item {item_id}: {reason}",
                marketplace=self.name,
                code="unlist_failed",
            )

    async def _state_of(self, item_id: int, sku: str) -> ListingState:
        items = await self._base_info([item_id])
        if not items:
            raise MarketplaceUnavailableError(
                f"shopee did not show item {item_id} ({sku}) right after writing it; fetch it "
                "again in a moment",
                marketplace=self.name,
            )
        return self._state(items[0])

    def _state(self, item: Mapping[str, Any]) -> ListingState:
        status = str(item.get("item_status", ""))
        prices = item.get("price_info") or []
        price = None
        if prices:
            first = prices[0]
            currency = str(first.get("currency") or self.region.currency)
            price = Money(Decimal(str(first["original_price"])), currency)
        summary = (item.get("stock_info_v2") or {}).get("summary_info") or {}
        stock = summary.get("total_available_stock")
        item_id = int(item["item_id"])
        return ListingState(
            marketplace=self.name,
            sku=str(item.get("item_sku", "")),
            state=_STATES.get(status, "withdrawn"),
            version=str(item["update_time"]) if item.get("update_time") is not None else None,
            stock=int(stock) if stock is not None else None,
            price=price,
            images=tuple((item.get("image") or {}).get("image_id_list") or ()),
            # The buyer page's path is as Shopee's sites link items (unverified).
            url=f"https://{self.region.site}/product/{self.shop_id}/{item_id}",
            extra={"item_id": item_id, "item_status": status, "region": self.region.code},
        )
