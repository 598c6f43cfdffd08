"""Carrier services as data: what each takes, where it goes, how fast, and at what price.

A :class:`CarrierService` is one product of one carrier (SF's cold-chain standard express, a
plain economy express…) with its limits (mass and size per piece, dry ice), its volumetric
divisor, its :class:`Tariff` by zone, its transit times by zone as P50/P90, its daily cut-off
at the origin hub and the places it serves.

:data:`EXAMPLE_SERVICES` is **example data**: four services modelled on published figures for
China (SF Express's cold-chain service pages). Each number is either cited in the service's
``source`` or marked ``[example]`` there; prices and transit hours are mostly examples. Replace
them with your own contracts in a ``carriers.toml`` (:func:`load_services`), which is read with
the catalogue's converter and reports every problem at once.

Example:
    >>> from ruralseller.catalog import Length, Mass
    >>> sf = get_service("sf-cold-standard-chilled")
    >>> box = (Length(40, "cm"), Length(30, "cm"), Length(30, "cm"))
    >>> sf.chargeable(Mass("4.5", "kg"), box)  # 40×30×30/6000 = 6 kg volumetric
    Mass('6 kg')
    >>> sf.price(2, Mass("4.5", "kg"), box)
    Money('60 CNY')
    >>> print(sf.fits(Mass(22, "kg"), box))
    22 kg per piece is over the limit of 20 kg (SF-style Cold Chain Standard Express, chilled)
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import math
import os
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import cattrs

from ruralseller.catalog import (
    Length,
    Mass,
    Money,
    Place,
    StorageClass,
    Temperature,
    converter,
    format_duration,
    loads_data,
    read_data_file,
)
from ruralseller.catalog.checks import fail, frozen_tuple, identifier, text
from ruralseller.catalog.files import structure_sections
from ruralseller.coldchain.routes import (
    CHINA_STANDARD_TIME,
    EXAMPLE_CITIES,
    PROVINCES,
    find_city,
    find_province,
    known_city,
)
from ruralseller.errors import (
    CatalogError,
    InvalidValueError,
    NotInCatalogError,
    PlaceError,
)

__all__ = [
    "CARRIERS_FILE",
    "CARRIERS_FORMAT",
    "EXAMPLE_SERVICES",
    "CarrierService",
    "Coverage",
    "DryIceRule",
    "Surcharge",
    "Tariff",
    "TransitTime",
    "TransportMode",
    "ZoneRate",
    "ZoneTransit",
    "get_service",
    "load_services",
    "loads_services",
    "services_from_data",
]

CARRIERS_FILE = "carriers.toml"
"""The name of the carrier services file inside a catalogue folder."""

CARRIERS_FORMAT = 1
"""The version of the ``carriers.toml`` format this release reads."""

_ZONES = (1, 2, 3, 4)


# --- validators -----------------------------------------------------------------------------------


def _instance_of(kind: type | tuple[type, ...]) -> Any:
    return attrs.validators.instance_of(kind)


def _positive_quantity(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, Mass | Length) or not value:
        raise fail(attribute, f"{attribute.name} must be above zero, got {value!r}")


def _money_not_negative(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Money) or value.amount < 0:
        raise fail(
            attribute, f"{attribute.name} must be an amount of money, 0 or more", "e.g. '12 CNY'"
        )


def _zone_number(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or value not in _ZONES:
        raise fail(
            attribute,
            f"zone must be 1, 2, 3 or 4, got {value!r}",
            "1 same province, 2 neighbouring province, 3 further, 4 remote (see routes.zone)",
        )


def _positive_duration(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, dt.timedelta) or value <= dt.timedelta(0):
        raise fail(attribute, f"{attribute.name} must be a duration above zero, got {value!r}")


def _p90(instance: TransitTime | ZoneTransit, attribute: attrs.Attribute[Any], value: Any) -> None:
    _positive_duration(instance, attribute, value)
    if value < instance.p50:
        raise fail(
            attribute,
            f"p90 ({format_duration(value)}) is shorter than p50 ({format_duration(instance.p50)})",
            "P90 is the bad-day time: 9 parcels in 10 are faster; it is at least P50",
        )


def _unique_zones(
    _instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]
) -> None:
    zones = [item.zone for item in value]
    twice = sorted({z for z in zones if zones.count(z) > 1})
    if twice:
        raise fail(attribute, f"zone {twice[0]} is given twice in {attribute.name}")


# --- tariffs --------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ZoneRate:
    """The price of one zone: the first kilogram, and each further started kilogram.

    Attributes:
        zone: the zone, 1 to 4 (see :func:`ruralseller.coldchain.routes.zone`).
        first_kg: the price of the first (chargeable) kilogram.
        per_extra_kg: the price of each further started kilogram.
    """

    zone: int = attrs.field(validator=_zone_number)
    first_kg: Money = attrs.field(validator=_money_not_negative)
    per_extra_kg: Money = attrs.field(validator=_money_not_negative)


@attrs.frozen(kw_only=True)
class Surcharge:
    """A fixed amount added to every parcel's price (a cold-chain or packaging fee).

    Attributes:
        name: what it is for.
        amount: how much, per parcel.
    """

    name: str = attrs.field(validator=text)
    amount: Money = attrs.field(validator=_money_not_negative)


def _currencies(amounts: Sequence[Money]) -> list[str]:
    return sorted({money.currency for money in amounts})


def _rates(_instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    if not value or not all(isinstance(rate, ZoneRate) for rate in value):
        raise fail(
            attribute,
            "a tariff needs a ZoneRate for at least one zone",
            'e.g. rates = [{ zone = 1, first_kg = "12 CNY", per_extra_kg = "2 CNY" }]',
        )
    _unique_zones(_instance, attribute, value)
    currencies = _currencies([m for rate in value for m in (rate.first_kg, rate.per_extra_kg)])
    if len(currencies) > 1:
        raise fail(
            attribute,
            f"a tariff's prices must be in one currency, got {', '.join(currencies)}",
            "write every price in the currency of the contract, e.g. CNY",
        )


def _surcharges(instance: Tariff, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not all(isinstance(item, Surcharge) for item in value):
        raise fail(attribute, "surcharges must be Surcharges")
    currency = instance.rates[0].first_kg.currency
    other = _currencies([s.amount for s in value if s.amount.currency != currency])
    if other:
        raise fail(
            attribute,
            f"surcharges must be in the tariff's currency, {currency}, not {', '.join(other)}",
            "write every price in the currency of the contract, e.g. CNY",
        )


@attrs.frozen(kw_only=True)
class Tariff:
    """A first-kilogram-plus-additional-kilogram price list by zone, with fixed surcharges.

    Prices are charged per started kilogram: the chargeable weight is rounded **up** to the
    next whole kilogram (2.01 kg pays for 3 kg), and a parcel pays at least the first
    kilogram. The amount itself is not rounded: prices in fen add up to fen. (SF prices cold
    express as "initial weight (1 kg) + additional weight" on sf-express.com; how a contract
    rounds the weight, e.g. to 0.1 or 0.5 kg, varies: this is the cautious rule.)

    Attributes:
        rates: one :class:`ZoneRate` per zone served.
        surcharges: fixed amounts added to every parcel (cold-chain fee, packaging fee).

    Example:
        >>> tariff = Tariff(
        ...     rates=[ZoneRate(zone=1, first_kg=Money(11, "CNY"), per_extra_kg=Money(2, "CNY"))],
        ...     surcharges=[Surcharge(name="packaging fee", amount=Money(6, "CNY"))],
        ... )
        >>> tariff.price(1, Mass("2.01", "kg"))  # 11 + 2 × 2 + 6
        Money('21 CNY')
    """

    rates: tuple[ZoneRate, ...] = attrs.field(converter=frozen_tuple, validator=_rates)
    surcharges: tuple[Surcharge, ...] = attrs.field(
        default=(), converter=frozen_tuple, validator=_surcharges
    )

    @property
    def zones(self) -> tuple[int, ...]:
        """The zones priced, in order."""
        return tuple(sorted(rate.zone for rate in self.rates))

    def rate(self, zone: int) -> ZoneRate:
        """The rate of ``zone``.

        Raises:
            InvalidValueError: when the tariff does not price that zone.
        """
        for rate in self.rates:
            if rate.zone == zone:
                return rate
        raise InvalidValueError(
            f"the tariff has no price for zone {zone!r}",
            hint=f"it prices zones {', '.join(map(str, self.zones))}",
        )

    def price(self, zone: int, chargeable: Mass) -> Money:
        """The price of a parcel of ``chargeable`` weight to ``zone``, surcharges included."""
        if not isinstance(chargeable, Mass):
            raise InvalidValueError(
                f"chargeable must be a Mass, got {chargeable!r}", hint="e.g. Mass('2.4', 'kg')"
            )
        rate = self.rate(zone)
        kilograms = max(1, math.ceil(chargeable.in_unit("kg")))
        total = rate.first_kg + rate.per_extra_kg * (kilograms - 1)
        for surcharge in self.surcharges:
            total += surcharge.amount
        return total


# --- transit, dry ice, coverage -------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class TransitTime:
    """A typical (P50) and a bad-day (P90) duration.

    Attributes:
        p50: the median duration.
        p90: the duration 9 parcels in 10 stay within.
    """

    p50: dt.timedelta = attrs.field(validator=_positive_duration)
    p90: dt.timedelta = attrs.field(validator=_p90)


@attrs.frozen(kw_only=True)
class ZoneTransit:
    """The line-haul time of one zone: origin hub to the destination's delivery station.

    Attributes:
        zone: the zone, 1 to 4.
        p50: the median time from the cut-off at the origin hub.
        p90: the time 9 parcels in 10 stay within.
    """

    zone: int = attrs.field(validator=_zone_number)
    p50: dt.timedelta = attrs.field(validator=_positive_duration)
    p90: dt.timedelta = attrs.field(validator=_p90)


class TransportMode(enum.Enum):
    """How a service moves parcels between cities."""

    GROUND = "ground"
    """By road (or rail): dry ice follows road rules."""
    AIR = "air"
    """By air: dry ice is a dangerous good under IATA PI 954."""


def _dry_ice_limit(instance: DryIceRule, attribute: attrs.Attribute[Any], value: object) -> None:
    _positive_quantity(instance, attribute, value)
    if not instance.allowed and value is not None:
        raise fail(
            attribute,
            "a rule that does not allow dry ice has no max_per_piece",
            "leave max_per_piece out, or set allowed = true",
        )


@attrs.frozen(kw_only=True)
class DryIceRule:
    """Whether a service takes dry ice (UN1845) in one transport mode, and how much.

    Attributes:
        mode: the transport mode the rule is for.
        allowed: whether parcels with dry ice are accepted.
        max_per_piece: the most dry ice per piece, net; None for no limit of the carrier's
            own (IATA PI 954 still caps air packages at 200 kg).
        source: where the rule comes from.
    """

    mode: TransportMode = attrs.field(validator=_instance_of(TransportMode))
    allowed: bool = attrs.field(validator=_instance_of(bool))
    max_per_piece: Mass | None = attrs.field(default=None, validator=_dry_ice_limit)
    source: str = attrs.field(default="", validator=_instance_of(str))


def _names(value: object, field: str, example: str) -> Sequence[object]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidValueError(
            f"{field} must be a list of names, got {value!r}", field=field, hint=f"e.g. {example}"
        )
    return value


def _province_names(value: Sequence[str]) -> tuple[str, ...]:
    names = _names(value, "provinces", '["江西", "Guangdong"]')
    try:
        return tuple(find_province(name).zh for name in names)  # type: ignore[arg-type]
    except PlaceError as exc:
        raise InvalidValueError(exc.message, field="provinces", hint=exc.hint) from None


def _city_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InvalidValueError(f"a city must be a name, got {name!r}", field="cities")
    city = known_city(name)
    if city is not None:
        return city.zh
    if name.isascii():
        close = difflib.get_close_matches(name, [c.en for c in EXAMPLE_CITIES], n=1)
        raise InvalidValueError(
            f"unknown city {name!r}",
            field="cities",
            hint=(f"did you mean {close[0]!r}? " if close else "")
            + "write cities outside the built-in list in Chinese, as on addresses, e.g. 抚州",
        )
    try:
        # Any prefecture-level city, kept by its full name (延边 is 延边朝鲜族自治州), so
        # that it matches the city of a parsed address.
        return (find_city(name).city or name).strip().removesuffix("市")
    except PlaceError as exc:
        raise InvalidValueError(exc.message, field="cities", hint=exc.hint) from None


def _city_names(value: Sequence[str]) -> tuple[str, ...]:
    return tuple(_city_name(name) for name in _names(value, "cities", '["广州", "Shenzhen"]'))


@cache
def _address_city(name: str) -> str:
    city = known_city(name)
    if city is not None:
        return city.zh
    if not name.isascii():
        try:
            return (find_city(name).city or name).strip().removesuffix("市")
        except PlaceError:
            pass
    return name.strip().removesuffix("市")


@attrs.frozen(kw_only=True)
class Coverage:
    """Where a service delivers: all of mainland China, or listed provinces and cities.

    A destination is served when its province is listed or its city is listed; with neither
    listed, the whole mainland is served. Names may be Chinese or English; they are kept in
    Chinese (``广东省``, ``广州``).

    Attributes:
        provinces: provinces served everywhere.
        cities: cities served (a city outside :data:`~ruralseller.coldchain.routes.EXAMPLE_CITIES`
            must be written in Chinese).
    """

    provinces: tuple[str, ...] = attrs.field(default=(), converter=_province_names)
    cities: tuple[str, ...] = attrs.field(default=(), converter=_city_names)

    @property
    def everywhere(self) -> bool:
        """Whether the whole of mainland China is served."""
        return not self.provinces and not self.cities

    def covers(self, destination: Place) -> bool:
        """Whether ``destination`` (with its province) is served."""
        if self.everywhere:
            return True
        if destination.province and find_province(destination.province).zh in self.provinces:
            return True
        return destination.city is not None and _address_city(destination.city) in self.cities

    def describe(self) -> str:
        """What is covered, in a few words."""
        if self.everywhere:
            return "all of mainland China"
        parts = []
        if self.provinces:
            parts.append(f"{len(self.provinces)} provinces")
        if self.cities:
            parts.append(f"{len(self.cities)} cities")
        return " and ".join(parts)


# --- services -------------------------------------------------------------------------------------


def _setpoint(instance: CarrierService, attribute: attrs.Attribute[Any], value: object) -> None:
    if instance.temperature_controlled and not isinstance(value, Temperature):
        raise fail(
            attribute,
            "a temperature-controlled service needs its setpoint",
            'e.g. setpoint = "2 °C" for chilled or "-18 °C" for frozen',
        )
    if not instance.temperature_controlled and value is not None:
        raise fail(
            attribute,
            "an ambient service has no setpoint",
            "leave setpoint out, or set temperature_controlled = true",
        )


def _needs_control(instance: CarrierService, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, bool):
        raise fail(attribute, f"{attribute.name} must be true or false, got {value!r}")
    if value and not instance.temperature_controlled:
        raise fail(
            attribute,
            f"{attribute.name} needs a temperature-controlled service",
            "set temperature_controlled = true with its setpoint, or set this to false",
        )


def _storage_classes(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not value or not all(isinstance(item, StorageClass) for item in value):
        raise fail(
            attribute,
            "storage_classes must list at least one storage class",
            'e.g. storage_classes = ["chilled", "cool"]',
        )
    if len(set(value)) != len(value):
        raise fail(attribute, "a storage class is listed twice in storage_classes")


def _divisor(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise fail(
            attribute,
            f"divisor must be a whole number of cm³ per kg above zero, got {value!r}",
            "6000 for SF Cold Chain (L×W×H in cm / 6000 = kg)",
        )


def _transit(instance: CarrierService, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not value or not all(isinstance(item, ZoneTransit) for item in value):
        raise fail(attribute, "transit must give a ZoneTransit for each zone served")
    _unique_zones(instance, attribute, value)
    timed = {item.zone for item in value}
    priced = set(instance.tariff.zones) if isinstance(instance.tariff, Tariff) else timed
    if timed != priced:
        missing = sorted(priced - timed)
        unpriced = sorted(timed - priced)
        detail = (
            f"zone {missing[0]} has a price but no transit time"
            if missing
            else f"zone {unpriced[0]} has a transit time but no price"
        )
        raise fail(attribute, detail, "give each zone served both a rate and a transit time")


def _cutoff(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, dt.time) or value.tzinfo is not None:
        raise fail(
            attribute,
            f"cutoff must be a clock time without a time zone, got {value!r}",
            "write the hub's local time (China Standard Time), e.g. cutoff = 18:00:00",
        )


def _dry_ice_rules(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not all(isinstance(rule, DryIceRule) for rule in value):
        raise fail(attribute, "dry_ice must list DryIceRules")
    modes = [rule.mode for rule in value]
    if len(set(modes)) != len(modes):
        raise fail(attribute, "dry_ice gives two rules for one mode", "give one rule per mode")


@attrs.frozen(kw_only=True)
class CarrierService:
    """One carrier product: its limits, tariff, transit times, cut-off and coverage.

    Attributes:
        id: how plans and ``carriers.toml`` refer to it.
        name: what the partner calls it.
        carrier: the company.
        mode: how it moves parcels between cities (ground or air).
        temperature_controlled: whether the line haul is refrigerated.
        setpoint: the temperature the service keeps parcels at (e.g. 2 °C chilled, −18 °C
            frozen); None for an ambient service.
        cold_warehouse: whether parcels wait for departure in a cold warehouse at the origin
            hub (a controlled dwell); otherwise they wait at ambient.
        controlled_last_mile: whether the delivery to the door is temperature-controlled too.
        storage_classes: the storage classes it accepts (for an ambient service, food packed
            to hold its temperature the whole way).
        max_piece_mass: the most one piece may weigh, packaging included.
        max_shipment_mass: the most all pieces of one shipment may weigh, if limited.
        max_longest_side: the longest side a piece may have, if limited.
        max_dimension_sum: the most length + width + height may be, if limited.
        divisor: the volumetric divisor in cm³ per kg (L×W×H in cm / divisor = kg).
        tariff: the prices by zone.
        transit: the line-haul time by zone (from the cut-off to the delivery station).
        last_mile: the time from the delivery station to the buyer's door.
        cutoff: the daily cut-off at the origin hub, China Standard Time; the line haul
            leaves then, and a parcel arriving later waits for the next day's.
        coverage: where it delivers.
        dry_ice: whether and how much dry ice it takes, by transport mode; a mode without a
            rule takes none.
        source: where the numbers come from, marking examples.
        example: whether this is example data rather than a partner's contract.
    """

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=text)
    carrier: str = attrs.field(validator=text)
    mode: TransportMode = attrs.field(validator=_instance_of(TransportMode))
    temperature_controlled: bool = attrs.field(validator=_instance_of(bool))
    setpoint: Temperature | None = attrs.field(default=None, validator=_setpoint)
    cold_warehouse: bool = attrs.field(default=False, validator=_needs_control)
    controlled_last_mile: bool = attrs.field(default=False, validator=_needs_control)
    storage_classes: tuple[StorageClass, ...] = attrs.field(
        converter=frozen_tuple, validator=_storage_classes
    )
    max_piece_mass: Mass = attrs.field(validator=[_instance_of(Mass), _positive_quantity])
    max_shipment_mass: Mass | None = attrs.field(default=None, validator=_positive_quantity)
    max_longest_side: Length | None = attrs.field(default=None, validator=_positive_quantity)
    max_dimension_sum: Length | None = attrs.field(default=None, validator=_positive_quantity)
    divisor: int = attrs.field(validator=_divisor)
    tariff: Tariff = attrs.field(validator=_instance_of(Tariff))
    transit: tuple[ZoneTransit, ...] = attrs.field(converter=frozen_tuple, validator=_transit)
    last_mile: TransitTime = attrs.field(validator=_instance_of(TransitTime))
    cutoff: dt.time = attrs.field(validator=_cutoff)
    coverage: Coverage = attrs.field(factory=Coverage, validator=_instance_of(Coverage))
    dry_ice: tuple[DryIceRule, ...] = attrs.field(
        default=(), converter=frozen_tuple, validator=_dry_ice_rules
    )
    source: str = attrs.field(validator=text)
    example: bool = attrs.field(default=False, validator=_instance_of(bool))

    @property
    def zones(self) -> tuple[int, ...]:
        """The zones the service prices and times."""
        return self.tariff.zones

    def transit_time(self, zone: int) -> TransitTime:
        """The line-haul P50/P90 for ``zone``.

        Raises:
            InvalidValueError: when the service has no transit time for that zone.
        """
        for item in self.transit:
            if item.zone == zone:
                return TransitTime(p50=item.p50, p90=item.p90)
        raise InvalidValueError(
            f"{self.name} has no transit time for zone {zone!r}",
            hint=f"it serves zones {', '.join(map(str, self.zones))}",
        )

    def next_departure(self, arrival: dt.datetime) -> dt.datetime:
        """The first daily cut-off at or after ``arrival`` (China Standard Time).

        Example:
            >>> import datetime as dt
            >>> from ruralseller.coldchain.routes import CHINA_STANDARD_TIME as CST
            >>> sf = get_service("sf-cold-standard-chilled")  # cut-off 18:00
            >>> sf.next_departure(dt.datetime(2026, 7, 1, 18, 30, tzinfo=CST))
            datetime.datetime(2026, 7, 2, 18, 0, tzinfo=datetime.timezone(datetime.timedelta(seconds=28800), 'CST'))
        """  # noqa: E501 - a doctest output line cannot be wrapped
        if not isinstance(arrival, dt.datetime) or arrival.utcoffset() is None:
            raise InvalidValueError(
                f"arrival must be a date and time with its time zone, got {arrival!r}",
                hint="e.g. datetime(2026, 7, 1, 17, tzinfo=CHINA_STANDARD_TIME)",
            )
        local = arrival.astimezone(CHINA_STANDARD_TIME)
        departure = dt.datetime.combine(local.date(), self.cutoff, tzinfo=CHINA_STANDARD_TIME)
        if local > departure:
            departure += dt.timedelta(days=1)
        return departure

    def volumetric(self, outer: Sequence[Length]) -> Mass:
        """The volumetric weight of a box: L×W×H in cm / :attr:`divisor`, in kg, exactly."""
        length, width, height = (side.in_unit("cm") for side in _dimensions(outer))
        return Mass(length * width * height / self.divisor, "kg")

    def chargeable(self, gross: Mass, outer: Sequence[Length]) -> Mass:
        """The weight the carrier bills: the larger of ``gross`` and the volumetric weight.

        Returned in kg, exactly (the :class:`Tariff` rounds it up to whole kilograms).
        """
        return max(_gross(gross).to("kg"), self.volumetric(outer))

    def price(self, zone: int, gross: Mass, outer: Sequence[Length]) -> Money:
        """The price of one piece to ``zone``: the tariff at its chargeable weight."""
        return self.tariff.price(zone, self.chargeable(gross, outer))

    def fits(self, gross: Mass, outer: Sequence[Length], *, pieces: int = 1) -> str | None:
        """Why a piece of ``gross`` mass and ``outer`` size is refused, or None if it fits.

        ``pieces`` such pieces go in one shipment (checked against the shipment limit).
        Every limit broken is named, separated by semicolons.
        """
        mass = _gross(gross)
        sides = sorted(_dimensions(outer), reverse=True)
        if isinstance(pieces, bool) or not isinstance(pieces, int) or pieces < 1:
            raise InvalidValueError(f"pieces must be a whole number from 1, got {pieces!r}")
        reasons = []
        if mass > self.max_piece_mass:
            reasons.append(
                f"{mass} per piece is over the limit of {self.max_piece_mass} ({self.name})"
            )
        if self.max_shipment_mass is not None and mass * pieces > self.max_shipment_mass:
            reasons.append(
                f"{pieces} pieces of {mass} are over the limit of {self.max_shipment_mass} "
                f"per shipment ({self.name})"
            )
        if self.max_longest_side is not None and sides[0] > self.max_longest_side:
            reasons.append(
                f"the longest side, {sides[0]}, is over the limit of {self.max_longest_side} "
                f"({self.name})"
            )
        total = sides[0] + sides[1].to(sides[0].unit) + sides[2].to(sides[0].unit)
        if self.max_dimension_sum is not None and total > self.max_dimension_sum:
            reasons.append(
                f"length + width + height, {total}, is over the limit of "
                f"{self.max_dimension_sum} ({self.name})"
            )
        return "; ".join(reasons) or None

    def serves(self, destination: Place) -> str | None:
        """Why ``destination`` is not served, or None when it is.

        Raises:
            PlaceError: for a destination in mainland China without a province, or with a
                province that is not known (the address must be fixed, not the service).

        Example:
            >>> from ruralseller.coldchain.routes import find_city
            >>> print(get_service("sf-cold-to-home").serves(find_city("Beijing")))
            SF-style Cold Chain To Home does not deliver to 北京市: it serves 46 cities
        """
        if not isinstance(destination, Place):
            raise InvalidValueError(
                f"destination must be a Place, got {destination!r}", hint="e.g. find_city('广州')"
            )
        if destination.country != "CN":
            return f"{self.name} delivers in mainland China only, not to {destination.country}"
        if destination.province is None:
            raise PlaceError(
                f"the destination {destination} does not name its province",
                hint="add province=..., or use find_city('广州')",
            )
        find_province(destination.province)
        if self.coverage.covers(destination):
            return None
        where = destination.city or destination.province
        return f"{self.name} does not deliver to {where}: it serves {self.coverage.describe()}"

    def carries(self, storage_class: StorageClass) -> str | None:
        """Why food of ``storage_class`` is refused, or None when the service takes it."""
        if storage_class in self.storage_classes:
            return None
        taken = ", ".join(item.value for item in self.storage_classes)
        return f"{self.name} takes {taken} food, not {storage_class.value}"

    @property
    def dry_ice_rule(self) -> DryIceRule | None:
        """The dry-ice rule for the service's own mode, or None (no dry ice)."""
        for rule in self.dry_ice:
            if rule.mode is self.mode:
                return rule
        return None

    def takes_dry_ice(self, net: Mass) -> str | None:
        """Why a piece with ``net`` dry ice is refused, or None when it is accepted."""
        rule = self.dry_ice_rule
        if rule is None or not rule.allowed:
            return f"{self.name} does not take dry ice ({self.mode.value})"
        if rule.max_per_piece is not None and _gross(net) > rule.max_per_piece:
            return (
                f"{net} of dry ice is over the limit of {rule.max_per_piece} per piece "
                f"({self.name})"
            )
        return None


