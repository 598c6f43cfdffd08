"""What a parcel is packed with: boxes, coolants, liners and inserts.

Each material is an immutable value whose numbers carry their source. :data:`BUILTIN` holds a
realistic set for a village partner in China (a plain carton, EPS boxes, a PU cooler, a
VIP box; water ice, gel packs, dry ice; a leak-proof bag, an absorbent pad, an egg tray, a
vacuum pouch). A partner adds or replaces materials in ``packaging.toml`` next to
``catalog.toml``; :func:`load_materials` reads it with the catalogue's own converter and
reports every problem at once.

Example:
    >>> box = BUILTIN.container("eps-40x30x30-3cm")
    >>> box.outer_dimensions
    (Length('40 cm'), Length('30 cm'), Length('30 cm'))
    >>> float(box.inner_volume_litres)
    19.584
    >>> text = '''
    ... format = 1
    ... [[coolants]]
    ... id = "gel-600g"
    ... name = "Gel pack 600 g (冰袋)"
    ... kind = "gel"
    ... phase_temperature = "0 °C"
    ... latent_heat = 334
    ... solid_specific_heat = 2.05
    ... melt_specific_heat = 4.19
    ... unit_mass = "600 g"
    ... source = "water-based gel: water's constants (FAO Ice in Fisheries §12)"
    ... '''
    >>> loads_materials(text).coolant("gel-600g").unit_mass
    Mass('600 g')
"""

from __future__ import annotations

import difflib
import enum
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

import attrs

# The catalogue's id and text rules and its walk over cattrs' error groups, so that
# packaging.toml accepts the same ids and reports problems exactly as catalog.toml does.
from ruralseller.catalog import Length, Mass, Money, Temperature, loads_data, read_data_file
from ruralseller.catalog.checks import fail, identifier, text
from ruralseller.catalog.files import structure_sections
from ruralseller.errors import (
    CatalogError,
    NotInCatalogError,
    QuantityError,
)

__all__ = [
    "BUILTIN",
    "PACKAGING_FILE",
    "PACKAGING_FORMAT",
    "Container",
    "ContainerKind",
    "Coolant",
    "CoolantKind",
    "Liner",
    "PackagingMaterials",
    "load_materials",
    "loads_materials",
    "materials_from_data",
]

PACKAGING_FILE = "packaging.toml"
"""The name of the optional packaging file inside a catalogue folder."""

PACKAGING_FORMAT = 1
"""The version of the ``packaging.toml`` format this release reads."""

_T = TypeVar("_T", "Container", "Coolant", "Liner")


# --- validators and converters -------------------------------------------------------------


def _decimal(value: object) -> Decimal:
    """Converter: an exact number (int, str, Decimal, Fraction), never a float."""
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal | Fraction):
        raise QuantityError(
            f"{value!r} is not an exact number; pass a string such as '0.035' or a Decimal"
        )
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    number = Decimal(value.strip() if isinstance(value, str) else value)
    if not number.is_finite():
        raise QuantityError(f"{value!r} is not a finite number")
    return number


def _optional_decimal(value: object) -> Decimal | None:
    return None if value is None else _decimal(value)


