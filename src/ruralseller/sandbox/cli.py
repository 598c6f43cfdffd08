"""``ruralseller sandbox``: run the sandbox marketplace from the command line.

The ``ruralseller`` command finds this group through the ``ruralseller.cli`` entry-point
group (the CLI may not import the sandbox: both sit on top of the stages).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile
import time
from pathlib import Path

import click

from ruralseller.catalog import load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.coldchain import CHINA_STANDARD_TIME, EXAMPLE_CITIES, plan_shipment
from ruralseller.compliance import check
from ruralseller.listing import (
    ListingDraft,
    ProcessedImage,
    generate_listing,
    get_profile,
    process_images,
)
from ruralseller.marketplaces.sandbox import SandboxMarketplace
from ruralseller.publishing import Outbox, Publisher, PublishReport
from ruralseller.sandbox.app import create_app
from ruralseller.sandbox.config import Faults
from ruralseller.sandbox.server import running, serve

__all__ = ["demo", "sandbox"]


@click.group(name="sandbox")
def sandbox() -> None:
    """The local sandbox marketplace: publish to it with no account and no network."""


@sandbox.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite file to keep listings in between runs. Default: in memory.",
)
@click.option("--rate", default=20.0, show_default=True, help="Requests per second allowed.")
@click.option(
    "--fault",
    "faults",
    multiple=True,
    metavar="KIND=RATE",
    help="Misbehave on purpose, e.g. --fault error_503=0.1 --fault lost_response=0.05 "
    "(kinds: error_500, error_503, slow, drop, lost_response).",
)
def sandbox_serve(
    host: str, port: int, db: Path | None, rate: float, faults: tuple[str, ...]
) -> None:
    """Run the sandbox marketplace until Ctrl+C (demo account: key `demo`)."""
    try:
        injected = _faults(faults)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--fault") from None
    click.echo(
        f"sandbox marketplace on http://{host}:{port} "
        f"(listings in {db or 'memory'}; pages at /, API at /openapi.json)",
        err=True,
    )
    serve(host, port, db=str(db) if db else ":memory:", rate=rate, burst=2 * rate, faults=injected)


_FAULT_KINDS = ("error_500", "error_503", "slow", "drop", "lost_response")


def _faults(options: tuple[str, ...]) -> Faults:
    """The ``Faults`` the ``--fault KIND=RATE`` options ask for."""
    rates: dict[str, float] = {}
    for kind, value in _key_values(options):
        if kind not in _FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; the kinds are {', '.join(_FAULT_KINDS)}")
        try:
            rates[kind] = float(value)
        except ValueError:
            raise ValueError(f"the rate of {kind} must be a number, got {value!r}") from None
    return Faults(
        error_500=rates.get("error_500", 0.0),
        error_503=rates.get("error_503", 0.0),
        slow=rates.get("slow", 0.0),
        drop=rates.get("drop", 0.0),
        lost_response=rates.get("lost_response", 0.0),
    )


def _key_values(items: tuple[str, ...]) -> list[tuple[str, str]]:
    pairs = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"expected KIND=RATE, e.g. error_503=0.1, got {item!r}")
        pairs.append((key.strip(), value.strip()))
    return pairs


# The demo's story day: the farm's last chickens were slaughtered that morning.
DEMO_DAY = dt.date(2026, 11, 23)
DEMO_SHIP_AT = dt.datetime(2026, 11, 23, 8, 0, tzinfo=CHINA_STANDARD_TIME)


@sandbox.command(name="demo")
@click.argument(
    "catalog_path",
    required=False,
    type=click.Path(path_type=Path, exists=True, file_okay=False),
)
@click.option(
    "--serve/--no-serve",
    "keep_serving",
    default=True,
    show_default=True,
    help="Keep the sandbox running afterwards to open the listing pages (Ctrl+C stops it).",
)
@click.option("--port", default=0, show_default=True, help="Sandbox port; 0 takes a free one.")
def demo(catalog_path: Path | None, *, keep_serving: bool, port: int) -> None:
    """The black-chicken demo, end to end, on an embedded sandbox marketplace.

    Checks each lot against the Chinese rules, plans its cold-chain journey to 100 Chinese
    cities, writes its listing (pictures to spec), and publishes what can be sold and
    shipped through the outbox to a sandbox started for the occasion. No account, no network.
    """
    folder = catalog_path or sample_path()
    catalog = load_catalog(folder)
    producer = catalog.producers[0]
    click.echo(f"1. Catalogue {folder}: {producer.name}, {producer.place}")
    report = check(catalog, jurisdictions=["CN"], on=DEMO_DAY)
    items: list[tuple[ListingDraft, list[ProcessedImage]]] = []
    for lot in catalog.lots:
        product = catalog.product_of(lot)
        blocking = [f for f in report.for_lot(lot.id) if f.severity.value == "blocking"]
        click.echo(f"\n   lot {lot.id}: {product.name}")
        if blocking:
            click.echo(f"2. compliance (CN): BLOCKED: {blocking[0].message}")
            continue
        click.echo("2. compliance (CN): may be sold")
        plan = plan_shipment(catalog, lot.id, [c.place for c in EXAMPLE_CITIES], DEMO_SHIP_AT)
        reachable = plan.reachable
        click.echo(f"3. cold chain: {len(reachable)} of {len(plan.destinations)} cities reachable")
        if not reachable:
            reasons = [r for d in plan.destinations for o in d.options for r in o.reasons]
            reason = reasons[0] if reasons else "no carrier service serves these cities"
            click.echo(f"   not listed, nowhere to ship it: e.g. {reason}")
            continue
        draft = generate_listing(catalog, lot.id, on=DEMO_DAY, shipment=plan)
        images = list(process_images(draft.images, get_profile("sandbox").images))
        click.echo(f"4. listing: {draft.text('zh-CN').title} ({len(images)} picture(s))")
        items.append((draft, images))
    with tempfile.TemporaryDirectory(prefix="ruralseller-demo-") as scratch:
        app = create_app()
        with running(port=port, app=app) as url:
            results = _publish_demo(Outbox(Path(scratch) / "outbox.db"), url, items)
            click.echo(f"\n5. published to the sandbox marketplace at {url}:")
            for result in results.results:
                click.echo(f"   {result.sku}: {result.outcome} {result.url or result.message}")
            if keep_serving:
                click.echo("\nOpen the pages above in a browser; Ctrl+C stops the sandbox.")
                _wait_for_interrupt()
    if not results.ok:
        raise SystemExit(1)


def _publish_demo(
    outbox: Outbox, url: str, items: list[tuple[ListingDraft, list[ProcessedImage]]]
) -> PublishReport:
    async def run() -> PublishReport:
        adapter = SandboxMarketplace(url)
        try:
            return await Publisher(outbox, adapter).publish(items)
        finally:
            await adapter.aclose()

    return asyncio.run(run())


def _wait_for_interrupt() -> None:
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        click.echo("stopped")
