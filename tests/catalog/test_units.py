"""Tests for ruralseller.catalog.units: exact quantities, their units, and durations."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import (
    amounts,
    decimals_text,
    durations,
    length_units,
    lengths,
    mass_units,
    masses,
    temperature_units,
    temperatures,
    unit_spellings,
)

from ruralseller.catalog.units import (
    Length,
    LengthUnit,
    Mass,
    MassUnit,
    Temperature,
    TemperatureUnit,
    format_duration,
    parse_duration,
)
from ruralseller.errors import QuantityError, RuralSellerError

MASS_CODES = "g, kg, t, lb, oz, jin, liang, jin_tw, liang_tw, catty_hk, tael_hk"
LENGTH_CODES = "mm, cm, m, km, in, ft, chi, cun"
linear_quantities = st.one_of(masses(), lengths())


def same_kind_pairs() -> st.SearchStrategy[tuple[Mass, Mass] | tuple[Length, Length]]:
    return st.one_of(st.tuples(masses(), masses()), st.tuples(lengths(), lengths()))


def _msg(text: str) -> str:
    return re.escape(text)


class TestExactValues:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (3, Fraction(3)),
            ("2.4", Fraction(12, 5)),
            (" 2.4 ", Fraction(12, 5)),
            ("1e3", Fraction(1000)),
            (".5", Fraction(1, 2)),
            ("1/3", Fraction(1, 3)),
            (" 2 / 6 ", Fraction(1, 3)),
            (Decimal("0.1"), Fraction(1, 10)),
            (Fraction(2, 7), Fraction(2, 7)),
        ],
    )
    def test_exact_inputs_are_kept_exactly(self, value: object, expected: Fraction) -> None:
        """Ints, numeric strings, Decimals and Fractions become the exact fraction they denote."""
        assert Mass(value, "kg").value == expected

    @given(decimals_text())
    def test_decimal_text_is_exact(self, text: str) -> None:
        """Any plain decimal text is read without rounding, however many digits it has."""
        assert Mass(text, "g").value == Fraction(Decimal(text))

    def test_float_is_refused_with_a_hint(self) -> None:
        """A float is refused, and the message says to pass the same digits as a string."""
        with pytest.raises(
            QuantityError,
            match=_msg(
                "value 0.1 is a float; floats are not exact. "
                "Pass a string such as '0.1' or a Decimal instead."
            ),
        ):
            Mass(0.1, "kg")

    def test_bool_is_refused(self) -> None:
        """True is not a quantity even though it is an int."""
        with pytest.raises(QuantityError, match=_msg("value must be a number, not True")):
            Mass(True, "kg")

    @pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
    def test_non_finite_decimal_is_refused(self, value: Decimal) -> None:
        """NaN and infinite Decimals are refused."""
        with pytest.raises(
            QuantityError, match=_msg(f"value must be a finite number, not {value}")
        ):
            Mass(value, "kg")

    @pytest.mark.parametrize("text", ["", "abc", "1.2.3", "1,5", "1 kg", "--1", "1/", "1/2/3"])
    def test_malformed_number_text_is_refused(self, text: str) -> None:
        """Text that is not a number is refused with an example of how to write one."""
        with pytest.raises(
            QuantityError, match=_msg(f"value {text!r} is not a number; write it like '1.25'")
        ):
            Mass(text, "kg")

    def test_fraction_text_dividing_by_zero_is_refused(self) -> None:
        """A fraction written with a zero denominator is refused."""
        with pytest.raises(QuantityError, match=_msg("value '1/0' divides by zero")):
            Mass("1/0", "kg")

    def test_other_types_are_refused(self) -> None:
        """Anything that is not a number or text is refused, naming its type."""
        with pytest.raises(QuantityError, match=_msg("value must be a number, not NoneType None")):
            Mass(None, "kg")


class TestUnits:
    @pytest.mark.parametrize(
        ("spelling", "unit"),
        [
            ("g", MassUnit.G),
            ("克", MassUnit.G),
            ("grams", MassUnit.G),
            ("kg", MassUnit.KG),
            ("KG", MassUnit.KG),
            ("公斤", MassUnit.KG),
            ("千克", MassUnit.KG),
            ("吨", MassUnit.T),
            ("Pounds", MassUnit.LB),
            ("LBS", MassUnit.LB),
            ("ounce", MassUnit.OZ),
            ("斤", MassUnit.JIN),
            ("市斤", MassUnit.JIN),
            ("jin_cn", MassUnit.JIN),
            ("JIN", MassUnit.JIN),
            ("Jin", MassUnit.JIN),
            ("两", MassUnit.LIANG),
            ("市两", MassUnit.LIANG),
            ("liang_cn", MassUnit.LIANG),
            ("台斤", MassUnit.JIN_TW),
            ("JIN_TW", MassUnit.JIN_TW),
            ("台两", MassUnit.LIANG_TW),
            ("台兩", MassUnit.LIANG_TW),
            ("司馬斤", MassUnit.CATTY_HK),
            ("司马斤", MassUnit.CATTY_HK),
            ("catty", MassUnit.CATTY_HK),
            ("jin_hk", MassUnit.CATTY_HK),
            ("司馬兩", MassUnit.TAEL_HK),
            ("司马两", MassUnit.TAEL_HK),
            ("tael", MassUnit.TAEL_HK),
            ("liang_hk", MassUnit.TAEL_HK),
            (" kg ", MassUnit.KG),
        ],
    )
    def test_mass_spellings(self, spelling: str, unit: MassUnit) -> None:
        """Every code, symbol and alias of a mass unit is accepted, in any case."""
        assert MassUnit.coerce(spelling) is unit
        assert Mass.parse(f"1 {spelling}").unit is unit

    @pytest.mark.parametrize(
        ("spelling", "unit"),
        [
            ("毫米", LengthUnit.MM),
            ("millimeters", LengthUnit.MM),
            ("厘米", LengthUnit.CM),
            ("CM", LengthUnit.CM),
            ("米", LengthUnit.M),
            ("Metres", LengthUnit.M),
            ("公里", LengthUnit.KM),
            ("千米", LengthUnit.KM),
            ("inches", LengthUnit.IN),
            ("feet", LengthUnit.FT),
            ("尺", LengthUnit.CHI),
            ("市尺", LengthUnit.CHI),
            ("寸", LengthUnit.CUN),
            ("市寸", LengthUnit.CUN),
        ],
    )
    def test_length_spellings(self, spelling: str, unit: LengthUnit) -> None:
        """Every code, symbol and alias of a length unit is accepted, in any case."""
        assert LengthUnit.coerce(spelling) is unit
        assert Length.parse(f"1 {spelling}").unit is unit

    @pytest.mark.parametrize(
        ("spelling", "unit"),
        [
            ("°C", TemperatureUnit.C),
            ("℃", TemperatureUnit.C),
            ("C", TemperatureUnit.C),
            ("c", TemperatureUnit.C),
            ("degC", TemperatureUnit.C),
            ("Celsius", TemperatureUnit.C),
            ("摄氏度", TemperatureUnit.C),
            ("°F", TemperatureUnit.F),
            ("℉", TemperatureUnit.F),
            ("degF", TemperatureUnit.F),
            ("DEGF", TemperatureUnit.F),
            ("fahrenheit", TemperatureUnit.F),
            ("K", TemperatureUnit.K),
            ("k", TemperatureUnit.K),
            ("Kelvin", TemperatureUnit.K),
        ],
    )
    def test_temperature_spellings(self, spelling: str, unit: TemperatureUnit) -> None:
        """Every code, symbol and alias of a temperature unit is accepted, in any case."""
        assert TemperatureUnit.coerce(spelling) is unit
        assert Temperature.parse(f"300 {spelling}").unit is unit

    @given(
        st.one_of(
            unit_spellings(MassUnit),
            unit_spellings(LengthUnit),
            unit_spellings(TemperatureUnit),
        )
    )
    def test_any_listed_spelling_in_any_case_coerces(
        self,
        drawn: tuple[str, MassUnit] | tuple[str, LengthUnit] | tuple[str, TemperatureUnit],
    ) -> None:
        """Every spelling in the lookup table finds its unit, in any case and padded."""
        spelling, unit = drawn
        assert type(unit).coerce(spelling) is unit

    @given(st.one_of(mass_units(), length_units(), temperature_units()))
    def test_unit_coerces_to_itself_and_by_code_and_symbol(
        self, unit: MassUnit | LengthUnit | TemperatureUnit
    ) -> None:
        """A unit, its code and its symbol all coerce to the unit itself."""
        unit_type = type(unit)
        assert unit_type.coerce(unit) is unit
        assert unit_type.coerce(unit.code) is unit
        assert unit_type.coerce(unit.symbol) is unit
        assert unit.code == unit.value
        assert unit.description

    def test_codes_and_symbols(self) -> None:
        """Codes are what catalogue files hold; symbols are what labels show."""
        assert (MassUnit.JIN.code, MassUnit.JIN.symbol) == ("jin", "斤")
        assert (MassUnit.JIN_TW.code, MassUnit.JIN_TW.symbol) == ("jin_tw", "台斤")
        assert (MassUnit.CATTY_HK.code, MassUnit.CATTY_HK.symbol) == ("catty_hk", "司馬斤")
        assert (TemperatureUnit.C.code, TemperatureUnit.C.symbol) == ("°C", "°C")
        assert (LengthUnit.CHI.code, LengthUnit.CHI.symbol) == ("chi", "尺")

    @pytest.mark.parametrize(
        ("unit_type", "message"),
        [
            (MassUnit, f"unknown mass unit 'kilo'; use one of: {MASS_CODES}"),
            (LengthUnit, f"unknown length unit 'kilo'; use one of: {LENGTH_CODES}"),
            (TemperatureUnit, "unknown temperature unit 'kilo'; use one of: °C, °F, K"),
        ],
    )
    def test_unknown_unit_lists_known_codes(
        self, unit_type: type[MassUnit | LengthUnit | TemperatureUnit], message: str
    ) -> None:
        """An unknown unit is refused with the list of codes to use instead."""
        with pytest.raises(QuantityError, match=_msg(message)):
            unit_type.coerce("kilo")

    def test_unit_of_another_dimension_is_refused(self) -> None:
        """A length unit is not a mass unit, even as an enum member."""
        with pytest.raises(QuantityError, match=_msg("unknown mass unit <LengthUnit.M: 'm'>")):
            Mass(1, LengthUnit.M)

    def test_non_text_unit_is_refused(self) -> None:
        """A unit given as something other than text or a member is refused."""
        with pytest.raises(
            QuantityError, match=_msg(f"unknown length unit 3; use one of: {LENGTH_CODES}")
        ):
            Length(1, 3)


class TestFixedPoints:
    @pytest.mark.parametrize(
        ("left", "right"),
        [
            ("1 jin", "500 g"),
            ("1 斤", "0.5 kg"),
            ("1 台斤", "600 g"),
            ("1 catty_hk", "604.78982 g"),
            ("1 lb", "453.59237 g"),
            ("16 oz", "1 lb"),
            ("10 liang", "1 jin"),
            ("16 liang_tw", "1 jin_tw"),
            ("16 tael_hk", "1 catty_hk"),
            ("1 kg", "1000 g"),
            ("1 t", "1000 kg"),
            ("5 jin", "2.5 kg"),
        ],
    )
    def test_mass_fixed_points(self, left: str, right: str) -> None:
        """Statutory definitions hold exactly, in both directions."""
        assert Mass.parse(left) == Mass.parse(right)
        assert Mass.parse(left).to(Mass.parse(right).unit) == Mass.parse(right)
        assert Mass.parse(left).to(Mass.parse(right).unit).value == Mass.parse(right).value

    @pytest.mark.parametrize(
        ("left", "right"),
        [
            ("1 in", "2.54 cm"),
            ("1 ft", "12 in"),
            ("1 ft", "0.3048 m"),
            ("3 chi", "1 m"),
            ("10 cun", "1 chi"),
            ("1 km", "1000000 mm"),
        ],
    )
    def test_length_fixed_points(self, left: str, right: str) -> None:
        """Length definitions hold exactly, including the 1/3 m 市尺."""
        assert Length.parse(left) == Length.parse(right)
        assert Length.parse(left).to(Length.parse(right).unit).value == Length.parse(right).value

    @pytest.mark.parametrize(
        ("left", "right"),
        [
            ("-40 °F", "-40 °C"),
            ("32 °F", "0 °C"),
            ("0 °C", "273.15 K"),
            ("212 °F", "100 °C"),
            ("41 °F", "5 °C"),
            ("-459.67 °F", "0 K"),
        ],
    )
    def test_temperature_fixed_points(self, left: str, right: str) -> None:
        """Known equal temperatures are equal, and convert to exactly each other."""
        assert Temperature.parse(left) == Temperature.parse(right)
        assert Temperature.parse(left).to(Temperature.parse(right).unit).value == (
            Temperature.parse(right).value
        )

    def test_named_accessors(self) -> None:
        """grams, metres, celsius and kelvin give exact numbers in the SI unit."""
        assert Mass.parse("2.4 jin").grams == 1200
        assert Length.parse("1 chi").metres == Fraction(1, 3)
        assert Temperature.parse("40 °F").celsius == Fraction(40, 9)
        assert Temperature.parse("0 °C").kelvin == Fraction("273.15")


class TestConversion:
    @given(linear_quantities, st.data())
    def test_conversion_is_exact(self, quantity: Mass | Length, data: st.DataObject) -> None:
        """Converting to any unit keeps the amount and hash, and converting back gives the value."""
        target = data.draw(st.sampled_from(type(quantity.unit)))
        converted = quantity.to(target)
        back = converted.to(quantity.unit)
        assert back == quantity
        assert back.value == quantity.value
        assert back.unit is quantity.unit
        assert converted == quantity
        assert converted.base == quantity.base
        assert converted.unit is target
        assert quantity.in_unit(target) == converted.value
        assert hash(converted) == hash(quantity)

    @given(temperatures(), temperature_units())
    def test_temperature_round_trips_exactly(
        self, temp: Temperature, unit: TemperatureUnit
    ) -> None:
        """Converting a temperature to any unit, or through F, C and K, and back is exact."""
        back = temp.to(unit).to(temp.unit)
        assert back == temp
        assert back.value == temp.value
        assert back.unit is temp.unit
        assert temp.to("°F").to("°C").to("K").to(temp.unit).value == temp.value
        assert temp.to("K").value == temp.kelvin
        assert temp.to("°C").value == temp.celsius

    def test_conversion_accepts_spellings(self) -> None:
        """to() takes any spelling of the target unit."""
        assert Mass(3, "kg").to("台斤").unit is MassUnit.JIN_TW
        assert Mass(3, "kg").to("台斤").value == 5
        assert Temperature(5, "°C").to("degF").value == 41

    def test_unknown_target_unit(self) -> None:
        """Converting to an unknown unit lists the known ones."""
        with pytest.raises(
            QuantityError, match=_msg(f"unknown mass unit 'm'; use one of: {MASS_CODES}")
        ):
            Mass(1, "kg").to("m")


class TestText:
    @given(st.one_of(masses(decimal_only=True), lengths(decimal_only=True)))
    def test_parse_str_round_trips(self, quantity: Mass | Length) -> None:
        """A value with an exact decimal form is written exactly and read back unchanged."""
        again = type(quantity).parse(str(quantity))
        assert again == quantity
        assert again.value == quantity.value
        assert again.unit is quantity.unit
        assert repr(quantity) == f"{type(quantity).__name__}({str(quantity)!r})"

    @given(temperatures(decimal_only=True))
    def test_temperature_parse_str_round_trips(self, temp: Temperature) -> None:
        """A temperature with an exact decimal form is written exactly and read back unchanged."""
        again = Temperature.parse(str(temp))
        assert again.value == temp.value
        assert again.unit is temp.unit

    @pytest.mark.parametrize(
        ("quantity", "text"),
        [
            (Mass("2.40", "jin"), "2.4 jin"),
            (Mass(0, "g"), "0 g"),
            (Mass("1200", "g"), "1200 g"),
            (Mass(Fraction(1, 3), "kg"), "0.3333333333333 kg"),
            (Mass(1, "g").to("oz"), "0.03527396194958 oz"),
            (Length("0.000001", "km"), "0.000001 km"),
            (Length(Fraction(10**20, 3), "mm"), "33333333333330000000 mm"),
            (Temperature("-18", "C"), "-18 °C"),
            (Temperature("40", "°F").to("°C"), "4.444444444444 °C"),
            (Temperature("-0.0", "°C"), "0 °C"),
        ],
    )
    def test_str(self, quantity: Mass | Length | Temperature, text: str) -> None:
        """str() writes plain decimals: exact when possible, else 13 significant digits."""
        assert str(quantity) == text

    def test_long_exact_value_is_written_in_full(self) -> None:
        """A value with more digits than Decimal's default precision is still written exactly."""
        text = "0.1234567890123456789012345678901 kg"
        assert str(Mass.parse(text)) == text

    def test_format_and_decimal(self) -> None:
        """A format spec applies to the number, and the unit code follows."""
        assert f"{Mass('1.2', 'kg'):.2f}" == "1.20 kg"
        assert f"{Mass('1.2', 'kg')}" == "1.2 kg"
        assert f"{Temperature('4', '°C'):.1f}" == "4.0 °C"
        assert Mass(Fraction(1, 3), "kg").decimal() == Decimal("0.3333333333333")
        assert Temperature("41", "°F").to("°C").decimal() == Decimal(5)

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("2.4 jin", Mass("2.4", "jin")),
            ("2.4jin", Mass("2.4", "jin")),
            ("  3 台斤  ", Mass(3, "jin_tw")),
            ("1e3 g", Mass(1000, "g")),
            (".5 kg", Mass("0.5", "kg")),
            ("+7 oz", Mass(7, "oz")),
            ("12 in", Length(12, "in")),
            ("-18C", Temperature(-18, "°C")),
            ("40 ℉", Temperature(40, "°F")),
        ],
    )
    def test_parse(self, text: str, expected: Mass | Length | Temperature) -> None:
        """parse() reads a number and a unit, with or without a space between."""
        parsed = type(expected).parse(text)
        assert parsed == expected
        assert parsed.unit is expected.unit

    @pytest.mark.parametrize(
        ("cls", "text", "message"),
        [
            (Mass, "1.2", "cannot read '1.2' as a mass; write a number and a unit, like '1.2 kg'"),
            (Mass, "kg", "cannot read 'kg' as a mass; write a number and a unit, like '1.2 kg'"),
            (Mass, "", "cannot read '' as a mass; write a number and a unit, like '1.2 kg'"),
            (
                Length,
                "about 3 m",
                "cannot read 'about 3 m' as a length; write a number and a unit, like '30 cm'",
            ),
            (
                Temperature,
                "cold",
                "cannot read 'cold' as a temperature; write a number and a unit, like '4 °C'",
            ),
        ],
    )
    def test_malformed_text(
        self, cls: type[Mass | Length | Temperature], text: str, message: str
    ) -> None:
        """Text without both a number and a unit is refused with an example."""
        with pytest.raises(QuantityError, match=_msg(message)):
            cls.parse(text)

    @pytest.mark.parametrize(
        ("cls", "message"),
        [
            (Mass, "a mass must be written as text like '1.2 kg', not 5"),
            (Length, "a length must be written as text like '30 cm', not 5"),
            (Temperature, "a temperature must be written as text like '4 °C', not 5"),
        ],
    )
    def test_parse_refuses_non_text(
        self, cls: type[Mass | Length | Temperature], message: str
    ) -> None:
        """parse() takes text only."""
        with pytest.raises(QuantityError, match=_msg(message)):
            cls.parse(5)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("cls", "text", "message"),
        [
            (Mass, "1.2 kilo", f"unknown mass unit 'kilo' in '1.2 kilo'; use one of: {MASS_CODES}"),
            (Length, "3 yd", f"unknown length unit 'yd' in '3 yd'; use one of: {LENGTH_CODES}"),
            (Mass, "3 m", f"unknown mass unit 'm' in '3 m'; use one of: {MASS_CODES}"),
            (Temperature, "4 °R", "unknown temperature unit '°R' in '4 °R'; use one of: °C, °F, K"),
        ],
    )
    def test_unknown_unit_in_text(
        self, cls: type[Mass | Length | Temperature], text: str, message: str
    ) -> None:
        """An unknown unit in text is refused, quoting the text and listing the known codes."""
        with pytest.raises(QuantityError, match=_msg(message)):
            cls.parse(text)


