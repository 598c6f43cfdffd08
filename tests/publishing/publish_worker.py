"""A publishing process for the crash tests: enqueue N listings, publish them, exit 0 when done.

Run as ``python publish_worker.py OUTBOX SANDBOX_URL N`` (OUTBOX: a file or a PostgreSQL URL);
the test kills it with SIGKILL at random moments and starts it again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import sys

import attrs
from PIL import Image

from ruralseller.catalog import load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.listing import generate_listing, get_profile, process_image
from ruralseller.marketplaces import RetryPolicy, get_marketplace
from ruralseller.publishing import Outbox, Publisher


async def _short(seconds: float) -> None:
    await asyncio.sleep(min(seconds, 0.02))


async def main(outbox_path: str, url: str, count: int) -> int:
    base = generate_listing(load_catalog(sample_path()), "WJ261120A", on=dt.date(2026, 11, 21))
    buffer = io.BytesIO()
    Image.new("RGB", (1300, 1300), (30, 28, 30)).save(buffer, "PNG")
    picture = process_image(buffer.getvalue(), get_profile("sandbox").images, name="hen.png")
    items = [(attrs.evolve(base, sku=f"KILL-{n:03d}"), [picture]) for n in range(count)]
    sandbox = get_marketplace(
        "sandbox",
        base_url=url,
        retry=RetryPolicy(max_attempts=6, base_delay=0.01, max_delay=0.05),
        sleep=_short,
    )
    try:
        report = await Publisher(Outbox(outbox_path), sandbox, concurrency=4, retry_in=0).publish(
            items
        )
    finally:
        await sandbox.aclose()
    return 0 if report.ok else 3


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]))))
