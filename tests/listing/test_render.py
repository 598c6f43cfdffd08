"""Rendering a lot's listing for each marketplace: the done-when of the listing stage."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from ruralseller.catalog import Mass, Money, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.cli._app import cli
from ruralseller.listing import PROFILES, get_profile, render_listing

SAMPLE = load_catalog(sample_path())
ON = dt.date(2026, 11, 21)
SUPPORTED = sorted(PROFILES)


def price_for(name: str) -> Money | None:
    currencies = PROFILES[name].currencies
    if not currencies or "CNY" in currencies:
        return None
    return Money("9.80", min(currencies))


@pytest.mark.parametrize("lot", ["WJ261120A", "WE261118"])
@pytest.mark.parametrize("name", SUPPORTED)
def test_sample_lots_are_valid_everywhere(name: str, lot: str, tmp_path: Path) -> None:
    """Both sample lots render valid drafts for every built-in profile, in its locales."""
    result = render_listing(
        SAMPLE, lot, tmp_path / name, marketplace=name, price=price_for(name), on=ON
    )
    assert result.valid, result.issues
    spec = get_profile(name).images
    for image in result.images:
        assert image.byte_count <= (spec.max_bytes or image.byte_count)


def test_folder_contents(tmp_path: Path) -> None:
    """The folder holds the preview, the processed pictures and the draft JSON."""
    result = render_listing(SAMPLE, "WJ261120A", tmp_path / "out", on=ON)
    pictures = sorted((result.folder / "images").iterdir())
    assert len(pictures) == 3
    with Image.open(pictures[0]) as picture:
        assert not picture.getexif()
    data = json.loads((result.folder / "draft.json").read_text(encoding="utf-8"))
    assert data["sku"] == "WJ261120A"
    assert data["marketplace"] == "sandbox"
    assert data["texts"]["zh-CN"]["title"] == "泰和乌鸡 整只 冰鲜 1-1.4 kg/只"
    page = (result.folder / "preview.html").read_text(encoding="utf-8")
    assert page.count("data:image/jpeg;base64,") == 3


def test_rerender_replaces(tmp_path: Path) -> None:
    """Rendering again replaces the earlier output, leaving no staging folders."""
    render_listing(SAMPLE, "WJ261120A", tmp_path / "out", on=ON)
    render_listing(SAMPLE, "WE261118", tmp_path / "out", on=ON)
    data = json.loads((tmp_path / "out" / "draft.json").read_text(encoding="utf-8"))
    assert data["sku"] == "WE261118"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


class TestCli:
    def test_valid(self, tmp_path: Path) -> None:
        """render exits 0 for a listing that meets the marketplace's rules."""
        result = CliRunner().invoke(
            cli,
            [
                "render",
                str(sample_path()),
                "--lot",
                "WJ261120A",
                "-o",
                str(tmp_path / "o"),
                "--on",
                "2026-11-21",
            ],
        )
        assert result.exit_code == 0, result.output
        assert "it meets the marketplace's rules" in result.output

    def test_wrong_currency_exits_1_with_fix(self, tmp_path: Path) -> None:
        """A CNY price on eBay exits 1 naming the currencies eBay takes, with a fix."""
        result = CliRunner().invoke(
            cli,
            [
                "render",
                str(sample_path()),
                "--lot",
                "WJ261120A",
                "--marketplace",
                "ebay",
                "-o",
                str(tmp_path / "o"),
            ],
        )
        assert result.exit_code == 1
        assert "fix:" in result.output
        assert "USD" in result.output

    def test_price_option(self, tmp_path: Path) -> None:
        """--price gives the marketplace price."""
        result = CliRunner().invoke(
            cli,
            [
                "render",
                str(sample_path()),
                "--lot",
                "WJ261120A",
                "--marketplace",
                "ebay",
                "--price",
                "9.80 USD",
                "-o",
                str(tmp_path / "o"),
                "--on",
                "2026-11-21",
            ],
        )
        # Chilled poultry from China may not go to buyers in the US: the food policy blocks.
        assert result.exit_code == 1, result.output
        assert "US-IMPORT-POULTRY-CN" in result.output
        # 9.80 USD buys what the offer's price buys (a jin); one bird costs its upper weight.
        data = json.loads((tmp_path / "o" / "draft.json").read_text("utf-8"))
        assert data["unit_price"] == "27.44 USD" == data["price"]

    @pytest.mark.parametrize(
        ("lot", "unit_price", "zh", "en"),
        [
            ("WJ261123A", "108.00 CNY", "只", "bird"),
            ("WE261118", "68.00 CNY", "盒", "box"),
            ("WP261115", "25.00 CNY", "袋", "bag"),
        ],
    )
    def test_draft_json_says_what_one_unit_is(
        self, tmp_path: Path, lot: str, unit_price: str, zh: str, en: str
    ) -> None:
        """draft.json carries the unit (measure words), its price and its packed weight."""
        out = tmp_path / "o"
        args = ["render", str(sample_path()), "--lot", lot, "-o", str(out), "--on", "2026-11-23"]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        data = json.loads((out / "draft.json").read_text("utf-8"))
        assert data["unit_price"] == unit_price == data["price"]
        assert data["unit"]["measure_words"] == {"zh-CN": zh, "en": en}
        goods = Mass.parse(data["unit"]["goods_max"])
        assert Mass.parse(data["shipping_weight"]) >= goods
        assert f"/{zh}" in data["texts"]["zh-CN"]["price_text"]

    def test_long_title_is_rejected_with_a_shorter_one(self, tmp_path: Path) -> None:
        """A title over the marketplace's limit is rejected; the fix proposes a shorter title."""
        templates = tmp_path / "t" / "en"
        templates.mkdir(parents=True)
        (templates / "title.txt.j2").write_text("{{ product.name }} " * 4, encoding="utf-8")
        result = CliRunner().invoke(
            cli,
            [
                "render",
                str(sample_path()),
                "--lot",
                "WJ261120A",
                "--marketplace",
                "ebay",
                "--price",
                "9.80 USD",
                "--templates",
                str(tmp_path / "t"),
                "-o",
                str(tmp_path / "o"),
            ],
        )
        assert result.exit_code == 1
        assert "texts[en].title" in result.output
        assert "at most 80" in result.output

    def test_unknown_lot_exits_2(self, tmp_path: Path) -> None:
        """An unknown lot exits 2."""
        result = CliRunner().invoke(
            cli, ["render", str(sample_path()), "--lot", "NOPE", "-o", str(tmp_path / "o")]
        )
        assert result.exit_code == 2
