"""Translation catalogues: current with the code, compiled, found by locale, added by a file."""

from __future__ import annotations

import datetime as dt
import gettext
import io
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from ruralseller.catalog import load_catalog, measure_word
from ruralseller.catalog.samples import sample_path
from ruralseller.errors import InvalidValueError
from ruralseller.listing import generate_listing
from ruralseller.translations import (
    DOMAIN,
    LOCALE_FOLDER,
    catalogue_languages,
    format_message,
    message,
    translate,
    translations,
)

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ("en", "es", "pt_BR", "zh_CN")
# The keywords docs/howto/add-a-language.md gives `pybabel extract`.
KEYWORDS = {"message": ((1, "c"), 2), "plural_message": ((1, "c"), 2, 3), "_": None}
SAMPLE = load_catalog(sample_path())
ON = dt.date(2026, 11, 21)


def _po(language: str, folder: Path = LOCALE_FOLDER) -> Path:
    return folder / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _messages(catalog: object) -> dict[tuple[str | None, object], object]:
    return {(m.context, m.id): m.string for m in catalog if m.id}  # type: ignore[attr-defined]


class TestShippedCatalogues:
    def test_the_languages_shipped(self) -> None:
        assert catalogue_languages() == SHIPPED

    def test_catalogues_are_package_data(self) -> None:
        """Each catalogue and its compiled form sit inside the package (so in the wheel)."""
        root = resources.files("ruralseller") / "locale"
        for language in SHIPPED:
            folder = root / language / "LC_MESSAGES"
            assert {item.name for item in folder.iterdir()} >= {f"{DOMAIN}.po", f"{DOMAIN}.mo"}

    @pytest.mark.parametrize("language", SHIPPED)
    def test_compiled_catalogue_is_current(self, language: str) -> None:
        """The committed .mo says what its .po says: run `pybabel compile` after an edit."""
        po = _po(language)
        with po.open("rb") as file:
            catalog = read_po(file)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        fresh = gettext.GNUTranslations(buffer)
        with po.with_suffix(".mo").open("rb") as file:
            committed = gettext.GNUTranslations(file)
        assert committed._catalog == fresh._catalog, (  # type: ignore[attr-defined]
            f"{po.with_suffix('.mo')} is stale: pybabel compile -D {DOMAIN} -d {LOCALE_FOLDER}"
        )

    def test_template_has_every_message_of_the_code(self) -> None:
        """ruralseller.pot is what `pybabel extract` finds now: run it after adding words."""
        with (ROOT / "babel.cfg").open(encoding="utf-8") as file:
            method_map, options_map = parse_mapping_cfg(file)
        found = {
            (context, text)
            for _, _, text, _, context in extract_from_dir(
                ROOT, method_map, options_map, keywords=KEYWORDS
            )
        }
        with (LOCALE_FOLDER / f"{DOMAIN}.pot").open("rb") as file:
            template = set(_messages(read_po(file)))
        assert found == template

    @pytest.mark.parametrize("language", SHIPPED)
    def test_each_catalogue_has_every_message(self, language: str) -> None:
        """Each .po lists every message of the template: run `pybabel update` after extract."""
        with (LOCALE_FOLDER / f"{DOMAIN}.pot").open("rb") as file:
            template = set(_messages(read_po(file)))
        with _po(language).open("rb") as file:
            assert set(_messages(read_po(file))) == template

    def test_zh_es_pt_translate_every_word_they_use(self) -> None:
        """Every label, storage text and measure word has a translation (no English leaks)."""
        for language in ("zh_CN", "es", "pt_BR"):
            with _po(language).open("rb") as file:
                catalog = read_po(file)
            untranslated = {
                (m.context, m.id)
                for m in catalog
                if m.id and not m.string and m.context in {"attribute", "storage"}
            }
            assert untranslated == set(), language


