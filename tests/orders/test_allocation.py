"""First-expired-first-out allocation, never from a lot past its date."""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import given
from hypothesis import strategies as st
from tests.orders.shop import catalog

from ruralseller.orders import LotAvailability, allocate, last_sale_day, lots_for_sku, sellable_on

BASE = catalog().lot("WJ261120A")


def _lot(code: str, use_by: dt.date) -> LotAvailability:
    return LotAvailability(lot=attrs.evolve(BASE, id=code, use_by=use_by), available=0)


def test_a_lot_sells_up_to_and_including_its_use_by_day() -> None:
    assert last_sale_day(BASE) == dt.date(2026, 11, 25)
    assert sellable_on(BASE, dt.date(2026, 11, 25))
    assert not sellable_on(BASE, dt.date(2026, 11, 26))
    assert sellable_on(BASE, dt.date(2026, 11, 19))  # sold ahead of slaughter


def test_the_lot_that_expires_first_goes_first() -> None:
    late = attrs.evolve(_lot("LATE", dt.date(2026, 11, 28)), available=5)
    early = attrs.evolve(_lot("EARLY", dt.date(2026, 11, 24)), available=2)
    plan = allocate([late, early], 4, dt.date(2026, 11, 21))
    assert plan.lines == (("EARLY", 2), ("LATE", 2))
    assert plan.filled


def test_an_expired_lot_is_passed_over_and_said_so() -> None:
    old = attrs.evolve(_lot("OLD", dt.date(2026, 11, 22)), available=5)
    plan = allocate([old], 1, dt.date(2026, 11, 23))
    assert (plan.lines, plan.short, plan.expired) == ((), 1, True)


def test_an_order_is_filled_whole_or_not_at_all() -> None:
    lot = attrs.evolve(_lot("A", dt.date(2026, 11, 28)), available=2)
    assert allocate([lot], 3, dt.date(2026, 11, 21)).lines == ()


def test_skus_name_a_lot_or_all_lots_of_a_product() -> None:
    assert [lot.id for lot in lots_for_sku(catalog(), "WJ261120A")] == ["WJ261120A"]
    assert {lot.id for lot in lots_for_sku(catalog(), "taihe-silkie-whole")} == {
        "WJ261120A",
        "WJ261123A",
    }
    assert lots_for_sku(catalog(), "NOPE") == ()


@given(
    st.lists(st.tuples(st.integers(0, 10), st.integers(0, 6)), min_size=1, max_size=6),
    st.integers(1, 40),
    st.integers(0, 8),
)
def test_allocation_never_exceeds_what_sellable_lots_hold(
    lots: list[tuple[int, int]], quantity: int, offset: int
) -> None:
    day = dt.date(2026, 11, 21) + dt.timedelta(days=offset)
    candidates = [
        attrs.evolve(_lot(f"L{n}", dt.date(2026, 11, 21) + dt.timedelta(days=d)), available=a)
        for n, (a, d) in enumerate(lots)
    ]
    plan = allocate(candidates, quantity, day)
    by_code = {c.lot.id: c for c in candidates}
    sellable = sum(c.available for c in candidates if sellable_on(c.lot, day))
    if plan.filled:
        assert sum(n for _, n in plan.lines) == quantity
        for code, units in plan.lines:
            assert 0 < units <= by_code[code].available
            assert sellable_on(by_code[code].lot, day)
        dates = [last_sale_day(by_code[code].lot) for code, _ in plan.lines]
        assert dates == sorted(dates)  # type: ignore[type-var]
    else:
        assert plan.lines == ()
        assert quantity > sellable
