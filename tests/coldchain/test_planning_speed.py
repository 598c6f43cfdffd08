"""What the cold-chain planning speed-ups (issue 13) must not change.

A history given as a tuple is read once for the several questions a planner asks of it; the
time above or below a threshold stays exact; a plan for many destinations gives each the
options a plan of its own gives it; the day/night ambient reads as its formula.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ruralseller.catalog import Temperature, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.coldchain import CHINA_STANDARD_TIME, plan_shipment
from ruralseller.coldchain import shelf_life as shelf_life_module
from ruralseller.coldchain.shelf_life import (
    FOOD_CODE_4H,
    GUARDS,
    check_guards,
    time_above,
    time_below,
)
from ruralseller.packaging.thermal import SOUTH_CHINA_SUMMER, SOUTH_CHINA_WINTER, AmbientProfile

# --- the exact interval rule the planner used before (Fractions throughout) -----------------


def _reference_beyond(
    history: list[tuple[dt.timedelta, Temperature]], threshold: Temperature, *, above: bool
) -> dt.timedelta:
    sign = 1 if above else -1
    limit = threshold.celsius
    total = Fraction(0)
    for (e0, c0), (e1, c1) in itertools.pairwise(history):
        d0, d1 = sign * (c0.celsius - limit), sign * (c1.celsius - limit)
        t0 = Fraction(e0 // dt.timedelta(microseconds=1))
        t1 = Fraction(e1 // dt.timedelta(microseconds=1))
        if t0 == t1 or (d0 <= 0 and d1 <= 0):
            continue
        if d0 > 0 and d1 > 0:
            total += t1 - t0
        elif d0 > 0:
            total += (t1 - t0) * d0 / (d0 - d1)
        else:
            total += (t1 - t0) * d1 / (d1 - d0)
    return dt.timedelta(microseconds=round(total))


_temperatures = st.one_of(
    st.decimals(min_value=-30, max_value=45, places=2).map(lambda d: Temperature(d, "°C")),
    st.integers(min_value=0, max_value=110).map(lambda f: Temperature(f, "°F")),
)
_histories = st.lists(
    st.tuples(st.integers(min_value=0, max_value=4 * 3600 * 1_000_000), _temperatures),
    min_size=1,
    max_size=30,
).map(
    lambda steps: [
        (dt.timedelta(microseconds=sum(gap for gap, _ in steps[: index + 1])), temperature)
        for index, (_, temperature) in enumerate(steps)
    ]
)
_thresholds = st.sampled_from(
    [
        Temperature(41, "°F"),
        Temperature(40, "°F"),
        Temperature("5.2", "°C"),
        Temperature(0, "°C"),
        Temperature("-2", "°C"),
        Temperature("277.15", "K"),
    ]
)


@settings(max_examples=300, deadline=None)
@given(history=_histories, threshold=_thresholds)
def test_time_beyond_is_the_exact_rule(
    history: list[tuple[dt.timedelta, Temperature]], threshold: Temperature
) -> None:
    for given_as in (list(history), tuple(history)):
        assert time_above(given_as, threshold) == _reference_beyond(history, threshold, above=True)
        assert time_below(given_as, threshold) == _reference_beyond(history, threshold, above=False)


@settings(max_examples=100, deadline=None)
@given(history=_histories)
def test_guards_see_the_exact_time_above(history: list[tuple[dt.timedelta, Temperature]]) -> None:
    for breach in check_guards(tuple(history), GUARDS):
        assert breach.time_above == _reference_beyond(history, breach.guard.threshold, above=True)
        assert breach.time_above > breach.guard.budget
        assert dt.timedelta(0) <= breach.exceeded_at <= history[-1][0]


# --- a history read once ------------------------------------------------------------------


def _journey() -> tuple[tuple[dt.timedelta, Temperature], ...]:
    return tuple(
        (dt.timedelta(minutes=30 * step), Temperature(step % 12, "°C")) for step in range(40)
    )


def test_a_tuple_history_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[int] = []
    real = shelf_life_module._read_history

    def counted(history: object) -> Any:
        reads.append(1)
        return real(history)

    monkeypatch.setattr(shelf_life_module, "_read_history", counted)
    history = _journey()
    above = time_above(history, Temperature(5, "°C"))
    below = time_below(history, Temperature(1, "°C"))
    breaches = check_guards(history, [FOOD_CODE_4H])
    assert len(reads) == 1
    assert above == _reference_beyond(list(history), Temperature(5, "°C"), above=True)
    assert below == _reference_beyond(list(history), Temperature(1, "°C"), above=False)
    assert [b.guard for b in breaches] == [FOOD_CODE_4H]


def test_a_list_history_is_read_every_time() -> None:
    history = list(_journey())
    before = time_above(history, Temperature(5, "°C"))
    history[:] = [(elapsed, Temperature(0, "°C")) for elapsed, _ in history]
    assert before > dt.timedelta(0)
    assert time_above(history, Temperature(5, "°C")) == dt.timedelta(0)


def test_an_equal_new_tuple_gives_the_same_answer() -> None:
    first = _journey()
    second = first[:1] + first[1:]
    assert second is not first
    assert time_above(first, Temperature(5, "°C")) == time_above(second, Temperature(5, "°C"))


def test_a_bad_history_is_refused_every_time() -> None:
    bad = ((dt.timedelta(hours=1), Temperature(1, "°C")), (dt.timedelta(0), Temperature(1, "°C")))
    for _ in range(2):
        with pytest.raises(ValueError, match="time order"):
            time_above(bad, Temperature(5, "°C"))


# --- sharing between destinations ---------------------------------------------------------


def test_shared_plan_gives_each_destination_its_own_answer() -> None:
    catalog = load_catalog(sample_path())
    ship_at = dt.datetime(2026, 11, 21, 8, tzinfo=CHINA_STANDARD_TIME)
    cities = ["广州", "深圳", "上海", "北京", "乌鲁木齐", "长沙", "南昌", "成都"]
    together = plan_shipment(catalog, "WJ261120A", cities, ship_at).to_dict()["destinations"]
    alone = [
        plan_shipment(catalog, "WJ261120A", [city], ship_at).to_dict()["destinations"][0]
        for city in cities
    ]
    assert together == alone


# --- the ambient read by its formula --------------------------------------------------------


@pytest.mark.parametrize("profile", [SOUTH_CHINA_SUMMER, SOUTH_CHINA_WINTER])
def test_day_night_ambient_is_its_formula(profile: AmbientProfile) -> None:
    assert profile.mean is not None
    mean = float(profile.mean.celsius)
    for seconds in (0.0, 900.0, 25_200.0, 43_210.5, 259_200.0):
        clock = profile.starts_at.hour * 3600.0 + seconds - profile.warmest_at.hour * 3600.0
        expected = mean + float(profile.amplitude) * math.cos(2 * math.pi * clock / 86400.0)
        assert profile.celsius_at(seconds) == expected


def test_constant_ambient_is_its_mean() -> None:
    profile = AmbientProfile.constant(Temperature(23, "°C"), dt.timedelta(hours=24))
    assert profile.celsius_at(0.0) == profile.celsius_at(3600.0) == 23.0
