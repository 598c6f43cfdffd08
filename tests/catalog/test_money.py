"""Tests for ruralseller.catalog.money: exact amounts of money in one currency."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import decimals_text

from ruralseller.catalog.money import Money, known_currencies
from ruralseller.errors import QuantityError

# Amounts with few enough digits that sums and products stay within Decimal's default
# 28-digit context, as real prices do.
prices = decimals_text(max_value="100000", max_places=4)
factors = decimals_text(max_value="1000", max_places=4)
currencies = st.sampled_from(["CNY", "USD", "EUR", "HKD", "JPY"])


def _exact(message: str) -> str:
    """A pattern matching exactly ``message``."""
    return f"^{re.escape(message)}$"


def cny(amount: str) -> Money:
    return Money(amount, "CNY")


class TestAmount:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("68.50", Decimal("68.50")),
            (" 68.5 ", Decimal("68.5")),
            (68, Decimal(68)),
            (Decimal("0.01"), Decimal("0.01")),
            ("-3", Decimal(-3)),
        ],
    )
    def test_exact_inputs_keep_their_digits(self, value: object, expected: Decimal) -> None:
        """Ints, numeric strings and Decimals become the Decimal they denote, digits kept."""
        money = Money(value, "CNY")
        assert money.amount == expected
        assert money.amount.as_tuple() == expected.as_tuple()

    def test_float_is_refused_with_advice(self) -> None:
        """A float is refused, and the hint says to pass the same digits as text."""
        with pytest.raises(
            QuantityError, match=_exact("an amount of money must be exact; got the float 0.1")
        ) as info:
            Money(0.1, "CNY")
        assert info.value.hint == "pass a string such as '0.1' or a Decimal"

    def test_bool_is_not_called_a_float(self) -> None:
        """True is refused as an amount, without being described as a float."""
        with pytest.raises(QuantityError) as info:
            Money(True, "CNY")
        assert "float" not in str(info.value)

    def test_bool_is_refused(self) -> None:
        """True is not an amount of money even though it is an int."""
        with pytest.raises(QuantityError):
            Money(True, "CNY")

    @pytest.mark.parametrize("text", ["abc", "1.2.3", "1,5", ""])
    def test_malformed_text_is_refused(self, text: str) -> None:
        """Text that is not a number is refused with an example of how to write one."""
        with pytest.raises(
            QuantityError,
            match=_exact(f"{text!r} is not an amount of money; write it like '68.50'"),
        ):
            Money(text, "CNY")

    @pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), "nan", "-Infinity"])
    def test_non_finite_amount_is_refused(self, value: object) -> None:
        """NaN and infinities are refused, whether given as Decimal or as text."""
        with pytest.raises(
            QuantityError, match=_exact(f"an amount of money must be finite, not {value!r}")
        ):
            Money(value, "CNY")

    def test_other_types_are_refused(self) -> None:
        """Anything that is not a number or text is refused, naming the value."""
        with pytest.raises(
            QuantityError, match=_exact("an amount of money must be a number, not None")
        ):
            Money(None, "CNY")

    def test_errors_are_value_errors(self) -> None:
        """Money errors can be caught as ValueError by code that knows only the stdlib."""
        with pytest.raises(ValueError, match="not an amount of money"):
            Money("abc", "CNY")


class TestCurrency:
    @pytest.mark.parametrize("code", ["cny", " CNY ", "Cny"])
    def test_code_is_normalised(self, code: str) -> None:
        """Currency codes are read in any case and without surrounding spaces."""
        assert Money("1", code).currency == "CNY"

    def test_unknown_currency_is_refused(self) -> None:
        """An unknown code is refused with examples of real ones."""
        with pytest.raises(QuantityError, match=_exact("unknown currency 'XYZ'")) as info:
            Money("1", "XYZ")
        assert info.value.hint == "use an ISO 4217 code such as CNY (for 元/RMB), USD, EUR or HKD"

    def test_non_text_currency_is_refused(self) -> None:
        """A currency must be written as a code."""
        with pytest.raises(
            QuantityError, match=_exact("a currency must be an ISO 4217 code like 'CNY', not 5")
        ):
            Money("1", 5)

    def test_known_currencies_include_the_usual_ones(self) -> None:
        """The CLDR list holds the currencies partners sell in."""
        assert {"CNY", "USD", "EUR", "HKD", "JPY", "TWD"} <= known_currencies()


class TestParse:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("68.50 CNY", Money("68.50", "CNY")),
            ("CNY 68.50", Money("68.50", "CNY")),
            ("cny68.5", Money("68.5", "CNY")),
            ("  1200 JPY  ", Money("1200", "JPY")),
            ("-5 USD", Money("-5", "USD")),
        ],
    )
    def test_amount_and_code_in_either_order(self, text: str, expected: Money) -> None:
        """The code may come before or after the amount, with or without a space."""
        assert Money.parse(text) == expected

    @pytest.mark.parametrize("text", ["¥68.50", "68.50", "CNY", "68.50 元", "68.50 CNY extra"])
    def test_unreadable_text_is_refused(self, text: str) -> None:
        """Text without an amount and a three-letter code is refused; symbols are ambiguous."""
        with pytest.raises(
            QuantityError,
            match=_exact(
                f"cannot read {text!r} as money; write the amount and an ISO 4217 currency "
                "code, like '68.50 CNY' (symbols such as ¥ are ambiguous: CNY or JPY?)"
            ),
        ):
            Money.parse(text)

    def test_malformed_amount_is_refused(self) -> None:
        """An amount with two decimal points is refused by the amount check."""
        with pytest.raises(QuantityError, match=re.escape("'1.2.3' is not an amount of money")):
            Money.parse("1.2.3 CNY")

    def test_unknown_currency_in_text_is_refused(self) -> None:
        """A made-up code in the text is refused like one given directly."""
        with pytest.raises(QuantityError, match=re.escape("unknown currency 'XYZ'")):
            Money.parse("68.50 XYZ")

    def test_non_text_is_refused(self) -> None:
        """Only text is parsed."""
        with pytest.raises(
            QuantityError, match=_exact("money must be written as text like '68.50 CNY', not 68")
        ):
            Money.parse(68)  # type: ignore[arg-type]

    @given(prices, currencies)
    def test_str_round_trips_through_parse(self, amount: str, currency: str) -> None:
        """Writing money as text and reading it back gives the same money, digits kept."""
        money = Money(amount, currency)
        again = Money.parse(str(money))
        assert again == money
        assert again.amount.as_tuple() == money.amount.as_tuple()


class TestText:
    def test_str_and_repr(self) -> None:
        """Money prints as its amount and code, keeping trailing zeros."""
        money = cny("68.50")
        assert str(money) == "68.50 CNY"
        assert repr(money) == "Money('68.50 CNY')"

    def test_str_never_uses_an_exponent(self) -> None:
        """An amount given with an exponent prints in plain digits."""
        assert str(Money(Decimal("1E+3"), "CNY")) == "1000 CNY"

    @pytest.mark.parametrize(
        ("money", "locale", "expected"),
        [
            (Money("68.50", "CNY"), "zh_CN", "¥68.50"),
            (Money("68.50", "CNY"), "en_US", "CN¥68.50"),
            (Money("12345.6", "CNY"), "zh_CN", "¥12,345.60"),
            (Money("12345.6", "USD"), "en_US", "$12,345.60"),
            (Money("1234", "JPY"), "en_US", "¥1,234"),
            (Money("1234", "JPY"), "zh_CN", "JP¥1,234"),
        ],
    )
    def test_format_per_locale(self, money: Money, locale: str, expected: str) -> None:
        """Money is formatted as a shopper in the locale reads it (CLDR symbols and digits)."""
        assert money.format(locale) == expected

    def test_format_defaults_to_en_us(self) -> None:
        """Without a locale, money is formatted for en_US."""
        assert cny("68.5").format() == "CN¥68.50"


class TestRounding:
    @pytest.mark.parametrize(
        ("currency", "digits"), [("CNY", 2), ("USD", 2), ("JPY", 0), ("KWD", 3)]
    )
    def test_minor_digits(self, currency: str, digits: int) -> None:
        """Each currency knows how many decimal places it uses."""
        assert Money("1", currency).minor_digits == digits

    @pytest.mark.parametrize(
        ("amount", "currency", "expected"),
        [
            ("68.5", "CNY", "68.50"),
            ("68.505", "CNY", "68.50"),
            ("68.515", "CNY", "68.52"),
            ("93.6000", "CNY", "93.60"),
            ("1234.5", "JPY", "1234"),
            ("1235.5", "JPY", "1236"),
            ("1234.49", "JPY", "1234"),
        ],
    )
    def test_rounded_half_even_to_the_minor_unit(
        self, amount: str, currency: str, expected: str
    ) -> None:
        """Rounding goes half-even to fen or cents for CNY, and to whole yen for JPY."""
        rounded = Money(amount, currency).rounded()
        assert str(rounded) == f"{expected} {currency}"

    @given(prices, currencies)
    def test_rounded_has_the_currency_digits(self, amount: str, currency: str) -> None:
        """A rounded amount has exactly the currency's places and is within half a minor unit."""
        money = Money(amount, currency)
        rounded = money.rounded()
        assert rounded.currency == currency
        assert rounded.amount.as_tuple().exponent == -money.minor_digits
        assert abs(rounded.amount - money.amount) <= Decimal(1).scaleb(-money.minor_digits) / 2


