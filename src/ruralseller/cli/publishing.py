"""``ruralseller publish``, ``sync``, ``withdraw``, ``outbox`` and ``marketplaces``.

Everything that goes to a marketplace goes through the outbox first. Ctrl+C during
``publish`` or ``sync`` puts the listings in flight back in the queue and says how to resume.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import attrs
import click
from rich.markup import escape
from rich.progress import Progress

from ruralseller.catalog import CATALOG_FILE, Catalog, Money, load_catalog
from ruralseller.cli._errors import EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_NO, answer
from ruralseller.cli._output import Column, emit_json, err, format_option, out, print_table
from ruralseller.cli._store import STORE, outbox_target, shown, store_exists
from ruralseller.cli._today import delivery_option, on_option, today
from ruralseller.cli._waiting import WAITING, print_waiting, retry_text
from ruralseller.cli.accounts import account_queue, marketplace_target, saved_settings
from ruralseller.errors import InvalidValueError, RuralSellerError
from ruralseller.listing import (
    PROFILES,
    ListingDraft,
    ListingIssue,
    PictureCache,
    ProcessedImage,
    draft_to_data,
    prepare_listings,
)
from ruralseller.marketplaces import (
    get_marketplace,
    image_name,
    installed_marketplaces,
    load_marketplace,
    marketplace_profile,
    settings_from_text,
    split_queue,
)
from ruralseller.publishing import (
    OUTCOMES,
    JobState,
    Outbox,
    Publisher,
    PublishReport,
    PublishResult,
    picture_cache,
    withdraw_stale,
)
from ruralseller.publishing import Progress as PublishProgress

_F = TypeVar("_F", bound=Callable[..., Any])

__all__ = [
    "marketplaces_command",
    "outbox_command",
    "publish",
    "sync",
    "withdraw",
]


_TO_HELP = (
    "The marketplace, e.g. sandbox (any case; `ruralseller marketplaces` lists them), and a "
    "saved account after a colon: ebay:shop2 (`ruralseller accounts`)."
)


def _to_option(function: _F) -> _F:
    option = click.option(
        "--to", "marketplace", required=True, callback=marketplace_target, help=_TO_HELP
    )
    return option(function)


@click.command(name="marketplaces")
@format_option()
def marketplaces_command(fmt: str) -> None:
    """List the installed marketplace adapters and what each can do."""
    infos = installed_marketplaces()
    if fmt == "json":
        data = [
            {
                "name": info.name,
                "provider": info.provider,
                "target": info.target,
                "capabilities": list(info.capabilities.names()) if info.capabilities else None,
                "problem": info.problem or None,
            }
            for info in infos
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for info in infos:
        where = "built in" if info.provider == "ruralseller" else f"from {info.provider}"
        out.print(f"[bold]{escape(info.name)}[/]  [dim]{escape(where)}, {escape(info.target)}[/]")
        if info.capabilities is not None:
            names = ", ".join(info.capabilities.names()) or "none declared"
            out.print(f"    capabilities: {escape(names)}")
        if info.problem:
            out.print(f"    [yellow]problem:[/] {escape(info.problem)}")


# --- publishing ------------------------------------------------------------------------------

_OUTBOX_HELP = (
    "The outbox: a file, or a postgresql:// URL. "
    "Default: .ruralseller/outbox.db inside the catalogue folder."
)


def _has_catalogue(path: Path) -> bool:
    """Whether ``path`` is a catalogue file or a folder holding one."""
    return path.is_file() or any(
        (path / name).is_file() for name in (CATALOG_FILE, Path(CATALOG_FILE).stem + ".json")
    )


def _outbox_path(catalog_path: Path, outbox: Path | str | None) -> Path | str:
    return outbox_target(catalog_path, outbox)


def _marketplace_options(
    marketplace: str, options: tuple[str, ...], *, account: str | None = None
) -> dict[str, Any]:
    """The adapter's settings: saved account < ``RURALSELLER_<NAME>_<KEY>`` < ``-o KEY=VALUE``."""
    config: dict[str, str] = {}
    for option in options:
        key, sep, value = option.partition("=")
        if not sep or not key:
            raise click.BadParameter(
                f"expected KEY=VALUE, e.g. base_url=http://127.0.0.1:8765, got {option!r}",
                param_hint="--option",
            )
        config[key.strip()] = value.strip()
    try:
        config = saved_settings(marketplace, config, account=account)
        return settings_from_text(marketplace, config)
    except InvalidValueError as exc:
        raise click.BadParameter(
            f"{exc.message} ({exc.hint})" if exc.hint else exc.message, param_hint="--option"
        ) from None


