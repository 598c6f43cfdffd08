"""Shopify's order intake against a fake store that checks every request with the 2026-01 schema."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.marketplaces.fake_shopify import SHOP, FakeShopify
from tests.marketplaces.test_shopify import Clock, _adapter
from tests.orders.shop import DAY, LOT, catalog

from ruralseller.catalog import Mass, Money
from ruralseller.errors import MarketplaceError
from ruralseller.marketplaces import OrderIntake, supports_order_intake
from ruralseller.marketplaces.orders import OrderPage, RemoteOrder
from ruralseller.marketplaces.shopify import (
    SHOPIFY_OVERLAP,
    ShopifyMarketplace,
    shopify_line_state,
)
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


def _fake() -> tuple[FakeShopify, Clock]:
    clock = Clock()
    return FakeShopify(clock=clock), clock


def run(fake: FakeShopify, clock: Clock, work: Callable[[ShopifyMarketplace], Awaitable[T]]) -> T:
    async def main() -> T:
        shop = _adapter(fake, clock)
        try:
            return await work(shop)
        finally:
            await shop.aclose()

    return asyncio.run(main())


async def _all(
    shop: ShopifyMarketplace, since: str | None = None, limit: int = 2
) -> list[OrderPage]:
    pages = []
    while True:
        page = await shop.list_orders(since, limit=limit)
        pages.append(page)
        since = page.cursor
        if not page.more:
            return pages


def _line(order: dict[str, Any], index: int = 0) -> str:
    return f"{order['id'].rsplit('/', 1)[-1]}-{order['lines'][index]['id'].rsplit('/', 1)[-1]}"


def test_shopify_reports_order_intake() -> None:
    fake, clock = _fake()
    shop = _adapter(fake, clock)
    assert supports_order_intake(shop)
    assert isinstance(shop, OrderIntake)


def test_orders_become_one_order_per_line_with_sku_paged_by_last_change() -> None:
    fake, clock = _fake()
    one = fake.sell([(LOT, 2, "92.40")])
    two = fake.sell([(LOT, 1, "88.00"), ("", 1, "5.00")])  # a gift card: no SKU, not ours
    three = fake.sell([("HEN-2", 3, "60.00")], name="Li Na")
    pages = run(fake, clock, _all)
    assert [len(p.orders) for p in pages] == [2, 1]
    assert [p.more for p in pages] == [True, False]
    first = pages[0].orders[0]
    assert first == RemoteOrder(
        marketplace="shopify",
        account=SHOP,
        order_id=_line(one),
        sku=LOT,
        quantity=2,
        state="placed",
        placed_at=one["created"],
        unit_price=Money("92.40", "CNY"),
        buyer={
            "name": "Wu Lan",
            "address1": "8 Tea Garden Road",
            "city": "Taihe",
            "province": "Jiangxi",
            "zip": "343700",
            "country": "CN",
            "phone": "+86 138 0000 0000",
        },
        extra=first.extra,
    )
    assert first.extra["fulfillment_status"] == "UNFULFILLED"
    assert [o.order_id for p in pages for o in p.orders] == [_line(one), _line(two), _line(three)]
    # Within a pass the cursor is Shopify's; after it, a minute before the newest change.
    assert pages[0].cursor is not None
    assert pages[0].cursor.count("|") == 2
    assert pages[-1].cursor == (three["updated"] - SHOPIFY_OVERLAP).strftime("%Y-%m-%dT%H:%M:%SZ")
    fake.touch(one["id"], at=three["updated"] + dt.timedelta(hours=1))
    again = run(fake, clock, lambda shop: _all(shop, pages[-1].cursor, limit=20))
    assert [o.order_id for p in again for o in p.orders] == [
        _line(two),
        _line(three),
        _line(one),
    ]  # the last minute is read again (the search index can trail), then the change
    assert "Orders" in fake.spec.seen


def test_an_order_changed_while_paging_is_not_lost() -> None:
    fake, clock = _fake()
    orders = [fake.sell([(LOT, 1, "92.40")]) for _ in range(6)]
    changed: list[str] = []

    def buyer_changes_the_first() -> None:
        if not changed:
            fake.touch(orders[0]["id"])
            changed.append(orders[0]["id"])

    fake.between_pages = buyer_changes_the_first
    pages = run(fake, clock, _all)
    seen = [o.order_id for p in pages for o in p.orders]
    assert set(seen) == {_line(o) for o in orders}
    assert seen.count(_line(orders[0])) == 2  # read again after its change


@settings(max_examples=40, deadline=None)
@given(
    seconds=st.lists(st.integers(0, 3), min_size=1, max_size=8),
    limit=st.integers(1, 3),
    changes=st.lists(st.tuples(st.integers(0, 7), st.integers(1, 6)), max_size=4),
)
def test_paging_never_loses_an_order_however_they_change(
    seconds: list[int], limit: int, changes: list[tuple[int, int]]
) -> None:
    fake, clock = _fake()
    base = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
    orders = [fake.sell([(LOT, 1, "92.40")], at=base + dt.timedelta(seconds=s)) for s in seconds]
    pending = [(n % len(orders), call) for n, call in changes]
    calls: list[int] = []
    changed: dict[str, int] = {}

    def buyers_and_merchants_act() -> None:
        calls.append(1)
        for index, call in pending:
            if call == len(calls):
                now = max(o["updated"] for o in fake.orders.values()) + dt.timedelta(seconds=1)
                fake.orders[orders[index]["id"]]["cancelled"] = now.strftime("%Y-%m-%dT%H:%M:%SZ")
                fake.touch(orders[index]["id"], at=now)
                changed[_line(orders[index])] = len(calls)

    fake.between_pages = buyers_and_merchants_act

    async def two_intakes(shop: ShopifyMarketplace) -> list[OrderPage]:
        first = await _all(shop, limit=limit)
        return first + await _all(shop, first[-1].cursor, limit=limit)

    pages = run(fake, clock, two_intakes)
    seen = {(o.order_id, o.state) for p in pages for o in p.orders}
    assert {i for i, _ in seen} == {_line(o) for o in orders}
    assert all((i, "cancelled") in seen for i, call in changed.items() if call < len(calls))


def test_an_order_of_many_lines_is_read_whole() -> None:
    fake, clock = _fake()
    big = fake.sell([(f"HEN-{n}", 1, "60.00") for n in range(13)])
    pages = run(fake, clock, _all)
    assert [o.order_id for p in pages for o in p.orders] == [_line(big, n) for n in range(13)]
    assert "Order" in fake.operations()


def test_a_cursor_that_is_not_ours_is_refused_clearly() -> None:
    fake, clock = _fake()
    with pytest.raises(MarketplaceError, match="not a Shopify order cursor"):
        run(fake, clock, lambda shop: shop.list_orders("page-2"))


def test_shipping_fulfils_the_line_with_tracking_once() -> None:
    fake, clock = _fake()
    order = fake.sell([(LOT, 2, "92.40"), ("HEN-2", 1, "60.00")])

    async def ship(shop: ShopifyMarketplace) -> tuple[RemoteOrder, RemoteOrder, RemoteOrder]:
        acknowledged = await shop.acknowledge_order(_line(order))
        assert acknowledged.state == "placed"  # Shopify has nothing to acknowledge with
        shipped = await shop.ship_order(
            _line(order),
            weight=Mass.parse("2.61 kg"),
            tracking="SF1234567890",
            carrier="SF Express",
        )
        again = await shop.ship_order(_line(order), tracking="SF1234567890")
        other = await shop.fetch_order(_line(order, 1))
        assert other is not None
        return shipped, again, other

    shipped, again, other = run(fake, clock, ship)
    assert shipped.state == "shipped"
    assert again == shipped
    assert other.state == "placed"  # Shopify fulfils lines: the other one still waits
    assert shipped.extra["fulfillment_status"] == "PARTIALLY_FULFILLED"
    assert fake.operations().count("FulfillmentCreate") == 1
    assert fake.orders[order["id"]]["fulfillments"][0]["tracking"] == {
        "number": "SF1234567890",
        "company": "SF Express",
    }


def test_a_lost_fulfilment_answer_is_not_fulfilled_twice() -> None:
    fake, clock = _fake()
    order = fake.sell([(LOT, 1, "92.40")])
    fake.lose("FulfillmentCreate")
    shipped = run(fake, clock, lambda shop: shop.ship_order(_line(order), tracking="SF1"))
    assert shipped.state == "shipped"
    assert len(fake.orders[order["id"]]["fulfillments"]) == 1


def test_a_refused_fulfilment_says_what_shopify_said() -> None:
    fake, clock = _fake()
    order = fake.sell([(LOT, 1, "92.40")])

    def refuse(_variables: dict[str, Any]) -> dict[str, Any]:
        problem = {"field": ["fulfillment"], "message": "Fulfillment order is on hold"}
        return {"fulfillmentCreate": {"fulfillment": None, "userErrors": [problem]}}

    fake._op_FulfillmentCreate = refuse  # type: ignore[method-assign]
    with pytest.raises(MarketplaceError, match=r"refused to fulfil .*on hold"):
        run(fake, clock, lambda shop: shop.ship_order(_line(order), tracking="SF1"))


def test_cancelling_cancels_the_order_refunded_and_restocked() -> None:
    fake, clock = _fake()
    order = fake.sell([(LOT, 3, "92.40")])
    cancelled = run(fake, clock, lambda shop: shop.cancel_order(_line(order), reason="oversold"))
    assert cancelled.state == "cancelled"
    sent = fake.orders[order["id"]]["cancel"]
    assert (sent["reason"], sent["restock"], sent["refundMethod"]) == (
        "INVENTORY",
        True,
        {"originalPaymentMethodsRefund": True},
    )
    again = run(fake, clock, lambda shop: shop.cancel_order(_line(order), reason="oversold"))
    assert again.state == "cancelled"
    assert fake.operations().count("OrderCancel") == 1
    with pytest.raises(MarketplaceError, match="cannot be shipped") as caught:
        run(fake, clock, lambda shop: shop.ship_order(_line(order), tracking="SF1"))
    assert caught.value.status == 409


def test_a_refused_cancel_says_where_to_do_it() -> None:
    fake, clock = _fake()
    order = fake.sell([(LOT, 1, "92.40")])

    def refuse(_variables: dict[str, Any]) -> dict[str, Any]:
        problem = {"field": ["orderId"], "message": "Order has open returns", "code": "INVALID"}
        return {"orderCancel": {"job": None, "orderCancelUserErrors": [problem]}}

    fake._op_OrderCancel = refuse  # type: ignore[method-assign]
    with pytest.raises(MarketplaceError, match="Shopify admin") as caught:
        run(fake, clock, lambda shop: shop.cancel_order(_line(order), reason="buyer asked"))
    assert "open returns" in str(caught.value)


def test_fetching_an_unknown_order_is_none_and_a_foreign_id_is_refused() -> None:
    fake, clock = _fake()
    assert run(fake, clock, lambda shop: shop.fetch_order("999-1")) is None
    with pytest.raises(MarketplaceError, match="order id>-<line item id"):
        run(fake, clock, lambda shop: shop.fetch_order("#1001"))


@pytest.mark.parametrize(
    "data",
    [
        {"orders": None},
        {"orders": {"nodes": [{"id": "gid://shopify/Order/1"}]}},
        {"orders": {"pageInfo": {"hasNextPage": False}, "nodes": [{"updatedAt": "yesterday"}]}},
    ],
)
def test_an_unexpected_answer_becomes_a_marketplace_error(data: Any) -> None:
    def store(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": data})

    async def listing() -> OrderPage:
        shop = _adapter(FakeShopify(), transport=httpx.MockTransport(store))
        try:
            return await shop.list_orders()
        finally:
            await shop.aclose()

    with pytest.raises(MarketplaceError) as caught:
        asyncio.run(listing())
    assert caught.value.code == "unexpected_answer"


@given(
    cancelled=st.booleans(),
    quantity=st.integers(1, 5),
    current=st.integers(0, 5),
    fulfilled=st.integers(0, 5),
)
def test_every_line_maps_onto_one_of_our_states(
    cancelled: bool, quantity: int, current: int, fulfilled: int
) -> None:
    current = min(current, quantity)
    left = max(current - fulfilled, 0)
    order = {"cancelledAt": "2026-11-21T09:00:00Z" if cancelled else None}
    state = shopify_line_state(order, {"currentQuantity": current, "unfulfilledQuantity": left})
    if cancelled or current == 0:
        assert state == "cancelled"
    elif left == 0:
        assert state == "shipped"
    else:
        assert state == "placed"


def test_orders_taken_in_from_shopify_reserve_stock_once(store_target: str) -> None:
    fake, clock = _fake()
    fake.sell([(LOT, 2, "92.40")])
    fake.sell([(LOT, 1, "92.40"), ("", 1, "5.00")])
    store = OrderStore(Outbox(store_target))
    StockLedger(store).receive(LOT, 5, ref="slaughter", day=DAY)
    inbox = OrderInbox(store, catalog())
    channel = Channel(name="shopify-cn", marketplace="shopify", account=SHOP)

    async def intake() -> int:
        shop = _adapter(fake, clock)
        try:
            report = await take_orders(shop, inbox, channel, day=DAY, page_size=1)
            return len(report.new)
        finally:
            await shop.aclose()

    assert asyncio.run(intake()) == 2
    assert StockLedger(store).stock(LOT).reserved == 3
    assert asyncio.run(intake()) == 0  # taking in again adds nothing
    assert StockLedger(store).stock(LOT).reserved == 3
    assert [o.status for o in inbox.orders()] == [OrderStatus.RESERVED] * 2
    assert "FulfillmentCreate" not in fake.operations()  # acknowledging writes nothing
