"""What one sale unit is, what it costs, and how long it must keep when it reaches the buyer.

A marketplace sells units: one bird, one box of eggs, one bag of potatoes. A farmer often
prices by weight (36 元 a 斤) while selling by the piece, and pieces differ in weight (catch
weight). The price of one unit then follows a :class:`PricingPolicy` the partner chooses per
offer and the buyer sees stated:

- ``upper_weight`` (the default, 多退少补): charge the heaviest weight of the lot's band and
  refund the difference after the piece is weighed;
- ``nominal_weight``: charge the lot's nominal (declared) weight of a piece;
- ``weight_bands``: sell weight bands as separate variations (1.1-1.3 kg, 1.3-1.5 kg), each
  charged at its heaviest weight, where the marketplace has variations.

The rounding rule: the unit price is the price per mass times the billed weight, computed
exactly, then rounded **half up to the currency's minor unit** (四舍五入到分 for CNY): the
amount the buyer pays is within half a fen of the exact product, and a half fen rounds up.

Example:
    >>> from ruralseller.catalog import Mass, Money
    >>> rounded_half_up(Money("88.845", "CNY"))
    Money('88.85 CNY')
    >>> billed_price(Money.parse("36.00 CNY"), Mass.parse("1 jin"), Mass.parse("1.5 kg"))
    Money('108.00 CNY')
"""

from __future__ import annotations

import enum
import os
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import attrs

from ruralseller.catalog import checks as _checks
from ruralseller.catalog.money import Money
from ruralseller.catalog.units import Mass
from ruralseller.translations import Message, message, translate

__all__ = [
    "DEFAULT_MEASURE_WORDS",
    "MIN_REMAINING_DAYS",
    "PricingPolicy",
    "RemainingLife",
    "WeightBand",
    "billed_price",
    "default_measure_words",
    "measure_word",
    "rounded_half_up",
]


class PricingPolicy(enum.Enum):
    """How a piece priced by weight is charged (catch weight)."""

    UPPER_WEIGHT = "upper_weight"
    """Charge the heaviest weight of the band; refund the difference after weighing (多退少补)."""
    NOMINAL_WEIGHT = "nominal_weight"
    """Charge the lot's nominal (declared) weight of one piece."""
    WEIGHT_BANDS = "weight_bands"
    """Sell weight bands as separate variations, each charged at its heaviest weight."""


def _positive_mass(_instance: object, attribute: attrs.Attribute[Any], value: Mass) -> None:
    if not value:
        raise _checks.fail(attribute, f"{attribute.name} must be above zero")


@attrs.frozen(kw_only=True)
class WeightBand:
    """One weight band sold as its own variation, e.g. 1.1 kg to 1.3 kg.

    Attributes:
        min: the lightest piece in the band.
        max: the heaviest piece in the band; the band is charged at this weight.
    """

    min: Mass = attrs.field(validator=_positive_mass)
    max: Mass = attrs.field(validator=_positive_mass)

    def __attrs_post_init__(self) -> None:
        if self.min > self.max:
            raise _checks.fail(
                attrs.fields(WeightBand).min, f"min {self.min} is above max {self.max}"
            )

    def __str__(self) -> str:
        return f"{self.min}..{self.max}"


MIN_REMAINING_DAYS = 0
"""The days of life a buyer must have left on arrival when the partner sets nothing: the
food must arrive by its printed date. Set ``min_remaining_life`` on the offer for more."""


def _not_negative_int(
    _instance: object, attribute: attrs.Attribute[Any], value: int | None
) -> None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise _checks.fail(attribute, f"{attribute.name} must be a whole number of days >= 0")


def _share(_instance: object, attribute: attrs.Attribute[Any], value: Decimal | None) -> None:
    if value is not None and not Decimal(0) <= value < Decimal(1):
        raise _checks.fail(
            attribute,
            f"share must be from 0 up to (not including) 1, got {value}",
            "write e.g. share = 0.3 for 30 % of the life from production to the printed date",
        )