def _gross(value: object) -> Mass:
    if not isinstance(value, Mass):
        raise InvalidValueError(f"expected a Mass, got {value!r}", hint="e.g. Mass('4.5', 'kg')")
    return value


def _dimensions(outer: object) -> tuple[Length, Length, Length]:
    if (
        not isinstance(outer, Sequence)
        or len(outer) != 3
        or not all(isinstance(side, Length) and side for side in outer)
    ):
        raise InvalidValueError(
            f"outer must be the box's (length, width, height), each above zero, got {outer!r}",
            hint="e.g. (Length(40, 'cm'), Length(30, 'cm'), Length(30, 'cm')), or "
            "container.outer_dimensions",
        )
    return (outer[0], outer[1], outer[2])


# --- example data ---------------------------------------------------------------------------------
# Cited facts, from SF's own pages:
#   SF Cold Chain Standard Express, https://www.sf-express.com/chn/en/express/cold-standard :
#     cold-chain road transport with full temperature control through cold warehouses, door
#     to door; refrigerated and frozen products; <= 20 kg per piece and <= 100 kg per shipment
#     with packaging; price = first kg + additional kg, varying by city pair; volumetric
#     L×W×H (cm)/6000; about 300 cities; next-day/third-day inter-province, 2-5 days nationally.
#   SF Cold Chain To Home, http://www.sf-express.com/cn/en/express/cold_service/food_service/
#     cold_shipped_home/ : whole-process temperature control, door to door; intra-city from
#     RMB 11 for the first kg + RMB 2/kg; RMB 6 packaging fee for shipments handed over bare;
#     divisor 6000; intra-city by 20:00 next day; no time-definite guarantee; a pickup after
#     the cold warehouse's cut-off adds a day; 44 mainland cities with cold warehouses.
#   Frozen <= -18 °C: GB/T 24616-2019; JD Logistics' frozen layer.
# Everything else below is [example]: prices beyond the intra-city floor, P50/P90 hours (set
# so that hand-in to door falls in the published ranges), cut-off clock times, size limits,
# dry-ice rules and the ambient express as a whole (express outlets in 98% of townships:
# State Council, english.www.gov.cn, 2021-08-20; first mile 0.5-1.5 d + line haul 1-3 d +
# last mile 0.5-1 d).

