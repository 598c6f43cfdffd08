"""Can it reach the buyer safe, with how much shelf life, at what cost?

:func:`plan_shipment` answers for one lot and many destinations at once. For each
destination and carrier service it lays out the route from the village (first mile, the wait
for the carrier's cut-off, the line haul, the last mile), chooses the pack that holds on the
route's slow (P90) day with :func:`ruralseller.packaging.plan_pack`, simulates the food's
temperature on a typical (P50) and a slow (P90) day, and checks it: the temperature limit,
freezing, the pathogen time budgets, the shelf life left on arrival, the carrier's weight,
size, dry-ice and coverage rules. Every option comes back with its cost and, when it does not
work, the reasons.

Routes and prices are shared by every destination whose lane has the same key (zone, extra
days for distance, rural feeder, remote area: :class:`~ruralseller.coldchain.lanes.Lane`), so
every county of mainland China costs little more than a handful of cities.

Example:
    >>> import datetime as dt
    >>> from ruralseller.catalog import load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> from ruralseller.coldchain.routes import CHINA_STANDARD_TIME
    >>> catalog = load_catalog(sample_path())
    >>> ship_at = dt.datetime(2026, 11, 21, 8, tzinfo=CHINA_STANDARD_TIME)
    >>> plan = plan_shipment(catalog, "WJ261120A", ["广州", "乌鲁木齐"], ship_at)
    >>> [(d.destination.city, d.feasible) for d in plan.destinations]
    [('广州市', True), ('乌鲁木齐市', False)]
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ruralseller.catalog import (
    MIN_REMAINING_DAYS,
    AnyProduct,
    Catalog,
    Lot,
    Money,
    Place,
    RemainingLife,
    StorageClass,
    Temperature,
)
from ruralseller.coldchain.classes import ClassLimits, class_limits
from ruralseller.coldchain.destinations import find_place
from ruralseller.coldchain.lanes import Lane, lane
from ruralseller.coldchain.routes import Route, Scenario, build_route, zone
from ruralseller.coldchain.services import EXAMPLE_SERVICES, CarrierService
from ruralseller.coldchain.shelf_life import (
    FOOD_CODE_4H,
    Guard,
    GuardBreach,
    ShelfLifeOnArrival,
    check_guards,
    remaining_on_arrival,
    time_above,
    time_below,
)
from ruralseller.errors import InvalidValueError, PackingError, RuralSellerError
from ruralseller.packaging import (
    SOUTH_CHINA_SUMMER,
    SOUTH_CHINA_WINTER,
    AmbientProfile,
    PackagingMaterials,
    PackPlan,
    ParcelRate,
    hold_time_profile,
    load_materials,
    plan_pack,
)
from ruralseller.packaging.materials import BUILTIN

__all__ = [
    "DEFAULT_MIN_REMAINING",
    "DestinationPlan",
    "Journey",
    "ShipmentOption",
    "ShipmentPlan",
    "outside_for",
    "plan_shipment",
]

# The thermal step used to choose packs: the hourly route profiles change slowly enough that
# 30 min stays within about 1 % of finer steps (packaging thermal tests), at half the cost.
_PLANNING_STEP = dt.timedelta(minutes=30)

DEFAULT_MIN_REMAINING = Decimal("0.3")
"""The shelf life a buyer must have left on arrival, as a share: 30 % (our default; set your
own)."""

# Spring and autumn in the southern Chinese hills: 20 ± 6 °C [ANALYSIS], between the
# summer (30 ± 6 °C) and winter (5 ± 6 °C) profiles of packaging.thermal.
_SHOULDER = AmbientProfile.day_night(
    Temperature(20, "°C"), 6, dt.timedelta(hours=72), name="southern China spring/autumn, 20 ± 6 °C"
)


def outside_for(day: dt.date) -> AmbientProfile:
    """The outside temperature profile for the season of ``day`` (southern China).

    Example:
        >>> outside_for(dt.date(2026, 7, 1)).name
        'southern China summer, 30 ± 6 °C, 72 h'
    """
    if day.month in {5, 6, 7, 8, 9}:
        return SOUTH_CHINA_SUMMER
    if day.month in {12, 1, 2}:
        return SOUTH_CHINA_WINTER
    return _SHOULDER


@attrs.frozen(kw_only=True)
class Journey:
    """The food on one simulated journey (a typical or a slow day).

    Attributes:
        scenario: ``p50`` (a typical day) or ``p90`` (a slow day).
        duration: hand-in to the buyer's door.
        arrival: when it reaches the buyer.
        history: the food's temperature over the journey.
        warmest: the warmest the food got.
        coldest: the coldest the food got.
        above_limit: time the food spent above its storage limit.
        below_floor: time the food spent below its freeze-damage floor.
        shelf_life: the shelf life used and left on arrival (None for food without one).
        breaches: pathogen time budgets exceeded.
    """

    scenario: str
    duration: dt.timedelta
    arrival: dt.datetime
    history: tuple[tuple[dt.timedelta, Temperature], ...]
    warmest: Temperature
    coldest: Temperature
    above_limit: dt.timedelta
    below_floor: dt.timedelta
    shelf_life: ShelfLifeOnArrival | None
    breaches: tuple[GuardBreach, ...]


@attrs.frozen(kw_only=True)
class ShipmentOption:
    """One carrier service to one destination: does it work, why not, at what cost.

    Attributes:
        destination: where the buyer is.
        service: the carrier service.
        zone: the tariff zone from the village (None if unknown).
        feasible: whether it works.
        reasons: why it does not (empty when it does).
        pack: the pack planned for the route's slow day.
        route: the route.
        typical: the food on a typical (P50) day.
        slow: the food on a slow (P90) day.
        postage: what the carrier charges.
        cost: postage plus packaging.
        lane: the distance, time commitment, feeder and remote area of the route.
    """

    destination: Place
    service: CarrierService
    zone: int | None
    feasible: bool
    reasons: tuple[str, ...] = ()
    pack: PackPlan | None = None
    route: Route | None = None
    typical: Journey | None = None
    slow: Journey | None = None
    postage: Money | None = None
    cost: Money | None = None
    lane: Lane | None = None


@attrs.frozen(kw_only=True)
class DestinationPlan:
    """Every option for one destination, the feasible ones first, cheapest first.

    Attributes:
        destination: where the buyer is.
        options: the options, ranked.
    """

    destination: Place
    options: tuple[ShipmentOption, ...]

    @property
    def feasible(self) -> bool:
        """Whether at least one option works."""
        return any(option.feasible for option in self.options)

    @property
    def best(self) -> ShipmentOption | None:
        """The cheapest option that works, or None."""
        return next((option for option in self.options if option.feasible), None)

    @property
    def name(self) -> str:
        """The destination's name: its city (and county), else its province, else its country."""
        place = self.destination
        if place.county is not None:
            return " ".join(part for part in (place.city, place.county) if part)
        return place.city or place.province or place.country