class TestEquality:
    @pytest.mark.parametrize(
        ("left", "right"),
        [
            (Mass(1, "kg"), Mass(1000, "g")),
            (Mass(1, "jin"), Mass(10, "liang")),
            (Length(1, "m"), Length(3, "chi")),
            (Temperature(-40, "°F"), Temperature(-40, "°C")),
            (Temperature(0, "°C"), Temperature("273.15", "K")),
        ],
    )
    def test_equal_across_units_with_equal_hashes(
        self, left: Mass | Length | Temperature, right: Mass | Length | Temperature
    ) -> None:
        """The same amount in different units is equal and hashes the same."""
        assert left == right
        assert hash(left) == hash(right)
        assert len({left, right}) == 1

    @given(linear_quantities, linear_quantities)
    def test_equality_is_by_amount(self, left: Mass | Length, right: Mass | Length) -> None:
        """Two quantities are equal exactly when they are the same kind and amount."""
        expected = type(left) is type(right) and left.base == right.base
        assert (left == right) is expected
        assert (left != right) is not expected
        if expected:
            assert hash(left) == hash(right)

    def test_different_kinds_are_never_equal(self) -> None:
        """A mass, a length, a temperature and a bare number are never equal to each other."""
        assert Mass(1, "g") != Length(1, "m")
        assert Mass(0, "g") != Length(0, "m")
        assert Mass(1, "g") != 1
        assert Temperature(1, "K") != 1
        assert Temperature(1, "K") != Mass(1, "g")


