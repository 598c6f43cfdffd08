"""The mainland China rule pack: each rule passes on the sample and fails when broken."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from ruralseller.catalog import (
    Catalog,
    Chilling,
    ChillingMethod,
    CuredMeat,
    CureProcess,
    Licence,
    LicenceKind,
    LiveBirds,
    Lot,
    LotQuantity,
    Mass,
    PackagedFood,
    ProcessingRecord,
    ProducerKind,
    ShelfLife,
    Species,
    StorageClass,
    Temperature,
    load_catalog,
)
from ruralseller.catalog.samples import sample_path
from ruralseller.compliance import Finding, Sale, Severity, check

ON = dt.date(2026, 11, 21)
SAMPLE = load_catalog(sample_path())
CHICKEN_LOT = SAMPLE.lots[0]


def findings(catalog: Catalog, code: str, **kwargs: Any) -> list[Finding]:
    report = check(catalog, jurisdictions=["CN"], on=kwargs.pop("on", ON), **kwargs)
    return [f for f in report if f.rule == code]


def with_lot(lot: Lot, catalog: Catalog = SAMPLE) -> Catalog:
    lots = [lot if item.id == lot.id else item for item in catalog.lots]
    return attrs.evolve(catalog, lots=lots)


def with_slaughter(**changes: Any) -> Catalog:
    record = attrs.evolve(CHICKEN_LOT.slaughter, **changes)
    return with_lot(attrs.evolve(CHICKEN_LOT, slaughter=record))


def with_producer(**changes: Any) -> Catalog:
    return attrs.evolve(SAMPLE, producers=[attrs.evolve(SAMPLE.producers[0], **changes)])


def with_product(index: int, **changes: Any) -> Catalog:
    products = list(SAMPLE.products)
    products[index] = attrs.evolve(products[index], **changes)
    return attrs.evolve(SAMPLE, products=products)


def cured_meat_catalog(*, kind: ProducerKind = ProducerKind.FARMER, licences: Any = ()) -> Catalog:
    producer = attrs.evolve(SAMPLE.producers[0], kind=kind, licences=licences)
    larou = CuredMeat(id="larou", producer=producer.id, name="农家烟熏腊肉", meat="pork")
    lot = Lot(
        id="LR2601",
        product="larou",
        production_date=dt.date(2026, 1, 20),
        quantity=LotQuantity(count=10),
        processing=ProcessingRecord(process=CureProcess.SMOKED, started_on=dt.date(2026, 1, 1)),
    )
    return Catalog(producers=[producer], products=[larou], lots=[lot])


SC = Licence(
    kind=LicenceKind.FOOD_PRODUCTION,
    number="SC10436082600123",
    issuer="泰和县市场监督管理局",
    valid_from=dt.date(2024, 1, 1),
)
BUSINESS = Licence(
    kind=LicenceKind.BUSINESS,
    number="92360826MA00000000",
    issuer="x",
    valid_from=dt.date(2019, 1, 1),
)


class TestSample:
    def test_sample_passes(self) -> None:
        """The black-chicken example passes the CN checks: nothing blocks, nothing warns."""
        report = check(SAMPLE, jurisdictions=["CN"], on=ON)
        assert report.ok
        assert report.warnings == ()


class TestQuarantineCertificate:
    def test_present(self) -> None:
        """A lot with its quarantine certificate number passes."""
        assert findings(SAMPLE, "CN-SLAUGHTER-QUARANTINE-CERT") == []

    def test_removed_certificate_blocks(self) -> None:
        """Removing the quarantine certificate blocks the lot, with citation and remedy."""
        (finding,) = findings(
            with_slaughter(quarantine_certificate=None), "CN-SLAUGHTER-QUARANTINE-CERT"
        )
        assert finding.severity is Severity.BLOCKING
        assert finding.field == "lots[0].slaughter.quarantine_certificate"
        assert finding.lot == "WJ261120A"
        assert "动物防疫法" in str(finding.citation)
        assert finding.citation.article is not None
        assert "Art. 49" in finding.citation.article
        assert "declare the birds for quarantine" in finding.remedy

    def test_2010_measures_before_december_2022(self) -> None:
        """On a day in 2021 the 2010 measures answer, citing 农业部令2010年第6号."""
        catalog = with_slaughter(quarantine_certificate=None)
        day = dt.date(2021, 6, 1)
        assert findings(catalog, "CN-SLAUGHTER-QUARANTINE-CERT", on=day) == []
        (finding,) = findings(catalog, "CN-SLAUGHTER-QUARANTINE-CERT-2010", on=day)
        assert finding.severity is Severity.BLOCKING
        assert "2010" in str(finding.citation)
        assert "3 days ahead" in finding.remedy

    def test_the_2010_measures_end_on_2022_12_01(self) -> None:
        """From 2022-12-01 only the 2022 measures under the 2021 law answer."""
        catalog = with_slaughter(quarantine_certificate=None)
        day = dt.date(2022, 12, 1)
        assert findings(catalog, "CN-SLAUGHTER-QUARANTINE-CERT-2010", on=day) == []
        assert findings(catalog, "CN-SLAUGHTER-QUARANTINE-CERT", on=day)

    def test_not_in_force_before_2010(self) -> None:
        """Before the 2010 measures took effect neither rule applies."""
        catalog = with_slaughter(quarantine_certificate=None)
        for code in ("CN-SLAUGHTER-QUARANTINE-CERT", "CN-SLAUGHTER-QUARANTINE-CERT-2010"):
            assert findings(catalog, code, on=dt.date(2009, 1, 1)) == []


class TestCarrierQuarantine:
    def test_present(self) -> None:
        """With the certificate number the carrier may take the parcel."""
        assert findings(SAMPLE, "CN-CARRIER-QUARANTINE-CERT") == []

    def test_missing_blocks(self) -> None:
        """Without it, Art. 52 forbids the carrier to carry the meat."""
        (finding,) = findings(
            with_slaughter(quarantine_certificate=None), "CN-CARRIER-QUARANTINE-CERT"
        )
        assert finding.severity is Severity.BLOCKING
        assert finding.citation.article == "Art. 52"
        assert "carrier" in finding.message


class TestLicensedPlant:
    def test_licensed_plant_passes(self) -> None:
        """Slaughter at the county's designated plant passes."""
        assert findings(SAMPLE, "CN-SLAUGHTER-LICENSED-PLANT") == []

    def test_on_farm_slaughter_warns(self) -> None:
        """Unlicensed on-farm slaughter is flagged; its source is partly verified: a warning."""
        catalog = with_slaughter(on_farm=True, facility="吴家院子", facility_licence=None)
        (finding,) = findings(catalog, "CN-SLAUGHTER-LICENSED-PLANT")
        assert finding.severity is Severity.WARNING
        assert finding.field == "lots[0].slaughter.on_farm"
        assert "source status P" in finding.message
        assert "designated poultry slaughter plant" in finding.remedy

    def test_missing_licence_number(self) -> None:
        """A plant without a licence number is flagged at the licence field."""
        (finding,) = findings(with_slaughter(facility_licence=None), "CN-SLAUGHTER-LICENSED-PLANT")
        assert finding.field == "lots[0].slaughter.facility_licence"


