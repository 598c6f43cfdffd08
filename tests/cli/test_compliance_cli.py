"""`ruralseller rules` and `ruralseller check`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ruralseller.catalog import CATALOG_FILE
from ruralseller.catalog.samples import sample_path
from ruralseller.cli._app import cli
from ruralseller.compliance import REPORT_FORMAT


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def farm(tmp_path: Path) -> Path:
    folder = tmp_path / "farm"
    shutil.copytree(sample_path(), folder)
    return folder


def edit(folder: Path, old: str, new: str) -> None:
    file = folder / CATALOG_FILE
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


class TestRules:
    def test_text_table(self, runner: CliRunner) -> None:
        """rules prints each pack's rules with code, severity, source and status."""
        result = runner.invoke(cli, ["rules", "-j", "CN"], terminal_width=200)
        assert result.exit_code == 0
        assert "CN: China (mainland)" in result.output
        assert "CN-SLAUGHTER-QUARANTINE-CERT" in result.output
        assert "动物检疫管理办法" in result.output

    def test_json(self, runner: CliRunner) -> None:
        """rules --format json lists every rule with its metadata."""
        result = runner.invoke(cli, ["rules", "--jurisdiction", "CN", "--format", "json"])
        rules = json.loads(result.output)
        codes = {rule["code"]: rule for rule in rules}
        quarantine = codes["CN-SLAUGHTER-QUARANTINE-CERT"]
        assert quarantine["severity"] == "blocking"
        assert quarantine["status"] == "V"
        assert quarantine["kinds"] == ["poultry_meat"]
        assert quarantine["effective_from"] == "2022-12-01"
        assert codes["CN-SLAUGHTER-QUARANTINE-CERT-2010"]["superseded_on"] == "2022-12-01"
        assert codes["CN-SLAUGHTER-LICENSED-PLANT"]["severity"] == "warning"

    def test_changes_list_gb_7718_2025(self, runner: CliRunner) -> None:
        """rules --changes 2026-12-01 2027-12-31 lists GB 7718-2025 entering on 2027-03-16."""
        result = runner.invoke(
            cli, ["rules", "--changes", "2026-12-01", "2027-12-31"], terminal_width=200
        )
        assert result.exit_code == 0, result.output
        assert "2027-03-16  enters CN-LABEL-PREPACKAGED-2025" in result.output
        assert "GB 7718-2025" in result.output
        assert "2027-03-16  leaves CN-LABEL-PREPACKAGED-2011" in result.output
        assert "CN-SLAUGHTER-QUARANTINE-CERT" not in result.output  # no change in that period

    def test_changes_json(self, runner: CliRunner) -> None:
        """--format json gives the period and each change with its rule's source."""
        result = runner.invoke(
            cli, ["rules", "--changes", "2022-01-01", "2022-12-31", "--format", "json"]
        )
        data = json.loads(result.output)
        assert (data["from"], data["to"]) == ("2022-01-01", "2022-12-31")
        pairs = {(c["rule"], c["change"], c["on"]) for c in data["changes"]}
        assert ("CN-SLAUGHTER-QUARANTINE-CERT", "enters", "2022-12-01") in pairs
        assert ("CN-SLAUGHTER-QUARANTINE-CERT-2010", "leaves", "2022-12-01") in pairs
        assert ("EU-EGGS-SALE-28-DAYS", "enters", "2022-12-08") in pairs
        first = data["changes"][0]
        assert set(first) >= {"rule", "title", "jurisdiction", "status", "citation", "kinds"}

    def test_changes_for_a_catalogues_products(self, runner: CliRunner) -> None:
        """--catalog keeps only rules for the catalogue's kinds: chickens and eggs, no larou."""
        result = runner.invoke(
            cli,
            ["rules", "--changes", "2026-12-01", "2027-12-31", "--catalog", str(sample_path())],
        )
        assert result.exit_code == 0, result.output
        assert "No rule enters or leaves force" in result.output

    def test_changes_backwards_is_an_error(self, runner: CliRunner) -> None:
        """A period that ends before it starts exits 2 with a hint."""
        result = runner.invoke(cli, ["rules", "--changes", "2027-12-31", "2026-12-01"])
        assert result.exit_code == 2
        assert "before it starts" in result.output

    def test_unknown_jurisdiction(self, runner: CliRunner) -> None:
        """An unknown jurisdiction exits 2 and names the installed packs."""
        result = runner.invoke(cli, ["rules", "-j", "XX"])
        assert result.exit_code == 2
        assert "installed rule packs" in result.output


