"""Spanish (es) and Brazilian Portuguese (pt-BR) listing text, for Mercado Libre."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import catalogs

from ruralseller.catalog import (
    Catalog,
    Cut,
    MeatState,
    Money,
    Place,
    SaleUnit,
    Species,
    load_catalog,
)
from ruralseller.catalog.samples import sample_path
from ruralseller.errors import InvalidValueError
from ruralseller.listing import (
    TEMPLATE_NAMES,
    generate_listing,
    get_profile,
    render_listing,
    render_preview,
    validate_draft,
)

SAMPLE = load_catalog(sample_path())
CHICKEN, EGGS = "WJ261123A", "WE261118"
ON = dt.date(2026, 11, 23)
NBSP = "\xa0"  # babel (CLDR) puts a no-break space between the amount and the currency


def with_chicken(**changes: Any) -> Catalog:
    chicken = attrs.evolve(SAMPLE.products[0], **changes)
    return attrs.evolve(SAMPLE, products=[chicken, *SAMPLE.products[1:]])


class TestChicken:
    def test_titles(self) -> None:
        """The titles name the bird, the cut and the state by the facts, and the weight."""
        draft = generate_listing(SAMPLE, CHICKEN, locales=["es", "pt-BR"], on=ON)
        assert draft.locales == ("es", "pt-BR")
        # The origin is added only while the title stays within Mercado Libre's 60.
        assert draft.text("es").title == "Pollo de huesos negros entero refrigerado 1,1-1,5 kg"
        assert (
            draft.text("pt-BR").title
            == "Frango de ossos pretos inteiro resfriado 1,1-1,5 kg, Jiangxi"
        )

    def test_origin_in_the_title_when_it_fits(self) -> None:
        """A lighter lot leaves room in the Spanish title for the province, in pinyin."""
        draft = generate_listing(SAMPLE, "WJ261120A", locales=["es"], on=dt.date(2026, 11, 21))
        assert (
            draft.text("es").title == "Pollo de huesos negros entero refrigerado 1-1,4 kg, Jiangxi"
        )

    def test_spanish_description(self) -> None:
        """The description gives the producer, the slaughter with the date in words, the facts."""
        text = generate_listing(SAMPLE, CHICKEN, locales=["es"], on=ON).text("es")
        lines = text.description.splitlines()
        assert lines[0] == "Pollo de huesos negros entero refrigerado"
        assert (
            lines[1] == "Productor: 吴家乌鸡养殖场, Jiangxi, China (江西省吉安市泰和县武山镇汪陂村)"
        )
        assert lines[2] == (
            "Ave sacrificada en 泰和县禽类定点屠宰场 el 23 de noviembre de 2026, con certificado "
            "sanitario veterinario n.º 3608261123000087."
        )
        assert "Vida útil: 5 días a 4 °C" in lines
        assert "Conservación: en refrigeración, entre 0 y 4 °C" in lines
        assert "Fecha de producción: 23 de noviembre de 2026" in lines
        assert lines[-1] == (
            f"Precio: 108,00{NBSP}CNY por unidad (36,00{NBSP}CNY por jin (500 g); "
            "se cobra a 1,5 kg y se reembolsa la diferencia tras pesar)"
        )
        assert text.bullets[1] == "Peso: 1,1-1,5 kg por unidad"

    def test_portuguese_description(self) -> None:
        """The same facts in Brazilian Portuguese."""
        text = generate_listing(SAMPLE, CHICKEN, locales=["pt-BR"], on=ON).text("pt-BR")
        lines = text.description.splitlines()
        assert lines[0] == "Frango de ossos pretos inteiro resfriado"
        assert lines[2] == (
            "Ave abatida em 泰和县禽类定点屠宰场 em 23 de novembro de 2026, com certificado "
            "sanitário veterinário nº 3608261123000087."
        )
        assert "Validade: 5 dias a 4 °C" in lines
        assert "Peso líquido: 1,1-1,5 kg por unidade" in lines
        assert "Data de produção: 23 de novembro de 2026" in lines
        assert lines[-1] == (
            f"Preço: CN¥{NBSP}108,00 por unidade (CN¥{NBSP}36,00 por jin (500 g); "
            "cobrado a 1,5 kg, a diferença é reembolsada após a pesagem)"
        )

    def test_attributes(self) -> None:
        """Attribute labels are in the language; raw values stay machine-readable."""
        text = generate_listing(SAMPLE, CHICKEN, locales=["es"], on=ON).text("es")
        labels = {a.key: a.label for a in text.attributes}
        assert labels["net_weight"] == "Peso neto"
        assert labels["certifications"] == "Certificaciones"
        production = text.attribute("production_date")
        assert production is not None
        assert (production.value, production.raw) == ("23 de noviembre de 2026", "2026-11-23")
        certification = text.attribute("certifications")
        assert certification is not None
        assert certification.value.startswith("indicación geográfica (泰和乌鸡")

    def test_names_from_the_catalogue_come_first(self) -> None:
        """A name in the catalogue for the language is used rather than one made from facts."""
        catalog = with_chicken(
            names={
                "en": "Taihe silkie",
                "es": "Pollo sedoso de Taihe entero",
                "pt": "Frango sedoso de Taihe inteiro",
            }
        )
        draft = generate_listing(catalog, CHICKEN, locales=["es", "pt-BR"], on=ON)
        assert draft.text("es").title.startswith("Pollo sedoso de Taihe entero 1,1-1,5 kg")
        assert draft.text("pt-BR").title.startswith("Frango sedoso de Taihe inteiro 1,1-1,5 kg")


@pytest.mark.parametrize(
    ("cut", "species", "state", "es", "pt"),
    [
        (Cut.WHOLE, Species.QUAIL, MeatState.CHILLED, "Codorniz entera refrigerada", None),
        (Cut.HALF, Species.CHICKEN, MeatState.CHILLED, "Medio pollo refrigerado", None),
        (Cut.BREAST, Species.QUAIL, MeatState.FROZEN, "Pechuga de codorniz congelada", None),
        (Cut.WING, Species.DUCK, MeatState.FROZEN, "Alas de pato congeladas", None),
        (Cut.PARTS, Species.TURKEY, MeatState.CHILLED, "Pavo refrigerado en piezas", None),
        (Cut.HALF, Species.QUAIL, MeatState.CHILLED, None, "Meia codorna resfriada"),
        (Cut.BREAST, Species.CHICKEN, MeatState.FROZEN, None, "Peito de frango congelado"),
        (Cut.FEET, Species.CHICKEN, MeatState.CHILLED, None, "Pés de frango resfriados"),
        (Cut.GIBLETS, Species.DUCK, MeatState.FROZEN, None, "Miúdos de pato congelados"),
    ],
)
def test_names_agree_with_the_cut(
    cut: Cut, species: Species, state: MeatState, es: str | None, pt: str | None
) -> None:
    """Names made from the facts agree in gender and number with the cut or the bird."""
    catalog = with_chicken(names={}, cut=cut, species=species, state=state, black_bone=False)
    draft = generate_listing(catalog, CHICKEN, locales=["es", "pt-BR"], on=ON)
    for locale, expected in (("es", es), ("pt-BR", pt)):
        if expected is not None:
            assert draft.text(locale).description.splitlines()[0] == expected


def test_origin_outside_china() -> None:
    """A producer outside China has its place written as it is, with the country's name."""
    place = Place(country="MX", province="Jalisco", city="Tepatitlán")
    producer = attrs.evolve(SAMPLE.producers[0], place=place)
    catalog = attrs.evolve(SAMPLE, producers=[producer])
    draft = generate_listing(catalog, CHICKEN, locales=["es", "pt-BR"], on=ON)
    for locale, country in (("es", "México"), ("pt-BR", "México")):
        origin = draft.text(locale).attribute("origin")
        assert origin is not None
        assert origin.value == f"Jalisco, Tepatitlán, {country}"
    assert draft.text("es").title == "Pollo de huesos negros entero refrigerado 1,1-1,5 kg"


