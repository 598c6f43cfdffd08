"""What lies between the farm's county and any county of mainland China: distance, hubs, remoteness.

A :class:`Lane` is what a route from the village to one buyer depends on besides the carrier
service: the price zone (:func:`~ruralseller.coldchain.routes.zone`), the distance by road,
the time commitment that distance earns (次日达, 隔日达…), whether the buyer lives in a rural
county beyond the city's hub (a daily feeder run, ambient), and whether the place is a remote
area (偏远地区) with a surcharge, extra days and no cold chain. :func:`lane` works it out from
the two places; :func:`~ruralseller.coldchain.routes.build_route` turns it into legs.

Destinations whose lanes have the same :attr:`Lane.key` get the same legs, so the planner
simulates each key once per service and shares it: that is how one call plans a lot to every
county.

Every number here is data with its source and a status: ``V`` checked against the source,
``P`` published but not re-checked here (or a reasonable reading of it), ``U`` our assumption,
to be replaced by the partner's contracts. See :data:`LANE_FACTS`.

Example:
    >>> from ruralseller.catalog import Place
    >>> farm = Place.parse("江西省吉安市泰和县")
    >>> to_huangshan = lane(farm, Place.parse("安徽省黄山市屯溪区"))
    >>> to_huangshan.zone, to_huangshan.road_km, to_huangshan.commitment.name
    (2, 601, '隔日达')
    >>> to_shexian = lane(farm, Place.parse("黄山市歙县"))
    >>> to_shexian.feeder, to_huangshan.feeder
    (True, False)
    >>> lane(farm, Place.parse("阿里")).remote.name
    'Tibet (西藏)'
"""

from __future__ import annotations

import datetime as dt
import math
from functools import cache

import attrs

from ruralseller.catalog import Coordinates, Money, Place
from ruralseller.catalog.place_divisions import Division, DivisionLevel, all_divisions

__all__ = [
    "COMMITMENTS",
    "EARTH_RADIUS_KM",
    "FEEDER",
    "LANE_FACTS",
    "REMOTE_AREAS",
    "ROAD_FACTOR",
    "Commitment",
    "Fact",
    "Lane",
    "RemoteArea",
    "division_of",
    "great_circle_km",
    "lane",
]


@attrs.frozen(kw_only=True)
class Fact:
    """A number the lane model rests on, with where it comes from.

    Attributes:
        name: what it is.
        value: the value, as written.
        source: where it comes from.
        status: ``V`` verified against the source, ``P`` published but not re-checked (or
            read from a range), ``U`` an assumption of ours.
    """

    name: str
    value: str
    source: str
    status: str


EARTH_RADIUS_KM = 6371.0088
"""The mean radius of the Earth (IUGG), for great-circle distances."""

ROAD_FACTOR = 1.3
"""Road distance ≈ great-circle distance × 1.3: national road circuity factors are mostly 1.2
to 1.4 (Ballou, Rahardja & Sakai 2002, Transportation Research Part A 36(9); South Korea 1.26,
Kim et al. 2015); China's own factor is not checked [P]."""


@attrs.frozen(kw_only=True)
class Commitment:
    """A carrier's time commitment by road distance, as Chinese express carriers state them.

    Attributes:
        name: how carriers say it, e.g. ``次日达`` (next day), ``隔日达`` (the day after).
        days: days from the cut-off to the delivery station.
        up_to_km: the longest road distance it covers; None for the last, open-ended one.
    """

    name: str
    days: int
    up_to_km: int | None


COMMITMENTS: tuple[Commitment, ...] = (
    Commitment(name="次日达", days=1, up_to_km=500),
    Commitment(name="隔日达", days=2, up_to_km=1200),
    Commitment(name="三日达", days=3, up_to_km=2400),
    Commitment(name="四日达", days=4, up_to_km=3500),
    Commitment(name="五日达", days=5, up_to_km=None),
)
"""Time commitments by road distance [U: the names are how SF and others state them (次日达,
隔日达), and SF's cold-chain standard express promises 2-5 days nationally (SF's product page);
the distance thresholds are ours, to be replaced by the carrier's own table for the origin]."""

