"""Eggs and smoked meat are not chilled chicken: the same planning, different physics.

What it shows: the three foods of two catalogues side by side: chilled whole chickens and
unwashed eggs from the Jiangxi farm (``examples/black-chickens``), and smoked pork belly
(腊肉) from a small family workshop in a Hunan village (``examples/smoked-meat``).

Key steps:
    1. each product's storage class and band (``class_limits``) and how long it keeps at a
       warm 20 °C (``shelf_life_at``): chicken days, eggs weeks, smoked meat months;
    2. the pack for the same 48 h summer journey (``plan_pack``): the chicken needs ice in
       an insulated box; eggs kept at ambient and the smoked meat need no coolant at all;
    3. shipping to Ürümqi, some 3,000 km from either village (``plan_shipment``): chilled
       chicken cannot get there with enough shelf life left, while eggs and smoked meat go by
       plain ambient express with most of their shelf life to spare;
    4. compliance for the workshop (``check``): a small workshop (小作坊) gets a warning that
       many provinces restrict its sales to the local area and do not allow online sale.

Assumptions: parcels are handed in on 2026-11-21 at 08:00 China Standard Time; carrier data
is ruralseller's example data. The cured-meat shelf life is the kind's default (90 days at
20 °C), which its source marks as unverified: a workshop should give its own figures.

Run it:  python examples/eggs_and_smoked_meat.py [OUTPUT_FOLDER]
(the shipment plans go there as JSON; without a folder, to a new temporary folder).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from ruralseller.catalog import Temperature, load_catalog
from ruralseller.coldchain import CHINA_STANDARD_TIME, class_limits, plan_shipment, shelf_life_at
from ruralseller.compliance import check
from ruralseller.packaging import SOUTH_CHINA_SUMMER, plan_pack

EXAMPLES = Path(__file__).resolve().parent
TODAY = dt.date(2026, 11, 21)
SHIP_AT = dt.datetime(2026, 11, 21, 8, 0, tzinfo=CHINA_STANDARD_TIME)
FAR_CITY = "乌鲁木齐"
WARM = Temperature(20, "°C")


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(tempfile.mkdtemp(prefix="ruralseller-"))
    out.mkdir(parents=True, exist_ok=True)
    farm = load_catalog(EXAMPLES / "black-chickens")
    workshop = load_catalog(EXAMPLES / "smoked-meat")
    foods = [(farm, "WJ261120A"), (farm, "WE261118"), (workshop, "TL261115")]

    for catalog, lot_id in foods:
        product = catalog.product_of(catalog.lot(lot_id))
        limits = class_limits(product)
        low, high = limits.band
        band = f"{low or '…'} to {high or '…'}" if (low or high) else "no band"
        keeps = shelf_life_at(product.shelf_life_basis, WARM)
        print(f"{lot_id} {product.name_in('en')}")
        print(
            f"  storage: {limits.storage_class.value} ({band}); "
            f"keeps {keeps.total_seconds() / 86400:.2g} days at {WARM}"
        )

        # The same 48 h summer journey for each: ambient food needs only a box that protects
        # it (eggs in a pulp tray), not coolant.
        pack = plan_pack(
            catalog, lot_id, journey=dt.timedelta(hours=48), ambient=SOUTH_CHINA_SUMMER
        )
        coolant = f"{pack.coolant_units} × {pack.coolant.id}" if pack.coolant else "no coolant"
        print(f"  pack (48 h, summer): {pack.container.id} + {coolant}, {pack.packaging_cost}")

        # Far away: the chilled chicken's five days of shelf life run out on the way; the
        # ambient foods ride a plain express and arrive with weeks or months to spare.
        plan = plan_shipment(catalog, lot_id, [FAR_CITY], SHIP_AT)
        (out / f"{lot_id}-to-urumqi.json").write_text(plan.to_json(), encoding="utf-8")
        (destination,) = plan.destinations
        best = destination.best
        if best is None or best.slow is None or best.slow.shelf_life is None:
            print(f"  to {destination.name}: not reachable: {destination.options[0].reasons[0]}")
            continue
        left = best.slow.shelf_life
        print(
            f"  to {destination.name}: ✓ {best.service.id}, {best.cost}; on a slow day "
            f"{left.remaining:.0%} of the shelf life is left "
            f"({left.at_reference.days} days at {left.basis.at or 'its storage'})"
        )

    # The workshop's compliance: registered as a small workshop, it may sell, but many
    # provinces keep a 小作坊 to local sale: the rule's source is not fully verified, so it
    # is a warning, not a block.
    report = check(workshop, jurisdictions=["CN"], on=TODAY)
    print(f"\nCN compliance for {workshop.producers[0].name}: {'ok' if report.ok else 'BLOCKED'}")
    for finding in report:
        print(f"  {finding.severity.value} {finding.rule}: {finding.message}")
        print(f"    what to do: {finding.remedy}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