class TestEggs:
    def test_titles_and_laying(self) -> None:
        """An egg box is a caja / caixa, and the laying days are written in words."""
        draft = generate_listing(SAMPLE, EGGS, locales=["es", "pt-BR"], on=ON)
        es, pt = draft.text("es"), draft.text("pt-BR")
        assert es.title == "Huevos de gallina 1,25 kg, Jiangxi"
        assert pt.title == "Ovos de galinha 1,25 kg, Jiangxi"
        assert (
            "Huevos puestos entre el 14 de noviembre de 2026 y el 18 de noviembre de 2026."
            in es.description
        )
        assert (
            "Ovos postos entre 14 de novembro de 2026 e 18 de novembro de 2026." in pt.description
        )
        assert es.price_text == f"68,00{NBSP}CNY por caja (54,40{NBSP}CNY por kg)"
        assert pt.price_text == f"CN¥{NBSP}68,00 por caixa (CN¥{NBSP}54,40 por kg)"
        assert "Vida útil: 28 días" in es.description
        assert "Conservación: a temperatura ambiente, en lugar fresco y seco" in es.bullets


class TestNumbersAndMoney:
    def test_money_per_locale(self) -> None:
        """Reais in Brazil, codes in Spanish; thousands grouped and a decimal comma in both."""
        draft = generate_listing(
            SAMPLE, CHICKEN, locales=["es", "pt-BR"], on=ON, price=Money("12345.5", "BRL")
        )
        # 12 345.50 BRL per jin for a bird charged at 1.5 kg (3 jin): 37 036.50 BRL a bird.
        assert draft.text("es").price_text.startswith(
            f"37.036,50{NBSP}BRL por unidad (12.345,50{NBSP}BRL por jin (500 g);"
        )
        assert draft.text("pt-BR").price_text.startswith(
            f"R${NBSP}37.036,50 por unidade (R${NBSP}12.345,50 por jin (500 g);"
        )

    def test_jin_with_decimal_comma(self) -> None:
        """With jin=True the mass in jin is shown too, written with a decimal comma."""
        draft = generate_listing(SAMPLE, CHICKEN, locales=["es", "pt-BR"], on=ON, jin=True)
        assert "1,1-1,5 kg (2,2-3 jin) por unidad" in draft.text("es").description
        assert draft.text("pt-BR").title.startswith(
            "Frango de ossos pretos inteiro resfriado 1,1-1,5 kg (2,2-3 jin)"
        )

    def test_price_per_kg(self) -> None:
        """A price per kilogram says "por kg"."""
        by_kg = attrs.evolve(SAMPLE.offers[1], per=SaleUnit.parse("1 kg"))
        catalog = attrs.evolve(SAMPLE, offers=[SAMPLE.offers[0], by_kg, SAMPLE.offers[2]])
        draft = generate_listing(catalog, CHICKEN, locales=["es"], on=ON, price=Money("80", "MXN"))
        assert draft.text("es").price_text.startswith(
            f"120,00{NBSP}MXN por unidad (80,00{NBSP}MXN por kg;"
        )

    @settings(max_examples=40)
    @given(cents=st.integers(min_value=1, max_value=10**9))
    def test_any_price_round_trips(self, cents: int) -> None:
        """Any price in reais keeps its digits in both locales: only separators are added."""
        amount = Decimal(cents).scaleb(-2)
        draft = generate_listing(
            SAMPLE, EGGS, locales=["es", "pt-BR"], on=ON, price=Money(amount, "BRL")
        )
        for locale, pattern in (
            ("es", rf"^([\d.]+,\d\d){NBSP}BRL por caja \("),
            ("pt-BR", rf"^R\${NBSP}([\d.]+,\d\d) por caixa \("),
        ):
            match = re.match(pattern, draft.text(locale).price_text)
            assert match is not None, draft.text(locale).price_text
            written = match.group(1).replace(".", "").replace(",", ".")
            assert Decimal(written) == amount