class TestChilling:
    def test_chilled_in_time_passes(self) -> None:
        """4 °C within 4 h passes."""
        assert findings(SAMPLE, "CN-CHILLED-0-4C") == []

    def test_too_warm(self) -> None:
        """A core temperature above 4 °C is flagged."""
        chilling = Chilling(method=ChillingMethod.AIR, core_temperature=Temperature(7, "°C"))
        (finding,) = findings(with_slaughter(chilling=chilling), "CN-CHILLED-0-4C")
        assert "reached 7 °C" in finding.message

    def test_too_slow(self) -> None:
        """Chilling that took more than 24 h is flagged."""
        chilling = Chilling(
            method=ChillingMethod.AIR,
            core_temperature=Temperature(4, "°C"),
            within=dt.timedelta(hours=30),
        )
        (finding,) = findings(with_slaughter(chilling=chilling), "CN-CHILLED-0-4C")
        assert finding.field == "lots[0].slaughter.chilling.within"

    def test_no_chilling_record(self) -> None:
        """A chilled lot without a chilling record is asked for one."""
        (finding,) = findings(with_slaughter(chilling=None), "CN-CHILLED-0-4C")
        assert finding.field == "lots[0].slaughter.chilling"


class TestLiveBirds:
    def test_live_birds_by_parcel_warns(self) -> None:
        """A lot of live birds is warned about parcel shipping."""
        birds = LiveBirds(
            id="pullets", producer="wu-family-farm", name="乌鸡苗", species=Species.CHICKEN
        )
        lot = Lot(id="LB1", product="pullets", production_date=ON, quantity=LotQuantity(count=5))
        catalog = Catalog(producers=SAMPLE.producers, products=[birds], lots=[lot])
        (finding,) = findings(catalog, "CN-LIVE-ANIMALS-PARCEL")
        assert finding.severity is Severity.WARNING
        assert "live animals" in finding.message

    def test_not_for_meat(self) -> None:
        """Slaughtered birds are not live animals."""
        assert findings(SAMPLE, "CN-LIVE-ANIMALS-PARCEL") == []


