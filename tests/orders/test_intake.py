"""Orders from the sandbox taken in once, reserving stock, flagged when they cannot be filled."""

from __future__ import annotations

import asyncio

from tests.orders.shop import (
    ACCOUNTS,
    CHANNELS,
    DAY,
    LOT,
    adapter,
    buy,
    catalog,
    publish_everywhere,
)

from ruralseller.orders import (
    FlagReason,
    OrderInbox,
    OrderStatus,
    OrderStore,
    StockLedger,
    StockPolicy,
    on_channel,
    push_stock,
    take_orders,
)
from ruralseller.publishing import Outbox, Publisher
from ruralseller.sandbox import create_app, running


async def _sync(outbox: Outbox, url: str) -> list[int]:
    store = OrderStore(outbox)
    inbox, ledger = OrderInbox(store, catalog()), StockLedger(store)
    policy = StockPolicy(channels=CHANNELS)
    taken = []
    for channel in CHANNELS:
        sandbox = adapter(url, channel)
        try:
            report = await take_orders(sandbox, inbox, channel, day=DAY)
            taken.append(len(report.new))
        finally:
            await sandbox.aclose()
    push_stock(outbox, catalog(), ledger, policy, day=DAY)
    for channel in CHANNELS:
        sandbox = adapter(url, channel)
        try:
            await Publisher(outbox, on_channel(sandbox, channel.name)).sync()
        finally:
            await sandbox.aclose()
    return taken


def test_orders_are_taken_once_and_stock_falls_on_every_channel(store_target: str) -> None:
    app = create_app(accounts=ACCOUNTS, rate=5000, burst=5000)
    outbox = Outbox(store_target)
    store = OrderStore(outbox)
    StockLedger(store).receive(LOT, 5, ref="slaughter", day=DAY)
    with running(app=app) as url:
        asyncio.run(publish_everywhere(outbox, url, stock=5))
        assert [buy(url, "shop-a", 2), buy(url, "shop-b", 1)] == [201, 201]
        assert asyncio.run(_sync(outbox, url)) == [1, 1, 0]
        assert asyncio.run(_sync(outbox, url)) == [0, 0, 0]  # nothing taken twice
        with app.state.sandbox.storage.transaction() as tx:
            shown = {key: tx.listing(key, LOT).stock for key in ACCOUNTS}  # type: ignore[union-attr]
        assert shown == {"shop-a": 2, "shop-b": 2, "shop-c": 2}
        # Both orders are placed before the next intake; a's is taken first, c's is short.
        assert buy(url, "shop-c", 2) == 201
        assert buy(url, "shop-a", 1) == 201
        asyncio.run(_sync(outbox, url))
    inbox = OrderInbox(store, catalog())
    orders = inbox.orders()
    assert len(orders) == 4
    flagged = inbox.orders(OrderStatus.FLAGGED)
    assert [(o.reason, o.cancel) for o in flagged] == [(FlagReason.OVERSOLD, "prepared")]
    assert flagged[0].channel == "sandbox-c"
    assert StockLedger(store).stock(LOT).reserved == 4
    with app.state.sandbox.storage.transaction() as tx:
        shown = {key: tx.listing(key, LOT).stock for key in ACCOUNTS}  # type: ignore[union-attr]
    assert shown == {"shop-a": 1, "shop-b": 1, "shop-c": 1}