@attrs.frozen(kw_only=True)
class RemainingLife:
    """The life a buyer must have left on arrival, before the date printed on the label.

    Written ``{ days = 2 }`` or ``{ share = 0.3 }`` (a share of the life from production to
    the printed date); with both, the stricter one counts.

    Attributes:
        days: whole days left before the printed date.
        share: the share of the total life left, from 0 to 1.
    """

    days: int | None = attrs.field(default=None, validator=_not_negative_int)
    share: Decimal | None = attrs.field(default=None, validator=_share)

    def __attrs_post_init__(self) -> None:
        if self.days is None and self.share is None:
            raise _checks.fail(
                attrs.fields(RemainingLife).days,
                "a minimum remaining life needs days or share",
                "write e.g. min_remaining_life = { days = 2 } or { share = 0.3 }",
            )

    def days_for(self, total_days: int) -> int:
        """The whole days to keep for food whose life is ``total_days`` long.

        The life runs from production to the printed date; a share is rounded up, so the
        buyer never gets less.
        """
        days = self.days or 0
        if self.share is not None:
            needed = Fraction(self.share) * total_days
            days = max(days, -(-needed.numerator // needed.denominator))
        return days

    def __str__(self) -> str:
        parts = []
        if self.days is not None:
            parts.append(f"{self.days} d")
        if self.share is not None:
            parts.append(f"{self.share * 100:f}".rstrip("0").rstrip(".") + " %")
        return " and ".join(parts)


def rounded_half_up(money: Money) -> Money:
    """``money`` rounded half up to its currency's minor unit (fen, cents; yen for JPY)."""
    quantum = Decimal(1).scaleb(-money.minor_digits)
    return Money(money.amount.quantize(quantum, rounding=ROUND_HALF_UP), money.currency)


def billed_price(price: Money, per: Mass, billed: Mass) -> Money:
    """The price of a piece billed at ``billed`` when ``price`` buys ``per``, rounded as stated.

    Exact before rounding: 36.00 CNY per jin for a 1.234 kg piece is 88.848 CNY, 88.85 CNY.
    """
    return rounded_half_up(price * (billed / per))


# Measure words of one unit, by product kind: how a buyer counts what one unit is (一只鸡,
# 一盒蛋, 一袋土豆, 一块腊肉). The English word is the message; catalogues translate it.
_MEASURE_WORDS: Mapping[str, Message] = {
    "poultry_meat": message("measure word: poultry_meat", "bird"),
    "live_birds": message("measure word: live_birds", "bird"),
    "shell_eggs": message("measure word: shell_eggs", "box"),
    "fresh_produce": message("measure word: fresh_produce", "bag"),
    "cured_meat": message("measure word: cured_meat", "piece"),
    "packaged_food": message("measure word: packaged_food", "pack"),
}
_FALLBACK_WORD = message("measure word: other kinds", "each")
# Poultry cut in parts is counted in portions, not birds.
_PORTION_WORD = message("measure word: poultry in parts", "pack")
# The languages DEFAULT_MEASURE_WORDS and default_measure_words() give words in.
_LANGUAGES = {"zh": "zh-CN", "en": "en", "es": "es", "pt": "pt-BR"}


def measure_word(
    kind: str,
    locale: str,
    *,
    whole: bool = True,
    translations: str | os.PathLike[str] | None = None,
) -> str:
    """The measure word of one unit of a product ``kind`` in ``locale``'s language.

    ``translations`` is a folder of catalogues of your own, read before ours.

    >>> measure_word("shell_eggs", "zh-CN"), measure_word("live_birds", "es-MX")
    ('盒', 'ave')
    """
    if kind == "poultry_meat" and not whole:
        word = _PORTION_WORD
    else:
        word = _MEASURE_WORDS.get(kind, _FALLBACK_WORD)
    return translate(word, locale, translations)


def default_measure_words(kind: str, *, whole: bool = True) -> Mapping[str, str]:
    """The measure words of one unit of a product ``kind`` by language (zh, en, es, pt).

    >>> default_measure_words("shell_eggs")["zh"], default_measure_words("fresh_produce")["en"]
    ('盒', 'bag')
    """
    return {
        language: measure_word(kind, locale, whole=whole) for language, locale in _LANGUAGES.items()
    }


DEFAULT_MEASURE_WORDS: Mapping[str, Mapping[str, str]] = {
    kind: default_measure_words(kind) for kind in _MEASURE_WORDS
}
"""Measure words of one unit, by product kind and language (zh, en, es, pt), from the
catalogues shipped with ruralseller (:func:`measure_word` for any language)."""
