"""Planning one lot to every city and every county of mainland China: destinations per second.

A partner asks where a lot can go, anywhere in the country. This benchmark plans the sample
catalogue's lot ``WJ261123A`` with every example carrier service, in one
``ruralseller.coldchain.plan_shipment`` call each, to

* the 300 example-city places of ``bench_coldchain.py`` (today's per-city set: the ~100
  example cities, three districts each);
* every prefecture-level city and municipality (``all_prefectures()``, 337);
* every county-level division (``all_counties()``, about 2,850);

and, side by side, the per-city path: a fresh ``plan_shipment`` per destination, sharing
nothing, for a sample of the counties (the whole set would take minutes), whose answers must
match the shared call's. It prints destinations per second, wall and CPU seconds, and the
(lane key, service) simulations each run needed. Destinations per second are given per
wall-clock second and per CPU second: on a shared machine the CPU figure is the steadier.
Each shared run is the fastest of ``--repeat``. Nothing is asserted.

    .venv/bin/python benchmarks/bench_destinations.py [--quick] [--repeat N] [--sample N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gc
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from bench_coldchain import destinations as example_city_places

from ruralseller.catalog import Catalog, Place, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.coldchain import (
    CHINA_STANDARD_TIME,
    EXAMPLE_SERVICES,
    ShipmentPlan,
    all_counties,
    all_prefectures,
    plan_shipment,
)

LOT = "WJ261123A"
SHIP_AT = dt.datetime(2026, 11, 23, 8, tzinfo=CHINA_STANDARD_TIME)


def simulations(plan: ShipmentPlan) -> int:
    """The (lane key, service) journeys one call simulated."""
    return len(
        {
            (option.lane.key, option.service.id)
            for destination in plan.destinations
            for option in destination.options
            if option.lane is not None and option.typical is not None
        }
    )


def answers(plans: Sequence[ShipmentPlan]) -> list[tuple[bool, str | None, str | None]]:
    """Per destination: reachable, the best service, and its cost."""
    return [
        (
            destination.feasible,
            destination.best.service.id if destination.best else None,
            str(destination.best.cost) if destination.best else None,
        )
        for plan in plans
        for destination in plan.destinations
    ]


def _timed(step: Callable[[], Any]) -> tuple[float, float, Any]:
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = step()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _row(name: str, count: int, wall: float, cpu: float, sims: int) -> str:
    return (
        f"{name:<48} {count:>6} {wall:>7.2f} {cpu:>7.2f} {count / wall:>8.0f} "
        f"{count / cpu:>8.0f} {sims:>5}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 run each, a sample of 20")
    parser.add_argument("--repeat", type=int, help="runs of each shared call; fastest counts (3)")
    parser.add_argument("--sample", type=int, help="counties planned one by one (60)")
    args = parser.parse_args(argv)
    repeat = args.repeat or (1 if args.quick else 3)
    sample = args.sample or (20 if args.quick else 60)

    catalog: Catalog = load_catalog(sample_path())
    sets: list[tuple[str, Sequence[Place]]] = [
        ("300 example-city places (today's set)", example_city_places(300)),
        ("every prefecture-level city", all_prefectures()),
        ("every county", all_counties()),
    ]
    # Warm what every caller shares: materials, the division table and the indexes.
    plan_shipment(catalog, LOT, [sets[2][1][0]], SHIP_AT)

    print(
        f"lot {LOT} (sample black-chickens), {len(EXAMPLE_SERVICES)} services, ship at "
        f"{SHIP_AT.isoformat()}; shared calls fastest of {repeat}, per-city path 1 run"
    )
    print(
        f"{'run':<48} {'dests':>6} {'wall s':>7} {'CPU s':>7} {'/wall s':>8} {'/CPU s':>8} "
        f"{'sims':>5}"
    )
    county_plan: ShipmentPlan | None = None
    for name, places in sets:
        call = functools.partial(plan_shipment, catalog, LOT, places, SHIP_AT)
        runs = [_timed(call) for _ in range(repeat)]
        wall, cpu, plan = min(runs, key=lambda run: run[0])
        print(_row(f"one call: {name}", len(places), wall, cpu, simulations(plan)))
        county_plan = plan
    assert county_plan is not None  # noqa: S101 - the last set is every county

    counties = all_counties()
    step = max(1, len(counties) // sample)
    picked = list(range(0, len(counties), step))[:sample]
    wall, cpu, alone = _timed(
        lambda: [plan_shipment(catalog, LOT, [counties[i]], SHIP_AT) for i in picked]
    )
    sims = sum(simulations(plan) for plan in alone)
    print(
        _row(
            f"per-city path: a call per county ({len(picked)})",
            len(picked),
            wall,
            cpu,
            sims,
        )
    )
    shared = [county_plan.destinations[i] for i in picked]
    agree = answers(alone) == [
        (d.feasible, d.best.service.id if d.best else None, str(d.best.cost) if d.best else None)
        for d in shared
    ]
    print(
        f"every county: {len(county_plan.reachable)} of {len(counties)} reachable; the sampled "
        f"counties answer the same both ways: {'yes' if agree else 'NO'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
