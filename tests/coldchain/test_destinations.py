"""Any buyer's place, and one lot planned to every city and county (issue 26)."""

from __future__ import annotations

import datetime as dt

import pytest

from ruralseller.catalog import Place, find_division, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.coldchain import (
    CHINA_STANDARD_TIME,
    PROVINCES,
    all_counties,
    all_prefectures,
    by_province,
    find_place,
    plan_shipment,
    summary_dict,
)
from ruralseller.errors import PlaceError

SAMPLE = load_catalog(sample_path())
SHIP = dt.datetime(2026, 11, 23, 8, tzinfo=CHINA_STANDARD_TIME)
LOT = "WJ261123A"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Shanghai", "上海市 上海市, CN"),
        ("guangzhou", "广东省 广州市, CN"),
        ("Jiangxi", "江西省, CN"),
        ("黄山", "安徽省 黄山市, CN"),
        ("歙县", "安徽省 黄山市 歙县, CN"),
        ("341021", "安徽省 黄山市 歙县, CN"),
        ("安徽省黄山市屯溪区黄山西路8号", "安徽省 黄山市 屯溪区, CN"),
    ],
)
def test_find_place(text: str, expected: str) -> None:
    assert str(find_place(text)) == expected


def test_find_place_errors_say_what_to_write() -> None:
    with pytest.raises(PlaceError, match="unknown place 'Guangzou'") as caught:
        find_place("Guangzou")
    assert caught.value.hint.startswith("did you mean Guangzhou")
    with pytest.raises(PlaceError, match=r"ambiguous: 北京市 朝阳区 .*吉林省 长春市 朝阳区"):
        find_place("朝阳区")
    for outside in ("Hong Kong", "香港", "台湾", "Taiwan"):
        with pytest.raises(PlaceError, match="mainland"):
            find_place(outside)
    with pytest.raises(PlaceError, match="must be text"):
        find_place("")
    for error in (caught.value,):
        assert "Place(" not in error.hint


def test_every_city_and_county() -> None:
    prefectures, counties = all_prefectures(), all_counties()
    assert len(prefectures) == 337  # 333 prefecture-level divisions and 4 municipalities
    assert len(set(prefectures)) == len(prefectures)
    assert {place.province for place in prefectures} == {p.zh for p in PROVINCES}
    assert 2800 <= len(counties) <= 2900
    assert all(place.county and place.coordinates for place in counties)


@pytest.mark.parametrize(
    "text", ["黄山", "六盘水", "丽江", "延边", "阿勒泰", "安徽省黄山市屯溪区黄山西路8号"]
)
def test_the_partners_places_get_a_verdict_and_a_reason(text: str) -> None:
    """The issue's places: never "unknown city"; reachable, or every option says why not."""
    plan = plan_shipment(SAMPLE, LOT, [text], SHIP)
    (destination,) = plan.destinations
    if destination.feasible:
        assert destination.best is not None
        assert destination.best.cost is not None
    else:
        assert all(option.reasons for option in destination.options)


def test_one_lot_to_every_county_in_one_call() -> None:
    counties = all_counties()
    plan = plan_shipment(SAMPLE, LOT, counties, SHIP)
    assert [d.destination for d in plan.destinations] == list(counties)
    assert 0 < len(plan.reachable) < len(counties)
    rows = by_province(plan)
    assert [row.province for row in rows] == [p.zh for p in PROVINCES]
    assert sum(row.destinations for row in rows) == len(counties)
    assert sum(row.reachable for row in rows) == len(plan.reachable)
    jiangxi = next(row for row in rows if row.province == "江西省")
    assert jiangxi.reachable == jiangxi.destinations
    tibet = next(row for row in rows if row.province == "西藏自治区")
    assert tibet.reachable < tibet.destinations
    for row in rows:
        if row.reachable:
            assert row.cheapest is not None
            assert row.days_p50 is not None
            assert row.days_p90 is not None
            assert row.days_p50 <= row.days_p90
        else:
            assert row.cheapest is None
    # Shared simulations answer as a plan of its own would, for a sample of counties.
    for index in range(0, len(counties), 401):
        alone = plan_shipment(SAMPLE, LOT, [counties[index]], SHIP).to_dict()["destinations"]
        assert alone == [plan.to_dict()["destinations"][index]]


def test_summary_as_data() -> None:
    plan = plan_shipment(SAMPLE, LOT, ["南昌", "赣州", "歙县", "屯溪区", "阿里地区"], SHIP)
    data = summary_dict(plan)
    assert (data["destinations"], data["reachable"]) == (5, len(plan.reachable))
    assert [row["province"] for row in data["provinces"]] == ["安徽省", "江西省", "西藏自治区"]
    anhui = data["provinces"][0]
    assert anhui["destinations"] == 2
    assert anhui["cheapest_to"] in {"黄山市 歙县", "黄山市 屯溪区"}
    assert find_division("屯溪区").place.county == "屯溪区"


def test_a_county_destination_is_named_with_its_city() -> None:
    plan = plan_shipment(SAMPLE, LOT, [Place.parse("黄山市歙县")], SHIP)
    assert plan.destinations[0].name == "黄山市 歙县"
