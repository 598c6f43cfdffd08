"""The United States rule pack: each rule passes on a US farm and fails when broken."""

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
    Lot,
    LotQuantity,
    Mass,
    MeatState,
    Place,
    ProcessingRecord,
    ProducerKind,
    StorageClass,
    Temperature,
    load_catalog,
)
from ruralseller.catalog.samples import sample_path
from ruralseller.compliance import Finding, Sale, Severity, SourceStatus, check, rule_pack
from ruralseller.compliance.packs.us import PACK

ON = dt.date(2026, 11, 21)
SAMPLE = load_catalog(sample_path())
MISSOURI = Place(country="US", province="Missouri", county="Howell", city="West Plains")
IN_STATE = Sale(destination=Place(country="US", province="MO", city="Springfield"))
OTHER_STATE = Sale(destination=Place(country="US", province="New York", city="Brooklyn"))
IN_CHINA = Sale(destination=Place(country="CN", province="上海市"))
TO_CANADA = Sale(destination=Place(country="CA", province="Ontario"))


def exemption(scope: str | None = "1,000 birds", **changes: Any) -> Licence:
    fields: dict[str, Any] = {
        "kind": LicenceKind.US_PPIA_EXEMPTION,
        "number": "PPIA-2026",
        "issuer": "self-declared (Missouri Department of Agriculture)",
        "valid_from": dt.date(2026, 1, 1),
        "scope": scope,
    }
    fields.update(changes)
    return Licence(**fields)


EXEMPT_1000 = exemption()
GRANT = Licence(
    kind=LicenceKind.US_GRANT_OF_INSPECTION,
    number="P-45678",
    issuer="USDA FSIS",
    valid_from=dt.date(2020, 1, 1),
)


def us_catalog(
    *,
    licences: Any = (EXEMPT_1000,),
    birds: tuple[int | None, int | None] = (40, 24),
    catalog: Catalog = SAMPLE,
    slaughter: dict[str, Any] | None = None,
    **producer_changes: Any,
) -> Catalog:
    """The sample moved to a Missouri farm: its licences, bird counts and slaughter replaced.

    Its eggs are kept cool (the kind's default), as US law wants, not ambient as in China.
    """
    producer = attrs.evolve(
        catalog.producers[0], **{"place": MISSOURI, "licences": licences, **producer_changes}
    )
    lots = list(catalog.lots)
    for index, count in enumerate(birds):
        record = attrs.evolve(lots[index].slaughter, birds=count, **(slaughter or {}))
        lots[index] = attrs.evolve(lots[index], slaughter=record)
    products = [
        attrs.evolve(product, storage=None) if product.kind == "shell_eggs" else product
        for product in catalog.products
    ]
    return Catalog(producers=[producer], products=products, lots=lots, offers=catalog.offers)


US = us_catalog()


def with_product(catalog: Catalog, index: int, **changes: Any) -> Catalog:
    products = list(catalog.products)
    products[index] = attrs.evolve(products[index], **changes)
    return attrs.evolve(catalog, products=products)


def cured_meat_catalog(
    *, place: Place = MISSOURI, licences: Any = (), facility_licence: str | None = None
) -> Catalog:
    producer = attrs.evolve(SAMPLE.producers[0], place=place, licences=licences)
    larou = CuredMeat(id="larou", producer=producer.id, name="Smoked pork belly", meat="pork")
    lot = Lot(
        id="LR2601",
        product="larou",
        production_date=dt.date(2026, 1, 20),
        quantity=LotQuantity(count=10),
        processing=ProcessingRecord(
            process=CureProcess.SMOKED,
            started_on=dt.date(2026, 1, 1),
            facility="Ozark Smokehouse" if facility_licence else None,
            facility_licence=facility_licence,
        ),
    )
    return Catalog(producers=[producer], products=[larou], lots=[lot])


def findings(
    catalog: Catalog, code: str, sale: Sale | None = IN_STATE, **kwargs: Any
) -> list[Finding]:
    report = check(catalog, packs=[PACK], on=kwargs.pop("on", ON), sale=sale, **kwargs)
    return [f for f in report if f.rule == code]


