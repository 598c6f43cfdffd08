"""The European Union rule pack: each rule passes on an EU farm and fails when broken."""

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
    FreshProduce,
    HarvestRecord,
    LayingRecord,
    Licence,
    LicenceKind,
    Lot,
    LotQuantity,
    Mass,
    MeatState,
    Place,
    ProcessingRecord,
    ProducerKind,
    ShelfLife,
    StorageClass,
    Temperature,
    load_catalog,
)
from ruralseller.catalog.samples import sample_path
from ruralseller.compliance import Finding, Sale, Severity, SourceStatus, check
from ruralseller.compliance.packs.eu import EU_MEMBER_STATES, PACK

ON = dt.date(2026, 11, 21)
SAMPLE = load_catalog(sample_path())
GERMANY = Place(country="DE", province="Bayern", city="Landshut", village="Oberndorf")
HOME = Sale(destination=Place(country="DE", city="München"))
EGG_CODE = Licence(
    kind=LicenceKind.EU_EGG_PRODUCER,
    number="1-DE-0912345",
    issuer="Landratsamt Landshut",
    valid_from=dt.date(2024, 1, 1),
)
APPROVAL = Licence(
    kind=LicenceKind.EU_APPROVED_ESTABLISHMENT,
    number="DE BY 12345 EG",
    issuer="Landratsamt Landshut",
    valid_from=dt.date(2024, 1, 1),
    valid_until=dt.date(2025, 12, 31),
)


def _eu_farm() -> Catalog:
    """The sample moved to a Bavarian farm with an egg producer code, slaughtering in Germany."""
    producer = attrs.evolve(
        SAMPLE.producers[0], place=GERMANY, licences=[*SAMPLE.producers[0].licences, EGG_CODE]
    )
    chicken = SAMPLE.lots[0]
    assert chicken.slaughter is not None
    record = attrs.evolve(chicken.slaughter, facility_place=Place(country="DE"))
    lots = [attrs.evolve(chicken, slaughter=record), *SAMPLE.lots[1:]]
    return Catalog(producers=[producer], products=SAMPLE.products, lots=lots, offers=SAMPLE.offers)


FARM = _eu_farm()
CHICKEN_LOT = FARM.lots[0]
EGG_LOT = FARM.lots[2]


def findings(catalog: Catalog, code: str, **kwargs: Any) -> list[Finding]:
    report = check(
        catalog,
        jurisdictions=["EU"],
        on=kwargs.pop("on", ON),
        sale=kwargs.pop("sale", HOME),
        **kwargs,
    )
    return [f for f in report if f.rule == code]


def rebuild(catalog: Catalog = FARM, **sections: Any) -> Catalog:
    """A new catalogue from ``catalog`` with some sections replaced (checked again)."""
    fields = {
        "producers": catalog.producers,
        "products": catalog.products,
        "lots": catalog.lots,
        "offers": catalog.offers,
    }
    return Catalog(**{**fields, **sections})


def with_lot(lot: Lot, catalog: Catalog = FARM) -> Catalog:
    return rebuild(catalog, lots=[lot if item.id == lot.id else item for item in catalog.lots])


def with_slaughter(**changes: Any) -> Catalog:
    assert CHICKEN_LOT.slaughter is not None
    record = attrs.evolve(CHICKEN_LOT.slaughter, **changes)
    return with_lot(attrs.evolve(CHICKEN_LOT, slaughter=record))


def with_producer(**changes: Any) -> Catalog:
    return rebuild(producers=[attrs.evolve(FARM.producers[0], **changes)])


def with_product(index: int, **changes: Any) -> Catalog:
    products = list(FARM.products)
    products[index] = attrs.evolve(products[index], **changes)
    return rebuild(products=products)


def with_eggs(
    first_laid: dt.date, *, best_before: dt.date | None = None, until: dt.date | None = None
) -> Catalog:
    """The egg lot laid from ``first_laid`` (for 3 days), its offer ending on ``until``."""
    last_laid = first_laid + dt.timedelta(days=2)
    lot = attrs.evolve(
        EGG_LOT,
        production_date=last_laid,
        best_before=best_before or first_laid + dt.timedelta(days=28),
        laying=LayingRecord(first_laid=first_laid, last_laid=last_laid),
    )
    offers = [
        attrs.evolve(offer, available_until=until) if offer.lot == EGG_LOT.id else offer
        for offer in FARM.offers
    ]
    return rebuild(with_lot(lot), offers=offers)


