"""Tests for ruralseller.catalog.lot: lots, their quantities and production records."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ruralseller.catalog.lot import (
    RECORD_KINDS,
    Chilling,
    ChillingMethod,
    HarvestRecord,
    LayingRecord,
    Lot,
    LotQuantity,
    PieceMass,
    ProcessingRecord,
    SlaughterRecord,
)
from ruralseller.catalog.place import Place
from ruralseller.catalog.product import CureProcess
from ruralseller.catalog.units import Mass, Temperature
from ruralseller.errors import InvalidValueError

LOT_HINT = (
    "a lot code goes into GS1 barcodes (AI 10): use 1 to 20 ASCII letters, digits, "
    "'-', '.', '_' or '/', starting with a letter or digit, e.g. 'WJ261120A'"
)
PRODUCTION_HINT = (
    "the production date is the day the lot was made or packed, not earlier "
    "than slaughter, laying, harvest or processing"
)
DAY = dt.date(2026, 11, 20)


def _exact(message: str) -> str:
    """A pattern matching exactly ``message``."""
    return f"^{re.escape(message)}$"


def kg(value: str) -> Mass:
    return Mass(value, "kg")


def slaughter(**changes: Any) -> SlaughterRecord:
    fields: dict[str, Any] = {
        "facility": "泰和县禽类定点屠宰场",
        "slaughtered_at": dt.datetime.fromisoformat("2026-11-20T06:30:00+08:00"),
    }
    return SlaughterRecord(**(fields | changes))


def laying(**changes: Any) -> LayingRecord:
    fields: dict[str, Any] = {"first_laid": dt.date(2026, 11, 14), "last_laid": DAY}
    return LayingRecord(**(fields | changes))


def harvest(**changes: Any) -> HarvestRecord:
    return HarvestRecord(**({"harvested_on": DAY} | changes))


def processing(**changes: Any) -> ProcessingRecord:
    fields: dict[str, Any] = {"process": CureProcess.SMOKED, "started_on": dt.date(2026, 11, 1)}
    return ProcessingRecord(**(fields | changes))


def quantity(**changes: Any) -> LotQuantity:
    fields: dict[str, Any] = {"count": 40, "piece_mass": PieceMass(min=kg("1.0"), max=kg("1.4"))}
    return LotQuantity(**(fields | changes))


def lot(**changes: Any) -> Lot:
    fields: dict[str, Any] = {
        "id": "WJ261120A",
        "product": "taihe-silkie-whole",
        "production_date": DAY,
        "best_before": dt.date(2026, 11, 25),
        "quantity": quantity(),
        "slaughter": slaughter(),
    }
    return Lot(**(fields | changes))


class TestLotCode:
    @pytest.mark.parametrize("code", ["WJ261120A", "A", "A" * 20, "lot-1.2_3/4", "7"])
    def test_valid_codes(self, code: str) -> None:
        """Codes of 1 to 20 letters, digits, '-', '.', '_' and '/' are accepted."""
        assert lot(id=code).id == code

    @pytest.mark.parametrize(
        "code", ["A" * 21, "WJ 2611", "-WJ", ".WJ", "乌鸡01", "WJ#1", "", 261120]
    )
    def test_bad_codes_are_refused(self, code: object) -> None:
        """Long codes, spaces, leading punctuation, non-ASCII and non-text are refused."""
        with pytest.raises(
            InvalidValueError, match=_exact(f"{code!r} is not a valid lot code")
        ) as info:
            lot(id=code)
        assert info.value.field == "id"
        assert info.value.hint == LOT_HINT

    def test_trailing_newline_is_refused(self) -> None:
        """A code with a trailing newline is not a valid lot code (it would go into a barcode)."""
        with pytest.raises(InvalidValueError, match="is not a valid lot code"):
            lot(id="WJ261120A\n")

    def test_product_must_be_an_id(self) -> None:
        """A lot names its product by a valid id."""
        with pytest.raises(InvalidValueError, match=_exact("'鸡' is not a valid id")) as info:
            lot(product="鸡")
        assert info.value.field == "product"


class TestLotRules:
    def test_valid_lot(self) -> None:
        """A lot with one record, in date order, is accepted and its record is found."""
        made = lot(images=["images/lot.jpg"], notes="to order")
        assert made.record == slaughter()
        assert made.record_kind == "slaughter"
        assert made.images == ("images/lot.jpg",)

    @pytest.mark.parametrize(
        ("record", "value"),
        [
            ("slaughter", slaughter()),
            ("laying", laying()),
            ("harvest", harvest()),
            ("processing", processing()),
        ],
    )
    def test_record_and_kind(self, record: str, value: object) -> None:
        """Whichever record a lot has is its record, named by its field."""
        made = lot(**{"slaughter": None, record: value})
        assert made.record == value
        assert made.record_kind == record

    def test_lot_without_record(self) -> None:
        """A lot may have no record (live birds, some packaged food)."""
        made = lot(slaughter=None)
        assert made.record is None
        assert made.record_kind is None

    def test_record_kinds(self) -> None:
        """The record fields are slaughter, laying, harvest and processing."""
        assert RECORD_KINDS == ("slaughter", "laying", "harvest", "processing")

    @pytest.mark.parametrize(
        ("records", "field", "named"),
        [
            ({"laying": laying()}, "laying", "slaughter and laying"),
            ({"processing": processing()}, "processing", "slaughter and processing"),
            (
                {"harvest": harvest(), "laying": laying()},
                "laying",
                "slaughter and laying and harvest",
            ),
        ],
    )
    def test_two_records_are_refused(self, records: dict[str, Any], field: str, named: str) -> None:
        """A lot with more than one record is refused, pointing at the second."""
        with pytest.raises(
            InvalidValueError, match=_exact(f"a lot has one record, but this one has {named}")
        ) as info:
            lot(**records)
        assert info.value.field == field
        assert info.value.hint == "keep the record that fits the product's kind"

    @pytest.mark.parametrize("best_before", [DAY, dt.date(2026, 11, 1)])
    def test_best_before_must_be_after_production(self, best_before: dt.date) -> None:
        """A best-before date on or before the production date is refused."""
        with pytest.raises(
            InvalidValueError,
            match=_exact(f"best_before {best_before} is not after the production date 2026-11-20"),
        ) as info:
            lot(best_before=best_before)
        assert info.value.field == "best_before"

    def test_best_before_may_be_left_out(self) -> None:
        """A lot need not have a best-before date yet."""
        assert lot(best_before=None).best_before is None

    @pytest.mark.parametrize(
        ("record", "value", "day"),
        [
            ("slaughter", slaughter(), "2026-11-20"),
            ("laying", laying(), "2026-11-20"),
            ("harvest", harvest(harvest_ended_on=dt.date(2026, 11, 22)), "2026-11-22"),
            ("processing", processing(finished_on=dt.date(2026, 11, 21)), "2026-11-21"),
        ],
    )
    def test_production_date_not_before_the_record(
        self, record: str, value: object, day: str
    ) -> None:
        """The production date may not be earlier than the record's last day."""
        with pytest.raises(
            InvalidValueError,
            match=_exact(f"production_date 2026-11-19 is before the {record} record's day {day}"),
        ) as info:
            lot(
                **{"slaughter": None, record: value},
                production_date=dt.date(2026, 11, 19),
                best_before=None,
            )
        assert info.value.field == "production_date"
        assert info.value.hint == PRODUCTION_HINT

    def test_slaughter_day_is_local(self) -> None:
        """The slaughter day is the date in the plant's own time zone, not in UTC."""
        late = slaughter(slaughtered_at=dt.datetime.fromisoformat("2026-11-20T23:30:00+08:00"))
        assert late.day == DAY
        assert lot(slaughter=late).production_date == DAY


