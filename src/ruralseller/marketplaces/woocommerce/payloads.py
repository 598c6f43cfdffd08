"""What is sent to WooCommerce, as pure functions of a draft."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ruralseller.catalog import Mass, Money
from ruralseller.errors import (
    InvalidValueError,
)
from ruralseller.listing import (
    ListingDraft,
    LocalizedText,
)
from ruralseller.marketplaces.woocommerce.constants import (
    _WEIGHT_UNITS,
    META_PREFIX,
)

__all__ = [
    "MediaImage",
    "product_payload",
    "stock_payload",
]

# --- mapping (pure: what is sent for a draft) -------------------------------------------------


@attrs.frozen
class MediaImage:
    """A picture in the store's media library.

    Attributes:
        id: the attachment id the product refers to.
        name: the content name it was uploaded under (:func:`~ruralseller.marketplaces.image_name`).
        url: where the store serves it.
    """

    id: int
    name: str
    url: str = ""


def _price_text(price: Money) -> str:
    # WooCommerce takes prices as strings with a dot, in the store's decimals (_products.md).
    return format(price.rounded().amount, "f")


def _bullets_html(bullets: Sequence[str]) -> str:
    if not bullets:
        return ""
    items = "".join(f"<li>{html.escape(bullet)}</li>" for bullet in bullets)
    return f"<ul>{items}</ul>"


def _weight(draft: ListingDraft, text: LocalizedText, unit: str) -> str | None:
    """The shipping weight of one sale unit, in the store's weight unit.

    The packed weight of one unit (``draft.shipping_weight``) when the draft has it; else the
    sale unit's mass, or the heavier end of the ``net_weight`` attribute.
    """
    mass: Mass | None = draft.shipping_weight
    try:
        if mass is None:
            mass = Mass.parse(draft.sale_unit)
    except InvalidValueError:
        attribute = text.attribute("net_weight")
        raw = attribute.raw if attribute is not None else None
        if raw:
            try:  # a range such as "1 kg..1.4 kg": ship by the heavier end
                mass = Mass.parse(raw.split("..")[-1])
            except InvalidValueError:
                mass = None
    if mass is None:
        return None
    exact = mass.in_unit(_WEIGHT_UNITS[unit])
    value = Decimal(exact.numerator) / Decimal(exact.denominator)
    return format(value.quantize(Decimal("0.001")).normalize(), "f")


def _meta_data(draft: ListingDraft, text: LocalizedText) -> list[dict[str, str]]:
    meta: dict[str, str | None] = {
        "lot": draft.lot,
        "product": draft.product,
        "kind": draft.kind,
        "gtin": draft.gtin,
        "sale_unit": draft.sale_unit,
        "price_per_kg": str(draft.price_per_kg) if draft.price_per_kg is not None else None,
        "min_order": str(draft.min_order),
        "max_order": str(draft.max_order) if draft.max_order is not None else None,
        "traceability_url": draft.traceability_url,
        "certifications": "; ".join(draft.certifications) or None,
        "temperature_class": draft.shipping.temperature_class if draft.shipping else None,
    }
    for attribute in text.attributes:
        meta[f"attribute_{attribute.key}"] = attribute.raw or attribute.value
    return [{"key": META_PREFIX + key, "value": value} for key, value in meta.items() if value]


def product_payload(  # noqa: PLR0913 - keyword-only store settings, each with a default
    draft: ListingDraft,
    *,
    locale: str = "en",
    images: Sequence[MediaImage] = (),
    category_ids: Sequence[int] = (),
    shipping_classes: Mapping[str, str] | None = None,
    weight_unit: str = "kg",
    status: str = "publish",
) -> dict[str, Any]:
    """The WooCommerce product for ``draft``: the body of a create, an update or a batch item.

    Args:
        draft: the listing draft.
        locale: which of the draft's texts the store shows.
        images: the pictures, already in the store's media library, main picture first.
        category_ids: the store's product category ids to file it under.
        shipping_classes: the store's shipping class slug per temperature class
            (``{"chilled": "cold-chain"}``).
        weight_unit: the store's weight unit (WooCommerce > Settings > Products): ``kg``,
            ``g``, ``lbs`` or ``oz``.
        status: ``publish`` to sell it, ``draft`` to keep it hidden.

    Example:
        >>> import datetime as dt
        >>> from ruralseller.catalog import load_catalog
        >>> from ruralseller.catalog.samples import sample_path
        >>> from ruralseller.listing import generate_listing
        >>> draft = generate_listing(load_catalog(sample_path()), "WJ261120A",
        ...                          on=dt.date(2026, 11, 21))
        >>> body = product_payload(draft, images=[MediaImage(41, "9f2c.jpg")])
        >>> body["sku"], body["regular_price"], body["stock_quantity"]  # one bird: 36.00 x 2.8
        ('WJ261120A', '100.80', 40)
        >>> body["weight"]  # kg: one bird packed in a foam box with ice, from the pack plan
        '7'
        >>> body["images"][0]["id"], body["images"][0]["name"]
        (41, '9f2c.jpg')
    """
    if weight_unit not in _WEIGHT_UNITS:
        raise InvalidValueError(
            f"WooCommerce weighs in kg, g, lbs or oz, got weight unit {weight_unit!r}",
            field="weight_unit",
            hint="use the unit set in WooCommerce > Settings > Products",
        )
    text = draft.text(locale)
    payload: dict[str, Any] = {
        "name": text.title,
        "type": "simple",
        "status": status,
        "sku": draft.sku,
        "regular_price": _price_text(draft.price),
        "description": text.description_html,
        "short_description": _bullets_html(text.bullets),
        "manage_stock": True,
        "stock_quantity": draft.stock,
        "attributes": [
            {
                "name": attribute.label,
                "position": position,
                "visible": True,
                "variation": False,
                "options": [attribute.value],
            }
            for position, attribute in enumerate(text.attributes)
        ],
        "meta_data": _meta_data(draft, text),
    }
    weight = _weight(draft, text, weight_unit)
    if weight is not None:
        payload["weight"] = weight
    if category_ids:
        payload["categories"] = [{"id": int(category)} for category in category_ids]
    if draft.shipping and shipping_classes and draft.shipping.temperature_class in shipping_classes:
        payload["shipping_class"] = shipping_classes[draft.shipping.temperature_class]
    if images:
        payload["images"] = [
            {"id": image.id, "name": image.name, "alt": text.title} for image in images
        ]
    return payload


def stock_payload(stock: int, price: Money | None = None) -> dict[str, Any]:
    """The body of a stock (and price) change.

    >>> stock_payload(0, Money("39.5", "CNY"))
    {'manage_stock': True, 'stock_quantity': 0, 'regular_price': '39.50'}
    """
    body: dict[str, Any] = {"manage_stock": True, "stock_quantity": stock}
    if price is not None:
        body["regular_price"] = _price_text(price)
    return body
