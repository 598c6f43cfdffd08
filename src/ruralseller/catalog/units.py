"""Quantities with their units: mass, length, temperature and durations.

A quantity keeps the number the user gave, in the unit the user gave, as an exact fraction:
``Mass.parse("2.4 jin")`` stays 2.4 斤 until you ask for it in another unit, and every
conversion is exact, so converting there and back gives the same value.

Chinese market units are not one unit: 斤 is 500 g on the mainland, 600 g in Taiwan and
604.789 82 g in Hong Kong, Singapore and Malaysia. Each is a separate unit here, and the
unit a mass was given in travels with it.

Example:
    >>> m = Mass.parse("2.4 jin")
    >>> m.to("kg")
    Mass('1.2 kg')
    >>> m.to("kg").to("jin") == m
    True
    >>> Temperature.parse("40 °F").to("°C")
    Temperature('4.444444444444 °C')
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import functools
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, ClassVar, Self, cast, overload

import attrs

from ruralseller.errors import QuantityError

__all__ = [
    "Length",
    "LengthUnit",
    "Mass",
    "MassUnit",
    "Temperature",
    "TemperatureUnit",
    "format_duration",
    "parse_duration",
]

# Digits kept when a value has no exact decimal form (e.g. 40 °F in °C, or 1 g in lb).
_SIGNIFICANT_DIGITS = 13

_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_QUANTITY_RE = re.compile(rf"^\s*(?P<number>{_NUMBER})\s*(?P<unit>\S.*?)?\s*$")
_NUMBER_RE = re.compile(_NUMBER)
_RATIO_RE = re.compile(r"[-+]?\d+\s*/\s*\d+")

# Catalogues repeat the same few quantities thousands of times ("1.2 kg", "4 °C", "5 d"):
# parsing each distinct text once and sharing the (immutable) result saves most of the work.
# Only the text of a valid quantity is cached; errors are raised again on every call.
_PARSE_CACHE_SIZE = 4096

# Decimal arithmetic that never rounds: the default context keeps only 28 digits, which
# would silently change long values (and hide sub-microsecond parts of durations).
_EXACT_CONTEXT = decimal.Context(
    prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN
)


# Powers of ten a value may have, either way (a tonne in micrograms is 1e12).
_MAX_EXPONENT = 30


def exact_fraction(value: object, *, what: str = "value") -> Fraction:
    """Turn an int, Decimal, Fraction or numeric string into an exact Fraction.

    Floats are refused: ``0.1`` as a float is not 0.1, and a farm's weights and prices must
    stay exactly what the partner typed. Pass a string (``"0.1"``) or a Decimal instead.
    """
    if isinstance(value, bool):
        raise QuantityError(f"{what} must be a number, not {value!r}")
    if isinstance(value, Fraction | int):
        return Fraction(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise QuantityError(f"{what} must be a finite number, not {value}")
        if abs(value.adjusted()) > _MAX_EXPONENT:
            # 1e999999999 would build a billion-digit integer: refuse it before it hangs.
            raise QuantityError(
                f"{what} {value} is out of range; no farm weighs, measures or charges that"
            )
        return Fraction(value)
    if isinstance(value, float):
        raise QuantityError(
            f"{what} {value!r} is a float; floats are not exact. "
            f"Pass a string such as '{value!r}' or a Decimal instead."
        )
    if isinstance(value, str):
        return _fraction_from_text(value, what)
    raise QuantityError(f"{what} must be a number, not {type(value).__name__} {value!r}")


def _fraction_from_text(value: str, what: str) -> Fraction:
    text = value.strip()
    if _NUMBER_RE.fullmatch(text):
        return exact_fraction(Decimal(text), what=what)
    if _RATIO_RE.fullmatch(text):
        num, den = (part.strip() for part in text.split("/"))
        if int(den) == 0:
            raise QuantityError(f"{what} {value!r} divides by zero")
        return Fraction(int(num), int(den))
    raise QuantityError(f"{what} {value!r} is not a number; write it like '1.25'")


def exact_decimal(value: Fraction) -> Decimal | None:
    """Return the exact decimal form of ``value``, or None if it has none (like 1/3)."""
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return None
    places = max(twos, fives)
    scaled = value * 10**places
    # scaled is an integer because the denominator divides 10**places
    return Decimal(scaled.numerator).scaleb(-places, context=_EXACT_CONTEXT)


@functools.lru_cache(maxsize=_PARSE_CACHE_SIZE, typed=True)
def decimal_text(value: Fraction, significant: int = _SIGNIFICANT_DIGITS) -> str:
    """Write ``value`` as plain decimal text: exact when possible, else rounded.

    A pure function of immutable arguments, cached: labels and checks write the same few
    quantities over and over.
    """
    exact = exact_decimal(value)
    if exact is None:
        approx = Decimal(value.numerator) / Decimal(value.denominator)
        exact = approx.quantize(
            Decimal(1).scaleb(approx.adjusted() - significant + 1)
            if approx
            else Decimal(1).scaleb(-significant)
        )
    text = f"{exact:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


_LOOKUPS: dict[type, dict[str, Any]] = {}


class _UnitEnum(enum.Enum):
    """Units of one dimension. Each member's value is its canonical code."""

    _symbol_: str
    _factor_: Fraction
    _aliases_: tuple[str, ...]
    _doc_: str

    def __new__(cls, code: str, symbol: str, factor: str, aliases: str, doc: str) -> Self:
        member = object.__new__(cls)
        member._value_ = code
        member._symbol_ = symbol
        member._factor_ = Fraction(factor)
        member._aliases_ = tuple(aliases.split()) if aliases else ()
        member._doc_ = doc
        return member

    @property
    def code(self) -> str:
        """The unit's code, as written in catalogue files (e.g. ``kg``, ``jin``)."""
        return str(self.value)

    @property
    def symbol(self) -> str:
        """The unit's usual symbol (e.g. ``kg``, ``斤``, ``°C``)."""
        return self._symbol_

    @property
    def description(self) -> str:
        """What the unit is and where its definition comes from."""
        return self._doc_

    @classmethod
    def lookup(cls) -> dict[str, Self]:
        """Map every accepted spelling (code, symbol, alias; case-insensitive) to its unit."""
        table: dict[str, Self] | None = _LOOKUPS.get(cls)
        if table is None:
            table = {}
            for member in cls:
                for name in (member.code, member.symbol, *member._aliases_):
                    table[name.casefold()] = member
            _LOOKUPS[cls] = table
        return table

    @classmethod
    def coerce(cls, value: object) -> Self:
        """Accept a unit or any of its spellings; anything else is a QuantityError."""
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            found = cls.lookup().get(value.strip().casefold())
            if found is not None:
                return found
        known = ", ".join(member.code for member in cls)
        raise QuantityError(f"unknown {cls._dimension()} unit {value!r}; use one of: {known}")

    @classmethod
    def _dimension(cls) -> str:
        return cls.__name__.removesuffix("Unit").lower()