class TestOrdering:
    @given(same_kind_pairs())
    def test_ordering_agrees_with_the_amount(
        self, pair: tuple[Mass, Mass] | tuple[Length, Length]
    ) -> None:
        """<, <=, > and >= compare the exact amounts, whatever the units."""
        left, right = pair
        assert (left < right) is (left.base < right.base)
        assert (left <= right) is (left.base <= right.base)
        assert (left > right) is (left.base > right.base)
        assert (left >= right) is (left.base >= right.base)
        assert [q.base for q in sorted([right, left])] == sorted([left.base, right.base])

    @given(temperatures(), temperatures())
    def test_temperature_ordering_agrees_with_kelvin(
        self, left: Temperature, right: Temperature
    ) -> None:
        """Temperatures in mixed units compare, and hash, by their thermodynamic value."""
        assert (left < right) is (left.kelvin < right.kelvin)
        assert (left <= right) is (left.kelvin <= right.kelvin)
        assert (left > right) is (left.kelvin > right.kelvin)
        assert (left >= right) is (left.kelvin >= right.kelvin)
        assert (left == right) is (left.kelvin == right.kelvin)
        assert hash(left.to(right.unit)) == hash(left)

    def test_documented_temperature_comparison(self) -> None:
        """-18 °C is colder than 0 °F (which is about -17.8 °C)."""
        assert Temperature.parse("-18 °C") < Temperature.parse("0 °F")

    @pytest.mark.parametrize("other", [Length(1, "m"), 1, Decimal(1)])
    def test_comparing_a_mass_with_anything_else_is_a_type_error(self, other: object) -> None:
        """A mass only compares with a mass."""
        with pytest.raises(TypeError, match=_msg(f"cannot combine a mass with {other!r}")):
            _ = Mass(1, "kg") < other  # type: ignore[operator]

    @pytest.mark.parametrize("other", [Mass(1, "kg"), 1])
    def test_comparing_a_temperature_with_anything_else_is_a_type_error(
        self, other: object
    ) -> None:
        """A temperature only compares with a temperature."""
        with pytest.raises(TypeError, match=_msg(f"cannot compare a temperature with {other!r}")):
            _ = Temperature(1, "K") >= other  # type: ignore[operator]