class TestArithmetic:
    def test_add_and_subtract(self) -> None:
        """Amounts in one currency add and subtract exactly."""
        assert cny("68.50") + cny("0.05") == cny("68.55")
        assert cny("68.50") - cny("70") == cny("-1.50")

    def test_multiply(self) -> None:
        """Money scales by ints, Decimals and Fractions, from either side."""
        assert cny("68.50") * 2 == cny("137.00")
        assert 3 * cny("1.10") == cny("3.30")
        assert cny("36.00") * Decimal("2.6") == cny("93.6")
        assert cny("36.00") * Fraction(13, 5) == cny("93.6")

    def test_negate(self) -> None:
        """Negation flips the sign and keeps the currency."""
        assert -cny("5") == cny("-5")

    def test_multiply_by_float_is_refused(self) -> None:
        """A float factor is refused as inexact, like floats everywhere, with a fix."""
        with pytest.raises(QuantityError, match="floats are not exact") as info:
            cny("1") * 1.5  # type: ignore[operator]
        assert info.value.hint == "use Decimal('1.5') or a Fraction"

    @pytest.mark.parametrize("factor", [True, "2", None])
    def test_multiply_by_non_number_is_refused(self, factor: object) -> None:
        """Bools and text are not factors."""
        with pytest.raises(
            TypeError, match=_exact(f"money can be multiplied by an exact number, not {factor!r}")
        ):
            cny("1") * factor  # type: ignore[operator]

    def test_add_non_money_is_refused(self) -> None:
        """Money adds only to money."""
        with pytest.raises(TypeError, match=_exact("cannot combine money with 1")):
            cny("1") + 1  # type: ignore[operator]

    @pytest.mark.parametrize(
        "combine",
        [
            lambda a, b: a + b,
            lambda a, b: a - b,
            lambda a, b: a < b,
            lambda a, b: a <= b,
            lambda a, b: a > b,
            lambda a, b: a >= b,
        ],
        ids=["add", "sub", "lt", "le", "gt", "ge"],
    )
    def test_different_currencies_do_not_combine(self, combine) -> None:
        """Adding, subtracting or comparing CNY with USD raises, asking for a conversion."""
        with pytest.raises(
            QuantityError,
            match=_exact("cannot combine 1 CNY with 1 USD: convert one currency first"),
        ):
            combine(cny("1"), Money("1", "USD"))

    def test_comparisons(self) -> None:
        """Money in one currency orders by amount."""
        assert cny("1") < cny("1.01")
        assert cny("1") <= cny("1.00")
        assert cny("2") > cny("1.99")
        assert cny("2") >= cny("2")

    def test_equality_ignores_trailing_zeros_but_not_currency(self) -> None:
        """68.5 CNY equals 68.50 CNY, with the same hash, but never 68.50 USD."""
        assert cny("68.5") == cny("68.50")
        assert hash(cny("68.5")) == hash(cny("68.50"))
        assert cny("68.5") != Money("68.5", "USD")

    @given(prices, prices, currencies)
    def test_addition_is_exact(self, a: str, b: str, currency: str) -> None:
        """The sum is exactly the sum of the amounts, and subtracting gives the first back."""
        total = Money(a, currency) + Money(b, currency)
        assert Fraction(total.amount) == Fraction(Decimal(a)) + Fraction(Decimal(b))
        assert total - Money(b, currency) == Money(a, currency)

    @given(prices, factors, st.integers(min_value=-1000, max_value=1000))
    def test_multiplication_is_exact(self, a: str, factor: str, whole: int) -> None:
        """Multiplying by a Decimal or an int gives exactly the product of the numbers."""
        money = cny(a)
        assert Fraction((money * Decimal(factor)).amount) == Fraction(Decimal(a)) * Fraction(
            Decimal(factor)
        )
        assert (money * whole).amount == Decimal(a) * whole
        assert money * whole == whole * money

    @given(prices, st.integers(0, 6), st.integers(0, 6), st.integers(1, 1000))
    def test_multiplication_by_decimal_fraction_is_exact(
        self, a: str, twos: int, fives: int, numerator: int
    ) -> None:
        """A Fraction with a decimal form (denominator 2**i * 5**j) scales money exactly."""
        factor = Fraction(numerator, 2**twos * 5**fives)
        assert Fraction((cny(a) * factor).amount) == Fraction(Decimal(a)) * factor

    def test_long_product_is_exact(self) -> None:
        """A product with more than 28 significant digits is kept exactly, not rounded."""
        product = cny("1.000000000000001") * Decimal("1.000000000000001")
        assert product.amount == Decimal("1.000000000000002000000000000001")

    def test_long_sum_is_exact(self) -> None:
        """A sum with more than 28 significant digits is kept exactly, not rounded."""
        total = cny("1234567890123456789012345678.9") + cny("0.01")
        assert total.amount == Decimal("1234567890123456789012345678.91")