class TestFoodProductionLicence:
    def test_with_sc_licence_passes(self) -> None:
        """Cured meat from a producer with a valid SC licence passes."""
        catalog = cured_meat_catalog(licences=[SC, BUSINESS])
        assert findings(catalog, "CN-SC-LICENCE") == []

    def test_without_sc_licence_blocks(self) -> None:
        """Cured meat from a producer without an SC licence is blocked."""
        (finding,) = findings(cured_meat_catalog(), "CN-SC-LICENCE")
        assert finding.severity is Severity.BLOCKING
        assert finding.field == "producers[0].licences"
        assert "食品生产许可证" in finding.message

    def test_expired_sc_licence_blocks(self) -> None:
        """An SC licence that has expired on the check date blocks."""
        expired = attrs.evolve(SC, valid_until=dt.date(2025, 12, 31))
        (finding,) = findings(
            cured_meat_catalog(licences=[expired]), "CN-SC-LICENCE", on=dt.date(2026, 2, 1)
        )
        assert "not valid on 2026-02-01" in finding.message

    def test_small_workshop_is_not_asked_for_sc(self) -> None:
        """A small workshop is not asked for an SC licence (it registers instead)."""
        catalog = cured_meat_catalog(kind=ProducerKind.WORKSHOP)
        assert findings(catalog, "CN-SC-LICENCE") == []


class TestScNumberFormat:
    def test_good_number(self) -> None:
        """SC plus 14 digits passes."""
        assert findings(cured_meat_catalog(licences=[SC]), "CN-SC-NUMBER-FORMAT") == []

    @pytest.mark.parametrize("number", ["SC1043608260012", "SC30436082600123", "QS1234567890"])
    def test_bad_number_blocks(self, number: str) -> None:
        """A malformed SC number is blocked at its path."""
        licence = attrs.evolve(SC, number=number)
        (finding,) = findings(cured_meat_catalog(licences=[licence]), "CN-SC-NUMBER-FORMAT")
        assert finding.severity is Severity.BLOCKING
        assert finding.field == "producers[0].licences[0].number"


class TestSmallWorkshop:
    def test_workshop_warned(self) -> None:
        """A small workshop selling cured meat online is warned about provincial limits."""
        (finding,) = findings(
            cured_meat_catalog(kind=ProducerKind.WORKSHOP), "CN-SMALL-WORKSHOP-ONLINE"
        )
        assert finding.severity is Severity.WARNING
        assert "no registration certificate" in finding.message

    def test_farmer_not_concerned(self) -> None:
        """The rule concerns small workshops only."""
        assert findings(cured_meat_catalog(licences=[SC]), "CN-SMALL-WORKSHOP-ONLINE") == []


