"""The inbox: each order once, its units reserved with it, flagged when it cannot be filled."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from ruralseller.catalog import Mass, Money
from ruralseller.errors import InvalidValueError
from ruralseller.marketplaces import RemoteOrder
from ruralseller.orders import (
    FlagReason,
    OrderInbox,
    OrderStatus,
    StockLedger,
)
from ruralseller.publishing import Outbox

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