class TestPieceMass:
    def test_fixed(self) -> None:
        """A nominal mass alone is a fixed piece mass."""
        piece = PieceMass(nominal=kg("1.25"))
        assert not piece.variable
        assert piece.lightest == piece.heaviest == kg("1.25")

    def test_variable(self) -> None:
        """Different min and max make a variable piece mass."""
        piece = PieceMass(min=kg("1.0"), max=kg("1.4"))
        assert piece.variable
        assert piece.lightest == kg("1.0")
        assert piece.heaviest == kg("1.4")

    def test_equal_bounds_in_other_units_are_not_variable(self) -> None:
        """1 kg and 2 jin are the same mass, so the pieces do not vary."""
        assert not PieceMass(min=kg("1"), max=Mass(2, "jin")).variable

    def test_min_and_max_win_over_nominal(self) -> None:
        """With all three given, the lightest and heaviest come from min and max."""
        piece = PieceMass(nominal=kg("1.2"), min=kg("1.0"), max=kg("1.4"))
        assert (piece.lightest, piece.heaviest) == (kg("1.0"), kg("1.4"))

    @pytest.mark.parametrize("given_", [{}, {"min": kg("1")}, {"max": kg("1")}])
    def test_needs_nominal_or_both_bounds(self, given_: dict[str, Mass]) -> None:
        """A piece mass without nominal needs both min and max."""
        with pytest.raises(
            InvalidValueError, match=_exact("a piece mass needs nominal, or both min and max")
        ) as info:
            PieceMass(**given_)
        assert info.value.field == "nominal"
        assert info.value.hint == 'write e.g. piece_mass = { min = "1.0 kg", max = "1.4 kg" }'

    def test_min_above_max_is_refused(self) -> None:
        """min must not be above max."""
        with pytest.raises(InvalidValueError, match=_exact("min 1.5 kg is above max 1 kg")) as info:
            PieceMass(min=kg("1.5"), max=kg("1"))
        assert info.value.field == "min"

    def test_nominal_above_max_is_refused(self) -> None:
        """nominal must not be above max."""
        with pytest.raises(
            InvalidValueError, match=_exact("nominal 1.5 kg is above max 1 kg")
        ) as info:
            PieceMass(nominal=kg("1.5"), max=kg("1"))
        assert info.value.field == "nominal"

    def test_min_above_nominal_is_refused(self) -> None:
        """min must not be above nominal."""
        with pytest.raises(
            InvalidValueError, match=_exact("min 1.5 kg is after nominal 1.2 kg")
        ) as info:
            PieceMass(nominal=kg("1.2"), min=kg("1.5"), max=kg("2"))
        assert info.value.field == "min"

    @pytest.mark.parametrize(
        ("given_", "field"),
        [
            ({"nominal": kg("0")}, "nominal"),
            ({"min": kg("0"), "max": kg("1")}, "min"),
            ({"min": kg("0"), "max": kg("0")}, "min"),
        ],
    )
    def test_zero_masses_are_refused(self, given_: dict[str, Mass], field: str) -> None:
        """A piece that weighs nothing is refused."""
        with pytest.raises(InvalidValueError, match=_exact(f"{field} must be above zero")) as info:
            PieceMass(**given_)
        assert info.value.field == field