def cured_meat_catalog(country: str = "CN") -> Catalog:
    producer = attrs.evolve(SAMPLE.producers[0], kind=ProducerKind.WORKSHOP)
    if country != "CN":
        producer = attrs.evolve(producer, place=Place(country=country, city="Landshut"))
    larou = CuredMeat(id="larou", producer=producer.id, name="农家烟熏腊肉", meat="pork")
    lot = Lot(
        id="LR2601",
        product="larou",
        production_date=dt.date(2026, 1, 20),
        best_before=dt.date(2026, 4, 20),
        quantity=LotQuantity(count=10),
        processing=ProcessingRecord(process=CureProcess.SMOKED, started_on=dt.date(2026, 1, 1)),
    )
    return Catalog(producers=[producer], products=[larou], lots=[lot])


class TestPack:
    def test_pack_is_eu(self) -> None:
        """The pack is the EU pack, and every rule carries a citation and the EU code."""
        assert (PACK.jurisdiction, PACK.name) == ("EU", "European Union")
        for rule in PACK.rules:
            assert rule.jurisdiction == "EU"
            assert rule.code.startswith("EU-")
            assert rule.citation.instrument

    def test_member_states(self) -> None:
        """The EU has 27 Member States; the UK and China are not among them."""
        assert len(EU_MEMBER_STATES) == 27
        assert {"DE", "FR", "GR", "IE"} <= EU_MEMBER_STATES
        assert not {"GB", "CN", "CH", "NO"} & EU_MEMBER_STATES

    def test_eu_farm_passes(self) -> None:
        """A German farm selling at home: nothing blocks, nothing warns, only reminders."""
        report = check(FARM, jurisdictions=["EU"], on=ON, sale=HOME)
        assert report.ok
        assert report.warnings == ()
        assert {f.rule for f in report.infos} == {
            "EU-DISTANCE-SELLING-PARTICULARS",
            "EU-POULTRY-MARKETING-2026-343",
            "EU-POULTRY-ORIGIN-LABEL",
        }

    def test_same_as_packs_argument(self) -> None:
        """Looking the pack up by code gives the same findings as passing it."""
        by_code = check(FARM, jurisdictions=["EU"], on=ON, sale=HOME)
        by_pack = check(FARM, packs=[PACK], on=ON, sale=HOME)
        assert by_code.findings == by_pack.findings


class TestApprovedEstablishment:
    CODE = "EU-SLAUGHTER-APPROVED-ESTABLISHMENT"

    def test_approval_number_passes(self) -> None:
        """A slaughter record with the plant's approval number passes."""
        assert findings(FARM, self.CODE) == []

    def test_producer_approval_passes(self) -> None:
        """A plant holding an EU approval passes without a number on the record."""
        catalog = rebuild(
            with_slaughter(facility_licence=None),
            producers=[
                attrs.evolve(FARM.producers[0], licences=[*FARM.producers[0].licences, APPROVAL])
            ],
        )
        assert findings(catalog, self.CODE, on=dt.date(2025, 6, 1)) == []

    def test_no_approval_warns(self) -> None:
        """No approval number anywhere: a warning (the source is unverified)."""
        (finding,) = findings(with_slaughter(facility_licence=None), self.CODE)
        assert finding.severity is Severity.WARNING
        assert finding.status is SourceStatus.UNVERIFIED
        assert finding.field == "lots[0].slaughter.facility_licence"
        assert "泰和县禽类定点屠宰场" in finding.message
        assert "approval number" in finding.remedy
        assert "853/2004" in str(finding.citation)

    def test_expired_producer_approval_warns(self) -> None:
        """An approval that ran out before the check date warns about the licence."""
        catalog = rebuild(
            with_slaughter(facility_licence=None),
            producers=[
                attrs.evolve(FARM.producers[0], licences=[*FARM.producers[0].licences, APPROVAL])
            ],
        )
        (finding,) = findings(catalog, self.CODE)
        assert finding.field == "producers[0].licences"
        assert "DE BY 12345 EG" in finding.message
        assert "renew" in finding.remedy

    def test_on_farm_is_the_exemption_rule(self) -> None:
        """On-farm slaughter is judged by the direct-supply exemption, not this rule."""
        assert findings(with_slaughter(facility_licence=None, on_farm=True), self.CODE) == []


