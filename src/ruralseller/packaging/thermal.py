"""How long a packed box keeps food cold, and how much coolant it needs.

The model is the steady-state heat gain of an insulated box (UNECE ATP's mean-area method;
Burgess 1999, Packag. Technol. Sci. 12:75, for the ice-melt test), lumped (one temperature
inside):

* Heat leaks in through the walls: ``Q = U·S·(T_amb − T_in)·leak`` with
  ``U = 1/(L/k + 1/h_out + 1/h_in)`` and ``S = √(A_in·A_out)`` (the ATP mean area).
  ``h_in`` is left out by default (an infinite inside coefficient): the coolant and food are
  packed against the walls, the worked numbers below and the Linde anchor leave it
  out, and leaving it out errs towards more heat, so towards shorter hold times.
* While the coolant melts or sublimes the inside stays at its phase temperature and the
  heat leaking in is used up as latent heat (``E = m·L``).
* Once the coolant is spent, the food and the melt water warm together:
  ``(m_p·c_p + m_c·c_c)·dT/dt = U·S·(T_amb − T)`` until the food's limit is crossed.
* Food packed warmer than the coolant first gives its heat to the coolant; coolant kept
  colder than its phase temperature first takes up heat to warm to it.

:func:`hold_time` solves this exactly for a constant ambient; :func:`hold_time_profile`
steps through a varying :class:`AmbientProfile`, and agrees with :func:`hold_time` when the
profile is constant. For a constant ambient and a large ΔT the result is the textbook
``t ≈ (E_latent + sensible margins)/Q``; the exact form only bends the warming phase, where the
inside is warmer and less heat leaks in.

Quantities come in and go out as :class:`~ruralseller.catalog.Mass`,
:class:`~ruralseller.catalog.Temperature` and :class:`datetime.timedelta`; the physics inside
runs on floats. Coefficients (``h_out``, leak and safety factors, ``payload_cp``) are plain
numbers: floats are fine here, they are estimates, not amounts the partner typed.

Example:
    >>> import datetime as dt
    >>> from ruralseller.catalog import Mass, Temperature
    >>> from ruralseller.packaging.materials import BUILTIN
    >>> box = BUILTIN.container("eps-40x30x30-3cm")
    >>> ice = BUILTIN.coolant("ice-1kg")
    >>> held = hold_time(
    ...     box, ice, Mass(4, "kg"),
    ...     payload_mass=Mass("2.5", "kg"), payload_cp=3.3,
    ...     payload_start=Temperature(2, "°C"), payload_max=Temperature(4, "°C"),
    ...     ambient=Temperature(30, "°C"),
    ... )
    >>> round(held.hours, 1), held.limited_by
    (20.4, <HoldLimit.COOLANT: 'coolant'>)
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import functools
import itertools
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

import attrs

from ruralseller.catalog import Mass, Temperature, format_duration
from ruralseller.errors import InvalidValueError
from ruralseller.packaging.materials import Container, Coolant, _decimal

__all__ = [
    "DEFAULT_H_OUT",
    "DEFAULT_LEAK_FACTOR",
    "DEFAULT_SAFETY_FACTOR",
    "DEFAULT_STEP",
    "SOUTH_CHINA_SUMMER",
    "SOUTH_CHINA_WINTER",
    "WATER_LATENT_HEAT",
    "AmbientProfile",
    "HoldLimit",
    "HoldTime",
    "calibrate_from_ice_melt",
    "conductance",
    "coolant_needed",
    "heat_gain",
    "hold_time",
    "hold_time_profile",
]

Real = float | Decimal | Fraction
"""A plain number for a coefficient (ints are accepted too)."""

DEFAULT_H_OUT = 10.0
"""Outside surface coefficient, W/(m²·K). Still to gently moving air gives 5-10
(a textbook range for natural convection, unverified); 10 matches the 0.1-2 m/s air of an
ISO 22982-2 chamber and errs towards more heat gain."""

DEFAULT_LEAK_FACTOR = 1.15
"""Heat through lid gaps, edges and corners on top of the wall model. It is taken as
1.15-1.3: the wall model gives 1.97 kg of dry ice per 24 h for the 3-inch PU 10-quart
box at 22 °C, against Linde's 5 lb (2.27 kg), a factor of 1.15. Not applied to a box with
a measured conductance, whose test already includes its leaks."""

DEFAULT_SAFETY_FACTOR = 1.2
"""Margin on coolant sizing for opening, sun and uncertainty (1.2-1.5 is usual in parcel practice).
With the leak factor already covering edges and lid gaps, 1.2 gives 1.15 × 1.2 = 1.38."""

DEFAULT_STEP = dt.timedelta(minutes=15)
"""Time step of :func:`hold_time_profile` (5-15 min keeps a lumped model stable and exact
enough)."""

WATER_LATENT_HEAT = 334
"""Latent heat of melting ice, kJ/kg (FAO Ice in Fisheries §12: 80 kcal/kg)."""

_J_PER_KJ = 1000.0
_S_PER_HOUR = 3600.0
_S_PER_DAY = 86400.0
# History temperatures are kept to 0.01 °C: finer than the 0.1 °C logger resolution of
# ISO 22982-2, and free of float noise.
_HISTORY_PLACES = 2
# "Most of the coolant went to cooling the food": our threshold for HoldLimit.WARM_PAYLOAD.
_WARM_PAYLOAD_SHARE = 0.5


def _real(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        raise InvalidValueError(f"{what} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise InvalidValueError(f"{what} must be a finite number, got {value!r}")
    return number


def _seconds(value: object, what: str) -> float:
    if not isinstance(value, dt.timedelta):
        raise InvalidValueError(
            f"{what} must be a datetime.timedelta, got {value!r}",
            hint="e.g. datetime.timedelta(hours=24), or parse_duration('24 h')",
        )
    if value <= dt.timedelta(0):
        raise InvalidValueError(f"{what} must be longer than zero, got {value}")
    return value.total_seconds()


def _delta(seconds: float) -> dt.timedelta:
    return dt.timedelta(seconds=round(seconds))


# Distinct history temperatures kept: a journey's history repeats the same few hundredths of
# a degree (the coolant's phase temperature for hours on end) across many simulations.
_TEMPERATURE_CACHE_SIZE = 4096


@functools.lru_cache(maxsize=_TEMPERATURE_CACHE_SIZE)
def _temperature(celsius: float) -> Temperature:
    # A pure function of a float; the Temperature it makes is frozen, so it is shared.
    return Temperature(Decimal(f"{celsius:.{_HISTORY_PLACES}f}"), "°C")


def _celsius(value: object, what: str) -> float:
    if not isinstance(value, Temperature):
        raise InvalidValueError(
            f"{what} must be a Temperature, got {value!r}", hint="e.g. Temperature(30, '°C')"
        )
    return float(value.celsius)


def _kg(value: object, what: str) -> float:
    if not isinstance(value, Mass):
        raise InvalidValueError(f"{what} must be a Mass, got {value!r}", hint="e.g. Mass(2, 'kg')")
    return float(value.grams) / 1000


# --- heat gain ----------------------------------------------------------------------------------


def conductance(
    container: Container,
    *,
    h_out: Real = DEFAULT_H_OUT,
    h_in: Real | None = None,
    leak_factor: Real | None = None,
) -> float:
    """The box's overall U·S in W/K: heat leaking in per kelvin between outside and inside.

    A box with a :attr:`~Container.measured_conductance` uses it (times ``leak_factor`` if
    you give one); otherwise ``U·S = S/(L/k + 1/h_out + 1/h_in) · leak_factor`` with the
    mean area S.

    Args:
        container: the box.
        h_out: outside surface coefficient, W/(m²·K).
        h_in: inside surface coefficient, W/(m²·K); None leaves it out (infinite).
        leak_factor: multiplier for lid gaps and edges; None means
            :data:`DEFAULT_LEAK_FACTOR` for the wall model and 1 for a measured box.

    Example:
        >>> from ruralseller.packaging.materials import BUILTIN
        >>> round(conductance(BUILTIN.container("eps-40x30x30-3cm"), leak_factor=1), 3)
        0.564
    """
    measured = container.measured_conductance
    default_leak = 1.0 if measured is not None else DEFAULT_LEAK_FACTOR
    leak = default_leak if leak_factor is None else _real(leak_factor, "leak_factor")
    if leak < 1:
        raise InvalidValueError(
            f"leak_factor must be at least 1, got {leak_factor}",
            hint="below 1 would make the box better than its walls; use 1.15-1.3",
        )
    if measured is not None:
        return float(measured) * leak
    outside = _real(h_out, "h_out")
    if outside <= 0:
        raise InvalidValueError(
            f"h_out must be above zero, got {h_out}", hint="use 5-10 W/(m²·K) for air"
        )
    resistance = float(container.wall_thickness.metres) / float(container.wall_conductivity)
    resistance += 1 / outside
    if h_in is not None:
        inside = _real(h_in, "h_in")
        if inside <= 0:
            raise InvalidValueError(
                f"h_in must be above zero, got {h_in}",
                hint="use 3-8 W/(m²·K), or None to leave it out",
            )
        resistance += 1 / inside
    return _mean_area(container) / resistance * leak


@functools.lru_cache(maxsize=256)
def _mean_area(container: Container) -> float:
    # Exact geometry on every simulation of a box added up; a frozen box's area never
    # changes, and equal boxes have equal areas.
    return container.mean_area


def heat_gain(  # noqa: PLR0913 - the wall-model options are keyword-only
    container: Container,
    inside: Temperature,
    ambient: Temperature,
    *,
    h_out: Real = DEFAULT_H_OUT,
    h_in: Real | None = None,
    leak_factor: Real | None = None,
) -> float:
    """The heat leaking into the box in watts: ``Q = U·S·(T_amb − T_in)``.

    Negative when the box is warmer inside than out (it then loses heat). See
    :func:`conductance` for the arguments.

    Example:
        >>> from ruralseller.catalog import Temperature
        >>> from ruralseller.packaging.materials import BUILTIN
        >>> box = BUILTIN.container("eps-40x30x30-3cm")
        >>> round(heat_gain(box, Temperature(0, "°C"), Temperature(30, "°C"), leak_factor=1), 1)
        16.9
    """
    delta = _celsius(ambient, "ambient") - _celsius(inside, "inside")
    return conductance(container, h_out=h_out, h_in=h_in, leak_factor=leak_factor) * delta


def calibrate_from_ice_melt(
    ice_melted: Mass,
    duration: dt.timedelta,
    ambient: Temperature,
    inside: Temperature | None = None,
    *,
    latent_heat: Real = WATER_LATENT_HEAT,
) -> float:
    """A box's U·S in W/K from a kitchen-scale ice-melt test (Burgess 1999).

    Fill the box with ice taken from a mix of ice and water (so it is at 0 °C), close it,
    leave it at a steady room temperature for ``duration``, then pour off and weigh the melt
    water: ``U·S = m_melted·L/(t·(T_amb − T_in))``. The result includes the box's real leaks;
    put it on the box with :meth:`Container.calibrated` and the model uses it.

    Args:
        ice_melted: the mass of melt water poured off.
        duration: how long the box stood.
        ambient: the room temperature during the test.
        inside: the inside temperature; 0 °C (melting ice) when None.
        latent_heat: heat of melting, kJ/kg.

    Example:
        >>> import datetime as dt
        >>> from ruralseller.catalog import Mass, Temperature
        >>> us = calibrate_from_ice_melt(Mass("1.1", "kg"), dt.timedelta(hours=24),
        ...                              Temperature(25, "°C"))
        >>> round(us, 3)
        0.17
    """
    melted = _kg(ice_melted, "ice_melted")
    if melted <= 0:
        raise InvalidValueError(
            "ice_melted must be above zero",
            hint="leave the box longer, or weigh more finely; no melt means no measurement",
        )
    seconds = _seconds(duration, "duration")
    inside_c = 0.0 if inside is None else _celsius(inside, "inside")
    difference = _celsius(ambient, "ambient") - inside_c
    if difference <= 0:
        raise InvalidValueError(
            f"ambient {ambient} must be warmer than inside "
            f"{inside if inside is not None else '0 °C'} for an ice-melt test",
            hint="run the test in a warm room, e.g. 20-30 °C",
        )
    heat = _real(latent_heat, "latent_heat")
    if heat <= 0:
        raise InvalidValueError(f"latent_heat must be above zero, got {latent_heat}")
    return melted * heat * _J_PER_KJ / (seconds * difference)


def coolant_needed(  # noqa: PLR0913 - each argument is one physical input, named at the call
    container: Container,
    coolant: Coolant,
    duration: dt.timedelta,
    ambient: Temperature,
    *,
    inside: Temperature | None = None,
    safety_factor: Real = DEFAULT_SAFETY_FACTOR,
    h_out: Real = DEFAULT_H_OUT,
    h_in: Real | None = None,
    leak_factor: Real | None = None,
) -> Mass:
    """The coolant a box needs for ``duration``: ``m = Q·t·SF/L``, rounded up to the gram.

    It sizes coolant for the heat leaking in only; food packed warm needs more (see
    :func:`hold_time`).

    Args:
        container: the box.
        coolant: the coolant; its usable heat per kg is used (614 kJ/kg for dry ice).
        duration: the time in transit.
        ambient: the outside temperature.
        inside: the inside temperature; the coolant's phase temperature when None.
        safety_factor: margin on top (:data:`DEFAULT_SAFETY_FACTOR`); 1 for none.
        h_out: see :func:`conductance`.
        h_in: see :func:`conductance`.
        leak_factor: see :func:`conductance`.

    Example:
        >>> import datetime as dt
        >>> from ruralseller.catalog import Temperature
        >>> from ruralseller.packaging.materials import BUILTIN
        >>> coolant_needed(BUILTIN.container("pu-10qt-3in"), BUILTIN.coolant("dry-ice-1kg"),
        ...                dt.timedelta(hours=24), Temperature(22, "°C"), safety_factor=1)
        Mass('2268 g')
    """
    seconds = _seconds(duration, "duration")
    inside = coolant.phase_temperature if inside is None else inside
    if _celsius(ambient, "ambient") <= _celsius(inside, "inside"):
        raise InvalidValueError(
            f"ambient {ambient} is not above inside {inside}: no heat leaks in, so no "
            "coolant is needed",
            hint="check the ambient; in winter, protect the food from freezing instead",
        )
    factor = _real(safety_factor, "safety_factor")
    if factor < 1:
        raise InvalidValueError(
            f"safety_factor must be at least 1, got {safety_factor}", hint="use 1.2-1.5"
        )
    watts = heat_gain(container, inside, ambient, h_out=h_out, h_in=h_in, leak_factor=leak_factor)
    joules = watts * seconds * factor
    grams = joules / (float(coolant.heat_per_kg) * _J_PER_KJ) * 1000
    return Mass(math.ceil(grams), "g")


# --- ambient profiles --------------------------------------------------------------------------


def _clock_seconds(moment: dt.time) -> float:
    return moment.hour * _S_PER_HOUR + moment.minute * 60 + moment.second


def _points(value: Iterable[Any]) -> tuple[tuple[dt.timedelta, Temperature], ...]:
    # Checked in _check_profile, which says what is wrong with a point.
    return tuple(value)


def _check_profile(instance: AmbientProfile, _attribute: Any, _value: Any) -> None:
    if (instance.mean is None) == (not instance.points):
        raise InvalidValueError(
            "give a profile either points or a mean temperature, not both or neither",
            hint="use AmbientProfile.constant, .day_night, .hourly or .from_points",
        )
    if instance.amplitude < 0:
        raise InvalidValueError(
            f"amplitude must not be negative, got {instance.amplitude}", field="amplitude"
        )
    if instance.points:
        if not all(
            isinstance(point, tuple)
            and len(point) == 2
            and isinstance(point[0], dt.timedelta)
            and isinstance(point[1], Temperature)
            for point in instance.points
        ):
            raise InvalidValueError(
                "each point of a profile is (elapsed timedelta, Temperature)", field="points"
            )
        times = [elapsed for elapsed, _ in instance.points]
        if len(times) < 2 or times[0] != dt.timedelta(0):
            raise InvalidValueError(
                "a profile needs at least two points, the first at 0 h", field="points"
            )
        if any(later <= earlier for earlier, later in itertools.pairwise(times)):
            raise InvalidValueError(
                "the points of a profile must be in time order, each later than the last",
                field="points",
            )
        if times[-1] != instance.duration:
            raise InvalidValueError(
                f"the last point ({times[-1]}) must be at the profile's end ({instance.duration})",
                field="points",
            )
    if instance.duration <= dt.timedelta(0):
        raise InvalidValueError(
            f"a profile must last longer than zero, got {instance.duration}", field="duration"
        )


@attrs.frozen(kw_only=True)
class AmbientProfile:
    """The temperature around a parcel over its journey, from 0 to :attr:`duration`.

    A profile is either a day/night sine around a mean (a constant when the amplitude is 0)
    or straight lines through points. Build one with :meth:`constant`, :meth:`iso_22982_2`,
    :meth:`day_night`, :meth:`hourly` or :meth:`from_points`.

    Attributes:
        name: what the profile is, for reports.
        duration: how long it lasts.
        points: (elapsed, temperature) points, the first at 0 and the last at ``duration``.
        mean: the mean of a day/night profile.
        amplitude: the day/night swing either side of the mean, in kelvin.
        starts_at: the clock time at elapsed 0 (day/night profiles).
        warmest_at: the clock time of the daily maximum (day/night profiles).

    Example:
        >>> import datetime as dt
        >>> from ruralseller.catalog import Temperature
        >>> summer = AmbientProfile.day_night(Temperature(30, "°C"), 6, dt.timedelta(hours=48))
        >>> summer.temperature_at(dt.timedelta(hours=7))  # 15:00, the warmest hour
        Temperature('36 °C')
        >>> summer.temperature_at(dt.timedelta(hours=19))  # 03:00
        Temperature('24 °C')
    """

    name: str = ""
    duration: dt.timedelta = attrs.field(validator=_check_profile)
    points: tuple[tuple[dt.timedelta, Temperature], ...] = attrs.field(
        default=(), converter=_points
    )
    mean: Temperature | None = None
    amplitude: Decimal = attrs.field(default=Decimal(0), converter=_decimal)
    # Air is warmest in mid-afternoon, about 14-16 h local time (our assumption: 15:00); a
    # parcel collected in the village usually leaves in the morning (assumption: 08:00).
    starts_at: dt.time = dt.time(8)
    warmest_at: dt.time = dt.time(15)

    @classmethod
    def constant(
        cls, temperature: Temperature, duration: dt.timedelta, *, name: str = ""
    ) -> AmbientProfile:
        """The same temperature throughout."""
        return cls(name=name or f"constant {temperature}", duration=duration, mean=temperature)

    @classmethod
    def iso_22982_2(cls, temperature: Temperature, duration: dt.timedelta) -> AmbientProfile:
        """An ISO 22982-2:2021 constant test temperature: -30, 23 or 40 °C for 24, 48 or 72 h.

        Example:
            >>> import datetime as dt
            >>> from ruralseller.catalog import Temperature
            >>> AmbientProfile.iso_22982_2(Temperature(40, "°C"), dt.timedelta(hours=48)).name
            'ISO 22982-2:2021 constant 40 °C for 48 h'
        """
        allowed = {Temperature(-30, "°C"), Temperature(23, "°C"), Temperature(40, "°C")}
        if temperature not in allowed:
            raise InvalidValueError(
                f"ISO 22982-2 tests at -30, 23 or 40 °C, not {temperature}",
                hint="use AmbientProfile.constant for another temperature",
            )
        if duration not in {dt.timedelta(hours=hours) for hours in (24, 48, 72)}:
            raise InvalidValueError(
                f"ISO 22982-2 tests for 24, 48 or 72 h, not {duration}",
                hint="use AmbientProfile.constant for another duration",
            )
        hours = round(duration.total_seconds() / _S_PER_HOUR)
        name = f"ISO 22982-2:2021 constant {temperature.to('°C')} for {hours} h"
        return cls.constant(temperature, duration, name=name)

    @classmethod
    def day_night(  # noqa: PLR0913 - keyword-only clock times have sensible defaults
        cls,
        mean: Temperature,
        amplitude: int | str | Decimal,
        duration: dt.timedelta,
        *,
        starts_at: dt.time = dt.time(8),
        warmest_at: dt.time = dt.time(15),
        name: str = "",
    ) -> AmbientProfile:
        """A daily sine: ``mean ± amplitude`` (K), warmest at ``warmest_at``."""
        return cls(
            name=name or f"{mean} ± {amplitude} K day/night",
            duration=duration,
            mean=mean,
            amplitude=amplitude,
            starts_at=starts_at,
            warmest_at=warmest_at,
        )

    @classmethod
    def from_points(
        cls, points: Sequence[tuple[dt.timedelta, Temperature]], *, name: str = ""
    ) -> AmbientProfile:
        """Straight lines through (elapsed, temperature) points, the first at 0 h."""
        if not points:
            raise InvalidValueError("a profile needs at least two points, the first at 0 h")
        return cls(name=name or "points", duration=points[-1][0], points=points)

    @classmethod
    def hourly(cls, temperatures: Sequence[Temperature], *, name: str = "") -> AmbientProfile:
        """Straight lines through one temperature per hour, from 0 h (e.g. a logger export).

        Example:
            >>> import datetime as dt
            >>> from ruralseller.catalog import Temperature
            >>> profile = AmbientProfile.hourly([Temperature(t, "°C") for t in (20, 30, 26)])
            >>> profile.duration, profile.temperature_at(dt.timedelta(minutes=30))
            (datetime.timedelta(seconds=7200), Temperature('25 °C'))
        """
        points = [(dt.timedelta(hours=hour), t) for hour, t in enumerate(temperatures)]
        return cls.from_points(points, name=name or "hourly")

    @functools.cached_property
    def _sine(self) -> tuple[float, bool, float, float, float] | None:
        # A day/night profile's numbers worked out once: (mean, whether it swings, amplitude,
        # clock seconds at the start, clock seconds of the daily maximum). None for points.
        if self.mean is None:
            return None
        return (
            float(self.mean.celsius),
            bool(self.amplitude),
            float(self.amplitude),
            _clock_seconds(self.starts_at),
            _clock_seconds(self.warmest_at),
        )

    @functools.cached_property
    def _point_seconds(self) -> tuple[list[float], list[float]]:
        return (
            [elapsed.total_seconds() for elapsed, _ in self.points],
            [float(t.celsius) for _, t in self.points],
        )

    def celsius_at(self, seconds: float) -> float:
        """The temperature in °C, as a float, ``seconds`` after the start (for the physics)."""
        sine = self._sine
        if sine is not None:
            mean, swings, amplitude, starts_at, warmest_at = sine
            if not swings:
                return mean
            clock = starts_at + seconds - warmest_at
            return mean + amplitude * math.cos(2 * math.pi * clock / _S_PER_DAY)
        times, temperatures = self._point_seconds
        index = min(max(bisect.bisect_right(times, seconds), 1), len(times) - 1)
        t0, t1 = times[index - 1], times[index]
        share = (seconds - t0) / (t1 - t0)
        return temperatures[index - 1] + share * (temperatures[index] - temperatures[index - 1])

    def temperature_at(self, elapsed: dt.timedelta) -> Temperature:
        """The temperature ``elapsed`` after the start (to 0.01 °C)."""
        if not dt.timedelta(0) <= elapsed <= self.duration:
            raise InvalidValueError(
                f"the profile {self.name!r} covers 0 to {format_duration(self.duration)}; "
                f"it has no temperature at {elapsed}"
            )
        return _temperature(self.celsius_at(elapsed.total_seconds()))


_THREE_DAYS = dt.timedelta(hours=72)
SOUTH_CHINA_SUMMER = AmbientProfile.day_night(
    Temperature(30, "°C"), 6, _THREE_DAYS, name="southern China summer, 30 ± 6 °C, 72 h"
)
"""Summer in the southern Chinese mountains: 30 ± 6 °C over 72 h [our estimate, in the spirit
of ISTA 7E's summer profile]."""

SOUTH_CHINA_WINTER = AmbientProfile.day_night(
    Temperature(5, "°C"), 6, _THREE_DAYS, name="southern China winter, 5 ± 6 °C, 72 h"
)
"""Winter in the southern Chinese mountains: 5 ± 6 °C over 72 h [our estimate, in the spirit
of ISTA 7E's winter profile]."""


# --- hold time -----------------------------------------------------------------------------------


class HoldLimit(enum.Enum):
    """What ended the hold."""

    COOLANT = "coolant"
    """Heat leaking in used up the coolant, then the food warmed past its limit: add
    coolant or use a better box."""
    WARM_PAYLOAD = "warm_payload"
    """Most of the coolant went to cooling food packed warm: chill the food before packing."""
    PROFILE_END = "profile_end"
    """The profile ended while the pack still held: the hold is at least this long."""


@attrs.frozen(kw_only=True)
class HoldTime:
    """How long a pack holds its food at or below its limit, and why.

    Attributes:
        duration: the time until the food crosses its limit (for
            :attr:`HoldLimit.PROFILE_END`, the length of the profile: at least this).
        conductance_w_per_k: the U·S used, W/K (with the leak factor).
        heat_gain_watts: the heat leaking in while the coolant lasted (its mean, for a
            profile).
        latent_kj: the coolant's latent (or usable) heat, kJ.
        payload_sensible_kj: the food's margin ``m·c_p·(T_max − T_start)``, kJ.
        coolant_sensible_kj: the coolant's own sensible heat: warming from where it was kept
            to its phase temperature, and its melt from there to the food's limit, kJ.
        coolant_lasts: the time until the coolant was spent; None when it outlasted the
            profile.
        limited_by: what ended the hold.
        coldest: the coldest the inside gets (the coolant's phase temperature, or colder
            for coolant kept colder): check it against the food's freezing limit, e.g.
            about -2 °C for chilled chicken (Reg. (EU) 543/2008 Art. 2); dry ice freezes
            chilled food.
        history: (elapsed, inside temperature) at each step of a profile; empty for
            :func:`hold_time`.
    """

    duration: dt.timedelta
    conductance_w_per_k: float
    heat_gain_watts: float
    latent_kj: float
    payload_sensible_kj: float
    coolant_sensible_kj: float
    coolant_lasts: dt.timedelta | None
    limited_by: HoldLimit
    coldest: Temperature
    history: tuple[tuple[dt.timedelta, Temperature], ...] = ()

    @property
    def hours(self) -> float:
        """The hold time in hours."""
        return self.duration.total_seconds() / _S_PER_HOUR


@attrs.frozen
class _Pack:
    """A packed box reduced to the lumped model, in SI units.

    The state is the heat H (J) taken up since everything sat solid at the phase
    temperature: below 0 the coolant is colder than its phase temperature; from 0 to
    ``latent`` it is melting; above ``latent`` food and melt warm together.
    """

    us: float  # W/K
    phase: float  # °C
    latent: float  # J
    solid_capacity: float  # J/K: food + frozen coolant
    melt_capacity: float  # J/K: food + melt (no melt for dry ice)
    start: float  # J
    limit: float  # J: H at the food's limit
    payload_cooling: float  # J: the heat taken from food packed warmer than the phase

    def celsius(self, heat: float) -> float:
        if heat < 0:
            return self.phase + heat / self.solid_capacity
        if heat <= self.latent:
            return self.phase
        return self.phase + (heat - self.latent) / self.melt_capacity


@attrs.frozen
class _Budget:
    pack: _Pack
    latent_kj: float
    payload_sensible_kj: float
    coolant_sensible_kj: float
    limit_celsius: float


def _budget(  # noqa: PLR0913 - the physical inputs of hold_time, checked in one place
    *,
    coolant: Coolant,
    coolant_mass: Mass,
    payload_mass: Mass,
    payload_cp: Real,
    payload_start: Temperature,
    payload_max: Temperature,
    coolant_start: Temperature | None,
    us: float,
) -> _Budget:
    coolant_kg = _kg(coolant_mass, "coolant_mass")
    if coolant_kg <= 0:
        raise InvalidValueError(
            "coolant_mass must be above zero",
            hint="add coolant, e.g. Mass(2, 'kg') of ice; without coolant a chilled pack "
            "has no hold time",
        )
    payload_kg = _kg(payload_mass, "payload_mass")
    if payload_kg <= 0:
        raise InvalidValueError("payload_mass must be above zero", hint="weigh the food packed")
    cp = _real(payload_cp, "payload_cp")
    if cp <= 0:
        raise InvalidValueError(
            f"payload_cp must be above zero, got {payload_cp}",
            hint="kJ/(kg·K): about 3.3 for chilled poultry, 3.2 for eggs, 1.7 frozen",
        )
    phase = float(coolant.phase_temperature.celsius)
    start = _celsius(payload_start, "payload_start")
    limit = _celsius(payload_max, "payload_max")
    if start > limit:
        raise InvalidValueError(
            f"the food starts at {payload_start}, above its limit {payload_max}",
            hint=f"chill the food to {payload_max} or below before packing",
        )
    if phase > limit:
        raise InvalidValueError(
            f"{coolant.name} holds the inside at {coolant.phase_temperature}, above the "
            f"food's limit {payload_max}",
            hint="use a colder coolant (dry ice for frozen food)",
        )
    kept = phase if coolant_start is None else _celsius(coolant_start, "coolant_start")
    if kept > phase:
        raise InvalidValueError(
            f"coolant_start {coolant_start} is above the coolant's phase temperature "
            f"{coolant.phase_temperature}: it would already have melted",
            hint="freeze the coolant fully; give the freezer temperature, e.g. -18 °C",
        )
    solid_cp = float(coolant.solid_specific_heat) * _J_PER_KJ
    melt_cp = float(coolant.melt_specific_heat or 0) * _J_PER_KJ
    food = payload_kg * cp * _J_PER_KJ
    latent = coolant_kg * float(coolant.heat_per_kg) * _J_PER_KJ
    melt_capacity = food + coolant_kg * melt_cp
    pack = _Pack(
        us=us,
        phase=phase,
        latent=latent,
        solid_capacity=food + coolant_kg * solid_cp,
        melt_capacity=melt_capacity,
        start=food * (start - phase) + coolant_kg * solid_cp * (kept - phase),
        limit=latent + melt_capacity * (limit - phase),
        payload_cooling=food * max(0.0, start - phase),
    )
    return _Budget(
        pack=pack,
        latent_kj=latent / _J_PER_KJ,
        payload_sensible_kj=food * (limit - start) / _J_PER_KJ,
        coolant_sensible_kj=coolant_kg
        * (solid_cp * (phase - kept) + melt_cp * (limit - phase))
        / _J_PER_KJ,
        limit_celsius=limit,
    )


def _limit(pack: _Pack) -> HoldLimit:
    if pack.payload_cooling > _WARM_PAYLOAD_SHARE * pack.latent:
        return HoldLimit.WARM_PAYLOAD
    return HoldLimit.COOLANT


def hold_time(  # noqa: PLR0913 - each argument is one physical input, named at the call
    container: Container,
    coolant: Coolant,
    coolant_mass: Mass,
    *,
    payload_mass: Mass,
    payload_cp: Real,
    payload_start: Temperature,
    payload_max: Temperature,
    ambient: Temperature,
    coolant_start: Temperature | None = None,
    h_out: Real = DEFAULT_H_OUT,
    h_in: Real | None = None,
    leak_factor: Real | None = None,
) -> HoldTime:
    """How long the pack keeps the food at or below ``payload_max`` at a constant ambient.

    The coolant first warms to its phase temperature (if kept colder), then melts or
    sublimes at ``Q = U·S·(T_amb − T_phase)``, taking the heat of food packed warmer than
    it; then food and melt warm together, ``t = C/(U·S)·ln((T_amb − T_phase)/(T_amb −
    T_max))``, until the food crosses its limit.

    Args:
        container: the box.
        coolant: the coolant.
        coolant_mass: how much coolant is packed.
        payload_mass: how much food is packed.
        payload_cp: the food's specific heat, kJ/(kg·K) (about 3.3 for chilled poultry and
            3.2 for eggs; handbook values, unverified).
        payload_start: the food's temperature when packed.
        payload_max: the warmest the food may get (e.g. 4 °C for chilled poultry).
        ambient: the outside temperature; must be above ``payload_max``.
        coolant_start: where the coolant was kept (e.g. -18 °C in a freezer); at its phase
            temperature when None.
        h_out: see :func:`conductance`.
        h_in: see :func:`conductance`.
        leak_factor: see :func:`conductance`.

    Raises:
        InvalidValueError: for a zero coolant or food mass, food packed above its limit, a
            coolant warmer than the limit, or an ambient not above the limit (the pack would
            then hold for ever).

    Example:
        >>> from ruralseller.catalog import Mass, Temperature
        >>> from ruralseller.packaging.materials import BUILTIN
        >>> held = hold_time(
        ...     BUILTIN.container("eps-40x30x30-5cm"), BUILTIN.coolant("gel-1kg"), Mass(3, "kg"),
        ...     payload_mass=Mass(3, "kg"), payload_cp=3.3,
        ...     payload_start=Temperature(2, "°C"), payload_max=Temperature(4, "°C"),
        ...     ambient=Temperature(30, "°C"), coolant_start=Temperature(-18, "°C"),
        ... )
        >>> held.duration, round(held.heat_gain_watts, 1), round(held.latent_kj)
        (datetime.timedelta(days=1, seconds=27530), 10.4, 1002)
    """
    us = conductance(container, h_out=h_out, h_in=h_in, leak_factor=leak_factor)
    budget = _budget(
        coolant=coolant,
        coolant_mass=coolant_mass,
        payload_mass=payload_mass,
        payload_cp=payload_cp,
        payload_start=payload_start,
        payload_max=payload_max,
        coolant_start=coolant_start,
        us=us,
    )
    outside = _celsius(ambient, "ambient")
    if outside <= budget.limit_celsius:
        raise InvalidValueError(
            f"ambient {ambient} is not above the food's limit {payload_max}: the pack never "
            "warms past it, so its hold time has no end",
            hint="check the ambient; for a journey that is only partly cold, use hold_time_profile",
        )
    pack = budget.pack
    seconds = 0.0
    heat = pack.start
    if heat < 0:  # coolant colder than its phase temperature: warms to it first
        cold = pack.celsius(heat)
        seconds += pack.solid_capacity / us * math.log((outside - cold) / (outside - pack.phase))
        heat = 0.0
    watts = us * (outside - pack.phase)
    if heat <= pack.latent:
        seconds += (pack.latent - heat) / watts
        heat = pack.latent
    lasts = seconds
    warm = pack.celsius(heat)
    seconds += (
        pack.melt_capacity / us * math.log((outside - warm) / (outside - budget.limit_celsius))
    )
    return HoldTime(
        duration=_delta(seconds),
        conductance_w_per_k=us,
        heat_gain_watts=watts,
        latent_kj=budget.latent_kj,
        payload_sensible_kj=budget.payload_sensible_kj,
        coolant_sensible_kj=budget.coolant_sensible_kj,
        coolant_lasts=_delta(lasts),
        limited_by=_limit(pack),
        coldest=_temperature(pack.celsius(pack.start)),  # it only warms from there
    )


class _Step(NamedTuple):
    # A tuple, not an attrs class: one is made per time step of every simulation.
    heat: float
    spent: float
    crossed: bool
    exhausted: float | None


def _advance(
    pack: _Pack, heat: float, ambient: float, span: float, *, stop_at_limit: bool = True
) -> _Step:
    """Advance the lumped model exactly over ``span`` seconds at a constant ``ambient``.

    Within each phase the solution is closed-form (linear while melting, exponential while
    warming or cooling), so a constant ambient gives the same answer as :func:`hold_time`
    whatever the step. Stops early when the food crosses its limit, unless
    ``stop_at_limit`` is False (then the food keeps warming towards the ambient).
    """
    elapsed = 0.0
    exhausted: float | None = None
    while elapsed < span:
        flow = ambient - pack.celsius(heat)
        if stop_at_limit and flow > 0 and heat >= pack.limit:
            return _Step(pack.limit, elapsed, crossed=True, exhausted=exhausted)
        if flow == 0:
            break
        left = span - elapsed
        melting = 0 < heat < pack.latent
        if melting or (heat == 0 and flow > 0) or (heat == pack.latent and flow < 0):
            # melting (or refreezing): the inside holds at the phase temperature
            rate = pack.us * flow
            target = pack.latent if rate > 0 else 0.0
            needed = (target - heat) / rate
            if needed > left:
                return _Step(heat + rate * left, span, crossed=False, exhausted=exhausted)
            heat, elapsed = target, elapsed + needed
            if target == pack.latent and exhausted is None:
                exhausted = elapsed
            continue
        # warming or cooling at a steady heat capacity, towards the ambient
        below = heat < 0 or (heat == 0 and flow < 0)
        capacity = pack.solid_capacity if below else pack.melt_capacity
        base = 0.0 if below else pack.latent
        tau = capacity / pack.us
        settle = base + capacity * (ambient - pack.phase)  # where H tends to
        if flow > 0:
            target = 0.0 if below else (pack.limit if stop_at_limit else math.inf)
            reaches = settle > target
        else:
            target = -math.inf if below else pack.latent
            reaches = settle < target
        needed = tau * math.log((heat - settle) / (target - settle)) if reaches else math.inf
        if needed > left:
            heat = settle + (heat - settle) * math.exp(-left / tau)
            return _Step(heat, span, crossed=False, exhausted=exhausted)
        heat, elapsed = target, elapsed + needed
    return _Step(heat, span, crossed=False, exhausted=exhausted)


def hold_time_profile(  # noqa: PLR0913 - each argument is one physical input, named at the call
    container: Container,
    coolant: Coolant,
    coolant_mass: Mass,
    *,
    payload_mass: Mass,
    payload_cp: Real,
    payload_start: Temperature,
    payload_max: Temperature,
    profile: AmbientProfile,
    coolant_start: Temperature | None = None,
    step: dt.timedelta = DEFAULT_STEP,
    stop_at_end: bool = False,
    through_end: bool = False,
    record_history: bool = True,
    h_out: Real = DEFAULT_H_OUT,
    h_in: Real | None = None,
    leak_factor: Real | None = None,
) -> HoldTime:
    """Like :func:`hold_time`, stepping through an ambient that changes over the journey.

    Each step takes the ambient at its middle and solves the lumped model exactly within it:
    the coolant's heat is used up step by step, then food and melt warm together until the
    food crosses ``payload_max``. When the ambient falls below the inside (a winter night)
    the pack loses heat, and melted water can freeze again. The result has the inside
    temperature after every step in :attr:`HoldTime.history`.

    Args:
        container: the box.
        coolant: the coolant.
        coolant_mass: how much coolant is packed.
        payload_mass: how much food is packed.
        payload_cp: the food's specific heat, kJ/(kg·K).
        payload_start: the food's temperature when packed.
        payload_max: the warmest the food may get.
        profile: the ambient over the journey.
        coolant_start: where the coolant was kept; at its phase temperature when None.
        step: the time step (:data:`DEFAULT_STEP`).
        stop_at_end: when the pack still holds at the profile's end, return the profile's
            length with :attr:`HoldLimit.PROFILE_END` instead of raising.
        through_end: keep simulating to the profile's end after the food crosses its limit,
            so :attr:`HoldTime.history` covers the whole journey (implies ``stop_at_end``);
            the duration is still the time of the first crossing.
        record_history: fill :attr:`HoldTime.history`; planners that only need the hold
            time switch it off, which makes the simulation several times faster.
        h_out: see :func:`conductance`.
        h_in: see :func:`conductance`.
        leak_factor: see :func:`conductance`.

    Raises:
        InvalidValueError: for the inputs :func:`hold_time` refuses, a step that is not
            positive, and (unless ``stop_at_end``) a profile that ends before the food
            crosses its limit.

    Example:
        >>> import datetime as dt
        >>> from ruralseller.catalog import Mass, Temperature
        >>> from ruralseller.packaging.materials import BUILTIN
        >>> held = hold_time_profile(
        ...     BUILTIN.container("eps-40x30x30-3cm"), BUILTIN.coolant("ice-1kg"), Mass(4, "kg"),
        ...     payload_mass=Mass("2.5", "kg"), payload_cp=3.3,
        ...     payload_start=Temperature(2, "°C"), payload_max=Temperature(4, "°C"),
        ...     profile=SOUTH_CHINA_SUMMER,
        ... )
        >>> round(held.hours, 1), held.history[-1][1]
        (19.8, Temperature('4 °C'))
    """
    us = conductance(container, h_out=h_out, h_in=h_in, leak_factor=leak_factor)
    budget = _budget(
        coolant=coolant,
        coolant_mass=coolant_mass,
        payload_mass=payload_mass,
        payload_cp=payload_cp,
        payload_start=payload_start,
        payload_max=payload_max,
        coolant_start=coolant_start,
        us=us,
    )
    if not isinstance(profile, AmbientProfile):
        raise InvalidValueError(f"profile must be an AmbientProfile, got {profile!r}")
    step_seconds = _seconds(step, "step")
    total = profile.duration.total_seconds()
    pack = budget.pack
    heat = pack.start
    elapsed = 0.0
    exhausted: float | None = 0.0 if heat >= pack.latent else None
    points = [(0.0, pack.celsius(heat))]
    crossed = False
    first_crossing: float | None = None
    while elapsed < total and (through_end or not crossed):
        span = min(step_seconds, total - elapsed)
        ambient = profile.celsius_at(elapsed + span / 2)
        moved = _advance(pack, heat, ambient, span, stop_at_limit=first_crossing is None)
        if exhausted is None and moved.exhausted is not None:
            exhausted = elapsed + moved.exhausted
        heat, crossed = moved.heat, moved.crossed
        elapsed += moved.spent
        if crossed and first_crossing is None:
            first_crossing = elapsed
        points.append((elapsed, pack.celsius(heat)))
    crossed = first_crossing is not None
    if through_end:
        stop_at_end = True
        elapsed = first_crossing if first_crossing is not None else elapsed
    if not crossed and not stop_at_end:
        left = max(0.0, pack.latent - max(heat, 0.0)) / pack.latent
        raise InvalidValueError(
            f"the pack still holds when the profile {profile.name!r} ends at "
            f"{format_duration(profile.duration)} (inside {_temperature(pack.celsius(heat))}, "
            f"{left:.0%} of the coolant left), so its hold time is longer than the profile",
            hint="give a longer profile, or pass stop_at_end=True to get 'at least "
            f"{format_duration(profile.duration)}'",
        )
    if exhausted:
        watts = (pack.latent - pack.start) / exhausted
    elif exhausted is None:
        watts = (heat - pack.start) / elapsed
    else:  # food packed so warm that the coolant was spent at once
        watts = us * (profile.celsius_at(0) - pack.celsius(pack.start))
    return HoldTime(
        duration=_delta(elapsed),
        conductance_w_per_k=us,
        heat_gain_watts=watts,
        latent_kj=budget.latent_kj,
        payload_sensible_kj=budget.payload_sensible_kj,
        coolant_sensible_kj=budget.coolant_sensible_kj,
        coolant_lasts=None if exhausted is None else _delta(exhausted),
        limited_by=_limit(pack) if crossed else HoldLimit.PROFILE_END,
        coldest=_temperature(min(celsius for _, celsius in points)),
        history=tuple((_delta(at), _temperature(celsius)) for at, celsius in points)
        if record_history
        else (),
    )