# SF's Cold Chain To Store page names the mainland cities with SF cold warehouses; the stored
# To Home page's list of 44 is cut off after Shenyang, Dalian, Harbin, Changchun, Guangzhou,
# so these 46 stand in for it [example: check the list with SF]. Beijing is not among them.
_SF_COLD_CITIES = (  # noqa: SIM905 - a line of names reads better than 46 quoted strings
    "天津 哈尔滨 大连 长春 青岛 济南 厦门 深圳 佛山 广州 上海 苏州 嘉兴 成都 重庆 郑州 太原 东莞 "
    "西安 宁波 长沙 石家庄 常州 无锡 南通 烟台 合肥 芜湖 南昌 福州 温州 金华 绍兴 惠州 呼和浩特 "
    "武汉 乌鲁木齐 银川 兰州 杭州 南京 沈阳 海口 南宁 昆明 洛阳"
).split()

# SF's page says about 300 cities without naming them. Standing in [U]: every city of the 25
# provinces outside the remote west (about 270 prefecture-level cities), plus the example
# cities of the remote provinces (their capitals and a few large cities): 283 cities.
_SF_STANDARD_COVERAGE = Coverage(
    provinces=[province.zh for province in PROVINCES if not province.remote],
    cities=[city.zh for city in EXAMPLE_CITIES if find_province(city.province).remote],
)

