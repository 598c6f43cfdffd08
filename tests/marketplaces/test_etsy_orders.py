"""Etsy's order intake against a fake shop that checks every request with Etsy's description."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.marketplaces.fake_etsy import SHOP_ID, FakeEtsy
from tests.marketplaces.test_etsy import make_etsy, run
from tests.orders.shop import DAY, LOT, catalog

from ruralseller.catalog import Mass, Money
from ruralseller.errors import MarketplaceError, MarketplaceUnavailableError
from ruralseller.marketplaces import OrderIntake, supports_order_intake
from ruralseller.marketplaces.etsy import ETSY_CANCELLED, EtsyMarketplace, etsy_order_state
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

STATUSES = ("paid", "completed", "open", "payment processing", "canceled", "fully refunded")


async def _all(etsy: EtsyMarketplace, since: str | None = None, limit: int = 2) -> list[OrderPage]:
    pages = []
    while True:
        page = await etsy.list_orders(since, limit=limit)
        pages.append(page)
        since = page.cursor
        if not page.more:
            return pages


def _ids(pages: list[OrderPage]) -> list[str]:
    return [order.order_id for page in pages for order in page.orders]


def test_etsy_reports_order_intake() -> None:
    etsy = make_etsy(FakeEtsy())
    assert supports_order_intake(etsy)
    assert isinstance(etsy, OrderIntake)


def test_receipts_become_one_order_per_line_of_ours_paged_by_last_change() -> None:
    fake = FakeEtsy()
    one = fake.sell([(LOT, 2, "5.20")])
    two = fake.sell([(LOT, 1, "5.20"), ("", 3, "12.00")])  # a bowl of someone else's making
    three = fake.sell([("HEN-2", 1, "7.05")], name="Grace Hopper")
    pages = run(make_etsy(fake), _all)
    # Each page starts again at the last second read (a change there is never missed).
    assert [len(p.orders) for p in pages] == [2, 2, 1]
    assert [p.more for p in pages] == [True, True, False]
    first = pages[0].orders[0]
    line = one["transactions"][0]["transaction_id"]
    assert first == RemoteOrder(
        marketplace="etsy",
        account=str(SHOP_ID),
        order_id=f"{one['receipt_id']}-{line}",
        sku=LOT,
        quantity=2,
        state="placed",
        placed_at=dt.datetime.fromtimestamp(one["created_timestamp"], tz=dt.UTC),
        unit_price=Money("5.20", "USD"),
        buyer={
            "name": "Ada Lovelace",
            "first_line": "12 Orchard Lane",
            "city": "Hudson",
            "state": "NY",
            "zip": "12534",
            "country_iso": "US",
        },
        extra=first.extra,
    )
    assert first.extra["etsy_status"] == "paid"
    assert [o.extra["receipt_id"] for p in pages for o in p.orders] == [
        one["receipt_id"],
        two["receipt_id"],
        two["receipt_id"],
        three["receipt_id"],
        three["receipt_id"],
    ]
    assert pages[-1].orders[0].unit_price == Money("7.05", "USD")
    # The cursor is the last change's second: from it, only that second is read again.
    cursor = pages[-1].cursor
    assert cursor == str(three["updated_timestamp"])
    again = run(make_etsy(fake), lambda etsy: etsy.list_orders(cursor))
    assert [o.extra["receipt_id"] for o in again.orders] == [three["receipt_id"]]
    fake.change(one["receipt_id"], status="canceled")
    changed = run(make_etsy(fake), lambda etsy: etsy.list_orders(cursor))
    assert [(o.extra["receipt_id"], o.state) for o in changed.orders] == [
        (three["receipt_id"], "placed"),
        (one["receipt_id"], "cancelled"),
    ]
    assert "getShopReceipts" in fake.seen


def test_a_receipt_changed_while_paging_is_not_lost() -> None:
    fake = FakeEtsy()
    receipts = [fake.sell([(LOT, 1, "5.20")]) for _ in range(6)]
    changed: list[int] = []

    def seller_cancels_the_first() -> None:
        # Offset paging would now skip receipt 3: receipt 1 leaves the front of the list.
        if not changed:
            fake.change(receipts[0]["receipt_id"], status="canceled")
            changed.append(receipts[0]["receipt_id"])

    fake.between_pages = seller_cancels_the_first
    pages = run(make_etsy(fake), _all)
    seen = {o.extra["receipt_id"] for p in pages for o in p.orders}
    assert seen == {r["receipt_id"] for r in receipts}
    last = {o.extra["receipt_id"]: o.state for p in pages for o in p.orders}
    assert last[receipts[0]["receipt_id"]] == "cancelled"


def test_a_page_within_one_second_pages_on_inside_it_and_ends() -> None:
    fake = FakeEtsy()
    receipts = [fake.sell([(LOT, 1, "5.20")], at=1_765_000_000) for _ in range(7)]
    later = fake.sell([(LOT, 1, "5.20")], at=1_765_000_005)
    pages = run(make_etsy(fake), lambda etsy: _all(etsy, "1765000000", limit=4))
    seen = {o.extra["receipt_id"] for p in pages for o in p.orders}
    assert seen == {r["receipt_id"] for r in [*receipts, later]}
    assert [p.cursor for p in pages] == [
        "1765000000:0:",  # a whole page in one second: page inside it
        "1765000000:4:7",
        "1765000001",  # the second is read whole: go on after it
        "1765000005",
    ]
    assert [len(p.orders) for p in pages] == [4, 4, 3, 1]


def test_a_receipt_leaving_the_second_being_paged_is_not_lost() -> None:
    fake = FakeEtsy()
    receipts = [fake.sell([(LOT, 1, "5.20")], at=1_765_000_000) for _ in range(3)]
    calls: list[int] = []

    def seller_cancels_the_first() -> None:
        calls.append(1)
        if len(calls) == 2:  # after the first page inside the second
            fake.change(receipts[0]["receipt_id"], at=1_765_000_009, status="canceled")

    fake.between_pages = seller_cancels_the_first
    pages = run(make_etsy(fake), lambda etsy: _all(etsy, "1765000000", limit=1))
    seen = [(o.extra["receipt_id"], o.state) for p in pages for o in p.orders]
    assert {r for r, _ in seen} == {r["receipt_id"] for r in receipts}
    assert (receipts[0]["receipt_id"], "cancelled") in seen
    assert "1765000000:0:2" in [p.cursor for p in pages]  # the second was read again


@settings(max_examples=60, deadline=None)
@given(
    seconds=st.lists(st.integers(0, 3), min_size=1, max_size=9),
    limit=st.integers(1, 4),
    changes=st.lists(st.tuples(st.integers(0, 8), st.integers(1, 6)), max_size=4),
)
def test_paging_never_loses_a_receipt_however_they_change(
    seconds: list[int], limit: int, changes: list[tuple[int, int]]
) -> None:
    fake = FakeEtsy()
    base = 1_765_000_000
    receipts = [fake.sell([(LOT, 1, "5.20")], at=base + second) for second in seconds]
    pending = [(n % len(receipts), call) for n, call in changes]
    calls: list[int] = []
    changed: dict[int, int] = {}  # receipt id: the listing after which it changed

    def buyers_and_sellers_act() -> None:
        calls.append(1)
        for index, call in pending:
            if call == len(calls):
                now = max(r["updated_timestamp"] for r in fake.receipts.values()) + 1
                receipt_id = receipts[index]["receipt_id"]
                fake.change(receipt_id, at=now, status="canceled")
                changed[receipt_id] = len(calls)

    fake.between_pages = buyers_and_sellers_act

    async def two_intakes(etsy: EtsyMarketplace) -> list[OrderPage]:
        first = await _all(etsy, limit=limit)  # a change after its last page...
        return first + await _all(etsy, first[-1].cursor, limit=limit)  # ...is read next time

    pages = run(make_etsy(fake), two_intakes)
    seen = {(o.extra["receipt_id"], o.state) for p in pages for o in p.orders}
    assert {r for r, _ in seen} == {r["receipt_id"] for r in receipts}
    # A change made before the last listing is read (one after it waits for the next intake).
    assert all((r, "cancelled") in seen for r, call in changed.items() if call < len(calls))


def test_a_cursor_that_is_not_ours_is_refused_clearly() -> None:
    with pytest.raises(MarketplaceError, match="not an Etsy order cursor"):
        run(make_etsy(FakeEtsy()), lambda etsy: etsy.list_orders("next-page-please"))


def test_shipping_sends_tracking_carrier_and_weight_once() -> None:
    fake = FakeEtsy()
    receipt = fake.sell([(LOT, 1, "5.20"), ("HEN-2", 1, "7.05")])
    order_id = f"{receipt['receipt_id']}-{receipt['transactions'][0]['transaction_id']}"

    async def ship(etsy: EtsyMarketplace) -> tuple[RemoteOrder, RemoteOrder]:
        acknowledged = await etsy.acknowledge_order(order_id)
        assert acknowledged.state == "placed"  # Etsy has nothing to acknowledge with
        shipped = await etsy.ship_order(
            order_id, weight=Mass.parse("1.32 kg"), tracking="9400111899", carrier="usps"
        )
        again = await etsy.ship_order(order_id, tracking="9400111899")
        return shipped, again

    shipped, again = run(make_etsy(fake), ship)
    assert (shipped.state, shipped.extra["tracking_codes"]) == ("shipped", ("9400111899",))
    assert again == shipped
    assert fake.seen.count("createReceiptShipment") == 1  # each call e-mails the buyer
    assert fake.receipts[receipt["receipt_id"]]["shipments"][0]["carrier_name"] == "usps"
    assert fake.shipped_weights[receipt["receipt_id"]] == (1320.0, "grams")
    # The receipt ships whole: its other line is shipped too.
    other = f"{receipt['receipt_id']}-{receipt['transactions'][1]['transaction_id']}"
    fetched = run(make_etsy(fake), lambda etsy: etsy.fetch_order(other))
    assert fetched is not None
    assert fetched.state == "shipped"


def test_shipping_without_tracking_marks_it_shipped_and_a_cancelled_one_is_refused() -> None:
    fake = FakeEtsy()
    plain = fake.sell([(LOT, 1, "5.20")])
    gone = fake.sell([(LOT, 1, "5.20")], status="canceled")
    plain_id = f"{plain['receipt_id']}-{plain['transactions'][0]['transaction_id']}"
    gone_id = f"{gone['receipt_id']}-{gone['transactions'][0]['transaction_id']}"
    shipped = run(make_etsy(fake), lambda etsy: etsy.ship_order(plain_id))
    assert shipped.state == "shipped"
    assert fake.receipts[plain["receipt_id"]]["shipments"][0]["tracking_code"] == ""
    with pytest.raises(MarketplaceError, match="cannot be shipped") as caught:
        run(make_etsy(fake), lambda etsy: etsy.ship_order(gone_id, tracking="X1"))
    assert caught.value.status == 409


def test_tracking_without_a_carrier_is_sent_as_other() -> None:
    fake = FakeEtsy()
    receipt = fake.sell([(LOT, 1, "5.20")])
    order_id = f"{receipt['receipt_id']}-{receipt['transactions'][0]['transaction_id']}"
    run(make_etsy(fake), lambda etsy: etsy.ship_order(order_id, tracking="SF123"))
    assert fake.receipts[receipt["receipt_id"]]["shipments"][0]["carrier_name"] == "other"


@pytest.mark.parametrize("how", ["timeout", "503"])
def test_a_lost_shipment_answer_is_not_sent_again(how: str) -> None:
    fake = FakeEtsy()
    receipt = fake.sell([(LOT, 1, "5.20")])
    order_id = f"{receipt['receipt_id']}-{receipt['transactions'][0]['transaction_id']}"
    fake.lose("createReceiptShipment", how)
    shipped = run(make_etsy(fake), lambda etsy: etsy.ship_order(order_id, tracking="SF9"))
    assert shipped.state == "shipped"
    assert fake.seen.count("createReceiptShipment") == 1
    assert len(fake.receipts[receipt["receipt_id"]]["shipments"]) == 1


def test_a_failed_shipment_is_reported_not_assumed() -> None:
    fake = FakeEtsy()
    receipt = fake.sell([(LOT, 1, "5.20")])
    order_id = f"{receipt['receipt_id']}-{receipt['transactions'][0]['transaction_id']}"
    fake.fail("createReceiptShipment")
    with pytest.raises(MarketplaceUnavailableError):
        run(make_etsy(fake), lambda etsy: etsy.ship_order(order_id, tracking="SF9"))
    assert fake.receipts[receipt["receipt_id"]]["shipments"] == []


def test_a_shop_in_yen_keeps_whole_yen() -> None:
    fake = FakeEtsy(currency="JPY")
    receipt = fake.sell([(LOT, 1, "1200")])
    receipt["transactions"][0]["price"] = {"amount": 1200, "divisor": 1, "currency_code": "JPY"}
    page = run(make_etsy(fake, currency="JPY"), lambda etsy: etsy.list_orders())
    price = page.orders[0].unit_price
    assert price is not None
    assert (str(price.amount), price.currency) == ("1200", "JPY")


def test_cancelling_says_what_to_do_in_shop_manager() -> None:
    fake = FakeEtsy()
    receipt = fake.sell([(LOT, 1, "5.20")])
    order_id = f"{receipt['receipt_id']}-{receipt['transactions'][0]['transaction_id']}"
    with pytest.raises(MarketplaceError, match="Shop Manager") as caught:
        run(make_etsy(fake), lambda etsy: etsy.cancel_order(order_id, reason="oversold"))
    assert str(receipt["receipt_id"]) in str(caught.value)
    assert "reason: oversold" in str(caught.value)
    assert caught.value.code == "no_cancel_call"


def test_fetching_an_unknown_order_is_none_and_a_foreign_id_is_refused() -> None:
    fake = FakeEtsy()
    assert run(make_etsy(fake), lambda etsy: etsy.fetch_order("1400999999-1")) is None
    with pytest.raises(MarketplaceError, match="receipt_id>-<transaction_id"):
        run(make_etsy(fake), lambda etsy: etsy.fetch_order("WJ261120A"))


@pytest.mark.parametrize(
    "body",
    [{"count": 1}, {"results": [{"receipt_id": 5}]}, {"results": [{"receipt_id": "x"}]}, []],
)
def test_an_unexpected_answer_becomes_a_marketplace_error(body: Any) -> None:
    def shop(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=body)

    etsy = make_etsy(FakeEtsy(), transport=httpx.MockTransport(shop))
    with pytest.raises(MarketplaceError) as caught:
        run(etsy, lambda e: e.list_orders())
    assert caught.value.code == "unexpected_answer"
    assert "list_orders" in str(caught.value)


@given(
    status=st.sampled_from(STATUSES),
    shipped=st.booleans(),
)
def test_every_receipt_status_maps_onto_one_of_our_states(status: str, shipped: bool) -> None:
    state = etsy_order_state({"status": status, "is_shipped": shipped})
    if status in ETSY_CANCELLED:
        assert state == "cancelled"
    elif shipped or status == "completed":
        assert state == "shipped"
    else:
        assert state == "placed"


def test_orders_taken_in_from_etsy_reserve_stock_once(store_target: str) -> None:
    fake = FakeEtsy()
    fake.sell([(LOT, 2, "5.20")])
    fake.sell([(LOT, 1, "5.20"), ("", 1, "12.00")])
    store = OrderStore(Outbox(store_target))
    StockLedger(store).receive(LOT, 5, ref="slaughter", day=DAY)
    inbox = OrderInbox(store, catalog())
    channel = Channel(name="etsy-us", marketplace="etsy", account=str(SHOP_ID))

    async def intake() -> int:
        etsy = make_etsy(fake)
        try:
            report = await take_orders(etsy, inbox, channel, day=DAY, page_size=1)
            return len(report.new)
        finally:
            await etsy.aclose()

    assert asyncio.run(intake()) == 2
    assert StockLedger(store).stock(LOT).reserved == 3
    assert asyncio.run(intake()) == 0  # taking in again adds nothing
    assert StockLedger(store).stock(LOT).reserved == 3
    assert [o.status for o in inbox.orders()] == [OrderStatus.RESERVED] * 2
    assert inbox.cursor("etsy-us") is not None
    assert "createReceiptShipment" not in fake.seen  # acknowledging writes nothing to Etsy
