"""What is sent to eBay, as pure functions of a draft."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote, urlsplit

from ruralseller.catalog import Money
from ruralseller.errors import (
    InvalidValueError,
)
from ruralseller.listing import (
    ListingDraft,
    LocalizedText,
    ProcessedImage,
)
from ruralseller.marketplaces.base import image_name
from ruralseller.marketplaces.ebay.constants import (
    ASPECT_NAME_MAX,
    ASPECT_VALUE_MAX,
    SITES,
    EbayListingSettings,
    EbaySite,
)

__all__ = [
    "image_urls",
    "inventory_item_payload",
    "item_aspects",
    "offer_payload",
    "price_quantity_payload",
]

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