_SF_STANDARD_SOURCE = (
    "SF Cold Chain Standard Express (sf-express.com/chn/en/express/cold-standard): "
    "full temperature control by road through cold warehouses, door to "
    "door; 20 kg per piece and 100 kg per shipment with packaging; first kg + additional kg; "
    "divisor 6000; 2-5 days nationally. [example]: prices, P50/P90 hours, the 18:00 cut-off, "
    "size limits, the dry-ice rule, and coverage: every city of the 25 provinces outside the "
    "remote west plus the large cities of the remote provinces (283 cities) standing in for "
    "SF's ~300 unnamed cities [U]"
)


def _cny_rates(*prices: tuple[str, str]) -> tuple[ZoneRate, ...]:
    return tuple(
        ZoneRate(zone=zone, first_kg=Money(first, "CNY"), per_extra_kg=Money(extra, "CNY"))
        for zone, (first, extra) in enumerate(prices, start=1)
    )


def _hours(*p50_p90: tuple[int, int]) -> tuple[ZoneTransit, ...]:
    return tuple(
        ZoneTransit(zone=zone, p50=dt.timedelta(hours=p50), p90=dt.timedelta(hours=p90))
        for zone, (p50, p90) in enumerate(p50_p90, start=1)
    )


# Hub to door = line haul + last mile: zone 1 about 1-2 d, zone 3 about 2-3.5 d, zone 4 about
# 3-5 d, so with the first mile a village parcel takes 2-5 d [example].
_SF_TRANSIT = _hours((20, 30), (30, 44), (44, 68), (68, 100))
_SF_LAST_MILE = TransitTime(p50=dt.timedelta(hours=8), p90=dt.timedelta(hours=16))
_SF_LONGEST_SIDE = Length(100, "cm")
_SF_DIMENSION_SUM = Length(150, "cm")