ON_FARM: dict[str, Any] = {"facility": "Hof Oberndorf", "facility_licence": None, "on_farm": True}


class TestOnFarmDirectSupply:
    CODE = "EU-SLAUGHTER-ON-FARM-DIRECT-SUPPLY"

    def test_farmer_selling_at_home_passes(self) -> None:
        """The farmer selling on-farm slaughtered birds to buyers in their country passes."""
        assert findings(with_slaughter(**ON_FARM), self.CODE) == []

    def test_no_destination_is_not_guessed(self) -> None:
        """Without a destination, only the seller is checked."""
        assert findings(with_slaughter(**ON_FARM), self.CODE, sale=Sale()) == []

    def test_sale_abroad_blocks(self) -> None:
        """On-farm slaughtered poultry sold to another country blocks."""
        sale = Sale(destination=Place(country="FR"))
        (finding,) = findings(with_slaughter(**ON_FARM), self.CODE, sale=sale)
        assert finding.severity is Severity.BLOCKING
        assert finding.field == "lots[0].slaughter.on_farm"
        assert "DE" in finding.message
        assert "FR" in finding.message
        assert "directly to the final consumer or to local retailers" in finding.message
        assert "approved slaughterhouse" in finding.remedy
        assert "2017/185" in str(finding.citation)

    def test_non_farmer_blocks(self) -> None:
        """A cooperative may not use the farmer's on-farm exemption."""
        catalog = rebuild(
            with_slaughter(**ON_FARM),
            producers=[attrs.evolve(FARM.producers[0], kind=ProducerKind.COOPERATIVE)],
        )
        (finding,) = findings(catalog, self.CODE)
        assert finding.severity is Severity.BLOCKING
        assert finding.field == "producers[0].kind"
        assert "cooperative" in finding.message
        assert "approved slaughterhouse" in finding.remedy


class TestCarcassChilling:
    CODE = "EU-CARCASS-CHILLING-4C"

    def test_4c_passes(self) -> None:
        """The sample's carcasses reach 4 °C."""
        assert findings(FARM, self.CODE) == []

    def test_warm_carcass_warns(self) -> None:
        """A carcass at 6 °C warns (the source is partly verified)."""
        chilling = Chilling(method=ChillingMethod.AIR, core_temperature=Temperature(6, "°C"))
        (finding,) = findings(with_slaughter(chilling=chilling), self.CODE)
        assert finding.severity is Severity.WARNING
        assert finding.status is SourceStatus.PARTIAL
        assert finding.field == "lots[0].slaughter.chilling.core_temperature"
        assert "6 °C" in finding.message
        assert "4 °C or below" in finding.remedy

    def test_fahrenheit_converts(self) -> None:
        """41 °F is 5 °C: too warm."""
        chilling = Chilling(method=ChillingMethod.ICE, core_temperature=Temperature(41, "°F"))
        assert len(findings(with_slaughter(chilling=chilling), self.CODE)) == 1

    def test_no_temperature_is_not_guessed(self) -> None:
        """A chilling record without a temperature is skipped, not guessed."""
        chilling = Chilling(method=ChillingMethod.AIR)
        assert findings(with_slaughter(chilling=chilling), self.CODE) == []