class TestPack:
    def test_registered_as_us(self) -> None:
        """The built-in registry hands out this pack for US."""
        assert rule_pack("US") is PACK
        assert PACK.jurisdiction == "US"
        assert PACK.name == "United States (federal)"

    def test_every_rule_is_cited(self) -> None:
        """Every rule is a US rule with an instrument and a section or URL."""
        for rule in PACK.rules:
            assert rule.code.startswith("US-")
            assert rule.jurisdiction == "US"
            assert rule.citation.instrument
            assert rule.citation.article or rule.citation.url

    def test_statuses_follow_the_sources(self) -> None:
        """Statuses are what was verified in the sources, never upgraded."""
        status = {rule.code: rule.status for rule in PACK.rules}
        assert status["US-PPIA-1000-BIRDS"] is SourceStatus.VERIFIED
        assert status["US-PPIA-INTRASTATE"] is SourceStatus.PARTIAL
        assert status["US-POULTRY-FRESH-CLAIM"] is SourceStatus.UNVERIFIED
        assert status["US-LABEL-EXEMPT-PRODUCER"] is SourceStatus.UNVERIFIED
        assert status["US-CURED-MEAT-FSIS-INSPECTION"] is SourceStatus.UNVERIFIED
        assert status["US-IMPORT-MEAT-POULTRY"] is SourceStatus.UNVERIFIED
        assert status["US-EGGS-45F"] is SourceStatus.VERIFIED
        assert status["US-EGGS-SE-RULE"] is SourceStatus.VERIFIED
        assert status["US-EGGS-HANDLER-REGISTRATION"] is SourceStatus.VERIFIED

    def test_20000_bird_exemption_cites_a4(self) -> None:
        """The producer/grower 20,000-bird exemption is 9 CFR 381.10(a)(4), not (c)."""
        assert PACK.rule("US-PPIA-20000-BIRDS").citation.article == "9 CFR 381.10(a)(4)"


class TestEggFarmRules:
    def test_se_rule_and_registration_remind(self) -> None:
        """Eggs get info reminders of 21 CFR 118 and 7 CFR 57.690, with the 3,000-hen line."""
        for code, cite in (
            ("US-EGGS-SE-RULE", "21 CFR Part 118"),
            ("US-EGGS-HANDLER-REGISTRATION", "7 CFR Part 57"),
        ):
            (finding,) = findings(US, code)
            assert finding.severity is Severity.INFO
            assert finding.lot == "WE261118"
            assert "3,000" in finding.message
            assert cite in str(finding.citation)

    def test_not_before_they_existed(self) -> None:
        """Neither applies on a day before it was in force."""
        assert findings(US, "US-EGGS-SE-RULE", on=dt.date(2009, 1, 1)) == []
        assert findings(US, "US-EGGS-HANDLER-REGISTRATION", on=dt.date(2004, 1, 1)) == []


class TestSample:
    def test_exempt_missouri_farm_passes(self) -> None:
        """An exempt Missouri farm selling in its state: nothing blocks, nothing warns."""
        report = check(US, packs=[PACK], on=ON, sale=IN_STATE)
        assert report.ok
        assert report.warnings == ()
        assert report.infos

    def test_chinese_farm_selling_in_china(self) -> None:
        """The Chinese sample sold in China is none of the US rules' business."""
        report = check(SAMPLE, packs=[PACK], on=ON, sale=IN_CHINA)
        assert len(report) == 0


