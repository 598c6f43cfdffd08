"""What a rule sees: one lot with its product, producer, offer and the sale's circumstances.

Example:
    >>> from ruralseller.catalog import load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> catalog = load_catalog(sample_path())
    >>> ctx = LotContext.of(catalog, "WJ261120A", jurisdiction="CN")
    >>> ctx.profile, ctx.path("slaughter", "quarantine_certificate")
    (<SellerProfile.FARMER: 'farmer'>, 'lots[0].slaughter.quarantine_certificate')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

import attrs

from ruralseller.catalog import (
    AnyProduct,
    Catalog,
    LicenceKind,
    Lot,
    Mass,
    Offer,
    Place,
    Producer,
    ProducerKind,
)
from ruralseller.compliance.rules import SellerProfile
from ruralseller.errors import InvalidValueError

__all__ = ["LotContext", "Sale", "TransportMode", "seller_profile"]

TransportMode = str
"""``"ground"`` or ``"air"``: how a parcel travels."""

_MODES = ("ground", "air")


def _mode(value: str) -> str:
    if value not in _MODES:
        raise InvalidValueError(
            f"unknown transport mode {value!r}", field="mode", hint="use 'ground' or 'air'"
        )
    return value


@attrs.frozen(kw_only=True)
class Sale:
    """The circumstances of a sale that the catalogue does not hold.

    Everything is optional: rules that need a missing piece do not guess, they skip (and the
    report says which rules were skipped for want of what).

    Attributes:
        destination: where the buyer is (country, and province/state if known).
        mode: how the parcel travels: ``ground`` or ``air``.
        dry_ice: the mass of dry ice in one parcel, if any.
        texts: listing texts to check for banned wording, by name (e.g. ``title``).
        marketplace: the marketplace sold on, for the offer's minimum remaining life there.
        delivery: the longest delivery to the buyers (for the sell-by cut-off); a next-day
            parcel when None.
    """

    destination: Place | None = None
    mode: str = attrs.field(default="ground", converter=_mode)
    dry_ice: Mass | None = None
    texts: Mapping[str, str] = attrs.field(factory=dict)
    marketplace: str | None = None
    delivery: dt.timedelta | None = None


def seller_profile(producer: Producer, jurisdiction: str) -> SellerProfile:
    """How the rules of ``jurisdiction`` see this producer.

    A licensed plant is a licensed plant everywhere; a workshop is a small workshop. A farmer
    or cooperative holding a US PPIA exemption is an exempt US producer under US rules, and a
    farmer under EU rules is an EU primary producer.
    """
    if producer.kind is ProducerKind.PLANT:
        return SellerProfile.LICENSED_PLANT
    if producer.kind is ProducerKind.WORKSHOP:
        return SellerProfile.SMALL_WORKSHOP
    if jurisdiction == "US" and producer.licence(LicenceKind.US_PPIA_EXEMPTION) is not None:
        return SellerProfile.US_EXEMPT_PRODUCER
    if jurisdiction == "EU" and producer.kind is ProducerKind.FARMER:
        return SellerProfile.EU_PRIMARY_PRODUCER
    if producer.kind is ProducerKind.COOPERATIVE:
        return SellerProfile.COOPERATIVE
    return SellerProfile.FARMER


@attrs.frozen(kw_only=True)
class LotContext:
    """One lot as a rule sees it, with paths into the catalogue for findings.

    Attributes:
        catalog: the whole catalogue (for rules that count across lots).
        lot: the lot checked.
        product: its product.
        producer: its producer.
        offer: its offer, if it is on sale.
        jurisdiction: the jurisdiction whose rules are applied.
        on: the day the check is for.
        sale: the circumstances of the sale.
        profile: the seller profile under this jurisdiction.
    """

    catalog: Catalog
    lot: Lot
    product: AnyProduct
    producer: Producer
    offer: Offer | None
    jurisdiction: str
    on: dt.date
    sale: Sale
    profile: SellerProfile

    @classmethod
    def of(
        cls,
        catalog: Catalog,
        lot_id: str,
        *,
        jurisdiction: str,
        on: dt.date | None = None,
        sale: Sale | None = None,
    ) -> LotContext:
        """The context of lot ``lot_id`` in ``catalog`` under ``jurisdiction``."""
        lot = catalog.lot(lot_id)
        producer = catalog.producer_of(lot)
        return cls(
            catalog=catalog,
            lot=lot,
            product=catalog.product_of(lot),
            producer=producer,
            offer=catalog.offer_for(lot_id),
            jurisdiction=jurisdiction,
            on=on or dt.datetime.now(dt.UTC).date(),
            sale=sale or Sale(),
            profile=seller_profile(producer, jurisdiction),
        )

    def path(self, *fields: str) -> str:
        """The catalogue path of a lot field, e.g. ``lots[0].slaughter.facility``."""
        return ".".join([f"lots[{self.catalog.position('lots', self.lot.id)}]", *fields])

    def product_path(self, *fields: str) -> str:
        """The catalogue path of a product field, e.g. ``products[0].name``."""
        position = self.catalog.position("products", self.product.id)
        return ".".join([f"products[{position}]", *fields])

    def producer_path(self, *fields: str) -> str:
        """The catalogue path of a producer field, e.g. ``producers[0].licences``."""
        position = self.catalog.position("producers", self.producer.id)
        return ".".join([f"producers[{position}]", *fields])

    def offer_path(self, *fields: str) -> str:
        """The catalogue path of an offer field; the lot's path when it has no offer."""
        if self.offer is None:
            return self.path()
        return ".".join([f"offers[{self.catalog.position('offers', self.offer.lot)}]", *fields])

    def texts(self) -> dict[str, str]:
        """Every text a shopper may read about this lot, by the path it comes from."""
        found = {self.product_path("name"): self.product.name}
        for locale, name in self.product.names.items():
            found[self.product_path("names", locale)] = name
        if self.product.description:
            found[self.product_path("description")] = self.product.description
        for name, text in self.sale.texts.items():
            found[f"listing.{name}"] = text
        return found

    def birds_slaughtered_in(self, year: int) -> int | None:
        """Birds this producer slaughtered in ``year`` across the catalogue (None if unknown)."""
        total = 0
        for lot in self.catalog.lots:
            record = lot.slaughter
            if record is None or record.slaughtered_at.year != year:
                continue
            if self.catalog.producer_of(lot).id != self.producer.id:
                continue
            if record.birds is None:
                return None
            total += record.birds
        return total

    def dry_ice_kg(self) -> Decimal | None:
        """The dry ice per parcel in kg, if the sale says."""
        if self.sale.dry_ice is None:
            return None
        grams = self.sale.dry_ice.grams
        return Decimal(grams.numerator) / Decimal(grams.denominator) / 1000