class TestLabelParticulars:
    CODE = "EU-LABEL-PARTICULARS"

    def test_address_and_dates_pass(self) -> None:
        """A producer with a town and lots with dates pass."""
        assert findings(FARM, self.CODE) == []

    def test_country_only_address_blocks(self) -> None:
        """A place with only the country is no address: blocking, once per lot."""
        found = findings(with_producer(place=Place(country="DE")), self.CODE)
        assert {f.lot for f in found} == {lot.id for lot in FARM.lots}
        finding = found[0]
        assert finding.severity is Severity.BLOCKING
        assert finding.field == "producers[0].place"
        assert "name and address" in finding.message
        assert "village" in finding.remedy

    def test_chilled_poultry_without_date_blocks(self) -> None:
        """Chilled poultry without a date: blocking, asking for a use-by date."""
        (finding,) = findings(with_lot(attrs.evolve(CHICKEN_LOT, use_by=None)), self.CODE)
        assert finding.severity is Severity.BLOCKING
        assert finding.field == "lots[0].use_by"
        assert "'use by'" in finding.message
        assert "use_by" in finding.remedy

    def test_eggs_without_date_block(self) -> None:
        """Eggs without a date: blocking, asking for a best-before date."""
        (finding,) = findings(with_lot(attrs.evolve(EGG_LOT, best_before=None)), self.CODE)
        assert finding.field == "lots[2].best_before"
        assert "best_before" in finding.remedy

    def test_fresh_produce_needs_no_date(self) -> None:
        """Potatoes need no date mark."""
        potatoes = FreshProduce(
            id="potatoes",
            producer=FARM.producers[0].id,
            name="Kartoffeln",
            crop="potato",
            storage=StorageClass.COOL,
            shelf_life=ShelfLife(reference=dt.timedelta(days=60)),
        )
        lot = Lot(
            id="KA2610",
            product="potatoes",
            production_date=dt.date(2026, 10, 2),
            quantity=LotQuantity(net_mass=Mass.parse("500 kg")),
            harvest=HarvestRecord(harvested_on=dt.date(2026, 10, 1)),
        )
        catalog = Catalog(producers=FARM.producers, products=[potatoes], lots=[lot])
        assert findings(catalog, self.CODE) == []

    def test_not_in_force_before_2014(self) -> None:
        """Before 1169/2011 applied, the rule does not."""
        catalog = with_producer(place=Place(country="DE"))
        assert findings(catalog, self.CODE, on=dt.date(2014, 12, 12)) == []


class TestUseByPoultry:
    CODE = "EU-LABEL-USE-BY-POULTRY"

    def test_use_by_passes(self) -> None:
        """Chilled chicken with a use-by date passes."""
        assert findings(FARM, self.CODE) == []

    def test_best_before_warns(self) -> None:
        """Chilled chicken with a best-before date warns (the source is unverified)."""
        lot = attrs.evolve(CHICKEN_LOT, use_by=None, best_before=dt.date(2026, 11, 25))
        (finding,) = findings(with_lot(lot), self.CODE)
        assert finding.severity is Severity.WARNING
        assert finding.field == "lots[0].best_before"
        assert "2026-11-25" in finding.message
        assert "use_by" in finding.remedy

    def test_frozen_best_before_passes(self) -> None:
        """Frozen chicken may carry a best-before date."""
        lot = attrs.evolve(CHICKEN_LOT, use_by=None, best_before=dt.date(2027, 11, 20))
        catalog = rebuild(with_lot(lot), products=with_product(0, state=MeatState.FROZEN).products)
        assert findings(catalog, self.CODE) == []


class TestDistanceSelling:
    CODE = "EU-DISTANCE-SELLING-PARTICULARS"

    def test_lot_not_on_sale_has_no_reminder(self) -> None:
        """A lot with no offer is not sold at a distance."""
        catalog = rebuild(offers=[o for o in FARM.offers if o.lot != CHICKEN_LOT.id])
        assert [f.lot for f in findings(catalog, self.CODE)] == [
            "WJ261123A",
            "WE261118",
            "WP261115",
        ]

    def test_offer_gets_reminder(self) -> None:
        """An offered lot gets an info reminder pointing at its offer."""
        finding = findings(FARM, self.CODE)[0]
        assert finding.severity is Severity.INFO
        assert finding.field == "offers[0]"
        assert "before the buyer orders" in finding.message
        assert "listing" in finding.remedy
        assert "Art. 14" in str(finding.citation)


