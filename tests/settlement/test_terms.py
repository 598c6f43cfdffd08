"""The partner's commission and costs, and the marketplaces' fee schedules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ruralseller.catalog import Money
from ruralseller.settlement import FEE_STATUSES, FEES, Commission, FeeSchedule, SettlementTerms


def test_the_commission_has_a_minimum_and_never_exceeds_the_net() -> None:
    commission = Commission(rate="0.10", minimum=[Money("3", "CNY")])
    assert commission.on(Money("100.00", "CNY")) == Money("10.00", "CNY")
    assert commission.on(Money("20.00", "CNY")) == Money("3.00", "CNY")
    assert commission.on(Money("2.00", "CNY")) == Money("2.00", "CNY")  # never above the net
    assert commission.on(Money("20.00", "USD")) == Money("2.00", "USD")  # no USD minimum
    with pytest.raises(ValueError, match="fraction from 0 to 1"):
        Commission(rate="1.5")


def test_a_products_terms_win_over_its_producers_which_win_over_the_default() -> None:
    terms = SettlementTerms(
        commission=Commission(rate="0.05"),
        by_producer={"wu": Commission(rate="0.08")},
        by_product={"eggs": Commission(rate="0.12")},
    )
    assert terms.commission_for("wu", "eggs").rate == Decimal("0.12")
    assert terms.commission_for("wu", "chicken").rate == Decimal("0.08")
    assert terms.commission_for("li", "chicken").rate == Decimal("0.05")


def test_every_fee_schedule_says_where_it_comes_from() -> None:
    for name, schedule in FEES.items():
        assert schedule.marketplace == name
        assert schedule.status in FEE_STATUSES
        assert schedule.source
    assert FEES["etsy"].fee(Money("100.00", "USD")) == Money("6.70", "USD")  # 6.5 % + 0.20
    assert FEES["etsy"].fee(Money("100.00", "CNY")) == Money("6.50", "CNY")  # no CNY part
    with pytest.raises(KeyError, match="no fee schedule for marketplace 'nowhere'"):
        SettlementTerms().fee_schedule("nowhere")
    with pytest.raises(ValueError, match="fraction from 0 to 1"):
        FeeSchedule(marketplace="x", rate=Decimal(2), source="s", status="example")
    with pytest.raises(ValueError, match="status"):
        FeeSchedule(marketplace="x", rate=Decimal(0), source="s", status="guess")
    with pytest.raises(TypeError, match="expected money"):
        FeeSchedule(
            marketplace="x", rate=Decimal(0), per_order=["1 USD"], source="s", status="example"
        )  # type: ignore[list-item]
