"""Bulk publishing against a rate limit with injected faults: throughput, duplicates, losses.

A partner publishes a few thousand listings to a marketplace that allows ``--rate`` requests
per second and fails 5 % of requests with a 500 or a 503 (``Retry-After: 1``). The marketplace
is the sandbox, run **in its own process** (as a real one is: in the benchmark's process it
would share the interpreter with the client). Side by side in one run:

* ours: ``ruralseller.publishing`` (outbox + ``Publisher``, 32 listings in flight) through the
  sandbox adapter, whose token bucket keeps to the limit and whose retries absorb the faults;
* naive: a sequential loop over ``httpx.Client``, signing each request (``SandboxAuth``) and
  sending PUT listing, PUT picture, POST publish one after the other, what a user would
  otherwise write; a 429 or 5xx is counted as a failed listing, as such a loop would.

Each listing is 3 requests. Printed: requests per second sent (retries included) and that as
a fraction of the limit (target at least 0.95), listings published per second, listings the
sandbox stored and published (duplicates would show as stored rows beyond distinct SKUs;
lost ones as fewer published than asked), and failures. Nothing is asserted.

    .venv/bin/python benchmarks/bench_publish.py [--quick] [--listings N] [--rate R]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import attrs
import httpx
from PIL import Image
from sandbox_process import sandbox_process, stored

from ruralseller.catalog import load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.listing import (
    ListingDraft,
    ProcessedImage,
    draft_to_data,
    generate_listing,
    get_profile,
    process_image,
)
from ruralseller.marketplaces import Secret, image_name
from ruralseller.marketplaces.sandbox import (
    DEMO_KEY_ID,
    DEMO_SECRET,
    SandboxAuth,
    SandboxMarketplace,
)
from ruralseller.publishing import Outbox, Publisher

TARGET_FRACTION = 0.95
REQUESTS_PER_LISTING = 3


def _items(count: int, prefix: str) -> list[tuple[ListingDraft, list[ProcessedImage]]]:
    base = generate_listing(load_catalog(sample_path()), "WJ261120A", on=dt.date(2026, 11, 21))
    buffer = io.BytesIO()
    Image.new("RGB", (1300, 1300), (30, 28, 30)).save(buffer, "PNG")
    picture = process_image(buffer.getvalue(), get_profile("sandbox").images, name="hen.png")
    return [(attrs.evolve(base, sku=f"{prefix}-{n:05d}"), [picture]) for n in range(count)]


def ours(url: str, items: list[Any], rate: float, concurrency: int = 32) -> dict[str, Any]:
    sent = [0]

    async def count(_request: httpx.Request) -> None:
        sent[0] += 1

    async def run() -> Any:
        adapter = SandboxMarketplace(url, rate=rate)
        adapter.http.client.event_hooks["request"] = [count]
        try:
            return await Publisher(Outbox(":memory:"), adapter, concurrency=concurrency).publish(
                items
            )
        finally:
            await adapter.aclose()

    start = time.perf_counter()
    report = asyncio.run(run())
    elapsed = time.perf_counter() - start
    return {
        "seconds": elapsed,
        "requests": sent[0],
        "failed": len(items) - report.count("published"),
    }


def naive(url: str, items: list[Any]) -> dict[str, Any]:
    auth = SandboxAuth(DEMO_KEY_ID, Secret(DEMO_SECRET))
    failed = requests = 0
    start = time.perf_counter()
    with httpx.Client(base_url=url, auth=auth, timeout=30) as client:
        for draft, images in items:
            data = draft_to_data(draft)
            data["images"] = [image_name(i) for i in images]
            body = json.dumps(data, ensure_ascii=False).encode()
            answers = [
                client.put(
                    f"/v1/listings/{draft.sku}",
                    content=body,
                    headers={"Content-Type": "application/json"},
                )
            ]
            answers.extend(
                client.put(
                    f"/v1/listings/{draft.sku}/images/{image_name(image)}",
                    content=image.data,
                    headers={"Content-Type": image.media_type},
                )
                for image in images
            )
            answers.append(client.post(f"/v1/listings/{draft.sku}/publish"))
            requests += len(answers)
            failed += any(a.status_code >= 400 for a in answers)
    return {"seconds": time.perf_counter() - start, "requests": requests, "failed": failed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="300 listings instead of 3000")
    parser.add_argument("--listings", type=int, default=None)
    parser.add_argument("--rate", type=float, default=100.0, help="the sandbox's requests/s")
    parser.add_argument(
        "--concurrency", type=int, default=32, help="listings ours keeps in flight (32)"
    )
    parser.add_argument("--faults", type=float, default=0.05, help="share of 500/503 answers")
    args = parser.parse_args()
    count = args.listings or (300 if args.quick else 3000)
    rate = args.rate
    print(
        f"publishing {count} listings ({count * REQUESTS_PER_LISTING} requests) at {rate:g}/s "
        f"with {args.faults:.0%} of requests answered 500 or 503, sandbox in its own process"
    )
    header = ("seconds", "requests", "req/s", "of limit", "listed/s", "stored", "dupes", "lost")
    print(f"{'':8}" + "".join(f"{h:>10}" for h in header) + f"{'failed':>10}")
    for name in ("ours", "naive"):
        items = _items(count, name.upper())
        with tempfile.TemporaryDirectory() as scratch:
            db = Path(scratch) / "sandbox.db"
            with sandbox_process(
                db, rate=rate, error_500=args.faults / 2, error_503=args.faults / 2
            ) as url:
                result = (
                    ours(url, items, rate, args.concurrency)
                    if name == "ours"
                    else naive(url, items)
                )
            rows, distinct, published = stored(db)
        per_second = result["requests"] / result["seconds"]
        listed = published / result["seconds"]
        print(
            f"{name:8}{result['seconds']:10.2f}{result['requests']:10d}{per_second:10.1f}"
            f"{per_second / rate:10.2f}{listed:10.1f}{rows:10d}{rows - distinct:10d}"
            f"{count - published:10d}{result['failed']:10d}"
        )
    print(
        f"target: ours at least {TARGET_FRACTION} of the limit, 0 dupes, 0 lost, 0 failed "
        "(naive: what a plain loop loses to 429s and 5xx)"
    )


if __name__ == "__main__":
    main()
