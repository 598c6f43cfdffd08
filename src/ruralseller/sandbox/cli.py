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

import attrs
import click
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
from rich.progress import Progress as RichProgress

from ruralseller.catalog import Catalog, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.coldchain import (
    CHINA_STANDARD_TIME,
    EXAMPLE_CITIES,
    DestinationPlan,
    ShipmentPlan,
    plan_shipment,
)
from ruralseller.compliance import Report, check
from ruralseller.errors import (
    CatalogValidationError,
    InvalidValueError,
    RuralSellerError,
    TraceabilityError,
)
from ruralseller.listing import ListingDraft, ProcessedImage, prepare_listings, write_listing
from ruralseller.marketplaces import marketplace_profile
from ruralseller.marketplaces.sandbox import SandboxMarketplace
from ruralseller.publishing import Progress, PublishReport, publish
from ruralseller.sandbox.app import create_app
from ruralseller.sandbox.config import Faults
from ruralseller.sandbox.demo_orders import DEMO_ACCOUNTS, sell_demo
from ruralseller.sandbox.server import running, serve
from ruralseller.traceability import EpcisDocument, events_for_lot

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


# The bundled sample's story day: the farm's last chickens were slaughtered that morning.
DEMO_DAY = dt.date(2026, 11, 23)
# Parcels are handed in at the village in the afternoon, once the morning's birds are chilled
# and packed.
HAND_IN = dt.time(14, 0)
DEMO_SHIP_AT = dt.datetime.combine(DEMO_DAY, HAND_IN, tzinfo=CHINA_STANDARD_TIME)


@sandbox.command(name="demo")
@click.argument(
    "catalog_path",
    required=False,
    type=click.Path(path_type=Path, exists=True, file_okay=False),
)
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where to write labels and listing previews (default: a new temporary folder).",
)
@click.option(
    "--serve/--no-serve",
    "keep_serving",
    default=True,
    show_default=True,
    help="Keep the sandbox running afterwards to open the listing pages (Ctrl+C stops it).",
)
@click.option("--port", default=0, show_default=True, help="Sandbox port; 0 takes a free one.")
@click.option(
    "--on",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Tell the story of this day (YYYY-MM-DD). Default: today for your catalogue; the "
    "sample's story day (2026-11-23) for the bundled sample.",
)
def demo(
    catalog_path: Path | None,
    *,
    out: Path | None,
    keep_serving: bool,
    port: int,
    day: dt.datetime | None,
) -> None:
    """The farm-to-listing demo, end to end, on an embedded sandbox marketplace.

    Runs on CATALOG (your own) or the bundled black-chicken sample. Checks each lot against
    the Chinese rules and the date on its label, plans its cold-chain journey to 100 Chinese
    cities, plans the pack and prints its label, writes its listing in Chinese and English
    (pictures to spec), and publishes what can be sold and shipped that day through the
    outbox to a sandbox started for the occasion; then buyers order on two of its shops, the
    stock falls on both, one order is shipped and the month's statement written. No account,
    no network.
    """
    folder = catalog_path or sample_path()
    story_day, why = _story_day(catalog_path, day)
    out = out or Path(tempfile.mkdtemp(prefix="ruralseller-demo-"))
    out.mkdir(parents=True, exist_ok=True)
    catalog, report = _load(folder, story_day)
    click.echo(f"Catalogue {folder}")
    if catalog.producers:
        producer = catalog.producers[0]
        click.echo(f"  {producer.name}, {producer.place}; {len(catalog.lots)} lots")
    click.echo(f"The story of {story_day.isoformat()} ({why})")
    ship_at = dt.datetime.combine(story_day, HAND_IN, tzinfo=CHINA_STANDARD_TIME)
    # The sandbox starts first: the labels' QR codes point at its resolver pages.
    with running(port=port, app=create_app(accounts=DEMO_ACCOUNTS)) as url:
        lots = [
            _demo_lot_safely(catalog, lot.id, report, out, url, ship_at=ship_at)
            for lot in catalog.lots
        ]
        listed = [lot for lot in lots if lot is not None]
        items = [(lot.draft, lot.images) for lot in listed]
        click.echo(f"\nPublishing {len(items)} listing(s) through the outbox to {url}")
        results = _publish_demo(out / "outbox.db", url, items)
        for result in results.results:
            click.echo(f"  {result.sku}: {result.outcome}  {result.url or result.message}")
        stories = [lot for lot in listed if lot.story is not None and lot.link]
        if stories:
            click.echo("\nThe lots' stories (GS1 EPCIS events), where the labels' QR codes lead:")
            _capture_stories(url, stories)
        if results.ok:
            sell_demo(
                url,
                out / "outbox.db",
                catalog,
                items,
                out,
                day=DEMO_DAY,
                shipped_at=DEMO_SHIP_AT,
                echo=click.echo,
            )
        click.echo(f"\nFiles (labels, listing previews, the outbox): {out}")
        if keep_serving and results.results:
            click.echo("Open the listing pages above in a browser; Ctrl+C stops the sandbox.")
            _wait_for_interrupt()
    if not results.ok:
        raise SystemExit(1)


