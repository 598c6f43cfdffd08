"""The Amazon adapter's order intake against a fake Orders API checked by Amazon's models."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.marketplaces.fake_amazon_orders import FakeAmazonOrders
from tests.marketplaces.test_amazon import CREDENTIALS, SELLER, make_adapter

from ruralseller.catalog import Mass, Money, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.errors import InvalidValueError, MarketplaceError
from ruralseller.marketplaces import OrderIntake, supports_order_intake
from ruralseller.marketplaces.amazon import AmazonMarketplace
from ruralseller.marketplaces.orders import OrderPage, RemoteOrder
from ruralseller.orders import (
    Channel,
    OrderInbox,
    OrderStatus,
    OrderStore,
    StockLedger,
    take_orders,
)
from ruralseller.publishing import Outbox

LOT = "WJ261120A"
DAY = dt.date(2026, 11, 21)


def _fake() -> FakeAmazonOrders:
    return FakeAmazonOrders(seller_id=SELLER, **CREDENTIALS)


def _amazon(fake: FakeAmazonOrders, **config: Any) -> AmazonMarketplace:
    return make_adapter(fake, clock=fake.wall, **config)  # type: ignore[arg-type]


async def _all(amazon: AmazonMarketplace, since: str | None = None, limit: int = 2) -> OrderPage:
    found: list[RemoteOrder] = []
    while True:
        page = await amazon.list_orders(since, limit=limit)
        found.extend(page.orders)
        since = page.cursor
        if not page.more:
            return OrderPage(orders=tuple(found), cursor=since)


def test_the_amazon_adapter_reports_order_intake() -> None:
    amazon = _amazon(_fake())
    assert supports_order_intake(amazon)
    assert isinstance(amazon, OrderIntake)


def test_each_item_of_ours_is_an_order_with_its_price_state_and_buyer() -> None:
    fake = _fake()
    order = fake.sell((LOT, 2, "36.00"), (None, 1, "5.00"), (LOT + "-B", 1, "40.00"))
    fake.tick(5)
    page = asyncio.run(_amazon(fake).list_orders())
    first = page.orders[0]
    assert [o.order_id for o in page.orders] == [
        f"{order}/79039765272157",
        f"{order}/79039765272159",
    ]
    assert (first.marketplace, first.account, first.sku, first.quantity, first.state) == (
        "amazon",
        SELLER,
        LOT,
        2,
        "placed",
    )
    assert first.unit_price == Money("36.00", "USD")
    assert first.placed_at == dt.datetime(2026, 11, 21, 8, 1, tzinfo=dt.UTC)
    assert first.buyer == {
        "name": "Mei Lin",
        "address_line1": "1 Market St",
        "city": "San Francisco",
        "state": "CA",
        "postal_code": "94105",
        "country": "US",
        "phone": "415-555-0100",
        "email": "x7@marketplace.amazon.com",
    }
    assert first.extra["fulfillmentStatus"] == "UNSHIPPED"
    assert fake.operations == ["searchOrders"]


def test_paging_and_the_cursor_see_each_change_and_nothing_before() -> None:
    fake = _fake()
    ids = [fake.sell((LOT, 1, "36.00")) for _ in range(5)]
    fake.tick(30)
    amazon = _amazon(fake)
    first = asyncio.run(_all(amazon))
    assert [o.extra["orderId"] for o in first.orders] == ids
    assert fake.pages_served == 3  # 2 + 2 + 1
    assert first.cursor is not None
    assert "@" not in first.cursor
    assert asyncio.run(_all(amazon, first.cursor)).orders == ()
    fake.update(ids[3], "CANCELLED")
    fake.tick(5)  # Amazon lists changes from two minutes ago on
    again = asyncio.run(_all(amazon, first.cursor))
    assert [(o.extra["orderId"], o.state) for o in again.orders] == [(ids[3], "cancelled")]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    count=st.integers(min_value=1, max_value=9),
    limit=st.integers(min_value=1, max_value=4),
    changes=st.lists(st.tuples(st.integers(1, 6), st.integers(0, 8)), max_size=4),
)
def test_an_order_changed_while_paging_is_not_lost(
    count: int, limit: int, changes: list[tuple[int, int]]
) -> None:
    fake = _fake()
    ids = [fake.sell((LOT, 1, "36.00")) for _ in range(count)]
    fake.tick(30)
    plan = {page: ids[index % count] for page, index in changes}
    changed: set[str] = set()

    def change(served: int) -> None:
        if served in plan:
            fake.update(plan[served], "CANCELLED")
            changed.add(plan[served])

    fake.between_pages = change
    amazon = _amazon(fake)
    page = asyncio.run(_all(amazon, limit=limit))
    assert {o.extra["orderId"] for o in page.orders} == set(ids)
    fake.between_pages = None
    fake.tick(5)
    later = asyncio.run(_all(amazon, page.cursor, limit=limit))
    cancelled = {o.extra["orderId"] for o in later.orders if o.state == "cancelled"}
    assert cancelled == changed  # each change is seen, with its new state


@pytest.mark.parametrize(
    ("status", "left", "state"),
    [
        ("PENDING_AVAILABILITY", 1, "placed"),
        ("PENDING", 1, "placed"),
        ("UNSHIPPED", 1, "placed"),
        ("PARTIALLY_SHIPPED", 1, "acknowledged"),
        ("PARTIALLY_SHIPPED", 0, "shipped"),
        ("SHIPPED", 0, "shipped"),
        ("CANCELLED", 1, "cancelled"),
        ("UNFULFILLABLE", 1, "cancelled"),
    ],
)
def test_states_are_mapped_and_the_raw_ones_kept(status: str, left: int, state: str) -> None:
    fake = _fake()
    order = fake.sell((LOT, 1, "36.00"), status=status)
    fake.orders[order]["orderItems"][0]["fulfillment"]["quantityUnfulfilled"] = left
    found = asyncio.run(_amazon(fake).fetch_order(order))
    assert found is not None
    assert (found.state, found.extra["fulfillmentStatus"]) == (state, status)


def test_shipping_confirms_carrier_and_tracking_once() -> None:
    fake = _fake()
    order = fake.sell((LOT, 2, "36.00"), (LOT + "-B", 1, "40.00"))
    amazon = _amazon(fake, shipping_carrier="USPS")
    item = f"{order}/79039765272157"

    async def walk() -> tuple[RemoteOrder, RemoteOrder, RemoteOrder]:
        acknowledged = await amazon.acknowledge_order(item)
        shipped = await amazon.ship_order(item, weight=Mass.parse("2.61 kg"), tracking="9400111")
        again = await amazon.ship_order(item, tracking="9400111")  # nothing more is sent
        return acknowledged, shipped, again

    acknowledged, shipped, again = asyncio.run(walk())
    assert acknowledged.state == "placed"  # Amazon has no acknowledge; nothing changes there
    assert (shipped.state, shipped.extra["fulfillmentStatus"]) == ("shipped", "PARTIALLY_SHIPPED")
    assert again == shipped
    assert fake.shipments == [
        {
            "orderId": order,
            "packageReferenceId": "79039765272157-1",
            "carrierCode": "USPS",
            "trackingNumber": "9400111",
            "shipDate": "2026-11-21T08:01:00Z",
            "orderItems": [{"orderItemId": "79039765272157", "quantity": 2}],
        }
    ]
    assert fake.operations.count("confirmShipment") == 1


def test_a_lost_shipping_answer_does_not_confirm_twice() -> None:
    fake = _fake()
    order = fake.sell((LOT, 1, "36.00"))
    fake.lose["confirmShipment"] = "timeout"
    amazon = _amazon(fake, shipping_carrier="UPS")
    assert asyncio.run(amazon.ship_order(order, tracking="1Z999")).state == "shipped"
    assert len(fake.shipments) == 1


def test_shipping_without_a_carrier_or_tracking_is_refused_before_sending() -> None:
    fake = _fake()
    order = fake.sell((LOT, 1, "36.00"))
    with pytest.raises(InvalidValueError, match="carrier's code") as raised:
        asyncio.run(_amazon(fake).ship_order(order, tracking="1Z999"))
    assert raised.value.field == "shipping_carrier"
    with pytest.raises(InvalidValueError, match="tracking number") as raised:
        asyncio.run(_amazon(fake, shipping_carrier="UPS").ship_order(order))
    assert raised.value.field == "tracking"
    assert fake.shipments == []


def test_cancel_says_where_to_cancel_and_unknown_orders_are_none() -> None:
    fake = _fake()
    order = fake.sell((LOT, 1, "36.00"), (LOT, 1, "36.00"))
    amazon = _amazon(fake)
    with pytest.raises(MarketplaceError, match="Seller Central") as raised:
        asyncio.run(amazon.cancel_order(order, reason="oversold"))
    assert raised.value.code == "cancel_in_seller_central"
    assert asyncio.run(amazon.fetch_order("111-0000000-0000000")) is None
    assert asyncio.run(amazon.fetch_order(f"{order}/1")) is None
    with pytest.raises(InvalidValueError, match="2 items"):
        asyncio.run(amazon.fetch_order(order))
    with pytest.raises(InvalidValueError, match="not an Amazon order cursor"):
        asyncio.run(amazon.list_orders("yesterday"))


def _first_item(body: dict[str, Any], **change: Any) -> dict[str, Any]:
    orders = [{**o, "orderItems": [{**o["orderItems"][0], **change}]} for o in body["orders"]]
    return {**body, "orders": orders}


@pytest.mark.parametrize(
    "answer",
    [
        lambda _body: {"items": []},
        lambda body: {**body, "orders": [{"orderId": "1"}]},
        lambda body: _first_item(body, quantityOrdered="two"),
        lambda body: {
            **body,
            "orders": [{**o, "fulfillment": {"fulfillmentStatus": "LOST"}} for o in body["orders"]],
        },
    ],
)
def test_an_answer_of_an_unexpected_shape_is_a_marketplace_error(answer: Any) -> None:
    fake = _fake()
    fake.sell((LOT, 1, "36.00"))
    fake.tick(5)
    fake.answer_orders = answer
    with pytest.raises(MarketplaceError, match="shape ruralseller did not expect") as raised:
        asyncio.run(_amazon(fake).list_orders())
    assert raised.value.code == "unexpected_answer"


def test_orders_taken_in_through_the_order_stage_reserve_stock_once(store_target: str) -> None:
    fake = _fake()
    fake.sell((LOT, 2, "36.00"))
    fake.sell((LOT, 1, "36.00"))
    fake.tick(5)
    store = OrderStore(Outbox(store_target))
    StockLedger(store).receive(LOT, 5, ref="slaughter", day=DAY)
    inbox = OrderInbox(store, load_catalog(sample_path()))
    channel = Channel(name="amazon", marketplace="amazon", account=SELLER)
    amazon = _amazon(fake)
    first = asyncio.run(take_orders(amazon, inbox, channel, day=DAY, page_size=1))
    assert [(o.quantity, o.status) for o in first.new] == [
        (2, OrderStatus.RESERVED),
        (1, OrderStatus.RESERVED),
    ]
    assert StockLedger(store).stock(LOT).reserved == 3
    assert "getOrder" not in fake.operations  # acknowledged from the page listed
    fake.tick(1)
    again = asyncio.run(take_orders(amazon, inbox, channel, day=DAY, page_size=1))
    assert (again.new, again.changed) == ((), ())
    assert StockLedger(store).stock(LOT).reserved == 3
    assert len(inbox.orders()) == 2