class TestPoultryOrigin:
    CODE = "EU-POULTRY-ORIGIN-LABEL"

    def test_wording_from_the_places(self) -> None:
        """Reared where the producer is, slaughtered where the plant is."""
        catalog = with_slaughter(facility_place=Place(country="FR"))
        finding = findings(catalog, self.CODE)[0]
        assert finding.severity is Severity.INFO
        assert finding.field == "lots[0].slaughter.facility_place"
        assert "'Reared in: Germany'" in finding.message
        assert "'Slaughtered in: France'" in finding.message
        assert "WJ261120A" in finding.message

    def test_slaughter_place_defaults_to_producer(self) -> None:
        """Without a facility place, the producer's country is used."""
        finding = findings(FARM, self.CODE)[1]
        assert finding.lot == "WJ261123A"
        assert finding.field == "producers[0].place.country"
        assert "'Slaughtered in: Germany'" in finding.message

    def test_not_before_2015_04_01(self) -> None:
        """The origin labelling applies from 2015-04-01."""
        assert findings(FARM, self.CODE, on=dt.date(2015, 3, 31)) == []
        assert findings(FARM, self.CODE, on=dt.date(2015, 4, 1)) != []

    def test_not_for_eggs(self) -> None:
        """Eggs are not poultry meat."""
        assert all(f.lot != EGG_LOT.id for f in findings(FARM, self.CODE))


class TestFreshTerm:
    CODE = "EU-POULTRY-FRESH-TERM"

    def test_chilled_fresh_passes(self) -> None:
        """Chilled chicken may be called fresh."""
        catalog = with_product(0, names={"en": "Fresh silkie chicken", "de": "Frisches Huhn"})
        assert findings(catalog, self.CODE) == []

    def test_frozen_fresh_blocks(self) -> None:
        """Frozen chicken called fresh blocks, for every text that says so."""
        catalog = with_product(
            0, state=MeatState.FROZEN, names={"en": "Fresh silkie chicken", "fr": "Poulet frais"}
        )
        lot = attrs.evolve(catalog.lots[0], use_by=None, best_before=dt.date(2027, 11, 20))
        found = findings(with_lot(lot, catalog), self.CODE)
        fields = {f.field for f in found if f.lot == CHICKEN_LOT.id}
        # 冰鲜 in the Chinese name and description says "chilled, not frozen" too.
        assert fields == {
            "products[0].name",
            "products[0].names.en",
            "products[0].names.fr",
            "products[0].description",
        }
        finding = next(f for f in found if f.field == "products[0].names.en")
        assert finding.severity is Severity.BLOCKING
        assert "'fresh'" in finding.message
        assert "frozen" in finding.message
        assert "remove the word" in finding.remedy

    def test_listing_text_is_checked(self) -> None:
        """Listing texts count too."""
        catalog = with_product(0, state=MeatState.FROZEN, name="Huhn", names={}, description=None)
        sale = Sale(destination=Place(country="DE"), texts={"title": "Frisch vom Hof"})
        (finding,) = [f for f in findings(catalog, self.CODE, sale=sale) if f.lot == "WJ261120A"]
        assert finding.field == "listing.title"

    def test_frozen_without_fresh_passes(self) -> None:
        """Frozen chicken not called fresh passes."""
        catalog = with_product(0, state=MeatState.FROZEN, name="Huhn", names={}, description=None)
        assert findings(catalog, self.CODE) == []


