"""How long planning one lot to hundreds of buyers takes, and what sharing by zone saves.

A partner with a lot of chilled black-bone chickens asks where it can go: this benchmark plans
the sample catalogue's lot ``WJ261120A`` with every example carrier service to 300
destinations (the ~100 example cities, each three times as a different district, so every
province is covered) and measures side by side in one run:

* ours: one ``ruralseller.coldchain.plan_shipment`` call for all destinations, which simulates
  each (lane key, service) once and shares it between the destinations with that key (zone,
  extra days for distance, county feeder, remote area);
* naive: a fresh ``plan_shipment`` call per destination, sharing nothing, as a caller looping
  over buyers would do.

It reports destination plans per second, wall and CPU seconds (one core: the planner is
single-threaded; the target is about 1 s for 300 destinations), the number of (zone, service)
simulations each way, the ratio naive/ours, and whether both give the same answers. Ours runs
``--repeat`` times and the fastest run counts; the naive loop runs once. Nothing is asserted.

    .venv/bin/python benchmarks/bench_coldchain.py [--quick] [--destinations N] [--repeat N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from ruralseller.catalog import Catalog, Place, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.coldchain import (
    CHINA_STANDARD_TIME,
    EXAMPLE_CITIES,
    EXAMPLE_SERVICES,
    City,
    ShipmentPlan,
    plan_shipment,
)

TARGET_SECONDS = 1.0
"""Plan one lot to 300 destinations in about this long on one core (the issue's target)."""

FULL_DESTINATIONS = 300
QUICK_DESTINATIONS = 30
LOT = "WJ261120A"
SHIP_AT = dt.datetime(2026, 11, 21, 8, tzinfo=CHINA_STANDARD_TIME)
_DISTRICTS = ("城区", "开发区", "新区")


def _cities_by_province() -> list[City]:
    # One city of each province, then a second of each, and so on: a short list still
    # spans the country, and so every zone.
    by_province: dict[str, list[City]] = {}
    for city in EXAMPLE_CITIES:
        by_province.setdefault(city.province, []).append(city)
    rounds = max(len(cities) for cities in by_province.values())
    return [
        cities[turn]
        for turn in range(rounds)
        for cities in by_province.values()
        if turn < len(cities)
    ]


def destinations(count: int) -> list[Place]:
    """``count`` distinct buyer places across the provinces; a new district on each pass."""
    cities = _cities_by_province()
    places = []
    for index in range(count):
        city = cities[index % len(cities)]
        district = _DISTRICTS[index // len(cities) % len(_DISTRICTS)]
        places.append(
            Place(country="CN", province=city.province, city=f"{city.zh}市", county=district)
        )
    return places


def simulations(plans: Sequence[ShipmentPlan]) -> int:
    """The (lane key, service) journeys simulated: distinct per call, summed over the calls."""
    return sum(
        len(
            {
                (option.lane.key if option.lane is not None else option.zone, option.service.id)
                for destination in plan.destinations
                for option in destination.options
                if option.route is not None
            }
        )
        for plan in plans
    )


def answers(plans: Sequence[ShipmentPlan]) -> list[tuple[bool, str | None]]:
    """Per destination: whether it can be reached, and with which service at the best."""
    return [
        (destination.feasible, destination.best.service.id if destination.best else None)
        for plan in plans
        for destination in plan.destinations
    ]


def _timed(step: Callable[[], Any]) -> tuple[float, float, Any]:
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = step()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _row(name: str, measured: tuple[float, float, int], count: int, ours: float) -> str:
    wall, cpu, sims = measured
    return (
        f"{name:<44} {wall:>8.2f} {cpu:>8.2f} {count / wall:>9.1f} {sims:>6} {wall / ours:>8.1f}x"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_DESTINATIONS} destinations, 1 run"
    )
    parser.add_argument(
        "--destinations", type=int, help=f"destinations to plan ({FULL_DESTINATIONS})"
    )
    parser.add_argument("--repeat", type=int, help="runs of ours; the fastest counts (3)")
    args = parser.parse_args(argv)
    count = args.destinations or (QUICK_DESTINATIONS if args.quick else FULL_DESTINATIONS)
    repeat = args.repeat or (1 if args.quick else 3)

    catalog: Catalog = load_catalog(sample_path())
    places = destinations(count)
    # Warm the caches every caller shares (packaging materials, province and city tables),
    # so neither side pays for them.
    plan_shipment(catalog, LOT, places[:1], SHIP_AT)

    def ours() -> ShipmentPlan:
        return plan_shipment(catalog, LOT, places, SHIP_AT)

    def naive() -> list[ShipmentPlan]:
        return [plan_shipment(catalog, LOT, [place], SHIP_AT) for place in places]

    runs = [_timed(ours) for _ in range(repeat)]
    wall, cpu, plan = min(runs, key=lambda run: run[0])
    naive_wall, naive_cpu, naive_plans = _timed(naive)

    ours_sims, naive_sims = simulations([plan]), simulations(naive_plans)
    options = sum(len(destination.options) for destination in plan.destinations)
    print(
        f"lot {LOT} (sample black-chickens), {count} destinations in "
        f"{len({place.province for place in places})} provinces, {len(EXAMPLE_SERVICES)} "
        f"services ({options} options), ship at {SHIP_AT.isoformat()}; ours fastest of "
        f"{repeat} run(s), naive 1 run"
    )
    print(f"{'step':<44} {'wall s':>8} {'CPU s':>8} {'plans/s':>9} {'sims':>6} {'vs ours':>9}")
    print(_row("ours: one plan_shipment, all destinations", (wall, cpu, ours_sims), count, wall))
    naive_row = (naive_wall, naive_cpu, naive_sims)
    print(_row("naive: a plan_shipment per destination", naive_row, count, wall))
    agree = answers([plan]) == answers(naive_plans)
    print(
        f"ratio naive/ours: {naive_wall / wall:.1f}x; reachable: "
        f"{len(plan.reachable)}/{count}; same answers both ways: {'yes' if agree else 'NO'}"
    )
    verdict = "within" if cpu <= TARGET_SECONDS else "over"
    scaled = "" if count == FULL_DESTINATIONS else f" (target is for {FULL_DESTINATIONS})"
    print(f"target: about {TARGET_SECONDS:.0f} s on one core: {cpu:.2f} s CPU, {verdict}{scaled}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