class TestHtml:
    @pytest.mark.parametrize("locale", ["es", "pt-BR"])
    def test_html_is_escaped(self, locale: str) -> None:
        """A product named <script> is shown as text in the HTML, never run."""
        name = "<script>alert(1)</script>"
        catalog = with_chicken(names={"es": name, "pt": name})
        draft = generate_listing(catalog, CHICKEN, locales=[locale], on=ON)
        html = draft.text(locale).description_html
        assert "<script>" not in html + render_preview(draft)
        assert "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>" in html
        # The plain text keeps the name as it is: escaping is the HTML's job.
        assert draft.text(locale).title.startswith(name)


class TestMercadoLibre:
    @pytest.mark.parametrize("currency", ["BRL", "ARS", "MXN"])
    def test_sample_chicken_is_valid(self, currency: str, tmp_path: Path) -> None:
        """The sample chicken renders valid for Mercado Libre, in es and pt-BR by default."""
        result = render_listing(
            SAMPLE,
            CHICKEN,
            tmp_path / "ml",
            marketplace="mercadolibre",
            price=Money("36.00", currency),
            on=ON,
        )
        assert result.draft.locales == ("es", "pt-BR")
        assert result.valid, result.issues
        assert result.issues == ()
        profile = get_profile("mercadolibre")
        for locale in ("es", "pt-BR"):
            assert validate_draft(result.draft, profile, locale=locale) == ()
            assert len(result.draft.text(locale).title) <= profile.title_max
        data = json.loads((result.folder / "draft.json").read_text(encoding="utf-8"))
        assert data["marketplace"] == "mercadolibre"
        assert data["texts"]["pt-BR"]["title"].startswith("Frango de ossos pretos")

    def test_one_locale_on_request(self, tmp_path: Path) -> None:
        """Asking for es alone gives a valid draft in es alone."""
        result = render_listing(
            SAMPLE,
            EGGS,
            tmp_path / "ml",
            marketplace="mercadolibre",
            locales=["es"],
            price=Money("9900", "ARS"),
            on=ON,
        )
        assert result.draft.locales == ("es",)
        assert result.valid, result.issues

    def test_yuan_are_refused(self, tmp_path: Path) -> None:
        """Without a price in a Mercado Libre currency the draft is not valid, and says why."""
        result = render_listing(SAMPLE, CHICKEN, tmp_path / "ml", marketplace="mercadolibre", on=ON)
        assert not result.valid
        assert [issue.field for issue in result.issues] == ["price"]

    def test_other_marketplaces_keep_their_locales(self, tmp_path: Path) -> None:
        """Marketplaces that take Chinese or English still get those, as before."""
        sandbox = render_listing(SAMPLE, CHICKEN, tmp_path / "sandbox", on=ON)
        shopee = render_listing(
            SAMPLE,
            CHICKEN,
            tmp_path / "shopee",
            marketplace="shopee",
            price=Money("36.00", "BRL"),
            on=ON,
        )
        assert sandbox.draft.locales == ("zh-CN", "en")
        assert shopee.draft.locales == ("en",)