_SF_CHILLED = CarrierService(
    id="sf-cold-standard-chilled",
    name="SF-style Cold Chain Standard Express, chilled",
    carrier="SF Express",
    mode=TransportMode.GROUND,
    temperature_controlled=True,
    setpoint=Temperature(2, "°C"),
    cold_warehouse=True,
    controlled_last_mile=True,
    storage_classes=(StorageClass.CHILLED, StorageClass.COOL),
    max_piece_mass=Mass(20, "kg"),
    max_shipment_mass=Mass(100, "kg"),
    divisor=6000,
    tariff=Tariff(rates=_cny_rates(("16", "4"), ("20", "8"), ("23", "12"), ("28", "18"))),
    transit=_SF_TRANSIT,
    last_mile=_SF_LAST_MILE,
    cutoff=dt.time(18),
    coverage=_SF_STANDARD_COVERAGE,
    dry_ice=(
        DryIceRule(
            mode=TransportMode.GROUND,
            allowed=False,
            source="[example] a chilled service has no use for dry ice: it would freeze the food",
        ),
    ),
    source=_SF_STANDARD_SOURCE + "; [example] the 2 °C setpoint, middle of the 0-4 °C "
    "chilled layer (JD Logistics; ATP poultry <= 4 °C)",
    example=True,
    max_longest_side=_SF_LONGEST_SIDE,
    max_dimension_sum=_SF_DIMENSION_SUM,
)

