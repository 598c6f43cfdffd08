"""Shelf life along a temperature history, and the pathogen guards that stop a shipment.

**Shelf life** follows the relative rate of spoilage (RRS) of DTU's Seafood/Food Spoilage and
Safety Predictor (sssp.dtuaqua.dk, fssp.food.dtu.dk: the RRS pages). A product keeps
``SL_ref`` at its reference temperature ``T_ref``; at another temperature it spoils
``RRS(T)`` times as fast, so ``SL(T) = SL_ref / RRS(T)``:

* square-root (Ratkowsky) model: ``RRS = ((T − T_min)/(T_ref − T_min))²``, and 0 at or below
  ``T_min``, where spoilage stops; fitted between ``T_min`` and about 25 °C, so warmer than
  that it extrapolates;
* exponential (Q10) model: ``RRS = exp(slope · (T − T_ref))``;
* fixed model: a shelf life stated at the product's storage (a legal best-before, say) with no
  kinetics: ``RRS = 1`` within the storage band.

Over a journey the shelf life used up adds up, ``Σ Δt/SL(T)`` (additivity shown for fresh and
cold-smoked fish: Dalgaard 2004; DTU SSSP): :func:`consumed` and :func:`remaining_on_arrival`.

**Pathogen guards** are hard time budgets above a temperature, from food law and
microbiology: the FDA Food Code's 4 h out of temperature control, the USDA's 2 h (1 h above 90 °F),
and, for information, the 5.2 °C below which Salmonella does not grow. :func:`check_guards`
returns the budgets a history breaks.

**Temperature histories** have the form of :attr:`ruralseller.packaging.HoldTime.history`: a
sequence of ``(elapsed, Temperature)`` points in time order, ``elapsed`` a
:class:`datetime.timedelta` from the start of the journey. Between points the temperature
is read as a straight line; two points at the same elapsed time make a step. Both the shelf
life used and the time above a threshold are worked out exactly along those lines.

Temperatures come in as exact :class:`~ruralseller.catalog.Temperature` values; the kinetics
run on floats.

Example:
    >>> import datetime as dt
    >>> from ruralseller.catalog import Temperature
    >>> from ruralseller.catalog.product import ShelfLife, ShelfLifeModel
    >>> chicken = ShelfLife(
    ...     reference=dt.timedelta(days=5), at=Temperature(4, "°C"),
    ...     model=ShelfLifeModel.SQUARE_ROOT, tmin=Temperature(-10, "°C"),
    ... )
    >>> journey = [  # 30 h in a cold box, then 6 h warming once the ice is spent
    ...     (dt.timedelta(0), Temperature(2, "°C")),
    ...     (dt.timedelta(hours=30), Temperature(4, "°C")),
    ...     (dt.timedelta(hours=36), Temperature(9, "°C")),
    ... ]
    >>> arrival = remaining_on_arrival(chicken, journey, since_production=dt.timedelta(hours=12))
    >>> round(arrival.used, 2), arrival.at_reference, arrival.spoiled
    (0.39, datetime.timedelta(days=3, seconds=6061), False)
    >>> for breach in check_guards(journey):
    ...     print(breach.guard.name, "-", breach.time_above, "above", breach.guard.threshold)
    FDA Food Code 4 h above 41 °F - 4:48:00 above 41 °F
    USDA 2 h above 40 °F - 5:28:00 above 40 °F
    Salmonella growth above 5.2 °C - 4:33:36 above 5.2 °C
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any, NamedTuple

import attrs

from ruralseller.catalog import Temperature, format_duration
from ruralseller.catalog.product import ShelfLife, ShelfLifeModel
from ruralseller.compliance import Citation
from ruralseller.errors import InvalidValueError

__all__ = [
    "FOOD_CODE_4H",
    "GUARDS",
    "SALMONELLA_GROWTH",
    "USDA_1H_ABOVE_90F",
    "USDA_2H",
    "Band",
    "Guard",
    "GuardBreach",
    "ShelfLifeOnArrival",
    "check_guards",
    "consumed",
    "relative_rate",
    "remaining_on_arrival",
    "shelf_life_at",
    "time_above",
    "time_below",
]

Band = tuple[Temperature | None, Temperature | None]
"""A storage band ``(low, high)``, as :attr:`ruralseller.catalog.StorageClass.limits` gives."""

_MICROSECONDS = 1_000_000
_MAX_SECONDS = dt.timedelta.max.total_seconds()
_HISTORY_HINT = (
    "give a sequence of (elapsed, Temperature) pairs in time order, e.g. "
    "[(timedelta(0), Temperature(2, '°C')), (timedelta(hours=6), Temperature(4, '°C'))], "
    "or the history of packaging.hold_time_profile()"
)


# --- the shelf-life basis -------------------------------------------------------------------


@attrs.frozen
class _Kinetics:
    """A shelf-life basis checked and reduced to floats."""

    model: ShelfLifeModel
    reference_seconds: float
    at: float | None
    tmin: float | None
    slope: float | None
    band: Band | None

    def rate(self, celsius: float, temperature: Temperature) -> float:
        if self.model is ShelfLifeModel.SQUARE_ROOT:
            assert self.at is not None  # noqa: S101 - checked in _kinetics
            assert self.tmin is not None  # noqa: S101
            if celsius <= self.tmin:
                return 0.0
            return ((celsius - self.tmin) / (self.at - self.tmin)) ** 2
        if self.model is ShelfLifeModel.EXPONENTIAL:
            assert self.at is not None  # noqa: S101
            assert self.slope is not None  # noqa: S101
            return _exp(self.slope * (celsius - self.at))
        self.check_band(temperature)
        return 1.0

    def check_band(self, temperature: Temperature) -> None:
        if self.band is None:
            return
        low, high = self.band
        if (low is not None and temperature < low) or (high is not None and temperature > high):
            shown = " to ".join(str(t) if t is not None else "any" for t in (low, high))
            raise InvalidValueError(
                f"{temperature} is outside the storage band {shown}: a fixed shelf life of "
                f"{format_duration(_whole_seconds(self.reference_seconds))} holds only within "
                "its storage band, and says nothing about how fast the food spoils elsewhere",
                hint="flag the excursion with class_limits() or check_guards(), pass band=None "
                "to count time outside the band at the same rate, or give the product a "
                "square_root or exponential shelf-life basis",
            )

    def segment(self, seconds: float, t0: float, t1: float) -> float:
        """The rate integrated exactly along a straight line from t0 to t1 °C."""
        if seconds == 0:
            return 0.0
        if self.model is ShelfLifeModel.SQUARE_ROOT:
            assert self.at is not None  # noqa: S101
            assert self.tmin is not None  # noqa: S101
            span = self.at - self.tmin
            u0, u1 = (t0 - self.tmin) / span, (t1 - self.tmin) / span
            if u0 == u1:
                return seconds * u0 * u0 if u0 > 0 else 0.0
            low, high = min(u0, u1), max(u0, u1)
            if high <= 0:
                return 0.0
            if low < 0:
                # Spoilage stops below T_min: only the part of the line above it counts.
                return seconds * high / (high - low) * high * high / 3
            return seconds * (u0 * u0 + u0 * u1 + u1 * u1) / 3
        if self.model is ShelfLifeModel.EXPONENTIAL:
            assert self.at is not None  # noqa: S101
            assert self.slope is not None  # noqa: S101
            x0, x1 = self.slope * (t0 - self.at), self.slope * (t1 - self.at)
            if x0 == x1:
                return seconds * _exp(x0)
            # The mean of exp(x) along a straight line: (e^x1 − e^x0)/(x1 − x0), written with
            # expm1 where x1 is close to x0 so that it stays accurate.
            step = x1 - x0
            if abs(step) < 1:
                return seconds * _exp(x0) * math.expm1(step) / step
            high, low = _exp(max(x0, x1)), _exp(min(x0, x1))
            if math.isinf(high):
                return math.inf
            return seconds * (high - low) / abs(step)
        return seconds


def _exp(value: float) -> float:
    try:
        return math.exp(value)
    except OverflowError:
        return math.inf


def _whole_seconds(seconds: float) -> dt.timedelta:
    return dt.timedelta(seconds=round(seconds))


def _band(value: object) -> Band | None:
    if value is None:
        return None
    if (
        isinstance(value, tuple)
        and len(value) == 2
        and all(item is None or isinstance(item, Temperature) for item in value)
    ):
        low, high = value
        if low is not None and high is not None and low > high:
            raise InvalidValueError(f"band ({low}, {high}) has its low above its high")
        return low, high
    raise InvalidValueError(
        f"band must be a (low, high) pair of Temperatures or None, got {value!r}",
        hint="pass product.storage_class.limits, or class_limits(product).band",
    )


def _kinetics(basis: object, band: object = None) -> _Kinetics:
    if not isinstance(basis, ShelfLife):
        raise InvalidValueError(
            f"basis must be a ShelfLife, got {basis!r}",
            hint="use product.shelf_life_basis, or build a catalog.product.ShelfLife",
        )
    model = basis.model
    name = model.value
    at = tmin = slope = None
    if model is not ShelfLifeModel.FIXED:
        if basis.at is None:
            raise InvalidValueError(
                f"the {name} shelf-life basis has no reference temperature `at`: the shelf "
                f"life of {format_duration(basis.reference)} is not said to hold at any "
                "temperature",
                field="at",
                hint='give the temperature the shelf life was measured at, e.g. at = "4 °C"',
            )
        at = float(basis.at.celsius)
    if model is ShelfLifeModel.SQUARE_ROOT:
        if basis.tmin is None:
            raise InvalidValueError(
                "the square_root shelf-life basis has no tmin",
                field="tmin",
                hint='add tmin, e.g. tmin = "-10 °C" for chilled poultry',
            )
        tmin = float(basis.tmin.celsius)
        if at is not None and tmin >= at:
            raise InvalidValueError(
                f"tmin {basis.tmin} must be below the reference temperature {basis.at}",
                field="tmin",
            )
    if model is ShelfLifeModel.EXPONENTIAL:
        if basis.slope is None or not basis.slope.is_finite() or basis.slope <= 0:
            raise InvalidValueError(
                f"the exponential shelf-life basis needs a slope above zero, got {basis.slope}",
                field="slope",
                hint="spoilage speeds up when it is warmer; e.g. slope = 0.089 per °C (FSSP)",
            )
        slope = float(basis.slope)
    return _Kinetics(
        model=model,
        reference_seconds=basis.reference.total_seconds(),
        at=at,
        tmin=tmin,
        slope=slope,
        band=_band(band),
    )


def _temperature(value: object, what: str) -> Temperature:
    if not isinstance(value, Temperature):
        raise InvalidValueError(
            f"{what} must be a Temperature, got {value!r}",
            hint="e.g. Temperature(4, '°C'); floats are not accepted",
        )
    return value


def _duration(value: object, what: str) -> dt.timedelta:
    if not isinstance(value, dt.timedelta):
        raise InvalidValueError(
            f"{what} must be a datetime.timedelta, got {value!r}",
            hint="e.g. datetime.timedelta(hours=12), or parse_duration('12 h')",
        )
    if value < dt.timedelta(0):
        raise InvalidValueError(f"{what} must not be negative, got {value}")
    return value


def relative_rate(basis: ShelfLife, temperature: Temperature, *, band: Band | None = None) -> float:
    """How many times faster than at its reference temperature the food spoils at ``temperature``.

    Args:
        basis: the product's shelf-life basis (``product.shelf_life_basis``).
        temperature: the food's temperature.
        band: for the fixed model, the storage band the fixed shelf life holds in (e.g.
            ``product.storage_class.limits``): a temperature outside it is an error. None
            counts every temperature at rate 1. The other models do not use it.

    Raises:
        InvalidValueError: a basis that lacks what its model needs, or (fixed model) a
            temperature outside the given band.

    Example:
        >>> import datetime as dt
        >>> from ruralseller.catalog import Temperature
        >>> from ruralseller.catalog.product import ShelfLife, ShelfLifeModel
        >>> sssp = ShelfLife(reference=dt.timedelta(days=21), at=Temperature(5, "°C"),
        ...                  model=ShelfLifeModel.SQUARE_ROOT, tmin=Temperature(-10, "°C"))
        >>> relative_rate(sssp, Temperature(0, "°C")), relative_rate(sssp, Temperature(-12, "°C"))
        (0.4444444444444444, 0.0)
    """
    kinetics = _kinetics(basis, band)
    checked = _temperature(temperature, "temperature")
    return kinetics.rate(float(checked.celsius), checked)


def shelf_life_at(
    basis: ShelfLife, temperature: Temperature, *, band: Band | None = None
) -> dt.timedelta | None:
    """The shelf life at a constant ``temperature``: ``SL_ref / RRS(T)``, to the second.

    None means the food does not spoil at that temperature: at or below the square-root
    model's ``tmin``, or a shelf life longer than :class:`datetime.timedelta` can hold.

    Args:
        basis: the product's shelf-life basis.
        temperature: the constant storage temperature.
        band: see :func:`relative_rate`.

    Example:
        >>> import datetime as dt
        >>> from ruralseller.catalog import Temperature
        >>> from ruralseller.catalog.product import ShelfLife, ShelfLifeModel
        >>> sssp = ShelfLife(reference=dt.timedelta(days=21), at=Temperature(5, "°C"),
        ...                  model=ShelfLifeModel.SQUARE_ROOT, tmin=Temperature(-10, "°C"))
        >>> shelf_life_at(sssp, Temperature(0, "°C"))
        datetime.timedelta(days=47, seconds=21600)
        >>> shelf_life_at(sssp, Temperature(-10, "°C")) is None
        True
    """
    rate = relative_rate(basis, temperature, band=band)
    return _life(basis.reference.total_seconds(), rate)


def _life(reference_seconds: float, rate: float) -> dt.timedelta | None:
    if rate <= 0:
        return None
    seconds = reference_seconds / rate
    if seconds >= _MAX_SECONDS:
        return None
    return _whole_seconds(seconds)


# --- histories -------------------------------------------------------------------------------


class _Point(NamedTuple):
    """One history point, with the numbers every reader of it needs worked out once."""

    micros: int
    temperature: Temperature
    exact: Fraction  # the temperature in °C, exactly
    seconds: float  # micros / 1e6
    celsius: float  # float(exact)


def _point(micros: int, temperature: Temperature) -> _Point:
    exact = temperature.celsius
    return _Point(micros, temperature, exact, micros / _MICROSECONDS, float(exact))


_ZERO = dt.timedelta(0)
_ONE_MICROSECOND = dt.timedelta(microseconds=1)

# The points read from the last history given as a tuple of (timedelta, Temperature) tuples.
# Such a history cannot change, and a planner asks several questions of one history in a row
# (time above a limit, time below a floor, the guards, the shelf life used): it is read once.
# One slot, replaced whole, so a reader sees either the old pair or the new one.
_LAST_READ: list[tuple[object, Sequence[_Point]]] = [((), ())]


def _history(history: object) -> Sequence[_Point]:
    history_read, points_read = _LAST_READ[0]
    if history_read is history:
        return points_read
    points, frozen = _read_history(history)
    if frozen:
        _LAST_READ[0] = (history, points)
    return points


def _read_history(history: object) -> tuple[Sequence[_Point], bool]:
    """The points of a history, checked, and whether the history is immutable."""
    if isinstance(history, str | bytes) or not isinstance(history, Iterable):
        raise InvalidValueError(
            f"history must be a sequence of (elapsed, Temperature) points, got {history!r}",
            hint=_HISTORY_HINT,
        )
    points: list[_Point] = []
    frozen = type(history) is tuple
    for index, point in enumerate(history):
        if not isinstance(point, tuple | list) or len(point) != 2:
            raise InvalidValueError(
                f"history point {index} must be an (elapsed, Temperature) pair, got {point!r}",
                hint=_HISTORY_HINT,
            )
        elapsed, temperature = point
        if not isinstance(elapsed, dt.timedelta):
            raise InvalidValueError(
                f"history point {index}: elapsed must be a datetime.timedelta, got {elapsed!r}",
                hint="e.g. datetime.timedelta(hours=6): the time since the journey started",
            )
        if elapsed < _ZERO:
            raise InvalidValueError(
                f"history point {index}: elapsed {elapsed} is negative",
                hint="count elapsed time from the start of the journey, from timedelta(0)",
            )
        _temperature(temperature, f"history point {index}: temperature")
        frozen = frozen and type(point) is tuple and type(temperature) is Temperature
        micros = elapsed // _ONE_MICROSECOND
        if points and micros < points[-1].micros:
            raise InvalidValueError(
                f"history is not in time order: point {index} at {elapsed} comes after "
                f"point {index - 1} at {dt.timedelta(microseconds=points[-1].micros)}",
                hint="sort the points by elapsed time; two points at the same time make a step",
            )
        points.append(_point(micros, temperature))
    if not points:
        raise InvalidValueError(
            "the history is empty: there is no temperature to follow",
            hint=_HISTORY_HINT + "; packaging.hold_time() has no history, use hold_time_profile()",
        )
    return tuple(points), frozen


def _pairs(points: Sequence[_Point]) -> Iterable[tuple[_Point, _Point]]:
    return itertools.pairwise(points)


def consumed(basis: ShelfLife, history: Iterable[Any], *, band: Band | None = None) -> float:
    """The share of the shelf life a temperature history uses up: ``Σ Δt/SL(T)``.

    The temperature runs in a straight line between points, and the relative rate is
    integrated exactly along each line (not by the step or trapezoid rule). A flat segment
    gives exactly ``Δt/SL(T)``, a step is two points at the same time, and no rule of thumb
    about where in a step the temperature counts is needed: a logger's or the thermal
    model's points are read as the same straight lines :func:`time_above` uses. The result
    is additive over consecutive histories, and since the rates are convex in temperature
    it is never more than the trapezoid rule's.

    Args:
        basis: the product's shelf-life basis.
        history: ``(elapsed, Temperature)`` points in time order (see the module docs).
        band: see :func:`relative_rate`.

    Returns:
        0 for nothing used, 1 for the whole shelf life; more than 1 when spoiled.

    Raises:
        InvalidValueError: an empty history, points out of time order or of the wrong type,
            or a basis that lacks what its model needs.

    Example:
        >>> import datetime as dt
        >>> from ruralseller.catalog import Temperature
        >>> from ruralseller.catalog.product import ShelfLife, ShelfLifeModel
        >>> chicken = ShelfLife(reference=dt.timedelta(days=5), at=Temperature(4, "°C"),
        ...                     model=ShelfLifeModel.SQUARE_ROOT, tmin=Temperature(-10, "°C"))
        >>> day = [(dt.timedelta(0), Temperature(4, "°C")),
        ...        (dt.timedelta(days=1), Temperature(4, "°C"))]
        >>> consumed(chicken, day)
        0.2
    """
    kinetics = _kinetics(basis, band)
    points = _history(history)
    if kinetics.model is ShelfLifeModel.FIXED:
        # The band is convex and the lines are straight: checking the points is enough.
        for point in points:
            kinetics.check_band(point.temperature)
    total = math.fsum(
        kinetics.segment(end.seconds - start.seconds, start.celsius, end.celsius)
        for start, end in _pairs(points)
    )
    return total / kinetics.reference_seconds


# --- remaining shelf life on arrival -------------------------------------------------------


@attrs.frozen(kw_only=True)
class ShelfLifeOnArrival:
    """How much shelf life a journey used, and how much is left when the parcel arrives.

    Attributes:
        basis: the shelf-life basis the numbers come from.
        used_before_shipping: the share used between production and the start of the journey.
        used_in_transit: the share used along the journey's history.
        used: the share used in all (more than 1 when spoiled).
        remaining: the share left, ``max(0, 1 − used)``.
        at_reference: the time left at the basis's reference temperature (for a fixed
            basis, under its stated storage).
        storage_top: the warmest temperature of the product's storage band, if known.
        at_storage_top: the time left when kept at :attr:`storage_top`; None when no top is
            known or the food does not spoil there.
        spoiled: whether the whole shelf life is used up.
        band: the storage band the numbers were worked out with, if any.
    """

    basis: ShelfLife
    used_before_shipping: float
    used_in_transit: float
    used: float
    remaining: float
    at_reference: dt.timedelta
    storage_top: Temperature | None
    at_storage_top: dt.timedelta | None
    spoiled: bool
    band: Band | None = None

    def remaining_at(self, temperature: Temperature) -> dt.timedelta | None:
        """The time left if the food is kept at ``temperature`` from arrival on.

        None when the food does not spoil at that temperature (and some shelf life is left).

        Example:
            >>> import datetime as dt
            >>> from ruralseller.catalog import Temperature
            >>> from ruralseller.catalog.product import ShelfLife, ShelfLifeModel
            >>> chicken = ShelfLife(reference=dt.timedelta(days=5), at=Temperature(4, "°C"),
            ...                     model=ShelfLifeModel.SQUARE_ROOT, tmin=Temperature(-10, "°C"))
            >>> day = [(dt.timedelta(0), Temperature(4, "°C")),
            ...        (dt.timedelta(days=1), Temperature(4, "°C"))]
            >>> remaining_on_arrival(chicken, day).remaining_at(Temperature(0, "°C"))
            datetime.timedelta(days=7, seconds=72576)
        """
        if self.remaining == 0:
            return dt.timedelta(0)
        rate = relative_rate(self.basis, temperature, band=self.band)
        return _life(self.basis.reference.total_seconds() * self.remaining, rate)


def remaining_on_arrival(
    basis: ShelfLife,
    history: Iterable[Any],
    *,
    since_production: dt.timedelta = dt.timedelta(0),
    storage_before: Temperature | None = None,
    band: Band | None = None,
) -> ShelfLifeOnArrival:
    """The shelf life used before and during a journey, and what is left on arrival.

    The time between production (slaughter, laying, packing) and the start of the history
    counts at ``storage_before``; the journey counts along its history (:func:`consumed`).

    Args:
        basis: the product's shelf-life basis.
        history: the food's ``(elapsed, Temperature)`` points over the journey; the last
            point is the arrival.
        since_production: how long the food was kept before the journey started.
        storage_before: the temperature it was kept at meanwhile; when None, the top of
            ``band`` if it has one (the warmest the storage allows), else the basis's
            reference temperature.
        band: the product's storage band (``product.storage_class.limits``): its top gives
            :attr:`ShelfLifeOnArrival.at_storage_top`; see also :func:`relative_rate`.

    Raises:
        InvalidValueError: a bad history or basis (see :func:`consumed`), a negative
            ``since_production``, or ``storage_before`` that is not a Temperature.

    Example:
        >>> import datetime as dt
        >>> from ruralseller.catalog import Temperature
        >>> from ruralseller.catalog.product import ShelfLife, ShelfLifeModel
        >>> chicken = ShelfLife(reference=dt.timedelta(days=5), at=Temperature(4, "°C"),
        ...                     model=ShelfLifeModel.SQUARE_ROOT, tmin=Temperature(-10, "°C"))
        >>> journey = [(dt.timedelta(0), Temperature(2, "°C")),
        ...            (dt.timedelta(days=2), Temperature(8, "°C"))]
        >>> arrival = remaining_on_arrival(
        ...     chicken, journey, since_production=dt.timedelta(days=1),
        ...     band=(Temperature(0, "°C"), Temperature(4, "°C")),
        ... )
        >>> round(arrival.used_before_shipping, 2), round(arrival.used_in_transit, 2)
        (0.2, 0.47)
        >>> arrival.spoiled, arrival.at_storage_top
        (False, datetime.timedelta(days=1, seconds=58188))
    """
    kinetics = _kinetics(basis, band)
    before = _duration(since_production, "since_production")
    in_transit = consumed(basis, history, band=band)
    top = kinetics.band[1] if kinetics.band is not None else None
    if storage_before is None:
        storage_before = top if top is not None else basis.at
    if storage_before is None:  # a fixed basis with no band: time counts at rate 1
        before_rate = 1.0
    else:
        held = _temperature(storage_before, "storage_before")
        before_rate = kinetics.rate(float(held.celsius), held)
    used_before = before.total_seconds() * before_rate / kinetics.reference_seconds
    used = used_before + in_transit
    remaining = max(0.0, 1.0 - used)
    at_top: dt.timedelta | None = None
    if top is not None:
        at_top = (
            dt.timedelta(0)
            if remaining == 0
            else _life(
                kinetics.reference_seconds * remaining, kinetics.rate(float(top.celsius), top)
            )
        )
    return ShelfLifeOnArrival(
        basis=basis,
        used_before_shipping=used_before,
        used_in_transit=in_transit,
        used=used,
        remaining=remaining,
        at_reference=_whole_seconds(kinetics.reference_seconds * remaining),
        storage_top=top,
        at_storage_top=at_top,
        spoiled=used >= 1,
        band=kinetics.band,
    )


# --- pathogen guards -----------------------------------------------------------------------


def _guard_threshold(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Temperature):
        raise InvalidValueError(
            f"a guard's threshold must be a Temperature, got {value!r}",
            field=attribute.name,
            hint="e.g. Temperature(41, '°F')",
        )


def _guard_budget(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, dt.timedelta) or value < dt.timedelta(0):
        raise InvalidValueError(
            f"a guard's budget must be a datetime.timedelta of zero or more, got {value!r}",
            field=attribute.name,
            hint="e.g. datetime.timedelta(hours=4); zero flags any time above the threshold",
        )


def _guard_name(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError("a guard needs a name", field=attribute.name)


@attrs.frozen
class Guard:
    """A pathogen time budget: at most ``budget`` in all above ``threshold``.

    The time above is cumulative over the history, which is stricter than a clock that
    restarts after each cooling, as the research advises for parcels (§3.3).

    Attributes:
        name: what the rule is called, e.g. ``FDA Food Code 4 h above 41 °F``.
        threshold: the temperature above which the clock runs.
        budget: how long in all the food may spend above it.
        source: where the rule comes from.
        hard: whether a breach stops the shipment; False for guards that only inform.
        note: what a reader should know about the rule.
    """

    name: str = attrs.field(validator=_guard_name)
    threshold: Temperature = attrs.field(validator=_guard_threshold)
    budget: dt.timedelta = attrs.field(validator=_guard_budget)
    source: Citation = attrs.field(validator=attrs.validators.instance_of(Citation))
    hard: bool = attrs.field(default=True, kw_only=True)
    note: str = attrs.field(default="", kw_only=True)


FOOD_CODE_4H = Guard(
    "FDA Food Code 4 h above 41 °F",
    Temperature(41, "°F"),
    dt.timedelta(hours=4),
    Citation("FDA Food Code", "§3-501.19 time as a public health control"),
    note="food that left control at 41 °F (5 °C) or colder is cooked, served or discarded "
    "within 4 h (FDA Food Code 2022, 3-501.19)",
)
"""FDA Food Code: at most 4 h out of temperature control above 41 °F (5 °C)."""

USDA_2H = Guard(
    "USDA 2 h above 40 °F",
    Temperature(40, "°F"),
    dt.timedelta(hours=2),
    Citation("USDA FSIS", "consumer guidance: perishables out of refrigeration at most 2 h"),
    note="the consumer danger zone starts at 40 °F (4.4 °C) (USDA FSIS, Danger Zone)",
)
"""USDA consumer rule: perishables at most 2 h out of refrigeration (above 40 °F, 4.4 °C)."""

USDA_1H_ABOVE_90F = Guard(
    "USDA 1 h above 90 °F",
    Temperature(90, "°F"),
    dt.timedelta(hours=1),
    Citation("USDA FSIS", "consumer guidance: 1 h when it is above 90 °F"),
    note="the rule is about the air around unprotected food; applied to the food itself it "
    "is lenient, so apply it to a leg's ambient too (USDA FSIS, Danger Zone)",
)
"""USDA consumer rule: at most 1 h out of refrigeration when it is above 90 °F (32.2 °C)."""

SALMONELLA_GROWTH = Guard(
    "Salmonella growth above 5.2 °C",
    Temperature("5.2", "°C"),
    dt.timedelta(0),
    Citation("USDA Pathogen Modeling Program", "growth factors (ICMSF 1996)"),
    hard=False,
    note="informational: Salmonella does not grow below 5.2 °C; Listeria grows down to "
    "-0.4 °C, so cold alone is no guarantee (USDA Pathogen Modeling Program growth "
    "factors; ICMSF 1996)",
)
"""Salmonella's minimum growth temperature, 5.2 °C: any time above it is worth knowing."""

