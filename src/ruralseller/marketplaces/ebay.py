"""The adapter for eBay's Sell Inventory API: inventory items, offers, and publishing.

eBay keeps a product as an *inventory item* under our SKU (``PUT /inventory_item/{sku}``, an
upsert, so it can always be sent again) and sells it through an *offer* on one eBay site
(``POST /offer``, then ``POST /offer/{offerId}/publish``, which makes the listing). The offer
create has no idempotency key, so it goes through :func:`~ruralseller.marketplaces.http.create_once`:
after a lost answer the offer is looked up by SKU before anything is sent again, and eBay's own
"offer already exists" error (errorId 25002 with the offer id) counts as found.

Pictures are not uploaded: eBay fetches them from HTTPS addresses (``product.imageUrls``), so the
partner hosts them under an ``image_base_url``, each named by
:func:`~ruralseller.marketplaces.base.image_name`.

Sources: eBay's OpenAPI document of the Sell Inventory API ("Inventory API" v1.18.4,
developer.ebay.com/api-docs/master/sell/inventory/openapi/3/sell_inventory_v1_oas3.json;
operationIds are cited below) and eBay's developer documentation pages named where used.

Example:
    >>> ebay = EbayMarketplace(
    ...     client_id="WuFarm-ruralsel-PRD-0123456789", client_secret="PRD-secret",
    ...     refresh_token="v^1.1#i^1#r^1#refresh", category_id="177771",
    ...     merchant_location_key="taihe-packhouse", fulfillment_policy_id="601",
    ...     payment_policy_id="602", return_policy_id="603",
    ...     image_base_url="https://pictures.example.org/wu-farm")
    >>> ebay
    EbayMarketplace(base_url='https://api.ebay.com/sell/inventory/v1', marketplace_id='EBAY_US', client_id='WuFarm-ruralsel-PRD-0123456789')
    >>> ebay.capabilities.names()
    ('multi_step_publish', 'image_urls', 'withdraw', 'stock_and_price')
"""  # noqa: E501 - the repr in the example is one line

from __future__ import annotations

import base64
import logging
import re
import time
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import quote, urlencode, urlsplit

import attrs
import httpx

from ruralseller.catalog import Money
from ruralseller.errors import (
    InvalidValueError,
    ListingRejectedError,
    MarketplaceAuthError,
    MarketplaceConflictError,
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
    with_food_statements,
)
from ruralseller.marketplaces.base import Capabilities, ListingState, guard_answers, image_name
from ruralseller.marketplaces.driver import Driver
from ruralseller.marketplaces.http import create_once
from ruralseller.marketplaces.retry import parse_retry_after
from ruralseller.marketplaces.secrets import Secret, redact_headers, redact_text

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
    "EbayAuth",
    "EbayListingSettings",
    "EbayMarketplace",
    "EbaySettings",
    "EbaySite",
    "OfferExistsError",
    "ebay_error",
    "image_urls",
    "inventory_item_payload",
    "item_aspects",
    "offer_payload",
    "price_quantity_payload",
]

logger = logging.getLogger("ruralseller.marketplaces")

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


# --- mapping a draft to eBay's payloads (pure functions) -----------------------------------


def _english(draft: ListingDraft) -> LocalizedText:
    try:
        return draft.text("en")
    except KeyError:
        raise InvalidValueError(
            f"the listing {draft.sku} has no English text, and eBay's English sites need it "
            f"(it has {', '.join(draft.texts) or 'no text'})",
            field="texts",
            hint="generate the listing with the locale 'en' as well",
        ) from None


def _ebay_extra(draft: ListingDraft) -> Mapping[str, Any]:
    extra = draft.extra.get("ebay", {})
    return extra if isinstance(extra, Mapping) else {}


def _amount(money: Money, site: EbaySite, field: str) -> dict[str, str]:
    """An eBay ``Amount``: value as text, in the site's currency (spec, schema Amount)."""
    if money.currency != site.currency:
        raise InvalidValueError(
            f"{site.marketplace_id} sells in {site.currency}, but the {field} is in "
            f"{money.currency} ({money.amount} {money.currency})",
            field=field,
            hint=f"price the listing in {site.currency} for this eBay site, or choose the "
            "eBay site of that currency (marketplace_id)",
        )
    return {"value": str(money.amount), "currency": money.currency}


def image_urls(images: Sequence[ProcessedImage], base_url: str) -> tuple[str, ...]:
    """The HTTPS addresses eBay fetches the pictures from: ``base_url`` + :func:`image_name`.

    The partner puts each processed picture at that address (same content, same name).

    >>> from ruralseller.listing import ProcessedImage
    >>> hen = ProcessedImage(data=b"", format="JPEG", width=1600, height=1600,
    ...     sha256="ab" * 32, source="hen.jpg", quality=85, steps=())
    >>> image_urls([hen], "https://pictures.example.org/wu-farm/")
    ('https://pictures.example.org/wu-farm/abababababababab.jpg',)
    """
    _check_https(base_url)
    root = base_url.rstrip("/")
    return tuple(f"{root}/{quote(image_name(image))}" for image in images)


