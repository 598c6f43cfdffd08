"""Provinces, zones, cities, legs and routes from the village to the buyer."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from ruralseller.catalog import Mass, Place, Temperature
from ruralseller.coldchain.routes import (
    CHINA_STANDARD_TIME,
    DEFAULT_FIRST_MILE,
    EXAMPLE_CITIES,
    PROVINCES,
    FirstMile,
    Leg,
    LegKind,
    Route,
    build_route,
    find_city,
    find_province,
    neighbours,
    zone,
)
from ruralseller.coldchain.services import EXAMPLE_SERVICES, get_service
from ruralseller.errors import InvalidValueError, PlaceError
from ruralseller.packaging.materials import BUILTIN
from ruralseller.packaging.thermal import (
    SOUTH_CHINA_SUMMER,
    AmbientProfile,
    HoldLimit,
    hold_time_profile,
)

CST = CHINA_STANDARD_TIME
FARM = Place(
    country="CN",
    province="江西省",
    city="吉安市",
    county="泰和县",
    township="武山镇",
    village="汪陂村",
)
SF = get_service("sf-cold-standard-chilled")
AMBIENT = get_service("ambient-express")
MORNING = dt.datetime(2026, 7, 1, 8, tzinfo=CST)
HOUR = dt.timedelta(hours=1)


def province(name: str) -> Place:
    return Place(country="CN", province=name)


# --- provinces and zones ------------------------------------------------------------------------


def test_the_31_mainland_provinces() -> None:
    assert len(PROVINCES) == 31
    for attribute in ("code", "zh", "short", "en"):
        values = [getattr(p, attribute) for p in PROVINCES]
        assert len(set(values)) == 31, attribute
    assert {p.en for p in PROVINCES if p.remote} == {
        "Xinjiang",
        "Tibet",
        "Qinghai",
        "Gansu",
        "Ningxia",
        "Inner Mongolia",
    }


def test_the_adjacency_table_agrees_from_both_sides() -> None:
    for here in PROVINCES:
        around = neighbours(here.zh)
        assert around, here.en
        assert here not in around
        for there in around:
            assert here in neighbours(there.en), (here.en, there.en)


@pytest.mark.parametrize(
    "name",
    ["江西省", "江西", "Jiangxi", "jiangxi", "  JIANGXI ", "Jiangxi Province", "Jiangxi Sheng"],
)
def test_find_province_accepts_chinese_and_english(name: str) -> None:
    assert find_province(name).zh == "江西省"


@pytest.mark.parametrize(
    ("name", "en"),
    [
        ("广西壮族自治区", "Guangxi"),
        ("Guangxi Zhuang Autonomous Region", "Guangxi"),
        ("内蒙古", "Inner Mongolia"),
        ("Nei Mongol", "Inner Mongolia"),
        ("Neimenggu", "Inner Mongolia"),
        ("Xizang", "Tibet"),
        ("Xinjiang Uyghur Autonomous Region", "Xinjiang"),
        ("北京", "Beijing"),
        ("北京市", "Beijing"),
        ("Shaanxi", "Shaanxi"),
        ("Shanxi", "Shanxi"),
    ],
)
def test_find_province_knows_other_names(name: str, en: str) -> None:
    assert find_province(name).en == en


def test_an_unknown_province_is_a_clear_error() -> None:
    with pytest.raises(PlaceError, match="unknown province 'Jiangxii'") as caught:
        find_province("Jiangxii")
    assert isinstance(caught.value, InvalidValueError)
    assert caught.value.hint.startswith("did you mean 'Jiangxi'")
    assert "江西省 or 江西" in caught.value.hint
    with pytest.raises(PlaceError, match="not a mainland province") as caught:
        find_province("香港")
    assert "HK" in caught.value.hint
    with pytest.raises(PlaceError, match="must be a name"):
        find_province("")


@pytest.mark.parametrize(
    ("destination", "expected"),
    [("江西", 1), ("广东省", 2), ("Beijing", 3), ("新疆", 4), ("Hunan", 2), ("Yunnan", 3)],
)
def test_zones_from_jiangxi(destination: str, expected: int) -> None:
    assert zone(FARM, province(destination)) == expected


def test_zones_are_symmetric() -> None:
    for here, there in itertools.product(PROVINCES, repeat=2):
        a, b = province(here.zh), province(there.en)
        assert zone(a, b) == zone(b, a), (here.en, there.en)


def test_zones_within_a_remote_province_are_local() -> None:
    assert zone(province("新疆"), province("Xinjiang")) == 1
    assert zone(province("Gansu"), province("Qinghai")) == 4  # remote beats neighbouring


def test_zone_needs_two_mainland_places_with_provinces() -> None:
    with pytest.raises(PlaceError, match="not in mainland China"):
        zone(FARM, Place(country="HK"))
    with pytest.raises(PlaceError, match="does not name its province") as caught:
        zone(Place(country="CN", county="泰和县"), FARM)
    assert "find_city" in caught.value.hint
    with pytest.raises(PlaceError, match="unknown province 'Guangdon'"):
        zone(FARM, province("Guangdon"))
    with pytest.raises(InvalidValueError, match="must be a Place"):
        zone(FARM, "广州")  # type: ignore[arg-type]


# --- cities ------------------------------------------------------------------------------------


def test_example_cities() -> None:
    assert 80 <= len(EXAMPLE_CITIES) <= 120
    for attribute in ("zh", "en"):
        names = [getattr(city, attribute).casefold() for city in EXAMPLE_CITIES]
        assert len(set(names)) == len(names), attribute
    capitals = {city.zh for city in EXAMPLE_CITIES}
    assert {p.capital_zh for p in PROVINCES} <= capitals
    assert all(find_province(city.province).zh == city.province for city in EXAMPLE_CITIES)


@pytest.mark.parametrize(
    "name", ["广州", "广州市", "Guangzhou", "guangzhou", "GUANGZHOU", " Guangzhou City ", "Canton"]
)
def test_find_city_in_any_spelling(name: str) -> None:
    assert find_city(name) == Place(country="CN", province="广东省", city="广州市")


@pytest.mark.parametrize(
    ("name", "zh"),
    [("Xi'an", "西安市"), ("xian", "西安市"), ("Ji’an", "吉安市"), ("Urumchi", "乌鲁木齐市")],
)
def test_find_city_with_apostrophes_and_old_spellings(name: str, zh: str) -> None:
    assert find_city(name).city == zh


def test_an_unknown_city_lists_close_matches() -> None:
    with pytest.raises(PlaceError, match="unknown city 'Guangzou'") as caught:
        find_city("Guangzou")
    assert caught.value.hint.startswith("did you mean Guangzhou (广州)")
    with pytest.raises(PlaceError, match="unknown city 'Atlantis'") as caught:
        find_city("Atlantis")
    # Issue 26: the hint no longer tells a CLI user to write Python; it says what to write.
    assert "Place(" not in caught.value.hint
    assert "黄山" in caught.value.hint


@pytest.mark.parametrize(
    ("name", "province", "city"),
    [
        ("黄山", "安徽省", "黄山市"),
        ("六盘水", "贵州省", "六盘水市"),
        ("丽江市", "云南省", "丽江市"),
        ("延边", "吉林省", "延边朝鲜族自治州"),
        ("阿勒泰", "新疆维吾尔自治区", "阿勒泰地区"),
        ("襄樊", "湖北省", "襄阳市"),
    ],
)
def test_find_city_knows_every_prefecture(name: str, province: str, city: str) -> None:
    assert find_city(name) == Place(country="CN", province=province, city=city)


def test_find_city_is_a_city_not_a_county() -> None:
    with pytest.raises(PlaceError, match="unknown city '歙县'") as caught:
        find_city("歙县")
    assert caught.value.hint.endswith(
        "is a county, not a prefecture-level city; its city is 黄山市"
    )
    with pytest.raises(PlaceError, match="unknown city '仙桃'") as caught:
        find_city("仙桃")
    assert caught.value.hint.endswith("湖北省 runs it directly")
    with pytest.raises(PlaceError, match="ambiguous"):
        find_city("朝阳区")


# --- legs --------------------------------------------------------------------------------------


def leg(**changes: object) -> Leg:
    fields: dict[str, object] = {
        "name": "line haul",
        "kind": LegKind.LINE_HAUL,
        "p50": dt.timedelta(hours=20),
        "p90": dt.timedelta(hours=30),
    }
    return Leg(**{**fields, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"p90": dt.timedelta(hours=10)}, "p90", "shorter than p50"),
        ({"p50": dt.timedelta(hours=-1)}, "p50", "zero or more"),
        ({"p50": 20}, "p50", "zero or more"),
        ({"controlled": True}, "setpoint", "needs its setpoint"),
        ({"setpoint": Temperature(2, "°C")}, "setpoint", "ambient leg has no setpoint"),
        ({"name": ""}, "name", "must not be empty"),
    ],
)
def test_a_leg_is_checked(changes: dict[str, object], field: str, message: str) -> None:
    with pytest.raises(InvalidValueError, match=message) as caught:
        leg(**changes)
    assert caught.value.field == field


def test_a_dwell_may_be_shorter_on_a_bad_day() -> None:
    dwell = leg(kind=LegKind.DWELL, p50=dt.timedelta(hours=5), p90=dt.timedelta(hours=1))
    assert dwell.duration("p50") > dwell.duration("p90")
    with pytest.raises(InvalidValueError, match="unknown scenario 'p95'"):
        dwell.duration("p95")  # type: ignore[arg-type]


def test_the_first_mile_is_ambient() -> None:
    assert [item.kind for item in DEFAULT_FIRST_MILE.legs] == [LegKind.FIRST_MILE] * 2
    assert not any(item.controlled for item in DEFAULT_FIRST_MILE.legs)
    cold = leg(kind=LegKind.FIRST_MILE, controlled=True, setpoint=Temperature(2, "°C"))
    with pytest.raises(InvalidValueError, match="ambient first-mile Leg") as caught:
        FirstMile(county_to_hub=cold)
    assert caught.value.field == "county_to_hub"
    with pytest.raises(InvalidValueError, match="ambient first-mile Leg"):
        FirstMile(township_to_county=leg())
    assert FirstMile(village_to_township=None, township_to_county=None).legs == ()


# --- routes ------------------------------------------------------------------------------------


def test_a_route_has_its_legs_in_order() -> None:
    route = build_route(FARM, find_city("广州"), SF, MORNING)
    assert route.zone == 2
    assert route.service_id == SF.id
    assert [item.kind for item in route.legs] == [
        LegKind.FIRST_MILE,
        LegKind.FIRST_MILE,
        LegKind.DWELL,
        LegKind.LINE_HAUL,
        LegKind.LAST_MILE,
    ]
    first_mile, dwell, line_haul, last_mile = route.legs[:2], *route.legs[2:]
    assert not any(item.controlled for item in first_mile)
    assert dwell.controlled  # SF keeps parcels in a cold warehouse
    assert dwell.setpoint == line_haul.setpoint == last_mile.setpoint == Temperature(2, "°C")
    assert (line_haul.p50, line_haul.p90) == (SF.transit_time(2).p50, SF.transit_time(2).p90)


def test_an_ambient_service_has_no_controlled_leg() -> None:
    route = build_route(FARM, find_city("Shanghai"), AMBIENT, MORNING)
    assert route.zone == 3
    assert not any(item.controlled for item in route.legs)
    assert all(item.setpoint is None for item in route.legs)


def test_missing_the_cutoff_adds_a_day() -> None:
    # P50 first mile is 9 h: handed in at 08:00 the parcel makes the 18:00 cut-off, at
    # 10:00 it arrives at 19:00 and waits for tomorrow's.
    early = build_route(FARM, find_city("广州"), SF, MORNING)
    late = build_route(FARM, find_city("广州"), SF, MORNING + 2 * HOUR)
    assert early.legs[2].p50 == HOUR
    assert late.legs[2].p50 == 23 * HOUR
    assert late.arrival("p50") - early.arrival("p50") == dt.timedelta(days=1)
    assert early.arrival("p50") == dt.datetime(2026, 7, 3, 8, tzinfo=CST)


def test_the_dwell_follows_the_arrival_of_each_scenario() -> None:
    route = build_route(FARM, find_city("广州"), SF, MORNING)
    # P90 first mile is 30 h: the parcel reaches the hub at 14:00 the next day.
    assert route.legs[2].p90 == 4 * HOUR
    assert route.schedule("p90")[3].start == 34 * HOUR


def test_the_clock_is_china_standard_time_whatever_zone_ship_at_is_in() -> None:
    in_utc = MORNING.astimezone(dt.UTC)
    assert build_route(FARM, find_city("广州"), SF, in_utc).legs == (
        build_route(FARM, find_city("广州"), SF, MORNING).legs
    )


@pytest.mark.parametrize("service", EXAMPLE_SERVICES, ids=lambda s: s.id)
@pytest.mark.parametrize("city", ["南昌", "广州", "上海", "Chengdu", "Urumqi"])
@pytest.mark.parametrize("hour", [0, 8, 17, 23])
def test_p50_is_never_longer_than_p90(service: object, city: str, hour: int) -> None:
    destination = find_city(city)
    if service.serves(destination) is not None:  # type: ignore[attr-defined]
        pytest.skip("not served")
    route = build_route(FARM, destination, service, MORNING.replace(hour=hour))  # type: ignore[arg-type]
    assert route.duration("p50") <= route.duration("p90")
    assert route.arrival("p90") == route.ship_at + route.duration("p90")


def test_the_schedule_is_contiguous_and_marks_its_legs() -> None:
    route = build_route(FARM, find_city("北京"), AMBIENT, MORNING)
    for scenario in ("p50", "p90"):
        schedule = route.schedule(scenario)
        assert schedule[0].start == dt.timedelta(0)
        assert all(a.end == b.start for a, b in itertools.pairwise(schedule))
        assert schedule[-1].end == route.duration(scenario)
        assert sum((item.duration for item in schedule), dt.timedelta(0)) == schedule[-1].end
    marks = route.leg_marks("p50")
    assert [name for _, name in marks] == [*(item.name for item in route.legs), "delivered"]
    assert [offset for offset, _ in marks] == [
        *(item.start for item in route.schedule("p50")),
        route.duration("p50"),
    ]


def test_build_route_refuses_bad_input() -> None:
    with pytest.raises(InvalidValueError, match="with its time zone"):
        build_route(FARM, find_city("广州"), SF, dt.datetime(2026, 7, 1, 8))  # noqa: DTZ001
    with pytest.raises(InvalidValueError, match="does not deliver to 北京市") as caught:
        build_route(FARM, find_city("北京"), get_service("sf-cold-to-home"), MORNING)
    assert "choose a service" in caught.value.hint
    with pytest.raises(PlaceError, match="does not name its province"):
        build_route(Place(country="CN", county="泰和县"), find_city("广州"), SF, MORNING)
    with pytest.raises(InvalidValueError, match="first_mile must be a FirstMile"):
        build_route(FARM, find_city("广州"), SF, MORNING, first_mile=())  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="unknown scenario"):
        build_route(FARM, find_city("广州"), SF, MORNING).duration("P90")  # type: ignore[arg-type]


def test_a_route_is_checked_when_built() -> None:
    with pytest.raises(InvalidValueError, match="at least one Leg"):
        Route(
            origin=FARM,
            destination=FARM,
            service_id="x",
            service_name="x",
            zone=1,
            ship_at=MORNING,
            legs=[],
        )


def test_an_extra_leg_to_a_city_cold_store() -> None:
    to_nanchang = leg(kind=LegKind.FIRST_MILE, name="county hub → 南昌 cold store")
    route = build_route(
        FARM, find_city("广州"), SF, MORNING, first_mile=FirstMile(county_to_hub=to_nanchang)
    )
    assert route.legs[2] is to_nanchang
    assert route.legs[3].kind is LegKind.DWELL


# --- the ambient the box sees ---------------------------------------------------------------------


def test_ambient_follows_the_outside_on_ambient_legs_and_the_setpoint_on_controlled_ones() -> None:
    route = build_route(FARM, find_city("广州"), SF, MORNING)
    for scenario in ("p50", "p90"):
        box = route.ambient(SOUTH_CHINA_SUMMER, scenario)
        assert box.duration == route.duration(scenario)
        assert box.points[0][0] == dt.timedelta(0)
        for item in route.schedule(scenario):
            middle = item.start + item.duration / 2
            seen = box.temperature_at(middle)
            if item.leg.controlled:
                assert seen == Temperature(2, "°C"), item.leg.name
            else:
                # Shipped at 08:00, the summer profile's own start, so no shift.
                assert abs(seen.celsius - SOUTH_CHINA_SUMMER.temperature_at(middle).celsius) < 1
    box = route.ambient(SOUTH_CHINA_SUMMER, "p50")
    assert box.temperature_at(7 * HOUR) == Temperature(36, "°C")  # 15:00 in the van
    assert box.temperature_at(dt.timedelta(0)) == SOUTH_CHINA_SUMMER.temperature_at(dt.timedelta(0))


def test_ambient_is_read_by_the_clock() -> None:
    # Shipped at 14:00: one hour later it is 15:00, the warmest hour of the day.
    route = build_route(FARM, find_city("广州"), AMBIENT, MORNING.replace(hour=14))
    box = route.ambient(SOUTH_CHINA_SUMMER, "p50")
    assert box.temperature_at(HOUR) == Temperature(36, "°C")
    assert box.temperature_at(13 * HOUR) == Temperature(24, "°C")  # 03:00
    assert box.name.endswith(f"along {AMBIENT.name}, p50")


def test_a_step_to_the_setpoint_is_a_one_minute_ramp() -> None:
    route = build_route(FARM, find_city("广州"), SF, MORNING)
    box = route.ambient(SOUTH_CHINA_SUMMER, "p50")
    cold_from = route.schedule("p50")[2].start  # the cold-store dwell
    assert box.temperature_at(cold_from + dt.timedelta(minutes=1)) == Temperature(2, "°C")
    assert box.temperature_at(cold_from) > Temperature(30, "°C")
    times = [moment for moment, _ in box.points]
    assert times == sorted(set(times))


def test_a_profile_of_points_starts_at_hand_in_and_must_cover_the_journey() -> None:
    route = build_route(FARM, find_city("南昌"), AMBIENT, MORNING)
    hours = int(route.duration("p90") / HOUR) + 1
    forecast = AmbientProfile.hourly([Temperature(20 + h % 5, "°C") for h in range(hours + 1)])
    box = route.ambient(forecast, "p90")
    assert box.temperature_at(3 * HOUR) == Temperature(23, "°C")
    short = AmbientProfile.constant(Temperature(30, "°C"), dt.timedelta(hours=12))
    assert route.ambient(short, "p50").temperature_at(HOUR) == Temperature(30, "°C")
    short_points = AmbientProfile.hourly([Temperature(30, "°C")] * 13)
    with pytest.raises(InvalidValueError, match="covers 12 h, but the journey takes") as caught:
        route.ambient(short_points, "p90")
    assert "day_night" in caught.value.hint
    with pytest.raises(InvalidValueError, match="must be an AmbientProfile"):
        route.ambient(Temperature(30, "°C"), "p90")  # type: ignore[arg-type]


PACK = {
    "container": BUILTIN.container("eps-40x30x30-3cm"),
    "coolant": BUILTIN.coolant("ice-1kg"),
    "coolant_mass": Mass(4, "kg"),
    "payload_mass": Mass("2.5", "kg"),
    "payload_cp": 3.3,
    "payload_start": Temperature(2, "°C"),
    "payload_max": Temperature(4, "°C"),
    "stop_at_end": True,
}


def hold(service_id: str, scenario: str) -> tuple[dt.timedelta, HoldLimit, dt.timedelta]:
    route = build_route(FARM, find_city("广州"), get_service(service_id), MORNING)
    profile = route.ambient(SOUTH_CHINA_SUMMER, scenario)  # type: ignore[arg-type]
    held = hold_time_profile(profile=profile, **PACK)  # type: ignore[arg-type]
    hub = route.schedule(scenario)[2].start  # type: ignore[arg-type]
    return held.duration, held.limited_by, hub


def test_the_packaging_thermal_model_runs_over_a_route() -> None:
    # A typical day: 9 h in summer vans, then the cold chain keeps the pack cold to the door,
    # while on the ambient express the ice runs out on the way.
    cold, cold_limit, _ = hold("sf-cold-standard-chilled", "p50")
    warm, warm_limit, _ = hold("ambient-express", "p50")
    assert cold_limit is HoldLimit.PROFILE_END
    assert warm_limit is HoldLimit.COOLANT
    assert cold > warm
    # A bad day: 30 h in vans before the hub; the pack fails before the cold chain starts.
    cold, cold_limit, hub = hold("sf-cold-standard-chilled", "p90")
    warm, _, _ = hold("ambient-express", "p90")
    assert cold_limit is HoldLimit.COOLANT
    assert cold == warm < hub