GUARDS: tuple[Guard, ...] = (FOOD_CODE_4H, USDA_2H, USDA_1H_ABOVE_90F, SALMONELLA_GROWTH)
"""The built-in guards, checked by :func:`check_guards` by default."""


_Micros = Fraction | int
"""An exact time in microseconds: whole at history points, a fraction at crossings."""


def _intervals(
    points: Sequence[_Point], threshold: Fraction, *, above: bool
) -> list[tuple[_Micros, _Micros]]:
    """The stretches (start, end) in microseconds when the line is above (or below) threshold.

    Exact. Each point's distance beyond the threshold, ``sign·(T − threshold)``, is kept as
    an integer numerator over the positive denominator ``den(T)·den(threshold)``: most
    segments need only its sign, which integers give without building fractions; only a
    segment that crosses the threshold is worked out in fractions.
    """
    sign = 1 if above else -1
    top, bottom = threshold.numerator, threshold.denominator
    beyond = [
        sign * (point.exact.numerator * bottom - top * point.exact.denominator) for point in points
    ]
    found: list[tuple[_Micros, _Micros]] = []
    for index in range(1, len(points)):
        n0, n1 = beyond[index - 1], beyond[index]
        if n0 <= 0 and n1 <= 0:
            continue
        start, end = points[index - 1], points[index]
        t0, t1 = start.micros, end.micros
        if t0 == t1:
            continue
        if n0 > 0 and n1 > 0:
            found.append((t0, t1))
            continue
        d0 = Fraction(n0, start.exact.denominator * bottom)
        d1 = Fraction(n1, end.exact.denominator * bottom)
        if n0 > 0:  # crosses out of the stretch within the step
            found.append((t0, t0 + (t1 - t0) * d0 / (d0 - d1)))
        else:  # crosses into it
            found.append((t1 - (t1 - t0) * d1 / (d1 - d0), t1))
    return found


