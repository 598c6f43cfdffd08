"""Carrier services: tariffs, chargeable weight, limits, coverage, examples and carriers.toml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from cattrs.errors import StructureHandlerNotFoundError
from hypothesis import given
from hypothesis import strategies as st

from ruralseller.catalog import (
    Length,
    Mass,
    Money,
    Place,
    StorageClass,
    Temperature,
    converter,
)
from ruralseller.coldchain.routes import CHINA_STANDARD_TIME, known_city
from ruralseller.coldchain.services import (
    CARRIERS_FILE,
    EXAMPLE_SERVICES,
    CarrierService,
    Coverage,
    DryIceRule,
    Surcharge,
    Tariff,
    TransitTime,
    TransportMode,
    ZoneRate,
    ZoneTransit,
    get_service,
    load_services,
    loads_services,
)
from ruralseller.errors import (
    CatalogError,
    CatalogValidationError,
    InvalidValueError,
    NotInCatalogError,
    PlaceError,
)

CST = CHINA_STANDARD_TIME
SF = get_service("sf-cold-standard-chilled")
FROZEN = get_service("sf-cold-standard-frozen")
TO_HOME = get_service("sf-cold-to-home")
AMBIENT = get_service("ambient-express")
BOX = (Length(40, "cm"), Length(30, "cm"), Length(30, "cm"))  # 6 kg at /6000


def cny(amount: str | int) -> Money:
    return Money(amount, "CNY")


def rate(zone: int, first: str, extra: str) -> ZoneRate:
    return ZoneRate(zone=zone, first_kg=cny(first), per_extra_kg=cny(extra))


def service(**changes: object) -> CarrierService:
    """The chilled SF-style service with some fields changed, built afresh so validators run."""
    fields = {f.name: getattr(SF, f.name) for f in attrs.fields(CarrierService)}
    return CarrierService(**{**fields, **changes})


# --- tariffs ----------------------------------------------------------------------------------


TARIFF = Tariff(rates=[rate(1, "11", "2"), rate(3, "20", "8")])


@pytest.mark.parametrize(
    ("mass", "expected"),
    [
        ("0.2 kg", "11"),  # never less than the first kilogram
        ("1 kg", "11"),
        ("1.001 kg", "13"),  # a started kilogram is a kilogram
        ("2 kg", "13"),
        ("3.2 kg", "17"),
        ("2.4 jin", "13"),  # 1.2 kg
        ("1500 g", "13"),
    ],
)
def test_price_charges_each_started_kilogram(mass: str, expected: str) -> None:
    assert TARIFF.price(1, Mass.parse(mass)) == cny(expected)


def test_price_uses_the_zone_rate_and_adds_surcharges() -> None:
    tariff = attrs.evolve(
        TARIFF,
        surcharges=[
            Surcharge(name="cold-chain fee", amount=cny(3)),
            Surcharge(name="packaging fee", amount=cny("6.5")),
        ],
    )
    assert tariff.price(3, Mass(5, "kg")) == cny(20 + 4 * 8 + 3) + cny("6.5")
    assert tariff.zones == (1, 3)


@given(st.integers(min_value=0, max_value=100_000), st.integers(min_value=0, max_value=2_000))
def test_price_never_falls_as_the_parcel_gets_heavier(grams: int, more: int) -> None:
    light = TARIFF.price(3, Mass(grams, "g"))
    assert TARIFF.price(3, Mass(grams + more, "g")) >= light
    assert light >= TARIFF.rate(3).first_kg


def test_price_refuses_an_unpriced_zone_and_a_bare_number() -> None:
    with pytest.raises(InvalidValueError, match="no price for zone 2") as caught:
        TARIFF.price(2, Mass(1, "kg"))
    assert caught.value.hint == "it prices zones 1, 3"
    with pytest.raises(InvalidValueError, match="chargeable must be a Mass"):
        TARIFF.price(1, 2)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rates", "surcharges", "field", "message"),
    [
        ([], [], "rates", "at least one zone"),
        ([rate(1, "1", "1"), rate(1, "2", "2")], [], "rates", "zone 1 is given twice"),
        (
            [rate(1, "1", "1"), ZoneRate(zone=2, first_kg=Money(1, "USD"), per_extra_kg=cny(1))],
            [],
            "rates",
            "one currency, got CNY, USD",
        ),
        (
            [rate(1, "1", "1")],
            [Surcharge(name="fee", amount=Money(1, "HKD"))],
            "surcharges",
            "tariff's currency, CNY, not HKD",
        ),
    ],
)
def test_a_tariff_is_checked_when_built(
    rates: list[ZoneRate], surcharges: list[Surcharge], field: str, message: str
) -> None:
    with pytest.raises(InvalidValueError, match=message) as caught:
        Tariff(rates=rates, surcharges=surcharges)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"zone": 5}, "zone"),
        ({"zone": True}, "zone"),
        ({"first_kg": cny(-1)}, "first_kg"),
        ({"per_extra_kg": "2 CNY"}, "per_extra_kg"),
    ],
)
def test_a_zone_rate_is_checked(changes: dict[str, object], field: str) -> None:
    fields: dict[str, object] = {"zone": 1, "first_kg": cny(1), "per_extra_kg": cny(1)}
    with pytest.raises(InvalidValueError) as caught:
        ZoneRate(**{**fields, **changes})  # type: ignore[arg-type]
    assert caught.value.field == field


# --- chargeable weight and limits -------------------------------------------------------------


def test_chargeable_is_the_larger_of_actual_and_volumetric_weight() -> None:
    assert SF.volumetric(BOX) == Mass(6, "kg")
    assert SF.chargeable(Mass("4.5", "kg"), BOX) == Mass(6, "kg")  # volumetric wins
    assert SF.chargeable(Mass("8.4", "kg"), BOX) == Mass("8.4", "kg")  # actual wins
    assert SF.chargeable(Mass(8400, "g"), BOX).unit.code == "kg"
    assert AMBIENT.chargeable(Mass("4.5", "kg"), BOX) == Mass("4.5", "kg")  # 36000/8000


def test_volumetric_weight_is_exact_in_any_length_unit() -> None:
    odd = (Length(41, "cm"), Length(310, "mm"), Length("0.31", "m"))
    assert SF.volumetric(odd).in_unit("kg") * 6000 == 41 * 31 * 31
    assert SF.price(1, Mass(1, "kg"), odd) == cny(16 + 6 * 4)  # 6.57 kg pays for 7


@pytest.mark.parametrize(
    "outer",
    [
        (Length(40, "cm"), Length(30, "cm")),
        (Length(40, "cm"), Length(30, "cm"), Length(0, "cm")),
        (40, 30, 30),
        "40x30x30",
    ],
)
def test_outer_dimensions_must_be_three_lengths(outer: object) -> None:
    with pytest.raises(InvalidValueError, match=r"\(length, width, height\)") as caught:
        SF.chargeable(Mass(1, "kg"), outer)  # type: ignore[arg-type]
    assert "outer_dimensions" in caught.value.hint


def test_a_parcel_within_every_limit_fits() -> None:
    assert SF.fits(Mass(20, "kg"), BOX) is None
    assert SF.fits(Mass(20, "kg"), BOX, pieces=5) is None  # 100 kg per shipment


def test_fits_names_every_limit_broken() -> None:
    long_box = (Length(30, "cm"), Length(110, "cm"), Length(30, "cm"))
    reason = SF.fits(Mass(22, "kg"), long_box, pieces=5)
    assert reason is not None
    parts = reason.split("; ")
    assert parts == [
        f"22 kg per piece is over the limit of 20 kg ({SF.name})",
        f"5 pieces of 22 kg are over the limit of 100 kg per shipment ({SF.name})",
        f"the longest side, 110 cm, is over the limit of 100 cm ({SF.name})",
        f"length + width + height, 170 cm, is over the limit of 150 cm ({SF.name})",
    ]


def test_fits_refuses_bad_input() -> None:
    with pytest.raises(InvalidValueError, match="expected a Mass"):
        SF.fits(20, BOX)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="pieces must be a whole number"):
        SF.fits(Mass(1, "kg"), BOX, pieces=0)


def test_service_without_size_limits_checks_only_mass() -> None:
    huge = (Length(2, "m"), Length(2, "m"), Length(2, "m"))
    unlimited = service(max_longest_side=None, max_dimension_sum=None, max_shipment_mass=None)
    assert unlimited.fits(Mass(1, "kg"), huge, pieces=500) is None


# --- coverage, storage classes, dry ice --------------------------------------------------------


def test_serves_a_listed_city_in_any_spelling() -> None:
    for city in ("广州市", "广州", "Guangzhou", "GUANGZHOU"):
        assert TO_HOME.serves(Place(country="CN", province="广东省", city=city)) is None


def test_serves_says_why_not() -> None:
    beijing = Place(country="CN", province="北京市", city="北京市")
    assert TO_HOME.serves(beijing) == (
        "SF-style Cold Chain To Home does not deliver to 北京市: it serves 46 cities"
    )
    # SF's standard express stands in for "about 300 cities": every city of the provinces
    # outside the remote west (抚州 since issue 26), and only the large cities of the remote
    # provinces (not 阿勒泰).
    assert SF.serves(Place(country="CN", province="江西省", city="抚州市")) is None
    altay = Place(country="CN", province="新疆维吾尔自治区", city="阿勒泰地区")
    assert SF.serves(altay) == (
        f"{SF.name} does not deliver to 阿勒泰地区: it serves 25 provinces and 10 cities"
    )
    assert SF.serves(Place(country="HK")) == (
        f"{SF.name} delivers in mainland China only, not to HK"
    )


def test_an_ambient_express_serves_the_whole_mainland() -> None:
    assert AMBIENT.coverage.everywhere
    assert AMBIENT.coverage.describe() == "all of mainland China"
    assert AMBIENT.serves(Place(country="CN", province="西藏", county="墨脱县")) is None


def test_serves_refuses_an_address_that_cannot_be_placed() -> None:
    with pytest.raises(PlaceError, match="does not name its province"):
        SF.serves(Place(country="CN", city="广州市"))
    with pytest.raises(PlaceError, match="unknown province 'Guangdongg'"):
        SF.serves(Place(country="CN", province="Guangdongg"))
    with pytest.raises(InvalidValueError, match="destination must be a Place"):
        SF.serves("广州")  # type: ignore[arg-type]


def test_coverage_by_province_and_city() -> None:
    coverage = Coverage(provinces=["Jiangxi", "广东"], cities=["Beijing", "赣州市"])
    assert coverage.provinces == ("江西省", "广东省")
    assert coverage.cities == ("北京", "赣州")
    assert coverage.describe() == "2 provinces and 2 cities"
    assert coverage.covers(Place(country="CN", province="江西省", county="泰和县"))
    assert coverage.covers(Place(country="CN", province="北京", city="北京市"))
    assert not coverage.covers(Place(country="CN", province="湖南省", city="长沙市"))


def test_coverage_refuses_names_it_cannot_match() -> None:
    with pytest.raises(InvalidValueError, match="unknown province 'Jangxi'") as caught:
        Coverage(provinces=["Jangxi"])
    assert caught.value.field == "provinces"
    assert "Jiangxi" in caught.value.hint
    with pytest.raises(InvalidValueError, match="unknown city 'Guangzou'") as caught:
        Coverage(cities=["Guangzou"])
    assert caught.value.field == "cities"
    assert "did you mean 'Guangzhou'?" in caught.value.hint
    # A city outside the built-in list is fine in Chinese, as written on addresses.
    assert Coverage(cities=["抚州市"]).cities == ("抚州",)
    with pytest.raises(InvalidValueError, match="must be a list of names") as caught:
        Coverage(provinces="江西")
    assert caught.value.field == "provinces"
    # A buyer's address may name any city: it is simply not listed.
    assert not Coverage(cities=["抚州"]).covers(
        Place(country="CN", province="广东", city="Atlantis")
    )
    assert Coverage(cities=["抚州"]).covers(Place(country="CN", province="江西", city="抚州市"))


def test_coverage_knows_every_prefecture_level_city() -> None:
    """Issue 26: a Chinese name is checked against the divisions and kept by its full name."""
    yanbian = Coverage(cities=["延边"])
    assert yanbian.cities == ("延边朝鲜族自治州",)
    assert yanbian.covers(Place.parse("延边朝鲜族自治州延吉市"))
    assert yanbian.covers(Place(country="CN", province="吉林省", city="延边"))
    with pytest.raises(InvalidValueError, match="unknown city '黄三'") as caught:
        Coverage(cities=["黄三"])
    assert caught.value.field == "cities"
    assert caught.value.hint.startswith("did you mean")
    assert "黄山" in caught.value.hint


def test_carries_says_which_food_a_service_takes() -> None:
    assert SF.carries(StorageClass.CHILLED) is None
    assert SF.carries(StorageClass.FROZEN) == f"{SF.name} takes chilled, cool food, not frozen"
    assert FROZEN.carries(StorageClass.FROZEN) is None
    assert AMBIENT.carries(StorageClass.LIVE) is not None


def test_dry_ice_follows_the_rule_for_the_service_mode() -> None:
    assert SF.takes_dry_ice(Mass(1, "kg")) == f"{SF.name} does not take dry ice (ground)"
    assert FROZEN.takes_dry_ice(Mass(5, "kg")) is None
    assert FROZEN.takes_dry_ice(Mass(6, "kg")) == (
        f"6 kg of dry ice is over the limit of 5 kg per piece ({FROZEN.name})"
    )
    air_only = service(
        dry_ice=[DryIceRule(mode=TransportMode.AIR, allowed=True, max_per_piece=Mass(2, "kg"))]
    )
    assert air_only.dry_ice_rule is None
    assert air_only.takes_dry_ice(Mass(1, "kg")) is not None
    assert attrs.evolve(air_only, mode=TransportMode.AIR).takes_dry_ice(Mass(2, "kg")) is None


def test_dry_ice_rules_are_checked() -> None:
    with pytest.raises(InvalidValueError, match="has no max_per_piece"):
        DryIceRule(mode=TransportMode.GROUND, allowed=False, max_per_piece=Mass(1, "kg"))
    ground = DryIceRule(mode=TransportMode.GROUND, allowed=True)
    with pytest.raises(InvalidValueError, match="two rules for one mode"):
        service(dry_ice=[ground, ground])


# --- the service as a whole ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"setpoint": None}, "setpoint", "needs its setpoint"),
        (
            {"temperature_controlled": False, "cold_warehouse": False},
            "setpoint",
            "an ambient service has no setpoint",
        ),
        ({"storage_classes": []}, "storage_classes", "at least one"),
        (
            {"storage_classes": [StorageClass.CHILLED, StorageClass.CHILLED]},
            "storage_classes",
            "listed twice",
        ),
        ({"divisor": 0}, "divisor", "above zero"),
        ({"max_piece_mass": Mass(0, "kg")}, "max_piece_mass", "above zero"),
        ({"cutoff": dt.time(18, tzinfo=CST)}, "cutoff", "without a time zone"),
        ({"id": "sf cold"}, "id", "not a valid id"),
        ({"source": " "}, "source", "must not be empty"),
        (
            {"transit": SF.transit[:3]},
            "transit",
            "zone 4 has a price but no transit time",
        ),
    ],
)
def test_a_service_is_checked_when_built(
    changes: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(InvalidValueError, match=message) as caught:
        service(**changes)
    assert caught.value.field == field


def test_cold_warehouse_and_controlled_delivery_need_a_controlled_service() -> None:
    ambient = {"temperature_controlled": False, "setpoint": None}
    with pytest.raises(InvalidValueError, match="cold_warehouse needs a temperature-controlled"):
        service(**ambient, controlled_last_mile=False)
    with pytest.raises(InvalidValueError, match="controlled_last_mile needs"):
        service(**ambient, cold_warehouse=False)


def test_transit_times_are_checked() -> None:
    with pytest.raises(InvalidValueError, match="shorter than p50") as caught:
        TransitTime(p50=dt.timedelta(hours=30), p90=dt.timedelta(hours=20))
    assert caught.value.field == "p90"
    with pytest.raises(InvalidValueError, match="above zero"):
        ZoneTransit(zone=1, p50=dt.timedelta(0), p90=dt.timedelta(hours=1))
    assert SF.transit_time(3) == TransitTime(p50=dt.timedelta(hours=44), p90=dt.timedelta(hours=68))
    with pytest.raises(InvalidValueError, match="no transit time for zone 5"):
        SF.transit_time(5)


@pytest.mark.parametrize(
    ("arrival", "departure"),
    [
        (dt.datetime(2026, 7, 1, 9, tzinfo=CST), dt.datetime(2026, 7, 1, 18, tzinfo=CST)),
        (dt.datetime(2026, 7, 1, 18, tzinfo=CST), dt.datetime(2026, 7, 1, 18, tzinfo=CST)),
        (dt.datetime(2026, 7, 1, 18, 1, tzinfo=CST), dt.datetime(2026, 7, 2, 18, tzinfo=CST)),
        # 11:00 UTC is 19:00 in China: after the cut-off.
        (dt.datetime(2026, 7, 1, 11, tzinfo=dt.UTC), dt.datetime(2026, 7, 2, 18, tzinfo=CST)),
        (dt.datetime(2026, 12, 31, 23, tzinfo=CST), dt.datetime(2027, 1, 1, 18, tzinfo=CST)),
    ],
)
def test_missing_the_cutoff_waits_for_the_next_day(
    arrival: dt.datetime, departure: dt.datetime
) -> None:
    assert SF.next_departure(arrival) == departure


def test_next_departure_needs_a_time_zone() -> None:
    with pytest.raises(InvalidValueError, match="with its time zone"):
        SF.next_departure(dt.datetime(2026, 7, 1, 9))  # noqa: DTZ001 - the point of the test


# --- example data ---------------------------------------------------------------------------


def test_example_services_are_marked_and_sourced() -> None:
    ids = [s.id for s in EXAMPLE_SERVICES]
    assert len(set(ids)) == len(ids) == 4
    for example in EXAMPLE_SERVICES:
        assert example.example
        assert example.zones == (1, 2, 3, 4)
        assert "[example]" in example.source


def test_example_services_carry_the_published_figures() -> None:
    # SF Cold Chain Standard Express: 20 kg per piece, 100 kg per shipment, divisor 6000.
    assert (SF.max_piece_mass, SF.max_shipment_mass, SF.divisor) == (
        Mass(20, "kg"),
        Mass(100, "kg"),
        6000,
    )
    assert SF.setpoint == Temperature(2, "°C")
    assert FROZEN.setpoint == Temperature(-18, "°C")
    # SF Cold Chain To Home: RMB 11 first kg + RMB 2/kg intra-city, the zone 1 floor.
    assert TO_HOME.tariff.rate(1) == rate(1, "11", "2")
    assert TO_HOME.divisor == 6000
    assert len(TO_HOME.coverage.cities) == 46
    assert all(known_city(city) for city in TO_HOME.coverage.cities)
    assert not AMBIENT.temperature_controlled
    assert AMBIENT.setpoint is None


def test_example_hand_in_to_door_times_stay_in_the_published_range() -> None:
    # SF: 2-5 days nationally; the ambient express: about 1-4 days hub to door.
    for example in EXAMPLE_SERVICES:
        for zone in example.zones:
            transit = example.transit_time(zone)
            assert transit.p50 <= transit.p90
            assert transit.p90 + example.last_mile.p90 <= dt.timedelta(days=5)


def test_get_service_suggests_a_close_id() -> None:
    with pytest.raises(NotInCatalogError, match="did you mean 'sf-cold-to-home'"):
        get_service("sf-cold-to-hme")
    with pytest.raises(NotInCatalogError, match="known: none"):
        get_service("x", services=())


# --- carriers.toml ----------------------------------------------------------------------------

GOOD = """
format = 1