def _prices(items: tuple[str, ...]) -> dict[str, Money]:
    """``--price LOT=AMOUNT`` options, e.g. ``WJ261123A=5.20 USD``."""
    prices = {}
    for item in items:
        lot_id, sep, text = item.partition("=")
        message = "expected LOT=AMOUNT CURRENCY"
        if sep and lot_id.strip():
            try:
                prices[lot_id.strip()] = Money.parse(text.strip())
                continue
            except (ValueError, RuralSellerError) as exc:
                message = str(exc)
        raise click.BadParameter(
            f"{item!r}: {message}; e.g. --price WJ261123A='5.20 USD'", param_hint="--price"
        )
    return prices


def _picture_cache(catalog_path: Path, outbox: Path | str | None, *, dry_run: bool) -> PictureCache:
    """Pictures already made, kept beside the outbox file.

    For an outbox in PostgreSQL they are kept in the catalogue's ``.ruralseller`` folder; on
    a dry run, which writes nothing, in memory only.
    """
    if dry_run:
        return PictureCache()
    return picture_cache(_outbox_path(catalog_path, outbox), folder=catalog_path / ".ruralseller")


def _drafts(
    catalog: Catalog,
    lot_ids: tuple[str, ...],
    marketplace: str,
    prices: dict[str, Money],
    on: dt.date,
    delivery: dt.timedelta,
    options: tuple[str, ...] = (),
    cache: PictureCache | None = None,
) -> tuple[list[tuple[ListingDraft, list[ProcessedImage]]], list[tuple[str, list[ListingIssue]]]]:
    # The adapter's own profile: a third-party adapter's drafts meet its rules, not ours.
    profile = (
        PROFILES[marketplace]
        if marketplace in PROFILES
        else marketplace_profile(marketplace, **_marketplace_options(marketplace, options))
    )
    prepared = prepare_listings(
        catalog,
        lot_ids,
        profile,
        marketplace=marketplace,
        on=on,
        prices=prices,
        delivery=delivery,
        cache=cache,
        workers=None,  # every core: the command is a process of its own
    )
    ready = [(lot.draft, list(lot.images)) for lot in prepared.ready if lot.draft is not None]
    refused = [(lot.lot, list(lot.errors)) for lot in prepared.refused]
    return ready, refused


#: What each outcome is, as a header: (outcomes, header, colour).
_GROUPS = (
    (("published", "updated", "stock_and_price"), "Published to {}", "green"),
    (("unchanged",), "Unchanged on {} (nothing to send)", "green"),
    (("withdrawn",), "Withdrawn from {}", "green"),
    (("retry_later",), "Not sent to {} yet (sent again by `ruralseller sync`)", "yellow"),
    (("failed",), "Failed on {}", "red"),
)


def _result_details(result: PublishResult) -> str:
    if result.outcome in ("failed", "retry_later"):
        fields = "; ".join(f"{k}: {v}" for k, v in result.field_errors.items())
        return fields or result.message
    return result.url or ""


def _publish_report(report: PublishReport) -> None:
    """One table per kind of outcome, each under a header that says what happened."""
    columns = [
        Column("SKU"),
        Column("outcome", keep=1),
        Column("details", keep=2, wrap=True),
    ]
    for outcomes, header, style in _GROUPS:
        results = [result for result in report.results if result.outcome in outcomes]
        if not results:
            continue
        rows = [
            [escape(r.sku), f"[{style}]{r.outcome}[/]", escape(_result_details(r))] for r in results
        ]
        print_table(out, columns, rows, title=header.format(report.marketplace))
    counts = ", ".join(
        f"{report.count(outcome)} {outcome}" for outcome in OUTCOMES if report.count(outcome)
    )
    out.print(counts or "nothing to publish")


def _queue_json(queue: str) -> dict[str, str]:
    """The marketplace, account and outbox queue, e.g. ``ebay``, ``shop2``, ``ebay:shop2``."""
    marketplace, account = split_queue(queue)
    return {"marketplace": marketplace, "account": account, "queue": queue}


def _report_json(report: PublishReport) -> dict[str, Any]:
    return {
        **_queue_json(report.marketplace),
        "ok": report.ok,
        "counts": {outcome: report.count(outcome) for outcome in OUTCOMES},
        "results": [
            {
                "sku": r.sku,
                "outcome": r.outcome,
                "url": r.url,
                "message": r.message or None,
                "field_errors": dict(r.field_errors),
            }
            for r in report.results
        ],
    }


