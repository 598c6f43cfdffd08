"""Which cities can the chickens reach? One lot to about 100 cities, and one route's chart.

What it shows: ``plan_shipment`` for lot WJ261120A (chilled whole chickens) to every city of
``EXAMPLE_CITIES``, summed up per province, and the food's temperature on one route (on a
typical and on a slow day) drawn to a PNG with ``plot_journey``.

Key steps:
    1. plan the lot to every example city at once (cities in one tariff zone share a route
       and a pack, so this takes about a second or two);
    2. count reachable cities per province; a city is reachable when some carrier service
       keeps the food cold enough and leaves the buyer at least 30 % of its shelf life on a
       slow (P90) day;
    3. take the cheapest working option to Guangzhou and draw its temperature history, with
       the outside temperature, the 4 °C limit, the freezing floor and the legs marked.

Assumptions: parcels are handed in at the village on 2026-11-21 at 08:00 China Standard
Time; routes, transit times and prices are ruralseller's example data for rural China; the
outside temperature is the season's day/night profile for the southern hills.

Run it:  python examples/plan_cold_chain.py [OUTPUT_FOLDER]
(the chart and plan.json go there; without a folder, to a new temporary folder).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from collections import Counter
from pathlib import Path

from ruralseller.catalog import Temperature, load_catalog
from ruralseller.coldchain import (
    CHINA_STANDARD_TIME,
    EXAMPLE_CITIES,
    class_limits,
    plan_shipment,
    plot_journey,
)

CATALOGUE = Path(__file__).resolve().parent / "black-chickens"
LOT = "WJ261120A"
SHIP_AT = dt.datetime(2026, 11, 21, 8, 0, tzinfo=CHINA_STANDARD_TIME)
CHART_CITY = "广州市"


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(tempfile.mkdtemp(prefix="ruralseller-"))
    out.mkdir(parents=True, exist_ok=True)
    catalog = load_catalog(CATALOGUE)

    # 1. Every example city, as a Place with its province.
    plan = plan_shipment(catalog, LOT, [city.place for city in EXAMPLE_CITIES], SHIP_AT)
    (out / "plan.json").write_text(plan.to_json(), encoding="utf-8")
    reachable = [d for d in plan.destinations if d.feasible]
    print(f"Lot {LOT}: {len(reachable)} of {len(plan.destinations)} cities reachable")

    # 2. Per province: reachable / asked. Nearby provinces make it; far ones do not, because
    #    a five-day shelf life is used up on the way.
    asked = Counter(d.destination.province for d in plan.destinations)
    ok = Counter(d.destination.province for d in reachable)
    for province, total in sorted(asked.items(), key=lambda item: (-ok[item[0]], item[0])):
        if ok[province]:
            print(f"  {province}: {ok[province]} of {total}")
    none = sorted(province for province in asked if not ok[province])
    print(f"  none reachable in {len(none)} provinces: {', '.join(none)}")

    # 3. The chart for one route: the cheapest working option to Guangzhou.
    guangzhou = next(d for d in plan.destinations if d.name == CHART_CITY)
    option = guangzhou.best
    if option is None or option.route is None or option.typical is None or option.slow is None:
        print(f"No working route to {CHART_CITY} to draw")
        return 1
    limits = class_limits(catalog.product_of(catalog.lot(LOT)))
    # What the box sees outside, hour by hour along the slow day's legs.
    outside = option.route.ambient(plan.outside, "p90")
    hours = int(option.slow.duration.total_seconds() // 3600)
    ambient = [
        (dt.timedelta(hours=h), outside.temperature_at(dt.timedelta(hours=h)))
        for h in range(hours + 1)
    ]
    chart = plot_journey(
        out / f"{LOT}-to-guangzhou.png",
        [("typical day (P50)", option.typical.history), ("slow day (P90)", option.slow.history)],
        limit=limits.high or Temperature(4, "°C"),
        floor=limits.freeze_floor,
        ambient=ambient,
        marks=option.route.leg_marks("p90"),
        title=f"Lot {LOT} to Guangzhou by {option.service.id}",
    )
    print(
        f"Chart: {chart.name} ({option.service.id}, warmest {option.slow.warmest} "
        f"on a slow day of {option.slow.duration.total_seconds() / 3600:.0f} h)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
