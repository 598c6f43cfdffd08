"""The date printed on the label bounds the sale: check, sell-by cut-off, per-offer minimum."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ruralseller.catalog import Catalog, RemainingLife, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.compliance import check, freshness, freshness_rules, sell_by
from ruralseller.compliance.context import Sale

SAMPLE = load_catalog(sample_path())
CHICKENS = ("WJ261120A", "WJ261123A")


def date_findings(day: dt.date, jurisdiction: str = "CN") -> dict[str, set[str]]:
    report = check(SAMPLE, jurisdictions=[jurisdiction], on=day)
    found: dict[str, set[str]] = {lot.id: set() for lot in SAMPLE.lots}
    for finding in report.blocking:
        if finding.rule.startswith("FRESH-") and finding.lot is not None:
            found[finding.lot].add(finding.rule)
    return found


class TestCheck:
    @pytest.mark.parametrize("jurisdiction", ["CN", "EU", "US"])
    def test_7_december_blocks_both_chicken_lots(self, jurisdiction: str) -> None:
        """Both use-by dates have passed: blocked in every jurisdiction, eggs and potatoes not."""
        found = date_findings(dt.date(2026, 12, 7), jurisdiction)
        assert found["WJ261120A"] == found["WJ261123A"] == {"FRESH-PAST-DATE"}
        assert found["WE261118"] == found["WP261115"] == set()

    def test_26_november_blocks_only_the_older_lot(self) -> None:
        found = date_findings(dt.date(2026, 11, 26))
        assert found["WJ261120A"] == {"FRESH-PAST-DATE"}
        assert found["WJ261123A"] == found["WE261118"] == found["WP261115"] == set()

    def test_23_november_blocks_nothing_for_its_date(self) -> None:
        assert all(not rules for rules in date_findings(dt.date(2026, 11, 23)).values())

    def test_the_cut_off_blocks_before_the_date(self) -> None:
        """On the use-by day itself a next-day parcel would arrive too late."""
        found = date_findings(dt.date(2026, 11, 28))
        assert found["WJ261123A"] == {"FRESH-SELL-BY"}

    def test_the_finding_names_the_field_and_says_what_to_do(self) -> None:
        report = check(SAMPLE, on=dt.date(2026, 12, 7), lots=["WJ261123A"])
        (finding,) = [f for f in report.blocking if f.rule == "FRESH-PAST-DATE"]
        assert finding.field == "lots[1].use_by"
        assert "2026-11-28" in finding.message
        assert "withdraw" in finding.remedy

    def test_rules_come_with_every_pack(self) -> None:
        assert [rule.code for rule in freshness_rules("EU")] == ["FRESH-PAST-DATE", "FRESH-SELL-BY"]


class TestMinimumRemainingLife:
    def with_minimum(self, life: RemainingLife, **on: RemainingLife) -> Catalog:
        offers = [
            attrs.evolve(offer, min_remaining_life=life, min_remaining_life_on=on)
            if offer.lot == "WJ261123A"
            else offer
            for offer in SAMPLE.offers
        ]
        return attrs.evolve(SAMPLE, offers=offers)

    def test_days(self) -> None:
        """Two days' life on arrival and a day's delivery: the cut-off is the 25th."""
        catalog = self.with_minimum(RemainingLife(days=2))
        state = freshness(catalog, "WJ261123A", on=dt.date(2026, 11, 26))
        assert state is not None
        assert state.sell_by == dt.date(2026, 11, 25)
        assert not state.sellable
        assert "with 2 day(s) left" in state.reason

    def test_share(self) -> None:
        """40 % of a 5-day life is 2 days."""
        catalog = self.with_minimum(RemainingLife(share=Decimal("0.4")))
        state = freshness(catalog, "WJ261123A", on=dt.date(2026, 11, 25))
        assert state is not None
        assert state.min_remaining_days == 2
        assert state.sellable

    def test_per_marketplace(self) -> None:
        catalog = self.with_minimum(RemainingLife(days=0), taobao=RemainingLife(days=3))
        day = dt.date(2026, 11, 26)
        report = check(catalog, on=day, lots=["WJ261123A"], sale=Sale(marketplace="taobao"))
        assert any(f.rule == "FRESH-SELL-BY" for f in report.blocking)
        assert check(catalog, on=day, lots=["WJ261123A"]).ok

    @given(
        day=st.dates(dt.date(2026, 11, 1), dt.date(2027, 2, 1)),
        days=st.integers(0, 4),
        delivery=st.integers(0, 6),
    )
    def test_never_sellable_after_the_cut_off(self, day: dt.date, days: int, delivery: int) -> None:
        """Sellable exactly up to the cut-off, and the cut-off is never after the date."""
        catalog = self.with_minimum(RemainingLife(days=days))
        for lot in SAMPLE.lots:
            state = freshness(catalog, lot.id, on=day, delivery=dt.timedelta(days=delivery))
            assert state is not None
            assert state.sell_by <= state.printed_date
            assert state.sellable == (day <= state.sell_by)
            cut = sell_by(lot, catalog.offer_for(lot.id), delivery=dt.timedelta(days=delivery))
            assert cut == state.sell_by
