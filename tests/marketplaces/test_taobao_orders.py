"""Taobao order intake against the fake TOP gateway (trades checked as TOP's documents say)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.marketplaces.fake_taobao import FakeTaobao
from tests.marketplaces.test_taobao import make_taobao
from tests.orders.shop import catalog

from ruralseller.catalog import Money
from ruralseller.errors import MarketplaceError
from ruralseller.marketplaces import supports_order_intake
from ruralseller.marketplaces.orders import OrderPage
from ruralseller.marketplaces.taobao import ORDER_STATES, TaobaoMarketplace
from ruralseller.marketplaces.taobao.orders import OVERLAP
from ruralseller.orders import (
    Channel,
    OrderInbox,
    OrderStatus,
    OrderStore,
    StockLedger,
    take_orders,
)
from ruralseller.publishing import Outbox

T = TypeVar("T")
LOT = "WJ261120A"
DAY = dt.date(2026, 11, 21)
START = dt.datetime(2026, 11, 21, 8, tzinfo=dt.UTC).timestamp()


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float = 1) -> None:
        self.now += seconds


def gateway() -> tuple[FakeTaobao, Clock]:
    clock = Clock()
    return FakeTaobao(clock=clock), clock


def go(fake: FakeTaobao, work: Callable[[TaobaoMarketplace], Awaitable[T]], **options: Any) -> T:
    async def main() -> T:
        adapter = make_taobao(fake, clock=fake.clock, **options)
        try:
            return await work(adapter)
        finally:
            await adapter.http.aclose()

    return asyncio.run(main())


async def _all(taobao: TaobaoMarketplace, since: str | None, limit: int) -> list[OrderPage]:
    pages = [await taobao.list_orders(since, limit=limit)]
    while pages[-1].more:
        pages.append(await taobao.list_orders(pages[-1].cursor, limit=limit))
    return pages


def _methods(fake: FakeTaobao) -> list[dict[str, str]]:
    return [p for p in fake.received if p["method"] == "taobao.trades.sold.increment.get"]


def test_the_adapter_says_it_takes_orders_in() -> None:
    fake, _ = gateway()
    assert supports_order_intake(make_taobao(fake))


def test_a_sub_order_is_an_order_with_the_price_paid_and_the_receiver() -> None:
    fake, _ = gateway()
    trade = fake.add_trade(LOT, 2, "201.60")
    (order,) = go(fake, lambda t: t.list_orders()).orders
    assert order.order_id == f"{trade['tid']}-{trade['orders'][0]['oid']}"
    assert (order.sku, order.quantity, order.state) == (LOT, 2, "placed")
    assert order.unit_price == Money("100.80", "CNY")
    assert order.placed_at == dt.datetime(2026, 11, 21, 8, tzinfo=dt.UTC)
    assert (order.buyer["name"], order.buyer["city"]) == ("吴*", "武汉市")
    assert order.extra["status"] == "WAIT_SELLER_SEND_GOODS"


def test_a_window_is_counted_then_read_from_its_last_page() -> None:
    fake, clock = gateway()
    tids = []
    for _ in range(5):
        tids.append(fake.add_trade(LOT, 1, "100.80")["tid"])
        clock.tick()
    clock.tick(2 * OVERLAP)
    pages = go(fake, lambda t: _all(t, None, 2))
    assert {o.extra["tid"] for p in pages for o in p.orders} == set(tids)
    sent = _methods(fake)
    assert [(p["fields"], p["page_no"]) for p in sent][:2] == [
        ("tid", "1"),
        (sent[1]["fields"], "3"),
    ]
    assert [p["page_no"] for p in sent[1:]] == ["3", "2", "1"]
    assert all(p["start_modified"] < p["end_modified"] for p in sent)
    # China time, as TOP wants it: 08:00 UTC is 16:00 in Beijing.
    assert sent[0]["end_modified"] == "2026-11-21 16:10:05"
    assert not pages[-1].more


def test_the_cursor_moves_on_and_only_the_overlap_is_read_again() -> None:
    fake, clock = gateway()
    fake.add_trade(LOT, 1, "100.80")
    clock.tick(2 * OVERLAP)
    first = go(fake, lambda t: _all(t, None, 10))
    clock.tick(3 * 24 * 3600)  # three days later: three windows of a day
    late = fake.add_trade(LOT, 1, "100.80")["tid"]
    pages = go(fake, lambda t: _all(t, first[-1].cursor, 10))
    assert [o.extra["tid"] for p in pages for o in p.orders] == [late]
    assert len(pages) == 4


def test_a_trade_changed_while_paging_is_not_lost() -> None:
    fake, clock = gateway()
    tids = []
    for _ in range(6):
        tids.append(fake.add_trade(LOT, 1, "100.80")["tid"])
        clock.tick()
    clock.tick(2 * OVERLAP)

    def close_the_first() -> None:
        clock.tick()
        fake.change_trade(tids[0], "TRADE_CLOSED")

    # Read first to last, the pages after the first would shift and hide a trade.
    fake.after_list.append(close_the_first)
    pages = go(fake, lambda t: _all(t, None, 2))
    clock.tick(2 * OVERLAP)
    pages += go(fake, lambda t: _all(t, pages[-1].cursor, 2))
    seen = {(o.extra["tid"], o.state) for p in pages for o in p.orders}
    assert {tid for tid, _ in seen} == set(tids)
    assert (tids[0], "cancelled") in seen


@pytest.mark.parametrize(("status", "state"), sorted(ORDER_STATES.items()))
def test_states_map_and_the_raw_status_is_kept(status: str, state: str) -> None:
    fake, _ = gateway()
    fake.add_trade(LOT, 1, "100.80", status=status)
    (order,) = go(fake, lambda t: t.list_orders()).orders
    assert (order.state, order.extra["status"]) == (state, status)


def test_shipping_sends_tracking_and_carrier_once() -> None:
    fake, _ = gateway()
    trade = fake.add_trade(LOT, 1, "100.80")

    async def work(t: TaobaoMarketplace) -> list[Any]:
        (order,) = (await t.list_orders()).orders
        return [
            await t.acknowledge_order(order.order_id),
            await t.ship_order(order.order_id, tracking="SF1234567890", carrier="SF"),
            await t.ship_order(order.order_id, tracking="SF1234567890", carrier="SF"),
        ]

    acked, shipped, again = go(fake, work)
    assert acked.state == "placed"
    assert (shipped.state, shipped.extra["tracking"], again.state) == (
        "shipped",
        "SF1234567890",
        "shipped",
    )
    assert fake.trades[trade["tid"]]["out_sid"] == "SF1234567890"
    assert fake.performed.count("taobao.logistics.offline.send") == 1


def test_shipping_needs_a_carrier_and_a_closed_trade_is_not_shipped() -> None:
    fake, _ = gateway()
    trade = fake.add_trade(LOT, 1, "100.80")
    order_id = f"{trade['tid']}-{trade['orders'][0]['oid']}"
    with pytest.raises(MarketplaceError, match="company code"):
        go(fake, lambda t: t.ship_order(order_id, tracking="SF1"))
    shipped = go(fake, lambda t: t.ship_order(order_id, tracking="ZTO1"), carrier="ZTO")
    assert shipped.extra["carrier"] == "ZTO"  # the shop's carrier setting
    fake.change_trade(trade["tid"], "TRADE_CLOSED")
    with pytest.raises(MarketplaceError, match="closed; it cannot be shipped"):
        go(fake, lambda t: t.ship_order(order_id, tracking="SF1", carrier="SF"))


def test_cancelling_says_what_to_do_in_the_seller_centre() -> None:
    fake, _ = gateway()
    trade = fake.add_trade(LOT, 1, "100.80")
    order_id = f"{trade['tid']}-{trade['orders'][0]['oid']}"
    with pytest.raises(MarketplaceError, match="已卖出的宝贝") as caught:
        go(fake, lambda t: t.cancel_order(order_id, reason="oversold"))
    assert caught.value.code == "cancel_in_seller_centre"
    fake.change_trade(trade["tid"], "TRADE_CLOSED")
    assert go(fake, lambda t: t.cancel_order(order_id, reason="oversold")).state == "cancelled"


def test_fetch_answers_none_for_a_trade_taobao_does_not_have() -> None:
    fake, _ = gateway()
    assert go(fake, lambda t: t.fetch_order("3921999999999-1")) is None
    with pytest.raises(MarketplaceError, match="not a Taobao order id"):
        go(fake, lambda t: t.fetch_order("abc"))


@pytest.mark.parametrize(
    "answer",
    [
        {"total_results": "x"},
        {"total_results": 1, "trades": [{"tid": 1, "orders": [{"oid": 2}]}]},
        {
            "total_results": 1,
            "trades": [{"tid": 1, "created": "soon", "modified": "", "orders": []}],
        },
    ],
)
def test_an_unexpected_answer_is_a_marketplace_error(answer: dict[str, Any]) -> None:
    fake, _ = gateway()

    def odd(request: httpx.Request) -> httpx.Response:
        if b"increment" in request.content:
            return httpx.Response(200, json=answer)
        return fake(request)

    with pytest.raises(MarketplaceError) as caught:
        go(fake, lambda t: t.list_orders(), transport=httpx.MockTransport(odd))
    assert caught.value.code == "unexpected_answer"


def test_orders_are_taken_in_once_through_the_order_stage(store_target: str) -> None:
    fake, clock = gateway()
    orders = OrderStore(Outbox(store_target))
    StockLedger(orders).receive(LOT, 5, ref="slaughter", day=DAY)
    inbox = OrderInbox(orders, catalog())
    channel = Channel(name="taobao", account="23456789")
    fake.add_trade(LOT, 2, "201.60")
    clock.tick()
    fake.add_trade(LOT, 1, "100.80")
    first = go(fake, lambda t: take_orders(t, inbox, channel, day=DAY, page_size=1))
    assert (len(first.new), StockLedger(orders).stock(LOT).reserved) == (2, 3)
    clock.tick(2 * OVERLAP)
    again = go(fake, lambda t: take_orders(t, inbox, channel, day=DAY))
    assert (again.new, again.changed) == ((), ())
    assert StockLedger(orders).stock(LOT).reserved == 3
    assert {o.status for o in inbox.orders()} == {OrderStatus.RESERVED}


@settings(max_examples=25, deadline=None)
@given(
    offsets=st.lists(st.integers(0, 20 * 3600), min_size=1, max_size=12),  # a first look: a day
    limit=st.integers(1, 4),
    changes=st.lists(st.tuples(st.integers(0, 11), st.integers(1, 6)), max_size=4),
)
def test_every_order_is_seen_with_its_last_state_whatever_changes_while_listing(
    offsets: list[int], limit: int, changes: list[tuple[int, int]]
) -> None:
    fake, clock = gateway()
    tids = []
    for offset in sorted(offsets):
        clock.now = START + offset
        tids.append(fake.add_trade(LOT, 1, "100.80")["tid"])
    clock.tick(2 * OVERLAP)
    pending = [(tids[i % len(tids)], wait) for i, wait in changes]

    def change() -> None:
        tid, wait = pending[0]
        if wait > 1:
            pending[0] = (tid, wait - 1)
        else:
            pending.pop(0)
            clock.tick()
            fake.change_trade(tid, "TRADE_CLOSED")
        if pending:
            fake.after_list.append(change)

    if pending:
        fake.after_list.append(change)

    async def drain(taobao: TaobaoMarketplace) -> dict[str, str]:
        seen: dict[str, str] = {}
        cursor = None
        for _ in range(sum(w for _, w in changes) + 2):  # syncs, the last after every change
            page = OrderPage(orders=(), cursor=cursor, more=True)
            for _calls in range(500):
                if not page.more:
                    break
                page = await taobao.list_orders(page.cursor, limit=limit)
                seen |= {o.extra["tid"]: o.state for o in page.orders}
            else:
                pytest.fail("the listing never ended")
            cursor = page.cursor
            clock.tick(2 * OVERLAP)
        return seen

    seen = go(fake, drain)
    assert set(seen) == set(tids)
    assert all(seen[t] == ORDER_STATES[fake.trades[t]["status"]] for t in tids)
