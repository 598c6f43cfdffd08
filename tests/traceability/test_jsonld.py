"""One cattrs converter writes and reads EPCIS JSON-LD exactly as the hand-written code did.

The files in ``data/golden/`` were written by :func:`write_golden` with the hand-written
``to_dict()`` / reader code that the converter replaced (commit c06fb03), before any change:
the JSON-LD text of the sample catalogue's lots, and a precise description (types included)
of what reading them, and GS1's official examples, gives. The converter must reproduce them
byte for byte.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs
import pytest
from hypothesis import given
from tests.strategies import epcis_documents, epcis_events

from ruralseller.catalog import Catalog, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.coldchain import CHINA_STANDARD_TIME, plan_shipment
from ruralseller.traceability import (
    EPCIS_CONTEXT,
    AggregationEvent,
    EpcisDocument,
    Event,
    Location,
    ObjectEvent,
    OtherEvent,
    QuantityElement,
    SensorElement,
    SensorReading,
    TraceabilityError,
    TransformationEvent,
    events_for_lot,
    lgtin,
    private_id,
    read_document,
)
from ruralseller.traceability.jsonld import converter

GOLDEN = Path(__file__).parent / "data" / "golden"
SPECS = Path(__file__).parents[1] / "specs" / "gs1-epcis"
CREATED = dt.datetime(2026, 11, 25, 12, tzinfo=CHINA_STANDARD_TIME)
# The sample lots, and the day each one ships (the chicken lots a day after slaughter).
LOTS = {"WJ261120A": 21, "WJ261123A": 24, "WE261118": 19}
OFFICIAL_EXAMPLES = [
    "Example_9.6.1-ObjectEvent.jsonld",
    "Example_9.6.4-TransformationEvent.jsonld",
    "Example_9.6.4-TransformationEventWithDigitalLink.jsonld",
    "SensorDataExample1.jsonld",
]


@cache
def catalog() -> Catalog:
    return load_catalog(sample_path())


def lot_document(lot_id: str, *, shipped: bool) -> EpcisDocument:
    shipment = None
    if shipped:
        ship_at = dt.datetime(2026, 11, LOTS[lot_id], 8, tzinfo=CHINA_STANDARD_TIME)
        shipment = plan_shipment(catalog(), lot_id, ["广州"], ship_at).destinations[0].best
        assert shipment is not None
    return events_for_lot(catalog(), lot_id, shipment=shipment, created=CREATED)


def every_kind_document() -> EpcisDocument:
    """A document with every member the builders can write: each event type, ids, extras."""
    utc_minus_5 = dt.timezone(dt.timedelta(hours=-5))
    lot = lgtin("99526000160017", "WJ261120A")
    farm = private_id("producer", "wu-family-farm")
    readings = [
        SensorReading(dt.datetime(2026, 11, 21, 10, tzinfo=CHINA_STANDARD_TIME), Decimal("3.25")),
        SensorReading(dt.datetime(2026, 11, 21, 9, tzinfo=CHINA_STANDARD_TIME), Decimal("-1.0")),
    ]
    return EpcisDocument(
        [
            TransformationEvent(
                event_time=dt.datetime(2026, 11, 20, 6, 30, tzinfo=dt.UTC),
                input_epc_list=["urn:epc:id:sgtin:0614141.107346.2017"],
                input_quantity_list=[QuantityElement(private_id("live-birds", "x"), 40, "H87")],
                output_quantity_list=[QuantityElement(lot, Decimal("52.40"), "KGM")],
                output_epc_list=["urn:epc:id:sgtin:0614141.107346.2018"],
                transformation_id="urn:uuid:a2bd7ab6-13b4-4b0e-9a44-5f3f3a7d2f0b",
                biz_step="commissioning",
                disposition="in_progress",
                read_point=farm,
                biz_location=farm,
                ilmd={"cbvmda:itemExpirationDate": "2026-11-25"},
                time_zone_offset="+08:00",
                event_id="ni:///sha-256;abc?ver=CBV2.0",
                extra={"example:myField": {"a": [1, 2.5, None, True]}},
            ),
            AggregationEvent(
                event_time=dt.datetime(2026, 11, 20, 11, tzinfo=utc_minus_5),
                parent_id="https://id.gs1.org/00/095060001234567897",
                child_epcs=["urn:epc:id:sgtin:0614141.107346.2018"],
                child_quantity_list=[QuantityElement(lot), QuantityElement(lot, "0.5", "KGM")],
                action="DELETE",
                biz_step="https://example.com/bizstep/weighing",
                sensor_elements=[
                    SensorElement(
                        readings=readings,
                        device_id="urn:epc:id:giai:4000001.111",
                        data_processing_method="https://example.com/method/raw",
                    )
                ],
            ),
            AggregationEvent(
                event_time=dt.datetime(2026, 11, 20, 12, tzinfo=CHINA_STANDARD_TIME),
                child_quantity_list=[QuantityElement(lot, 1)],
            ),
            ObjectEvent(
                event_time=dt.datetime(2026, 11, 21, 8, tzinfo=CHINA_STANDARD_TIME),
                action="ADD",
                epc_list=["urn:epc:id:sgtin:0614141.107346.2019"],
                quantity_list=[QuantityElement(lot, 40, "H87")],
                biz_step="shipping",
                disposition="in_transit",
                read_point=farm,
                sensor_elements=[SensorElement(readings=readings[:1])],
                extra={"bizTransactionList": [{"type": "po", "bizTransaction": "urn:x:po:1"}]},
            ),
            OtherEvent(
                {
                    "type": "AssociationEvent",
                    "eventTime": "2026-11-21T08:00:00+08:00",
                    "eventTimeZoneOffset": "+08:00",
                    "parentID": "urn:epc:id:grai:4012345.55555.987",
                    "action": "ADD",
                }
            ),
        ],
        creation_date=dt.datetime(2026, 11, 21, 8, 0, 0, 123456, tzinfo=CHINA_STANDARD_TIME),
        locations=[
            Location(farm, name="吴家乌鸡养殖场", place=catalog().producers[0].place),
            Location("urn:ruralseller:hub:x"),
        ],
        extra={"sender": "urn:x:sender", "epcisBody": {"ignored": True}},
    )


def scenarios() -> Iterator[tuple[str, Callable[[], EpcisDocument]]]:
    """The written documents to compare, by name."""
    for lot_id in LOTS:
        yield f"{lot_id}.epcis.jsonld", lambda lot_id=lot_id: lot_document(lot_id, shipped=False)
        yield (
            f"{lot_id}-shipped.epcis.jsonld",
            lambda lot_id=lot_id: lot_document(lot_id, shipped=True),
        )
    yield "every-kind.epcis.jsonld", every_kind_document


def describe(value: Any) -> Any:
    """A JSON description of a value that tells apart what ``==`` does not (types, zones)."""
    if attrs.has(type(value)):
        fields = {f.name: describe(getattr(value, f.name)) for f in attrs.fields(type(value))}
        return {"class": type(value).__name__, **fields}
    if isinstance(value, MappingProxyType):
        return {"mappingproxy": {key: describe(item) for key, item in value.items()}}
    if isinstance(value, dict):
        return {"dict": {key: describe(item) for key, item in value.items()}}
    if isinstance(value, tuple):
        return {"tuple": [describe(item) for item in value]}
    if isinstance(value, list):
        return [describe(item) for item in value]
    if isinstance(value, enum.Enum):
        return {"enum": repr(value)}
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat(), "tzinfo": repr(value.tzinfo)}
    if isinstance(value, Decimal | float):
        return {type(value).__name__: repr(value)}
    assert value is None or isinstance(value, str | int), f"describe {type(value)}"
    return value


def description(document: EpcisDocument) -> str:
    return json.dumps(describe(document), ensure_ascii=False, indent=1) + "\n"


def official(name: str) -> Path:
    path = SPECS / "examples" / name
    if not path.is_file():
        pytest.fail(f"the official GS1 EPCIS example {path} is missing (see tests/specs)")
    return path


def write_golden() -> None:
    """Write ``data/golden/`` anew. Run it only with code known to be right."""
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, build in scenarios():
        document = build()
        (GOLDEN / name).write_text(document.to_json(), encoding="utf-8")
        again = read_document(document.to_json())
        (GOLDEN / f"{name}.read.json").write_text(description(again), encoding="utf-8")
    for name in OFFICIAL_EXAMPLES:
        document = read_document(official(name))
        (GOLDEN / f"official-{name}.read.json").write_text(description(document), encoding="utf-8")
        (GOLDEN / f"official-{name}").write_text(document.to_json(), encoding="utf-8")


# --- the same output as the hand-written code ------------------------------------------------


@pytest.mark.parametrize("name", [name for name, _ in scenarios()])
def test_documents_are_written_byte_for_byte_as_before(name: str) -> None:
    build = dict(scenarios())[name]
    assert build().to_json() == (GOLDEN / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [name for name, _ in scenarios()])
def test_written_documents_read_back_to_the_same_objects_as_before(name: str) -> None:
    again = read_document(build_json(name))
    assert description(again) == (GOLDEN / f"{name}.read.json").read_text(encoding="utf-8")


def build_json(name: str) -> str:
    return dict(scenarios())[name]().to_json()


@pytest.mark.parametrize("name", OFFICIAL_EXAMPLES)
def test_official_examples_read_and_write_as_before(name: str) -> None:
    document = read_document(official(name))
    assert description(document) == (GOLDEN / f"official-{name}.read.json").read_text(
        encoding="utf-8"
    )
    assert document.to_json() == (GOLDEN / f"official-{name}").read_text(encoding="utf-8")


def test_every_to_dict_is_the_converters_unstructure() -> None:
    document = every_kind_document()
    conv = converter()
    assert document.to_dict() == conv.unstructure(document)
    for event in document.events:
        assert event.to_dict() == conv.unstructure(event)
    assert (
        document.locations[0].attributes() == conv.unstructure(document.locations[0])["attributes"]
    )


# --- round trip ------------------------------------------------------------------------------


@given(epcis_documents())
def test_any_document_survives_writing_and_reading(document: EpcisDocument) -> None:
    text = document.to_json()
    again = read_document(text)
    assert again == document
    assert again.to_json() == text  # the same time zones and number forms, too


@given(epcis_events())
def test_any_event_survives_the_converter(event: Event) -> None:
    conv = converter()
    assert conv.structure(conv.unstructure(event), Event) == event


def test_an_event_without_an_offset_reads_back_with_the_offset_of_its_time() -> None:
    when = dt.datetime(2026, 11, 21, 8, tzinfo=CHINA_STANDARD_TIME)
    event = ObjectEvent(event_time=when, epc_list=["urn:epc:id:sgtin:0614141.107346.1"])
    document = EpcisDocument([event], creation_date=when)
    (again,) = read_document(document.to_json()).events
    assert again == attrs.evolve(event, time_zone_offset="+08:00")


# --- every problem, with its JSON path -------------------------------------------------------


def problems_in(*events: Any, **members: Any) -> str:
    data: dict[str, Any] = {
        "@context": EPCIS_CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-11-21T08:00:00+08:00",
        "epcisBody": {"eventList": list(events)},
    }
    data.update(members)
    data = {key: value for key, value in data.items() if value is not None}
    with pytest.raises(TraceabilityError) as caught:
        read_document(json.dumps(data))
    return str(caught.value)


def an_event(**members: Any) -> dict[str, Any]:
    event = {
        "type": "ObjectEvent",
        "action": "OBSERVE",
        "eventTime": "2026-11-21T08:00:00+08:00",
        "eventTimeZoneOffset": "+08:00",
        "epcList": [LOT],
    }
    event.update(members)
    return {key: value for key, value in event.items() if value is not None}


LOT = lgtin("99526000160017", "WJ261120A")


def test_problems_name_the_epcis_member_and_say_how_to_fix_it() -> None:
    message = problems_in(
        an_event(bizStep="slaughtering"),
        an_event(epcList=None, quantityList=[{"epcClass": LOT, "quantity": 1, "uom": "kg"}]),
        an_event(quantityList=[{"quantity": "ten"}, "x"]),
        an_event(type="AggregationEvent", epcList=None, action="ADD"),
        an_event(type=5),
        creationDate="2026-11-21",
        schemaVersion=None,
    )
    assert message.startswith("the EPCIS document has 9 problems:\n")
    lines = [line.strip() for line in message.splitlines()[1:] if "hint:" not in line]
    assert lines == [
        "creationDate: '2026-11-21' has no time zone (EPCIS requires one)",
        'schemaVersion: missing; an EPCIS 2.0 document has "schemaVersion": "2.0"',
        "epcisBody.eventList[0].bizStep: unknown bizStep 'slaughtering'",
        "epcisBody.eventList[1].quantityList[0].uom: unit 'kg' is not a UN/ECE Rec 20 code",
        "epcisBody.eventList[2].quantityList[0].epcClass: a quantity needs an epcClass",
        "epcisBody.eventList[2].quantityList[0].quantity: 'ten' is not a number",
        "epcisBody.eventList[2].quantityList[1]: expected a JSON object, got 'x'",
        "epcisBody.eventList[3].childEPCs: an AggregationEvent needs child_epcs or a quantity list",
        "epcisBody.eventList[4].type: every event needs a type",
    ]
    assert "hint: use e.g. KGM for kilograms" in message


def test_a_list_member_must_be_a_list() -> None:
    message = problems_in(an_event(epcList=LOT, ilmd=["x"]))
    assert f"epcisBody.eventList[0].epcList: expected a list, got {LOT!r}" in message
    assert "epcisBody.eventList[0].ilmd: expected a JSON object, got ['x']" in message


def test_a_document_without_events_or_context_says_where_they_go() -> None:
    message = problems_in(epcisBody={"events": []}, **{"@context": 5})
    assert "@context: missing; name the EPCIS JSON-LD context" in message
    assert "epcisBody.eventList: missing; the events go in epcisBody.eventList" in message


def test_sensor_data_other_than_temperatures_is_kept_as_json() -> None:
    humidity = {
        "sensorMetadata": {"time": "2026-11-21T08:00:00+08:00"},
        "sensorReport": [{"type": "gs1:RelativeHumidity", "value": 80, "uom": "A93"}],
    }
    document = read_document(
        json.dumps(
            {
                "@context": EPCIS_CONTEXT,
                "type": "EPCISDocument",
                "schemaVersion": "2.0",
                "creationDate": "2026-11-21T08:00:00+08:00",
                "epcisBody": {"eventList": [an_event(sensorElementList=[humidity])]},
            }
        )
    )
    (event,) = document.events
    assert isinstance(event, ObjectEvent)
    assert event.sensor_elements == ()
    assert event.extra["sensorElementList"] == [humidity]
    assert document.to_dict()["epcisBody"]["eventList"][0]["sensorElementList"] == [humidity]
