"""The issue's checks through the command line: check, plan, status, render with --on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ruralseller.catalog import Mass
from ruralseller.catalog.samples import sample_path
from ruralseller.cli._app import cli

SAMPLE = str(sample_path())


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def blocked_for_date(day: str) -> dict[str, set[str]]:
    code, output = run("check", SAMPLE, "--on", day, "--format", "json")
    assert code in {0, 1}, output
    found: dict[str, set[str]] = {}
    for finding in json.loads(output)["findings"]:
        if finding["severity"] == "blocking" and finding["rule"].startswith("FRESH-"):
            found.setdefault(finding["lot"], set()).add(finding["rule"])
    return found


def test_check_on_7_december_blocks_both_chicken_lots() -> None:
    code, output = run("check", SAMPLE, "--on", "2026-12-07")
    assert code == 1
    assert "use-by date 2026-11-25 has passed" in output
    assert "use-by date 2026-11-28 has passed" in output
    assert set(blocked_for_date("2026-12-07")) == {"WJ261120A", "WJ261123A"}


def test_check_on_26_november_blocks_only_the_older_lot() -> None:
    assert set(blocked_for_date("2026-11-26")) == {"WJ261120A"}


def test_plan_never_calls_a_destination_feasible_that_arrives_after_the_date() -> None:
    code, output = run(
        "plan", SAMPLE, "--lot", "WJ261123A", "--to", "广州", "--to", "上海", "--to", "北京",
        "--on", "2026-11-26", "--format", "json",
    )  # fmt: skip
    data = json.loads(output)
    assert code == 1  # nothing reachable in time
    for destination in data["destinations"]:
        assert destination["feasible"] is False
        for option in destination["options"]:
            if option["slow"] is not None:
                assert any("after the lot's use-by date 2026-11-28" in r for r in option["reasons"])


def test_plan_with_on_uses_that_day() -> None:
    code, output = run(
        "plan", SAMPLE, "--lot", "WJ261123A", "--to", "广州", "--on", "2026-11-23",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, output
    assert json.loads(output)["ship_at"].startswith("2026-11-23T14:00")


def test_status_text_and_json() -> None:
    code, output = run("status", SAMPLE, "--on", "2026-12-07")
    assert code == 1
    assert "stop selling" in output
    assert "WE261118" in output
    code, output = run("status", SAMPLE, "--on", "2026-11-23", "--format", "json")
    assert code == 0
    rows = {row["lot"]: row for row in json.loads(output)["lots"]}
    assert rows["WJ261123A"]["days_left"] == 5
    assert rows["WJ261123A"]["sell_by"] == "2026-11-27"
    assert rows["WE261118"]["stock"] == 20
    assert rows["WP261115"]["date_kind"] == "best_before"


def test_status_on_a_bad_catalogue_says_why(tmp_path: Path) -> None:
    (tmp_path / "catalog.toml").write_text("format = 1\n[[lots]]\nid = 3\n", "utf-8")
    code, output = run("status", str(tmp_path))
    assert code == 2
    assert "Traceback" not in output


@pytest.mark.parametrize(
    ("lot", "price", "word", "per"),
    [
        ("WJ261123A", "¥108.00/只", "只", "¥36.00/斤"),
        ("WE261118", "¥68.00/盒", "盒", "¥27.20/斤"),
        ("WP261115", "¥25.00/袋", "袋", "¥2.50/斤"),
    ],
)
def test_on_23_november_units_prices_and_weights(
    tmp_path: Path, lot: str, price: str, word: str, per: str
) -> None:
    """The bird at its upper weight (多退少补, stated), eggs by the 盒, potatoes by the 袋."""
    code, output = run("render", SAMPLE, "--lot", lot, "-o", str(tmp_path), "--on", "2026-11-23")
    assert code == 0, output
    data = json.loads((tmp_path / "draft.json").read_text("utf-8"))
    zh = data["texts"]["zh-CN"]["price_text"]
    assert zh.startswith(f"{price} (")
    assert per in zh
    assert data["unit"]["measure_words"]["zh-CN"] == word
    assert Mass.parse(data["shipping_weight"]) >= Mass.parse(data["unit"]["goods_max"])
    if lot == "WJ261123A":
        assert "多退少补" in zh
        assert Mass.parse(data["shipping_weight"]) >= Mass.parse("1.1 kg")
        assert data["unit"]["pricing"] == "upper_weight"


def test_label_without_a_gtin(tmp_path: Path) -> None:
    """The potatoes have no GTIN: a label without barcodes, and how to get a prefix."""
    out = tmp_path / "potatoes.png"
    code, output = run("label", SAMPLE, "--lot", "WP261115", "-o", str(out))
    assert code == 2
    assert "--story-base" in output
    assert "中国物品编码中心" in output
    code, output = run(
        "label", SAMPLE, "--lot", "WP261115", "-o", str(out),
        "--story-base", "https://wu-farm.example/lots", "--on", "2026-11-23",
    )  # fmt: skip
    assert code == 0, output
    assert out.is_file()
    assert "barcode: none (the product has no GTIN)" in output
    assert "QR:      https://wu-farm.example/lots/WP261115" in output
    assert "Article Numbering Center of China" in output


def test_a_longer_delivery_brings_the_cut_off_forward() -> None:
    """Three days to the farthest buyer: on the 26th the birds of the 23rd are past it."""
    code, output = run(
        "check", SAMPLE, "--on", "2026-11-26", "--delivery", "3 d", "--format", "json"
    )
    found = {
        (f["lot"], f["rule"]) for f in json.loads(output)["findings"] if f["severity"] == "blocking"
    }
    assert ("WJ261123A", "FRESH-SELL-BY") in found
    code, output = run(
        "status", SAMPLE, "--on", "2026-11-26", "--delivery", "72 h", "--format", "json"
    )
    rows = {row["lot"]: row for row in json.loads(output)["lots"]}
    assert rows["WJ261123A"]["sell_by"] == "2026-11-25"
    assert rows["WJ261123A"]["sellable"] is False
    code, output = run("status", SAMPLE, "--delivery", "soon")
    assert code == 2
    assert "cannot read 'soon' as a duration" in output


def test_pack_and_trace_take_the_day() -> None:
    """pack --on packs for that day's season; trace --on hands the parcel in that day."""
    code, output = run(
        "pack", SAMPLE, "--lot", "WJ261123A", "--hours", "30", "--on", "2026-12-20",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, output
    assert "winter" in json.loads(output)["ambient"]
    code, output = run("trace", SAMPLE, "--lot", "WJ261123A", "--to", "广州", "--on", "2026-11-23")
    assert code == 0, output
    assert "2026-11-23T14:00:00+08:00" in output


def test_check_for_one_marketplace_uses_its_minimum(tmp_path: Path) -> None:
    """An offer asking three days of life on Taobao is blocked there first."""
    farm = tmp_path / "farm"
    assert run("init", str(farm))[0] == 0
    toml = farm / "catalog.toml"
    text = toml.read_text("utf-8").replace(
        "available_from = 2026-11-23\n",
        "available_from = 2026-11-23\nmin_remaining_life_on = { taobao = { days = 3 } }\n",
    )
    toml.write_text(text, "utf-8")
    args = ("check", str(farm), "--lot", "WJ261123A", "--on", "2026-11-25")
    assert run(*args)[0] == 0
    code, output = run(*args, "--marketplace", "taobao")
    assert code == 1
    assert "with 3 day(s) left" in output


def test_rules_lists_the_date_rules_of_every_pack() -> None:
    code, output = run("rules", "-j", "US", "--format", "json")
    assert code == 0
    codes = {rule["code"] for rule in json.loads(output)}
    assert {"FRESH-PAST-DATE", "FRESH-SELL-BY"} <= codes