class TestFsisInspection:
    CODE = "US-POULTRY-FSIS-INSPECTION"

    def test_inspected_establishment_passes(self) -> None:
        """Slaughter at an establishment with an FSIS P-number passes."""
        catalog = us_catalog(licences=(), slaughter={"facility_licence": "P-1234"})
        assert findings(catalog, self.CODE) == []

    def test_own_grant_of_inspection_passes(self) -> None:
        """A producer with its own grant of inspection may slaughter on the farm."""
        catalog = us_catalog(
            licences=(GRANT,), slaughter={"on_farm": True, "facility_licence": None}
        )
        assert findings(catalog, self.CODE) == []

    def test_exempt_producer_passes(self) -> None:
        """An exempt producer is judged by the exemption rules instead."""
        assert findings(US, self.CODE) == []

    def test_uninspected_and_not_exempt_blocks(self) -> None:
        """Poultry from a plant without an FSIS number, with no exemption, blocks."""
        found = findings(us_catalog(licences=()), self.CODE)
        assert [f.lot for f in found] == ["WJ261120A", "WJ261123A"]
        finding = found[0]
        assert finding.severity is Severity.BLOCKING
        assert finding.field == "lots[0].slaughter.facility_licence"
        assert "'B36082601'" in finding.message
        assert "FSIS inspection" in finding.message
        assert "P-1234" in finding.remedy
        assert "us_ppia_exemption" in finding.remedy

    def test_exemption_not_valid_on_slaughter_day_blocks(self) -> None:
        """An exemption that starts after the slaughter day does not cover that lot."""
        catalog = us_catalog(licences=(exemption(valid_from=dt.date(2026, 11, 21)),))
        (finding,) = findings(catalog, self.CODE)
        assert finding.lot == "WJ261120A"
        assert finding.severity is Severity.BLOCKING
        assert finding.field == "producers[0].licences[0].valid_from"
        assert "not valid on 2026-11-20" in finding.message
        assert "valid_from" in finding.remedy

    def test_foreign_producer_is_left_to_the_import_rule(self) -> None:
        """A producer outside the US is checked as an import, not here."""
        assert findings(SAMPLE, self.CODE, sale=IN_STATE) == []


class TestExemptionClaim:
    CODE = "US-PPIA-EXEMPTION-CLAIM"

    @pytest.mark.parametrize(
        "scope", ["1000", "1,000 birds", "20,000", "20000 birds a year", "PGOP", "pgop exemption"]
    )
    def test_one_named_exemption_passes(self, scope: str) -> None:
        """Each documented token names one exemption."""
        assert findings(us_catalog(licences=(exemption(scope),)), self.CODE) == []

    def test_no_scope_warns(self) -> None:
        """An exemption with no scope cannot be checked: it warns and asks for the token."""
        found = findings(us_catalog(licences=(exemption(None),)), self.CODE)
        assert len(found) == 2
        finding = found[0]
        assert finding.severity is Severity.WARNING
        assert finding.field == "producers[0].licences[0].scope"
        assert "'PPIA-2026'" in finding.message
        assert "no scope" in finding.message
        assert "'1,000'" in finding.remedy
        assert "'PGOP'" in finding.remedy

    @pytest.mark.parametrize("scope", ["small flock", "10,000 birds", "21000"])
    def test_unknown_scope_warns(self, scope: str) -> None:
        """A scope without a known token is reported with what it says."""
        (finding, _) = findings(us_catalog(licences=(exemption(scope),)), self.CODE)
        assert finding.severity is Severity.WARNING
        assert f"{scope!r} names none" in finding.message

    def test_two_exemptions_warn(self) -> None:
        """Naming two exemptions is reported: only one may be claimed a year."""
        (finding, _) = findings(us_catalog(licences=(exemption("1,000 or PGOP"),)), self.CODE)
        assert "more than one exemption" in finding.message
        assert "PGOP" in finding.message


class TestOwnBirds:
    CODE = "US-PPIA-OWN-BIRDS"

    def test_farmer_passes(self) -> None:
        """A farmer claiming a producer/grower exemption passes."""
        assert findings(US, self.CODE) == []

    def test_plant_with_pgop_passes(self) -> None:
        """PGOP is open to other persons, so a plant may claim it."""
        catalog = us_catalog(licences=(exemption("PGOP"),), kind=ProducerKind.PLANT)
        assert findings(catalog, self.CODE) == []

    @pytest.mark.parametrize("scope", ["1,000", "20,000"])
    def test_plant_with_producer_grower_exemption_blocks(self, scope: str) -> None:
        """A plant cannot use the producer/grower exemptions: they cover own-raised birds."""
        catalog = us_catalog(licences=(exemption(scope),), kind=ProducerKind.PLANT)
        finding = findings(catalog, self.CODE)[0]
        assert finding.severity is Severity.BLOCKING
        assert finding.field == "producers[0].kind"
        assert "processing plant" in finding.message
        assert "raised on its own farm" in finding.message
        assert "PGOP" in finding.remedy

    def test_cooperative_warns(self) -> None:
        """A cooperative may be selling members' birds: it is warned, not blocked."""
        finding = findings(us_catalog(kind=ProducerKind.COOPERATIVE), self.CODE)[0]
        assert finding.severity is Severity.WARNING
        assert "cooperative" in finding.message
        assert "raised by the producer itself" in finding.remedy


