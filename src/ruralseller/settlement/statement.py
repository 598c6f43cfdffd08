"""The farmer's statement: per producer, period and currency, what her orders brought in.

For each order shipped in the period (the sale is made when the goods leave), one line::

    gross       what the buyer paid (unit price × quantity)
  − refund      the weight difference paid back (catch weight: the weighed piece cost less)
  = net
  − fee         the marketplace's fee on the net (its FeeSchedule)
  − shipping    the partner's shipping cost for the order
  − packaging   the partner's packaging cost for the order
  − commission  the partner's commission on the net (a rate, with a minimum)
  = owed        what the farmer is owed for the order

Every amount is exact :class:`~ruralseller.catalog.Money` rounded to the currency's minor
unit on its line, and each total is the sum of its column, so a statement reconciles to
the orders to the cent: ``gross − refunds − fees − shipping − packaging − commission ==
owed``, and the gross is what the orders' buyers paid.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Sequence

import attrs

from ruralseller.catalog import Catalog, Money
from ruralseller.errors import InvalidValueError
from ruralseller.orders import Order, OrderStatus
from ruralseller.settlement.terms import SettlementTerms

__all__ = ["COLUMNS", "Period", "Statement", "StatementLine", "reconciles", "settle"]

#: The money columns of a line, in the order the statement shows them.
COLUMNS = ("gross", "refund", "net", "fee", "shipping", "packaging", "commission", "owed")


@attrs.frozen
class Period:
    """A span of days, both ends included.

    Example:
        >>> Period.month("2026-11")
        Period(start=datetime.date(2026, 11, 1), end=datetime.date(2026, 11, 30))
    """

    start: dt.date
    end: dt.date

    @classmethod
    def month(cls, text: str) -> Period:
        """A calendar month written ``YYYY-MM``."""
        match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip()) if isinstance(text, str) else None
        if match is None or not 1 <= int(match.group(2)) <= 12:
            raise InvalidValueError(
                f"cannot read {text!r} as a month", hint="write it as YYYY-MM, e.g. 2026-11"
            )
        year, month = int(match.group(1)), int(match.group(2))
        last = calendar.monthrange(year, month)[1]
        return cls(dt.date(year, month, 1), dt.date(year, month, last))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


@attrs.frozen(kw_only=True)
class StatementLine:
    """One shipped order on a statement (amounts rounded to the currency's minor unit)."""

    order: str
    day: dt.date
    marketplace: str
    sku: str
    lots: tuple[str, ...]
    quantity: int
    gross: Money
    refund: Money
    net: Money
    fee: Money
    shipping: Money
    packaging: Money
    commission: Money
    owed: Money


@attrs.frozen(kw_only=True)
class Statement:
    """What one producer is owed for one period, in one currency.

    Attributes:
        producer: the producer's id.
        producer_name: the producer's name, as the catalogue has it.
        period: the days covered.
        currency: the ISO 4217 code of every amount.
        lines: one line per shipped order, by day.
        fee_notes: where each marketplace's fee comes from (and how sure it is).
    """

    producer: str
    producer_name: str
    period: Period
    currency: str
    lines: tuple[StatementLine, ...]
    fee_notes: tuple[str, ...] = ()

    def total(self, column: str) -> Money:
        """The sum of one money column (see :data:`COLUMNS`)."""
        if column not in COLUMNS:
            raise KeyError(f"no column {column!r}; the columns are {', '.join(COLUMNS)}")
        total = Money(0, self.currency)
        for line in self.lines:
            total += getattr(line, column)
        return total.rounded()

    @property
    def owed(self) -> Money:
        """What the producer is owed for the period."""
        return self.total("owed")


def _zero(currency: str) -> Money:
    return Money(0, currency).rounded()


def _line(order: Order, catalog: Catalog, terms: SettlementTerms) -> tuple[str, StatementLine]:
    assert order.charged is not None  # noqa: S101 - unpriced orders are refused before
    gross = order.charged.rounded()
    currency = gross.currency
    refund = _zero(currency)
    if order.final_price is not None and order.final_price.currency == currency:
        refund = max(gross - order.final_price.rounded(), _zero(currency))
    net = gross - refund
    lot = catalog.lot(order.lots[0])
    producer = catalog.producer_of(lot).id
    fee = terms.fee_schedule(order.marketplace).fee(net)
    shipping = terms.shipping.get(currency, Money(0, currency)).rounded()
    packaging = terms.packaging.get(currency, Money(0, currency)).rounded()
    commission = terms.commission_for(producer, lot.product).on(net)
    owed = net - fee - shipping - packaging - commission
    return producer, StatementLine(
        order=order.key,
        day=order.shipped_day or order.day,
        marketplace=order.marketplace,
        sku=order.sku,
        lots=order.lots,
        quantity=order.quantity,
        gross=gross,
        refund=refund,
        net=net,
        fee=fee,
        shipping=shipping,
        packaging=packaging,
        commission=commission,
        owed=owed,
    )


def settle(
    catalog: Catalog,
    orders: Iterable[Order],
    terms: SettlementTerms,
    period: Period,
) -> list[Statement]:
    """One statement per producer and currency, of the orders shipped in ``period``.

    Raises:
        InvalidValueError: when a shipped order has no price (the marketplace did not say
            what the buyer paid), naming the order.
        KeyError: when a marketplace has no fee schedule in ``terms``.
    """
    grouped: dict[tuple[str, str], list[StatementLine]] = {}
    marketplaces: dict[tuple[str, str], set[str]] = {}
    for order in orders:
        if order.status is not OrderStatus.SHIPPED or order.shipped_day not in period:
            continue
        if order.charged is None:
            raise InvalidValueError(
                f"order {order.key} has no price, so it cannot be settled",
                hint="take it in again from a marketplace that says what the buyer paid",
            )
        producer, line = _line(order, catalog, terms)
        key = (producer, line.gross.currency)
        grouped.setdefault(key, []).append(line)
        marketplaces.setdefault(key, set()).add(order.marketplace)
    statements = []
    for (producer, currency), lines in sorted(grouped.items()):
        notes = tuple(
            f"{name}: {terms.fee_schedule(name).source} ({terms.fee_schedule(name).status})"
            for name in sorted(marketplaces[producer, currency])
        )
        statements.append(
            Statement(
                producer=producer,
                producer_name=catalog.producer(producer).name,
                period=period,
                currency=currency,
                lines=tuple(sorted(lines, key=lambda line: (line.day, line.order))),
                fee_notes=notes,
            )
        )
    return statements


def reconciles(statement: Statement, orders: Sequence[Order]) -> bool:
    """Whether the statement's gross is what its orders' buyers paid, and its columns add up."""
    keys = {line.order for line in statement.lines}
    paid = Money(0, statement.currency)
    for order in orders:
        if order.key in keys and order.charged is not None:
            paid += order.charged.rounded()
    parts = ("refund", "fee", "shipping", "packaging", "commission", "owed")
    return (
        paid.rounded()
        == statement.total("gross")
        == sum((statement.total(c) for c in parts), Money(0, statement.currency))
    )
