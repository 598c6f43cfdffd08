"""The stock push: what each channel shows, queued as stock-only writes; the kept policy."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import attrs
from tests.orders.shop import catalog
from tests.orders.test_inbox import DAY, _order
from tests.publishing.conftest import base_draft, picture

from ruralseller.orders import (
    Channel,
    OrderInbox,
    OrderStore,
    SplitPolicy,
    StockLedger,
    StockPolicy,
    load_policy,
    push_stock,
    save_policy,
    with_ledger_stock,
)
from ruralseller.publishing import JobState, Outbox


def test_the_stock_push_queues_stock_only_writes_per_channel(
    world: tuple[Outbox, OrderInbox, StockLedger],
) -> None:
    outbox, inbox, ledger = world
    for name in ("a", "b"):
        job = outbox.enqueue(name, attrs.evolve(base_draft(), stock=3), [picture()])
        outbox.published(job, {"state": "active"})
    policy = StockPolicy(channels=[Channel(name="a", buffer=1), Channel(name="b")])
    assert push_stock(outbox, catalog(), ledger, policy, day=DAY) == {"a": {"WJ261120A": 2}}
    inbox.take(_order("o1"), channel="b", day=DAY)
    queued = push_stock(outbox, catalog(), ledger, policy, day=DAY)
    assert queued == {"a": {"WJ261120A": 1}, "b": {"WJ261120A": 2}}
    assert push_stock(outbox, catalog(), ledger, policy, day=DAY) == {}  # nothing twice
    job = outbox.job("b", "WJ261120A")
    assert job.state is JobState.QUEUED
    assert job.only_inventory_changed()
    split = attrs.evolve(policy, split=SplitPolicy.FIXED_SHARES, shares={"a": 1, "b": 1})
    assert push_stock(outbox, catalog(), ledger, split, day=DAY) == {
        "a": {"WJ261120A": 0},
        "b": {"WJ261120A": 1},
    }
    # After the lot's use-by day no channel shows it.
    late = push_stock(outbox, catalog(), ledger, policy, day=dt.date(2026, 11, 26))
    assert late == {"b": {"WJ261120A": 0}}


def test_a_draft_gets_the_stock_the_ledger_gives_its_channel(
    world: tuple[Outbox, OrderInbox, StockLedger],
) -> None:
    _, inbox, ledger = world
    policy = StockPolicy(channels=[Channel(name="a", buffer=1)])
    inbox.take(_order("o1"), channel="a", day=DAY)
    draft = with_ledger_stock(base_draft(), catalog(), ledger, policy, channel="a", day=DAY)
    assert (base_draft().stock, draft.stock) == (40, 1)  # 3 in, 1 reserved, 1 kept back
    fresh = with_ledger_stock(base_draft(), catalog(), ledger, policy, channel="b", day=DAY)
    assert fresh.stock == 2  # a channel the policy does not know has no buffer
    unseen = attrs.evolve(base_draft(), sku="WJ261123A")
    assert with_ledger_stock(unseen, catalog(), ledger, policy, channel="a", day=DAY) is unseen


def test_the_policy_is_kept_in_the_store() -> None:
    store = OrderStore(Outbox(":memory:"))
    assert load_policy(store) == StockPolicy(channels=())
    policy = StockPolicy(
        channels=[Channel(name="taobao", buffer=2), Channel(name="sandbox-b", account="shop-b")],
        split=SplitPolicy.FIXED_SHARES,
        shares={"taobao": Fraction(2), "sandbox-b": Fraction(1, 2)},
    )
    save_policy(store, policy)
    assert load_policy(store) == policy