class TestLotQuantity:
    def test_count_only(self) -> None:
        """A count alone is a quantity, but its total mass is unknown."""
        assert LotQuantity(count=40).mass_range() is None

    def test_net_mass_only(self) -> None:
        """A net mass alone is a quantity, and it is the total mass."""
        assert LotQuantity(net_mass=kg("50")).mass_range() == (kg("50"), kg("50"))

    def test_mass_range_from_piece_mass(self) -> None:
        """Count times the lightest and heaviest piece bound the total mass."""
        assert quantity().mass_range() == (kg("40"), kg("56"))

    def test_net_mass_wins_over_piece_mass(self) -> None:
        """A weighed net mass is the total, even with a piece mass."""
        assert quantity(net_mass=kg("48")).mass_range() == (kg("48"), kg("48"))

    @pytest.mark.parametrize("net", ["40", "48.5", "56"])
    def test_net_mass_within_piece_bounds(self, net: str) -> None:
        """A net mass from count × min to count × max, both included, is accepted."""
        assert quantity(net_mass=kg(net)).net_mass == kg(net)

    def test_needs_count_or_net_mass(self) -> None:
        """An empty quantity is refused, with examples of both ways to write one."""
        with pytest.raises(
            InvalidValueError,
            match=_exact("a lot's quantity needs a count, a net mass, or both"),
        ) as info:
            LotQuantity()
        assert info.value.field == "count"
        assert info.value.hint == (
            'write e.g. quantity = { count = 40 } or quantity = { net_mass = "50 kg" }'
        )

    def test_zero_net_mass_is_refused(self) -> None:
        """A net mass of nothing is refused."""
        with pytest.raises(InvalidValueError, match=_exact("net_mass must be above zero")) as info:
            LotQuantity(net_mass=kg("0"))
        assert info.value.field == "net_mass"

    def test_piece_mass_needs_count(self) -> None:
        """A piece mass means nothing without a count of pieces."""
        with pytest.raises(
            InvalidValueError, match=_exact("piece_mass needs a count of pieces")
        ) as info:
            LotQuantity(net_mass=kg("10"), piece_mass=PieceMass(nominal=kg("1")))
        assert info.value.field == "count"

    @pytest.mark.parametrize(("net", "shown"), [("60", "60 kg"), ("39.9", "39.9 kg")])
    def test_net_mass_must_fit_the_pieces(self, net: str, shown: str) -> None:
        """A net mass outside count × min..max is refused, with the range it should be in."""
        with pytest.raises(
            InvalidValueError,
            match=_exact(f"net_mass {shown} does not fit 40 pieces of 1 kg to 1.4 kg"),
        ) as info:
            quantity(net_mass=kg(net))
        assert info.value.field == "net_mass"
        assert info.value.hint == (
            "it should be between 40 kg and 56 kg; check the count and weights"
        )

    @pytest.mark.parametrize("count", [0, -1, "40"])
    def test_count_must_be_a_positive_whole_number(self, count: object) -> None:
        """The count is a whole number above zero."""
        with pytest.raises(
            InvalidValueError,
            match=_exact(f"count must be a whole number above zero, got {count!r}"),
        ) as info:
            LotQuantity(count=count)  # type: ignore[arg-type]
        assert info.value.field == "count"

    @given(
        st.integers(min_value=1, max_value=500),
        st.integers(min_value=1, max_value=5000),
        st.integers(min_value=0, max_value=5000),
    )
    def test_mass_range_is_count_times_the_bounds(self, count: int, low: int, spread: int) -> None:
        """For any count and bounds, the range is count × min to count × max, in order."""
        piece = PieceMass(min=Mass(low, "g"), max=Mass(low + spread, "g"))
        found = LotQuantity(count=count, piece_mass=piece).mass_range()
        assert found == (Mass(count * low, "g"), Mass(count * (low + spread), "g"))
        assert found[0] <= found[1]