class TestLookup:
    @pytest.mark.parametrize(
        ("locale", "expected"),
        [
            ("zh-CN", "净重"),
            ("zh", "净重"),
            ("zh-Hans-CN", "净重"),
            ("zh_CN", "净重"),
            ("es-MX", "Peso neto"),
            ("pt", "Peso líquido"),
            ("pt-PT", "Peso líquido"),
            ("en-GB", "Net weight"),
        ],
    )
    def test_a_locale_finds_its_language(self, locale: str, expected: str) -> None:
        assert translate(message("attribute", "Net weight"), locale) == expected

    def test_a_language_without_a_catalogue_is_named(self) -> None:
        with pytest.raises(InvalidValueError, match=r"no translations for 'ja'.*") as caught:
            translations("ja")
        assert "en, es, pt_BR, zh_CN" in caught.value.hint
        assert "add-a-language" in caught.value.hint

    def test_not_a_locale(self) -> None:
        with pytest.raises(InvalidValueError, match="'x!' is not a locale"):
            translations("x!")

    def test_a_listing_in_a_language_without_catalogue_says_how_to_add_one(self) -> None:
        with pytest.raises(InvalidValueError, match="not available in 'ja'") as caught:
            generate_listing(SAMPLE, "WJ261120A", locales=["ja"], on=ON)
        assert "add-a-language" in caught.value.hint

    def test_missing_translations_folder(self, tmp_path: Path) -> None:
        with pytest.raises(InvalidValueError, match=r"translations folder .*nowhere"):
            generate_listing(SAMPLE, "WJ261120A", on=ON, translations=tmp_path / "nowhere")


FRENCH = r"""
msgid ""
msgstr ""
"Language: fr\n"
"Content-Type: text/plain; charset=utf-8\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"

msgctxt "attribute"
msgid "Net weight"
msgstr "Poids net"

msgctxt "attribute"
msgid "Storage"
msgstr "Conservation"

msgctxt "storage"
msgid "chilled, 0-4 °C"
msgstr "réfrigéré, entre 0 et 4 °C"

msgctxt "measure word: poultry_meat"
msgid "bird"
msgstr "volaille"

msgctxt "net weight of one unit ({word}: its measure word)"
msgid "{weight} each"
msgstr "{weight} par {word}"

msgctxt "price of one unit or mass"
msgid "{price} per {unit}"
msgstr "{price} par {unit}"

msgid "Price: %(price)s"
msgstr "Prix : %(price)s"
"""


def _catalogue(language: str, context: str, english: str, translated: str) -> str:
    """A catalogue of one translation."""
    header = f'msgid ""\nmsgstr ""\n"Language: {language}\\n"\n\n'
    return header + f'msgctxt "{context}"\nmsgid "{english}"\nmsgstr "{translated}"\n'


def _drop(folder: Path, language: str, text: str) -> Path:
    po = _po(language, folder)
    po.parent.mkdir(parents=True)
    po.write_text(text, "utf-8")
    return po