class TestBirdLimit1000:
    CODE = "US-PPIA-1000-BIRDS"

    def test_exactly_1000_birds_passes(self) -> None:
        """976 + 24 = 1,000 birds in 2026 is within the limit."""
        assert findings(us_catalog(birds=(976, 24)), self.CODE) == []

    def test_1001_birds_blocks(self) -> None:
        """977 + 24 = 1,001 birds in 2026 is over the limit, for every lot of the year."""
        found = findings(us_catalog(birds=(977, 24)), self.CODE)
        assert [f.lot for f in found] == ["WJ261120A", "WJ261123A"]
        finding = found[0]
        assert finding.severity is Severity.BLOCKING
        assert finding.field == "lots[0].slaughter.birds"
        assert "1,001 birds in 2026" in finding.message
        assert "at most 1,000" in finding.message
        assert "20,000-bird exemption" in finding.remedy
        assert "FSIS-inspected" in finding.remedy
        assert found[1].field == "lots[1].slaughter.birds"

    def test_lot_without_birds_warns_and_does_not_guess(self) -> None:
        """A lot without a bird count makes the total unknown: a warning asking for it."""
        found = findings(us_catalog(birds=(977, None)), self.CODE)
        assert len(found) == 2
        for finding in found:
            assert finding.severity is Severity.WARNING
            assert finding.field == "lots[1].slaughter.birds"
            assert "not recorded for lot(s) WJ261123A" in finding.message
            assert "1,001" not in finding.message
            assert "slaughter.birds" in finding.remedy

    def test_birds_of_another_year_do_not_count(self) -> None:
        """The limit is per calendar year: birds slaughtered in 2025 do not count for 2026."""
        catalog = us_catalog(birds=(1000, 24))
        lot = catalog.lots[0]
        record = attrs.evolve(
            lot.slaughter, slaughtered_at=dt.datetime.fromisoformat("2025-12-31T06:30:00-06:00")
        )
        catalog = attrs.evolve(
            catalog, lots=[attrs.evolve(lot, slaughter=record), *catalog.lots[1:]]
        )
        assert findings(catalog, self.CODE) == []

    def test_other_exemption_is_not_held_to_1000(self) -> None:
        """The 1,000-bird limit does not apply to a 20,000-bird claim."""
        catalog = us_catalog(licences=(exemption("20,000"),), birds=(977, 24))
        assert findings(catalog, self.CODE) == []


class TestBirdLimit20000:
    CODE = "US-PPIA-20000-BIRDS"

    def test_exactly_20000_birds_passes(self) -> None:
        """19,976 + 24 = 20,000 birds is within the limit."""
        catalog = us_catalog(licences=(exemption("20,000 birds"),), birds=(19976, 24))
        assert findings(catalog, self.CODE) == []

    def test_20001_birds_blocks(self) -> None:
        """20,001 birds is over the limit; no exemption covers more."""
        catalog = us_catalog(licences=(exemption("20,000 birds"),), birds=(19977, 24))
        finding = findings(catalog, self.CODE)[0]
        assert finding.severity is Severity.BLOCKING
        assert finding.field == "lots[0].slaughter.birds"
        assert "20,001 birds in 2026" in finding.message
        assert "producer/grower 20,000-bird exemption" in finding.message
        assert "no exemption covers more than 20,000" in finding.remedy

    def test_lot_without_birds_warns(self) -> None:
        """A missing count warns here too."""
        catalog = us_catalog(licences=(exemption("20000"),), birds=(None, 24))
        finding = findings(catalog, self.CODE)[0]
        assert finding.severity is Severity.WARNING
        assert finding.field == "lots[0].slaughter.birds"


