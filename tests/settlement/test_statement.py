"""Statements reconcile to the orders to the cent, whatever the orders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.orders.shop import catalog

from ruralseller.catalog import Money
from ruralseller.errors import InvalidValueError
from ruralseller.orders import Order, OrderStatus
from ruralseller.settlement import (
    Commission,
    Period,
    SettlementTerms,
    reconciles,
    render_statement,
    save_statement,
    settle,
    statement_csv,
)

NOVEMBER = Period.month("2026-11")
TERMS = SettlementTerms(
    commission=Commission(rate=Decimal("0.08"), minimum=[Money("2.00", "CNY")]),
    by_product={"taihe-silkie-eggs-30": Commission(rate=Decimal("0.12"))},
    shipping=[Money("12.00", "CNY"), Money("4.50", "USD")],
    packaging=[Money("6.50", "CNY")],
)


def _order(n: int, lot: str, unit: Money, quantity: int = 1, **rest: object) -> Order:
    values: dict[str, object] = {
        "marketplace": "sandbox",
        "account": "demo",
        "order_id": f"o{n}",
        "channel": "sandbox",
        "sku": lot,
        "quantity": quantity,
        "unit_price": unit,
        "placed_at": dt.datetime(2026, 11, 21, tzinfo=dt.UTC),
        "day": dt.date(2026, 11, 21),
        "status": OrderStatus.SHIPPED,
        "allocation": ((lot, quantity),),
        "shipped_day": dt.date(2026, 11, 22),
    }
    values.update(rest)
    return Order(**values)  # type: ignore[arg-type]


def test_a_month_of_orders_makes_one_statement_per_producer_and_currency() -> None:
    orders = [
        _order(1, "WJ261120A", Money("95.00", "CNY"), final_price=Money("88.40", "CNY")),
        _order(2, "WE261118", Money("68.00", "CNY"), 2),
        _order(3, "WJ261120A", Money("95.00", "CNY"), status=OrderStatus.FLAGGED),
        _order(4, "WJ261120A", Money("95.00", "CNY"), shipped_day=dt.date(2026, 12, 1)),
    ]
    (statement,) = settle(catalog(), orders, TERMS, NOVEMBER)
    assert (statement.producer, statement.currency) == ("wu-family-farm", "CNY")
    first, second = statement.lines
    assert (first.gross, first.refund, first.net) == (
        Money("95.00", "CNY"),
        Money("6.60", "CNY"),
        Money("88.40", "CNY"),
    )
    assert first.fee == Money("4.42", "CNY")  # 5 % (the sandbox's example rate)
    assert first.commission == Money("7.07", "CNY")  # 8 % of 88.40, above the minimum
    assert first.owed == Money("58.41", "CNY")
    assert second.commission == Money("16.32", "CNY")  # the eggs' own 12 %
    assert statement.owed == first.owed + second.owed
    assert reconciles(statement, orders)
    assert "example" in statement.fee_notes[0]


def test_an_unpriced_order_cannot_be_settled() -> None:
    order = _order(1, "WJ261120A", Money("1", "CNY"))
    with pytest.raises(InvalidValueError, match="has no price"):
        settle(catalog(), [attrs.evolve(order, unit_price=None)], TERMS, NOVEMBER)
    with pytest.raises(InvalidValueError, match="as a month"):
        Period.month("November")


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999.99"), places=2)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["WJ261120A", "WE261118"]),
            st.sampled_from(["CNY", "USD"]),
            st.sampled_from(["sandbox", "etsy"]),
            amounts,
            st.integers(1, 6),
            st.one_of(st.none(), amounts),
            st.integers(1, 30),
        ),
        max_size=25,
    ),
    st.decimals(min_value=Decimal(0), max_value=Decimal("0.3"), places=3),
)
def test_every_statement_reconciles_to_the_cent(
    spec: list[tuple[str, str, str, Decimal, int, Decimal | None, int]], rate: Decimal
) -> None:
    orders = [
        _order(
            n,
            lot,
            Money(unit, currency),
            quantity,
            marketplace=marketplace,
            final_price=Money(final, currency) if final is not None else None,
            shipped_day=dt.date(2026, 11, day),
        )
        for n, (lot, currency, marketplace, unit, quantity, final, day) in enumerate(spec)
    ]
    terms = SettlementTerms(
        commission=Commission(rate=rate, minimum=[Money("3.00", "CNY")]),
        shipping=TERMS.shipping,
        packaging=TERMS.packaging,
    )
    statements = settle(catalog(), orders, terms, NOVEMBER)
    for statement in statements:
        assert reconciles(statement, orders)
        for line in statement.lines:
            assert line.net == line.gross - line.refund
            assert line.refund.amount >= 0
            assert (
                Money(0, statement.currency)
                <= line.commission
                <= max(line.net, Money(0, statement.currency))
            )
    for currency in ("CNY", "USD"):
        paid = sum(
            (o.charged.rounded() for o in orders if o.charged and o.charged.currency == currency),
            Money(0, currency),
        )
        settled = sum(
            (s.total("gross") for s in statements if s.currency == currency), Money(0, currency)
        )
        assert paid == settled


def test_the_statement_is_written_as_csv_and_a_one_page_pdf(tmp_path: Path) -> None:
    orders = [_order(n, "WJ261120A", Money("95.00", "CNY")) for n in range(3)]
    (statement,) = settle(catalog(), orders, TERMS, NOVEMBER)
    csv_path, pdf_path = save_statement(statement, tmp_path)
    rows = csv_path.read_text(encoding="utf-8").splitlines()
    assert rows == statement_csv(statement).splitlines()
    assert len(rows) == 5
    assert rows[-1].split(",")[-1] == str(statement.owed.amount)
    pdf = pdf_path.read_bytes()
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Type /Page\n") == 1  # one page
    page = render_statement(statement)
    assert page.size == (1240, 1754)  # A4 at 150 dpi
    assert page.convert("L").getextrema()[0] == 0  # something is drawn
