"""Tests for ruralseller.catalog.product: product kinds, storage classes and shelf life."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest

from ruralseller.catalog.gs1 import Gtin
from ruralseller.catalog.product import (
    PRODUCT_KINDS,
    CuredMeat,
    CureProcess,
    Cut,
    FreshProduce,
    LiveBirds,
    MeatState,
    PackagedFood,
    PoultryMeat,
    Product,
    ShelfLife,
    ShelfLifeModel,
    ShellEggs,
    Species,
    StorageClass,
)
from ruralseller.catalog.units import Temperature
from ruralseller.errors import InvalidValueError

DAY = dt.timedelta(days=1)
STORAGE_HINT = "add storage = one of 'frozen', 'chilled', 'cool', 'ambient', 'live'"
SHELF_LIFE_HINT = 'add shelf_life = { reference = "14 d", at = "10 °C" }'


def _exact(message: str) -> str:
    """A pattern matching exactly ``message``."""
    return f"^{re.escape(message)}$"


def celsius(value: int | str) -> Temperature:
    return Temperature(value, "°C")


def shelf_life(**changes: Any) -> ShelfLife:
    fields: dict[str, Any] = {"reference": 14 * DAY, "at": celsius(10)}
    return ShelfLife(**(fields | changes))


def common(**changes: Any) -> dict[str, Any]:
    return {"id": "p-1", "producer": "wu-family-farm", "name": "产品"} | changes


def chicken(**changes: Any) -> PoultryMeat:
    fields = common(
        id="taihe-silkie-whole",
        name="泰和乌鸡 整只 冰鲜",
        species=Species.CHICKEN,
        breed="Taihe silkie (泰和乌鸡)",
        black_bone=True,
    )
    return PoultryMeat(**(fields | changes))


def potatoes(**changes: Any) -> FreshProduce:
    fields = common(
        id="potatoes",
        name="高山土豆",
        crop="potato",
        storage=StorageClass.COOL,
        shelf_life=shelf_life(),
    )
    return FreshProduce(**(fields | changes))


def sauce(**changes: Any) -> PackagedFood:
    fields = common(
        id="chilli-sauce",
        name="辣椒酱",
        category="chilli sauce",
        storage=StorageClass.AMBIENT,
        shelf_life=shelf_life(reference=180 * DAY, at=celsius(20)),
    )
    return PackagedFood(**(fields | changes))


class TestStorageClass:
    @pytest.mark.parametrize(
        ("storage", "low", "high"),
        [
            (StorageClass.FROZEN, None, celsius(-18)),
            (StorageClass.CHILLED, celsius(0), celsius(4)),
            (StorageClass.COOL, celsius(0), celsius("7.2")),
            (StorageClass.AMBIENT, None, None),
            (StorageClass.LIVE, None, None),
        ],
    )
    def test_limits(
        self, storage: StorageClass, low: Temperature | None, high: Temperature | None
    ) -> None:
        """Each class states its lowest and highest temperature, None where it has no limit."""
        assert storage.limits == (low, high)


class TestShelfLife:
    def test_fixed_needs_no_reference_temperature(self) -> None:
        """A fixed shelf life (a legal limit) stands without a temperature."""
        basis = ShelfLife(reference=28 * DAY)
        assert basis.model is ShelfLifeModel.FIXED
        assert basis.at is None
        assert basis.source == ""

    def test_square_root_with_all_parameters(self) -> None:
        """The square-root model takes a reference temperature and a lower tmin."""
        basis = shelf_life(
            reference=5 * DAY, at=celsius(4), model=ShelfLifeModel.SQUARE_ROOT, tmin=celsius(-10)
        )
        assert basis.tmin == celsius(-10)

    def test_square_root_needs_tmin(self) -> None:
        """The square-root model without tmin is refused, with an example value."""
        with pytest.raises(
            InvalidValueError, match=_exact("the square_root model needs tmin")
        ) as info:
            shelf_life(model=ShelfLifeModel.SQUARE_ROOT)
        assert info.value.field == "tmin"
        assert info.value.hint == 'add tmin, e.g. tmin = "-10 °C" for chilled poultry'

    @pytest.mark.parametrize(
        ("tmin", "message"),
        [
            (celsius(4), "tmin 4 °C must be below the reference 4 °C"),
            (celsius(12), "tmin 12 °C must be below the reference 4 °C"),
            (Temperature(50, "°F"), "tmin 50 °F must be below the reference 4 °C"),
        ],
    )
    def test_square_root_tmin_must_be_below_the_reference(
        self, tmin: Temperature, message: str
    ) -> None:
        """tmin at or above the reference temperature is refused, whatever its unit."""
        with pytest.raises(InvalidValueError, match=_exact(message)) as info:
            shelf_life(at=celsius(4), model=ShelfLifeModel.SQUARE_ROOT, tmin=tmin)
        assert info.value.field == "tmin"

    def test_square_root_tmin_in_other_units_is_compared_exactly(self) -> None:
        """tmin in °F below the reference in °C is accepted."""
        basis = shelf_life(
            at=celsius(4), model=ShelfLifeModel.SQUARE_ROOT, tmin=Temperature(14, "°F")
        )
        assert basis.tmin == celsius(-10)

    def test_exponential_needs_slope(self) -> None:
        """The exponential model without slope is refused, with an example slope."""
        with pytest.raises(
            InvalidValueError, match=_exact("the exponential model needs slope (per °C)")
        ) as info:
            shelf_life(model=ShelfLifeModel.EXPONENTIAL)
        assert info.value.field == "slope"
        assert info.value.hint == "add slope, e.g. slope = 0.089 (cold-smoked products, FSSP)"

    @pytest.mark.parametrize(
        ("model", "extra"),
        [
            (ShelfLifeModel.SQUARE_ROOT, {"tmin": celsius(-10)}),
            (ShelfLifeModel.EXPONENTIAL, {"slope": Decimal("0.089")}),
        ],
    )
    def test_non_fixed_models_need_a_reference_temperature(
        self, model: ShelfLifeModel, extra: dict[str, Any]
    ) -> None:
        """The square-root and exponential models need the temperature `at`."""
        with pytest.raises(
            InvalidValueError, match=_exact(f"the {model.value} model needs the reference `at`")
        ) as info:
            ShelfLife(reference=5 * DAY, model=model, **extra)
        assert info.value.field == "at"

    @pytest.mark.parametrize(
        ("reference", "shown"), [(dt.timedelta(0), "0:00:00"), (-DAY, "-1 day, 0:00:00")]
    )
    def test_reference_must_be_positive(self, reference: dt.timedelta, shown: str) -> None:
        """A shelf life of zero or less is refused."""
        with pytest.raises(
            InvalidValueError, match=_exact(f"shelf life must be positive, got {shown}")
        ) as info:
            ShelfLife(reference=reference)
        assert info.value.field == "reference"


class TestDefaults:
    def test_chilled_poultry(self) -> None:
        """Chilled poultry is kept chilled and keeps 5 d at 4 °C (square-root, tmin -10 °C)."""
        bird = chicken()
        assert bird.storage_class is StorageClass.CHILLED
        basis = bird.shelf_life_basis
        assert basis is not None
        assert basis.reference == 5 * DAY
        assert basis.at == celsius(4)
        assert basis.model is ShelfLifeModel.SQUARE_ROOT
        assert basis.tmin == celsius(-10)
        assert basis.source

    def test_frozen_poultry(self) -> None:
        """Frozen poultry is kept frozen and keeps about a year at -18 °C."""
        bird = chicken(state=MeatState.FROZEN)
        assert bird.storage_class is StorageClass.FROZEN
        basis = bird.shelf_life_basis
        assert basis is not None
        assert basis.reference == 365 * DAY
        assert basis.at == celsius(-18)
        assert basis.model is ShelfLifeModel.FIXED

    def test_live_birds(self) -> None:
        """Live birds are stored as live animals and have no shelf life."""
        birds = LiveBirds(**common(species=Species.DUCK, age_days=120))
        assert birds.storage_class is StorageClass.LIVE
        assert birds.shelf_life_basis is None
        assert birds.perishable is False

    def test_shell_eggs(self) -> None:
        """Eggs are kept cool, with a fixed 28-day best-before basis."""
        eggs = ShellEggs(**common())
        assert eggs.species is Species.CHICKEN
        assert eggs.storage_class is StorageClass.COOL
        basis = eggs.shelf_life_basis
        assert basis is not None
        assert basis.reference == 28 * DAY
        assert basis.model is ShelfLifeModel.FIXED

    def test_cured_meat(self) -> None:
        """Cured meat is stored at ambient temperature, 90 d at 20 °C by the exponential model."""
        larou = CuredMeat(**common(meat="pork"))
        assert larou.process is CureProcess.SMOKED
        assert larou.storage_class is StorageClass.AMBIENT
        basis = larou.shelf_life_basis
        assert basis is not None
        assert basis.reference == 90 * DAY
        assert basis.at == celsius(20)
        assert basis.model is ShelfLifeModel.EXPONENTIAL
        assert basis.slope == Decimal("0.089")

    def test_product_overrides_win(self) -> None:
        """A product's own storage and shelf life replace its kind's defaults."""
        own = shelf_life(reference=3 * DAY, at=celsius(2))
        bird = chicken(storage=StorageClass.FROZEN, shelf_life=own)
        assert bird.storage_class is StorageClass.FROZEN
        assert bird.shelf_life_basis is own

    @pytest.mark.parametrize("make", [potatoes, sauce])
    def test_kinds_without_defaults_use_what_is_given(self, make) -> None:
        """Fresh produce and packaged food use the storage and shelf life they state."""
        product = make()
        assert product.storage_class is product.storage
        assert product.shelf_life_basis is product.shelf_life
        assert product.perishable

    def test_live_birds_may_state_no_shelf_life(self) -> None:
        """Live birds are not perishable, so no shelf life is required of them."""
        assert LiveBirds(**common(species=Species.GOOSE)).shelf_life is None


class TestRequiredBasis:
    @pytest.mark.parametrize(
        ("make", "kind"), [(potatoes, "fresh produce"), (sauce, "packaged food")]
    )
    def test_storage_is_required(self, make, kind: str) -> None:
        """Kinds with no honest default storage must state theirs."""
        with pytest.raises(
            InvalidValueError, match=_exact(f"a {kind} product must say how it is stored")
        ) as info:
            make(storage=None)
        assert info.value.field == "storage"
        assert info.value.hint == STORAGE_HINT

    @pytest.mark.parametrize(
        ("make", "kind"), [(potatoes, "fresh produce"), (sauce, "packaged food")]
    )
    def test_shelf_life_is_required(self, make, kind: str) -> None:
        """Kinds with no honest default shelf life must state theirs."""
        with pytest.raises(
            InvalidValueError, match=_exact(f"a {kind} product must say how long it keeps")
        ) as info:
            make(shelf_life=None)
        assert info.value.field == "shelf_life"
        assert info.value.hint == SHELF_LIFE_HINT

    def test_storage_is_checked_before_shelf_life(self) -> None:
        """With neither given, the missing storage is reported first."""
        with pytest.raises(InvalidValueError, match="how it is stored"):
            potatoes(storage=None, shelf_life=None)


class TestCommonFields:
    @pytest.mark.parametrize("field", ["id", "producer"])
    def test_ids_are_checked(self, field: str) -> None:
        """The product's id and its producer's id must be valid ids."""
        with pytest.raises(
            InvalidValueError, match=_exact("'not an id' is not a valid id")
        ) as info:
            chicken(**{field: "not an id"})
        assert info.value.field == field
        assert info.value.hint.startswith("use 1 to 64 ASCII letters")

    @pytest.mark.parametrize(
        ("make", "field"),
        [
            (chicken, "name"),
            (chicken, "description"),
            (chicken, "breed"),
            (potatoes, "crop"),
            (potatoes, "variety"),
            (sauce, "category"),
        ],
    )
    def test_blank_text_is_refused(self, make, field: str) -> None:
        """Text fields must not be blank when given."""
        with pytest.raises(InvalidValueError, match=_exact(f"{field} must not be empty")) as info:
            make(**{field: "  "})
        assert info.value.field == field
        assert info.value.hint == "write some text here"

    def test_cured_meat_needs_the_meat(self) -> None:
        """Cured meat says which animal it is from."""
        with pytest.raises(InvalidValueError, match=_exact("meat must not be empty")):
            CuredMeat(**common(meat=""))

    @pytest.mark.parametrize("age", [0, -3])
    def test_live_birds_age_must_be_positive(self, age: int) -> None:
        """A bird's age in days is a whole number above zero."""
        with pytest.raises(
            InvalidValueError,
            match=_exact(f"age_days must be a whole number above zero, got {age}"),
        ) as info:
            LiveBirds(**common(species=Species.CHICKEN, age_days=age))
        assert info.value.field == "age_days"

    def test_optional_fields(self) -> None:
        """Names, description, GTIN and images are optional and kept as given."""
        gtin = Gtin("09526000160014")
        bird = chicken(
            names={"en": "Silkie chicken"},
            description="山里散养",
            gtin=gtin,
            images=["images/a.jpg", "images/b.jpg"],
            cut=Cut.HALF,
        )
        assert bird.gtin == gtin
        assert bird.images == ("images/a.jpg", "images/b.jpg")
        assert bird.description == "山里散养"
        assert bird.cut is Cut.HALF

    def test_names_are_read_only(self) -> None:
        """The names mapping is a read-only copy of what was given."""
        given = {"en": "Silkie chicken"}
        bird = chicken(names=given)
        given["en"] = "changed"
        assert bird.names["en"] == "Silkie chicken"
        with pytest.raises(TypeError):
            bird.names["fr"] = "poulet"  # type: ignore[index]

    def test_products_are_hashable(self) -> None:
        """Products are frozen values that can go in sets, names and all."""
        assert len({chicken(names={"en": "a"}), chicken(names={"en": "a"})}) == 1


