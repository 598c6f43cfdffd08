"""WooCommerce order intake against the fake store (orders checked against the documented API)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import attrs
import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.marketplaces.fake_woocommerce import FakeWooCommerceStore
from tests.marketplaces.test_woocommerce import adapter, https_store, run
from tests.orders.shop import catalog

from ruralseller.catalog import Mass, Money
from ruralseller.errors import MarketplaceError
from ruralseller.marketplaces import supports_order_intake
from ruralseller.marketplaces.orders import OrderPage, RemoteOrder
from ruralseller.marketplaces.woocommerce import ORDER_STATES, WooCommerceMarketplace
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
START = dt.datetime(2026, 11, 21, 8, tzinfo=dt.UTC).timestamp()
LOT = "WJ261120A"
DAY = dt.date(2026, 11, 21)


class Clock:
    """The store's clock, moved on by hand (order times are to the second)."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float = 1) -> None:
        self.now += seconds


def store() -> tuple[FakeWooCommerceStore, Clock]:
    clock = Clock()
    return https_store(clock=clock), clock


def go(shop: FakeWooCommerceStore, work: Callable[[WooCommerceMarketplace], Awaitable[T]]) -> T:
    return run(adapter(shop, clock=shop.clock), work)


async def _all(woo: WooCommerceMarketplace, since: str | None, limit: int) -> list[OrderPage]:
    pages = [await woo.list_orders(since, limit=limit)]
    while pages[-1].more:
        pages.append(await woo.list_orders(pages[-1].cursor, limit=limit))
    return pages


def test_the_adapter_says_it_takes_orders_in() -> None:
    shop, _ = store()
    assert supports_order_intake(adapter(shop))


def test_each_line_with_a_sku_is_an_order_with_the_price_paid_and_the_address() -> None:
    shop, _ = store()
    placed = shop.add_order([(LOT, 2, "201.60"), ("", 1, "5.00"), ("HEN-2", 1, "10.00")])
    page = go(shop, lambda woo: woo.list_orders())
    first, second = page.orders
    line = placed["line_items"][0]["id"]
    assert attrs.evolve(first, buyer={}, extra={}) == RemoteOrder(
        marketplace="woocommerce",
        account="https://shop.test",
        order_id=f"{placed['id']}-{line}",
        sku=LOT,
        quantity=2,
        placed_at=dt.datetime(2026, 11, 21, 8, tzinfo=dt.UTC),
        unit_price=Money("100.80", "CNY"),
    )
    assert first.buyer["name"] == "Mei Wu"
    assert first.buyer["address"] == "3 Village Road"
    assert (first.buyer["city"], first.buyer["phone"]) == ("Wuhan", "13800000000")
    assert first.extra["status"] == "processing"
    assert second.sku == "HEN-2"  # the line without a SKU is not ours
    assert (page.more, page.cursor) == (False, "2026-11-21T08:00:00|0")


def test_paging_reads_every_order_once_with_only_the_overlap_seen_again() -> None:
    shop, clock = store()
    ids = []
    for _ in range(7):
        ids.append(shop.add_order([(LOT, 1, "100.80")])["id"])
        clock.tick()
    pages = go(shop, lambda woo: _all(woo, None, 3))
    seen = [o.extra["order"] for p in pages for o in p.orders]
    assert set(seen) == set(ids)
    assert list(dict.fromkeys(seen)) == ids  # oldest change first
    # Nothing new: the next listing only sees the last second again.
    again = go(shop, lambda woo: woo.list_orders(pages[-1].cursor, limit=3))
    assert [o.extra["order"] for o in again.orders] == [ids[-1]]
    assert not again.more


def test_a_page_of_orders_changed_in_one_second_is_read_alone_then_passed() -> None:
    shop, clock = store()
    ids = [shop.add_order([(LOT, 1, "100.80")])["id"] for _ in range(5)]
    clock.tick(120)
    pages = go(shop, lambda woo: _all(woo, None, 2))
    assert {o.extra["order"] for p in pages for o in p.orders} == set(ids)
    assert [p.cursor for p in pages] == [
        "2026-11-21T08:00:00|p",
        "2026-11-21T08:00:00|p2",
        "2026-11-21T08:00:00|p1",
        "2026-11-21T08:00:00|x",
        "2026-11-21T08:00:00|x",
    ]
    clock.tick()
    later = shop.add_order([(LOT, 1, "100.80")])["id"]
    again = go(shop, lambda woo: woo.list_orders(pages[-1].cursor, limit=2))
    assert [o.extra["order"] for o in again.orders] == [later]