class TestArithmetic:
    @given(same_kind_pairs())
    def test_addition_subtraction_and_ratio(
        self, pair: tuple[Mass, Mass] | tuple[Length, Length]
    ) -> None:
        """a + b is the sum in a's unit, commutes, - b undoes it, and a / b is the exact ratio."""
        left, right = pair
        total = left + right
        assert total.base == left.base + right.base
        assert total.unit is left.unit
        assert total == right + left
        again = total - right
        assert again.value == left.value
        assert again.unit is left.unit
        if right:
            assert left / right == left.base / right.base

    @given(linear_quantities)
    def test_zero_is_neutral(self, quantity: Mass | Length) -> None:
        """Adding zero changes nothing; a quantity minus itself is zero and falsy."""
        zero = type(quantity)(0, quantity.unit)
        assert quantity + zero == quantity
        assert not quantity - quantity
        assert bool(quantity) is (quantity.value != 0)

    @given(linear_quantities, amounts())
    def test_scaling(self, quantity: Mass | Length, factor: Fraction) -> None:
        """q * k scales the amount by k on either side, keeps the unit, and / k undoes it."""
        scaled = quantity * factor
        assert scaled.base == quantity.base * factor
        assert scaled.unit is quantity.unit
        assert factor * quantity == scaled
        assert quantity * 2 == quantity + quantity
        if factor:
            again = scaled / factor
            assert again.value == quantity.value
            assert again.unit is quantity.unit

    def test_documented_examples(self) -> None:
        """The examples in the docstrings hold."""
        assert repr(Mass("1.5", "kg") + Mass(300, "g")) == "Mass('1.8 kg')"
        assert repr(Mass.parse("3 台斤").to("kg")) == "Mass('1.8 kg')"
        assert repr(Mass.parse("2.4 jin").to("kg")) == "Mass('1.2 kg')"
        assert Mass("2.4", "jin") / Mass("1.2", "kg") == 1
        assert Mass(3, "kg") * "1.5" == Mass("4.5", "kg")
        assert Mass(3, "kg") / Decimal("1.5") == Mass(2, "kg")

    def test_subtracting_into_negative_is_refused(self) -> None:
        """A mass cannot go below zero by subtraction."""
        with pytest.raises(QuantityError, match=_msg("a mass cannot be negative, got -0.5 kg")):
            _ = Mass(1, "kg") - Mass(3, "jin")

    @pytest.mark.parametrize(
        ("cls", "text", "message"),
        [
            (Mass, "-1.5 kg", "a mass cannot be negative, got -1.5 kg"),
            (Mass, "-0.001 jin_tw", "a mass cannot be negative, got -0.001 jin_tw"),
            (Length, "-1.5 m", "a length cannot be negative, got -1.5 m"),
        ],
    )
    def test_negative_value_is_refused(
        self, cls: type[Mass | Length], text: str, message: str
    ) -> None:
        """Masses and lengths are never negative, whether built or parsed."""
        number, unit = text.split()
        with pytest.raises(QuantityError, match=_msg(message)):
            cls(number, unit)
        with pytest.raises(QuantityError, match=_msg(message)):
            cls.parse(text)

    @pytest.mark.parametrize(
        ("factor", "message"),
        [
            (1.5, "factor 1.5 is a float; floats are not exact. Pass a string such as '1.5'"),
            ("x", "factor 'x' is not a number"),
            (-1, "a mass cannot be negative, got -1 kg"),
        ],
    )
    def test_bad_factor(self, factor: object, message: str) -> None:
        """Scaling by a float, by non-numeric text or into the negative is refused."""
        with pytest.raises(QuantityError, match=_msg(message)):
            _ = Mass(1, "kg") * factor  # type: ignore[operator]

    def test_float_divisor_is_refused(self) -> None:
        """Dividing by a float is refused with the hint to pass a string."""
        with pytest.raises(
            QuantityError, match=_msg("divisor 0.5 is a float; floats are not exact.")
        ):
            _ = Mass(1, "kg") / 0.5  # type: ignore[operator]

    @pytest.mark.parametrize("divisor", [0, Decimal(0), Fraction(0), "0", "0/5"])
    def test_division_by_zero_number(self, divisor: object) -> None:
        """Dividing by a zero number is a ZeroDivisionError naming the kind."""
        with pytest.raises(ZeroDivisionError, match=_msg("division of a mass by zero")):
            _ = Mass(1, "kg") / divisor  # type: ignore[operator]

    def test_division_by_zero_quantity(self) -> None:
        """Dividing by a zero quantity is a ZeroDivisionError naming the kind."""
        with pytest.raises(ZeroDivisionError, match=_msg("division by a zero length")):
            _ = Length(1, "m") / Length(0, "mm")

    @pytest.mark.parametrize(
        "operation",
        [
            lambda m, n: m + n,
            lambda m, n: m - n,
            lambda m, n: m * n,
            lambda m, n: m / n,
            lambda m, n: m < n,
        ],
        ids=["add", "sub", "mul", "div", "lt"],
    )
    def test_mass_and_length_do_not_combine(self, operation: object) -> None:
        """Any arithmetic or comparison between a mass and a length is a TypeError."""
        mass, length = Mass(1, "kg"), Length(1, "m")
        with pytest.raises(TypeError, match=_msg("cannot combine a mass with Length('1 m')")):
            operation(mass, length)  # type: ignore[operator]
        with pytest.raises(TypeError, match=_msg("cannot combine a length with Mass('1 kg')")):
            operation(length, mass)  # type: ignore[operator]

    def test_mass_and_temperature_do_not_combine(self) -> None:
        """Scaling or dividing a mass by a temperature is a TypeError."""
        with pytest.raises(TypeError, match=_msg("cannot combine a mass with Temperature('4 °C')")):
            _ = Mass(1, "kg") * Temperature(4, "°C")  # type: ignore[operator]
        with pytest.raises(TypeError, match=_msg("cannot combine a mass with Temperature('4 °C')")):
            _ = Mass(1, "kg") / Temperature(4, "°C")  # type: ignore[operator]

    def test_adding_a_bare_number_is_a_type_error(self) -> None:
        """A mass does not add to a bare number."""
        with pytest.raises(TypeError, match=_msg("cannot combine a mass with 1")):
            _ = Mass(1, "kg") + 1  # type: ignore[operator]

    def test_temperatures_do_not_add(self) -> None:
        """Adding two temperatures means nothing, so it is a TypeError."""
        with pytest.raises(TypeError):
            _ = Temperature(4, "°C") + Temperature(4, "°C")  # type: ignore[operator]