class MassUnit(_UnitEnum):
    """Units of mass. The factor is the exact number of grams in one unit."""

    G = ("g", "g", "1", "gram grams 克", "gram (SI)")
    KG = ("kg", "kg", "1000", "kilogram kilograms 公斤 千克", "kilogram (SI base unit)")
    T = ("t", "t", "1000000", "tonne tonnes 吨", "metric tonne, 1000 kg")
    # International yard and pound agreement (1959): 1 lb = 0.453 592 37 kg exactly.
    LB = ("lb", "lb", "453.59237", "lbs pound pounds", "avoirdupois pound, 0.45359237 kg")
    OZ = ("oz", "oz", "28.349523125", "ounce ounces", "avoirdupois ounce, 1/16 lb")
    # State Council order on unifying the measurement system (1959): 1 市斤 = 500 g,
    # 10 两 to the 斤. Plain "jin"/"斤" means this mainland unit.
    JIN = ("jin", "斤", "500", "jin_cn 市斤", "mainland Chinese jin (市斤), 500 g")
    LIANG = ("liang", "两", "50", "liang_cn 市两", "mainland Chinese liang (两), 50 g")
    # Taiwan: 1 台斤 = 600 g, 16 台两 to the 台斤.
    JIN_TW = ("jin_tw", "台斤", "600", "", "Taiwanese jin (台斤), 600 g")
    LIANG_TW = ("liang_tw", "台两", "37.5", "台兩", "Taiwanese liang (台两), 1/16 台斤 = 37.5 g")
    # Hong Kong Weights and Measures Ordinance (Cap. 68), Schedule 1: 1 catty =
    # 0.604 789 82 kg; 16 taels to the catty. Singapore and Malaysia use the same catty.
    CATTY_HK = (
        "catty_hk",
        "司馬斤",
        "604.78982",
        "jin_hk catty 司马斤",
        "Hong Kong / Singapore / Malaysia catty (司馬斤), 604.78982 g",
    )
    TAEL_HK = (
        "tael_hk",
        "司馬兩",
        "37.79936375",
        "liang_hk tael 司马两",
        "Hong Kong tael (司馬兩), 1/16 catty = 37.79936375 g",
    )