class TestBirdLimitPgop:
    CODE = "US-PPIA-PGOP-20000-BIRDS"

    def test_exactly_20000_birds_passes(self) -> None:
        """20,000 birds under PGOP is within the limit."""
        catalog = us_catalog(licences=(exemption("PGOP"),), birds=(19976, 24))
        assert findings(catalog, self.CODE) == []

    def test_20001_birds_blocks(self) -> None:
        """20,001 birds under PGOP is over the limit."""
        catalog = us_catalog(licences=(exemption("PGOP"),), birds=(19977, 24))
        finding = findings(catalog, self.CODE)[0]
        assert finding.severity is Severity.BLOCKING
        assert finding.field == "lots[0].slaughter.birds"
        assert "(PGOP) 20,000-bird exemption" in finding.message
        assert "FSIS-inspected" in finding.remedy


class TestIntrastate:
    CODE = "US-PPIA-INTRASTATE"

    def test_same_state_passes(self) -> None:
        """Missouri to MO is the same state, however it is written."""
        assert findings(US, self.CODE, sale=IN_STATE) == []

    @pytest.mark.parametrize("sale", [None, Sale(), Sale(destination=Place(country="US"))], ids=str)
    def test_unknown_destination_is_skipped(self, sale: Sale | None) -> None:
        """Without a destination state there is nothing to compare: no finding, no guess."""
        assert findings(US, self.CODE, sale=sale) == []

    def test_inspected_producer_may_sell_across_states(self) -> None:
        """Only exempt poultry is held to the state line."""
        catalog = us_catalog(licences=(), slaughter={"facility_licence": "P-1234"})
        assert findings(catalog, self.CODE, sale=OTHER_STATE) == []

    def test_other_state_warns(self) -> None:
        """Exempt poultry sold to New York from Missouri: a warning (source status P)."""
        found = findings(US, self.CODE, sale=OTHER_STATE)
        assert len(found) == 2
        finding = found[0]
        assert finding.severity is Severity.WARNING
        assert finding.field == "sale.destination"
        assert "another state (New York)" in finding.message
        assert "(Missouri)" in finding.message
        assert "source status P" in finding.message
        assert "own state" in finding.remedy

    def test_other_country_warns(self) -> None:
        """Exempt poultry may not leave the state, so not the country either."""
        finding = findings(US, self.CODE, sale=TO_CANADA)[0]
        assert finding.severity is Severity.WARNING
        assert "Canada" in finding.message


class TestHandlingStatement:
    CODE = "US-LABEL-HANDLING-STATEMENT"

    def test_chilled_keep_refrigerated(self) -> None:
        """Chilled poultry: 'Keep Refrigerated', as information."""
        finding = findings(US, self.CODE)[0]
        assert finding.severity is Severity.INFO
        assert finding.field == "products[0].storage"
        assert "'Keep Refrigerated'" in finding.message
        assert "principal display panel" in finding.message

    def test_frozen_keep_frozen(self) -> None:
        """Frozen poultry: 'Keep Frozen'."""
        catalog = with_product(US, 0, state=MeatState.FROZEN)
        finding = findings(catalog, self.CODE)[0]
        assert "'Keep Frozen'" in finding.message
        assert "'Keep Frozen'" in finding.remedy

    def test_not_sold_in_the_us(self) -> None:
        """Sold in China, the US label rules do not apply."""
        assert findings(SAMPLE, self.CODE, sale=IN_CHINA) == []


class TestSafeHandlingPoultry:
    CODE = "US-LABEL-SAFE-HANDLING"

    def test_raw_poultry_gets_the_reminder(self) -> None:
        """Raw poultry sold in the US: the Safe Handling Instructions panel, as information."""
        finding = findings(US, self.CODE)[0]
        assert finding.severity is Severity.INFO
        assert finding.field == "products[0].kind"
        assert "'Safe Handling Instructions'" in finding.message
        assert "1/16 inch" in finding.remedy
        assert "9 CFR 381.125(b)" in finding.remedy

    def test_not_sold_in_the_us(self) -> None:
        """Sold abroad, no US label reminder."""
        assert findings(US, self.CODE, sale=TO_CANADA) == []


