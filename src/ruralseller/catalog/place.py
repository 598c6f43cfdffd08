"""Places, from a mountain village to a buyer's city.

Example:
    >>> village = Place(
    ...     country="CN", province="江西省", city="吉安市", county="泰和县",
    ...     township="武山镇", village="汪陂村",
    ...     coordinates=Coordinates("26.79", "114.87"),
    ... )
    >>> str(village)
    '江西省 吉安市 泰和县 武山镇 汪陂村, CN'
    >>> village.country_name("en")
    'China'
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import cache

import attrs
import babel

from ruralseller.errors import PlaceError

__all__ = ["Coordinates", "Place"]


# CLDR territory codes that are groupings or placeholders, not ISO 3166-1 countries:
# European Union, Eurozone, United Nations, Outlying Oceania, Unknown Region.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ"})


@cache
def _countries() -> frozenset[str]:
    # CLDR territory codes as shipped with babel; the numeric ones are regions (001 = world).
    territories: Mapping[str, str] = babel.Locale("en").territories
    return frozenset(code for code in territories if code.isalpha()) - _NOT_COUNTRIES


def _country(value: object) -> str:
    if not isinstance(value, str) or value.strip().upper() not in _countries():
        raise PlaceError(
            f"unknown country {value!r}",
            hint="use an ISO 3166-1 alpha-2 code such as CN, US, DE, TW or HK",
        )
    return value.strip().upper()


def _degrees(value: object, low: int, high: int, what: str) -> Decimal:
    if isinstance(value, float | bool):
        raise PlaceError(f"{what} {value!r} must be exact: pass a string like '26.79'")
    try:
        number = Decimal(value if isinstance(value, Decimal) else str(value))
    except InvalidOperation:
        raise PlaceError(f"{what} {value!r} is not a number of degrees") from None
    if not number.is_finite() or not low <= number <= high:
        raise PlaceError(f"{what} {value!r} is out of range: it must be from {low} to {high}")
    return number


def _latitude(value: object) -> Decimal:
    return _degrees(value, -90, 90, "latitude")


def _longitude(value: object) -> Decimal:
    return _degrees(value, -180, 180, "longitude")


@attrs.frozen
class Coordinates:
    """A point on the map in decimal degrees (WGS 84).

    Attributes:
        latitude: degrees north (negative for south), -90 to 90.
        longitude: degrees east (negative for west), -180 to 180.
    """

    latitude: Decimal = attrs.field(converter=_latitude)
    longitude: Decimal = attrs.field(converter=_longitude)


def _name(value: str | None) -> str | None:
    if value is None:
        return None
    stripped = value.strip()
    return stripped or None


@attrs.frozen
class Place:
    """Where something is: a country and as many administrative levels as are known.

    For China the levels are province (省), prefecture-level city (市), county (县/区),
    township (乡/镇) and village (村); elsewhere use the nearest equivalent (state, city,
    county...). Only the country is required: a buyer's city is a ``Place`` too.

    Attributes:
        country: ISO 3166-1 alpha-2 code, e.g. ``CN``.
        province: province, state or region.
        city: prefecture-level city, or the city of a buyer.
        county: county or district.
        township: township or town.
        village: village (administrative or natural).
        postal_code: the postal code, if known.
        coordinates: latitude and longitude, if known.
    """

    country: str = attrs.field(converter=_country)
    province: str | None = attrs.field(default=None, converter=_name)
    city: str | None = attrs.field(default=None, converter=_name)
    county: str | None = attrs.field(default=None, converter=_name)
    township: str | None = attrs.field(default=None, converter=_name)
    village: str | None = attrs.field(default=None, converter=_name)
    postal_code: str | None = attrs.field(default=None, converter=_name)
    coordinates: Coordinates | None = None

    @property
    def divisions(self) -> tuple[str, ...]:
        """The known administrative levels, largest first."""
        levels = (self.province, self.city, self.county, self.township, self.village)
        return tuple(level for level in levels if level)

    @classmethod
    def parse(cls, text: str) -> Place:
        """The place of mainland China that ``text`` names.

        A province, city or county by name (``黄山``, ``六盘水市``), its six-digit division
        code (``341002``), or a free-text address (``安徽省黄山市屯溪区黄山西路8号``); see
        :func:`ruralseller.catalog.place_divisions.parse_address`.

        Raises:
            PlaceError: for text naming no division (with close names), a name several
                divisions share (listing them), or a place outside mainland China.

        Example:
            >>> str(Place.parse("六盘水"))
            '贵州省 六盘水市, CN'
        """
        from ruralseller.catalog.place_divisions import parse_address  # noqa: PLC0415 - cycle

        return parse_address(text).place

    def country_name(self, locale: str = "en") -> str:
        """The country's name in ``locale`` (e.g. ``中国`` for ``zh_CN``)."""
        return str(babel.Locale.parse(locale.replace("-", "_")).territories[self.country])

    def __str__(self) -> str:
        divisions = " ".join(self.divisions)
        return f"{divisions}, {self.country}" if divisions else self.country