class LengthUnit(_UnitEnum):
    """Units of length. The factor is the exact number of metres in one unit."""

    MM = ("mm", "mm", "0.001", "millimetre millimetres millimeter millimeters 毫米", "millimetre")
    CM = ("cm", "cm", "0.01", "centimetre centimetres centimeter centimeters 厘米", "centimetre")
    M = ("m", "m", "1", "metre metres meter meters 米", "metre (SI base unit)")
    KM = ("km", "km", "1000", "kilometre kilometres kilometer kilometers 公里 千米", "kilometre")
    # International yard and pound agreement (1959): 1 in = 25.4 mm exactly.
    IN = ("in", "in", "0.0254", "inch inches", "inch, 25.4 mm")
    FT = ("ft", "ft", "0.3048", "foot feet", "foot, 0.3048 m")
    # 1959 State Council order: 1 市尺 = 1/3 m, 10 市寸 to the 市尺.
    CHI = ("chi", "尺", "1/3", "市尺", "mainland Chinese chi (市尺), 1/3 m")
    CUN = ("cun", "寸", "1/30", "市寸", "mainland Chinese cun (市寸), 1/30 m")


class TemperatureUnit(_UnitEnum):
    """Units of temperature. The factor is the size of one degree in kelvin."""

    C = ("°C", "°C", "1", "C degC celsius ℃ 摄氏度", "degree Celsius")
    F = ("°F", "°F", "5/9", "F degF fahrenheit ℉", "degree Fahrenheit")
    K = ("K", "K", "1", "kelvin", "kelvin")


# attrs converters must be plain functions for mypy's attrs plugin, not bound classmethods.
def _mass_unit(value: object) -> MassUnit:
    return MassUnit.coerce(value)


def _length_unit(value: object) -> LengthUnit:
    return LengthUnit.coerce(value)


def _temperature_unit(value: object) -> TemperatureUnit:
    return TemperatureUnit.coerce(value)


def _split(text: object, kind: str) -> tuple[str, str]:
    if not isinstance(text, str):
        raise QuantityError(
            f"a {kind} must be written as text like {_EXAMPLES[kind]}, not {text!r}"
        )
    match = _QUANTITY_RE.match(text)
    if match is None or not match.group("unit"):
        raise QuantityError(
            f"cannot read {text!r} as a {kind}; write a number and a unit, like {_EXAMPLES[kind]}"
        )
    return match.group("number"), match.group("unit")


_EXAMPLES = {"mass": "'1.2 kg'", "length": "'30 cm'", "temperature": "'4 °C'"}