class TestAddingALanguage:
    def test_a_po_file_adds_a_language(self, tmp_path: Path) -> None:
        """A partial French catalogue gives French words, English where it has none."""
        _drop(tmp_path, "fr", FRENCH)
        draft = generate_listing(
            SAMPLE, "WJ261120A", locales=["fr", "en"], on=ON, translations=tmp_path
        )
        french, english = draft.text("fr"), draft.text("en")
        assert french.attribute("net_weight").label == "Poids net"  # type: ignore[union-attr]
        assert french.attribute("net_weight").value == "1-1,4 kg par volaille"  # type: ignore[union-attr]
        assert french.attribute("storage").value == "réfrigéré, entre 0 et 4 °C"  # type: ignore[union-attr]
        # Not translated: the English message.
        assert french.attribute("breed").label == "Breed"  # type: ignore[union-attr]
        # The English templates' phrases are translated too.
        assert "Prix : " in french.description
        assert "Price: " in english.description
        assert draft.unit is not None
        assert draft.unit.measure_words["fr"] == "volaille"
        # Numbers and money follow the French locale.
        assert french.price_text.startswith("100,80")
        # English is unchanged by the French catalogue.
        assert english == generate_listing(SAMPLE, "WJ261120A", locales=["en"], on=ON).text("en")

    def test_a_regional_locale_uses_the_language(self, tmp_path: Path) -> None:
        _drop(tmp_path, "fr", FRENCH)
        assert measure_word("poultry_meat", "fr-CA", translations=tmp_path) == "volaille"

    def test_a_catalogue_of_ones_own_changes_a_shipped_word(self, tmp_path: Path) -> None:
        own = _catalogue("zh_CN", "attribute", "Net weight", "净含量")
        _drop(tmp_path, "zh_CN", own)
        draft = generate_listing(
            SAMPLE, "WJ261120A", locales=["zh-CN"], on=ON, translations=tmp_path
        )
        text = draft.text("zh-CN")
        assert text.attribute("net_weight").label == "净含量"  # type: ignore[union-attr]
        # Everything else comes from the shipped catalogue.
        assert text.attribute("storage").label == "储存"  # type: ignore[union-attr]

    def test_a_compiled_catalogue_is_used(self, tmp_path: Path) -> None:
        po = _drop(tmp_path, "fr", FRENCH)
        with po.open("rb") as file:
            catalog = read_po(file)
        with po.with_suffix(".mo").open("wb") as file:
            write_mo(file, catalog)
        po.unlink()
        assert measure_word("poultry_meat", "fr", translations=tmp_path) == "volaille"

    def test_a_broken_po_names_the_file(self, tmp_path: Path) -> None:
        po = _drop(tmp_path, "fr", FRENCH.replace('msgstr "Poids net"', "msgstr: Poids net"))
        line = FRENCH.splitlines().index('msgstr "Poids net"') + 1
        with pytest.raises(InvalidValueError) as caught:
            generate_listing(SAMPLE, "WJ261120A", locales=["fr"], on=ON, translations=tmp_path)
        assert str(po) in caught.value.message
        assert f"line {line}, cannot be read" in caught.value.message
        assert "'msgstr: Poids net'" in caught.value.message

    def test_a_broken_mo_names_the_file(self, tmp_path: Path) -> None:
        mo = _po("fr", tmp_path).with_suffix(".mo")
        mo.parent.mkdir(parents=True)
        mo.write_bytes(b"not a catalogue")
        with pytest.raises(InvalidValueError, match=r"compiled translation catalogue .*\.mo"):
            measure_word("poultry_meat", "fr", translations=tmp_path)

    def test_a_translation_with_a_field_of_its_own_is_refused(self, tmp_path: Path) -> None:
        bad = FRENCH.replace('"{weight} par {word}"', '"{weight} par {mot}"')
        _drop(tmp_path, "fr", bad)
        with pytest.raises(
            InvalidValueError, match=r"fr translation of '\{weight\} each'"
        ) as caught:
            generate_listing(SAMPLE, "WJ261120A", locales=["fr"], on=ON, translations=tmp_path)
        assert "{weight}" in caught.value.hint
        assert "{word}" in caught.value.hint

    @pytest.mark.parametrize("translated", ["{price.__class__}", "{price:>99999}", "{price"])
    def test_a_translation_may_only_place_values(self, tmp_path: Path, translated: str) -> None:
        text = message("price of one unit or mass", "{price} per {unit}")
        _drop(tmp_path, "fr", _catalogue("fr", text.context, text.text, translated))
        with pytest.raises(InvalidValueError, match="fr translation"):
            format_message(text, "fr", tmp_path, price="1 €", unit="kg")


def test_the_shipped_folder_is_untouched_by_tests() -> None:
    """No test above wrote into the package's own locale folder."""
    assert catalogue_languages() == SHIPPED
