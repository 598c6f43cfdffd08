"""A lot's chain of events: the right steps, the label's lot, readings in °C, clear errors."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from pyld import jsonld

from ruralseller.catalog import Catalog, Gs1Data, Lot, LotQuantity, Mass, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.coldchain import CHINA_STANDARD_TIME, ShipmentOption, plan_shipment
from ruralseller.errors import NotInCatalogError
from ruralseller.packaging import lot_label
from ruralseller.traceability import (
    EPCIS_CONTEXT,
    ObjectEvent,
    TraceabilityError,
    TransformationEvent,
    events_for_lot,
    gln_location,
    read_document,
    read_logger,
    shipping_event,
    slaughter_event,
)

SPECS = Path(__file__).parents[1] / "specs" / "gs1-epcis"
CHICKEN = "WJ261120A"
EGGS = "WE261118"
CREATED = dt.datetime(2026, 11, 25, 12, tzinfo=CHINA_STANDARD_TIME)


def specs() -> Path:
    if not (SPECS / "EPCIS-JSON-Schema.json").is_file():
        pytest.fail(
            f"the official GS1 EPCIS files are missing: expected {SPECS}/EPCIS-JSON-Schema.json "
            "(see tests/specs/gs1-epcis/SOURCE.md)"
        )
    return SPECS


@cache
def validator() -> jsonschema.Draft7Validator:
    schema = json.loads((specs() / "EPCIS-JSON-Schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )


def validate(data: dict[str, Any]) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(data)]
    assert not errors, "\n".join(errors)


def offline_loader(url: str, _options: object = None) -> dict[str, Any]:
    if url != EPCIS_CONTEXT:
        pytest.fail(f"unexpected JSON-LD document {url}; tests never use the network")
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": json.loads((specs() / "epcis-context.jsonld").read_text(encoding="utf-8")),
    }


@cache
def catalog() -> Catalog:
    return load_catalog(sample_path())


@cache
def shipment(lot_id: str = CHICKEN, day: int = 21) -> ShipmentOption:
    ship_at = dt.datetime(2026, 11, day, 8, tzinfo=CHINA_STANDARD_TIME)
    best = plan_shipment(catalog(), lot_id, ["广州"], ship_at).destinations[0].best
    assert best is not None
    return best


def chain(lot_id: str = CHICKEN, **kwargs: Any) -> list[Any]:
    day = 21 if lot_id == CHICKEN else 19
    document = events_for_lot(
        catalog(), lot_id, shipment=shipment(lot_id, day), created=CREATED, **kwargs
    )
    return list(document.events)


def test_the_black_chicken_chain_has_the_right_steps() -> None:
    events = chain()
    assert [(type(e).__name__, e.biz_step, getattr(e, "disposition", None)) for e in events] == [
        ("TransformationEvent", "commissioning", "in_progress"),
        ("ObjectEvent", "packing", "in_progress"),
        ("ObjectEvent", "shipping", "in_transit"),
        ("ObjectEvent", "departing", "in_transit"),
        ("ObjectEvent", "receiving", "in_progress"),
    ]
    times = [e.event_time for e in events]
    assert times == sorted(times)


def test_the_chain_validates_and_expands() -> None:
    data = events_for_lot(catalog(), CHICKEN, shipment=shipment(), created=CREATED).to_dict()
    validate(data)
    text = json.dumps(jsonld.expand(data, {"documentLoader": offline_loader}), ensure_ascii=False)
    assert "https://ref.gs1.org/cbv/BizStep-receiving" in text
    assert "汪陂村" in text  # the village reaches the buyer through the location master data


def test_the_egg_chain_validates_and_starts_with_laying() -> None:
    document = events_for_lot(catalog(), EGGS, shipment=shipment(EGGS, 19), created=CREATED)
    validate(document.to_dict())
    first = document.events[0]
    assert isinstance(first, ObjectEvent)
    assert (first.action, first.biz_step) == ("ADD", "commissioning")
    assert first.ilmd["cbvmda:bestBeforeDate"] == "2026-12-12"
    assert first.ilmd["rs:lastLaid"] == "2026-11-18"
    assert [e.biz_step for e in document.events[1:]] == [
        "packing",
        "shipping",
        "departing",
        "receiving",
    ]


def test_the_events_name_the_same_lot_as_the_label_qr_code() -> None:
    label = lot_label(catalog(), CHICKEN, net_weight=Mass.parse("1.3 kg"))
    scanned = Gs1Data.parse_digital_link(label.digital_link, today=dt.date(2026, 11, 21))
    for event in chain():
        quantities = (
            event.output_quantity_list
            if isinstance(event, TransformationEvent)
            else event.quantity_list
        )
        link = Gs1Data.parse_digital_link(quantities[0].epc_class)
        assert (link.gtin, link.lot) == (scanned.gtin, scanned.lot)
        assert label.digital_link.startswith(quantities[0].epc_class + "?")


def test_slaughter_takes_live_birds_in_heads_and_carries_the_papers() -> None:
    event = slaughter_event(catalog(), CHICKEN)
    (birds,) = event.input_quantity_list
    assert (birds.quantity, birds.uom) == (40, "H87")
    assert birds.epc_class == "urn:ruralseller:live-birds:wu-family-farm:WJ261120A"
    assert event.event_time == dt.datetime(2026, 11, 20, 6, 30, tzinfo=CHINA_STANDARD_TIME)
    assert event.ilmd["cbvmda:itemExpirationDate"] == "2026-11-25"
    assert event.ilmd["rs:quarantineCertificate"] == "3608261120000123"
    assert event.read_point == "urn:ruralseller:facility:B36082601"


def test_shipping_carries_the_slow_journey_in_celsius_by_default() -> None:
    events = chain()
    shipping = events[2]
    (element,) = shipping.sensor_elements
    assert element.data_processing_method == "urn:ruralseller:method:coldchain-simulation:p90"
    slow = shipment().slow
    assert slow is not None
    assert len(element.readings) == len(slow.history)
    assert element.warmest == Decimal(str(slow.warmest.decimal())).quantize(Decimal("0.01"))
    report = shipping.to_dict()["sensorElementList"][0]["sensorReport"][0]
    assert (report["type"], report["uom"]) == ("Temperature", "CEL")
    assert events[-1].event_time == slow.arrival


def test_the_typical_journey_can_be_chosen() -> None:
    events = chain(journey="typical")
    typical = shipment().typical
    assert typical is not None
    assert events[-1].event_time == typical.arrival
    assert events[2].sensor_elements[0].data_processing_method.endswith(":p50")


def test_locations_can_be_glns() -> None:
    farm = gln_location("9506000000015")
    events = chain(locations={"farm": farm})
    assert events[2].read_point == farm


def test_a_logger_file_replaces_the_simulated_readings(tmp_path: Path) -> None:
    logger = tmp_path / "logger.csv"
    logger.write_text(
        "time,celsius\n2026-11-21T08:00:00+08:00,1.5\n2026-11-21T09:00:00+08:00,2.25\n",
        encoding="utf-8",
    )
    events = chain(logger=logger)
    (element,) = events[2].sensor_elements
    assert [r.celsius for r in element.readings] == [Decimal("1.5"), Decimal("2.25")]
    assert element.data_processing_method is None


def test_a_logger_alone_gives_a_shipping_event_at_the_first_reading(tmp_path: Path) -> None:
    logger = tmp_path / "logger.csv"
    logger.write_text("2026-11-21T09:00:00+08:00,2\n2026-11-21T08:00:00+08:00,1\n", "utf-8")
    document = events_for_lot(catalog(), CHICKEN, logger=logger, created=CREATED)
    validate(document.to_dict())
    shipping = document.events[-1]
    assert shipping.biz_step == "shipping"
    assert shipping.event_time == dt.datetime(2026, 11, 21, 8, tzinfo=CHINA_STANDARD_TIME)


def test_bad_logger_rows_are_all_reported(tmp_path: Path) -> None:
    logger = tmp_path / "logger.csv"
    logger.write_text(
        "time,celsius\n2026-11-21T08:00:00,1\nyesterday,2\n2026-11-21T08:00:00+08:00,warm\n1,2,3\n",
        encoding="utf-8",
    )
    with pytest.raises(TraceabilityError) as caught:
        read_logger(logger)
    message = str(caught.value)
    assert "4 bad row(s)" in message
    assert "line 2: '2026-11-21T08:00:00' has no UTC offset" in message
    assert "line 3: 'yesterday' is not an ISO 8601 date and time" in message
    assert "line 4: 'warm' is not a temperature in °C" in message
    assert "line 5: expected 2 columns" in message


def test_documents_we_write_read_back() -> None:
    document = events_for_lot(catalog(), CHICKEN, shipment=shipment(), created=CREATED)
    again = read_document(document.to_json())
    assert again.to_dict() == document.to_dict()
    farm = again.location("urn:ruralseller:producer:wu-family-farm")
    assert farm is not None
    assert farm.place is not None
    assert farm.place.village == "汪陂村"


# --- errors ---------------------------------------------------------------------------------


def test_a_lot_without_a_slaughter_record_cannot_have_a_slaughter_event() -> None:
    with pytest.raises(TraceabilityError, match="WE261118 has no slaughter record") as caught:
        slaughter_event(catalog(), EGGS)
    assert "[lots.slaughter]" in caught.value.hint


def test_a_slaughter_needs_a_count_of_birds() -> None:
    def weighed(lot: Lot) -> Lot:
        if lot.id != CHICKEN or lot.slaughter is None:
            return lot
        quantity = LotQuantity(net_mass=Mass.parse("52 kg"))
        return attrs.evolve(
            lot, quantity=quantity, slaughter=attrs.evolve(lot.slaughter, birds=None)
        )

    broken = attrs.evolve(catalog(), lots=[weighed(lot) for lot in catalog().lots], offers=())
    with pytest.raises(TraceabilityError, match="does not say how many birds") as caught:
        events_for_lot(broken, CHICKEN)
    assert caught.value.hint == "add birds = <number> to [lots.slaughter]"


def test_a_product_without_gtin_has_no_lot_identifier() -> None:
    products = [attrs.evolve(p, gtin=None) for p in catalog().products]
    broken = attrs.evolve(catalog(), products=products)
    with pytest.raises(TraceabilityError, match="has no GTIN") as caught:
        events_for_lot(broken, CHICKEN)
    assert caught.value.field == "gtin"


def test_shipping_needs_a_shipment_or_readings() -> None:
    with pytest.raises(TraceabilityError, match="needs a shipment or logger readings"):
        shipping_event(catalog(), CHICKEN)


def test_an_unknown_journey_or_location_role_is_refused() -> None:
    with pytest.raises(TraceabilityError, match="'fast' is not 'typical' or 'slow'"):
        chain(journey="fast")
    with pytest.raises(TraceabilityError, match="unknown location role 'shop'"):
        chain(locations={"shop": "urn:x:y"})


def test_an_infeasible_shipment_is_refused() -> None:
    infeasible = attrs.evolve(shipment(), typical=None, slow=None, reasons=("too far",))
    with pytest.raises(TraceabilityError, match=r"has no route or journey \(too far\)"):
        events_for_lot(catalog(), CHICKEN, shipment=infeasible)


def test_shipping_before_packing_is_refused() -> None:
    early = shipment()
    assert early.route is not None
    route = attrs.evolve(
        early.route, ship_at=dt.datetime(2026, 11, 20, 7, tzinfo=CHINA_STANDARD_TIME)
    )
    with pytest.raises(TraceabilityError, match="before lot WJ261120A is packed"):
        events_for_lot(catalog(), CHICKEN, shipment=attrs.evolve(early, route=route))


def test_an_unknown_lot_is_not_in_the_catalogue() -> None:
    with pytest.raises(NotInCatalogError):
        events_for_lot(catalog(), "NOPE")
