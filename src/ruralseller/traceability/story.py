"""A lot's story as a person reads it: one line per event, in time order.

An EPCIS document is for machines; :func:`timeline` turns one (written by
:func:`~ruralseller.traceability.events_for_lot` or read back with
:func:`~ruralseller.traceability.read_document`) into rows that say what happened, when and
where: laid, slaughtered, packed, shipped, left the hub, received, with the quantities,
certificates and temperatures the events carry. The library prints nothing; the ``trace``
command prints the rows (:meth:`TimelineRow.line`).

Example:
    >>> import datetime as dt
    >>> from ruralseller.catalog import load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> from ruralseller.traceability import events_for_lot
    >>> document = events_for_lot(load_catalog(sample_path()), "WJ261120A")
    >>> rows = timeline(document)
    >>> [(f"{row.time:%d %H:%M}", row.step) for row in rows]
    [('20 06:30', 'slaughtered'), ('20 10:30', 'packed')]
    >>> rows[1].place
    '泰和县禽类定点屠宰场, 江西省 吉安市 泰和县 澄江镇, CN'
    >>> rows[1].details
    ('40 pieces of lot WJ261120A',)
    >>> print(timeline_text(rows).splitlines()[1][:50])
    2026-11-20 10:30 +08:00  packed       泰和县禽类定点屠宰场,
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

import attrs

from ruralseller.traceability.epcis import (
    EpcisDocument,
    Event,
    Location,
    ObjectEvent,
    OtherEvent,
    QuantityElement,
    SensorElement,
    TransformationEvent,
)

__all__ = ["TimelineRow", "timeline", "timeline_text"]

# What a commissioning event means depends on the lot's record (its ilmd says which).
_MADE: Final = (
    ("rs:firstLaid", "laid"),
    ("cbvmda:harvestEndDate", "harvested"),
    ("rs:processedOn", "processed"),
)
_STEPS: Final = {
    "packing": "packed",
    "shipping": "shipped",
    "departing": "left the hub",
    "arriving": "arrived",
    "receiving": "received",
    "accepting": "accepted",
    "storing": "stored",
    "loading": "loaded",
    "retail_selling": "sold",
}
# (ilmd term, what a person calls it): the papers and dates worth a line of the story.
_PAPERS: Final = (
    ("rs:producer", "raised by {}"),
    ("rs:flock", "flock {}"),
    ("rs:quarantineCertificate", "quarantine certificate {}"),
    ("rs:inspectionCertificate", "meat inspection certificate {}"),
    ("rs:chilling", "{}"),
    ("cbvmda:itemExpirationDate", "use by {}"),
    ("cbvmda:bestBeforeDate", "best before {}"),
)
_UNITS: Final = {"H87": "pieces", "KGM": "kg", "GRM": "g"}


def _texts(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class TimelineRow:
    """One event of a lot's story, as a person reads it.

    Attributes:
        time: when it happened, in the event's own time zone.
        step: what happened, in words: ``slaughtered``, ``laid``, ``packed``, ``shipped``,
            ``left the hub``, ``received`` (or the event's business step as it is).
        place: where (the location's name and address), or None when the event names none.
        details: what else the event says: quantities, certificates, temperatures.
    """

    time: dt.datetime
    step: str
    place: str | None = None
    details: tuple[str, ...] = attrs.field(default=(), converter=_texts)

    def line(self, step_width: int = 12) -> str:
        """The row on one line: ``2026-11-20 06:30 +08:00  slaughtered  plant, place: …``."""
        offset = self.time.strftime("%z")
        when = f"{self.time:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"
        where = self.place or ""
        said = "; ".join(self.details)
        tail = f"{where}: {said}" if where and said else where or said
        return f"{when}  {self.step:<{step_width}}  {tail}".rstrip()


def _place(location_id: str | None, locations: Mapping[str, Location]) -> str | None:
    if location_id is None:
        return None
    found = locations.get(location_id)
    if found is None:
        return location_id
    parts = [
        part for part in (found.name, None if found.place is None else str(found.place)) if part
    ]
    return ", ".join(parts) or location_id


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _quantity(element: QuantityElement) -> str:
    lot = element.epc_class.rsplit("/10/", 1)[1] if "/10/" in element.epc_class else None
    what = f"lot {lot}" if lot else element.epc_class
    if element.quantity is None:
        return what
    unit = _UNITS.get(element.uom or "H87", element.uom or "")
    return f"{_number(element.quantity)} {unit} of {what}"


def _readings(sensors: Sequence[SensorElement]) -> list[str]:
    lines = []
    for sensor in sensors:
        first, last = sensor.readings[0].time, sensor.readings[-1].time
        hours = (last - first).total_seconds() / 3600
        source = "simulated" if sensor.device_id is None else "logged"
        lines.append(
            f"{sensor.coldest:.1f} to {sensor.warmest:.1f} °C over {hours:.0f} h "
            f"({len(sensor.readings)} {source} readings)"
        )
    return lines


def _papers(ilmd: Mapping[str, Any]) -> list[str]:
    return [text.format(ilmd[key]) for key, text in _PAPERS if ilmd.get(key)]


def _destination(event: ObjectEvent, locations: Mapping[str, Location]) -> list[str]:
    return [
        f"to {_place(item['destination'], locations)}"
        for item in event.extra.get("destinationList") or ()
        if isinstance(item, Mapping) and isinstance(item.get("destination"), str)
    ]


def _transformation(event: TransformationEvent) -> tuple[str, list[str]]:
    slaughter = event.biz_step == "commissioning"
    step = "slaughtered" if slaughter else event.biz_step or "transformed"
    inputs = [
        # The live birds have no GS1 identifier, only a private class id: say what they are.
        f"{_number(q.quantity)} live birds"
        if slaughter and q.quantity is not None and (q.uom or "H87") == "H87"
        else _quantity(q)
        for q in event.input_quantity_list
    ] + list(event.input_epc_list)
    outputs = [_quantity(q) for q in event.output_quantity_list] + list(event.output_epc_list)
    said = [f"{', '.join(inputs)} in"] if inputs else []
    said += [f"{', '.join(outputs)} out"] if outputs else []
    details = [", ".join(said)] if said else []
    return step, details + _papers(event.ilmd)


def _object(event: ObjectEvent, locations: Mapping[str, Location]) -> tuple[str, list[str]]:
    if event.biz_step == "commissioning":
        step = next((word for key, word in _MADE if key in event.ilmd), "commissioned")
    else:
        step = _STEPS.get(event.biz_step or "", event.biz_step or "observed")
    details = [_quantity(q) for q in event.quantity_list] + list(event.epc_list)
    if "rs:firstLaid" in event.ilmd and "rs:lastLaid" in event.ilmd:
        details.append(f"laid {event.ilmd['rs:firstLaid']} to {event.ilmd['rs:lastLaid']}")
    return step, details + _destination(event, locations) + _papers(event.ilmd)


def _row(event: Event, locations: Mapping[str, Location]) -> TimelineRow | None:
    if isinstance(event, OtherEvent):
        return None
    if isinstance(event, TransformationEvent):
        step, details = _transformation(event)
    elif isinstance(event, ObjectEvent):
        step, details = _object(event, locations)
    else:
        step = _STEPS.get(event.biz_step or "", event.biz_step or "aggregated")
        details = [_quantity(q) for q in event.child_quantity_list] + list(event.child_epcs)
    return TimelineRow(
        time=event.event_time,
        step=step,
        place=_place(event.biz_location or event.read_point, locations),
        details=details + _readings(event.sensor_elements),
    )


def timeline(document: EpcisDocument | Sequence[Event]) -> tuple[TimelineRow, ...]:
    """The events of ``document`` as rows a person reads, in time order.

    Places are named from the document's location master data (name and address); an
    event whose location it does not describe shows the location's identifier. Events of
    a kind this does not know (``OtherEvent``) are left out.

    Args:
        document: an EPCIS document, or its events alone (places then show as identifiers).
    """
    if isinstance(document, EpcisDocument):
        events: Sequence[Event] = document.events
        locations = {location.id: location for location in document.locations}
    else:
        events, locations = document, {}
    rows = [row for event in events if (row := _row(event, locations)) is not None]
    return tuple(sorted(rows, key=lambda row: row.time))


def timeline_text(rows: Sequence[TimelineRow]) -> str:
    """The rows, one line each, their steps aligned (no trailing newline)."""
    width = max((len(row.step) for row in rows), default=0)
    return "\n".join(row.line(width) for row in rows)
