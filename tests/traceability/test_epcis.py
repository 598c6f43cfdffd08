"""The EPCIS builders write documents the official schema and JSON-LD context accept."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pyld import jsonld

from ruralseller.errors import IdentifierError
from ruralseller.traceability import (
    EPCIS_CONTEXT,
    AggregationEvent,
    EpcisDocument,
    Location,
    ObjectEvent,
    OtherEvent,
    QuantityElement,
    SensorElement,
    SensorReading,
    TraceabilityError,
    TransformationEvent,
    gln_location,
    lgtin,
    private_id,
    read_document,
)

SPECS = Path(__file__).parents[1] / "specs" / "gs1-epcis"
CST = dt.timezone(dt.timedelta(hours=8))
LOT = lgtin("99526000160017", "WJ261120A")


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


# The context URLs the documents name, mapped to the saved official files: never the network.
_CONTEXTS = {
    EPCIS_CONTEXT: "epcis-context.jsonld",
    "https://ref.gs1.org/standards/epcis/epcis-context.jsonld": "epcis-context.jsonld",
    "https://gs1.github.io/EPCIS/epcis-context.jsonld": "epcis-context.jsonld",
    "https://gs1.github.io/EPCIS/epcis-context-simple.jsonld": "epcis-context-simple.jsonld",
}


def offline_loader(url: str, _options: object = None) -> dict[str, Any]:
    name = _CONTEXTS.get(url)
    path = specs() / name if name else specs() / "JSON-LD-Context" / url.rsplit("/", 1)[-1]
    if not path.is_file():
        pytest.fail(f"no local copy of JSON-LD document {url}; tests never use the network")
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": json.loads(path.read_text(encoding="utf-8")),
    }


def expand(data: dict[str, Any]) -> str:
    return json.dumps(jsonld.expand(data, {"documentLoader": offline_loader}), ensure_ascii=False)


_TIMES = (
    "http://www.w3.org/2001/XMLSchema#dateTime",
    "http://www.w3.org/2001/XMLSchema#dateTimeStamp",
)


def same_instants(value: Any) -> Any:
    """Expanded JSON-LD with each typed date-time as an instant (``.0Z`` == ``+00:00``)."""
    if isinstance(value, list):
        return [same_instants(item) for item in value]
    if isinstance(value, dict):
        if value.get("@type") in _TIMES:
            return {**value, "@value": dt.datetime.fromisoformat(value["@value"])}
        return {key: same_instants(item) for key, item in value.items()}
    return value


def expanded(data: dict[str, Any]) -> Any:
    return same_instants(jsonld.expand(data, {"documentLoader": offline_loader}))


def sample_document() -> EpcisDocument:
    farm = private_id("producer", "wu-family-farm")
    reading = SensorReading(dt.datetime(2026, 11, 21, 9, tzinfo=CST), Decimal("2.5"))
    return EpcisDocument(
        [
            TransformationEvent(
                event_time=dt.datetime(2026, 11, 20, 6, 30, tzinfo=CST),
                input_quantity_list=[QuantityElement(private_id("live-birds", "x"), 40, "H87")],
                output_quantity_list=[QuantityElement(LOT, 40, "H87")],
                biz_step="commissioning",
                disposition="in_progress",
                read_point=farm,
                ilmd={"cbvmda:itemExpirationDate": "2026-11-25", "rs:productionDate": "2026-11-20"},
            ),
            AggregationEvent(
                event_time=dt.datetime(2026, 11, 20, 11, tzinfo=CST),
                parent_id="https://id.gs1.org/00/095060001234567897",
                child_quantity_list=[QuantityElement(LOT, Decimal("52.4"), "KGM")],
                biz_step="packing",
                read_point=farm,
            ),
            ObjectEvent(
                event_time=dt.datetime(2026, 11, 21, 8, tzinfo=CST),
                quantity_list=[QuantityElement(LOT, 40, "H87")],
                biz_step="shipping",
                disposition="in_transit",
                read_point=farm,
                sensor_elements=[SensorElement(readings=[reading])],
            ),
        ],
        creation_date=dt.datetime(2026, 11, 21, 8, tzinfo=CST),
        locations=[Location(farm, name="吴家乌鸡养殖场")],
    )


def test_a_built_document_validates_against_the_official_schema() -> None:
    validate(sample_document().to_dict())


def test_a_built_document_expands_with_the_official_context() -> None:
    expanded = expand(sample_document().to_dict())
    assert "https://ref.gs1.org/epcis/TransformationEvent" in expanded
    assert "https://ref.gs1.org/epcis/AggregationEvent" in expanded
    assert "https://ref.gs1.org/cbv/BizStep-commissioning" in expanded
    assert "https://ref.gs1.org/cbv/BizStep-packing" in expanded
    assert "https://ref.gs1.org/cbv/Disp-in_transit" in expanded
    assert "urn:epcglobal:cbv:mda:itemExpirationDate" in expanded
    assert "traceability.md#productionDate" in expanded  # our rs: prefix is declared
    assert '"CEL"' in expanded
    assert "https://gs1.org/voc/Temperature" in expanded


def test_the_document_names_the_ratified_context_and_schema_version() -> None:
    data = sample_document().to_dict()
    assert data["@context"][0] == "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
    assert data["schemaVersion"] == "2.0"
    assert data["type"] == "EPCISDocument"


def test_json_text_round_trips_through_the_reader() -> None:
    document = sample_document()
    again = read_document(document.to_json())
    assert again.to_dict() == document.to_dict()
    assert again.location(private_id("producer", "wu-family-farm")).name == "吴家乌鸡养殖场"


OFFICIAL_EXAMPLES = [
    "Example_9.6.1-ObjectEvent.jsonld",
    "Example_9.6.4-TransformationEvent.jsonld",
    "Example_9.6.4-TransformationEventWithDigitalLink.jsonld",
    "SensorDataExample1.jsonld",
]


@pytest.mark.parametrize("name", OFFICIAL_EXAMPLES)
def test_official_examples_load_validate_and_expand(name: str) -> None:
    path = specs() / "examples" / name
    original = json.loads(path.read_text(encoding="utf-8"))
    validate(original)
    document = read_document(path)
    assert document.events
    written = document.to_dict()
    validate(written)
    assert expanded(written) == expanded(original)  # the same statements, nothing lost


def test_the_object_event_example_reads_as_typed_events() -> None:
    document = read_document(specs() / "examples" / "Example_9.6.1-ObjectEvent.jsonld")
    shipping, receiving = document.events
    assert isinstance(shipping, ObjectEvent)
    assert (shipping.biz_step, shipping.disposition) == ("shipping", "in_transit")
    assert shipping.read_point == "urn:epc:id:sgln:0614141.07346.1234"
    assert isinstance(receiving, ObjectEvent)
    assert receiving.extra["example:myField"] == "Example of a vendor/user extension"


def test_the_transformation_example_keeps_its_quantities() -> None:
    path = specs() / "examples" / "Example_9.6.4-TransformationEvent.jsonld"
    (event,) = read_document(path).events
    assert isinstance(event, TransformationEvent)
    assert event.input_quantity_list[0] == QuantityElement(
        "urn:epc:class:lgtin:4012345.011111.4444", 10, "KGM"
    )
    assert event.time_zone_offset == "+02:00"  # kept, though eventTime is in UTC
    assert event.ilmd["example:bestBeforeDate"] == "2014-12-10"


def test_other_event_types_are_kept_as_json() -> None:
    text = json.dumps(
        {
            "@context": EPCIS_CONTEXT,
            "type": "EPCISDocument",
            "schemaVersion": "2.0",
            "creationDate": "2026-11-21T08:00:00+08:00",
            "epcisBody": {
                "eventList": [
                    {
                        "type": "TransactionEvent",
                        "action": "ADD",
                        "eventTime": "2026-11-21T08:00:00+08:00",
                        "eventTimeZoneOffset": "+08:00",
                        "bizTransactionList": [{"bizTransaction": "urn:example:po:1"}],
                        "epcList": [LOT],
                    }
                ]
            },
        }
    )
    (event,) = read_document(text).events
    assert isinstance(event, OtherEvent)
    assert event.kind == "TransactionEvent"


# --- identifiers -----------------------------------------------------------------------------


def test_lgtin_is_the_digital_link_path_of_gtin_and_lot() -> None:
    assert LOT == "https://id.gs1.org/01/99526000160017/10/WJ261120A"
    assert lgtin("9526000160021", "A/1", "https://example.com") == (
        "https://example.com/01/09526000160021/10/A%2F1"
    )


def test_gln_locations_check_the_check_digit() -> None:
    assert gln_location("9506000000015") == "https://id.gs1.org/414/9506000000015"
    with pytest.raises(IdentifierError, match="not a GLN"):
        gln_location("9506000000013")


def test_private_ids_are_percent_encoded_urns() -> None:
    assert private_id("hub", "CN", "泰和县").startswith("urn:ruralseller:hub:CN:%E6")
    with pytest.raises(TraceabilityError, match="non-empty"):
        private_id("hub", " ")


# --- bad input -----------------------------------------------------------------------------


def test_event_time_needs_a_time_zone() -> None:
    with pytest.raises(TraceabilityError, match="time zone") as caught:
        ObjectEvent(event_time=dt.datetime(2026, 11, 21, 8), epc_list=[LOT])  # noqa: DTZ001
    assert caught.value.field == "event_time"


def test_killing_is_not_a_typo_for_commissioning_but_unknown_steps_fail() -> None:
    when = dt.datetime(2026, 11, 21, 8, tzinfo=CST)
    with pytest.raises(TraceabilityError, match="unknown bizStep 'slaughtering'"):
        ObjectEvent(event_time=when, epc_list=[LOT], biz_step="slaughtering")
    private = "https://example.com/bizstep/slaughtering"
    assert ObjectEvent(event_time=when, epc_list=[LOT], biz_step=private).biz_step == private


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "needs an epc_list or a quantity_list"),
        ({"epc_list": ["not a uri"]}, "is not a URI"),
        ({"epc_list": [LOT, LOT]}, "twice"),
        ({"epc_list": [LOT], "disposition": "sold"}, "unknown disposition"),
        ({"epc_list": [LOT], "action": "UPDATE"}, "is not one of ADD, OBSERVE, DELETE"),
        ({"epc_list": [LOT], "time_zone_offset": "+8"}, "not a UTC offset"),
        ({"epc_list": [LOT], "ilmd": {"best before": "x"}}, "not a URI or a prefixed name"),
    ],
)
def test_bad_object_events_say_what_is_wrong(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(TraceabilityError, match=message):
        ObjectEvent(event_time=dt.datetime(2026, 11, 21, 8, tzinfo=CST), **kwargs)


def test_units_are_un_ece_codes() -> None:
    with pytest.raises(TraceabilityError, match="not a UN/ECE Rec 20 code"):
        QuantityElement(LOT, 1, "kg")


def test_a_transformation_needs_inputs_and_outputs() -> None:
    with pytest.raises(TraceabilityError, match="needs inputs and outputs"):
        TransformationEvent(
            event_time=dt.datetime(2026, 11, 21, 8, tzinfo=CST),
            output_quantity_list=[QuantityElement(LOT, 1, "H87")],
        )


def test_reader_reports_every_problem_with_its_path() -> None:
    text = json.dumps(
        {
            "@context": EPCIS_CONTEXT,
            "type": "EPCISDocument",
            "schemaVersion": "2.0",
            "creationDate": "2026-11-21T08:00:00+08:00",
            "epcisBody": {
                "eventList": [
                    {"type": "ObjectEvent", "action": "OBSERVE", "epcList": [LOT]},
                    {
                        "type": "ObjectEvent",
                        "action": "OBSERVE",
                        "epcList": [LOT],
                        "eventTime": "2026-11-21T08:00:00",
                        "eventTimeZoneOffset": "+08:00",
                    },
                ]
            },
        }
    )
    with pytest.raises(TraceabilityError) as caught:
        read_document(text)
    message = str(caught.value)
    assert "3 problems" in message
    assert "epcisBody.eventList[0].eventTime" in message
    assert "epcisBody.eventList[0].eventTimeZoneOffset" in message
    assert "epcisBody.eventList[1].eventTime: '2026-11-21T08:00:00' has no time zone" in message


def test_reader_rejects_what_is_not_an_epcis_document(tmp_path: Path) -> None:
    with pytest.raises(TraceabilityError, match=r"is not JSON: .* line 1"):
        read_document("{nope")
    path = tmp_path / "other.json"
    path.write_text('{"type": "Catalog"}', encoding="utf-8")
    with pytest.raises(TraceabilityError, match="is not an EPCIS document"):
        read_document(path)
    with pytest.raises(TraceabilityError, match="cannot read"):
        read_document(tmp_path / "missing.json")