class TestEggSalePeriod:
    CODE_21 = "EU-EGGS-SALE-21-DAYS"
    CODE_28 = "EU-EGGS-SALE-28-DAYS"

    def test_within_28_days_passes(self) -> None:
        """Eggs on sale 7 days after laying pass."""
        assert findings(FARM, self.CODE_28) == []

    def test_after_28_days_blocks(self) -> None:
        """Eggs still on sale 29 days after laying block."""
        catalog = with_eggs(dt.date(2026, 10, 23))
        (finding,) = findings(catalog, self.CODE_28)
        assert finding.severity is Severity.BLOCKING
        assert finding.field == "lots[2].laying.first_laid"
        assert "2026-10-23" in finding.message
        assert "28 days" in finding.message
        assert "2026-11-20" in finding.message
        assert "end the offer by 2026-11-20" in finding.remedy

    def test_offer_end_is_checked(self) -> None:
        """An offer running past the limit blocks even when today is within it."""
        catalog = with_eggs(dt.date(2026, 11, 14), until=dt.date(2026, 12, 15))
        (finding,) = findings(catalog, self.CODE_28)
        assert finding.field == "offers[2].available_until"
        assert "2026-12-15" in finding.message
        assert "2026-12-12" in finding.message

    def test_offer_ending_in_time_passes(self) -> None:
        """An offer that ends on the last allowed day passes."""
        catalog = with_eggs(dt.date(2026, 11, 14), until=dt.date(2026, 12, 12))
        assert findings(catalog, self.CODE_28) == []

    def test_21_days_before_2022_12_08(self) -> None:
        """A check dated 2022-12-01 applies 21 days: eggs 22 days old block."""
        catalog = with_eggs(dt.date(2022, 11, 9))
        (finding,) = findings(catalog, self.CODE_21, on=dt.date(2022, 12, 1))
        assert finding.severity is Severity.BLOCKING
        assert "21 days" in finding.message
        assert findings(catalog, self.CODE_28, on=dt.date(2022, 12, 1)) == []

    def test_21_days_passes_in_time(self) -> None:
        """Under the 21-day rule, eggs 21 days old pass."""
        catalog = with_eggs(dt.date(2022, 11, 10))
        assert findings(catalog, self.CODE_21, on=dt.date(2022, 12, 1)) == []

    @pytest.mark.parametrize(
        ("on", "code"),
        [
            (dt.date(2022, 12, 1), "EU-EGGS-SALE-21-DAYS"),
            (dt.date(2022, 12, 7), "EU-EGGS-SALE-21-DAYS"),
            (dt.date(2022, 12, 8), None),
        ],
    )
    def test_effective_date_switch(self, on: dt.date, code: str | None) -> None:
        """The same eggs, offered until 2022-12-05: too old under 21 days, fine under 28."""
        catalog = with_eggs(dt.date(2022, 11, 10), until=dt.date(2022, 12, 5))
        report = check(catalog, jurisdictions=["EU"], on=on, sale=HOME)
        found = {f.rule for f in report if f.rule in {self.CODE_21, self.CODE_28}}
        assert found == ({code} if code else set())

    def test_2022_12_08_uses_28_days(self) -> None:
        """A check dated 2022-12-08 applies 28 days: eggs 29 days old block under it."""
        catalog = with_eggs(dt.date(2022, 11, 9))
        (finding,) = findings(catalog, self.CODE_28, on=dt.date(2022, 12, 8))
        assert "28 days" in finding.message
        assert findings(catalog, self.CODE_21, on=dt.date(2022, 12, 8)) == []


class TestEggBestBefore:
    OLD = "EU-EGGS-BEST-BEFORE-589-2008"
    NEW = "EU-EGGS-BEST-BEFORE-2023"

    def test_28_days_passes(self) -> None:
        """Best-before 28 days after laying passes under both acts."""
        catalog = with_eggs(dt.date(2023, 6, 1))
        assert findings(catalog, self.OLD, on=dt.date(2023, 6, 5)) == []
        assert findings(FARM, self.NEW) == []

    def test_589_2008_blocks(self) -> None:
        """Under 589/2008 (verified) a best-before 30 days after laying blocks."""
        catalog = with_eggs(dt.date(2023, 6, 1), best_before=dt.date(2023, 7, 1))
        (finding,) = findings(catalog, self.OLD, on=dt.date(2023, 6, 5))
        assert finding.severity is Severity.BLOCKING
        assert finding.field == "lots[2].best_before"
        assert "30 days" in finding.message
        assert "set best_before to 2023-06-29" in finding.remedy
        assert "589/2008 Art. 13" in str(finding.citation)

    def test_successor_warns(self) -> None:
        """Under 2023/2465 (best-before article not read) the same lot only warns."""
        catalog = with_eggs(dt.date(2026, 11, 14), best_before=dt.date(2026, 12, 14))
        (finding,) = findings(catalog, self.NEW)
        assert finding.severity is Severity.WARNING
        assert finding.status is SourceStatus.PARTIAL
        assert finding.field == "lots[2].best_before"
        assert "2023/2465" in str(finding.citation)
        assert "2022/2258" in str(finding.citation)

    @pytest.mark.parametrize(
        ("on", "code"),
        [(dt.date(2023, 11, 27), OLD), (dt.date(2023, 11, 28), NEW)],
    )
    def test_repeal_switch(self, on: dt.date, code: str) -> None:
        """589/2008 applies until 2023-11-27; its successor from 2023-11-28."""
        catalog = with_eggs(dt.date(2023, 11, 1), best_before=dt.date(2023, 12, 5))
        report = check(catalog, jurisdictions=["EU"], on=on, sale=HOME)
        assert {f.rule for f in report if "BEST-BEFORE" in f.rule} == {code}