def _refused_json(refused: list[tuple[str, list[ListingIssue]]]) -> list[dict[str, Any]]:
    return [
        {
            "lot": lot_id,
            "issues": [
                {"field": i.field, "message": i.message, "fix": i.fix, "severity": i.severity.value}
                for i in issues
            ],
        }
        for lot_id, issues in refused
    ]


def _interrupted(outbox: Outbox, queue: str, resume: str) -> SystemExit:
    """After Ctrl+C: put this run's listings in flight back in the queue, say how to resume."""
    released = outbox.requeue_in_flight(queue)
    waiting = len(outbox.jobs(*WAITING, marketplace=queue))
    err.print(
        f"[yellow]interrupted:[/] {released} listing(s) being sent were put back in the queue; "
        f"{waiting} listing(s) wait in {escape(outbox.path)}.\n"
        f"  resume with: {escape(resume)}"
    )
    return SystemExit(EXIT_INTERRUPTED)


def _run_publisher(
    outbox: Outbox,
    marketplace: str,
    config: dict[str, str],
    items: list[Any],
    concurrency: int,
    stale: tuple[Catalog, dt.date, dt.timedelta] | None = None,
    *,
    resume: str = "ruralseller sync",
    queue: str | None = None,
) -> PublishReport:
    try:
        adapter = get_marketplace(marketplace, **config)
    except TypeError as exc:
        raise click.BadParameter(str(exc), param_hint="--option") from None
    except InvalidValueError as exc:  # a setting the adapter refuses (e.g. image_base_url)
        hint = f"; {exc.hint}" if exc.hint else ""
        raise click.BadParameter(f"{exc.message}{hint}", param_hint="--option") from None

    async def run(progress: Progress) -> PublishReport:
        task = progress.add_task("publishing", total=None)

        def advance(step: PublishProgress) -> None:
            progress.update(task, total=step.total, completed=step.done)

        try:
            publisher = Publisher(
                outbox, adapter, concurrency=concurrency, progress=advance, queue=queue
            )
            withdrawn: tuple[Any, ...] = ()
            if stale is not None:
                # Lots past their sell-by cut-off come off sale before anything is sent.
                catalog, day, delivery = stale
                report = await withdraw_stale(publisher, catalog, on=day, delivery=delivery)
                withdrawn = report.results
            report = await publisher.publish(items)
            return attrs.evolve(report, results=(*withdrawn, *report.results))
        finally:
            await adapter.aclose()

    try:
        with Progress(console=err, transient=True) as bar:
            return asyncio.run(run(bar))
    except KeyboardInterrupt:
        raise _interrupted(outbox, queue or marketplace, resume) from None


def _resume_command(catalog_path: Path, queue: str, outbox: Path | str | None) -> str:
    # A queue is what --to takes: ``ebay``, or ``ebay:shop2`` for another account.
    command = f"ruralseller sync {catalog_path} --to {queue}"
    return command + (f" --outbox {shown(outbox)}" if outbox is not None else "")


_OPTION = click.option(
    "-o",
    "--option",
    "options",
    multiple=True,
    metavar="KEY=VALUE",
    help="Adapter setting (repeatable), e.g. -o base_url=http://127.0.0.1:8765; also "
    "RURALSELLER_<MARKETPLACE>_<KEY> in the environment.",
)