@attrs.frozen(eq=False, repr=False)
class _Linear:
    """A quantity measured from zero (mass, length): it adds, subtracts and scales."""

    value: Fraction = attrs.field(converter=exact_fraction)
    unit: Any

    _unit_type: ClassVar[type[_UnitEnum]]
    _kind: ClassVar[str]

    def __attrs_post_init__(self) -> None:
        if self.value < 0:
            raise QuantityError(f"a {self._kind} cannot be negative, got {self}")

    @classmethod
    def parse(cls, text: str) -> Self:
        """Read a quantity from text such as ``"1.2 kg"`` or ``"2.4 斤"``.

        Each distinct text is read once; later calls share the same (frozen) quantity.
        """
        if type(text) is str:
            return cast("Self", _parse_cached((cls, text)))
        return cls._parse(text)

    @classmethod
    def _parse(cls, text: str) -> Self:
        number, unit = _split(text, cls._kind)
        try:
            found = cls._unit_type.coerce(unit)
        except QuantityError:
            known = ", ".join(member.code for member in cls._unit_type)
            raise QuantityError(
                f"unknown {cls._kind} unit {unit!r} in {text!r}; use one of: {known}"
            ) from None
        return cls(number, found)

    @property
    def base(self) -> Fraction:
        """The exact amount in the SI unit (grams for mass, metres for length)."""
        factor: Fraction = self.unit._factor_
        return self.value * factor

    def to(self, unit: object) -> Self:
        """The same amount in another unit; exact, so converting back gives it again."""
        target = self._unit_type.coerce(unit)
        return type(self)(self.base / target._factor_, target)

    def in_unit(self, unit: object) -> Fraction:
        """The number of ``unit`` in this amount, as an exact fraction."""
        return self.to(unit).value

    def decimal(self) -> Decimal:
        """The value in its own unit as a Decimal (rounded only if it has no exact form)."""
        return Decimal(decimal_text(self.value))

    def __str__(self) -> str:
        return f"{decimal_text(self.value)} {self.unit.code}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __format__(self, spec: str) -> str:
        if not spec:
            return str(self)
        return f"{format(self.decimal(), spec)} {self.unit.code}"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        if other.unit is self.unit:
            return self.value == other.value
        return self.base == other.base

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.base))

    def _check(self, other: object) -> Self:
        if type(other) is not type(self):
            raise TypeError(f"cannot combine a {self._kind} with {other!r}")
        return other

    def _amounts(self, other: object) -> tuple[Fraction, Fraction]:
        # Every unit's factor is positive, so two amounts in the same unit compare as their
        # values do; only amounts in different units need converting (an exact product).
        found = self._check(other)
        if found.unit is self.unit:
            return self.value, found.value
        return self.base, found.base

    def __lt__(self, other: Self) -> bool:
        mine, theirs = self._amounts(other)
        return mine < theirs

    def __le__(self, other: Self) -> bool:
        mine, theirs = self._amounts(other)
        return mine <= theirs

    def __gt__(self, other: Self) -> bool:
        mine, theirs = self._amounts(other)
        return mine > theirs

    def __ge__(self, other: Self) -> bool:
        mine, theirs = self._amounts(other)
        return mine >= theirs

    def __add__(self, other: Self) -> Self:
        return type(self)(self.value + self._check(other).in_unit(self.unit), self.unit)

    def __sub__(self, other: Self) -> Self:
        return type(self)(self.value - self._check(other).in_unit(self.unit), self.unit)

    def _number(self, value: object, what: str) -> Fraction:
        # Another quantity is the wrong type of operand, not a malformed number.
        if isinstance(value, _Linear | Temperature):
            raise TypeError(f"cannot combine a {self._kind} with {value!r}")
        return exact_fraction(value, what=what)

    def __mul__(self, factor: int | Decimal | Fraction) -> Self:
        return type(self)(self.value * self._number(factor, "factor"), self.unit)

    __rmul__ = __mul__

    @overload
    def __truediv__(self, other: Self) -> Fraction: ...

    @overload
    def __truediv__(self, other: int | Decimal | Fraction) -> Self: ...

    def __truediv__(self, other: int | Decimal | Fraction | Self) -> Fraction | Self:
        if isinstance(other, _Linear):
            other_base = self._check(other).base
            if other_base == 0:
                raise ZeroDivisionError(f"division by a zero {self._kind}")
            return self.base / other_base
        divisor = self._number(other, "divisor")
        if divisor == 0:
            raise ZeroDivisionError(f"division of a {self._kind} by zero")
        return type(self)(self.value / divisor, self.unit)

    def __bool__(self) -> bool:
        return self.value != 0


@attrs.frozen(eq=False, repr=False)
class Mass(_Linear):
    """A mass: a non-negative exact value and the unit it was given in.

    Args:
        value: the number, as int, str, Decimal or Fraction (never float).
        unit: a :class:`MassUnit` or one of its spellings: ``g``, ``kg``, ``t``, ``lb``,
            ``oz``, ``jin``/``斤`` (mainland, 500 g), ``liang``/``两``, ``jin_tw``/``台斤``,
            ``liang_tw``, ``catty_hk``, ``tael_hk``.

    Example:
        >>> Mass("1.5", "kg") + Mass(300, "g")
        Mass('1.8 kg')
        >>> Mass.parse("3 台斤").to("kg")
        Mass('1.8 kg')
        >>> Mass.parse("1 kg") == Mass.parse("1000 g")
        True
    """

    unit: MassUnit = attrs.field(converter=_mass_unit)
    _unit_type: ClassVar[type[_UnitEnum]] = MassUnit
    _kind: ClassVar[str] = "mass"

    @property
    def grams(self) -> Fraction:
        """The exact number of grams."""
        return self.base


@attrs.frozen(eq=False, repr=False)
class Length(_Linear):
    """A length: a non-negative exact value and its unit (mm, cm, m, km, in, ft, chi, cun).

    Example:
        >>> Length.parse("12 in").to("cm")
        Length('30.48 cm')
    """

    unit: LengthUnit = attrs.field(converter=_length_unit)
    _unit_type: ClassVar[type[_UnitEnum]] = LengthUnit
    _kind: ClassVar[str] = "length"

    @property
    def metres(self) -> Fraction:
        """The exact number of metres."""
        return self.base


