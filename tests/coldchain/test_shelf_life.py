"""Shelf-life kinetics and pathogen guards: the research anchors (coldchain.md §6), properties,
and bad inputs."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ruralseller.catalog import CuredMeat, Mass, Product, ShelfLife, Temperature, load_catalog
from ruralseller.catalog.product import ShelfLifeModel
from ruralseller.catalog.samples import sample_path
from ruralseller.coldchain.shelf_life import (
    FOOD_CODE_4H,
    GUARDS,
    SALMONELLA_GROWTH,
    USDA_1H_ABOVE_90F,
    USDA_2H,
    Guard,
    ShelfLifeOnArrival,
    check_guards,
    consumed,
    relative_rate,
    remaining_on_arrival,
    shelf_life_at,
    time_above,
    time_below,
)
from ruralseller.compliance import Citation
from ruralseller.errors import InvalidValueError
from ruralseller.packaging.materials import BUILTIN
from ruralseller.packaging.thermal import SOUTH_CHINA_SUMMER, hold_time_profile

SAMPLE = load_catalog(sample_path())
CHICKEN = SAMPLE.product("taihe-silkie-whole")
EGGS = SAMPLE.product("taihe-silkie-eggs-30")


def basis_of(product: Product) -> ShelfLife:
    basis = product.shelf_life_basis
    assert basis is not None
    return basis


CHICKEN_BASIS = basis_of(CHICKEN)  # 5 d at 4 °C, square-root, Tmin -10 °C
EGG_BASIS = basis_of(EGGS)  # fixed, 28 d after laying
CURED_BASIS = basis_of(CuredMeat(id="larou", producer="farm", name="腊肉", meat="pork"))

H = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
CHILLED_BAND = (Temperature(0, "°C"), Temperature(4, "°C"))

History = list[tuple[dt.timedelta, Temperature]]


def c(value: int | str | Decimal | Fraction) -> Temperature:
    return Temperature(value, "°C")


def days(delta: dt.timedelta | None) -> float:
    assert delta is not None
    return delta / DAY


def square_root(reference: dt.timedelta, at: int | str, tmin: int | str) -> ShelfLife:
    return ShelfLife(reference=reference, at=c(at), model=ShelfLifeModel.SQUARE_ROOT, tmin=c(tmin))


def exponential(reference: dt.timedelta, at: int | str, slope: str) -> ShelfLife:
    return ShelfLife(
        reference=reference, at=c(at), model=ShelfLifeModel.EXPONENTIAL, slope=Decimal(slope)
    )


# --- the research anchors (coldchain.md §6) --------------------------------------------------


def test_sssp_21_days_at_5_gives_47_25_days_at_0() -> None:
    # SSSP's user-defined square-root model: 21 d at 5 °C, Tmin -10 °C -> 47.2 d at 0 °C,
    # i.e. 21·(15/10)² = 47.25 d (DTU SSSP, generic RRS help page).
    sssp = square_root(21 * DAY, 5, -10)
    assert relative_rate(sssp, c(0)) == pytest.approx(4 / 9, rel=1e-15)
    assert shelf_life_at(sssp, c(0)) == dt.timedelta(days=47, hours=6)


# IIR (2000) poultry table: band midpoint -> observed shelf life (IIR 2000, chilled storage).
IIR_BANDS = [("-2.6", 32), ("0.5", 17), ("3.6", 12), ("6.7", 7)]


@pytest.mark.parametrize(("midpoint", "observed"), IIR_BANDS)
def test_iir_poultry_bands_within_20_percent(midpoint: str, observed: int) -> None:
    # The sample chicken's basis (Tmin -10 °C) scaled to the IIR's best-case hygiene,
    # SL(0 °C) = 19.4 d (our square-root fit of the IIR table).
    iir = attrs.evolve(CHICKEN_BASIS, reference=dt.timedelta(days=19.4), at=c(0))
    predicted = days(shelf_life_at(iir, c(midpoint)))
    assert predicted == pytest.approx(observed, rel=0.20)


def test_iir_fit_reproduces_the_research_table() -> None:
    # The fit predicts 35.5 / 17.6 / 10.5 / 7.0 d at the band midpoints and
    # implies 9.9 / 6.0 / 3.1 / 1.6 d at 4 / 8 / 15 / 25 °C.
    iir = attrs.evolve(CHICKEN_BASIS, reference=dt.timedelta(days=19.4), at=c(0))
    for temperature, expected in [
        ("-2.6", 35.5),
        ("0.5", 17.6),
        ("3.6", 10.5),
        ("6.7", 7.0),
        ("4", 9.9),
        ("8", 6.0),
        ("15", 3.1),
        ("25", 1.6),
    ]:
        assert days(shelf_life_at(iir, c(temperature))) == pytest.approx(expected, abs=0.1)


def test_the_sample_chicken_keeps_half_as_long_as_the_iir_best_case() -> None:
    # Village slaughter, air-packed: 5 d at 4 °C (Jiménez 1997) is 9.8 d at 0 °C, about half
    # the IIR's 19.4 d (the absolute level varies about 4x: Jiménez 1997 vs IIR).
    assert days(shelf_life_at(CHICKEN_BASIS, c(0))) == pytest.approx(9.8)


def test_square_root_q10_is_4_then_2_25() -> None:
    # With Tmin -10 °C, Q10 = 4.0 between 0 and 10 °C, 2.25 between 10 and 20.
    rate = [relative_rate(CHICKEN_BASIS, c(t)) for t in (0, 10, 20)]
    assert rate[1] / rate[0] == pytest.approx(4.0)
    assert rate[2] / rate[1] == pytest.approx(2.25)


# FSSP cold-smoked salmon, ln RRS = 0.089·T (Dalgaard et al. 2004; fssp.food.dtu.dk): phase I
# 8.9 d, then phase II until spoiled. Observed 20.0 d (5 then 15 °C) and 25 d (15 then 5 °C);
# FSSP predicted 20 and 24 d. The page gives no constant-temperature shelf life: 36 d at
# 5 °C is the one that makes 5 -> 15 °C last 20 d.
SALMON = exponential(36 * DAY, 5, "0.089")
PHASE_I = dt.timedelta(days=8.9)


def _spoiled_after(first: int, second: int) -> float:
    phase_one = [(dt.timedelta(0), c(first)), (PHASE_I, c(first))]
    arrival = remaining_on_arrival(SALMON, phase_one)
    return days(PHASE_I) + days(arrival.remaining_at(c(second)))


def test_fssp_cold_smoked_salmon_step_profile() -> None:
    assert _spoiled_after(5, 15) == pytest.approx(20.0, abs=0.5)
    assert _spoiled_after(15, 5) == pytest.approx(24, abs=1)  # 23.2 d; FSSP 24, observed 25
    assert relative_rate(SALMON, c(15)) / relative_rate(SALMON, c(5)) == pytest.approx(
        math.exp(0.89)
    )


def test_fssp_step_profile_as_one_history() -> None:
    # The same profile as a history with a step (two points at 8.9 d): spoiled at about 20 d.
    step = [
        (dt.timedelta(0), c(5)),
        (PHASE_I, c(5)),
        (PHASE_I, c(15)),
        (dt.timedelta(days=20), c(15)),
    ]
    assert consumed(SALMON, step) == pytest.approx(1.0, abs=0.03)
    assert remaining_on_arrival(SALMON, step[:3]).spoiled is False


# --- the exact integration along straight lines -------------------------------------------


def _step_rule(basis: ShelfLife, start: int, end: int, hours: int, steps: int = 2_000) -> float:
    """A fine midpoint rule: the limit the exact integral must match."""
    seconds = hours * 3600
    total = 0.0
    for i in range(steps):
        celsius = start + (end - start) * (i + 0.5) / steps
        total += relative_rate(basis, Temperature(Decimal(repr(celsius)), "°C"))
    return total * seconds / steps / basis.reference.total_seconds()


@pytest.mark.parametrize(
    ("basis", "start", "end"),
    [
        (CHICKEN_BASIS, 2, 12),
        (CHICKEN_BASIS, 12, 2),
        (CHICKEN_BASIS, -20, 6),  # crosses Tmin: spoilage stops below -10 °C
        (CHICKEN_BASIS, -20, -12),  # below Tmin all along
        (CURED_BASIS, 10, 35),
        (CURED_BASIS, 30, 29),
    ],
)
def test_a_ramp_is_integrated_exactly(basis: ShelfLife, start: int, end: int) -> None:
    ramp = [(dt.timedelta(0), c(start)), (10 * H, c(end))]
    assert consumed(basis, ramp) == pytest.approx(_step_rule(basis, start, end, 10), rel=1e-6)


def test_a_ramp_uses_less_than_the_trapezoid_rule() -> None:
    # The rate is convex in temperature, so the trapezoid rule overstates a ramp.
    ramp = [(dt.timedelta(0), c(0)), (DAY, c(20))]
    trapezoid = (relative_rate(CHICKEN_BASIS, c(0)) + relative_rate(CHICKEN_BASIS, c(20))) / 2 * 0.2
    assert consumed(CHICKEN_BASIS, ramp) < trapezoid


# --- properties -------------------------------------------------------------------------------

BASES = st.sampled_from([CHICKEN_BASIS, CURED_BASIS, EGG_BASIS])
CELSIUS = st.decimals(min_value=-20, max_value=35, places=1)


@st.composite
def histories(draw: st.DrawFn, min_size: int = 1, max_size: int = 8) -> History:
    size = draw(st.integers(min_size, max_size))
    elapsed = 0
    points: History = []
    for index in range(size):
        if index:
            elapsed += draw(st.integers(0, 48 * 3600))  # 0 makes a step
        points.append((dt.timedelta(seconds=elapsed), c(draw(CELSIUS))))
    return points


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _at_least(a: float, b: float) -> bool:
    return a >= b - 1e-12 * max(1.0, abs(b))


@given(BASES, histories(min_size=2), st.data())
def test_consumption_is_additive_over_a_split_history(
    basis: ShelfLife, history: History, data: st.DataObject
) -> None:
    k = data.draw(st.integers(0, len(history) - 1))
    parts = consumed(basis, history[: k + 1]) + consumed(basis, history[k:])
    assert _close(parts, consumed(basis, history))


@given(BASES, histories(), histories())
def test_consumption_is_additive_over_concatenated_histories(
    basis: ShelfLife, first: History, second: History
) -> None:
    end = first[-1][0]
    joined = first + [(elapsed + end, temperature) for elapsed, temperature in second]
    assert _close(consumed(basis, first) + consumed(basis, second), consumed(basis, joined))


@given(BASES, histories(min_size=2))
def test_a_longer_history_never_uses_less(basis: ShelfLife, history: History) -> None:
    for k in range(1, len(history)):
        assert _at_least(consumed(basis, history[: k + 1]), consumed(basis, history[:k]))


@given(BASES, histories(), st.data())
def test_a_warmer_history_never_uses_less(
    basis: ShelfLife, history: History, data: st.DataObject
) -> None:
    warmer = [
        (elapsed, c(temperature.celsius + data.draw(st.integers(0, 10))))
        for elapsed, temperature in history
    ]
    assert _at_least(consumed(basis, warmer), consumed(basis, history))


@given(BASES, CELSIUS, st.integers(0, 30 * 86400))
def test_a_constant_history_uses_exactly_dt_over_sl(
    basis: ShelfLife, celsius: Decimal, seconds: int
) -> None:
    temperature = c(celsius)
    history = [(dt.timedelta(0), temperature), (dt.timedelta(seconds=seconds), temperature)]
    expected = seconds * relative_rate(basis, temperature) / basis.reference.total_seconds()
    assert _close(consumed(basis, history), expected)
    life = shelf_life_at(basis, temperature)
    if life is not None:  # Δt/SL(T), with SL rounded to the second
        within = 1 / life.total_seconds()
        assert consumed(basis, history) == pytest.approx(seconds / life.total_seconds(), rel=within)
    else:
        assert consumed(basis, history) == 0


@given(histories(), st.integers(-20, 35))
def test_time_above_and_below_split_the_history(history: History, threshold: int) -> None:
    total = history[-1][0] - history[0][0]
    above = time_above(history, c(threshold))
    below = time_below(history, c(threshold))
    assert dt.timedelta(0) <= above <= total
    # Time exactly at the threshold is neither; each part is rounded to the microsecond.
    assert above + below <= total + dt.timedelta(microseconds=1)
    if all(temperature != c(threshold) for _, temperature in history):
        assert abs(above + below - total) <= dt.timedelta(microseconds=1)


# --- shelf life at a temperature and on arrival --------------------------------------------


def test_shelf_life_is_none_where_spoilage_stops() -> None:
    # At or below Tmin the square-root model's rate is 0: the food does not spoil.
    assert relative_rate(CHICKEN_BASIS, c(-10)) == 0
    assert shelf_life_at(CHICKEN_BASIS, c(-10)) is None
    assert shelf_life_at(CHICKEN_BASIS, c(-30)) is None
    # The exponential model's rate never reaches 0, but can exceed what a timedelta holds.
    assert shelf_life_at(CURED_BASIS, Temperature(0, "K")) is None
    assert shelf_life_at(CURED_BASIS, c(20)) == dt.timedelta(days=90)


def test_very_hot_exponential_spoils_at_once() -> None:
    assert relative_rate(CURED_BASIS, c(10_000)) == math.inf
    assert shelf_life_at(CURED_BASIS, c(10_000)) == dt.timedelta(0)


def test_fixed_model_counts_time_within_its_band_and_refuses_outside() -> None:
    assert relative_rate(EGG_BASIS, c(30)) == 1.0  # no band: every temperature at rate 1
    band = (c(0), c("7.2"))
    assert relative_rate(EGG_BASIS, c(5), band=band) == 1.0
    assert shelf_life_at(EGG_BASIS, c(5), band=band) == dt.timedelta(days=28)
    with pytest.raises(InvalidValueError, match=r"8 °C is outside the storage band 0 °C to 7.2"):
        relative_rate(EGG_BASIS, c(8), band=band)
    history = [(dt.timedelta(0), c(2)), (DAY, c(9))]
    with pytest.raises(InvalidValueError, match="fixed shelf life of 28 d holds only"):
        consumed(EGG_BASIS, history, band=band)


def test_eggs_on_arrival_count_days_since_laying() -> None:
    journey = [(dt.timedelta(0), c(18)), (3 * DAY, c(22))]
    arrival = remaining_on_arrival(EGG_BASIS, journey, since_production=7 * DAY)
    assert arrival.used == pytest.approx(10 / 28)
    assert arrival.at_reference == dt.timedelta(days=18)
    assert arrival.storage_top is None
    assert arrival.at_storage_top is None
    assert arrival.spoiled is False


def test_arrival_counts_storage_before_shipping_at_the_band_top() -> None:
    journey = [(dt.timedelta(0), c(2)), (DAY, c(2))]
    arrival = remaining_on_arrival(CHICKEN_BASIS, journey, since_production=DAY, band=CHILLED_BAND)
    assert isinstance(arrival, ShelfLifeOnArrival)
    assert arrival.used_before_shipping == pytest.approx(0.2)  # 1 d at 4 °C of 5 d
    assert arrival.used_in_transit == pytest.approx(1 / 5 * (12 / 14) ** 2)
    assert arrival.used == pytest.approx(arrival.used_before_shipping + arrival.used_in_transit)
    assert arrival.remaining == pytest.approx(1 - arrival.used)
    assert arrival.storage_top == c(4)
    assert arrival.at_storage_top == arrival.at_reference  # the reference is 4 °C too
    # Kept colder before shipping, less is used.
    colder = remaining_on_arrival(
        CHICKEN_BASIS, journey, since_production=DAY, storage_before=c(0), band=CHILLED_BAND
    )
    assert colder.used_before_shipping == pytest.approx(0.2 * (10 / 14) ** 2)
    # No band: the time before shipping counts at the reference temperature, 4 °C.
    assert remaining_on_arrival(
        CHICKEN_BASIS, journey, since_production=DAY
    ).used_before_shipping == pytest.approx(0.2)


def test_remaining_at_another_temperature() -> None:
    arrival = remaining_on_arrival(CHICKEN_BASIS, [(dt.timedelta(0), c(4)), (DAY, c(4))])
    assert arrival.remaining == pytest.approx(0.8)
    assert days(arrival.remaining_at(c(0))) == pytest.approx(0.8 * 9.8)
    assert arrival.remaining_at(c(-12)) is None


def test_a_hot_journey_spoils_the_chicken() -> None:
    journey = [(dt.timedelta(0), c(4)), (2 * DAY, c(30))]
    arrival = remaining_on_arrival(CHICKEN_BASIS, journey, band=CHILLED_BAND)
    assert arrival.spoiled
    assert arrival.used > 1
    assert arrival.remaining == 0
    assert arrival.at_reference == dt.timedelta(0)
    assert arrival.at_storage_top == dt.timedelta(0)
    assert arrival.remaining_at(c(-20)) == dt.timedelta(0)


def test_the_thermal_model_history_is_accepted() -> None:
    held = hold_time_profile(
        BUILTIN.container("eps-40x30x30-3cm"),
        BUILTIN.coolant("ice-1kg"),
        Mass(4, "kg"),
        payload_mass=Mass("2.5", "kg"),
        payload_cp=3.3,
        payload_start=c(2),
        payload_max=c(4),
        profile=SOUTH_CHINA_SUMMER,
    )
    used = consumed(CHICKEN_BASIS, held.history, band=CHILLED_BAND)
    # Between 0 and 4 °C for about 20 h: less than 20 h at 4 °C would use.
    assert 0 < used < held.hours / 24 / 5
    assert time_above(held.history, c(4)) == dt.timedelta(0)
    assert check_guards(held.history) == ()


# --- guards ------------------------------------------------------------------------------------


def test_the_built_in_guards_carry_the_research_numbers() -> None:
    assert FOOD_CODE_4H.threshold == c(5)  # 41 °F
    assert FOOD_CODE_4H.budget == 4 * H
    assert USDA_2H.threshold == Temperature(40, "°F")
    assert USDA_2H.budget == 2 * H
    assert USDA_1H_ABOVE_90F.threshold == Temperature(90, "°F")
    assert float(USDA_1H_ABOVE_90F.threshold.celsius) == pytest.approx(32.2, abs=0.03)
    assert USDA_1H_ABOVE_90F.budget == H
    assert SALMONELLA_GROWTH.threshold == c("5.2")
    assert SALMONELLA_GROWTH.hard is False
    assert all(guard.hard for guard in GUARDS if guard is not SALMONELLA_GROWTH)
    assert all(str(guard.source) for guard in GUARDS)


def test_time_above_interpolates_the_crossings() -> None:
    # 2 -> 10 °C over 4 h crosses 5 °C at 1.5 h: 2.5 h above.
    rising = [(dt.timedelta(0), c(2)), (4 * H, c(10))]
    assert time_above(rising, c(5)) == dt.timedelta(hours=2, minutes=30)
    falling = [(dt.timedelta(0), c(10)), (4 * H, c(2))]
    assert time_above(falling, c(5)) == dt.timedelta(hours=2, minutes=30)
    # 41 °F is 5 °C exactly, whatever unit it is written in.
    assert time_above(rising, Temperature(41, "°F")) == dt.timedelta(hours=2, minutes=30)
    # Exactly at the threshold is not above it.
    assert time_above([(dt.timedelta(0), c(5)), (H, c(5))], c(5)) == dt.timedelta(0)
    # A step (two points at the same time) switches at once.
    step = [(dt.timedelta(0), c(2)), (H, c(2)), (H, c(8)), (3 * H, c(8))]
    assert time_above(step, c(5)) == 2 * H
    # A single point has no duration.
    assert time_above([(H, c(30))], c(5)) == dt.timedelta(0)


def test_time_below_finds_freezing() -> None:
    night = [(dt.timedelta(0), c(1)), (3 * H, c(-5)), (6 * H, c(1))]
    assert time_below(night, c(-2)) == 3 * H


def test_food_code_allows_exactly_four_hours() -> None:
    # 0 -> 10 °C in 1 h crosses 5 °C at 30 min; then 10 °C.
    def history(hours_warm: dt.timedelta) -> History:
        return [(dt.timedelta(0), c(0)), (H, c(10)), (H + hours_warm, c(10))]

    assert check_guards(history(dt.timedelta(hours=3, minutes=30)), [FOOD_CODE_4H]) == ()
    (breach,) = check_guards(history(dt.timedelta(hours=3, minutes=31)), [FOOD_CODE_4H])
    assert breach.time_above == dt.timedelta(hours=4, minutes=1)
    assert breach.over == dt.timedelta(minutes=1)
    assert breach.exceeded_at == dt.timedelta(hours=4, minutes=30)
    assert breach.hard
    assert "FDA Food Code 4 h above 41 °F: 4 h 1 min above 41 °F (budget 4 h)" in str(breach)


def test_the_budget_is_cumulative_across_excursions() -> None:
    # Two 90-min excursions above 40 °F: the USDA 2 h budget runs out 30 min into the second.
    history = [
        (dt.timedelta(0), c(10)),
        (90 * dt.timedelta(minutes=1), c(10)),
        (90 * dt.timedelta(minutes=1), c(2)),
        (5 * H, c(2)),
        (5 * H, c(10)),
        (8 * H, c(10)),
    ]
    breaches = {breach.guard.name: breach for breach in check_guards(history)}
    assert set(breaches) == {
        FOOD_CODE_4H.name,
        USDA_2H.name,
        SALMONELLA_GROWTH.name,
    }
    assert breaches[USDA_2H.name].time_above == dt.timedelta(hours=4, minutes=30)
    assert breaches[USDA_2H.name].exceeded_at == dt.timedelta(hours=5, minutes=30)
    assert breaches[FOOD_CODE_4H.name].exceeded_at == dt.timedelta(hours=7, minutes=30)
    assert breaches[SALMONELLA_GROWTH.name].exceeded_at == dt.timedelta(0)
    assert not breaches[SALMONELLA_GROWTH.name].hard


def test_hot_afternoon_breaks_the_one_hour_rule() -> None:
    # 30 -> 40 °C over 2 h crosses 90 °F (32.2 °C) at 26.7 min: more than 1 h above.
    hot = [(dt.timedelta(0), c(30)), (2 * H, c(40))]
    (breach,) = check_guards(hot, [USDA_1H_ABOVE_90F])
    assert breach.time_above == dt.timedelta(hours=1, minutes=33, seconds=20)
    assert breach.exceeded_at == dt.timedelta(minutes=86, seconds=40)


def test_check_guards_keeps_the_order_it_was_given() -> None:
    warm = [(dt.timedelta(0), c(20)), (10 * H, c(20))]
    names = [breach.guard.name for breach in check_guards(warm, [USDA_2H, FOOD_CODE_4H])]
    assert names == [USDA_2H.name, FOOD_CODE_4H.name]


# --- bad input ---------------------------------------------------------------------------------


def test_history_out_of_time_order() -> None:
    history = [(dt.timedelta(0), c(2)), (3 * H, c(3)), (2 * H, c(4))]
    with pytest.raises(InvalidValueError, match="history is not in time order") as caught:
        consumed(CHICKEN_BASIS, history)
    assert "point 2 at 2:00:00 comes after point 1 at 3:00:00" in str(caught.value)
    assert "sort the points" in caught.value.hint
    with pytest.raises(InvalidValueError, match="not in time order"):
        time_above(history, c(5))


@pytest.mark.parametrize(
    ("history", "message"),
    [
        ([], "the history is empty"),
        ("4 °C", "history must be a sequence"),
        (None, "history must be a sequence"),
        ([(dt.timedelta(0), 4.0)], r"history point 0: temperature must be a Temperature, got 4.0"),
        ([(dt.timedelta(0), c(2)), (3600, c(4))], "history point 1: elapsed must be a datetime"),
        ([(-H, c(2))], "history point 0: elapsed -1 day, 23:00:00 is negative"),
        ([(dt.timedelta(0), c(2), "x")], r"history point 0 must be an \(elapsed, Temperature\)"),
    ],
)
def test_bad_histories_say_what_is_wrong(history: Any, message: str) -> None:
    with pytest.raises(InvalidValueError, match=message):
        consumed(CHICKEN_BASIS, history)
    with pytest.raises(InvalidValueError, match=message):
        check_guards(history)


def test_a_basis_that_needs_at_but_has_none() -> None:
    # ShelfLife refuses this itself; a basis built with validators off still fails clearly.
    with attrs.validators.disabled():
        broken = ShelfLife(reference=5 * DAY, model=ShelfLifeModel.SQUARE_ROOT, tmin=c(-10))
    with pytest.raises(InvalidValueError, match="has no reference temperature `at`") as caught:
        relative_rate(broken, c(4))
    assert caught.value.field == "at"
    assert 'at = "4 °C"' in caught.value.hint


def test_a_basis_that_lacks_tmin_or_a_positive_slope() -> None:
    with attrs.validators.disabled():
        no_tmin = ShelfLife(reference=5 * DAY, at=c(4), model=ShelfLifeModel.SQUARE_ROOT)
    with pytest.raises(InvalidValueError, match="has no tmin"):
        shelf_life_at(no_tmin, c(4))
    backwards = exponential(90 * DAY, 20, "-0.089")
    with pytest.raises(InvalidValueError, match=r"needs a slope above zero, got -0.089"):
        consumed(backwards, [(dt.timedelta(0), c(20))])


def test_bad_arguments() -> None:
    with pytest.raises(InvalidValueError, match="basis must be a ShelfLife"):
        relative_rate("5 d at 4 °C", c(4))  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"temperature must be a Temperature, got 4.0"):
        relative_rate(CHICKEN_BASIS, 4.0)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="band must be a"):
        relative_rate(CHICKEN_BASIS, c(4), band=(0, 4))  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="has its low above its high"):
        relative_rate(CHICKEN_BASIS, c(4), band=(c(4), c(0)))
    journey = [(dt.timedelta(0), c(2))]
    with pytest.raises(InvalidValueError, match="since_production must not be negative"):
        remaining_on_arrival(CHICKEN_BASIS, journey, since_production=-H)
    with pytest.raises(InvalidValueError, match=r"since_production must be a datetime.timedelta"):
        remaining_on_arrival(CHICKEN_BASIS, journey, since_production=12)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="storage_before must be a Temperature"):
        remaining_on_arrival(
            CHICKEN_BASIS,
            journey,
            since_production=H,
            storage_before=4,  # type: ignore[arg-type]
        )
    with pytest.raises(InvalidValueError, match="guards must be Guard values"):
        check_guards(journey, ["FOOD_CODE_4H"])  # type: ignore[list-item]
    with pytest.raises(InvalidValueError, match="threshold must be a Temperature"):
        time_above(journey, 5)  # type: ignore[arg-type]


def test_a_guard_refuses_bad_values() -> None:
    source = Citation("Test Act")
    with pytest.raises(InvalidValueError, match="threshold must be a Temperature"):
        Guard("test", 5.0, H, source)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"budget must be a datetime.timedelta"):
        Guard("test", c(5), -H, source)
    with pytest.raises(InvalidValueError, match="a guard needs a name"):
        Guard(" ", c(5), H, source)