@click.command()
@click.argument("catalog_path", type=click.Path(path_type=Path, exists=True, file_okay=False))
@_to_option
@click.option("--lot", "lot_ids", multiple=True, help="Only this lot (repeatable). Default: all.")
@_OPTION
@click.option("--outbox", type=STORE, help=_OUTBOX_HELP)
@click.option("--dry-run", is_flag=True, help="Check and show what would be sent; send nothing.")
@click.option("--offline", is_flag=True, help="Queue in the outbox now; `ruralseller sync` later.")
@click.option("--concurrency", default=4, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--price",
    "prices",
    multiple=True,
    metavar="LOT=AMOUNT",
    help="The price on this marketplace, e.g. --price WJ261123A='5.20 USD' (repeatable); "
    "default: the offer's.",
)
@on_option
@delivery_option
@format_option(help="Output format (--dry-run always prints JSON).")
def publish(
    catalog_path: Path,
    marketplace: str,
    lot_ids: tuple[str, ...],
    options: tuple[str, ...],
    outbox: Path | str | None,
    dry_run: bool,
    offline: bool,
    concurrency: int,
    prices: tuple[str, ...],
    day: dt.datetime | None,
    delivery: dt.timedelta,
    fmt: str,
) -> None:
    """Publish a catalogue's lots to a marketplace, through the outbox.

    A lot past its printed date or its sell-by cut-off is refused, saying why.

    Exits 0 when every lot is published, 1 when some were refused, failed or wait for a
    retry, 2 on bad input, 130 when interrupted (what was not sent stays in the outbox:
    `ruralseller sync` sends it).
    """
    from ruralseller.cli.orders import ledger_stock  # noqa: PLC0415 - orders imports this module

    load_marketplace(marketplace)
    queue = account_queue(marketplace)
    catalog = load_catalog(catalog_path)
    items, refused = _drafts(
        catalog,
        lot_ids,
        marketplace,
        _prices(prices),
        today(day),
        delivery,
        options,
        _picture_cache(catalog_path, outbox, dry_run=dry_run),
    )
    items = ledger_stock(catalog, _outbox_path(catalog_path, outbox), queue, items, today(day))
    if fmt == "text":
        _print_refused(refused, marketplace)
    if refused and not items:
        if fmt == "json":
            emit_json("publish", {**_queue_json(queue), "refused": _refused_json(refused)})
        else:
            err.print("nothing to send: every lot was refused")
        raise SystemExit(EXIT_NO)
    if dry_run:
        payloads = [
            {"sku": d.sku, "draft": draft_to_data(d), "pictures": [image_name(i) for i in imgs]}
            for d, imgs in items
        ]
        click.echo(json.dumps(payloads, ensure_ascii=False, indent=2))
        raise answer(not refused)
    box = Outbox(_outbox_path(catalog_path, outbox))
    if offline:
        jobs = [box.enqueue(queue, draft, images) for draft, images in items]
        if fmt == "json":
            emit_json(
                "publish",
                {
                    **_queue_json(queue),
                    "queued": [job.sku for job in jobs],
                    "outbox": box.path,
                    "refused": _refused_json(refused),
                },
            )
        else:
            out.print(
                f"queued {len(items)} listing(s) for {escape(queue)} in "
                f"{escape(box.path)}; send them with `ruralseller sync --to {escape(queue)}`"
            )
        raise answer(not refused)
    config = _marketplace_options(marketplace, options)
    report = _run_publisher(
        box,
        marketplace,
        config,
        items,
        concurrency,
        resume=_resume_command(catalog_path, queue, outbox),
        queue=queue,
    )
    if fmt == "json":
        emit_json("publish", {**_report_json(report), "refused": _refused_json(refused)})
    else:
        _publish_report(report)
    raise answer(report.ok and not refused)


def _print_refused(refused: list[tuple[str, list[ListingIssue]]], marketplace: str) -> None:
    for lot_id, issues in refused:
        err.print(f"[red]not sent:[/] lot {escape(lot_id)} may not be listed:")
        for issue in issues:
            err.print(f"  {escape(issue.field)}: {escape(issue.message)}; fix: {escape(issue.fix)}")
        if any(issue.field == "price" for issue in issues):
            err.print(
                f"  to price it for {escape(marketplace)}: "
                f"--price {escape(lot_id)}='AMOUNT CURRENCY'"
            )


@click.command()
@click.argument("catalog_path", type=click.Path(path_type=Path, file_okay=False))
@_to_option
@_OPTION
@click.option("--outbox", type=STORE, help=_OUTBOX_HELP)
@click.option("--concurrency", default=4, show_default=True, type=click.IntRange(1, 64))
@on_option
@delivery_option
@format_option()
def sync(
    catalog_path: Path,
    marketplace: str,
    options: tuple[str, ...],
    outbox: Path | str | None,
    concurrency: int,
    day: dt.datetime | None,
    delivery: dt.timedelta,
    fmt: str,
) -> None:
    """Send what the outbox holds for a marketplace: queued, retryable, or cut off by a crash.

    Exits 0 when nothing is left to send, 1 while listings failed or wait for a retry (each
    is listed with its next try), 2 on bad input or an outbox that cannot be used, 130 when
    interrupted (run it again to resume).

    Listings whose lot passed its sell-by cut-off (its printed date less the delivery and the
    minimum remaining life) are withdrawn first, and writes queued for them are not sent.
    """
    path = _outbox_path(catalog_path, outbox)
    if not store_exists(path):
        err.print(f"[red]error:[/] no outbox at {escape(shown(path))}; publish something first")
        raise SystemExit(EXIT_BAD_INPUT)
    load_marketplace(marketplace)
    queue = account_queue(marketplace)
    # Without the catalogue the lots' dates are unknown: send, but say what is skipped.
    catalog = load_catalog(catalog_path) if _has_catalogue(catalog_path) else None
    box = Outbox(path)
    report = _run_publisher(
        box,
        marketplace,
        _marketplace_options(marketplace, options),
        [],
        concurrency,
        stale=(catalog, today(day), delivery) if catalog is not None else None,
        resume=_resume_command(catalog_path, queue, outbox),
        queue=queue,
    )
    if catalog is None:
        err.print(
            f"[yellow]note:[/] no catalogue in {escape(str(catalog_path))}, so listings past "
            "their sell-by cut-off were not withdrawn"
        )
    if fmt == "json":
        now = time.time()
        jobs = box.jobs(*WAITING, marketplace=queue)
        waiting = [
            {"sku": job.sku, "state": job.state.value, "next_try": retry_text(job, now)}
            for job in jobs
        ]
        emit_json("sync", {**_report_json(report), "waiting": waiting})
        raise answer(report.ok and not jobs)
    _publish_report(report)
    left = print_waiting(err, box, queue)
    raise answer(report.ok and not left)