class TestPoultryMarketingStandards:
    OLD = "EU-POULTRY-MARKETING-543-2008"
    NEW = "EU-POULTRY-MARKETING-2026-343"

    @pytest.mark.parametrize(
        ("on", "code"),
        [(dt.date(2026, 3, 8), OLD), (dt.date(2026, 3, 9), NEW)],
    )
    def test_repeal_switch(self, on: dt.date, code: str) -> None:
        """543/2008 answers until 2026-03-08; Del. Reg. 2026/343 from 2026-03-09."""
        report = check(FARM, jurisdictions=["EU"], on=on, sale=HOME)
        assert {f.rule for f in report if "MARKETING" in f.rule} == {code}

    def test_info_names_the_state(self) -> None:
        """Chilled chicken: an info finding giving class and state (fresh)."""
        found = findings(FARM, self.NEW)
        assert {f.lot for f in found} == {"WJ261120A", "WJ261123A"}
        assert all(f.severity is Severity.INFO for f in found)
        assert "fresh" in found[0].message
        assert "2026/343" in str(found[0].citation)


class TestEggProducerCode:
    CODE = "EU-EGGS-PRODUCER-CODE"

    def with_code(self, number: str) -> Catalog:
        licences = [*SAMPLE.producers[0].licences, attrs.evolve(EGG_CODE, number=number)]
        return with_producer(licences=licences)

    @pytest.mark.parametrize("number", ["1-DE-0912345", "0DE0912345", "2 DE 0912345"])
    def test_valid_code_passes(self, number: str) -> None:
        """The code with or without separators passes."""
        assert findings(self.with_code(number), self.CODE) == []

    def test_missing_code_warns(self) -> None:
        """No egg producer code: a warning (format only partly verified)."""
        (finding,) = findings(with_producer(licences=SAMPLE.producers[0].licences), self.CODE)
        assert finding.severity is Severity.WARNING
        assert finding.status is SourceStatus.PARTIAL
        assert finding.field == "producers[0].licences"
        assert "no egg producer code" in finding.message
        assert "eu_egg_producer" in finding.remedy

    @pytest.mark.parametrize("number", ["DE-0912345", "5-DE-0912345", "1-DE-12"])
    def test_malformed_code_warns(self, number: str) -> None:
        """A code without the farming-method digit, or with a bad one, warns."""
        (finding,) = findings(self.with_code(number), self.CODE)
        assert finding.field == "producers[0].licences[2].number"
        assert number in finding.message
        assert "farming method" in finding.message

    def test_wrong_country_warns(self) -> None:
        """A French code for a German farm warns."""
        (finding,) = findings(self.with_code("1-FR-0912345"), self.CODE)
        assert finding.field == "producers[0].licences[2].number"
        assert "FR" in finding.message
        assert "DE" in finding.message

    def test_greece_is_el(self) -> None:
        """EU texts write Greece as EL."""
        catalog = self.with_code("1-EL-0912345")
        catalog = rebuild(
            catalog,
            producers=[
                attrs.evolve(catalog.producers[0], place=Place(country="GR", city="Larisa"))
            ],
        )
        assert findings(catalog, self.CODE) == []

    def test_expired_code_warns(self) -> None:
        """A registration that ran out warns."""
        expired = attrs.evolve(EGG_CODE, valid_until=dt.date(2025, 12, 31))
        catalog = with_producer(licences=[*SAMPLE.producers[0].licences, expired])
        (finding,) = findings(catalog, self.CODE)
        assert finding.field == "producers[0].licences[2].valid_until"
        assert "renew" in finding.remedy