def _story_day(catalog_path: Path | None, day: dt.datetime | None) -> tuple[dt.date, str]:
    """The day the demo tells the story of, and why that day."""
    if day is not None:
        return day.date(), "as asked with --on"
    if catalog_path is None:
        return DEMO_DAY, "the sample's story day; --on YYYY-MM-DD for another"
    return dt.datetime.now(dt.UTC).date(), "today; --on YYYY-MM-DD for another"


def _load(folder: Path, day: dt.date) -> tuple[Catalog, Report]:
    """The catalogue and its compliance report; a bad catalogue ends the demo, saying why."""
    try:
        catalog = load_catalog(folder)
        return catalog, check(catalog, jurisdictions=["CN"], on=day)
    except CatalogValidationError as error:
        click.echo(f"The catalogue {folder} cannot be read:", err=True)
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(2) from None
    except RuralSellerError as error:
        click.echo(f"error: {error}", err=True)
        raise SystemExit(2) from None


@attrs.frozen
class _DemoLot:
    """What the demo made for a lot it can sell."""

    draft: ListingDraft
    images: list[ProcessedImage]
    story: EpcisDocument | None
    link: str | None


def _demo_lot_safely(  # noqa: PLR0913 - one lot and where its story goes
    catalog: Catalog, lot_id: str, report: Report, out: Path, resolver: str, *, ship_at: dt.datetime
) -> _DemoLot | None:
    """:func:`_demo_lot`, where a lot that cannot go through says why and the demo goes on."""
    try:
        return _demo_lot(catalog, lot_id, report, out, resolver, ship_at=ship_at)
    except (RuralSellerError, OSError) as error:
        message = getattr(error, "message", None) or str(error)
        click.echo(f"  not listed: {message}")
        return None


def _demo_lot(  # noqa: PLR0913 - one lot and where its story goes
    catalog: Catalog, lot_id: str, report: Report, out: Path, resolver: str, *, ship_at: dt.datetime
) -> _DemoLot | None:
    """One lot through every stage, told in a few lines; its listing, when it can be sold."""
    lot = catalog.lot(lot_id)
    product = catalog.product_of(lot)
    day = ship_at.date()
    click.echo(f"\nLot {lot.id}: {product.name}")
    blocking = [f for f in report.for_lot(lot.id) if f.severity.value == "blocking"]
    if blocking:
        click.echo(f"  1 compliance (CN)  BLOCKED on {day}: {blocking[0].message}")
        return None
    made = lot.slaughter.slaughtered_at if lot.slaughter is not None else None
    if lot.production_date > day or (made is not None and made > ship_at):
        click.echo(f"  not listed: on {day} lot {lot.id} is not made yet ({lot.production_date})")
        return None
    warnings = sum(1 for f in report.for_lot(lot.id) if f.severity.value == "warning")
    click.echo(f"  1 compliance (CN)  may be sold ({warnings} warning(s))")
    plan = plan_shipment(catalog, lot.id, [c.place for c in EXAMPLE_CITIES], ship_at)
    reachable = plan.reachable
    click.echo(f"  2 cold chain       {len(reachable)} of {len(plan.destinations)} cities")
    if not reachable:
        reasons = [r for d in plan.destinations for o in d.options for r in o.reasons]
        reason = reasons[0] if reasons else "no carrier service serves these cities"
        click.echo(f"                     not listed: {reason}")
        return None
    for destination in _examples(plan):
        click.echo(f"                     {_destination_line(destination)}")
    farthest = max(
        (d for d in reachable if d.best is not None and d.best.slow is not None),
        key=lambda d: d.best.slow.duration if d.best and d.best.slow else dt.timedelta(0),
    )
    pack = farthest.best.pack if farthest.best else None
    if pack is not None:
        coolant = f" + {pack.coolant_units} × {pack.coolant.name}" if pack.coolant else ""
        holds = (
            f"keeps it cold for the {_hours(pack.journey)}"
            if pack.hold is not None
            else f"kept at ambient temperature for the {_hours(pack.journey)}"
        )
        click.echo(
            f"  3 pack             {pack.container.name}{coolant}, {pack.gross} gross; "
            f"{holds} slow-day journey to {farthest.name}, the longest"
        )
    label, link = _demo_label(catalog, lot.id, out, resolver, day)
    click.echo(f"  4 label            {label}")
    # The listing is what `ruralseller publish --to sandbox --on DAY` sends: the same
    # pipeline, the same inputs (the cold-chain plan above is told, not put in the draft).
    prepared = prepare_listings(
        catalog, [lot.id], marketplace_profile("sandbox"), marketplace="sandbox", on=day
    ).lots[0]
    if prepared.draft is None or not prepared.ok:
        for issue in prepared.errors:
            click.echo(f"  5 listing          not listed: {issue.field}: {issue.message}")
        return None
    draft, images = prepared.draft, list(prepared.images)
    for locale in draft.locales:
        click.echo(f"  5 listing ({locale:5}) {draft.text(locale).title}")
    weight = f"; ships at {draft.shipping_weight} packed" if draft.shipping_weight else ""
    click.echo(f"                     {draft.text(draft.locales[0]).price_text}{weight}")
    folder = write_listing(prepared, out / "listings" / f"{lot.id}-sandbox")
    click.echo(
        f"                     {len(images)} picture(s) to spec; preview {folder / 'preview.html'}"
    )
    try:
        story = events_for_lot(catalog, lot.id, shipment=farthest.best, created=ship_at)
    except TraceabilityError as error:
        click.echo(f"  6 story            not written: {error.message}")
        story = None
    return _DemoLot(draft=draft, images=images, story=story, link=link)


