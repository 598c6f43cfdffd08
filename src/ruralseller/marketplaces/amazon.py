"""The adapter for Amazon's Selling Partner API: Listings Items 2021-08-01.

A listing is one ``PUT /listings/2021-08-01/items/{sellerId}/{sku}`` (putListingsItem): an
upsert keyed by our SKU, so sending it again after a lost answer changes nothing. Its body
names an Amazon *product type* and carries the listing as Amazon attributes
(``item_name``, ``purchasable_offer``, ``fulfillment_availability``...); the pure mapping is
:func:`listing_attributes` and :func:`put_listing_body`, so what is sent can be read without
sending it. Stock and price change with a JSON Patch (patchListingsItem).

What a product type needs is a JSON Schema Amazon publishes per product type
(Product Type Definitions 2020-09-01, getDefinitionsProductType). The adapter downloads it,
keeps it by its checksum, and checks the attributes with ``jsonschema`` before sending, so a
listing Amazon would refuse is refused here with the attribute at fault. ``validate(draft,
preview=True)`` also asks Amazon itself with ``mode=VALIDATION_PREVIEW`` (a dry run).

Authentication is Login with Amazon (LWA): a refresh token is exchanged for an access token
(1 hour) sent in ``x-amz-access-token`` (:class:`LwaAuth`). No AWS SigV4 signature is needed
since 2023-10-02 (developer-docs.amazon.com/sp-api, "Connecting to the Selling Partner API").

Attributes nearly every product type requires (:data:`REQUIRED_ATTRIBUTES`: the required
fields of Amazon's generic ``PRODUCT`` type but its colour) are checked before any request,
and each missing one is named with how to give it. What stays unverified: the product type
name for chilled poultry (``MEAT`` by default; check yours with searchDefinitionsProductTypes),
the item type keywords by product kind (:data:`ITEM_TYPE_KEYWORDS`) and the dangerous-goods
value ``not_applicable`` (used in Amazon's listing files; no food product type schema was at
hand to check its enum).

Example:
    >>> amazon = AmazonMarketplace(seller_id="A2EXAMPLE", client_id="amzn1.app",
    ...                            client_secret="secret", refresh_token="Atzr|refresh")
    >>> amazon
    AmazonMarketplace(seller_id='A2EXAMPLE', marketplace_id='ATVPDKIKX0DER', \
base_url='https://sellingpartnerapi-na.amazon.com', product_type='MEAT')
    >>> amazon.capabilities.names()
    ('image_urls', 'native_idempotency', 'withdraw', 'stock_and_price')
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import quote

import attrs
import httpx

from ruralseller.catalog import Mass, Money
from ruralseller.errors import (
    InvalidValueError,
    ListingRejectedError,
    MarketplaceAuthError,
    MarketplaceError,
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
from ruralseller.marketplaces.http import AsyncMarketplaceHttp
from ruralseller.marketplaces.ratelimit import TokenBucket, account_bucket
from ruralseller.marketplaces.secrets import Secret, redact_headers, redact_text

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
    "AmazonMarketplace",
    "AmazonSettings",
    "AmazonSite",
    "LwaAuth",
    "image_attributes",
    "image_urls",
    "listing_attributes",
    "listings_feed",
    "missing_attributes",
    "put_listing_body",
    "stock_and_price_patches",
]

logger = logging.getLogger("ruralseller.marketplaces")

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


# --- mapping: ListingDraft -> Amazon attributes -----------------------------------------------


def _amazon_extra(draft: ListingDraft) -> Mapping[str, Any]:
    extra = draft.extra.get("amazon", {})
    if not isinstance(extra, Mapping):
        raise InvalidValueError(
            f"draft.extra['amazon'] must be a mapping, not {type(extra).__name__}",
            field="extra.amazon",
            hint="give Amazon-only data as {'brand': ..., 'product_type': ..., 'attributes': {}}",
        )
    return extra


def _english(draft: ListingDraft) -> LocalizedText:
    try:
        return draft.text("en")
    except KeyError:
        raise InvalidValueError(
            f"the draft has no English text (it has {', '.join(draft.texts) or 'none'}); "
            "the Amazon stores this adapter covers list in English",
            field="texts",
            hint="generate the listing with locales=('en',)",
        ) from None


def _first_mass(raw: str | None) -> Decimal | None:
    """The net weight in kilograms; the lower bound of a range (what every piece weighs)."""
    if not raw:
        return None
    try:
        return Mass.parse(raw.split("..", maxsplit=1)[0].strip()).to("kg").decimal()
    except (ValueError, TypeError):
        return None


def _country(raw: str | None) -> str | None:
    """The ISO country code at the end of an origin like ``"... 泰和县, CN"``."""
    if raw and re.fullmatch(r".*,\s*[A-Z]{2}", raw):
        return raw.rsplit(",", maxsplit=1)[1].strip()
    return None


def image_urls(base_url: str, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
    """The public URLs Amazon fetches ``images`` from: ``base_url`` + each content name.

    Amazon takes no files: it downloads pictures from HTTPS URLs. Put the processed files
    (named by :func:`~ruralseller.marketplaces.base.image_name`) where ``base_url`` serves them.

    >>> from ruralseller.listing import ProcessedImage
    >>> hen = ProcessedImage(data=b"", format="JPEG", width=1, height=1,
    ...     sha256="0123456789abcdef" * 4, source="hen.jpg", quality=85, steps=())
    >>> image_urls("https://img.example.com/wu-farm", [hen])
    ('https://img.example.com/wu-farm/0123456789abcdef.jpg',)
    """
    return tuple(f"{base_url.rstrip('/')}/{image_name(image)}" for image in images)


def image_attributes(
    urls: Sequence[str], *, marketplace_id: str = DEFAULT_MARKETPLACE_ID
) -> dict[str, list[dict[str, Any]]]:
    """The picture attributes: the first URL is the main picture, up to 8 others follow.

    >>> image_attributes(["https://img.example.com/a.jpg"])
    {'main_product_image_locator': [{'media_location': 'https://img.example.com/a.jpg', \
'marketplace_id': 'ATVPDKIKX0DER'}]}
    """
    if len(urls) > MAX_IMAGES:
        raise InvalidValueError(
            f"Amazon takes at most {MAX_IMAGES} pictures (1 main and 8 others), got {len(urls)}",
            field="images",
            hint="keep the best 9 pictures, main picture first",
        )
    for url in urls:
        if not url.startswith("https://"):
            raise InvalidValueError(
                f"Amazon fetches pictures over HTTPS only, not {url!r}",
                field="images",
                hint="serve the pictures from an https:// address (image_base_url)",
            )
    names = ["main_product_image_locator"] + [
        f"other_product_image_locator_{n}" for n in range(1, MAX_IMAGES)
    ]
    return {
        name: [{"media_location": url, "marketplace_id": marketplace_id}]
        for name, url in zip(names, urls, strict=False)
    }


def _offer(price: Money, marketplace_id: str) -> list[dict[str, Any]]:
    site = _site(marketplace_id)
    if price.currency != site.currency:
        raise InvalidValueError(
            f"the price is in {price.currency}; Amazon {site.country} ({marketplace_id}) "
            f"sells in {site.currency}",
            field="price",
            hint=f"price the draft in {site.currency}, or pick the store that sells in "
            f"{price.currency}",
        )
    # purchasable_offer.our_price.schedule.value_with_tax is a JSON number in the product type
    # schemas; the amount is rounded to the currency's cents first, so the float is exact
    # enough to read back as the same two decimals.
    amount = float(price.rounded().amount)
    return [
        {
            "marketplace_id": marketplace_id,
            "currency": price.currency,
            "our_price": [{"schedule": [{"value_with_tax": amount}]}],
        }
    ]


def _stock(stock: int) -> list[dict[str, Any]]:
    if stock < 0:
        raise InvalidValueError(f"stock cannot be negative, got {stock}", field="stock")
    # Merchant-fulfilled stock is the DEFAULT channel (FulfillmentAvailability in the spec).
    return [{"fulfillment_channel_code": "DEFAULT", "quantity": stock}]


def listing_attributes(
    draft: ListingDraft,
    *,
    marketplace_id: str = DEFAULT_MARKETPLACE_ID,
    image_urls: Sequence[str] = (),
    item_type_keyword: str | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """The Amazon attributes of ``draft`` for one store (what putListingsItem sends).

    Texts come from the draft's English text, tagged with the store's language. The brand is
    ``draft.extra["amazon"]["brand"]``, else the producer's name. The item type keyword is
    ``draft.extra["amazon"]["item_type_keyword"]``, else ``item_type_keyword``, else the
    product kind's (:data:`ITEM_TYPE_KEYWORDS`). Food is declared no dangerous good
    (``supplier_declared_dg_hz_regulation``: ``not_applicable``). The price is the price of
    one sale unit; the packed weight of one unit (``draft.shipping_weight``), when known, is
    ``item_package_weight``. Attributes in ``draft.extra["amazon"]["attributes"]`` are added
    last and win.

    Raises:
        InvalidValueError: the draft has no English text, is priced in another currency than
            the store's, or has more than 9 pictures.

    Example:
        >>> import datetime as dt
        >>> from ruralseller.catalog import Money, load_catalog
        >>> from ruralseller.catalog.samples import sample_path
        >>> from ruralseller.listing import generate_listing
        >>> draft = generate_listing(load_catalog(sample_path()), "WJ261120A",
        ...     locales=("en",), price=Money("18.00", "USD"), on=dt.date(2026, 11, 21))
        >>> attributes = listing_attributes(draft)
        >>> attributes["item_name"][0]["value"]
        'Taihe black-bone silkie chicken, whole, chilled, 1-1.4 kg each, from Jiangxi'
        >>> attributes["purchasable_offer"][0]["our_price"]
        [{'schedule': [{'value_with_tax': 18.0}]}]
        >>> attributes["fulfillment_availability"]
        [{'fulfillment_channel_code': 'DEFAULT', 'quantity': 40}]
    """
    site = _site(marketplace_id)
    text = _english(draft)
    extra = _amazon_extra(draft)
    tag = site.language_tag

    def texts(value: str) -> dict[str, Any]:
        return {"value": value, "language_tag": tag, "marketplace_id": marketplace_id}

    def plain(value: Any) -> dict[str, Any]:
        return {"value": value, "marketplace_id": marketplace_id}

    attributes: dict[str, list[dict[str, Any]]] = {
        "item_name": [texts(text.title)],
        "condition_type": [plain("new_new")],
        "purchasable_offer": _offer(draft.price, marketplace_id),
        "fulfillment_availability": _stock(draft.stock),
    }
    producer = text.attribute("producer")
    brand = extra.get("brand") or (producer.value if producer else None)
    if brand:
        attributes["brand"] = [texts(str(brand))]
    if text.description:
        attributes["product_description"] = [texts(text.description)]
    if text.bullets:
        attributes["bullet_point"] = [texts(bullet) for bullet in text.bullets]
    keyword = (
        extra.get("item_type_keyword") or item_type_keyword or ITEM_TYPE_KEYWORDS.get(draft.kind)
    )
    if keyword:
        attributes["item_type_keyword"] = [plain(str(keyword))]
    attributes["supplier_declared_dg_hz_regulation"] = [plain("not_applicable")]
    attributes.update(_facts(draft, text, marketplace_id))
    attributes.update(image_attributes(image_urls, marketplace_id=marketplace_id))
    attributes.update(extra.get("attributes", {}))
    return attributes


def _facts(
    draft: ListingDraft, text: LocalizedText, marketplace_id: str
) -> dict[str, list[dict[str, Any]]]:
    """The product facts without language: identifier, weight, origin, order limit."""

    def plain(value: Any) -> dict[str, Any]:
        return {"value": value, "marketplace_id": marketplace_id}

    attributes: dict[str, list[dict[str, Any]]] = {}
    if draft.gtin:
        attributes["externally_assigned_product_identifier"] = [
            {"type": "gtin", "value": draft.gtin, "marketplace_id": marketplace_id}
        ]
    else:
        attributes["supplier_declared_has_product_identifier_exemption"] = [plain(value=True)]
    if draft.max_order is not None:
        attributes["max_order_quantity"] = [plain(draft.max_order)]
    net_weight = text.attribute("net_weight")
    kilograms = _first_mass(net_weight.raw if net_weight else None)
    if kilograms is not None:
        attributes["item_weight"] = [
            {"value": float(kilograms), "unit": "kilograms", "marketplace_id": marketplace_id}
        ]
    if draft.shipping_weight is not None:
        packed = draft.shipping_weight.to("kg").decimal()
        attributes["item_package_weight"] = [
            {"value": float(packed), "unit": "kilograms", "marketplace_id": marketplace_id}
        ]
    origin = text.attribute("origin")
    country = _country(origin.raw if origin else None)
    if country:
        attributes["country_of_origin"] = [plain(country)]
    if text.attribute("shelf_life") is not None:
        attributes["is_expiration_dated_product"] = [plain(value=True)]
    return attributes


def missing_attributes(attributes: Mapping[str, Any]) -> dict[str, str]:
    """Each of :data:`REQUIRED_ATTRIBUTES` that ``attributes`` lacks, with how to give it.

    >>> missing = missing_attributes({"item_name": [{"value": "Hen"}]})
    >>> sorted(missing)  # keyed like Amazon's issues: our field, then the attribute
    ['brand', 'bullets (bullet_point)', 'description (product_description)', \
'kind (item_type_keyword)', 'origin (country_of_origin)', 'supplier_declared_dg_hz_regulation']
    >>> missing["kind (item_type_keyword)"]
    "'item_type_keyword' is required but not supplied: set the adapter's item_type_keyword, \
or draft.extra['amazon']['item_type_keyword'], to your category's keyword"
    """
    return {
        _issue_key(name): f"'{name}' is required but not supplied: {_HOW[name]}"
        for name in REQUIRED_ATTRIBUTES
        if not attributes.get(name)
    }


def _product_type(draft: ListingDraft, default: str) -> str:
    return str(_amazon_extra(draft).get("product_type") or default)


def put_listing_body(
    draft: ListingDraft,
    *,
    product_type: str = DEFAULT_PRODUCT_TYPE,
    marketplace_id: str = DEFAULT_MARKETPLACE_ID,
    image_urls: Sequence[str] = (),
    item_type_keyword: str | None = None,
) -> dict[str, Any]:
    """The body of putListingsItem for ``draft`` (ListingsItemPutRequest).

    ``requirements`` is ``LISTING``: product facts and the offer together.
    ``draft.extra["amazon"]["product_type"]`` overrides ``product_type``.

    >>> import datetime as dt
    >>> from ruralseller.catalog import Money, load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> from ruralseller.listing import generate_listing
    >>> draft = generate_listing(load_catalog(sample_path()), "WJ261120A",
    ...     locales=("en",), price=Money("18.00", "USD"), on=dt.date(2026, 11, 21))
    >>> body = put_listing_body(draft)
    >>> body["productType"], body["requirements"], sorted(body["attributes"])[:3]
    ('MEAT', 'LISTING', ['brand', 'bullet_point', 'condition_type'])
    """
    return {
        "productType": _product_type(draft, product_type),
        "requirements": "LISTING",
        "attributes": listing_attributes(
            draft,
            marketplace_id=marketplace_id,
            image_urls=image_urls,
            item_type_keyword=item_type_keyword,
        ),
    }


def stock_and_price_patches(
    stock: int, price: Money | None = None, *, marketplace_id: str = DEFAULT_MARKETPLACE_ID
) -> list[dict[str, Any]]:
    """The JSON Patch (patchListingsItem) that sets the stock, and the price when given.

    Only top-level attributes can be patched (patchListingsItem), so each is replaced whole.

    >>> stock_and_price_patches(0)
    [{'op': 'replace', 'path': '/attributes/fulfillment_availability', \
'value': [{'fulfillment_channel_code': 'DEFAULT', 'quantity': 0}]}]
    """
    patches: list[dict[str, Any]] = [
        {"op": "replace", "path": "/attributes/fulfillment_availability", "value": _stock(stock)}
    ]
    if price is not None:
        patches.append(
            {
                "op": "replace",
                "path": "/attributes/purchasable_offer",
                "value": _offer(price, marketplace_id),
            }
        )
    return patches


def listings_feed(
    drafts: Iterable[ListingDraft],
    *,
    seller_id: str,
    product_type: str = DEFAULT_PRODUCT_TYPE,
    marketplace_id: str = DEFAULT_MARKETPLACE_ID,
    image_urls: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, Any]:
    """A JSON_LISTINGS_FEED document (listings feed schema v2) that upserts many drafts.

    For thousands of listings, a feed (Feeds API, ``JSON_LISTINGS_FEED``) costs one request
    instead of one per SKU. Each draft becomes an ``UPDATE`` message with the same attributes
    :func:`put_listing_body` sends; ``image_urls`` maps a SKU to its picture URLs.

    >>> feed = listings_feed([], seller_id="A2EXAMPLE")
    >>> feed["header"]
    {'sellerId': 'A2EXAMPLE', 'version': '2.0', 'issueLocale': 'en_US'}
    """
    site = _site(marketplace_id)
    urls = image_urls or {}
    messages = []
    for number, draft in enumerate(drafts, start=1):
        body = put_listing_body(
            draft,
            product_type=product_type,
            marketplace_id=marketplace_id,
            image_urls=urls.get(draft.sku, ()),
        )
        messages.append({"messageId": number, "sku": draft.sku, "operationType": "UPDATE", **body})
    return {
        "header": {"sellerId": seller_id, "version": "2.0", "issueLocale": site.language_tag},
        "messages": messages,
    }


# --- authentication: Login with Amazon ------------------------------------------------------


def _body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (ValueError, UnicodeDecodeError):
        return None


class LwaAuth(httpx.Auth):
    """Login with Amazon: a refresh token buys access tokens, sent in ``x-amz-access-token``.

    An access token lasts an hour (``expires_in``); a new one is fetched a minute before it
    expires, and once more when Amazon answers 403 to a token it had accepted (revoked or
    expired early). The token request is ``POST https://api.amazon.com/auth/o2/token`` with
    ``grant_type=refresh_token``, the refresh token and the app's client id and secret
    (developer-docs.amazon.com/sp-api, "Connecting to the Selling Partner API"). It runs again
    on every retry, so each try carries a valid token.

    Args:
        client_id: the LWA client id of the app.
        client_secret: its client secret.
        refresh_token: the seller's refresh token for the app.
        token_url: the LWA token endpoint.
        clock: seconds, monotonic; injectable for tests.
    """

    requires_response_body = True
    #: Fetch a new token this many seconds before the old one expires.
    EARLY = 60.0

    def __init__(
        self,
        client_id: Secret,
        client_secret: Secret,
        refresh_token: Secret,
        *,
        token_url: str = LWA_TOKEN_URL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client_id = client_id
        self._client_secret = client_secret
        self._refresh_token = refresh_token
        self.token_url = token_url
        self._clock = clock
        self._token: Secret | None = None
        self._expires_at = 0.0

    def __repr__(self) -> str:
        return f"LwaAuth(token_url={self.token_url!r})"

    @property
    def secrets(self) -> tuple[Secret, ...]:
        """The credentials (and the current access token) to scrub from messages."""
        held = (self._client_id, self._client_secret, self._refresh_token, self._token)
        return tuple(s for s in held if s is not None)

    def _token_request(self) -> httpx.Request:
        return httpx.Request(
            "POST",
            self.token_url,
            data={
                "grant_type": "refresh_token",
                "refresh_token": self._refresh_token.reveal(),
                "client_id": self._client_id.reveal(),
                "client_secret": self._client_secret.reveal(),
            },
        )

    def _refresh(self) -> Generator[httpx.Request, httpx.Response, Secret | httpx.Response]:
        """Fetch a token; return it, or the answer of a throttled or failing token service."""
        sent = self._clock()
        response = yield self._token_request()
        if response.status_code == 429 or response.status_code >= 500:
            # Not our fault and safe to repeat: the HTTP layer sees this answer, classifies
            # it as throttled or unavailable, and retries the whole request.
            return response
        body = _body(response)
        token = body.get("access_token") if isinstance(body, dict) else None
        if response.status_code != 200 or not token:
            said = ""
            if isinstance(body, dict):
                said = f"{body.get('error', '')}: {body.get('error_description', '')}"
            said = redact_text(said.strip(": "), self.secrets)
            raise MarketplaceAuthError(
                "Login with Amazon refused the app's credentials: check the LWA client id and "
                "client secret of the app, and that the seller's refresh token was issued to "
                "this app and not revoked (Seller Central > Apps and services > Develop apps)"
                + (f" (amazon said: {said})" if said else "")
                + f" [HTTP {response.status_code}]",
                marketplace="amazon",
                status=response.status_code,
                code=str(body.get("error")) if isinstance(body, dict) else None,
                headers=redact_headers(response.headers),
            )
        self._token = Secret(str(token))
        self._expires_at = sent + float(body.get("expires_in", 3600))
        return self._token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add a valid access token to ``request``, fetching one first when needed."""
        # Two concurrent requests may both fetch a token; LWA allows several live tokens, so
        # that costs one extra call and no error.
        got: Secret | httpx.Response | None = self._token
        fresh = got is None or self._clock() >= self._expires_at - self.EARLY
        if fresh:
            got = yield from self._refresh()
        if not isinstance(got, Secret):
            return  # the token service's failed answer is the response
        request.headers["x-amz-access-token"] = got.reveal()
        response = yield request
        if response.status_code == 403 and not fresh:
            got = yield from self._refresh()
            if not isinstance(got, Secret):
                return
            request.headers["x-amz-access-token"] = got.reveal()
            yield request


