"""Listing texts from translation catalogues are, word for word, the texts of before.

``snapshots/listing_texts.json`` holds what ruralseller wrote when these texts still lived
in Python dictionaries (generated once from that code, for every lot of the shipped
catalogues in every shipped language, with and without 斤, under each pricing policy, and
for every product name made from its facts). Moving the words into catalogues must change
none of them; a deliberate change of wording updates the snapshot in the same commit.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from tests.strategies import catalogs

from ruralseller.catalog import (
    Catalog,
    CertificationKind,
    Cut,
    Mass,
    MeatState,
    PieceMass,
    PricingPolicy,
    Species,
    StorageClass,
    WeightBand,
    default_measure_words,
    load_catalog,
)
from ruralseller.catalog.samples import sample_path
from ruralseller.listing import ListingDraft, generate_listing
from ruralseller.listing import generate as listing_generate
from ruralseller.translations import translate

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = json.loads(
    (Path(__file__).parent / "snapshots" / "listing_texts.json").read_text("utf-8")
)
LOCALES = ["zh-CN", "en", "es", "pt-BR", "es-MX"]
ON = dt.date(2026, 11, 21)
LANGUAGE_LOCALE = {"zh": "zh-CN", "en": "en", "es": "es", "pt": "pt-BR"}


def _texts(draft: ListingDraft) -> dict[str, Any]:
    return {
        locale: {
            "title": text.title,
            "description": text.description,
            "html": text.description_html,
            "bullets": list(text.bullets),
            "price_text": text.price_text,
            "attributes": [[a.key, a.label, a.value] for a in text.attributes],
            "unit": [draft.unit.measure_words[locale], draft.unit.descriptions[locale]],
        }
        for locale, text in draft.texts.items()
    } | {"certifications": list(draft.certifications)}


def _catalogs() -> dict[str, Catalog]:
    return {
        "sample": load_catalog(sample_path()),
        "smoked-meat": load_catalog(ROOT / "examples" / "smoked-meat"),
    }


def _drafts() -> list[tuple[str, Catalog, str, bool]]:
    return [
        (f"{name}/{offer.lot}/jin={jin}", catalog, offer.lot, jin)
        for name, catalog in _catalogs().items()
        for offer in catalog.offers
        for jin in (False, True)
    ]


@pytest.mark.parametrize(("key", "catalog", "lot", "jin"), _drafts(), ids=lambda v: str(v)[:40])
def test_every_lot_reads_as_before(key: str, catalog: Catalog, lot: str, jin: bool) -> None:
    draft = generate_listing(catalog, lot, locales=LOCALES, on=ON, jin=jin)
    assert _texts(draft) == SNAPSHOT[key]


def _variant(lot: Any, offer: Any) -> Catalog:
    sample = _catalogs()["sample"]
    return attrs.evolve(
        sample,
        lots=[lot if item.id == lot.id else item for item in sample.lots],
        offers=[offer if item.lot == offer.lot else item for item in sample.offers],
    )


def test_pricing_policies_read_as_before() -> None:
    sample = _catalogs()["sample"]
    lot, offer = sample.lot("WJ261123A"), sample.offer_for("WJ261123A")
    assert offer is not None
    nominal = PieceMass(
        min=Mass.parse("1.1 kg"), nominal=Mass.parse("1.3 kg"), max=Mass.parse("1.5 kg")
    )
    weighed = attrs.evolve(lot, quantity=attrs.evolve(lot.quantity, piece_mass=nominal))
    bands = [
        WeightBand(min=Mass.parse("1.1 kg"), max=Mass.parse("1.3 kg")),
        WeightBand(min=Mass.parse("1.3 kg"), max=Mass.parse("1.5 kg")),
    ]
    variants = {
        "nominal": _variant(weighed, attrs.evolve(offer, pricing=PricingPolicy.NOMINAL_WEIGHT)),
        "bands": _variant(
            lot, attrs.evolve(offer, pricing=PricingPolicy.WEIGHT_BANDS, bands=bands)
        ),
    }
    for key, catalog in variants.items():
        draft = generate_listing(catalog, "WJ261123A", locales=LOCALES, on=ON)
        assert _texts(draft) == SNAPSHOT[f"variant/{key}"], key


def test_names_made_from_facts_read_as_before() -> None:
    chicken = _catalogs()["sample"].products[0]
    names = {}
    for locale in ["es", "pt-BR"]:
        for species in Species:
            for cut in Cut:
                for state in MeatState:
                    for black_bone in (False, True):
                        product = attrs.evolve(
                            chicken,
                            species=species,
                            cut=cut,
                            state=state,
                            black_bone=black_bone,
                            names={},
                        )
                        key = (
                            f"{locale}/meat/{species.value}/{cut.value}/{state.value}/{black_bone}"
                        )
                        names[key] = listing_generate._name(product, locale)
    assert names == SNAPSHOT["names"]


def test_words_read_as_before() -> None:
    def words(table: dict[Any, Any], languages: tuple[str, ...]) -> dict[str, str]:
        return {
            f"{language}/{getattr(key, 'value', key)}": translate(text, LANGUAGE_LOCALE[language])
            for language in languages
            for key, text in table.items()
        }

    languages = ("zh", "en", "es", "pt")
    assert words(listing_generate._STORAGE, languages) == SNAPSHOT["storage"]
    assert words(listing_generate._CERTIFICATIONS, languages) == SNAPSHOT["certification"]
    assert words(listing_generate._LABELS, languages) == SNAPSHOT["labels"]
    assert set(listing_generate._STORAGE) == set(StorageClass)
    assert set(listing_generate._CERTIFICATIONS) == set(CertificationKind)


def test_measure_words_read_as_before() -> None:
    kinds = [
        "poultry_meat",
        "live_birds",
        "shell_eggs",
        "fresh_produce",
        "cured_meat",
        "packaged_food",
        "other",
    ]
    found = {
        f"{kind}/{whole}": dict(default_measure_words(kind, whole=whole))
        for kind in kinds
        for whole in (True, False)
    }
    assert found == SNAPSHOT["measure_words"]


def test_durations_read_as_before() -> None:
    found = {
        f"{language}/{hours}": listing_generate._duration(
            dt.timedelta(hours=hours), LANGUAGE_LOCALE[language]
        )
        for language in ("es", "pt")
        for hours in (1, 24, 36, 48, 120, 0.5, 1 / 60)
    }
    assert found == SNAPSHOT["durations"]


@settings(max_examples=20, deadline=None)
@given(catalog=catalogs())
def test_any_lot_is_labelled_in_its_own_language(catalog: Catalog) -> None:
    """No English label or storage text leaks into a Chinese, Spanish or Portuguese listing."""
    english = {text.text for text in listing_generate._LABELS.values()}
    english |= {text.text for text in listing_generate._STORAGE.values()}
    for offer in catalog.offers:
        draft = generate_listing(catalog, offer.lot, locales=["zh-CN", "es", "pt-BR"], on=ON)
        for locale in draft.locales:
            for attribute in draft.text(locale).attributes:
                assert attribute.label not in english, (locale, attribute)
                if attribute.key == "storage":
                    assert attribute.value not in english, (locale, attribute)
