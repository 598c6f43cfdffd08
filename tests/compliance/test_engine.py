"""The compliance engine: rules, severities, dates, reports and rule-pack discovery."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from tests.strategies import catalogs

from ruralseller.catalog import Catalog, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.compliance import (
    REPORT_FORMAT,
    Citation,
    Issue,
    LotContext,
    Report,
    Rule,
    RulePack,
    SellerProfile,
    Severity,
    SourceStatus,
    available_rule_packs,
    check,
    registry,
    rule_pack,
    seller_profile,
)
from ruralseller.errors import ComplianceError, NotInCatalogError

ON = dt.date(2026, 11, 21)
SAMPLE = load_catalog(sample_path())


def always(message: str = "found") -> Any:
    def run(ctx: LotContext) -> Iterator[Issue]:
        yield Issue(message=f"{message} in {ctx.lot.id}", remedy="fix it", field=ctx.path("id"))

    return run


def make_rule(**changes: Any) -> Rule:
    fields: dict[str, Any] = {
        "code": "XX-TEST",
        "title": "a test rule",
        "jurisdiction": "XX",
        "citation": Citation("Test Act", "Art. 1"),
        "status": SourceStatus.VERIFIED,
        "check": always(),
    }
    fields.update(changes)
    return Rule(**fields)


def run(*rules: Rule, catalog: Catalog = SAMPLE, **kwargs: Any) -> Report:
    pack = RulePack(jurisdiction="XX", name="test", rules=rules)
    return check(catalog, packs=[pack], on=kwargs.pop("on", ON), **kwargs)


class TestSeverity:
    def test_verified_rule_blocks(self) -> None:
        """A verified rule's breach is blocking."""
        report = run(make_rule())
        assert len(report.blocking) == 4
        assert not report.ok

    @pytest.mark.parametrize("status", [SourceStatus.PARTIAL, SourceStatus.UNVERIFIED])
    def test_unverified_rule_only_warns(self, status: SourceStatus) -> None:
        """A rule on a partly verified or unverified source warns, and says so."""
        report = run(make_rule(status=status))
        assert report.ok
        assert len(report.warnings) == 4
        assert f"source status {status.value}" in report.warnings[0].message

    def test_issue_can_soften(self) -> None:
        """An issue may ask for a lower severity than its rule's."""

        def soft(_ctx: LotContext) -> Iterator[Issue]:
            yield Issue(message="fyi", remedy="none", severity=Severity.INFO)

        assert len(run(make_rule(check=soft)).infos) == 4

    def test_issue_cannot_harden(self) -> None:
        """An issue cannot raise an unverified rule to blocking."""

        def hard(_ctx: LotContext) -> Iterator[Issue]:
            yield Issue(message="x", remedy="y", severity=Severity.BLOCKING)

        assert run(make_rule(check=hard, status=SourceStatus.PARTIAL)).ok


class TestScope:
    def test_dates(self) -> None:
        """A rule applies from its effective date until the day it is superseded."""
        rule = make_rule(effective_from=dt.date(2022, 12, 8), superseded_on=dt.date(2025, 1, 1))
        assert len(run(rule, on=dt.date(2022, 12, 7))) == 0
        assert len(run(rule, on=dt.date(2022, 12, 8))) == 4
        assert len(run(rule, on=dt.date(2024, 12, 31))) == 4
        assert len(run(rule, on=dt.date(2025, 1, 1))) == 0

    def test_kinds(self) -> None:
        """A rule for eggs only looks at egg lots."""
        report = run(make_rule(kinds={"shell_eggs"}))
        assert [f.lot for f in report] == ["WE261118"]

    def test_unknown_kind_in_a_rule(self) -> None:
        """A rule naming a product kind that does not exist is refused."""
        with pytest.raises(ValueError, match="unknown product kind"):
            make_rule(kinds={"eggs"})

    def test_profiles(self) -> None:
        """A rule for plants does not apply to a farmer."""
        assert len(run(make_rule(profiles={SellerProfile.LICENSED_PLANT}))) == 0

    def test_lots_filter(self) -> None:
        """Only the lots asked for are checked."""
        report = run(make_rule(), lots=["WE261118"])
        assert report.lots == ("WE261118",)
        assert [f.lot for f in report] == ["WE261118"]

    def test_unknown_lot(self) -> None:
        """Asking for a lot that does not exist is an error naming the lots there are."""
        with pytest.raises(NotInCatalogError, match="WJ261120A"):
            run(make_rule(), lots=["NOPE"])