def _positive(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A length, mass or number above zero (None passes: the field is optional)."""
    if isinstance(value, Length | Mass):
        above_zero = value.base > 0
    elif isinstance(value, Decimal):
        above_zero = value > 0
    else:
        return
    if not above_zero:
        raise fail(attribute, f"{attribute.name} must be above zero, got {value}")


def _optional_money(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (not isinstance(value, Money) or value.amount < 0):
        raise fail(
            attribute, f"{attribute.name} must be an amount of money, 0 or more", "e.g. '8 CNY'"
        )


def _is_type(kind: type) -> Any:
    return attrs.validators.instance_of(kind)


# --- containers ------------------------------------------------------------------------------


class ContainerKind(enum.Enum):
    """What a shipping box is made of (its insulation)."""

    CORRUGATED = "corrugated"
    """A plain corrugated fibreboard carton (瓦楞纸箱): hardly insulation at all."""
    EPS = "eps"
    """Expanded polystyrene (泡沫箱), the usual fresh-food parcel box in China."""
    PU = "pu"
    """Moulded or foamed-in-place polyurethane cooler: better than EPS per centimetre."""
    VIP = "vip"
    """Vacuum insulated panels, usually lining a PU or EPS shell: the best per centimetre."""


@attrs.frozen(kw_only=True)
class Container:
    """An (insulated) box, as a rectangular cavity inside walls of one thickness.

    Attributes:
        id: how plans and ``packaging.toml`` refer to the box.
        name: what the partner calls it.
        kind: what the walls are made of.
        inner_length: cavity length.
        inner_width: cavity width.
        inner_height: cavity height.
        wall_thickness: wall (and lid and floor) thickness.
        wall_conductivity: thermal conductivity of the wall material, W/(m·K).
        empty_mass: the box with its lid, empty.
        max_payload: the most it should carry inside: food, coolant and liners together.
        measured_conductance: the box's overall U·S in W/K measured by an ice-melt test
            (see :func:`ruralseller.packaging.thermal.calibrate_from_ice_melt`). When given,
            the thermal model uses it instead of the wall model.
        source: where the numbers come from.
        cost: what one costs the partner, if known (plan_pack weighs it against postage).
    """

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=text)
    kind: ContainerKind = attrs.field(validator=_is_type(ContainerKind))
    inner_length: Length = attrs.field(validator=[_is_type(Length), _positive])
    inner_width: Length = attrs.field(validator=[_is_type(Length), _positive])
    inner_height: Length = attrs.field(validator=[_is_type(Length), _positive])
    wall_thickness: Length = attrs.field(validator=[_is_type(Length), _positive])
    wall_conductivity: Decimal = attrs.field(converter=_decimal, validator=_positive)
    empty_mass: Mass = attrs.field(validator=_is_type(Mass))
    max_payload: Mass = attrs.field(validator=[_is_type(Mass), _positive])
    measured_conductance: Decimal | None = attrs.field(
        default=None, converter=_optional_decimal, validator=_positive
    )
    source: str = attrs.field(validator=text)
    cost: Money | None = attrs.field(default=None, validator=_optional_money)

    @property
    def inner_dimensions(self) -> tuple[Length, Length, Length]:
        """The cavity's length, width and height."""
        return (self.inner_length, self.inner_width, self.inner_height)

    @property
    def outer_dimensions(self) -> tuple[Length, Length, Length]:
        """The outside length, width and height: the cavity plus a wall on each side."""
        walls = self.wall_thickness * 2
        return (self.inner_length + walls, self.inner_width + walls, self.inner_height + walls)

    @property
    def inner_area(self) -> Fraction:
        """The cavity's surface area in m², exactly."""
        return _surface(self.inner_dimensions)

    @property
    def outer_area(self) -> Fraction:
        """The outside surface area in m², exactly."""
        return _surface(self.outer_dimensions)

    @property
    def mean_area(self) -> float:
        """The mean heat-transfer area √(A_in·A_out) in m² (UNECE ATP, Annex 1 Appendix 2).

        For thick walls on a small box the inside and outside areas differ a lot; the
        geometric mean is the area the UNECE ATP uses for the K coefficient of a body.
        """
        return math.sqrt(self.inner_area * self.outer_area)

    @property
    def inner_volume_litres(self) -> Fraction:
        """The cavity's volume in litres, exactly."""
        return _volume_litres(self.inner_dimensions)

    @property
    def outer_volume_litres(self) -> Fraction:
        """The outside volume in litres, exactly (carriers bill volumetric weight on it)."""
        return _volume_litres(self.outer_dimensions)

    def calibrated(self, conductance: float | Decimal, *, source: str) -> Container:
        """This box with an ice-melt-measured U·S (W/K) that replaces the wall model.

        A float (as :func:`~ruralseller.packaging.thermal.calibrate_from_ice_melt` returns)
        is kept to four significant digits: a kitchen-scale test is not more precise.

        Example:
            >>> box = BUILTIN.container("eps-40x30x30-3cm")
            >>> box.calibrated(0.6512345, source="ice-melt test").measured_conductance
            Decimal('0.6512')
        """
        value = Decimal(f"{conductance:.4g}") if isinstance(conductance, float) else conductance
        return attrs.evolve(
            self, measured_conductance=value, source=f"{self.source}; U·S: {source}"
        )


def _surface(dimensions: tuple[Length, Length, Length]) -> Fraction:
    length, width, height = (side.metres for side in dimensions)
    return 2 * (length * width + length * height + width * height)


def _volume_litres(dimensions: tuple[Length, Length, Length]) -> Fraction:
    length, width, height = (side.metres for side in dimensions)
    return length * width * height * 1000


# --- coolants -------------------------------------------------------------------------------


class CoolantKind(enum.Enum):
    """What keeps a pack cold."""

    WATER_ICE = "water_ice"
    """Frozen water: bagged ice, frozen bottles; melts at 0 °C and leaves water."""
    GEL = "gel"
    """Gel packs (冰袋): water thickened with cellulose or polyacrylate; behaves as water."""
    DRY_ICE = "dry_ice"
    """Solid CO2 (干冰): sublimes at -78.5 °C and leaves as gas; a dangerous good by air."""


def _melt_heat_capacity(instance: Coolant, attribute: attrs.Attribute[Any], value: object) -> None:
    if instance.kind is CoolantKind.DRY_ICE and value is not None:
        raise fail(
            attribute,
            "dry ice leaves the pack as gas, so it has no melt_specific_heat",
            "leave melt_specific_heat out; usable_heat (614 kJ/kg) counts the cold gas",
        )
    if instance.kind is not CoolantKind.DRY_ICE and value is None:
        raise fail(
            attribute,
            f"a {instance.kind.value} coolant needs melt_specific_heat (of what it melts to)",
            "add melt_specific_heat = 4.19 for water-based ice and gel",
        )
    _positive(instance, attribute, value)


def _usable_heat(instance: Coolant, attribute: attrs.Attribute[Any], value: object) -> None:
    _positive(instance, attribute, value)
    if isinstance(value, Decimal) and value < instance.latent_heat:
        raise fail(
            attribute,
            f"usable_heat {value} kJ/kg is below the latent heat {instance.latent_heat} kJ/kg",
            "usable heat is the latent heat plus what the gas or melt takes up; "
            "leave it out to use the latent heat alone",
        )


@attrs.frozen(kw_only=True)
class Coolant:
    """A coolant unit: what it is, the temperature it holds and the heat it takes up.

    Attributes:
        id: how plans and ``packaging.toml`` refer to it.
        name: what the partner calls it.
        kind: water ice, gel or dry ice.
        phase_temperature: the temperature it melts or sublimes at (and holds the pack at).
        latent_heat: heat taken up by melting or subliming, kJ/kg.
        usable_heat: heat taken up in all, kJ/kg, when more than the latent heat is
            usable (dry ice: 614 kJ/kg with the cold gas warming on its way out, UC Davis
            Postharvest); None means the latent heat alone.
        solid_specific_heat: specific heat of the frozen coolant, kJ/(kg·K), for coolant
            conditioned below its phase temperature.
        melt_specific_heat: specific heat of what it melts to, kJ/(kg·K), which warms with
            the food once melted; None for dry ice, whose gas leaves the pack.
        unit_mass: the mass of one unit (one bag, pack or block).
        source: where the numbers come from.
        cost: what one costs the partner, if known (plan_pack weighs it against postage).
    """

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=text)
    kind: CoolantKind = attrs.field(validator=_is_type(CoolantKind))
    phase_temperature: Temperature = attrs.field(validator=_is_type(Temperature))
    latent_heat: Decimal = attrs.field(converter=_decimal, validator=_positive)
    usable_heat: Decimal | None = attrs.field(
        default=None, converter=_optional_decimal, validator=_usable_heat
    )
    solid_specific_heat: Decimal = attrs.field(converter=_decimal, validator=_positive)
    melt_specific_heat: Decimal | None = attrs.field(
        default=None, converter=_optional_decimal, validator=_melt_heat_capacity
    )
    unit_mass: Mass = attrs.field(validator=[_is_type(Mass), _positive])
    source: str = attrs.field(validator=text)
    cost: Money | None = attrs.field(default=None, validator=_optional_money)

    @property
    def heat_per_kg(self) -> Decimal:
        """The heat one kilogram takes up at its phase temperature, kJ/kg."""
        return self.usable_heat if self.usable_heat is not None else self.latent_heat


