"""A lot's story from the farm to the buyer, as EPCIS 2.0 events.

For a lot of poultry meat the chain is (GS1 CBV 2.0 business steps in brackets):

1. slaughter (``commissioning``): a TransformationEvent at the slaughter plant, live birds of
   the flock in (counted as ``H87``), the carcass lot out, with the lot's dates and papers in
   ``ilmd``;
2. packing (``packing``): the chilled carcasses are packed, at the plant, once chilled;
3. shipping (``shipping``, disposition ``in_transit``): the parcel is handed in at the
   village, with the temperature readings of the journey;
4. departing the county hub (``departing``), when the line haul starts;
5. receiving (``receiving``): the buyer has it.

Eggs (and other lots with a laying, harvest or processing record) start with an ObjectEvent
``ADD`` (``commissioning``) at the farm instead of a slaughter. Steps 3-5 need a shipment
(a :class:`~ruralseller.coldchain.ShipmentOption`) or a temperature logger file.

Example:
    >>> import datetime as dt
    >>> from ruralseller.catalog import load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> catalog = load_catalog(sample_path())
    >>> event = slaughter_event(catalog, "WJ261120A")
    >>> event.biz_step, event.input_quantity_list[0].uom, event.output_quantity_list[0].epc_class
    ('commissioning', 'H87', 'https://id.gs1.org/01/99526000160017/10/WJ261120A')
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any, Final, Literal

import attrs

from ruralseller.catalog import Catalog, Chilling, Lot, Place, PoultryMeat, read_text_file
from ruralseller.coldchain import (
    CHINA_STANDARD_TIME,
    Journey,
    LegKind,
    Scenario,
    ShipmentOption,
)
from ruralseller.errors import FileRefusedError, InvalidValueError
from ruralseller.traceability.epcis import (
    EpcisDocument,
    Event,
    Location,
    ObjectEvent,
    QuantityElement,
    SensorElement,
    SensorReading,
    TraceabilityError,
    TransformationEvent,
    lgtin,
    private_id,
)

__all__ = [
    "DEFAULT_JOURNEY",
    "LOCATION_ROLES",
    "LotLocations",
    "commissioning_event",
    "events_for_lot",
    "journey_readings",
    "lot_locations",
    "packing_event",
    "read_logger",
    "receiving_event",
    "shipping_event",
    "slaughter_event",
]

DEFAULT_JOURNEY: Final = "slow"
"""Which simulated journey's temperatures a shipping event carries unless told otherwise: the
slow (P90) day, so the record never shows the chain colder or shorter than it likely was."""

LOCATION_ROLES: Final = ("farm", "slaughter", "hub", "buyer")
"""The roles a caller can give its own location identifiers for (e.g. GLN Digital Links)."""

_DEFAULT_BASE: Final = "https://id.gs1.org"
# A record that has only a day (laying, harvest, processing) is placed at noon, local time:
# the day is certain, the hour is not, and noon keeps it on the same day in any nearby zone.
_NOON: Final = dt.time(12, 0)


def _fail(field: str, message: str, hint: str = "") -> TraceabilityError:
    return TraceabilityError(message, field=field, hint=hint)


def _as_decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"))


# --- locations ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class LotLocations:
    """The places in one lot's chain, each with its identifier and master data.

    Attributes:
        farm: the producer's farm (where the birds were raised and the parcel handed in).
        slaughter: the slaughter plant (the farm itself for on-farm slaughter); None for
            lots without a slaughter.
        hub: the county hub where the line haul starts; None without a shipment.
        buyer: the buyer's city; None without a shipment.
    """

    farm: Location
    slaughter: Location | None = None
    hub: Location | None = None
    buyer: Location | None = None

    def all(self) -> tuple[Location, ...]:
        """Every known location, once each, in the order of the chain."""
        found: list[Location] = []
        for item in (self.farm, self.slaughter, self.hub, self.buyer):
            if item is not None and all(item.id != seen.id for seen in found):
                found.append(item)
        return tuple(found)


def _place_parts(place: Place) -> tuple[str, ...]:
    return (place.country, *place.divisions)


def lot_locations(
    catalog: Catalog,
    lot_id: str,
    *,
    shipment: ShipmentOption | None = None,
    locations: Mapping[str, str] | None = None,
) -> LotLocations:
    """Name the places of lot ``lot_id``'s chain.

    A location is identified by the URI given in ``locations`` for its role (``farm``,
    ``slaughter``, ``hub``, ``buyer``), e.g. a GLN Digital Link from
    :func:`~ruralseller.traceability.gln_location`; else by a private id
    (:func:`~ruralseller.traceability.private_id`): the producer's id for the farm, the
    plant's licence number (or name) for the slaughter plant, and the administrative place
    for the county hub and the buyer's city.

    Raises:
        TraceabilityError: for a role not in :data:`LOCATION_ROLES`.
    """
    given = dict(locations or {})
    unknown = sorted(set(given) - set(LOCATION_ROLES))
    if unknown:
        raise _fail(
            "locations",
            f"unknown location role {', '.join(map(repr, unknown))}",
            f"use one of: {', '.join(LOCATION_ROLES)}",
        )
    lot = catalog.lot(lot_id)
    producer = catalog.producer_of(lot)
    farm = Location(
        given.get("farm") or private_id("producer", producer.id),
        name=producer.name,
        place=producer.place,
    )
    slaughter = None
    record = lot.slaughter
    if record is not None:
        if record.on_farm:
            slaughter = farm
        else:
            key = record.facility_licence or record.facility
            slaughter = Location(
                given.get("slaughter") or private_id("facility", key),
                name=record.facility,
                place=record.facility_place,
            )
    hub = buyer = None
    if shipment is not None and shipment.route is not None:
        origin = shipment.route.origin
        county = Place(
            country=origin.country,
            province=origin.province,
            city=origin.city,
            county=origin.county,
        )
        hub = Location(
            given.get("hub") or private_id("hub", *_place_parts(county)),
            name=f"{county.county or county.city or county.country} county hub",
            place=county,
        )
        destination = shipment.destination
        buyer = Location(
            given.get("buyer") or private_id("buyer", *_place_parts(destination)),
            name=f"buyer in {destination.city or destination.province or destination.country}",
            place=destination,
        )
    return LotLocations(farm=farm, slaughter=slaughter, hub=hub, buyer=buyer)


# --- quantities and master data -------------------------------------------------------------


def _lot_class(catalog: Catalog, lot: Lot, link_base: str) -> str:
    product = catalog.product_of(lot)
    if product.gtin is None:
        raise _fail(
            "gtin",
            f"{product.name} ({product.id}) has no GTIN, so lot {lot.id} has no GS1 identifier",
            'add gtin = "..." to the product; the events and the label\'s QR code both use it',
        )
    return lgtin(product.gtin, lot.id, link_base)


def _lot_quantity(catalog: Catalog, lot: Lot, link_base: str) -> QuantityElement:
    epc_class = _lot_class(catalog, lot, link_base)
    if lot.quantity.count is not None:
        return QuantityElement(epc_class, lot.quantity.count, "H87")
    net = lot.quantity.net_mass
    assert net is not None  # noqa: S101 - a LotQuantity has a count or a net mass
    return QuantityElement(epc_class, _as_decimal(net.in_unit("kg")), "KGM")


def _chilling_text(chilling: Chilling | None) -> str | None:
    if chilling is None:
        return None
    text = f"{chilling.method.value} chilling"
    if chilling.core_temperature is not None:
        text += f" to {chilling.core_temperature} core"
    if chilling.within is not None:
        text += f" within {chilling.within.total_seconds() / 3600:g} h"
    return text


def _ilmd(catalog: Catalog, lot: Lot) -> dict[str, Any]:
    producer = catalog.producer_of(lot)
    data: dict[str, Any] = {
        "cbvmda:lotNumber": lot.id,
        "cbvmda:countryOfOrigin": producer.place.country,
        "rs:productionDate": lot.production_date.isoformat(),
        "rs:producer": producer.name,
    }
    if lot.use_by is not None:
        data["cbvmda:itemExpirationDate"] = lot.use_by.isoformat()
    if lot.best_before is not None:
        data["cbvmda:bestBeforeDate"] = lot.best_before.isoformat()
    slaughter = lot.slaughter
    if slaughter is not None:
        data["rs:slaughterFacility"] = slaughter.facility
        papers = (
            ("rs:facilityLicence", slaughter.facility_licence),
            ("rs:quarantineCertificate", slaughter.quarantine_certificate),
            ("rs:inspectionCertificate", slaughter.inspection_certificate),
            ("rs:chilling", _chilling_text(slaughter.chilling)),
        )
        data.update({key: value for key, value in papers if value is not None})
    if lot.laying is not None:
        data["rs:firstLaid"] = lot.laying.first_laid.isoformat()
        data["rs:lastLaid"] = lot.laying.last_laid.isoformat()
        if lot.laying.flock:
            data["rs:flock"] = lot.laying.flock
    if lot.harvest is not None:
        data["cbvmda:harvestStartDate"] = lot.harvest.harvested_on.isoformat()
        data["cbvmda:harvestEndDate"] = lot.harvest.day.isoformat()
    if lot.processing is not None:
        data["rs:processedOn"] = lot.processing.day.isoformat()
    return data


def _local_zone(catalog: Catalog, lot: Lot, shipment: ShipmentOption | None) -> dt.tzinfo:
    if lot.slaughter is not None:
        zone = lot.slaughter.slaughtered_at.tzinfo
        assert zone is not None  # noqa: S101 - SlaughterRecord checks it is aware
        return zone
    if shipment is not None and shipment.route is not None:
        zone = shipment.route.ship_at.tzinfo
        assert zone is not None  # noqa: S101 - Route checks it is aware
        return zone
    if catalog.producer_of(lot).place.country == "CN":
        return CHINA_STANDARD_TIME
    raise _fail(
        "shipment",
        f"lot {lot.id} records only days, and the farm's time zone is not known",
        "pass the shipment (its hand-in time has the time zone)",
    )


# --- the events -----------------------------------------------------------------------------


def slaughter_event(
    catalog: Catalog,
    lot_id: str,
    *,
    link_base: str = _DEFAULT_BASE,
    locations: Mapping[str, str] | None = None,
) -> TransformationEvent:
    """The slaughter of a poultry lot: live birds in, the carcass lot out (``commissioning``).

    The live birds have no GS1 identifier; they are named by a private class id for the
    flock that became this lot, counted in heads (``H87``). The output is the lot's LGTIN as
    a GS1 Digital Link, the same as on the label's QR code, with the lot's dates,
    certificates and chilling in ``ilmd``.

    Raises:
        TraceabilityError: when the lot has no slaughter record, or its product no GTIN.
    """
    lot = catalog.lot(lot_id)
    record = lot.slaughter
    if record is None:
        raise _fail(
            "slaughter",
            f"lot {lot.id} has no slaughter record, so there is no slaughter event to write",
            "add [lots.slaughter] with facility and slaughtered_at to the catalogue",
        )
    birds = record.birds or lot.quantity.count
    if birds is None:
        raise _fail(
            "birds",
            f"lot {lot.id} does not say how many birds were slaughtered",
            "add birds = <number> to [lots.slaughter]",
        )
    producer = catalog.producer_of(lot)
    where = lot_locations(catalog, lot_id, locations=locations).slaughter
    assert where is not None  # noqa: S101 - the lot has a slaughter record
    return TransformationEvent(
        event_time=record.slaughtered_at,
        input_quantity_list=[
            QuantityElement(private_id("live-birds", producer.id, lot.id), birds, "H87")
        ],
        output_quantity_list=[_lot_quantity(catalog, lot, link_base)],
        biz_step="commissioning",
        disposition="in_progress",
        read_point=where.id,
        biz_location=where.id,
        ilmd=_ilmd(catalog, lot),
    )


def commissioning_event(
    catalog: Catalog,
    lot_id: str,
    *,
    link_base: str = _DEFAULT_BASE,
    locations: Mapping[str, str] | None = None,
    zone: dt.tzinfo | None = None,
) -> ObjectEvent:
    """The lot comes into being at the farm (``ADD``, ``commissioning``).

    Eggs were laid, produce harvested or meat cured.

    A record that has only days is placed at noon, local time, on its last day (laying:
    the last egg laid).

    Raises:
        TraceabilityError: for a lot with a slaughter record (use :func:`slaughter_event`)
            or no record at all, or whose product has no GTIN.
    """
    lot = catalog.lot(lot_id)
    record = lot.laying or lot.harvest or lot.processing
    if record is None:
        hint = (
            "use slaughter_event for a slaughtered lot"
            if lot.slaughter is not None
            else "add the lot's laying, harvest or processing record to the catalogue"
        )
        raise _fail("laying", f"lot {lot.id} has no laying, harvest or processing record", hint)
    local = zone or _local_zone(catalog, lot, None)
    farm = lot_locations(catalog, lot_id, locations=locations).farm
    return ObjectEvent(
        event_time=dt.datetime.combine(record.day, _NOON, tzinfo=local),
        action="ADD",
        quantity_list=[_lot_quantity(catalog, lot, link_base)],
        biz_step="commissioning",
        disposition="active",
        read_point=farm.id,
        biz_location=farm.id,
        ilmd=_ilmd(catalog, lot),
    )


def packing_event(
    catalog: Catalog,
    lot_id: str,
    *,
    packed_at: dt.datetime | None = None,
    link_base: str = _DEFAULT_BASE,
    locations: Mapping[str, str] | None = None,
) -> ObjectEvent:
    """The lot is packed (``packing``).

    By default a slaughtered lot is packed at the plant once chilled (slaughter time plus
    the chilling time, if recorded), and any other lot at the farm at noon on its
    production date. Pass ``packed_at`` when the time is known.
    """
    lot = catalog.lot(lot_id)
    places = lot_locations(catalog, lot_id, locations=locations)
    where = places.slaughter or places.farm
    if packed_at is None:
        if lot.slaughter is not None:
            chilling = lot.slaughter.chilling
            packed_at = lot.slaughter.slaughtered_at + (
                chilling.within if chilling is not None and chilling.within else dt.timedelta()
            )
        else:
            zone = _local_zone(catalog, lot, None)
            packed_at = dt.datetime.combine(lot.production_date, _NOON, tzinfo=zone)
    return ObjectEvent(
        event_time=packed_at,
        quantity_list=[_lot_quantity(catalog, lot, link_base)],
        biz_step="packing",
        disposition="in_progress",
        read_point=where.id,
        biz_location=where.id,
    )


def _journey(shipment: ShipmentOption, journey: Literal["typical", "slow"]) -> Journey:
    if journey not in ("typical", "slow"):
        raise _fail("journey", f"journey {journey!r} is not 'typical' or 'slow'")
    found = shipment.typical if journey == "typical" else shipment.slow
    if shipment.route is None or found is None:
        reasons = "; ".join(shipment.reasons) or "it was not simulated"
        raise _fail(
            "shipment",
            f"the shipment by {shipment.service.name} has no route or journey ({reasons})",
            "pass a feasible option from plan_shipment(...), e.g. plan.destinations[0].best",
        )
    return found


def journey_readings(
    shipment: ShipmentOption, journey: Literal["typical", "slow"] = DEFAULT_JOURNEY
) -> SensorElement:
    """The food's simulated temperatures on the shipment's typical (P50) or slow (P90) day.

    These are the cold-chain model's predictions, not measurements; the sensor element says
    so in its ``dataProcessingMethod`` (``urn:ruralseller:method:coldchain-simulation:p90``).
    """
    found = _journey(shipment, journey)
    assert shipment.route is not None  # noqa: S101 - checked by _journey
    start = shipment.route.ship_at
    return SensorElement(
        readings=[
            SensorReading(start + elapsed, _as_decimal(temperature.celsius))
            for elapsed, temperature in found.history
        ],
        data_processing_method=private_id("method", "coldchain-simulation", found.scenario),
    )


def _logger_row(number: int, row: list[str], problems: list[str]) -> SensorReading | None:
    if len(row) != 2:
        problems.append(f"line {number}: expected 2 columns (time, °C), got {len(row)}")
        return None
    when, value = (cell.strip() for cell in row)
    try:
        time = dt.datetime.fromisoformat(when)
    except ValueError:
        if number > 1:  # the first row may hold column names
            problems.append(f"line {number}: {when!r} is not an ISO 8601 date and time")
        return None
    if time.utcoffset() is None:
        problems.append(f"line {number}: {when!r} has no UTC offset (e.g. +08:00)")
        return None
    try:
        return SensorReading(time, Decimal(value))
    except (InvalidOperation, InvalidValueError):
        problems.append(f"line {number}: {value!r} is not a temperature in °C")
        return None


def read_logger(path: str | os.PathLike[str]) -> tuple[SensorReading, ...]:
    """Read a temperature logger's CSV file: one ``time,celsius`` row per reading.

    The time is ISO 8601 with its UTC offset (``2026-11-21T08:00:00+08:00``); the
    temperature is in °C. A first row of column names is skipped. Every bad row is reported
    at once, with its line number.

    Raises:
        TraceabilityError: when the file cannot be read, has no readings, or has bad rows.
    """
    file = Path(path)
    try:
        text = read_text_file(path, what="logger file")
    except FileRefusedError as error:
        raise _fail("logger", f"cannot read the logger file: {error}") from None
    readings: list[SensorReading] = []
    problems: list[str] = []
    for number, row in enumerate(csv.reader(text.splitlines()), start=1):
        if not row or not "".join(row).strip():
            continue
        reading = _logger_row(number, row, problems)
        if reading is not None:
            readings.append(reading)
    if problems:
        raise _fail(
            "logger",
            f"the logger file {file} has {len(problems)} bad row(s):\n  " + "\n  ".join(problems),
            "write one reading per row: 2026-11-21T08:00:00+08:00,3.5",
        )
    if not readings:
        raise _fail("logger", f"the logger file {file} has no readings")
    return tuple(sorted(readings, key=lambda reading: reading.time))


def shipping_event(  # noqa: PLR0913 - all but the first two are keyword-only
    catalog: Catalog,
    lot_id: str,
    *,
    shipment: ShipmentOption | None = None,
    readings: SensorElement | None = None,
    journey: Literal["typical", "slow"] = DEFAULT_JOURNEY,
    link_base: str = _DEFAULT_BASE,
    locations: Mapping[str, str] | None = None,
) -> ObjectEvent:
    """The parcel is handed in at the village (``shipping``, disposition ``in_transit``).

    It carries the journey's temperatures: ``readings`` when given (from a logger), else
    the shipment's simulated ``journey`` (see :func:`journey_readings`). Without a
    shipment, the event is placed at the first reading.

    Raises:
        TraceabilityError: when neither a shipment nor readings are given.
    """
    lot = catalog.lot(lot_id)
    if shipment is None and readings is None:
        raise _fail(
            "shipment",
            f"a shipping event for lot {lot.id} needs a shipment or logger readings",
            "pass shipment=plan.destinations[0].best, or logger='readings.csv'",
        )
    places = lot_locations(catalog, lot_id, shipment=shipment, locations=locations)
    extra: dict[str, Any] = {}
    if shipment is not None:
        _journey(shipment, journey)
        assert shipment.route is not None  # noqa: S101 - checked by _journey
        when = shipment.route.ship_at
        if readings is None:
            readings = journey_readings(shipment, journey)
        assert places.buyer is not None  # noqa: S101 - there is a shipment
        extra["destinationList"] = [{"type": "location", "destination": places.buyer.id}]
    else:
        assert readings is not None  # noqa: S101 - checked above
        when = readings.readings[0].time
    return ObjectEvent(
        event_time=when,
        quantity_list=[_lot_quantity(catalog, lot, link_base)],
        biz_step="shipping",
        disposition="in_transit",
        read_point=places.farm.id,
        sensor_elements=[readings],
        extra=extra,
    )


def _departing_event(  # noqa: PLR0913 - all but the first three are keyword-only
    catalog: Catalog,
    lot: Lot,
    shipment: ShipmentOption,
    *,
    journey: Literal["typical", "slow"],
    places: LotLocations,
    link_base: str,
) -> ObjectEvent | None:
    assert shipment.route is not None  # noqa: S101 - checked by the caller
    assert places.hub is not None  # noqa: S101 - there is a shipment
    _journey(shipment, journey)
    scenario: Scenario = "p50" if journey == "typical" else "p90"
    schedule = shipment.route.schedule(scenario)
    line_haul = next((leg for leg in schedule if leg.leg.kind is LegKind.LINE_HAUL), None)
    if line_haul is None:
        return None
    return ObjectEvent(
        event_time=shipment.route.ship_at + line_haul.start,
        quantity_list=[_lot_quantity(catalog, lot, link_base)],
        biz_step="departing",
        disposition="in_transit",
        read_point=places.hub.id,
    )


def receiving_event(  # noqa: PLR0913 - all but the first two are keyword-only
    catalog: Catalog,
    lot_id: str,
    *,
    shipment: ShipmentOption,
    journey: Literal["typical", "slow"] = DEFAULT_JOURNEY,
    link_base: str = _DEFAULT_BASE,
    locations: Mapping[str, str] | None = None,
) -> ObjectEvent:
    """The buyer receives the parcel (``receiving``), when the ``journey`` arrives."""
    lot = catalog.lot(lot_id)
    found = _journey(shipment, journey)
    places = lot_locations(catalog, lot_id, shipment=shipment, locations=locations)
    assert places.buyer is not None  # noqa: S101 - there is a shipment
    return ObjectEvent(
        event_time=found.arrival,
        quantity_list=[_lot_quantity(catalog, lot, link_base)],
        biz_step="receiving",
        disposition="in_progress",
        read_point=places.buyer.id,
        biz_location=places.buyer.id,
    )


def events_for_lot(  # noqa: PLR0913 - all but the first two are keyword-only
    catalog: Catalog,
    lot_id: str,
    *,
    shipment: ShipmentOption | None = None,
    logger: str | os.PathLike[str] | None = None,
    journey: Literal["typical", "slow"] = DEFAULT_JOURNEY,
    locations: Mapping[str, str] | None = None,
    link_base: str = _DEFAULT_BASE,
    created: dt.datetime | None = None,
) -> EpcisDocument:
    """The EPCIS 2.0 document of lot ``lot_id``'s chain, from the farm to the buyer.

    Args:
        catalog: the catalogue that holds the lot.
        lot_id: the lot's code.
        shipment: the planned shipment (one option of
            :func:`~ruralseller.coldchain.plan_shipment`): adds shipping, departing the
            county hub and receiving.
        logger: a temperature logger's CSV file (see :func:`read_logger`); its readings
            replace the simulated ones on the shipping event.
        journey: which simulated day the shipment's events follow: ``"slow"`` (P90, the
            default) or ``"typical"`` (P50).
        locations: your own location ids by role (``farm``, ``slaughter``, ``hub``,
            ``buyer``), e.g. GLN Digital Links.
        link_base: the GS1 Digital Link resolver of the lot's identifier; use the same as
            the label's.
        created: the document's creation date (default: now).

    Raises:
        TraceabilityError: when the lot lacks data an event needs (a GTIN, a slaughter or
            laying record, a feasible shipment) or the logger file is bad.
        NotInCatalogError: when there is no lot ``lot_id``.
    """
    lot = catalog.lot(lot_id)
    product = catalog.product_of(lot)
    places = lot_locations(catalog, lot_id, shipment=shipment, locations=locations)
    keys: dict[str, Any] = {"link_base": link_base, "locations": locations}
    events: list[Event] = []
    if isinstance(product, PoultryMeat) or lot.slaughter is not None:
        events.append(slaughter_event(catalog, lot_id, **keys))
    else:
        events.append(commissioning_event(catalog, lot_id, **keys))
    packed = packing_event(catalog, lot_id, **keys)
    events.append(packed)
    readings = None
    if logger is not None:
        readings = SensorElement(readings=read_logger(logger))
    if shipment is not None or readings is not None:
        shipping = shipping_event(
            catalog, lot_id, shipment=shipment, readings=readings, journey=journey, **keys
        )
        if shipping.event_time < packed.event_time:
            raise _fail(
                "shipment",
                f"the parcel is handed in at {shipping.event_time.isoformat()}, before lot "
                f"{lot.id} is packed at {packed.event_time.isoformat()}",
                "plan the shipment for a time after slaughter and chilling",
            )
        events.append(shipping)
    if shipment is not None:
        departing = _departing_event(
            catalog, lot, shipment, journey=journey, places=places, link_base=link_base
        )
        if departing is not None:
            events.append(departing)
        events.append(receiving_event(catalog, lot_id, shipment=shipment, journey=journey, **keys))
    return EpcisDocument(
        events,
        creation_date=created or dt.datetime.now(dt.UTC),
        locations=places.all(),
    )
