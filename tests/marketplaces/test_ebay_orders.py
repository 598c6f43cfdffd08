"""The eBay adapter's order intake against a fake Fulfillment API checked by eBay's own spec."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.marketplaces.fake_ebay_orders import SELLER, FakeEbayOrders
from tests.marketplaces.test_ebay import make_ebay

from ruralseller.catalog import Mass, Money, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.errors import InvalidValueError, MarketplaceError
from ruralseller.marketplaces import OrderIntake, supports_order_intake
from ruralseller.marketplaces.ebay import EbayMarketplace
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


def _ebay(fake: FakeEbayOrders, **config: Any) -> EbayMarketplace:
    return make_ebay(fake, clock=fake.clock, **config)


async def _all(ebay: EbayMarketplace, since: str | None = None, limit: int = 2) -> OrderPage:
    """Every page from ``since`` on, as one page with the last cursor."""
    found: list[RemoteOrder] = []
    while True:
        page = await ebay.list_orders(since, limit=limit)
        found.extend(page.orders)
        since = page.cursor
        if not page.more:
            return OrderPage(orders=tuple(found), cursor=since)


def test_the_ebay_adapter_reports_order_intake() -> None:
    ebay = _ebay(FakeEbayOrders())
    assert supports_order_intake(ebay)
    assert isinstance(ebay, OrderIntake)


def test_each_line_of_ours_is_an_order_with_its_price_state_and_buyer() -> None:
    fake = FakeEbayOrders()
    basket = fake.sell((LOT, 2, "72.00"), (None, 1, "5.00"), (LOT + "-B", 3, "100.00"))
    ebay = _ebay(fake)
    page = asyncio.run(ebay.list_orders())
    assert [o.order_id for o in page.orders] == [f"{basket}/10001", f"{basket}/10003"]
    first = page.orders[0]
    assert (first.marketplace, first.account, first.sku, first.quantity, first.state) == (
        "ebay",
        SELLER,
        LOT,
        2,
        "placed",
    )
    assert first.unit_price == Money("36.00", "USD")
    assert page.orders[1].unit_price == Money("33.33", "USD")  # 100.00 / 3, to the cent
    assert first.placed_at == dt.datetime(2026, 11, 21, 8, 1, tzinfo=dt.UTC)
    assert first.buyer == {
        "username": "meilin88",
        "name": "Mei Lin",
        "address_line1": "1 Market St",
        "city": "San Francisco",
        "state": "CA",
        "postal_code": "94105",
        "country": "US",
        "phone": "4155550100",
    }
    assert first.extra["orderId"] == basket
    assert first.extra["lineItemFulfillmentStatus"] == "NOT_STARTED"
    assert fake.calls == ["getOrders"]


def test_paging_and_the_cursor_see_each_change_and_nothing_before() -> None:
    fake = FakeEbayOrders()
    ids = [fake.sell((LOT, 1, "36.00")) for _ in range(5)]
    ebay = _ebay(fake)
    recent = asyncio.run(_all(ebay))
    assert [o.extra["orderId"] for o in recent.orders] == ids
    assert fake.pages_served == 3  # 2 + 2 + 1
    # The cursor starts the next listing 10 minutes before this one's end: recent changes
    # are seen again (eBay may record them late), older ones are not.
    assert len(asyncio.run(_all(ebay, recent.cursor)).orders) == 5
    fake.tick(30)
    first = asyncio.run(_all(ebay))
    assert first.cursor is not None
    assert ".." not in first.cursor
    assert asyncio.run(_all(ebay, first.cursor)).orders == ()
    fake.cancel(ids[3])
    again = asyncio.run(_all(ebay, first.cursor))
    assert [(o.extra["orderId"], o.state) for o in again.orders] == [(ids[3], "cancelled")]


def test_an_order_changed_while_paging_is_not_lost() -> None:
    fake = FakeEbayOrders()
    ids = [fake.sell((LOT, 1, "36.00")) for _ in range(6)]
    fake.tick(30)
    # After the first page (orders 0 and 1), order 0 changes: it leaves the window, and with
    # offset paging order 2 would slide onto the first page, never to be read.
    fake.between_pages = lambda served: fake.touch(ids[0]) if served == 1 else None
    ebay = _ebay(fake)
    page = asyncio.run(_all(ebay))
    seen = {o.extra["orderId"] for o in page.orders}
    assert seen == set(ids)
    # The change itself comes with the next listing.
    fake.between_pages = None
    later = asyncio.run(_all(ebay, page.cursor))
    assert ids[0] in {o.extra["orderId"] for o in later.orders}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    count=st.integers(min_value=1, max_value=9),
    limit=st.integers(min_value=1, max_value=4),
    changes=st.lists(st.tuples(st.integers(1, 6), st.integers(0, 8)), max_size=4),
)
def test_no_order_is_ever_lost_whatever_changes_while_paging(
    count: int, limit: int, changes: list[tuple[int, int]]
) -> None:
    fake = FakeEbayOrders()
    ids = [fake.sell((LOT, 1, "36.00")) for _ in range(count)]
    fake.tick(30)
    plan = {page: ids[index % count] for page, index in changes}
    fake.between_pages = lambda served: fake.touch(plan[served]) if served in plan else None
    ebay = _ebay(fake)
    page = asyncio.run(_all(ebay, limit=limit))
    # An order changed during the listing may come with the next one; none is lost.
    fake.between_pages = None
    later = asyncio.run(_all(ebay, page.cursor, limit=limit))
    assert {o.extra["orderId"] for o in page.orders + later.orders} == set(ids)


def test_states_are_mapped_and_the_raw_ones_kept() -> None:
    fake = FakeEbayOrders()
    placed = fake.sell((LOT, 1, "36.00"))
    partly = fake.sell((LOT, 1, "36.00"))
    fake.orders[partly]["lineItems"][0]["lineItemFulfillmentStatus"] = "IN_PROGRESS"
    gone = fake.sell((LOT, 1, "36.00"))
    fake.cancel(gone)
    states = {
        o.extra["orderId"]: (o.state, o.extra["cancelState"])
        for o in asyncio.run(_ebay(fake).list_orders()).orders
    }
    assert states == {
        placed: ("placed", "NONE_REQUESTED"),
        partly: ("acknowledged", "NONE_REQUESTED"),
        gone: ("cancelled", "CANCELED"),
    }


def test_shipping_sends_carrier_and_tracking_once() -> None:
    fake = FakeEbayOrders()
    order = fake.sell((LOT, 2, "72.00"))
    ebay = _ebay(fake, shipping_carrier="USPS")
    line = f"{order}/10001"

    async def walk() -> tuple[RemoteOrder, RemoteOrder, RemoteOrder | None]:
        acknowledged = await ebay.acknowledge_order(line)
        shipped = await ebay.ship_order(line, weight=Mass.parse("2.61 kg"), tracking="9400111")
        await ebay.ship_order(line, tracking="9400111")  # again: nothing more is sent
        return acknowledged, shipped, await ebay.fetch_order(order)  # a one-line order's id

    acknowledged, shipped, fetched = asyncio.run(walk())
    assert acknowledged.state == "placed"  # eBay has no acknowledge; nothing changes there
    assert shipped.state == "shipped"
    assert fetched == shipped
    assert fake.fulfillments[order] == [
        {
            "fulfillmentId": "9400111",
            "lineItems": [{"lineItemId": "10001", "quantity": 2}],
            "shippedDate": "2026-11-21T08:01:00.000Z",
            "shipmentTrackingNumber": "9400111",
            "shippingCarrierCode": "USPS",
        }
    ]
    assert fake.calls.count("createShippingFulfillment") == 1


def test_a_lost_shipping_answer_does_not_ship_twice() -> None:
    fake = FakeEbayOrders()
    order = fake.sell((LOT, 1, "36.00"))
    fake.lose["createShippingFulfillment"] = "timeout"
    ebay = _ebay(fake)
    assert asyncio.run(ebay.ship_order(f"{order}/10001")).state == "shipped"
    assert len(fake.fulfillments[order]) == 1
    assert "getShippingFulfillments" in fake.calls


def test_a_tracking_number_without_a_carrier_is_refused_before_sending() -> None:
    fake = FakeEbayOrders()
    order = fake.sell((LOT, 1, "36.00"))
    with pytest.raises(InvalidValueError, match="shipping_carrier"):
        asyncio.run(_ebay(fake).ship_order(f"{order}/10001", tracking="9400111"))
    assert order not in fake.fulfillments


def test_cancel_says_where_to_cancel_and_unknown_orders_are_none() -> None:
    fake = FakeEbayOrders()
    order = fake.sell((LOT, 1, "36.00"), (LOT, 1, "36.00"))
    ebay = _ebay(fake)
    with pytest.raises(MarketplaceError, match="Seller Hub") as raised:
        asyncio.run(ebay.cancel_order(f"{order}/10001", reason="oversold"))
    assert raised.value.code == "cancel_in_seller_hub"
    assert asyncio.run(ebay.fetch_order("09-99999-00000/1")) is None
    assert asyncio.run(ebay.fetch_order(f"{order}/99")) is None
    with pytest.raises(InvalidValueError, match="2 lines"):
        asyncio.run(ebay.fetch_order(order))
    with pytest.raises(InvalidValueError, match="not an eBay order cursor"):
        asyncio.run(ebay.list_orders("yesterday"))


@pytest.mark.parametrize(
    "answer",
    [
        lambda body: {**body, "orders": "none"},
        lambda body: {**body, "orders": [{"orderId": "01-1-1"}]},
        lambda body: {
            **body,
            "orders": [
                {**o, "lineItems": [{**o["lineItems"][0], "quantity": "two"}]}
                for o in body["orders"]
            ],
        },
        lambda body: {
            **body,
            "orders": [
                {**o, "lineItems": [{**o["lineItems"][0], "lineItemFulfillmentStatus": "LOST"}]}
                for o in body["orders"]
            ],
        },
    ],
)
def test_an_answer_of_an_unexpected_shape_is_a_marketplace_error(answer: Any) -> None:
    fake = FakeEbayOrders()
    fake.sell((LOT, 1, "36.00"))
    fake.answer_orders = answer
    with pytest.raises(MarketplaceError, match="shape ruralseller did not expect") as raised:
        asyncio.run(_ebay(fake).list_orders())
    assert raised.value.code == "unexpected_answer"


def test_orders_taken_in_through_the_order_stage_reserve_stock_once(store_target: str) -> None:
    fake = FakeEbayOrders()
    fake.sell((LOT, 2, "72.00"))
    fake.sell((LOT, 1, "36.00"))
    store = OrderStore(Outbox(store_target))
    StockLedger(store).receive(LOT, 5, ref="slaughter", day=DAY)
    inbox = OrderInbox(store, load_catalog(sample_path()))
    channel = Channel(name="ebay", marketplace="ebay", account=SELLER)
    ebay = _ebay(fake)
    first = asyncio.run(take_orders(ebay, inbox, channel, day=DAY, page_size=1))
    assert [(o.quantity, o.status) for o in first.new] == [
        (2, OrderStatus.RESERVED),
        (1, OrderStatus.RESERVED),
    ]
    assert StockLedger(store).stock(LOT).reserved == 3
    assert "getOrder" not in fake.calls  # acknowledged from the page listed
    fake.tick(1)
    again = asyncio.run(take_orders(ebay, inbox, channel, day=DAY, page_size=1))
    assert (again.new, again.changed) == ((), ())
    assert StockLedger(store).stock(LOT).reserved == 3
    assert len(inbox.orders()) == 2
