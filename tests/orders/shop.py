"""A sandbox with several shops (channels), listings published to each, and buyers.

Shared by the order tests, the intake worker they kill, and the benchmark.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import io
from collections.abc import Sequence

import attrs
import httpx
from PIL import Image

from ruralseller.catalog import Catalog, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.listing import ProcessedImage, generate_listing, get_profile, process_image
from ruralseller.marketplaces import RetryPolicy
from ruralseller.marketplaces.sandbox import SandboxMarketplace
from ruralseller.orders import Channel, on_channel
from ruralseller.publishing import Outbox, Publisher

DAY = dt.date(2026, 11, 21)
LOT = "WJ261120A"
ACCOUNTS = {"shop-a": "secret-a", "shop-b": "secret-b", "shop-c": "secret-c"}
CHANNELS = tuple(
    Channel(name=f"sandbox-{key[-1]}", marketplace="sandbox", account=key) for key in ACCOUNTS
)


@functools.cache
def catalog() -> Catalog:
    return load_catalog(sample_path())


@functools.cache
def picture() -> ProcessedImage:
    buffer = io.BytesIO()
    Image.new("RGB", (1300, 1300), (30, 28, 30)).save(buffer, "PNG")
    return process_image(buffer.getvalue(), get_profile("sandbox").images, name="hen.png")


async def _short(seconds: float) -> None:
    await asyncio.sleep(min(seconds, 0.02))


def adapter(url: str, channel: Channel) -> SandboxMarketplace:
    return SandboxMarketplace(
        url,
        key_id=channel.account,
        secret=ACCOUNTS[channel.account],
        rate=5000.0,
        retry=RetryPolicy(max_attempts=6, base_delay=0.01, max_delay=0.05),
        sleep=_short,
    )


async def publish_everywhere(
    outbox: Outbox, url: str, stock: int, channels: Sequence[Channel] = CHANNELS
) -> None:
    draft = attrs.evolve(generate_listing(catalog(), LOT, on=DAY), stock=stock)
    for channel in channels:
        sandbox = adapter(url, channel)
        try:
            report = await Publisher(outbox, on_channel(sandbox, channel.name)).publish(
                [(draft, [picture()])]
            )
            assert report.ok, report
        finally:
            await sandbox.aclose()


def buy(url: str, account: str, quantity: int = 1) -> int:
    """One buyer's order: the sandbox's answer status (201, or 409 when it shows none)."""
    answer = httpx.post(
        f"{url}/v1/shop/{account}/orders",
        json={"sku": LOT, "quantity": quantity, "buyer": {"name": "买家"}},
        timeout=30,
    )
    assert answer.status_code in (201, 409), answer.text
    return answer.status_code
