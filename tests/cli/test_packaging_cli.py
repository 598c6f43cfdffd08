"""`ruralseller pack` and `ruralseller label`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import zxingcpp
from click.testing import CliRunner
from PIL import Image

from ruralseller.catalog.samples import sample_path
from ruralseller.cli._app import cli

SAMPLE = str(sample_path())


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


class TestPack:
    def test_text_plan(self, runner: CliRunner) -> None:
        """pack prints the box, coolant, liners, hold time, weights, cost and reasons."""
        result = runner.invoke(cli, ["pack", SAMPLE, "--lot", "WJ261120A", "--hours", "48"])
        assert result.exit_code == 0, result.output
        for word in ("box:", "coolant:", "inside:", "holds:", "weight:", "cost:", "chose"):
            assert word in result.output

    def test_json_plan(self, runner: CliRunner) -> None:
        """--format json gives the plan as data."""
        result = runner.invoke(
            cli,
            [
                "pack",
                SAMPLE,
                "--lot",
                "WJ261120A",
                "--hours",
                "24",
                "--ambient",
                "25 °C",
                "--format",
                "json",
            ],
        )
        data = json.loads(result.output)
        assert data["lot"] == "WJ261120A"
        assert data["hold_hours"] >= data["required_hold_hours"] == 30
        assert data["ambient"].startswith("constant 25 °C")
        assert any(not option["feasible"] for option in data["options"])

    def test_long_journey_extends_the_profile(self, runner: CliRunner) -> None:
        """A journey longer than the built-in 72 h profile still gets a plan (or a clear no)."""
        result = runner.invoke(cli, ["pack", SAMPLE, "--lot", "WJ261120A", "--hours", "70"])
        assert result.exit_code in {0, 1}
        assert "Traceback" not in result.output

    def test_impossible_journey_exits_1(self, runner: CliRunner) -> None:
        """When nothing can make it, exit 1 with the reason for every option."""
        result = runner.invoke(
            cli, ["pack", SAMPLE, "--lot", "WJ261120A", "--hours", "400", "--ambient", "40 °C"]
        )
        assert result.exit_code == 1
        assert "nothing in the packaging materials keeps" in result.output
        assert "would freeze chilled food" in result.output

    def test_bad_ambient_exits_2(self, runner: CliRunner) -> None:
        """A malformed temperature exits 2."""
        result = runner.invoke(
            cli, ["pack", SAMPLE, "--lot", "WJ261120A", "--hours", "4", "--ambient", "hot"]
        )
        assert result.exit_code == 2
        assert "hot" in result.output


class TestLabel:
    def test_png_label_scans(self, runner: CliRunner, tmp_path: Path) -> None:
        """label writes a PNG whose barcodes and QR code a scanner reads."""
        out = tmp_path / "label.png"
        result = runner.invoke(
            cli, ["label", SAMPLE, "--lot", "WJ261120A", "-o", str(out), "--weight", "1.3 kg"]
        )
        assert result.exit_code == 0, result.output
        assert "(01)99526000160017(10)WJ261120A" in result.output
        with Image.open(out) as image:
            found = zxingcpp.read_barcodes(image)
        texts = {code.text for code in found}
        assert (
            "https://id.gs1.org/01/99526000160017/10/WJ261120A?11=261120&17=261125&3101=000013&422=156"
            in texts
        )
        assert sum(1 for code in found if code.symbology_identifier == "]C1") == 2

    def test_pdf_label(self, runner: CliRunner, tmp_path: Path) -> None:
        """label writes a PDF too."""
        out = tmp_path / "label.pdf"
        result = runner.invoke(
            cli, ["label", SAMPLE, "--lot", "WE261118", "-o", str(out), "-j", "US", "--dpi", "300"]
        )
        assert result.exit_code == 0, result.output
        assert out.read_bytes().startswith(b"%PDF")

    def test_variable_weight_needs_weight(self, runner: CliRunner, tmp_path: Path) -> None:
        """A variable-weight lot without --weight exits 2 with the hint."""
        result = runner.invoke(
            cli, ["label", SAMPLE, "--lot", "WJ261120A", "-o", str(tmp_path / "x.png")]
        )
        assert result.exit_code == 2
        assert "--weight" in result.output

    def test_bad_suffix(self, runner: CliRunner, tmp_path: Path) -> None:
        """An output that is neither PNG nor PDF exits 2."""
        result = runner.invoke(
            cli, ["label", SAMPLE, "--lot", "WE261118", "-o", str(tmp_path / "label.gif")]
        )
        assert result.exit_code == 2