class TestRobustness:
    def test_broken_rule_becomes_a_warning(self) -> None:
        """A rule that raises does not stop the check: it becomes a warning to check by hand."""

        def broken(_ctx: LotContext) -> Iterator[Issue]:
            raise ZeroDivisionError("oops")

        report = run(make_rule(check=broken))
        assert len(report.warnings) == 4
        assert "could not be checked: ZeroDivisionError: oops" in report.warnings[0].message

    def test_duplicate_codes_refused(self) -> None:
        """A pack cannot hold two rules with one code."""
        with pytest.raises(ValueError, match="appears twice"):
            RulePack(jurisdiction="XX", name="x", rules=[make_rule(), make_rule()])

    @settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
    @given(catalog=catalogs())
    def test_checking_any_catalogue_is_deterministic(self, catalog: Catalog) -> None:
        """Every built-in pack checks any valid catalogue without raising, the same way twice."""
        first = check(catalog, jurisdictions=["CN", "EU", "US"], on=ON)
        second = check(catalog, jurisdictions=["CN", "EU", "US"], on=ON)
        assert first == second
        assert not [f for f in first if "could not be checked" in f.message]


class TestReport:
    def test_order(self) -> None:
        """Findings come lot by lot, the most serious first."""
        rules = (
            make_rule(code="XX-A", status=SourceStatus.PARTIAL),
            make_rule(code="XX-B"),
        )
        report = run(*rules)
        assert [(f.lot, f.rule) for f in report][:2] == [
            ("WJ261120A", "XX-B"),
            ("WJ261120A", "XX-A"),
        ]

    def test_json_shape(self) -> None:
        """The JSON report has the documented shape."""
        data = json.loads(run(make_rule()).to_json())
        assert data["format"] == REPORT_FORMAT
        assert data["summary"] == {"ok": False, "blocking": 4, "warnings": 0, "info": 0}
        finding = data["findings"][0]
        assert set(finding) == {
            "rule",
            "title",
            "jurisdiction",
            "severity",
            "message",
            "remedy",
            "citation",
            "status",
            "lot",
            "product",
            "field",
        }
        assert finding["citation"] == {"instrument": "Test Act", "article": "Art. 1", "url": None}
        assert finding["field"] == "lots[0].id"

    def test_text_and_markdown(self) -> None:
        """Text and Markdown renderings group by lot and give remedy and source."""
        report = run(make_rule())
        text = report.to_text()
        assert text.startswith("the sale is blocked: 4 blocking")
        assert "lot WJ261120A: 1 finding(s)" in text
        assert "what to do: fix it" in text
        markdown = report.to_markdown()
        assert markdown.startswith("# Compliance report")
        assert "- **BLOCKING** `XX-TEST` [lots[0].id]" in markdown


class TestRegistry:
    def test_builtin_packs(self) -> None:
        """CN, EU and US are built in."""
        assert {"CN", "EU", "US"} <= set(available_rule_packs())
        assert rule_pack("cn") is rule_pack("CN")

    def test_unknown_pack_lists_installed(self) -> None:
        """An unknown jurisdiction names the packs there are."""
        with pytest.raises(ComplianceError, match="installed rule packs: CN, EU, US"):
            rule_pack("XX")

    def test_entry_point_pack(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A third-party pack registered under the entry-point group is found and used."""
        pack = RulePack(jurisdiction="TAOBAO", name="Taobao", rules=[make_rule()])

        @attrs.frozen
        class FakeEntryPoint:
            name: str
            value: str

            def load(self) -> Any:
                return lambda: pack

        monkeypatch.setattr(
            registry, "_entry_points", lambda: {"TAOBAO": FakeEntryPoint("taobao", "acme:PACK")}
        )
        rule_pack.cache_clear()
        try:
            assert available_rule_packs()["TAOBAO"] == "entry point acme:PACK"
            assert check(SAMPLE, jurisdictions=["taobao"], on=ON).jurisdictions == ("TAOBAO",)
        finally:
            rule_pack.cache_clear()

    def test_entry_point_that_fails(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A pack that cannot be loaded is a ComplianceError naming it."""

        @attrs.frozen
        class Broken:
            name: str = "bad"
            value: str = "acme:BAD"

            def load(self) -> Any:
                raise ImportError("no module named acme")

        monkeypatch.setattr(registry, "_entry_points", lambda: {"BAD": Broken()})
        rule_pack.cache_clear()
        try:
            with pytest.raises(ComplianceError, match="could not be loaded: no module named acme"):
                rule_pack("BAD")
        finally:
            rule_pack.cache_clear()


class TestProfiles:
    def test_profiles(self) -> None:
        """Producer kinds and licences map to the seller profiles rules use."""
        farmer = SAMPLE.producers[0]
        assert seller_profile(farmer, "CN") is SellerProfile.FARMER
        assert seller_profile(farmer, "EU") is SellerProfile.EU_PRIMARY_PRODUCER
        plant = attrs.evolve(farmer, kind=farmer.kind.PLANT)
        assert seller_profile(plant, "US") is SellerProfile.LICENSED_PLANT


@pytest.mark.parametrize("code", ["CN", "EU", "US"])
def test_every_built_in_rule_has_tests(code: str) -> None:
    """Each built-in rule is named in its pack's test file (a new rule needs its tests)."""
    tests = (Path(__file__).parent / f"test_pack_{code.lower()}.py").read_text(encoding="utf-8")
    missing = [rule.code for rule in rule_pack(code).rules if rule.code not in tests]
    assert missing == []