# --- liners and inserts -----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Liner:
    """A liner or insert: a bag, pad, pouch or tray that goes inside the box.

    Attributes:
        id: how plans and ``packaging.toml`` refer to it.
        name: what the partner calls it.
        leak_proof: whether it keeps liquids in (meat juice, melt water).
        absorbent: whether it soaks up liquid.
        food_contact: whether it is made for direct contact with food.
        mass: the mass of one.
        source: where the numbers come from.
        cost: what one costs the partner, if known (plan_pack weighs it against postage).
    """

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=text)
    leak_proof: bool = attrs.field(validator=_is_type(bool))
    absorbent: bool = attrs.field(validator=_is_type(bool))
    food_contact: bool = attrs.field(validator=_is_type(bool))
    mass: Mass = attrs.field(validator=_is_type(Mass))
    source: str = attrs.field(validator=text)
    cost: Money | None = attrs.field(default=None, validator=_optional_money)


# --- the collection ------------------------------------------------------------------------------


def _unique_ids(
    _instance: object,
    attribute: attrs.Attribute[Any],
    value: tuple[Container | Coolant | Liner, ...],
) -> None:
    seen: set[str] = set()
    for item in value:
        if item.id in seen:
            raise fail(attribute, f"the id {item.id!r} appears twice in {attribute.name}")
        seen.add(item.id)