# The commitment a service's zone transit (carriers.toml) already stands for: a longer lane
# adds its extra days to the line haul. Zone 3 (far provinces) is 三日达, zone 4 四日达 [U].
_ZONE_DAYS = {1: 1, 2: 2, 3: 3, 4: 4}
_DAY = dt.timedelta(days=1)


@attrs.frozen(kw_only=True)
class _Feeder:
    p50: dt.timedelta
    p90: dt.timedelta


FEEDER = _Feeder(p50=dt.timedelta(hours=6), p90=dt.timedelta(hours=24))
"""City hub → county delivery station for a county outside the city's urban districts: a
daily van, ambient, P50 6 h and P90 24 h (it may miss the day's run) [U: modelled on the
rural delivery described for the first mile, research on county logistics; cold-chain
services are assumed to end at the city hub]."""


@attrs.frozen(kw_only=True)
class RemoteArea:
    """A remote area (偏远地区): a surcharge, extra days and, often, no cold chain.

    Attributes:
        name: the area's name.
        province: its province's full name.
        prefectures: the prefecture-level divisions it covers; empty for the whole province.
        extra_p50: the extra time on a typical day.
        extra_p90: the extra time on a slow day.
        surcharge: added to each parcel's postage.
        cold_chain: whether temperature-controlled services deliver there.
        source: where it comes from.
        status: ``V``, ``P`` or ``U`` (see :class:`Fact`).
    """

    name: str
    province: str
    prefectures: tuple[str, ...] = ()
    extra_p50: dt.timedelta
    extra_p90: dt.timedelta
    surcharge: Money
    cold_chain: bool
    source: str
    status: str

    def covers(self, division: Division) -> bool:
        """Whether ``division`` lies in the area."""
        if division.province != self.province:
            return False
        if not self.prefectures:
            return True
        name = division.name if division.level is DivisionLevel.PREFECTURE else division.prefecture
        return name in self.prefectures


_REMOTE_SOURCE = (
    "Chinese parcel price lists set Xinjiang, Tibet, Qinghai, Inner Mongolia, Gansu and Ningxia "
    "apart as 偏远地区 (seen on carriers' published price lists, not checked here) [P]; which "
    "prefectures, the surcharge, the extra days and where the cold chain stops are our "
    "assumptions [U]"
)


def _remote(  # noqa: PLR0913 - one row of the table
    name: str,
    province: str,
    prefectures: str,
    hours: tuple[int, int],
    surcharge: int,
    *,
    cold_chain: bool,
) -> RemoteArea:
    return RemoteArea(
        name=name,
        province=province,
        prefectures=tuple(prefectures.split()),
        extra_p50=dt.timedelta(hours=hours[0]),
        extra_p90=dt.timedelta(hours=hours[1]),
        surcharge=Money(surcharge, "CNY"),
        cold_chain=cold_chain,
        source=_REMOTE_SOURCE,
        status="U",
    )


