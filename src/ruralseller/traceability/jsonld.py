"""The EPCIS 2.0 JSON-LD format: one cattrs converter writes and reads every EPCIS value.

:func:`converter` is configured once for the JSON / JSON-LD binding of EPCIS 2.0 (GS1 EPCIS
2.0 §9, the shape of the official ``EPCIS-JSON-Schema.json``):

- member names are EPCIS's camelCase (``eventTime``, ``bizStep``, ``childEPCs``...);
- Decimal quantities and temperatures are JSON numbers (whole ones without a point), read
  back from the number's text, so ``52.4`` stays ``Decimal('52.4')``;
- times are ISO 8601 text with their UTC offset, and every event says its
  ``eventTimeZoneOffset``: its ``time_zone_offset``, else the offset of its ``event_time``;
- events are tagged by ``type``; a type we do not model is kept whole as an
  :class:`~ruralseller.traceability.epcis.OtherEvent`;
- empty and None members are left out, as in GS1's examples;
- ``extra`` members (extensions such as ``example:myField``, ``bizTransactionList``) are
  written and read as they are, and so is sensor data other than temperatures in °C;
- locations are written as CBV master-data attributes in the document's header.

A document that cannot be read fails once, with every problem: cattrs groups the errors, and
:func:`problems_from_exception` turns them into one
:class:`~ruralseller.errors.Problem` per bad member, with its JSON path.

Example:
    >>> from ruralseller.traceability.epcis import QuantityElement
    >>> element = converter().structure(
    ...     {"epcClass": "urn:epc:class:lgtin:4012345.011111.4444", "quantity": 10.5, "uom": "KGM"},
    ...     QuantityElement,
    ... )
    >>> element.quantity
    Decimal('10.5')
    >>> converter().unstructure(element)["quantity"]
    10.5
    >>> try:
    ...     converter().structure({"epcClass": "urn:x:1", "quantity": "ten"}, QuantityElement)
    ... except Exception as error:
    ...     for problem in problems_from_exception(error):
    ...         print(problem)
    quantity: 'ten' is not a number
        hint: write a JSON number, e.g. 52.4
"""

from __future__ import annotations

import datetime as dt
import functools
import typing
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from functools import cache
from typing import Any, Final, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ClassValidationError,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ruralseller.catalog import Coordinates, Place
from ruralseller.catalog.files import structuring_failures
from ruralseller.errors import InvalidValueError, Problem
from ruralseller.traceability.epcis import (
    CBV_MASTER_DATA,
    LOCATION_VOCABULARY,
    RURALSELLER_NAMESPACE,
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
    _decimal,
)

__all__ = ["converter", "problems_from_exception"]

T = TypeVar("T")
# The structure and unstructure hooks of one class.
_Hooks = tuple[Callable[[Any, Any], Any], Callable[[Any], dict[str, Any]]]

_ModelledEvent = ObjectEvent | AggregationEvent | TransformationEvent
_EVENT_TYPES: Final[dict[str, type[_ModelledEvent]]] = {
    cls.kind: cls for cls in (ObjectEvent, AggregationEvent, TransformationEvent)
}

_EVENT_NAMES: Final = {
    "event_time": "eventTime",
    "time_zone_offset": "eventTimeZoneOffset",
    "event_id": "eventID",
    "action": "action",
    "epc_list": "epcList",
    "quantity_list": "quantityList",
    "parent_id": "parentID",
    "child_epcs": "childEPCs",
    "child_quantity_list": "childQuantityList",
    "input_epc_list": "inputEPCList",
    "input_quantity_list": "inputQuantityList",
    "output_epc_list": "outputEPCList",
    "output_quantity_list": "outputQuantityList",
    "transformation_id": "transformationID",
    "biz_step": "bizStep",
    "disposition": "disposition",
    "read_point": "readPoint",
    "biz_location": "bizLocation",
    "sensor_elements": "sensorElementList",
    "ilmd": "ilmd",
}


def _names(cls: type, names: Mapping[str, str]) -> dict[str, str]:
    return {f.name: names[f.name] for f in attrs.fields(cls) if f.name in names}


