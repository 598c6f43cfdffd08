"""The label content of a lot's package."""

from __future__ import annotations

import pytest

from ruralseller.catalog import Mass, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.errors import InvalidValueError
from ruralseller.packaging import LabelContent, render_label
from ruralseller.packaging.lot_label import lot_label

SAMPLE = load_catalog(sample_path())


def test_chicken_label_data() -> None:
    """The GS1 data carries the GTIN, lot, production and use-by dates, weight and origin."""
    content = lot_label(SAMPLE, "WJ261120A", net_weight=Mass.parse("1.3 kg"))
    assert content.gs1.expiry is not None
    assert content.gs1.best_before is None
    assert content.gs1.country_of_origin == "156"
    assert content.language == "zh-CN"
    assert content.particulars[0].key == "name"


def test_eggs_take_their_fixed_weight() -> None:
    """Eggs of a fixed nominal weight need no weighing; best-before goes in AI 15."""
    content = lot_label(SAMPLE, "WE261118", jurisdiction="EU")
    assert content.gs1.net_weight == Mass.parse("1.25 kg")
    assert content.gs1.best_before is not None
    assert content.title == "Taihe silkie eggs, box of 30"


def test_product_without_gtin_needs_a_story_page() -> None:
    """Without a GTIN and a story page there is nothing for the QR code; the hint says how
    to get a GS1 company prefix (in China, from the Article Numbering Center)."""
    with pytest.raises(InvalidValueError, match="has no GTIN") as info:
        lot_label(SAMPLE, "WP261115")
    assert info.value.field == "story_base"
    assert "中国物品编码中心" in info.value.hint
    assert "company prefix" in info.value.hint


def test_product_without_gtin_gets_a_label_without_barcodes() -> None:
    """Producer, product, lot, dates, weight, storage, and a QR code to the story page."""
    content = lot_label(SAMPLE, "WP261115", story_base="https://wu-farm.example/lots/")
    assert content.gs1 is None
    assert content.digital_link == "https://wu-farm.example/lots/WP261115"
    keys = {particular.key for particular in content.particulars}
    assert {
        "name",
        "net_quantity",
        "producer",
        "production_date",
        "date_mark",
        "storage",
        "lot",
    } <= keys
    text = " ".join(particular.text for particular in content.particulars)
    assert "WP261115" in text
    assert "2027-01-15" in text
    assert "5 kg" in text


def test_a_label_without_barcodes_is_drawn_and_its_qr_code_scans() -> None:
    zxingcpp = pytest.importorskip("zxingcpp")
    content = lot_label(SAMPLE, "WP261115", story_base="https://wu-farm.example/lots")
    image = render_label(content, dpi=203)
    found = zxingcpp.read_barcodes(image.convert("L"))
    assert [symbol.text for symbol in found] == ["https://wu-farm.example/lots/WP261115"]
    assert found[0].format == zxingcpp.BarcodeFormat.QRCode


def test_label_content_without_gs1_needs_a_story_url() -> None:
    with pytest.raises(InvalidValueError, match="story page"):
        LabelContent(particulars=[], gs1=None)
    with pytest.raises(InvalidValueError, match="http"):
        LabelContent(particulars=[], gs1=None, story_url="ftp://x")