class TestTemperatureLimits:
    @pytest.mark.parametrize(
        ("value", "unit"),
        [("-273.15", "°C"), ("-459.67", "°F"), ("0", "K")],
    )
    def test_absolute_zero_is_allowed(self, value: str, unit: str) -> None:
        """Absolute zero itself is a valid temperature in every unit."""
        assert Temperature(value, unit).kelvin == 0

    @pytest.mark.parametrize(
        ("value", "unit", "message"),
        [
            ("-273.16", "°C", "-273.16 °C is below absolute zero"),
            ("-459.68", "°F", "-459.68 °F is below absolute zero"),
            ("-0.001", "K", "-0.001 K is below absolute zero"),
        ],
    )
    def test_below_absolute_zero_is_refused(self, value: str, unit: str, message: str) -> None:
        """A temperature below absolute zero is refused, in every unit."""
        with pytest.raises(QuantityError, match=_msg(message)):
            Temperature(value, unit)
        with pytest.raises(QuantityError, match=_msg(message)):
            Temperature.parse(f"{value} {unit}")

    def test_float_temperature_is_refused(self) -> None:
        """Temperatures refuse floats like every other quantity."""
        with pytest.raises(
            QuantityError, match=_msg("value 4.5 is a float; floats are not exact.")
        ):
            Temperature(4.5, "°C")