# The EPCIS member of each field (the documents' events sit at ``epcisBody.eventList``).
_JSON_NAMES: Final[dict[type, dict[str, str]]] = {
    **{cls: _names(cls, _EVENT_NAMES) for cls in _EVENT_TYPES.values()},
    QuantityElement: {"epc_class": "epcClass", "quantity": "quantity", "uom": "uom"},
    SensorReading: {"time": "time", "celsius": "value"},
    SensorElement: {
        "readings": "sensorReport",
        "device_id": "deviceID",
        "data_processing_method": "dataProcessingMethod",
    },
    EpcisDocument: {
        "events": "epcisBody.eventList",
        "creation_date": "creationDate",
        "schema_version": "schemaVersion",
        "context": "@context",
    },
}

# Members in the order our documents have always had them (so a document written today is
# byte for byte the one written before), close to the order of GS1's examples.
_EVENT_ORDER: Final[dict[type, tuple[str, ...]]] = {
    ObjectEvent: (
        "type",
        "eventID",
        "eventTime",
        "eventTimeZoneOffset",
        "epcList",
        "action",
        "bizStep",
        "disposition",
        "readPoint",
        "bizLocation",
        "quantityList",
        "sensorElementList",
        "ilmd",
    ),
    AggregationEvent: (
        "type",
        "eventID",
        "eventTime",
        "eventTimeZoneOffset",
        "parentID",
        "childEPCs",
        "action",
        "bizStep",
        "disposition",
        "readPoint",
        "bizLocation",
        "childQuantityList",
        "sensorElementList",
    ),
    TransformationEvent: (
        "type",
        "eventID",
        "eventTime",
        "eventTimeZoneOffset",
        "inputEPCList",
        "inputQuantityList",
        "outputEPCList",
        "outputQuantityList",
        "transformationID",
        "bizStep",
        "disposition",
        "readPoint",
        "bizLocation",
        "sensorElementList",
        "ilmd",
    ),
}

# What to say when a member that reading needs is missing: (message, hint).
_MISSING: Final = {
    "@context": ("missing; name the EPCIS JSON-LD context", ""),
    "creationDate": (
        "missing; a document says when it was made",
        'add e.g. "creationDate": "2026-11-21T08:00:00+08:00"',
    ),
    "schemaVersion": ('missing; an EPCIS 2.0 document has "schemaVersion": "2.0"', ""),
    "epcisBody.eventList": ("missing; the events go in epcisBody.eventList", ""),
    "eventTime": (
        "every event needs its time",
        'add e.g. "eventTime": "2026-11-20T06:30:00+08:00"',
    ),
    "eventTimeZoneOffset": ("every event needs its UTC offset", 'add e.g. "+08:00"'),
    "epcClass": ("a quantity needs an epcClass", "name the lot, e.g. its LGTIN Digital Link"),
}

# The document members the converter reads itself; any other is kept in ``extra``.
_DOCUMENT_MEMBERS: Final = frozenset(
    {"@context", "type", "schemaVersion", "creationDate", "epcisBody", "epcisHeader"}
)

_TEMPERATURE_TYPES: Final = ("Temperature", "gs1:Temperature")

# A location's place as CBV master-data attributes (CBV 2.0 §10), and ours (``rs:``) where
# CBV has no name; the street line comes first and is made from county, township, village.
_STREET: Final = CBV_MASTER_DATA + "streetAddressOne"
_PLACE_ATTRIBUTES: Final = (
    (CBV_MASTER_DATA + "city", "city"),
    (CBV_MASTER_DATA + "state", "province"),
    (CBV_MASTER_DATA + "postalCode", "postal_code"),
    (CBV_MASTER_DATA + "countryCode", "country"),
    (RURALSELLER_NAMESPACE + "county", "county"),
    (RURALSELLER_NAMESPACE + "township", "township"),
    (RURALSELLER_NAMESPACE + "village", "village"),
)
_NAME: Final = CBV_MASTER_DATA + "name"
_LATITUDE: Final = CBV_MASTER_DATA + "latitude"
_LONGITUDE: Final = CBV_MASTER_DATA + "longitude"

