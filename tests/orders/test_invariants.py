"""Whatever happens, in whatever order: nothing is allocated beyond what is on hand."""

from __future__ import annotations

import datetime as dt
import threading

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.orders.shop import catalog

from ruralseller.catalog import Mass, Money
from ruralseller.errors import InvalidValueError
from ruralseller.marketplaces import RemoteOrder
from ruralseller.orders import OrderInbox, OrderStatus, OrderStore, StockLedger
from ruralseller.publishing import Outbox

DAY = dt.date(2026, 11, 21)
LOTS = ("WJ261120A", "WJ261123A")


def _remote(number: int, sku: str, quantity: int, state: str = "placed") -> RemoteOrder:
    return RemoteOrder(
        marketplace="m",
        account="a",
        order_id=str(number),
        sku=sku,
        quantity=quantity,
        state=state,
        placed_at=dt.datetime(2026, 11, 21, tzinfo=dt.UTC),
        unit_price=Money("95.00", "CNY"),
    )


operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("order"),
            st.integers(0, 12),
            st.sampled_from([*LOTS, "taihe-silkie-whole"]),
            st.integers(1, 6),
        ),
        st.tuples(st.just("cancel"), st.integers(0, 12), st.just(""), st.just(0)),
        st.tuples(st.just("ship"), st.integers(0, 12), st.just(""), st.just(0)),
        st.tuples(st.just("spoil"), st.integers(0, 1), st.just(""), st.integers(1, 3)),
        st.tuples(st.just("receive"), st.integers(0, 1), st.just(""), st.integers(1, 4)),
    ),
    max_size=40,
)


def _apply(
    inbox: OrderInbox, ledger: StockLedger, op: tuple[str, int, str, int], step: int, day: dt.date
) -> None:
    kind, number, sku, quantity = op
    if kind == "order":
        inbox.take(_remote(number, sku, quantity), channel="m", day=day)
    elif kind == "spoil":
        if quantity <= ledger.stock(LOTS[number]).available:
            ledger.write_off(LOTS[number], quantity, ref=f"spoil-{step}", day=day)
    elif kind == "receive":
        ledger.receive(LOTS[number], quantity, ref=f"in-{step}", day=day)
    else:
        try:
            order = inbox.order(f"m/a/{number}")
        except InvalidValueError:
            return
        try:
            if kind == "cancel":
                inbox.cancel(order, day=day)
            else:
                inbox.ship(order, day=day, weight=Mass.parse("1.2 kg"))
        except InvalidValueError:
            assert order.status is not OrderStatus.RESERVED


def _check(inbox: OrderInbox, ledger: StockLedger) -> None:
    for lot in LOTS:
        stock = ledger.stock(lot)
        assert 0 <= stock.reserved <= stock.on_hand, stock
    held: dict[str, int] = dict.fromkeys(LOTS, 0)
    for order in inbox.orders():
        units = sum(n for _, n in order.allocation)
        if order.status is OrderStatus.RESERVED:
            assert units == order.quantity
            for lot, n in order.allocation:
                held[lot] += n
        if order.status is OrderStatus.FLAGGED:
            assert units == 0
            assert order.reason is not None
            assert order.cancel == "prepared"
    assert held == {lot: ledger.stock(lot).reserved for lot in LOTS}


@settings(max_examples=80, deadline=None)
@given(operations, st.integers(0, 7))
def test_stock_never_goes_below_what_orders_hold(
    ops: list[tuple[str, int, str, int]], offset: int
) -> None:
    day = DAY + dt.timedelta(days=offset)
    store = OrderStore(Outbox(":memory:"))
    ledger, inbox = StockLedger(store), OrderInbox(store, catalog())
    for lot in LOTS:
        ledger.receive(lot, 8, ref="start", day=DAY)
    for step, op in enumerate(ops):
        _apply(inbox, ledger, op, step, day)
        _check(inbox, ledger)


def test_intake_processes_at_once_never_hold_more_than_the_lot(store_target: str) -> None:
    """Four at once on one SQLite file, then on one PostgreSQL database."""
    path = store_target
    StockLedger(OrderStore(Outbox(path))).receive("WJ261120A", 20, ref="slaughter", day=DAY)
    errors: list[BaseException] = []

    def intake(worker: int) -> None:
        try:
            inbox = OrderInbox(OrderStore(Outbox(path)), catalog())
            for n in range(15):
                inbox.take(_remote(worker * 100 + n, "WJ261120A", 1), channel="m", day=DAY)
                # Every worker also takes the others' first orders: each is taken once.
                inbox.take(_remote(n, "WJ261120A", 1), channel="m", day=DAY)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)

    threads = [threading.Thread(target=intake, args=(w,)) for w in range(1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    store = OrderStore(Outbox(path))
    orders = OrderInbox(store, catalog()).orders()
    assert len(orders) == 4 * 15 + 15
    assert len({o.key for o in orders}) == len(orders)
    reserved = [o for o in orders if o.status is OrderStatus.RESERVED]
    assert len(reserved) == 20
    assert StockLedger(store).stock("WJ261120A").reserved == 20