class TestBusinessLicence:
    def test_farmer_selling_own_produce_needs_none(self) -> None:
        """A farmer selling own chickens needs no business licence (电子商务法 Art. 10)."""
        catalog = with_producer(licences=[SAMPLE.producers[0].licences[0]])
        assert findings(catalog, "CN-ECOMMERCE-BUSINESS-LICENCE") == []
        assert check(catalog, jurisdictions=["CN"], on=ON).ok

    def test_farmer_selling_own_cured_meat_is_warned_not_blocked(self) -> None:
        """Whether a farmer's own cured meat is a sideline product is unsettled: a warning."""
        (finding,) = findings(cured_meat_catalog(licences=[SC]), "CN-ECOMMERCE-BUSINESS-LICENCE")
        assert finding.severity is Severity.WARNING
        assert "自产农副产品" in finding.message

    def test_cooperative_without_licence_blocks(self) -> None:
        """A cooperative without a business licence is blocked."""
        catalog = with_producer(kind=ProducerKind.COOPERATIVE, licences=[])
        found = findings(catalog, "CN-ECOMMERCE-BUSINESS-LICENCE")
        assert found
        assert all(f.severity is Severity.BLOCKING for f in found)
        assert "营业执照" in found[0].message

    def test_cooperative_with_licence_passes(self) -> None:
        """A cooperative with its business licence passes."""
        catalog = with_producer(kind=ProducerKind.COOPERATIVE)
        assert findings(catalog, "CN-ECOMMERCE-BUSINESS-LICENCE") == []


class TestLabelParticulars:
    """Label rules follow the legal category: agricultural product or prepackaged food."""

    def test_sample_has_them(self) -> None:
        """The sample producer has a contact and a full address."""
        assert findings(SAMPLE, "CN-LABEL-AGRICULTURAL") == []

    def test_missing_contact(self) -> None:
        """A producer without contact is flagged for every lot, as agricultural products."""
        found = findings(with_producer(contact=None), "CN-LABEL-AGRICULTURAL")
        assert {f.field for f in found} == {"producers[0].contact"}
        assert len(found) == 4
        assert all("食用农产品" in str(f.citation) for f in found)

    def test_missing_county(self) -> None:
        """A producer without a county in its place is flagged."""
        place = attrs.evolve(SAMPLE.producers[0].place, county=None)
        found = findings(with_producer(place=place), "CN-LABEL-AGRICULTURAL")
        assert {f.field for f in found} == {"producers[0].place"}

    def test_2016_measures_before_december_2023(self) -> None:
        """On a day in 2020 the 2016 CFDA measures answer instead."""
        catalog = with_producer(contact=None)
        day = dt.date(2020, 6, 1)
        assert findings(catalog, "CN-LABEL-AGRICULTURAL", on=day) == []
        assert findings(catalog, "CN-LABEL-AGRICULTURAL-2016", on=day)

    def test_chicken_is_not_prepackaged_food(self) -> None:
        """GB 7718 does not apply to a chilled whole bird or eggs, on any day."""
        catalog = with_producer(contact=None)
        for day in (ON, dt.date(2027, 4, 1)):
            for code in ("CN-LABEL-PREPACKAGED-2011", "CN-LABEL-PREPACKAGED-2025"):
                assert findings(catalog, code, on=day) == []

    def test_cured_meat_lacks_ingredients_and_standard(self) -> None:
        """Cured meat is prepackaged food: ingredients and product standard are asked for."""
        found = findings(cured_meat_catalog(licences=[SC]), "CN-LABEL-PREPACKAGED-2011")
        assert {f.field for f in found} == {"products[0].ingredients", "products[0].standard"}
        assert all("GB 7718-2011" in str(f.citation) for f in found)
        assert all(f.severity is Severity.WARNING for f in found)  # status P

    def test_gb_7718_2025_from_2027_03_16(self) -> None:
        """On 2027-04-01 GB 7718-2025 applies to cured meat, allergens included."""
        catalog = cured_meat_catalog(licences=[SC])
        day = dt.date(2027, 4, 1)
        assert findings(catalog, "CN-LABEL-PREPACKAGED-2011", on=day) == []
        found = findings(catalog, "CN-LABEL-PREPACKAGED-2025", on=day)
        assert "products[0].allergens" in {f.field for f in found}
        assert all("GB 7718-2025" in str(f.citation) for f in found)
        assert findings(catalog, "CN-LABEL-PREPACKAGED-2025", on=dt.date(2027, 3, 15)) == []

    def test_complete_cured_meat_label_passes(self) -> None:
        """Ingredients, standard and allergens stated: nothing to add."""
        catalog = cured_meat_catalog(licences=[SC])
        larou = attrs.evolve(
            catalog.products[0],
            ingredients=["猪肉", "食用盐"],
            standard="GB 2730-2015",
            allergens=[],
        )
        catalog = attrs.evolve(catalog, products=[larou])
        assert findings(catalog, "CN-LABEL-PREPACKAGED-2025", on=dt.date(2027, 4, 1)) == []


