"""Planning shipments: feasibility with reasons, shelf life on arrival, cost, many cities."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ruralseller.catalog import (
    Catalog,
    CuredMeat,
    CureProcess,
    Lot,
    LotQuantity,
    Mass,
    PieceMass,
    Place,
    ProcessingRecord,
    Temperature,
    load_catalog,
)
from ruralseller.catalog.samples import sample_path
from ruralseller.coldchain import (
    CHINA_STANDARD_TIME,
    DEFAULT_FIRST_MILE,
    EXAMPLE_CITIES,
    ShipmentPlan,
    build_route,
    find_city,
    get_service,
    outside_for,
    plan_shipment,
    remaining_on_arrival,
)
from ruralseller.errors import InvalidValueError
from ruralseller.packaging import BUILTIN, AmbientProfile, hold_time_profile

SAMPLE = load_catalog(sample_path())
JULY_20 = dt.datetime(2026, 7, 20, 14, tzinfo=CHINA_STANDARD_TIME)


def summer_catalog(use_by: dt.date = dt.date(2026, 7, 28)) -> Catalog:
    """The sample with its first chicken lot slaughtered on the morning of 20 July.

    Its label allows 8 days, so the thermal and shelf-life models decide these tests; a
    slow (P90) day reaches Shanghai on 26 July (see TestTheLabelRules for a shorter date).
    """
    lot = SAMPLE.lots[0]
    record = attrs.evolve(
        lot.slaughter, slaughtered_at=dt.datetime(2026, 7, 20, 6, 30, tzinfo=CHINA_STANDARD_TIME)
    )
    summer = attrs.evolve(
        lot, production_date=dt.date(2026, 7, 20), use_by=use_by, slaughter=record
    )
    return attrs.evolve(SAMPLE, lots=[summer, *SAMPLE.lots[1:]])


SUMMER = summer_catalog()


def option(plan: ShipmentPlan, city: str, service: str):  # type: ignore[no-untyped-def]
    destination = next(d for d in plan.destinations if d.name == city)
    return next(o for o in destination.options if o.service.id == service)


class TestTheLabelRules:
    """The date printed on the label bounds the plan; the model may be stricter, never looser."""

    plan = plan_shipment(summer_catalog(dt.date(2026, 7, 25)), "WJ261120A", ["上海"], JULY_20)

    def test_slow_arrival_after_the_use_by_date_is_refused(self) -> None:
        """The model leaves 31 % of shelf life in Shanghai, but a slow day arrives on 26 July,
        after the use-by date of 25 July: refused, and the reason says so."""
        cold = option(self.plan, "上海市", "sf-cold-standard-chilled")
        assert not cold.feasible
        assert cold.slow is not None
        assert cold.slow.shelf_life is not None
        assert cold.slow.shelf_life.remaining >= 0.3  # the model alone would have said yes
        assert (
            "on a slow (P90) day it arrives on 2026-07-26, after the lot's use-by date 2026-07-25"
            in cold.reasons
        )
        assert not self.plan.reachable

    @settings(max_examples=25, deadline=None)
    @given(days=st.integers(1, 12))
    def test_never_feasible_after_the_printed_date(self, days: int) -> None:
        """Whatever the use-by date, no feasible option arrives (slow day) after it."""
        use_by = dt.date(2026, 7, 20) + dt.timedelta(days=days)
        plan = plan_shipment(summer_catalog(use_by), "WJ261120A", ["上海", "广州"], JULY_20)
        for destination in plan.destinations:
            for choice in destination.options:
                if choice.feasible:
                    assert choice.slow is not None
                    assert choice.slow.arrival.date() <= use_by


class TestBlackChickenInSummer:
    plan = plan_shipment(SUMMER, "WJ261120A", ["上海", "乌鲁木齐"], JULY_20)

    def test_big_city_feasible_by_cold_chain(self) -> None:
        """Shanghai in summer works by SF-style cold chain, with the right pack."""
        cold = option(self.plan, "上海市", "sf-cold-standard-chilled")
        assert cold.feasible, cold.reasons
        assert cold.pack is not None
        assert cold.pack.coolant is not None
        assert cold.slow is not None
        assert cold.slow.above_limit == dt.timedelta(0)
        assert cold.slow.shelf_life is not None
        assert cold.slow.shelf_life.remaining >= 0.3
        assert cold.cost == cold.postage + cold.pack.packaging_cost  # type: ignore[operator]

    def test_big_city_infeasible_by_ambient_express(self) -> None:
        """The plain ambient express cannot keep it cold for a slow day: said plainly."""
        ambient = option(self.plan, "上海市", "ambient-express")
        assert not ambient.feasible
        assert any("keeps the food cold" in reason for reason in ambient.reasons)

    def test_far_city_infeasible_with_reason(self) -> None:
        """Urumqi (5+ days) is out of reach: too little shelf life left on arrival.

        Since the lanes know distance (about 4,000 km by road: a day more than zone 4's
        transit) and the Xinjiang remote area, a slow day is long enough for this chicken to
        spoil outright, so either shelf-life reason may come first.
        """
        far = next(d for d in self.plan.destinations if d.name == "乌鲁木齐市")
        assert not far.feasible
        cold = option(self.plan, "乌鲁木齐市", "sf-cold-standard-chilled")
        assert any(
            "of the shelf life is left on arrival" in r or "spoiled before it arrives" in r
            for r in cold.reasons
        ), cold.reasons

    def test_ranked_feasible_first_then_cheapest(self) -> None:
        """Options come feasible first, cheapest first."""
        shanghai = self.plan.destinations[0]
        feasible = [o for o in shanghai.options if o.feasible]
        assert shanghai.options[: len(feasible)] == tuple(feasible)
        costs = [o.cost for o in feasible]
        assert costs == sorted(costs)  # type: ignore[type-var]
        assert shanghai.best is feasible[0]

    def test_frozen_service_refuses_chilled_food(self) -> None:
        """A frozen service says it does not take chilled food."""
        frozen = option(self.plan, "上海市", "sf-cold-standard-frozen")
        assert frozen.reasons == (
            "SF-style Cold Chain Standard Express, frozen takes frozen food, not chilled",
        )

    def test_json(self) -> None:
        """The plan as data has every destination and option."""
        data = self.plan.to_dict()
        assert [d["destination"] for d in data["destinations"]] == ["上海市", "乌鲁木齐市"]
        first = data["destinations"][0]["options"][0]
        assert {"service", "feasible", "reasons", "cost", "pack", "typical", "slow"} <= set(first)


class TestOtherFood:
    def test_eggs_at_ambient_need_no_coolant(self) -> None:
        """Ambient eggs go without coolant; their fixed shelf life decides the reach."""
        ship = dt.datetime(2026, 11, 19, 8, tzinfo=CHINA_STANDARD_TIME)
        plan = plan_shipment(SAMPLE, "WE261118", ["广州"], ship)
        best = plan.destinations[0].best
        assert best is not None
        assert best.pack is not None
        assert best.pack.coolant is None
        assert best.slow is not None
        assert best.slow.shelf_life is not None
        assert 0 < best.slow.shelf_life.remaining < 1

    def test_cured_meat_ships_ambient(self) -> None:
        """Cured meat keeps for months at ambient: it reaches far cities by plain express."""
        larou = CuredMeat(id="larou", producer="wu-family-farm", name="农家烟熏腊肉", meat="pork")
        lot = Lot(
            id="LR2601",
            product="larou",
            production_date=dt.date(2026, 1, 20),
            quantity=LotQuantity(count=10, piece_mass=PieceMass(nominal=Mass("0.5", "kg"))),
            processing=ProcessingRecord(process=CureProcess.SMOKED, started_on=dt.date(2026, 1, 1)),
        )
        catalog = Catalog(producers=SAMPLE.producers, products=[larou], lots=[lot])
        ship = dt.datetime(2026, 1, 21, 8, tzinfo=CHINA_STANDARD_TIME)
        plan = plan_shipment(catalog, "LR2601", ["乌鲁木齐"], ship)
        ambient = option(plan, "乌鲁木齐市", "ambient-express")
        assert ambient.feasible, ambient.reasons
        assert ambient.pack is not None
        assert ambient.pack.coolant is None


class TestManyDestinations:
    def test_hundreds_of_cities(self) -> None:
        """Planning to every example city three times over answers for each (shared zones)."""
        cities = [city.place for city in EXAMPLE_CITIES] * 3
        plan = plan_shipment(
            SAMPLE, "WJ261120A", cities, dt.datetime(2026, 11, 21, 8, tzinfo=CHINA_STANDARD_TIME)
        )
        assert len(plan.destinations) == 300
        assert 0 < len(plan.reachable) < 300


def left_on_arrival(mean: int, extra_hours: int = 0) -> float:
    """Shelf life left after the Guangzhou route in a fixed pack (5 cm EPS, 3 kg ice)."""
    origin = SUMMER.producer_of(SUMMER.lots[0]).place
    service = get_service("sf-cold-standard-chilled")
    first_mile = attrs.evolve(
        DEFAULT_FIRST_MILE,
        village_to_township=attrs.evolve(
            DEFAULT_FIRST_MILE.village_to_township,
            p90=DEFAULT_FIRST_MILE.village_to_township.p90 + dt.timedelta(hours=extra_hours),
        ),
    )
    route = build_route(origin, find_city("广州"), service, JULY_20, first_mile=first_mile)
    outside = AmbientProfile.day_night(Temperature(mean, "°C"), 6, dt.timedelta(hours=72))
    held = hold_time_profile(
        BUILTIN.container("eps-40x30x30-5cm"),
        BUILTIN.coolant("ice-1kg"),
        Mass(3, "kg"),
        payload_mass=Mass("1.4", "kg"),
        payload_cp=3.4,
        payload_start=Temperature(4, "°C"),
        payload_max=Temperature(4, "°C"),
        profile=route.ambient(outside, "p90"),
        through_end=True,
    )
    basis = SUMMER.products[0].shelf_life_basis
    assert basis is not None
    return remaining_on_arrival(basis, held.history).remaining


class TestMonotonic:
    @settings(max_examples=6, deadline=None)
    @given(
        mean=st.integers(min_value=5, max_value=30), hotter=st.integers(min_value=1, max_value=8)
    )
    def test_hotter_never_leaves_more_shelf_life(self, mean: int, hotter: int) -> None:
        """In the same pack on the same route, a hotter outside never leaves more shelf life."""
        assert left_on_arrival(mean + hotter) <= left_on_arrival(mean) + 1e-9

    @settings(max_examples=6, deadline=None)
    @given(longer=st.integers(min_value=1, max_value=24))
    def test_longer_transit_never_leaves_more_shelf_life(self, longer: int) -> None:
        """In the same pack, a longer first mile never leaves more shelf life."""
        assert left_on_arrival(28, longer) <= left_on_arrival(28) + 1e-9

    def test_farther_zones_leave_less(self) -> None:
        """By the same service, farther zones (longer transit) leave less shelf life."""
        plan = plan_shipment(SUMMER, "WJ261120A", ["吉安", "广州", "上海", "乌鲁木齐"], JULY_20)
        left = [
            option(plan, name, "sf-cold-standard-chilled").slow.shelf_life.remaining  # type: ignore[union-attr]
            for name in ("吉安市", "广州市", "上海市", "乌鲁木齐市")
        ]
        assert left == sorted(left, reverse=True)


class TestErrors:
    def test_naive_ship_at(self) -> None:
        """A ship time without a time zone is refused with a hint."""
        with pytest.raises(InvalidValueError, match="no time zone") as info:
            plan_shipment(SAMPLE, "WJ261120A", ["广州"], dt.datetime(2026, 11, 21, 8))  # noqa: DTZ001
        assert "+08:00" in info.value.hint

    def test_before_production(self) -> None:
        """Shipping before the lot was made is refused."""
        with pytest.raises(InvalidValueError, match="before lot WJ261120A was made"):
            plan_shipment(SAMPLE, "WJ261120A", ["广州"], JULY_20)

    def test_unknown_city(self) -> None:
        """An unknown city name is an error with close matches."""
        with pytest.raises(InvalidValueError):
            plan_shipment(
                SAMPLE,
                "WJ261120A",
                ["Atlantis"],
                dt.datetime(2026, 11, 21, 8, tzinfo=CHINA_STANDARD_TIME),
            )

    def test_bad_min_remaining(self) -> None:
        """A share outside 0..1 is refused."""
        with pytest.raises(InvalidValueError, match="min_remaining"):
            plan_shipment(SAMPLE, "WJ261120A", ["广州"], JULY_20, min_remaining=Decimal(2))

    def test_unknown_province_is_a_reason(self) -> None:
        """A destination whose province is unknown gets a reason, not a crash."""
        place = Place(country="CN", province="Atlantis", city="Atlantis")
        plan = plan_shipment(
            SAMPLE, "WJ261120A", [place], dt.datetime(2026, 11, 21, 8, tzinfo=CHINA_STANDARD_TIME)
        )
        assert not plan.destinations[0].feasible


def test_season_profiles() -> None:
    """Summer, winter and the shoulder seasons pick their outside profiles."""
    assert "summer" in outside_for(dt.date(2026, 7, 1)).name
    assert "winter" in outside_for(dt.date(2026, 1, 1)).name
    assert "spring/autumn" in outside_for(dt.date(2026, 4, 1)).name