_TIME_HINT: Final = "EPCIS needs the UTC offset of every time, e.g. 2026-11-20T06:30:00+08:00"


def _fail(message: str, hint: str = "") -> TraceabilityError:
    return TraceabilityError(message, hint=hint)


# --- values ----------------------------------------------------------------------------------


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise _fail(f"expected text, got {value!r}", "write it in double quotes")
    return value


def _structure_time(value: object, _: type) -> dt.datetime:
    if not isinstance(value, str):
        raise _fail(f"expected a date and time, got {value!r}", _TIME_HINT)
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise _fail(f"{value!r} is not an ISO 8601 date and time", _TIME_HINT) from None
    if parsed.utcoffset() is None:
        raise _fail(f"{value!r} has no time zone (EPCIS requires one)", _TIME_HINT)
    return parsed


def _time_text(value: dt.datetime) -> str:
    return value.isoformat()


def _offset_text(value: dt.datetime) -> str:
    """The ``±hh:mm`` UTC offset of an aware datetime, as ``eventTimeZoneOffset`` wants it."""
    minutes = int(typing.cast("dt.timedelta", value.utcoffset()).total_seconds()) // 60
    hours, rest = divmod(abs(minutes), 60)
    return f"{'-' if minutes < 0 else '+'}{hours:02d}:{rest:02d}"


def _structure_decimal(value: object, _: type) -> Decimal:
    # From the number's shortest text, so the JSON number 52.4 is Decimal('52.4').
    try:
        return _decimal(value)
    except InvalidValueError as error:
        raise _fail(error.message, "write a JSON number, e.g. 52.4") from None


def _number(value: Decimal) -> int | float:
    # JSON has one number type; the schema's "decimal" is a JSON number.
    return int(value) if value == value.to_integral_value() else float(value)


def _structure_json_object(value: object, _: type) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _fail(f"expected a JSON object, got {value!r}", 'write it in braces: {"...": ...}')
    return dict(value)


def _is_json_object(cls: Any) -> bool:
    return typing.get_origin(cls) is Mapping


def _is_homogeneous_tuple(cls: Any) -> bool:
    args = typing.get_args(cls)
    return typing.get_origin(cls) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_hook(cls: Any, conv: cattrs.Converter) -> Callable[[object, type], tuple[Any, ...]]:
    item_type = typing.get_args(cls)[0]
    inner: Callable[[Any, Any], list[Any]] = conv.get_structure_hook(
        list[item_type]  # type: ignore[valid-type]
    )

    def structure(value: object, _: type) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise _fail(f"expected a list, got {value!r}", "write it in brackets: [...]")
        return tuple(inner(value, list))

    return structure


def _as_is(value: object, _: type) -> object:
    # The attrs class's own converter and validators check it, and say what is wrong.
    return value


def _where(value: object, _: type) -> str | None:
    # EPCIS 2.0 writes {"id": ...}; a bare identifier is read too.
    if isinstance(value, Mapping):
        found = value.get("id")
        return None if found is None else str(found)
    return None if value is None else str(value)


def _id_object(value: str) -> dict[str, str]:
    return {"id": value}


def _structure_context(value: object, _: type) -> tuple[str | Mapping[str, Any], ...]:
    items = value if isinstance(value, list) else [value]
    found = tuple(item for item in items if isinstance(item, str | dict))
    if not found:
        raise _fail(*_MISSING["@context"])
    return found


def _unstructure_context(value: tuple[str | Mapping[str, Any], ...]) -> Any:
    items = [item if isinstance(item, str) else dict(item) for item in value]
    return items[0] if len(items) == 1 else items


# --- reading: checked structuring ------------------------------------------------------------