@attrs.frozen(kw_only=True)
class ShipmentPlan:
    """A lot planned to many destinations.

    Attributes:
        lot: the lot shipped.
        ship_at: when parcels are handed in.
        pieces: pieces per parcel.
        outside: the outside temperature profile planned with.
        min_remaining: the share of shelf life required on arrival.
        destinations: one plan per destination, in the order asked.
    """

    lot: str
    ship_at: dt.datetime
    pieces: int
    outside: AmbientProfile
    min_remaining: Decimal
    destinations: tuple[DestinationPlan, ...]

    @property
    def reachable(self) -> tuple[DestinationPlan, ...]:
        """The destinations with at least one option that works."""
        return tuple(plan for plan in self.destinations if plan.feasible)

    def to_dict(self) -> dict[str, Any]:
        """The plan as plain data (what ``ruralseller plan --format json`` prints)."""
        return {
            "lot": self.lot,
            "ship_at": self.ship_at.isoformat(),
            "pieces": self.pieces,
            "outside": self.outside.name,
            "min_remaining": float(self.min_remaining),
            "destinations": [
                {
                    "destination": plan.name,
                    "province": plan.destination.province,
                    "feasible": plan.feasible,
                    "options": [_option_dict(option) for option in plan.options],
                }
                for plan in self.destinations
            ],
        }

    def to_json(self) -> str:
        """The plan as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


def _journey_dict(journey: Journey | None) -> dict[str, Any] | None:
    if journey is None:
        return None
    shelf = journey.shelf_life
    return {
        "hours": round(journey.duration.total_seconds() / 3600, 1),
        "arrival": journey.arrival.isoformat(),
        "warmest": str(journey.warmest),
        "hours_above_limit": round(journey.above_limit.total_seconds() / 3600, 2),
        "shelf_life_left": round(shelf.remaining, 3) if shelf is not None else None,
        "breaches": [str(breach) for breach in journey.breaches],
    }


def _option_dict(option: ShipmentOption) -> dict[str, Any]:
    pack = option.pack
    return {
        "service": option.service.id,
        "feasible": option.feasible,
        "reasons": list(option.reasons),
        "zone": option.zone,
        "road_km": option.lane.road_km if option.lane is not None else None,
        "commitment": option.lane.commitment.name
        if option.lane is not None and option.lane.commitment is not None
        else None,
        "remote_area": option.lane.remote.name
        if option.lane is not None and option.lane.remote is not None
        else None,
        "cost": str(option.cost) if option.cost is not None else None,
        "postage": str(option.postage) if option.postage is not None else None,
        "pack": None
        if pack is None
        else {
            "container": pack.container.id,
            "coolant": pack.coolant.id if pack.coolant else None,
            "coolant_units": pack.coolant_units,
            "gross": str(pack.gross),
            "packaging_cost": str(pack.packaging_cost),
        },
        "typical": _journey_dict(option.typical),
        "slow": _journey_dict(option.slow),
    }


@attrs.frozen
class _Context:
    catalog: Catalog
    lot: Lot
    product: AnyProduct
    origin: Place
    limits: ClassLimits
    ship_at: dt.datetime
    outside: AmbientProfile
    pieces: int
    materials: PackagingMaterials
    min_remaining: Decimal
    guards: tuple[Guard, ...]
    since_production: dt.timedelta
    # The last day the food may arrive: the printed date less the life the buyer must keep.
    arrive_by: dt.date | None = None


def _since_production(lot: Lot, ship_at: dt.datetime) -> dt.timedelta:
    record = lot.slaughter
    if record is not None:
        made = record.slaughtered_at
    else:
        made = dt.datetime.combine(lot.production_date, dt.time(0), tzinfo=ship_at.tzinfo)
    if made > ship_at:
        raise InvalidValueError(
            f"the parcel would be handed in ({ship_at.isoformat()}) before lot {lot.id} was "
            f"made ({made.isoformat()})",
            field="ship_at",
            hint="ship after the production date",
        )
    return ship_at - made


def _arrive_by(catalog: Catalog, lot: Lot) -> dt.date | None:
    """The last day the food may arrive: its printed date less the offer's minimum life."""
    printed = lot.printed_date
    if printed is None:
        return None
    offer = catalog.offer_for(lot.id)
    life = offer.remaining_life() if offer is not None else RemainingLife(days=MIN_REMAINING_DAYS)
    return printed - dt.timedelta(days=life.days_for((printed - lot.production_date).days))