class TestNameIn:
    @pytest.mark.parametrize(
        ("locale", "expected"),
        [
            ("en", "Silkie chicken"),
            ("en_US", "Silkie chicken"),
            ("en-GB", "Silkie chicken"),
            ("zh-TW", "烏骨雞"),
            ("zh_TW", "烏骨雞"),
            ("fr", "泰和乌鸡 整只 冰鲜"),
            ("zh-HK", "泰和乌鸡 整只 冰鲜"),
        ],
    )
    def test_fallbacks(self, locale: str, expected: str) -> None:
        """The exact locale wins, then its language, then the product's own name."""
        bird = chicken(names={"en": "Silkie chicken", "zh-TW": "烏骨雞"})
        assert bird.name_in(locale) == expected

    def test_without_names(self) -> None:
        """A product with no other names answers with its own name."""
        assert chicken().name_in("en") == "泰和乌鸡 整只 冰鲜"

    def test_underscore_key_is_found(self) -> None:
        """A name stored under ``zh_TW`` is found when ``zh_TW`` is asked for."""
        bird = chicken(names={"zh_TW": "烏骨雞"})
        assert bird.name_in("zh_TW") == "烏骨雞"


class TestKinds:
    def test_product_kinds_by_name(self) -> None:
        """Every kind is listed under the name catalogue files use for it."""
        assert dict(PRODUCT_KINDS) == {
            "poultry_meat": PoultryMeat,
            "live_birds": LiveBirds,
            "shell_eggs": ShellEggs,
            "fresh_produce": FreshProduce,
            "cured_meat": CuredMeat,
            "packaged_food": PackagedFood,
        }

    def test_every_kind_is_a_product(self) -> None:
        """Each kind derives from Product and names itself."""
        for name, cls in PRODUCT_KINDS.items():
            assert issubclass(cls, Product)
            assert cls.kind == name
