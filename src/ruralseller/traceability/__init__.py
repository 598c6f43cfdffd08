"""A lot's story as GS1 EPCIS 2.0 events: slaughter, packing, shipping and receiving.

:func:`events_for_lot` writes the chain of one lot, from the farm to the buyer, with the
temperatures of the journey from a shipment plan or a logger; the builders
(:class:`ObjectEvent`, :class:`TransformationEvent`...) make single events;
:func:`read_document` reads EPCIS 2.0 JSON-LD documents back; and :func:`timeline` tells
the story as rows a person reads. See ``docs/traceability.md``.
"""

from ruralseller.traceability.epcis import (
    ACTIONS,
    BIZ_STEPS,
    CBV_MASTER_DATA,
    DISPOSITIONS,
    EPCIS_CONTEXT,
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
    gln_location,
    lgtin,
    private_id,
)
from ruralseller.traceability.events import (
    DEFAULT_JOURNEY,
    LOCATION_ROLES,
    LotLocations,
    commissioning_event,
    events_for_lot,
    journey_readings,
    lot_locations,
    packing_event,
    read_logger,
    receiving_event,
    shipping_event,
    slaughter_event,
)
from ruralseller.traceability.reader import read_document
from ruralseller.traceability.story import TimelineRow, timeline, timeline_text

__all__ = [
    "ACTIONS",
    "BIZ_STEPS",
    "CBV_MASTER_DATA",
    "DEFAULT_JOURNEY",
    "DISPOSITIONS",
    "EPCIS_CONTEXT",
    "LOCATION_ROLES",
    "LOCATION_VOCABULARY",
    "RURALSELLER_NAMESPACE",
    "AggregationEvent",
    "EpcisDocument",
    "Event",
    "Location",
    "LotLocations",
    "ObjectEvent",
    "OtherEvent",
    "QuantityElement",
    "SensorElement",
    "SensorReading",
    "TimelineRow",
    "TraceabilityError",
    "TransformationEvent",
    "commissioning_event",
    "events_for_lot",
    "gln_location",
    "journey_readings",
    "lgtin",
    "lot_locations",
    "packing_event",
    "private_id",
    "read_document",
    "read_logger",
    "receiving_event",
    "shipping_event",
    "slaughter_event",
    "timeline",
    "timeline_text",
]
