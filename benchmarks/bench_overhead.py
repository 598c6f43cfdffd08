"""What ruralseller costs on top of the HTTP itself, per listing, with no rate limit.

One listing is three requests to the sandbox marketplace (PUT the listing, PUT its picture,
POST publish), signed. Side by side in one run, against the same sandbox in its own process
(no rate limit, no faults), one listing after another:

* raw: ``httpx.Client`` with the sandbox's signing ``httpx.Auth``, sending the three requests
  with payloads built beforehand: the floor, what the network and the server cost;
* raw async: the same with ``httpx.AsyncClient`` on one ``asyncio.Runner``, as the adapter
  runs: what the async stack (asyncio, anyio, httpcore's async path) adds by itself;
* adapter: ``SyncMarketplace(SandboxMarketplace).upsert(draft, pictures)``: payload built from
  the draft, retries, rate-limit bucket, error mapping, on an event loop;
* outbox: ``publish()`` of one listing through the outbox (SQLite write of the intent and the
  pictures, change detection, the publisher, then the adapter).

Rounds alternate between the three so drift in the machine's speed touches all alike. The
ratio to raw is printed, on wall time and on this process's CPU time per listing (the
client's own cost, which the server in its other process and other work on a shared machine
do not change). Targets: the adapter at most 1.10 × raw, ``publish()`` at most 1.25 ×.
Nothing is asserted.

    .venv/bin/python benchmarks/bench_overhead.py [--quick] [--listings N]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import attrs
import httpx
from PIL import Image
from sandbox_process import sandbox_process

from ruralseller.catalog import load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.listing import draft_to_data, generate_listing, get_profile, process_image
from ruralseller.marketplaces import Secret, SyncMarketplace, image_name
from ruralseller.marketplaces.sandbox import (
    DEMO_KEY_ID,
    DEMO_SECRET,
    SandboxAuth,
    SandboxMarketplace,
)
from ruralseller.publishing import Outbox, publish

TARGET = 1.10
OUTBOX_TARGET = 1.25
NO_LIMIT = 1_000_000.0


def _listing() -> tuple[Any, Any]:
    draft = generate_listing(load_catalog(sample_path()), "WJ261120A", on=dt.date(2026, 11, 21))
    buffer = io.BytesIO()
    Image.new("RGB", (1300, 1300), (30, 28, 30)).save(buffer, "PNG")
    picture = process_image(buffer.getvalue(), get_profile("sandbox").images, name="hen.png")
    return draft, picture


class Runs:
    """The three ways of publishing one listing, each timing itself into ``times``."""

    def __init__(self, url: str, scratch: Path, draft: Any, picture: Any) -> None:
        self.url, self.draft, self.picture = url, draft, picture
        self.times: dict[str, list[float]] = {
            "raw": [],
            "raw async": [],
            "adapter": [],
            "outbox": [],
        }
        # This process's CPU seconds per listing: what the client costs, whatever the server
        # (in its own process) and the rest of a shared machine are doing.
        self.cpu: dict[str, list[float]] = {name: [] for name in self.times}
        auth = SandboxAuth(DEMO_KEY_ID, Secret(DEMO_SECRET))
        self.client = httpx.Client(base_url=url, auth=auth, timeout=30)
        self.runner = asyncio.Runner()
        self.async_client = httpx.AsyncClient(base_url=url, auth=auth, timeout=30)
        self.adapter = SyncMarketplace(SandboxMarketplace(url, rate=NO_LIMIT))
        self.outbox = Outbox(scratch / "outbox.db")

    def close(self) -> None:
        self.client.close()
        self.runner.run(self.async_client.aclose())
        self.runner.close()
        self.adapter.close()
        self.outbox.close()

    def raw(self, sku: str) -> None:
        data = draft_to_data(attrs.evolve(self.draft, sku=sku))
        name = image_name(self.picture)
        data["images"] = [name]
        body = json.dumps(data, ensure_ascii=False).encode()
        start, cpu = time.perf_counter(), time.process_time()
        answers = (
            self.client.put(
                f"/v1/listings/{sku}", content=body, headers={"Content-Type": "application/json"}
            ),
            self.client.put(
                f"/v1/listings/{sku}/images/{name}",
                content=self.picture.data,
                headers={"Content-Type": self.picture.media_type},
            ),
            self.client.post(f"/v1/listings/{sku}/publish"),
        )
        self.times["raw"].append(time.perf_counter() - start)
        self.cpu["raw"].append(time.process_time() - cpu)
        if any(a.status_code >= 400 for a in answers):
            raise RuntimeError(f"raw publishing of {sku} failed")

    def raw_async(self, sku: str) -> None:
        data = draft_to_data(attrs.evolve(self.draft, sku=sku))
        name = image_name(self.picture)
        data["images"] = [name]
        body = json.dumps(data, ensure_ascii=False).encode()
        client = self.async_client

        async def send() -> tuple[httpx.Response, ...]:
            return (
                await client.put(
                    f"/v1/listings/{sku}",
                    content=body,
                    headers={"Content-Type": "application/json"},
                ),
                await client.put(
                    f"/v1/listings/{sku}/images/{name}",
                    content=self.picture.data,
                    headers={"Content-Type": self.picture.media_type},
                ),
                await client.post(f"/v1/listings/{sku}/publish"),
            )

        start, cpu = time.perf_counter(), time.process_time()
        answers = self.runner.run(send())
        self.times["raw async"].append(time.perf_counter() - start)
        self.cpu["raw async"].append(time.process_time() - cpu)
        if any(a.status_code >= 400 for a in answers):
            raise RuntimeError(f"raw async publishing of {sku} failed")

    def adapter_upsert(self, sku: str) -> None:
        listing = attrs.evolve(self.draft, sku=sku)
        start, cpu = time.perf_counter(), time.process_time()
        self.adapter.upsert(listing, [self.picture])
        self.times["adapter"].append(time.perf_counter() - start)
        self.cpu["adapter"].append(time.process_time() - cpu)

    def outbox_publish(self, sku: str) -> None:
        listing = attrs.evolve(self.draft, sku=sku)
        start, cpu = time.perf_counter(), time.process_time()
        report = publish(self.outbox, "sandbox", [(listing, [self.picture])], base_url=self.url)
        self.times["outbox"].append(time.perf_counter() - start)
        self.cpu["outbox"].append(time.process_time() - cpu)
        if not report.ok:
            raise RuntimeError(f"publishing {sku} through the outbox failed")

    def round(self, prefix: str) -> None:
        """One listing each way, in turn."""
        self.raw(f"RAW-{prefix}")
        self.raw_async(f"ASYNC-{prefix}")
        self.adapter_upsert(f"ADAPTER-{prefix}")
        self.outbox_publish(f"OUTBOX-{prefix}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="60 listings each instead of 300")
    parser.add_argument("--listings", type=int, default=None)
    args = parser.parse_args()
    count = args.listings or (60 if args.quick else 300)
    draft, picture = _listing()
    with tempfile.TemporaryDirectory() as scratch:
        with sandbox_process(Path(scratch) / "sandbox.db", rate=NO_LIMIT) as url:
            runs = Runs(url, Path(scratch), draft, picture)
            for warm in range(5):  # connections, caches, first imports
                runs.round(f"WARM-{warm}")
            runs.times = {name: [] for name in runs.times}
            runs.cpu = {name: [] for name in runs.times}
            for n in range(count):
                runs.round(f"{n:05d}")
            runs.close()
        times, cpu = runs.times, runs.cpu

    print(
        f"one listing (3 signed requests) to the sandbox in its own process, {count} each; "
        f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}"
    )
    print(f"{'':10}{'median ms':>12}{'mean ms':>12}{'× raw':>10}{'client CPU ms':>15}{'× raw':>8}")
    floor = statistics.median(times["raw"])
    cpu_floor = statistics.fmean(cpu["raw"])
    for name, values in times.items():
        median = statistics.median(values)
        mine = statistics.fmean(cpu[name])
        print(
            f"{name:10}{median * 1000:12.2f}{statistics.fmean(values) * 1000:12.2f}"
            f"{median / floor:10.2f}{mine * 1000:15.2f}{mine / cpu_floor:8.2f}"
        )
    print(
        f"targets: adapter at most {TARGET} × raw, publish() through the outbox at most "
        f"{OUTBOX_TARGET} × raw"
    )


if __name__ == "__main__":
    main()
