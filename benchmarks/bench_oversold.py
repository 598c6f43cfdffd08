"""Oversold orders per 1,000 under racing buyers, for each split policy and buffer.

Three channels sell one lot of 20 birds; 60 buyers arrive at random on the three channels.
Each channel takes an order whenever the stock it shows is at least one and lowers what it
shows by one, as a marketplace does, without knowing of the other channels. The partner's
intake takes the orders in (the real :class:`~ruralseller.orders.OrderInbox` and
:class:`~ruralseller.orders.StockLedger`, in memory) now and then, LAG orders apart on
average (after each order with chance 1/LAG), and pushes the stock
each channel should show (:func:`~ruralseller.orders.listed_for`); until then the channels
show stale stock. Orders the lot cannot fill are flagged oversold; the table prints them per
1,000 orders taken, and the birds left unsold, for each policy, buffer and lag.

    .venv/bin/python benchmarks/bench_oversold.py [--quick] [--lots N] [--seed S]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import random
from fractions import Fraction

from ruralseller.catalog import Catalog, Money, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.marketplaces import RemoteOrder
from ruralseller.orders import (
    Channel,
    OrderInbox,
    OrderStatus,
    OrderStore,
    SplitPolicy,
    StockLedger,
    StockPolicy,
    listed_for,
)
from ruralseller.publishing import Outbox

DAY = dt.date(2026, 11, 21)
LOT = "WJ261120A"
BIRDS = 20
BUYERS = 60
NAMES = ("taobao", "shopee", "sandbox")


@functools.cache
def _catalog() -> Catalog:
    return load_catalog(sample_path())


def one_lot(policy: StockPolicy, lag: int, rng: random.Random) -> tuple[int, int, int]:
    """(orders taken, oversold, birds left unsold) for one lot sold out by racing buyers."""
    catalog = _catalog()
    store = OrderStore(Outbox(":memory:"))
    ledger, inbox = StockLedger(store), OrderInbox(store, catalog)
    ledger.receive(LOT, BIRDS, ref="slaughter", day=DAY)
    shown = listed_for(catalog, ledger, LOT, policy, DAY)
    waiting: list[RemoteOrder] = []
    taken = 0
    for buyer in range(BUYERS):
        channel = rng.choice(policy.channels).name
        if shown[channel] < 1:
            continue  # the marketplace answers "sold out"
        shown[channel] -= 1
        waiting.append(
            RemoteOrder(
                marketplace=channel,
                account="shop",
                order_id=str(buyer),
                sku=LOT,
                quantity=1,
                placed_at=dt.datetime(2026, 11, 21, tzinfo=dt.UTC),
                unit_price=Money("95.00", "CNY"),
            )
        )
        if rng.random() < 1 / lag:  # the intake runs now and then: LAG orders apart on average
            for order in waiting:
                inbox.take(order, channel=order.marketplace, day=DAY)
            taken += len(waiting)
            waiting.clear()
            shown = listed_for(catalog, ledger, LOT, policy, DAY)
    for order in waiting:
        inbox.take(order, channel=order.marketplace, day=DAY)
    taken += len(waiting)
    oversold = len(inbox.orders(OrderStatus.FLAGGED))
    return taken, oversold, ledger.stock(LOT).available


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="30 lots per row instead of 200")
    parser.add_argument("--lots", type=int, help="lots sold out per row")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    lots = args.lots or (30 if args.quick else 200)
    print(f"{BUYERS} racing buyers, 3 channels, {BIRDS} birds a lot, {lots} lots a row")
    print(
        f"{'policy':<14}{'buffer':>7}{'lag':>5}{'orders':>8}{'oversold/1000':>15}{'unsold/lot':>12}"
    )
    rows = [(SplitPolicy.SHARED, buffer, lag) for lag in (1, 3, 10) for buffer in (0, 1, 2, 4)] + [
        (SplitPolicy.FIXED_SHARES, buffer, lag) for lag in (1, 3, 10) for buffer in (0, 1)
    ]
    for split, buffer, lag in rows:
        policy = StockPolicy(
            channels=[Channel(name=name, buffer=buffer) for name in NAMES],
            split=split,
            shares={name: Fraction(1) for name in NAMES},
        )
        rng = random.Random(args.seed)
        taken = oversold = unsold = 0
        for _ in range(lots):
            t, o, u = one_lot(policy, lag, rng)
            taken, oversold, unsold = taken + t, oversold + o, unsold + u
        rate = 1000 * oversold / taken if taken else 0.0
        print(f"{split.value:<14}{buffer:>7}{lag:>5}{taken:>8}{rate:>15.1f}{unsold / lots:>12.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
