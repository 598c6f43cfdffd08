"""From a catalogue to a listing folder: one lot of black-bone chickens, end to end.

What it shows: every stage ruralseller has so far, run in order for lot WJ261120A, the whole
chilled Taihe silkie chickens slaughtered on 2026-11-20 at the county's licensed plant.

Key steps:
    1. load the catalogue (the sample copy in ``examples/black-chickens``);
    2. check the lot against China's rules (stop if anything blocks the sale);
    3. plan the pack for a 48 h journey on a hot southern-China summer day;
    4. plan shipping to a few big cities, handing the parcels in on 2026-11-21 at 08:00;
    5. print a package label (PNG) for one weighed 1.3 kg bird;
    6. render the listing for the local sandbox marketplace (text, pictures, preview page);
    7. write the lot's story as GS1 EPCIS 2.0 events;
    8. publish the listing through the outbox to a local sandbox marketplace.

Assumptions: the dates are fixed so the output is the same on every run; carrier services,
prices and transit times are ruralseller's example data for rural China, not a contract.

Run it:  python examples/list_black_chickens.py [OUTPUT_FOLDER]
(without a folder, the files go to a new temporary folder).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from ruralseller.catalog import Mass, load_catalog
from ruralseller.coldchain import CHINA_STANDARD_TIME, plan_shipment
from ruralseller.compliance import check
from ruralseller.listing import render_listing
from ruralseller.packaging import SOUTH_CHINA_SUMMER, lot_label, plan_pack, save_label
from ruralseller.publishing import publish
from ruralseller.sandbox import running
from ruralseller.traceability import events_for_lot

# The sample catalogue sits next to this script, wherever the repository was checked out.
CATALOGUE = Path(__file__).resolve().parent / "black-chickens"
LOT = "WJ261120A"
# Fixed dates: the day we check and list, and when the parcels are handed in at the village.
TODAY = dt.date(2026, 11, 21)
SHIP_AT = dt.datetime(2026, 11, 21, 8, 0, tzinfo=CHINA_STANDARD_TIME)
CITIES = ["广州", "深圳", "长沙", "上海", "北京"]


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(tempfile.mkdtemp(prefix="ruralseller-"))
    out.mkdir(parents=True, exist_ok=True)

    catalog = load_catalog(CATALOGUE)
    lot = catalog.lot(LOT)
    product = catalog.product_of(lot)
    print(f"Lot {lot.id}: {product.name}, {lot.quantity.count} birds, use by {lot.use_by}")

    # 1. Compliance first: there is no point packing what may not be sold.
    report = check(catalog, jurisdictions=["CN"], lots=[LOT], on=TODAY)
    print(
        f"CN compliance: {'ok' if report.ok else 'BLOCKED'} "
        f"({len(report.blocking)} blocking, {len(report.warnings)} warnings, "
        f"{len(report.infos)} info)"
    )
    if not report.ok:
        print(report.to_text())
        return 1

    # 2. The pack for the worst case we plan for: 48 h in the southern summer (30 ± 6 °C).
    #    plan_pack adds a 25 % margin and picks the cheapest box + coolant that holds.
    pack = plan_pack(catalog, LOT, journey=dt.timedelta(hours=48), ambient=SOUTH_CHINA_SUMMER)
    print(
        f"Pack (48 h, summer): {pack.container.name} + {pack.coolant_units} × "
        f"{pack.coolant.name if pack.coolant else 'no coolant'}; "
        f"{pack.gross} gross, {pack.packaging_cost} packaging + {pack.postage} postage"
    )

    # 3. Which cities can we sell to? Each city gets a route, a pack for its slow (P90) day,
    #    a simulated temperature history and the shelf life left on arrival.
    plan = plan_shipment(catalog, LOT, CITIES, SHIP_AT)
    for destination in plan.destinations:
        best = destination.best
        if best is not None and best.slow is not None and best.slow.shelf_life is not None:
            print(
                f"  ✓ {destination.name}: {best.service.id}, {best.cost}, "
                f"{best.slow.shelf_life.remaining:.0%} shelf life left on a slow day"
            )
        else:
            print(f"  ✗ {destination.name}: {destination.options[0].reasons[0]}")
    reachable = [d for d in plan.destinations if d.feasible]
    print(f"Reachable: {len(reachable)} of {len(plan.destinations)} cities")

    # 4. A whole bird is sold by weight: each package is weighed and labelled with its own
    #    net weight, which goes into the GS1-128 barcode and the QR code's Digital Link.
    label = lot_label(catalog, LOT, net_weight=Mass.parse("1.3 kg"), on=TODAY)
    label_path = save_label(label, out / f"label-{LOT}-1.3kg.png", dpi=203)
    print(f"Label: {label_path.name} ({label.gs1.element_string()})")

    # 5. The listing for the sandbox marketplace: draft.json, processed pictures and a
    #    self-contained preview.html to open in a browser.
    listing = render_listing(catalog, LOT, out / "listing-sandbox", marketplace="sandbox", on=TODAY)
    print(
        f"Listing: {listing.folder.name}/ ({'meets' if listing.valid else 'FAILS'} the sandbox "
        f"rules) {listing.draft.text('zh-CN').title}"
    )

    # 6. Traceability: the EPCIS events follow the first reachable city's planned shipment.
    #    Without a temperature logger, the shipping event carries the simulated slow-day
    #    temperatures (and says so in its dataProcessingMethod).
    shipment = reachable[0].best if reachable else None
    document = events_for_lot(
        catalog,
        LOT,
        shipment=shipment,
        created=dt.datetime(2026, 11, 25, 12, 0, tzinfo=CHINA_STANDARD_TIME),
    )
    events_path = out / f"{LOT}.epcis.jsonld"
    events_path.write_text(document.to_json(), encoding="utf-8")
    print(f"EPCIS: {events_path.name}, {len(document.events)} events")
    for event in document.events:
        print(f"  {event.event_time.isoformat()} {event.biz_step}")

    # 7. Publish through the outbox to the sandbox marketplace, started here on the loopback
    #    (no account, no network). For a real marketplace, change the adapter name and give
    #    its credentials: publish(outbox, "taobao", items, app_key=..., ...).
    with running() as url:
        report = publish(
            out / "outbox.db", "sandbox", [(listing.draft, listing.images)], base_url=url
        )
        for result in report.results:
            print(f"Published: {result.sku} {result.outcome} at {result.url}")
    print(f"Everything is in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
