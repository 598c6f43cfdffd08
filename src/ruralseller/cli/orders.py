"""``ruralseller orders``, ``stock`` and ``settle``: orders in, stock true everywhere, statements.

Every command takes ``--outbox`` (the store that holds the outbox, the stock ledger and the
order inbox; by default ``.ruralseller/outbox.db`` in the catalogue folder) and ``--on``
(the day to act as of; by default today).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

import attrs
import click
from rich.markup import escape
from rich.table import Table

from ruralseller.catalog import Catalog, Mass, Money, load_catalog, parse_duration
from ruralseller.cli._errors import EXIT_BAD_INPUT
from ruralseller.cli._output import emit_json, format_option
from ruralseller.cli._output import err as _err
from ruralseller.cli._output import out as _out
from ruralseller.cli._store import STORE, store_exists
from ruralseller.cli.accounts import account_queue, marketplace_target, selected_account
from ruralseller.cli.publishing import _OUTBOX_HELP, _marketplace_options, _outbox_path
from ruralseller.errors import MarketplaceError, RuralSellerError
from ruralseller.marketplaces import OrderIntake, get_marketplace, load_marketplace, split_queue
from ruralseller.orders import (
    Channel,
    IntakeReport,
    Order,
    OrderInbox,
    OrderStatus,
    OrderStore,
    SplitPolicy,
    StockLedger,
    StockPolicy,
    SyncReport,
    fulfil,
    listed_for,
    load_policy,
    push_stock,
    save_policy,
    sync_channel,
    with_ledger_stock,
)
from ruralseller.packaging import save_label
from ruralseller.publishing import Outbox
from ruralseller.settlement import (
    FEES,
    Commission,
    Period,
    SettlementTerms,
    save_statement,
    settle,
)
from ruralseller.traceability import EpcisDocument

__all__ = ["ledger_stock", "orders", "settle_command", "stock"]

_F = TypeVar("_F", bound=Callable[..., Any])

_ON_HELP = "Act as of this day (YYYY-MM-DD): lots past their date sell nothing. Default: today."


def _common(function: _F) -> _F:
    options = (
        click.argument(
            "catalog_path",
            metavar="CATALOG",
            type=click.Path(path_type=Path, exists=True, file_okay=False),
        ),
        click.option("--outbox", type=STORE, help=_OUTBOX_HELP),
        click.option("--on", "day", type=click.DateTime(formats=["%Y-%m-%d"]), help=_ON_HELP),
    )
    for option in reversed(options):
        function = option(function)
    return function


def _today(day: dt.datetime | None) -> dt.date:
    return day.date() if day is not None else dt.datetime.now(dt.UTC).date()


@contextmanager
def _errors() -> Iterator[None]:
    """Bad input the library reports as a plain ``KeyError`` or ``ValueError``: exit 2.

    The library's own errors go on to the command group's one handler (``_errors.py``).
    """
    try:
        yield
    except RuralSellerError:
        raise
    except (KeyError, ValueError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        _err.print(f"[red]error:[/] {escape(str(message))}")
        raise SystemExit(EXIT_BAD_INPUT) from None


@attrs.frozen
class _Desk:
    catalog: Catalog
    outbox: Outbox
    store: OrderStore
    ledger: StockLedger
    inbox: OrderInbox


def _desk(catalog_path: Path, outbox: Path | str | None, day: dt.date) -> _Desk:
    catalog = load_catalog(catalog_path)
    box = Outbox(_outbox_path(catalog_path, outbox))
    store = OrderStore(box)
    ledger = StockLedger(store)
    ledger.receive_catalog(catalog, day=day)
    return _Desk(catalog, box, store, ledger, OrderInbox(store, catalog))


def _pairs(items: tuple[str, ...], option: str, example: str) -> dict[str, str]:
    found = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise click.BadParameter(
                f"expected NAME=VALUE, e.g. {example}, got {item!r}", param_hint=option
            )
        found[key.strip()] = value.strip()
    return found


def _policy(
    desk: _Desk,
    buffers: tuple[str, ...],
    split: str | None,
    shares: tuple[str, ...],
    extra: Channel | None = None,
) -> StockPolicy:
    """The kept policy, with the channels the outbox publishes to and the options given."""
    policy = load_policy(desk.store)
    known = {c.name for c in policy.channels}
    for job in desk.outbox.jobs():
        if job.marketplace not in known:
            policy = policy.with_channel(Channel(name=job.marketplace))
            known.add(job.marketplace)
    if extra is not None:
        kept = next((c for c in policy.channels if c.name == extra.name), None)
        policy = policy.with_channel(attrs.evolve(extra, buffer=kept.buffer) if kept else extra)
    for name, text in _pairs(buffers, "--buffer", "taobao=2").items():
        if not text.isdigit():
            raise click.BadParameter(
                f"{name}={text}: a buffer is a whole number", param_hint="--buffer"
            )
        current = next((c for c in policy.channels if c.name == name), Channel(name=name))
        policy = policy.with_channel(attrs.evolve(current, buffer=int(text)))
    if split is not None:
        policy = attrs.evolve(policy, split=SplitPolicy(split))
    if shares:
        try:
            parsed = {k: Fraction(v) for k, v in _pairs(shares, "--share", "taobao=2").items()}
        except ValueError:
            raise click.BadParameter(
                "a share is a number, e.g. taobao=2", param_hint="--share"
            ) from None
        policy = attrs.evolve(policy, shares=parsed)
    if buffers or split or shares or extra is not None:
        save_policy(desk.store, policy)
    return policy


_POLICY_OPTIONS = (
    click.option(
        "--buffer",
        "buffers",
        multiple=True,
        metavar="CHANNEL=N",
        help="Units of each listing this channel does not show (repeatable; kept).",
    ),
    click.option(
        "--split",
        type=click.Choice([p.value for p in SplitPolicy]),
        help="shared: every channel shows all available less its buffer; fixed-shares: "
        "available stock is divided by --share (kept).",
    ),
    click.option(
        "--share",
        "shares",
        multiple=True,
        metavar="CHANNEL=N",
        help="A channel's share for --split fixed-shares (repeatable; kept).",
    ),
)


def _policy_options(function: _F) -> _F:
    for option in reversed(_POLICY_OPTIONS):
        function = option(function)
    return function


def ledger_stock(
    catalog: Catalog,
    outbox_path: Path | str,
    channel: str,
    items: list[Any],
    on: dt.date | None = None,
) -> list[Any]:
    """Drafts to publish with the stock the ledger gives ``channel`` (once orders are kept).

    Publishing again after orders were taken in must not put the catalogue's stock back on
    sale; a catalogue whose outbox holds no ledger is left as it is (and gets none). ``on``
    is the day stock is judged on (today when not given).
    """
    if not store_exists(outbox_path):
        return items
    box = Outbox(outbox_path)
    try:
        if not OrderStore.kept_in(box):
            return items
        store = OrderStore(box)
        try:
            ledger = StockLedger(store)
            policy = load_policy(store)
            day = on or dt.datetime.now(dt.UTC).date()
            return [
                (
                    with_ledger_stock(draft, catalog, ledger, policy, channel=channel, day=day),
                    images,
                )
                for draft, images in items
            ]
        finally:
            store.close()
    finally:
        box.close()


@click.group()
def orders() -> None:
    """Take orders in from marketplaces, list them, ship them."""


def _print_intake(report: IntakeReport) -> None:
    _out.print(
        f"{escape(report.channel)}: {len(report.new)} new order(s), "
        f"{len(report.changed)} changed, {len(report.flagged)} flagged"
    )
    for order in report.flagged:
        reason = order.reason.value if order.reason else ""
        _out.print(
            f"  [red]flagged[/] {escape(order.key)}: {reason}: {escape(order.detail)}; "
            "cancel prepared: `ruralseller orders cancel CATALOG "
            f"{escape(order.order_id)} --confirm`"
        )


@orders.command(name="sync")
@_common
@click.option(
    "--from",
    "marketplace",
    required=True,
    callback=marketplace_target,
    help="The marketplace, e.g. sandbox, and a saved account: ebay:shop2.",
)
@click.option(
    "--channel",
    help="The channel's name (default: the account's outbox queue, e.g. ebay or ebay:shop2).",
)
@click.option(
    "-o", "--option", "options", multiple=True, metavar="KEY=VALUE", help="Adapter setting."
)
@_policy_options
@format_option()
def sync_command(
    catalog_path: Path,
    outbox: Path | str | None,
    day: dt.datetime | None,
    marketplace: str,
    channel: str | None,
    options: tuple[str, ...],
    buffers: tuple[str, ...],
    split: str | None,
    shares: tuple[str, ...],
    fmt: str,
) -> None:
    """Take a marketplace's new orders in, reserve their stock, and push the stock.

    Exits 0 when every order could be filled, 1 when some are flagged, 2 on bad input.
    """
    today = _today(day)
    with _errors():
        load_marketplace(marketplace)
        desk = _desk(catalog_path, outbox, today)
        config = _marketplace_options(marketplace, options)
        adapter = get_marketplace(marketplace, **config)
        if not isinstance(adapter, OrderIntake):
            raise ValueError(f"the {marketplace} adapter cannot take orders in yet")  # noqa: TRY004 - reported as bad input
        name = channel or account_queue(marketplace)
        account = str(getattr(adapter, "key_id", "") or "")
        policy = _policy(
            desk,
            buffers,
            split,
            shares,
            Channel(name=name, marketplace=marketplace, account=account),
        )

    async def run() -> SyncReport:
        try:
            return await sync_channel(
                adapter,
                outbox=desk.outbox,
                inbox=desk.inbox,
                policy=policy,
                channel=name,
                day=today,
            )
        finally:
            await adapter.aclose()

    try:
        synced = asyncio.run(run())
    except MarketplaceError as exc:
        _err.print(f"[red]error:[/] {escape(str(exc))}")
        raise SystemExit(1) from None
    report, queued = synced.intake, synced.queued
    if fmt == "json":
        emit_json(
            "orders.sync",
            {
                "channel": report.channel,
                "seen": report.seen,
                "new": [_order_row(o) for o in report.new],
                "changed": [_order_row(o) for o in report.changed],
                "flagged": [o.key for o in report.flagged],
                "stock": {other: dict(skus) for other, skus in sorted(queued.items())},
                "stock_not_sent": [
                    {"sku": r.sku, "outcome": r.outcome, "message": r.message}
                    for r in synced.published.results
                    if r.outcome in ("failed", "retry_later")
                ],
            },
        )
        raise SystemExit(1 if report.flagged else 0)
    for result in synced.published.results:
        if result.outcome in ("failed", "retry_later"):
            _err.print(
                f"[yellow]stock not sent to {escape(name)}[/] for {escape(result.sku)}: "
                f"{escape(result.message)}; `ruralseller sync --to {escape(name)}` sends it later"
            )
    _print_intake(report)
    for other, skus in sorted(queued.items()):
        shown = ", ".join(f"{sku} → {n}" for sku, n in sorted(skus.items()))
        hint = "" if other == name else f" (send with `{_send_hint(policy, other)}`)"
        _out.print(f"stock for {escape(other)}: {escape(shown)}{escape(hint)}")
    raise SystemExit(1 if report.flagged else 0)


def _send_hint(policy: StockPolicy, name: str) -> str:
    """The command that sends what the outbox holds for channel ``name``."""
    channel = next((c for c in policy.channels if c.name == name), None)
    if channel is None or split_queue(name)[0] == channel.marketplace:
        return f"ruralseller sync CATALOG --to {name}"  # an account's queue: ebay, ebay:shop2
    return f"ruralseller orders sync CATALOG --from {channel.marketplace} --channel {name}"


def _order_row(order: Order) -> dict[str, Any]:
    return {
        "order": order.key,
        "channel": order.channel,
        "sku": order.sku,
        "quantity": order.quantity,
        "status": order.status.value,
        "reason": order.reason.value if order.reason else None,
        "detail": order.detail,
        "lots": dict(order.allocation),
        "cancel": order.cancel or None,
        "paid": str(order.charged.rounded()) if order.charged else None,
        "weight": str(order.weight) if order.weight else None,
        "final_price": str(order.final_price) if order.final_price else None,
        "day": order.day.isoformat(),
    }


@orders.command(name="list")
@_common
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice([s.value for s in OrderStatus]),
    help="Only orders in this state (repeatable).",
)
@format_option("text", "json", "table", help="Output format (table: the same as text).")
def list_command(
    catalog_path: Path,
    outbox: Path | str | None,
    day: dt.datetime | None,
    statuses: tuple[str, ...],
    fmt: str,
) -> None:
    """Show the orders taken in: state, lots held, and why a flagged one cannot be filled."""
    with _errors():
        desk = _desk(catalog_path, outbox, _today(day))
        found = desk.inbox.orders(*(OrderStatus(s) for s in statuses))
    if fmt == "json":
        click.echo(json.dumps([_order_row(o) for o in found], ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{len(found)} order(s)")
    for column in ("order", "channel", "SKU", "qty", "status", "lots", "note"):
        table.add_column(column)
    for order in found:
        note = f"{order.reason.value}: {order.detail}" if order.reason else ""
        if order.cancel == "prepared":
            note += " (cancel prepared)"
        style = {"flagged": "red", "shipped": "green", "cancelled": "dim"}.get(
            order.status.value, ""
        )
        table.add_row(
            escape(order.key),
            escape(order.channel),
            escape(order.sku),
            str(order.quantity),
            f"[{style}]{order.status.value}[/]" if style else order.status.value,
            escape(", ".join(f"{lot}×{n}" for lot, n in order.allocation)),
            escape(note),
        )
    _out.print(table)


def _order_account(order: Order, marketplace: str | None) -> str | None:
    """The saved account to tell the marketplace with: ``--from``'s, else the order's channel's.

    An order taken in with ``orders sync --from ebay:shop2`` came in on channel ``ebay:shop2``
    and is shipped or cancelled with shop2's settings; ``--from MARKETPLACE[:ACCOUNT]`` says
    which account otherwise.
    """
    if marketplace is not None:
        if marketplace != order.marketplace:
            raise click.BadParameter(
                f"order {order.key} came from {order.marketplace}, not {marketplace}",
                param_hint="--from",
            )
        return selected_account()
    channel_marketplace, account = split_queue(order.channel)
    return account if channel_marketplace == order.marketplace else None


def _adapter_for(order: Order, options: tuple[str, ...], account: str | None) -> Any:
    load_marketplace(order.marketplace)
    settings = _marketplace_options(order.marketplace, options, account=account)
    return get_marketplace(order.marketplace, **settings)


_FROM_ACCOUNT = click.option(
    "--from",
    "marketplace",
    callback=marketplace_target,
    help="The marketplace and saved account to tell, e.g. ebay:shop2. Default: the account "
    "of the channel the order was taken in from.",
)


@orders.command(name="ship")
@_common
@click.argument("order_ref", metavar="ORDER")
@click.option(
    "--weight", required=True, help="The weighed weight of the order's pieces, e.g. '1.32 kg'."
)
@click.option("--tracking", help="The carrier's tracking number.")
@click.option("--journey", help="Plan the pack for this door-to-door time, e.g. '30 h'.")
@click.option(
    "-d",
    "--dir",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where to write the label and the EPCIS event. Default: "
    ".ruralseller/shipments/ORDER in the catalogue folder.",
)
@click.option(
    "-o", "--option", "options", multiple=True, metavar="KEY=VALUE", help="Adapter setting."
)
@_FROM_ACCOUNT
@format_option()
def ship_command(
    catalog_path: Path,
    outbox: Path | str | None,
    day: dt.datetime | None,
    order_ref: str,
    weight: str,
    tracking: str | None,
    journey: str | None,
    folder: Path | None,
    options: tuple[str, ...],
    marketplace: str | None,
    fmt: str,
) -> None:
    """Ship a reserved order: weigh, label, record the EPCIS shipping event, tell the marketplace.

    The units leave the stock; for a product sold by weight the final price follows the
    weighed weight (never above what the buyer paid). Exits 1 when the marketplace could
    not be told (run it again), 2 on bad input.
    """
    today = _today(day)
    with _errors():
        desk = _desk(catalog_path, outbox, today)
        order = desk.inbox.order(order_ref)
        account = _order_account(order, marketplace)  # a wrong --from is said before shipping
        mass = Mass.parse(weight)
        now = dt.datetime.now(dt.UTC)
        shipped_at = dt.datetime.combine(today, now.time(), tzinfo=dt.UTC) if day else now
        done = fulfil(
            desk.catalog,
            desk.inbox,
            order,
            weight=mass,
            shipped_at=shipped_at,
            tracking=tracking,
            journey=parse_duration(journey) if journey else None,
        )
        out = folder or catalog_path / ".ruralseller" / "shipments" / order.order_id
        out.mkdir(parents=True, exist_ok=True)
        label_path = save_label(done.label, out / "label.png")
        document = EpcisDocument([done.event], creation_date=shipped_at)
        events_path = out / "epcis.json"
        events_path.write_text(document.to_json(), encoding="utf-8")
        adapter = _adapter_for(order, options, account)

    async def tell() -> None:
        try:
            await adapter.ship_order(order.order_id, weight=mass, tracking=tracking)
        finally:
            await adapter.aclose()

    shipped = done.order
    paid = shipped.charged.rounded() if shipped.charged else None
    told: str | None = None
    try:
        asyncio.run(tell())
    except MarketplaceError as exc:
        told = str(exc)
    if fmt == "json":
        pack = done.pack
        emit_json(
            "orders.ship",
            {
                "order": _order_row(shipped),
                "label": str(label_path),
                "epcis": str(events_path),
                "pack": None
                if pack is None
                else {
                    "container": pack.container.name,
                    "coolant": pack.coolant.name if pack.coolant else None,
                    "coolant_units": pack.coolant_units,
                    "gross": str(pack.gross),
                },
                "marketplace_told": told is None,
                "error": told,
            },
        )
        raise SystemExit(0 if told is None else 1)
    _out.print(
        f"shipped {escape(shipped.key)}: {shipped.quantity} × {escape(shipped.sku)}, {mass}"
        + (f", final price {shipped.final_price} (paid {paid})" if shipped.final_price else "")
    )
    _out.print(
        f"label: {escape(str(label_path))}; EPCIS shipping event: {escape(str(events_path))}"
    )
    if done.pack is not None:
        pack = done.pack
        coolant = f" + {pack.coolant_units} × {pack.coolant.name}" if pack.coolant else ""
        _out.print(f"pack: {escape(pack.container.name)}{escape(coolant)}, {pack.gross} gross")
    if told is not None:
        _err.print(
            f"[yellow]recorded here, but {escape(order.marketplace)} was not told:[/] "
            f"{escape(told)}; run the same command again"
        )
        raise SystemExit(1)


@orders.command(name="cancel")
@_common
@click.argument("order_ref", metavar="ORDER")
@click.option("--confirm", is_flag=True, help="Really cancel it with the marketplace.")
@click.option(
    "-o", "--option", "options", multiple=True, metavar="KEY=VALUE", help="Adapter setting."
)
@_FROM_ACCOUNT
@format_option()
def cancel_command(
    catalog_path: Path,
    outbox: Path | str | None,
    day: dt.datetime | None,
    order_ref: str,
    confirm: bool,
    options: tuple[str, ...],
    marketplace: str | None,
    fmt: str,
) -> None:
    """Cancel an order (a flagged one has its cancellation prepared): the buyer is refunded."""
    today = _today(day)
    with _errors():
        desk = _desk(catalog_path, outbox, today)
        order = desk.inbox.order(order_ref)
        if not confirm:
            reason = order.reason.value if order.reason else "the partner's decision"
            if fmt == "json":
                emit_json(
                    "orders.cancel",
                    {"order": _order_row(order), "cancelled": False, "reason": reason},
                )
                return
            _out.print(
                f"would cancel {escape(order.key)} ({escape(reason)}); add --confirm to do it"
            )
            return
        adapter = _adapter_for(order, options, _order_account(order, marketplace))

    async def tell() -> None:
        try:
            reason = order.reason.value if order.reason else "cancelled by the seller"
            await adapter.cancel_order(order.order_id, reason=reason)
        finally:
            await adapter.aclose()

    try:
        asyncio.run(tell())
    except MarketplaceError as exc:
        _err.print(f"[red]error:[/] {escape(str(exc))}")
        raise SystemExit(1) from None
    with _errors():
        cancelled = desk.inbox.cancel(order, day=today)
        push_stock(desk.outbox, desk.catalog, desk.ledger, _policy(desk, (), None, ()), day=today)
    if fmt == "json":
        emit_json("orders.cancel", {"order": _order_row(cancelled), "cancelled": True})
        return
    _out.print(f"cancelled {escape(cancelled.key)}")


def _moves(desk: _Desk, items: tuple[str, ...], option: str, note: str, day: dt.date) -> bool:
    """Record ``--receive`` or ``--write-off`` LOT=N moves; whether any was recorded."""
    moved = False
    for lot, text in _pairs(items, option, "WJ261120A=2").items():
        if not text.isdigit() or int(text) < 1:
            raise click.BadParameter(
                f"{lot}={text}: give a whole number of units", param_hint=option
            )
        desk.catalog.lot(lot)  # a lot the catalogue knows, or NotInCatalogError
        ref = f"{option.strip('-')}:{dt.datetime.now(dt.UTC).isoformat()}"
        if option == "--receive":
            moved |= desk.ledger.receive(lot, int(text), ref=ref, day=day, note=note)
        else:
            moved |= desk.ledger.write_off(lot, int(text), ref=ref, day=day, note=note)
    return moved


@click.command(name="stock")
@_common
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.option(
    "--receive", "receipts", multiple=True, metavar="LOT=N", help="Units that came in (repeatable)."
)
@click.option(
    "--write-off",
    "write_offs",
    multiple=True,
    metavar="LOT=N",
    help="Units spoiled or lost, of those not held for orders (repeatable).",
)
@click.option("--note", default="", help="Why, for the ledger (with --receive or --write-off).")
@_policy_options
def stock(
    catalog_path: Path,
    outbox: Path | str | None,
    day: dt.datetime | None,
    fmt: str,
    receipts: tuple[str, ...],
    write_offs: tuple[str, ...],
    note: str,
    buffers: tuple[str, ...],
    split: str | None,
    shares: tuple[str, ...],
) -> None:
    """Per lot: on hand, reserved, available, and what each channel lists.

    With --receive or --write-off, records the move first and queues the stock each channel
    should now show (send it with `ruralseller sync --to CHANNEL`).
    """
    today = _today(day)
    with _errors():
        desk = _desk(catalog_path, outbox, today)
        policy = _policy(desk, buffers, split, shares)
        moved = _moves(desk, receipts, "--receive", note, today)
        moved |= _moves(desk, write_offs, "--write-off", note, today)
        queued = (
            push_stock(desk.outbox, desk.catalog, desk.ledger, policy, day=today) if moved else {}
        )
        stocks = desk.ledger.stocks(lot.id for lot in desk.catalog.lots)
        rows: list[dict[str, Any]] = [
            {
                "lot": lot.id,
                "on_hand": stocks[lot.id].on_hand,
                "reserved": stocks[lot.id].reserved,
                "available": stocks[lot.id].available,
                "listed": listed_for(desk.catalog, desk.ledger, lot.id, policy, today),
            }
            for lot in desk.catalog.lots
        ]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for name in sorted(queued):
        _out.print(f"stock queued for {escape(name)}: send it with `{_send_hint(policy, name)}`")
    table = Table(title=f"Stock on {today.isoformat()} ({policy.split.value})")
    for column in ("lot", "on hand", "reserved", "available"):
        table.add_column(column)
    for channel in policy.channels:
        label = f"{channel.name} (−{channel.buffer})" if channel.buffer else channel.name
        table.add_column(escape(label))
    for row in rows:
        listed = row["listed"]
        table.add_row(
            escape(row["lot"]),
            str(row["on_hand"]),
            str(row["reserved"]),
            str(row["available"]),
            *(str(listed[c.name]) for c in policy.channels),
        )
    _out.print(table)


def _money_option(text: str | None, option: str) -> list[Money]:
    if not text:
        return []
    try:
        return [Money.parse(text)]
    except (ValueError, RuralSellerError) as exc:
        raise click.BadParameter(f"{text!r}: {exc}", param_hint=option) from None


@click.command(name="settle")
@_common
@click.option("--month", required=True, help="The month to settle, e.g. 2026-11.")
@click.option(
    "-o",
    "--output",
    "folder",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Where to write each producer's CSV and PDF statement.",
)
@click.option("--commission", default="0", show_default=True, help="The partner's rate, e.g. 0.08.")
@click.option("--minimum", help="The least commission per order, e.g. '3 CNY'.")
@click.option("--shipping", help="The shipping cost per order, e.g. '12 CNY'.")
@click.option("--packaging", help="The packaging cost per order, e.g. '6.50 CNY'.")
@format_option()
def settle_command(
    catalog_path: Path,
    outbox: Path | str | None,
    day: dt.datetime | None,
    month: str,
    folder: Path,
    commission: str,
    minimum: str | None,
    shipping: str | None,
    packaging: str | None,
    fmt: str,
) -> None:
    """Write each producer's statement for a month: what her shipped orders brought in."""
    try:
        rate = Decimal(commission)
    except InvalidOperation:
        raise click.BadParameter(
            f"{commission!r} is not a rate like 0.08", param_hint="--commission"
        ) from None
    with _errors():
        desk = _desk(catalog_path, outbox, _today(day))
        terms = SettlementTerms(
            commission=Commission(rate=rate, minimum=_money_option(minimum, "--minimum")),
            shipping=_money_option(shipping, "--shipping"),
            packaging=_money_option(packaging, "--packaging"),
            fees=dict(FEES),
        )
        statements = settle(desk.catalog, desk.inbox.orders(), terms, Period.month(month))
        written = [(s, *save_statement(s, folder)) for s in statements]
    if fmt == "json":
        emit_json(
            "settle",
            {
                "month": month,
                "statements": [
                    {
                        "producer": statement.producer,
                        "producer_name": statement.producer_name,
                        "currency": statement.currency,
                        "orders": len(statement.lines),
                        "gross": str(statement.total("gross")),
                        "owed": str(statement.owed),
                        "csv": str(csv_path),
                        "pdf": str(pdf_path),
                    }
                    for statement, csv_path, pdf_path in written
                ],
            },
        )
        return
    if not written:
        _out.print(f"no order was shipped in {escape(month)}: no statement to write")
        return
    for statement, csv_path, pdf_path in written:
        _out.print(
            f"{escape(statement.producer_name)}: owed {statement.owed} "
            f"on {statement.total('gross')} gross → "
            f"{escape(str(csv_path))}, {escape(str(pdf_path))}"
        )
