"""Choosing a pack: box, coolant, liners, weights, costs and the reasons."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import attrs
import pytest

from ruralseller.catalog import (
    Catalog,
    LiveBirds,
    Lot,
    LotQuantity,
    Mass,
    Money,
    Species,
    StorageClass,
    Temperature,
    load_catalog,
)
from ruralseller.catalog.samples import sample_path
from ruralseller.errors import InvalidValueError, PackingError
from ruralseller.packaging import (
    BUILTIN,
    DEFAULT_RATE,
    SOUTH_CHINA_SUMMER,
    SOUTH_CHINA_WINTER,
    PackagingMaterials,
    ParcelRate,
    plan_pack,
)

SAMPLE = load_catalog(sample_path())
H48 = dt.timedelta(hours=48)


def plan(lot: str = "WJ261120A", **kwargs: object):  # type: ignore[no-untyped-def]
    kwargs.setdefault("journey", H48)
    kwargs.setdefault("ambient", SOUTH_CHINA_SUMMER)
    return plan_pack(SAMPLE, lot, **kwargs)  # type: ignore[arg-type]


class TestBlackChicken:
    def test_48_h_summer_plan_is_sensible(self) -> None:
        """A bird on a 48 h summer journey gets an insulated box and water ice, not dry ice."""
        result = plan()
        assert result.container.kind.value in {"eps", "pu", "vip"}
        assert result.coolant is not None
        assert result.coolant.kind.value in {"water_ice", "gel"}
        assert result.hold is not None
        assert result.hold.duration >= result.required_hold == dt.timedelta(hours=60)
        assert result.dry_ice is None
        assert [liner.id for liner in result.liners] == ["pe-bag-2mil", "absorbent-pad"]
        assert result.gross <= Mass(20, "kg")  # SF: at most 20 kg per piece

    def test_weights_add_up(self) -> None:
        """Gross is food + box + liners + coolant; chargeable is the larger of gross and volume."""
        result = plan()
        parts = (
            result.payload
            + result.container.empty_mass
            + sum((liner.mass for liner in result.liners), Mass(0, "g"))
            + result.coolant_mass
        )
        assert abs(result.gross.grams - parts.grams) <= 5  # rounded to 10 g
        assert result.chargeable == max(result.gross, result.dimensional)
        length, width, height = (d.in_unit("cm") for d in result.outer)
        assert abs(result.dimensional.in_unit("kg") - length * width * height / 6000) < Decimal(
            "0.01"
        )

    def test_payload_is_the_heaviest_pieces(self) -> None:
        """The food weight planned for is the heaviest piece times the pieces."""
        assert plan(pieces=3, journey=dt.timedelta(hours=12)).payload == Mass("4.2", "kg")

    def test_cheapest_total_wins(self) -> None:
        """Among feasible options the one with the lowest packaging + postage is chosen."""
        result = plan()
        costs = [o.cost for o in result.options if o.feasible]
        assert costs
        assert result.packaging_cost + result.postage == min(costs)

    def test_rejected_options_say_why(self) -> None:
        """Every rejected option carries a reason a partner can read."""
        result = plan()
        reasons = [o.reason for o in result.options if not o.feasible]
        assert any("would freeze chilled food" in r for r in reasons)  # dry ice
        assert any("not enough room for the coolant" in r for r in reasons)
        assert all(r for r in reasons)

    def test_winter_needs_less(self) -> None:
        """A winter journey costs less to pack than a summer one."""
        summer = plan(journey=dt.timedelta(hours=24))
        winter = plan(journey=dt.timedelta(hours=24), ambient=SOUTH_CHINA_WINTER)
        assert winter.packaging_cost + winter.postage <= summer.packaging_cost + summer.postage

    def test_constant_ambient(self) -> None:
        """A constant temperature is accepted instead of a profile."""
        result = plan(journey=dt.timedelta(hours=24), ambient=Temperature(25, "°C"))
        assert result.ambient.name.startswith("constant 25 °C")

    def test_notes_tell_how_to_pack(self) -> None:
        """The notes say why the box was chosen and to keep coolant off chilled meat."""
        notes = plan().notes
        assert notes[0].startswith("chose ")
        assert any("must not freeze" in note for note in notes)


class TestOtherFood:
    def test_eggs_sold_ambient_need_no_coolant(self) -> None:
        """Unwashed eggs kept at ambient go in a box with pulp trays, no coolant."""
        result = plan("WE261118")
        assert result.coolant is None
        assert result.hold is None
        assert [liner.id for liner in result.liners] == ["egg-pulp-tray-30"]

    def test_frozen_food_gets_dry_ice_and_marking(self) -> None:
        """Frozen chicken can only be held by dry ice, and the plan gives the UN1845 marking."""
        chicken = attrs.evolve(SAMPLE.products[0], storage=StorageClass.FROZEN)
        catalog = attrs.evolve(SAMPLE, products=[chicken, *SAMPLE.products[1:]])
        result = plan_pack(
            catalog, "WJ261120A", journey=dt.timedelta(hours=24), ambient=Temperature(25, "°C")
        )
        assert result.coolant is not None
        assert result.coolant.kind.value == "dry_ice"
        assert result.dry_ice is not None
        assert (
            result.dry_ice.text
            == f"UN1845 Dry ice, net {result.coolant_mass.to('kg').decimal()} kg"
        )
        assert any("vent" in note for note in result.notes)


class TestNothingWorks:
    def test_clear_error_with_every_option(self) -> None:
        """When no box can make it, the error says so and lists why each option failed."""
        only_carton = PackagingMaterials(
            containers=[BUILTIN.container("carton-40x30x30")],
            coolants=BUILTIN.coolants,
            liners=BUILTIN.liners,
        )
        with pytest.raises(PackingError, match="nothing in the packaging materials keeps") as info:
            plan(materials=only_carton)
        assert "60 h (48 h journey + 25 % margin)" in str(info.value)
        assert len(info.value.options) == 4
        assert all(not option.feasible for option in info.value.options)

    def test_live_birds_are_not_packed(self) -> None:
        """Live animals are refused with a hint."""
        birds = LiveBirds(
            id="pullets", producer="wu-family-farm", name="乌鸡苗", species=Species.CHICKEN
        )
        lot = Lot(
            id="LB1",
            product="pullets",
            production_date=dt.date(2026, 11, 20),
            quantity=LotQuantity(count=5),
        )
        catalog = Catalog(producers=SAMPLE.producers, products=[birds], lots=[lot])
        with pytest.raises(InvalidValueError, match="live animals"):
            plan_pack(catalog, "LB1", journey=H48, ambient=SOUTH_CHINA_SUMMER)

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"journey": dt.timedelta(0)}, "journey"),
            ({"pieces": 0}, "pieces"),
            ({"margin": Decimal("-0.1")}, "margin"),
            ({"divisor": 0}, "divisor"),
        ],
    )
    def test_bad_arguments(self, changes: dict[str, object], field: str) -> None:
        """Bad arguments are refused, naming the argument."""
        with pytest.raises(InvalidValueError) as info:
            plan(**changes)
        assert info.value.field == field

    def test_lot_without_piece_weights(self) -> None:
        """A lot whose piece weight is unknown cannot be planned; the hint says what to add."""
        lot = attrs.evolve(
            SAMPLE.lots[0], quantity=attrs.evolve(SAMPLE.lots[0].quantity, piece_mass=None)
        )
        offers = [o for o in SAMPLE.offers if o.lot != lot.id]
        catalog = attrs.evolve(SAMPLE, lots=[lot, *SAMPLE.lots[1:]], offers=offers)
        with pytest.raises(InvalidValueError, match="does not say what a piece weighs") as info:
            plan_pack(catalog, lot.id, journey=H48, ambient=SOUTH_CHINA_SUMMER)
        assert "piece_mass" in info.value.hint


class TestRate:
    def test_default_rate(self) -> None:
        """SF To Home: 11 CNY for the first kg, 2 CNY per started kg after."""
        assert DEFAULT_RATE.price(Mass("0.4", "kg")) == Money("11", "CNY")
        assert DEFAULT_RATE.price(Mass("1", "kg")) == Money("11", "CNY")
        assert DEFAULT_RATE.price(Mass("1.01", "kg")) == Money("13", "CNY")

    def test_expensive_postage_favours_light_boxes(self) -> None:
        """With postage dear, the pack billed for the fewest kilograms wins over a cheap box."""
        dear = ParcelRate(Money("1000", "CNY"), Money("1000", "CNY"))
        result = plan(rate=dear)
        feasible = [o for o in result.options if o.feasible]
        billed = [math.ceil(o.chargeable.in_unit("kg")) for o in feasible if o.chargeable]
        assert math.ceil(result.chargeable.in_unit("kg")) == min(billed)
        assert result.container.id != "pu-10qt-3in"  # the cheapest box at SF's rate
