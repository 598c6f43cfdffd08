"""Bulk publishing through the outbox: interrupted half way, resumed, every listing once.

What it shows: a village co-operative publishes 60 listings (the farm's chickens and eggs,
one listing per household's lot) to a marketplace that misbehaves (the sandbox with 10 %
of requests failing with 500/503 and some connections dropped). Half way, the partner
presses Ctrl+C. Nothing is lost: the outbox on disk knows what was confirmed, and the next
run sends only the rest. Then the price of the eggs changes: only that is sent.

Key steps:
    1. render the drafts and pictures once;
    2. publish with a progress callback, stopped (KeyboardInterrupt) after 25 listings;
    3. look in the outbox: published, and left in flight or queued;
    4. resume: `publish()` with no new items sends what is due;
    5. check the marketplace holds each SKU exactly once; change a price; publish again.

Assumptions: the sandbox marketplace runs in this process on the loopback for the example;
on a real marketplace only the adapter name and its credentials change.

Run it:  python examples/bulk_publish_and_resume.py [OUTPUT_FOLDER]
"""

from __future__ import annotations

import datetime as dt
import signal
import sys
import tempfile
from pathlib import Path

import attrs

from ruralseller.catalog import Money, load_catalog
from ruralseller.listing import generate_listing, get_profile, process_images
from ruralseller.marketplaces import RetryPolicy
from ruralseller.publishing import Outbox, Progress, publish
from ruralseller.sandbox import Faults, create_app, running

CATALOGUE = Path(__file__).resolve().parent / "black-chickens"
TODAY = dt.date(2026, 11, 23)
HOUSEHOLDS = 30  # each household's chickens and eggs are listed under its own SKU
STOP_AFTER = 25
# A marketplace having a bad day: errors, dropped connections, answers lost after storing.
FAULTS = Faults(error_500=0.05, error_503=0.05, drop=0.03, lost_response=0.03, seed=7)
# Wait a little between tries in this example (a real run honours the marketplace's waits).
RETRY = RetryPolicy(max_attempts=8, base_delay=0.02, max_delay=0.2)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(tempfile.mkdtemp(prefix="ruralseller-"))
    out.mkdir(parents=True, exist_ok=True)
    outbox_file = out / "outbox.db"

    # 1. Drafts and pictures: rendered once, before any network is needed.
    catalog = load_catalog(CATALOGUE)
    spec = get_profile("sandbox").images
    items = []
    for lot in ("WJ261123A", "WE261118"):
        draft = generate_listing(catalog, lot, on=TODAY)
        pictures = process_images(draft.images, spec)
        items += [
            (attrs.evolve(draft, sku=f"{lot}-H{n:02d}", stock=5), pictures)
            for n in range(1, HOUSEHOLDS + 1)
        ]
    print(f"{len(items)} listings to publish")

    app = create_app(faults=FAULTS)
    with running(app=app) as url:
        # 2. Publish, and press Ctrl+C half way (the example sends itself the signal).
        def stop_half_way(progress: Progress) -> None:
            if progress.done == STOP_AFTER:
                signal.raise_signal(signal.SIGINT)

        try:
            publish(outbox_file, "sandbox", items, progress=stop_half_way, base_url=url,
                    retry=RETRY, concurrency=4)  # fmt: skip
        except KeyboardInterrupt:
            print(f"Interrupted after {STOP_AFTER} listings")

        # 3. The outbox knows where it stopped.
        print(f"Outbox after the interruption: {Outbox(outbox_file).counts()}")

        # 4. Resume: nothing new to queue, just send what is due.
        report = publish(outbox_file, "sandbox", base_url=url, retry=RETRY)
        print(
            f"Resumed: {report.count('published')} published now, "
            f"{len(report.failed)} failed, all ok: {report.ok}"
        )
        print(f"Outbox after resuming: {Outbox(outbox_file).counts()}")

        # 5. Exactly once on the marketplace, despite the faults and the interruption.
        stored = app.state.sandbox.count_listings()
        print(f"Marketplace holds {stored} listings for {len(items)} SKUs")

        # The eggs' price changes: only stock and price go out, for the egg listings.
        cheaper = [
            (attrs.evolve(draft, price=Money("42.00", "CNY")), pictures)
            if draft.sku.startswith("WE")
            else (draft, pictures)
            for draft, pictures in items
        ]
        again = publish(outbox_file, "sandbox", cheaper, base_url=url, retry=RETRY)
        print(
            f"After the price change: {again.count('stock_and_price')} stock_and_price, "
            f"{again.count('unchanged')} unchanged"
        )
    return 0 if stored == len(items) and report.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
