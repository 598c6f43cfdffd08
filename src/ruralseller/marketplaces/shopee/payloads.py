"""What is sent to Shopee, as pure functions of a draft."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from ruralseller.catalog import Mass, Money
from ruralseller.errors import (
    InvalidValueError,
)
from ruralseller.listing import (
    ListingDraft,
    LocalizedText,
)
from ruralseller.marketplaces.shopee.regions import (
    ShopeeRegion,
    _region,
)

__all__ = [
    "add_item_payload",
    "item_weight_kg",
    "shopee_price",
    "stock_payload",
    "unlist_payload",
    "update_item_payload",
    "update_price_payload",
]

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

    >>> from ruralseller.marketplaces.shopee import SHOPEE_REGIONS
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
        >>> body["item_name"], body["original_price"], body["item_sku"]
        ('Taihe black-bone silkie chicken, whole, chilled, 1-1.4 kg each, from Jiangxi', 9.9, \
'WJ261120A')
        >>> body["weight"]  # kg: one bird packed in a foam box with ice, from the pack plan
        7.0
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
