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


def test_a_catalogue_with_label_headings_makes_labels_in_its_language(tmp_path: Path) -> None:
    """Translate the headings in a .po of one's own and the label is in that language."""
    po = tmp_path / "fr" / "LC_MESSAGES" / "ruralseller.po"
    po.parent.mkdir(parents=True)
    entries = {
        ("label heading", "Product name"): "Dénomination",
        ("label heading", "Net weight"): "Poids net",
        ("label storage", "Keep refrigerated at 0-4 °C"): "À conserver entre 0 et 4 °C",
    }
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        + "".join(
            f'msgctxt "{context}"\nmsgid "{english}"\nmsgstr "{french}"\n\n'
            for (context, english), french in entries.items()
        ),
        "utf-8",
    )
    catalog = load_catalog(sample_path())
    label = {
        p.key: p
        for p in label_particulars(
            catalog,
            "WJ261120A",
            jurisdiction="EU",
            locale="fr",
            net_weight=Mass.parse("1.3 kg"),
            on=dt.date(2026, 11, 21),
            translations=tmp_path,
        )
    }
    assert label["name"].heading == "Dénomination"
    assert label["net_quantity"].heading == "Poids net"
    assert label["storage"].text == "À conserver entre 0 et 4 °C"
    assert label["lot"].heading == "Lot"  # not translated yet: the English heading
    assert label["reared_in"].text == "Chine"  # country names from CLDR, in French
    # Without the folder, French labels are still refused.
    with pytest.raises(InvalidValueError, match="labels are not available in 'fr'"):
        label_particulars(catalog, "WJ261120A", jurisdiction="EU", locale="fr")