def test_a_second_read_alone_is_not_passed_while_it_is_recent() -> None:
    shop, _ = store()
    ids = [shop.add_order([(LOT, 1, "100.80")])["id"] for _ in range(3)]
    pages = go(shop, lambda woo: _all(woo, None, 2))
    assert {o.extra["order"] for p in pages for o in p.orders} == set(ids)
    assert pages[-1].cursor == "2026-11-21T08:00:00|p"  # read it again next time
    assert not pages[-1].more


def test_an_order_changed_while_its_second_is_paged_is_not_lost() -> None:
    shop, clock = store()
    ids = [shop.add_order([(LOT, 1, "100.80")])["id"] for _ in range(7)]
    clock.tick(120)
    calls = {"n": 0}

    def cancel_the_first() -> None:
        calls["n"] += 1
        if calls["n"] < 3:  # not yet: the second is being paged from the third call
            shop.after_list.append(cancel_the_first)
            return
        clock.tick()
        shop.change_order(ids[0], status="cancelled")

    shop.after_list.append(cancel_the_first)
    pages = go(shop, lambda woo: _all(woo, None, 2))
    seen = {(o.extra["order"], o.state) for p in pages for o in p.orders}
    assert {order for order, _ in seen} == set(ids)
    assert (ids[0], "cancelled") in seen


def test_an_order_changed_while_paging_is_not_lost() -> None:
    shop, clock = store()
    ids = []
    for _ in range(6):
        ids.append(shop.add_order([(LOT, 1, "100.80")])["id"])
        clock.tick()

    def cancel_the_first() -> None:
        clock.tick()
        shop.change_order(ids[0], status="cancelled")

    shop.after_list.append(cancel_the_first)
    pages = go(shop, lambda woo: _all(woo, None, 2))
    seen = [(o.extra["order"], o.state) for p in pages for o in p.orders]
    assert {order for order, _ in seen} == set(ids)
    assert (ids[0], "cancelled") in seen