def _resolve(destination: Place | str) -> Place:
    if isinstance(destination, Place):
        return destination
    return find_place(destination)


def _journey(ctx: _Context, option_pack: PackPlan, route: Route, scenario: Scenario) -> Journey:
    duration = route.duration(scenario)
    ambient = route.ambient(ctx.outside, scenario)
    payload_max = ctx.limits.high or Temperature(25, "°C")
    if option_pack.coolant is None:
        # Ambient food: the box only slows the outside down; model it as the outside itself.
        history = tuple((elapsed, ambient.temperature_at(elapsed)) for elapsed in _hours(duration))
    else:
        held = hold_time_profile(
            option_pack.container,
            option_pack.coolant,
            option_pack.coolant_mass,
            payload_mass=option_pack.payload,
            payload_cp=_cp(ctx.product),
            payload_start=_start(ctx, option_pack),
            payload_max=payload_max,
            profile=ambient,
            through_end=True,
        )
        history = held.history
    shelf = None
    basis = ctx.product.shelf_life_basis
    if basis is not None:
        band = ctx.product.storage_class.limits if basis.model.value == "fixed" else None
        shelf = remaining_on_arrival(
            basis, history, since_production=ctx.since_production, band=_band(band)
        )
    floor = ctx.limits.freeze_floor
    return Journey(
        scenario=scenario,
        duration=duration,
        arrival=route.arrival(scenario),
        history=history,
        warmest=max(t for _, t in history),
        coldest=min(t for _, t in history),
        above_limit=time_above(history, payload_max) if ctx.limits.high else dt.timedelta(0),
        below_floor=time_below(history, floor) if floor is not None else dt.timedelta(0),
        shelf_life=shelf,
        breaches=check_guards(history, ctx.guards) if ctx.limits.high else (),
    )


