"""Typed builders for GS1 EPCIS 2.0 events and documents, and their JSON-LD form.

Each class holds one part of an EPCIS 2.0 document (GS1 EPCIS 2.0 §7, JSON/JSON-LD binding
§9) as an immutable value, checked when it is made; :meth:`EpcisDocument.to_dict` and
:meth:`EpcisDocument.to_json` write it in the shape of the official
``EPCIS-JSON-Schema.json``, with CBV short names (``commissioning``, ``in_transit``) as the
official JSON-LD context allows. Every ``to_dict()`` is the EPCIS converter's
(:mod:`ruralseller.traceability.jsonld`), which reads documents back too.

Example:
    >>> import datetime as dt
    >>> cst = dt.timezone(dt.timedelta(hours=8))
    >>> event = ObjectEvent(
    ...     event_time=dt.datetime(2026, 11, 21, 8, 0, tzinfo=cst),
    ...     quantity_list=[QuantityElement(lgtin("99526000160017", "WJ261120A"), 40, "H87")],
    ...     biz_step="shipping",
    ...     disposition="in_transit",
    ... )
    >>> document = EpcisDocument([event], creation_date=dt.datetime(2026, 11, 21, tzinfo=cst))
    >>> data = document.to_dict()
    >>> data["epcisBody"]["eventList"][0]["quantityList"]  # doctest: +NORMALIZE_WHITESPACE
    [{'epcClass': 'https://id.gs1.org/01/99526000160017/10/WJ261120A',
      'quantity': 40, 'uom': 'H87'}]
    >>> data["epcisBody"]["eventList"][0]["eventTimeZoneOffset"]
    '+08:00'
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, ClassVar, Final, Literal
from urllib.parse import quote

import attrs

from ruralseller.catalog import Gs1Data, Gtin, Place, check_digit
from ruralseller.catalog.checks import frozen_tuple
from ruralseller.errors import IdentifierError, TraceabilityError

__all__ = [
    "ACTIONS",
    "BIZ_STEPS",
    "CBV_MASTER_DATA",
    "DISPOSITIONS",
    "EPCIS_CONTEXT",
    "LOCATION_VOCABULARY",
    "RURALSELLER_NAMESPACE",
    "AggregationEvent",
    "EpcisDocument",
    "Event",
    "Location",
    "ObjectEvent",
    "OtherEvent",
    "QuantityElement",
    "SensorElement",
    "SensorReading",
    "TraceabilityError",
    "TransformationEvent",
    "gln_location",
    "lgtin",
    "private_id",
]

EPCIS_CONTEXT: Final = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
"""The official, ratified EPCIS 2.0.0 JSON-LD context that documents we write name.