# Kelvin at 0 °C (the 2019 SI definition keeps 273.15 exact).
_KELVIN_AT_ZERO_C = Fraction("273.15")


@attrs.frozen(eq=False, repr=False, order=False)
class Temperature:
    """A temperature in °C, °F or K, kept exactly as given.

    Temperatures compare and convert, but do not add: adding 4 °C to 4 °C means nothing.
    Use :attr:`celsius` for arithmetic on the numbers.

    Example:
        >>> Temperature.parse("-18 °C") < Temperature.parse("0 °F")
        True
        >>> Temperature.parse("41 °F").to("°C")
        Temperature('5 °C')
    """

    value: Fraction = attrs.field(converter=exact_fraction)
    unit: TemperatureUnit = attrs.field(converter=_temperature_unit)

    def __attrs_post_init__(self) -> None:
        if self.kelvin < 0:
            raise QuantityError(f"{self} is below absolute zero")

    @classmethod
    def parse(cls, text: str) -> Self:
        """Read a temperature such as ``"4 °C"``, ``"-18C"``, ``"40 °F"`` or ``"277 K"``.

        Each distinct text is read once; later calls share the same (frozen) temperature.
        """
        if type(text) is str:
            return cast("Self", _parse_cached((cls, text)))
        return cls._parse(text)

    @classmethod
    def _parse(cls, text: str) -> Self:
        number, unit = _split(text, "temperature")
        try:
            found = TemperatureUnit.coerce(unit)
        except QuantityError:
            raise QuantityError(
                f"unknown temperature unit {unit!r} in {text!r}; use one of: °C, °F, K"
            ) from None
        return cls(number, found)

    @property
    def celsius(self) -> Fraction:
        """The exact temperature in degrees Celsius."""
        if self.unit is TemperatureUnit.F:
            return (self.value - 32) * Fraction(5, 9)
        if self.unit is TemperatureUnit.K:
            return self.value - _KELVIN_AT_ZERO_C
        return self.value

    @property
    def kelvin(self) -> Fraction:
        """The exact thermodynamic temperature in kelvin."""
        return self.celsius + _KELVIN_AT_ZERO_C

    def to(self, unit: object) -> Temperature:
        """The same temperature in another unit, exactly."""
        target = TemperatureUnit.coerce(unit)
        c = self.celsius
        if target is TemperatureUnit.F:
            return Temperature(c * Fraction(9, 5) + 32, target)
        if target is TemperatureUnit.K:
            return Temperature(c + _KELVIN_AT_ZERO_C, target)
        return Temperature(c, target)

    def decimal(self) -> Decimal:
        """The value in its own unit as a Decimal (rounded only if it has no exact form)."""
        return Decimal(decimal_text(self.value))

    def __str__(self) -> str:
        return f"{decimal_text(self.value)} {self.unit.code}"

    def __repr__(self) -> str:
        return f"Temperature({str(self)!r})"

    def __format__(self, spec: str) -> str:
        if not spec:
            return str(self)
        return f"{format(self.decimal(), spec)} {self.unit.code}"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Temperature):
            return NotImplemented
        return self.celsius == other.celsius

    def __hash__(self) -> int:
        return hash(("Temperature", self.celsius))

    def _check(self, other: object) -> Temperature:
        if not isinstance(other, Temperature):
            raise TypeError(f"cannot compare a temperature with {other!r}")
        return other

    def __lt__(self, other: Temperature) -> bool:
        return self.celsius < self._check(other).celsius

    def __le__(self, other: Temperature) -> bool:
        return self.celsius <= self._check(other).celsius

    def __gt__(self, other: Temperature) -> bool:
        return self.celsius > self._check(other).celsius

    def __ge__(self, other: Temperature) -> bool:
        return self.celsius >= self._check(other).celsius


@functools.lru_cache(maxsize=_PARSE_CACHE_SIZE)
def _parse_cached(key: tuple[type[_Linear | Temperature], str]) -> _Linear | Temperature:
    # Keyed by class and text (``str`` only: an unhashable value must still raise
    # QuantityError). Quantities are frozen, so sharing one between records is safe.
    cls, text = key
    return cls._parse(text)