@click.command()
@click.argument("catalog_path", type=click.Path(path_type=Path, file_okay=False))
@_to_option
@click.option("--lot", "lot_ids", multiple=True, required=True, help="The lot (repeatable).")
@_OPTION
@click.option("--outbox", type=STORE, help=_OUTBOX_HELP)
@format_option()
def withdraw(
    catalog_path: Path,
    marketplace: str,
    lot_ids: tuple[str, ...],
    options: tuple[str, ...],
    outbox: Path | str | None,
    fmt: str,
) -> None:
    """Take lots off sale on a marketplace (publish them again to put them back).

    Exits 0 when every lot is off sale, 1 when some could not be withdrawn, 2 on bad input.
    """
    load_marketplace(marketplace)
    adapter = get_marketplace(marketplace, **_marketplace_options(marketplace, options))

    async def run() -> PublishReport:
        try:
            box = Outbox(_outbox_path(catalog_path, outbox))
            return await Publisher(box, adapter, queue=account_queue(marketplace)).withdraw(lot_ids)
        finally:
            await adapter.aclose()

    report = asyncio.run(run())
    if fmt == "json":
        emit_json("withdraw", _report_json(report))
    else:
        _publish_report(report)
    raise answer(not report.failed)


@click.command(name="outbox")
@click.argument("catalog_path", type=click.Path(path_type=Path, file_okay=False))
@click.option("--outbox", type=STORE, help=_OUTBOX_HELP)
@click.option("--failed", is_flag=True, help="Only the listings that failed.")
@click.option(
    "--to",
    "marketplace",
    callback=marketplace_target,
    help="Only this marketplace's default account, or MARKETPLACE:ACCOUNT's (default: all).",
)
@format_option()
def outbox_command(
    catalog_path: Path, outbox: Path | str | None, failed: bool, marketplace: str | None, fmt: str
) -> None:
    """Show what the outbox holds: each listing's state, tries and last error.

    Each account has its own queue: `ebay` for the default account, `ebay:shop2` for the
    account saved as shop2.

    Exits 0 (also when nothing was published from here yet), 2 when the outbox cannot be read.
    """
    path = _outbox_path(catalog_path, outbox)
    states = (JobState.FAILED_PERMANENT, JobState.FAILED_RETRYABLE) if failed else ()
    queue = account_queue(marketplace) if marketplace is not None else None
    jobs = []
    if store_exists(path):
        box = Outbox(path)
        try:
            jobs = box.jobs(*states, marketplace=queue)
        finally:
            box.close()
    now = time.time()
    if fmt == "json":
        emit_json(
            "outbox",
            {
                "outbox": shown(path),
                "exists": store_exists(path),
                "jobs": [
                    {
                        "queue": job.marketplace,
                        "marketplace": split_queue(job.marketplace)[0],
                        "account": split_queue(job.marketplace)[1],
                        "sku": job.sku,
                        "state": job.state.value,
                        "attempts": job.attempts,
                        "next_try": retry_text(job, now) or None,
                        "last_error": job.last_error or None,
                        "field_errors": dict(job.field_errors),
                    }
                    for job in jobs
                ],
            },
        )
        return
    if not store_exists(path):
        out.print(f"no outbox at {escape(shown(path))}: nothing was published from here yet")
        return
    columns = [
        Column("marketplace", keep=2),
        Column("SKU"),
        Column("state"),
        Column("tries", keep=1, justify="right"),
        Column("next try", keep=3, wrap=True),
        Column("last error", keep=4, wrap=True),
    ]
    rows = []
    for job in jobs:
        error = "; ".join(f"{k}: {v}" for k, v in job.field_errors.items()) or job.last_error
        rows.append(
            [
                escape(job.marketplace),
                escape(job.sku),
                job.state.value,
                str(job.attempts),
                escape(retry_text(job, now)),
                escape(error),
            ]
        )
    print_table(out, columns, rows, title=shown(path))