def _tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class PackagingMaterials:
    """The boxes, coolants and liners a partner can pack with, each found by its id.

    Example:
        >>> BUILTIN.coolant("dry-ice-1kg").phase_temperature
        Temperature('-78.5 °C')
        >>> BUILTIN.liner("pe-bag")
        Traceback (most recent call last):
        ...
        ruralseller.errors.NotInCatalogError: no liner with id 'pe-bag'; did you mean ...
    """

    containers: tuple[Container, ...] = attrs.field(
        default=(), converter=_tuple, validator=_unique_ids
    )
    coolants: tuple[Coolant, ...] = attrs.field(default=(), converter=_tuple, validator=_unique_ids)
    liners: tuple[Liner, ...] = attrs.field(default=(), converter=_tuple, validator=_unique_ids)

    def container(self, container_id: str) -> Container:
        """The box with ``container_id``."""
        return _find(self.containers, container_id, "container")

    def coolant(self, coolant_id: str) -> Coolant:
        """The coolant with ``coolant_id``."""
        return _find(self.coolants, coolant_id, "coolant")

    def liner(self, liner_id: str) -> Liner:
        """The liner or insert with ``liner_id``."""
        return _find(self.liners, liner_id, "liner")

    def merge(self, other: PackagingMaterials) -> PackagingMaterials:
        """These materials with ``other``'s added.

        An item of ``other`` whose id is already here replaces that item, in its place (so a
        partner can correct a built-in box); the others are added at the end.
        """
        return PackagingMaterials(
            containers=_merged(self.containers, other.containers),
            coolants=_merged(self.coolants, other.coolants),
            liners=_merged(self.liners, other.liners),
        )


def _merged(base: Sequence[_T], extra: Sequence[_T]) -> tuple[_T, ...]:
    replacing: dict[str, _T] = {item.id: item for item in extra}
    base_ids = {item.id for item in base}
    merged: list[_T] = [replacing.get(item.id, item) for item in base]
    merged.extend(item for item in extra if item.id not in base_ids)
    return tuple(merged)


def _find(items: Sequence[_T], key: str, what: str) -> _T:
    for item in items:
        if item.id == key:
            return item
    known = [item.id for item in items]
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise NotInCatalogError(f"no {what} with id {key!r}; {hint}known: {', '.join(known) or 'none'}")


# --- the built-in set ---------------------------------------------------------------------------