# --- the adapter ----------------------------------------------------------------------------


def _issue_key(attribute: str) -> str:
    field = ATTRIBUTE_FIELDS.get(attribute)
    return f"{field} ({attribute})" if field and field != attribute else attribute


def _issues_by_field(issues: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for issue in issues:
        message = str(issue.get("message", ""))
        names = issue.get("attributeNames") or [f"issue {issue.get('code', '?')}"]
        for name in names:
            key = _issue_key(str(name))
            found[key] = f"{found[key]}; {message}" if key in found else message
    return found


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _schema_errors(validator: Any, attributes: Mapping[str, Any]) -> dict[str, str]:
    """Each attribute the product type schema refuses, with jsonschema's reason."""
    found: dict[str, str] = {}
    for error in validator.iter_errors(attributes):
        if error.validator == "required" and not error.path:
            for name in error.validator_value:
                if name not in attributes:
                    found[_issue_key(name)] = f"'{name}' is required but not supplied: " + _HOW.get(
                        name,
                        f"give it in draft.extra['amazon']['attributes']['{name}'] as the "
                        "product type's definition describes it",
                    )
            continue
        attribute = str(error.path[0]) if error.path else "attributes"
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.path)
        found.setdefault(_issue_key(attribute), _short(f"{where.lstrip('.')}: {error.message}"))
    return found