_SF_FROZEN = attrs.evolve(
    _SF_CHILLED,
    id="sf-cold-standard-frozen",
    name="SF-style Cold Chain Standard Express, frozen",
    setpoint=Temperature(-18, "°C"),
    storage_classes=(StorageClass.FROZEN,),
    tariff=Tariff(
        rates=_SF_CHILLED.tariff.rates,
        surcharges=[Surcharge(name="frozen handling [example]", amount=Money(3, "CNY"))],
    ),
    dry_ice=(
        DryIceRule(
            mode=TransportMode.GROUND,
            allowed=True,
            max_per_piece=Mass(5, "kg"),
            source="[example] no SF dry-ice rule was found; by air IATA PI 954 "
            "applies (IATA Dangerous Goods Regulations)",
        ),
    ),
    source=_SF_STANDARD_SOURCE + "; frozen products accepted (same page); -18 °C: GB/T "
    "24616-2019 and JD Logistics' frozen layer; [example] the frozen handling fee",
)

_SF_TO_HOME = CarrierService(
    id="sf-cold-to-home",
    name="SF-style Cold Chain To Home",
    carrier="SF Express",
    mode=TransportMode.GROUND,
    temperature_controlled=True,
    setpoint=Temperature(2, "°C"),
    cold_warehouse=True,
    controlled_last_mile=True,
    storage_classes=(StorageClass.CHILLED, StorageClass.COOL, StorageClass.FROZEN),
    max_piece_mass=Mass(20, "kg"),
    divisor=6000,
    # Zone 1 is the published intra-city price, the floor; zones 2-4 are [example].
    tariff=Tariff(rates=_cny_rates(("11", "2"), ("16", "6"), ("20", "10"), ("26", "16"))),
    # Intra-city by 20:00 next day (published); longer flows [example].
    transit=_hours((18, 26), (30, 44), (44, 68), (68, 100)),
    last_mile=_SF_LAST_MILE,
    cutoff=dt.time(17),
    coverage=Coverage(cities=_SF_COLD_CITIES),
    source="SF Cold Chain To Home (sf-express.com/cn/en/express/cold_service/food_service/"
    "cold_shipped_home/): whole-process temperature control, door to door; "
    "intra-city RMB 11 first kg + RMB 2/kg (zone 1 here, the floor); RMB 6 packaging fee "
    "only for parcels handed over bare (not charged: ours are packed); divisor 6000; "
    "intra-city by 20:00 next day; missing the cold warehouse cut-off adds a day; 44 "
    "cities with cold warehouses (here the 46 SF's Cold Chain To Store page names). "
    "[example]: zone 2-4 prices, transit hours, 17:00 cut-off, 20 kg per piece, 2 °C setpoint "
    "(frozen food rides a -18 °C layer not modelled here), no dry ice",
    example=True,
    max_longest_side=_SF_LONGEST_SIDE,
    max_dimension_sum=_SF_DIMENSION_SUM,
)