def _check_https(base_url: str) -> None:
    parts = urlsplit(base_url)
    if parts.scheme != "https" or not parts.netloc:
        raise InvalidValueError(
            f"eBay fetches pictures only over HTTPS, and {base_url!r} is not an https:// address",
            field="image_base_url",
            hint="host the pictures on an https:// site (spec, Product.imageUrls: "
            "'URLs must use the HTTPS protocol') and give its address as image_base_url",
        )


def item_aspects(draft: ListingDraft) -> dict[str, list[str]]:
    """Item specifics from the draft's English attribute table, as eBay's name → values map.

    Attributes whose label is over 40 characters or whose value is over 50 are left out (they
    stay in the description's table); :meth:`EbayMarketplace.validate` warns about each one.
    Aspects in ``draft.extra["ebay"]["aspects"]`` are added and win over the table.

    >>> from ruralseller.listing.draft import Attribute, LocalizedText
    >>> text = LocalizedText(locale="en", title="Silkie", description="", description_html="",
    ...     attributes=[Attribute("breed", "Breed", "Taihe silkie"),
    ...                 Attribute("origin", "Origin", "Wushan, Taihe County, Ji'an, Jiangxi, China")])
    >>> draft = ListingDraft(sku="WJ1", lot="WJ1", product="silkie", kind="poultry_meat",
    ...     texts={"en": text}, price=Money("9.50", "USD"), sale_unit="piece", stock=3,
    ...     extra={"ebay": {"aspects": {"Type": ["Whole Chicken"]}}})
    >>> item_aspects(draft)
    {'Breed': ['Taihe silkie'], 'Origin': ["Wushan, Taihe County, Ji'an, Jiangxi, China"], 'Type': ['Whole Chicken']}
    """  # noqa: E501 - a doctest answer is one line
    aspects: dict[str, list[str]] = {}
    for attribute in _english(draft).attributes:
        name, value = attribute.label.strip(), attribute.value.strip()
        if 0 < len(name) <= ASPECT_NAME_MAX and 0 < len(value) <= ASPECT_VALUE_MAX:
            aspects.setdefault(name, []).append(value)
    for name, values in dict(_ebay_extra(draft).get("aspects", {})).items():
        aspects[str(name)] = [str(v) for v in ([values] if isinstance(values, str) else values)]
    return aspects


def _product_codes(gtin: str | None) -> dict[str, list[str]]:
    """A GTIN as eBay's ``upc`` (12 digits) or ``ean`` (8 or 13); others are not sent."""
    if not gtin:
        return {}
    if len(gtin) == 14 and gtin.startswith("0"):  # a GTIN-14 padding a GTIN-13
        gtin = gtin[1:]
    if len(gtin) == 12:
        return {"upc": [gtin]}
    if len(gtin) in (8, 13):
        return {"ean": [gtin]}
    return {}


def inventory_item_payload(
    draft: ListingDraft, settings: EbayListingSettings, urls: Sequence[str] = ()
) -> dict[str, Any]:
    """The body of ``PUT /inventory_item/{sku}`` (createOrReplaceInventoryItem) for ``draft``.

    The English text gives the title and the plain description; the attribute table gives
    the item specifics (:func:`item_aspects`); ``urls`` are the pictures
    (:func:`image_urls`); the stock is the ship-to-home quantity; the packed weight of one
    unit (``draft.shipping_weight``), when known, is the package weight.

    Example:
        >>> import datetime as dt
        >>> from ruralseller.catalog import load_catalog
        >>> from ruralseller.catalog.samples import sample_path
        >>> from ruralseller.listing import generate_listing
        >>> draft = generate_listing(load_catalog(sample_path()), "WJ261120A",
        ...                          on=dt.date(2026, 11, 21))
        >>> settings = EbayListingSettings(category_id="177771", merchant_location_key="taihe",
        ...     fulfillment_policy_id="601", payment_policy_id="602", return_policy_id="603")
        >>> body = inventory_item_payload(draft, settings, ["https://p.example.org/a.jpg"])
        >>> body["product"]["title"]
        'Taihe black-bone silkie chicken, whole, chilled, 1-1.4 kg each, from Jiangxi'
        >>> body["availability"], body["condition"], body["product"]["aspects"]["Breed"]
        ({'shipToLocationAvailability': {'quantity': 40}}, 'NEW', ['Taihe silkie (泰和乌鸡)'])
    """
    text = _english(draft)
    product: dict[str, Any] = {
        "title": text.title,
        "description": text.description,
        "aspects": item_aspects(draft),
        "imageUrls": list(urls),
        **_product_codes(draft.gtin),
    }
    body: dict[str, Any] = {
        "availability": {"shipToLocationAvailability": {"quantity": draft.stock}},
        "condition": settings.condition,
        "product": product,
    }
    if draft.shipping_weight is not None:
        # The packed weight of one unit, for calculated shipping (PackageWeightAndSize.weight;
        # metric sellers use KILOGRAM or GRAM).
        grams = draft.shipping_weight.grams
        body["packageWeightAndSize"] = {
            "weight": {"value": float(grams.numerator) / grams.denominator, "unit": "GRAM"}
        }
    return body