class TestLocales:
    def test_unsupported_locale_names_the_available_ones(self) -> None:
        """French is refused, and the hint lists every locale there is text for."""
        with pytest.raises(InvalidValueError, match="'fr'") as info:
            generate_listing(SAMPLE, CHICKEN, locales=["fr"], on=ON)
        assert "zh-CN, en, es or pt-BR" in info.value.hint

    def test_regions_and_bare_languages(self) -> None:
        """es-MX uses the Spanish templates; a bare pt uses the Brazilian ones."""
        draft = generate_listing(SAMPLE, CHICKEN, locales=["es-MX", "pt"], on=ON)
        assert draft.text("es-MX").title.startswith("Pollo de huesos negros")
        assert draft.text("pt").title.startswith("Frango de ossos pretos")
        assert draft.text("pt").price_text.startswith(f"CN¥{NBSP}108,00 por unidade")

    def test_partner_template_for_spanish(self, tmp_path: Path) -> None:
        """A partner's es title replaces ours; the other Spanish templates stay ours."""
        (tmp_path / "es").mkdir()
        (tmp_path / "es" / "title.txt.j2").write_text(
            "{{ product.name }} de {{ origin.province_en }}", "utf-8"
        )
        draft = generate_listing(SAMPLE, CHICKEN, locales=["es"], on=ON, templates=tmp_path)
        assert draft.text("es").title == "Pollo de huesos negros entero refrigerado de Jiangxi"
        assert draft.text("es").description.startswith("Pollo de huesos negros")

    def test_templates_are_package_data(self) -> None:
        """Each new locale ships every template inside the package (so in the wheel too)."""
        root = resources.files("ruralseller.listing") / "templates"
        for locale in ("es", "pt-BR"):
            names = sorted(item.name for item in (root / locale).iterdir())
            assert names == sorted(TEMPLATE_NAMES)

    def test_no_superlatives_or_health_claims(self) -> None:
        """The shipped Spanish and Portuguese texts make no superlative or health claims."""
        banned = re.compile(
            r"\b(mejor|óptim|perfect|únic|cura|salud|sano|medicin|melhor|saúde|saudável|"
            r"curar?|remédio|garantizad|garantid)",
            re.IGNORECASE,
        )
        draft = generate_listing(SAMPLE, CHICKEN, locales=["es", "pt-BR"], on=ON)
        for locale in draft.locales:
            text = draft.text(locale)
            everything = "\n".join([text.title, text.description, *text.bullets])
            assert banned.search(everything) is None, banned.search(everything)
        assert draft.compliance_ok is True

    @settings(max_examples=25)
    @given(catalog=catalogs())
    def test_any_catalogue_lot_gets_spanish_and_portuguese(self, catalog: Catalog) -> None:
        """Every lot on offer in any valid catalogue gets one-line titles in es and pt-BR."""
        for offer in catalog.offers:
            draft = generate_listing(catalog, offer.lot, locales=["es", "pt-BR"], on=ON)
            for locale in ("es", "pt-BR"):
                text = draft.text(locale)
                assert text.title
                assert "\n" not in text.title
                assert draft.unit is not None
                word = draft.unit.measure_words[locale]
                price = draft.price.format("es" if locale == "es" else "pt_BR")
                # One unit's price and its measure word (each band's, for weight bands).
                assert f"{price} por {word}" in text.price_text or (
                    draft.sale_unit != "piece" and " por " in text.price_text
                )