class TestCheck:
    def test_sample_passes(self, runner: CliRunner) -> None:
        """The sample passes CN checks: exit 0."""
        result = runner.invoke(cli, ["check", str(sample_path()), "--on", "2026-11-21"])
        assert result.exit_code == 0, result.output
        assert "nothing blocks the sale" in result.output
        assert "lot WE261118: no findings" in result.output

    def test_blocking_exits_1(self, runner: CliRunner, farm: Path) -> None:
        """A banned word in the title blocks: exit 1 with the rule, citation and remedy."""
        edit(farm, 'name = "泰和乌鸡 整只 冰鲜"', 'name = "最佳泰和乌鸡 整只 冰鲜"')
        result = runner.invoke(cli, ["check", str(farm), "--on", "2026-11-21"], terminal_width=200)
        assert result.exit_code == 1
        assert "the sale is blocked" in result.output
        assert "CN-AD-ABSOLUTE-TERMS" in result.output
        assert "广告法 (2015) Art. 9(3)" in result.output
        assert "what to do:" in result.output

    def test_title_option(self, runner: CliRunner) -> None:
        """--title checks a listing title too."""
        result = runner.invoke(
            cli, ["check", str(sample_path()), "--on", "2026-11-21", "--title", "国家级乌鸡"]
        )
        assert result.exit_code == 1
        assert "listing.title" in result.output

    def test_json(self, runner: CliRunner, farm: Path) -> None:
        """--format json prints the documented report."""
        edit(farm, 'quarantine_certificate = "3608261120000123"\n', "")
        result = runner.invoke(
            cli,
            ["check", str(farm), "--on", "2026-11-21", "--lot", "WJ261120A", "--format", "json"],
        )
        assert result.exit_code == 1
        data = json.loads(result.output)
        assert data["format"] == REPORT_FORMAT
        assert data["lots"] == ["WJ261120A"]
        blocking = [f for f in data["findings"] if f["severity"] == "blocking"]
        # sold without it, and no carrier may take it (动物防疫法 Art. 49 and 52)
        assert [f["rule"] for f in blocking] == [
            "CN-CARRIER-QUARANTINE-CERT",
            "CN-SLAUGHTER-QUARANTINE-CERT",
        ]
        assert {f["field"] for f in blocking} == {"lots[0].slaughter.quarantine_certificate"}

    def test_markdown(self, runner: CliRunner) -> None:
        """--format markdown prints a Markdown report."""
        result = runner.invoke(
            cli, ["check", str(sample_path()), "--on", "2026-11-21", "--format", "markdown"]
        )
        assert result.output.startswith("# Compliance report: nothing blocks the sale")

    def test_bad_catalogue_exits_2(self, runner: CliRunner, farm: Path) -> None:
        """An invalid catalogue exits 2 with its problems."""
        edit(farm, 'kind = "farmer"', 'kind = "famer"')
        result = runner.invoke(cli, ["check", str(farm)])
        assert result.exit_code == 2
        assert "producers[0].kind" in result.output

    def test_unknown_lot_exits_2(self, runner: CliRunner) -> None:
        """An unknown --lot exits 2 naming the lots there are."""
        result = runner.invoke(cli, ["check", str(sample_path()), "--lot", "NOPE"])
        assert result.exit_code == 2
        assert "WJ261120A" in result.output

    def test_bad_date_exits_2(self, runner: CliRunner) -> None:
        """A malformed --on date is a usage error (exit 2)."""
        result = runner.invoke(cli, ["check", str(sample_path()), "--on", "21/11/2026"])
        assert result.exit_code == 2

    def test_bad_destination_exits_2(self, runner: CliRunner) -> None:
        """An unknown destination country exits 2 with the hint."""
        result = runner.invoke(cli, ["check", str(sample_path()), "--to", "XX"])
        assert result.exit_code == 2
        assert "unknown country 'XX'" in result.output

    def test_bad_dry_ice_exits_2(self, runner: CliRunner) -> None:
        """A malformed --dry-ice mass exits 2."""
        result = runner.invoke(cli, ["check", str(sample_path()), "--dry-ice", "two kilos"])
        assert result.exit_code == 2
        assert "two kilos" in result.output