def _band(limits: Any) -> Any:
    if limits is None:
        return None
    low, high = limits
    return None if low is None and high is None else limits


def _hours(duration: dt.timedelta) -> Iterable[dt.timedelta]:
    step = dt.timedelta(minutes=30)
    elapsed = dt.timedelta(0)
    while elapsed < duration:
        yield elapsed
        elapsed += step
    yield duration


def _cp(product: AnyProduct) -> Decimal:
    if product.storage_class is StorageClass.FROZEN:
        return Decimal("1.75")
    return {"shell_eggs": Decimal("3.2")}.get(product.kind, Decimal("3.4"))


def _start(ctx: _Context, pack: PackPlan) -> Temperature:
    record = ctx.lot.slaughter
    if record is not None and record.chilling is not None and record.chilling.core_temperature:
        return record.chilling.core_temperature
    low, high = ctx.product.storage_class.limits
    if low is not None and high is not None:
        return Temperature((low.celsius + high.celsius) / 2, "°C")
    del pack
    return high or Temperature(20, "°C")


def _problems(ctx: _Context, journey: Journey) -> list[str]:
    reasons = []
    limit = ctx.limits.high
    name = "a slow (P90) day" if journey.scenario == "p90" else "a typical day"
    if limit is not None and journey.above_limit > dt.timedelta(0):
        hours = journey.above_limit.total_seconds() / 3600
        reasons.append(
            f"on {name} the food is above {limit} for {hours:.1f} h (warmest {journey.warmest})"
        )
    if journey.below_floor > dt.timedelta(0) and ctx.limits.freeze_floor is not None:
        reasons.append(
            f"on {name} the food gets colder than {ctx.limits.freeze_floor} and is damaged by "
            f"freezing (coldest {journey.coldest})"
        )
    reasons += [f"on {name}: {breach}" for breach in journey.breaches if breach.hard]
    arrives = journey.arrival.astimezone(ctx.ship_at.tzinfo).date()
    if ctx.arrive_by is not None and arrives > ctx.arrive_by:
        # The date on the label rules: a shelf-life model may be stricter, never looser.
        printed, kind = ctx.lot.printed_date, ctx.lot.printed_date_kind
        words = "use-by date" if kind == "use_by" else "best-before date"
        keep = (printed - ctx.arrive_by).days if printed is not None else 0
        less = f" less the {keep} day(s) the buyer must have left" if keep else ""
        reasons.append(
            f"on {name} it arrives on {arrives}, after the lot's {words} {printed}{less}"
        )
    shelf = journey.shelf_life
    if shelf is not None:
        if shelf.spoiled:
            reasons.append(f"on {name} the food is spoiled before it arrives")
        elif Decimal(str(round(shelf.remaining, 4))) < ctx.min_remaining:
            reasons.append(
                f"on {name} only {shelf.remaining:.0%} of the shelf life is left on arrival "
                f"(at least {ctx.min_remaining:.0%} needed)"
            )
    return reasons


@attrs.frozen
class _Verdict:
    """What one service makes of one zone's pack and journeys: the same for every destination."""

    reasons: tuple[str, ...]
    feasible: bool
    postage: Money
    cost: Money