def _schema_validator(schema: Mapping[str, Any]) -> Any:
    """A jsonschema validator for an Amazon product type schema (draft 2019-09).

    Amazon's meta-schema adds keywords (Product Type Definitions "meta-schema" docs); the byte
    limits are checked here, the others (``selectors``, ``editable``...) are left to Amazon.
    """
    try:
        import jsonschema  # type: ignore[import-untyped]  # noqa: PLC0415 - optional
    except ImportError as exc:  # pragma: no cover - the test extra installs it
        raise ImportError(
            "checking listings against Amazon's product type schema needs jsonschema: "
            "`pip install 'ruralseller[amazon]'`, or make the adapter with schema_check=False"
        ) from exc

    def byte_length(check: Callable[[int, int], bool], words: str) -> Any:
        def keyword(_validator: Any, limit: int, instance: Any, _schema: Any) -> Any:
            if isinstance(instance, str) and not check(len(instance.encode()), limit):
                yield jsonschema.ValidationError(f"is {words} {limit} bytes in UTF-8")

        return keyword

    validator_class = jsonschema.validators.extend(
        jsonschema.Draft201909Validator,
        {
            "maxUtf8ByteLength": byte_length(lambda n, limit: n <= limit, "longer than"),
            "minUtf8ByteLength": byte_length(lambda n, limit: n >= limit, "shorter than"),
        },
    )
    return validator_class(schema)