class TestParseDuration:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("36 h", dt.timedelta(hours=36)),
            ("36h", dt.timedelta(hours=36)),
            ("5 d", dt.timedelta(days=5)),
            ("90 min", dt.timedelta(minutes=90)),
            ("1.5 days", dt.timedelta(days=1, hours=12)),
            ("2 w", dt.timedelta(weeks=2)),
            ("2 WEEKS", dt.timedelta(weeks=2)),
            ("45 s", dt.timedelta(seconds=45)),
            ("0.000001 s", dt.timedelta(microseconds=1)),
            ("3 秒", dt.timedelta(seconds=3)),
            ("10 分钟", dt.timedelta(minutes=10)),
            ("2 小时", dt.timedelta(hours=2)),
            ("3 天", dt.timedelta(days=3)),
            ("3 日", dt.timedelta(days=3)),
            ("1 周", dt.timedelta(weeks=1)),
            ("  4 Hours ", dt.timedelta(hours=4)),
            ("1e2 s", dt.timedelta(seconds=100)),
            ("P5DT12H", dt.timedelta(days=5, hours=12)),
            ("p1w2d", dt.timedelta(days=9)),
            ("PT90M", dt.timedelta(minutes=90)),
            ("PT1.5S", dt.timedelta(seconds=1, microseconds=500_000)),
            ("PT0.000001S", dt.timedelta(microseconds=1)),
            ("P0D", dt.timedelta(0)),
        ],
    )
    def test_accepted_forms(self, text: str, expected: dt.timedelta) -> None:
        """Durations are read from a number and a unit, in any case, or from ISO 8601."""
        assert parse_duration(text) == expected

    @pytest.mark.parametrize(
        "names",
        [
            ("s", "sec", "secs", "second", "seconds", "秒"),
            ("min", "mins", "minute", "minutes", "分钟"),
            ("h", "hr", "hrs", "hour", "hours", "小时"),
            ("d", "day", "days", "天", "日"),
            ("w", "wk", "week", "weeks", "周"),
        ],
    )
    def test_every_spelling_of_a_unit_means_the_same(self, names: tuple[str, ...]) -> None:
        """All spellings of a duration unit give the same duration, in any case."""
        parsed = {parse_duration(f"2 {name}") for name in names}
        parsed |= {parse_duration(f"2 {name.upper()}") for name in names}
        assert len(parsed) == 1

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "cannot read '' as a duration; write a number and a unit like '36 h' or '5 d'"),
            ("36", "cannot read '36' as a duration"),
            ("h", "cannot read 'h' as a duration"),
            ("P", "cannot read 'P' as a duration"),
            ("PT", "cannot read 'PT' as a duration"),
            ("P1DT", "cannot read 'P1DT' as a duration"),
            ("P1.5D", "cannot read 'P1.5D' as a duration"),
            (
                "5 fortnights",
                "unknown duration unit 'fortnights' in '5 fortnights'; use s, min, h, d or w",
            ),
            ("5 mo", "unknown duration unit 'mo' in '5 mo'; use s, min, h, d or w"),
            ("-1 h", "a duration cannot be negative, got '-1 h'"),
            ("0.0000001 s", "'0.0000001 s' is finer than a microsecond; round it"),
            ("1.0000000000000000000000000001 s", "is finer than a microsecond; round it"),
            ("1e-30 s", "'1e-30 s' is finer than a microsecond; round it"),
            ("PT0.0000001S", "'PT0.0000001S' is finer than a microsecond; round it"),
            (
                "1000000000 d",
                "'1000000000 d' is too long; a duration can be at most 999999999 days",
            ),
            (
                "P1000000000D",
                "'P1000000000D' is too long; a duration can be at most 999999999 days",
            ),
            ("1e999999 s", "'1e999999 s' is too long"),
        ],
    )
    def test_refused(self, text: str, message: str) -> None:
        """Malformed, unknown, negative, too fine and too long durations are refused."""
        with pytest.raises(QuantityError, match=_msg(message)):
            parse_duration(text)

    def test_non_text_is_refused(self) -> None:
        """parse_duration() takes text only."""
        with pytest.raises(
            QuantityError, match=_msg("a duration must be written as text like '36 h', not 36")
        ):
            parse_duration(36)  # type: ignore[arg-type]