(The development examples in ``gs1/EPCIS`` name ``https://gs1.github.io/EPCIS/...``; the
published standard and its artefacts live at ref.gs1.org.)"""

RURALSELLER_NAMESPACE: Final = (
    "https://github.com/ruralseller/ruralseller/blob/main/docs/traceability.md#"
)
"""The namespace of our own ``ilmd`` and master-data terms (prefix ``rs:``), documented in
``docs/traceability.md`` for the terms CBV 2.0 has no name for (slaughter certificates,
laying days, county, township and village)."""

LOCATION_VOCABULARY: Final = "urn:epcglobal:epcis:vtype:BusinessLocation"
"""The EPCIS master-data vocabulary type of locations (EPCIS 2.0 §6.1.3)."""

CBV_MASTER_DATA: Final = "urn:epcglobal:cbv:mda#"
"""The prefix of CBV master-data attribute names (``...#name``, ``...#latitude``; CBV §10)."""

ACTIONS: Final = ("ADD", "OBSERVE", "DELETE")
"""The EPCIS event actions (EPCIS 2.0 §7.3.2)."""

BIZ_STEPS: Final = frozenset(
    (
        "accepting",
        "arriving",
        "assembling",
        "collecting",
        "commissioning",
        "consigning",
        "creating_class_instance",
        "cycle_counting",
        "decommissioning",
        "departing",
        "destroying",
        "disassembling",
        "dispensing",
        "encoding",
        "entering_exiting",
        "holding",
        "inspecting",
        "installing",
        "killing",
        "loading",
        "other",
        "packing",
        "picking",
        "receiving",
        "removing",
        "repackaging",
        "repairing",
        "replacing",
        "reserving",
        "retail_selling",
        "shipping",
        "staging_outbound",
        "stock_taking",
        "stocking",
        "storing",
        "transporting",
        "unloading",
        "unpacking",
        "void_shipping",
        "sensor_reporting",
        "sampling",
    )
)
"""The CBV 2.0 business steps as short names (the ``bizStep`` enum of the official schema).

Note: ``killing`` is about killing an RFID tag; a slaughter is ``commissioning`` (CBV 2.0
``BizStep-commissioning``: "slaughtering (of livestock)")."""

DISPOSITIONS: Final = frozenset(
    (
        "active",
        "container_closed",
        "damaged",
        "destroyed",
        "dispensed",
        "disposed",
        "encoded",
        "expired",
        "in_progress",
        "in_transit",
        "inactive",
        "no_pedigree_match",
        "non_sellable_other",
        "partially_dispensed",
        "recalled",
        "reserved",
        "retail_sold",
        "returned",
        "sellable_accessible",
        "sellable_not_accessible",
        "stolen",
        "unknown",
        "available",
        "completeness_verified",
        "completeness_inferred",
        "conformant",
        "container_open",
        "mismatch_instance",
        "mismatch_class",
        "mismatch_quantity",
        "needs_replacement",
        "non_conformant",
        "unavailable",
    )
)
"""The CBV 2.0 dispositions as short names (the ``disposition`` enum of the official schema)."""

# RFC 3986 §3.1: a URI starts with a scheme. The schema's "format": "uri" asks for no more.
_URI_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")
# UN/ECE Recommendation 20 common codes are 2 or 3 upper-case letters or digits (schema "uom").
_UOM_RE = re.compile(r"[A-Z0-9]{2,3}")


def _fail(field: str, message: str, hint: str = "") -> TraceabilityError:
    return TraceabilityError(message, field=field, hint=hint)


def _uri(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not _URI_RE.fullmatch(value):
        raise _fail(
            attribute.name,
            f"{attribute.name} {value!r} is not a URI",
            "use a GS1 Digital Link (https://id.gs1.org/...), an EPC URN (urn:epc:...) or "
            "another absolute URI",
        )


def _uris(instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    for item in value:
        _uri(instance, attribute, item)
    if len(set(value)) != len(value):
        raise _fail(attribute.name, f"{attribute.name} lists an identifier twice")


def _aware(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise _fail(
            attribute.name,
            f"{attribute.name} {value!r} is not a date and time with a time zone",
            "EPCIS needs the UTC offset of every time, e.g. 2026-11-20T06:30:00+08:00",
        )


def _vocabulary(known: frozenset[str], what: str) -> Any:
    def check(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None or (isinstance(value, str) and value in known):
            return
        if isinstance(value, str) and ":" in value and _URI_RE.fullmatch(value):
            return  # a full URI, e.g. a private vocabulary (EPCIS 2.0 §7.3.5)
        raise _fail(
            attribute.name,
            f"unknown {what} {value!r}",
            f"use a CBV 2.0 short name (e.g. {', '.join(sorted(known)[:4])}...) or a full URI",
        )

    return check


def _action(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value not in ACTIONS:
        raise _fail(attribute.name, f"action {value!r} is not one of {', '.join(ACTIONS)}")


def _decimal(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise _fail("quantity", f"{value!r} is not a number")
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except ArithmeticError:
        raise _fail("quantity", f"{value!r} is not a number") from None
    if not number.is_finite():
        raise _fail("quantity", f"{value!r} is not a finite number")
    return number


def _optional_decimal(value: object) -> Decimal | None:
    return None if value is None else _decimal(value)


def _frozen_json(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


def _unstructured(value: object) -> dict[str, Any]:
    # The converter's hooks name the classes of this module, so it is imported on first use.
    from ruralseller.traceability.jsonld import converter  # noqa: PLC0415

    data: dict[str, Any] = converter().unstructure(value)
    return data


# --- identifiers ---------------------------------------------------------------------------


def lgtin(gtin: Gtin | str, lot: str, base: str = "https://id.gs1.org") -> str:
    """The class-level identifier of one lot of a trade item, as a GS1 Digital Link URI.

    It is the path the lot label's QR code carries, without the query attributes (dates,
    weight), so a scanned label and the EPCIS events name the same lot.

    Example:
        >>> lgtin("99526000160017", "WJ261120A")
        'https://id.gs1.org/01/99526000160017/10/WJ261120A'
    """
    return Gs1Data(gtin, lot=lot).digital_link(base)


def gln_location(gln: str, extension: str | None = None, base: str = "https://id.gs1.org") -> str:
    """A location named by its GLN (AI 414) and optional extension (AI 254), as a Digital Link.

    Use it when the farm or plant has a Global Location Number from its GS1 member
    organisation; this is the GS1 Digital Link form of an SGLN.

    Raises:
        IdentifierError: when ``gln`` is not 13 digits with a correct check digit.

    Example:
        >>> gln_location("9506000000015")
        'https://id.gs1.org/414/9506000000015'
        >>> gln_location("9506000000015", "plant-1")
        'https://id.gs1.org/414/9506000000015/254/plant-1'
    """
    if not re.fullmatch(r"\d{13}", gln) or check_digit(gln[:-1]) != int(gln[-1]):
        raise IdentifierError(
            f"{gln!r} is not a GLN",
            field="gln",
            hint="a GLN has 13 digits, the last a GS1 check digit; ask your GS1 office for one",
        )
    link = f"{base.rstrip('/')}/414/{gln}"
    return f"{link}/254/{quote(extension, safe='')}" if extension else link


def private_id(kind: str, *parts: str) -> str:
    """A private identifier ``urn:ruralseller:<kind>:<part>:...`` for what has no GS1 key.

    Each part is percent-encoded (UTF-8), so Chinese names stay readable once decoded. These
    identifiers are unique within one catalogue only; give a GLN with :func:`gln_location`
    when there is one.

    Example:
        >>> private_id("producer", "wu-family-farm")
        'urn:ruralseller:producer:wu-family-farm'
        >>> private_id("hub", "CN", "泰和县")
        'urn:ruralseller:hub:CN:%E6%B3%B0%E5%92%8C%E5%8E%BF'
    """
    if not parts or not all(part.strip() for part in parts):
        raise _fail("id", f"a private {kind} identifier needs at least one non-empty part")
    return ":".join(
        ["urn:ruralseller", kind, *(quote(part.strip(), safe="-._~") for part in parts)]
    )


# --- parts of events -----------------------------------------------------------------------


@attrs.frozen
class QuantityElement:
    """A quantity of a class of objects, e.g. 40 carcasses (``H87``) of one lot.

    Attributes:
        epc_class: the class, e.g. an LGTIN Digital Link from :func:`lgtin`.
        quantity: how many or how much; None when only the class is known.
        uom: the UN/ECE Recommendation 20 unit code (``KGM`` kilogram, ``H87`` piece);
            None means a count of instances.
    """

    epc_class: str = attrs.field(validator=_uri)
    quantity: Decimal | None = attrs.field(default=None, converter=_optional_decimal)
    uom: str | None = attrs.field(default=None)

    @uom.validator
    def _check_uom(self, _attribute: object, value: str | None) -> None:
        if value is not None and not _UOM_RE.fullmatch(value):
            raise _fail(
                "uom",
                f"unit {value!r} is not a UN/ECE Rec 20 code",
                "use e.g. KGM for kilograms or H87 for pieces (birds, carcasses, boxes)",
            )
        if value is not None and self.quantity is None:
            raise _fail("uom", f"unit {value} needs a quantity")

    def to_dict(self) -> dict[str, Any]:
        """The ``quantityElement`` JSON object."""
        return _unstructured(self)


@attrs.frozen
class SensorReading:
    """One temperature reading: when, and how warm (°C, sent as ``CEL``).

    Attributes:
        time: when it was read, with its time zone.
        celsius: the temperature in degrees Celsius.
    """

    time: dt.datetime = attrs.field(validator=_aware)
    celsius: Decimal = attrs.field(converter=_decimal)

    def to_dict(self) -> dict[str, Any]:
        """The ``sensorReport`` JSON object."""
        return _unstructured(self)


def _readings(value: Iterable[SensorReading]) -> tuple[SensorReading, ...]:
    return tuple(sorted(value, key=lambda reading: reading.time))


@attrs.frozen(kw_only=True)
class SensorElement:
    """Temperature readings from one device or one simulation, in time order.

    Attributes:
        readings: the readings (sorted by time).
        device_id: the logger's identifier (a URI), if read from a logger.
        data_processing_method: how the values were made (a URI), e.g. a simulation.
    """

    readings: tuple[SensorReading, ...] = attrs.field(converter=_readings)
    device_id: str | None = attrs.field(default=None, validator=_uri)
    data_processing_method: str | None = attrs.field(default=None, validator=_uri)

    @readings.validator
    def _check_readings(self, _attribute: object, value: tuple[SensorReading, ...]) -> None:
        if not value:
            raise _fail("readings", "a sensor element needs at least one reading")

    @property
    def warmest(self) -> Decimal:
        """The warmest reading, °C."""
        return max(reading.celsius for reading in self.readings)

    @property
    def coldest(self) -> Decimal:
        """The coldest reading, °C."""
        return min(reading.celsius for reading in self.readings)

    def to_dict(self) -> dict[str, Any]:
        """The ``sensorElement`` JSON object."""
        return _unstructured(self)


@attrs.frozen
class Location:
    """A place in the chain, with the master data a buyer reads: its name and where it is.

    Attributes:
        id: the location's identifier: a GLN Digital Link (:func:`gln_location`) or a
            private ``urn:ruralseller:`` id (:func:`private_id`).
        name: what the place is called, e.g. the farm's or the plant's name.
        place: where it is (village, county... and coordinates), if known.
    """

    id: str = attrs.field(validator=_uri)
    name: str | None = None
    place: Place | None = None

    def attributes(self) -> list[dict[str, Any]]:
        """The CBV master-data attributes (name, address, coordinates) of the location."""
        attributes: list[dict[str, Any]] = _unstructured(self)["attributes"]
        return attributes


# --- events --------------------------------------------------------------------------------


_OFFSET_RE = re.compile(r"[+-]((0\d|1[0-3]):[0-5]\d|14:00)")


def _offset(_instance: object, _attribute: object, value: str | None) -> None:
    if value is not None and not _OFFSET_RE.fullmatch(value):
        raise _fail("eventTimeZoneOffset", f"{value!r} is not a UTC offset like +08:00")


def _ilmd_keys(_instance: object, _attribute: object, value: Mapping[str, Any]) -> None:
    for key in value:
        if not _URI_RE.fullmatch(key):
            raise _fail(
                "ilmd",
                f"ilmd key {key!r} is not a URI or a prefixed name",
                "use a CBV name such as cbvmda:bestBeforeDate, or rs:... for our own terms",
            )


@attrs.frozen(kw_only=True)
class ObjectEvent:
    """Something happened to objects or lots: commissioned, packed, shipped, received.

    Attributes:
        event_time: when it happened, with its time zone.
        action: ``ADD`` (the lot comes into being), ``OBSERVE`` or ``DELETE``.
        epc_list: instance-level identifiers.
        quantity_list: class-level quantities (lots).
        biz_step: the CBV business step (``commissioning``, ``packing``...).
        disposition: the CBV disposition afterwards (``in_transit``...).
        read_point: where it was seen (a location id).
        biz_location: where the objects are afterwards (a location id).
        sensor_elements: temperature readings.
        ilmd: lot master data, e.g. ``{"cbvmda:itemExpirationDate": "2026-11-25"}``.
        time_zone_offset: the offset to show; by default the offset of ``event_time``.
        event_id: the event's identifier, if it has one.
        extra: other EPCIS members, written as they are (e.g. ``bizTransactionList``).
    """

    event_time: dt.datetime = attrs.field(validator=_aware)
    action: Literal["ADD", "OBSERVE", "DELETE"] = attrs.field(default="OBSERVE", validator=_action)
    epc_list: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple, validator=_uris)
    quantity_list: tuple[QuantityElement, ...] = attrs.field(default=(), converter=frozen_tuple)
    biz_step: str | None = attrs.field(default=None, validator=_vocabulary(BIZ_STEPS, "bizStep"))
    disposition: str | None = attrs.field(
        default=None, validator=_vocabulary(DISPOSITIONS, "disposition")
    )
    read_point: str | None = attrs.field(default=None, validator=_uri)
    biz_location: str | None = attrs.field(default=None, validator=_uri)
    sensor_elements: tuple[SensorElement, ...] = attrs.field(default=(), converter=frozen_tuple)
    ilmd: Mapping[str, Any] = attrs.field(
        factory=dict, converter=_frozen_json, validator=_ilmd_keys
    )
    time_zone_offset: str | None = attrs.field(default=None, validator=_offset)
    event_id: str | None = attrs.field(default=None, validator=_uri)
    extra: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen_json)

    kind: ClassVar[str] = "ObjectEvent"

    def __attrs_post_init__(self) -> None:
        if not self.epc_list and not self.quantity_list:
            raise _fail(
                "epc_list",
                "an ObjectEvent needs an epc_list or a quantity_list",
                "name the lot with QuantityElement(lgtin(gtin, lot), quantity, uom)",
            )

    def to_dict(self) -> dict[str, Any]:
        """The event as an EPCIS 2.0 JSON object."""
        return _unstructured(self)


@attrs.frozen(kw_only=True)
class AggregationEvent:
    """Objects or lots were put into (``ADD``) or taken out of (``DELETE``) a container.

    Attributes:
        event_time: when it happened, with its time zone.
        parent_id: the container (e.g. an SSCC Digital Link), if it has an identifier.
        child_epcs: instance-level identifiers of the contents.
        child_quantity_list: class-level quantities of the contents.
        action: ``ADD``, ``OBSERVE`` or ``DELETE``.
        biz_step: usually ``packing`` or ``unpacking``.
        disposition: the CBV disposition afterwards.
        read_point: where it was seen.
        biz_location: where the objects are afterwards.
        sensor_elements: temperature readings.
        time_zone_offset: the offset to show; by default the offset of ``event_time``.
        event_id: the event's identifier, if it has one.
        extra: other EPCIS members, written as they are.
    """

    event_time: dt.datetime = attrs.field(validator=_aware)
    parent_id: str | None = attrs.field(default=None, validator=_uri)
    child_epcs: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple, validator=_uris)
    child_quantity_list: tuple[QuantityElement, ...] = attrs.field(
        default=(), converter=frozen_tuple
    )
    action: Literal["ADD", "OBSERVE", "DELETE"] = attrs.field(default="ADD", validator=_action)
    biz_step: str | None = attrs.field(default=None, validator=_vocabulary(BIZ_STEPS, "bizStep"))
    disposition: str | None = attrs.field(
        default=None, validator=_vocabulary(DISPOSITIONS, "disposition")
    )
    read_point: str | None = attrs.field(default=None, validator=_uri)
    biz_location: str | None = attrs.field(default=None, validator=_uri)
    sensor_elements: tuple[SensorElement, ...] = attrs.field(default=(), converter=frozen_tuple)
    time_zone_offset: str | None = attrs.field(default=None, validator=_offset)
    event_id: str | None = attrs.field(default=None, validator=_uri)
    extra: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen_json)

    kind: ClassVar[str] = "AggregationEvent"

    def __attrs_post_init__(self) -> None:
        if not self.child_epcs and not self.child_quantity_list:
            raise _fail("child_epcs", "an AggregationEvent needs child_epcs or a quantity list")

    def to_dict(self) -> dict[str, Any]:
        """The event as an EPCIS 2.0 JSON object."""
        return _unstructured(self)


@attrs.frozen(kw_only=True)
class TransformationEvent:
    """Inputs were consumed and outputs made: live birds in, a lot of carcasses out.

    Attributes:
        event_time: when it happened, with its time zone.
        input_epc_list: instance-level identifiers consumed.
        input_quantity_list: class-level quantities consumed (e.g. 40 live birds, ``H87``).
        output_epc_list: instance-level identifiers made.
        output_quantity_list: class-level quantities made (the carcass lot).
        transformation_id: links transformations recorded in several events.
        biz_step: the CBV business step (``commissioning`` for a slaughter).
        disposition: the CBV disposition of the outputs.
        read_point: where it happened.
        biz_location: where the outputs are afterwards.
        sensor_elements: temperature readings.
        ilmd: lot master data of the outputs.
        time_zone_offset: the offset to show; by default the offset of ``event_time``.
        event_id: the event's identifier, if it has one.
        extra: other EPCIS members, written as they are.
    """

    event_time: dt.datetime = attrs.field(validator=_aware)
    input_epc_list: tuple[str, ...] = attrs.field(
        default=(), converter=frozen_tuple, validator=_uris
    )
    input_quantity_list: tuple[QuantityElement, ...] = attrs.field(
        default=(), converter=frozen_tuple
    )
    output_epc_list: tuple[str, ...] = attrs.field(
        default=(), converter=frozen_tuple, validator=_uris
    )
    output_quantity_list: tuple[QuantityElement, ...] = attrs.field(
        default=(), converter=frozen_tuple
    )
    transformation_id: str | None = attrs.field(default=None, validator=_uri)
    biz_step: str | None = attrs.field(default=None, validator=_vocabulary(BIZ_STEPS, "bizStep"))
    disposition: str | None = attrs.field(
        default=None, validator=_vocabulary(DISPOSITIONS, "disposition")
    )
    read_point: str | None = attrs.field(default=None, validator=_uri)
    biz_location: str | None = attrs.field(default=None, validator=_uri)
    sensor_elements: tuple[SensorElement, ...] = attrs.field(default=(), converter=frozen_tuple)
    ilmd: Mapping[str, Any] = attrs.field(
        factory=dict, converter=_frozen_json, validator=_ilmd_keys
    )
    time_zone_offset: str | None = attrs.field(default=None, validator=_offset)
    event_id: str | None = attrs.field(default=None, validator=_uri)
    extra: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen_json)

    kind: ClassVar[str] = "TransformationEvent"

    def __attrs_post_init__(self) -> None:
        has_input = self.input_epc_list or self.input_quantity_list
        has_output = self.output_epc_list or self.output_quantity_list
        if not (has_input and has_output) and self.transformation_id is None:
            raise _fail(
                "input_quantity_list",
                "a TransformationEvent needs inputs and outputs (or a transformation_id)",
                "e.g. the live birds as input and the carcass lot as output",
            )

    def to_dict(self) -> dict[str, Any]:
        """The event as an EPCIS 2.0 JSON object."""
        return _unstructured(self)


@attrs.frozen
class OtherEvent:
    """An event of a type we read but do not model (e.g. a TransactionEvent), kept as JSON.

    Attributes:
        data: the event's JSON object, written back unchanged.
    """

    data: Mapping[str, Any] = attrs.field(converter=_frozen_json)

    @property
    def kind(self) -> str:
        """The event's ``type``."""
        return str(self.data.get("type", ""))

    @property
    def biz_step(self) -> str | None:
        """The event's ``bizStep``, if any."""
        value = self.data.get("bizStep")
        return None if value is None else str(value)

    def to_dict(self) -> dict[str, Any]:
        """The event's JSON object."""
        return _unstructured(self)


Event = ObjectEvent | AggregationEvent | TransformationEvent | OtherEvent
"""Any event an :class:`EpcisDocument` holds."""


def _context(value: Iterable[str | Mapping[str, Any]]) -> tuple[str | Mapping[str, Any], ...]:
    return tuple(item if isinstance(item, str) else MappingProxyType(dict(item)) for item in value)


# The official context has no terms for the master data of the schema's epcisHeader
# (epcisMasterData, vocabularyElementList, attributes): without these, JSON-LD processors drop
# the location names and places. ``epcisMasterData`` is the context's own ``masterData``; the
# attribute list is ours, and redefines the protected ``id`` only inside it (JSON-LD 1.1
# §4.1.11 lets a property-scoped context do that), so an attribute's name stays its own value.
_DEFAULT_CONTEXT: Final = (
    EPCIS_CONTEXT,
    MappingProxyType(
        {
            "rs": RURALSELLER_NAMESPACE,
            "epcisMasterData": "epcis:masterData",
            "vocabularyElementList": {"@id": "rs:vocabularyElementList", "@container": "@set"},
            "attributes": {
                "@id": "rs:attributes",
                "@container": "@set",
                "@context": {
                    "id": {"@id": "rs:attributeName", "@type": "@id"},
                    "attribute": "rs:attributeValue",
                },
            },
        }
    ),
)


@attrs.frozen
class EpcisDocument:
    """An EPCIS 2.0 document: events, and the master data of the locations they name.

    Attributes:
        events: the events, in the order they happened.
        creation_date: when the document was made.
        locations: master data (name, address, coordinates) of locations the events name.
        context: the JSON-LD ``@context``: the official EPCIS context and our ``rs:`` prefix.
        schema_version: ``"2.0"``.
        extra: other top-level members, written as they are.
    """

    events: tuple[Event, ...] = attrs.field(converter=frozen_tuple)
    creation_date: dt.datetime = attrs.field(kw_only=True, validator=_aware)
    locations: tuple[Location, ...] = attrs.field(default=(), kw_only=True, converter=frozen_tuple)
    context: tuple[str | Mapping[str, Any], ...] = attrs.field(
        default=_DEFAULT_CONTEXT, kw_only=True, converter=_context
    )
    schema_version: str = attrs.field(default="2.0", kw_only=True)
    extra: Mapping[str, Any] = attrs.field(factory=dict, kw_only=True, converter=_frozen_json)

    def location(self, location_id: str) -> Location | None:
        """The master data of location ``location_id``, if the document has it."""
        return next((item for item in self.locations if item.id == location_id), None)

    def to_dict(self) -> dict[str, Any]:
        """The document as EPCIS 2.0 JSON-LD (plain dicts, lists, strings and numbers)."""
        return _unstructured(self)

    def to_json(self, *, indent: int | None = 2) -> str:
        """The document as JSON-LD text (UTF-8 friendly: Chinese stays readable)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