class TestRecords:
    def test_slaughter_record(self) -> None:
        """A full slaughter record keeps every paper and the chilling."""
        record = slaughter(
            facility_licence="B36082601",
            facility_place=Place(country="CN", county="泰和县"),
            birds=40,
            quarantine_certificate="3608261120000123",
            inspection_certificate="JX-TH-2026-112001",
            chilling=Chilling(
                method=ChillingMethod.AIR,
                core_temperature=Temperature(4, "°C"),
                within=dt.timedelta(hours=4),
            ),
        )
        assert record.day == DAY
        assert record.chilling is not None
        assert record.chilling.method is ChillingMethod.AIR

    def test_slaughter_time_needs_a_time_zone(self) -> None:
        """A slaughter time without a UTC offset is refused, with an example offset."""
        with pytest.raises(
            InvalidValueError, match=_exact("slaughtered_at 2026-11-20T06:30:00 has no time zone")
        ) as info:
            slaughter(slaughtered_at=dt.datetime.fromisoformat("2026-11-20T06:30:00"))
        assert info.value.field == "slaughtered_at"
        assert info.value.hint == (
            "add the UTC offset, e.g. 2026-11-20T06:30:00+08:00 for China Standard Time"
        )

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("facility", " ", "facility must not be empty"),
            ("facility_licence", "", "facility_licence must not be empty"),
            ("quarantine_certificate", "", "quarantine_certificate must not be empty"),
            ("inspection_certificate", " ", "inspection_certificate must not be empty"),
            ("birds", 0, "birds must be a whole number above zero, got 0"),
        ],
    )
    def test_slaughter_fields(self, field: str, value: object, message: str) -> None:
        """Blank papers and a bird count of zero are refused."""
        with pytest.raises(InvalidValueError, match=_exact(message)) as info:
            slaughter(**{field: value})
        assert info.value.field == field

    def test_laying_order(self) -> None:
        """The first egg cannot be laid after the last."""
        with pytest.raises(
            InvalidValueError, match=_exact("first_laid 2026-11-21 is after last_laid 2026-11-20")
        ) as info:
            laying(first_laid=dt.date(2026, 11, 21))
        assert info.value.field == "first_laid"

    def test_laying_day_is_the_last_egg(self) -> None:
        """A laying record's day is the day the newest egg was laid."""
        assert laying(flock="north hill house").day == DAY

    def test_harvest_order(self) -> None:
        """A harvest cannot end before it starts."""
        with pytest.raises(
            InvalidValueError,
            match=_exact("harvested_on 2026-11-20 is after harvest_ended_on 2026-11-19"),
        ) as info:
            harvest(harvest_ended_on=dt.date(2026, 11, 19))
        assert info.value.field == "harvested_on"

    def test_harvest_day(self) -> None:
        """A harvest's day is its last day, or its only day."""
        assert harvest().day == DAY
        assert harvest(harvest_ended_on=dt.date(2026, 11, 22), plot="东坡").day == dt.date(
            2026, 11, 22
        )

    def test_processing_order(self) -> None:
        """Processing cannot finish before it starts."""
        with pytest.raises(
            InvalidValueError,
            match=_exact("started_on 2026-11-01 is after finished_on 2026-10-31"),
        ) as info:
            processing(finished_on=dt.date(2026, 10, 31))
        assert info.value.field == "started_on"

    def test_processing_day(self) -> None:
        """A processing record's day is when it finished, else when it started."""
        assert processing().day == dt.date(2026, 11, 1)
        assert processing(finished_on=dt.date(2026, 11, 15)).day == dt.date(2026, 11, 15)

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("salt_percent", Decimal(101), "salt_percent must be from 0 to 100, got 101"),
            ("salt_percent", Decimal(-1), "salt_percent must be from 0 to 100, got -1"),
            ("water_activity", Decimal("1.2"), "water_activity must be from 0 to 1, got 1.2"),
            ("water_activity", Decimal("-0.1"), "water_activity must be from 0 to 1, got -0.1"),
        ],
    )
    def test_processing_measurements_in_range(
        self, field: str, value: Decimal, message: str
    ) -> None:
        """Salt is a percentage and water activity a fraction; values outside are refused."""
        with pytest.raises(InvalidValueError, match=_exact(message)) as info:
            processing(**{field: value})
        assert info.value.field == field

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("salt_percent", Decimal(0)),
            ("salt_percent", Decimal(100)),
            ("water_activity", Decimal(0)),
            ("water_activity", Decimal(1)),
        ],
    )
    def test_processing_measurement_bounds_are_accepted(self, field: str, value: Decimal) -> None:
        """The ends of each range are allowed."""
        assert getattr(processing(**{field: value}), field) == value