def _verdict(
    ctx: _Context,
    service: CarrierService,
    path: Lane,
    pack: PackPlan,
    journeys: tuple[Journey, Journey],
) -> _Verdict:
    typical, slow = journeys
    reasons = []
    fit = service.fits(pack.gross, pack.outer, pieces=1)
    if fit is not None:
        reasons.append(fit)
    if pack.dry_ice is not None:
        refusal = service.takes_dry_ice(pack.dry_ice.net)
        if refusal is not None:
            reasons.append(refusal)
    reasons += _problems(ctx, slow) + _problems(ctx, typical)
    postage = service.price(path.zone, pack.gross, pack.outer)
    if path.surcharge is not None:
        postage += path.surcharge
    return _Verdict(
        reasons=tuple(dict.fromkeys(reasons)),
        feasible=not reasons,
        postage=postage,
        cost=postage + pack.packaging_cost,
    )


def _option(  # noqa: PLR0913 - the shared caches travel with the destination
    ctx: _Context,
    destination: Place,
    service: CarrierService,
    cache: dict[tuple[Any, str], Any],
    verdicts: dict[tuple[Any, int], _Verdict],
    *,
    path: Lane | RuralSellerError,
) -> ShipmentOption:
    def no(*reasons: str, zone_: int | None = None, **fields: Any) -> ShipmentOption:
        return ShipmentOption(
            destination=destination,
            service=service,
            zone=zone_,
            feasible=False,
            reasons=reasons,
            **fields,
        )

    try:
        refusal = service.serves(destination) or service.carries(ctx.product.storage_class)
        if refusal is not None:
            return no(refusal)
        if isinstance(path, RuralSellerError):
            raise path
        zone_ = path.zone
        refusal = path.refusal(service.temperature_controlled, service.name)
        if refusal is not None:
            return no(refusal, zone_=zone_, lane=path)
    except RuralSellerError as exc:
        return no(str(exc))
    # Destinations whose lanes share a key (zone, extra days, feeder, remote area) share
    # their pack and simulated days; the route itself names its own destination, and
    # building it is cheap.
    key = (path.key, service.id)
    if key not in cache:
        cache[key] = _route_and_pack(ctx, destination, service, path)
    _, pack, problem, typical, slow = cache[key]
    route = build_route(ctx.origin, destination, service, ctx.ship_at, lane=path)
    if problem is not None:
        return no(problem, zone_=zone_, route=route, lane=path)
    assert pack is not None  # noqa: S101 - no problem means a pack
    # The limits, the postage and the journeys' problems depend on the service, the lane's
    # key and its pack only: worked out once per (key, service object), not per destination.
    verdict_key = (path.key, id(service))
    verdict = verdicts.get(verdict_key)
    if verdict is None:
        verdict = _verdict(ctx, service, path, pack, (typical, slow))
        verdicts[verdict_key] = verdict
    return ShipmentOption(
        destination=destination,
        service=service,
        zone=zone_,
        feasible=verdict.feasible,
        reasons=verdict.reasons,
        pack=pack,
        route=route,
        typical=typical,
        slow=slow,
        postage=verdict.postage,
        cost=verdict.cost,
        lane=path,
    )


def _route_and_pack(
    ctx: _Context, destination: Place, service: CarrierService, path: Lane
) -> tuple[Route, PackPlan | None, str | None, Journey | None, Journey | None]:
    route = build_route(ctx.origin, destination, service, ctx.ship_at, lane=path)
    rate = service.tariff.rate(path.zone)
    try:
        pack = plan_pack(
            ctx.catalog,
            ctx.lot.id,
            journey=route.duration("p90"),
            ambient=route.ambient(ctx.outside, "p90"),
            pieces=ctx.pieces,
            materials=ctx.materials,
            margin=Decimal(0),
            rate=ParcelRate(rate.first_kg, rate.per_extra_kg),
            step=_PLANNING_STEP,
        )
    except PackingError:
        hours = route.duration("p90").total_seconds() / 3600
        return (
            route,
            None,
            (
                "no box and coolant in the packaging materials keeps the food cold for the "
                f"{hours:.0f} h of a slow day on this route"
            ),
            None,
            None,
        )
    typical = _journey(ctx, pack, route, "p50")
    slow = _journey(ctx, pack, route, "p90")
    return route, pack, None, typical, slow


