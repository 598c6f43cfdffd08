"""What is sent to Amazon, as pure functions of a draft."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from ruralseller.catalog import Mass, Money
from ruralseller.errors import (
    InvalidValueError,
)
from ruralseller.listing import (
    ListingDraft,
    LocalizedText,
    ProcessedImage,
)
from ruralseller.marketplaces.amazon.constants import (
    _HOW,
    DEFAULT_MARKETPLACE_ID,
    DEFAULT_PRODUCT_TYPE,
    ITEM_TYPE_KEYWORDS,
    MAX_IMAGES,
    REQUIRED_ATTRIBUTES,
    _site,
)
from ruralseller.marketplaces.amazon.schema import (
    _issue_key,
)
from ruralseller.marketplaces.base import image_name

__all__ = [
    "image_attributes",
    "image_urls",
    "listing_attributes",
    "listings_feed",
    "missing_attributes",
    "put_listing_body",
    "stock_and_price_patches",
]

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
        >>> attributes["purchasable_offer"][0]["our_price"]  # 18.00 USD/jin x 2.8 jin (1.4 kg)
        [{'schedule': [{'value_with_tax': 50.4}]}]
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