class TestExemptLabel:
    CODE = "US-LABEL-EXEMPT-PRODUCER"

    def test_complete_producer_gets_a_reminder_only(self) -> None:
        """With a state and a contact, only a reminder of the exemption statement."""
        finding = findings(US, self.CODE)[0]
        assert finding.severity is Severity.INFO
        assert "Exempt P.L. 90-492" in finding.message
        assert "not verified" in finding.message

    def test_not_exempt(self) -> None:
        """An inspected producer's label is not an exempt label."""
        catalog = us_catalog(licences=(), slaughter={"facility_licence": "P-1234"})
        assert findings(catalog, self.CODE) == []

    def test_no_state_warns(self) -> None:
        """An exempt producer whose place has no state cannot print its address."""
        catalog = us_catalog(place=Place(country="US", county="Howell"))
        finding = findings(catalog, self.CODE, sale=None)[0]
        assert finding.severity is Severity.WARNING
        assert finding.field == "producers[0].place.province"
        assert "has no state" in finding.message
        assert "exemption statement" in finding.remedy

    def test_no_contact_warns(self) -> None:
        """An exempt producer without contact is warned."""
        finding = findings(us_catalog(contact=None), self.CODE)[0]
        assert finding.severity is Severity.WARNING
        assert finding.field == "producers[0].contact"
        assert "name and address" in finding.message
        assert "address" in finding.remedy


class TestFreshClaim:
    CODE = "US-POULTRY-FRESH-CLAIM"

    def test_chilled_fresh_passes(self) -> None:
        """Chilled poultry may be called fresh."""
        sale = attrs.evolve(IN_STATE, texts={"title": "Fresh black-bone chicken"})
        assert findings(US, self.CODE, sale=sale) == []

    def test_frozen_without_fresh_passes(self) -> None:
        """Frozen poultry that does not say fresh passes."""
        catalog = with_product(
            US,
            0,
            state=MeatState.FROZEN,
            name="泰和乌鸡 整只 冷冻",
            names={"en": "Taihe silkie chicken, whole, frozen"},
            description="山里散养 150 天以上的泰和乌鸡, 冷冻整只。",
        )
        assert findings(catalog, self.CODE) == []

    def test_frozen_called_fresh_warns(self) -> None:
        """Frozen poultry called fresh: a finding per text (unverified source, so a warning)."""
        catalog = with_product(US, 0, state=MeatState.FROZEN)
        sale = attrs.evolve(IN_STATE, texts={"title": "Fresh black-bone chicken"})
        found = {
            f.field: f for f in findings(catalog, self.CODE, sale=sale) if f.lot == "WJ261120A"
        }
        assert set(found) == {"products[0].name", "products[0].description", "listing.title"}
        finding = found["listing.title"]
        assert finding.severity is Severity.WARNING
        assert "'fresh'" in finding.message
        assert "26 °F" in finding.message
        assert "source status U" in finding.message
        assert "frozen" in finding.remedy

    def test_chilled_below_26f_warns(self) -> None:
        """A chilled lot taken below 26 °F may not be called fresh either."""
        chilling = Chilling(method=ChillingMethod.AIR, core_temperature=Temperature(25, "°F"))
        catalog = us_catalog(slaughter={"chilling": chilling})
        sale = attrs.evolve(IN_STATE, texts={"title": "Fresh black-bone chicken"})
        found = {(f.lot, f.field): f for f in findings(catalog, self.CODE, sale=sale)}
        assert {lot for lot, _ in found} == {"WJ261120A", "WJ261123A"}
        finding = found["WJ261120A", "listing.title"]
        assert "chilled to 25 °F" in finding.message
        assert ("WJ261120A", "products[0].name") in found  # 冰鲜 (chilled fresh)


