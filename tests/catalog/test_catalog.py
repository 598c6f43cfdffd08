"""Tests for ruralseller.catalog._catalog: the catalogue checked as a whole, and lookups."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ruralseller.catalog._catalog import Catalog, reference_problems
from ruralseller.catalog.lot import (
    HarvestRecord,
    LayingRecord,
    Lot,
    LotQuantity,
    PieceMass,
    ProcessingRecord,
    SlaughterRecord,
)
from ruralseller.catalog.money import Money
from ruralseller.catalog.offer import Offer, SaleUnit
from ruralseller.catalog.place import Place
from ruralseller.catalog.producer import Producer, ProducerKind
from ruralseller.catalog.product import (
    CuredMeat,
    CureProcess,
    FreshProduce,
    LiveBirds,
    PackagedFood,
    PoultryMeat,
    Product,
    ShelfLife,
    ShellEggs,
    Species,
    StorageClass,
)
from ruralseller.catalog.units import Mass, Temperature
from ruralseller.errors import (
    CatalogError,
    CatalogValidationError,
    NotInCatalogError,
    Problem,
    RuralSellerError,
)

FARM = "wu-family-farm"
CHICKEN = "taihe-silkie-whole"
EGGS = "taihe-silkie-eggs-30"
CHICKEN_LOT = "WJ261120A"
EGG_LOT = "WE261118"
DAY = dt.date(2026, 11, 20)


# --- building blocks ---------------------------------------------------------------------


def farm(**changes: Any) -> Producer:
    fields: dict[str, Any] = {
        "id": FARM,
        "name": "吴家乌鸡养殖场",
        "kind": ProducerKind.FARMER,
        "place": Place(country="CN", province="江西省", county="泰和县"),
    }
    return Producer(**(fields | changes))


def chicken(**changes: Any) -> PoultryMeat:
    fields: dict[str, Any] = {
        "id": CHICKEN,
        "producer": FARM,
        "name": "泰和乌鸡 整只 冰鲜",
        "species": Species.CHICKEN,
        "black_bone": True,
    }
    return PoultryMeat(**(fields | changes))


def eggs(**changes: Any) -> ShellEggs:
    return ShellEggs(**({"id": EGGS, "producer": FARM, "name": "泰和乌鸡蛋 30枚装"} | changes))


def slaughter() -> SlaughterRecord:
    return SlaughterRecord(
        facility="泰和县禽类定点屠宰场",
        slaughtered_at=dt.datetime.fromisoformat("2026-11-20T06:30:00+08:00"),
    )


def laying() -> LayingRecord:
    return LayingRecord(first_laid=dt.date(2026, 11, 14), last_laid=dt.date(2026, 11, 18))


def chicken_lot(**changes: Any) -> Lot:
    fields: dict[str, Any] = {
        "id": CHICKEN_LOT,
        "product": CHICKEN,
        "production_date": DAY,
        "quantity": LotQuantity(
            count=40, piece_mass=PieceMass(min=Mass("1.0", "kg"), max=Mass("1.4", "kg"))
        ),
        "slaughter": slaughter(),
    }
    return Lot(**(fields | changes))


def egg_lot(**changes: Any) -> Lot:
    fields: dict[str, Any] = {
        "id": EGG_LOT,
        "product": EGGS,
        "production_date": dt.date(2026, 11, 18),
        "quantity": LotQuantity(count=20),
        "laying": laying(),
    }
    return Lot(**(fields | changes))


def chicken_offer(**changes: Any) -> Offer:
    fields: dict[str, Any] = {
        "lot": CHICKEN_LOT,
        "price": Money("36.00", "CNY"),
        "per": SaleUnit.parse("1 jin"),
        "stock": 40,
        "max_order": 6,
    }
    return Offer(**(fields | changes))


def egg_offer(**changes: Any) -> Offer:
    fields: dict[str, Any] = {"lot": EGG_LOT, "price": Money("68.00", "CNY"), "stock": 20}
    return Offer(**(fields | changes))


def sections(**changes: Any) -> dict[str, Any]:
    return {
        "producers": [farm()],
        "products": [chicken(), eggs()],
        "lots": [chicken_lot(), egg_lot()],
        "offers": [chicken_offer(), egg_offer()],
    } | changes


def sample(**changes: Any) -> Catalog:
    return Catalog(**sections(**changes))


def problems_of(**changes: Any) -> tuple[Problem, ...]:
    with pytest.raises(CatalogValidationError) as info:
        sample(**changes)
    return info.value.problems


def the_problem(**changes: Any) -> Problem:
    found = problems_of(**changes)
    assert len(found) == 1, found
    return found[0]


# One product of every kind, and a record of every kind, for the record-fit rules.
SHELF_LIFE = ShelfLife(reference=dt.timedelta(days=14), at=Temperature(10, "°C"))
PRODUCTS: dict[str, Product] = {
    "poultry_meat": chicken(id="p-poultry"),
    "live_birds": LiveBirds(id="p-live", producer=FARM, name="活鸡", species=Species.CHICKEN),
    "shell_eggs": eggs(id="p-eggs"),
    "fresh_produce": FreshProduce(
        id="p-produce",
        producer=FARM,
        name="土豆",
        crop="potato",
        storage=StorageClass.COOL,
        shelf_life=SHELF_LIFE,
    ),
    "cured_meat": CuredMeat(id="p-cured", producer=FARM, name="腊肉", meat="pork"),
    "packaged_food": PackagedFood(
        id="p-packaged",
        producer=FARM,
        name="辣椒酱",
        category="chilli sauce",
        storage=StorageClass.AMBIENT,
        shelf_life=SHELF_LIFE,
    ),
}
RECORDS: dict[str, object] = {
    "slaughter": slaughter(),
    "laying": laying(),
    "harvest": HarvestRecord(harvested_on=dt.date(2026, 11, 19)),
    "processing": ProcessingRecord(process=CureProcess.SMOKED, started_on=dt.date(2026, 11, 1)),
}


def lot_of(kind: str, record: str | None) -> dict[str, Any]:
    """Sections with one product of ``kind`` and one lot with ``record`` (or none)."""
    product = PRODUCTS[kind]
    lot = Lot(
        id="L1",
        product=product.id,
        production_date=DAY,
        quantity=LotQuantity(count=10),
        **({record: RECORDS[record]} if record else {}),
    )
    return {"products": [product], "lots": [lot], "offers": []}


class TestValidCatalog:
    def test_sample_is_valid(self) -> None:
        """A consistent catalogue builds, and keeps each section as a tuple in order."""
        catalog = sample()
        assert catalog.producers == (farm(),)
        assert catalog.products == (chicken(), eggs())
        assert catalog.lots == (chicken_lot(), egg_lot())
        assert catalog.offers == (chicken_offer(), egg_offer())
        assert catalog.folder is None

    def test_empty_catalog_is_valid(self) -> None:
        """A catalogue with nothing in it yet has nothing wrong with it."""
        assert Catalog().products == ()

    def test_lot_without_offer_is_valid(self) -> None:
        """A lot need not be on sale."""
        assert sample(offers=[egg_offer()]).offer_for(CHICKEN_LOT) is None

    def test_folder_does_not_affect_equality(self) -> None:
        """Two catalogues with the same content are equal wherever they were read from."""
        assert sample(folder=Path("a")) == sample(folder=Path("b"))

    def test_stock_equal_to_count_is_valid(self) -> None:
        """An offer may put every piece of a lot on sale."""
        assert sample(offers=[chicken_offer(stock=40)]).offers[0].stock == 40


class TestDuplicates:
    def test_duplicate_producer(self) -> None:
        """Two producers with one id are reported at the second, naming the first."""
        assert the_problem(producers=[farm(), farm(name="另一家")]) == Problem(
            file="",
            path="producers[1].id",
            message=f"the id {FARM!r} is already used by producers[0]",
            value=FARM,
            hint="give each one its own id",
        )

    def test_duplicate_product(self) -> None:
        """Two products with one id are reported, even of different kinds."""
        found = problems_of(products=[chicken(), eggs(), eggs(id=CHICKEN)])
        assert found[0].path == "products[2].id"
        assert found[0].message == f"the id {CHICKEN!r} is already used by products[0]"
        assert found[0].value == CHICKEN

    def test_duplicate_product_is_reported_once(self) -> None:
        """Lots of a duplicated product id are checked against the first product, as lookups are."""
        found = problems_of(products=[chicken(), eggs(), eggs(id=CHICKEN)])
        assert [p.path for p in found] == ["products[2].id"]

    def test_duplicate_lot(self) -> None:
        """Two lots with one code are reported at the second."""
        problem = the_problem(lots=[chicken_lot(), egg_lot(), chicken_lot()])
        assert problem.path == "lots[2].id"
        assert problem.message == f"the id {CHICKEN_LOT!r} is already used by lots[0]"

    def test_second_offer_for_a_lot(self) -> None:
        """A lot has one offer; a second one is reported with how to change the first."""
        assert the_problem(
            offers=[chicken_offer(), egg_offer(), chicken_offer(price=Money("30", "CNY"))]
        ) == Problem(
            file="",
            path="offers[2].lot",
            message=f"the lot {CHICKEN_LOT!r} is already used by offers[0]",
            value=CHICKEN_LOT,
            hint="a lot has one offer: change the price or stock there instead",
        )

    def test_each_extra_copy_is_reported(self) -> None:
        """Three producers with one id give two problems, both naming the first."""
        found = problems_of(producers=[farm(), farm(), farm()])
        assert [p.path for p in found] == ["producers[1].id", "producers[2].id"]
        assert all(p.message.endswith("producers[0]") for p in found)


class TestReferences:
    def test_unknown_producer(self) -> None:
        """A product naming an unknown producer is reported with the ids there are."""
        assert the_problem(products=[chicken(producer="nobody"), eggs()]) == Problem(
            file="",
            path="products[0].producer",
            message="there is no producer with id 'nobody'",
            value="nobody",
            hint=f"use one of the producer ids in this catalogue ({FARM}), or add the producer",
        )

    def test_no_producers_at_all(self) -> None:
        """With no producers, every product is reported, and the hint says there are none yet."""
        found = problems_of(producers=[])
        assert [p.path for p in found] == ["products[0].producer", "products[1].producer"]
        assert found[0].hint == (
            "use one of the producer ids in this catalogue (none yet), or add the producer"
        )

    def test_unknown_product(self) -> None:
        """A lot naming an unknown product is reported with the product ids, sorted."""
        assert the_problem(lots=[chicken_lot(), egg_lot(product="duck-eggs")]) == Problem(
            file="",
            path="lots[1].product",
            message="there is no product with id 'duck-eggs'",
            value="duck-eggs",
            hint=f"use one of the product ids in this catalogue ({EGGS}, {CHICKEN}), "
            "or add the product",
        )

    def test_unknown_lot(self) -> None:
        """An offer naming an unknown lot is reported with the lot codes, sorted."""
        assert the_problem(offers=[chicken_offer(), egg_offer(lot="WE000000")]) == Problem(
            file="",
            path="offers[1].lot",
            message="there is no lot with id 'WE000000'",
            value="WE000000",
            hint=f"use one of the lot ids in this catalogue ({EGG_LOT}, {CHICKEN_LOT}), "
            "or add the lot",
        )

    def test_lot_of_unknown_product_is_not_checked_further(self) -> None:
        """A lot whose product is unknown gets one problem, not a record-fit one too."""
        lot = egg_lot(product="nothing", production_date=DAY, laying=None, slaughter=slaughter())
        found = problems_of(lots=[chicken_lot(), lot])
        assert [p.path for p in found] == ["lots[1].product"]

    def test_offer_for_unknown_lot_is_not_checked_further(self) -> None:
        """An offer whose lot is unknown gets one problem, not a stock one too."""
        found = problems_of(offers=[chicken_offer(lot="XX1", stock=999)])
        assert [p.path for p in found] == ["offers[0].lot"]


class TestRecordFit:
    @pytest.mark.parametrize(
        ("kind", "record"),
        [
            ("poultry_meat", "slaughter"),
            ("live_birds", None),
            ("shell_eggs", "laying"),
            ("fresh_produce", "harvest"),
            ("cured_meat", "processing"),
            ("packaged_food", "processing"),
            ("packaged_food", None),
        ],
    )
    def test_fitting_records(self, kind: str, record: str | None) -> None:
        """Each kind accepts the record it takes."""
        assert len(sample(**lot_of(kind, record)).lots) == 1

    @pytest.mark.parametrize(
        ("kind", "record", "hint"),
        [
            (
                "poultry_meat",
                "laying",
                "replace it with a slaughter record; a poultry meat lot takes: slaughter",
            ),
            ("live_birds", "slaughter", "remove it; a live birds lot takes: no record"),
            (
                "shell_eggs",
                "harvest",
                "replace it with a laying record; a shell eggs lot takes: laying",
            ),
            (
                "fresh_produce",
                "processing",
                "replace it with a harvest record; a fresh produce lot takes: harvest",
            ),
            (
                "cured_meat",
                "laying",
                "replace it with a processing record; a cured meat lot takes: processing",
            ),
            ("packaged_food", "harvest", "remove it; a packaged food lot takes: processing"),
            (
                "cured_meat",
                "slaughter",
                "replace it with a processing record; a cured meat lot takes: processing",
            ),
        ],
    )
    def test_record_of_the_wrong_kind(self, kind: str, record: str, hint: str) -> None:
        """A record the product's kind does not take is reported at that record."""
        product = PRODUCTS[kind]
        assert the_problem(**lot_of(kind, record)) == Problem(
            file="",
            path=f"lots[0].{record}",
            message=f"a lot of {kind.replace('_', ' ')} ({product.id}) takes no {record} record",
            hint=hint,
        )

    @pytest.mark.parametrize(
        ("kind", "record"),
        [
            ("poultry_meat", "slaughter"),
            ("shell_eggs", "laying"),
            ("fresh_produce", "harvest"),
            ("cured_meat", "processing"),
        ],
    )
    def test_missing_record(self, kind: str, record: str) -> None:
        """A lot without the record its kind needs is reported where the record belongs."""
        product = PRODUCTS[kind]
        assert the_problem(**lot_of(kind, None)) == Problem(
            file="",
            path=f"lots[0].{record}",
            message=f"a lot of {kind.replace('_', ' ')} ({product.id}) needs its {record} record",
            hint=f"add a [lots.{record}] table to this lot",
        )

    def test_laying_record_on_poultry_meat_lot_in_the_sample(self) -> None:
        """Swapping the sample chicken lot's slaughter record for a laying record is caught."""
        lot = chicken_lot(slaughter=None, laying=laying())
        problem = the_problem(lots=[lot, egg_lot()])
        assert problem.path == "lots[0].laying"
        assert problem.message == f"a lot of poultry meat ({CHICKEN}) takes no laying record"


