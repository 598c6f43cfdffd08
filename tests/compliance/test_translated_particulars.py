"""Label headings from translation catalogues are, word for word, the headings of before.

``snapshots/label_particulars.json`` holds what :func:`label_particulars` gave when the
headings and storage texts still lived in Python dictionaries (generated once from that
code): every lot of the shipped catalogues, for China in Chinese and English and for the EU
and the US in English, before and after GB 7718-2025 comes into force.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ruralseller.catalog import Catalog, Mass, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.compliance.particulars import label_particulars
from ruralseller.errors import InvalidValueError

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = json.loads(
    (Path(__file__).parent / "snapshots" / "label_particulars.json").read_text("utf-8")
)


def _cases() -> list[tuple[str, Catalog, str, str, str, dt.date]]:
    catalogs = {
        "sample": load_catalog(sample_path()),
        "smoked-meat": load_catalog(ROOT / "examples" / "smoked-meat"),
    }
    return [
        (f"{name}/{lot.id}/{code}/{locale}/{on}", catalog, lot.id, code, locale, on)
        for name, catalog in catalogs.items()
        for lot in catalog.lots
        for code, locales in (("CN", ["zh-CN", "en"]), ("EU", ["en"]), ("US", ["en"]))
        for locale in locales
        for on in (dt.date(2026, 11, 21), dt.date(2027, 4, 1))
    ]


@pytest.mark.parametrize(
    ("key", "catalog", "lot", "code", "locale", "on"), _cases(), ids=lambda v: str(v)[:40]
)
def test_labels_read_as_before(  # noqa: PLR0917 - one case of the snapshot
    key: str, catalog: Catalog, lot: str, code: str, locale: str, on: dt.date
) -> None:
    found = label_particulars(
        catalog, lot, jurisdiction=code, locale=locale, net_weight=Mass.parse("1.234 kg"), on=on
    )
    assert [[p.key, p.heading, p.text] for p in found] == SNAPSHOT[key]


def test_a_language_whose_catalogue_has_no_headings_is_refused() -> None:
    """Spanish has listing words but no label headings: no half-English label."""
    with pytest.raises(InvalidValueError, match="labels are not available in 'es'") as caught:
        label_particulars(
            load_catalog(sample_path()), "WJ261120A", locale="es", net_weight=Mass.parse("1 kg")
        )
    assert "add-a-language" in caught.value.hint