def _examples(plan: ShipmentPlan) -> list[DestinationPlan]:
    """A few destinations worth showing: the nearest, the farthest, and one that fails."""
    wanted = ("广州", "上海", "北京", "乌鲁木齐", "拉萨")
    shown = [d for d in plan.destinations if d.name.startswith(wanted)]
    failing = [d for d in plan.destinations if not d.feasible]
    return (shown + failing[:1])[:5]


def _destination_line(destination: DestinationPlan) -> str:
    best = destination.best
    if best is None or not destination.feasible:
        reasons = [r for o in destination.options for r in o.reasons]
        return f"✗ {destination.name}: {reasons[0] if reasons else 'no carrier service'}"
    left = ""
    if best.slow is not None and best.slow.shelf_life is not None:
        left = f", {best.slow.shelf_life.remaining:.0%} shelf life left on a slow day"
    return f"✓ {destination.name}: {best.service.id}, {best.cost}{left}"


def _hours(duration: dt.timedelta | None) -> str:
    if duration is None:
        return "as long as needed"
    return f"{duration.total_seconds() / 3600:.0f} h"


def _demo_label(
    catalog: Catalog, lot_id: str, out: Path, resolver: str, day: dt.date
) -> tuple[str, str | None]:
    """Write a label for one package of the lot (a weighed piece for variable weights).

    Returns what to print, and the label's GS1 Digital Link (its QR code), which points at
    the sandbox's resolver.
    """
    try:
        from ruralseller.packaging import lot_label, save_label  # noqa: PLC0415 - labels extra
    except ImportError:  # pragma: no cover - the demo installs the labels extra
        return "not printed (pip install 'ruralseller[labels]')", None
    piece = catalog.lot(lot_id).quantity.piece_mass
    weighed = None
    if piece is not None and piece.variable:
        weighed = piece.nominal or piece.lightest
    try:
        content = lot_label(
            catalog,
            lot_id,
            net_weight=weighed,
            on=day,
            digital_link_base=resolver,
            story_base=f"{resolver}/listings",  # for a product without a GTIN
        )
    except InvalidValueError as error:
        return f"not printed: {error.message}", None
    path = save_label(content, out / f"label-{lot_id}.png", dpi=203)
    if content.gs1 is None:
        return f"{path}  (no GTIN: no barcodes; QR {content.digital_link})", None
    return f"{path}  ({content.gs1.element_string()})", content.digital_link


def _capture_stories(url: str, lots: list[_DemoLot]) -> None:
    """Send each lot's events to the sandbox and print where its story is shown."""

    async def run() -> list[int]:
        adapter = SandboxMarketplace(url)
        try:
            return [await adapter.capture_events(lot.story) for lot in lots if lot.story]
        finally:
            await adapter.aclose()

    counts = asyncio.run(run())
    for lot, count in zip(lots, counts, strict=True):
        click.echo(f"  {lot.draft.sku}: {count} events  {lot.link}")


def _publish_demo(
    outbox: Path, url: str, items: list[tuple[ListingDraft, list[ProcessedImage]]]
) -> PublishReport:
    """Publish with a progress bar (rich, which the CLI extra brings)."""
    with RichProgress(
        TextColumn("  "),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        transient=True,
    ) as bar:
        task = bar.add_task("publishing", total=len(items))

        def advance(progress: Progress) -> None:
            bar.update(
                task,
                completed=progress.done,
                description=f"{progress.result.sku} {progress.result.outcome}",
            )

        return publish(outbox, "sandbox", items, progress=advance, base_url=url)


def _wait_for_interrupt() -> None:
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        click.echo("stopped")
