"""Lanes: distance, time commitments, county feeders and remote areas (issue 26)."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ruralseller.catalog import Coordinates, Money, Place, all_divisions, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.coldchain import (
    COMMITMENTS,
    EXAMPLE_CITIES,
    FEEDER,
    LANE_FACTS,
    REMOTE_AREAS,
    ROAD_FACTOR,
    Coverage,
    LegKind,
    build_route,
    division_of,
    get_service,
    great_circle_km,
    lane,
    plan_shipment,
    zone,
)
from ruralseller.coldchain.routes import CHINA_STANDARD_TIME
from ruralseller.errors import InvalidValueError

FARM = Place.parse("江西省吉安市泰和县")
SAMPLE = load_catalog(sample_path())
SF = get_service("sf-cold-standard-chilled")
AMBIENT = get_service("ambient-express")
MORNING = dt.datetime(2026, 11, 23, 8, tzinfo=CHINA_STANDARD_TIME)
SHIP = MORNING

points = st.builds(
    Coordinates,
    st.decimals(min_value=18, max_value=53, places=3),
    st.decimals(min_value=73, max_value=135, places=3),
)


@settings(max_examples=100, deadline=None)
@given(a=points, b=points, c=points)
def test_great_circle_is_a_distance(a: Coordinates, b: Coordinates, c: Coordinates) -> None:
    assert great_circle_km(a, a) == 0
    assert great_circle_km(a, b) == pytest.approx(great_circle_km(b, a))
    assert great_circle_km(a, c) <= great_circle_km(a, b) + great_circle_km(b, c) + 1e-6
    assert great_circle_km(a, b) <= 3.1416 * 6371.0088 + 1e-6


def test_a_known_distance() -> None:
    """Beijing to Shanghai is about 1,070 km as the crow flies (1,318 km by the G2)."""
    beijing, shanghai = Coordinates("39.9042", "116.4074"), Coordinates("31.2304", "121.4737")
    assert great_circle_km(beijing, shanghai) == pytest.approx(1067, abs=3)
    assert 1.2 <= ROAD_FACTOR <= 1.4


def test_commitments_grow_with_distance() -> None:
    days = [c.days for c in COMMITMENTS]
    limits = [c.up_to_km for c in COMMITMENTS if c.up_to_km is not None]
    assert days == sorted(days)
    assert limits == sorted(limits)
    assert COMMITMENTS[-1].up_to_km is None


@pytest.mark.parametrize(
    ("city", "zone_number", "extra_days"),
    [("广州", 2, 0), ("上海", 3, 0), ("北京", 3, 0), ("哈尔滨", 3, 1), ("乌鲁木齐", 4, 1)],
)
def test_far_cities_take_extra_days_beyond_their_zone(
    city: str, zone_number: int, extra_days: int
) -> None:
    """Harbin is 3,000 km by road but zone 3 like Shanghai: a day more on the road."""
    path = lane(FARM, Place.parse(city))
    assert (path.zone, path.extra_days) == (zone_number, extra_days)
    assert path.distance_km is not None
    assert path.road_km == pytest.approx(path.distance_km * ROAD_FACTOR, abs=1)


def test_extra_days_lengthen_the_line_haul() -> None:
    harbin = build_route(FARM, Place.parse("哈尔滨"), SF, MORNING)
    beijing = build_route(FARM, Place.parse("北京"), SF, MORNING)
    haul = next(leg for leg in harbin.legs if leg.kind is LegKind.LINE_HAUL)
    assert haul.p50 == SF.transit_time(3).p50 + dt.timedelta(days=1)
    assert "四日达" in haul.name
    assert harbin.duration("p50") - beijing.duration("p50") == dt.timedelta(days=1)


def test_a_rural_county_gets_an_ambient_feeder_a_district_does_not() -> None:
    shexian = build_route(FARM, Place.parse("黄山市歙县"), SF, MORNING)
    tunxi = build_route(FARM, Place.parse("黄山市屯溪区"), SF, MORNING)
    feeders = [leg for leg in shexian.legs if leg.name.startswith("feeder")]
    assert len(feeders) == 1
    assert not feeders[0].controlled
    assert (feeders[0].p50, feeders[0].p90) == (FEEDER.p50, FEEDER.p90)
    assert not [leg for leg in tunxi.legs if leg.name.startswith("feeder")]
    assert shexian.duration("p90") - tunxi.duration("p90") == FEEDER.p90


def test_remote_areas() -> None:
    ngari = lane(FARM, Place.parse("阿里地区"))
    lhasa = lane(FARM, Place.parse("拉萨"))
    assert ngari.remote is not None
    assert not ngari.remote.cold_chain
    assert lhasa.remote is not None
    assert lhasa.remote.cold_chain
    assert lane(FARM, Place.parse("黄山")).remote is None
    refusal = ngari.refusal(temperature_controlled=True, name=SF.name)
    assert refusal is not None
    assert "偏远地区" in refusal
    assert ngari.refusal(temperature_controlled=False, name=AMBIENT.name) is None
    everywhere = attrs.evolve(SF, coverage=Coverage())
    with pytest.raises(InvalidValueError, match="偏远地区"):
        build_route(FARM, Place.parse("阿里地区噶尔县"), everywhere, MORNING)
    assert build_route(FARM, Place.parse("拉萨"), everywhere, MORNING).legs


def test_every_remote_area_names_real_prefectures_with_a_source() -> None:
    prefectures = {d.name: d.province for d in all_divisions() if d.level.value == "prefecture"}
    for area in REMOTE_AREAS:
        assert area.source
        assert area.status in {"V", "P", "U"}
        assert area.extra_p90 >= area.extra_p50
        for name in area.prefectures:
            assert prefectures[name] == area.province, name
    assert all(fact.status in {"V", "P", "U"} and fact.source for fact in LANE_FACTS)


def test_the_remote_surcharge_is_in_the_postage() -> None:
    """Eggs travel ambient; to Ngari they pay the remote-area surcharge on top."""
    lot = next(
        lot for lot in SAMPLE.lots if SAMPLE.product_of(lot).storage_class.value == "ambient"
    )
    plan = plan_shipment(SAMPLE, lot.id, ["阿里地区", "西宁"], SHIP)
    ngari, xining = (
        next(o for o in d.options if o.service.id == "ambient-express") for d in plan.destinations
    )
    assert ngari.lane is not None
    assert ngari.lane.surcharge == Money(15, "CNY")
    assert ngari.postage is not None
    assert xining.postage is not None
    assert ngari.postage - xining.postage == Money(15, "CNY")
    cold = next(o for o in plan.destinations[0].options if o.service.id == SF.id)
    assert not cold.feasible


def test_division_of_a_place() -> None:
    assert division_of(Place(country="CN", province="安徽", city="黄山", county="歙县")).code == (
        "341021"
    )
    # A district the data does not know falls back to its city, a city to its province.
    assert division_of(
        Place(country="CN", province="广东省", city="广州市", county="开发区")
    ).code == ("440100")
    assert division_of(Place(country="CN", province="江西")).code == "360000"
    assert division_of(Place(country="HK")) is None
    assert division_of(Place(country="CN", province="Atlantis")) is None


def test_example_cities_keep_their_routes_where_the_zone_already_covers_them() -> None:
    """For the 100 example cities, a lane that adds nothing leaves the route as it was.

    Only cities farther by road than their zone stands for (the northeast, Xinjiang) or in a
    remote area (Lhasa, Xinjiang) change; every other keeps the zone's transit exactly.
    """
    changed = []
    for city in EXAMPLE_CITIES:
        path = lane(FARM, city.place)
        route = build_route(FARM, city.place, AMBIENT, MORNING)
        haul = next(leg for leg in route.legs if leg.kind is LegKind.LINE_HAUL)
        transit = AMBIENT.transit_time(zone(FARM, city.place))
        if path.extra_days == 0 and path.remote is None:
            assert (haul.p50, haul.p90) == (transit.p50, transit.p90), city.zh
            assert not path.feeder
        else:
            changed.append(city.zh)
    assert set(changed) == {
        "哈尔滨",
        "大庆",
        "齐齐哈尔",
        "长春",
        "吉林",
        "乌鲁木齐",
        "克拉玛依",
        "拉萨",
    }