def _structure_checked(
    cls: type[T],
    inner: Callable[[Mapping[str, Any], Any], T],
    data: Mapping[str, Any],
    required: Sequence[str] = (),
) -> T:
    """``inner(data)``, with fields that reading needs though the class has defaults for them.

    Every problem of the object comes back in one ``ClassValidationError``, errors the class
    itself raised included, so the reader can name the class's members.
    """
    if not isinstance(data, Mapping):
        raise _fail(f"expected a JSON object, got {data!r}", 'write it in braces: {"...": ...}')
    errors: list[Exception] = []
    for name in required:
        key = _JSON_NAMES[cls][name]
        if data.get(key) is None:
            missing = KeyError(key)
            missing.add_note(
                AttributeValidationNote(
                    f"Structuring class {cls.__qualname__} @ attribute {name}",
                    name,
                    attrs.fields_dict(typing.cast("Any", cls))[name].type,
                )
            )
            errors.append(missing)
    try:
        result = inner(data, cls)
    except ClassValidationError as error:
        errors[:0] = error.exceptions
    except InvalidValueError as error:
        errors.insert(0, error)
    else:
        if not errors:
            return result
    raise ClassValidationError(f"While structuring {cls.__name__}", errors, cls)


def _renamed(cls: type, **overrides: Any) -> dict[str, Any]:
    names = {
        name: override(rename=key)
        for name, key in _JSON_NAMES.get(cls, {}).items()
        if name not in overrides
    }
    return {**names, **overrides}


# --- events ----------------------------------------------------------------------------------


def _event_hooks(cls: type[_ModelledEvent], conv: cattrs.Converter) -> _Hooks:
    fields = attrs.fields_dict(cls)
    places = {
        name: override(rename=_EVENT_NAMES[name], struct_hook=_where, unstruct_hook=_id_object)
        for name in ("read_point", "biz_location")
    }
    always = {
        name: override(rename=_EVENT_NAMES[name], omit_if_default=False)
        for name in ("action", "child_epcs")
        if name in fields
    }
    structure_inner = make_dict_structure_fn(
        cls,
        conv,
        **_renamed(
            cls,
            **places,
            action=override(rename="action", struct_hook=_as_is),
            sensor_elements=override(rename="sensorElementList", struct_hook=_as_is),
        ),
    )
    unstructure_inner = make_dict_unstructure_fn(
        cls,
        conv,
        _cattrs_omit_if_default=True,
        **_renamed(cls, **places, **always, extra=override(omit=True)),
    )
    known = {"type", *_JSON_NAMES[cls].values()} - {"sensorElementList"}
    order = _EVENT_ORDER[cls]

    def structure(value: Mapping[str, Any], _: type) -> Any:
        data = {key: item for key, item in value.items() if key in known}
        extra = {key: item for key, item in value.items() if key not in known}
        sensors = _temperature_elements(value.get("sensorElementList"), conv)
        if sensors is not None:
            data["sensorElementList"] = sensors
            del extra["sensorElementList"]
        data["extra"] = extra
        # The class can default the offset from the time; a document must state it.
        return _structure_checked(cls, structure_inner, data, ["time_zone_offset"])

    def unstructure(event: _ModelledEvent) -> dict[str, Any]:
        data = unstructure_inner(event)
        data["type"] = event.kind
        data["eventTimeZoneOffset"] = event.time_zone_offset or _offset_text(event.event_time)
        written = {key: data[key] for key in order if key in data}
        for key, item in event.extra.items():
            written.setdefault(key, item)
        return written

    return structure, unstructure


def _structure_event(conv: cattrs.Converter) -> Callable[[object, type], Event]:
    def structure(value: object, _: type) -> Event:
        if not isinstance(value, Mapping):
            raise _fail("an event must be a JSON object", 'e.g. {"type": "ObjectEvent", ...}')
        kind = value.get("type")
        if not isinstance(kind, str):
            raise TraceabilityError(
                "every event needs a type",
                field="type",
                hint="e.g. ObjectEvent, AggregationEvent or TransformationEvent",
            )
        if kind not in _EVENT_TYPES:
            return OtherEvent(value)
        event: Event = conv.structure(value, _EVENT_TYPES[kind])
        return event

    return structure


def _temperature_elements(
    value: object, conv: cattrs.Converter
) -> tuple[SensorElement, ...] | None:
    """The sensor elements, if all are temperatures in °C with a time per reading.

    None when any is something else; the reader then keeps the list whole in ``extra``, so
    other sensor data is written back unchanged.
    """
    if not isinstance(value, list) or not all(_is_temperature_element(item) for item in value):
        return None
    try:
        return tuple(conv.structure(item, SensorElement) for item in value)
    except (BaseValidationError, InvalidValueError):
        return None