class TestNutritionPanel:
    def test_cured_meat_needs_one(self) -> None:
        """Cured meat is not exempt from the nutrition panel."""
        (finding,) = findings(cured_meat_catalog(licences=[SC]), "CN-LABEL-NUTRITION-2011")
        assert finding.field == "products[0].nutrition"
        assert "GB 28050-2011" in str(finding.citation)

    def test_stated_panel_passes(self) -> None:
        """A stated panel passes; GB 28050-2025 takes over on 2027-03-16."""
        catalog = cured_meat_catalog(licences=[SC])
        larou = attrs.evolve(catalog.products[0], nutrition={"energy": "1820 kJ"})
        catalog = attrs.evolve(catalog, products=[larou])
        assert findings(catalog, "CN-LABEL-NUTRITION-2011") == []
        assert findings(catalog, "CN-LABEL-NUTRITION-2025", on=dt.date(2027, 4, 1)) == []

    def test_raw_chicken_and_eggs_are_exempt(self) -> None:
        """Raw poultry and fresh eggs carry no nutrition panel."""
        assert findings(SAMPLE, "CN-LABEL-NUTRITION-2011") == []
        assert findings(SAMPLE, "CN-LABEL-NUTRITION-2025", on=dt.date(2027, 4, 1)) == []


class TestCommitmentCertificate:
    def without_certificates(self, kind: ProducerKind = ProducerKind.FARMER) -> Catalog:
        lots = [attrs.evolve(lot, certificate=None) for lot in SAMPLE.lots]
        producer = attrs.evolve(SAMPLE.producers[0], kind=kind)
        return attrs.evolve(SAMPLE, lots=lots, producers=[producer])

    def test_sample_has_them(self) -> None:
        """The sample's chickens and eggs carry their certificates and records."""
        assert findings(SAMPLE, "CN-COMMITMENT-CERTIFICATE") == []

    def test_farmer_without_certificate_is_told(self) -> None:
        """Chickens, eggs and potatoes without a certificate: a finding citing 农产品质量安全法."""
        found = findings(self.without_certificates(), "CN-COMMITMENT-CERTIFICATE")
        assert [f.lot for f in found] == ["WJ261120A", "WJ261123A", "WE261118", "WP261115"]
        assert all("农产品质量安全法" in str(f.citation) for f in found)
        assert all(f.severity is Severity.INFO for f in found)  # farmers are encouraged
        assert found[0].field == "lots[0].certificate"

    def test_cooperative_eggs_without_certificate_block(self) -> None:
        """A cooperative must issue one: eggs are blocked, dressed chicken warned."""
        found = findings(
            self.without_certificates(ProducerKind.COOPERATIVE), "CN-COMMITMENT-CERTIFICATE"
        )
        severity = {f.lot: f.severity for f in found}
        assert severity["WE261118"] is Severity.BLOCKING
        assert severity["WJ261120A"] is Severity.WARNING

    def test_law_before_the_measures(self) -> None:
        """In 2025 the 2022 law's Art. 39 answers; before 2023 no certificate rule applies."""
        catalog = self.without_certificates(ProducerKind.COOPERATIVE)
        day = dt.date(2025, 6, 1)
        assert findings(catalog, "CN-COMMITMENT-CERTIFICATE", on=day) == []
        found = findings(catalog, "CN-COMMITMENT-CERT-2023", on=day)
        assert found
        assert all(f.severity is Severity.WARNING for f in found)  # status P
        (eggs,) = [f for f in found if f.lot == "WE261118"]
        assert "source status P" in eggs.message  # would block if the law were verified
        assert findings(catalog, "CN-COMMITMENT-CERT-2023", on=dt.date(2022, 6, 1)) == []

    def test_information_is_not_called_a_warning(self) -> None:
        """A farmer's reminder under the partly verified law stays info, and says nothing of
        being downgraded to a warning."""
        found = findings(
            self.without_certificates(), "CN-COMMITMENT-CERT-2023", on=dt.date(2025, 6, 1)
        )
        assert found
        assert all(f.severity is Severity.INFO for f in found)
        assert not any("so this is a warning" in f.message for f in found)

    def test_basis_without_its_record(self) -> None:
        """A certificate resting on a commissioned test needs the test's record."""
        lot = SAMPLE.lots[2]
        assert lot.certificate is not None
        certificate = attrs.evolve(lot.certificate, records=lot.certificate.records[1:])
        catalog = with_lot(attrs.evolve(lot, certificate=certificate))
        (finding,) = findings(catalog, "CN-COMMITMENT-CERTIFICATE")
        assert finding.field == "lots[2].certificate.records"
        assert "commissioned test" in finding.message


