"""What changes for me: rules entering and leaving force between two days."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ruralseller.compliance import (
    Citation,
    Rule,
    RulePack,
    SourceStatus,
    rule_changes,
    rule_pack,
)
from ruralseller.errors import InvalidValueError


def _rule(code: str, **dates: dt.date) -> Rule:
    return Rule(
        code=code,
        title=code,
        jurisdiction="XX",
        kinds={"cured_meat"},
        citation=Citation("Example Act", "Art. 1"),
        status=SourceStatus.VERIFIED,
        check=lambda _ctx: [],
        **dates,
    )


OLD = _rule("XX-OLD", effective_from=dt.date(2020, 1, 1), superseded_on=dt.date(2025, 1, 1))
NEW = _rule("XX-NEW", effective_from=dt.date(2025, 1, 1))
PACK = RulePack(jurisdiction="XX", name="Example", rules=[OLD, NEW])


def test_gb_7718_2025_enters_in_2027() -> None:
    """From 2026-12-01 to 2027-12-31 GB 7718-2025 enters and GB 7718-2011 leaves."""
    changes = rule_changes(dt.date(2026, 12, 1), dt.date(2027, 12, 31), jurisdictions=["CN"])
    pairs = {(c.rule.code, c.change, c.on) for c in changes}
    assert ("CN-LABEL-PREPACKAGED-2025", "enters", dt.date(2027, 3, 16)) in pairs
    assert ("CN-LABEL-PREPACKAGED-2011", "leaves", dt.date(2027, 3, 16)) in pairs


def test_only_the_products_asked_for() -> None:
    """Chickens and eggs: the cured-meat label change is not theirs."""
    changes = rule_changes(
        dt.date(2026, 12, 1), dt.date(2027, 12, 31), kinds={"poultry_meat", "shell_eggs"}
    )
    assert not [c for c in changes if "PREPACKAGED" in c.rule.code]


def test_a_replacement_is_one_leave_and_one_enter() -> None:
    """A superseded rule leaves the day its successor enters."""
    changes = rule_changes(dt.date(2024, 1, 1), dt.date(2025, 1, 1), packs=[PACK])
    assert [(c.change, c.rule.code, c.on) for c in changes] == [
        ("enters", "XX-NEW", dt.date(2025, 1, 1)),
        ("leaves", "XX-OLD", dt.date(2025, 1, 1)),
    ]
    assert changes[0].to_dict()["citation"] == {
        "instrument": "Example Act",
        "article": "Art. 1",
        "url": None,
    }


def test_the_first_day_is_the_baseline() -> None:
    """A change on the first day is already the law that day: not listed."""
    assert rule_changes(dt.date(2025, 1, 1), dt.date(2026, 1, 1), packs=[PACK]) == ()


def test_backwards_period_is_an_error() -> None:
    """A period ending before it starts is refused, with a hint."""
    with pytest.raises(InvalidValueError, match="before it starts"):
        rule_changes(dt.date(2027, 1, 1), dt.date(2026, 1, 1), packs=[PACK])


@given(
    start=st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)),
    days=st.integers(0, 4000),
)
def test_changes_are_what_differs_between_the_two_days(start: dt.date, days: int) -> None:
    """A rule is listed exactly when it is in force on one end of the period and not the other
    (or enters and leaves within it)."""
    end = start + dt.timedelta(days=days)
    packs = [rule_pack(code) for code in ("CN", "EU", "US")]
    listed = {c.rule.code for c in rule_changes(start, end, packs=packs)}
    for pack in packs:
        for rule in pack.rules:
            if rule.in_force_on(start) != rule.in_force_on(end):
                assert rule.code in listed
    for change in rule_changes(start, end, packs=packs):
        assert start < change.on <= end
        assert change.rule.in_force_on(change.on) is (change.change == "enters")
