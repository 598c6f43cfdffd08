"""Temperature limits per product: the storage band, the freeze-damage floor, and the law.

Three kinds of limit matter for a parcel of food, and this module keeps them apart:

* the **storage band** of the product's :class:`~ruralseller.catalog.StorageClass` (chilled
  0-4 °C, cool up to 7.2 °C, frozen at or below -18 °C...), the band the seller keeps it in;
* the **freeze-damage floor** below which chilled food is spoilt by freezing: about -2 °C for
  chilled chicken (the floor of EU "fresh" poultrymeat) and about -1 °C for shell eggs, whose
  shells crack when they freeze (USDA FSIS, Shell Eggs from Farm to Table: do not freeze);
* the **temperature classes** of each jurisdiction's storage and transport rules, such as EU
  "fresh" poultrymeat at -2 to +4 °C or US shell eggs at an ambient of at most 45 °F: data
  you can list (:data:`TEMPERATURE_CLASSES`, :func:`temperature_classes`), each with its
  citation and how well that source is verified.

:func:`class_limits` gathers all three for one product.

Example:
    >>> from ruralseller.catalog import PoultryMeat, Species
    >>> chicken = PoultryMeat(
    ...     id="silkie", producer="wu-family-farm", name="泰和乌鸡", species=Species.CHICKEN
    ... )
    >>> limits = class_limits(chicken)
    >>> limits.low, limits.high, limits.freeze_floor
    (Temperature('0 °C'), Temperature('4 °C'), Temperature('-2 °C'))
    >>> [c.code for c in limits.classes if c.jurisdiction == "EU"]
    ['EU-POULTRY-CHILL', 'EU-FRESH-POULTRYMEAT']
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from ruralseller.catalog import PRODUCT_KINDS, Product, StorageClass, Temperature
from ruralseller.compliance import Citation, SourceStatus
from ruralseller.errors import InvalidValueError

__all__ = [
    "TEMPERATURE_CLASSES",
    "ClassLimits",
    "TemperatureClass",
    "class_limits",
    "temperature_class",
    "temperature_classes",
]


def _kinds(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


def _known_kinds(
    _instance: object, _attribute: attrs.Attribute[Any], value: frozenset[str]
) -> None:
    unknown = sorted(value - set(PRODUCT_KINDS))
    if unknown:
        raise InvalidValueError(
            f"unknown product kind(s) {unknown} in a temperature class",
            field="kinds",
            hint="use: " + ", ".join(PRODUCT_KINDS),
        )


def _optional_temperature(
    _instance: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    if value is not None and not isinstance(value, Temperature):
        raise InvalidValueError(
            f"{attribute.name} must be a Temperature or None, got {value!r}",
            field=attribute.name,
            hint="e.g. Temperature(4, '°C')",
        )


def _contains(low: Temperature | None, high: Temperature | None, temperature: Temperature) -> bool:
    if not isinstance(temperature, Temperature):
        raise InvalidValueError(
            f"temperature must be a Temperature, got {temperature!r}",
            hint="e.g. Temperature(4, '°C')",
        )
    return (low is None or temperature >= low) and (high is None or temperature <= high)


@attrs.frozen(kw_only=True)
class TemperatureClass:
    """One jurisdiction's temperature rule for storing or carrying some foods.

    Limits are inclusive; a rule worded "below 8 °C" says so in :attr:`note`.

    Attributes:
        code: a stable code, e.g. ``EU-FRESH-POULTRYMEAT``.
        title: what the rule requires, in a few words.
        jurisdiction: ``CN``, ``EU``, ``US``, or ``ATP`` for the UNECE agreement on the
            international carriage of perishable foodstuffs.
        kinds: the product kinds it concerns (empty for every kind).
        storage: the storage class of the products it concerns (None for any), e.g. the EU
            "fresh" poultrymeat band concerns chilled poultry, not frozen.
        low: the coldest allowed, or None.
        high: the warmest allowed, or None.
        citation: the legal source.
        status: how well that source is verified (verified, partial or unverified).
        note: what a reader should know: wording, exceptions, what is unverified.
    """

    code: str
    title: str
    jurisdiction: str
    kinds: frozenset[str] = attrs.field(factory=frozenset, converter=_kinds, validator=_known_kinds)
    storage: StorageClass | None = None
    low: Temperature | None = attrs.field(default=None, validator=_optional_temperature)
    high: Temperature | None = attrs.field(default=None, validator=_optional_temperature)
    citation: Citation
    status: SourceStatus
    note: str = ""

    def __attrs_post_init__(self) -> None:
        if self.low is not None and self.high is not None and self.low > self.high:
            raise InvalidValueError(
                f"temperature class {self.code}: low {self.low} is above high {self.high}"
            )

    def applies_to(self, product: Product) -> bool:
        """Whether the rule concerns this product (its kind and storage class).

        Example:
            >>> from ruralseller.catalog import ShellEggs
            >>> eggs = ShellEggs(id="eggs", producer="wu-family-farm", name="乌鸡蛋")
            >>> temperature_class("US-EGGS").applies_to(eggs)
            True
        """
        return (not self.kinds or product.kind in self.kinds) and (
            self.storage is None or product.storage_class is self.storage
        )

    def contains(self, temperature: Temperature) -> bool:
        """Whether ``temperature`` is within the class's limits.

        Example:
            >>> eggs = temperature_class("US-EGGS")
            >>> eggs.contains(Temperature(45, "°F")), eggs.contains(Temperature(8, "°C"))
            (True, False)
        """
        return _contains(self.low, self.high, temperature)


def _c(value: int | str) -> Temperature:
    return Temperature(value, "°C")


_GBT_24616 = Citation(
    "GB/T 24616-2019",
    "chilled food below 8 °C and above its freezing point; frozen food at or below -18 °C",
    "http://gzkrd.com.cn/news_383.html",
)
_EU_POULTRY_MARKETING = Citation(
    "Reg. (EU) 1308/2013",
    "Annex VII Part V (poultrymeat marketing standards)",
)
_ATP_ANNEX_3 = Citation(
    "UNECE ATP",
    "Annex 3 (maximum carriage temperatures of chilled foods)",
    "https://coch.pl/en/food-temperatures/",
)

TEMPERATURE_CLASSES: tuple[TemperatureClass, ...] = (
    # --- China (GB/T 24616-2019; GB 31605-2020) ---
    TemperatureClass(
        code="CN-CHILLED-FOOD",
        title="chilled food is stored, carried and sold below 8 °C and above its freezing point",
        jurisdiction="CN",
        storage=StorageClass.CHILLED,
        high=_c(8),
        citation=_GBT_24616,
        status=SourceStatus.VERIFIED,
        note="voluntary standard; the text says below 8 °C, so 8 °C itself is outside",
    ),
    TemperatureClass(
        code="CN-CHILLED-MEAT",
        title="chilled meat and poultry are held at 0-4 °C from processing to sale",
        jurisdiction="CN",
        kinds={"poultry_meat"},
        storage=StorageClass.CHILLED,
        low=_c(0),
        high=_c(4),
        citation=Citation("GB 20799-2016; GB 2707-2016", "definitions of chilled meat"),
        status=SourceStatus.PARTIAL,
        note="seen in secondary sources only, not in the standards' own text",
    ),
    TemperatureClass(
        code="CN-FROZEN-FOOD",
        title="frozen food is stored and carried at or below -18 °C",
        jurisdiction="CN",
        storage=StorageClass.FROZEN,
        high=_c(-18),
        citation=_GBT_24616,
        status=SourceStatus.VERIFIED,
    ),
    # --- EU (Reg. (EC) 853/2004 Annex III; Reg. (EU) 2023/2465) ---
    TemperatureClass(
        code="EU-POULTRY-CHILL",
        title="poultry carcasses and poultry meat are chilled to and kept at 4 °C or less",
        jurisdiction="EU",
        kinds={"poultry_meat"},
        storage=StorageClass.CHILLED,
        high=_c(4),
        citation=Citation("Reg. (EC) 853/2004", "Annex III Section II Ch. IV-V"),
        status=SourceStatus.PARTIAL,
    ),
    TemperatureClass(
        code="EU-FRESH-POULTRYMEAT",
        title='"fresh" poultrymeat is never stiffened by cold and is kept at -2 to +4 °C',
        jurisdiction="EU",
        kinds={"poultry_meat"},
        storage=StorageClass.CHILLED,
        low=_c(-2),
        high=_c(4),
        citation=_EU_POULTRY_MARKETING,
        status=SourceStatus.VERIFIED,
        note="a marketing term: below -2 °C the meat may no longer be sold as fresh",
    ),
    TemperatureClass(
        code="EU-FROZEN-POULTRYMEAT",
        title='"frozen" poultrymeat is kept at -12 °C or colder at all points',
        jurisdiction="EU",
        kinds={"poultry_meat"},
        storage=StorageClass.FROZEN,
        high=_c(-12),
        citation=Citation("Reg. (EC) 543/2008", "Art. 6"),
        status=SourceStatus.VERIFIED,
        note="brief upward fluctuations of at most 3 °C are allowed in local distribution",
    ),
    TemperatureClass(
        code="EU-QUICK-FROZEN",
        title="quick-frozen food is kept at -18 °C or colder",
        jurisdiction="EU",
        storage=StorageClass.FROZEN,
        high=_c(-18),
        citation=Citation("Directive 89/108/EEC", "Art. 5"),
        status=SourceStatus.VERIFIED,
        note="brief rises of at most 3 °C in transport; -15 °C in retail cabinets (unverified)",
    ),
    TemperatureClass(
        code="EU-EGGS",
        title="eggs are not kept in rooms artificially held below +5 °C before sale",
        jurisdiction="EU",
        kinds={"shell_eggs"},
        low=_c(5),
        citation=Citation("Reg. (EC) 853/2004", "Annex III Section X Ch. I"),
        status=SourceStatus.UNVERIFIED,
        note="no refrigeration is required; up to 24 h colder in transport is allowed; "
        "keep eggs at a constant temperature (Reg. (EC) 853/2004 Annex III Sec. X Ch. I)",
    ),
    # --- UNECE ATP (Agreement on the International Carriage of Perishable Foodstuffs) ---
    TemperatureClass(
        code="ATP-POULTRY",
        title="poultry, rabbits and small game are carried at +4 °C at most",
        jurisdiction="ATP",
        kinds={"poultry_meat"},
        storage=StorageClass.CHILLED,
        high=_c(4),
        citation=_ATP_ANNEX_3,
        status=SourceStatus.PARTIAL,
        note="fully salted, smoked, dried or sterilised products are outside Annex 3, "
        "which is why well-cured meat may travel ambient",
    ),
    # --- USA (FDA Food Code 2022; 7 CFR 57 and 59; 21 CFR 118) ---
    TemperatureClass(
        code="US-POULTRY",
        title="raw poultry is kept at 40 °F (4.4 °C) or less",
        jurisdiction="US",
        kinds={"poultry_meat"},
        storage=StorageClass.CHILLED,
        high=Temperature(40, "°F"),
        citation=Citation("USDA FSIS", "guidance on raw poultry (safe harbor)"),
        status=SourceStatus.PARTIAL,
    ),
    TemperatureClass(
        code="US-EGGS",
        title="shell eggs are stored and carried at an ambient of 45 °F (7.2 °C) or less",
        jurisdiction="US",
        kinds={"shell_eggs"},
        high=Temperature(45, "°F"),
        citation=Citation("21 CFR 115.50; 63 FR 45663 (1998)", "shell egg refrigeration"),
        status=SourceStatus.VERIFIED,
        note="the limit is on the air around the eggs; packs must say 'refrigeration required'",
    ),
    TemperatureClass(
        code="US-FROZEN",
        title="frozen food is kept at 0 °F (-17.8 °C) or colder",
        jurisdiction="US",
        storage=StorageClass.FROZEN,
        high=Temperature(0, "°F"),
        citation=Citation("USDA FSIS", "cold storage chart"),
        status=SourceStatus.UNVERIFIED,
    ),
)
"""Every built-in storage and transport temperature class, by jurisdiction."""


def temperature_class(code: str) -> TemperatureClass:
    """The built-in temperature class with this code.

    Raises:
        InvalidValueError: no class has that code; the message lists the codes there are.

    Example:
        >>> temperature_class("EU-FRESH-POULTRYMEAT").low
        Temperature('-2 °C')
    """
    for found in TEMPERATURE_CLASSES:
        if found.code == code:
            return found
    raise InvalidValueError(
        f"no temperature class has the code {code!r}",
        hint="use one of: " + ", ".join(c.code for c in TEMPERATURE_CLASSES),
    )


def temperature_classes(
    *, jurisdiction: str | None = None, product: Product | None = None
) -> tuple[TemperatureClass, ...]:
    """The built-in temperature classes, for one jurisdiction or one product if given.

    Example:
        >>> [c.code for c in temperature_classes(jurisdiction="US")]
        ['US-POULTRY', 'US-EGGS', 'US-FROZEN']
    """
    if jurisdiction is not None:
        known = {c.jurisdiction for c in TEMPERATURE_CLASSES}
        if jurisdiction not in known:
            raise InvalidValueError(
                f"no temperature classes for jurisdiction {jurisdiction!r}",
                hint="use one of: " + ", ".join(sorted(known)),
            )
    if product is not None and not isinstance(product, Product):
        raise InvalidValueError(f"product must be a Product, got {product!r}")
    return tuple(
        c
        for c in TEMPERATURE_CLASSES
        if (jurisdiction is None or c.jurisdiction == jurisdiction)
        and (product is None or c.applies_to(product))
    )


# --- limits per product --------------------------------------------------------------------

_STORAGE_SOURCES: dict[StorageClass, Citation | None] = {
    StorageClass.FROZEN: Citation("GB/T 24616-2019; Directive 89/108/EEC", "Art. 5"),
    StorageClass.CHILLED: Citation(
        "GB 20799-2016; Reg. (EC) 853/2004", "Annex III Section II Ch. V (poultry at 4 °C)"
    ),
    StorageClass.COOL: Citation("21 CFR 115.50", "shell eggs at an ambient of 45 °F or less"),
    StorageClass.AMBIENT: Citation(
        "UNECE ATP", "Annex 3: fully salted, smoked or dried products need no chilled carriage"
    ),
    StorageClass.LIVE: None,
}

# Freeze-damage floors: chilled chicken below about -2 °C (the floor of EU "fresh" poultrymeat,
# Reg. (EU) 543/2008 Art. 2), eggs below about -1 °C (their contents freeze).
_POULTRY_FLOOR = (
    _c(-2),
    _EU_POULTRY_MARKETING,
    (
        'EU "fresh" poultrymeat is never stiffened by cold and never below -2 °C; colder, '
        "chilled chicken starts to freeze (Reg. (EU) 543/2008 Art. 2)"
    ),
)
_EGG_FLOOR = (
    _c(-1),
    Citation("USDA FSIS", "cold storage chart: shell eggs, do not freeze"),
    (
        "egg contents freeze a little below 0 °C and freezing cracks the shells "
        "(about -1 °C; USDA FSIS, Shell Eggs from Farm to Table: do not freeze eggs in shells)"
    ),
)
_GENERIC_FLOOR = (
    _c(0),
    _GBT_24616,
    (
        "chilled food stays above its freezing point; this product's own freezing point is "
        "not known, so 0 °C, where water freezes, is the floor"
    ),
)
_FROZEN_STORAGE = {StorageClass.FROZEN, StorageClass.LIVE}


def _freeze_floor(product: Product) -> tuple[Temperature | None, Citation | None, str]:
    storage = product.storage_class
    if storage in _FROZEN_STORAGE:
        return None, None, f"{storage.value} storage: freezing does not damage it"
    if product.kind == "poultry_meat":
        return _POULTRY_FLOOR
    if product.kind == "shell_eggs":
        return _EGG_FLOOR
    if product.kind == "cured_meat":
        # Cured meat keeps longer frozen (USDA FSIS cold storage chart); freezing does not spoil it.
        return None, None, "cured meat is not damaged by freezing (USDA FSIS cold storage chart)"
    if storage in {StorageClass.CHILLED, StorageClass.COOL}:
        return _GENERIC_FLOOR
    return None, None, f"no freeze-damage floor is known for {product.kind} kept {storage.value}"


@attrs.frozen(kw_only=True)
class ClassLimits:
    """The temperature limits of one product, each with where it comes from.

    Attributes:
        product: the product's id.
        kind: the product's kind, e.g. ``poultry_meat``.
        storage_class: the product's storage class.
        low: the coldest of the storage band, or None.
        high: the warmest of the storage band, or None.
        source: the standard behind the storage band; None for live animals.
        freeze_floor: the temperature below which freezing damages the food, or None when
            freezing does not (frozen, live or cured products).
        freeze_source: the source of the floor.
        freeze_note: why the floor is where it is (or why there is none).
        classes: the jurisdictions' temperature classes that concern this product.
    """

    product: str
    kind: str
    storage_class: StorageClass
    low: Temperature | None
    high: Temperature | None
    source: Citation | None
    freeze_floor: Temperature | None
    freeze_source: Citation | None
    freeze_note: str
    classes: tuple[TemperatureClass, ...] = ()

    @property
    def band(self) -> tuple[Temperature | None, Temperature | None]:
        """The storage band as a ``(low, high)`` pair, like ``StorageClass.limits``."""
        return self.low, self.high

    def contains(self, temperature: Temperature) -> bool:
        """Whether ``temperature`` is within the storage band.

        Example:
            >>> from ruralseller.catalog import ShellEggs
            >>> eggs = class_limits(ShellEggs(id="eggs", producer="farm", name="乌鸡蛋"))
            >>> eggs.contains(Temperature(7, "°C")), eggs.contains(Temperature(8, "°C"))
            (True, False)
        """
        return _contains(self.low, self.high, temperature)

    def freezes(self, temperature: Temperature) -> bool:
        """Whether ``temperature`` is below the freeze-damage floor.

        Example:
            >>> from ruralseller.catalog import ShellEggs
            >>> eggs = class_limits(ShellEggs(id="eggs", producer="farm", name="乌鸡蛋"))
            >>> eggs.freezes(Temperature("-0.5", "°C")), eggs.freezes(Temperature(-2, "°C"))
            (False, True)
        """
        if not isinstance(temperature, Temperature):
            raise InvalidValueError(
                f"temperature must be a Temperature, got {temperature!r}",
                hint="e.g. Temperature(-1, '°C')",
            )
        return self.freeze_floor is not None and temperature < self.freeze_floor


def class_limits(product: Product) -> ClassLimits:
    """The storage band, freeze-damage floor and temperature classes of one product.

    The band is the product's :attr:`~ruralseller.catalog.Product.storage_class` limits. The
    floor applies to food kept above freezing: -2 °C for poultry meat, -1 °C for shell eggs
    (whatever their storage, since eggs kept ambient freeze in a mountain winter too), 0 °C for
    other chilled or cool food, none for frozen, live or cured products.

    Raises:
        InvalidValueError: ``product`` is not a product.

    Example:
        >>> from ruralseller.catalog import CuredMeat
        >>> larou = CuredMeat(id="larou", producer="farm", name="腊肉", meat="pork")
        >>> limits = class_limits(larou)
        >>> limits.storage_class, limits.band, limits.freeze_floor
        (<StorageClass.AMBIENT: 'ambient'>, (None, None), None)
    """
    if not isinstance(product, Product):
        raise InvalidValueError(
            f"product must be a Product, got {product!r}",
            hint="pass one of the catalogue's products, e.g. catalog.product('taihe-silkie-whole')",
        )
    storage = product.storage_class
    low, high = storage.limits
    floor, floor_source, floor_note = _freeze_floor(product)
    return ClassLimits(
        product=product.id,
        kind=product.kind,
        storage_class=storage,
        low=low,
        high=high,
        source=_STORAGE_SOURCES[storage],
        freeze_floor=floor,
        freeze_source=floor_source,
        freeze_note=floor_note,
        classes=temperature_classes(product=product),
    )
