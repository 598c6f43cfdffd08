"""`ruralseller plan`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from PIL import Image

from ruralseller.catalog.samples import sample_path
from ruralseller.cli._app import cli

SAMPLE = str(sample_path())
SHIP = "2026-11-21T08:00+08:00"


def test_table_and_reasons() -> None:
    """plan prints a table, the best way to each reachable city, and why not for the rest."""
    result = CliRunner().invoke(
        cli,
        [
            "plan",
            SAMPLE,
            "--lot",
            "WJ261120A",
            "--to",
            "广州",
            "--to",
            "乌鲁木齐",
            "--ship-at",
            SHIP,
        ],
    )
    assert result.exit_code == 0, result.output
    assert "1 of 2 destination(s) reachable" in result.output
    assert "✓ 广州市" in result.output
    assert "Why not:" in result.output
    assert "乌鲁木齐市 by sf-cold-standard-chilled" in result.output
    assert "example data" in result.output


def test_json() -> None:
    """--format json prints the plan as data."""
    result = CliRunner().invoke(
        cli,
        [
            "plan",
            SAMPLE,
            "--lot",
            "WJ261120A",
            "--to",
            "Guangzhou",
            "--ship-at",
            SHIP,
            "--format",
            "json",
        ],
    )
    data = json.loads(result.output)
    assert data["destinations"][0]["destination"] == "广州市"
    assert data["destinations"][0]["feasible"] is True


def test_nothing_reachable_exits_1() -> None:
    """When no destination can be reached the command exits 1."""
    result = CliRunner().invoke(
        cli, ["plan", SAMPLE, "--lot", "WJ261120A", "--to", "乌鲁木齐", "--ship-at", SHIP]
    )
    assert result.exit_code == 1


def test_plot(tmp_path: Path) -> None:
    """--plot draws the temperatures to a PNG."""
    out = tmp_path / "temps.png"
    result = CliRunner().invoke(
        cli,
        [
            "plan",
            SAMPLE,
            "--lot",
            "WJ261120A",
            "--to",
            "广州",
            "--ship-at",
            SHIP,
            "--plot",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    with Image.open(out) as image:
        assert image.size[0] > 600


def test_bad_input_exits_2() -> None:
    """An unknown city, or a malformed time, exits 2 with a message."""
    runner = CliRunner()
    unknown = runner.invoke(
        cli, ["plan", SAMPLE, "--lot", "WJ261120A", "--to", "Atlantis", "--ship-at", SHIP]
    )
    assert unknown.exit_code == 2
    assert "Atlantis" in unknown.output
    bad_time = runner.invoke(
        cli, ["plan", SAMPLE, "--lot", "WJ261120A", "--to", "广州", "--ship-at", "soon"]
    )
    assert bad_time.exit_code == 2
    assert "2026-07-20T14:00+08:00" in bad_time.output
