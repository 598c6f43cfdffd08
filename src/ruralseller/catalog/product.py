"""Products by kind, each knowing how it must be stored and how long it keeps.

A product is one of a closed set of kinds: :class:`PoultryMeat`, :class:`LiveBirds`,
:class:`ShellEggs`, :class:`FreshProduce`, :class:`CuredMeat` and :class:`PackagedFood`.
Catalogue files name the kind explicitly (``kind = "poultry_meat"``); an unknown kind is an
error, never a guess.

Every kind has a storage class and a shelf-life basis. Where a kind has a sourced default it is
used unless the product overrides it; fresh produce and generic packaged food have no honest
default, so those products must state theirs.

Example:
    >>> chicken = PoultryMeat(
    ...     id="taihe-silkie-whole",
    ...     producer="wu-family-farm",
    ...     name="泰和乌鸡 整只 冰鲜",
    ...     species=Species.CHICKEN,
    ...     breed="Taihe silkie (泰和乌鸡)",
    ...     black_bone=True,
    ...     cut=Cut.WHOLE,
    ...     state=MeatState.CHILLED,
    ... )
    >>> chicken.storage_class
    <StorageClass.CHILLED: 'chilled'>
    >>> chicken.shelf_life_basis.reference
    datetime.timedelta(days=5)
    >>> chicken.shelf_life is None  # no override: the kind's default applies
    True
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from ruralseller.catalog import checks as _checks
from ruralseller.catalog.gs1 import Gtin
from ruralseller.catalog.units import Temperature

__all__ = [
    "PRODUCT_KINDS",
    "CureProcess",
    "CuredMeat",
    "Cut",
    "FreshProduce",
    "LiveBirds",
    "MeatState",
    "PackagedFood",
    "PoultryMeat",
    "Product",
    "ShelfLife",
    "ShelfLifeModel",
    "ShellEggs",
    "Species",
    "StorageClass",
]


class StorageClass(enum.Enum):
    """How cold a product must be kept, in broad classes.

    The limits of each class and the standards behind them are in :attr:`limits`; later stages
    (cold chain, compliance) refine them per product and jurisdiction.
    """

    FROZEN = "frozen"
    """At or below -18 °C (GB/T 24616-2019; Directive 89/108/EEC Art. 5)."""
    CHILLED = "chilled"
    """Above freezing and at most 4 °C, as for chilled meat and poultry (GB 20799-2016;
    Reg. (EC) 853/2004 Annex III Section II Ch. V)."""
    COOL = "cool"
    """Kept cool but not chilled, e.g. shell eggs at most 7.2 °C (45 °F, 21 CFR 115.50)."""
    AMBIENT = "ambient"
    """Room temperature, dry: fully cured or smoked meat, grain, potatoes in a cool cellar."""
    LIVE = "live"
    """Live animals: an animal-welfare question, not a temperature class."""

    @property
    def limits(self) -> tuple[Temperature | None, Temperature | None]:
        """The (lowest, highest) temperature of the class; None where it has no limit."""
        return _LIMITS[self]


_LIMITS: dict[StorageClass, tuple[Temperature | None, Temperature | None]] = {
    StorageClass.FROZEN: (None, Temperature(-18, "°C")),
    StorageClass.CHILLED: (Temperature(0, "°C"), Temperature(4, "°C")),
    StorageClass.COOL: (Temperature(0, "°C"), Temperature("7.2", "°C")),
    StorageClass.AMBIENT: (None, None),
    StorageClass.LIVE: (None, None),
}


class ShelfLifeModel(enum.Enum):
    """How shelf life changes with temperature."""

    SQUARE_ROOT = "square_root"
    """Ratkowsky square-root model: SL(T) = SL_ref · ((T_ref − T_min)/(T − T_min))²."""
    EXPONENTIAL = "exponential"
    """Exponential (Q10) model: ln RRS = slope · (T − T_ref)."""
    FIXED = "fixed"
    """A fixed shelf life at the stated storage (e.g. a legal best-before limit)."""


def _model_parameters(instance: ShelfLife, attribute: attrs.Attribute[Any], value: Any) -> None:
    if instance.model is ShelfLifeModel.SQUARE_ROOT:
        if value is None and attribute.name == "tmin":
            raise _checks.fail(
                attribute,
                "the square_root model needs tmin",
                'add tmin, e.g. tmin = "-10 °C" for chilled poultry',
            )
        if attribute.name == "tmin" and instance.at is not None and value >= instance.at:
            raise _checks.fail(attribute, f"tmin {value} must be below the reference {instance.at}")
    if instance.model is ShelfLifeModel.EXPONENTIAL and attribute.name == "slope" and value is None:
        raise _checks.fail(
            attribute,
            "the exponential model needs slope (per °C)",
            "add slope, e.g. slope = 0.089 (cold-smoked products, FSSP)",
        )
    if instance.model is not ShelfLifeModel.FIXED and attribute.name == "at" and value is None:
        raise _checks.fail(attribute, f"the {instance.model.value} model needs the reference `at`")


@attrs.frozen(kw_only=True)
class ShelfLife:
    """How long a product keeps, at a reference temperature, and how that changes.

    Attributes:
        reference: shelf life at the reference temperature ``at``.
        at: the reference temperature (needed except for the fixed model).
        model: how shelf life scales with temperature.
        tmin: the square-root model's notional minimum growth temperature.
        slope: the exponential model's slope, per °C.
        source: where the numbers come from.
    """

    reference: dt.timedelta = attrs.field()
    at: Temperature | None = attrs.field(default=None, validator=_model_parameters)
    model: ShelfLifeModel = ShelfLifeModel.FIXED
    tmin: Temperature | None = attrs.field(default=None, validator=_model_parameters)
    slope: Decimal | None = attrs.field(default=None, validator=_model_parameters)
    source: str = attrs.field(default="", validator=attrs.validators.instance_of(str))

    @reference.validator
    def _positive(self, attribute: attrs.Attribute[Any], value: dt.timedelta) -> None:
        if value <= dt.timedelta(0):
            raise _checks.fail(attribute, f"shelf life must be positive, got {value}")


class Species(enum.Enum):
    """Poultry species."""

    CHICKEN = "chicken"
    DUCK = "duck"
    GOOSE = "goose"
    PIGEON = "pigeon"
    QUAIL = "quail"
    TURKEY = "turkey"


class Cut(enum.Enum):
    """How a bird is cut for sale."""

    WHOLE = "whole"
    HALF = "half"
    BREAST = "breast"
    LEG = "leg"
    WING = "wing"
    FEET = "feet"
    GIBLETS = "giblets"
    PARTS = "parts"


class MeatState(enum.Enum):
    """Whether meat is sold chilled or frozen."""

    CHILLED = "chilled"
    FROZEN = "frozen"


class CureProcess(enum.Enum):
    """How cured meat (腊肉) is made."""

    CURED = "cured"
    SMOKED = "smoked"
    AIR_DRIED = "air_dried"


@attrs.frozen(kw_only=True)
class Product:
    """What every product has, whatever its kind. Use one of the kinds, not this class.

    Attributes:
        id: how lots refer to the product, e.g. ``taihe-silkie-whole``.
        producer: the id of the producer who makes it.
        name: the product's name in the producer's language.
        names: the name in other languages, by locale (e.g. ``en``), for listings.
        description: a few words about it, in the producer's language.
        gtin: the product's GTIN, if it has one (GS1 AI 01).
        images: picture files, relative to the catalogue folder.
        storage: override the kind's storage class.
        shelf_life: override (or, where the kind has none, give) the shelf-life basis.
    """

    kind: ClassVar[str]
    default_storage: ClassVar[StorageClass | None] = None
    default_shelf_life: ClassVar[ShelfLife | None] = None
    must_state: ClassVar[tuple[str, ...]] = ()
    """Fields this kind has no honest default for, so each product must give them."""

    id: str = attrs.field(validator=_checks.identifier)
    producer: str = attrs.field(validator=_checks.identifier)
    name: str = attrs.field(validator=_checks.text)
    names: Mapping[str, str] = attrs.field(
        factory=dict, converter=_checks.frozen_mapping, hash=False
    )
    description: str | None = attrs.field(default=None, validator=_checks.optional_text)
    gtin: Gtin | None = None
    images: tuple[str, ...] = attrs.field(default=(), converter=_checks.frozen_tuple)
    storage: StorageClass | None = None
    shelf_life: ShelfLife | None = None

    def __attrs_post_init__(self) -> None:
        kind = self.kind.replace("_", " ")
        if "storage" in self.must_state and self.storage is None:
            raise _checks.fail(
                attrs.fields(Product).storage,
                f"a {kind} product must say how it is stored",
                "add storage = one of " + ", ".join(repr(s.value) for s in StorageClass),
            )
        if "shelf_life" in self.must_state and self.shelf_life is None:
            raise _checks.fail(
                attrs.fields(Product).shelf_life,
                f"a {kind} product must say how long it keeps",
                'add shelf_life = { reference = "14 d", at = "10 °C" }',
            )

    def _default_storage(self) -> StorageClass | None:
        return self.default_storage

    def _default_shelf_life(self) -> ShelfLife | None:
        return self.default_shelf_life

    @property
    def perishable(self) -> bool:
        """Whether the product has a shelf life at all (live birds do not)."""
        return True

    @property
    def storage_class(self) -> StorageClass:
        """The storage class: the product's own, else its kind's default."""
        found = self.storage or self._default_storage()
        assert found is not None  # noqa: S101 - checked in __attrs_post_init__
        return found

    @property
    def shelf_life_basis(self) -> ShelfLife | None:
        """The shelf-life basis: the product's own, else its kind's default (None if none)."""
        return self.shelf_life or self._default_shelf_life()

    def name_in(self, locale: str) -> str:
        """The name in ``locale`` (``zh-CN``, ``en``…), else in its language, else :attr:`name`."""
        names = {key.replace("_", "-").casefold(): text for key, text in self.names.items()}
        tag = locale.replace("_", "-").casefold()
        return names.get(tag) or names.get(tag.split("-")[0]) or self.name


# Chilled poultry: village slaughter, air-packed, about 5 d at 4 °C, square-root model with
# Tmin -10 °C (Jiménez et al. 1997, J Appl Microbiol 83:613, for 5 d at 4 °C air-packed; the
# IIR 2000 poultry storage table, 32/17/12/7 d by band, fits Tmin = -10 °C).
_CHILLED_POULTRY = ShelfLife(
    reference=dt.timedelta(days=5),
    at=Temperature(4, "°C"),
    model=ShelfLifeModel.SQUARE_ROOT,
    tmin=Temperature(-10, "°C"),
    source="Jiménez et al. 1997 (5 d at 4 °C, air-packed); IIR 2000 fit, Tmin -10 °C",
)
# Frozen poultry keeps for about a year at -18 °C for quality (USDA FSIS cold storage chart).
_FROZEN_POULTRY = ShelfLife(
    reference=dt.timedelta(days=365),
    at=Temperature(-18, "°C"),
    model=ShelfLifeModel.FIXED,
    source="USDA FSIS freezing and food safety: whole poultry about 1 year at 0 °F",
)
# EU: best-before at most 28 days after laying (Reg. (EC) 589/2008 Art. 13, since replaced by
# Del. Reg. (EU) 2023/2465, which keeps the 28 days as far as we know: unverified).
_EGGS = ShelfLife(
    reference=dt.timedelta(days=28),
    model=ShelfLifeModel.FIXED,
    source="EU egg marketing rules (Reg. 589/2008 Art. 13; now 2023/2465): 28 d after laying",
)
# Cured/smoked meat: FSSP's ln RRS = 0.089·T for smoked products as a proxy, about 90 d at
# 20 °C (DTU FSSP, fssp.food.dtu.dk RRS-CSS; folk guidance of 3-6 months below 20 °C, unverified).
_CURED_MEAT = ShelfLife(
    reference=dt.timedelta(days=90),
    at=Temperature(20, "°C"),
    model=ShelfLifeModel.EXPONENTIAL,
    slope=Decimal("0.089"),
    source="FSSP smoked-product RRS (ln RRS = 0.089·T) as proxy; 90 d at 20 °C unverified",
)


def _optional_tuple(value: Any) -> tuple[str, ...] | None:
    return None if value is None else _checks.frozen_tuple(value)


@attrs.frozen(kw_only=True)
class PoultryMeat(Product):
    """Dressed poultry: whole birds or cuts, chilled or frozen.

    Attributes:
        species: chicken, duck, goose...
        breed: the breed, e.g. ``Taihe silkie (泰和乌鸡)``.
        black_bone: whether it is a black-bone (乌骨) breed.
        cut: whole, half, breast, leg...
        state: chilled or frozen.
    """

    kind: ClassVar[str] = "poultry_meat"

    species: Species
    breed: str | None = attrs.field(default=None, validator=_checks.optional_text)
    black_bone: bool = False
    cut: Cut = Cut.WHOLE
    state: MeatState = MeatState.CHILLED

    def _default_storage(self) -> StorageClass:
        return StorageClass.FROZEN if self.state is MeatState.FROZEN else StorageClass.CHILLED

    def _default_shelf_life(self) -> ShelfLife:
        return _FROZEN_POULTRY if self.state is MeatState.FROZEN else _CHILLED_POULTRY


@attrs.frozen(kw_only=True)
class LiveBirds(Product):
    """Live poultry, sold to be raised or slaughtered by the buyer.

    Attributes:
        species: chicken, duck, goose...
        breed: the breed.
        age_days: age in days at sale, if known.
    """

    kind: ClassVar[str] = "live_birds"
    default_storage: ClassVar[StorageClass | None] = StorageClass.LIVE

    species: Species
    breed: str | None = attrs.field(default=None, validator=_checks.optional_text)
    age_days: int | None = attrs.field(default=None, validator=_checks.positive)

    @property
    def perishable(self) -> bool:
        """Live birds have no shelf life."""
        return False


@attrs.frozen(kw_only=True)
class ShellEggs(Product):
    """Eggs in their shells.

    Attributes:
        species: the bird that laid them.
        breed: the breed of the flock, e.g. ``Taihe silkie``.
        washed: whether the eggs were washed (washed eggs must be kept refrigerated in the US).
        shell_colour: e.g. ``cream``, ``brown``, ``green``.
    """

    kind: ClassVar[str] = "shell_eggs"
    default_storage: ClassVar[StorageClass | None] = StorageClass.COOL
    default_shelf_life: ClassVar[ShelfLife | None] = _EGGS

    species: Species = Species.CHICKEN
    breed: str | None = attrs.field(default=None, validator=_checks.optional_text)
    washed: bool = False
    shell_colour: str | None = attrs.field(default=None, validator=_checks.optional_text)


@attrs.frozen(kw_only=True)
class FreshProduce(Product):
    """Fresh fruit, vegetables or tubers (potatoes...). Must state storage and shelf life.

    Attributes:
        crop: what it is, e.g. ``potato``.
        variety: the variety, e.g. ``Zhongshu 5``.
    """

    kind: ClassVar[str] = "fresh_produce"
    must_state: ClassVar[tuple[str, ...]] = ("storage", "shelf_life")

    crop: str = attrs.field(validator=_checks.text)
    variety: str | None = attrs.field(default=None, validator=_checks.optional_text)


@attrs.frozen(kw_only=True)
class CuredMeat(Product):
    """Cured, smoked or air-dried meat such as larou (腊肉).

    Attributes:
        meat: the animal, e.g. ``pork``.
        process: cured, smoked or air-dried.
        ingredients: the ingredients in descending order of weight, for the label.
        standard: the product standard the food is made to (产品标准代号), e.g.
            ``GB 2730-2015``, for the label.
        nutrition: the nutrition panel per 100 g, by nutrient (energy, protein, fat,
            carbohydrate, sodium), e.g. ``{ energy = "1820 kJ" }``.
        allergens: the allergens the food contains; None when not stated yet, an empty
            list for "none".
    """

    kind: ClassVar[str] = "cured_meat"
    default_storage: ClassVar[StorageClass | None] = StorageClass.AMBIENT
    default_shelf_life: ClassVar[ShelfLife | None] = _CURED_MEAT

    meat: str = attrs.field(validator=_checks.text)
    process: CureProcess = CureProcess.SMOKED
    ingredients: tuple[str, ...] = attrs.field(default=(), converter=_checks.frozen_tuple)
    standard: str | None = attrs.field(default=None, validator=_checks.optional_text)
    nutrition: Mapping[str, str] = attrs.field(
        factory=dict, converter=_checks.frozen_mapping, hash=False
    )
    allergens: tuple[str, ...] | None = attrs.field(default=None, converter=_optional_tuple)


@attrs.frozen(kw_only=True)
class PackagedFood(Product):
    """Any other pre-packaged food. Must state storage and shelf life.

    Attributes:
        category: what it is, e.g. ``chilli sauce``.
        ingredients: the ingredients in descending order of weight, for the label.
        standard: the product standard the food is made to (产品标准代号), for the label.
        nutrition: the nutrition panel per 100 g, by nutrient.
        allergens: the allergens the food contains; None when not stated yet, an empty
            list for "none".
    """

    kind: ClassVar[str] = "packaged_food"
    must_state: ClassVar[tuple[str, ...]] = ("storage", "shelf_life")

    category: str = attrs.field(validator=_checks.text)
    ingredients: tuple[str, ...] = attrs.field(default=(), converter=_checks.frozen_tuple)
    standard: str | None = attrs.field(default=None, validator=_checks.optional_text)
    nutrition: Mapping[str, str] = attrs.field(
        factory=dict, converter=_checks.frozen_mapping, hash=False
    )
    allergens: tuple[str, ...] | None = attrs.field(default=None, converter=_optional_tuple)


PRODUCT_KINDS: Mapping[str, type[Product]] = {
    cls.kind: cls
    for cls in (PoultryMeat, LiveBirds, ShellEggs, FreshProduce, CuredMeat, PackagedFood)
}
"""Every product kind by the name catalogue files use for it."""
