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
        price: the price of one sale unit.
        sale_unit: what the price buys: ``piece`` or a mass such as ``1 jin``.
        price_per_kg: the price per kilogram, when sold by weight.
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
