"""The inbox: each order once, its units reserved with it, flagged when it cannot be filled."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from tests.orders.shop import catalog
from tests.publishing.conftest import base_draft, picture

from ruralseller.catalog import Mass, Money
from ruralseller.errors import InvalidValueError
from ruralseller.marketplaces import RemoteOrder
from ruralseller.orders import (
    Channel,
    FlagReason,
    OrderInbox,
    OrderStatus,
    OrderStore,
    SplitPolicy,
    StockLedger,
    StockPolicy,
    push_stock,
    with_ledger_stock,
)
from ruralseller.publishing import JobState, Outbox

DAY = dt.date(2026, 11, 21)
PLACED = dt.datetime(2026, 11, 21, 9, 30, tzinfo=dt.UTC)


def _order(order_id: str, quantity: int = 1, sku: str = "WJ261120A", **rest: object) -> RemoteOrder:
    return RemoteOrder(
        marketplace="sandbox",
        account="demo",
        order_id=order_id,
        sku=sku,
        quantity=quantity,
        placed_at=PLACED,
        unit_price=Money("36.00", "CNY"),
        **rest,  # type: ignore[arg-type]
    )


@pytest.fixture
def world() -> tuple[Outbox, OrderInbox, StockLedger]:
    outbox = Outbox(":memory:")
    store = OrderStore(outbox)
    ledger = StockLedger(store)
    ledger.receive("WJ261120A", 3, ref="slaughter", day=DAY)
    return outbox, OrderInbox(store, catalog()), ledger


def test_an_order_is_taken_once_and_reserves_its_units(
    world: tuple[Outbox, OrderInbox, StockLedger],
) -> None:
    _, inbox, ledger = world
    first = inbox.take(_order("o1", 2), channel="sandbox", day=DAY)
    again = inbox.take(_order("o1", 2), channel="sandbox", day=DAY)
    assert (first.new, first.changed, again.new, again.changed) == (True, True, False, False)
    assert first.order.allocation == (("WJ261120A", 2),)
    assert first.order.key == "sandbox/demo/o1"
    assert first.order.charged == Money("72.00", "CNY")
    assert ledger.stock("WJ261120A").available == 1
    assert inbox.order("o1") == inbox.order("sandbox/demo/o1") == first.order


def test_the_same_id_on_another_account_is_another_order(
    world: tuple[Outbox, OrderInbox, StockLedger],
) -> None:
    _, inbox, _ = world
    inbox.take(_order("o1"), channel="sandbox", day=DAY)
    other = inbox.take(attrs.evolve(_order("o1"), account="shop-b"), channel="b", day=DAY)
    assert other.new
    with pytest.raises(InvalidValueError, match="several orders have id 'o1'"):
        inbox.order("o1")
    with pytest.raises(InvalidValueError, match="no order 'o9'"):
        inbox.order("o9")


def test_an_order_beyond_the_stock_is_flagged_oversold_with_its_cancel_prepared(
    world: tuple[Outbox, OrderInbox, StockLedger],
) -> None:
    _, inbox, ledger = world
    inbox.take(_order("o1", 3), channel="sandbox", day=DAY)
    short = inbox.take(_order("o2"), channel="sandbox", day=DAY).order
    assert (short.status, short.reason, short.cancel) == (
        OrderStatus.FLAGGED,
        FlagReason.OVERSOLD,
        "prepared",
    )
    assert "0 available" in short.detail
    assert ledger.stock("WJ261120A").reserved == 3
    cancelled = inbox.cancel(short, day=DAY)
    assert (cancelled.status, cancelled.cancel) == (OrderStatus.CANCELLED, "confirmed")


def test_an_order_for_an_expired_lot_or_an_unknown_sku_is_flagged(
    world: tuple[Outbox, OrderInbox, StockLedger],
) -> None:
    _, inbox, _ = world
    late = inbox.take(_order("o1"), channel="sandbox", day=dt.date(2026, 11, 26)).order
    assert late.reason is FlagReason.EXPIRED
    unknown = inbox.take(_order("o2", sku="NOPE"), channel="sandbox", day=DAY).order
    assert unknown.reason is FlagReason.UNKNOWN_SKU


def test_a_cancelled_order_releases_its_units_once(
    world: tuple[Outbox, OrderInbox, StockLedger],
) -> None:
    _, inbox, ledger = world
    inbox.take(_order("o1", 2), channel="sandbox", day=DAY)
    gone = inbox.take(_order("o1", 2, state="cancelled"), channel="sandbox", day=DAY)
    assert (gone.changed, gone.order.status) == (True, OrderStatus.CANCELLED)
    assert (
        inbox.take(_order("o1", 2, state="cancelled"), channel="sandbox", day=DAY).changed is False
    )
    assert ledger.stock("WJ261120A").available == 3


def test_shipping_takes_the_units_out_of_the_house(
    world: tuple[Outbox, OrderInbox, StockLedger],
) -> None:
    _, inbox, ledger = world
    order = inbox.take(_order("o1", 2), channel="sandbox", day=DAY).order
    shipped = inbox.ship(order, day=DAY, weight=Mass.parse("2.61 kg"))
    assert (shipped.status, shipped.weight, shipped.shipped_day) == (
        OrderStatus.SHIPPED,
        Mass.parse("2.61 kg"),
        DAY,
    )
    stock = ledger.stock("WJ261120A")
    assert (stock.on_hand, stock.reserved) == (1, 0)
    assert inbox.ship(order, day=DAY) == shipped  # repeating changes nothing
    with pytest.raises(InvalidValueError, match="cannot be cancelled"):
        inbox.cancel(order, day=DAY)
    flagged = inbox.take(_order("o2", 5), channel="sandbox", day=DAY).order
    with pytest.raises(InvalidValueError, match="only a reserved order can be shipped"):
        inbox.ship(flagged, day=DAY)


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
