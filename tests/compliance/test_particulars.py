"""Label particulars per jurisdiction and language."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from ruralseller.catalog import (
    Catalog,
    CuredMeat,
    CureProcess,
    Lot,
    LotQuantity,
    Mass,
    PieceMass,
    ProcessingRecord,
    load_catalog,
)
from ruralseller.catalog.samples import sample_path
from ruralseller.compliance import label_particulars
from ruralseller.errors import InvalidValueError, NotInCatalogError

SAMPLE = load_catalog(sample_path())
WEIGHED = Mass.parse("1.3 kg")


def by_key(jurisdiction: str, lot: str = "WJ261120A", **kwargs: object) -> dict[str, str]:
    found = label_particulars(SAMPLE, lot, jurisdiction=jurisdiction, **kwargs)  # type: ignore[arg-type]
    return {p.key: p.text for p in found}


class TestChina:
    def test_gb7718_items_for_chilled_chicken(self) -> None:
        """A CN label carries the GB 7718 items plus the slaughter plant and quarantine number."""
        found = by_key("CN", net_weight=WEIGHED)
        assert found["name"] == "泰和乌鸡 整只 冰鲜"
        assert found["net_quantity"] == "1.3 kg"
        assert found["address"] == "江西省吉安市泰和县武山镇汪陂村"
        assert found["production_date"] == "2026-11-20"
        assert found["shelf_life"] == "5 天"
        assert found["date_mark"] == "2026-11-25"
        assert found["storage"] == "0~4 °C 冷藏"
        assert found["quarantine"] == "3608261120000123"

    def test_headings_are_chinese(self) -> None:
        """CN labels are in Chinese by default."""
        first = label_particulars(SAMPLE, "WJ261120A", net_weight=WEIGHED)[0]
        assert first.heading == "产品名称"

    def test_chicken_is_labelled_as_an_agricultural_product(self) -> None:
        """A chilled whole bird is not prepackaged food: the SAMR measures, not GB 7718."""
        found = label_particulars(SAMPLE, "WJ261120A", net_weight=WEIGHED)
        citations = {str(p.citation) for p in found}
        assert not [c for c in citations if "GB 7718" in c]
        assert any("食用农产品" in c for c in citations)
        keys = {p.key: p for p in found}
        assert keys["quarantine"].citation.instrument == "动物防疫法 (2021)"
        assert keys["certificate"].text == "TH-HGZ-2026-112001"

    def test_cured_meat_follows_gb_7718_by_the_day(self) -> None:
        """Cured meat: GB 7718-2011 with ingredients and standard; 2025 adds allergens."""
        larou = CuredMeat(
            id="larou",
            producer=SAMPLE.producers[0].id,
            name="农家烟熏腊肉",
            meat="pork",
            ingredients=["猪肉", "食用盐", "白砂糖"],
            standard="GB 2730-2015",
            nutrition={"能量": "1820 kJ"},
            allergens=[],
        )
        lot = Lot(
            id="LR2601",
            product="larou",
            production_date=dt.date(2027, 1, 20),
            quantity=LotQuantity(count=10, piece_mass=PieceMass(nominal=Mass.parse("500 g"))),
            processing=ProcessingRecord(process=CureProcess.SMOKED, started_on=dt.date(2027, 1, 1)),
        )
        catalog = Catalog(producers=SAMPLE.producers, products=[larou], lots=[lot])
        before = {p.key: p for p in label_particulars(catalog, "LR2601", on=dt.date(2027, 3, 1))}
        assert before["name"].citation.instrument == "GB 7718-2011"
        assert before["ingredients"].text == "猪肉、食用盐、白砂糖"
        assert before["standard"].text == "GB 2730-2015"
        assert before["nutrition"].citation.instrument == "GB 28050-2011"
        assert "allergens" not in before
        after = {p.key: p for p in label_particulars(catalog, "LR2601", on=dt.date(2027, 4, 1))}
        assert after["name"].citation.instrument == "GB 7718-2025"
        assert after["allergens"].text == "无"
        assert after["nutrition"].citation.instrument == "GB 28050-2025"

    def test_english_label_for_cn(self) -> None:
        """A CN label can be asked for in English."""
        found = label_particulars(SAMPLE, "WJ261120A", locale="en", net_weight=WEIGHED)
        assert found[0].heading == "Product name"
        assert found[0].text == "Taihe black-bone silkie chicken, whole, chilled"

    def test_fixed_weight_needs_no_weighing(self) -> None:
        """Eggs of a fixed nominal weight take it from the lot."""
        assert by_key("CN", lot="WE261118")["net_quantity"] == "1.25 kg"

    def test_sc_licence_number_shown(self) -> None:
        """A producer's food production licence number is printed."""
        licence = attrs.evolve(SAMPLE.producers[0].licences[0], number="SC10436082600123")
        licence = attrs.evolve(licence, kind=licence.kind.FOOD_PRODUCTION)
        producer = attrs.evolve(SAMPLE.producers[0], licences=[licence])
        catalog = attrs.evolve(SAMPLE, producers=[producer])
        found = {p.key: p.text for p in label_particulars(catalog, "WE261118")}
        assert found["licence"] == "SC10436082600123"


class TestEuAndUs:
    def test_eu_poultry_origin(self) -> None:
        """An EU poultry label says where the bird was reared and slaughtered, and use by."""
        found = by_key("EU", net_weight=WEIGHED)
        assert (found["reared_in"], found["slaughtered_in"]) == ("China", "China")
        assert found["use_by"] == "2026-11-25"
        assert found["address"].endswith(", China")

    def test_us_poultry_handling(self) -> None:
        """A US poultry label has the handling statement and the safe handling instructions."""
        found = by_key("US", net_weight=WEIGHED)
        assert found["handling"] == "Keep Refrigerated"
        assert found["safe_handling"].startswith("This product was prepared from inspected")

    def test_us_eggs(self) -> None:
        """US egg cartons carry the egg safe handling statement."""
        found = by_key("US", lot="WE261118")
        assert found["safe_handling"].startswith("To prevent illness from bacteria")


class TestErrors:
    def test_variable_weight_needs_weighing(self) -> None:
        """A variable-weight lot without a weighed net weight says to weigh it."""
        with pytest.raises(InvalidValueError, match="variable weight") as info:
            label_particulars(SAMPLE, "WJ261120A")
        assert info.value.field == "net_weight"
        assert "--weight" in info.value.hint

    def test_unknown_language(self) -> None:
        """A language we have no label text for is refused with the ones we have."""
        with pytest.raises(InvalidValueError, match="'fr'") as info:
            label_particulars(SAMPLE, "WE261118", locale="fr")
        assert info.value.hint.startswith("use zh-CN or en, or translate the label headings")
        assert "docs/howto/add-a-language.md" in info.value.hint

    def test_unknown_jurisdiction(self) -> None:
        """A jurisdiction without label rules is refused, listing the ones there are."""
        with pytest.raises(InvalidValueError, match="no label rules for 'JP'") as info:
            label_particulars(SAMPLE, "WE261118", jurisdiction="JP")
        assert info.value.hint == "use one of: CN, EU, US"

    def test_unknown_lot(self) -> None:
        """An unknown lot is a NotInCatalogError."""
        with pytest.raises(NotInCatalogError):
            label_particulars(SAMPLE, "NOPE")

    def test_zero_weight(self) -> None:
        """A zero net weight is refused."""
        with pytest.raises(InvalidValueError, match="net weight of zero"):
            label_particulars(SAMPLE, "WJ261120A", net_weight=Mass.parse("0 kg"))
