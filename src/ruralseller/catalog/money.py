"""Money: an exact Decimal amount and an ISO 4217 currency, never a float.

Example:
    >>> price = Money.parse("68.50 CNY")
    >>> price * 2
    Money('137.00 CNY')
    >>> price.format("zh_CN")
    '¥68.50'
    >>> price.format("en_US")
    'CN¥68.50'
"""

from __future__ import annotations

import decimal
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cache

import attrs
import babel.numbers

from ruralseller.catalog.units import exact_decimal
from ruralseller.errors import QuantityError

__all__ = ["Money", "known_currencies"]


@cache
def known_currencies() -> frozenset[str]:
    """The ISO 4217 currency codes we accept (CLDR's list, as shipped with babel)."""
    return frozenset(babel.numbers.list_currencies())


# Sums and products of money never round: the default Decimal context keeps 28 digits.
_EXACT = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)


def _amount(value: object) -> Decimal:
    if isinstance(value, bool):
        raise QuantityError(f"an amount of money must be a number, not {value!r}")
    if isinstance(value, float):
        raise QuantityError(
            f"an amount of money must be exact; got the float {value!r}",
            hint=f"pass a string such as '{value!r}' or a Decimal",
        )
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, str):
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            raise QuantityError(
                f"{value!r} is not an amount of money; write it like '68.50'"
            ) from None
    else:
        raise QuantityError(f"an amount of money must be a number, not {value!r}")
    if not amount.is_finite():
        raise QuantityError(f"an amount of money must be finite, not {value!r}")
    return amount


def _currency(value: object) -> str:
    if not isinstance(value, str):
        raise QuantityError(f"a currency must be an ISO 4217 code like 'CNY', not {value!r}")
    code = value.strip().upper()
    if code not in known_currencies():
        raise QuantityError(
            f"unknown currency {value!r}",
            hint="use an ISO 4217 code such as CNY (for 元/RMB), USD, EUR or HKD",
        )
    return code


_MONEY_RE = re.compile(
    r"^\s*(?:(?P<pre>[A-Za-z]{3})\s*(?P<a>[-+]?[\d.]+)|(?P<b>[-+]?[\d.]+)\s*(?P<post>[A-Za-z]{3}))\s*$"
)


@attrs.frozen(repr=False, order=False)
class Money:
    """An amount of money in one currency.

    Amounts keep the digits they were given (``Money("68.5", "CNY")`` stays 68.5);
    :meth:`rounded` rounds to the currency's minor unit (fen, cents; none for JPY).
    Amounts in different currencies never add or compare: that raises ``QuantityError``.

    Args:
        amount: an int, str or Decimal (floats are refused: they are not exact).
        currency: an ISO 4217 code, e.g. ``"CNY"``.
    """

    amount: Decimal = attrs.field(converter=_amount)
    currency: str = attrs.field(converter=_currency)

    @classmethod
    def parse(cls, text: str) -> Money:
        """Read money written as ``"68.50 CNY"`` or ``"CNY 68.50"``."""
        if not isinstance(text, str):
            raise QuantityError(f"money must be written as text like '68.50 CNY', not {text!r}")
        match = _MONEY_RE.match(text)
        if match is None:
            raise QuantityError(
                f"cannot read {text!r} as money; write the amount and an ISO 4217 currency "
                "code, like '68.50 CNY' (symbols such as ¥ are ambiguous: CNY or JPY?)"
            )
        amount = match.group("a") or match.group("b")
        currency = match.group("pre") or match.group("post")
        return cls(amount, currency)

    @property
    def minor_digits(self) -> int:
        """How many decimal places the currency uses (2 for CNY, 0 for JPY)."""
        return int(babel.numbers.get_currency_precision(self.currency))

    def rounded(self) -> Money:
        """The amount rounded half-even to the currency's minor unit."""
        return Money(self.amount.quantize(Decimal(1).scaleb(-self.minor_digits)), self.currency)

    def format(self, locale: str = "en_US") -> str:
        """The amount as a shopper in ``locale`` expects to read it (CLDR rules via babel)."""
        return str(babel.numbers.format_currency(self.amount, self.currency, locale=locale))

    def _same(self, other: object) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine money with {other!r}")
        if other.currency != self.currency:
            raise QuantityError(f"cannot combine {self} with {other}: convert one currency first")
        return other

    def __add__(self, other: Money) -> Money:
        return Money(_EXACT.add(self.amount, self._same(other).amount), self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(_EXACT.subtract(self.amount, self._same(other).amount), self.currency)

    def __mul__(self, factor: int | Decimal | Fraction) -> Money:
        if isinstance(factor, Fraction):
            numerator = _EXACT.multiply(self.amount, Decimal(factor.numerator))
            if exact_decimal(Fraction(numerator) / factor.denominator) is not None:
                # The quotient has a decimal form, so exact division ends (and keeps fen).
                product = _EXACT.divide(numerator, Decimal(factor.denominator))
            else:
                # A third of a yuan has no decimal form: keep Decimal's 28 digits.
                product = numerator / Decimal(factor.denominator)
        elif isinstance(factor, int | Decimal) and not isinstance(factor, bool):
            product = _EXACT.multiply(self.amount, Decimal(factor))
        elif isinstance(factor, float):
            raise QuantityError(
                f"cannot multiply money by the float {factor!r}: floats are not exact",
                hint=f"use Decimal('{factor!r}') or a Fraction",
            )
        else:
            raise TypeError(f"money can be multiplied by an exact number, not {factor!r}")
        return Money(product, self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other).amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other).amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same(other).amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same(other).amount

    def __str__(self) -> str:
        return f"{self.amount:f} {self.currency}"

    def __repr__(self) -> str:
        return f"Money({str(self)!r})"