class TestOfferFit:
    def test_stock_above_count(self) -> None:
        """An offer cannot sell more pieces than its lot holds."""
        assert the_problem(offers=[chicken_offer(stock=41), egg_offer()]) == Problem(
            file="",
            path="offers[0].stock",
            message=f"stock 41 is more than the 40 pieces in lot {CHICKEN_LOT}",
            value=41,
            hint="lower the stock to 40 or less",
        )

    def test_stock_of_lot_without_count_is_not_checked(self) -> None:
        """When a lot is only weighed, its offer's stock cannot be checked against it."""
        lot = egg_lot(quantity=LotQuantity(net_mass=Mass(30, "kg")))
        assert sample(lots=[chicken_lot(), lot], offers=[egg_offer(stock=500)])

    def test_price_per_mass_needs_piece_mass(self) -> None:
        """A price by weight needs the lot to say what one piece weighs."""
        offer = egg_offer(per=SaleUnit.parse("1 kg"))
        assert the_problem(offers=[chicken_offer(), offer]) == Problem(
            file="",
            path="offers[1].per",
            message=f"the price is per 1 kg, but lot {EGG_LOT} does not say what one piece weighs",
            value="1 kg",
            hint='add quantity.piece_mass to the lot, or price per piece (per = "piece")',
        )

    def test_both_offer_problems_are_reported(self) -> None:
        """One offer with too much stock and no piece mass gets both problems."""
        offer = egg_offer(per=SaleUnit.parse("1 jin"), stock=21)
        found = problems_of(offers=[offer])
        assert [p.path for p in found] == ["offers[0].stock", "offers[0].per"]