[[services]]
id = "county-cold"
name = "Ji'an cold express (contract 2026)"
carrier = "SF Express"
mode = "ground"
temperature_controlled = true
setpoint = "2 °C"
cold_warehouse = true
storage_classes = ["chilled", "cool"]
max_piece_mass = "20 kg"
max_shipment_mass = "100 kg"
max_longest_side = "100 cm"
divisor = 6000
cutoff = 18:30:00
transit = [
  { zone = 1, p50 = "20 h", p90 = "30 h" },
  { zone = 2, p50 = "30 h", p90 = "2 d" },
]
last_mile = { p50 = "8 h", p90 = "16 h" }
source = "contract with SF Ji'an branch, 2026-03"
dry_ice = [{ mode = "ground", allowed = true, max_per_piece = "2.5 kg" }]

[services.tariff]
rates = [
  { zone = 1, first_kg = "14 CNY", per_extra_kg = "3.5 CNY" },
  { zone = 2, first_kg = "18 CNY", per_extra_kg = "6 CNY" },
]
surcharges = [{ name = "cold-chain fee", amount = "2 CNY" }]

[services.coverage]
provinces = ["江西", "Guangdong"]

[[services]]
id = "township-post"
name = "Township post parcel"
carrier = "China Post"
mode = "ground"
temperature_controlled = false
storage_classes = ["ambient"]
max_piece_mass = "30 kg"
divisor = 8000
cutoff = "16:00"
transit = [{ zone = 1, p50 = "1 d", p90 = "2 d" }]
last_mile = { p50 = "8 h", p90 = "1 d" }
tariff = { rates = [{ zone = 1, first_kg = "8 CNY", per_extra_kg = "1 CNY" }] }
source = "township post office price list"
"""


def test_a_good_carriers_file_loads() -> None:
    cold, post = loads_services(GOOD)
    assert cold.cutoff == dt.time(18, 30)
    assert cold.setpoint == Temperature(2, "°C")
    assert cold.coverage.provinces == ("江西省", "广东省")
    assert cold.price(2, Mass("3.2", "kg"), BOX) == cny(18 + 5 * 6 + 2)  # 6 kg volumetric
    assert cold.takes_dry_ice(Mass("2.5", "kg")) is None
    assert cold.transit_time(2).p90 == dt.timedelta(days=2)
    assert not cold.example
    assert post.cutoff == dt.time(16)
    assert post.coverage.everywhere
    assert post.storage_classes == (StorageClass.AMBIENT,)


def test_load_services_reads_a_folder_or_a_file(tmp_path: Path) -> None:
    (tmp_path / CARRIERS_FILE).write_text(GOOD, encoding="utf-8")
    assert [s.id for s in load_services(tmp_path)] == ["county-cold", "township-post"]
    assert len(load_services(tmp_path / CARRIERS_FILE)) == 2


def test_load_services_has_no_silent_fallback(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"no carriers file at .*EXAMPLE_SERVICES"):
        load_services(tmp_path)


def test_a_carriers_file_that_is_not_utf8_says_so(tmp_path: Path) -> None:
    file = tmp_path / CARRIERS_FILE
    file.write_bytes(GOOD.encode("gb18030"))
    with pytest.raises(CatalogValidationError, match="not UTF-8"):
        load_services(file)


BROKEN = """
format = 2
services_ = []