# Wall conductivities:
#   EPS 0.035 W/(m·K) typical (energycompliance.com.au); 0.0381 measured λ90/90 for EPS 040
#   (NETZSCH), used for the thin low-density small box. PU 0.024: closed-cell rigid PU,
#   0.022-0.025 (handbook, unverified), the value of the Linde 10-qt anchor row. VIP: 0.004
#   new at the panel centre to 0.020 aged (nuclear-power.com); 0.008 is our effective value
#   for a small box whose panel joints and edges leak [ANALYSIS]. Corrugated board: 0.05-0.12
#   measured for cardboard packaging panels (Čekon, Struhala, Slávik 2017, J. Renew. Mater.,
#   doi:10.7569/JRM.2017.634135); 0.08 (mid-range) errs towards less hold time.
# Empty masses [ANALYSIS]: wall volume × density. EPS fish boxes are moulded at 20-25 kg/m³
#   (poytherm.com); rigid PU about 40 kg/m³ with its skin (unverified); VIP cores about
#   200 kg/m³ (fumed silica, unverified); double-wall board about 0.8 kg/m² (unverified).
# Max payloads [estimate]: the cavity filled with food, coolant and gaps at about 0.6 kg/L,
#   rounded down; SF Cold Chain takes at most 20 kg per piece (sf-express.com, cold-standard).
# Costs [estimate]: what a county-town packaging shop or wholesale site typically asks in
# 2026, single units, CNY; an EPS box is cheap and single-use, PU and VIP boxes are bought to
# be reused. Partners should put their own prices in packaging.toml.
_CONTAINERS = (
    Container(
        id="carton-40x30x30",
        name="Corrugated carton 40×30×30 cm, double wall (瓦楞纸箱)",
        kind=ContainerKind.CORRUGATED,
        inner_length=Length("38.6", "cm"),
        inner_width=Length("28.6", "cm"),
        inner_height=Length("28.6", "cm"),
        wall_thickness=Length(7, "mm"),
        wall_conductivity="0.08",
        empty_mass=Mass("0.7", "kg"),
        max_payload=Mass(18, "kg"),
        source="outer 40×30×30 cm, BC double wall about 7 mm; k 0.05-0.12 (Čekon et al. "
        "2017), 0.08 taken; mass about 0.86 m² of board at 0.8 kg/m² (estimate)",
        cost=Money("3", "CNY"),
    ),
    Container(
        id="eps-40x30x30-3cm",
        name="EPS box 40×30×30 cm, 3 cm walls (泡沫箱)",
        kind=ContainerKind.EPS,
        inner_length=Length(34, "cm"),
        inner_width=Length(24, "cm"),
        inner_height=Length(24, "cm"),
        wall_thickness=Length(3, "cm"),
        wall_conductivity="0.035",
        empty_mass=Mass("0.4", "kg"),
        max_payload=Mass(11, "kg"),
        source="outer 40×30×30 cm; k 0.035 W/(m·K) typical EPS (energycompliance.com.au); "
        "mass 16.4 L of EPS at 20-25 kg/m³",
        cost=Money("8", "CNY"),
    ),
    Container(
        id="eps-40x30x30-5cm",
        name="EPS box 40×30×30 cm, 5 cm walls (加厚泡沫箱)",
        kind=ContainerKind.EPS,
        inner_length=Length(30, "cm"),
        inner_width=Length(20, "cm"),
        inner_height=Length(20, "cm"),
        wall_thickness=Length(5, "cm"),
        wall_conductivity="0.035",
        empty_mass=Mass("0.5", "kg"),
        max_payload=Mass(7, "kg"),
        source="outer 40×30×30 cm; k 0.035 W/(m·K) typical EPS (energycompliance.com.au); "
        "mass 24 L of EPS at 20-25 kg/m³",
        cost=Money("12", "CNY"),
    ),
    Container(
        id="eps-30x20x20-2cm",
        name="Small EPS box 30×20×20 cm, 2 cm walls (小泡沫箱)",
        kind=ContainerKind.EPS,
        inner_length=Length(26, "cm"),
        inner_width=Length(16, "cm"),
        inner_height=Length(16, "cm"),
        wall_thickness=Length(2, "cm"),
        wall_conductivity="0.0381",
        empty_mass=Mass("0.15", "kg"),
        max_payload=Mass(4, "kg"),
        source="outer 30×20×20 cm; k 0.0381 W/(m·K), λ90/90 of EPS 040 (NETZSCH), for thin "
        "low-density walls; mass 5.3 L of EPS at 20-25 kg/m³",
        cost=Money("4", "CNY"),
    ),
    Container(
        id="pu-10qt-3in",
        name="PU cooler, 10 US quarts, 3-inch walls",
        kind=ContainerKind.PU,
        inner_length=Length(21, "cm"),
        inner_width=Length(21, "cm"),
        inner_height=Length(21, "cm"),
        wall_thickness=Length(3, "in"),
        wall_conductivity="0.024",
        empty_mass=Mass("1.5", "kg"),
        max_payload=Mass("5.5", "kg"),
        source="the Linde anchor: a 3-inch urethane box with a 10-quart cavity loses about "
        "5 lb of dry ice per 24 h (lindedirect.com, How long does dry ice last); 9.26 L cube "
        "cavity; k 0.024 closed-cell PU (unverified); mass 38 L of PU at about 40 kg/m³",
        cost=Money("150", "CNY"),
    ),
    Container(
        id="vip-30x22x20-25mm",
        name="VIP box, 30×22×20 cm cavity, 25 mm panels",
        kind=ContainerKind.VIP,
        inner_length=Length(30, "cm"),
        inner_width=Length(22, "cm"),
        inner_height=Length(20, "cm"),
        wall_thickness=Length(25, "mm"),
        wall_conductivity="0.008",
        empty_mass=Mass("2.5", "kg"),
        max_payload=Mass(7, "kg"),
        source="VIP k 0.004 (new, panel centre) to 0.020 (aged) W/(m·K) (nuclear-power.com, "
        "thermal conductivity of vacuum panels); 0.008 effective with joints (estimate); "
        "mass 10.4 L of panel at about 200 kg/m³ plus the shell (estimate)",
        cost=Money("260", "CNY"),
    ),
)

