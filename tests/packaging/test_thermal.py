"""The thermal model: the research anchors (coldchain.md §6), properties, and bad inputs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ruralseller.catalog import Length, Mass, Temperature
from ruralseller.errors import InvalidValueError, QuantityError
from ruralseller.packaging.materials import BUILTIN, Container, ContainerKind, Coolant
from ruralseller.packaging.thermal import (
    DEFAULT_LEAK_FACTOR,
    SOUTH_CHINA_SUMMER,
    SOUTH_CHINA_WINTER,
    WATER_LATENT_HEAT,
    AmbientProfile,
    HoldLimit,
    HoldTime,
    calibrate_from_ice_melt,
    conductance,
    coolant_needed,
    heat_gain,
    hold_time,
    hold_time_profile,
)

EPS_3CM = BUILTIN.container("eps-40x30x30-3cm")
EPS_5CM = BUILTIN.container("eps-40x30x30-5cm")
PU_10QT = BUILTIN.container("pu-10qt-3in")
ICE = BUILTIN.coolant("ice-1kg")
GEL = BUILTIN.coolant("gel-1kg")
DRY_ICE = BUILTIN.coolant("dry-ice-1kg")
DAY = dt.timedelta(hours=24)


def celsius(value: float | str) -> Temperature:
    return Temperature(Decimal(str(value)), "°C")


ZERO, FOUR = celsius(0), celsius(4)

# Chilled black-bone chicken: 2.5 kg packed at 2 °C, at most 4 °C; c_p 3.3 kJ/(kg·K).
CHICKEN: dict[str, Any] = {
    "payload_mass": Mass("2.5", "kg"),
    "payload_cp": 3.3,
    "payload_start": celsius(2),
    "payload_max": FOUR,
}


# --- the anchors (Linde's dry-ice table, a hand calculation) ------------------------------


def test_eps_3cm_box_at_30_c_gains_17_watts_without_leak_factor() -> None:
    watts = heat_gain(EPS_3CM, ZERO, celsius(30), leak_factor=1)
    assert watts == pytest.approx(16.9, rel=0.02)
    assert conductance(EPS_3CM, leak_factor=1) == pytest.approx(0.564, rel=0.01)


def test_eps_3cm_box_melts_4_4_kg_of_ice_a_day_without_leak_factor() -> None:
    ice = coolant_needed(EPS_3CM, ICE, DAY, celsius(30), safety_factor=1, leak_factor=1)
    assert float(ice.grams) / 1000 == pytest.approx(4.4, rel=0.03)


def test_eps_5cm_box_needs_about_half_the_ice() -> None:
    ice = coolant_needed(EPS_5CM, ICE, DAY, celsius(30), safety_factor=1, leak_factor=1)
    assert float(ice.grams) / 1000 == pytest.approx(2.3, rel=0.03)
    assert heat_gain(EPS_5CM, ZERO, celsius(30), leak_factor=1) == pytest.approx(9.0, rel=0.02)


@pytest.mark.parametrize("leak_factor", [1, None])
def test_linde_pu_10qt_box_sublimes_1_9_to_2_3_kg_dry_ice_a_day(leak_factor: float | None) -> None:
    # Linde: "a 3-inch urethane box loses only 5 lb per 24 h for a 10-quart cavity".
    dry = coolant_needed(
        PU_10QT, DRY_ICE, DAY, celsius(22), safety_factor=1, leak_factor=leak_factor
    )
    assert Mass("1.9", "kg") <= dry <= Mass("2.3", "kg")


def test_the_default_leak_factor_reproduces_lindes_five_pounds() -> None:
    dry = coolant_needed(PU_10QT, DRY_ICE, DAY, celsius(22), safety_factor=1)
    assert float(dry.in_unit("lb")) == pytest.approx(5, rel=0.01)
    assert conductance(PU_10QT) == pytest.approx(conductance(PU_10QT, leak_factor=1) * 1.15)


def test_ice_melt_test_recovers_the_research_box() -> None:
    melted = coolant_needed(EPS_3CM, ICE, DAY, celsius(30), safety_factor=1, leak_factor=1)
    us = calibrate_from_ice_melt(melted, DAY, celsius(30))
    assert us == pytest.approx(0.564, rel=0.01)


@settings(max_examples=60)
@given(
    box=st.sampled_from(BUILTIN.containers),
    ambient=st.integers(15, 40),
    hours=st.integers(4, 72),
    leak=st.sampled_from([1, DEFAULT_LEAK_FACTOR, 1.3]),
)
def test_ice_melt_inversion_round_trips_within_5_percent(
    box: Container, ambient: int, hours: int, leak: float
) -> None:
    duration = dt.timedelta(hours=hours)
    us = conductance(box, leak_factor=leak)
    joules = us * ambient * duration.total_seconds()
    # what a kitchen scale would read: whole grams of melt water
    melted = Mass(round(joules / WATER_LATENT_HEAT), "g")
    recovered = calibrate_from_ice_melt(melted, duration, celsius(ambient))
    assert recovered == pytest.approx(us, rel=0.05)
    calibrated = box.calibrated(recovered, source="test")
    assert conductance(calibrated) == pytest.approx(us, rel=0.05)


def test_a_measured_box_replaces_the_wall_model_and_its_leak_factor() -> None:
    box = EPS_3CM.calibrated(Decimal("0.7"), source="test")
    assert conductance(box) == pytest.approx(0.7)
    assert conductance(box, h_out=5) == pytest.approx(0.7)
    assert conductance(box, leak_factor=1.2) == pytest.approx(0.84)
    assert heat_gain(box, ZERO, celsius(30)) == pytest.approx(21.0)


def test_an_inside_film_coefficient_lowers_the_heat_gain() -> None:
    without = conductance(EPS_3CM, leak_factor=1)
    with_h_in = conductance(EPS_3CM, leak_factor=1, h_in=5)
    # 1/(0.857 + 0.1 + 0.2) against 1/(0.857 + 0.1)
    assert with_h_in / without == pytest.approx(0.957 / 1.157, rel=1e-3)


def test_a_warmer_inside_or_a_cold_day_reverses_the_flow() -> None:
    assert heat_gain(EPS_3CM, celsius(4), celsius(-5)) < 0


# --- hold time -------------------------------------------------------------------------------


def test_hold_time_breaks_down_its_energy_budget() -> None:
    held = hold_time(EPS_3CM, ICE, Mass(4, "kg"), ambient=celsius(30), **CHICKEN)
    us = conductance(EPS_3CM)
    assert held.conductance_w_per_k == pytest.approx(us)
    assert held.heat_gain_watts == pytest.approx(us * 30)
    assert held.latent_kj == pytest.approx(4 * 334)
    assert held.payload_sensible_kj == pytest.approx(2.5 * 3.3 * 2)
    assert held.coolant_sensible_kj == pytest.approx(4 * 4.19 * 4)
    assert held.limited_by is HoldLimit.COOLANT
    assert held.coldest == ZERO
    assert held.history == ()
    assert held.coolant_lasts is not None
    assert held.coolant_lasts < held.duration


def test_hold_time_is_close_to_the_textbook_formula() -> None:
    # t ≈ (E_coolant + m_p·c_p·(T_max − T_0))/Q; the lumped model only bends
    # the short warming phase, so the two agree within a few per cent.
    held = hold_time(EPS_3CM, ICE, Mass(4, "kg"), ambient=celsius(30), **CHICKEN)
    energy = held.latent_kj + held.payload_sensible_kj + held.coolant_sensible_kj
    textbook_hours = energy * 1000 / held.heat_gain_watts / 3600
    assert held.hours == pytest.approx(textbook_hours, rel=0.03)


def test_frozen_coolant_and_precooled_food_add_hold_time() -> None:
    base = hold_time(EPS_5CM, GEL, Mass(3, "kg"), ambient=celsius(30), **CHICKEN)
    frozen = hold_time(
        EPS_5CM, GEL, Mass(3, "kg"), ambient=celsius(30), coolant_start=celsius(-18), **CHICKEN
    )
    colder_food = hold_time(
        EPS_5CM, GEL, Mass(3, "kg"), ambient=celsius(30), **{**CHICKEN, "payload_start": ZERO}
    )
    assert frozen.duration > base.duration
    assert celsius(-18) < frozen.coldest < ZERO  # frozen gel and 2 °C food, mixed
    assert frozen.coolant_sensible_kj == pytest.approx(base.coolant_sensible_kj + 3 * 2.05 * 18)
    assert colder_food.duration > base.duration


def test_dry_ice_holds_frozen_meat_and_would_freeze_chilled_meat() -> None:
    frozen_meat: dict[str, Any] = {
        "payload_mass": Mass(3, "kg"),
        "payload_cp": 1.8,
        "payload_start": celsius(-18),
        "payload_max": celsius(-12),
    }
    held = hold_time(PU_10QT, DRY_ICE, Mass(3, "kg"), ambient=celsius(22), **frozen_meat)
    assert held.hours > 24
    assert held.coolant_sensible_kj == 0  # the gas leaves; nothing melts to warm
    chilled = hold_time(PU_10QT, DRY_ICE, Mass(1, "kg"), ambient=celsius(22), **CHICKEN)
    assert chilled.coldest < celsius(-2)  # chicken freezes below about -2 °C


def test_food_packed_warm_spends_the_coolant_on_itself() -> None:
    held = hold_time(
        EPS_3CM,
        ICE,
        Mass("0.3", "kg"),
        ambient=celsius(30),
        **{**CHICKEN, "payload_mass": Mass(5, "kg"), "payload_start": FOUR},
    )
    assert held.limited_by is HoldLimit.WARM_PAYLOAD
    assert held.hours < 2


def test_hold_time_reports_its_duration_in_hours() -> None:
    held = HoldTime(
        duration=dt.timedelta(hours=36),
        conductance_w_per_k=0.5,
        heat_gain_watts=15,
        latent_kj=1000,
        payload_sensible_kj=10,
        coolant_sensible_kj=10,
        coolant_lasts=dt.timedelta(hours=30),
        limited_by=HoldLimit.COOLANT,
        coldest=ZERO,
    )
    assert held.hours == 36


# --- properties: the model never rewards a worse pack --------------------------------------------

inner_cm = st.integers(12, 50)
walls_mm = st.integers(10, 100)
# From VIP (0.004) to dense EPS (0.06); thicker walls always help above the critical size
# 2k/h_out (12 mm here), far below any real box.
conductivities = st.sampled_from(["0.004", "0.008", "0.022", "0.03", "0.035", "0.038", "0.06"])
coolant_kg = st.decimals("0.2", "10", places=1)
ambients = st.integers(8, 45)


def eps_box(length: int, width: int, height: int, wall_mm: int, k: str) -> Container:
    return Container(
        id="test-box",
        name="test box",
        kind=ContainerKind.EPS,
        inner_length=Length(length, "cm"),
        inner_width=Length(width, "cm"),
        inner_height=Length(height, "cm"),
        wall_thickness=Length(wall_mm, "mm"),
        wall_conductivity=k,
        empty_mass=Mass("0.4", "kg"),
        max_payload=Mass(10, "kg"),
        source="test",
    )


def steady(box: Container, coolant: Coolant, kg: Decimal, ambient: float) -> dt.timedelta:
    return hold_time(box, coolant, Mass(kg, "kg"), ambient=celsius(ambient), **CHICKEN).duration


# A summer-like day/night profile whose coldest hour stays above the food's limit, so heat
# only ever leaks in (in winter a better box also keeps the night's cold out).
LONG = dt.timedelta(days=12)


def profiled(box: Container, coolant: Coolant, kg: Decimal, mean: float) -> dt.timedelta:
    profile = AmbientProfile.day_night(celsius(mean), 6, LONG)
    return hold_time_profile(
        box,
        coolant,
        Mass(kg, "kg"),
        profile=profile,
        step=dt.timedelta(hours=1),
        stop_at_end=True,
        **CHICKEN,
    ).duration


def profiled_warmer(box: Container, coolant: Coolant, kg: Decimal, ambient: float) -> dt.timedelta:
    # a day/night mean of ambient + 3 dips to ambient - 3 at night, still above the limit
    return profiled(box, coolant, kg, ambient + 3)


MODELS = [pytest.param(steady, id="steady"), pytest.param(profiled_warmer, id="profile")]
PROPERTY_SETTINGS = settings(max_examples=25)


@pytest.mark.parametrize("model", MODELS)
@PROPERTY_SETTINGS
@given(
    size=st.tuples(inner_cm, inner_cm, inner_cm),
    wall=walls_mm,
    more=st.integers(1, 50),
    k=conductivities,
    kg=coolant_kg,
    ambient=ambients,
)
def test_thicker_walls_never_shorten_the_hold(  # noqa: PLR0917 - one argument per strategy
    model: Any, size: tuple[int, int, int], wall: int, more: int, k: str, kg: Decimal, ambient: int
) -> None:
    thin, thick = eps_box(*size, wall, k), eps_box(*size, wall + more, k)
    assert model(thick, ICE, kg, ambient) >= model(thin, ICE, kg, ambient)


@pytest.mark.parametrize("model", MODELS)
@PROPERTY_SETTINGS
@given(
    size=st.tuples(inner_cm, inner_cm, inner_cm),
    wall=walls_mm,
    ks=st.lists(conductivities, min_size=2, max_size=2),
    kg=coolant_kg,
    ambient=ambients,
)
def test_lower_conductivity_never_shortens_the_hold(  # noqa: PLR0917 - one argument per strategy
    model: Any, size: tuple[int, int, int], wall: int, ks: list[str], kg: Decimal, ambient: int
) -> None:
    better, worse = sorted(ks, key=Decimal)
    assert model(eps_box(*size, wall, better), GEL, kg, ambient) >= model(
        eps_box(*size, wall, worse), GEL, kg, ambient
    )


@pytest.mark.parametrize("model", MODELS)
@PROPERTY_SETTINGS
@given(box=st.sampled_from(BUILTIN.containers), kgs=st.lists(coolant_kg, min_size=2, max_size=2))
def test_more_coolant_never_shortens_the_hold(
    model: Any, box: Container, kgs: list[Decimal]
) -> None:
    less, more = sorted(kgs)
    assert model(box, ICE, more, 30) >= model(box, ICE, less, 30)


@pytest.mark.parametrize("model", MODELS)
@PROPERTY_SETTINGS
@given(
    box=st.sampled_from(BUILTIN.containers),
    coolant=st.sampled_from([ICE, GEL, DRY_ICE]),
    kg=coolant_kg,
    ambients=st.lists(ambients, min_size=2, max_size=2),
)
def test_a_cooler_ambient_never_shortens_the_hold(
    model: Any, box: Container, coolant: Coolant, kg: Decimal, ambients: list[int]
) -> None:
    cool, warm = sorted(ambients)
    assert model(box, coolant, kg, cool) >= model(box, coolant, kg, warm)


@settings(max_examples=40)
@given(
    box=st.sampled_from(BUILTIN.containers),
    coolant=st.sampled_from([ICE, GEL, DRY_ICE]),
    kg=coolant_kg,
    ambient=st.integers(15, 45),
    start=st.sampled_from([None, celsius(-18)]),
    food_start=st.sampled_from([celsius(-1), celsius(2), FOUR]),
    step_minutes=st.sampled_from([5, 15, 60]),
)
def test_a_constant_profile_agrees_with_the_steady_model(  # noqa: PLR0917 - one argument per strategy
    box: Container,
    coolant: Coolant,
    kg: Decimal,
    ambient: int,
    start: Temperature | None,
    food_start: Temperature,
    step_minutes: int,
) -> None:
    if start is not None and start > coolant.phase_temperature:
        start = None
    chicken = {**CHICKEN, "payload_start": food_start}
    steady_hold = hold_time(
        box, coolant, Mass(kg, "kg"), ambient=celsius(ambient), coolant_start=start, **chicken
    )
    profile = AmbientProfile.constant(celsius(ambient), dt.timedelta(days=60))
    stepped = hold_time_profile(
        box,
        coolant,
        Mass(kg, "kg"),
        profile=profile,
        coolant_start=start,
        step=dt.timedelta(minutes=step_minutes),
        **chicken,
    )
    tolerance = dt.timedelta(seconds=2)
    assert abs(stepped.duration - steady_hold.duration) <= tolerance
    assert steady_hold.coolant_lasts is not None
    assert stepped.coolant_lasts is not None
    assert abs(stepped.coolant_lasts - steady_hold.coolant_lasts) <= tolerance
    assert stepped.limited_by is steady_hold.limited_by
    assert stepped.coldest == steady_hold.coldest


def test_a_day_night_profile_converges_as_the_step_shrinks() -> None:
    kwargs: dict[str, Any] = {"profile": SOUTH_CHINA_SUMMER, **CHICKEN}
    fine = hold_time_profile(EPS_3CM, ICE, Mass(4, "kg"), step=dt.timedelta(minutes=1), **kwargs)
    default = hold_time_profile(EPS_3CM, ICE, Mass(4, "kg"), **kwargs)
    hourly = hold_time_profile(EPS_3CM, ICE, Mass(4, "kg"), step=dt.timedelta(hours=1), **kwargs)
    assert default.hours == pytest.approx(fine.hours, rel=0.002)
    assert hourly.hours == pytest.approx(fine.hours, rel=0.01)


def test_the_profile_history_walks_from_packing_to_the_limit() -> None:
    held = hold_time_profile(EPS_3CM, ICE, Mass(4, "kg"), profile=SOUTH_CHINA_SUMMER, **CHICKEN)
    times = [elapsed for elapsed, _ in held.history]
    assert times[0] == dt.timedelta(0)
    assert times == sorted(times)
    assert times[-1] == held.duration
    assert held.history[0][1] == ZERO  # the food gives its heat to the melting ice
    assert held.history[-1][1] == FOUR
    assert all(ZERO <= t <= FOUR for _, t in held.history)
    assert held.limited_by is HoldLimit.COOLANT


def test_winter_holds_longer_than_summer() -> None:
    winter = hold_time_profile(
        EPS_3CM, ICE, Mass(1, "kg"), profile=SOUTH_CHINA_WINTER, stop_at_end=True, **CHICKEN
    )
    summer = hold_time_profile(EPS_3CM, ICE, Mass(1, "kg"), profile=SOUTH_CHINA_SUMMER, **CHICKEN)
    assert winter.duration > summer.duration


def test_a_freezing_spell_draws_heat_out_and_refreezes_the_melt() -> None:
    hot, freezing = celsius(30), celsius(-10)
    second = dt.timedelta(seconds=1)
    six, twelve = dt.timedelta(hours=6), dt.timedelta(hours=12)
    spell = AmbientProfile.from_points(
        [
            (dt.timedelta(0), hot),
            (six, hot),
            (six + second, freezing),
            (twelve, freezing),
            (twelve + second, hot),
            (dt.timedelta(hours=72), hot),
        ]
    )
    steady_hot = AmbientProfile.constant(hot, dt.timedelta(hours=72))
    step = dt.timedelta(minutes=1)
    with_spell = hold_time_profile(EPS_3CM, ICE, Mass(3, "kg"), profile=spell, step=step, **CHICKEN)
    without = hold_time_profile(
        EPS_3CM, ICE, Mass(3, "kg"), profile=steady_hot, step=step, **CHICKEN
    )
    # Six hours without heat gain would add six hours; drawing heat out adds two more.
    gained = (with_spell.duration - without.duration).total_seconds() / 3600
    assert gained == pytest.approx(6 * (30 + 10) / 30, rel=0.02)
    assert with_spell.coldest == ZERO  # the ice refreezes at 0 °C; the food does not freeze


def test_stop_at_end_reports_at_least_the_profile_length() -> None:
    profile = AmbientProfile.iso_22982_2(celsius(23), DAY)
    held = hold_time_profile(
        PU_10QT, ICE, Mass(3, "kg"), profile=profile, stop_at_end=True, **CHICKEN
    )
    assert held.limited_by is HoldLimit.PROFILE_END
    assert held.duration == DAY
    assert held.coolant_lasts is None


# --- ambient profiles ----------------------------------------------------------------------------


def test_iso_22982_2_profiles_are_the_standards_constants() -> None:
    profile = AmbientProfile.iso_22982_2(celsius(40), dt.timedelta(hours=72))
    assert profile.name == "ISO 22982-2:2021 constant 40 °C for 72 h"
    assert profile.temperature_at(dt.timedelta(hours=71)) == celsius(40)
    with pytest.raises(InvalidValueError, match="-30, 23 or 40 °C"):
        AmbientProfile.iso_22982_2(celsius(30), DAY)
    with pytest.raises(InvalidValueError, match="24, 48 or 72 h"):
        AmbientProfile.iso_22982_2(celsius(23), dt.timedelta(hours=36))


def test_a_day_night_profile_peaks_mid_afternoon() -> None:
    assert SOUTH_CHINA_SUMMER.temperature_at(dt.timedelta(hours=7)) == celsius(36)
    assert SOUTH_CHINA_SUMMER.temperature_at(dt.timedelta(hours=19)) == celsius(24)
    assert SOUTH_CHINA_SUMMER.temperature_at(dt.timedelta(hours=31)) == celsius(36)
    assert SOUTH_CHINA_WINTER.temperature_at(dt.timedelta(hours=19)) == celsius(-1)


def test_an_hourly_profile_draws_straight_lines_between_readings() -> None:
    profile = AmbientProfile.hourly([celsius(t) for t in (20, 30, 26, 26)])
    assert profile.duration == dt.timedelta(hours=3)
    assert profile.temperature_at(dt.timedelta(minutes=90)) == celsius(28)
    assert profile.temperature_at(dt.timedelta(hours=3)) == celsius(26)


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ([(dt.timedelta(hours=1), celsius(20)), (dt.timedelta(hours=2), celsius(20))], "at 0 h"),
        ([(dt.timedelta(0), celsius(20))], "at least two points"),
        (
            [
                (dt.timedelta(0), celsius(20)),
                (dt.timedelta(hours=2), celsius(25)),
                (dt.timedelta(hours=1), celsius(20)),
            ],
            "time order",
        ),
        ([(dt.timedelta(0), 20), (dt.timedelta(hours=1), 25)], "Temperature"),
    ],
)
def test_bad_profile_points_are_refused(points: Any, message: str) -> None:
    with pytest.raises(InvalidValueError, match=message):
        AmbientProfile.from_points(points)


def test_a_profile_has_no_temperature_outside_its_span() -> None:
    with pytest.raises(InvalidValueError, match="covers 0 to 3 d; it has no temperature"):
        SOUTH_CHINA_SUMMER.temperature_at(dt.timedelta(hours=73))


def test_a_profile_must_be_one_shape() -> None:
    with pytest.raises(InvalidValueError, match="either points or a mean"):
        AmbientProfile(duration=DAY)
    with pytest.raises(InvalidValueError, match="longer than zero"):
        AmbientProfile.constant(celsius(20), dt.timedelta(0))
    with pytest.raises(InvalidValueError, match="amplitude must not be negative"):
        AmbientProfile.day_night(celsius(20), -3, DAY)


# --- error messages for bad inputs ---------------------------------------------------------------


def test_a_negative_wall_is_refused_before_any_physics() -> None:
    with pytest.raises(QuantityError, match="cannot be negative"):
        attrs.evolve(EPS_3CM, wall_thickness=Length(-3, "cm"))


def test_no_coolant_is_an_error_with_a_remedy() -> None:
    with pytest.raises(InvalidValueError, match="coolant_mass must be above zero") as caught:
        hold_time(EPS_3CM, ICE, Mass(0, "kg"), ambient=celsius(30), **CHICKEN)
    assert "add coolant" in caught.value.hint


def test_an_ambient_below_the_limit_has_no_hold_time() -> None:
    with pytest.raises(InvalidValueError, match="never warms past it"):
        hold_time(EPS_3CM, ICE, Mass(2, "kg"), ambient=celsius(3), **CHICKEN)


def test_an_ambient_below_the_inside_needs_no_coolant() -> None:
    with pytest.raises(InvalidValueError, match="no coolant is needed"):
        coolant_needed(EPS_3CM, ICE, DAY, celsius(-5))
    with pytest.raises(InvalidValueError, match="warmer than inside"):
        calibrate_from_ice_melt(Mass(1, "kg"), DAY, celsius(-2))


def test_a_profile_shorter_than_the_hold_is_an_error() -> None:
    short = AmbientProfile.iso_22982_2(celsius(23), DAY)
    with pytest.raises(InvalidValueError, match=r"still holds when the profile .* ends at 1 d"):
        hold_time_profile(PU_10QT, ICE, Mass(3, "kg"), profile=short, **CHICKEN)


def test_food_packed_above_its_limit_must_be_chilled_first() -> None:
    with pytest.raises(InvalidValueError, match="above its limit") as caught:
        hold_time(
            EPS_3CM,
            ICE,
            Mass(2, "kg"),
            ambient=celsius(30),
            **{**CHICKEN, "payload_start": celsius(8)},
        )
    assert "chill the food" in caught.value.hint


def test_water_ice_cannot_hold_frozen_food() -> None:
    with pytest.raises(InvalidValueError, match="above the food's limit") as caught:
        hold_time(
            EPS_3CM,
            ICE,
            Mass(2, "kg"),
            ambient=celsius(30),
            **{**CHICKEN, "payload_start": celsius(-20), "payload_max": celsius(-18)},
        )
    assert "dry ice" in caught.value.hint


def test_coolant_cannot_start_above_its_phase_temperature() -> None:
    with pytest.raises(InvalidValueError, match="already have melted"):
        hold_time(
            EPS_3CM, ICE, Mass(2, "kg"), ambient=celsius(30), coolant_start=celsius(2), **CHICKEN
        )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"payload_mass": Mass(0, "kg")}, "payload_mass must be above zero"),
        ({"payload_cp": 0}, "payload_cp must be above zero"),
        ({"payload_cp": "3.3"}, "payload_cp must be a number"),
        ({"payload_max": 4}, "payload_max must be a Temperature"),
        ({"leak_factor": 0.9}, "leak_factor must be at least 1"),
        ({"h_out": 0}, "h_out must be above zero"),
        ({"h_in": -1}, "h_in must be above zero"),
    ],
)
def test_bad_coefficients_are_named(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidValueError, match=message):
        hold_time(EPS_3CM, ICE, Mass(2, "kg"), ambient=celsius(30), **{**CHICKEN, **changes})


def test_bad_durations_and_factors_are_named() -> None:
    with pytest.raises(InvalidValueError, match="step must be longer than zero"):
        hold_time_profile(
            EPS_3CM,
            ICE,
            Mass(2, "kg"),
            profile=SOUTH_CHINA_SUMMER,
            step=dt.timedelta(0),
            **CHICKEN,
        )
    with pytest.raises(InvalidValueError, match=r"duration must be a datetime\.timedelta"):
        coolant_needed(EPS_3CM, ICE, 24, celsius(30))  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="safety_factor must be at least 1"):
        coolant_needed(EPS_3CM, ICE, DAY, celsius(30), safety_factor=0.5)
    with pytest.raises(InvalidValueError, match="ice_melted must be above zero"):
        calibrate_from_ice_melt(Mass(0, "g"), DAY, celsius(25))


class TestThroughEnd:
    def test_history_continues_past_the_limit(self) -> None:
        """through_end simulates the whole profile; the duration is still the first crossing."""
        args = {
            "payload_mass": Mass("2.5", "kg"),
            "payload_cp": 3.3,
            "payload_start": Temperature(2, "°C"),
            "payload_max": Temperature(4, "°C"),
            "profile": SOUTH_CHINA_SUMMER,
        }
        box, ice = BUILTIN.container("eps-40x30x30-3cm"), BUILTIN.coolant("ice-1kg")
        stopped = hold_time_profile(box, ice, Mass(2, "kg"), **args)  # type: ignore[arg-type]
        full = hold_time_profile(box, ice, Mass(2, "kg"), through_end=True, **args)  # type: ignore[arg-type]
        assert full.duration == stopped.duration
        assert full.history[-1][0] == SOUTH_CHINA_SUMMER.duration
        assert max(t for _, t in full.history) > Temperature(25, "°C")
        # the food warms towards the ambient, never above the hottest of the day
        assert max(t for _, t in full.history) <= Temperature(36, "°C")