def offer_payload(
    draft: ListingDraft, settings: EbayListingSettings, *, for_update: bool = False
) -> dict[str, Any]:
    """The body of ``POST /offer`` (createOffer), or of ``PUT /offer/{id}`` (updateOffer).

    A fixed-price, good-'til-cancelled offer on the settings' eBay site: the price (in the
    site's currency, else :class:`~ruralseller.errors.InvalidValueError`), the stock, the
    order limit, the HTML description, the category and the seller's location and policies.
    An update leaves out ``sku``, ``marketplaceId`` and ``format``, which an offer keeps for
    life (they are not fields of updateOffer's ``EbayOfferDetailsWithId``).

    Example:
        >>> import datetime as dt
        >>> from ruralseller.catalog import load_catalog
        >>> from ruralseller.catalog.samples import sample_path
        >>> from ruralseller.listing import generate_listing
        >>> draft = generate_listing(load_catalog(sample_path()), "WJ261120A",
        ...                          on=dt.date(2026, 11, 21))
        >>> settings = EbayListingSettings(category_id="177771", merchant_location_key="taihe",
        ...     fulfillment_policy_id="601", payment_policy_id="602", return_policy_id="603")
        >>> offer_payload(draft, settings)
        Traceback (most recent call last):
        ...
        ruralseller.errors.InvalidValueError: EBAY_US sells in USD, but the price is in CNY ...
    """
    text = _english(draft)
    site = settings.site
    category = str(_ebay_extra(draft).get("category_id") or settings.category_id)
    body: dict[str, Any] = {
        "availableQuantity": draft.stock,
        "categoryId": category,
        "listingDescription": text.description_html,
        "listingDuration": "GTC",  # "For fixed-price listings, this value must be set to GTC"
        "listingPolicies": {
            "fulfillmentPolicyId": settings.fulfillment_policy_id,
            "paymentPolicyId": settings.payment_policy_id,
            "returnPolicyId": settings.return_policy_id,
        },
        "merchantLocationKey": settings.merchant_location_key,
        "pricingSummary": {"price": _amount(draft.price, site, "price")},
    }
    if draft.max_order is not None:
        body["quantityLimitPerBuyer"] = draft.max_order
    if not for_update:
        body |= {"sku": draft.sku, "marketplaceId": site.marketplace_id, "format": "FIXED_PRICE"}
    return body


def price_quantity_payload(
    sku: str,
    stock: int,
    *,
    offer_id: str | None = None,
    price: Money | None = None,
    site: EbaySite = SITES["EBAY_US"],
) -> dict[str, Any]:
    """The body of ``POST /bulk_update_price_quantity`` (bulkUpdatePriceQuantity) for one SKU.

    It sets the item's ship-to-home quantity and, when the offer is known, the offer's
    quantity and price (a price needs the offer).

    >>> price_quantity_payload("WJ1", 5, offer_id="9001", price=Money("39.50", "USD"))
    {'requests': [{'sku': 'WJ1', 'shipToLocationAvailability': {'quantity': 5}, 'offers': [{'offerId': '9001', 'availableQuantity': 5, 'price': {'value': '39.50', 'currency': 'USD'}}]}]}
    """  # noqa: E501 - a doctest answer is one line
    request: dict[str, Any] = {"sku": sku, "shipToLocationAvailability": {"quantity": stock}}
    if offer_id is not None:
        offer: dict[str, Any] = {"offerId": offer_id, "availableQuantity": stock}
        if price is not None:
            offer["price"] = _amount(price, site, "price")
        request["offers"] = [offer]
    elif price is not None:
        raise InvalidValueError(
            f"eBay sets a price on an offer, and {sku} has none yet",
            field="price",
            hint="publish the listing first (upsert), then change its price",
        )
    return {"requests": [request]}


# --- errors ----------------------------------------------------------------------------------