class TestDiseaseClaims:
    CODE = "EU-FOOD-DISEASE-CLAIMS"

    def test_plain_texts_pass(self) -> None:
        """Facts about the bird, and 'cured' meat, are no disease claims."""
        sale = Sale(texts={"title": "Dry-cured and smoked, a traditional cure; tasty treats"})
        assert findings(FARM, self.CODE, sale=sale) == []

    @pytest.mark.parametrize(
        ("text", "term"),
        [
            ("Black-bone chicken cures colds", "cures"),
            ("Medicinal silkie chicken", "medicinal"),
            ("Schwarzes Huhn heilt Erkältungen", "heilt"),
            ("Hilft gegen Krebs", "gegen Krebs"),
            ("Le poulet qui guérit le rhume", "guérit"),
            ("乌鸡汤治疗贫血", "治疗"),
        ],
    )
    def test_disease_claim_warns(self, text: str, term: str) -> None:
        """A disease claim in any of the languages warns (the source is unverified)."""
        sale = Sale(texts={"title": text})
        found = [f for f in findings(FARM, self.CODE, sale=sale) if f.lot == CHICKEN_LOT.id]
        (finding,) = found
        assert finding.severity is Severity.WARNING
        assert finding.field == "listing.title"
        assert repr(term) in finding.message
        assert "remove the health or disease claim" in finding.remedy
        assert "Art. 7(3)" in str(finding.citation)

    def test_product_names_are_checked(self) -> None:
        """Claims in the product's own names are found, at their path."""
        catalog = with_product(0, names={"en": "Silkie chicken, heals the sick"})
        (finding,) = [f for f in findings(catalog, self.CODE) if f.lot == CHICKEN_LOT.id]
        assert finding.field == "products[0].names.en"


class TestThirdCountryListing:
    CODE = "EU-IMPORT-THIRD-COUNTRY-LISTING"

    def test_eu_producer_passes(self) -> None:
        """Meat from a German farm sold in Germany passes."""
        assert findings(FARM, self.CODE) == []

    def test_chinese_meat_to_eu_warns(self) -> None:
        """Chinese chicken sold to a German buyer warns (the source is unverified)."""
        found = findings(SAMPLE, self.CODE)
        assert [f.lot for f in found] == ["WJ261120A", "WJ261123A"]  # meat, not eggs
        finding = found[0]
        assert finding.severity is Severity.WARNING
        assert finding.field == "producers[0].place.country"
        assert "China (CN)" in finding.message
        assert "DE" in finding.message
        assert "EU lists" in finding.remedy

    def test_cured_meat_to_eu_warns(self) -> None:
        """Chinese larou sold to France warns; a German smokehouse's does not."""
        sale = Sale(destination=Place(country="FR"))
        assert len(findings(cured_meat_catalog(), self.CODE, sale=sale)) == 1
        assert findings(cured_meat_catalog("DE"), self.CODE, sale=sale) == []

    def test_sale_outside_eu_passes(self) -> None:
        """Chinese chicken sold in China is no EU import."""
        assert findings(SAMPLE, self.CODE, sale=Sale(destination=Place(country="CN"))) == []

    def test_no_destination_is_not_guessed(self) -> None:
        """Without a destination the rule is skipped."""
        assert findings(SAMPLE, self.CODE, sale=Sale()) == []


class TestDryIceByAir:
    CODE = "EU-DRY-ICE-AIR-UN1845"

    def test_ground_needs_no_marking(self) -> None:
        """Dry ice by road gets no air marking reminder."""
        sale = Sale(destination=Place(country="DE"), mode="ground", dry_ice=Mass.parse("2.5 kg"))
        assert findings(FARM, self.CODE, sale=sale) == []

    def test_air_without_dry_ice_passes(self) -> None:
        """Air freight without dry ice needs no UN1845 marking."""
        assert findings(FARM, self.CODE, sale=Sale(mode="air")) == []

    def test_air_with_dry_ice_reminds(self) -> None:
        """Dry ice by air: an info reminder with UN1845 and the net mass in kg."""
        sale = Sale(destination=Place(country="DE"), mode="air", dry_ice=Mass.parse("2500 g"))
        found = findings(FARM, self.CODE, sale=sale)
        assert len(found) == len(FARM.lots)
        finding = found[0]
        assert finding.severity is Severity.INFO
        assert finding.field == "sale.dry_ice"
        assert "UN1845" in finding.message
        assert "'2.5 kg'" in finding.message
        assert "Class 9" in finding.message
        assert "vented" in finding.remedy
        assert "954" in str(finding.citation)
