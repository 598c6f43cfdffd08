"""The marketplace-neutral listing draft that every marketplace adapter translates.

A :class:`ListingDraft` holds everything a shopper reads about one lot, in every locale asked
for: the title, a short description and bullet points, the attributes with their units, the
certifications, the price, stock and order limits, the shipping promise, the pictures and the
traceability link. Adapters map it to their platform; they never re-do templating, image
processing or compliance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from ruralseller.catalog import Mass, Money
from ruralseller.catalog.checks import frozen_tuple

__all__ = [
    "Attribute",
    "ListingDraft",
    "LocalizedText",
    "ShippingPromise",
    "UnitOfSale",
    "Variation",
]


def _mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


@attrs.frozen
class Attribute:
    """One fact about the product, with its unit, for the attribute table of a listing.

    Attributes:
        key: a stable key adapters map to platform attributes: ``breed``, ``net_weight``,
            ``storage``, ``shelf_life``, ``origin``, ``production_date``, ``species``...
        label: the label in the text's locale, e.g. ``品种`` or ``Breed``.
        value: the value as a shopper reads it in that locale, e.g. ``1.0-1.4 kg (2-2.8 斤)``.
        raw: the machine value, e.g. ``1.0 kg..1.4 kg`` (locale-independent), if any.
    """

    key: str
    label: str
    value: str
    raw: str | None = None


@attrs.frozen(kw_only=True)
class LocalizedText:
    """Everything a shopper reads, in one locale.

    Attributes:
        locale: the locale, e.g. ``zh-CN`` or ``en``.
        title: the listing title.
        description: the description as plain text.
        description_html: the description as HTML, every value escaped.
        bullets: short selling points, one fact each.
        attributes: the attribute table.
        price_text: the price as the locale writes it, e.g. ``¥36.00/斤``.
    """

    locale: str
    title: str
    description: str
    description_html: str
    bullets: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)
    attributes: tuple[Attribute, ...] = attrs.field(default=(), converter=frozen_tuple)
    price_text: str = ""

    def attribute(self, key: str) -> Attribute | None:
        """The attribute with ``key``, or None."""
        return next((item for item in self.attributes if item.key == key), None)


@attrs.frozen(kw_only=True)
class ShippingPromise:
    """What the listing promises about delivery, from the shipment plan.

    Attributes:
        temperature_class: how it travels: ``chilled``, ``frozen``, ``cool`` or ``ambient``.
        regions: the cities (or provinces) it can reach safely.
        excluded: the cities planned for that it cannot reach.
        dispatch_days: the weekdays parcels leave the village (``Mon``..``Sun``).
        handling: the time from order to hand-in.
        services: the carrier services used.
    """

    temperature_class: str
    regions: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)
    excluded: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)
    dispatch_days: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)
    handling: dt.timedelta = dt.timedelta(days=1)
    services: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)


@attrs.frozen(kw_only=True)
class Variation:
    """One weight band sold as its own variation (pricing policy ``weight_bands``).

    Attributes:
        key: a stable key for the band, e.g. ``1.1-1.3 kg``; adapters add it to the SKU.
        min: the lightest piece of the band.
        max: the heaviest piece of the band; the band is charged at this weight.
        price: the price of one unit of the band, rounded as :class:`UnitOfSale` states.
    """

    key: str
    min: Mass
    max: Mass
    price: Money


@attrs.frozen(kw_only=True)
class UnitOfSale:
    """What one unit of the listing is, and how its price was made.

    Attributes:
        measure_words: the measure word of one unit by the draft's locales (``只``, ``盒``,
            ``袋``; ``bird``, ``box``, ``bag``).
        descriptions: what a buyer gets for one unit, by locale.
        goods_min: the lightest goods in one unit (the piece's weight), if known.
        goods_max: the heaviest goods in one unit, if known.
        pricing: how a piece priced by weight is charged: ``upper_weight`` (多退少补),
            ``nominal_weight`` or ``weight_bands``; None when the price is per piece.
        price_by_weight: the partner's price by weight (e.g. ``36.00 CNY``), if priced so.
        per: what ``price_by_weight`` buys (``1 jin``), if priced by weight.
        billed_weight: the weight one unit is charged at, if priced by weight.
        rounding: the rounding rule of the unit price: ``half_up`` to the currency's minor
            unit (四舍五入到分), after an exact product.
        variations: the weight bands sold as variations (``weight_bands`` only).
    """

    measure_words: Mapping[str, str] = attrs.field(converter=_mapping, hash=False)
    descriptions: Mapping[str, str] = attrs.field(factory=dict, converter=_mapping, hash=False)
    goods_min: Mass | None = None
    goods_max: Mass | None = None
    pricing: str | None = None
    price_by_weight: Money | None = None
    per: str | None = None
    billed_weight: Mass | None = None
    rounding: str = "half_up"
    variations: tuple[Variation, ...] = attrs.field(default=(), converter=frozen_tuple)


@attrs.frozen(kw_only=True)
class ListingDraft:
    """A listing for one lot, before any marketplace has seen it.

    Attributes:
        sku: our stock-keeping unit: the lot code, stable across republishing.
        lot: the lot id.
        product: the product id.
        kind: the product kind (``poultry_meat``...).
        gtin: the product's GTIN, if any.
        texts: the text per locale.
        certifications: certifications to show (e.g. geographical indication).
        price: the price of one unit (see ``unit``): for goods priced by weight and sold by
            the piece, the price by weight times the billed weight of the pricing policy,
            rounded half up to the fen or cent.
        sale_unit: what ``price`` buys: ``piece``, or a mass such as ``1 kg`` for goods sold
            loose by weight.
        price_per_kg: the price per kilogram of the goods, when their weight is known.
        unit: what one unit is (measure words, weights, pricing policy), if known.
        shipping_weight: what one sale unit weighs packed for the parcel (goods, box,
            coolant), never less than the goods; None when nothing says. Adapters send it as
            the item's parcel weight.
        stock: pieces for sale.
        min_order: the fewest pieces per order.
        max_order: the most pieces per order, if limited.
        shipping: the shipping promise, if a shipment plan was given.
        images: the product's pictures (files), main picture first.
        traceability_url: the GS1 Digital Link of the lot, if any.
        compliance_ok: whether the compliance check found nothing blocking (None when not run).
        compliance_findings: the codes of blocking findings.
        extra: marketplace-only data, by marketplace name.
    """

    sku: str
    lot: str
    product: str
    kind: str
    gtin: str | None = None
    texts: Mapping[str, LocalizedText] = attrs.field(converter=_mapping, hash=False)
    certifications: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)
    price: Money
    sale_unit: str
    price_per_kg: Money | None = None
    unit: UnitOfSale | None = None
    shipping_weight: Mass | None = None
    stock: int
    min_order: int = 1
    max_order: int | None = None
    shipping: ShippingPromise | None = None
    images: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)
    traceability_url: str | None = None
    compliance_ok: bool | None = None
    compliance_findings: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)
    extra: Mapping[str, Any] = attrs.field(factory=dict, converter=_mapping, hash=False)

    @property
    def locales(self) -> tuple[str, ...]:
        """The locales the draft has text for."""
        return tuple(self.texts)

    def text(self, locale: str) -> LocalizedText:
        """The text in ``locale`` (exact, else the same language).

        Raises:
            KeyError: when the draft has no text in that language (the message lists them).
        """
        if locale in self.texts:
            return self.texts[locale]
        language = locale.split("-", maxsplit=1)[0]
        for key, value in self.texts.items():
            if key.split("-")[0] == language:
                return value
        raise KeyError(f"the draft has no text in {locale!r}; it has {', '.join(self.texts)}")