class OfferExistsError(MarketplaceConflictError):
    """eBay already has an offer for this SKU on this site (createOffer's errorId 25002).

    Attributes:
        offer_id: the existing offer's id, which eBay gives in the error's parameters.
    """

    def __init__(self, message: str, *, offer_id: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.offer_id = offer_id


def _errors(response: httpx.Response) -> list[dict[str, Any]]:
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return []
    found = body.get("errors") if isinstance(body, dict) else None
    return [e for e in found if isinstance(e, dict)] if isinstance(found, list) else []


def _parameters(error: Mapping[str, Any]) -> dict[str, str]:
    return {
        str(p.get("name")): str(p.get("value"))
        for p in error.get("parameters") or ()
        if isinstance(p, dict) and p.get("name") is not None
    }


def _field_of(error: Mapping[str, Any]) -> str | None:
    """Where in our payloads an eBay error points: its parameters, its words, or its id."""
    for value in _parameters(error).values():
        key = value.rsplit(".", maxsplit=1)[-1].strip().lower()
        if key in _FIELD_PATHS:
            return _FIELD_PATHS[key]
    for text in (error.get("message"), error.get("longMessage")):
        found = _FIELD_WORDS.search(str(text or ""))
        if found:
            return _FIELD_PATHS[found.group(1).lower()]
    return _FIELD_OF_ERROR.get(_error_id(error))


def _error_id(error: Mapping[str, Any]) -> int:
    try:
        return int(error.get("errorId", 0))
    except (TypeError, ValueError):
        return 0


def _said(errors: Iterable[Mapping[str, Any]], secrets: Sequence[Secret | str]) -> str:
    parts = []
    for error in errors:
        text = str(error.get("longMessage") or error.get("message") or "").strip()
        parts.append(f"{text} (errorId {error.get('errorId')})" if text else "")
    return redact_text("; ".join(p for p in parts if p), secrets)


def ebay_error(
    response: httpx.Response, *, secrets: Iterable[Secret | str] = ()
) -> MarketplaceError | None:
    """The error an Inventory API response stands for, from eBay's ``errors`` list.

    eBay answers ``{"errors": [{"errorId", "domain", "category", "message", "longMessage",
    "parameters": [{"name", "value"}]}]}``. Field errors are keyed by the payload path at
    fault (``product.title``); ``bulkUpdatePriceQuantity`` reports per-SKU failures inside a
    200 or 207 body, which are errors too. Returns ``None`` for a success, and for a failure
    without eBay's error list (the shared mapping of the status code then applies).

    >>> import httpx
    >>> too_long = httpx.Response(400, json={"errors": [{
    ...     "errorId": 25080, "domain": "API_INVENTORY", "category": "REQUEST",
    ...     "message": "The value of the title field is invalid. Field must not exceed 80 "
    ...                "characters.", "parameters": [{"name": "0", "value": "title"}]}]})
    >>> error = ebay_error(too_long)
    >>> type(error).__name__, error.field_errors, error.code
    ('ListingRejectedError', {'product.title': 'The value of the title field is invalid. Field must not exceed 80 characters.'}, '25080')
    """  # noqa: E501 - a doctest answer is one line
    secrets = list(secrets)
    status = response.status_code
    errors = _errors(response)
    if status < 400:
        return _bulk_error(response, secrets)
    if not errors:
        return None
    first = errors[0]
    code = str(first.get("errorId")) if first.get("errorId") is not None else None
    said = _said(errors, secrets)
    common: dict[str, Any] = {
        "marketplace": "ebay",
        "status": status,
        "code": code,
        "headers": redact_headers(response.headers),
    }
    ref = f" [HTTP {status}, errorId {code}]"
    if status in (401, 403):
        return MarketplaceAuthError(
            "ebay did not accept the access token: check that the seller granted the "
            "sell.inventory scope and that the refresh token is still valid (they last about "
            f"18 months; sign the seller in again to get a new one) (ebay said: {said}){ref}",
            **common,
        )
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        wait = f"wait {retry_after:g} s and " if retry_after is not None else "wait and "
        return RateLimitedError(
            f"ebay is limiting how fast we send (the account's daily call limit or a burst "
            f"limit): {wait}try again (ebay said: {said}){ref}",
            retry_after=retry_after,
            **common,
        )
    offer_id = _parameters(first).get("offerId")
    if _error_id(first) == _USER_ERROR and offer_id:
        return OfferExistsError(
            f"ebay already has an offer for this SKU (offer {offer_id}); it is updated "
            f"instead of making a second one (ebay said: {said}){ref}",
            offer_id=offer_id,
            **common,
        )
    if status >= 500:
        again = "it is busy with this item" if _error_id(first) == _CONCURRENT else "server error"
        return MarketplaceUnavailableError(
            f"ebay is having trouble ({again}); nothing to fix on our side, try again later "
            f"(ebay said: {said}){ref}",
            **common,
        )
    if status == 404 or _error_id(first) in _NOT_FOUND:
        return MarketplaceError(
            f"ebay has no such item or offer (ebay said: {said}){ref}", **common
        )
    return _rejected(errors, secrets, common, ref)


def _rejected(
    errors: Sequence[Mapping[str, Any]],
    secrets: Sequence[Secret | str],
    common: dict[str, Any],
    ref: str,
) -> ListingRejectedError:
    fields: dict[str, str] = {}
    for error in errors:
        field = _field_of(error)
        if field is not None:
            text = str(error.get("longMessage") or error.get("message") or "").strip()
            fields.setdefault(field, redact_text(text, secrets))
    listed = "; ".join(f"{k}: {v}" for k, v in fields.items())
    return ListingRejectedError(
        "ebay rejected the listing: "
        + (listed or _said(errors, secrets) or "no reason given")
        + f"; fix these and publish again{ref}",
        field_errors=fields,
        **common,
    )


def _bulk_error(
    response: httpx.Response, secrets: Sequence[Secret | str]
) -> MarketplaceError | None:
    """A per-SKU failure inside bulkUpdatePriceQuantity's 200/207 answer (spec, that operation)."""
    if not response.request.url.path.endswith("/bulk_update_price_quantity"):
        return None
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return None
    for item in body.get("responses", []) if isinstance(body, dict) else []:
        status = int(item.get("statusCode") or 200)
        errors = [e for e in item.get("errors") or () if isinstance(e, dict)]
        if status >= 400 and errors:
            inner = httpx.Response(status, json={"errors": errors}, request=response.request)
            return ebay_error(inner, secrets=secrets)
    return None


# --- auth ------------------------------------------------------------------------------------


class EbayAuth(httpx.Auth):
    """OAuth 2 user access token as ``Authorization: Bearer``, renewed with the refresh token.

    A user access token lasts about two hours (``expires_in``); when it has run out, or eBay
    answers 401, a new one is asked for at the token endpoint (``grant_type=refresh_token``,
    the app's client id and secret in Basic auth) and the request is sent once more
    (developer.ebay.com/api-docs/static/oauth-refresh-token-request.html; httpx's
    ``auth_flow`` pattern).

    Args:
        client_id: the app's client id (App ID).
        client_secret: the app's client secret (Cert ID).
        refresh_token: the seller's refresh token, from the consent (authorization code) flow.
        access_token: a current user access token, if there is one; else one is asked for
            before the first request.
        scopes: the scopes asked for on renewal (the same as, or fewer than, the consent's).
        token_url: the token endpoint (:data:`TOKEN_URL` or :data:`SANDBOX_TOKEN_URL`).
        clock: monotonic seconds, injectable for tests.
    """

    requires_response_body = True
    #: Renew this many seconds before eBay's ``expires_in`` runs out.
    margin = 60.0

    def __init__(  # noqa: PLR0913 - all keyword-only
        self,
        *,
        client_id: str,
        client_secret: Secret,
        refresh_token: Secret,
        access_token: Secret | None = None,
        scopes: Sequence[str] = (INVENTORY_SCOPE,),
        token_url: str = TOKEN_URL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client_id = client_id
        self._client_secret = client_secret
        self._refresh_token = refresh_token
        self._access_token = access_token
        self._expires_at: float | None = None
        self.scopes = tuple(scopes)
        self.token_url = token_url
        self._clock = clock

    def __repr__(self) -> str:
        return f"EbayAuth(client_id={self.client_id!r}, token_url={self.token_url!r})"

    @property
    def secrets(self) -> tuple[Secret, ...]:
        """Every credential this auth holds, for scrubbing messages."""
        held = (self._client_secret, self._refresh_token, self._access_token)
        return tuple(s for s in held if s is not None)

    def refresh_request(self) -> httpx.Request:
        """The token request that renews the user access token."""
        pair = f"{self.client_id}:{self._client_secret.reveal()}".encode()
        form = {"grant_type": "refresh_token", "refresh_token": self._refresh_token.reveal()}
        if self.scopes:
            form["scope"] = " ".join(self.scopes)
        return httpx.Request(
            "POST",
            self.token_url,
            headers={
                "Authorization": "Basic " + base64.b64encode(pair).decode("ascii"),
                "Content-Type": "application/x-www-form-urlencoded",
            },
            content=urlencode(form).encode(),
        )

    def _expired(self) -> bool:
        if self._access_token is None:
            return True
        return self._expires_at is not None and self._clock() >= self._expires_at

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Send ``request`` with a valid token; on a 401, renew it and send once more."""
        if self._expired():
            yield from self._renew()
        request.headers["Authorization"] = f"Bearer {self._bearer()}"
        response = yield request
        if response.status_code == 401:
            logger.info("ebay: the access token was refused; renewing it once")
            yield from self._renew()
            request.headers["Authorization"] = f"Bearer {self._bearer()}"
            yield request

    def _bearer(self) -> str:
        if self._access_token is None:  # pragma: no cover - _renew sets it or raises
            raise MarketplaceAuthError("ebay: no access token", marketplace="ebay")
        return self._access_token.reveal()

    def _renew(self) -> Generator[httpx.Request, httpx.Response, None]:
        response = yield self.refresh_request()
        try:
            body = response.json()
        except (ValueError, UnicodeDecodeError):
            body = {}
        token = body.get("access_token") if isinstance(body, dict) else None
        if response.status_code == 200 and isinstance(token, str) and token:
            self._access_token = Secret(token)
            expires_in = body.get("expires_in")
            self._expires_at = (
                self._clock() + float(expires_in) - self.margin
                if isinstance(expires_in, int | float)
                else None
            )
            return
        raise self._renewal_error(response, body if isinstance(body, dict) else {})

    def _renewal_error(self, response: httpx.Response, body: Mapping[str, Any]) -> MarketplaceError:
        said = redact_text(
            str(body.get("error_description") or body.get("error") or response.text[:200]),
            self.secrets,
        )
        common: dict[str, Any] = {
            "marketplace": "ebay",
            "status": response.status_code,
            "code": str(body["error"]) if body.get("error") else None,
            "headers": redact_headers(response.headers),
        }
        tail = f" (ebay said: {said}) [HTTP {response.status_code}, token endpoint]"
        if response.status_code >= 500:
            return MarketplaceUnavailableError(
                f"ebay could not renew the access token (server error); try again later{tail}",
                **common,
            )
        if response.status_code == 429:
            return RateLimitedError(
                "ebay refused to renew the access token: too many token requests today "
                f"(50,000 a day for refresh tokens); wait and try again{tail}",
                retry_after=parse_retry_after(response.headers.get("retry-after")),
                **common,
            )
        if body.get("error") == "invalid_client" or response.status_code == 401:
            what = "the app's client id or client secret is wrong; copy them again from the "
            what += "eBay developer account (Application Keys)"
        else:
            what = "the refresh token is invalid, revoked or expired (they last about 18 "
            what += "months); sign the seller in to eBay again to get a new one"
        return MarketplaceAuthError(f"ebay did not renew the access token: {what}{tail}", **common)


# --- the adapter -----------------------------------------------------------------------------


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


@guard_answers
class EbayMarketplace(Driver[EbaySettings]):
    """Publishes to eBay through the Sell Inventory API (one eBay site per adapter).

    Its settings are :class:`EbaySettings`; the wiring (``retry``, ``rate``, ``transport``,
    ``timeout``, ``sleep``, ``clock``) is the :class:`~ruralseller.marketplaces.driver.Driver`'s:
    ``rate`` is requests per second to stay under (:data:`DEFAULT_RATE`), shared by the
    adapters of the same app. The listing settings (category, location, policies, site) are
    :attr:`listing_settings`.
    """

    name: ClassVar[str] = "ebay"
    capabilities: ClassVar[Capabilities] = Capabilities(
        multi_step_publish=True,
        image_upload=False,
        image_urls=True,
        native_idempotency=False,  # createOffer has no idempotency key: create_once instead
        variable_weight=False,
        withdraw=True,
        stock_and_price=True,
    )

    settings_class: ClassVar[type[EbaySettings]] = EbaySettings
    default_rate: ClassVar[float] = DEFAULT_RATE

    def setup(self) -> None:
        """The listing settings, the environment's hosts and the OAuth auth."""
        settings = self.settings
        self.listing_settings = EbayListingSettings(
            category_id=settings.category_id,
            merchant_location_key=settings.merchant_location_key,
            fulfillment_policy_id=settings.fulfillment_policy_id,
            payment_policy_id=settings.payment_policy_id,
            return_policy_id=settings.return_policy_id,
            marketplace_id=settings.marketplace_id,
        )
        self.image_base_url = settings.image_base_url
        self.sandbox = settings.sandbox
        default = SANDBOX_URL if settings.sandbox else PRODUCTION_URL
        self.base_url = (settings.base_url or default).rstrip("/")
        self.auth = EbayAuth(
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            refresh_token=settings.refresh_token,
            access_token=settings.access_token,
            token_url=settings.token_url or (SANDBOX_TOKEN_URL if settings.sandbox else TOKEN_URL),
            clock=self.clock,
        )

    def make_auth(self) -> httpx.Auth:
        """EBay's user token, renewed with the refresh token (:class:`EbayAuth`)."""
        return self.auth

    def account_key(self) -> str:
        """EBay's quota is per app, for all sites."""
        return f"{self.base_url} {self.settings.client_id}"

    def secrets(self) -> list[Secret]:
        """The app's and the seller's credentials."""
        return list(self.auth.secrets)

    def classify(self, response: httpx.Response) -> MarketplaceError | None:
        """EBay's error bodies (:func:`ebay_error`)."""
        return ebay_error(response, secrets=self.auth.secrets)

    def __repr__(self) -> str:
        return (
            f"EbayMarketplace(base_url={self.base_url!r}, "
            f"marketplace_id={self.listing_settings.marketplace_id!r}, "
            f"client_id={self.auth.client_id!r})"
        )

    @property
    def site(self) -> EbaySite:
        """The eBay site this adapter lists on."""
        return self.listing_settings.site

    async def validate(self, draft: ListingDraft) -> tuple[ListingIssue, ...]:
        """The issues eBay would refuse or warn about, checked locally.

        The ``ebay`` profile's checks, plus: the price in the site's currency, English text,
        somewhere to host the pictures, and item specifics within eBay's lengths.
        """
        issues = list(validate_draft(draft, self.profile, locale="en"))
        site = self.site
        if draft.price.currency != site.currency:
            issues.append(
                ListingIssue(
                    "price",
                    f"{site.marketplace_id} sells in {site.currency}, the price is in "
                    f"{draft.price.currency}",
                    f"price the listing in {site.currency}, or list on the eBay site of "
                    f"{draft.price.currency} (marketplace_id)",
                )
            )
        if draft.images and self.image_base_url is None:
            issues.append(
                ListingIssue(
                    "images",
                    "eBay fetches pictures from HTTPS addresses, and no image_base_url is set",
                    "host the pictures on an https:// site and give its address as image_base_url",
                )
            )
        if any(key.split("-")[0] == "en" for key in draft.texts):
            issues.extend(_aspect_issues(draft.text("en")))
        return tuple(issues)

    async def upsert(
        self, draft: ListingDraft, images: Sequence[ProcessedImage] = ()
    ) -> ListingState:
        """Write the inventory item, create or update its offer, and publish it.

        Nothing here makes a second offer: the offer is looked up by SKU first, a create
        whose answer is lost is reconciled by SKU (:func:`create_once`), and eBay's "offer
        already exists" answer is taken as found. The statement eBay's food policy asks of a
        perishable (how it reaches the buyer cold) is written into the description
        (:func:`~ruralseller.listing.with_food_statements`).
        """
        draft = with_food_statements(draft, self.profile.food_policy, marketplace=self.name)
        urls = self._urls(images)
        await self._put_item(draft.sku, inventory_item_payload(draft, self.listing_settings, urls))
        offer = await self._offer(draft.sku)
        published: str | None = None
        if offer is None:
            offer_id = await self._create_offer(draft)
        else:
            offer_id = str(offer["offerId"])
            await self.http.request(
                "PUT",
                _path("offer", offer_id),
                idempotent=True,
                json=offer_payload(draft, self.listing_settings, for_update=True),
                headers=self._language(),
            )
            if offer.get("status") == "PUBLISHED":
                published = str((offer.get("listing") or {}).get("listingId") or "") or None
        if published is None:
            # publishOffer on an offer already live only re-publishes it: safe to repeat.
            response = await self.http.request(
                "POST", _path("offer", offer_id, "publish"), idempotent=True
            )
            published = str(response.json().get("listingId") or "") or None
        shown = urls
        return ListingState(
            marketplace=self.name,
            sku=draft.sku,
            state="active",
            stock=draft.stock,
            price=draft.price,
            images=shown,
            url=self._listing_url(published),
            extra={"offerId": offer_id, "listingId": published, "status": "PUBLISHED"},
        )

    async def upload_images(self, sku: str, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        """Point the inventory item at the pictures' HTTPS addresses; return them.

        eBay takes no picture files through this API: the partner hosts each picture at
        ``image_base_url`` under its :func:`image_name`, and eBay fetches it from there.
        """
        urls = self._urls(images)
        response = await self.http.request("GET", _path("inventory_item", sku), idempotent=True)
        item = response.json()
        body = {k: item[k] for k in _ITEM_FIELDS if k in item}
        if "availability" in body:  # the answer's availability has read-only parts
            quantity = body["availability"].get("shipToLocationAvailability", {}).get("quantity")
            body["availability"] = {"shipToLocationAvailability": {"quantity": quantity or 0}}
        body.setdefault("product", {})["imageUrls"] = list(urls)
        await self._put_item(sku, body)
        return urls

    async def set_stock(self, sku: str, stock: int, price: Money | None = None) -> ListingState:
        """Change the stock, and the price when given, of the item and its offer."""
        offer = await self._offer(sku)
        offer_id = str(offer["offerId"]) if offer is not None else None
        body = price_quantity_payload(sku, stock, offer_id=offer_id, price=price, site=self.site)
        await self.http.request("POST", "/bulk_update_price_quantity", idempotent=True, json=body)
        state = await self.fetch(sku)
        if state is None:
            raise self._missing(sku)
        return state

    async def withdraw(self, sku: str) -> ListingState:
        """End the eBay listing and keep the offer, unpublished, to publish again later."""
        offer = await self._offer(sku)
        if offer is None:
            raise self._missing(sku)
        offer_id = str(offer["offerId"])
        if offer.get("status") == "PUBLISHED":
            await self.http.request("POST", _path("offer", offer_id, "withdraw"), idempotent=True)
        state = await self.fetch(sku)
        if state is None:  # pragma: no cover - the offer was just there
            raise self._missing(sku)
        return state

    async def fetch(self, sku: str) -> ListingState | None:
        """The inventory item and its offer as eBay holds them, or ``None``."""
        try:
            response = await self.http.request("GET", _path("inventory_item", sku), idempotent=True)
        except MarketplaceError as error:
            if _is_not_found(error):
                return None
            raise
        return self._state(sku, response.json(), await self._offer(sku))

    async def aclose(self) -> None:
        """Close the connections."""
        await self.http.aclose()

    # --- steps -------------------------------------------------------------------------------

    def _language(self) -> dict[str, str]:
        return {"Content-Language": self.site.content_language}

    def _urls(self, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        if not images:
            return ()
        if self.image_base_url is None:
            raise InvalidValueError(
                "eBay fetches pictures from HTTPS addresses, and no image_base_url is set",
                field="image_base_url",
                hint="host the pictures on an https:// site, each under its image_name(), and "
                "give that site's address as image_base_url",
            )
        if len(images) > IMAGE_MAX:
            raise InvalidValueError(
                f"eBay takes at most {IMAGE_MAX} pictures per listing, got {len(images)}",
                field="images",
                hint=f"keep the best {IMAGE_MAX}",
            )
        return image_urls(images, self.image_base_url)

    async def _put_item(self, sku: str, body: dict[str, Any]) -> None:
        await self.http.request(
            "PUT",
            _path("inventory_item", sku),
            idempotent=True,
            json=body,
            headers=self._language(),
        )

    async def _offer(self, sku: str) -> dict[str, Any] | None:
        """The fixed-price offer for ``sku`` on this site (getOffers), or ``None``."""
        try:
            response = await self.http.request(
                "GET",
                "/offer",
                idempotent=True,
                params={"sku": sku, "marketplace_id": self.site.marketplace_id},
            )
        except MarketplaceError as error:
            if _is_not_found(error):
                return None
            raise
        offers = response.json().get("offers") or []
        for offer in offers:
            if (
                offer.get("sku") == sku
                and offer.get("marketplaceId", self.site.marketplace_id) == self.site.marketplace_id
                and offer.get("format", "FIXED_PRICE") == "FIXED_PRICE"
            ):
                return dict(offer)
        return None

    async def _create_offer(self, draft: ListingDraft) -> str:
        body = offer_payload(draft, self.listing_settings)

        async def create() -> str:
            try:
                response = await self.http.request(
                    "POST", "/offer", idempotent=False, json=body, headers=self._language()
                )
            except OfferExistsError as exists:
                logger.info("ebay: offer %s already exists for the SKU; using it", exists.offer_id)
                return exists.offer_id
            return str(response.json()["offerId"])

        async def lookup() -> str | None:
            offer = await self._offer(draft.sku)
            return str(offer["offerId"]) if offer is not None else None

        return await create_once(create, lookup)

    def _listing_url(self, listing_id: str | None) -> str | None:
        if not listing_id:
            return None
        if self.sandbox:
            return f"https://sandbox.ebay.com/itm/{listing_id}"
        return self.site.item_url + listing_id

    def _missing(self, sku: str) -> MarketplaceError:
        return MarketplaceError(
            f"ebay has no offer for the SKU {sku!r} on {self.site.marketplace_id}; "
            "publish it first (upsert)",
            marketplace=self.name,
            status=404,
        )

    def _state(
        self, sku: str, item: Mapping[str, Any], offer: Mapping[str, Any] | None
    ) -> ListingState:
        product = item.get("product") or {}
        listing = (offer or {}).get("listing") or {}
        status = (offer or {}).get("status")
        if status == "PUBLISHED" and listing.get("listingStatus") != "ENDED":
            state = "active"
        elif listing.get("listingId"):
            state = "withdrawn"  # was live once; its offer is unpublished now
        else:
            state = "draft"
        stock = (offer or {}).get("availableQuantity")
        if stock is None:
            ship = (item.get("availability") or {}).get("shipToLocationAvailability") or {}
            stock = ship.get("quantity")
        price = ((offer or {}).get("pricingSummary") or {}).get("price")
        listing_id = listing.get("listingId")
        return ListingState(
            marketplace=self.name,
            sku=sku,
            state=state,
            stock=int(stock) if stock is not None else None,
            price=Money(Decimal(price["value"]), price["currency"]) if price else None,
            images=tuple(product.get("imageUrls") or ()),
            url=self._listing_url(str(listing_id) if listing_id else None),
            extra={
                "offerId": (offer or {}).get("offerId"),
                "listingId": listing_id,
                "status": status,
                "listingStatus": listing.get("listingStatus"),
                "marketplaceId": (offer or {}).get("marketplaceId"),
            },
        )


def _secret(value: Secret | str) -> Secret:
    return value if isinstance(value, Secret) else Secret(value)


def _is_not_found(error: MarketplaceError) -> bool:
    if error.status == 404:
        return True
    return (
        error.status == 400
        and error.code is not None
        and error.code.isdigit()
        and (int(error.code) in _NOT_FOUND)
    )


def _aspect_issues(text: LocalizedText) -> list[ListingIssue]:
    issues = []
    for attribute in text.attributes:
        name, value = attribute.label.strip(), attribute.value.strip()
        if len(name) > ASPECT_NAME_MAX or len(value) > ASPECT_VALUE_MAX:
            issues.append(
                ListingIssue(
                    f"texts[{text.locale}].attributes.{attribute.key}",
                    f"eBay item specifics take names up to {ASPECT_NAME_MAX} and values up to "
                    f"{ASPECT_VALUE_MAX} characters; {name!r} ({len(name)}) = {value!r} "
                    f"({len(value)}) is left out of the item specifics",
                    "shorten it in the catalogue to show it as an item specific; it stays in "
                    "the description either way",
                    IssueSeverity.WARNING,
                )
            )
    return issues