class TestAllProblemsAtOnce:
    def test_every_problem_in_one_error(self) -> None:
        """A catalogue with many problems fails once, listing each with its path, in order."""
        with pytest.raises(CatalogValidationError) as info:
            sample(
                producers=[farm(), farm()],
                products=[chicken(), eggs(producer="nobody")],
                lots=[
                    chicken_lot(product="nothing"),
                    egg_lot(laying=None),
                    chicken_lot(id="WJ261121A", slaughter=None),
                ],
                offers=[
                    chicken_offer(),
                    egg_offer(stock=21),
                    egg_offer(lot="WX1"),
                    egg_offer(),
                ],
            )
        error = info.value
        assert [p.path for p in error.problems] == [
            "producers[1].id",
            "offers[3].lot",
            "products[1].producer",
            "lots[0].product",
            "lots[1].laying",
            "lots[2].slaughter",
            "offers[1].stock",
            "offers[2].lot",
        ]
        lines = str(error).splitlines()
        assert lines[0] == "the catalogue has 8 problems:"
        assert lines[1] == (
            f"  - producers[1].id: the id {FARM!r} is already used by producers[0] (got {FARM!r})"
        )
        assert lines[2] == "    hint: give each one its own id"
        assert isinstance(error, CatalogError)
        assert isinstance(error, RuralSellerError)

    def test_single_problem_wording(self) -> None:
        """One problem is counted in the singular."""
        with pytest.raises(CatalogValidationError, match=r"^the catalogue has 1 problem:\n"):
            sample(producers=[farm(), farm()])


