"""Fulfilment: weigh an order's pieces, label them, record the shipping event, ship it.

Chilled birds are sold by weight but ordered by the piece: the buyer pays for the piece as
listed, and when the piece is weighed the order's final price follows the offer's price per
weight (catch weight, :func:`final_price`). The buyer is never charged more than she paid; a
lighter piece is refunded the difference (the settlement's ``refund`` column).

:func:`fulfil` does the whole step for one reserved order: the final price, the units out
of the ledger, the package label with the weighed weight, the shipping record a carrier
needs, and the EPCIS shipping event with the order as its business transaction
(:func:`order_shipping_event`). Telling the marketplace is the caller's (it needs the
network): ``adapter.ship_order(order.order_id, weight=..., tracking=...)``.

Example:
    >>> import datetime as dt
    >>> from ruralseller.catalog import Mass, Money, load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> from ruralseller.orders import Order, OrderStatus
    >>> order = Order(marketplace="sandbox", account="demo", order_id="o1", channel="sandbox",
    ...     sku="WJ261120A", quantity=1, unit_price=Money("100.80", "CNY"),
    ...     placed_at=dt.datetime(2026, 11, 21, tzinfo=dt.UTC), day=dt.date(2026, 11, 21),
    ...     status=OrderStatus.RESERVED, allocation=(("WJ261120A", 1),))
    >>> final_price(load_catalog(sample_path()), order, Mass.parse("1.32 kg"))
    Money('95.04 CNY')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from ruralseller.catalog import Catalog, Mass, Money, Temperature
from ruralseller.coldchain import temperature_classes
from ruralseller.orders.inbox import Order, OrderInbox
from ruralseller.packaging import AmbientProfile, LabelContent, PackPlan, lot_label, plan_pack
from ruralseller.traceability import (
    ObjectEvent,
    QuantityElement,
    lgtin,
    lot_locations,
    private_id,
)

__all__ = ["Fulfilment", "ShippingRecord", "final_price", "fulfil", "order_shipping_event"]


def final_price(catalog: Catalog, order: Order, weight: Mass | None) -> Money | None:
    """What ``order`` finally costs the buyer, given the weighed weight of its pieces.

    For an offer priced by weight, the offer's price for ``weight`` (rounded to the minor
    unit), never more than the buyer paid; otherwise what she paid. None when the order
    has no price.
    """
    if order.charged is None:
        return None
    paid = order.charged.rounded()
    offer = catalog.offer_for(order.lots[0]) if order.lots else None
    if offer is None or offer.per.mass is None or weight is None:
        return paid
    weighed = offer.price_for(weight).rounded()
    if weighed.currency != paid.currency:
        return paid
    return min(weighed, paid)


def order_shipping_event(
    catalog: Catalog,
    order: Order,
    *,
    shipped_at: dt.datetime,
    link_base: str = "https://id.gs1.org",
    locations: Mapping[str, str] | None = None,
) -> ObjectEvent:
    """The order's parcel leaves the farm (``shipping``, ``in_transit``), naming the order.

    The event counts the pieces taken from each lot the order was allocated, and carries
    the order as its business transaction: a purchase order (CBV 2.0 ``po``) identified
    ``urn:ruralseller:order:<marketplace>:<account>:<order id>``.
    """
    if not order.allocation:
        raise ValueError(f"order {order.key} holds no lot, so there is nothing to ship")
    lots = [catalog.lot(lot) for lot, _ in order.allocation]
    quantities = []
    for lot, (_, units) in zip(lots, order.allocation, strict=True):
        gtin = catalog.product_of(lot).gtin
        if gtin is None:
            raise ValueError(
                f"{catalog.product_of(lot).name} has no GTIN, so the event cannot name lot {lot.id}"
            )
        quantities.append(QuantityElement(lgtin(gtin, lot.id, link_base), units, "H87"))
    farm = lot_locations(catalog, lots[0].id, locations=locations).farm
    transaction = private_id("order", order.marketplace, order.account, order.order_id)
    return ObjectEvent(
        event_time=shipped_at,
        quantity_list=quantities,
        biz_step="shipping",
        disposition="in_transit",
        read_point=farm.id,
        extra={"bizTransactionList": [{"type": "po", "bizTransaction": transaction}]},
    )


@attrs.frozen(kw_only=True)
class ShippingRecord:
    """What the carrier needs to take the parcel.

    Attributes:
        sender: the producer's name and place.
        recipient: the buyer and address, as the marketplace gave them.
        pieces: how many pieces are in the parcel.
        weight: the weighed weight of the pieces.
        temperature_class: the codes of the temperature classes the food must travel in.
        tracking: the carrier's tracking number, when known.
    """

    sender: str
    recipient: Mapping[str, str] = attrs.field(hash=False)
    pieces: int
    weight: Mass
    temperature_class: tuple[str, ...]
    tracking: str | None = None


@attrs.frozen(kw_only=True)
class Fulfilment:
    """One order shipped: the order, its label, its shipping record and event, its pack.

    Attributes:
        order: the order, shipped.
        label: the package label, with the weighed weight.
        record: what the carrier needs.
        event: the EPCIS shipping event naming the order.
        pack: the pack planned for the order's pieces and journey, when one was asked for.
    """

    order: Order
    label: LabelContent
    record: ShippingRecord
    event: ObjectEvent
    pack: PackPlan | None = None


def fulfil(  # noqa: PLR0913 - keyword-only after the essentials
    catalog: Catalog,
    inbox: OrderInbox,
    order: Order,
    *,
    weight: Mass,
    shipped_at: dt.datetime,
    tracking: str | None = None,
    jurisdiction: str = "CN",
    journey: dt.timedelta | None = None,
    ambient: Temperature | AmbientProfile | None = None,
) -> Fulfilment:
    """Ship a reserved order whose pieces weigh ``weight``.

    Records the shipment in the ledger (once: repeating it changes nothing) with the
    catch-weight final price, and returns the package label (with the weighed weight), the
    carrier's record and the EPCIS shipping event naming the order; with a ``journey`` (and
    the ``ambient`` temperature, 25 °C by default), the pack for the order's pieces too.

    Raises:
        InvalidValueError: when the order is not reserved (flagged, cancelled).
        PackingError: when no pack holds for the journey (nothing is shipped then).
    """
    day = shipped_at.date()
    pack = None
    if journey is not None:
        pack = plan_pack(
            catalog,
            order.lots[0] if order.lots else order.sku,
            journey=journey,
            ambient=ambient if ambient is not None else Temperature.parse("25 °C"),
            pieces=order.quantity,
        )
    price = final_price(catalog, order, weight)
    shipped = inbox.ship(order, day=day, weight=weight, final_price=price)
    lot = catalog.lot(shipped.lots[0])
    product = catalog.product_of(lot)
    producer = catalog.producer_of(lot)
    place = producer.place
    where = " ".join(p for p in (place.province, place.city, place.county, place.village) if p)
    classes = tuple(c.code for c in temperature_classes(jurisdiction=jurisdiction, product=product))
    return Fulfilment(
        order=shipped,
        label=lot_label(catalog, lot.id, jurisdiction=jurisdiction, net_weight=weight, on=day),
        record=ShippingRecord(
            sender=f"{producer.name}, {where}" if where else producer.name,
            recipient=shipped.buyer,
            pieces=shipped.quantity,
            weight=weight,
            temperature_class=classes,
            tracking=tracking,
        ),
        event=order_shipping_event(catalog, shipped, shipped_at=shipped_at),
        pack=pack,
    )
