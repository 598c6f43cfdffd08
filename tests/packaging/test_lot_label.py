"""The label content of a lot's package."""

from __future__ import annotations

import attrs
import pytest

from ruralseller.catalog import Mass, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.errors import InvalidValueError
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


def test_product_without_gtin() -> None:
    """A product without a GTIN cannot have a barcode label; the hint says to add one."""
    eggs = attrs.evolve(SAMPLE.products[1], gtin=None)
    catalog = attrs.evolve(SAMPLE, products=[SAMPLE.products[0], eggs, *SAMPLE.products[2:]])
    with pytest.raises(InvalidValueError, match="has no GTIN") as info:
        lot_label(catalog, "WE261118")
    assert info.value.field == "gtin"