class TestReferenceProblems:
    def test_valid_sections_have_no_problems(self) -> None:
        """The check alone finds nothing wrong with consistent sections."""
        parts = sections()
        assert (
            reference_problems(
                enumerate(parts["producers"]),
                enumerate(parts["products"]),
                enumerate(parts["lots"]),
                enumerate(parts["offers"]),
            )
            == []
        )

    def test_indexes_are_the_ones_given(self) -> None:
        """Paths use the index paired with each record, not its position in the argument."""
        found = reference_problems([], [(7, chicken())], [], [])
        assert [p.path for p in found] == ["products[7].producer"]

    def test_unchecked_ids_are_not_reported_again(self) -> None:
        """References to records that failed to load are not reported as missing."""
        found = reference_problems(
            [],
            [(0, chicken(producer="broken-farm"))],
            [(0, egg_lot(product="broken-eggs"))],
            [(0, chicken_offer(lot="BROKEN1"))],
            unchecked_ids={
                "producers": {"broken-farm"},
                "products": {"broken-eggs"},
                "lots": {"BROKEN1"},
            },
        )
        assert found == []

    def test_unchecked_ids_are_offered_in_hints(self) -> None:
        """The ids of records that failed to load still count as known in hints."""
        found = reference_problems(
            [], [(0, chicken(producer="nobody"))], [], [], unchecked_ids={"producers": {FARM}}
        )
        assert len(found) == 1
        assert f"({FARM})" in found[0].hint


