"""Read EPCIS 2.0 JSON / JSON-LD documents back into :class:`EpcisDocument`.

What we model (object, aggregation and transformation events, temperature readings, location
master data) becomes typed values; everything else (other event types, business
transactions, extension fields such as ``example:myField``, non-temperature sensor data) is
kept as JSON in ``extra`` or :class:`OtherEvent`, and written back unchanged. Every problem
in a document is reported at once, with its path.

Example:
    >>> document = read_document('''{
    ...   "@context": "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
    ...   "type": "EPCISDocument", "schemaVersion": "2.0",
    ...   "creationDate": "2026-11-21T08:00:00+08:00",
    ...   "epcisBody": {"eventList": [{
    ...     "type": "ObjectEvent", "action": "OBSERVE", "bizStep": "receiving",
    ...     "eventTime": "2026-11-23T07:00:00+08:00", "eventTimeZoneOffset": "+08:00",
    ...     "epcList": ["https://id.gs1.org/01/09506000160023/21/1"]}]}}''')
    >>> document.events[0].biz_step
    'receiving'
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruralseller.catalog import Coordinates, Place
from ruralseller.errors import InvalidValueError
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
)

__all__ = ["read_document"]


class _Problems:
    def __init__(self) -> None:
        self.found: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.found.append(f"{path}: {message}")


def _time(value: object, path: str, problems: _Problems) -> dt.datetime | None:
    if not isinstance(value, str):
        problems.add(path, f"expected a date and time, got {value!r}")
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        problems.add(path, f"{value!r} is not an ISO 8601 date and time")
        return None
    if parsed.utcoffset() is None:
        problems.add(path, f"{value!r} has no time zone (EPCIS requires one)")
        return None
    return parsed


def _quantities(value: object, path: str, problems: _Problems) -> list[QuantityElement]:
    found: list[QuantityElement] = []
    if not isinstance(value, list):
        problems.add(path, "expected a list of quantities")
        return found
    for index, item in enumerate(value):
        where = f"{path}[{index}]"
        if not isinstance(item, dict) or "epcClass" not in item:
            problems.add(where, "a quantity needs an epcClass")
            continue
        try:
            found.append(QuantityElement(item["epcClass"], item.get("quantity"), item.get("uom")))
        except InvalidValueError as error:
            problems.add(where, error.message)
    return found


def _temperature_element(value: object) -> SensorElement | None:
    # Only all-temperature elements in °C with a time per reading become typed values.
    if not isinstance(value, dict):
        return None
    reports = value.get("sensorReport")
    if not isinstance(reports, list) or not reports:
        return None
    readings: list[SensorReading] = []
    for report in reports:
        if not isinstance(report, dict) or report.get("type") not in (
            "Temperature",
            "gs1:Temperature",
        ):
            return None
        if report.get("uom") != "CEL" or "value" not in report or "time" not in report:
            return None
        try:
            time = dt.datetime.fromisoformat(str(report["time"]))
            readings.append(SensorReading(time, Decimal(str(report["value"]))))
        except (ValueError, ArithmeticError):
            return None
    metadata = value.get("sensorMetadata") or {}
    try:
        return SensorElement(
            readings=readings,
            device_id=metadata.get("deviceID"),
            data_processing_method=metadata.get("dataProcessingMethod"),
        )
    except InvalidValueError:
        return None


def _where(value: object) -> str | None:
    if isinstance(value, dict):
        found = value.get("id")
        return None if found is None else str(found)
    return None if value is None else str(value)


_COMMON = {"type", "eventTime", "eventTimeZoneOffset", "eventID"}
_PLACES = {"bizStep", "disposition", "readPoint", "bizLocation"}


def _event_fields(
    data: dict[str, Any], path: str, problems: _Problems, fields: Mapping[str, str]
) -> dict[str, Any] | None:
    """The keyword arguments shared by every modelled event, and ``extra``."""
    when = _time(data.get("eventTime"), f"{path}.eventTime", problems)
    offset = data.get("eventTimeZoneOffset")
    if not isinstance(offset, str):
        problems.add(f"{path}.eventTimeZoneOffset", "every event needs its UTC offset")
    kwargs: dict[str, Any] = {
        "event_time": when,
        "time_zone_offset": offset,
        "event_id": data.get("eventID"),
        "biz_step": data.get("bizStep"),
        "disposition": data.get("disposition"),
        "read_point": _where(data.get("readPoint")),
        "biz_location": _where(data.get("bizLocation")),
    }
    known = _COMMON | _PLACES | set(fields)
    sensors = data.get("sensorElementList")
    if sensors is not None:
        elements = (
            [_temperature_element(item) for item in sensors]
            if isinstance(sensors, list)
            else [None]
        )
        if all(item is not None for item in elements):
            kwargs["sensor_elements"] = elements
            known.add("sensorElementList")
    for key, name in fields.items():
        if key in data:
            value = data[key]
            if key.endswith("QuantityList") or key == "quantityList":
                value = _quantities(value, f"{path}.{key}", problems)
            kwargs[name] = value
    kwargs["extra"] = {key: value for key, value in data.items() if key not in known}
    return kwargs if when is not None and isinstance(offset, str) else None


_FIELDS: dict[str, tuple[Callable[..., Event], dict[str, str]]] = {
    "ObjectEvent": (
        ObjectEvent,
        {
            "epcList": "epc_list",
            "quantityList": "quantity_list",
            "action": "action",
            "ilmd": "ilmd",
        },
    ),
    "AggregationEvent": (
        AggregationEvent,
        {
            "parentID": "parent_id",
            "childEPCs": "child_epcs",
            "childQuantityList": "child_quantity_list",
            "action": "action",
        },
    ),
    "TransformationEvent": (
        TransformationEvent,
        {
            "inputEPCList": "input_epc_list",
            "inputQuantityList": "input_quantity_list",
            "outputEPCList": "output_epc_list",
            "outputQuantityList": "output_quantity_list",
            "transformationID": "transformation_id",
            "ilmd": "ilmd",
        },
    ),
}


def _event(data: object, path: str, problems: _Problems) -> Event | None:
    if not isinstance(data, dict):
        problems.add(path, "an event must be a JSON object")
        return None
    kind = data.get("type")
    if kind not in _FIELDS:
        if not isinstance(kind, str):
            problems.add(f"{path}.type", "every event needs a type")
            return None
        return OtherEvent(data)
    build, fields = _FIELDS[str(kind)]
    kwargs = _event_fields(data, path, problems, fields)
    if kwargs is None:
        return None
    try:
        return build(**kwargs)
    except InvalidValueError as error:
        field = f".{error.field}" if error.field else ""
        problems.add(f"{path}{field}", error.message)
        return None


def _location(element: dict[str, Any]) -> Location | None:
    attributes: dict[str, Any] = {}
    for item in element.get("attributes") or []:
        if isinstance(item, dict) and "id" in item:
            attributes[str(item["id"])] = item.get("attribute")

    def get(key: str) -> str | None:
        value = attributes.get(key)
        return None if value is None else str(value)

    place = None
    country = get(CBV_MASTER_DATA + "countryCode")
    if country is not None:
        latitude, longitude = get(CBV_MASTER_DATA + "latitude"), get(CBV_MASTER_DATA + "longitude")
        try:
            place = Place(
                country=country,
                province=get(CBV_MASTER_DATA + "state"),
                city=get(CBV_MASTER_DATA + "city"),
                county=get(RURALSELLER_NAMESPACE + "county"),
                township=get(RURALSELLER_NAMESPACE + "township"),
                village=get(RURALSELLER_NAMESPACE + "village"),
                postal_code=get(CBV_MASTER_DATA + "postalCode"),
                coordinates=(
                    Coordinates(latitude, longitude)
                    if latitude is not None and longitude is not None
                    else None
                ),
            )
        except InvalidValueError:
            place = None
    try:
        return Location(str(element.get("id")), name=get(CBV_MASTER_DATA + "name"), place=place)
    except InvalidValueError:
        return None


def _header(header: object, extra: dict[str, Any]) -> tuple[Location, ...]:
    if not isinstance(header, dict):
        return ()
    vocabularies = (header.get("epcisMasterData") or {}).get("vocabularyList") or []
    others = [
        v
        for v in vocabularies
        if not (isinstance(v, dict) and v.get("type") == LOCATION_VOCABULARY)
    ]
    if others or set(header) - {"epcisMasterData"}:
        extra["epcisHeader"] = header  # kept whole, so nothing is lost when written back
        return ()
    found: list[Location] = []
    for vocabulary in vocabularies:
        for element in vocabulary.get("vocabularyElementList") or []:
            if isinstance(element, dict):
                location = _location(element)
                if location is not None:
                    found.append(location)
    return tuple(found)


def _load(source: str | os.PathLike[str]) -> tuple[Any, str]:
    if isinstance(source, str) and source.lstrip().startswith("{"):
        text, name = source, "the EPCIS document"
    else:
        path = Path(source)
        name = str(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as error:
            raise TraceabilityError(
                f"cannot read the EPCIS document {path}: {error.strerror}", field="path"
            ) from None
    try:
        return json.loads(text), name
    except json.JSONDecodeError as error:
        raise TraceabilityError(
            f"{name} is not JSON: {error.msg} at line {error.lineno}, column {error.colno}",
            field="path",
            hint="an EPCIS 2.0 document is JSON-LD; check for a missing comma or bracket",
        ) from None


def read_document(source: str | os.PathLike[str]) -> EpcisDocument:
    """Read an EPCIS 2.0 JSON / JSON-LD document from a file or from its text.

    Args:
        source: a path, or the document's text (anything starting with ``{``).

    Raises:
        TraceabilityError: when the file cannot be read, is not JSON, is not an
            ``EPCISDocument``, or has bad events; the message lists every problem with its
            path (e.g. ``epcisBody.eventList[1].eventTime``).
    """
    data, name = _load(source)
    if not isinstance(data, dict) or data.get("type") != "EPCISDocument":
        kind = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise TraceabilityError(
            f"{name} is not an EPCIS document (type {kind!r})",
            field="type",
            hint='an EPCIS 2.0 document has "type": "EPCISDocument" and an epcisBody',
        )
    problems = _Problems()
    created = _time(data.get("creationDate"), "creationDate", problems)
    version = data.get("schemaVersion")
    if not isinstance(version, str):
        problems.add("schemaVersion", 'missing; an EPCIS 2.0 document has "schemaVersion": "2.0"')
    body = data.get("epcisBody")
    raw_events = body.get("eventList") if isinstance(body, dict) else None
    if not isinstance(raw_events, list):
        problems.add("epcisBody.eventList", "missing; the events go in epcisBody.eventList")
        raw_events = []
    events = [
        _event(item, f"epcisBody.eventList[{index}]", problems)
        for index, item in enumerate(raw_events)
    ]
    context = data.get("@context")
    contexts: list[str | Mapping[str, Any]] = [
        item
        for item in (context if isinstance(context, list) else [context])
        if isinstance(item, str | dict)
    ]
    if not contexts:
        problems.add("@context", "missing; name the EPCIS JSON-LD context")
    if problems.found:
        count = len(problems.found)
        raise TraceabilityError(
            f"{name} has {count} problem{'s' if count != 1 else ''}:\n  "
            + "\n  ".join(problems.found),
            field="epcisBody",
        )
    extra: dict[str, Any] = {
        key: value
        for key, value in data.items()
        if key
        not in {"@context", "type", "schemaVersion", "creationDate", "epcisBody", "epcisHeader"}
    }
    locations = _header(data.get("epcisHeader"), extra)
    assert created is not None  # noqa: S101 - a problem was reported otherwise
    return EpcisDocument(
        [event for event in events if event is not None],
        creation_date=created,
        locations=locations,
        context=contexts,
        schema_version=str(version),
        extra=extra,
    )