class TestFormatDuration:
    @pytest.mark.parametrize(
        ("delta", "text"),
        [
            (dt.timedelta(days=5), "5 d"),
            (dt.timedelta(weeks=2), "14 d"),
            (dt.timedelta(hours=36), "36 h"),
            (dt.timedelta(minutes=90), "90 min"),
            (dt.timedelta(seconds=45), "45 s"),
            (dt.timedelta(seconds=1, microseconds=500_000), "1.5 s"),
            (dt.timedelta(microseconds=1), "0.000001 s"),
            (dt.timedelta(0), "0 s"),
            (dt.timedelta.max, "86399999999999.999999 s"),
        ],
    )
    def test_largest_whole_unit(self, delta: dt.timedelta, text: str) -> None:
        """A duration is written in the largest unit that keeps it a whole number."""
        assert format_duration(delta) == text

    @given(durations())
    def test_parse_format_round_trips(self, delta: dt.timedelta) -> None:
        """Any duration is written as text that reads back as exactly the same duration."""
        text = format_duration(delta)
        assert parse_duration(text) == delta
        assert format_duration(parse_duration(text)) == text

    @pytest.mark.parametrize(
        ("text", "normal"),
        [
            ("1.5 d", "36 h"),
            ("P5DT12H", "132 h"),
            ("2 w", "14 d"),
            ("7200 s", "2 h"),
            ("PT0.5S", "0.5 s"),
        ],
    )
    def test_format_normalises_parsed_text(self, text: str, normal: str) -> None:
        """Parsing then formatting gives the normal form of a duration."""
        assert format_duration(parse_duration(text)) == normal

    def test_negative_is_refused(self) -> None:
        """A negative timedelta cannot be written as a duration."""
        with pytest.raises(
            QuantityError, match=_msg("a duration cannot be negative, got -1 day, 23:00:00")
        ):
            format_duration(dt.timedelta(hours=-1))


class TestQuantityError:
    def test_is_a_value_error_and_a_ruralseller_error(self) -> None:
        """QuantityError can be caught as ValueError or as the library's root error."""
        assert issubclass(QuantityError, ValueError)
        assert issubclass(QuantityError, RuralSellerError)
        with pytest.raises(ValueError, match="unknown mass unit"):
            Mass.parse("1 kilo")
        with pytest.raises(RuralSellerError, match="unknown mass unit"):
            Mass.parse("1 kilo")