# Water and ice (FAO Fisheries Technical Paper 436, "Ice in fisheries", §12, fao.org/3/t0713e):
#   latent heat of melting 80 kcal/kg = 334 kJ/kg (334 J/g in any physics
#   handbook); ice specific heat 0.49 kcal/(kg·°C) = 2.05 kJ/(kg·K) at 0 °C; water
#   1.0 kcal/(kg·°C) = 4.19 kJ/(kg·K). Gel packs are water thickened with cellulose or
#   polyacrylate, so they take water's constants.
# Dry ice: sublimes at -78.5 °C; heat of sublimation 6030 cal/mol at 194.67 K (Giauque and
#   Egan 1937, J. Chem. Phys. 5:45, doi:10.1063/1.1749929) = 573 kJ/kg; 614 kJ/kg usable
#   with the cold gas (UC Davis Postharvest, "Ask the Produce Docs"). Solid CO2 near 190 K has a
#   specific heat of about 1.2 kJ/(kg·K) (from Giauque and Egan's table, unverified); it
#   only matters for dry ice kept colder than -78.5 °C.
_WATER_SOURCE = "FAO Ice in Fisheries §12: 334 kJ/kg, ice 2.05 and water 4.19 kJ/(kg·K)"


def _water_based(  # noqa: PLR0913, PLR0917 - one coolant's facts, named at the call
    coolant_id: str, name: str, kind: CoolantKind, unit_mass: Mass, source: str, cost: str
) -> Coolant:
    return Coolant(
        id=coolant_id,
        name=name,
        kind=kind,
        phase_temperature=Temperature(0, "°C"),
        latent_heat=334,
        solid_specific_heat="2.05",
        melt_specific_heat="4.19",
        unit_mass=unit_mass,
        source=source,
        cost=Money(cost, "CNY"),
    )


_GEL_SOURCE = "water-based gel takes water's constants; " + _WATER_SOURCE
_COOLANTS = (
    _water_based(
        "ice-1kg",
        "Water ice 1 kg (bagged ice or a frozen bottle, 冰块)",
        CoolantKind.WATER_ICE,
        Mass(1, "kg"),
        _WATER_SOURCE,
        "0.5",
    ),
    _water_based(
        "gel-400g", "Gel pack 400 g (冰袋)", CoolantKind.GEL, Mass(400, "g"), _GEL_SOURCE, "1.2"
    ),
    _water_based(
        "gel-1kg", "Gel pack 1 kg (冰袋)", CoolantKind.GEL, Mass(1, "kg"), _GEL_SOURCE, "2.5"
    ),
    Coolant(
        id="dry-ice-1kg",
        name="Dry ice 1 kg (干冰), UN1845",
        kind=CoolantKind.DRY_ICE,
        phase_temperature=Temperature("-78.5", "°C"),
        latent_heat=573,
        usable_heat=614,
        solid_specific_heat="1.2",
        unit_mass=Mass(1, "kg"),
        source="sublimes at -78.5 °C, 573 kJ/kg (Giauque and Egan 1937); 614 kJ/kg usable "
        "with the gas (UC Davis Postharvest); solid 1.2 kJ/(kg·K) unverified",
        cost=Money("8", "CNY"),
    ),
)