def _micros(value: _Micros) -> dt.timedelta:
    return dt.timedelta(microseconds=round(value))


def _time_beyond(history: Iterable[Any], threshold: Temperature, *, above: bool) -> dt.timedelta:
    points = _history(history)
    limit = _temperature(threshold, "threshold").celsius
    total = sum((end - start for start, end in _intervals(points, limit, above=above)), Fraction(0))
    return _micros(total)


def time_above(history: Iterable[Any], threshold: Temperature) -> dt.timedelta:
    """How long in all the history is warmer than ``threshold``.

    Between points the temperature runs in a straight line, so a step that crosses the
    threshold counts only the part beyond the crossing; the answer is exact to the
    microsecond.

    Example:
        >>> import datetime as dt
        >>> from ruralseller.catalog import Temperature
        >>> warming = [(dt.timedelta(0), Temperature(2, "°C")),
        ...            (dt.timedelta(hours=4), Temperature(10, "°C"))]
        >>> time_above(warming, Temperature(5, "°C"))
        datetime.timedelta(seconds=9000)
    """
    return _time_beyond(history, threshold, above=True)


def time_below(history: Iterable[Any], threshold: Temperature) -> dt.timedelta:
    """How long in all the history is colder than ``threshold``, e.g. a freeze-damage floor.

    Example:
        >>> import datetime as dt
        >>> from ruralseller.catalog import Temperature
        >>> night = [(dt.timedelta(0), Temperature(1, "°C")),
        ...          (dt.timedelta(hours=3), Temperature(-5, "°C"))]
        >>> time_below(night, Temperature(-2, "°C"))
        datetime.timedelta(seconds=5400)
    """
    return _time_beyond(history, threshold, above=False)


