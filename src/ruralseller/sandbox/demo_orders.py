"""The demo's last act: buyers on two sandbox shops, stock falling on both, a parcel, a statement.

The demo's sandbox has a second shop (account ``demo-b``, a second channel for the same
partner). One chicken listing goes on sale in both; a few buyers order on each; the order
intake takes their orders in, reserves the birds and pushes the stock each shop shows;
the first order is weighed, labelled and shipped; and the month's statement is written.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Final

import httpx

from ruralseller.catalog import Catalog, Mass, Money
from ruralseller.listing import ListingDraft, ProcessedImage
from ruralseller.marketplaces.sandbox import DEMO_KEY_ID, DEMO_SECRET, SandboxMarketplace
from ruralseller.orders import (
    Channel,
    OrderInbox,
    OrderStore,
    StockLedger,
    StockPolicy,
    fulfil,
    on_channel,
    save_policy,
    sync_channel,
)
from ruralseller.packaging import save_label
from ruralseller.publishing import Outbox, Publisher
from ruralseller.settlement import Commission, Period, SettlementTerms, save_statement, settle

__all__ = ["DEMO_ACCOUNTS", "sell_demo"]

_SECOND = "demo-b"

#: The demo sandbox's shops: the demo account and a second one, for a second channel.
DEMO_ACCOUNTS: Final[Mapping[str, str]] = {
    DEMO_KEY_ID: DEMO_SECRET,
    _SECOND: "sandbox-demo-secret-b",  # published with the demo, for local use only
}
_CHANNELS: Final = (
    Channel(name="sandbox", marketplace="sandbox", account=DEMO_KEY_ID),
    Channel(name="sandbox-b", marketplace="sandbox", account=_SECOND, buffer=1),
)
# (shop, birds) for each buyer.
_BUYERS: Final = ((DEMO_KEY_ID, 2), (_SECOND, 3), (DEMO_KEY_ID, 1))


def _shop(url: str, channel: Channel) -> SandboxMarketplace:
    return SandboxMarketplace(url, key_id=channel.account, secret=DEMO_ACCOUNTS[channel.account])


async def _shown(url: str, sku: str) -> list[int]:
    shown = []
    for channel in _CHANNELS:
        shop = _shop(url, channel)
        try:
            state = await shop.fetch(sku)
            shown.append(state.stock if state is not None and state.stock is not None else 0)
        finally:
            await shop.aclose()
    return shown


async def _act(  # noqa: PLR0913 - the demo's pieces, all named
    url: str,
    outbox: Outbox,
    catalog: Catalog,
    item: tuple[ListingDraft, Sequence[ProcessedImage]],
    *,
    out: Path,
    day: dt.date,
    shipped_at: dt.datetime,
    echo: Callable[[str], None],
) -> None:
    draft, images = item
    store = OrderStore(outbox)
    ledger, inbox = StockLedger(store), OrderInbox(store, catalog)
    ledger.receive_catalog(catalog, day=day)
    policy = StockPolicy(channels=_CHANNELS)
    save_policy(store, policy)
    second = _shop(url, _CHANNELS[1])
    try:
        await Publisher(outbox, on_channel(second, "sandbox-b")).publish([(draft, images)])
    finally:
        await second.aclose()
    await _sync(url, outbox, inbox, policy, day)
    before = await _shown(url, draft.sku)
    async with httpx.AsyncClient(base_url=url) as buyers:
        for account, birds in _BUYERS:
            answer = await buyers.post(
                f"/v1/shop/{account}/orders",
                json={"sku": draft.sku, "quantity": birds, "buyer": {"name": "买家 buyer"}},
            )
            answer.raise_for_status()
    birds = sum(n for _, n in _BUYERS)
    echo(f"  {len(_BUYERS)} buyers ordered {birds} birds of {draft.sku} on 2 shops")
    await _sync(url, outbox, inbox, policy, day)
    after = await _shown(url, draft.sku)
    stock = ledger.stock(draft.sku)
    echo(
        f"  7 orders           {len(inbox.orders())} taken in; {stock.reserved} birds reserved, "
        f"{stock.available} available; shops show {before[0]}/{before[1]} → "
        f"{after[0]}/{after[1]} (shop b keeps 1 back)"
    )
    first = inbox.orders()[0]
    done = fulfil(catalog, inbox, first, weight=Mass.parse("2.61 kg"), shipped_at=shipped_at)
    seller = _shop(url, _CHANNELS[0])
    try:
        await seller.ship_order(first.order_id, weight=done.order.weight, tracking="SF-DEMO-1")
    finally:
        await seller.aclose()
    label = save_label(done.label, out / f"label-order-{first.order_id}.png")
    echo(
        f"  8 shipped          {first.quantity} birds, {done.order.weight}, final price "
        f"{done.order.final_price}; label {label.name}; EPCIS shipping event for the order"
    )
    terms = SettlementTerms(
        commission=Commission(rate=Decimal("0.08"), minimum=[Money("3", "CNY")]),
        shipping=[Money("12", "CNY")],
        packaging=[Money("6.50", "CNY")],
    )
    for statement in settle(catalog, inbox.orders(), terms, Period.month(f"{day:%Y-%m}")):
        csv_path, pdf_path = save_statement(statement, out)
        echo(
            f"  9 statement        {statement.producer_name} is owed {statement.owed} "
            f"for {statement.period.start:%Y-%m}; {csv_path.name}, {pdf_path.name}"
        )


async def _sync(
    url: str, outbox: Outbox, inbox: OrderInbox, policy: StockPolicy, day: dt.date
) -> None:
    for channel in policy.channels:
        shop = _shop(url, channel)
        try:
            await sync_channel(
                shop, outbox=outbox, inbox=inbox, policy=policy, channel=channel.name, day=day
            )
        finally:
            await shop.aclose()
    # Orders taken in from a later channel changed what the earlier ones should show.
    for channel in policy.channels:
        shop = _shop(url, channel)
        try:
            await Publisher(outbox, on_channel(shop, channel.name)).sync()
        finally:
            await shop.aclose()


def sell_demo(  # noqa: PLR0913 - the demo's pieces, all named
    url: str,
    outbox_path: Path,
    catalog: Catalog,
    items: Sequence[tuple[ListingDraft, Sequence[ProcessedImage]]],
    out: Path,
    *,
    day: dt.date,
    shipped_at: dt.datetime,
    echo: Callable[[str], None],
) -> None:
    """Sell the first listing of a chicken lot on two shops, ship one order, settle the month."""
    chickens = [item for item in items if item[0].kind == "poultry_meat"]
    if not chickens:
        return
    echo(f"\nOrders: {chickens[0][0].sku} on two sandbox shops (two channels, one stock)")
    outbox = Outbox(outbox_path)
    try:
        asyncio.run(
            _act(
                url,
                outbox,
                catalog,
                chickens[0],
                out=out,
                day=day,
                shipped_at=shipped_at,
                echo=echo,
            )
        )
    finally:
        outbox.close()