# Liner masses [ANALYSIS] from their size and material: a 50×70 cm bag of 2-mil (50.8 µm)
# polyethylene at 0.92 g/cm³ is 33 g (FedEx perishables: at least 2-mil watertight bags,
# fedex.com packaging guidelines for perishables); a 25×35 cm PA/PE vacuum pouch at 90 µm
# is 16 g. Pad and tray masses are typical retail weights (estimates).
_LINERS = (
    Liner(
        id="pe-bag-2mil",
        name="Leak-proof food-grade PE bag, 2 mil (食品级PE袋)",
        leak_proof=True,
        absorbent=False,
        food_contact=True,
        mass=Mass(33, "g"),
        source="FedEx perishables: at least 2-mil watertight bags; 50×70 cm of 50.8 µm PE",
        cost=Money("0.3", "CNY"),
    ),
    Liner(
        id="absorbent-pad",
        name="Absorbent meat pad (吸水垫)",
        leak_proof=False,
        absorbent=True,
        food_contact=True,
        mass=Mass(10, "g"),
        source="typical retail meat pad (estimate)",
        cost=Money("0.2", "CNY"),
    ),
    Liner(
        id="egg-pulp-tray-30",
        name="Moulded pulp egg tray, 30 eggs, with dividers (蛋托)",
        leak_proof=False,
        absorbent=False,
        food_contact=True,
        mass=Mass(70, "g"),
        source="typical 30-cell moulded pulp tray (estimate)",
        cost=Money("0.5", "CNY"),
    ),
    Liner(
        id="vacuum-pouch",
        name="Vacuum pouch 25×35 cm, PA/PE (真空袋)",
        leak_proof=True,
        absorbent=False,
        food_contact=True,
        mass=Mass(16, "g"),
        source="25×35 cm of 90 µm PA/PE film at about 1 g/cm³ (estimate)",
        cost=Money("0.4", "CNY"),
    ),
)

BUILTIN = PackagingMaterials(containers=_CONTAINERS, coolants=_COOLANTS, liners=_LINERS)
"""The materials every partner has, before their own ``packaging.toml``."""


# --- packaging.toml ------------------------------------------------------------------------------

_SECTIONS: dict[str, type[Container | Coolant | Liner]] = {
    "containers": Container,
    "coolants": Coolant,
    "liners": Liner,
}


def materials_from_data(
    data: Mapping[str, Any], *, file: str = "<data>", base: PackagingMaterials = BUILTIN
) -> PackagingMaterials:
    """Build materials from parsed ``packaging.toml`` data and merge them into ``base``.

    Raises:
        CatalogValidationError: listing every problem, each with its path and a hint.
    """
    sections = structure_sections(
        data,
        file=file,
        what="packaging file",
        version=PACKAGING_FORMAT,
        sections=_SECTIONS,
        duplicate_hint="give each one its own id; to replace a built-in one, use its id once",
    )
    own = PackagingMaterials(
        containers=[item for _, item in sections["containers"]],
        coolants=[item for _, item in sections["coolants"]],
        liners=[item for _, item in sections["liners"]],
    )
    return base.merge(own)


def loads_materials(
    text: str, *, file: str = "<string>", base: PackagingMaterials = BUILTIN
) -> PackagingMaterials:
    """Read packaging materials from TOML text and merge them into ``base`` (the built-ins).

    Raises:
        CatalogValidationError: when the text is not TOML or has problems; all are listed.
    """
    data = loads_data(text, file=file, sections="[[containers]]")
    return materials_from_data(data, file=file, base=base)


def load_materials(folder: str | os.PathLike[str]) -> PackagingMaterials:
    """The built-in materials plus the partner's own from ``packaging.toml`` in ``folder``.

    ``folder`` is a catalogue folder (or a packaging ``.toml`` file). A folder without
    ``packaging.toml`` gives :data:`BUILTIN`. An entry whose id is a built-in one replaces it.

    Raises:
        CatalogError: when the folder does not exist or the file cannot be read.
        CatalogValidationError: listing every problem in the file at once.
    """
    path = Path(folder)
    if path.is_dir():
        file = path / PACKAGING_FILE
        if not file.exists():
            return BUILTIN
    elif path.exists():
        file = path
    else:
        raise CatalogError(f"no catalogue folder or packaging file at {path}: check the path")
    content = read_data_file(file, folder=file.parent)
    return loads_materials(content, file=str(file))