@attrs.frozen(kw_only=True)
class GuardBreach:
    """A guard whose budget a history overran.

    Attributes:
        guard: the guard.
        time_above: how long in all the history spent above the guard's threshold.
        exceeded_at: the elapsed time at which the budget ran out.
    """

    guard: Guard
    time_above: dt.timedelta
    exceeded_at: dt.timedelta

    @property
    def hard(self) -> bool:
        """Whether the breach stops the shipment (False for informational guards)."""
        return self.guard.hard

    @property
    def over(self) -> dt.timedelta:
        """How far over the budget the history went."""
        return self.time_above - self.guard.budget

    def __str__(self) -> str:
        return (
            f"{self.guard.name}: {_shown(self.time_above)} above {self.guard.threshold} "
            f"(budget {_shown(self.guard.budget)}), over budget from "
            f"{_shown(self.exceeded_at)} into the journey ({self.guard.source})"
        )


def _shown(delta: dt.timedelta) -> str:
    seconds = round(delta.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    hours, minutes = divmod(round(seconds / 60), 60)
    parts = ([f"{hours} h"] if hours else []) + ([f"{minutes} min"] if minutes else [])
    return " ".join(parts)


def check_guards(
    history: Iterable[Any], guards: Iterable[Guard] = GUARDS
) -> tuple[GuardBreach, ...]:
    """The guards whose budget the history overruns (more time above than the budget).

    Exactly the budget is allowed: the Food Code allows 4 h, not less.

    Args:
        history: ``(elapsed, Temperature)`` points in time order.
        guards: the guards to check; :data:`GUARDS` by default.

    Returns:
        One breach per guard overrun, in the order the guards were given.

    Example:
        >>> import datetime as dt
        >>> from ruralseller.catalog import Temperature
        >>> history = [(dt.timedelta(0), Temperature(3, "°C")),
        ...            (dt.timedelta(hours=1), Temperature(7, "°C")),
        ...            (dt.timedelta(hours=7), Temperature(7, "°C"))]
        >>> for breach in check_guards(history, [FOOD_CODE_4H]):
        ...     print(breach)
        FDA Food Code 4 h above 41 °F: 6 h 30 min above 41 °F (budget 4 h), over budget from
        4 h 30 min into the journey (FDA Food Code §3-501.19 time as a public health control)
        >>> check_guards(history, [FOOD_CODE_4H])[0].exceeded_at
        datetime.timedelta(seconds=16200)
    """
    points = _history(history)
    checked = list(guards)
    for guard in checked:
        if not isinstance(guard, Guard):
            raise InvalidValueError(
                f"guards must be Guard values, got {guard!r}",
                hint="use the built-in GUARDS, or Guard(name, threshold, budget, source)",
            )
    breaches: list[GuardBreach] = []
    for guard in checked:
        stretches = _intervals(points, guard.threshold.celsius, above=True)
        total = sum((end - start for start, end in stretches), Fraction(0))
        budget = Fraction(guard.budget // dt.timedelta(microseconds=1))
        if total <= budget:
            continue
        used = Fraction(0)
        for start, end in stretches:
            if used + (end - start) > budget:
                exceeded = start + (budget - used)
                break
            used += end - start
        breaches.append(
            GuardBreach(guard=guard, time_above=_micros(total), exceeded_at=_micros(exceeded))
        )
    return tuple(breaches)