def _is_temperature_element(value: object) -> bool:
    reports = value.get("sensorReport") if isinstance(value, Mapping) else None
    return (
        isinstance(reports, list)
        and bool(reports)
        and all(
            isinstance(report, Mapping)
            and report.get("type") in _TEMPERATURE_TYPES
            and report.get("uom") == "CEL"
            and "value" in report
            and "time" in report
            for report in reports
        )
    )


def _sensor_element_hooks(
    conv: cattrs.Converter,
) -> _Hooks:
    structure_inner = make_dict_structure_fn(SensorElement, conv, **_renamed(SensorElement))
    unstructure_inner = make_dict_unstructure_fn(
        SensorElement, conv, _cattrs_omit_if_default=True, **_renamed(SensorElement)
    )

    def structure(value: Mapping[str, Any], _: type) -> SensorElement:
        metadata = value.get("sensorMetadata") or {}
        data = {
            "sensorReport": value.get("sensorReport"),
            **{
                key: metadata[key]
                for key in ("deviceID", "dataProcessingMethod")
                if key in metadata
            },
        }
        return _structure_checked(SensorElement, structure_inner, data)

    def unstructure(element: SensorElement) -> dict[str, Any]:
        data = unstructure_inner(element)
        reports = data.pop("sensorReport")
        times = {"startTime": reports[0]["time"], "endTime": reports[-1]["time"]}
        return {"sensorMetadata": {**times, **data}, "sensorReport": reports}

    return structure, unstructure


def _quantity_hooks(
    conv: cattrs.Converter,
) -> _Hooks:
    structure_inner = make_dict_structure_fn(QuantityElement, conv, **_renamed(QuantityElement))
    unstructure = make_dict_unstructure_fn(
        QuantityElement, conv, _cattrs_omit_if_default=True, **_renamed(QuantityElement)
    )

    def structure(value: Mapping[str, Any], _: type) -> QuantityElement:
        return _structure_checked(QuantityElement, structure_inner, value)

    return structure, unstructure


def _sensor_reading_hooks(
    conv: cattrs.Converter,
) -> _Hooks:
    structure_inner = make_dict_structure_fn(SensorReading, conv, **_renamed(SensorReading))
    unstructure_inner = make_dict_unstructure_fn(SensorReading, conv, **_renamed(SensorReading))

    def structure(value: Mapping[str, Any], _: type) -> SensorReading:
        return _structure_checked(SensorReading, structure_inner, value)

    def unstructure(reading: SensorReading) -> dict[str, Any]:
        return {"type": "Temperature", **unstructure_inner(reading), "uom": "CEL"}

    return structure, unstructure


# --- locations ---------------------------------------------------------------------------------


def _location_attributes(location: Location) -> list[dict[str, Any]]:
    found: list[tuple[str, object]] = [(_NAME, location.name or None)]
    place = location.place
    if place is not None:
        street = " ".join(p for p in (place.county, place.township, place.village) if p)
        found.append((_STREET, street or None))
        found += [(term, getattr(place, name)) for term, name in _PLACE_ATTRIBUTES]
        if place.coordinates is not None:
            found += [
                (_LATITUDE, str(place.coordinates.latitude)),
                (_LONGITUDE, str(place.coordinates.longitude)),
            ]
    return [{"id": key, "attribute": value} for key, value in found if value is not None]