def _secret(value: Secret | str) -> Secret:
    return value if isinstance(value, Secret) else Secret(value)


# Product type schemas by checksum (Base64 MD5, getDefinitionsProductType), for the process.
_SCHEMAS: dict[str, Any] = {}


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


@guard_answers
class AmazonMarketplace(Driver[AmazonSettings]):
    """Publishes to one Amazon store through the Selling Partner API.

    Its settings are :class:`AmazonSettings`; the wiring (``retry``, ``rate``, ``transport``,
    ``timeout``, ``sleep``, ``clock``) is the :class:`~ruralseller.marketplaces.driver.Driver`'s.
    Every request is idempotent (upsert and patch by SKU). putListingsItem and
    getListingsItem allow 5 requests/s with bursts of 10, patchListingsItem and
    deleteListingsItem 5/s with bursts of 5 (usage plans in the spec's operation
    descriptions); one bucket of 5 keeps every operation under its plan.

    Args:
        burst: requests allowed at once (5).
    """

    name: ClassVar[str] = "amazon"
    capabilities: ClassVar[Capabilities] = Capabilities(
        image_urls=True,
        native_idempotency=True,
        withdraw=True,
        stock_and_price=True,
    )

    settings_class: ClassVar[type[AmazonSettings]] = AmazonSettings
    default_rate: ClassVar[float] = 5.0

    def __init__(self, *args: Any, burst: float = 5.0, **kwargs: Any) -> None:
        self.burst = burst
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        """The store, the region's host and the LWA auth, from the settings."""
        settings = self.settings
        self.site = _site(settings.marketplace_id)
        region = settings.region or self.site.region
        if region not in REGION_HOSTS:
            raise InvalidValueError(
                f"unknown SP-API region {region!r}; use one of {', '.join(REGION_HOSTS)}",
                field="region",
            )
        self.seller_id = settings.seller_id
        self.marketplace_id = settings.marketplace_id
        self.base_url = (settings.base_url or REGION_HOSTS[region]).rstrip("/")
        self.product_type = settings.product_type
        self.item_type_keyword = settings.item_type_keyword
        self.image_base_url = settings.image_base_url
        self.schema_check = settings.schema_check
        self._definitions: dict[str, tuple[str, str]] = {}
        self.auth = LwaAuth(
            settings.client_id,
            settings.client_secret,
            settings.refresh_token,
            token_url=settings.token_url,
            clock=self.clock,
        )

    def make_auth(self) -> httpx.Auth:
        """Login with Amazon: access tokens from the refresh token (:class:`LwaAuth`)."""
        return self.auth

    def account_key(self) -> str:
        """The region's host and the seller."""
        return f"{self.base_url} {self.seller_id}"

    def rate_limit(self) -> TokenBucket:
        """5 requests a second, in bursts of :attr:`burst` (the usage plans)."""
        return account_bucket(
            self.name, self.account_key(), rate=self.rate, capacity=max(1.0, self.burst)
        )

    def secrets(self) -> list[Secret]:
        """The LWA credentials and tokens."""
        return list(self.auth.secrets)

    def classify(self, response: httpx.Response) -> MarketplaceError | None:
        """SP-API's errors and throttling."""
        return self._classify(response)

    def connected(self) -> None:
        """A second client for schema files: presigned links, no token goes there."""
        self.downloads = AsyncMarketplaceHttp(
            self.name,
            self.base_url,
            retry=self.retry,
            transport=self.transport,
            timeout=self.timeout,
            sleep=self.sleep,
        )

    def __repr__(self) -> str:
        return (
            f"AmazonMarketplace(seller_id={self.seller_id!r}, "
            f"marketplace_id={self.marketplace_id!r}, base_url={self.base_url!r}, "
            f"product_type={self.product_type!r})"
        )

    def _item_path(self, sku: str) -> str:
        return f"{LISTINGS_API}/{quote(self.seller_id, safe='')}/{quote(sku, safe='')}"

    def _params(self, **more: str) -> dict[str, str]:
        return {"marketplaceIds": self.marketplace_id, **more}

    # --- checking -----------------------------------------------------------------------

    async def validate(
        self,
        draft: ListingDraft,
        *,
        preview: bool = False,
        images: Sequence[ProcessedImage] = (),
    ) -> tuple[ListingIssue, ...]:
        """Every problem Amazon would find with ``draft``.

        Without ``preview`` nothing is sent: the listing profile and the mapping are checked
        locally. With ``preview=True``, a draft that passes those is also checked against the
        product type schema and sent to Amazon with ``mode=VALIDATION_PREVIEW``, which
        validates without saving anything; Amazon's issues come back keyed like
        ``"title (item_name)"``.
        """
        issues = list(validate_draft(draft, self.profile))
        try:
            body = self._body(draft, images)
        except InvalidValueError as error:
            issues.append(ListingIssue(error.field or "draft", error.message, error.hint))
            return tuple(issues)
        issues.extend(
            ListingIssue(field, message, "give it before publishing")
            for field, message in missing_attributes(body["attributes"]).items()
        )
        if not preview or any(i.severity is IssueSeverity.ERROR for i in issues):
            return tuple(issues)
        if self.schema_check:
            problems = await self._schema_problems(body)
            issues.extend(
                ListingIssue(field, message, "change it to fit Amazon's product type schema")
                for field, message in problems.items()
            )
        response = await self.http.request(
            "PUT",
            self._item_path(draft.sku),
            idempotent=True,
            json=body,
            params=self._params(mode="VALIDATION_PREVIEW", issueLocale=self.site.language_tag),
        )
        for issue in response.json().get("issues", []):
            severity = (
                IssueSeverity.ERROR if issue.get("severity") == "ERROR" else IssueSeverity.WARNING
            )
            for field, message in _issues_by_field([issue]).items():
                issues.append(
                    ListingIssue(field, message, f"Amazon issue {issue.get('code')}", severity)
                )
        return tuple(issues)

    async def _definition(self, product_type: str) -> tuple[str, str]:
        """The product type schema's download link and checksum (getDefinitionsProductType)."""
        if product_type not in self._definitions:
            response = await self.http.request(
                "GET",
                f"/definitions/2020-09-01/productTypes/{quote(product_type, safe='')}",
                idempotent=True,
                params=self._params(
                    requirements="LISTING",
                    requirementsEnforced="ENFORCED",
                    locale=self.site.language_tag,
                ),
            )
            schema = response.json()["schema"]
            self._definitions[product_type] = (schema["link"]["resource"], schema["checksum"])
        return self._definitions[product_type]

    async def _schema_problems(self, body: Mapping[str, Any]) -> dict[str, str]:
        url, checksum = await self._definition(str(body["productType"]))
        if checksum not in _SCHEMAS:
            response = await self.downloads.request("GET", url, idempotent=True)
            _SCHEMAS[checksum] = _schema_validator(response.json())
            logger.debug("amazon: product type %s schema %s cached", body["productType"], checksum)
        return _schema_errors(_SCHEMAS[checksum], body["attributes"])

    # --- writing ------------------------------------------------------------------------

    def _body(self, draft: ListingDraft, images: Sequence[ProcessedImage]) -> dict[str, Any]:
        return put_listing_body(
            draft,
            product_type=self.product_type,
            marketplace_id=self.marketplace_id,
            image_urls=self._urls(images),
            item_type_keyword=self.item_type_keyword,
        )

    def _urls(self, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        if not images:
            return ()
        if self.image_base_url is None:
            raise InvalidValueError(
                "Amazon fetches pictures from URLs, and the adapter has no image_base_url",
                field="images",
                hint="serve the processed pictures over HTTPS and pass image_base_url=",
            )
        return image_urls(self.image_base_url, images)

    def _rejected_locally(self, fields: Mapping[str, str]) -> ListingRejectedError:
        listed = "; ".join(f"{k}: {v}" for k, v in fields.items())
        return ListingRejectedError(
            f"amazon would reject the listing: {listed}; fix these and publish again "
            "(checked before sending; nothing was sent)",
            field_errors=fields,
            marketplace=self.name,
        )

    async def upsert(
        self, draft: ListingDraft, images: Sequence[ProcessedImage] = ()
    ) -> ListingState:
        """Create or fully replace the listing of ``draft.sku``, pictures included.

        The pictures are given as URLs under ``image_base_url`` (Amazon downloads them). The
        returned state is what Amazon accepted; Amazon then processes it, usually within
        minutes, and :meth:`fetch` shows the result.

        Raises:
            ListingRejectedError: the mapping or the product type schema refuses the draft
                (nothing sent), or Amazon answered ``INVALID``.
        """
        try:
            body = self._body(draft, images)
        except InvalidValueError as error:
            raise self._rejected_locally({error.field or "draft": error.message}) from error
        missing = missing_attributes(body["attributes"])
        if missing:
            raise self._rejected_locally(missing)
        if self.schema_check:
            problems = await self._schema_problems(body)
            if problems:
                raise self._rejected_locally(problems)
        response = await self.http.request(
            "PUT",
            self._item_path(draft.sku),
            idempotent=True,  # an upsert keyed by SKU (putListingsItem)
            json=body,
            params=self._params(issueLocale=self.site.language_tag),
        )
        return self._submitted(
            response.json(), stock=draft.stock, price=draft.price, images=self._urls(images)
        )

    async def _patch(self, sku: str, patches: list[dict[str, Any]]) -> dict[str, Any]:
        response = await self.http.request(
            "PATCH",
            self._item_path(sku),
            idempotent=True,  # each patch replaces an attribute whole: repeating it is harmless
            json={"productType": self.product_type, "patches": patches},
            params=self._params(issueLocale=self.site.language_tag),
        )
        body: dict[str, Any] = response.json()
        return body

    async def upload_images(self, sku: str, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        """Point the listing's pictures at ``images`` under ``image_base_url``; return the URLs.

        Amazon takes no files: put the processed pictures at their URLs first.
        """
        urls = self._urls(images)
        if urls:
            patches = [
                {"op": "replace", "path": f"/attributes/{name}", "value": value}
                for name, value in image_attributes(
                    urls, marketplace_id=self.marketplace_id
                ).items()
            ]
            await self._patch(sku, patches)
        return urls

    async def set_stock(self, sku: str, stock: int, price: Money | None = None) -> ListingState:
        """Change the stock, and the price when given (one JSON Patch).

        A stock of 0 takes the listing off sale (see :meth:`withdraw`).
        """
        try:
            patches = stock_and_price_patches(stock, price, marketplace_id=self.marketplace_id)
        except InvalidValueError as error:
            raise self._rejected_locally(
                {_issue_key("purchasable_offer" if error.field == "price" else "stock"): str(error)}
            ) from error
        return self._submitted(await self._patch(sku, patches), stock=stock, price=price)

    async def withdraw(self, sku: str) -> ListingState:
        """Take the listing off sale by setting its stock to 0.

        Amazon has no "inactive" switch in the Listings Items API; with no stock the offer is
        not buyable (Seller Central shows it "Inactive (out of stock)") but the listing, its
        ASIN and its history stay, and :meth:`set_stock` puts it back on sale. Use
        :meth:`delete` to remove the listing for good.
        """
        return await self.set_stock(sku, 0)

    async def delete(self, sku: str) -> None:
        """Delete the listing of ``sku`` from the store (deleteListingsItem); not reversible."""
        await self.http.request(
            "DELETE",
            self._item_path(sku),
            idempotent=True,
            params=self._params(issueLocale=self.site.language_tag),
        )

    # --- reading ------------------------------------------------------------------------

    async def fetch(self, sku: str) -> ListingState | None:
        """The listing as Amazon holds it (getListingsItem), or ``None`` when there is none."""
        try:
            response = await self.http.request(
                "GET",
                self._item_path(sku),
                idempotent=True,
                params=self._params(
                    includedData="summaries,attributes,issues,offers,fulfillmentAvailability",
                    issueLocale=self.site.language_tag,
                ),
            )
        except MarketplaceError as error:
            if error.status == 404:  # Not Found (getListingsItem)
                return None
            raise
        return self._state(response.json())

    async def aclose(self) -> None:
        """Close the connections."""
        await self.http.aclose()
        await self.downloads.aclose()

    # --- answers ------------------------------------------------------------------------

    def _submitted(
        self,
        body: Mapping[str, Any],
        *,
        stock: int,
        price: Money | None,
        images: tuple[str, ...] = (),
    ) -> ListingState:
        return ListingState(
            marketplace=self.name,
            sku=str(body["sku"]),
            state="active" if stock > 0 else "withdrawn",
            stock=stock,
            price=price,
            images=images,
            extra={
                "status": body.get("status"),
                "submission_id": body.get("submissionId"),
                "issues": tuple(body.get("issues", ())),
            },
        )

    def _state(self, item: Mapping[str, Any]) -> ListingState:
        mine = self.marketplace_id
        summary: Mapping[str, Any] = next(
            (s for s in item.get("summaries", ()) if s.get("marketplaceId") == mine), {}
        )
        attributes: Mapping[str, Any] = item.get("attributes", {})
        stock = next(
            (
                f.get("quantity")
                for f in item.get("fulfillmentAvailability", ())
                if f.get("fulfillmentChannelCode") == "DEFAULT"
            ),
            None,
        )
        offer = next(
            (
                o["price"]
                for o in item.get("offers", ())
                if o.get("marketplaceId") == mine and o.get("offerType") == "B2C"
            ),
            None,
        )
        price = Money(Decimal(offer["amount"]), offer["currencyCode"]) if offer else None
        images = tuple(
            value["media_location"]
            for name in ["main_product_image_locator"]
            + [f"other_product_image_locator_{n}" for n in range(1, MAX_IMAGES)]
            for value in attributes.get(name, ())[:1]
        )
        status = tuple(summary.get("status", ()))
        if stock == 0:
            state = "withdrawn"
        elif "BUYABLE" in status:
            state = "active"
        else:
            state = "draft"  # still processing, or suppressed by issues (see extra["issues"])
        asin = summary.get("asin")
        return ListingState(
            marketplace=self.name,
            sku=str(item["sku"]),
            state=state,
            version=summary.get("lastUpdatedDate"),
            stock=stock,
            price=price,
            images=images,
            url=f"https://{self.site.domain}/dp/{asin}" if asin else None,
            extra={
                "asin": asin,
                "status": status,
                "product_type": summary.get("productType"),
                "issues": tuple(item.get("issues", ())),
            },
        )

    def _classify(self, response: httpx.Response) -> MarketplaceError | None:
        """Amazon's errors: INVALID submissions in 200 bodies, throttles, refused tokens."""
        status = response.status_code
        body = _body(response)
        secrets = self.auth.secrets
        common: dict[str, Any] = {
            "marketplace": self.name,
            "status": status,
            "request_id": response.headers.get("x-amzn-requestid"),
            "headers": redact_headers(response.headers),
        }
        ref = f" [HTTP {status}" + (
            f", request id {common['request_id']}]" if common["request_id"] else "]"
        )
        if str(response.request.url).startswith(self.auth.token_url):
            return None  # a throttled or failing token service: the default mapping retries it
        if status < 300:
            if response.request.url.params.get("mode") == "VALIDATION_PREVIEW":
                return None  # a dry run: validate() reads the issues itself
            if not isinstance(body, dict) or "submissionId" not in body:
                return None
            issues = body.get("issues") or []
            errors = [i for i in issues if i.get("severity") == "ERROR"]
            if body.get("status") != "INVALID" and not errors:
                return None
            fields = {
                k: redact_text(v, secrets) for k, v in _issues_by_field(errors or issues).items()
            }
            listed = "; ".join(f"{k}: {v}" for k, v in fields.items())
            return ListingRejectedError(
                f"amazon rejected the listing: {listed}; fix these and publish again "
                f"(submission {body.get('submissionId')}){ref}",
                field_errors=fields,
                code=str(body.get("status")),
                **common,
            )
        listed_errors = body.get("errors") if isinstance(body, dict) else None
        first = listed_errors[0] if isinstance(listed_errors, list) and listed_errors else {}
        code = first.get("code") if isinstance(first, dict) else None
        said = " ".join(str(first.get(k, "")) for k in ("message", "details")).strip()
        tail = f" (amazon said: {redact_text(said, secrets)})" if said else ""
        common["code"] = code
        if status == 429:
            # Amazon sends no Retry-After; x-amzn-RateLimit-Limit is the rate it applied, so
            # one token comes back after 1/rate seconds (SP-API "Usage Plans and Rate Limits").
            retry_after = None
            with contextlib.suppress(KeyError, ValueError, ZeroDivisionError):
                retry_after = 1.0 / float(response.headers["x-amzn-ratelimit-limit"])
            return RateLimitedError(
                f"amazon is limiting how fast we send ({code or 'QuotaExceeded'}): wait and "
                f"try again, or lower the adapter's rate{tail}{ref}",
                retry_after=retry_after,
                **common,
            )
        if status == 403:
            return MarketplaceAuthError(
                "amazon refused access: check that the seller id is the merchant token of the "
                "seller who authorised the app, that the app has the Product Listing role, and "
                f"that the refresh token is valid{tail}{ref}",
                **common,
            )
        if status in (400, 413, 415):
            fields = {f"request ({code or 'error'})": redact_text(said, secrets)}
            return ListingRejectedError(
                f"amazon refused the request as malformed; fix it and send again{tail}{ref}",
                field_errors=fields,
                **common,
            )
        return None
