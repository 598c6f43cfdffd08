"""Fulfilment: the weighed order gets a label with its weight and a shipping event naming it."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.orders.shop import catalog
from tests.traceability.test_epcis import validate

from ruralseller.catalog import Mass, Money
from ruralseller.errors import InvalidValueError
from ruralseller.marketplaces import RemoteOrder
from ruralseller.orders import OrderInbox, OrderStatus, OrderStore, StockLedger, fulfil
from ruralseller.packaging import render_label
from ruralseller.publishing import Outbox
from ruralseller.traceability import EpcisDocument

DAY = dt.date(2026, 11, 21)
SHIPPED_AT = dt.datetime(2026, 11, 22, 7, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _inbox() -> OrderInbox:
    store = OrderStore(Outbox(":memory:"))
    StockLedger(store).receive("WJ261120A", 5, ref="slaughter", day=DAY)
    return OrderInbox(store, catalog())


def _remote(order_id: str, quantity: int) -> RemoteOrder:
    return RemoteOrder(
        marketplace="sandbox",
        account="demo",
        order_id=order_id,
        sku="WJ261120A",
        quantity=quantity,
        placed_at=dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC),
        unit_price=Money("100.80", "CNY"),
        buyer={"name": "李女士", "address": "上海市徐汇区"},
    )


def test_a_shipped_order_has_a_label_with_its_weight_and_an_event_naming_it() -> None:
    inbox = _inbox()
    order = inbox.take(_remote("o1", 1), channel="sandbox", day=DAY).order
    done = fulfil(
        catalog(), inbox, order, weight=Mass.parse("1.32 kg"), shipped_at=SHIPPED_AT, tracking="SF1"
    )
    assert done.order.status is OrderStatus.SHIPPED
    assert done.order.final_price == Money("95.04", "CNY")  # 36 CNY a jin × 1.32 kg
    assert done.label.gs1.net_weight == Mass.parse("1.32 kg")
    assert render_label(done.label).size[0] > 0
    assert done.record.recipient["name"] == "李女士"
    assert (done.record.pieces, done.record.weight, done.record.tracking) == (
        1,
        Mass.parse("1.32 kg"),
        "SF1",
    )
    assert done.record.temperature_class
    assert "吴家乌鸡养殖场" in done.record.sender
    data = done.event.to_dict()
    assert data["bizStep"] == "shipping"
    assert data["bizTransactionList"] == [
        {"type": "po", "bizTransaction": "urn:ruralseller:order:sandbox:demo:o1"}
    ]
    assert data["quantityList"][0]["quantity"] == 1
    validate(EpcisDocument([done.event], creation_date=SHIPPED_AT).to_dict())
    again = fulfil(catalog(), inbox, order, weight=Mass.parse("1.32 kg"), shipped_at=SHIPPED_AT)
    assert again.order == done.order  # shipping twice ships once


def test_only_a_reserved_order_is_fulfilled() -> None:
    inbox = _inbox()
    short = inbox.take(_remote("o2", 9), channel="sandbox", day=DAY).order
    with pytest.raises(InvalidValueError, match="only a reserved order"):
        fulfil(catalog(), inbox, short, weight=Mass.parse("9 kg"), shipped_at=SHIPPED_AT)


def test_the_pack_is_planned_for_the_orders_pieces_and_journey() -> None:
    inbox = _inbox()
    order = inbox.take(_remote("o3", 2), channel="sandbox", day=DAY).order
    done = fulfil(
        catalog(),
        inbox,
        order,
        weight=Mass.parse("2.6 kg"),
        shipped_at=SHIPPED_AT,
        journey=dt.timedelta(hours=30),
    )
    assert done.pack is not None
    assert (done.pack.lot, done.pack.pieces) == ("WJ261120A", 2)
    assert done.pack.coolant is not None  # chilled birds travel with coolant