def _location_hooks(
    conv: cattrs.Converter,
) -> _Hooks:
    structure_inner = make_dict_structure_fn(
        Location, conv, place=override(struct_hook=lambda value, _: _place(value, conv))
    )

    def structure(value: Mapping[str, Any], _: type) -> Location:
        attributes: dict[str, str | None] = {}
        for item in value.get("attributes") or []:
            if isinstance(item, Mapping) and "id" in item:
                found = item.get("attribute")
                attributes[str(item["id"])] = None if found is None else str(found)
        place: dict[str, Any] | None = None
        if attributes.get(CBV_MASTER_DATA + "countryCode") is not None:
            place = {name: attributes.get(term) for term, name in _PLACE_ATTRIBUTES}
            latitude, longitude = attributes.get(_LATITUDE), attributes.get(_LONGITUDE)
            if latitude is not None and longitude is not None:
                place["coordinates"] = {"latitude": latitude, "longitude": longitude}
        data = {"id": value.get("id"), "name": attributes.get(_NAME), "place": place}
        return _structure_checked(Location, structure_inner, data)

    def unstructure(location: Location) -> dict[str, Any]:
        return {"id": location.id, "attributes": _location_attributes(location)}

    return structure, unstructure


def _place(value: object, conv: cattrs.Converter) -> Place | None:
    # A place we cannot read leaves the location without one, as a name without an address.
    if value is None:
        return None
    try:
        place: Place = conv.structure(value, Place)
    except (BaseValidationError, InvalidValueError):
        return None
    return place


def _locations(value: object, conv: cattrs.Converter) -> tuple[Location, ...]:
    # Master data is a help to the reader of a document, not a part of its events: a location
    # element we cannot read is left out rather than failing the document.
    found: list[Location] = []
    for element in value if isinstance(value, list) else []:
        try:
            found.append(conv.structure(element, Location))
        except (BaseValidationError, InvalidValueError):
            continue
    return tuple(found)


def _location_elements(header: object, extra: dict[str, Any]) -> list[Any]:
    """The location elements of the header, if it holds only location master data.

    A header with anything else is kept whole in ``extra``, so nothing is lost when written.
    """
    if not isinstance(header, Mapping):
        return []
    vocabularies = (header.get("epcisMasterData") or {}).get("vocabularyList") or []
    others = [
        item
        for item in vocabularies
        if not (isinstance(item, Mapping) and item.get("type") == LOCATION_VOCABULARY)
    ]
    if others or set(header) - {"epcisMasterData"}:
        extra["epcisHeader"] = header
        return []
    return [
        element
        for vocabulary in vocabularies
        for element in vocabulary.get("vocabularyElementList") or []
        if isinstance(element, Mapping)
    ]


# --- documents -------------------------------------------------------------------------------


def _document_hooks(
    conv: cattrs.Converter,
) -> _Hooks:
    context = override(
        rename="@context", struct_hook=_structure_context, unstruct_hook=_unstructure_context
    )
    structure_inner = make_dict_structure_fn(
        EpcisDocument,
        conv,
        **_renamed(
            EpcisDocument,
            context=context,
            locations=override(struct_hook=lambda value, _: _locations(value, conv)),
        ),
    )
    unstructure_inner = make_dict_unstructure_fn(
        EpcisDocument, conv, **_renamed(EpcisDocument, context=context, extra=override(omit=True))
    )

    def structure(value: Mapping[str, Any], _: type) -> EpcisDocument:
        # Flattened: the events are at the key that is their path, epcisBody.eventList.
        data = {
            key: value[key] for key in ("@context", "creationDate", "schemaVersion") if key in value
        }
        body = value.get("epcisBody")
        if isinstance(body, Mapping) and "eventList" in body:
            data["epcisBody.eventList"] = body["eventList"]
        extra = {key: item for key, item in value.items() if key not in _DOCUMENT_MEMBERS}
        data["locations"] = _location_elements(value.get("epcisHeader"), extra)
        data["extra"] = extra
        return _structure_checked(
            EpcisDocument, structure_inner, data, ["context", "schema_version"]
        )

    def unstructure(document: EpcisDocument) -> dict[str, Any]:
        data = unstructure_inner(document)
        written: dict[str, Any] = {
            "@context": data["@context"],
            "type": "EPCISDocument",
            "schemaVersion": data["schemaVersion"],
            "creationDate": data["creationDate"],
        }
        if data["locations"]:
            vocabulary = {"type": LOCATION_VOCABULARY, "vocabularyElementList": data["locations"]}
            written["epcisHeader"] = {"epcisMasterData": {"vocabularyList": [vocabulary]}}
        written["epcisBody"] = {"eventList": data["epcisBody.eventList"]}
        for key, item in document.extra.items():
            written.setdefault(key, item)
        return written

    return structure, unstructure


