"""`ruralseller plan --to`: any city, county, code or address; the whole country (issue 26)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ruralseller.catalog.samples import sample_path
from ruralseller.cli._app import cli
from ruralseller.coldchain import all_counties

SAMPLE = str(sample_path())
SHIP = "2026-11-23T08:00+08:00"


def plan(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["plan", SAMPLE, "--lot", "WJ261123A", "--ship-at", SHIP, *args]
    )
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "to", ["黄山", "六盘水", "丽江", "延边", "阿勒泰", "安徽省黄山市屯溪区黄山西路8号", "341021"]
)
def test_any_place_gets_a_verdict(to: str) -> None:
    """The issue's places: a verdict with a reason, never "unknown city"."""
    code, output = plan("--to", to)
    assert code in {0, 1}, output
    assert "unknown city" not in output
    assert "destination(s) reachable" in output
    assert "✓" in output or "Why not:" in output


def test_an_ambiguous_name_lists_the_candidates_and_the_cli_form() -> None:
    code, output = plan("--to", "朝阳区")
    assert code == 2
    assert "北京市 朝阳区 (110105)" in output
    assert "吉林省 长春市 朝阳区 (220104)" in output
    assert "--to" in output
    assert "Place(" not in output
    assert "Traceback" not in output


def test_a_misspelling_gets_did_you_mean() -> None:
    code, output = plan("--to", "六盘山")
    assert code == 2
    assert "did you mean" in output
    assert "六盘水市" in output


def test_outside_the_mainland_is_said_plainly() -> None:
    code, output = plan("--to", "香港")
    assert code == 2
    assert "outside mainland China" in output


def test_every_prefecture_as_json() -> None:
    code, output = plan("--to", "all-prefectures", "--format", "json")
    assert code == 0, output
    data = json.loads(output)
    assert data["destinations"] == 337
    assert len(data["provinces"]) == 31
    jiangxi = next(row for row in data["provinces"] if row["province"] == "江西省")
    assert jiangxi["reachable"] == jiangxi["destinations"] == 11
    assert jiangxi["cheapest"].endswith("CNY")


def test_every_county_as_a_table() -> None:
    code, output = plan("--to", "all-counties")
    assert code == 0, output
    assert f"of {len(all_counties())} destination(s) reachable" in output
    for province in ("江西", "西藏", "新疆", "黑龙江"):
        assert province in output
    assert "example data" in output