class TestEggs45F:
    CODE = "US-EGGS-45F"

    @pytest.mark.parametrize("storage", [None, StorageClass.CHILLED])
    def test_cool_or_chilled_passes(self, storage: StorageClass | None) -> None:
        """Eggs kept cool (7.2 °C) or chilled are within 45 °F."""
        assert findings(with_product(US, 1, storage=storage), self.CODE) == []

    def test_ambient_blocks(self) -> None:
        """Eggs kept at room temperature may not be sold in the US."""
        (finding,) = findings(with_product(US, 1, storage=StorageClass.AMBIENT), self.CODE)
        assert finding.severity is Severity.BLOCKING
        assert finding.lot == "WE261118"
        assert finding.field == "products[1].storage"
        assert "ambient" in finding.message
        assert "45 °F (7.2 °C)" in finding.message
        assert "ice packs" in finding.remedy

    def test_not_in_force_before_june_2001(self) -> None:
        """The rule took effect on 2001-06-04."""
        catalog = with_product(US, 1, storage=StorageClass.AMBIENT)
        assert findings(catalog, self.CODE, on=dt.date(2001, 6, 3)) == []


class TestEggsSafeHandling:
    CODE = "US-EGGS-SAFE-HANDLING"

    def test_eggs_get_the_statement(self) -> None:
        """Egg cartons sold in the US: the safe handling statement with its exact heading."""
        (finding,) = findings(US, self.CODE)
        assert finding.severity is Severity.INFO
        assert finding.field == "products[1].kind"
        assert "'SAFE HANDLING INSTRUCTIONS'" in finding.message
        assert "yolks are firm" in finding.remedy
        assert "21 CFR 101.17(h)" in finding.remedy

    def test_not_sold_in_the_us(self) -> None:
        """Sold in China, nothing."""
        assert findings(SAMPLE, self.CODE, sale=IN_CHINA) == []


class TestEggsRefrigerationLabel:
    CODE = "US-EGGS-REFRIGERATION-LABEL"

    def test_eggs_get_the_reminder(self) -> None:
        """Packed eggs: refrigeration required on the pack, as information."""
        (finding,) = findings(US, self.CODE)
        assert finding.severity is Severity.INFO
        assert "refrigeration is required" in finding.message
        assert "Keep Refrigerated" in finding.remedy

    def test_not_sold_in_the_us(self) -> None:
        """Sold to Canada, nothing."""
        assert findings(US, self.CODE, sale=TO_CANADA) == []


class TestCuredMeatInspection:
    CODE = "US-CURED-MEAT-FSIS-INSPECTION"

    @pytest.mark.parametrize("number", ["M-1234", "EST. 38", "P-5678"])
    def test_inspected_establishment_passes(self, number: str) -> None:
        """Curing at an FSIS-inspected establishment passes."""
        assert findings(cured_meat_catalog(facility_licence=number), self.CODE) == []

    def test_own_grant_passes(self) -> None:
        """A producer with its own grant of inspection passes."""
        assert findings(cured_meat_catalog(licences=(GRANT,)), self.CODE) == []

    def test_uninspected_warns(self) -> None:
        """Cured at home without inspection: a warning (source unverified)."""
        (finding,) = findings(cured_meat_catalog(), self.CODE)
        assert finding.severity is Severity.WARNING
        assert finding.field == "lots[0].processing.facility_licence"
        assert "smoked by 吴家乌鸡养殖场" in finding.message
        assert "FSIS inspection" in finding.message
        assert "source status U" in finding.message
        assert "M-1234" in finding.remedy

    def test_other_licence_warns(self) -> None:
        """A licence number that is no FSIS establishment number is named."""
        (finding,) = findings(cured_meat_catalog(facility_licence="SC10436082600123"), self.CODE)
        assert "'SC10436082600123'" in finding.message