REMOTE_AREAS: tuple[RemoteArea, ...] = (
    _remote("Lhasa (拉萨)", "西藏自治区", "拉萨市", (6, 24), 8, cold_chain=True),
    _remote("Tibet (西藏)", "西藏自治区", "", (24, 72), 15, cold_chain=False),
    _remote(
        "Southern Xinjiang (南疆)",
        "新疆维吾尔自治区",
        "喀什地区 和田地区 阿克苏地区 克孜勒苏柯尔克孜自治州",
        (24, 60),
        12,
        cold_chain=False,
    ),
    _remote("Xinjiang (新疆)", "新疆维吾尔自治区", "", (0, 12), 8, cold_chain=True),
    _remote(
        "Qinghai plateau (青海)",
        "青海省",
        "玉树藏族自治州 果洛藏族自治州 黄南藏族自治州 海南藏族自治州 海西蒙古族藏族自治州",
        (24, 60),
        10,
        cold_chain=False,
    ),
    _remote(
        "Western and northern Inner Mongolia (内蒙古)",
        "内蒙古自治区",
        "阿拉善盟 锡林郭勒盟 呼伦贝尔市",
        (12, 36),
        6,
        cold_chain=False,
    ),
    _remote(
        "Gannan and the Hexi corridor (甘肃)",
        "甘肃省",
        "甘南藏族自治州 酒泉市 嘉峪关市",
        (12, 36),
        6,
        cold_chain=False,
    ),
)
"""Remote areas, most specific first (the first that covers a place applies) [U]."""


LANE_FACTS: tuple[Fact, ...] = (
    Fact(
        name="road factor",
        value=str(ROAD_FACTOR),
        source="national road circuity factors 1.2-1.4 (Ballou, Rahardja & Sakai 2002; "
        "Kim et al. 2015: South Korea 1.26); not checked for China",
        status="P",
    ),
    Fact(
        name="division seats",
        value="3,212 divisions with coordinates",
        source="cpca 0.5.5 adcodes.csv (MIT), with our table of changes since",
        status="P",
    ),
    Fact(
        name="time commitments",
        value=", ".join(f"{c.name} ≤ {c.up_to_km} km" for c in COMMITMENTS if c.up_to_km),
        source="names as carriers state them; SF cold chain 2-5 days nationally (SF product "
        "page); thresholds ours",
        status="U",
    ),
    Fact(
        name="county feeder",
        value="P50 6 h, P90 24 h, ambient",
        source="our assumption: a daily van from the city hub to a rural county",
        status="U",
    ),
    Fact(
        name="remote areas",
        value=f"{len(REMOTE_AREAS)} areas",
        source=_REMOTE_SOURCE,
        status="U",
    ),
)
"""The facts behind lanes, each with its source and status, for reports and docs."""


def great_circle_km(a: Coordinates, b: Coordinates) -> float:
    """The great-circle (haversine) distance between two points in kilometres.

    Example:
        >>> round(great_circle_km(Coordinates("39.9042", "116.4074"),
        ...                       Coordinates("31.2304", "121.4737")))
        1067
    """
    lat1, lon1, lat2, lon2 = (
        math.radians(float(value)) for value in (a.latitude, a.longitude, b.latitude, b.longitude)
    )
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


@cache
def _by_names() -> dict[tuple[str | None, str | None, str | None], Division]:
    index: dict[tuple[str | None, str | None, str | None], Division] = {}
    for division in all_divisions():
        place = division.place
        index.setdefault((place.province, place.city, place.county), division)
        if division.level is DivisionLevel.COUNTY:
            index.setdefault((place.province, None, place.county), division)
    return index


@cache
def _province_names() -> dict[str, str]:
    names = {}
    for division in all_divisions(DivisionLevel.PROVINCE):
        names[division.name] = division.name
        names[division.short] = division.name
    return names


def division_of(place: Place) -> Division | None:
    """The smallest division of mainland China that ``place`` names, or None.

    Province, city and county are matched by their full names as
    :meth:`Place.parse <ruralseller.catalog.Place.parse>` writes them (the province may be
    short); a county not found falls back to its city, a city to its province.

    Example:
        >>> division_of(Place(country="CN", province="安徽", city="黄山市", county="歙县")).code
        '341021'
    """
    if place.country != "CN" or place.province is None:
        return None
    province = _province_names().get(place.province.strip())
    if province is None:
        return None
    index = _by_names()
    city = place.city
    if city is not None and city.strip() and not city.endswith(("市", "州", "盟", "地区")):
        city = f"{city}市"
    for key in (
        (province, city, place.county),
        (province, None, place.county),
        (province, city, None),
    ):
        found = index.get(key)
        if found is not None:
            return found
    return index.get((province, None, None)) or index.get((province, province, None))