def _register(
    conv: cattrs.Converter, cls: type, make: Callable[[cattrs.Converter], _Hooks]
) -> None:
    # Made on first use, once every hook they call on is registered; made once for both ways.
    @cache
    def hooks() -> _Hooks:
        return make(conv)

    def is_cls(value: Any) -> bool:
        return value is cls

    conv.register_structure_hook_factory(is_cls, lambda _: hooks()[0])
    conv.register_unstructure_hook_factory(is_cls, lambda _: hooks()[1])


@cache
def converter() -> cattrs.Converter:
    """The cattrs converter of the EPCIS 2.0 JSON / JSON-LD format (made once).

    ``converter().unstructure(value)`` gives the JSON object of an event, a document or a part
    of one; ``converter().structure(data, EpcisDocument)`` reads a document, raising cattrs'
    grouped errors (see :func:`problems_from_exception`).
    """
    conv = cattrs.Converter(detailed_validation=True)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_unstructure_hook(Decimal, _number)
    conv.register_structure_hook(dt.datetime, _structure_time)
    conv.register_unstructure_hook(dt.datetime, _time_text)
    conv.register_structure_hook_func(_is_json_object, _structure_json_object)
    conv.register_unstructure_hook_func(_is_json_object, dict)
    conv.register_structure_hook_factory(_is_homogeneous_tuple, _tuple_hook)
    conv.register_structure_hook(Event, _structure_event(conv))
    conv.register_unstructure_hook(OtherEvent, lambda event: dict(event.data))
    # The catalogue's own converters read place names and coordinates, as everywhere else.
    for place_type in (Place, Coordinates):
        conv.register_structure_hook(
            place_type,
            make_dict_structure_fn(place_type, conv, _cattrs_prefer_attrib_converters=True),
        )
    for cls in _EVENT_TYPES.values():
        _register(conv, cls, functools.partial(_event_hooks, cls))
    _register(conv, QuantityElement, _quantity_hooks)
    _register(conv, SensorReading, _sensor_reading_hooks)
    _register(conv, SensorElement, _sensor_element_hooks)
    _register(conv, Location, _location_hooks)
    _register(conv, EpcisDocument, _document_hooks)
    return conv


# --- problems --------------------------------------------------------------------------------


def _path_text(path: Sequence[str | int]) -> str:
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else key)
    return out


def problems_from_exception(error: BaseException, path: Sequence[str | int] = ()) -> list[Problem]:
    """Every problem in what the converter raised, each with its JSON path and a hint.

    Args:
        error: what :func:`converter` raised while structuring.
        path: the JSON path of the value that was structured, if not the whole document.

    Raises:
        BaseException: ``error`` itself, when it is not a problem with the data.
    """
    return _problems(error, list(path), None)


def _problems(error: BaseException, path: list[str | int], _cls: type | None) -> list[Problem]:
    return [
        problem
        for failure, where, owner in structuring_failures(error, path, rename=_json_name)
        for problem in _leaf_problems(failure, where, owner)
    ]


def _json_name(cls: type, name: str) -> str:
    return _JSON_NAMES.get(cls, {}).get(name, name)


def _leaf_problems(error: BaseException, path: list[str | int], cls: type | None) -> list[Problem]:
    if isinstance(error, InvalidValueError):
        # An error the class itself raised names its field; say it as the EPCIS member.
        names = _JSON_NAMES.get(cls, {}) if cls is not None else {}
        field = error.field and names.get(error.field, error.field)
        where = _path_text([*path, field] if field else path)
        return [Problem(file="", path=where, message=error.message, hint=error.hint)]
    if isinstance(error, KeyError) and path:
        key = str(path[-1])
        message, hint = _MISSING.get(key, (f"{key} is required but missing", ""))
        return [Problem(file="", path=_path_text(path), message=message, hint=hint)]
    if isinstance(error, ValueError | TypeError):
        return [Problem(file="", path=_path_text(path), message=str(error))]
    raise error