class TestOnlineFood:
    def test_processed_food_without_any_licence_warns(self) -> None:
        """Cured meat sold online with no licence at all is flagged (status P: a warning)."""
        (finding,) = findings(cured_meat_catalog(), "CN-ONLINE-FOOD-LICENCE")
        assert finding.severity is Severity.WARNING
        assert finding.citation.article == "Art. 16"

    def test_licensed_producer_passes(self) -> None:
        """With an SC licence nothing is asked."""
        assert findings(cured_meat_catalog(licences=[SC]), "CN-ONLINE-FOOD-LICENCE") == []

    def test_farm_produce_needs_none(self) -> None:
        """Edible agricultural products need no food licence."""
        assert findings(SAMPLE, "CN-ONLINE-FOOD-LICENCE") == []

    def test_chilled_chicken_is_reminded_of_the_cold_chain(self) -> None:
        """Chilled chicken: Art. 20 and GB 31605-2020 as info; eggs: nothing."""
        for code in ("CN-ONLINE-FOOD-COLD-CHAIN", "CN-COLD-CHAIN-RECORDS"):
            found = findings(SAMPLE, code)
            assert [f.lot for f in found] == ["WJ261120A", "WJ261123A"]
            assert all(f.severity is Severity.INFO for f in found)
        (gb,) = findings(SAMPLE, "CN-COLD-CHAIN-RECORDS")[:1]
        assert "GB 31605-2020" in str(gb.citation)
        assert findings(SAMPLE, "CN-COLD-CHAIN-RECORDS", on=dt.date(2021, 3, 10)) == []


class TestStorageStatement:
    def chilled_sauce(self) -> Catalog:
        catalog = cured_meat_catalog(licences=[SC])
        sauce = PackagedFood(
            id="larou",
            producer=catalog.producers[0].id,
            name="鲜辣椒酱",
            category="chilli sauce",
            storage=StorageClass.CHILLED,
            shelf_life=ShelfLife(reference=dt.timedelta(days=30), at=Temperature(4, "°C")),
        )
        return attrs.evolve(catalog, products=[sauce])

    def test_chilled_prepackaged_food_gets_info(self) -> None:
        """Chilled prepackaged food gets an info finding with the temperature to print."""
        (finding,) = findings(self.chilled_sauce(), "CN-LABEL-STORAGE-TEMPERATURE")
        assert finding.severity is Severity.INFO
        assert "0 °C to 4 °C" in finding.message
        assert "GB/T 24616" not in str(finding.citation)
        assert "GB 7718-2011" in str(finding.citation)

    def test_agricultural_products_are_not_asked_under_gb_7718(self) -> None:
        """A chilled whole bird is not prepackaged food: the cold-chain rule reminds instead."""
        assert findings(SAMPLE, "CN-LABEL-STORAGE-TEMPERATURE") == []
        (reminder, _) = findings(SAMPLE, "CN-COLD-CHAIN-RECORDS")
        assert "storage temperature" in reminder.remedy

    def test_ambient_food_needs_none(self) -> None:
        """Cured meat kept at room temperature needs no temperature statement."""
        assert findings(cured_meat_catalog(licences=[SC]), "CN-LABEL-STORAGE-TEMPERATURE") == []


