"""Shopee order intake against the fake shop (calls checked as the v2 API reference has them)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.marketplaces.fake_shopee import FakeShopee
from tests.marketplaces.test_shopee import make_adapter
from tests.orders.shop import catalog

from ruralseller.catalog import Money
from ruralseller.errors import MarketplaceError
from ruralseller.marketplaces import supports_order_intake
from ruralseller.marketplaces.orders import OrderPage
from ruralseller.marketplaces.shopee import ORDER_STATES, ShopeeMarketplace
from ruralseller.marketplaces.shopee.orders import OVERLAP, WINDOW
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


def shop() -> tuple[FakeShopee, Clock]:
    clock = Clock()
    return FakeShopee(clock=clock), clock


def go(fake: FakeShopee, work: Callable[[ShopeeMarketplace], Awaitable[T]], **options: Any) -> T:
    async def main() -> T:
        adapter = make_adapter(fake, **options)
        try:
            return await work(adapter)
        finally:
            await adapter.aclose()

    return asyncio.run(main())


async def _all(shopee: ShopeeMarketplace, since: str | None, limit: int) -> list[OrderPage]:
    pages = [await shopee.list_orders(since, limit=limit)]
    while pages[-1].more:
        pages.append(await shopee.list_orders(pages[-1].cursor, limit=limit))
    return pages


def test_the_adapter_says_it_takes_orders_in() -> None:
    fake, _ = shop()
    assert supports_order_intake(make_adapter(fake))


def test_an_order_item_is_an_order_with_the_price_paid_and_the_address() -> None:
    fake, _ = shop()
    placed = fake.add_order(LOT, 2, "9.90")
    page = go(fake, lambda s: s.list_orders())
    (order,) = page.orders
    item = placed["item_list"][0]
    assert order.order_id == f"{placed['order_sn']}-{item['item_id']}-0"
    assert (order.sku, order.quantity, order.state) == (LOT, 2, "placed")
    assert order.unit_price == Money("9.90", "SGD")
    assert order.placed_at == dt.datetime(2026, 11, 21, 8, tzinfo=dt.UTC)
    assert order.buyer["address"] == "3 Village Road, Singapore 520123"
    assert (order.account, order.extra["status"]) == ("14701711", "READY_TO_SHIP")
    assert not page.more


def test_the_list_asks_for_update_times_in_a_window_of_at_most_15_days() -> None:
    fake, _ = shop()
    go(fake, lambda s: s.list_orders(limit=20))
    query = next(r for r in fake.requests if r.url.path.endswith("get_order_list")).url.params
    assert query["time_range_field"] == "update_time"
    assert int(query["time_to"]) - int(query["time_from"]) == WINDOW
    assert int(query["time_to"]) == int(START)
    assert (query["page_size"], query["cursor"]) == ("20", "")


def test_paging_and_the_cursor_read_every_order_and_only_the_overlap_again() -> None:
    fake, clock = shop()
    sns = []
    for _ in range(5):
        sns.append(fake.add_order(LOT, 1, "9.90")["order_sn"])
        clock.tick()
    clock.tick(2 * OVERLAP)
    pages = go(fake, lambda s: _all(s, None, 2))
    assert {o.extra["order_sn"] for p in pages for o in p.orders} == set(sns)
    clock.tick(3600)
    newer = fake.add_order(LOT, 1, "9.90")["order_sn"]
    again = go(fake, lambda s: _all(s, pages[-1].cursor, 2))
    seen = [o.extra["order_sn"] for p in again for o in p.orders]
    assert newer in seen
    assert set(seen) == {newer}  # what was read before the overlap is not listed again


def test_a_cursor_weeks_old_moves_on_window_by_window() -> None:
    fake, clock = shop()
    first = go(fake, lambda s: s.list_orders())
    clock.tick(40 * 24 * 3600)
    late = fake.add_order(LOT, 1, "9.90")["order_sn"]
    pages = go(fake, lambda s: _all(s, first.cursor, 10))
    assert len(pages) == 3  # 40 days: three windows of at most 15
    assert [o.extra["order_sn"] for o in pages[-1].orders] == [late]
    assert OVERLAP < WINDOW


def test_an_order_changed_while_listing_is_not_lost() -> None:
    fake, clock = shop()
    sns = []
    for _ in range(6):
        sns.append(fake.add_order(LOT, 1, "9.90")["order_sn"])
        clock.tick()

    def cancel_the_first(_query: dict[str, str]) -> bool:
        clock.tick()
        fake.change_order(sns[0], order_status="CANCELLED")
        return True

    fake.after_list.append(cancel_the_first)
    pages = go(fake, lambda s: _all(s, None, 2))
    clock.tick(120)
    pages += go(fake, lambda s: _all(s, pages[-1].cursor, 2))
    seen = {(o.extra["order_sn"], o.state) for p in pages for o in p.orders}
    assert {sn for sn, _ in seen} == set(sns)
    assert (sns[0], "cancelled") in seen


def test_a_window_of_more_than_a_page_is_narrowed_not_paged() -> None:
    fake, clock = shop()
    for _ in range(5):
        fake.add_order(LOT, 1, "9.90")
        clock.tick(3600)
    go(fake, lambda s: _all(s, None, 2))
    lists = [r.url.params for r in fake.requests if r.url.path.endswith("get_order_list")]
    assert all(q["cursor"] == "" for q in lists)  # never paged: every window fits a page
    assert max(int(q["time_to"]) - int(q["time_from"]) for q in lists) == WINDOW


def test_orders_changed_in_one_second_are_paged_and_listed_twice() -> None:
    fake, clock = shop()
    sns = [fake.add_order(LOT, 1, "9.90")["order_sn"] for _ in range(5)]
    clock.tick(2 * OVERLAP)

    def cancel_while_paging(query: dict[str, str]) -> bool:
        if int(query["time_to"]) - int(query["time_from"]) > 1:
            return False  # still narrowing
        clock.tick()
        fake.change_order(sns[0], order_status="CANCELLED")
        return True

    # Offsets shift when the first order leaves the second: the second pass finds the order
    # the shift hid, a later window the cancelled one.
    fake.after_list.append(cancel_while_paging)
    pages = go(fake, lambda s: _all(s, None, 2))
    clock.tick(2 * OVERLAP)
    pages += go(fake, lambda s: _all(s, pages[-1].cursor, 2))
    seen = {(o.extra["order_sn"], o.state) for p in pages for o in p.orders}
    assert {sn for sn, _ in seen} == set(sns)
    assert (sns[0], "cancelled") in seen
    lists = [r.url.params for r in fake.requests if r.url.path.endswith("get_order_list")]
    assert any(q["cursor"] for q in lists)


@pytest.mark.parametrize(("status", "state"), sorted(ORDER_STATES.items()))
def test_states_map_and_the_raw_status_is_kept(status: str, state: str) -> None:
    fake, _ = shop()
    fake.add_order(LOT, 1, "9.90", status=status)
    (order,) = go(fake, lambda s: s.list_orders()).orders
    assert (order.state, order.extra["status"]) == (state, status)


def test_ship_with_a_tracking_number_once_and_cancel_as_out_of_stock() -> None:
    fake, _ = shop()
    one = fake.add_order(LOT, 1, "9.90")
    two = fake.add_order(LOT, 1, "9.90")

    async def work(s: ShopeeMarketplace) -> list[Any]:
        page = await s.list_orders()
        first, second = (o.order_id for o in page.orders)
        return [
            await s.acknowledge_order(first),
            await s.ship_order(first, tracking="SPX123", carrier="SPX"),
            await s.ship_order(first, tracking="SPX123"),
            await s.cancel_order(second, reason="oversold"),
            await s.cancel_order(second, reason="oversold"),
        ]

    acked, shipped, again, cancelled, recancelled = go(fake, work)
    assert acked.state == "placed"  # Shopee has no acknowledgement
    assert (shipped.state, shipped.extra["tracking"]) == ("acknowledged", "SPX123")
    assert again.state == "acknowledged"
    assert fake.orders[one["order_sn"]]["tracking_number"] == "SPX123"
    ships = [r for r in fake.requests if r.url.path.endswith("ship_order")]
    assert len(ships) == 1
    assert (cancelled.state, recancelled.state) == ("cancelled", "cancelled")
    assert fake.orders[two["order_sn"]]["order_status"] == "CANCELLED"


def test_ship_without_tracking_drops_off_and_a_cancelled_order_is_not_shipped() -> None:
    fake, _ = shop()
    fake.add_order(LOT, 1, "9.90")
    gone = fake.add_order(LOT, 1, "9.90", status="CANCELLED")

    async def work(s: ShopeeMarketplace) -> Any:
        first = (await s.list_orders()).orders[0]
        return await s.ship_order(first.order_id)

    assert go(fake, work).state == "acknowledged"
    gone_id = f"{gone['order_sn']}-{gone['item_list'][0]['item_id']}-0"
    with pytest.raises(MarketplaceError, match="cancelled; it cannot be shipped"):
        go(fake, lambda s: s.ship_order(gone_id, tracking="X"))


def test_fetch_answers_none_for_an_order_shopee_does_not_show() -> None:
    fake, _ = shop()
    assert go(fake, lambda s: s.fetch_order("2611999999AB-1-0")) is None
    with pytest.raises(MarketplaceError, match="not a Shopee order id"):
        go(fake, lambda s: s.fetch_order("nope-x"))
    with pytest.raises(MarketplaceError, match="shows no order"):
        go(fake, lambda s: s.cancel_order("2611999999AB-1-0", reason="oversold"))


@pytest.mark.parametrize(
    "answer",
    [
        {"error": "", "response": {"order_list": [{"sn": "x"}]}},
        {"error": "", "response": {"order_list": "x", "more": False}},
        {"error": "", "message": ""},
    ],
)
def test_an_unexpected_answer_is_a_marketplace_error(answer: dict[str, Any]) -> None:
    fake, _ = shop()

    def odd(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("get_order_list"):
            return httpx.Response(200, json=answer)
        return fake(request)

    with pytest.raises(MarketplaceError) as caught:
        go(fake, lambda s: s.list_orders(), transport=httpx.MockTransport(odd))
    assert caught.value.code == "unexpected_answer"


def test_orders_are_taken_in_once_through_the_order_stage(store_target: str) -> None:
    fake, clock = shop()
    orders = OrderStore(Outbox(store_target))
    StockLedger(orders).receive(LOT, 5, ref="slaughter", day=DAY)
    inbox = OrderInbox(orders, catalog())
    channel = Channel(name="shopee", account=str(14701711))
    fake.add_order(LOT, 2, "9.90")
    clock.tick()
    fake.add_order(LOT, 1, "9.90")
    first = go(fake, lambda s: take_orders(s, inbox, channel, day=DAY, page_size=1))
    assert (len(first.new), StockLedger(orders).stock(LOT).reserved) == (2, 3)
    clock.tick(120)
    again = go(fake, lambda s: take_orders(s, inbox, channel, day=DAY))
    assert (again.new, again.changed) == ((), ())
    assert StockLedger(orders).stock(LOT).reserved == 3
    assert {o.status for o in inbox.orders()} == {OrderStatus.RESERVED}


@settings(max_examples=25, deadline=None)
@given(
    offsets=st.lists(st.integers(0, 3 * 24 * 3600), min_size=1, max_size=12),
    limit=st.integers(1, 4),
    changes=st.lists(st.integers(0, 11), max_size=4),
)
def test_every_order_is_seen_with_its_last_state_whatever_changes_while_listing(
    offsets: list[int], limit: int, changes: list[int]
) -> None:
    fake, clock = shop()
    sns = []
    for offset in sorted(offsets):
        clock.now = START + offset
        sns.append(fake.add_order(LOT, 1, "9.90")["order_sn"])
    clock.tick(2 * OVERLAP)
    pending = [sns[i % len(sns)] for i in changes]

    def change(_query: dict[str, str]) -> bool:
        clock.tick()
        fake.change_order(pending.pop(0), order_status="CANCELLED")
        return not pending

    if pending:
        fake.after_list.append(change)

    async def drain(s: ShopeeMarketplace) -> dict[str, str]:
        seen: dict[str, str] = {}
        cursor = None
        for _ in range(len(changes) + 2):  # syncs a while apart, the last after every change
            page = OrderPage(orders=(), cursor=cursor, more=True)
            for _calls in range(2000):
                if not page.more:
                    break
                page = await s.list_orders(page.cursor, limit=limit)
                seen |= {o.extra["order_sn"]: o.state for o in page.orders}
            else:
                pytest.fail("the listing never ended")
            cursor = page.cursor
            clock.tick(2 * OVERLAP)
        return seen

    seen = go(fake, drain)
    assert set(seen) == set(sns)
    assert all(seen[sn] == ORDER_STATES[fake.orders[sn]["order_status"]] for sn in sns)