def _lane_or_error(origin: Place, destination: Place) -> Lane | RuralSellerError:
    try:
        return lane(origin, destination, zone_number=zone(origin, destination))
    except RuralSellerError as exc:
        return exc


def _rank(option: ShipmentOption) -> tuple[int, Decimal, str]:
    # What works, cheapest first; then what was simulated but fails (the closest calls);
    # then services that refused outright.
    cost = option.cost.amount if option.cost is not None else Decimal(0)
    group = 0 if option.feasible else (1 if option.pack is not None else 2)
    return (group, cost, option.service.id)


def plan_shipment(  # noqa: PLR0913 - all but the first three are keyword-only
    catalog: Catalog,
    lot_id: str,
    destinations: Sequence[Place | str],
    ship_at: dt.datetime,
    *,
    services: Sequence[CarrierService] = EXAMPLE_SERVICES,
    outside: AmbientProfile | None = None,
    pieces: int = 1,
    materials: PackagingMaterials | None = None,
    min_remaining: Decimal = DEFAULT_MIN_REMAINING,
    guards: Sequence[Guard] = (FOOD_CODE_4H,),
) -> ShipmentPlan:
    """Plan shipping one lot to many destinations: what works, why not, at what cost.

    Args:
        catalog: the catalogue.
        lot_id: the lot to ship.
        destinations: the buyers' places, or text: a city, county, division code or
            address of mainland China (``上海``, ``Shanghai``, ``歙县``, ``341002``,
            ``安徽省黄山市屯溪区…``; see :func:`~ruralseller.coldchain.destinations.find_place`).
        ship_at: when the parcels are handed in at the village (with its time zone).
        services: the carrier services to consider (example data for rural China by
            default: replace it with your contracts).
        outside: the outside temperature; the season's southern-China profile when None.
        pieces: pieces per parcel.
        materials: boxes, coolants and liners; the catalogue's own merged over the
            built-in ones when None.
        min_remaining: the share of shelf life the buyer must have left on arrival.
        guards: pathogen time budgets that must not be exceeded.

    Raises:
        InvalidValueError: for a naive ``ship_at``, one before the lot was made, an unknown
            or ambiguous place (:class:`~ruralseller.errors.PlaceError`), or a lot that cannot
            be packed (live animals).
    """
    if ship_at.utcoffset() is None:
        raise InvalidValueError(
            f"ship_at {ship_at.isoformat()} has no time zone",
            field="ship_at",
            hint="give the offset, e.g. 2026-11-21T08:00:00+08:00",
        )
    if not 0 <= min_remaining <= 1:
        raise InvalidValueError(
            f"min_remaining must be a share from 0 to 1, got {min_remaining}",
            field="min_remaining",
        )
    lot = catalog.lot(lot_id)
    product = catalog.product_of(lot)
    places = [_resolve(destination) for destination in destinations]
    ctx = _Context(
        catalog=catalog,
        lot=lot,
        product=product,
        origin=catalog.producer_of(lot).place,
        limits=class_limits(product),
        ship_at=ship_at,
        outside=outside or outside_for(ship_at.date()),
        pieces=pieces,
        materials=materials
        or (load_materials(catalog.folder) if catalog.folder is not None else BUILTIN),
        min_remaining=min_remaining,
        guards=tuple(guards),
        since_production=_since_production(lot, ship_at),
        arrive_by=_arrive_by(catalog, lot),
    )
    cache: dict[tuple[Any, str], Any] = {}
    verdicts: dict[tuple[Any, int], _Verdict] = {}
    plans = []
    for place in places:
        path = _lane_or_error(ctx.origin, place)
        options = (_option(ctx, place, service, cache, verdicts, path=path) for service in services)
        plans.append(DestinationPlan(destination=place, options=tuple(sorted(options, key=_rank))))
    return ShipmentPlan(
        lot=lot.id,
        ship_at=ship_at,
        pieces=pieces,
        outside=ctx.outside,
        min_remaining=min_remaining,
        destinations=tuple(plans),
    )