[[services]]
id = "county-cold"
name = "Ji'an cold express"
carrier = "SF Express"
mode = "road"
temperature_controlled = true
setpoint = "2 °C"
storage_classes = ["chiled"]
max_piece_mass = "20 kgs"
divisor = 6000.5
cutoff = "25:00"
transit = [{ zone = 5, p50 = "1 d", p90 = "2 d" }]
last_mile = { p50 = "8 h" }
source = "contract"
colour = "red"
tariff = { rates = [{ zone = 1, first_kg = "14", per_extra_kg = "3 CNY" }] }

[[services]]
id = "county-cold"
name = "Ji'an cold express, again"
carrier = "SF Express"
mode = "ground"
temperature_controlled = true
storage_classes = ["chilled"]
max_piece_mass = "20 kg"
divisor = 6000
cutoff = 18:00:00
transit = [{ zone = 1, p50 = "1 d", p90 = "2 d" }]
last_mile = { p50 = "8 h", p90 = "16 h" }
tariff = { rates = [{ zone = 1, first_kg = "14 CNY", per_extra_kg = "3 CNY" }] }
source = "contract"
"""


def test_a_broken_carriers_file_reports_every_problem_with_its_path() -> None:
    with pytest.raises(CatalogValidationError) as caught:
        loads_services(BROKEN, file="carriers.toml")
    problems = {p.path: p for p in caught.value.problems}
    assert set(problems) == {
        "format",
        "services_",
        "services[0].mode",
        "services[0].storage_classes[0]",
        "services[0].max_piece_mass",
        "services[0].divisor",
        "services[0].cutoff",
        "services[0].transit[0].zone",
        "services[0].last_mile.p90",
        "services[0].tariff.rates[0].first_kg",
        "services[0].colour",
        "services[1].id",
        "services[1].setpoint",
    }
    assert all(p.file == "carriers.toml" for p in caught.value.problems)
    assert problems["services_"].hint.startswith("did you mean 'services'?")
    assert problems["services[0].mode"].hint.startswith("did you mean 'ground'?")
    assert problems["services[0].storage_classes[0]"].value == "chiled"
    assert problems["services[0].cutoff"].hint == "write it as HH:MM:SS, e.g. 18:00:00"
    assert "already used by services[0]" in problems["services[1].id"].message
    assert "needs its setpoint" in problems["services[1].setpoint"].message
    assert str(caught.value).startswith("the catalogue has 13 problems:")


@pytest.mark.parametrize(
    ("text", "path", "message"),
    [
        ("format = 1\nservices = [", "", "not valid TOML"),
        ("format = 1\nservices = 3", "services", "must be a list of tables"),
        ("services = []", "format", "does not say its format version"),
    ],
)
def test_a_carriers_file_with_a_broken_shape(text: str, path: str, message: str) -> None:
    with pytest.raises(CatalogValidationError, match=message) as caught:
        loads_services(text)
    assert [p.path for p in caught.value.problems] == [path]


def test_reading_carriers_leaves_the_catalogue_converter_alone() -> None:
    loads_services(GOOD)
    with pytest.raises(StructureHandlerNotFoundError):
        converter("toml").structure("18:00", dt.time)
