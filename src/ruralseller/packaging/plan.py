"""Choosing how to pack a lot for a parcel journey: box, coolant, liners, and why.

:func:`plan_pack` tries every box with every coolant that suits the food, finds the fewest
coolant units that keep the food at or below its limit for the journey plus a safety margin
(the time-stepped thermal model over the ambient profile), checks that everything fits, and
picks the option with the lowest chargeable weight. It says why it chose what it chose, why
it rejected the others, and clearly when nothing in the materials can make the journey.

Example:
    >>> import datetime as dt
    >>> from ruralseller.catalog import load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> from ruralseller.packaging import SOUTH_CHINA_SUMMER
    >>> catalog = load_catalog(sample_path())
    >>> plan = plan_pack(
    ...     catalog, "WJ261120A", journey=dt.timedelta(hours=48), ambient=SOUTH_CHINA_SUMMER
    ... )
    >>> plan.container.id, plan.coolant.id, plan.coolant_units
    ('pu-10qt-3in', 'ice-1kg', 4)
    >>> plan.hold.duration >= plan.required_hold == dt.timedelta(hours=60)
    True
    >>> str(plan.packaging_cost), str(plan.postage)
    ('152.5 CNY', '25 CNY')
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Sequence
from decimal import Decimal
from fractions import Fraction

import attrs

from ruralseller.catalog import (
    AnyProduct,
    Catalog,
    Length,
    Lot,
    Mass,
    Money,
    StorageClass,
    Temperature,
)
from ruralseller.errors import InvalidValueError, PackingError
from ruralseller.packaging.materials import (
    BUILTIN,
    Container,
    Coolant,
    CoolantKind,
    Liner,
    PackagingMaterials,
    load_materials,
)
from ruralseller.packaging.requirements import Requirement, packing_requirements
from ruralseller.packaging.thermal import DEFAULT_STEP, AmbientProfile, HoldTime, hold_time_profile

__all__ = [
    "DEFAULT_DIVISOR",
    "DEFAULT_MARGIN",
    "DEFAULT_RATE",
    "DryIceMarking",
    "PackOption",
    "PackPlan",
    "ParcelRate",
    "plan_pack",
]

DEFAULT_MARGIN = Decimal("0.25")
"""Hold-time margin over the journey: a 48 h journey is packed to hold 60 h (delays happen)."""

DEFAULT_DIVISOR = 6000
"""Volumetric divisor, cm³ per kg: SF Cold Chain and most express carriers (sf-express.com,
cold-standard)."""

# Chilled food must not freeze: -2 °C is the floor of "fresh" poultrymeat (Reg. (EU)
# 1308/2013 Annex VII Part V); a coolant colder than this, or a pack whose inside gets colder,
# would stiffen the meat.
_FREEZE_FLOOR = Temperature(-2, "°C")

# Specific heats, kJ/(kg·K), handbook values the research marks unverified (coldchain.md
# §2.1): chilled poultry 3.3-3.5 above freezing, eggs about 3.2, frozen meat 1.7-1.8.
_CP = {
    "poultry_meat": Decimal("3.4"),
    "shell_eggs": Decimal("3.2"),
    "cured_meat": Decimal("2.5"),
    "fresh_produce": Decimal("3.4"),
    "packaged_food": Decimal("3.0"),
}
_CP_FROZEN = Decimal("1.75")

# Bulk densities as packed, kg/L [ANALYSIS, estimates]: whole birds leave gaps, eggs sit in
# trays; coolant: ice 0.92 kg/L, water-based gel about 1.0, dry ice pellets about 0.9 in bulk.
_PAYLOAD_DENSITY = {
    "poultry_meat": Decimal("0.8"),
    "shell_eggs": Decimal("0.45"),
    "cured_meat": Decimal("0.8"),
    "fresh_produce": Decimal("0.65"),
    "packaged_food": Decimal("0.6"),
}
_COOLANT_DENSITY = {
    CoolantKind.WATER_ICE: Decimal("0.92"),
    CoolantKind.GEL: Decimal("1.0"),
    CoolantKind.DRY_ICE: Decimal("0.9"),
}
# Share of a cavity that can be filled: liners, gaps, a layer of padding.
_FILL = Decimal("0.85")
# The most coolant units tried in one box.
_MAX_UNITS = 40
# Ambient food (cured meat) is planned to stay below room temperature, 25 °C [ANALYSIS].
_AMBIENT_LIMIT = Temperature(25, "°C")


@attrs.frozen
class ParcelRate:
    """What a parcel costs to send: a first-kilogram price and a price per further kilogram.

    Attributes:
        first_kg: the price of the first (chargeable) kilogram.
        per_extra_kg: the price of each further kilogram, charged per started kilogram.
        source: where the prices come from.
    """

    first_kg: Money
    per_extra_kg: Money
    source: str = ""

    def price(self, chargeable: Mass) -> Money:
        """The postage for a parcel of ``chargeable`` weight.

        Example:
            >>> DEFAULT_RATE.price(Mass.parse("3.2 kg"))
            Money('17 CNY')
        """
        extra = max(0, math.ceil(chargeable.in_unit("kg")) - 1)
        return self.first_kg + self.per_extra_kg * extra


DEFAULT_RATE = ParcelRate(
    Money("11", "CNY"),
    Money("2", "CNY"),
    source="SF Cold Chain To Home: from RMB 11 for the first kg plus RMB 2/kg "
    "(sf-express.com, Cold Chain To Home); intra-city prices, a floor for longer routes",
)
"""The postage plan_pack weighs packaging against when choosing a box."""


@attrs.frozen
class DryIceMarking:
    """What a parcel with dry ice must show (IATA PI 954; 49 CFR 173.217).

    Attributes:
        net: the net mass of dry ice.
        text: the marking to print, e.g. ``UN1845 Dry ice, net 3 kg``.
    """

    net: Mass
    text: str


@attrs.frozen(kw_only=True)
class PackOption:
    """One box-and-coolant combination that was tried.

    Attributes:
        container: the box.
        coolant: the coolant (None for food kept at ambient).
        units: coolant units needed (or that fitted, when rejected for room).
        feasible: whether it works.
        reason: why it does not, or a summary when it does.
        chargeable: the chargeable weight when feasible.
        hold: the thermal model's result when feasible (None for ambient food).
        cost: packaging plus postage when feasible (unpriced materials count as free).
    """

    container: Container
    coolant: Coolant | None
    units: int
    feasible: bool
    reason: str
    chargeable: Mass | None = None
    hold: HoldTime | None = None
    cost: Money | None = None


def _rejected(container: Container, coolant: Coolant | None, units: int, reason: str) -> PackOption:
    return PackOption(
        container=container, coolant=coolant, units=units, feasible=False, reason=reason
    )


@attrs.frozen(kw_only=True)
class PackPlan:
    """How to pack one parcel, with the reasons.

    Attributes:
        lot: the lot packed.
        pieces: how many pieces go in the parcel.
        container: the box.
        coolant: the coolant, or None for ambient food.
        coolant_units: how many coolant units.
        liners: liners and inserts, in packing order.
        requirements: what the pack must do for this food.
        payload: the net mass of food.
        gross: the parcel's gross mass.
        outer: the box's outer length, width and height.
        dimensional: the volumetric weight at the divisor.
        chargeable: the larger of gross and volumetric weight.
        divisor: the volumetric divisor used (cm³ per kg).
        packaging_cost: what the box, coolant and liners cost.
        postage: the parcel's postage at the rate planned with.
        journey: the journey time planned for.
        required_hold: the journey plus the margin.
        hold: the thermal model's result for this pack.
        ambient: the ambient profile planned for.
        dry_ice: the dry-ice marking, when dry ice is used.
        notes: how to pack it and why this option was chosen.
        options: every option tried, feasible or not.
    """

    lot: str
    pieces: int
    container: Container
    coolant: Coolant | None
    coolant_units: int
    liners: tuple[Liner, ...]
    requirements: tuple[Requirement, ...]
    payload: Mass
    gross: Mass
    outer: tuple[Length, Length, Length]
    dimensional: Mass
    chargeable: Mass
    divisor: int
    packaging_cost: Money
    postage: Money
    journey: dt.timedelta
    required_hold: dt.timedelta
    hold: HoldTime | None
    ambient: AmbientProfile
    dry_ice: DryIceMarking | None
    notes: tuple[str, ...]
    options: tuple[PackOption, ...]

    @property
    def coolant_mass(self) -> Mass:
        """The total coolant mass."""
        if self.coolant is None:
            return Mass(0, "kg")
        return self.coolant.unit_mass * self.coolant_units


def _kg(mass: Mass) -> Decimal:
    grams = mass.grams
    return Decimal(grams.numerator) / Decimal(grams.denominator) / 1000


def _round_kg(value: Decimal | Fraction, places: int = 2) -> Mass:
    number = (
        Decimal(value.numerator) / Decimal(value.denominator)
        if isinstance(value, Fraction)
        else value
    )
    return Mass(number.quantize(Decimal(1).scaleb(-places)), "kg")


def _payload(lot: Lot, pieces: int) -> Mass:
    piece = lot.quantity.piece_mass
    if piece is not None:
        return piece.heaviest * pieces
    if lot.quantity.net_mass is not None and lot.quantity.count:
        per_piece: Mass = lot.quantity.net_mass / lot.quantity.count
        return per_piece * pieces
    if lot.quantity.net_mass is not None and pieces == 1:
        return lot.quantity.net_mass
    raise InvalidValueError(
        f"lot {lot.id} does not say what a piece weighs, so the parcel's weight is unknown",
        field="quantity.piece_mass",
        hint='add quantity.piece_mass to the lot, e.g. piece_mass = { max = "1.4 kg" }',
    )


def _start_temperature(lot: Lot, storage: StorageClass) -> Temperature:
    record = lot.slaughter
    if (
        storage is StorageClass.CHILLED
        and record is not None
        and record.chilling is not None
        and record.chilling.core_temperature is not None
    ):
        return record.chilling.core_temperature
    low, high = storage.limits
    if storage is StorageClass.FROZEN:
        return Temperature(-20, "°C")
    if low is not None and high is not None:
        return Temperature((low.celsius + high.celsius) / 2, "°C")
    return Temperature(20, "°C")


def _suitable(coolant: Coolant, storage: StorageClass, limit: Temperature) -> str | None:
    """Why a coolant cannot be used for this food (None when it can)."""
    if coolant.phase_temperature > limit:
        return (
            f"{coolant.name} melts at {coolant.phase_temperature}, above the food's limit {limit}"
        )
    if (
        storage in {StorageClass.CHILLED, StorageClass.COOL}
        and coolant.phase_temperature < _FREEZE_FLOOR
    ):
        return f"{coolant.name} at {coolant.phase_temperature} would freeze {storage.value} food"
    return None


def _liners(
    requirements: Sequence[Requirement], materials: PackagingMaterials
) -> tuple[Liner, ...]:
    codes = {r.code for r in requirements}
    chosen: list[Liner] = []

    def pick(test: str, predicate: object) -> None:
        for liner in materials.liners:
            if predicate(liner) and liner not in chosen:  # type: ignore[operator]
                chosen.append(liner)
                return
        raise PackingError(f"no liner in the materials can provide {test}", options=())

    if "egg-dividers" in codes:
        pick("egg dividers", lambda liner: "egg" in liner.id and liner.food_contact)
    if "leak-proof" in codes:
        pick(
            "a leak-proof food-contact liner", lambda liner: liner.leak_proof and liner.food_contact
        )
    if "absorbent" in codes:
        pick("an absorbent pad", lambda liner: liner.absorbent)
    if not chosen and "food-contact" in codes:
        pick("a food-contact liner", lambda liner: liner.food_contact and liner.leak_proof)
    return tuple(chosen)


def _outer(container: Container) -> tuple[Length, Length, Length]:
    dims = container.outer_dimensions
    return (dims[0].to("cm"), dims[1].to("cm"), dims[2].to("cm"))


def _dimensional(container: Container, divisor: int) -> Mass:
    length, width, height = (d.in_unit("cm") for d in _outer(container))
    return _round_kg(length * width * height / divisor)


@attrs.frozen
class _Job:
    product: AnyProduct
    payload: Mass
    payload_volume: Decimal
    liners_mass: Mass
    start: Temperature
    limit: Temperature
    cp: Decimal
    journey: dt.timedelta
    required: dt.timedelta
    profile: AmbientProfile
    step: dt.timedelta
    divisor: int
    rate: ParcelRate
    liners_cost: Money


def _materials_cost(job: _Job, container: Container, coolant: Coolant | None, units: int) -> Money:
    total = job.liners_cost
    if container.cost is not None:
        total += container.cost
    if coolant is not None and coolant.cost is not None:
        total += coolant.cost * units
    return total


def _capacity_litres(container: Container) -> Decimal:
    volume = container.inner_volume_litres
    return Decimal(volume.numerator) / Decimal(volume.denominator) * _FILL


def _try(job: _Job, container: Container, coolant: Coolant | None) -> PackOption:
    capacity = _capacity_litres(container)
    if job.payload_volume > capacity:
        return _rejected(
            container,
            coolant,
            0,
            f"too small: the food needs about {job.payload_volume:.1f} L, "
            f"the box holds {capacity:.1f} L",
        )
    if job.payload > container.max_payload:
        return _rejected(
            container, coolant, 0, f"too heavy: {job.payload} is more than {container.max_payload}"
        )
    if coolant is None:
        gross = job.payload + container.empty_mass + job.liners_mass
        chargeable = max(gross, _dimensional(container, job.divisor))
        return PackOption(
            container=container,
            coolant=None,
            units=0,
            feasible=True,
            reason="no coolant needed",
            chargeable=chargeable,
            cost=_materials_cost(job, container, None, 0) + job.rate.price(chargeable),
        )
    return _try_coolant(job, container, coolant, capacity)


def _units_that_fit(job: _Job, container: Container, coolant: Coolant, capacity: Decimal) -> int:
    unit_volume = _kg(coolant.unit_mass) / _COOLANT_DENSITY[coolant.kind]
    by_volume = int((capacity - job.payload_volume) / unit_volume)
    spare = container.max_payload - job.payload if container.max_payload > job.payload else None
    by_mass = int(spare / coolant.unit_mass) if spare is not None else 0
    return max(0, min(by_volume, by_mass, _MAX_UNITS))


def _try_coolant(
    job: _Job, container: Container, coolant: Coolant, capacity: Decimal
) -> PackOption:
    needed = f"{job.required.total_seconds() / 3600:.0f} h are needed"
    fit = _units_that_fit(job, container, coolant, capacity)
    if fit == 0:
        return _rejected(container, coolant, 0, f"no room for even one {coolant.name}")

    def hold(units: int) -> HoldTime:
        return hold_time_profile(
            container,
            coolant,
            coolant.unit_mass * units,
            payload_mass=job.payload,
            payload_cp=job.cp,
            payload_start=job.start,
            payload_max=job.limit,
            profile=job.profile,
            step=job.step,
            stop_at_end=True,
            record_history=False,
        )

    most = hold(fit)
    if most.duration < job.required:
        reason = f"not enough room for the coolant: {fit} unit(s) fit (holds {most.hours:.0f} h)"
        return _rejected(container, coolant, fit, f"{reason}, {needed}")
    # More coolant never shortens the hold (property-tested), so the fewest units that
    # hold long enough can be found by bisection: a handful of simulations, not dozens.
    low, high, best = 1, fit, most
    while low < high:
        middle = (low + high) // 2
        trial = hold(middle)
        if trial.duration >= job.required:
            high, best = middle, trial
        else:
            low = middle + 1
    units = high
    if best.coldest < _FREEZE_FLOOR < job.limit:
        return _rejected(
            container, coolant, units, f"the inside would reach {best.coldest}: food freezes"
        )
    gross = job.payload + container.empty_mass + job.liners_mass + coolant.unit_mass * units
    chargeable = max(gross, _dimensional(container, job.divisor))
    return PackOption(
        container=container,
        coolant=coolant,
        units=units,
        feasible=True,
        reason=f"{units} × {coolant.name} hold {best.hours:.0f} h",
        chargeable=chargeable,
        hold=best,
        cost=_materials_cost(job, container, coolant, units) + job.rate.price(chargeable),
    )


def _required_hold(journey: dt.timedelta, margin: Decimal) -> dt.timedelta:
    return journey * float(1 + margin)


def _profile(ambient: Temperature | AmbientProfile, required: dt.timedelta) -> AmbientProfile:
    if isinstance(ambient, AmbientProfile):
        return ambient
    span = dt.timedelta(hours=math.ceil(required.total_seconds() / 3600) + 24)
    return AmbientProfile.constant(ambient, span)


def plan_pack(  # noqa: PLR0913 - every option is keyword-only with a sensible default
    catalog: Catalog,
    lot_id: str,
    *,
    journey: dt.timedelta,
    ambient: Temperature | AmbientProfile,
    pieces: int = 1,
    materials: PackagingMaterials | None = None,
    margin: Decimal = DEFAULT_MARGIN,
    divisor: int = DEFAULT_DIVISOR,
    payload_start: Temperature | None = None,
    rate: ParcelRate = DEFAULT_RATE,
    step: dt.timedelta = DEFAULT_STEP,
) -> PackPlan:
    """Plan the pack for ``pieces`` pieces of a lot on a journey of ``journey``.

    Args:
        catalog: the catalogue.
        lot_id: the lot packed.
        journey: door-to-door time.
        ambient: the outside temperature: a constant, or a profile over the journey.
        pieces: pieces per parcel (birds, egg boxes).
        materials: boxes, coolants and liners to choose from; the catalogue folder's
            ``packaging.toml`` merged over the built-in ones when None.
        margin: extra hold time over the journey, as a fraction (0.25 = 25 %).
        divisor: the carrier's volumetric divisor in cm³/kg.
        payload_start: the food's temperature when packed; from the chilling record or the
            middle of its storage class when None.
        rate: the postage to weigh packaging against: the cheapest total (packaging plus
            postage) wins, then the longest hold.
        step: the thermal model's time step; coarser is faster and, for profiles that vary
            by the hour, within about 1 % (see the thermal tests).

    Raises:
        PackingError: when no box and coolant in the materials can make the journey; its
            ``options`` say why each was rejected.
        InvalidValueError: for live animals, a lot without piece weights, or bad numbers.
    """
    _check_arguments(journey, pieces, margin, divisor)
    lot = catalog.lot(lot_id)
    product = catalog.product_of(lot)
    requirements = packing_requirements(product)
    if materials is None:
        materials = load_materials(catalog.folder) if catalog.folder is not None else BUILTIN
    storage = product.storage_class
    payload = _payload(lot, pieces)
    liners = _liners(requirements, materials)
    liners_mass = sum((liner.mass for liner in liners), Mass(0, "g"))
    high = storage.limits[1]
    required = _required_hold(journey, margin)
    job = _Job(
        product=product,
        payload=payload,
        payload_volume=_kg(payload) / _PAYLOAD_DENSITY.get(product.kind, Decimal("0.6")),
        liners_mass=liners_mass,
        start=payload_start or _start_temperature(lot, storage),
        limit=high if high is not None else _AMBIENT_LIMIT,
        cp=_CP_FROZEN if storage is StorageClass.FROZEN else _CP.get(product.kind, Decimal(3)),
        journey=journey,
        required=required,
        profile=_profile(ambient, required),
        divisor=divisor,
        step=step,
        rate=rate,
        liners_cost=sum(
            (liner.cost for liner in liners if liner.cost is not None),
            Money(0, rate.first_kg.currency),
        ),
    )
    cold = storage is not StorageClass.AMBIENT and high is not None
    options = _options(job, materials, cold=cold)
    feasible = [option for option in options if option.feasible]
    if not feasible:
        raise PackingError(
            f"nothing in the packaging materials keeps {product.name} at or below "
            f"{job.limit} for {required.total_seconds() / 3600:.0f} h "
            f"({journey.total_seconds() / 3600:.0f} h journey + {margin * 100:.0f} % margin) "
            f"in {job.profile.name}",
            options=options,
        )
    chosen = min(feasible, key=_preference)
    return _plan(job, lot, pieces, chosen, liners, requirements, options, len(feasible))


def _plan(  # noqa: PLR0913, PLR0917 - assembles what plan_pack worked out
    job: _Job,
    lot: Lot,
    pieces: int,
    chosen: PackOption,
    liners: tuple[Liner, ...],
    requirements: tuple[Requirement, ...],
    options: Sequence[PackOption],
    feasible: int,
) -> PackPlan:
    container, coolant, units = chosen.container, chosen.coolant, chosen.units
    coolant_mass = coolant.unit_mass * units if coolant is not None else Mass(0, "kg")
    gross = _round_kg(_kg(job.payload + container.empty_mass + job.liners_mass + coolant_mass))
    dimensional = _dimensional(container, job.divisor)
    dry_ice = None
    if coolant is not None and coolant.kind is CoolantKind.DRY_ICE:
        net = coolant_mass.to("kg")
        dry_ice = DryIceMarking(net=net, text=f"UN1845 Dry ice, net {net.decimal()} kg")
    return PackPlan(
        lot=lot.id,
        pieces=pieces,
        container=container,
        coolant=coolant,
        coolant_units=units,
        liners=liners,
        requirements=requirements,
        payload=job.payload,
        gross=gross,
        outer=_outer(container),
        dimensional=dimensional,
        chargeable=max(gross, dimensional),
        divisor=job.divisor,
        packaging_cost=_materials_cost(job, container, coolant, units),
        postage=job.rate.price(max(gross, dimensional)),
        journey=job.journey,
        required_hold=job.required,
        hold=chosen.hold,
        ambient=job.profile,
        dry_ice=dry_ice,
        notes=tuple(_notes(chosen, feasible, requirements, coolant)),
        options=tuple(options),
    )


def _check_arguments(journey: dt.timedelta, pieces: int, margin: Decimal, divisor: int) -> None:
    if journey <= dt.timedelta(0):
        raise InvalidValueError(
            "the journey must take some time", field="journey", hint="e.g. 48 h"
        )
    if pieces < 1:
        raise InvalidValueError(f"pieces must be 1 or more, got {pieces}", field="pieces")
    if margin < 0:
        raise InvalidValueError(f"the margin cannot be negative, got {margin}", field="margin")
    if divisor <= 0:
        raise InvalidValueError(f"the divisor must be positive, got {divisor}", field="divisor")


def _options(job: _Job, materials: PackagingMaterials, *, cold: bool) -> list[PackOption]:
    options: list[PackOption] = []
    for container in materials.containers:
        if not cold:
            options.append(_try(job, container, None))
            continue
        for coolant in materials.coolants:
            why_not = _suitable(coolant, job.product.storage_class, job.limit)
            if why_not is not None:
                options.append(_rejected(container, coolant, 0, why_not))
            else:
                options.append(_try(job, container, coolant))
    return options


def _preference(option: PackOption) -> tuple[Decimal, float]:
    # The cheapest in total (packaging and postage), then the longest hold.
    held = option.hold.duration.total_seconds() if option.hold is not None else 0.0
    cost = option.cost.amount if option.cost is not None else Decimal(0)
    return (cost, -held)


def _notes(
    chosen: PackOption,
    feasible: int,
    requirements: Sequence[Requirement],
    coolant: Coolant | None,
) -> Iterator[str]:
    yield (
        f"chose {chosen.container.name}: the cheapest ({chosen.cost}, packaging and postage) "
        f"of {feasible} option(s) that hold long enough"
    )
    codes = {r.code for r in requirements}
    if coolant is not None and "no-freezing" in codes:
        yield "wrap the gel packs or ice in paper and keep them off the meat: it must not freeze"
    if coolant is not None and "no-coolant-contact" in codes:
        yield "put a layer of cardboard between the coolant and the egg trays"
    if coolant is not None and coolant.kind is CoolantKind.WATER_ICE:
        yield "seal ice in bags: melt water must stay inside"
    if coolant is not None and coolant.kind is CoolantKind.DRY_ICE:
        yield "do not seal the box airtight: dry ice gas must vent"