def test_the_list_asks_for_orders_by_modified_time_from_the_cursor() -> None:
    shop, _ = store()
    requests: list[httpx.Request] = []

    def spy(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return shop.handle(request)

    woo = adapter(shop, httpx.MockTransport(spy))
    run(woo, lambda w: w.list_orders("2026-11-21T08:00:05|0", limit=50))
    params = dict(requests[-1].url.params)
    assert params == {
        "orderby": "modified",
        "order": "asc",
        "dates_are_gmt": "true",
        "per_page": "50",
        "modified_after": "2026-11-21T08:00:04",
    }


@pytest.mark.parametrize(("status", "state"), sorted(ORDER_STATES.items()))
def test_states_map_and_the_raw_status_is_kept(status: str, state: str) -> None:
    shop, _ = store()
    shop.add_order([(LOT, 1, "100.80")], status=status)
    (order,) = go(shop, lambda woo: woo.list_orders()).orders
    assert (order.state, order.extra["status"]) == (state, status)


def test_acknowledge_ship_and_cancel_write_the_order_and_tell_the_buyer() -> None:
    shop, clock = store()
    first = shop.add_order([(LOT, 1, "100.80")])
    second = shop.add_order([(LOT, 1, "100.80")])

    async def work(woo: WooCommerceMarketplace) -> list[RemoteOrder]:
        page = await woo.list_orders()
        one, two = (o.order_id for o in page.orders)
        clock.tick()
        done = [await woo.acknowledge_order(one), await woo.acknowledge_order(one)]
        done.append(
            await woo.ship_order(
                one, weight=Mass.parse("2.61 kg"), tracking="SF123", carrier="SF Express"
            )
        )
        done.append(await woo.ship_order(one, tracking="SF123"))  # again: nothing sent
        done.append(await woo.cancel_order(two, reason="oversold"))
        done.append(await woo.cancel_order(two, reason="oversold"))
        return done

    acked, again, shipped, reshipped, cancelled, recancelled = go(shop, work)
    assert (acked.state, again.state) == ("acknowledged", "acknowledged")
    assert shop.count("PUT", f"/wp-json/wc/v3/orders/{first['id']}") == 2  # ack once, ship once
    assert (shipped.state, shipped.extra["tracking"], shipped.extra["carrier"]) == (
        "shipped",
        "SF123",
        "SF Express",
    )
    assert reshipped == shipped
    meta = {m["key"]: m["value"] for m in shop.orders[first["id"]]["meta_data"]}
    assert meta["ruralseller_shipped_weight"] == "2.61 kg"
    assert shop.orders[first["id"]]["status"] == "completed"
    (note,) = shop.notes[first["id"]]
    assert note == {
        "id": note["id"],
        "note": "Shipped with SF Express, tracking number SF123.",
        "customer_note": True,
    }
    assert (cancelled.state, recancelled.state) == ("cancelled", "cancelled")
    assert [n["note"] for n in shop.notes[second["id"]]] == ["Cancelled by ruralseller: oversold"]


def test_fetch_finds_a_line_and_answers_none_for_a_missing_order() -> None:
    shop, _ = store()
    placed = shop.add_order([(LOT, 1, "100.80")])
    order_id = f"{placed['id']}-{placed['line_items'][0]['id']}"
    assert go(shop, lambda woo: woo.fetch_order(order_id)) is not None
    assert go(shop, lambda woo: woo.fetch_order("99999-1")) is None
    with pytest.raises(MarketplaceError, match="not a WooCommerce order id"):
        go(shop, lambda woo: woo.fetch_order("nope"))
    with pytest.raises(MarketplaceError, match="has no order 99999"):
        go(shop, lambda woo: woo.ship_order("99999-1", tracking="SF1"))


@pytest.mark.parametrize(
    "body",
    [
        {"orders": []},
        [{"id": 1}],
        [
            {
                "id": 1,
                "status": "processing",
                "currency": "CNY",
                "line_items": "x",
                "date_created_gmt": "2026-11-21T08:00:00",
                "date_modified_gmt": "soon",
            }
        ],
    ],
)
def test_an_unexpected_answer_is_a_marketplace_error(body: Any) -> None:
    shop, _ = store()

    def odd(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/orders"):
            return httpx.Response(200, json=body)
        return shop.handle(request)

    woo = adapter(shop, httpx.MockTransport(odd))
    with pytest.raises(MarketplaceError, match="shape ruralseller did not expect") as caught:
        run(woo, lambda w: w.list_orders())
    assert caught.value.code == "unexpected_answer"


def test_orders_are_taken_in_once_through_the_order_stage(store_target: str) -> None:
    shop, clock = store()
    outbox = Outbox(store_target)
    orders = OrderStore(outbox)
    StockLedger(orders).receive(LOT, 5, ref="slaughter", day=DAY)
    inbox = OrderInbox(orders, catalog())
    channel = Channel(name="woocommerce", account=shop.base_url)
    shop.add_order([(LOT, 2, "201.60")])
    clock.tick()
    shop.add_order([(LOT, 1, "100.80")])
    clock.tick(120)
    first = go(shop, lambda woo: take_orders(woo, inbox, channel, day=DAY, page_size=1))
    assert (len(first.new), StockLedger(orders).stock(LOT).reserved) == (2, 3)
    assert all(
        m["key"] == "ruralseller_acknowledged" for o in shop.orders.values() for m in o["meta_data"]
    )
    again = go(shop, lambda woo: take_orders(woo, inbox, channel, day=DAY))
    assert (again.new, again.changed) == ((), ())
    assert StockLedger(orders).stock(LOT).reserved == 3
    assert {o.status for o in inbox.orders()} == {OrderStatus.RESERVED}
    assert asyncio.iscoroutinefunction(WooCommerceMarketplace.list_orders)


@settings(max_examples=25, deadline=None)
@given(
    offsets=st.lists(st.integers(0, 5), min_size=1, max_size=12),
    limit=st.integers(1, 4),
    changes=st.lists(st.tuples(st.integers(0, 11), st.integers(1, 6)), max_size=4),
)
def test_every_order_is_seen_with_its_last_state_whatever_changes_while_listing(
    offsets: list[int], limit: int, changes: list[tuple[int, int]]
) -> None:
    shop, clock = store()
    ids = []
    for offset in sorted(offsets):
        clock.now = START + offset
        ids.append(shop.add_order([(LOT, 1, "100.80")])["id"])
    clock.tick(120)
    pending = [(ids[i % len(ids)], wait) for i, wait in changes]

    def change() -> None:
        order, wait = pending[0]
        if wait > 1:  # not yet: wait for more listing calls
            pending[0] = (order, wait - 1)
        else:
            pending.pop(0)
            clock.tick()
            shop.change_order(order, status="cancelled")
        if pending:
            shop.after_list.append(change)

    if pending:
        shop.after_list.append(change)

    async def drain(woo: WooCommerceMarketplace) -> dict[int, str]:
        seen: dict[int, str] = {}
        cursor = None
        for _ in range(sum(w for _, w in changes) + 2):  # syncs, the last after every change
            page = OrderPage(orders=(), cursor=cursor, more=True)
            for _calls in range(500):
                if not page.more:
                    break
                page = await woo.list_orders(page.cursor, limit=limit)
                seen |= {o.extra["order"]: o.state for o in page.orders}
            else:
                pytest.fail("the listing never ended")
            cursor = page.cursor
            clock.tick(120)
        return seen

    seen = go(shop, drain)
    assert set(seen) == set(ids)
    assert all(seen[i] == ORDER_STATES[shop.orders[i]["status"]] for i in ids)