_AMBIENT_EXPRESS = CarrierService(
    id="ambient-express",
    name="Economy ambient express (ZTO/YTO-style)",
    carrier="economy express [example]",
    mode=TransportMode.GROUND,
    temperature_controlled=False,
    storage_classes=(StorageClass.AMBIENT, StorageClass.COOL, StorageClass.CHILLED),
    max_piece_mass=Mass(30, "kg"),
    max_longest_side=Length(120, "cm"),
    max_dimension_sum=Length(200, "cm"),
    divisor=8000,
    tariff=Tariff(rates=_cny_rates(("6", "1"), ("8", "2"), ("10", "4"), ("16", "10"))),
    # Hub to door about 1-4 days [example].
    transit=_hours((14, 24), (22, 36), (36, 60), (60, 90)),
    last_mile=TransitTime(p50=dt.timedelta(hours=8), p90=dt.timedelta(hours=24)),
    cutoff=dt.time(17),
    dry_ice=(
        DryIceRule(
            mode=TransportMode.GROUND,
            allowed=False,
            source="[example] economy couriers commonly refuse dry ice as a dangerous good",
        ),
    ),
    source="[example] a plain economy express: no temperature control, so chilled food "
    "needs a box and coolant that hold the whole route; collects at the county hub "
    "(express outlets in 98% of townships, 2021, english.www.gov.cn); all numbers [example]",
    example=True,
)