_DURATION_UNITS: dict[str, dt.timedelta] = {}
for _names, _delta in (
    ("s sec secs second seconds 秒", dt.timedelta(seconds=1)),
    ("min mins minute minutes 分钟", dt.timedelta(minutes=1)),
    ("h hr hrs hour hours 小时", dt.timedelta(hours=1)),
    ("d day days 天 日", dt.timedelta(days=1)),
    ("w wk week weeks 周", dt.timedelta(weeks=1)),
):
    for _name in _names.split():
        _DURATION_UNITS[_name] = _delta

# At least one component after "P", and at least one after "T" when there is a "T".
_ISO_DURATION_RE = re.compile(
    r"^P(?=\d|T)(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
_ISO_PARTS = {
    "w": dt.timedelta(weeks=1),
    "d": dt.timedelta(days=1),
    "h": dt.timedelta(hours=1),
    "m": dt.timedelta(minutes=1),
    "s": dt.timedelta(seconds=1),
}
_MICROSECOND = dt.timedelta(microseconds=1)
_MAX_MICROSECONDS = dt.timedelta.max // _MICROSECOND


def _microseconds(amount: Decimal, unit: dt.timedelta) -> Decimal:
    # Exact: a long number or an exponent must not round away a sub-microsecond part.
    return _EXACT_CONTEXT.multiply(amount, Decimal(unit // _MICROSECOND))


def _to_timedelta(micro: Decimal, text: str) -> dt.timedelta:
    if micro != micro.to_integral_value(context=_EXACT_CONTEXT):
        raise QuantityError(f"{text!r} is finer than a microsecond; round it")
    if micro > _MAX_MICROSECONDS:
        raise QuantityError(
            f"{text!r} is too long; a duration can be at most {dt.timedelta.max.days} days"
        )
    return dt.timedelta(microseconds=int(micro))


def parse_duration(text: str) -> dt.timedelta:
    """Read a duration such as ``"36 h"``, ``"5 d"``, ``"90 min"``, ``"1.5 days"`` or ``"P5DT12H"``.

    Each distinct text is read once (a ``timedelta`` is immutable, so it is shared).

    Example:
        >>> parse_duration("1.5 d")
        datetime.timedelta(days=1, seconds=43200)
    """
    if type(text) is str:
        return _parse_duration_cached(text)
    return _parse_duration(text)


@functools.lru_cache(maxsize=_PARSE_CACHE_SIZE)
def _parse_duration_cached(text: str) -> dt.timedelta:
    return _parse_duration(text)


def _parse_duration(text: str) -> dt.timedelta:
    if not isinstance(text, str):
        raise QuantityError(f"a duration must be written as text like '36 h', not {text!r}")
    stripped = text.strip()
    iso = _ISO_DURATION_RE.match(stripped.upper())
    if iso:
        micro = sum(
            (
                _microseconds(Decimal(number), _ISO_PARTS[part])
                for part, number in iso.groupdict().items()
                if number
            ),
            start=Decimal(0),
        )
        return _to_timedelta(micro, text)
    match = _QUANTITY_RE.match(stripped)
    if match is None or not match.group("unit"):
        raise QuantityError(
            f"cannot read {text!r} as a duration; write a number and a unit like '36 h' or '5 d'"
        )
    unit = _DURATION_UNITS.get(match.group("unit").casefold())
    if unit is None:
        raise QuantityError(
            f"unknown duration unit {match.group('unit')!r} in {text!r}; use s, min, h, d or w"
        )
    try:
        amount = Decimal(match.group("number"))
    except InvalidOperation:  # pragma: no cover - the regex only lets numbers through
        raise QuantityError(f"cannot read the number in {text!r}") from None
    if amount < 0:
        raise QuantityError(f"a duration cannot be negative, got {text!r}")
    return _to_timedelta(_microseconds(amount, unit), text)


def format_duration(delta: dt.timedelta) -> str:
    """Write a duration in the largest unit that keeps it whole: ``"5 d"``, ``"36 h"``.

    Example:
        >>> format_duration(dt.timedelta(hours=36))
        '36 h'
    """
    if delta < dt.timedelta(0):
        raise QuantityError(f"a duration cannot be negative, got {delta}")
    micro = delta // dt.timedelta(microseconds=1)
    for code, size in (("d", 86_400), ("h", 3_600), ("min", 60), ("s", 1)):
        unit_micro = size * 1_000_000
        if micro % unit_micro == 0 and micro:
            return f"{micro // unit_micro} {code}"
    return f"{decimal_text(Fraction(micro, 1_000_000))} s"