@attrs.frozen(kw_only=True)
class Lane:
    """What a route from the origin to one destination depends on besides the service.

    Attributes:
        zone: the price zone (1-4).
        distance_km: the great-circle distance between the two seats, when both are known.
        road_km: the road distance (``distance_km`` × :data:`ROAD_FACTOR`).
        commitment: the time commitment the road distance earns; None when unknown.
        extra_days: days the line haul takes beyond what the service's zone transit covers.
        feeder: whether the buyer is in a county beyond the city's hub (an ambient feeder).
        remote: the remote area the buyer lives in, if any.
        destination: the buyer's division, when known.
    """

    zone: int
    distance_km: int | None = None
    road_km: int | None = None
    commitment: Commitment | None = None
    extra_days: int = 0
    feeder: bool = False
    remote: RemoteArea | None = None
    destination: Division | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def key(self) -> tuple[int, int, bool, str | None]:
        """What decides the legs: destinations with one key share their simulated journeys."""
        return (self.zone, self.extra_days, self.feeder, self.remote.name if self.remote else None)

    @property
    def extra(self) -> tuple[dt.timedelta, dt.timedelta]:
        """The line haul's extra P50 and P90: the extra days, plus the remote area's time."""
        days = self.extra_days * _DAY
        if self.remote is None:
            return days, days
        return days + self.remote.extra_p50, days + self.remote.extra_p90

    @property
    def surcharge(self) -> Money | None:
        """The remote-area surcharge per parcel, if any."""
        return self.remote.surcharge if self.remote is not None else None

    def refusal(self, temperature_controlled: bool, name: str) -> str | None:  # noqa: FBT001
        """Why a service (temperature-controlled or not) does not deliver here, or None."""
        if temperature_controlled and self.remote is not None and not self.remote.cold_chain:
            where = self.destination.name if self.destination is not None else self.remote.name
            return (
                f"{name} does not deliver to {where}: {self.remote.name} is a remote area "
                "(偏远地区) without cold-chain delivery [assumption: check with the carrier]"
            )
        return None


def _commitment(road_km: float) -> Commitment:
    for commitment in COMMITMENTS:
        if commitment.up_to_km is None or road_km <= commitment.up_to_km:
            return commitment
    return COMMITMENTS[-1]


def _remote_area(division: Division | None) -> RemoteArea | None:
    if division is None:
        return None
    return next((area for area in REMOTE_AREAS if area.covers(division)), None)


def lane(origin: Place, destination: Place, *, zone_number: int | None = None) -> Lane:
    """The lane from ``origin`` to ``destination`` (see :class:`Lane`).

    Coordinates come from the places when they have them, else from their divisions.

    Raises:
        PlaceError: for a place outside mainland China or without a province.
    """
    from ruralseller.coldchain.routes import zone  # noqa: PLC0415 - routes imports lanes

    number = zone(origin, destination) if zone_number is None else zone_number
    start, end = division_of(origin), division_of(destination)
    here = origin.coordinates or (start.coordinates if start is not None else None)
    there = destination.coordinates or (end.coordinates if end is not None else None)
    distance = road = None
    commitment = None
    extra = 0
    if here is not None and there is not None:
        exact = great_circle_km(here, there)
        distance, road = round(exact), round(exact * ROAD_FACTOR)
        commitment = _commitment(exact * ROAD_FACTOR)
        extra = max(0, commitment.days - _ZONE_DAYS.get(number, commitment.days))
    feeder = (
        end is not None
        and end.level is DivisionLevel.COUNTY
        and not end.urban
        and destination.county is not None
    )
    return Lane(
        zone=number,
        distance_km=distance,
        road_km=road,
        commitment=commitment,
        extra_days=extra,
        feeder=feeder,
        remote=_remote_area(end),
        destination=end,
    )
