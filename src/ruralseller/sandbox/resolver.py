"""The lot's story a buyer reads after scanning the QR code: ``GET /01/{gtin}/10/{lot}``.

The sandbox answers the GS1 Digital Link of a lot the way a resolver would, with a page
made from the EPCIS events captured for that lot (``POST /v1/epcis/capture``), in time
order: where it was raised (the farm and its village, from the locations' master data),
when and where it was slaughtered, packed, shipped (with the temperatures of the journey)
and received. Query attributes such as ``17`` (expiry) or ``3101`` (weight) are allowed
and play no part in finding the lot.

Example:
    >>> lot_path("/01/99526000160017/10/WJ261123A")
    ('99526000160017', 'WJ261123A')
    >>> lot_path("/01/9526000160017/10/WJ261123A") is None  # 13 digits
    True
    >>> step_title("shipping", "ObjectEvent", {})
    ('发货', 'Shipping')
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Final
from urllib.parse import unquote

import attrs

from ruralseller.catalog import check_digit
from ruralseller.sandbox.capture import lot_of
from ruralseller.sandbox.storage import EpcisEventRecord, EpcisLocationRecord
from ruralseller.traceability import CBV_MASTER_DATA, RURALSELLER_NAMESPACE

__all__ = [
    "LotStory",
    "Step",
    "Temperatures",
    "lot_path",
    "lot_story",
    "step_title",
    "temperatures_of",
]

_CBVMDA: Final = "urn:epcglobal:cbv:mda:"

_STEPS: Final = {
    "commissioning": ("投产", "Commissioning"),
    "packing": ("包装", "Packing"),
    "shipping": ("发货", "Shipping"),
    "departing": ("离开中转站", "Departing"),
    "arriving": ("到达", "Arriving"),
    "receiving": ("收货", "Receiving"),
    "accepting": ("验收", "Accepting"),
    "storing": ("入库", "Storing"),
    "retail_selling": ("零售", "Retail selling"),
}

# (ilmd term, Chinese label, English label): what a buyer reads of the lot's master data.
_ILMD: Final = (
    ("rs:producer", "养殖场", "Farm"),
    ("rs:slaughterFacility", "屠宰场", "Slaughter plant"),
    ("rs:facilityLicence", "定点屠宰许可证", "Plant licence"),
    ("rs:quarantineCertificate", "动物检疫合格证明", "Quarantine certificate"),
    ("rs:inspectionCertificate", "肉品品质检验合格证", "Meat inspection certificate"),
    ("rs:chilling", "预冷", "Chilling"),
    ("rs:productionDate", "生产日期", "Production date"),
    ("rs:flock", "鸡群", "Flock"),
    ("rs:firstLaid", "首蛋日期", "First laid"),
    ("rs:lastLaid", "末蛋日期", "Last laid"),
    ("cbvmda:itemExpirationDate", "保质期至", "Use by"),
    ("cbvmda:bestBeforeDate", "最佳食用期至", "Best before"),
    ("cbvmda:countryOfOrigin", "原产国", "Country of origin"),
)

_UNITS: Final = {"H87": "只/件 pieces", "KGM": "kg", "GRM": "g"}
_ALARM: Final = "ALARM_CONDITION"
_TEMPERATURE_TYPES: Final = frozenset(
    {"Temperature", "gs1:Temperature", "https://gs1.org/voc/Temperature"}
)


@attrs.frozen(kw_only=True)
class Temperatures:
    """A summary of the temperature readings an event carries.

    Attributes:
        coldest: the coldest reading, °C.
        warmest: the warmest reading, °C.
        count: how many readings.
        first: when the first was read.
        last: when the last was read.
        simulated: whether the values come from a model, not a logger.
        alarm: how long the readings were flagged ``ALARM_CONDITION`` (outside the limit
            the logger was set to), or None when no reading carries an alarm flag.
    """

    coldest: Decimal
    warmest: Decimal
    count: int
    first: dt.datetime
    last: dt.datetime
    simulated: bool
    alarm: dt.timedelta | None


@attrs.frozen(kw_only=True)
class Step:
    """One event of the story, as the page shows it.

    Attributes:
        time: when it happened, in the event's own time zone.
        title: what happened, in Chinese and in English.
        place: where (the location's name and address), if known.
        details: (Chinese label, English label, value) rows.
        temperatures: the temperatures it carries, if any.
    """

    time: dt.datetime
    title: tuple[str, str]
    place: str | None
    details: tuple[tuple[str, str, str], ...]
    temperatures: Temperatures | None


@attrs.frozen(kw_only=True)
class LotStory:
    """A lot's story: its identifiers, where it comes from, and its events in time order.

    Attributes:
        gtin: the GTIN-14.
        lot: the lot code.
        farm: the farm's name, if an event names it.
        origin: where the lot was raised: the first location of the story with a village
            (or, failing that, a county), as name and address.
        steps: the events, in time order.
    """

    gtin: str
    lot: str
    farm: str | None
    origin: str | None
    steps: tuple[Step, ...]


def lot_path(raw_path: str) -> tuple[str, str] | None:
    """The (GTIN-14, lot) of a raw ``/01/{gtin}/10/{lot}`` path, or None.

    The GTIN must have 14 digits and a right check digit; the lot is percent-decoded.
    """
    segments = raw_path.split("?", 1)[0].split("/")
    if len(segments) != 5 or segments[0] or segments[1] != "01" or segments[3] != "10":
        return None
    gtin, lot = segments[2], unquote(segments[4], errors="replace")
    if not re.fullmatch(r"\d{14}", gtin) or check_digit(gtin[:-1]) != int(gtin[-1]) or not lot:
        return None
    return gtin, lot


def _short(term: str) -> str:
    for long, short in (
        (RURALSELLER_NAMESPACE, "rs:"),
        (CBV_MASTER_DATA, "cbvmda:"),
        (_CBVMDA, "cbvmda:"),
    ):
        if term.startswith(long):
            return short + term[len(long) :]
    return term


def _vocabulary_word(value: object, *prefixes: str) -> str | None:
    if not isinstance(value, str):
        return None
    for prefix in prefixes:
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


def step_title(biz_step: object, kind: str, ilmd: Mapping[str, Any]) -> tuple[str, str]:
    """What an event tells, in Chinese and English, from its business step.

    A ``commissioning`` that names a slaughter plant is the slaughter (CBV 2.0 counts
    slaughtering of livestock as commissioning).
    """
    step = _vocabulary_word(
        biz_step,
        "urn:epcglobal:cbv:bizstep:",
        "https://ref.gs1.org/cbv/BizStep-",
        "cbv:BizStep-",
    )
    if step == "commissioning" and "rs:slaughterFacility" in ilmd:
        return "屠宰", "Slaughter"
    if step in _STEPS:
        return _STEPS[step]
    return "事件", step or kind


def _address(data: Mapping[str, Any]) -> str:
    parts = ("province", "city", "county", "township", "village")
    return " ".join(str(data[part]) for part in parts if data.get(part))


def _place_text(location: EpcisLocationRecord | None, location_id: str) -> str:
    if location is None:
        return location_id
    name = location.data.get("name") or location_id
    address = _address(location.data)
    return f"{name} · {address}" if address and address != name else str(name)


def _location_id(value: object) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else None


def _time(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.utcoffset() is not None else None


def _celsius(report: Mapping[str, Any]) -> Decimal | None:
    if report.get("type") not in _TEMPERATURE_TYPES or report.get("uom") != "CEL":
        return None
    value = report.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        celsius = Decimal(str(value))
    except InvalidOperation:
        return None
    return celsius if celsius.is_finite() else None


def temperatures_of(event: Mapping[str, Any]) -> Temperatures | None:
    """The temperature readings of an event's ``sensorElementList``, summarised.

    Only readings of type ``Temperature`` in ``CEL`` with a time count. The time in alarm
    adds, for each reading flagged ``ALARM_CONDITION``, the time until the next reading.
    """
    readings: list[tuple[dt.datetime, Decimal, bool]] = []
    simulated = False
    elements = event.get("sensorElementList")
    for element in elements if isinstance(elements, list) else ():
        if not isinstance(element, dict):
            continue
        metadata = element.get("sensorMetadata")
        metadata = metadata if isinstance(metadata, dict) else {}
        method = metadata.get("dataProcessingMethod")
        simulated = simulated or (isinstance(method, str) and "simulation" in method)
        reports = element.get("sensorReport")
        for report in reports if isinstance(reports, list) else ():
            if not isinstance(report, dict):
                continue
            celsius = _celsius(report)
            when = _time(report.get("time", metadata.get("time")))
            if celsius is not None and when is not None:
                readings.append((when, celsius, report.get("exception") == _ALARM))
    if not readings:
        return None
    readings.sort(key=lambda reading: reading[0])
    alarm: dt.timedelta | None = None
    if any(flagged for _, _, flagged in readings):
        alarm = sum(
            (after[0] - before[0] for before, after in itertools.pairwise(readings) if before[2]),
            dt.timedelta(),
        )
    values = [celsius for _, celsius, _ in readings]
    return Temperatures(
        coldest=min(values),
        warmest=max(values),
        count=len(readings),
        first=readings[0][0],
        last=readings[-1][0],
        simulated=simulated,
        alarm=alarm,
    )


def _quantity(event: Mapping[str, Any], gtin: str, lot: str) -> str:
    for key in ("outputQuantityList", "quantityList", "childQuantityList"):
        items = event.get(key)
        for item in items if isinstance(items, list) else ():
            if not isinstance(item, dict) or not isinstance(item.get("epcClass"), str):
                continue
            if lot_of(item["epcClass"]) == (gtin, lot) and item.get("quantity") is not None:
                unit = item.get("uom")
                return f"{item['quantity']} {_UNITS.get(str(unit), unit or '')}".strip()
    return ""


def _details(
    event: Mapping[str, Any],
    ilmd: Mapping[str, Any],
    quantity: str,
    location: Callable[[str], EpcisLocationRecord | None],
) -> tuple[tuple[str, str, str], ...]:
    rows = [(zh, en, str(ilmd[term])) for term, zh, en in _ILMD if ilmd.get(term) is not None]
    if quantity:
        rows.append(("数量", "Quantity", quantity))
    destinations = event.get("destinationList")
    for item in destinations if isinstance(destinations, list) else ():
        where = item.get("destination") if isinstance(item, dict) else None
        if isinstance(where, str):
            rows.append(("目的地", "Destination", _place_text(location(where), where)))
    return tuple(rows)


def lot_story(
    gtin: str,
    lot: str,
    events: Sequence[EpcisEventRecord],
    locations: Callable[[str, str], EpcisLocationRecord | None],
) -> LotStory:
    """A lot's story from its captured events.

    Args:
        gtin: the GTIN-14.
        lot: the lot code.
        events: the events naming the lot.
        locations: the master data of a location, by (account, location id).
    """
    steps: list[Step] = []
    farm: str | None = None
    origins: list[tuple[int, str]] = []
    for record in events:
        event = record.data
        when = _time(event.get("eventTime"))
        if when is None:
            continue
        location = functools.partial(locations, record.account)
        raw_ilmd = event.get("ilmd")
        ilmd = (
            {_short(str(k)): v for k, v in raw_ilmd.items()} if isinstance(raw_ilmd, dict) else {}
        )
        farm = farm or (str(ilmd["rs:producer"]) if ilmd.get("rs:producer") else None)
        where = _location_id(event.get("readPoint")) or _location_id(event.get("bizLocation"))
        place = None
        if where is not None:
            found = location(where)
            place = _place_text(found, where)
            if found is not None and (found.data.get("village") or found.data.get("county")):
                origins.append((0 if found.data.get("village") else 1, place))
        steps.append(
            Step(
                time=when,
                title=step_title(event.get("bizStep"), str(event.get("type", "")), ilmd),
                place=place,
                details=_details(event, ilmd, _quantity(event, gtin, lot), location),
                temperatures=temperatures_of(event),
            )
        )
    origin = min(origins, key=lambda item: item[0])[1] if origins else None
    return LotStory(gtin=gtin, lot=lot, farm=farm, origin=origin, steps=tuple(steps))