class TestLookups:
    def test_producer(self) -> None:
        """A producer is found by its id."""
        assert sample().producer(FARM) == farm()

    def test_product(self) -> None:
        """A product is found by its id, as its own kind."""
        assert isinstance(sample().product(EGGS), ShellEggs)

    def test_lot(self) -> None:
        """A lot is found by its code."""
        assert sample().lot(EGG_LOT) == egg_lot()

    @pytest.mark.parametrize(
        ("method", "what", "known"),
        [
            ("producer", "producer", FARM),
            ("product", "product", f"{CHICKEN}, {EGGS}"),
            ("lot", "lot", f"{CHICKEN_LOT}, {EGG_LOT}"),
        ],
    )
    def test_unknown_id_lists_the_known_ones(self, method: str, what: str, known: str) -> None:
        """An unknown id raises NotInCatalogError (a KeyError) listing the ids there are."""
        with pytest.raises(NotInCatalogError) as info:
            getattr(sample(), method)("missing")
        assert isinstance(info.value, KeyError)
        assert isinstance(info.value, CatalogError)
        assert str(info.value) == f"no {what} with id 'missing'; the catalogue has: {known}"

    def test_unknown_id_in_empty_catalog(self) -> None:
        """In an empty catalogue the KeyError says there is nothing."""
        with pytest.raises(KeyError) as info:
            Catalog().lot("WJ1")
        assert info.value.args[0] == "no lot with id 'WJ1'; the catalogue has: none"

    def test_offer_for(self) -> None:
        """The offer for a lot is found, or None when the lot is not on sale."""
        catalog = sample()
        assert catalog.offer_for(CHICKEN_LOT) == chicken_offer()
        assert catalog.offer_for("WX1") is None

    def test_product_of(self) -> None:
        """A lot's product is found through its id."""
        catalog = sample()
        assert catalog.product_of(catalog.lot(CHICKEN_LOT)) == chicken()

    def test_producer_of(self) -> None:
        """The producer of a lot or of a product is found through the references."""
        catalog = sample()
        assert catalog.producer_of(catalog.lot(EGG_LOT)) == farm()
        assert catalog.producer_of(catalog.product(CHICKEN)) == farm()

    def test_path_of_without_folder(self) -> None:
        """Without a folder, an image path is taken as given."""
        assert sample().path_of("images/a.jpg") == Path("images/a.jpg")

    def test_path_of_relative_to_folder(self, tmp_path: Path) -> None:
        """With a folder, image paths are relative to it."""
        catalog = sample(folder=tmp_path)
        assert catalog.path_of("images/a.jpg") == tmp_path / "images" / "a.jpg"

    def test_price_through_lookups(self) -> None:
        """The offer found for a lot prices a piece of it by weight."""
        offer = sample().offer_for(CHICKEN_LOT)
        assert offer is not None
        assert offer.price_for(Mass("1.3", "kg")).rounded().amount == Decimal("93.60")