class TestImports:
    CODE = "US-IMPORT-MEAT-POULTRY"

    def test_us_producer_passes(self) -> None:
        """A US producer selling in the US imports nothing."""
        assert findings(US, self.CODE) == []

    @pytest.mark.parametrize("sale", [None, IN_CHINA], ids=["no destination", "China"])
    def test_not_sold_to_the_us(self, sale: Sale | None) -> None:
        """A Chinese farm not selling to the US is not importing."""
        assert findings(SAMPLE, self.CODE, sale=sale) == []

    def test_chinese_poultry_to_the_us_warns(self) -> None:
        """Raw poultry from China to a US buyer: a warning naming the cooked-poultry limit."""
        found = findings(SAMPLE, self.CODE)
        assert [f.lot for f in found] == ["WJ261120A", "WJ261123A"]
        finding = found[0]
        assert finding.severity is Severity.WARNING
        assert finding.field == "producers[0].place.country"
        assert "made in China" in finding.message
        assert "cooked" in finding.message
        assert "FSIS lists" in finding.remedy

    def test_chinese_larou_to_the_us_warns(self) -> None:
        """Larou (pork) from China: the swine-fever bar is named."""
        catalog = cured_meat_catalog(place=SAMPLE.producers[0].place)
        (finding,) = findings(catalog, self.CODE)
        assert "African swine fever" in finding.message

    def test_other_country_warns(self) -> None:
        """From elsewhere, the seller is told to check FSIS eligibility."""
        catalog = attrs.evolve(
            SAMPLE, producers=[attrs.evolve(SAMPLE.producers[0], place=Place(country="DE"))]
        )
        finding = findings(catalog, self.CODE)[0]
        assert "made in Germany" in finding.message
        assert "eligible" in finding.message


class TestDryIceUsps:
    CODE = "US-SHIP-DRY-ICE-USPS"

    @pytest.mark.parametrize(
        "sale",
        [
            Sale(destination=IN_STATE.destination, mode="air", dry_ice=Mass(5, "lb")),
            Sale(destination=IN_STATE.destination, mode="ground", dry_ice=Mass(10, "kg")),
            Sale(destination=TO_CANADA.destination),
            Sale(mode="air"),
        ],
        ids=["5 lb by air", "10 kg by ground", "abroad without dry ice", "no dry ice"],
    )
    def test_within_usps_limits(self, sale: Sale) -> None:
        """5 lb by air, any amount by ground, or no dry ice at all passes."""
        assert findings(US, self.CODE, sale=sale) == []

    def test_over_5_lb_by_air_warns(self) -> None:
        """Over 5 lb by air: USPS refuses it; the carrier is unknown, so a warning."""
        sale = Sale(destination=IN_STATE.destination, mode="air", dry_ice=Mass("2.3", "kg"))
        finding = findings(US, self.CODE, sale=sale)[0]
        assert finding.severity is Severity.WARNING
        assert finding.field == "sale.dry_ice"
        assert "2.3 kg (5.1 lb)" in finding.message
        assert "at most 5 lb" in finding.message
        assert finding.citation.url == "https://pe.usps.com/text/pub52/pub52c7_015.htm"
        assert "ground" in finding.remedy

    def test_international_warns(self) -> None:
        """Dry ice in international mail: USPS refuses it."""
        sale = Sale(destination=TO_CANADA.destination, dry_ice=Mass(1, "kg"))
        finding = findings(US, self.CODE, sale=sale)[0]
        assert finding.severity is Severity.WARNING
        assert "Canada" in finding.message
        assert "international" in finding.message
        assert "gel packs" in finding.remedy

    def test_not_mailed_from_the_us(self) -> None:
        """A parcel from China is not USPS mail."""
        sale = attrs.evolve(IN_STATE, mode="air", dry_ice=Mass(5, "kg"))
        assert findings(SAMPLE, self.CODE, sale=sale) == []


class TestDryIceMarking:
    CODE = "US-SHIP-DRY-ICE-MARKING"

    def test_no_dry_ice(self) -> None:
        """Without dry ice there is nothing to mark."""
        assert findings(US, self.CODE) == []

    def test_dry_ice_marking(self) -> None:
        """With dry ice: mark UN1845 and the net mass in kg, as information."""
        sale = attrs.evolve(IN_STATE, mode="air", dry_ice=Mass(2, "kg"))
        finding = findings(US, self.CODE, sale=sale)[0]
        assert finding.severity is Severity.INFO
        assert finding.field == "sale.dry_ice"
        assert "UN1845" in finding.message
        assert "net 2 kg" in finding.remedy
        assert "tell the carrier" in finding.remedy

    def test_parcel_not_touching_the_us(self) -> None:
        """A parcel within China is not under 49 CFR."""
        sale = attrs.evolve(IN_CHINA, dry_ice=Mass(2, "kg"))
        assert findings(SAMPLE, self.CODE, sale=sale) == []