EXAMPLE_SERVICES: tuple[CarrierService, ...] = (
    _SF_CHILLED,
    _SF_FROZEN,
    _SF_TO_HOME,
    _AMBIENT_EXPRESS,
)
"""Example carrier services for rural China, modelled on published figures; replace them
with your contracts in ``carriers.toml``. Each service's ``source`` says which numbers are
cited and which are ``[example]``."""


def get_service(
    service_id: str, services: Sequence[CarrierService] = EXAMPLE_SERVICES
) -> CarrierService:
    """The service with ``service_id`` in ``services`` (the examples by default).

    Raises:
        NotInCatalogError: when no service has that id; the message suggests the closest.
    """
    for service in services:
        if service.id == service_id:
            return service
    known = [service.id for service in services]
    close = difflib.get_close_matches(str(service_id), known, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise NotInCatalogError(
        f"no carrier service with id {service_id!r}; {hint}known: {', '.join(known) or 'none'}"
    )


# --- carriers.toml --------------------------------------------------------------------------------


def _structure_time(value: object, _: type) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        try:
            return dt.time.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InvalidValueError(
        f"expected a clock time, got {value!r}", hint="write it as HH:MM:SS, e.g. 18:00:00"
    )


@cache
def _converter() -> cattrs.Converter:
    # The catalogue's TOML converter plus clock times; a copy, so the catalogue's is untouched.
    conv = converter("toml").copy()
    conv.register_structure_hook(dt.time, _structure_time)
    return conv


def services_from_data(
    data: Mapping[str, Any], *, file: str = "<data>"
) -> tuple[CarrierService, ...]:
    """Build carrier services from parsed ``carriers.toml`` data, checking everything at once.

    Raises:
        CatalogValidationError: listing every problem, each with its path and a hint.
    """
    sections = structure_sections(
        data,
        file=file,
        what="carriers file",
        version=CARRIERS_FORMAT,
        sections={"services": CarrierService},
        conv=_converter(),
        duplicate_hint="give each service its own id",
    )
    loaded = [service for _, service in sections["services"]]
    return tuple(loaded)


def loads_services(text: str, *, file: str = "<string>") -> tuple[CarrierService, ...]:
    """Read carrier services from the TOML text of a ``carriers.toml``.

    Raises:
        CatalogValidationError: when the text is not TOML or has problems; all are listed.

    Example:
        >>> services = loads_services('''
        ... format = 1
        ... [[services]]
        ... id = "county-post"
        ... name = "County post parcel"
        ... carrier = "China Post"
        ... mode = "ground"
        ... temperature_controlled = false
        ... storage_classes = ["ambient"]
        ... max_piece_mass = "30 kg"
        ... divisor = 8000
        ... cutoff = 16:30:00
        ... transit = [{ zone = 1, p50 = "1 d", p90 = "2 d" }]
        ... last_mile = { p50 = "8 h", p90 = "1 d" }
        ... source = "county post office price list, 2026"
        ... tariff = { rates = [{ zone = 1, first_kg = "8 CNY", per_extra_kg = "1.5 CNY" }] }
        ... coverage = { provinces = ["江西"] }
        ... ''')
        >>> services[0].tariff.price(1, Mass("3.2", "kg")), services[0].coverage.provinces
        (Money('12.5 CNY'), ('江西省',))
    """
    data = loads_data(text, file=file, sections="[[services]]")
    return services_from_data(data, file=file)


def load_services(path: str | os.PathLike[str]) -> tuple[CarrierService, ...]:
    """Load the partner's carrier services from ``carriers.toml`` in a folder, or a .toml file.

    There is no silent fallback: a folder without ``carriers.toml`` is an error. To plan with
    the example data, pass :data:`EXAMPLE_SERVICES` explicitly.

    Raises:
        CatalogError: when the file is missing or cannot be read.
        CatalogValidationError: listing every problem in the file at once.
    """
    where = Path(path)
    file = where / CARRIERS_FILE if where.is_dir() else where
    if not file.exists():
        raise CatalogError(
            f"no carriers file at {file}: write your contracts in {CARRIERS_FILE} "
            "(see ruralseller.coldchain.services), or plan with EXAMPLE_SERVICES"
        )
    content = read_data_file(file, folder=file.parent)
    return loads_services(content, file=str(file))