class TestClaims:
    @pytest.mark.parametrize("word", ["最佳", "国家级", "最高级"])
    def test_absolute_term_in_title_blocks(self, word: str) -> None:
        """An absolute term in the product title blocks, citing Advertising Law Art. 9(3)."""
        catalog = with_product(0, name=f"{word}泰和乌鸡 整只 冰鲜")
        found = findings(catalog, "CN-AD-ABSOLUTE-TERMS")
        assert found
        assert found[0].severity is Severity.BLOCKING
        assert found[0].field == "products[0].name"
        assert str(found[0].citation) == "广告法 (2015) Art. 9(3)"
        assert "remove the word" in found[0].remedy

    def test_listing_title_is_checked(self) -> None:
        """A listing title passed with the sale is checked too."""
        sale = Sale(texts={"title": "最佳乌鸡"})
        found = findings(SAMPLE, "CN-AD-ABSOLUTE-TERMS", sale=sale)
        assert {f.field for f in found} == {"listing.title"}

    def test_clean_texts_pass(self) -> None:
        """The sample's texts have no banned words."""
        for code in (
            "CN-AD-ABSOLUTE-TERMS",
            "CN-AD-EXTREME-TERMS",
            "CN-FOOD-DISEASE-CLAIMS",
            "CN-FOOD-HEALTH-FUNCTION-CLAIMS",
        ):
            assert findings(SAMPLE, code) == [], code

    def test_extreme_word_warns(self) -> None:
        """极品 warns: the word list is only partly verified."""
        (finding, *_) = findings(with_product(1, description="极品土鸡蛋"), "CN-AD-EXTREME-TERMS")
        assert finding.severity is Severity.WARNING
        assert finding.field == "products[1].description"

    def test_disease_claim_blocks(self) -> None:
        """A disease claim on food blocks (Food Safety Law Art. 71, 73)."""
        catalog = with_product(0, description="乌鸡汤能降血压, 抗癌")
        found = findings(catalog, "CN-FOOD-DISEASE-CLAIMS")
        assert {f.message.split("'")[1] for f in found} == {"降血压", "抗癌"}
        assert all(f.severity is Severity.BLOCKING for f in found)

    def test_health_function_warns(self) -> None:
        """Health-function wording warns (unverified source)."""
        (finding, *_) = findings(
            with_product(0, description="补血养颜"), "CN-FOOD-HEALTH-FUNCTION-CLAIMS"
        )
        assert finding.severity is Severity.WARNING


class TestDryIce:
    def test_ground_needs_nothing(self) -> None:
        """Dry ice by road raises nothing here."""
        sale = Sale(dry_ice=Mass.parse("3 kg"))
        assert findings(SAMPLE, "CN-DRY-ICE-AIR", sale=sale) == []

    def test_air_needs_marking(self) -> None:
        """Dry ice by air gets the UN1845 marking reminder with the net mass."""
        sale = Sale(mode="air", dry_ice=Mass.parse("3 kg"))
        found = findings(SAMPLE, "CN-DRY-ICE-AIR", sale=sale)
        assert {f.severity for f in found} == {Severity.INFO}
        assert "UN1845" in found[0].message
        assert "3 kg" in found[0].message

    def test_over_200_kg_warns(self) -> None:
        """More than 200 kg of dry ice in one package is flagged (source partly verified)."""
        sale = Sale(mode="air", dry_ice=Mass.parse("250 kg"))
        found = findings(SAMPLE, "CN-DRY-ICE-AIR", sale=sale, lots=["WE261118"])
        assert [f.severity for f in found] == [Severity.WARNING, Severity.INFO]
        assert found[0].field == "sale.dry_ice"
