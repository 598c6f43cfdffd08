"""A check answers as the law stood on the day: no finding cites a measure not then in force."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ruralseller.catalog import load_catalog
from ruralseller.compliance import check, freshness_rules, rule_pack

EXAMPLES = Path(__file__).parents[2] / "examples"
SAMPLES = ("black-chickens", "smoked-meat")
DAYS = (
    dt.date(2016, 6, 1),
    dt.date(2021, 6, 1),
    dt.date(2022, 12, 1),
    dt.date(2024, 6, 1),
    dt.date(2026, 11, 21),
    dt.date(2027, 4, 1),
)


@pytest.mark.parametrize("sample", SAMPLES)
@pytest.mark.parametrize("day", DAYS, ids=str)
def test_findings_cite_only_rules_in_force(sample: str, day: dt.date) -> None:
    """Every finding on the samples, on any day, comes from a rule in force that day."""
    catalog = load_catalog(EXAMPLES / sample)
    report = check(catalog, jurisdictions=["CN", "EU", "US"], on=day)
    for finding in report:
        dated = {rule.code: rule for rule in freshness_rules(finding.jurisdiction)}
        rule = dated.get(finding.rule) or rule_pack(finding.jurisdiction).rule(finding.rule)
        assert rule.in_force_on(day), (finding.rule, day)


def test_superseded_sources_are_not_cited_today() -> None:
    """On 2026-11-21 nothing cites the 2010 quarantine measures or GB/T 24616."""
    for sample in SAMPLES:
        catalog = load_catalog(EXAMPLES / sample)
        for finding in check(catalog, jurisdictions=["CN"], on=dt.date(2026, 11, 21)):
            assert "2010年第6号" not in str(finding.citation)
            assert "GB/T 24616" not in str(finding.citation)


def test_gb_7718_2025_for_cured_meat_not_for_chicken() -> None:
    """On 2027-04-01 GB 7718-2025 applies to the cured meat and not to the chicken."""
    day = dt.date(2027, 4, 1)
    larou = check(load_catalog(EXAMPLES / "smoked-meat"), jurisdictions=["CN"], on=day)
    chicken = check(load_catalog(EXAMPLES / "black-chickens"), jurisdictions=["CN"], on=day)
    assert any("GB 7718-2025" in str(f.citation) for f in larou)
    assert not any("GB 7718" in str(f.citation) for f in chicken)


def test_superseded_rules_keep_their_dates() -> None:
    """A rule that was replaced keeps both dates, and its successor starts that day."""
    for code in ("CN", "EU", "US"):
        pack = rule_pack(code)
        starts = {rule.effective_from for rule in pack.rules}
        for rule in pack.rules:
            if rule.superseded_on is not None:
                assert rule.effective_from is not None, rule.code
                assert rule.effective_from < rule.superseded_on, rule.code
                assert rule.superseded_on in starts, rule.code  # a successor takes over
